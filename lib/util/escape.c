/* escape.c - untrusted bytes made safe for each audience (the terminal,
 * a block of text read as it is, JSON, HTML and XML), all from one
 * decision about each character, so they cannot disagree on what is
 * dangerous */
#include <errno.h>
#include <string.h>

#include "socklab/util.h"

/* The most one character's escape takes in any audience ("&quot;",
 * "\u202e", "\u00ff"). */
#define UNIT_MAX 6

/* C1 controls (U+009B is a CSI to some terminals), bidi embeddings,
 * overrides and isolates (they reorder what the reader sees) */
static int dangerous(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Length (2 to 4) and code point of the valid multibyte sequence at s,
 * 0 when the bytes there are not one. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t k;
	uint32_t v;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, v = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, v = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, v = s[0] & 0x07;
	else
		return 0;
	if (k > n)
		return 0;	/* cut short by the end of the buffer */
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((k == 3 && v < 0x800) || (k == 4 && v < 0x10000) ||
	    (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
		return 0;
	*cp = v;
	return k;
}

int sl_utf8_char(const void *src, size_t n, uint32_t *cp, size_t *len)
{
	const unsigned char *s = src;
	size_t k;

	*len = 1;
	*cp = s[0];
	if (s[0] < 0x80)
		return s[0] < 0x20 || s[0] == 0x7f ? SL_CHAR_CONTROL
						   : SL_CHAR_TEXT;
	k = utf8_seq(s, n, cp);
	if (!k) {
		*cp = s[0];
		return SL_CHAR_INVALID;
	}
	*len = k;
	return dangerous(*cp) ? SL_CHAR_CONTROL : SL_CHAR_TEXT;
}

size_t sl_utf8_cut(const void *src, size_t n, size_t max)
{
	const unsigned char *s = src;
	size_t j = max, k;

	if (n <= max)
		return n;
	/* the lead byte of the sequence the cut falls in, if it is in one
	 * (stray continuation bytes of binary data are not) */
	while (j > 0 && max - j < 3 && (s[j] & 0xc0) == 0x80)
		j--;
	if (j == max || (s[j] & 0xc0) != 0xc0)
		return max;
	k = s[j] >= 0xf0 ? 4 : s[j] >= 0xe0 ? 3 : 2;
	return j + k > max ? j : max;
}

/* "\xHH" into o; 4 */
static size_t put_xhh(char *o, unsigned c)
{
	o[0] = '\\';
	o[1] = 'x';
	o[2] = sl_hex_digits[c >> 4 & 15];
	o[3] = sl_hex_digits[c & 15];
	return 4;
}

/* "\uHHHH" into o (cp < 0x10000); 6 */
static size_t put_uhhhh(char *o, uint32_t cp)
{
	o[0] = '\\';
	o[1] = 'u';
	for (int i = 0; i < 4; i++)
		o[2 + i] = sl_hex_digits[cp >> (12 - 4 * i) & 15];
	return 6;
}

/* TEXT: the terminal's, for a block read as it is */
enum audience { TERMINAL, TEXT, JSON, HTML };

/* The C escapes the terminal and JSON forms share; 0 for other bytes. */
static char c_escape(unsigned char c)
{
	switch (c) {
	case '\n': return 'n';
	case '\r': return 'r';
	case '\t': return 't';
	case '\\': return '\\';
	case '"': return '"';
	}
	return 0;
}

static const char *entity(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	}
	return NULL;
}

/* A character that needs no classification: printable ASCII that none of
 * the audiences writes differently (all but \\ " & < > '), as a bit set. */
static int plain(unsigned char c)
{
	static const uint64_t set[2] = { 0xafffff3b00000000ull,
					 0x7fffffffefffffffull };

	return c < 0x80 && (set[c >> 6] >> (c & 63) & 1);
}

/* An ASCII byte as aud writes it into o; returns the length. */
static size_t ascii_unit(enum audience aud, unsigned char c, char *o)
{
	const char *ent;
	char esc;

	if (aud == HTML) {
		if ((ent = entity(c)) != NULL) {
			memcpy(o, ent, strlen(ent));
			return strlen(ent);
		}
		if (c >= 0x20 && c != 0x7f)
			return o[0] = (char)c, 1;
		/* <pre> keeps line breaks and tabs as they are */
		if (c == '\n' || c == '\t')
			return o[0] = (char)c, 1;
		return put_xhh(o, c);
	}
	if (aud == TEXT && (c == '"' || c == '\\' || c == '\t'))
		return o[0] = (char)c, 1;
	esc = c_escape(c);
	if (esc) {
		o[0] = '\\';
		o[1] = esc;
		return 2;
	}
	if (c >= 0x20 && c != 0x7f)
		return o[0] = (char)c, 1;
	return aud == JSON ? put_uhhhh(o, c) : put_xhh(o, c);
}

/* The character at s (n > 0 bytes left) as aud writes it into o (at least
 * UNIT_MAX bytes); *used receives the bytes it took from s. */
static size_t unit(enum audience aud, const unsigned char *s, size_t n,
		   char *o, size_t *used)
{
	uint32_t cp;
	int kind;

	if (plain(s[0])) {
		*used = 1;
		o[0] = (char)s[0];
		return 1;
	}
	if (s[0] < 0x80) {
		*used = 1;
		return ascii_unit(aud, s[0], o);
	}
	kind = sl_utf8_char(s, n, &cp, used);
	if (kind == SL_CHAR_TEXT) {
		memcpy(o, s, *used);
		return *used;
	}
	if (kind == SL_CHAR_CONTROL)	/* a dangerous code point */
		return put_uhhhh(o, cp);
	/* invalid: JSON cannot carry the byte, so it names it as U+00HH */
	return aud == JSON ? put_uhhhh(o, s[0]) : put_xhh(o, s[0]);
}

size_t sl_escape(char *dst, size_t dstlen, const void *src, size_t n)
{
	const unsigned char *s = src;
	size_t need = 0, used = 0, room = dstlen ? dstlen - 1 : 0, k, took;
	char tmp[UNIT_MAX];
	const char *u;
	int full = 0;

	for (size_t i = 0; i < n; i += took) {
		if (plain(s[i])) {	/* most bytes: no call */
			u = (const char *)s + i;
			k = took = 1;
		} else {
			u = tmp;
			k = unit(TERMINAL, s + i, n - i, tmp, &took);
		}
		need += k;
		if (full || used + k > room) {
			full = 1;	/* no half escape or character */
			continue;
		}
		for (size_t j = 0; j < k; j++)
			dst[used++] = u[j];
	}
	if (dstlen)
		dst[used] = '\0';
	return need;
}

/* Appends the escape of n bytes for aud; per_byte bounds its growth. */
static int buf_escape(struct sl_buf *b, enum audience aud, const void *src,
		      size_t n, size_t per_byte)
{
	const unsigned char *s = src;
	size_t took;
	int rc;

	if (n > (SIZE_MAX - 2) / per_byte)
		return -ENOMEM;
	/* +2: the JSON quotes */
	rc = sl_buf_reserve(b, n * per_byte + 2);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i += took) {
		if (plain(s[i])) {	/* most bytes: no call */
			b->data[b->len++] = (char)s[i];
			took = 1;
			continue;
		}
		b->len += unit(aud, s + i, n - i, b->data + b->len, &took);
	}
	b->data[b->len] = '\0';
	return 0;
}

int sl_buf_escape(struct sl_buf *b, const void *src, size_t n)
{
	return buf_escape(b, TERMINAL, src, n, SL_ESCAPE_MAX);
}

int sl_buf_escape_text(struct sl_buf *b, const void *src, size_t n)
{
	return buf_escape(b, TEXT, src, n, SL_ESCAPE_MAX);
}

int sl_buf_json_str(struct sl_buf *b, const void *src, size_t n)
{
	int rc;

	if ((rc = sl_buf_putc(b, '"')) < 0 ||
	    (rc = buf_escape(b, JSON, src, n, UNIT_MAX)) < 0)
		return rc;
	return sl_buf_putc(b, '"');
}

int sl_buf_html(struct sl_buf *b, const void *src, size_t n)
{
	return buf_escape(b, HTML, src, n, UNIT_MAX);
}

int sl_buf_html_str(struct sl_buf *b, const char *s)
{
	return s ? sl_buf_html(b, s, strlen(s)) : 0;
}

size_t sl_escape_width(const void *src, size_t n)
{
	const unsigned char *s = src;
	size_t w = 0, k, took;
	char tmp[UNIT_MAX];

	for (size_t i = 0; i < n; i += took) {
		k = unit(TERMINAL, s + i, n - i, tmp, &took);
		w += k == 1 ? 1 : sl_text_width(tmp, k);
	}
	return w;
}
