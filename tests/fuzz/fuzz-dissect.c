/* fuzz-dissect.c - the dissector and every printer on raw bytes; the first
 * byte picks the link type, the rest is the frame, then the same bytes cut
 * at each 0xfe 0xfe into packets dissected in turn (IP reassembly) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/dissect.h"
#include "socklab/render.h"

static const int links[] = {
	SL_LINK_ETHERNET, SL_LINK_SLL, SL_LINK_SLL2, SL_LINK_NULL,
	SL_LINK_LOOP, SL_LINK_RAW, SL_LINK_PPP,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sl_packet p;
	struct sl_stream_table *t = NULL;
	struct sl_buf b = SL_BUF_INIT;
	char line[SL_SUMMARY_MAX];
	uint8_t *copy;

	if (size < 1 || size > 65536)
		return 0;
	/* an exact-size copy: a read past the frame is caught by ASan */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	sl_stream_table_new(&t, NULL);	/* failing, t stays NULL: no streams */
	memset(&p, 0, sizeof(p));
	p.number = 1;
	p.linktype = links[data[0] % (sizeof(links) / sizeof(links[0]))];
	p.data = copy;
	p.caplen = (uint32_t)(size - 1);
	p.len = p.caplen + (data[0] & 0x80 ? 100 : 0);	/* snaplen cut */
	for (int i = 0; i < 2; i++) {		/* twice: stream state */
		sl_dissect(&p, t);
		sl_render_summary(line, &p, 9);
		sl_render_tree(&b, &p, 9);
		sl_render_hex(&b, &p);
		sl_render_json(&b, &p);
		sl_buf_reset(&b);
	}
	/* then the frame cut in pieces at each 0xfe 0xfe: several packets
	 * through one table, so fragments meet (reassembly) */
	for (size_t at = 0; at < size - 1;) {
		size_t n = 0;
		uint8_t *piece;

		while (at + n < size - 1 &&
		       !(at + n + 1 < size - 1 && copy[at + n] == 0xfe &&
			 copy[at + n + 1] == 0xfe))
			n++;
		piece = malloc(n ? n : 1);
		if (!piece)
			break;
		memcpy(piece, copy + at, n);
		p.number++;
		p.data = piece;
		p.caplen = p.len = (uint32_t)n;
		sl_dissect(&p, t);
		sl_render_summary(line, &p, 9);
		sl_render_hex(&b, &p);
		sl_render_json(&b, &p);
		sl_buf_reset(&b);
		free(piece);
		at += n + 2;
	}
	sl_buf_release(&b);
	sl_stream_table_free(t);
	free(copy);
	return 0;
}
