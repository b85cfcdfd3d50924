/* test-load.c - the load generator's pure parts: latency percentiles from
 * the log-linear histogram against a sorted-array reference, the reply
 * check on guarded buffers, and a run against a port that refuses */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "socklab/load.h"

static struct sl_hist h;

/* |got - want| <= want / 128 (a bucket's relative width), or exact */
static void assert_near(uint64_t got, uint64_t want)
{
	uint64_t d = got > want ? got - want : want - got;

	if (d > want / 128) {
		fail_msg("got %llu, want %llu (+-%llu)", (unsigned long long)got,
			 (unsigned long long)want,
			 (unsigned long long)(want / 128));
	}
}

static void test_hist_empty(void **state)
{
	(void)state;
	sl_hist_init(&h);
	assert_int_equal(sl_hist_percentile(&h, 50), 0);
	assert_int_equal(sl_hist_percentile(&h, 100), 0);
}

static void test_hist_small_values_exact(void **state)
{
	(void)state;
	sl_hist_init(&h);
	for (uint64_t v = 100; v >= 1; v--)
		sl_hist_add(&h, v);
	assert_int_equal(h.count, 100);
	assert_int_equal(h.min, 1);
	assert_int_equal(h.max, 100);
	assert_int_equal(h.sum, 5050);
	/* nearest rank: the smallest value with at least p% at or below it */
	assert_int_equal(sl_hist_percentile(&h, 50), 50);
	assert_int_equal(sl_hist_percentile(&h, 90), 90);
	assert_int_equal(sl_hist_percentile(&h, 99), 99);
	assert_int_equal(sl_hist_percentile(&h, 99.5), 100);
	assert_int_equal(sl_hist_percentile(&h, 100), 100);
	assert_int_equal(sl_hist_percentile(&h, 0.1), 1);
}

static void test_hist_single_value(void **state)
{
	(void)state;
	sl_hist_init(&h);
	sl_hist_add(&h, 67123);
	/* clamped to [min, max]: one value is reported exactly */
	assert_int_equal(sl_hist_percentile(&h, 50), 67123);
	assert_int_equal(sl_hist_percentile(&h, 99), 67123);
}

static void test_hist_odd_count_rank(void **state)
{
	(void)state;
	sl_hist_init(&h);
	sl_hist_add(&h, 10);
	sl_hist_add(&h, 20);
	sl_hist_add(&h, 30);
	/* ceil(0.5 * 3) = 2nd value; ceil(0.9 * 3) = 3rd */
	assert_int_equal(sl_hist_percentile(&h, 50), 20);
	assert_int_equal(sl_hist_percentile(&h, 90), 30);
	assert_int_equal(sl_hist_percentile(&h, 33), 10);
	assert_int_equal(sl_hist_percentile(&h, 34), 20);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void test_hist_against_sorted_reference(void **state)
{
	enum { N = 20000 };
	static uint64_t v[N];
	static const double ps[] = { 1, 10, 50, 90, 99, 99.9 };
	uint64_t x = 88172645463325252ull;

	(void)state;
	sl_hist_init(&h);
	for (int i = 0; i < N; i++) {
		/* xorshift: latencies from 1 us to about 1 s, log-spread */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v[i] = 1000 + (x % 1000000) * ((x >> 40) % 1000 + 1);
		sl_hist_add(&h, v[i]);
	}
	qsort(v, N, sizeof(v[0]), cmp_u64);
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		size_t rank = (size_t)(ps[i] / 100.0 * N + 0.999999);

		assert_near(sl_hist_percentile(&h, ps[i]), v[rank - 1]);
	}
	assert_int_equal(sl_hist_percentile(&h, 100), v[N - 1]);
	assert_int_equal(h.min, v[0]);
}

static void test_hist_every_power_of_two(void **state)
{
	(void)state;
	for (int e = 0; e < 64; e++) {
		uint64_t vals[] = { (uint64_t)1 << e, ((uint64_t)1 << e) + 1,
				    e ? ((uint64_t)1 << e) - 1 : 0,
				    ((uint64_t)1 << e) | ((uint64_t)1 << e) / 3 };

		for (size_t i = 0; i < 4; i++) {
			struct sl_hist two;
			uint64_t lo = vals[i] / 2 + 1, hi = vals[i];

			if (lo > hi) {
				lo = hi;
				hi = vals[i] / 2 + 1;
			}
			sl_hist_init(&two);
			sl_hist_add(&two, hi);
			sl_hist_add(&two, lo);
			assert_near(sl_hist_percentile(&two, 50), lo);
			assert_int_equal(sl_hist_percentile(&two, 100), hi);
		}
	}
	sl_hist_init(&h);
	sl_hist_add(&h, UINT64_MAX);
	assert_int_equal(sl_hist_percentile(&h, 50), UINT64_MAX);
}

static void test_hist_merge(void **state)
{
	struct sl_hist a, b;

	(void)state;
	sl_hist_init(&a);
	sl_hist_init(&b);
	for (uint64_t v = 1; v <= 50; v++)
		sl_hist_add(&a, v);
	for (uint64_t v = 51; v <= 100; v++)
		sl_hist_add(&b, v);
	sl_hist_merge(&a, &b);
	assert_int_equal(a.count, 100);
	assert_int_equal(a.min, 1);
	assert_int_equal(a.max, 100);
	assert_int_equal(sl_hist_percentile(&a, 90), 90);
}

/* the reply check reads only n bytes: n bytes end right at a PROT_NONE
 * page */
static enum sl_reply_verdict check(const char *s, size_t n)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *base = mmap(NULL, 2 * (size_t)pg, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	enum sl_reply_verdict v;

	assert_true(base != MAP_FAILED);
	assert_int_equal(mprotect(base + pg, (size_t)pg, PROT_NONE), 0);
	memcpy(base + pg - n, s, n);
	v = sl_reply_check(base + pg - n, n, "Hello, alice!", 13);
	munmap(base, 2 * (size_t)pg);
	return v;
}

#define CHECK(s) check(s, sizeof(s) - 1)

static void test_reply_ok(void **state)
{
	(void)state;
	assert_int_equal(CHECK("Hello, alice!\n"), SL_REPLY_OK);
	assert_int_equal(CHECK("Hello, alice!\r\n"), SL_REPLY_OK);
	/* what follows the first line is not the exchange's business */
	assert_int_equal(CHECK("Hello, alice!\nHello, bob!\n"), SL_REPLY_OK);
}

static void test_reply_more(void **state)
{
	(void)state;
	assert_int_equal(check("", 0), SL_REPLY_MORE);
	assert_int_equal(CHECK("Hel"), SL_REPLY_MORE);
	assert_int_equal(CHECK("Hello, alice!"), SL_REPLY_MORE);
	assert_int_equal(CHECK("Hello, alice!\r"), SL_REPLY_MORE);
	/* unknown yet: a wrong reply is only known at its newline or size */
	assert_int_equal(CHECK("ERR"), SL_REPLY_MORE);
}

static void test_reply_wrong(void **state)
{
	(void)state;
	assert_int_equal(CHECK("Hello, bob!\n"), SL_REPLY_WRONG);
	assert_int_equal(CHECK("ERR server busy\n"), SL_REPLY_WRONG);
	assert_int_equal(CHECK("\n"), SL_REPLY_WRONG);
	assert_int_equal(CHECK("Hello, alice\n"), SL_REPLY_WRONG);
	assert_int_equal(CHECK("Hello, alice!!\n"), SL_REPLY_WRONG);
	assert_int_equal(CHECK("hello, alice!\n"), SL_REPLY_WRONG);
	assert_int_equal(CHECK("Hello, alice!\r\r\n"), SL_REPLY_WRONG);
	/* want + "\r\n" bytes without a newline cannot become it */
	assert_int_equal(CHECK("Hello, alice!xx"), SL_REPLY_WRONG);
	assert_int_equal(CHECK("Hello, alice!\rx"), SL_REPLY_WRONG);
}

static void test_err_names_stable(void **state)
{
	static const char *const want[SL_LOAD_NERR] = {
		"refused", "reset", "timeout", "wrong_reply", "closed",
		"local", "other",
	};

	(void)state;
	for (int k = 0; k < SL_LOAD_NERR; k++)
		assert_string_equal(sl_load_err_name(k), want[k]);
	assert_string_equal(sl_load_err_name(SL_LOAD_NERR), "other");
}

/* A bound socket that does not listen answers SYNs with RST: every
 * exchange is refused, the count is honoured and nothing is left open. */
static void test_run_refused(void **state)
{
	struct sl_load_opts o;
	struct sl_load_stats *st = malloc(sizeof(*st));
	struct sl_endpoint ep;
	struct sl_err e;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	assert_non_null(st);
	assert_true(fd >= 0);
	assert_int_equal(sl_endpoint_parse("127.0.0.1:0", 0, &ep, &e), 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&ep.ss, ep.len), 0);
	assert_int_equal(sl_sock_local(fd, &ep), 0);
	sl_load_opts_init(&o);
	o.ep = ep;
	o.exchanges = 100;
	o.concurrency = 8;
	o.duration_ms = 10000;
	assert_int_equal(sl_load_run(&o, st, &e), 0);
	assert_int_equal(st->errors[SL_LOAD_REFUSED], 100);
	assert_int_equal(sl_load_errors(st), 100);
	assert_int_equal(st->ok, 0);
	assert_int_equal(st->unfinished, 0);
	close(fd);
	free(st);
}

static void test_run_bad_opts(void **state)
{
	struct sl_load_opts o;
	struct sl_load_stats *st = malloc(sizeof(*st));
	struct sl_err e;

	(void)state;
	assert_non_null(st);
	sl_load_opts_init(&o);
	o.name = "two\nlines";
	assert_int_equal(sl_load_run(&o, st, &e), -EINVAL);
	sl_load_opts_init(&o);
	o.hold = 3;		/* a hold needs a duration */
	assert_int_equal(sl_load_run(&o, st, &e), -EINVAL);
	free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hist_empty),
		cmocka_unit_test(test_hist_small_values_exact),
		cmocka_unit_test(test_hist_single_value),
		cmocka_unit_test(test_hist_odd_count_rank),
		cmocka_unit_test(test_hist_against_sorted_reference),
		cmocka_unit_test(test_hist_every_power_of_two),
		cmocka_unit_test(test_hist_merge),
		cmocka_unit_test(test_reply_ok),
		cmocka_unit_test(test_reply_more),
		cmocka_unit_test(test_reply_wrong),
		cmocka_unit_test(test_err_names_stable),
		cmocka_unit_test(test_run_refused),
		cmocka_unit_test(test_run_bad_opts),
	};

	return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
