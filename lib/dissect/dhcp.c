/* dhcp.c - DHCP/BOOTP (udp 67, 68): the fixed part, then the options
 * walked to their end: the message type, host name, requested address,
 * server identifier, lease time, subnet mask and router */
#include "dissect-int.h"

enum { FIXED = 236, MAGIC = 0x63825363, OPT_PAD = 0, OPT_END = 255,
       MAX_OPTIONS = 255 };

static int fixed(struct dis *d, const uint8_t *b, uint32_t off)
{
	if (dis_uint(d, SL_F_DHCP_TYPE, off, 1, b[0]) < 0 ||
	    dis_uint(d, SL_F_DHCP_HW_TYPE, off + 1, 1, b[1]) < 0 ||
	    dis_uint(d, SL_F_DHCP_ID, off + 4, 4, dis_be32(b + 4)) < 0 ||
	    dis_uint(d, SL_F_DHCP_IP_CLIENT, off + 12, 4, dis_be32(b + 12)) < 0 ||
	    dis_uint(d, SL_F_DHCP_IP_YOUR, off + 16, 4, dis_be32(b + 16)) < 0 ||
	    dis_uint(d, SL_F_DHCP_IP_SERVER, off + 20, 4, dis_be32(b + 20)) < 0)
		return -1;
	/* an Ethernet client's hardware address */
	if (b[1] == 1 && b[2] == 6)
		return dis_bytes(d, SL_F_DHCP_HW_MAC_ADDR, off + 28, 6);
	return 0;
}

/* The value of option code (len bytes at off). */
static int value(struct dis *d, unsigned code, uint32_t off, unsigned len)
{
	const uint8_t *b = d->p->data + off;
	int f;

	switch (code) {
	case 53:
		return len < 1 ? 0 : dis_uint(d, SL_F_DHCP_OPTION_DHCP, off, 1,
					      b[0]);
	case 12:
		return dis_bytes(d, SL_F_DHCP_OPTION_HOSTNAME, off, len);
	case 51:
		return len != 4 ? 0 :
		       dis_uint(d, SL_F_DHCP_OPTION_IP_ADDRESS_LEASE_TIME, off,
				4, dis_be32(b));
	case 1: f = SL_F_DHCP_OPTION_SUBNET_MASK; break;
	case 3: f = SL_F_DHCP_OPTION_ROUTER; break;
	case 50: f = SL_F_DHCP_OPTION_REQUESTED_IP_ADDRESS; break;
	case 54: f = SL_F_DHCP_OPTION_DHCP_SERVER_ID; break;
	default: return 0;
	}
	/* an address, or a router list: each address a value */
	for (unsigned i = 0; i + 4 <= len; i += 4)
		if (dis_uint(d, f, off + i, 4, dis_be32(b + i)) < 0 ||
		    f != SL_F_DHCP_OPTION_ROUTER)
			return 0;
	return 0;
}

static int options(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data;

	for (unsigned n = 0; off < end && n < MAX_OPTIONS; n++) {
		unsigned code = b[off], len;

		if (code == OPT_PAD) {
			off++;
			continue;
		}
		/* tshark shows the End option's type as 0 */
		if (dis_uint(d, SL_F_DHCP_OPTION_TYPE, off, 1,
			     code == OPT_END ? 0 : code) < 0)
			return -1;
		if (code == OPT_END)
			return 0;
		if (end - off < 2 || (len = b[off + 1]) > end - off - 2)
			return dis_malformed(d, SL_F_DHCP, "DHCP option cut short");
		if (value(d, code, off + 2, len) < 0)
			return -1;
		off += 2 + len;
	}
	return 0;
}

int dis_dhcp(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;

	if (dis_layer(d, SL_F_DHCP, off, end - off) < 0)
		return -1;
	if (end - off < FIXED)
		return dis_short(d, SL_F_DHCP, "DHCP message cut short");
	if (fixed(d, b, off) < 0)
		return -1;
	if (end - off < FIXED + 4 || dis_be32(b + FIXED) != MAGIC)
		return 0;	/* BOOTP without options */
	return options(d, off + FIXED + 4, end);
}
