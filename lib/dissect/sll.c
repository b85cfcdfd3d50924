/* sll.c - Linux cooked captures (the "any" device), versions 1 and 2 */
#include "dissect-int.h"

/* sll.etype values below 0x0600 are not EtherTypes (802.2, Novell …) */
static int payload(struct dis *d, unsigned proto, uint32_t off,
		   uint32_t end)
{
	if (proto < 0x0600) {
		dis_data(d, off, end);
		return 0;
	}
	return dis_ethertype(d, proto, off, end);
}

int dis_sll(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	unsigned proto;

	if (dis_layer(d, SL_F_SLL, off, 16) < 0)
		return -1;
	if (end - off < 16)
		return dis_short(d, SL_F_SLL, "cooked header cut short");
	proto = dis_be16(b + 14);
	if (dis_uint(d, SL_F_SLL_PKTTYPE, off, 2, dis_be16(b)) < 0 ||
	    dis_uint(d, SL_F_SLL_HATYPE, off + 2, 2, dis_be16(b + 2)) < 0 ||
	    dis_uint(d, SL_F_SLL_PROTOCOL, off + 14, 2, proto) < 0)
		return -1;
	return payload(d, proto, off + 16, end);
}

int dis_sll2(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	unsigned proto;

	if (dis_layer(d, SL_F_SLL, off, 20) < 0)
		return -1;
	if (end - off < 20)
		return dis_short(d, SL_F_SLL, "cooked v2 header cut short");
	proto = dis_be16(b);
	if (dis_uint(d, SL_F_SLL_PROTOCOL, off, 2, proto) < 0 ||
	    dis_uint(d, SL_F_SLL_IFINDEX, off + 4, 4, dis_be32(b + 4)) < 0 ||
	    dis_uint(d, SL_F_SLL_HATYPE, off + 8, 2, dis_be16(b + 8)) < 0 ||
	    dis_uint(d, SL_F_SLL_PKTTYPE, off + 10, 1, b[10]) < 0)
		return -1;
	return payload(d, proto, off + 20, end);
}
