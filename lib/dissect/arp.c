/* arp.c - ARP and RARP: the fixed part, then the addresses by their
 * types, as tshark decides (Ethernet or IEEE 802 hardware of 6 bytes as
 * MAC addresses, IPv4 of 4 bytes as addresses, anything else as bytes),
 * and tshark's announcement and probe marks */
#include <string.h>

#include "dissect-int.h"

enum { HW_ETHER = 1, HW_IEEE802 = 6, PRO_IP = 0x0800, PRO_AX25_IP = 0xcc,
       OP_REQUEST = 1, OP_REPLY = 2 };

/* One hardware and one protocol address at off; 0 or -1. */
static int addresses(struct dis *d, uint32_t off, unsigned hlen,
		     unsigned plen, int ether, int ipv4, int src)
{
	const uint8_t *b = d->p->data;

	if (hlen && dis_bytes(d, ether ? (src ? SL_F_ARP_SRC_HW_MAC :
					  SL_F_ARP_DST_HW_MAC) :
			      src ? SL_F_ARP_SRC_HW : SL_F_ARP_DST_HW, off,
			      hlen) < 0)
		return -1;
	off += hlen;
	if (!plen)
		return 0;
	if (ipv4)
		return dis_uint(d, src ? SL_F_ARP_SRC_PROTO_IPV4 :
				SL_F_ARP_DST_PROTO_IPV4, off, 4,
				dis_be32(b + off));
	return dis_bytes(d, src ? SL_F_ARP_SRC_PROTO : SL_F_ARP_DST_PROTO, off,
			 plen);
}

/* tshark's marks on a request or reply of IPv4 addresses: gratuitous
 * (sender and target address the same), probe (a request from 0.0.0.0
 * that knows no target hardware address). */
static int marks(struct dis *d, const uint8_t *b, unsigned op,
		 unsigned hlen)
{
	static const uint8_t zero[255];
	const uint8_t *spa = b + 8 + hlen, *tha = spa + 4, *tpa = tha + hlen;

	if (op != OP_REQUEST && op != OP_REPLY)
		return 0;
	if (!memcmp(spa, tpa, 4))
		return dis_uint(d, SL_F_ARP_ISGRATUITOUS, 0, 0, 1);
	if (op == OP_REQUEST && !memcmp(spa, zero, 4) &&
	    !memcmp(tha, zero, hlen))
		return dis_uint(d, SL_F_ARP_ISPROBE, 0, 0, 1);
	return 0;
}

int dis_arp(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	unsigned hw, pro, hlen, plen, op;
	uint32_t need;
	int ether, ipv4;

	if (dis_layer(d, SL_F_ARP, off, 8) < 0)
		return -1;
	if (end - off < 8)
		return dis_short(d, SL_F_ARP, "ARP header cut short");
	hw = dis_be16(b);
	pro = dis_be16(b + 2);
	hlen = b[4];
	plen = b[5];
	op = dis_be16(b + 6);
	need = 8 + 2 * (hlen + plen);
	if (dis_uint(d, SL_F_ARP_HW_TYPE, off, 2, hw) < 0 ||
	    dis_uint(d, SL_F_ARP_PROTO_TYPE, off + 2, 2, pro) < 0 ||
	    dis_uint(d, SL_F_ARP_HW_SIZE, off + 4, 1, hlen) < 0 ||
	    dis_uint(d, SL_F_ARP_PROTO_SIZE, off + 5, 1, plen) < 0 ||
	    dis_uint(d, SL_F_ARP_OPCODE, off + 6, 2, op) < 0)
		return -1;
	dis_layer_len(d, need);
	if (end - off < need)
		return dis_short(d, SL_F_ARP, "ARP addresses cut short");
	ether = (hw == HW_ETHER || hw == HW_IEEE802) && hlen == 6;
	ipv4 = (pro == PRO_IP || pro == PRO_AX25_IP) && plen == 4;
	if (addresses(d, off + 8, hlen, plen, ether, ipv4, 1) < 0 ||
	    addresses(d, off + 8 + hlen + plen, hlen, plen, ether, ipv4,
		      0) < 0)
		return -1;
	return ipv4 ? marks(d, b, op, hlen) : 0;
}
