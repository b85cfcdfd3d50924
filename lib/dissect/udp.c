/* udp.c - UDP: ports, length, checksum and payload */
#include "dissect-int.h"

static int fields(struct dis *d, const uint8_t *b, uint32_t off,
		  uint32_t have)
{
	unsigned sport = dis_be16(b), dport = dis_be16(b + 2);
	uint32_t stream = 0;
	/* numbered once the length is checked, in an ICMP error's quote
	 * too (as tshark) */
	int rc, numbered = have >= 8 && dis_be16(b + 4) >= 8 &&
			   d->udp_streams &&
			   sl_fieldset_has(d->keep, SL_F_UDP_STREAM) &&
			   dis_udp_stream(d, sport, dport, &stream) == 0;

	/* a header the capture cut keeps what it holds (4 bytes: the ports;
	 * 6: the length), as tshark shows it */
#define FIELDS(X, a) \
	X(a, 1, u, SL_F_UDP_SRCPORT, off, 2, sport) \
	X(a, 1, u, SL_F_UDP_DSTPORT, off + 2, 2, dport) \
	X(a, 1, u, SL_F_UDP_PORT, off, 2, sport) \
	X(a, 1, u, SL_F_UDP_PORT, off + 2, 2, dport) \
	X(a, have >= 6, u, SL_F_UDP_LENGTH, off + 4, 2, dis_be16(b + 4)) \
	X(a, have >= 8, u, SL_F_UDP_CHECKSUM, off + 6, 2, dis_be16(b + 6)) \
	X(a, numbered, u, SL_F_UDP_STREAM, 0, 0, stream)
	DIS_FILL(d, FIELDS, rc);
#undef FIELDS
	return rc;
}

int dis_udp(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	uint32_t have = end - off, datagram;
	unsigned ulen;
	int rc;

	if (have == 0)		/* nothing of it: no layer, as tshark */
		return dis_short(d, SL_F_UDP, "UDP header missing");
	if (dis_layer(d, SL_F_UDP, off, 8) < 0)
		return -1;
	if (have < 4)
		return dis_short(d, SL_F_UDP, "UDP header cut short");
	if (fields(d, b, off, have) < 0)
		return -1;
	if (have < 8)
		return dis_short(d, SL_F_UDP, "UDP header cut short");
	ulen = dis_be16(b + 4);
	if (ulen < 8)
		return dis_malformed(d, SL_F_UDP, "bad UDP length");
	datagram = d->wire_end - off;
	if (end > off + ulen)
		end = off + ulen;
	/* a length past the IP datagram: what is there is dissected, then
	 * the mark (tshark's "bad UDP length") */
	rc = dis_udp_payload(d, dis_be16(b), dis_be16(b + 2), off + 8, end);
	if (ulen > datagram && !d->first_fragment && !d->inner && rc == 0)
		return dis_malformed(d, SL_F_UDP, "bad UDP length");
	return rc;
}
