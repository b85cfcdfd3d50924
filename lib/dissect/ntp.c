/* ntp.c - NTP (udp 123): leap indicator, version and mode, stratum, poll
 * interval, precision and the reference ID */
#include "dissect-int.h"

int dis_ntp(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;

	if (dis_layer(d, SL_F_NTP, off, 48) < 0)
		return -1;
	if (end - off < 16)
		return dis_short(d, SL_F_NTP, "NTP message cut short");
	if (dis_uint(d, SL_F_NTP_FLAGS_LI, off, 1, b[0] >> 6) < 0 ||
	    dis_uint(d, SL_F_NTP_FLAGS_VN, off, 1, b[0] >> 3 & 7) < 0 ||
	    dis_uint(d, SL_F_NTP_FLAGS_MODE, off, 1, b[0] & 7) < 0 ||
	    dis_uint(d, SL_F_NTP_STRATUM, off + 1, 1, b[1]) < 0 ||
	    dis_uint(d, SL_F_NTP_PPOLL, off + 2, 1, b[2]) < 0 ||
	    dis_uint(d, SL_F_NTP_PRECISION, off + 3, 1, b[3]) < 0)
		return -1;
	return dis_bytes(d, SL_F_NTP_REFID, off + 12, 4);
}
