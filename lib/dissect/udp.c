/* udp.c - UDP: ports, length, checksum and payload */
#include "dissect-int.h"

static int fields(struct dis *d, const uint8_t *b, uint32_t off)
{
	unsigned sport = dis_be16(b), dport = dis_be16(b + 2);
	int rc;

#define FIELDS(X, a) \
	X(a, 1, u, SL_F_UDP_SRCPORT, off, 2, sport) \
	X(a, 1, u, SL_F_UDP_DSTPORT, off + 2, 2, dport) \
	X(a, 1, u, SL_F_UDP_PORT, off, 2, sport) \
	X(a, 1, u, SL_F_UDP_PORT, off + 2, 2, dport) \
	X(a, 1, u, SL_F_UDP_LENGTH, off + 4, 2, dis_be16(b + 4)) \
	X(a, 1, u, SL_F_UDP_CHECKSUM, off + 6, 2, dis_be16(b + 6))
	DIS_FILL(d, FIELDS, rc);
#undef FIELDS
	return rc;
}

int dis_udp(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	unsigned ulen;

	if (dis_layer(d, SL_F_UDP, off, 8) < 0)
		return -1;
	if (end - off < 8)
		return dis_short(d, SL_F_UDP, "UDP header cut short");
	ulen = dis_be16(b + 4);
	if (fields(d, b, off) < 0)
		return -1;
	if (ulen < 8 || (ulen > d->wire_end - off && !d->first_fragment && !d->inner))
		return dis_malformed(d, SL_F_UDP, "bad UDP length");
	if (end > off + ulen)
		end = off + ulen;
	if (end > off + 8)
		return dis_bytes(d, SL_F_UDP_PAYLOAD, off + 8, end - off - 8);
	return 0;
}
