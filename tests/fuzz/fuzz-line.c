/* fuzz-line.c - the server's line protocol on arbitrary bytes.
 * First byte: the --max-line bound; second: where to split the stream into
 * two reads.  Framing in one piece and in two must yield the same lines. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/line.h"

struct result {
	size_t lines, bytes, replies;
	int too_long;
};

static void frame_all(const char *p, size_t n, size_t max, size_t split,
		      struct result *r)
{
	size_t have = 0, fed = split < n ? split : n;
	char *acc = malloc(n + 1);

	memset(r, 0, sizeof(*r));
	for (int round = 0; round < 2 && !r->too_long; round++) {
		struct sl_line l;
		ssize_t k;

		memcpy(acc + have, p + (round ? split : 0), fed);
		have += fed;
		while ((k = sl_frame_next(acc, have, max, &l)) > 0) {
			char out[SL_HELLO_REPLY_MAX(SL_MAX_LINE_LIMIT)];
			enum sl_hello_verdict v;
			size_t rn;

			assert(l.len <= max && (size_t)k <= have);
			assert(l.p == acc && !memchr(l.p, '\n', l.len));
			rn = sl_hello_reply(&l, out, &v);
			assert(rn <= SL_HELLO_REPLY_MAX(l.len) && out[rn - 1] == '\n');
			r->lines++;
			r->bytes += (size_t)k;
			memmove(acc, acc + k, have - (size_t)k);
			have -= (size_t)k;
		}
		if (k == SL_FRAME_TOO_LONG)
			r->too_long = 1;
		fed = n - fed;
	}
	free(acc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct result one, two;
	size_t max, split;

	if (size < 2)
		return 0;
	max = (size_t)data[0] + 1;
	split = data[1];
	data += 2;
	size -= 2;
	frame_all((const char *)data, size, max, size, &one);
	frame_all((const char *)data, size, max, split, &two);
	assert(one.too_long == two.too_long);
	if (!one.too_long)
		assert(one.lines == two.lines && one.bytes == two.bytes);
	return 0;
}
