/* llc.c - 802.2 LLC after an 802.3 length: the SAPs and the control
 * field, then SNAP (OUI and protocol; an OUI of 0 carries an EtherType),
 * or IPv4 on SAP 0x06 */
#include "dissect-int.h"

enum { SAP_SNAP = 0xaa, SAP_IP = 0x06, SAP_STP = 0x42, SAP_IPX = 0xe0,
       SAP_NETBIOS = 0xf0, OUI_CISCO = 0x00000c };

/* SNAP after the LLC header at off (5 bytes: OUI, protocol). */
static int snap(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	uint32_t oui;
	unsigned pid;

	if (end - off < 3)
		return dis_short(d, SL_F_LLC, "SNAP header cut short");
	oui = (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2];
	if (dis_uint(d, SL_F_LLC_OUI, off, 3, oui) < 0)
		return -1;
	if (end - off < 5)
		return dis_short(d, SL_F_LLC, "SNAP header cut short");
	pid = dis_be16(b + 3);
	dis_layer_len(d, 8);
	if (oui == 0)		/* an EtherType (tshark's llc.type) */
		return dis_ethertype(d, pid, off + 5, end);
	/* tshark shows Cisco's PIDs as fields of their own (llc.cisco_pid) */
	if (oui != OUI_CISCO && dis_uint(d, SL_F_LLC_PID, off + 3, 2, pid) < 0)
		return -1;
	dis_data(d, off + 5, end);
	return 0;
}

int dis_llc(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	unsigned ctrl, clen;

	if (dis_layer(d, SL_F_LLC, off, 3) < 0)
		return -1;
	if (end - off < 3)
		return dis_short(d, SL_F_LLC, "LLC header cut short");
	/* a U frame has one byte of control, I and S frames two (the
	 * second first, as tshark reads them) */
	clen = (b[2] & 3) == 3 ? 1 : 2;
	if (end - off < 2 + clen)
		return dis_short(d, SL_F_LLC, "LLC control cut short");
	ctrl = clen == 1 ? b[2] : (unsigned)b[3] << 8 | b[2];
	if (dis_uint(d, SL_F_LLC_DSAP, off, 1, b[0]) < 0 ||
	    dis_uint(d, SL_F_LLC_SSAP, off + 1, 1, b[1]) < 0 ||
	    dis_uint(d, SL_F_LLC_CONTROL, off + 2, clen, ctrl) < 0)
		return -1;
	dis_layer_len(d, 2 + clen);
	if (b[0] == SAP_SNAP && b[1] == SAP_SNAP && ctrl == 3)
		return snap(d, off + 3, end);
	if (b[0] == SAP_IP && b[1] == SAP_IP)
		return dis_ip4(d, off + 2 + clen, end);
	/* spanning tree, IPX, NetBIOS: not dissected (tshark's own, no
	 * Data) */
	if (b[0] != SAP_STP && b[0] != SAP_IPX && b[0] != SAP_NETBIOS)
		dis_data(d, off + 2 + clen, end);
	return 0;
}
