/* capture-hint.c - the filter co-pilot of socklab capture: a -Y that
 * matched nothing says what the packets were and which filter would have
 * matched; a live run that captured nothing tells a filter that rejected
 * everything from an interface that carried nothing */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture-hint.h"
#include "cli.h"
#include "socklab/net.h"

/* packets the side capture looks at before it closes */
#define SAMPLER_MAX 1000

int hint_start(struct hint *h, const char *iface, int kernel_filter,
	       const struct sl_fieldset *filter_fields)
{
	memset(h, 0, sizeof(*h));
	h->tally = calloc(1, sizeof(*h->tally));
	if (!h->tally)
		return -ENOMEM;
	if (filter_fields)
		h->fields = *filter_fields;
	sl_tally_fields(&h->fields);
	if (!iface)
		return 0;
	h->iface = iface;
	h->if_ok = sl_iface_packets(iface, &h->if_before) == 0;
	if (kernel_filter) {
		/* the kernel hands over only what passes: a small side
		 * capture of its own sees what the interface carried */
		struct sl_capture_opts o = { .iface = iface, .snaplen = SL_TALLY_SNAP,
					     .buffer_bytes = 1 << 20 };
		struct sl_err e;

		h->pkt = malloc(sizeof(*h->pkt));
		if (h->pkt && sl_capture_open(&h->sampler, &o, NULL, &e) == 0)
			sl_packet_reset(h->pkt);
		h->sampled = h->sampler != NULL;
	}
	return 0;
}

void hint_miss(struct hint *h, const struct sl_packet *p)
{
	if (h->tally && !h->sampled)
		sl_tally_add(h->tally, p);
}

void hint_matched(struct hint *h)
{
	h->matched = 1;
	if (h->sampler) {
		sl_capture_close(h->sampler);
		h->sampler = NULL;
	}
}

void hint_poll(struct hint *h)
{
	struct sl_frame f;
	struct sl_err e;

	while (h->sampler && sl_capture_next(h->sampler, &f, &e) == 1) {
		h->pkt->linktype = sl_capture_linktype(h->sampler);
		h->pkt->data = f.data;
		h->pkt->caplen = f.caplen;
		h->pkt->len = f.len;
		sl_dissect_fields(h->pkt, NULL, &h->fields);
		sl_tally_add(h->tally, h->pkt);
		if (h->tally->packets >= SAMPLER_MAX) {
			sl_capture_close(h->sampler);
			h->sampler = NULL;
		}
	}
}

/* ---- the words ---- */

static void put_count(struct sl_buf *b, uint64_t n, const char *what,
		      int *first)
{
	if (!n)
		return;
	sl_buf_printf(b, "%s%llu %s", *first ? "" : ", ", (unsigned long long)n, what);
	*first = 0;
}

/* "all 10 are IPv4" or "7 IPv4, 3 IPv6" */
static void families(struct sl_buf *b, const struct sl_tally *t)
{
	static const char *const names[] = { "IPv4", "IPv6", "ARP", "other" };
	const uint64_t n[] = { t->ipv4, t->ipv6, t->arp, t->other };
	int first = 1;

	for (size_t i = 0; i < 4; i++)
		if (n[i] == t->packets) {
			sl_buf_printf(b, "%s %llu %s %s", t->packets == 1 ? "the" : "all",
				      (unsigned long long)t->packets,
				      t->packets == 1 ? "is" : "are", names[i]);
			return;
		}
	for (size_t i = 0; i < 4; i++)
		put_count(b, n[i], names[i], &first);
}

static void put_addr(struct sl_buf *b, const struct sl_tally_addr *a)
{
	char s[SL_ADDRSTRLEN];
	struct sl_endpoint ep;

	sl_addr_make(&ep, a->family == 6 ? AF_INET6 : AF_INET, a->a, 0);
	sl_addr_format_host((const struct sockaddr *)&ep.ss, s, sizeof(s));
	sl_buf_puts(b, s);
}

static void addresses(struct sl_buf *b, const struct sl_tally *t)
{
	unsigned shown = 0;

	if (!t->naddrs)
		return;
	if (t->one_pair) {
		sl_buf_puts(b, " between ");
		put_addr(b, &t->pair[0]);
		sl_buf_puts(b, " and ");
		put_addr(b, &t->pair[1]);
		return;
	}
	sl_buf_puts(b, ", addresses ");
	for (unsigned i = 0; i < t->naddrs && shown < 4; i++, shown++) {
		sl_buf_puts(b, i ? ", " : "");
		put_addr(b, &t->addrs[i]);
	}
	if (t->naddrs > shown || t->addrs_more)
		sl_buf_puts(b, " and more");
}

static int busier(const void *x, const void *y)
{
	const struct sl_tally_port *a = x, *b = y;

	if (a->n != b->n)
		return a->n < b->n ? 1 : -1;
	return a->port < b->port ? -1 : a->port > b->port;
}

static void transports(struct sl_buf *b, const struct sl_tally *t)
{
	struct sl_tally_port ports[SL_TALLY_TOP];
	int first = 1;

	if (!t->tcp && !t->udp && !t->icmp && !t->icmpv6)
		return;
	sl_buf_puts(b, " (");
	put_count(b, t->tcp, "TCP", &first);
	put_count(b, t->udp, "UDP", &first);
	put_count(b, t->icmp, "ICMP", &first);
	put_count(b, t->icmpv6, "ICMPv6", &first);
	memcpy(ports, t->ports, sizeof(ports));
	qsort(ports, t->nports, sizeof(ports[0]), busier);
	for (unsigned i = 0; i < t->nports && i < 3; i++)
		sl_buf_printf(b, "%s%u", i ? ", " : "; ports ", ports[i].port);
	if (t->nports > 3 || t->ports_more)
		sl_buf_puts(b, " and more");
	sl_buf_putc(b, ')');
}

/* "all 10 are IPv4 between 127.0.0.1 and 127.0.0.1 (10 TCP; ports …)" */
static void seen_words(struct sl_buf *b, const struct sl_tally *t)
{
	families(b, t);
	addresses(b, t);
	transports(b, t);
}

static void try_words(struct sl_buf *b, const struct sl_dfilter *f,
		      const struct sl_tally *t)
{
	struct sl_buf s = SL_BUF_INIT;

	if (f && sl_dfilter_hint(f, t, &s) == 1) {
		sl_buf_puts(b, " — try ");
		sl_buf_escape(b, s.data, s.len);
	} else if (f) {
		sl_buf_puts(b, " — no address, port or protocol of them matches either; see 'socklab help fields'");
	}
	sl_buf_release(&s);
}

/* -Y matched nothing among packets the run saw itself. */
static void unmatched(const struct hint *h, const char *ytext,
		      const struct sl_dfilter *f, uint64_t seen)
{
	struct sl_buf b = SL_BUF_INIT;

	sl_buf_printf(&b, "0 of %llu packet%s matched ", (unsigned long long)seen,
		      seen == 1 ? "" : "s");
	sl_buf_escape(&b, ytext, strlen(ytext));
	sl_buf_puts(&b, ": ");
	if (h->sampled)
		sl_buf_printf(&b, "of the first %llu on %s, ",
			      (unsigned long long)h->tally->packets, h->iface);
	seen_words(&b, h->tally);
	try_words(&b, f, h->tally);
	cli_error("capture", "%s", b.data);
	sl_buf_release(&b);
}

/* Live, nothing handed over: the interface, then the filters. */
static void nothing(const struct hint *h, const char *ytext, const char *ftext,
		    const struct sl_dfilter *f)
{
	struct sl_buf b = SL_BUF_INIT;
	uint64_t after = 0, carried;

	if (!h->if_ok || sl_iface_packets(h->iface, &after) < 0) {
		cli_error("capture", "nothing captured on %s: no packet arrived%s; start the traffic while capturing, or check -i ('socklab capture -D' lists the interfaces)",
			  h->iface, ftext || ytext ? " that passes the filters" : "");
		return;
	}
	carried = after - h->if_before;
	if (!carried) {
		cli_error("capture", "nothing captured on %s: %s carried no packet at all during the capture, so no filter is to blame; start the traffic while capturing, or capture where it goes (-i any; 'socklab capture -D' lists the interfaces)",
			  h->iface, h->iface);
		return;
	}
	sl_buf_printf(&b, "nothing captured on %s: it carried %llu packet%s, none passed ",
		      h->iface, (unsigned long long)carried, carried == 1 ? "" : "s");
	if (ftext) {
		sl_buf_puts(&b, "the capture filter -f '");
		sl_buf_escape(&b, ftext, strlen(ftext));
		sl_buf_puts(&b, ytext ? "' and -Y '" : "'");
	} else {
		sl_buf_puts(&b, "-Y '");
	}
	if (ytext) {
		sl_buf_escape(&b, ytext, strlen(ytext));
		sl_buf_putc(&b, '\'');
	}
	if (h->tally->packets) {
		sl_buf_printf(&b, "; of the first %llu: ", (unsigned long long)h->tally->packets);
		seen_words(&b, h->tally);
		try_words(&b, f, h->tally);
	}
	cli_error("capture", "%s", b.data);
	sl_buf_release(&b);
}

int hint_report(struct hint *h, const char *ytext, const char *ftext,
		const struct sl_dfilter *f, uint64_t seen, uint64_t shown)
{
	if (shown || h->matched || !h->tally)
		return 0;
	hint_poll(h);
	if (h->iface && seen == 0) {
		nothing(h, ytext, ftext, f);
		return 1;
	}
	if (f && seen) {
		unmatched(h, ytext, f, seen);
		return 1;
	}
	return 0;
}

void hint_end(struct hint *h)
{
	sl_capture_close(h->sampler);
	free(h->pkt);
	free(h->tally);
	memset(h, 0, sizeof(*h));
}
