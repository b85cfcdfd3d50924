/* ip4.c - IPv4: header, options walked, fragments reassembled (reasm.c),
 * and the dispatch on the protocol number shared with IPv6 */
#include "dissect-int.h"

int dis_ipproto(struct dis *d, unsigned proto, uint32_t off, uint32_t end)
{
	switch (proto) {
	case 6:
		return dis_tcp(d, off, end);
	case 17:
		return dis_udp(d, off, end);
	case 1:
		return d->family == 4 ? dis_icmp(d, off, end) :
		       (dis_data(d, off, end), 0);
	case 58:
		return d->family == 6 ? dis_icmp6(d, off, end) :
		       (dis_data(d, off, end), 0);
	case 4:			/* IP in IP: the inner header's fields are
				 * second values, as tshark shows them */
		return dis_ip4(d, off, end);
	case 41:
		return dis_ip6(d, off, end);
	case 47:
		return dis_gre(d, off, end);
	case 2:			/* IGMP, ESP, AH, OSPF, PIM, VRRP, SCTP:
				 * tshark's own, not Data */
	case 50:
	case 51:
	case 89:
	case 103:
	case 112:
	case 132:
		return 0;
	default:
		dis_data(d, off, end);
		return 0;
	}
}

/* Whether the options in [off, end) are well formed: each is a type
 * byte, then (except EOL and NOP) a length byte that covers the whole
 * option.  tshark shows none of a list that is not. */
static int options_ok(const uint8_t *b, uint32_t off, uint32_t end)
{
	while (off < end) {
		unsigned type = b[off], len;

		if (type == 0)		/* end of options */
			return 1;
		if (type == 1) {	/* no-operation */
			off++;
			continue;
		}
		if (end - off < 2 || (len = b[off + 1]) < 2 || len > end - off)
			return 0;
		off += len;
	}
	return 1;
}

static int options(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data;

	if (!options_ok(b, off, end))
		return 0;
	while (off < end) {
		unsigned type = b[off];

		if (dis_uint(d, SL_F_IP_OPT_TYPE, off, 1, type) < 0)
			return -1;
		if (type == 0)
			return 0;
		off += type == 1 ? 1 : b[off + 1];
	}
	return 0;
}

/* The header's fields, each while the bytes it needs were captured
 * (have), as tshark shows a header cut short; a header length below 20
 * ends them after it, a total length below the header length after
 * that (tshark's "bogus" notes).  C(cond) is each row's condition: the
 * common whole header (ip4_whole) has them all true at compile time, so
 * that it pays no test a row. */
#define IP4_FIXED(X, a, C) \
	X(a, 1, u, SL_F_IP_VERSION, off, 1, b[0] >> 4) \
	X(a, 1, u, SL_F_IP_HDR_LEN, off, 1, hl) \
	X(a, C(ok && have >= 2), u, SL_F_IP_DSFIELD, off + 1, 1, b[1]) \
	X(a, C(ok && have >= 2), u, SL_F_IP_DSFIELD_DSCP, off + 1, 1, \
	  b[1] >> 2) \
	X(a, C(ok && have >= 2), u, SL_F_IP_DSFIELD_ECN, off + 1, 1, \
	  b[1] & 3) \
	X(a, C(ok && have >= 4), u, SL_F_IP_LEN, off + 2, 2, tot) \
	X(a, C(on && have >= 6), u, SL_F_IP_ID, off + 4, 2, dis_be16(b + 4)) \
	X(a, C(on && have >= 7), u, SL_F_IP_FLAGS, off + 6, 1, b[6] >> 5) \
	X(a, C(on && have >= 7), u, SL_F_IP_FLAGS_RB, off + 6, 1, \
	  b[6] >> 7 & 1) \
	X(a, C(on && have >= 7), u, SL_F_IP_FLAGS_DF, off + 6, 1, \
	  b[6] >> 6 & 1) \
	X(a, C(on && have >= 7), u, SL_F_IP_FLAGS_MF, off + 6, 1, \
	  b[6] >> 5 & 1) \
	X(a, C(on && have >= 8), u, SL_F_IP_FRAG_OFFSET, off + 6, 2, \
	  dis_be16(b + 6) & 0x1fff) \
	X(a, C(on && have >= 9), u, SL_F_IP_TTL, off + 8, 1, b[8]) \
	X(a, C(on && have >= 10), u, SL_F_IP_PROTO, off + 9, 1, b[9]) \
	X(a, C(on && have >= 12), u, SL_F_IP_CHECKSUM, off + 10, 2, \
	  dis_be16(b + 10))
/* (a block holds at most DIS_BLOCK_MAX rows: the addresses are another) */
#define IP4_ADDRS(X, a, C) \
	X(a, C(on && have >= 16), u, SL_F_IP_SRC, off + 12, 4, \
	  dis_be32(b + 12)) \
	X(a, C(on && have >= 16), u, SL_F_IP_ADDR, off + 12, 4, \
	  dis_be32(b + 12)) \
	X(a, C(on && have >= 20), u, SL_F_IP_DST, off + 16, 4, \
	  dis_be32(b + 16)) \
	X(a, C(on && have >= 20), u, SL_F_IP_ADDR, off + 16, 4, \
	  dis_be32(b + 16))
#define IP4_WHEN(c) (c)
#define IP4_ALWAYS(c) 1
#define IP4_SOME(X, a) IP4_FIXED(X, a, IP4_WHEN)
#define IP4_ALL(X, a) IP4_FIXED(X, a, IP4_ALWAYS)
#define IP4_SOME_ADDRS(X, a) IP4_ADDRS(X, a, IP4_WHEN)
#define IP4_ALL_ADDRS(X, a) IP4_ADDRS(X, a, IP4_ALWAYS)

static int ip4_whole(struct dis *d, const uint8_t *b, uint32_t off,
		     unsigned hl, unsigned tot)
{
	int rc;

	DIS_FILL(d, IP4_ALL, rc);
	if (rc >= 0)
		DIS_FILL(d, IP4_ALL_ADDRS, rc);
	return rc;
}

static __attribute__((noinline, cold)) int
ip4_part(struct dis *d, const uint8_t *b, uint32_t off, unsigned hl,
	 unsigned tot, uint32_t have)
{
	int ok = hl >= 20, on = ok && have >= 4 && tot >= hl;
	int rc;

	DIS_FILL(d, IP4_SOME, rc);
	if (rc >= 0)
		DIS_FILL(d, IP4_SOME_ADDRS, rc);
	return rc;
}

/* A fragment (MF or an offset) whose payload is [off, end): joins its
 * datagram (reasm.c), or, without reassembly, is Data unless it is the
 * first.  1: the caller dissects the transport; 0 done; -1 stopped.  Out
 * of line: the common path (no fragment) stays short. */
static __attribute__((noinline, cold)) int
fragment(struct dis *d, const uint8_t *b, uint32_t off, uint32_t end,
	 unsigned hl)
{
	unsigned fl = dis_be16(b + 6);
	struct dis_frag f = { .family = 4, .src = b + 12, .dst = b + 16,
			      .id = dis_be16(b + 4), .proto = b[9],
			      .off = (fl & 0x1fff) * 8u, .more = fl >> 13 & 1,
			      .max_end = 65535 - hl };
	int r;

	d->p->ip_fragment = 1;
	if ((r = dis_defrag(d, &f, off, end)) <= 0)
		return r;
	if (fl & 0x1fff) {	/* not the first: no transport header */
		dis_data(d, off, end);
		return 0;
	}
	d->first_fragment = 1;	/* as tshark without reassembly */
	return 1;
}

int dis_ip4(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	uint32_t wire = d->p->len - off;	/* len >= caplen >= end >= off */
	uint32_t have = end - off;
	unsigned hl, tot, fl;
	int rc;

	if (dis_layer(d, SL_F_IP, off, 20) < 0)
		return -1;
	if (have < 1)
		return dis_short(d, SL_F_IP, "IPv4 header cut short");
	if (b[0] >> 4 != 4)
		return dis_malformed(d, SL_F_IP, "IPv4 version is not 4");
	hl = (b[0] & 0x0f) * 4u;
	tot = have >= 4 ? dis_be16(b + 2) : 0;
	if (have >= 4 && tot == 0)	/* segmentation offload: the frame, */
		tot = wire;		/* shown as tshark computes it */
	if (have >= 20 && hl >= 20 && tot >= hl) {
		if (ip4_whole(d, b, off, hl, tot) < 0)
			return -1;
	} else {
		if (ip4_part(d, b, off, hl, tot, have) < 0)
			return -1;
		/* a header length below 20 or a total length below it:
		 * tshark shows what it has and stops, with a note, not a
		 * malformed mark */
		if (hl < 20 || (have >= 4 && tot < hl))
			return -1;
		return dis_short(d, SL_F_IP, "IPv4 header cut short");
	}
	dis_layer_len(d, hl);
	if (hl > have)
		return dis_short(d, SL_F_IP, "IPv4 options cut short");
	/* a total length past the frame: the bytes there are dissected */
	if (tot > wire)
		tot = wire;
	if (hl > 20 && options(d, off + 20, off + hl) < 0)
		return -1;
	d->family = 4;
	d->src = b + 12;
	d->dst = b + 16;
	d->wire_end = off + tot;
	if (end > off + tot)		/* Ethernet padding after the datagram */
		end = off + tot;
	fl = dis_be16(b + 6);
	if (fl & 0x3fff && (rc = fragment(d, b, off + hl, end, hl)) <= 0)
		return rc;		/* MF or an offset: a fragment */
	return dis_ipproto(d, b[9], off + hl, end);
}
