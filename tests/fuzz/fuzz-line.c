/* fuzz-line.c - the server's line protocol on arbitrary bytes.
 * First byte: the --max-line bound; second: where to split the stream into
 * two reads; third: the reply backlog's limit and how fast it drains.
 * Framing in one piece, in two, and under a bounded backlog must yield the
 * same lines, and the backlog never passes its limit but by one reply
 * into an empty backlog. */
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

/* The whole stream at once, at end of stream, into a backlog that drains
 * drain bytes whenever the framer says it is full. */
static void frame_bounded(const char *p, size_t n, size_t max, size_t limit,
			  size_t drain, struct result *r)
{
	const struct sl_framer f = { .max_line = max, .limit = limit };
	size_t queued = 0, at = 0;
	struct sl_line l;
	ssize_t k;

	memset(r, 0, sizeof(*r));
	while (at < n && !r->too_long) {
		k = sl_frame_bounded(&f, p + at, n - at, queued, 1, &l);
		if (k == SL_FRAME_FULL) {
			/* queued shrinks at each stall: the loop ends */
			assert(queued > 0);
			queued = queued > drain ? queued - drain : 0;
			continue;
		}
		if (k == SL_FRAME_TOO_LONG) {
			assert(queued == 0);
			r->too_long = 1;
			break;
		}
		if (k <= 0)
			break;
		assert(queued == 0 || queued + sl_hello_reply_len(&l) <= limit);
		queued += sl_hello_reply_len(&l);
		r->lines++;
		r->bytes += (size_t)k;
		at += (size_t)k;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct result one, two, bounded;
	size_t max, split, limit, drain;

	if (size < 3)
		return 0;
	max = (size_t)data[0] + 1;
	split = data[1];
	limit = (size_t)(data[2] & 0x3f) * 8;
	drain = (size_t)(data[2] >> 6) * 16 + 1;
	data += 3;
	size -= 3;
	frame_all((const char *)data, size, max, size, &one);
	frame_all((const char *)data, size, max, split, &two);
	assert(one.too_long == two.too_long);
	if (!one.too_long)
		assert(one.lines == two.lines && one.bytes == two.bytes);
	frame_bounded((const char *)data, size, max, limit, drain, &bounded);
	assert(bounded.too_long == one.too_long);
	if (!one.too_long)	/* the bounded framer also takes a last line */
		assert(bounded.lines >= one.lines &&
		       bounded.lines <= one.lines + 1);
	return 0;
}
