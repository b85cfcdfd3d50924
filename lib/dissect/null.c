/* null.c - BSD loopback headers: NULL (host order family, as macOS and
 * FreeBSD write it) and LOOP (network order, OpenBSD) */
#include "dissect-int.h"

int dis_null(struct dis *d, uint32_t off, uint32_t end, int big_endian)
{
	const uint8_t *b = d->p->data + off;
	uint32_t fam;

	if (dis_layer(d, SL_F_NULL, off, 4) < 0)
		return -1;
	if (end - off < 4)
		return dis_short(d, SL_F_NULL, "loopback header cut short");
	fam = dis_be32(b);
	/* NULL is in the writer's byte order: a family is a small number,
	 * so a value with high bits set was written little-endian */
	if (!big_endian && (fam & 0xffff0000u))
		fam = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 |
		      (uint32_t)b[1] << 8 | b[0];
	if (dis_uint(d, SL_F_NULL_FAMILY, off, 4, fam) < 0)
		return -1;
	switch (fam) {
	case 2:				/* AF_INET everywhere */
		return dis_ip4(d, off + 4, end);
	case 10: case 24: case 28: case 30:	/* AF_INET6: Linux, BSDs, Darwin */
		return dis_ip6(d, off + 4, end);
	default:
		dis_data(d, off + 4, end);
		return 0;
	}
}
