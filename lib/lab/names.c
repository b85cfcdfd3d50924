/* names.c - the file names of the evidence bundle, made from NAME */
#include <stdio.h>
#include <string.h>

#include "socklab/lab.h"

/* Bytes of NAME a file name keeps: with the longest suffix
 * ("_established.jpeg") it stays far below NAME_MAX (255). */
enum { NAME_BYTES = 200 };

/* Length of the valid UTF-8 sequence at s (n > 0 bytes left), 0 when the
 * bytes there are not one (overlong, surrogate, past U+10FFFF, cut). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t k = s[0] < 0x80 ? 1 : s[0] < 0xc2 ? 0 : s[0] < 0xe0 ? 2 :
		   s[0] < 0xf0 ? 3 : s[0] < 0xf5 ? 4 : 0;

	if (k == 0 || k > n)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return k;
}

/* The code point of a valid sequence of k bytes. */
static unsigned code_point(const unsigned char *s, size_t k)
{
	static const unsigned char lead_mask[5] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	unsigned c = s[0] & lead_mask[k];

	for (size_t i = 1; i < k; i++)
		c = c << 6 | (s[i] & 0x3f);
	return c;
}

/* Characters a file name must not hold: the separator, C0 and C1
 * controls, DEL, and the bidirectional controls that would make a name
 * read differently from what it is (U+200E/F, U+202A-E, U+2066-9). */
static int replaced(unsigned c)
{
	return c == '/' || c < 0x20 || (c >= 0x7f && c < 0xa0) ||
	       c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069);
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
		size_t k = utf8_len(p, left), take = k ? k : 1;
		/* leading dots would hide the file (and ".." is a folder) */
		int bad = !k || replaced(code_point(p, k)) ||
			  (leading && *p == '.');

		if (n + (bad ? 1 : k) > room)
			break;
		if (bad)
			out[n++] = '_';
		else
			memcpy(out + n, p, k), n += k;
		leading = leading && *p == '.';
		p += take;
		left -= take;
	}
	snprintf(out + n, outlen - n, "%s", suffix);
}
