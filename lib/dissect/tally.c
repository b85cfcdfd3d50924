/* tally.c - what a capture saw, counted: families, transports, the
 * busiest addresses and ports, the first two addresses, a sample */
#include <string.h>

#include "socklab/tally.h"

static const int fields[] = {
	SL_F_IP, SL_F_IPV6, SL_F_ARP, SL_F_TCP, SL_F_UDP, SL_F_ICMP,
	SL_F_ICMPV6, SL_F_IP_SRC, SL_F_IP_DST, SL_F_IPV6_SRC, SL_F_IPV6_DST,
	SL_F_TCP_SRCPORT, SL_F_TCP_DSTPORT, SL_F_UDP_SRCPORT, SL_F_UDP_DSTPORT,
};

void sl_tally_fields(struct sl_fieldset *s)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		sl_fieldset_add(s, fields[i]);
}

/* The address of an ip.src/ipv6.dst … value, as family and bytes. */
static int addr_of(const struct sl_fval *v, struct sl_tally_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (!v)
		return 0;
	if (v->field == SL_F_IP_SRC || v->field == SL_F_IP_DST) {
		a->family = 4;
		a->a[0] = (uint8_t)(v->v.u >> 24), a->a[1] = (uint8_t)(v->v.u >> 16);
		a->a[2] = (uint8_t)(v->v.u >> 8), a->a[3] = (uint8_t)v->v.u;
		return 1;
	}
	if (v->v.bytes.n < 16)
		return 0;
	a->family = 6;
	memcpy(a->a, v->v.bytes.p, 16);
	return 1;
}

static int same(const struct sl_tally_addr *x, const struct sl_tally_addr *y)
{
	return x->family == y->family && !memcmp(x->a, y->a, 16);
}

static void count_addr(struct sl_tally *t, const struct sl_tally_addr *a)
{
	for (unsigned i = 0; i < t->naddrs; i++)
		if (same(&t->addrs[i], a)) {
			t->addrs[i].n++;
			return;
		}
	if (t->naddrs == SL_TALLY_TOP) {
		t->addrs_more++;
		return;
	}
	t->addrs[t->naddrs] = *a;
	t->addrs[t->naddrs++].n = 1;
}

static void count_port(struct sl_tally *t, uint64_t port, int tcp)
{
	for (unsigned i = 0; i < t->nports; i++)
		if (t->ports[i].port == port && t->ports[i].tcp == tcp) {
			t->ports[i].n++;
			return;
		}
	if (t->nports == SL_TALLY_TOP) {
		t->ports_more++;
		return;
	}
	t->ports[t->nports].port = (uint16_t)port;
	t->ports[t->nports].tcp = (uint8_t)tcp;
	t->ports[t->nports++].n = 1;
}

static void count_pair(struct sl_tally *t, const struct sl_tally_addr *s,
		       const struct sl_tally_addr *d)
{
	if (!t->pair[0].family) {
		t->pair[0] = *s;
		t->pair[1] = *d;
		t->one_pair = 1;
	} else if (!((same(s, &t->pair[0]) && same(d, &t->pair[1])) ||
		     (same(s, &t->pair[1]) && same(d, &t->pair[0])))) {
		t->one_pair = 0;
	}
}

static void keep_sample(struct sl_tally *t, const struct sl_packet *p)
{
	struct sl_tally_packet *k;

	if (t->nsample == SL_TALLY_SAMPLE)
		return;
	k = &t->sample[t->nsample++];
	k->linktype = p->linktype;
	k->caplen = p->caplen < SL_TALLY_SNAP ? p->caplen : SL_TALLY_SNAP;
	k->len = p->len;
	memcpy(k->data, p->data, k->caplen);
}

void sl_tally_add(struct sl_tally *t, const struct sl_packet *p)
{
	struct sl_tally_addr s, d;
	int v6 = sl_pkt_has(p, SL_F_IPV6);

	t->packets++;
	keep_sample(t, p);
	if (sl_pkt_has(p, SL_F_IP))
		t->ipv4++;
	else if (v6)
		t->ipv6++;
	else if (sl_pkt_has(p, SL_F_ARP))
		t->arp++;
	else
		t->other++;
	t->tcp += sl_pkt_has(p, SL_F_TCP);
	t->udp += sl_pkt_has(p, SL_F_UDP);
	t->icmp += sl_pkt_has(p, SL_F_ICMP);
	t->icmpv6 += sl_pkt_has(p, SL_F_ICMPV6);
	/* the outermost header's addresses (the first values) */
	if (addr_of(sl_pkt_get(p, sl_pkt_has(p, SL_F_IP) ? SL_F_IP_SRC : SL_F_IPV6_SRC), &s) &&
	    addr_of(sl_pkt_get(p, sl_pkt_has(p, SL_F_IP) ? SL_F_IP_DST : SL_F_IPV6_DST), &d)) {
		count_addr(t, &s);
		if (!same(&s, &d))
			count_addr(t, &d);
		count_pair(t, &s, &d);
	}
	if (sl_pkt_has(p, SL_F_TCP)) {
		count_port(t, sl_pkt_uint(p, SL_F_TCP_SRCPORT, 0), 1);
		count_port(t, sl_pkt_uint(p, SL_F_TCP_DSTPORT, 0), 1);
	} else if (sl_pkt_has(p, SL_F_UDP)) {
		count_port(t, sl_pkt_uint(p, SL_F_UDP_SRCPORT, 0), 0);
		count_port(t, sl_pkt_uint(p, SL_F_UDP_DSTPORT, 0), 0);
	}
}

const struct sl_tally_addr *sl_tally_top_addr(const struct sl_tally *t,
					      int family)
{
	const struct sl_tally_addr *best = NULL;

	for (unsigned i = 0; i < t->naddrs; i++)
		if ((!family || t->addrs[i].family == family) &&
		    (!best || t->addrs[i].n > best->n))
			best = &t->addrs[i];
	return best;
}

const struct sl_tally_port *sl_tally_top_port(const struct sl_tally *t,
					      int tcp)
{
	const struct sl_tally_port *best = NULL;

	/* a tie (both ends of one conversation) goes to the lower port,
	 * most likely the server's */
	for (unsigned i = 0; i < t->nports; i++)
		if (t->ports[i].tcp == tcp &&
		    (!best || t->ports[i].n > best->n ||
		     (t->ports[i].n == best->n && t->ports[i].port < best->port)))
			best = &t->ports[i];
	return best;
}
