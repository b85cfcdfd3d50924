/* names.c - the file names of the evidence bundle, made from NAME */
#include <stdio.h>
#include <string.h>

#include "socklab/lab.h"

/* Bytes of NAME a file name keeps: with the longest suffix
 * ("_established.jpeg") it stays far below NAME_MAX (255). */
enum { NAME_BYTES = 200 };

/* Characters a file name must not hold beside those no text may (the
 * escapers' dangerous set): the separator, and the marks that make a name
 * read in another direction (U+200E/F). */
static int replaced(int class, uint32_t c)
{
	return class != SL_CHAR_TEXT || c == '/' || c == 0x200e || c == 0x200f;
}

void sl_lab_file_name(const struct sl_lab *lab, const char *suffix,
		      char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)lab->o.name;
	size_t left = strlen(lab->o.name), n = 0, room, slen = strlen(suffix);
	int leading = 1;	/* only dots so far */

	if (outlen == 0)
		return;
	room = outlen - 1 > slen ? outlen - 1 - slen : 0;
	if (room > NAME_BYTES)
		room = NAME_BYTES;
	while (left > 0) {
		uint32_t c;
		size_t k;
		int class = sl_utf8_char(p, left, &c, &k);
		/* leading dots would hide the file (and ".." is a folder) */
		int bad = replaced(class, c) || (leading && *p == '.');

		if (n + (bad ? 1 : k) > room)
			break;
		if (bad)
			out[n++] = '_';
		else
			memcpy(out + n, p, k), n += k;
		leading = leading && *p == '.';
		p += k;
		left -= k;
	}
	snprintf(out + n, outlen - n, "%s", suffix);
}
