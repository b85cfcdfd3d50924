/* test-addr.c - endpoint parsing, formatting and resolution of localhost */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "socklab/net.h"

static void roundtrip(const char *in, const char *expect)
{
	struct sl_endpoint ep;
	struct sl_err e;
	char out[SL_ADDRSTRLEN];

	assert_int_equal(sl_endpoint_parse(in, 59001, &ep, &e), 0);
	sl_addr_format((struct sockaddr *)&ep.ss, out, sizeof(out));
	assert_string_equal(out, expect);
}

static void test_parse_format(void **state)
{
	(void)state;
	roundtrip("127.0.0.1", "127.0.0.1:59001");
	roundtrip("127.0.0.1:80", "127.0.0.1:80");
	roundtrip("::1", "[::1]:59001");
	roundtrip("[::1]", "[::1]:59001");
	roundtrip("[::1]:59002", "[::1]:59002");
	roundtrip("0.0.0.0", "0.0.0.0:59001");
	roundtrip("::", "[::]:59001");
	roundtrip("[::ffff:127.0.0.1]:1", "[::ffff:127.0.0.1]:1");
	roundtrip("fe80::1%lo", "[fe80::1%lo]:59001");
	roundtrip("127.0.0.1:0", "127.0.0.1:0");
	roundtrip("255.255.255.255:65535", "255.255.255.255:65535");
	roundtrip("10.0.100.9:9", "10.0.100.9:9");
}

static void test_format_truncates(void **state)
{
	struct sl_endpoint ep;
	char out[8];

	(void)state;
	sl_endpoint_parse("127.0.0.1:59001", 1, &ep, NULL);
	/* like snprintf: the full length back, a cut and terminated string */
	assert_int_equal(sl_addr_format((struct sockaddr *)&ep.ss, out,
					sizeof(out)), 15);
	assert_string_equal(out, "127.0.0");
}

static void test_parse_rejects(void **state)
{
	static const char *bad[] = {
		"", "localhost", "1.2.3", "1.2.3.4.5", "256.0.0.1", "[127.0.0.1]",
		"[::1", "[::1]x", "::1]:80", "127.0.0.1:", "127.0.0.1:65536",
		"127.0.0.1:-1", "127.0.0.1:http", "[::1]:99999", "fe80::1%",
		"::g", "1.2.3.4 ",
	};
	struct sl_endpoint ep;
	struct sl_err e;

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_SIZE(bad); i++) {
		int rc = sl_endpoint_parse(bad[i], 1, &ep, &e);

		if (rc != -EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_non_null(strstr(e.msg, "bad "));
	}
}

static void test_port_parse(void **state)
{
	struct sl_err e;
	uint16_t p;

	(void)state;
	assert_int_equal(sl_port_parse("59001", 0, &p, &e), 0);
	assert_int_equal(p, 59001);
	assert_int_equal(sl_port_parse("1", 0, &p, &e), 0);
	assert_int_equal(sl_port_parse("65535", 0, &p, &e), 0);
	assert_int_equal(p, 65535);
	assert_int_equal(sl_port_parse("0", 1, &p, &e), 0);
	assert_int_equal(p, 0);
	assert_int_equal(sl_port_parse("0", 0, &p, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "listening on"));
	assert_int_equal(sl_port_parse("65536", 1, &p, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "59001"));
	assert_int_equal(sl_port_parse("-1", 1, &p, &e), -EINVAL);
	assert_int_equal(sl_port_parse("12ab", 1, &p, &e), -EINVAL);
	assert_int_equal(sl_port_parse("", 1, &p, &e), -EINVAL);
	assert_int_equal(sl_port_parse("99999999999999999999", 1, &p, &e),
			 -EINVAL);
	/* what the user typed comes back escaped */
	assert_int_equal(sl_port_parse("\x1b[2J", 1, &p, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "\\x1b[2J"));
}

static void test_localhost_is_loopback(void **state)
{
	struct sl_addrlist l;
	struct sl_err e;
	char a[SL_ADDRSTRLEN];

	(void)state;
	assert_int_equal(sl_resolve("localhost", 7, AF_UNSPEC, &l, &e), 0);
	assert_int_equal(l.n, 2);
	sl_addr_format((struct sockaddr *)&l.v[0].ss, a, sizeof(a));
	assert_string_equal(a, "[::1]:7");
	sl_addr_format((struct sockaddr *)&l.v[1].ss, a, sizeof(a));
	assert_string_equal(a, "127.0.0.1:7");
	sl_addrlist_release(&l);
	assert_int_equal(sl_resolve("LOCALHOST.", 7, AF_INET, &l, &e), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].ss.ss_family, AF_INET);
	sl_addrlist_release(&l);
	assert_int_equal(sl_resolve("db.localhost", 7, AF_INET6, &l, &e), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].ss.ss_family, AF_INET6);
	sl_addrlist_release(&l);
}

static void test_resolve_literals(void **state)
{
	struct sl_addrlist l;
	struct sl_err e;

	(void)state;
	assert_int_equal(sl_resolve("::1", 5, AF_UNSPEC, &l, &e), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(sl_addr_port((struct sockaddr *)&l.v[0].ss), 5);
	sl_addrlist_release(&l);
	assert_true(sl_resolve("127.0.0.1", 5, AF_INET6, &l, &e) < 0);
	assert_non_null(strstr(e.msg, "IPv4 address"));
}

static void test_loopback_test(void **state)
{
	struct sl_endpoint ep;

	(void)state;
	sl_endpoint_parse("127.9.9.9", 1, &ep, NULL);
	assert_true(sl_addr_is_loopback((struct sockaddr *)&ep.ss));
	sl_endpoint_parse("::1", 1, &ep, NULL);
	assert_true(sl_addr_is_loopback((struct sockaddr *)&ep.ss));
	sl_endpoint_parse("::ffff:127.0.0.1", 1, &ep, NULL);
	assert_true(sl_addr_is_loopback((struct sockaddr *)&ep.ss));
	sl_endpoint_parse("198.18.0.1", 1, &ep, NULL);
	assert_false(sl_addr_is_loopback((struct sockaddr *)&ep.ss));
}

static void test_numbers(void **state)
{
	unsigned long v;
	double d;

	(void)state;
	assert_int_equal(sl_parse_uint("10", 1, 10, &v), 0);
	assert_int_equal(sl_parse_uint("11", 1, 10, &v), -ERANGE);
	assert_int_equal(sl_parse_uint(" 1", 1, 10, &v), -EINVAL);
	assert_int_equal(sl_parse_seconds("0.5", 10, &d), 0);
	assert_true(d == 0.5);
	assert_int_equal(sl_parse_seconds("nan", 10, &d), -EINVAL);
	assert_int_equal(sl_parse_seconds("inf", 10, &d), -EINVAL);
	assert_int_equal(sl_parse_seconds("-1", 10, &d), -EINVAL);
	assert_int_equal(sl_parse_seconds("11", 10, &d), -ERANGE);
}

static void split(const char *in, int want, const char *host, uint16_t port)
{
	char h[64];
	uint16_t p = 0;
	struct sl_err e;

	assert_int_equal(sl_hostport_split(in, h, sizeof(h), &p, &e), want);
	if (want >= 0)
		assert_string_equal(h, host);
	if (want == 1)
		assert_int_equal(p, port);
}

static void test_hostport_split(void **state)
{
	(void)state;
	split("localhost:59001", 1, "localhost", 59001);
	split("127.0.0.1:80", 1, "127.0.0.1", 80);
	split("[::1]:59001", 1, "::1", 59001);
	split("[fe80::1%lo]:7", 1, "fe80::1%lo", 7);
	/* no port: the text names a host (or is a NAME) as it is */
	split("alice", 0, "alice", 0);
	split("::1", 0, "::1", 0);
	split("[::1]", 0, "::1", 0);
	split("bob:x", 0, "bob:x", 0);
	split("a:", 0, "a:", 0);
	/* a port that is no port */
	split("localhost:0", -EINVAL, NULL, 0);
	split("[::1]:65536", -EINVAL, NULL, 0);
	split("0123456789012345678901234567890123456789012345678901234567890123456789",
	      -ENAMETOOLONG, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_format),
		cmocka_unit_test(test_hostport_split),
		cmocka_unit_test(test_format_truncates),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_port_parse),
		cmocka_unit_test(test_localhost_is_loopback),
		cmocka_unit_test(test_resolve_literals),
		cmocka_unit_test(test_loopback_test),
		cmocka_unit_test(test_numbers),
	};

	return cmocka_run_group_tests_name("addr", tests, NULL, NULL);
}
