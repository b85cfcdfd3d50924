/* fuzz-escape.c - the escapers (terminal, text, JSON, HTML) on arbitrary
 * bytes.  First byte: the buffer size given to sl_escape and the cut for
 * sl_utf8_cut; the rest is the text.  Checked with a UTF-8 decoder of its
 * own, not the library's: no output ever holds a control, C1 or bidi
 * character or invalid UTF-8; the terminal form unescapes back to the
 * very input bytes, also when cut short; JSON decodes to what the input's
 * characters are; all keep the same characters; widths agree. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/util.h"

/* Strict UTF-8: the code point at s and its length, or 0 for a byte that
 * starts no valid sequence. */
static size_t decode(const uint8_t *s, size_t n, uint32_t *cp)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t k = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 :
		   (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	uint32_t v;

	if (k == 0 || k > n)
		return 0;
	v = k == 1 ? s[0] : s[0] & (0x7f >> k);
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min[k] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return k;
}

static int dangerous(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Output is valid UTF-8 without a dangerous character (\n and \t allowed
 * where keep_breaks). */
static void assert_clean(const char *s, size_t n, int keep_breaks)
{
	uint32_t cp;
	size_t k;

	for (size_t i = 0; i < n; i += k) {
		k = decode((const uint8_t *)s + i, n - i, &cp);
		assert(k > 0);
		assert(!dangerous(cp) ||
		       (keep_breaks && (cp == '\n' || cp == '\t')));
	}
}

static size_t put_utf8(uint8_t *o, uint32_t cp)
{
	if (cp < 0x80)
		return o[0] = (uint8_t)cp, 1;
	if (cp < 0x800) {
		o[0] = (uint8_t)(0xc0 | cp >> 6);
		o[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return 2;
	}
	o[0] = (uint8_t)(0xe0 | cp >> 12);
	o[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
	o[2] = (uint8_t)(0x80 | (cp & 0x3f));
	return 3;
}

static unsigned hex(const char *s, int digits)
{
	unsigned v = 0;

	for (int i = 0; i < digits; i++) {
		int d = sl_hexval(s[i]);

		assert(d >= 0);
		v = v << 4 | (unsigned)d;
	}
	return v;
}

/* The terminal form back to bytes; returns their count. */
static size_t unescape(const char *s, size_t n, uint8_t *out)
{
	size_t o = 0, i = 0;

	while (i < n) {
		if (s[i] != '\\') {
			out[o++] = (uint8_t)s[i++];
			continue;
		}
		assert(i + 1 < n);
		switch (s[i + 1]) {
		case 'n': out[o++] = '\n'; i += 2; break;
		case 'r': out[o++] = '\r'; i += 2; break;
		case 't': out[o++] = '\t'; i += 2; break;
		case '\\': out[o++] = '\\'; i += 2; break;
		case '"': out[o++] = '"'; i += 2; break;
		case 'x':
			assert(i + 4 <= n);
			out[o++] = (uint8_t)hex(s + i + 2, 2);
			i += 4;
			break;
		case 'u':
			assert(i + 6 <= n);
			o += put_utf8(out + o, hex(s + i + 2, 4));
			i += 6;
			break;
		default:
			assert(!"unknown escape");
		}
	}
	return o;
}

/* What JSON must decode to: each character's code point, each byte that
 * is not UTF-8 as U+00HH. */
static size_t expected_cps(const uint8_t *s, size_t n, uint32_t *out)
{
	size_t o = 0, k;

	for (size_t i = 0; i < n; i += k) {
		k = decode(s + i, n - i, &out[o]);
		if (k == 0) {
			out[o] = s[i];
			k = 1;
		}
		o++;
	}
	return o;
}

/* A JSON string literal to code points (and checks its escapes). */
static size_t json_cps(const char *s, size_t n, uint32_t *out)
{
	size_t o = 0, i = 1, k;

	assert(n >= 2 && s[0] == '"' && s[n - 1] == '"');
	while (i < n - 1) {
		if (s[i] == '\\') {
			const char *c = strchr("nrt\\\"", s[i + 1]);

			assert(i + 2 < n);
			if (s[i + 1] == 'u') {
				assert(i + 6 < n);
				out[o++] = hex(s + i + 2, 4);
				i += 6;
			} else {
				assert(c);
				out[o++] = (uint32_t)
					   "\n\r\t\\\""[c - "nrt\\\""];
				i += 2;
			}
			continue;
		}
		assert(s[i] != '"');
		k = decode((const uint8_t *)s + i, n - 1 - i, &out[o++]);
		assert(k > 0);
		i += k;
	}
	return o;
}

/* The bytes >= 0x80 of s, in order. */
static size_t high(const char *s, size_t n, char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if ((uint8_t)s[i] >= 0x80)
			out[k++] = s[i];
	return k;
}

static void check_terminal(const uint8_t *data, size_t size, size_t cap,
			   struct sl_buf *t)
{
	uint8_t *back = malloc(size + 1);
	char *cut = malloc(cap + 1);
	size_t need, k;

	assert(sl_buf_escape(t, data, size) == 0);
	assert_clean(t->data, t->len, 0);
	assert(unescape(t->data, t->len, back) == size);
	assert(memcmp(back, data, size) == 0);
	assert(sl_escape_width(data, size) == sl_text_width(t->data, t->len));
	/* cut short: a prefix of whole escapes and characters */
	need = sl_escape(cap ? cut : NULL, cap, data, size);
	assert(need == t->len);
	if (cap) {
		k = strlen(cut);
		assert(k < cap && memcmp(cut, t->data, k) == 0);
		assert_clean(cut, k, 0);
		k = unescape(cut, k, back);
		assert(k <= size && memcmp(back, data, k) == 0);
	}
	free(cut);
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_buf t = SL_BUF_INIT, j = SL_BUF_INIT, h = SL_BUF_INIT;
	uint32_t *want, *got;
	char *a, *b;
	size_t cap, nw, ng, ka, kb, k;

	if (size < 1)
		return 0;
	cap = data[0];
	data++;
	size--;
	check_terminal(data, size, cap, &t);
	assert(sl_buf_json_str(&j, data, size) == 0);
	assert_clean(j.data, j.len, 0);
	want = malloc((size + 1) * sizeof(*want));
	got = malloc((j.len + 1) * sizeof(*got));
	nw = expected_cps(data, size, want);
	ng = json_cps(j.data, j.len, got);
	assert(nw == ng && memcmp(want, got, nw * sizeof(*want)) == 0);
	assert(sl_buf_html(&h, data, size) == 0);
	assert_clean(h.data, h.len, 1);
	for (size_t i = 0; i < h.len; i++) {
		assert(h.data[i] && !strchr("<>\"'", h.data[i]));
		assert(h.data[i] != '&' || !strncmp(h.data + i, "&amp;", 5) ||
		       !strncmp(h.data + i, "&lt;", 4) ||
		       !strncmp(h.data + i, "&gt;", 4) ||
		       !strncmp(h.data + i, "&quot;", 6) ||
		       !strncmp(h.data + i, "&#39;", 5));
	}
	/* the three keep exactly the same characters */
	a = malloc(t.len + j.len + h.len + 1);
	b = a + t.len;
	ka = high(t.data, t.len, a);
	kb = high(j.data, j.len, b);
	assert(ka == kb && memcmp(a, b, ka) == 0);
	kb = high(h.data, h.len, b);
	assert(ka == kb && memcmp(a, b, ka) == 0);
	sl_buf_reset(&h);
	assert(sl_buf_escape_text(&h, data, size) == 0);
	assert_clean(h.data, h.len, 1);
	kb = high(h.data, h.len, b);
	assert(ka == kb && memcmp(a, b, ka) == 0);
	/* a cut loses at most a split character and never makes an escape:
	 * the cut text's escape begins the whole text's */
	k = sl_utf8_cut(data, size, cap);
	assert(k == size || (k <= cap && k + 3 >= cap));
	sl_buf_reset(&h);
	assert(sl_buf_escape(&h, data, k) == 0);
	assert(h.len <= t.len && memcmp(h.data, t.data, h.len) == 0);
	free(a);
	free(want);
	free(got);
	sl_buf_release(&t);
	sl_buf_release(&j);
	sl_buf_release(&h);
	return 0;
}
