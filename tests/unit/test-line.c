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

/* A server's view of sl_frame_bounded: answer while the replies fit,
 * stop at FULL, keep the rest in a buffer of its own, drain, resume. */
struct bounded_run {
	char names[64][8];	/* lines answered, in order */
	size_t lines, fulls, most_queued;
};

static void run_bounded(const char *input, size_t n, size_t limit,
			struct bounded_run *r)
{
	struct sl_framer f = { .max_line = 256, .limit = limit };
	char kept[1024];
	size_t have = n, queued = 0;
	struct sl_line l;
	ssize_t k;

	memset(r, 0, sizeof(*r));
	memcpy(kept, input, n);
	for (;;) {
		void *map;
		size_t maplen;
		char *g = guarded(kept, have, &map, &maplen);
		size_t off = 0;

		while ((k = sl_frame_bounded(&f, g + off, have - off, queued, 0,
					     &l)) > 0) {
			assert_true(l.len < sizeof(r->names[0]));
			memcpy(r->names[r->lines], l.p, l.len);
			r->names[r->lines++][l.len] = '\0';
			queued += sl_hello_reply_len(&l);
			if (queued > r->most_queued)
				r->most_queued = queued;
			off += (size_t)k;
		}
		/* what was not answered is kept, byte for byte */
		memmove(kept, g + off, have - off);
		have -= off;
		munmap(map, maplen);
		if (k != SL_FRAME_FULL)
			break;
		assert_true(queued > 0);
		r->fulls++;
		queued = 0;	/* the client read: the backlog drained */
	}
	assert_int_equal(k, SL_FRAME_MORE);
	assert_int_equal(have, 0);
}

static void test_bounded_stops_and_resumes(void **state)
{
	char in[1024];
	size_t n = 0;
	struct bounded_run r;

	(void)state;
	for (int i = 0; i < 50; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n, "n%02d\n", i);
	/* replies of 12 bytes, 40 at most queued: 3 per round */
	run_bounded(in, n, 40, &r);
	assert_int_equal(r.lines, 50);
	for (int i = 0; i < 50; i++) {
		char want[16];

		snprintf(want, sizeof(want), "n%02d", i);
		assert_string_equal(r.names[i], want);
	}
	assert_int_equal(r.most_queued, 36);
	assert_int_equal(r.fulls, 16);
	/* exactly at the limit still fits */
	run_bounded(in, n, 36, &r);
	assert_int_equal(r.most_queued, 36);
	assert_int_equal(r.fulls, 16);
	run_bounded(in, n, 35, &r);
	assert_int_equal(r.most_queued, 24);
	assert_int_equal(r.fulls, 24);
}

static void test_bounded_full_consumes_nothing(void **state)
{
	struct sl_framer f = { .max_line = 256, .limit = 20 };
	struct sl_line l = { NULL, 0 };

	(void)state;
	/* "Hello, alice!\n" is 14 bytes: fits 6 queued, not 7 */
	assert_int_equal(sl_frame_bounded(&f, "alice\nbob\n", 10, 6, 0, &l), 6);
	assert_int_equal(l.len, 5);
	l.p = NULL;
	assert_int_equal(sl_frame_bounded(&f, "alice\nbob\n", 10, 7, 0, &l),
			 SL_FRAME_FULL);
	/* an empty backlog takes a reply larger than the limit */
	f.limit = 4;
	assert_int_equal(sl_frame_bounded(&f, "alice\n", 6, 0, 0, &l), 6);
	assert_int_equal(sl_frame_bounded(&f, "alice\n", 6, 1, 0, &l),
			 SL_FRAME_FULL);
	/* an empty name's reply ("ERR empty name\n") counts its own size */
	f.limit = 30;
	assert_int_equal(sl_frame_bounded(&f, "\n", 1, 15, 0, &l), 1);
	assert_int_equal(sl_frame_bounded(&f, "\n", 1, 16, 0, &l),
			 SL_FRAME_FULL);
	/* a backlog already past the limit takes nothing */
	assert_int_equal(sl_frame_bounded(&f, "\n", 1, 31, 0, &l),
			 SL_FRAME_FULL);
}

static void test_bounded_partial_and_eof(void **state)
{
	struct sl_framer f = { .max_line = 256, .limit = 16 };
	struct sl_line l;

	(void)state;
	/* half a line is never FULL: there is nothing to answer yet */
	assert_int_equal(sl_frame_bounded(&f, "car", 3, 100, 0, &l),
			 SL_FRAME_MORE);
	/* at the end of the stream the last line counts, and waits too */
	assert_int_equal(sl_frame_bounded(&f, "carol", 5, 0, 1, &l), 5);
	assert_int_equal(l.len, 5);
	assert_memory_equal(l.p, "carol", 5);
	assert_int_equal(sl_frame_bounded(&f, "carol\r", 6, 0, 1, &l), 6);
	assert_int_equal(l.len, 5);
	assert_int_equal(sl_frame_bounded(&f, "carol", 5, 3, 1, &l),
			 SL_FRAME_FULL);
	assert_int_equal(sl_frame_bounded(&f, "", 0, 3, 1, &l), 0);
}

static void test_bounded_too_long_waits_for_empty_backlog(void **state)
{
	struct sl_framer f = { .max_line = 4, .limit = 1000 };
	struct sl_line l;

	(void)state;
	/* its error closes the connection: the replies before it go first */
	assert_int_equal(sl_frame_bounded(&f, "toolong\n", 8, 1, 0, &l),
			 SL_FRAME_FULL);
	assert_int_equal(sl_frame_bounded(&f, "toolong\n", 8, 0, 0, &l),
			 SL_FRAME_TOO_LONG);
	assert_int_equal(sl_frame_bounded(&f, "toolong", 7, 0, 0, &l),
			 SL_FRAME_TOO_LONG);
	assert_int_equal(sl_frame_bounded(&f, "toolo", 5, 9, 1, &l),
			 SL_FRAME_FULL);
	assert_int_equal(sl_frame_bounded(&f, "toolo", 5, 0, 1, &l),
			 SL_FRAME_TOO_LONG);
}

static void test_hello_reply_len(void **state)
{
	const char *names[] = { "", "a", "alice", "\x1b[2J" };

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_SIZE(names); i++) {
		struct sl_line l = { names[i], strlen(names[i]) };
		char out[SL_HELLO_REPLY_MAX(8)];
		enum sl_hello_verdict v;

		assert_int_equal(sl_hello_reply_len(&l),
				 sl_hello_reply(&l, out, &v));
	}
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

/* ---- one datagram in, one out ---- */

struct heard {
	int lines, errors;
	char last[64];
};

static void hear(const struct sl_line *line, enum sl_hello_verdict v,
		 const char *reply, size_t rn, void *arg)
{
	struct heard *h = arg;

	(void)line;
	h->lines += v == SL_HELLO_OK;
	h->errors += v != SL_HELLO_OK;
	snprintf(h->last, sizeof(h->last), "%.*s", (int)rn, reply);
}

/* The reply to the datagram s (guarded: nothing past its end is read). */
static size_t answer(const char *s, size_t n, size_t max, char *out,
		     size_t out_max, struct heard *h)
{
	void *map;
	size_t maplen, k;
	char *g = guarded(s, n, &map, &maplen);

	memset(h, 0, sizeof(*h));
	k = sl_hello_datagram(g, n, max, out, out_max, hear, h);
	munmap(map, maplen);
	out[k] = '\0';
	return k;
}

static void test_datagram_lines(void **state)
{
	char out[SL_DATAGRAM_MAX + 1];
	struct heard h;

	(void)state;
	/* nc -u sends the line with its newline; without it is the same */
	answer("carol\n", 6, 256, out, SL_DATAGRAM_MAX, &h);
	assert_string_equal(out, "Hello, carol!\n");
	answer("carol", 5, 256, out, SL_DATAGRAM_MAX, &h);
	assert_string_equal(out, "Hello, carol!\n");
	answer("a\r\nb\nc", 6, 256, out, SL_DATAGRAM_MAX, &h);
	assert_string_equal(out, "Hello, a!\nHello, b!\nHello, c!\n");
	assert_int_equal(h.lines, 3);
	/* an empty datagram, an empty line */
	answer("", 0, 256, out, SL_DATAGRAM_MAX, &h);
	assert_string_equal(out, "ERR empty name\n");
	answer("\n", 1, 256, out, SL_DATAGRAM_MAX, &h);
	assert_string_equal(out, "ERR empty name\n");
	assert_int_equal(h.errors, 1);
}

static void test_datagram_bounds(void **state)
{
	static char big[SL_DATAGRAM_MAX];
	char out[SL_DATAGRAM_MAX + 1];
	struct heard h;
	size_t k;

	(void)state;
	/* a line over the bound ends the answers with its error */
	k = answer("ok\nxxxxxxxxxx\nlater\n", 20, 4, out, SL_DATAGRAM_MAX, &h);
	assert_string_equal(out, "Hello, ok!\nERR line too long (max 4 bytes)\n");
	assert_int_equal(k, strlen(out));
	assert_int_equal(h.errors, 1);
	/* 32,000 lines of "a": their replies cannot all go in one datagram */
	for (size_t i = 0; i + 1 < sizeof(big); i += 2)
		memcpy(big + i, "a\n", 2);
	k = answer(big, sizeof(big) - 1, 256, out, SL_DATAGRAM_MAX, &h);
	assert_true(k <= SL_DATAGRAM_MAX);
	assert_string_equal(h.last, "ERR too many lines for one datagram\n");
	assert_int_equal(k, (size_t)h.lines * 10 + strlen(h.last));
	/* the least room it is made for */
	k = answer("alice\nbob\n", 10, 256, out, 128, &h);
	assert_true(k <= 128);
	assert_int_equal(h.lines, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_datagram_lines),
		cmocka_unit_test(test_datagram_bounds),
		cmocka_unit_test(test_simple_line),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_empty_lines),
		cmocka_unit_test(test_split_across_reads),
		cmocka_unit_test(test_bound_exact),
		cmocka_unit_test(test_too_long_before_newline),
		cmocka_unit_test(test_binary_line),
		cmocka_unit_test(test_last_line_at_eof),
		cmocka_unit_test(test_bounded_stops_and_resumes),
		cmocka_unit_test(test_bounded_full_consumes_nothing),
		cmocka_unit_test(test_bounded_partial_and_eof),
		cmocka_unit_test(test_bounded_too_long_waits_for_empty_backlog),
		cmocka_unit_test(test_hello_reply_len),
		cmocka_unit_test(test_hello_reply),
		cmocka_unit_test(test_hello_empty),
		cmocka_unit_test(test_hello_too_long),
	};

	return cmocka_run_group_tests_name("line", tests, NULL, NULL);
}
