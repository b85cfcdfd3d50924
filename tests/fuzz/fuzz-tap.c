/* fuzz-tap.c - every report over arbitrary packets: the input is a
 * sequence of Ethernet frames, each [2-byte big-endian length][2-byte
 * time step in ms][bytes], dissected in turn through one stream table
 * with the fields the reports ask for, fed to every tap (conversations
 * and endpoints of each layer, following every TCP and UDP stream in
 * ascii, hex and JSON, the expert), whose reports then hold no control
 * character but the line break and tab: nothing the network sent reaches
 * a terminal.  A length past the input takes what is left. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/dissect.h"
#include "socklab/tap.h"

#define NTAPS 20

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sl_packet p;
	struct sl_frame_seq seq = { .linktype = SL_LINK_ETHERNET };
	struct sl_stream_table *t = NULL;
	struct sl_tap *tap[NTAPS];
	struct sl_tap_opts o[NTAPS];
	struct sl_fieldset want;
	struct sl_buf b = SL_BUF_INIT;
	int n = 0;
	int64_t ts = 1000000000;

	if (size > 1 << 18 || sl_stream_table_new(&t, NULL) < 0)
		return 0;
	memset(o, 0, sizeof(o));
	memset(&want, 0, sizeof(want));
	for (int l = SL_TAP_TCP; l <= SL_TAP_ETH; l++) {
		o[n].kind = SL_TAP_CONV, o[n].layer = l, o[n++].json = l & 1;
		o[n].kind = SL_TAP_ENDPOINTS, o[n].layer = l, o[n++].json = l == 2;
	}
	for (int l = SL_TAP_TCP; l <= SL_TAP_UDP; l++) {
		o[n].kind = SL_TAP_FOLLOW, o[n].layer = l, o[n++].stream = -1;
		o[n].kind = SL_TAP_FOLLOW, o[n].layer = l, o[n].hex = 1,
			o[n++].stream = -1;
		o[n].kind = SL_TAP_FOLLOW, o[n].layer = l, o[n].json = 1,
			o[n++].stream = 0;
	}
	o[n++].kind = SL_TAP_EXPERT;
	o[n].kind = SL_TAP_EXPERT, o[n++].json = 1;
	for (int i = 0; i < n; i++) {
		if (sl_tap_new(&tap[i], &o[i], NULL) < 0) {
			while (i--)
				sl_tap_free(tap[i]);
			sl_stream_table_free(t);
			return 0;
		}
		sl_tap_fields(tap[i], &want);
	}
	for (size_t at = 0; at + 4 <= size;) {
		size_t len = (size_t)data[at] << 8 | data[at + 1];
		uint8_t *pkt;

		ts += (int64_t)(int16_t)(data[at + 2] << 8 | data[at + 3]) * 1000000;
		at += 4;
		if (len > size - at)
			len = size - at;
		/* an exact-size copy: a read past the packet is caught, and a
		 * tap keeping a pointer into it is caught after the free */
		if (!(pkt = malloc(len ? len : 1)))
			break;
		memcpy(pkt, data + at, len);
		sl_packet_frame(&p, &seq, ts, pkt, (uint32_t)len, (uint32_t)len);
		sl_dissect_fields(&p, t, &want);
		for (int i = 0; i < n; i++)
			sl_tap_packet(tap[i], &p);
		free(pkt);
		at += len;
	}
	for (int i = 0; i < n; i++) {
		sl_buf_reset(&b);
		if (sl_tap_report(tap[i], &b, NULL, NULL) == 0)
			for (size_t k = 0; k < b.len; k++) {
				unsigned char c = (unsigned char)b.data[k];

				assert(c >= 0x20 || c == '\n' || c == '\t');
				assert(c != 0x7f);
			}
		sl_tap_free(tap[i]);
	}
	sl_buf_release(&b);
	sl_stream_table_free(t);
	return 0;
}
