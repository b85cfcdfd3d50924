/* eth.c - Ethernet II and the EtherType dispatch */
#include "dissect-int.h"

enum { ETHERTYPE_IP = 0x0800, ETHERTYPE_ARP = 0x0806,
       ETHERTYPE_IPV6 = 0x86dd };

int dis_ethertype(struct dis *d, unsigned type, uint32_t off, uint32_t end)
{
	switch (type) {
	case ETHERTYPE_IP:
		return dis_ip4(d, off, end);
	case ETHERTYPE_IPV6:
		return dis_ip6(d, off, end);
	case ETHERTYPE_ARP:
		return dis_arp(d, off, end);
	default:
		dis_data(d, off, end);
		return 0;
	}
}

static int fields(struct dis *d, uint32_t off, unsigned type)
{
	int rc;

#define FIELDS(X, a) \
	X(a, 1, bytes, SL_F_ETH_DST, off, 6, 0) \
	X(a, 1, bytes, SL_F_ETH_ADDR, off, 6, 0) \
	X(a, 1, bytes, SL_F_ETH_SRC, off + 6, 6, 0) \
	X(a, 1, bytes, SL_F_ETH_ADDR, off + 6, 6, 0) \
	X(a, 1, u, SL_F_ETH_TYPE, off + 12, 2, type)
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
	if (type <= 1500) {	/* an 802.3 length: LLC, not dissected */
		dis_data(d, off + 14, end);
		return 0;
	}
	return dis_ethertype(d, type, off + 14, end);
}
