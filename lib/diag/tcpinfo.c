/* tcpinfo.c - the attributes after a sock_diag row: the kernel's tcp_info,
 * congestion control and socket memory, decoded with every read bounded
 * (an older kernel sends a shorter tcp_info, a newer one a longer) */
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <string.h>

#include "diag-int.h"

int sl_diag_attr_next(struct sl_attr_cur *c, unsigned *type,
		      const void **data, size_t *len)
{
	struct nlattr a;
	size_t step;

	if (c->rem < sizeof(a))
		return 0;
	memcpy(&a, c->p, sizeof(a));
	if (a.nla_len < sizeof(a) || a.nla_len > c->rem)
		return 0;
	*type = a.nla_type & NLA_TYPE_MASK;
	*data = c->p + NLA_HDRLEN;
	*len = a.nla_len - NLA_HDRLEN;
	step = NLA_ALIGN(a.nla_len);
	step = step < c->rem ? step : c->rem;
	c->p += step;
	c->rem -= step;
	return 1;
}

/* The kernel's struct from len bytes: what it did not send stays 0. */
static void put_info(struct sl_tcp_info *o, const void *data, size_t len)
{
	struct tcp_info k;

	memset(&k, 0, sizeof(k));
	memcpy(&k, data, len < sizeof(k) ? len : sizeof(k));
	o->ca_state = k.tcpi_ca_state;
	o->retransmits = k.tcpi_retransmits;
	o->probes = k.tcpi_probes;
	o->backoff = k.tcpi_backoff;
	o->options = k.tcpi_options;
	o->snd_wscale = k.tcpi_snd_wscale;
	o->rcv_wscale = k.tcpi_rcv_wscale;
	o->app_limited = k.tcpi_delivery_rate_app_limited;
	o->rto_us = k.tcpi_rto;
	o->ato_us = k.tcpi_ato;
	o->snd_mss = k.tcpi_snd_mss;
	o->rcv_mss = k.tcpi_rcv_mss;
	o->unacked = k.tcpi_unacked;
	o->sacked = k.tcpi_sacked;
	o->lost = k.tcpi_lost;
	o->retrans = k.tcpi_retrans;
	o->last_data_sent_ms = k.tcpi_last_data_sent;
	o->last_data_recv_ms = k.tcpi_last_data_recv;
	o->last_ack_recv_ms = k.tcpi_last_ack_recv;
	o->pmtu = k.tcpi_pmtu;
	o->rcv_ssthresh = k.tcpi_rcv_ssthresh;
	o->rtt_us = k.tcpi_rtt;
	o->rttvar_us = k.tcpi_rttvar;
	o->snd_ssthresh = k.tcpi_snd_ssthresh;
	o->snd_cwnd = k.tcpi_snd_cwnd;
	o->advmss = k.tcpi_advmss;
	o->reordering = k.tcpi_reordering;
	o->rcv_rtt_us = k.tcpi_rcv_rtt;
	o->rcv_space = k.tcpi_rcv_space;
	o->total_retrans = k.tcpi_total_retrans;
	o->pacing_rate = k.tcpi_pacing_rate;
	o->bytes_acked = k.tcpi_bytes_acked;
	o->bytes_received = k.tcpi_bytes_received;
	o->segs_out = k.tcpi_segs_out;
	o->segs_in = k.tcpi_segs_in;
	o->notsent_bytes = k.tcpi_notsent_bytes;
	o->min_rtt_us = k.tcpi_min_rtt;
	o->data_segs_in = k.tcpi_data_segs_in;
	o->data_segs_out = k.tcpi_data_segs_out;
	o->delivery_rate = k.tcpi_delivery_rate;
	o->busy_time_us = k.tcpi_busy_time;
	o->delivered = k.tcpi_delivered;
	o->bytes_sent = k.tcpi_bytes_sent;
	o->bytes_retrans = k.tcpi_bytes_retrans;
	o->snd_wnd = k.tcpi_snd_wnd;
}

/* A name the kernel sent, as a C string; control bytes are the printer's
 * business (it escapes). */
static void put_cong(struct sl_tcp_info *o, const char *data, size_t len)
{
	size_t n = strnlen(data, len < sizeof(o->cong) ? len
						       : sizeof(o->cong) - 1);

	memcpy(o->cong, data, n);
	o->cong[n] = '\0';
}

void sl_diag_put_skmem(struct sl_sock *s, const void *data, size_t len)
{
	size_t n = len / sizeof(uint32_t);

	memcpy(s->skmem, data,
	       (n < SL_SKMEM_N ? n : SL_SKMEM_N) * sizeof(uint32_t));
	s->has |= SL_HAS_MEM;
}

void sl_diag_decode_attrs(const void *attrs, size_t len, struct sl_sock *s)
{
	struct sl_attr_cur c = { attrs, len };
	const void *data;
	unsigned type;
	size_t n;

	while (sl_diag_attr_next(&c, &type, &data, &n)) {
		switch (type) {
		case INET_DIAG_INFO:
			if (s->proto != IPPROTO_TCP || !n)
				break;
			put_info(&s->info, data, n);
			s->has |= SL_HAS_INFO;
			break;
		case INET_DIAG_CONG:
			put_cong(&s->info, data, n);
			break;
		case INET_DIAG_SKMEMINFO:
			sl_diag_put_skmem(s, data, n);
			break;
		default:
			break;
		}
	}
}
