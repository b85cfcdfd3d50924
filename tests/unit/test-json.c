/* test-json.c - the JSON reader: values, escapes, the tree, bounds and
 * every kind of bad text */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "socklab/util.h"

static struct sl_json j;

static int setup(void **state)
{
	(void)state;
	sl_json_init(&j);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sl_json_release(&j);
	return 0;
}

static const struct sl_json_node *parse(const char *text)
{
	struct sl_err e;

	assert_int_equal(sl_json_parse(&j, text, strlen(text), &e), 0);
	return sl_json_root(&j);
}

static void test_event_line(void **state)
{
	const struct sl_json_node *r, *a;
	uint64_t u;
	size_t n;

	(void)state;
	r = parse("{\"event\":\"received\",\"peer\":\"127.0.0.1:5\","
		  "\"name\":\"alice\",\"reads\":2,\"ok\":true,\"x\":null,"
		  "\"addresses\":[\"127.0.0.1:1\",\"[::1]:1\"]}");
	assert_int_equal(r->type, SL_JSON_OBJECT);
	assert_int_equal(r->count, 7);
	assert_string_equal(sl_json_str(&j, sl_json_member(&j, r, "event"), &n),
			    "received");
	assert_int_equal(n, 8);
	assert_int_equal(sl_json_uint(sl_json_member(&j, r, "reads"), 10, &u), 0);
	assert_int_equal(u, 2);
	assert_int_equal(sl_json_member(&j, r, "ok")->type, SL_JSON_TRUE);
	assert_int_equal(sl_json_member(&j, r, "x")->type, SL_JSON_NULL);
	assert_null(sl_json_member(&j, r, "missing"));
	a = sl_json_member(&j, r, "addresses");
	assert_int_equal(a->type, SL_JSON_ARRAY);
	assert_int_equal(a->count, 2);
	assert_string_equal(sl_json_str(&j, sl_json_first(&j, a), NULL),
			    "127.0.0.1:1");
	assert_string_equal(sl_json_str(&j, sl_json_next(&j, sl_json_first(&j, a)),
					NULL), "[::1]:1");
	assert_null(sl_json_next(&j, sl_json_next(&j, sl_json_first(&j, a))));
}

static void test_escapes(void **state)
{
	const struct sl_json_node *r;
	const char *s;
	size_t n;

	(void)state;
	r = parse("\"a\\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9\\u2014\\ud83d\\ude00\\u0000z\"");
	s = sl_json_str(&j, r, &n);
	{
		static const char want[] = "a\"b\\c/\b\f\n\r\t\xc3\xa9"
			"\xe2\x80\x94\xf0\x9f\x98\x80\0z";

		assert_int_equal(n, sizeof(want) - 1);
		assert_memory_equal(s, want, n);
	}
	/* a lone surrogate is U+FFFD */
	s = sl_json_str(&j, parse("\"\\udc00x\""), &n);
	assert_memory_equal(s, "\xef\xbf\xbdx", 4);
	/* raw UTF-8 passes */
	assert_string_equal(sl_json_str(&j, parse("\"Jos\xc3\xa9\""), NULL),
			    "Jos\xc3\xa9");
}

static void test_numbers(void **state)
{
	uint64_t u;

	(void)state;
	assert_true(parse("-12.5e1")->num == -125.0);
	assert_int_equal(sl_json_uint(parse("65535"), 65535, &u), 0);
	assert_int_equal(u, 65535);
	assert_int_equal(sl_json_uint(parse("65536"), 65535, &u), -EINVAL);
	assert_int_equal(sl_json_uint(parse("1.5"), 65535, &u), -EINVAL);
	assert_int_equal(sl_json_uint(parse("-1"), 65535, &u), -EINVAL);
	assert_int_equal(sl_json_uint(parse("1e30"), UINT64_MAX, &u), -EINVAL);
	assert_int_equal(sl_json_uint(parse("\"1\""), 9, &u), -EINVAL);
}

static void test_rejects(void **state)
{
	static const char *const bad[] = {
		"", " ", "{", "[", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
		"[1,]", "[1 2]", "01", "1.", ".5", "-", "1e", "+1", "\"abc",
		"\"a\\x\"", "\"\\u12\"", "\"a\nb\"", "tru", "nul", "{a:1}",
		"{\"a\":1} x", "[1]]", "'a'",
	};
	struct sl_err e;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e.code = 0;
		assert_int_equal(sl_json_parse(&j, bad[i], strlen(bad[i]), &e),
				 -EINVAL);
		assert_int_equal(e.code, -EINVAL);
		assert_non_null(strstr(e.msg, "not valid JSON at byte"));
		assert_null(sl_json_root(&j));
	}
}

static void test_depth_bound(void **state)
{
	char deep[200];
	struct sl_err e;

	(void)state;
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	assert_int_equal(sl_json_parse(&j, deep, 130, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "nested too deep"));
	assert_int_equal(sl_json_parse(&j, deep + 1, 128, &e), 0);
}

static void test_reuse(void **state)
{
	(void)state;
	parse("[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18]");
	assert_int_equal(sl_json_root(&j)->count, 18);
	assert_string_equal(sl_json_str(&j, parse("\"x\""), NULL), "x");
	assert_int_equal(j.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_event_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rejects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reuse, setup, teardown),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
