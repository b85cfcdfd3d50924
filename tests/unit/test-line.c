/* test-line.c - the line framer and the hello replies, as pure functions */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "guard.h"

#include "socklab/line.h"

static ssize_t frame(const char *s, size_t n, size_t max, struct sl_line *l)
{
	void *map;
	size_t maplen;
	char *g = guarded(s, n, &map, &maplen);
	ssize_t k = sl_frame_next(g, n, max, l);

	/* point the result back into the caller's copy before unmapping */
	if (k > 0)
		l->p = s + (l->p - g);
	munmap(map, maplen);
	return k;
}

static void test_simple_line(void **state)
{
	struct sl_line l;

	(void)state;
	assert_int_equal(frame("alice\n", 6, 256, &l), 6);
	assert_int_equal(l.len, 5);
	assert_memory_equal(l.p, "alice", 5);
}

static void test_crlf(void **state)
{
	struct sl_line l;

	(void)state;
	assert_int_equal(frame("bob\r\nrest", 9, 256, &l), 5);
	assert_int_equal(l.len, 3);
	assert_memory_equal(l.p, "bob", 3);
}

static void test_empty_lines(void **state)
{
	struct sl_line l;

	(void)state;
	assert_int_equal(frame("\n", 1, 256, &l), 1);
	assert_int_equal(l.len, 0);
	assert_int_equal(frame("\r\n", 2, 256, &l), 2);
	assert_int_equal(l.len, 0);
	assert_int_equal(frame("", 0, 256, &l), SL_FRAME_MORE);
}

static void test_split_across_reads(void **state)
{
	const char *parts[] = { "al", "ic", "e\nbo", "b\n" };
	char acc[64];
	size_t n = 0, lines = 0;
	struct sl_line l;
	char got[2][8];

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		ssize_t k;

		memcpy(acc + n, parts[i], strlen(parts[i]));
		n += strlen(parts[i]);
		while ((k = frame(acc, n, 256, &l)) > 0) {
			memcpy(got[lines], l.p, l.len);
			got[lines][l.len] = '\0';
			lines++;
			memmove(acc, acc + k, n - (size_t)k);
			n -= (size_t)k;
		}
		assert_int_equal(k, SL_FRAME_MORE);
	}
	assert_int_equal(lines, 2);
	assert_string_equal(got[0], "alice");
	assert_string_equal(got[1], "bob");
	assert_int_equal(n, 0);
}

static void test_bound_exact(void **state)
{
	char buf[16];
	struct sl_line l;

	(void)state;
	memset(buf, 'x', sizeof(buf));
	buf[10] = '\n';
	assert_int_equal(frame(buf, 11, 10, &l), 11);	/* exactly max */
	assert_int_equal(l.len, 10);
	buf[10] = '\r';
	buf[11] = '\n';
	assert_int_equal(frame(buf, 12, 10, &l), 12);	/* max plus CRLF */
	assert_int_equal(l.len, 10);
	buf[10] = 'x';
	assert_int_equal(frame(buf, 12, 10, &l), SL_FRAME_TOO_LONG);
}

static void test_too_long_before_newline(void **state)
{
	char buf[300];
	struct sl_line l;

	(void)state;
	memset(buf, 'y', sizeof(buf));
	/* max bytes with no newline yet: could still end, wait */
	assert_int_equal(frame(buf, 10, 10, &l), SL_FRAME_MORE);
	/* max + 1 bytes that are not "\r": known too long already */
	assert_int_equal(frame(buf, 11, 10, &l), SL_FRAME_TOO_LONG);
	buf[10] = '\r';
	assert_int_equal(frame(buf, 11, 10, &l), SL_FRAME_MORE);
	assert_int_equal(frame(buf, 300, 256, &l), SL_FRAME_TOO_LONG);
}

static void test_binary_line(void **state)
{
	const char bin[] = { 'a', 0, (char)0xff, 0x1b, '\n' };
	struct sl_line l;

	(void)state;
	assert_int_equal(frame(bin, sizeof(bin), 256, &l), 5);
	assert_int_equal(l.len, 4);
	assert_memory_equal(l.p, bin, 4);
}

static void test_last_line_at_eof(void **state)
{
	struct sl_line l;

	(void)state;
	assert_int_equal(sl_frame_last("carol", 5, 256, &l), 5);
	assert_int_equal(l.len, 5);
	assert_int_equal(sl_frame_last("carol\r", 6, 256, &l), 6);
	assert_int_equal(l.len, 5);
	assert_int_equal(sl_frame_last("", 0, 256, &l), 0);
	assert_int_equal(sl_frame_last("abcdef", 6, 5, &l), SL_FRAME_TOO_LONG);
}

static void test_hello_reply(void **state)
{
	struct sl_line l = { "alice", 5 };
	enum sl_hello_verdict v;
	char out[SL_HELLO_REPLY_MAX(5)];
	size_t n = sl_hello_reply(&l, out, &v);

	(void)state;
	assert_int_equal(v, SL_HELLO_OK);
	assert_int_equal(n, 14);
	assert_memory_equal(out, "Hello, alice!\n", 14);
}

static void test_hello_empty(void **state)
{
	struct sl_line l = { "", 0 };
	enum sl_hello_verdict v;
	char out[SL_HELLO_REPLY_MAX(0)];
	size_t n = sl_hello_reply(&l, out, &v);

	(void)state;
	assert_int_equal(v, SL_HELLO_EMPTY);
	assert_memory_equal(out, "ERR empty name\n", n);
	assert_int_equal(n, 15);
}

static void test_hello_too_long(void **state)
{
	char out[80];
	size_t n = sl_hello_too_long(256, out, sizeof(out));

	(void)state;
	assert_int_equal(n, strlen("ERR line too long (max 256 bytes)\n"));
	assert_memory_equal(out, "ERR line too long (max 256 bytes)\n", n);
	/* a short buffer truncates instead of overflowing */
	n = sl_hello_too_long(256, out, 8);
	assert_int_equal(n, 7);
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
		else
			snprintf(expect, sizeof(expect), "\\x%02x", c);
		assert_string_equal(out, expect);
		assert_int_equal(n, strlen(expect));
		/* what the terminal sees is printable ASCII only */
		for (size_t i = 0; i < n; i++)
			assert_true(out[i] >= 0x20 && out[i] < 0x7f);
	}
}

static void test_escape_truncates_whole_escapes(void **state)
{
	char out[6];
	size_t need = sl_escape(out, sizeof(out), "ab\x1b", 3);

	(void)state;
	assert_int_equal(need, 6);
	assert_string_equal(out, "ab");	/* never half of "\x1b" */
}

static void test_buf_escape_and_json(void **state)
{
	struct sl_buf b = SL_BUF_INIT;

	(void)state;
	assert_int_equal(sl_buf_escape(&b, "a\"\x1b", 3), 0);
	assert_string_equal(b.data, "a\\\"\\x1b");
	sl_buf_reset(&b);
	assert_int_equal(sl_buf_json_str(&b, "q\"\\\n\x01\xff", 6), 0);
	assert_string_equal(b.data, "\"q\\\"\\\\\\n\\u0001\\u00ff\"");
	/* valid UTF-8 passes; a lone lead byte or an overlong form does not */
	sl_buf_reset(&b);
	assert_int_equal(sl_buf_json_str(&b, "\xe2\x86\x92\xe2\x86\xc0\x80", 7), 0);
	assert_string_equal(b.data, "\"\xe2\x86\x92\\u00e2\\u0086\\u00c0\\u0080\"");
	/* a C1 CSI and a right-to-left override are escaped byte by byte */
	sl_buf_reset(&b);
	assert_int_equal(sl_buf_json_str(&b, "\xc2\x9b\xe2\x80\xae", 5), 0);
	assert_string_equal(b.data, "\"\\u00c2\\u009b\\u00e2\\u0080\\u00ae\"");
	sl_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_line),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_empty_lines),
		cmocka_unit_test(test_split_across_reads),
		cmocka_unit_test(test_bound_exact),
		cmocka_unit_test(test_too_long_before_newline),
		cmocka_unit_test(test_binary_line),
		cmocka_unit_test(test_last_line_at_eof),
		cmocka_unit_test(test_hello_reply),
		cmocka_unit_test(test_hello_empty),
		cmocka_unit_test(test_hello_too_long),
		cmocka_unit_test(test_escape_every_byte),
		cmocka_unit_test(test_escape_truncates_whole_escapes),
		cmocka_unit_test(test_buf_escape_and_json),
	};

	return cmocka_run_group_tests_name("line", tests, NULL, NULL);
}
