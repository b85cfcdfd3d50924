/* eth.c - Ethernet II and 802.3 (a length instead of a type: LLC
 * follows), and the EtherType dispatch */
#include "dissect-int.h"

enum { ETHERTYPE_IP = 0x0800, ETHERTYPE_ARP = 0x0806,
       ETHERTYPE_RARP = 0x8035, ETHERTYPE_VLAN = 0x8100,
       ETHERTYPE_QINQ = 0x88a8, ETHERTYPE_QINQ_OLD = 0x9100,
       ETHERTYPE_IPV6 = 0x86dd, ETHERTYPE_MPLS = 0x8847,
       ETHERTYPE_MPLS_MC = 0x8848, ETHERTYPE_PPPOED = 0x8863,
       ETHERTYPE_PPPOES = 0x8864 };

int dis_ethertype(struct dis *d, unsigned type, uint32_t off, uint32_t end)
{
	switch (type) {
	case ETHERTYPE_IP:
		return dis_ip4(d, off, end);
	case ETHERTYPE_IPV6:
		return dis_ip6(d, off, end);
	case ETHERTYPE_ARP:
	case ETHERTYPE_RARP:
		return dis_arp(d, off, end);
	case ETHERTYPE_VLAN:
	case ETHERTYPE_QINQ_OLD:
		return dis_vlan(d, off, end, 0);
	case ETHERTYPE_QINQ:
		return dis_vlan(d, off, end, 1);
	case ETHERTYPE_MPLS:
	case ETHERTYPE_MPLS_MC:
		return dis_mpls(d, off, end);
	case ETHERTYPE_PPPOED:
	case ETHERTYPE_PPPOES:
		return dis_pppoe(d, off, end, type == ETHERTYPE_PPPOES);
	case 0x9000:		/* loopback (CTP), LLDP, slow protocols,
				 * EAPOL, PTP: tshark's own, no Data */
	case 0x88cc:
	case 0x8809:
	case 0x888e:
	case 0x88f7:
		return 0;
	default:
		dis_data(d, off, end);
		return 0;
	}
}

/* An 802.3 length at off (2 bytes) and the LLC frame after it, bounded
 * by it (the padding after a short one left out).  A length past the
 * captured bytes leaves what is there to the LLC dissector, unmarked
 * (tshark's expert note, not a malformed packet). */
int dis_length(struct dis *d, unsigned len, uint32_t off,
	       uint32_t end)
{
	if (len < end - off - 2)	/* padding after the frame */
		end = off + 2 + len;
	return dis_llc(d, off + 2, end);
}

static int fields(struct dis *d, uint32_t off, unsigned type)
{
	int rc;

#define FIELDS(X, a) \
	X(a, 1, bytes, SL_F_ETH_DST, off, 6, 0) \
	X(a, 1, bytes, SL_F_ETH_ADDR, off, 6, 0) \
	X(a, 1, bytes, SL_F_ETH_SRC, off + 6, 6, 0) \
	X(a, 1, bytes, SL_F_ETH_ADDR, off + 6, 6, 0) \
	X(a, type > 1500, u, SL_F_ETH_TYPE, off + 12, 2, type) \
	X(a, type <= 1500, u, SL_F_ETH_LEN, off + 12, 2, type)
	DIS_FILL(d, FIELDS, rc);
#undef FIELDS
	return rc;
}

int dis_eth(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	unsigned type;

	if (dis_layer(d, SL_F_ETH, off, 14) < 0)
		return -1;
	if (end - off < 14)
		return dis_short(d, SL_F_ETH, "Ethernet header cut short");
	type = dis_be16(b + 12);
	if (fields(d, off, type) < 0)
		return -1;
	if (type <= 1500)	/* an 802.3 length: LLC follows */
		return dis_length(d, type, off + 12, end);
	return dis_ethertype(d, type, off + 14, end);
}
