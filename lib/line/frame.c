/* frame.c - zero-copy line framer with a hard length bound, and its
 * backlog-bounded form for the server */
#include <string.h>

#include "socklab/line.h"

static size_t content_len(const char *buf, size_t nl)
{
	return nl > 0 && buf[nl - 1] == '\r' ? nl - 1 : nl;
}

ssize_t sl_frame_next(const char *buf, size_t n, size_t max_line,
		      struct sl_line *line)
{
	/* a line of max_line bytes may still carry "\r\n" after it */
	size_t window = n < max_line + 2 ? n : max_line + 2;
	const char *nl = memchr(buf, '\n', window);
	size_t len;

	if (!nl) {
		if (n >= max_line + 2 ||
		    (n == max_line + 1 && buf[max_line] != '\r'))
			return SL_FRAME_TOO_LONG;
		return SL_FRAME_MORE;
	}
	len = content_len(buf, (size_t)(nl - buf));
	if (len > max_line)
		return SL_FRAME_TOO_LONG;
	line->p = buf;
	line->len = len;
	return nl - buf + 1;
}

ssize_t sl_frame_last(const char *buf, size_t n, size_t max_line,
		      struct sl_line *line)
{
	size_t len;

	if (n == 0)
		return 0;
	len = buf[n - 1] == '\r' ? n - 1 : n;
	if (len > max_line)
		return SL_FRAME_TOO_LONG;
	line->p = buf;
	line->len = len;
	return (ssize_t)n;
}

ssize_t sl_frame_bounded(const struct sl_framer *f, const char *buf,
			 size_t n, size_t queued, int at_eof,
			 struct sl_line *line)
{
	ssize_t k = sl_frame_next(buf, n, f->max_line, line);

	if (k == SL_FRAME_MORE && at_eof)
		k = sl_frame_last(buf, n, f->max_line, line);
	if (k == SL_FRAME_MORE || !queued)
		return k;
	/* the error ends the connection: it waits for an empty backlog */
	if (k == SL_FRAME_TOO_LONG || queued > f->limit ||
	    sl_hello_reply_len(line) > f->limit - queued)
		return SL_FRAME_FULL;
	return k;
}
