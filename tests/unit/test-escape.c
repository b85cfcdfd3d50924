/* test-escape.c - the three escapers (terminal, JSON, HTML) and their one
 * rule, display width, and the number and address writers of lib/util */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guard.h"

#include "socklab/util.h"

/* The terminal escape of a C string, in a static buffer. */
static const char *term(const char *s)
{
	static char out[512];

	sl_escape(out, sizeof(out), s, strlen(s));
	return out;
}

/* The JSON and HTML forms of n bytes, in b (reset first). */
static const char *json(struct sl_buf *b, const char *s, size_t n)
{
	sl_buf_reset(b);
	assert_int_equal(sl_buf_json_str(b, s, n), 0);
	return b->data;
}

static const char *html(struct sl_buf *b, const char *s, size_t n)
{
	sl_buf_reset(b);
	assert_int_equal(sl_buf_html(b, s, n), 0);
	return b->data;
}

static void test_escape_every_byte(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++) {
		unsigned char b = (unsigned char)c;
		char out[8], expect[8];
		size_t n = sl_escape(out, sizeof(out), &b, 1);

		if (c == '\n')
			strcpy(expect, "\\n");
		else if (c == '\r')
			strcpy(expect, "\\r");
		else if (c == '\t')
			strcpy(expect, "\\t");
		else if (c == '\\')
			strcpy(expect, "\\\\");
		else if (c == '"')
			strcpy(expect, "\\\"");
		else if (c >= 0x20 && c < 0x7f)
			snprintf(expect, sizeof(expect), "%c", c);
		else	/* a byte >= 0x80 alone is never UTF-8 */
			snprintf(expect, sizeof(expect), "\\x%02x", c);
		assert_string_equal(out, expect);
		assert_int_equal(n, strlen(expect));
		/* what the terminal sees is printable ASCII only */
		for (size_t i = 0; i < n; i++)
			assert_true(out[i] >= 0x20 && out[i] < 0x7f);
	}
}

/* Every ASCII byte in JSON and HTML. */
static void test_ascii_json_html(void **state)
{
	struct sl_buf b = SL_BUF_INIT;
	char c, want[16];

	(void)state;
	for (int i = 0; i < 0x80; i++) {
		c = (char)i;
		if (c == '"' || c == '\\')
			snprintf(want, sizeof(want), "\"\\%c\"", c);
		else if (c == '\n' || c == '\r' || c == '\t')
			snprintf(want, sizeof(want), "\"\\%c\"",
				 c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		else if (i < 0x20 || i == 0x7f)
			snprintf(want, sizeof(want), "\"\\u%04x\"", i);
		else
			snprintf(want, sizeof(want), "\"%c\"", c);
		assert_string_equal(json(&b, &c, 1), want);
		if (strchr("&<>\"'", c) && c)
			snprintf(want, sizeof(want), "%s", c == '&' ? "&amp;" :
				 c == '<' ? "&lt;" : c == '>' ? "&gt;" :
				 c == '"' ? "&quot;" : "&#39;");
		else if ((i >= 0x20 && i < 0x7f) || c == '\n' || c == '\t')
			snprintf(want, sizeof(want), "%c", c);
		else
			snprintf(want, sizeof(want), "\\x%02x", i);
		assert_string_equal(html(&b, &c, 1), want);
	}
	sl_buf_release(&b);
}

static void test_escape_truncates_whole_units(void **state)
{
	char out[6];
	size_t need = sl_escape(out, sizeof(out), "ab\x1b", 3);

	(void)state;
	assert_int_equal(need, 6);
	assert_string_equal(out, "ab");	/* never half of "\x1b" */
	/* nor half a character: "é" is two bytes */
	assert_int_equal(sl_escape(out, 4, "ab\xc3\xa9", 4), 4);
	assert_string_equal(out, "ab");
	assert_int_equal(sl_escape(out, 5, "ab\xc3\xa9", 4), 4);
	assert_string_equal(out, "ab\xc3\xa9");
	/* nothing written, the length still told */
	assert_int_equal(sl_escape(NULL, 0, "a\xe2\x80\xae", 4), 7);
}

/* Names and our own words in any script stay as they are. */
static void test_utf8_text_kept(void **state)
{
	static const char *const kept[] = {
		"Jos\xc3\xa9", "nothing listens \xe2\x80\x94 start it",
		"\xe6\x97\xa5\xe6\x9c\xac", "\xf0\x9f\x90\x8d",
		"\xc2\xa0nbsp", ("\xe2\x80\x8f" "rlm mark"),
	};
	struct sl_buf b = SL_BUF_INIT, q = SL_BUF_INIT;

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_SIZE(kept); i++) {
		const char *s = kept[i];

		assert_string_equal(term(s), s);
		assert_string_equal(html(&b, s, strlen(s)), s);
		sl_buf_reset(&q);
		sl_buf_putc(&q, '"');
		sl_buf_puts(&q, s);
		sl_buf_putc(&q, '"');
		assert_string_equal(json(&b, s, strlen(s)), q.data);
	}
	sl_buf_release(&b);
	sl_buf_release(&q);
}

/* A C1 CSI and a right-to-left override: one form in all three. */
static void test_dangerous_code_points(void **state)
{
	struct sl_buf b = SL_BUF_INIT;
	char s[8];

	(void)state;
	assert_string_equal(term("a\xe2\x80\xae" "b\xc2\x9b" "c"),
			    "a\\u202eb\\u009bc");
	assert_string_equal(json(&b, "a\xe2\x80\xae" "b\xc2\x9b" "c", 8),
			    "\"a\\u202eb\\u009bc\"");
	assert_string_equal(html(&b, "a\xe2\x80\xae" "b\xc2\x9b" "c", 8),
			    "a\\u202eb\\u009bc");
	/* the whole C1 block and every bidi override and isolate */
	for (uint32_t cp = 0x7f; cp < 0x2100; cp++) {
		int bad = (cp >= 0x80 && cp <= 0x9f) ||
			  (cp >= 0x202a && cp <= 0x202e) ||
			  (cp >= 0x2066 && cp <= 0x2069);
		size_t n;

		if (cp < 0x80) {
			s[0] = (char)cp, n = 1;
		} else if (cp < 0x800) {
			s[0] = (char)(0xc0 | cp >> 6);
			s[1] = (char)(0x80 | (cp & 0x3f));
			n = 2;
		} else {
			s[0] = (char)(0xe0 | cp >> 12);
			s[1] = (char)(0x80 | (cp >> 6 & 0x3f));
			s[2] = (char)(0x80 | (cp & 0x3f));
			n = 3;
		}
		s[n] = '\0';
		if (cp == 0x7f || bad) {
			char want[16];

			snprintf(want, sizeof(want), cp == 0x7f ? "\\x%02x" :
				 "\\u%04x", (unsigned)cp);
			assert_string_equal(term(s), want);
			assert_string_equal(html(&b, s, n), want);
			snprintf(want, sizeof(want), "\"\\u%04x\"",
				 (unsigned)cp);
			assert_string_equal(json(&b, s, n), want);
		} else {
			assert_string_equal(term(s), s);
			assert_string_equal(html(&b, s, n), s);
		}
	}
	sl_buf_release(&b);
}

/* Bytes that are not UTF-8 are escaped one by one, in all three. */
static void test_invalid_utf8(void **state)
{
	static const struct {
		const char *in, *term, *json;
	} cases[] = {
		/* overlong forms */
		{ "\xc0\x80", "\\xc0\\x80", "\\u00c0\\u0080" },
		{ "\xe0\x80\xaf", "\\xe0\\x80\\xaf", "\\u00e0\\u0080\\u00af" },
		{ "\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf",
		  "\\u00f0\\u0080\\u0080\\u00af" },
		/* a surrogate, past U+10FFFF, bytes never in UTF-8 */
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80", "\\u00ed\\u00a0\\u0080" },
		{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80",
		  "\\u00f4\\u0090\\u0080\\u0080" },
		{ "\xf5\xff", "\\xf5\\xff", "\\u00f5\\u00ff" },
		{ "\x80" "a", "\\x80a", "\\u0080a" },	/* lone continuation */
		/* a lead byte whose sequence stops early: the rest is text */
		{ "\xe2\x80" "a\xc3\xa9", "\\xe2\\x80a\xc3\xa9",
		  "\\u00e2\\u0080a\xc3\xa9" },
	};
	struct sl_buf b = SL_BUF_INIT;
	char want[64];

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_SIZE(cases); i++) {
		const char *in = cases[i].in;

		assert_string_equal(term(in), cases[i].term);
		assert_string_equal(html(&b, in, strlen(in)), cases[i].term);
		snprintf(want, sizeof(want), "\"%s\"", cases[i].json);
		assert_string_equal(json(&b, in, strlen(in)), want);
	}
	sl_buf_release(&b);
}

/* A sequence cut by the end of the bytes: escaped, never read past. */
static void test_truncated_at_end(void **state)
{
	static const char *const ends[] = { "Jos\xc3", "dash \xe2\x80",
					    "snake \xf0\x9f\x90" };
	struct sl_buf b = SL_BUF_INIT;

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_SIZE(ends); i++) {
		size_t n = strlen(ends[i]), maplen;
		void *map;
		char *g = guarded(ends[i], n, &map, &maplen);
		char out[64];

		sl_escape(out, sizeof(out), g, n);
		assert_non_null(strstr(out, "\\x"));
		for (size_t k = 0; out[k]; k++)
			assert_true((unsigned char)out[k] < 0x80);
		sl_buf_reset(&b);
		assert_int_equal(sl_buf_escape(&b, g, n), 0);
		assert_string_equal(b.data, out);
		assert_non_null(strstr(json(&b, g, n), "\\u00"));
		assert_non_null(strstr(html(&b, g, n), "\\x"));
		munmap(map, maplen);
	}
	assert_string_equal(term("Jos\xc3"), "Jos\\xc3");
	sl_buf_release(&b);
}

static void test_json_and_buf_escape(void **state)
{
	struct sl_buf b = SL_BUF_INIT;

	(void)state;
	assert_int_equal(sl_buf_escape(&b, "a\"\x1b", 3), 0);
	assert_string_equal(b.data, "a\\\"\\x1b");
	assert_string_equal(json(&b, "q\"\\\n\x01\xff", 6),
			    "\"q\\\"\\\\\\n\\u0001\\u00ff\"");
	/* valid UTF-8 passes; a lone lead byte or an overlong form does not */
	assert_string_equal(json(&b, "\xe2\x86\x92\xe2\x86\xc0\x80", 7),
			    "\"\xe2\x86\x92\\u00e2\\u0086\\u00c0\\u0080\"");
	/* HTML: markup characters as entities, line breaks kept for <pre> */
	assert_string_equal(html(&b, "<a href='x'>&\"\n\t\r", 17),
			    "&lt;a href=&#39;x&#39;&gt;&amp;&quot;\n\t\\x0d");
	sl_buf_release(&b);
}

/* A block read as it is: quotes, backslashes and tabs stay, the rest as
 * the terminal form. */
static void test_escape_text(void **state)
{
	static const char in[] = "say \"hi\"\tC:\\x Jos\xc3\xa9\n\x1b"
				 "\xe2\x80\xae\xff";
	struct sl_buf b = SL_BUF_INIT;

	(void)state;
	assert_int_equal(sl_buf_escape_text(&b, in, sizeof(in) - 1), 0);
	assert_string_equal(b.data, "say \"hi\"\tC:\\x Jos\xc3\xa9\\n"
			    "\\x1b\\u202e\\xff");
	sl_buf_release(&b);
}

/* Columns, not bytes: what a padded cell must count. */
static void test_width(void **state)
{
	(void)state;
	assert_int_equal(sl_text_width("Jos\xc3\xa9", 5), 4);
	assert_int_equal(sl_text_width("e\xcc\x81", 3), 1);	/* e + U+0301 */
	assert_int_equal(sl_text_width("\xe6\x97\xa5\xe6\x9c\xac", 6), 4);
	assert_int_equal(sl_text_width("\xef\xbc\xa1", 3), 2);	/* fullwidth A */
	assert_int_equal(sl_text_width("\xf0\x9f\x90\x8d", 4), 2);
	assert_int_equal(sl_text_width("a\xe2\x80\x94" "b", 5), 3);
	/* the width of the escape, without writing it */
	assert_int_equal(sl_escape_width("Jos\xc3\xa9", 5), 4);
	assert_int_equal(sl_escape_width("a\x1b", 2), 5);
	assert_int_equal(sl_escape_width("\xe2\x80\xae", 3), 6);
	assert_int_equal(sl_escape_width("Jos\xc3", 4), 7);
	assert_int_equal(sl_char_width('a'), 1);
	assert_int_equal(sl_char_width(0x4e00), 2);
	assert_int_equal(sl_char_width(0x200b), 0);
}

static void test_utf8_cut(void **state)
{
	(void)state;
	assert_int_equal(sl_utf8_cut("Jos\xc3\xa9", 5, 10), 5);
	assert_int_equal(sl_utf8_cut("Jos\xc3\xa9", 5, 4), 3);
	assert_int_equal(sl_utf8_cut("Jos\xc3\xa9", 5, 3), 3);
	assert_int_equal(sl_utf8_cut("\xe2\x80\x94xy", 5, 2), 0);
	assert_int_equal(sl_utf8_cut("\xe2\x80\x94xy", 5, 3), 3);
	/* binary bytes are cut where asked */
	assert_int_equal(sl_utf8_cut("\x80\x80\x80\x80\x80\x80", 6, 5), 5);
	assert_int_equal(sl_utf8_cut("a\x80\x80\x80", 4, 2), 2);
}

/* The non-ASCII bytes an output kept, in order. */
static size_t kept_bytes(const char *s, size_t n, char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			out[k++] = s[i];
	return k;
}

/* Output is UTF-8 text only, with no control or bidi character. */
static void assert_clean(const char *s, size_t n, int html_form)
{
	size_t k;
	uint32_t cp;

	for (size_t i = 0; i < n; i += k) {
		int kind = sl_utf8_char(s + i, n - i, &cp, &k);

		if (html_form && (s[i] == '\n' || s[i] == '\t'))
			continue;
		assert_int_equal(kind, SL_CHAR_TEXT);
	}
}

/* Whatever the bytes, the three keep the same characters and nothing
 * dangerous gets through. */
static void test_three_agree(void **state)
{
	static const unsigned char pool[] = {
		'a', '\\', '"', '<', '\n', 0x1b, 0x7f, 0x80, 0x9b, 0xa9, 0xae,
		0xc2, 0xc3, 0xe2, 0xed, 0xf0, 0xf4, 0x90, 0x9f, 0xff,
	};
	struct sl_buf t = SL_BUF_INIT, j = SL_BUF_INIT, h = SL_BUF_INIT;
	unsigned char in[24];
	char kt[200], kj[200], kh[200];

	(void)state;
	srand(7);
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)rand() % sizeof(in), a, b2, c;

		for (size_t i = 0; i < n; i++)
			in[i] = pool[(size_t)rand() % sizeof(pool)];
		sl_buf_reset(&t);
		assert_int_equal(sl_buf_escape(&t, in, n), 0);
		json(&j, (const char *)in, n);
		html(&h, (const char *)in, n);
		assert_int_equal(sl_escape(NULL, 0, in, n), t.len);
		assert_int_equal(sl_escape_width(in, n),
				 sl_text_width(t.data, t.len));
		assert_clean(t.data, t.len, 0);
		assert_clean(j.data, j.len, 0);
		assert_clean(h.data, h.len, 1);
		a = kept_bytes(t.data, t.len, kt);
		b2 = kept_bytes(j.data, j.len, kj);
		c = kept_bytes(h.data, h.len, kh);
		assert_int_equal(a, b2);
		assert_int_equal(a, c);
		assert_memory_equal(kt, kj, a);
		assert_memory_equal(kt, kh, a);
	}
	sl_buf_release(&t);
	sl_buf_release(&j);
	sl_buf_release(&h);
}

/* ---- numbers and addresses ---- */

static void test_fmt_uint(void **state)
{
	static const uint64_t v[] = { 0, 9, 10, 65535, 4294967296ull,
				      UINT64_MAX };
	char out[21], want[32];

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_SIZE(v); i++) {
		snprintf(want, sizeof(want), "%llu", (unsigned long long)v[i]);
		assert_int_equal(sl_fmt_uint(out, v[i]), strlen(want));
		assert_string_equal(out, want);
	}
	assert_int_equal(sl_fmt_ipv4(out, 0xc0a80001), 11);
	assert_string_equal(out, "192.168.0.1");
	assert_int_equal(sl_fmt_ipv4(out, 0xffffffff), 15);
	assert_string_equal(out, "255.255.255.255");
	sl_fmt_ipv4(out, 0x0a00640a);
	assert_string_equal(out, "10.0.100.10");
}

/* One IPv6 writer, byte for byte what glibc's inet_ntop writes: the
 * summary and the socket table must match tshark and ss. */
static void test_fmt_ipv6_is_inet_ntop(void **state)
{
	char out[46], want[INET6_ADDRSTRLEN];
	uint8_t a[16];

	(void)state;
	srand(3);
	for (int round = 0; round < 200000; round++) {
		/* mostly zero groups, so every run shape comes up */
		for (int g = 0; g < 8; g++) {
			int r = rand() % 8;
			uint16_t w = r < 5 ? 0 : r == 5 ? 0xffff :
				     r == 6 ? 1 : (uint16_t)rand();

			a[2 * g] = (uint8_t)(w >> 8);
			a[2 * g + 1] = (uint8_t)w;
		}
		inet_ntop(AF_INET6, a, want, sizeof(want));
		assert_int_equal(sl_fmt_ipv6(out, a), strlen(want));
		assert_string_equal(out, want);
	}
}

static void test_hexval(void **state)
{
	(void)state;
	for (int c = -128; c < 256; c++) {
		const char *d = "0123456789abcdef", *u = "0123456789ABCDEF";
		const char *p = c > 0 ? strchr(d, c) : NULL;
		const char *q = c > 0 ? strchr(u, c) : NULL;
		int want = p ? (int)(p - d) : q ? (int)(q - u) : -1;

		assert_int_equal(sl_hexval(c), want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_every_byte),
		cmocka_unit_test(test_ascii_json_html),
		cmocka_unit_test(test_escape_truncates_whole_units),
		cmocka_unit_test(test_utf8_text_kept),
		cmocka_unit_test(test_dangerous_code_points),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_truncated_at_end),
		cmocka_unit_test(test_json_and_buf_escape),
		cmocka_unit_test(test_escape_text),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_utf8_cut),
		cmocka_unit_test(test_three_agree),
		cmocka_unit_test(test_fmt_uint),
		cmocka_unit_test(test_fmt_ipv6_is_inet_ntop),
		cmocka_unit_test(test_hexval),
	};

	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
