/* width.c - how many terminal columns text takes, so cells that hold a
 * name in any script still line up (a small wcwidth: no locale, no
 * tables beyond the ranges below) */
#include <string.h>

#include "socklab/util.h"

struct range {
	uint32_t lo, hi;
};

/* combining marks and zero-width characters */
static const struct range zero[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
	{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x1ab0, 0x1aff },
	{ 0x1dc0, 0x1dff }, { 0x200b, 0x200f }, { 0x2060, 0x2064 },
	{ 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f },
	{ 0xfeff, 0xfeff },
};

/* East Asian wide and fullwidth forms, and the emoji blocks terminals
 * draw two columns wide */
static const struct range wide[] = {
	{ 0x1100, 0x115f }, { 0x2329, 0x232a }, { 0x2e80, 0x303e },
	{ 0x3040, 0xa4cf }, { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff },
	{ 0xfe10, 0xfe19 }, { 0xfe30, 0xfe6f }, { 0xff00, 0xff60 },
	{ 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f }, { 0x1f900, 0x1f9ff },
	{ 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};

static int in(const struct range *r, size_t n, uint32_t cp)
{
	for (size_t i = 0; i < n && cp >= r[i].lo; i++)
		if (cp <= r[i].hi)
			return 1;
	return 0;
}

int sl_char_width(uint32_t cp)
{
	if (cp < 0x300)
		return 1;
	if (in(zero, SL_ARRAY_SIZE(zero), cp))
		return 0;
	return in(wide, SL_ARRAY_SIZE(wide), cp) ? 2 : 1;
}

/* Bytes of s before the first one >= 0x80, eight at a time: tables ask
 * this of every cell, and almost every cell is ASCII. */
static size_t ascii_prefix(const char *s, size_t n)
{
	size_t i = 0;
	uint64_t w;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ull)
			break;
	}
	while (i < n && (unsigned char)s[i] < 0x80)
		i++;
	return i;
}

size_t sl_text_width(const char *s, size_t n)
{
	size_t i = ascii_prefix(s, n), w = i, k;
	uint32_t cp;

	for (; i < n; i += k) {
		if ((unsigned char)s[i] < 0x80) {
			k = 1;
			w++;
			continue;
		}
		/* a stray byte (text that was not escaped) counts one */
		if (sl_utf8_char(s + i, n - i, &cp, &k) == SL_CHAR_INVALID)
			w++;
		else
			w += (size_t)sl_char_width(cp);
	}
	return w;
}
