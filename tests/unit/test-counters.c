/* test-counters.c - lib/diag's counter readers as pure functions: the
 * two text formats of /proc/net/snmp{,6} and netstat named as nstat names
 * them, malformed lines skipped, the sockstat totals ss -s adds up, the
 * words for every counter socklab shows; and the real files of this
 * machine read */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "guard.h"

#include "socklab/diag.h"

static struct sl_counters parse(const char *text)
{
	struct sl_counters c;
	void *map;
	size_t maplen, n = strlen(text);
	char *g = guarded(text, n, &map, &maplen);

	sl_counters_init(&c);
	assert_true(sl_counters_parse(g, n, &c) >= 0);
	munmap(map, maplen);
	return c;
}

static uint64_t value(const struct sl_counters *c, const char *name)
{
	const struct sl_counter *k = sl_counters_find(c, name);

	if (!k)
		fail_msg("no counter %s", name);
	return k ? k->value : 0;
}

static void test_pairs_of_lines(void **state)
{
	struct sl_counters c = parse(
		"Tcp: RtoAlgorithm RtoMin MaxConn ActiveOpens PassiveOpens\n"
		"Tcp: 1 200 -1 45154 44525\n"
		"Udp: InDatagrams NoPorts\n"
		"Udp: 14661 9\n"
		"TcpExt: SyncookiesSent ListenOverflows TW\n"
		"TcpExt: 0 12 34231");

	(void)state;
	assert_int_equal(c.n, 10);
	assert_int_equal(value(&c, "TcpActiveOpens"), 45154);
	assert_int_equal(value(&c, "TcpPassiveOpens"), 44525);
	/* nstat's %llu reads -1 as the largest number */
	assert_true(value(&c, "TcpMaxConn") == UINT64_MAX);
	assert_int_equal(value(&c, "UdpNoPorts"), 9);
	assert_int_equal(value(&c, "TcpExtListenOverflows"), 12);
	assert_int_equal(value(&c, "TcpExtTW"), 34231);
	sl_counters_release(&c);
}

static void test_snmp6_lines(void **state)
{
	struct sl_counters c = parse(
		"#kernel\n"
		"Udp6InDatagrams                 \t12\n"
		"Udp6NoPorts 3\n"
		"Ip6InReceives\n"
		"Udp6InErrors x\n"
		"Udp6OutDatagrams 18446744073709551616\n");

	(void)state;
	assert_int_equal(c.n, 2);
	assert_int_equal(value(&c, "Udp6InDatagrams"), 12);
	assert_int_equal(value(&c, "Udp6NoPorts"), 3);
	assert_null(sl_counters_find(&c, "Udp6OutDatagrams"));
	sl_counters_release(&c);
}

static void test_malformed_pairs(void **state)
{
	struct sl_counters c = parse(
		"Tcp: A B C\n"
		"Udp: 1 2 3\n"		/* not Tcp's values: a header itself */
		"Udp: 4 5\n"		/* numbers as names: taken as they come */
		"Ip: X Y\n"
		"Ip: 7 oops\n"		/* the bad value alone is skipped */
		"Icmp: Z\n");		/* no value line at the end */

	(void)state;
	assert_int_equal(value(&c, "IpX"), 7);
	assert_null(sl_counters_find(&c, "IpY"));
	assert_null(sl_counters_find(&c, "TcpA"));
	assert_int_equal(value(&c, "Udp1"), 4);
	assert_null(sl_counters_find(&c, "IcmpZ"));
	sl_counters_release(&c);
}

static void test_sockstat(void **state)
{
	static const char v4[] =
		"sockets: used 16\n"
		"TCP: inuse 5 orphan 1 tw 2 alloc 7 mem 99\n"
		"UDP: inuse 3 mem 0\nUDPLITE: inuse 0\nRAW: inuse 1\n"
		"FRAG: inuse 0 memory 0\n";
	static const char v6[] = "TCP6: inuse 4\nUDP6: inuse 2\nRAW6: inuse 0\nFRAG6: inuse 0 memory 0\n";
	struct sl_sockstat st;

	(void)state;
	memset(&st, 0, sizeof(st));
	assert_int_equal(sl_sockstat_parse(v4, sizeof(v4) - 1, &st), 12);
	assert_int_equal(sl_sockstat_parse(v6, sizeof(v6) - 1, &st), 5);
	assert_int_equal(st.sockets, 16);
	assert_int_equal(st.tcp_inuse, 5);
	assert_int_equal(st.tcp_orphan, 1);
	assert_int_equal(st.tcp_tw, 2);
	assert_int_equal(st.tcp_alloc, 7);
	assert_int_equal(st.tcp6_inuse, 4);
	assert_int_equal(st.udp_inuse, 3);
	assert_int_equal(st.udp6_inuse, 2);
	assert_int_equal(st.raw_inuse, 1);
}

static void test_words(void **state)
{
	size_t n;
	const struct sl_counter_doc *d = sl_counter_docs(&n);

	(void)state;
	assert_true(n >= 20);
	for (size_t i = 0; i < n; i++) {
		/* one line, no period: the house's message style */
		assert_true(d[i].words && d[i].words[0]);
		assert_null(strchr(d[i].words, '\n'));
		assert_true(d[i].words[strlen(d[i].words) - 1] != '.');
		assert_true(strlen(d[i].name) < SL_COUNTER_NAME);
	}
}

/* The files of this network namespace hold every counter explained. */
static void test_read_here(void **state)
{
	struct sl_counters c;
	struct sl_sockstat st;
	struct sl_err e;
	size_t n;
	const struct sl_counter_doc *d = sl_counter_docs(&n);

	(void)state;
	sl_counters_init(&c);
	assert_int_equal(sl_counters_read(&c, &e), 0);
	for (size_t i = 0; i < n; i++)
		if (!sl_counters_find(&c, d[i].name))
			fail_msg("this kernel has no %s", d[i].name);
	sl_counters_release(&c);
	assert_int_equal(sl_sockstat_read(&st, &e), 0);
	assert_true(st.sockets > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs_of_lines),
		cmocka_unit_test(test_snmp6_lines),
		cmocka_unit_test(test_malformed_pairs),
		cmocka_unit_test(test_sockstat),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_read_here),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
