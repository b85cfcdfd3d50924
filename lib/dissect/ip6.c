/* ip6.c - IPv6: the fixed header, then the extension headers walked
 * (hop-by-hop, routing, fragment, destination options) */
#include "dissect-int.h"

enum { NH_HOPOPTS = 0, NH_ROUTING = 43, NH_FRAGMENT = 44,
       NH_DSTOPTS = 60 };

static int fixed(struct dis *d, const uint8_t *b, uint32_t off)
{
	uint32_t w = dis_be32(b);
	int rc;

#define FIXED(X, a) \
	X(a, 1, u, SL_F_IPV6_VERSION, off, 1, w >> 28) \
	X(a, 1, u, SL_F_IP_VERSION, off, 1, w >> 28) \
	X(a, 1, u, SL_F_IPV6_TCLASS, off, 2, w >> 20 & 0xff) \
	X(a, 1, u, SL_F_IPV6_FLOW, off + 1, 3, w & 0xfffff) \
	X(a, 1, u, SL_F_IPV6_PLEN, off + 4, 2, dis_be16(b + 4)) \
	X(a, 1, u, SL_F_IPV6_NXT, off + 6, 1, b[6]) \
	X(a, 1, u, SL_F_IPV6_HLIM, off + 7, 1, b[7]) \
	X(a, 1, bytes, SL_F_IPV6_SRC, off + 8, 16, 0) \
	X(a, 1, bytes, SL_F_IPV6_ADDR, off + 8, 16, 0) \
	X(a, 1, bytes, SL_F_IPV6_DST, off + 24, 16, 0) \
	X(a, 1, bytes, SL_F_IPV6_ADDR, off + 24, 16, 0)
	DIS_FILL(d, FIXED, rc);
#undef FIXED
	return rc;
}

/* One extension header at off; sets *len and *nxt.  1 when it is a
 * fragment that is not the whole datagram, 0 otherwise, -1 stopped. */
static int ext(struct dis *d, unsigned type, uint32_t off, uint32_t end,
	       uint32_t *len, unsigned *nxt)
{
	const uint8_t *b = d->p->data + off;
	int proto = type == NH_HOPOPTS ? SL_F_IPV6_HOPOPTS :
		    type == NH_ROUTING ? SL_F_IPV6_ROUTING :
		    type == NH_FRAGMENT ? SL_F_IPV6_FRAGHDR : SL_F_IPV6_DSTOPTS;
	int fnxt = type == NH_HOPOPTS ? SL_F_IPV6_HOPOPTS_NXT :
		   type == NH_ROUTING ? SL_F_IPV6_ROUTING_NXT :
		   type == NH_FRAGMENT ? SL_F_IPV6_FRAGHDR_NXT :
		   SL_F_IPV6_DSTOPTS_NXT;

	if (dis_layer(d, proto, off, 8) < 0)
		return -1;
	if (end - off < 8)
		return dis_short(d, proto, "IPv6 extension header cut short");
	*nxt = b[0];
	*len = type == NH_FRAGMENT ? 8 : (b[1] + 1u) * 8;
	dis_layer_len(d, *len);
	if (dis_uint(d, fnxt, off, 1, b[0]) < 0)
		return -1;
	if (*len > end - off)
		return dis_short(d, proto, "IPv6 extension header "
				 "longer than the packet");
	if (type == NH_ROUTING)
		return dis_uint(d, SL_F_IPV6_ROUTING_TYPE, off + 2, 1, b[2]) < 0 ||
		       dis_uint(d, SL_F_IPV6_ROUTING_SEGLEFT, off + 3, 1,
				b[3]) < 0 ? -1 : 0;
	if (type == NH_FRAGMENT) {
		unsigned fo = dis_be16(b + 2);

		if (!d->have_fragoff) {
			d->have_fragoff = 1;
			d->fragoff = fo >> 3;
		}
		if (dis_uint(d, SL_F_IPV6_FRAGHDR_OFFSET, off + 2, 2,
			     fo >> 3) < 0 ||
		    dis_uint(d, SL_F_IPV6_FRAGHDR_MORE, off + 3, 1, fo & 1) < 0 ||
		    dis_uint(d, SL_F_IPV6_FRAGHDR_IDENT, off + 4, 4,
			     dis_be32(b + 4)) < 0)
			return -1;
		return (fo & 0xfff9) != 0;
	}
	return 0;
}

int dis_ip6(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	uint32_t wire = d->p->len - off, plen, start;
	unsigned nxt;

	if (dis_layer(d, SL_F_IPV6, off, 40) < 0)
		return -1;
	if (end - off < 40)
		return dis_short(d, SL_F_IPV6, "IPv6 header cut short");
	if (b[0] >> 4 != 6)
		return dis_malformed(d, SL_F_IPV6, "IPv6 version is not 6");
	if (fixed(d, b, off) < 0)
		return -1;
	plen = dis_be16(b + 4);
	if (plen == 0)			/* jumbogram or offload: the frame */
		plen = wire - 40;
	if (plen > wire - 40 && d->inner)
		plen = wire - 40;
	if (plen > wire - 40)
		return dis_malformed(d, SL_F_IPV6, "IPv6 payload length "
				     "beyond the frame");
	d->family = 6;
	d->src = b + 8;
	d->dst = b + 24;
	d->wire_end = off + 40 + plen;
	if (end > off + 40 + plen)
		end = off + 40 + plen;
	nxt = b[6];
	start = off += 40;
	while (nxt == NH_HOPOPTS || nxt == NH_ROUTING ||
	       nxt == NH_FRAGMENT || nxt == NH_DSTOPTS) {
		uint32_t len = 0;
		int r = ext(d, nxt, off, end, &len, &nxt);

		if (r < 0)
			return -1;
		off += len;
		if (r == 1) {
			const uint8_t *h = d->p->data + off - 8;
			struct dis_frag f = { .family = 6, .src = b + 8,
					      .dst = b + 24,
					      .id = dis_be32(h + 4),
					      .proto = h[0],
					      .off = dis_be16(h + 2) & ~7u,
					      .more = h[3] & 1,
					      .max_end = 65535 - (off - start) };

			d->p->ip_fragment = 1;
			if ((r = dis_defrag(d, &f, off, end)) <= 0)
				return r;
			if (d->fragoff != 0) {
				dis_data(d, off, end);
				return 0;
			}
			d->first_fragment = 1;
		}
	}
	return dis_ipproto(d, nxt, off, end);
}
