/* datagram.c - the line protocol over UDP: a datagram in, one out.  Each
 * line of the datagram gets its reply as over TCP; the datagram's end
 * ends its last line; the replies share one datagram, bounded in size */
#include <string.h>

#include "socklab/line.h"

static const char too_many[] = "ERR too many lines for one datagram\n";

/* Room for a reply and, after it, the error that would end the list. */
static int fits(size_t used, size_t need, size_t out_max)
{
	return used + need + sizeof(too_many) <= out_max;
}

static size_t stop(char *out, size_t used, size_t out_max, const char *why,
		   size_t n, const struct sl_line *line, sl_dgram_fn each,
		   void *arg)
{
	if (used + n > out_max)
		return used;
	memcpy(out + used, why, n);
	if (each)
		each(line, SL_HELLO_TOO_LONG, out + used, n, arg);
	return used + n;
}

size_t sl_hello_datagram(const char *in, size_t n, size_t max_line,
			 char *out, size_t out_max, sl_dgram_fn each,
			 void *arg)
{
	struct sl_line line = { in, 0 };
	enum sl_hello_verdict v;
	size_t off = 0, used = 0, rn;
	char err[80];

	/* an empty datagram is one empty line: it is answered too */
	for (int first = 1; off < n || first; first = 0) {
		ssize_t k = sl_frame_next(in + off, n - off, max_line, &line);

		if (k == SL_FRAME_MORE)
			k = sl_frame_last(in + off, n - off, max_line, &line);
		if (k == SL_FRAME_TOO_LONG) {
			line.p = in + off;
			line.len = n - off;
			return stop(out, used, out_max, err,
				    sl_hello_too_long(max_line, err,
						      sizeof(err)),
				    &line, each, arg);
		}
		if (k == 0) {		/* the empty datagram */
			line.p = in + off;
			line.len = 0;
		}
		if (!fits(used, sl_hello_reply_len(&line), out_max))
			return stop(out, used, out_max, too_many,
				    sizeof(too_many) - 1, &line, each, arg);
		rn = sl_hello_reply(&line, out + used, &v);
		if (each)
			each(&line, v, out + used, rn, arg);
		used += rn;
		off += (size_t)k;
	}
	return used;
}
