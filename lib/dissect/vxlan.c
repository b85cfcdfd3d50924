/* vxlan.c - the UDP tunnels of an Ethernet frame: VXLAN (udp 4789: flags,
 * VNI) and Geneve (udp 6081: version, options skipped, the protocol it
 * carries, VNI) */
#include "dissect-int.h"

enum { PROTO_TEB = 0x6558 };

int dis_vxlan(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;

	if (dis_layer(d, SL_F_VXLAN, off, 8) < 0)
		return -1;
	if (end - off < 8)
		return dis_short(d, SL_F_VXLAN, "VXLAN header cut short");
	if (dis_uint(d, SL_F_VXLAN_FLAGS, off, 2, dis_be16(b)) < 0 ||
	    dis_uint(d, SL_F_VXLAN_VNI, off + 4, 3,
		     dis_be32(b + 4) >> 8) < 0)
		return -1;
	return dis_eth(d, off + 8, end);
}

int dis_geneve(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	unsigned proto;
	uint32_t hl;

	if (dis_layer(d, SL_F_GENEVE, off, 8) < 0)
		return -1;
	if (end - off < 8)
		return dis_short(d, SL_F_GENEVE, "Geneve header cut short");
	proto = dis_be16(b + 2);
	hl = 8 + (b[0] & 0x3f) * 4u;
	if (dis_uint(d, SL_F_GENEVE_VERSION, off, 1, b[0] >> 6) < 0 ||
	    dis_uint(d, SL_F_GENEVE_PROTO_TYPE, off + 2, 2, proto) < 0 ||
	    dis_uint(d, SL_F_GENEVE_VNI, off + 4, 3,
		     dis_be32(b + 4) >> 8) < 0)
		return -1;
	dis_layer_len(d, hl);
	if (end - off < hl)
		return dis_short(d, SL_F_GENEVE, "Geneve options cut short");
	if (proto == PROTO_TEB)
		return dis_eth(d, off + hl, end);
	return dis_ethertype(d, proto, off + hl, end);
}
