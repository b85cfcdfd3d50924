/* icmp.c - ICMP and ICMPv6: type, code, checksum, and echo id/sequence */
#include "dissect-int.h"

static int common(struct dis *d, int proto, uint32_t off, uint32_t end,
		  const int f[3])
{
	const uint8_t *b = d->p->data + off;

	if (dis_layer(d, proto, off, 4) < 0)
		return -1;
	if (end - off < 4)
		return dis_short(d, proto, "ICMP header cut short");
	return dis_uint(d, f[0], off, 1, b[0]) < 0 ||
	       dis_uint(d, f[1], off + 1, 1, b[1]) < 0 ||
	       dis_uint(d, f[2], off + 2, 2, dis_be16(b + 2)) < 0 ? -1 : 0;
}

/* Whether an echo's data starts with a time stamp ping(8) put there, as
 * tshark guesses: seconds and microseconds, either byte order, within a
 * day of the frame's own time. */
static int ping_time(const struct dis *d, const uint8_t *b, uint32_t n)
{
	int64_t now = d->p->ts_ns / 1000000000;

	if (n < 8)
		return 0;
	for (int le = 0; le < 2; le++) {
		uint32_t sec = le ? (uint32_t)b[3] << 24 | b[2] << 16 |
				    b[1] << 8 | b[0] : dis_be32(b);
		uint32_t usec = le ? (uint32_t)b[7] << 24 | b[6] << 16 |
				     b[5] << 8 | b[4] : dis_be32(b + 4);

		if (usec < 1000000 && (int64_t)sec > now - 86400 &&
		    (int64_t)sec < now + 86400)
			return 1;
	}
	return 0;
}

/* echo request/reply: identifier and sequence number */
static int echo(struct dis *d, int proto, uint32_t off, uint32_t end,
		int fid, int fseq)
{
	const uint8_t *b = d->p->data + off;

	dis_layer_len(d, 8);
	if (end - off < 8)
		return dis_short(d, proto, "ICMP echo header cut short");
	if (dis_uint(d, fid, off + 4, 2, dis_be16(b + 4)) < 0 ||
	    dis_uint(d, fseq, off + 6, 2, dis_be16(b + 6)) < 0)
		return -1;
	if (proto == SL_F_ICMP && ping_time(d, b + 8, end - off - 8))
		off += 8;	/* tshark's "Timestamp from icmp data" */
	dis_data(d, off + 8, end);
	return 0;
}

/* An error message quotes the packet that caused it: dissect that (as
 * tshark does), without touching the TCP conversations. */
static int quoted(struct dis *d, uint32_t off, uint32_t end, int v6)
{
	struct dis inner = *d;
	int rc;

	dis_layer_len(d, 8);
	if (end - off <= 8)
		return 0;
	inner.inner = 1;
	inner.streams = NULL;
	rc = v6 ? dis_ip6(&inner, off + 8, end) : dis_ip4(&inner, off + 8, end);
	d->nv = inner.nv;	/* the table is shared */
	d->w = inner.w;
	d->l = inner.l;
	return rc;
}

int dis_icmp(struct dis *d, uint32_t off, uint32_t end)
{
	static const int f[3] = { SL_F_ICMP_TYPE, SL_F_ICMP_CODE,
				  SL_F_ICMP_CHECKSUM };
	unsigned type;

	if (common(d, SL_F_ICMP, off, end, f) < 0)
		return -1;
	type = d->p->data[off];
	if (type == 0 || type == 8)
		return echo(d, SL_F_ICMP, off, end, SL_F_ICMP_IDENT,
			    SL_F_ICMP_SEQ);
	if (type == 3 || type == 4 || type == 5 || type == 11 || type == 12)
		return quoted(d, off, end, 0);
	return 0;
}

int dis_icmp6(struct dis *d, uint32_t off, uint32_t end)
{
	static const int f[3] = { SL_F_ICMPV6_TYPE, SL_F_ICMPV6_CODE,
				  SL_F_ICMPV6_CHECKSUM };
	unsigned type;

	if (common(d, SL_F_ICMPV6, off, end, f) < 0)
		return -1;
	type = d->p->data[off];
	if (type == 128 || type == 129)
		return echo(d, SL_F_ICMPV6, off, end, SL_F_ICMPV6_ECHO_ID,
			    SL_F_ICMPV6_ECHO_SEQ);
	if (type >= 1 && type <= 4)
		return quoted(d, off, end, 1);
	if (type == 135 && end - off >= 24)	/* neighbor solicitation */
		return dis_bytes(d, SL_F_ICMPV6_ND_NS_TARGET, off + 8, 16);
	return 0;
}
