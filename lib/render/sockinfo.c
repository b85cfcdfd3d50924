/* sockinfo.c - what `socklab sockets -o -e -m -i` add to a row: the line
 * ss prints under it (timer, uid/inode/cookie, skmem, tcp_info, in ss's
 * order and with its key names) and the same as JSON members.  A table
 * of 10,000 rows makes 10,000 of these lines, so integers and times are
 * formatted by hand; only the rates go through snprintf. */
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "socklab/render.h"

/* Text that stops at its capacity, never past it. */
struct line {
	char *p;
	size_t len, cap;	/* cap counts the terminating NUL */
};

static void add(struct line *o, const char *s, size_t n)
{
	if (o->len + n >= o->cap)
		n = o->cap - 1 - o->len;
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void add_s(struct line *o, const char *s)
{
	add(o, s, strlen(s));
}

static void add_u(struct line *o, uint64_t v)
{
	char tmp[21];

	add(o, tmp, sl_fmt_uint(tmp, v));
}

/* " key:v" */
static void kv(struct line *o, const char *key, uint64_t v)
{
	add_s(o, key);
	add_u(o, v);
}

/* Microseconds as milliseconds, as ss's %g prints them: "0.039", "204" */
static void add_ms(struct line *o, uint64_t us)
{
	char frac[4];
	int n = 3;

	add_u(o, us / 1000);
	us %= 1000;
	if (!us)
		return;
	frac[0] = (char)('0' + us / 100);
	frac[1] = (char)('0' + us / 10 % 10);
	frac[2] = (char)('0' + us % 10);
	while (frac[n - 1] == '0')
		n--;
	add(o, ".", 1);
	add(o, frac, (size_t)n);
}

/* A rate in bits per second, with one decimal in its unit: "67.2Gbps" */
static void add_bps(struct line *o, double bps)
{
	static const char *const unit[] = { "", "K", "M", "G", "T" };
	char tmp[32];
	int u = 0, n;

	while (bps >= 1000.0 && u < 4) {
		bps /= 1000.0;
		u++;
	}
	n = snprintf(tmp, sizeof(tmp), u ? "%.1f%sbps" : "%.0f%sbps", bps,
		     unit[u]);
	if (n > 0)
		add(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* ss's timer text: "1min59sec", "58sec", "1.250ms" style */
static void add_timer_text(struct line *o, uint32_t ms)
{
	uint32_t secs = ms / 1000, min = secs / 60, msecs = ms % 1000;

	secs %= 60;
	if (min) {
		msecs = 0;
		kv(o, "", min);
		add_s(o, "min");
		if (min > 9)
			secs = 0;
	}
	if (secs) {
		if (secs > 9)
			msecs = 0;
		add_u(o, secs);
		add_s(o, msecs ? "." : "sec");
	}
	if (msecs) {
		char d[3] = { (char)('0' + msecs / 100),
			      (char)('0' + msecs / 10 % 10),
			      (char)('0' + msecs % 10) };

		add(o, d, 3);
		add_s(o, "ms");
	}
}

static const struct sl_tok timer_names[] = {
	{ SL_TIMER_RETRANS, "retransmit" },
	{ SL_TIMER_KEEPALIVE, "keepalive" },
	{ SL_TIMER_TIMEWAIT, "timewait" },
	{ SL_TIMER_PROBE0, "persist" },
	{ 0, NULL }
};

const char *sl_render_timer_name(int timer)
{
	return sl_tok_name(timer_names, timer, "unknown");
}

/* " timer:(keepalive,1min59sec,0)", nothing when no timer runs */
static void more_timer(struct line *o, const struct sl_sock *s)
{
	if (!s->timer)
		return;
	add_s(o, " timer:(");
	add_s(o, sl_render_timer_name(s->timer));
	add_s(o, ",");
	add_timer_text(o, s->expires_ms);
	kv(o, ",", s->retrans);
	add_s(o, ")");
}

static void more_ext(struct line *o, const struct sl_sock *s)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[17];
	int n = 0;

	kv(o, " uid:", s->uid);
	kv(o, " ino:", s->inode);
	if (!(s->has & SL_HAS_COOKIE))
		return;
	for (int sh = 60; sh >= 0; sh -= 4)
		if (s->cookie >> sh || sh == 0 || n)
			tmp[n++] = hex[s->cookie >> sh & 15];
	add_s(o, " sk:");
	add(o, tmp, (size_t)n);
}

static void more_mem(struct line *o, const struct sl_sock *s)
{
	static const char *const keys[SL_SKMEM_N] = {
		"(r", ",rb", ",t", ",tb", ",f", ",w", ",o", ",bl", ",d",
	};

	if (!(s->has & SL_HAS_MEM))
		return;
	add_s(o, " skmem:");
	for (int i = 0; i < SL_SKMEM_N; i++)
		kv(o, keys[i], s->skmem[i]);
	add_s(o, ")");
}

static void info_opts(struct line *o, const struct sl_tcp_info *t)
{
	/* TCPI_OPT_TIMESTAMPS, _SACK, _WSCALE, _ECN, _ECN_SEEN */
	if (t->options & 1)
		add_s(o, " ts");
	if (t->options & 2)
		add_s(o, " sack");
	if (t->options & 8)
		add_s(o, " ecn");
	if (t->options & 16)
		add_s(o, " ecnseen");
	if (t->cong[0]) {
		char shown[sizeof(t->cong) * SL_ESCAPE_MAX];

		add_s(o, " ");
		add(o, shown, sl_escape(shown, sizeof(shown), t->cong,
					strlen(t->cong)));
	}
	if (t->options & 4) {
		kv(o, " wscale:", t->snd_wscale);
		kv(o, ",", t->rcv_wscale);
	}
}

/* rto rtt ato mss ... data_segs_in: the sizes and counts */
static void info_sizes(struct line *o, const struct sl_tcp_info *t)
{
	if (t->rto_us) {
		add_s(o, " rto:");
		add_ms(o, t->rto_us);
	}
	if (t->backoff)
		kv(o, " backoff:", t->backoff);
	if (t->rtt_us) {
		add_s(o, " rtt:");
		add_ms(o, t->rtt_us);
		add_s(o, "/");
		add_ms(o, t->rttvar_us);
	}
	if (t->ato_us) {
		add_s(o, " ato:");
		add_ms(o, t->ato_us);
	}
	static const struct { const char *key; size_t off; } u32s[] = {
		{ " mss:", offsetof(struct sl_tcp_info, snd_mss) },
		{ " pmtu:", offsetof(struct sl_tcp_info, pmtu) },
		{ " rcvmss:", offsetof(struct sl_tcp_info, rcv_mss) },
		{ " advmss:", offsetof(struct sl_tcp_info, advmss) },
		{ " cwnd:", offsetof(struct sl_tcp_info, snd_cwnd) },
	};
	for (size_t i = 0; i < SL_ARRAY_SIZE(u32s); i++) {
		uint32_t v;

		memcpy(&v, (const char *)t + u32s[i].off, sizeof(v));
		if (v)
			kv(o, u32s[i].key, v);
	}
	/* an "infinite" ssthresh (slow start never ended) is not shown */
	if (t->snd_ssthresh && t->snd_ssthresh < 0xffff)
		kv(o, " ssthresh:", t->snd_ssthresh);
}

static void info_counts(struct line *o, const struct sl_tcp_info *t)
{
	const struct { const char *key; uint64_t v; } c[] = {
		{ " bytes_sent:", t->bytes_sent },
		{ " bytes_retrans:", t->bytes_retrans },
		{ " bytes_acked:", t->bytes_acked },
		{ " bytes_received:", t->bytes_received },
		{ " segs_out:", t->segs_out },
		{ " segs_in:", t->segs_in },
		{ " data_segs_out:", t->data_segs_out },
		{ " data_segs_in:", t->data_segs_in },
	};

	for (size_t i = 0; i < SL_ARRAY_SIZE(c); i++)
		if (c[i].v)
			kv(o, c[i].key, c[i].v);
}

/* send, last*, pacing and delivery rates */
static void info_rates(struct line *o, const struct sl_tcp_info *t)
{
	if (t->rtt_us && t->snd_mss && t->snd_cwnd) {
		add_s(o, " send ");
		add_bps(o, (double)t->snd_cwnd * t->snd_mss * 8e6 / t->rtt_us);
	}
	if (t->last_data_sent_ms)
		kv(o, " lastsnd:", t->last_data_sent_ms);
	if (t->last_data_recv_ms)
		kv(o, " lastrcv:", t->last_data_recv_ms);
	if (t->last_ack_recv_ms)
		kv(o, " lastack:", t->last_ack_recv_ms);
	if (t->pacing_rate && t->pacing_rate != UINT64_MAX) {
		add_s(o, " pacing_rate ");
		add_bps(o, (double)t->pacing_rate * 8);
	}
	if (t->delivery_rate) {
		add_s(o, " delivery_rate ");
		add_bps(o, (double)t->delivery_rate * 8);
	}
	if (t->delivered)
		kv(o, " delivered:", t->delivered);
	if (t->app_limited)
		add_s(o, " app_limited");
	if (t->busy_time_us) {
		kv(o, " busy:", t->busy_time_us / 1000);
		add_s(o, "ms");
	}
}

/* what is outstanding, lost or reordered, and the receive side */
static void info_loss(struct line *o, const struct sl_tcp_info *t,
		      int listen)
{
	if (t->unacked)
		kv(o, " unacked:", t->unacked);
	if (t->retrans || t->total_retrans) {
		kv(o, " retrans:", t->retrans);
		kv(o, "/", t->total_retrans);
	}
	if (t->lost)
		kv(o, " lost:", t->lost);
	if (t->sacked && !listen)
		kv(o, " sacked:", t->sacked);
	if (t->reordering && t->reordering != 3)
		kv(o, " reordering:", t->reordering);
	if (t->rcv_rtt_us) {
		add_s(o, " rcv_rtt:");
		add_ms(o, t->rcv_rtt_us);
	}
	if (t->rcv_space)
		kv(o, " rcv_space:", t->rcv_space);
	if (t->rcv_ssthresh)
		kv(o, " rcv_ssthresh:", t->rcv_ssthresh);
	if (t->notsent_bytes)
		kv(o, " notsent:", t->notsent_bytes);
	if (t->min_rtt_us && t->min_rtt_us != UINT32_MAX) {
		add_s(o, " minrtt:");
		add_ms(o, t->min_rtt_us);
	}
	if (t->snd_wnd)
		kv(o, " snd_wnd:", t->snd_wnd);
}

static void more_info(struct line *o, const struct sl_sock *s)
{
	if (!(s->has & SL_HAS_INFO)) {
		/* say why nothing follows, once per row that has none */
		if (s->proto == IPPROTO_TCP && s->state != SL_TCP_TIME_WAIT &&
		    s->state != SL_TCP_SYN_RECV)
			add_s(o, " (no tcp_info)");
		return;
	}
	info_opts(o, &s->info);
	info_sizes(o, &s->info);
	info_counts(o, &s->info);
	info_rates(o, &s->info);
	info_loss(o, &s->info, s->state == SL_TCP_LISTEN);
}

size_t sl_render_sock_more(const struct sl_sock *s, unsigned flags,
			   char *out, size_t outlen)
{
	struct line o = { out, 0, outlen };

	if (!outlen)
		return 0;
	out[0] = '\0';
	if (flags & SL_TABLE_TIMERS)
		more_timer(&o, s);
	if (flags & SL_TABLE_EXT)
		more_ext(&o, s);
	if (flags & SL_TABLE_MEM)
		more_mem(&o, s);
	if ((flags & SL_TABLE_INFO) && s->local.ss.ss_family != AF_UNIX)
		more_info(&o, s);
	if (o.len && out[0] == ' ') {
		memmove(out, out + 1, o.len);
		o.len--;
	}
	return o.len;
}

/* ---- the same as JSON members ---- */

static int json_timer(struct sl_buf *b, const struct sl_sock *s)
{
	if (!s->timer)
		return sl_buf_puts(b, ",\"timer\":null");
	return sl_buf_printf(b, ",\"timer\":{\"kind\":\"%s\",\"expires_ms\":%u,"
			     "\"retrans\":%u}", sl_render_timer_name(s->timer),
			     s->expires_ms, s->retrans);
}

static int json_mem(struct sl_buf *b, const struct sl_sock *s)
{
	static const char *const keys[SL_SKMEM_N] = {
		"rmem_alloc", "rcvbuf", "wmem_alloc", "sndbuf", "fwd_alloc",
		"wmem_queued", "optmem", "backlog", "drops",
	};
	int rc;

	if (!(s->has & SL_HAS_MEM))
		return sl_buf_puts(b, ",\"skmem\":null");
	rc = sl_buf_puts(b, ",\"skmem\":{");
	for (int i = 0; i < SL_SKMEM_N && rc == 0; i++)
		rc = sl_buf_printf(b, "%s\"%s\":%u", i ? "," : "", keys[i],
				   s->skmem[i]);
	return rc ? rc : sl_buf_putc(b, '}');
}

/* "0.039" from microseconds, for a JSON number of milliseconds */
static int json_ms(struct sl_buf *b, const char *key, uint64_t us)
{
	return sl_buf_printf(b, ",\"%s\":%llu.%03llu", key,
			     (unsigned long long)(us / 1000),
			     (unsigned long long)(us % 1000));
}

static int json_info_numbers(struct sl_buf *b, const struct sl_tcp_info *t)
{
	const struct { const char *key; uint64_t v; } n[] = {
		{ "snd_wscale", t->snd_wscale }, { "rcv_wscale", t->rcv_wscale },
		{ "mss", t->snd_mss }, { "pmtu", t->pmtu },
		{ "rcv_mss", t->rcv_mss }, { "advmss", t->advmss },
		{ "cwnd", t->snd_cwnd }, { "bytes_sent", t->bytes_sent },
		{ "bytes_retrans", t->bytes_retrans },
		{ "bytes_acked", t->bytes_acked },
		{ "bytes_received", t->bytes_received },
		{ "segs_out", t->segs_out }, { "segs_in", t->segs_in },
		{ "data_segs_out", t->data_segs_out },
		{ "data_segs_in", t->data_segs_in },
		{ "last_send_ms", t->last_data_sent_ms },
		{ "last_recv_ms", t->last_data_recv_ms },
		{ "last_ack_ms", t->last_ack_recv_ms },
		{ "delivery_rate_bps", t->delivery_rate * 8 },
		{ "delivered", t->delivered }, { "busy_ms", t->busy_time_us / 1000 },
		{ "unacked", t->unacked }, { "retrans", t->retrans },
		{ "total_retrans", t->total_retrans }, { "lost", t->lost },
		{ "sacked", t->sacked }, { "reordering", t->reordering },
		{ "rcv_space", t->rcv_space }, { "rcv_ssthresh", t->rcv_ssthresh },
		{ "notsent", t->notsent_bytes }, { "snd_wnd", t->snd_wnd },
		{ "retransmits", t->retransmits }, { "backoff", t->backoff },
		{ "ca_state", t->ca_state },
	};
	int rc = 0;

	for (size_t i = 0; i < SL_ARRAY_SIZE(n) && rc == 0; i++)
		rc = sl_buf_printf(b, ",\"%s\":%llu", n[i].key,
				   (unsigned long long)n[i].v);
	return rc;
}

static int json_info(struct sl_buf *b, const struct sl_sock *s)
{
	const struct sl_tcp_info *t = &s->info;
	int rc;

	if (!(s->has & SL_HAS_INFO))
		return sl_buf_puts(b, ",\"tcp_info\":null");
	rc = sl_buf_puts(b, ",\"tcp_info\":{\"cong\":");
	if (rc == 0)
		rc = t->cong[0] ? sl_buf_json_str(b, t->cong, strlen(t->cong))
				: sl_buf_puts(b, "null");
	if (rc == 0)
		rc = json_ms(b, "rto_ms", t->rto_us);
	if (rc == 0)
		rc = json_ms(b, "rtt_ms", t->rtt_us);
	if (rc == 0)
		rc = json_ms(b, "rttvar_ms", t->rttvar_us);
	if (rc == 0)
		rc = json_ms(b, "min_rtt_ms", t->min_rtt_us == UINT32_MAX ? 0
								 : t->min_rtt_us);
	if (rc == 0)
		rc = json_ms(b, "ato_ms", t->ato_us);
	if (rc == 0)
		rc = json_ms(b, "rcv_rtt_ms", t->rcv_rtt_us);
	if (rc == 0)
		rc = t->snd_ssthresh && t->snd_ssthresh < 0xffff
			? sl_buf_printf(b, ",\"ssthresh\":%u", t->snd_ssthresh)
			: sl_buf_puts(b, ",\"ssthresh\":null");
	if (rc == 0)
		rc = json_info_numbers(b, t);
	if (rc == 0)
		rc = sl_buf_printf(b, ",\"app_limited\":%s}",
				   t->app_limited ? "true" : "false");
	return rc;
}

int sl_render_sock_more_json(struct sl_buf *b, const struct sl_sock *s,
			     unsigned flags)
{
	int rc = 0;

	if (flags & SL_TABLE_EXT)
		rc = s->has & SL_HAS_COOKIE
			? sl_buf_printf(b, ",\"cookie\":%llu",
					(unsigned long long)s->cookie)
			: sl_buf_puts(b, ",\"cookie\":null");
	if (rc == 0 && (flags & SL_TABLE_TIMERS))
		rc = json_timer(b, s);
	if (rc == 0 && (flags & SL_TABLE_MEM))
		rc = json_mem(b, s);
	if (rc == 0 && (flags & SL_TABLE_INFO))
		rc = json_info(b, s);
	return rc;
}

int sl_render_sock_json(struct sl_buf *b, const struct sl_sock *s,
			unsigned flags)
{
	int rc = sl_buf_putc(b, '{');

	if (rc == 0)
		rc = sl_sock_json_keys(b, s);
	if (rc == 0)
		rc = sl_render_sock_more_json(b, s, flags);
	return rc ? rc : sl_buf_puts(b, "}\n");
}
