/* arp.c - ARP (Ethernet/IPv4 addresses dissected, others as data) */
#include "dissect-int.h"

int dis_arp(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	unsigned hlen, plen;
	uint32_t need;

	if (dis_layer(d, SL_F_ARP, off, 8) < 0)
		return -1;
	if (end - off < 8)
		return dis_short(d, SL_F_ARP, "ARP header cut short");
	hlen = b[4];
	plen = b[5];
	need = 8 + 2 * (hlen + plen);
	if (dis_uint(d, SL_F_ARP_HW_TYPE, off, 2, dis_be16(b)) < 0 ||
	    dis_uint(d, SL_F_ARP_PROTO_TYPE, off + 2, 2, dis_be16(b + 2)) < 0 ||
	    dis_uint(d, SL_F_ARP_OPCODE, off + 6, 2, dis_be16(b + 6)) < 0)
		return -1;
	dis_layer_len(d, need);
	if (end - off < need)
		return dis_short(d, SL_F_ARP, "ARP addresses cut short");
	if (hlen != 6 || plen != 4)
		return 0;
	if (dis_bytes(d, SL_F_ARP_SRC_HW_MAC, off + 8, 6) < 0 ||
	    dis_uint(d, SL_F_ARP_SRC_PROTO_IPV4, off + 14, 4,
		     dis_be32(b + 14)) < 0 ||
	    dis_bytes(d, SL_F_ARP_DST_HW_MAC, off + 18, 6) < 0 ||
	    dis_uint(d, SL_F_ARP_DST_PROTO_IPV4, off + 24, 4,
		     dis_be32(b + 24)) < 0)
		return -1;
	return 0;
}
