/* escape.c - terminal-safe and JSON-safe renderings of untrusted bytes */
#include <errno.h>
#include <string.h>

#include "socklab/util.h"

static const char hexdigits[] = "0123456789abcdef";

/* Writes the escape of one byte into out (at least SL_ESCAPE_MAX bytes);
 * returns its length. */
static size_t escape_byte(unsigned char c, char *out)
{
	switch (c) {
	case '\n': out[0] = '\\'; out[1] = 'n'; return 2;
	case '\r': out[0] = '\\'; out[1] = 'r'; return 2;
	case '\t': out[0] = '\\'; out[1] = 't'; return 2;
	case '\\': out[0] = '\\'; out[1] = '\\'; return 2;
	case '"': out[0] = '\\'; out[1] = '"'; return 2;
	}
	if (c >= 0x20 && c < 0x7f) {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hexdigits[c >> 4];
	out[3] = hexdigits[c & 15];
	return 4;
}

size_t sl_escape(char *dst, size_t dstlen, const void *src, size_t n)
{
	const unsigned char *s = src;
	size_t need = 0, used = 0, k, i;
	char tmp[SL_ESCAPE_MAX];
	int full = 0;

	for (i = 0; i < n; i++) {
		k = escape_byte(s[i], tmp);
		need += k;
		if (full || dstlen == 0 || used + k > dstlen - 1) {
			full = 1;	/* never write half an escape */
			continue;
		}
		for (size_t j = 0; j < k; j++)
			dst[used++] = tmp[j];
	}
	if (dstlen)
		dst[used] = '\0';
	return need;
}

int sl_buf_escape(struct sl_buf *b, const void *src, size_t n)
{
	const unsigned char *s = src;
	char tmp[SL_ESCAPE_MAX];
	int rc;

	if (n > SIZE_MAX / SL_ESCAPE_MAX)
		return -ENOMEM;
	rc = sl_buf_reserve(b, n * SL_ESCAPE_MAX);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		size_t k = escape_byte(s[i], tmp);

		for (size_t j = 0; j < k; j++)
			b->data[b->len++] = tmp[j];
	}
	b->data[b->len] = '\0';
	return 0;
}

/* Length of the valid UTF-8 sequence at s (2 to 4 bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t k;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	/* C1 controls (U+009B is a CSI to some terminals) and bidi overrides
	 * could still steer whoever prints the JSON: escape them */
	if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return k;
}

int sl_buf_json_str(struct sl_buf *b, const void *src, size_t n)
{
	const unsigned char *s = src;
	int rc;

	if (n > (SIZE_MAX - 2) / 6)
		return -ENOMEM;
	rc = sl_buf_reserve(b, n * 6 + 2);
	if (rc < 0)
		return rc;
	b->data[b->len++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		char *o = b->data + b->len;
		size_t k = c >= 0x80 ? utf8_seq(s + i, n - i) : 0;

		if (k) {
			/* valid UTF-8 (a "→" in tshark's Info) stays as it is */
			memcpy(o, s + i, k);
			b->len += k;
			i += k - 1;
		} else if (c == '"' || c == '\\') {
			o[0] = '\\';
			o[1] = (char)c;
			b->len += 2;
		} else if (c >= 0x20 && c < 0x7f) {
			o[0] = (char)c;
			b->len += 1;
		} else if (c == '\n' || c == '\r' || c == '\t') {
			o[0] = '\\';
			o[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
			b->len += 2;
		} else {
			o[0] = '\\'; o[1] = 'u'; o[2] = '0'; o[3] = '0';
			o[4] = hexdigits[c >> 4];
			o[5] = hexdigits[c & 15];
			b->len += 6;
		}
	}
	b->data[b->len++] = '"';
	b->data[b->len] = '\0';
	return 0;
}
