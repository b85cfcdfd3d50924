/* shell.c - a word as a POSIX shell reads it back: the command lines the
 * lab shows are meant to be typed again */
#include <string.h>

#include "socklab/util.h"

/* Characters a shell gives a meaning to (and the blank ones). */
static int special(char c)
{
	return strchr(" \t'\"\\$`!*?[]{}()<>|&;#~=%^", c) != NULL ||
	       (unsigned char)c < 0x20 || c == 0x7f;
}

int sl_buf_shell_word(struct sl_buf *b, const char *s)
{
	size_t n = strlen(s);
	int plain = n > 0, rc = 0;

	for (size_t i = 0; i < n && plain; i++)
		plain = !special(s[i]);
	if (plain)
		return sl_buf_escape(b, s, n);
	rc = sl_buf_putc(b, '\'');
	for (size_t i = 0; i < n && rc == 0;) {
		const char *q = memchr(s + i, '\'', n - i);
		size_t k = q ? (size_t)(q - (s + i)) : n - i;

		rc = sl_buf_escape(b, s + i, k);
		i += k;
		if (rc == 0 && q) {
			rc = sl_buf_puts(b, "'\\''");
			i++;
		}
	}
	return rc ? rc : sl_buf_putc(b, '\'');
}
