/* fuzz-analysis.c - TCP's sequence analysis across packets: the input is
 * a sequence of raw IP packets, each [2-byte big-endian length][2-byte
 * signed time step in ms, 0x8000 a jump to the far end of time][bytes],
 * dissected in turn through one stream table
 * with every field (so every flag, the unacknowledged ring, its fold and
 * the SACK arithmetic see fuzzed state), each printed as summary, tree
 * and JSON.  A length past the input takes what is left. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/dissect.h"
#include "socklab/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sl_packet p;
	struct sl_frame_seq seq = { .linktype = SL_LINK_RAW };
	struct sl_stream_table *t = NULL;
	struct sl_buf b = SL_BUF_INIT;
	char line[SL_SUMMARY_MAX];
	int64_t ts = 0;

	if (size > 1 << 20 || sl_stream_table_new(&t, NULL) < 0)
		return 0;
	for (size_t at = 0; at + 4 <= size;) {
		size_t n = (size_t)data[at] << 8 | data[at + 1];
		uint8_t *pkt;

		int16_t step = (int16_t)(data[at + 2] << 8 | data[at + 3]);

		/* time stamps from a file can be anything, backwards too */
		if (step == INT16_MIN)
			ts = ts > 0 ? INT64_MIN : INT64_MAX;
		else if (__builtin_add_overflow(ts, (int64_t)step * 1000000, &ts))
			ts = step > 0 ? INT64_MAX : INT64_MIN;
		at += 4;
		if (n > size - at)
			n = size - at;
		/* an exact-size copy: a read past the packet is caught */
		pkt = malloc(n ? n : 1);
		if (!pkt)
			break;
		memcpy(pkt, data + at, n);
		sl_packet_frame(&p, &seq, ts, pkt, (uint32_t)n, (uint32_t)n);
		sl_dissect_fields(&p, t, NULL);
		sl_render_summary(line, &p, 9);
		sl_render_tree(&b, &p, 9);
		sl_render_json(&b, &p);
		sl_buf_reset(&b);
		free(pkt);
		at += n;
	}
	sl_buf_release(&b);
	sl_stream_table_free(t);
	return 0;
}
