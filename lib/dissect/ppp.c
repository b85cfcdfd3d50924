/* ppp.c - PPP (link type 9, with or without the HDLC address and control
 * bytes; the protocol field compressed to one byte when odd) and PPPoE
 * (discovery and session headers, PPP after a session's) */
#include "dissect-int.h"

enum { PPP_IP = 0x0021, PPP_IPV6 = 0x0057 };

/* PPP at off; hdlc: the address/control pair may lead (link type 9). */
int dis_ppp(struct dis *d, uint32_t off, uint32_t end, int hdlc)
{
	const uint8_t *b = d->p->data + off;
	uint32_t at = off;
	unsigned proto, plen;

	if (dis_layer(d, SL_F_PPP, off, 2) < 0)
		return -1;
	if (hdlc && end - off >= 2 && b[0] == 0xff && b[1] == 0x03) {
		if (dis_uint(d, SL_F_PPP_ADDRESS, off, 1, 0xff) < 0 ||
		    dis_uint(d, SL_F_PPP_CONTROL, off + 1, 1, 0x03) < 0)
			return -1;
		at += 2;
	}
	if (end - at < 1)
		return dis_short(d, SL_F_PPP, "PPP header cut short");
	plen = d->p->data[at] & 1 ? 1 : 2;
	if (end - at < plen)
		return dis_short(d, SL_F_PPP, "PPP protocol cut short");
	proto = plen == 1 ? d->p->data[at] : dis_be16(d->p->data + at);
	if (dis_uint(d, SL_F_PPP_PROTOCOL, at, plen, proto) < 0)
		return -1;
	at += plen;
	dis_layer_len(d, at - off);
	switch (proto) {
	case PPP_IP:
		return dis_ip4(d, at, end);
	case PPP_IPV6:
		return dis_ip6(d, at, end);
	case 0xc021: case 0xc023: case 0xc223: case 0x8021: case 0x8057:
		return 0;	/* LCP, PAP, CHAP, IPCP, IPV6CP: not dissected
				 * (tshark's own, no Data) */
	default:
		dis_data(d, at, end);
		return 0;
	}
}

int dis_pppoe(struct dis *d, uint32_t off, uint32_t end, int session)
{
	const uint8_t *b = d->p->data + off;
	int proto = session ? SL_F_PPPOES : SL_F_PPPOED;
	unsigned len;

	if (dis_layer(d, proto, off, 6) < 0)
		return -1;
	if (end - off < 6)
		return dis_short(d, proto, "PPPoE header cut short");
	len = dis_be16(b + 4);
	if (dis_uint(d, SL_F_PPPOE_VERSION, off, 1, b[0] >> 4) < 0 ||
	    dis_uint(d, SL_F_PPPOE_TYPE, off, 1, b[0] & 15) < 0 ||
	    dis_uint(d, SL_F_PPPOE_CODE, off + 1, 1, b[1]) < 0 ||
	    dis_uint(d, SL_F_PPPOE_SESSION_ID, off + 2, 2, dis_be16(b + 2)) < 0 ||
	    dis_uint(d, SL_F_PPPOE_PAYLOAD_LENGTH, off + 4, 2, len) < 0)
		return -1;
	if (len < end - off - 6)	/* Ethernet padding after it */
		end = off + 6 + len;
	if (!session)	/* the discovery tags: not dissected (tshark's
			 * pppoed.tags, no Data) */
		return 0;
	return dis_ppp(d, off + 6, end, 0);
}
