/* text.c - a block of untrusted text shown as it is meant to read (a
 * program's output, its source code): quotes, backslashes and tabs stay
 * as they are, and only what the terminal must not see is escaped */
#include "socklab/util.h"

static int kept(char c)
{
	return c == '"' || c == '\\' || c == '\t';
}

int sl_buf_escape_text(struct sl_buf *b, const void *src, size_t n)
{
	const char *p = src;
	int rc = 0;

	while (n && rc == 0) {
		size_t run = 0;

		while (run < n && !kept(p[run]))
			run++;
		if (run) {
			rc = sl_buf_escape(b, p, run);
		} else {
			rc = sl_buf_putc(b, *p);
			run = 1;
		}
		p += run;
		n -= run;
	}
	return rc;
}
