/* hint.c - a display filter that matched nothing: a filter that would
 * match, built from what the packets were (the tally) and what the filter
 * asked for, and tried on the tally's sample before it is offered */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/dfilter.h"
#include "socklab/tally.h"

struct asks {
	int v4, v6, tcp, udp, addr, port;
};

static void what_it_asks(const struct sl_dfilter *f, struct asks *a)
{
	struct sl_fieldset s;

	memset(a, 0, sizeof(*a));
	memset(&s, 0, sizeof(s));
	sl_dfilter_fields(f, &s);
	for (int i = 0; i < SL_F_COUNT; i++) {
		int proto;

		if (!sl_fieldset_has(&s, i))
			continue;
		proto = i == SL_F_IP || i == SL_F_IPV6 || i == SL_F_TCP ||
			i == SL_F_UDP ? i : sl_fields[i].proto;
		a->v4 |= proto == SL_F_IP;
		a->v6 |= proto == SL_F_IPV6;
		a->tcp |= proto == SL_F_TCP;
		a->udp |= proto == SL_F_UDP;
		a->addr |= i == SL_F_IP_ADDR || i == SL_F_IP_SRC || i == SL_F_IP_DST ||
			   i == SL_F_IPV6_ADDR || i == SL_F_IPV6_SRC || i == SL_F_IPV6_DST;
		a->port |= i == SL_F_TCP_PORT || i == SL_F_TCP_SRCPORT ||
			   i == SL_F_TCP_DSTPORT || i == SL_F_UDP_PORT ||
			   i == SL_F_UDP_SRCPORT || i == SL_F_UDP_DSTPORT;
	}
}

/* How many packets of the sample text matches; -1 when it does not
 * compile. */
static int try_on_sample(const struct sl_tally *t, const char *text,
			 struct sl_packet *p)
{
	struct sl_frame_seq seq = { 0 };
	struct sl_dfilter *f;
	int n = 0;

	if (sl_dfilter_compile(&f, text, NULL, NULL, NULL) < 0)
		return -1;
	for (unsigned i = 0; i < t->nsample; i++) {
		seq.linktype = t->sample[i].linktype;
		sl_packet_frame(p, &seq, 0, t->sample[i].data,
				t->sample[i].caplen, t->sample[i].len);
		sl_dissect(p, NULL);
		n += sl_dfilter_match(f, p);
	}
	sl_dfilter_free(f);
	return n;
}

static void put_addr(struct sl_buf *b, const struct sl_tally_addr *a)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->a, s, sizeof(s));
	sl_buf_printf(b, "%s.addr==%s", a->family == 6 ? "ipv6" : "ip", s);
}

static void put_port(struct sl_buf *b, const struct sl_tally_port *p)
{
	sl_buf_printf(b, "%s.port==%u", p->tcp ? "tcp" : "udp", p->port);
}

/* The candidates, most telling first, each one filter. */
static size_t candidates(const struct sl_dfilter *f, const struct sl_tally *t,
			 struct sl_buf *c, size_t max)
{
	const struct sl_tally_addr *v4 = sl_tally_top_addr(t, 4);
	const struct sl_tally_addr *v6 = sl_tally_top_addr(t, 6);
	const struct sl_tally_addr *any = sl_tally_top_addr(t, 0);
	const struct sl_tally_port *tp = sl_tally_top_port(t, 1);
	const struct sl_tally_port *up = sl_tally_top_port(t, 0);
	struct asks a;
	size_t n = 0;

	what_it_asks(f, &a);
	if (a.v6 && !t->ipv6 && v4 && n < max)
		put_addr(&c[n++], v4);
	if (a.v4 && !t->ipv4 && v6 && n < max)
		put_addr(&c[n++], v6);
	if (a.tcp && !t->tcp && up && n < max)
		put_port(&c[n++], up);
	if (a.udp && !t->udp && tp && n < max)
		put_port(&c[n++], tp);
	if (a.addr && any && n < max)
		put_addr(&c[n++], a.v6 && v6 ? v6 : a.v4 && v4 ? v4 : any);
	if (a.port && (tp || up) && n < max)
		put_port(&c[n++], a.udp && up ? up : tp ? tp : up);
	if (any && n < max)
		put_addr(&c[n++], any);
	if (n < max)
		sl_buf_puts(&c[n++], t->tcp ? "tcp" : t->udp ? "udp" : t->arp ? "arp" :
			    t->icmp ? "icmp" : t->icmpv6 ? "icmpv6" : "frame");
	return n;
}

int sl_dfilter_hint(const struct sl_dfilter *f, const struct sl_tally *t,
		    struct sl_buf *out)
{
	struct sl_buf c[8];
	struct sl_packet *p;
	size_t n;
	int found = 0;

	if (!t->nsample)
		return 0;
	if (!(p = malloc(sizeof(*p))))
		return -ENOMEM;
	for (size_t i = 0; i < SL_ARRAY_SIZE(c); i++)
		sl_buf_init(&c[i]);
	n = candidates(f, t, c, SL_ARRAY_SIZE(c));
	for (size_t i = 0; i < n && !found; i++) {
		sl_packet_reset(p);
		if (c[i].len && try_on_sample(t, c[i].data, p) > 0 &&
		    sl_buf_puts(out, c[i].data) == 0)
			found = 1;
	}
	for (size_t i = 0; i < SL_ARRAY_SIZE(c); i++)
		sl_buf_release(&c[i]);
	free(p);
	return found;
}
