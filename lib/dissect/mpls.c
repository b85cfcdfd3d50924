/* mpls.c - an MPLS label stack, one layer per label (label, traffic
 * class, bottom of stack, TTL), then what the bottom one carries: IPv4 or
 * IPv6 by the explicit-null labels or the first nibble, as tshark guesses */
#include "dissect-int.h"

enum { LABEL_V4_NULL = 0, LABEL_V6_NULL = 2 };

/* After the bottom label: the payload's protocol. */
static int payload(struct dis *d, uint32_t label, uint32_t off, uint32_t end)
{
	unsigned nibble = end > off ? d->p->data[off] >> 4 : 0;

	if (label == LABEL_V4_NULL || (label != LABEL_V6_NULL && nibble == 4))
		return dis_ip4(d, off, end);
	if (label == LABEL_V6_NULL || nibble == 6)
		return dis_ip6(d, off, end);
	dis_data(d, off, end);
	return 0;
}

int dis_mpls(struct dis *d, uint32_t off, uint32_t end)
{
	for (unsigned depth = 0;; depth++) {
		const uint8_t *b = d->p->data + off;
		uint32_t w;

		if (end - off < 4 || depth == SL_PKT_MAX_LAYERS)
			return dis_short(d, SL_F_MPLS, "MPLS label stack cut "
					 "short");
		w = dis_be32(b);
		if (dis_layer(d, SL_F_MPLS, off, 4) < 0 ||
		    dis_uint(d, SL_F_MPLS_LABEL, off, 4, w >> 12) < 0 ||
		    dis_uint(d, SL_F_MPLS_EXP, off, 4, w >> 9 & 7) < 0 ||
		    dis_uint(d, SL_F_MPLS_BOTTOM, off, 4, w >> 8 & 1) < 0 ||
		    dis_uint(d, SL_F_MPLS_TTL, off, 4, w & 0xff) < 0)
			return -1;
		off += 4;
		if (w & 0x100)
			return payload(d, w >> 12, off, end);
	}
}
