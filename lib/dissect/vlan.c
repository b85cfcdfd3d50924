/* vlan.c - 802.1Q tags (0x8100, and 0x9100 as tshark takes it) and the
 * 802.1ad service tag (0x88a8): priority, DEI and ID, then the EtherType
 * behind the tag (or an 802.3 length: LLC follows) */
#include "dissect-int.h"

int dis_vlan(struct dis *d, uint32_t off, uint32_t end, int ad)
{
	const uint8_t *b = d->p->data + off;
	int proto = ad ? SL_F_IEEE8021AD : SL_F_VLAN;
	unsigned tci, type;

	if (end - off < 2)	/* not even the tag's first field */
		return dis_short(d, proto, "VLAN tag cut short");
	if (dis_layer(d, proto, off, 4) < 0)
		return -1;
	tci = dis_be16(b);
	if (dis_uint(d, ad ? SL_F_IEEE8021AD_PRIORITY : SL_F_VLAN_PRIORITY,
		     off, 2, tci >> 13) < 0 ||
	    dis_uint(d, ad ? SL_F_IEEE8021AD_DEI : SL_F_VLAN_DEI, off, 2,
		     tci >> 12 & 1) < 0 ||
	    dis_uint(d, ad ? SL_F_IEEE8021AD_ID : SL_F_VLAN_ID, off, 2,
		     tci & 0xfff) < 0)
		return -1;
	if (end - off < 4)
		return dis_short(d, proto, "VLAN tag cut short");
	type = dis_be16(b + 2);
	if (!ad && dis_uint(d, type <= 1500 ? SL_F_VLAN_LEN : SL_F_VLAN_ETYPE,
			    off + 2, 2, type) < 0)
		return -1;
	if (type <= 1500)
		return dis_length(d, type, off + 2, end);
	return dis_ethertype(d, type, off + 4, end);
}
