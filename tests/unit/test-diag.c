/* test-diag.c - lib/diag: recorded sock_diag replies and /proc/net text
 * decode to the same rows; state names; the JSON row; snapshot diffs; the
 * "who holds this port" clause; owners of a socket of our own */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture.h"
#include "guard.h"

#include "socklab/diag.h"

/* The fixtures: one moment's sockets on port 38649, recorded on loopback
 * as a netlink dump (diag-*.nl, only that port's messages kept) and as
 * /proc/net text (diag-*.txt, the header and that port's lines). */
#define FIXTURE_PORT 38649

static const struct {
	const char *nl, *txt;
	int proto;
	size_t rows;
} tables[] = {
	{ "diag-tcp4.nl", "diag-tcp.txt", IPPROTO_TCP, 7 },
	{ "diag-tcp6.nl", "diag-tcp6.txt", IPPROTO_TCP, 4 },
	{ "diag-udp4.nl", "diag-udp.txt", IPPROTO_UDP, 2 },
	{ "diag-udp6.nl", "diag-udp6.txt", IPPROTO_UDP, 1 },
};

static const struct sl_diag_query all_q = {
	SL_DIAG_TCP | SL_DIAG_UDP, SL_DIAG_V4 | SL_DIAG_V6, SL_STATES_ALL, 0,
	SL_SRC_AUTO, 0
};

static void row_text(const struct sl_sock *s, char *out, size_t outlen)
{
	char l[SL_ADDRSTRLEN], r[SL_ADDRSTRLEN];

	sl_sock_addr_format(&s->local, l, sizeof(l));
	sl_sock_addr_format(&s->remote, r, sizeof(r));
	snprintf(out, outlen, "%s %s %s %s uid=%u ino=%llu",
		 sl_sock_proto_name(s), l, r, sl_sock_state_name(s), s->uid,
		 (unsigned long long)s->inode);
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rows as sorted lines of text, for comparing two sources. */
static char **rows_text(const struct sl_sock_list *l)
{
	char **v = calloc(l->n + 1, sizeof(*v));

	for (size_t i = 0; i < l->n; i++) {
		v[i] = malloc(256);
		row_text(&l->v[i], v[i], 256);
	}
	qsort(v, l->n, sizeof(*v), cmp_text);
	return v;
}

static void free_text(char **v)
{
	for (size_t i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

static const struct sl_sock *find_row(const struct sl_sock_list *l,
				      const char *text)
{
	char buf[256];

	for (size_t i = 0; i < l->n; i++) {
		row_text(&l->v[i], buf, sizeof(buf));
		if (strncmp(buf, text, strlen(text)) == 0)
			return &l->v[i];
	}
	return NULL;
}

static void decode_nl(const char *name, int proto,
		      const struct sl_diag_query *q, struct sl_sock_list *l)
{
	size_t n;
	char *p = slurp(name, &n);

	assert_int_equal(sl_sockdiag_decode(p, n, proto, q, l),
			 SL_SOCKDIAG_DONE);
	free(p);
}

static void parse_txt(const char *name, int proto,
		      const struct sl_diag_query *q, struct sl_sock_list *l)
{
	size_t n;
	char *p = slurp(name, &n);
	size_t before = l->n;
	int rc = sl_procnet_parse(p, n, proto, q, l);

	assert_int_equal(rc, (int)(l->n - before));
	free(p);
}

static void test_sources_agree(void **state)
{
	(void)state;
	for (size_t t = 0; t < SL_ARRAY_SIZE(tables); t++) {
		struct sl_sock_list a, b;
		char **ta, **tb;

		sl_sock_list_init(&a);
		sl_sock_list_init(&b);
		decode_nl(tables[t].nl, tables[t].proto, &all_q, &a);
		parse_txt(tables[t].txt, tables[t].proto, &all_q, &b);
		assert_int_equal(a.n, tables[t].rows);
		assert_int_equal(b.n, tables[t].rows);
		ta = rows_text(&a);
		tb = rows_text(&b);
		for (size_t i = 0; i < a.n; i++)
			assert_string_equal(ta[i], tb[i]);
		free_text(ta);
		free_text(tb);
		sl_sock_list_release(&a);
		sl_sock_list_release(&b);
	}
}

static void test_rows_decoded(void **state)
{
	struct sl_sock_list l;
	const struct sl_sock *s;

	(void)state;
	sl_sock_list_init(&l);
	decode_nl("diag-tcp4.nl", IPPROTO_TCP, &all_q, &l);
	decode_nl("diag-tcp6.nl", IPPROTO_TCP, &all_q, &l);
	decode_nl("diag-udp4.nl", IPPROTO_UDP, &all_q, &l);
	decode_nl("diag-udp6.nl", IPPROTO_UDP, &all_q, &l);
	/* a listener with one connection in its accept queue, backlog 7 */
	s = find_row(&l, "tcp 127.0.0.1:38649 0.0.0.0:* LISTEN uid=0 ino=5192397");
	assert_non_null(s);
	assert_int_equal(s->rqueue, 1);
	assert_int_equal(s->wqueue, 7);
	s = find_row(&l, "tcp6 [::1]:38649 [::]:* LISTEN");
	assert_non_null(s);
	assert_int_equal(s->wqueue, 9);
	/* TIME_WAIT and orphans carry no inode, and a timer */
	s = find_row(&l, "tcp6 [::1]:47560 [::1]:38649 TIME_WAIT uid=0 ino=0");
	assert_non_null(s);
	assert_true(s->expires_ms > 0 && s->expires_ms <= 60000);
	assert_non_null(find_row(&l, "tcp 127.0.0.1:59764 127.0.0.1:38649 FIN_WAIT2 uid=0 ino=0"));
	assert_non_null(find_row(&l, "tcp 127.0.0.1:38649 127.0.0.1:59742 ESTABLISHED uid=0 ino=5192400"));
	assert_non_null(find_row(&l, "udp 127.0.0.1:38649 0.0.0.0:* UNCONN"));
	assert_non_null(find_row(&l, "udp 127.0.0.1:39863 127.0.0.1:38649 ESTABLISHED"));
	assert_non_null(find_row(&l, "udp6 [::1]:38649 [::]:* UNCONN"));
	sl_sock_list_release(&l);
}

static void test_query_filters(void **state)
{
	struct sl_diag_query q = all_q;
	struct sl_sock_list l;

	(void)state;
	sl_sock_list_init(&l);
	q.states = SL_STATE_BIT(SL_TCP_LISTEN);
	decode_nl("diag-tcp4.nl", IPPROTO_TCP, &q, &l);
	parse_txt("diag-tcp.txt", IPPROTO_TCP, &q, &l);
	assert_int_equal(l.n, 2);
	l.n = 0;
	q.states = SL_STATES_ALL;
	q.port = 59742;		/* one connection, seen from both ends */
	decode_nl("diag-tcp4.nl", IPPROTO_TCP, &q, &l);
	assert_int_equal(l.n, 2);
	l.n = 0;
	q.port = 0;
	q.families = SL_DIAG_V6;
	decode_nl("diag-tcp4.nl", IPPROTO_TCP, &q, &l);
	assert_int_equal(l.n, 0);
	q.families = 0;
	q.protos = SL_DIAG_UDP;
	decode_nl("diag-tcp4.nl", IPPROTO_TCP, &q, &l);
	assert_int_equal(l.n, 0);
	sl_sock_list_release(&l);
}

/* Every prefix of a reply, placed against a guard page: never a read
 * past the end, never more rows than the whole. */
static void test_truncated_replies(void **state)
{
	(void)state;
	for (size_t t = 0; t < SL_ARRAY_SIZE(tables); t++) {
		size_t n, tn;
		char *p = slurp(tables[t].nl, &n);
		char *txt = slurp(tables[t].txt, &tn);

		for (size_t k = 0; k <= n; k += 4) {
			struct sl_sock_list l;
			void *map;
			size_t maplen;
			char *g = guarded(p, k, &map, &maplen);
			int rc;

			sl_sock_list_init(&l);
			rc = sl_sockdiag_decode(g, k, tables[t].proto, &all_q, &l);
			assert_true(rc == SL_SOCKDIAG_MORE || (k == n && rc == 0));
			assert_true(l.n <= tables[t].rows);
			munmap(map, maplen);
			sl_sock_list_release(&l);
		}
		for (size_t k = 0; k <= tn; k++) {
			struct sl_sock_list l;
			void *map;
			size_t maplen;
			char *g = guarded(txt, k, &map, &maplen);

			sl_sock_list_init(&l);
			assert_true(sl_procnet_parse(g, k, tables[t].proto,
						     &all_q, &l) >= 0);
			assert_true(l.n <= tables[t].rows);
			munmap(map, maplen);
			sl_sock_list_release(&l);
		}
		free(p);
		free(txt);
	}
}

static void test_netlink_errors(void **state)
{
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
	} msg;
	struct sl_sock_list l;

	(void)state;
	sl_sock_list_init(&l);
	memset(&msg, 0, sizeof(msg));
	msg.h.nlmsg_len = sizeof(msg);
	msg.h.nlmsg_type = NLMSG_ERROR;
	msg.e.error = -ENOENT;	/* no udp_diag module */
	assert_int_equal(sl_sockdiag_decode(&msg, sizeof(msg), IPPROTO_UDP,
					    &all_q, &l), -ENOENT);
	/* a dump that failed late reports it in NLMSG_DONE */
	msg.h.nlmsg_type = NLMSG_DONE;
	msg.h.nlmsg_len = NLMSG_LENGTH(sizeof(int));
	msg.e.error = -EPERM;
	assert_int_equal(sl_sockdiag_decode(&msg, msg.h.nlmsg_len, IPPROTO_TCP,
					    &all_q, &l), -EPERM);
	/* a row too short for inet_diag_msg is skipped */
	msg.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.h.nlmsg_len = NLMSG_LENGTH(8);
	assert_int_equal(sl_sockdiag_decode(&msg, msg.h.nlmsg_len, IPPROTO_TCP,
					    &all_q, &l), SL_SOCKDIAG_MORE);
	assert_int_equal(l.n, 0);
	sl_sock_list_release(&l);
}

static void test_procnet_malformed(void **state)
{
	static const char text[] =
		"  sl  local_address rem_address   st\n"
		"   0: 0100007F:96F9 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 77 1\n"
		"   1: 0100007F:96F9 00000000:0000 0A\n"			/* cut */
		"   2: 0100007:96F9 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 78\n" /* 7 digits */
		"   3: 0100007F:96F9 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 79\n" /* mixed */
		"   4: 0100007F:96F9 00000000:0000 0F 00000000:00000000 00:00000000 00000000 0 0 80\n" /* state 15 */
		"   5: 0100007F:96F9 00000000:0000 0A 00000000:00000000 00:00000000 00000000 1000 0 81"; /* no newline */
	struct sl_sock_list l;

	(void)state;
	sl_sock_list_init(&l);
	assert_int_equal(sl_procnet_parse(text, strlen(text), IPPROTO_TCP,
					  &all_q, &l), 2);
	assert_int_equal(l.v[0].inode, 77);
	assert_int_equal(l.v[1].inode, 81);
	assert_int_equal(l.v[1].uid, 1000);
	sl_sock_list_release(&l);
}

static void test_state_names(void **state)
{
	struct sl_sock s;

	(void)state;
	assert_string_equal(sl_tcp_state_name(SL_TCP_FIN_WAIT1), "FIN_WAIT1");
	assert_string_equal(sl_tcp_state_name(SL_TCP_NEW_SYN_RECV), "SYN_RECV");
	assert_string_equal(sl_tcp_state_name(99), "UNKNOWN");
	assert_int_equal(sl_tcp_state_value("TIME_WAIT"), SL_TCP_TIME_WAIT);
	assert_int_equal(sl_tcp_state_value("time-wait"), SL_TCP_TIME_WAIT);
	assert_int_equal(sl_tcp_state_value("Fin-Wait-1"), SL_TCP_FIN_WAIT1);
	assert_int_equal(sl_tcp_state_value("estab"), SL_TCP_ESTABLISHED);
	assert_int_equal(sl_tcp_state_value("listening"), SL_TCP_LISTEN);
	assert_int_equal(sl_tcp_state_value("unconn"), SL_TCP_CLOSE);
	assert_int_equal(sl_tcp_state_value("syn-recv"), SL_TCP_SYN_RECV);
	assert_int_equal(sl_tcp_state_value("bogus"), -1);
	assert_int_equal(sl_tcp_state_value(""), -1);
	assert_int_equal(sl_tcp_state_value("-"), -1);
	memset(&s, 0, sizeof(s));
	s.proto = IPPROTO_UDP;
	s.state = SL_TCP_CLOSE;
	assert_string_equal(sl_sock_state_name(&s), "UNCONN");
	s.proto = IPPROTO_TCP;
	assert_string_equal(sl_sock_state_name(&s), "CLOSE");
}

/* A row built by hand: tcp from local to remote in state st. */
static struct sl_sock mk(const char *local, const char *remote, int st,
			 uint64_t inode, int pid, const char *prog)
{
	struct sl_sock s;
	struct sl_err e;

	memset(&s, 0, sizeof(s));
	s.proto = IPPROTO_TCP;
	s.state = st;
	s.inode = inode;
	s.pid = pid;
	s.uid = 1000;
	snprintf(s.program, sizeof(s.program), "%s", prog ? prog : "");
	assert_int_equal(sl_endpoint_parse(local, 0, &s.local, &e), 0);
	assert_int_equal(sl_endpoint_parse(remote, 0, &s.remote, &e), 0);
	return s;
}

static void test_format_and_json(void **state)
{
	struct sl_sock s = mk("[::]:59001", "[::]:0", SL_TCP_LISTEN, 12, 4242,
			      "ev\"il\x1b[2J");
	struct sl_buf b = SL_BUF_INIT;
	char out[SL_ADDRSTRLEN];

	(void)state;
	s.has = SL_HAS_QUEUES;
	s.rqueue = 1;
	s.wqueue = 128;
	sl_sock_addr_format(&s.local, out, sizeof(out));
	assert_string_equal(out, "[::]:59001");
	sl_sock_addr_format(&s.remote, out, sizeof(out));
	assert_string_equal(out, "[::]:*");
	assert_int_equal(sl_sock_json(&b, &s), 0);
	assert_string_equal(b.data,
		"{\"proto\":\"tcp6\",\"local\":\"[::]:59001\",\"remote\":\"[::]:*\","
		"\"state\":\"LISTEN\",\"recv_q\":1,\"send_q\":128,\"pid\":4242,"
		"\"program\":\"ev\\\"il\\u001b[2J\","
		"\"uid\":1000,\"inode\":12}\n");
	sl_buf_reset(&b);
	s = mk("10.0.0.255:1", "0.0.0.0:0", SL_TCP_TIME_WAIT, 0, 0, NULL);
	assert_int_equal(sl_sock_json(&b, &s), 0);
	assert_string_equal(b.data,
		"{\"proto\":\"tcp\",\"local\":\"10.0.0.255:1\",\"remote\":\"0.0.0.0:*\","
		"\"state\":\"TIME_WAIT\",\"recv_q\":null,\"send_q\":null,"
		"\"pid\":null,\"program\":null,"
		"\"uid\":1000,\"inode\":0}\n");
	sl_buf_release(&b);
}

/* The address text against inet_ntop, for zero runs of every length and
 * place, the embedded IPv4 forms and arbitrary groups. */
static void expect_addr(int fam, const void *addr, uint16_t port)
{
	struct sl_endpoint ep;
	char want[SL_ADDRSTRLEN + 16], host[INET6_ADDRSTRLEN];
	char got[SL_ADDRSTRLEN];
	char small[8];
	int n;

	sl_addr_make(&ep, fam, addr, port);
	assert_non_null(inet_ntop(fam, addr, host, sizeof(host)));
	snprintf(want, sizeof(want), fam == AF_INET6 ? "[%s]:" : "%s:", host);
	if (port)
		snprintf(want + strlen(want), 8, "%u", port);
	else
		strcat(want, "*");
	n = sl_sock_addr_format(&ep, got, sizeof(got));
	assert_string_equal(got, want);
	assert_int_equal(n, (int)strlen(want));
	/* a short buffer: truncated and terminated, the full length told */
	assert_int_equal(sl_sock_addr_format(&ep, small, sizeof(small)), n);
	assert_int_equal(strlen(small), n < 7 ? (size_t)n : sizeof(small) - 1);
	assert_true(strncmp(small, want, sizeof(small) - 1) == 0);
}

static void test_addr_text(void **state)
{
	static const uint16_t groups[] = { 0, 1, 0xffff, 0xabc, 0x10 };
	uint32_t seed = 12345;

	(void)state;
	/* every pattern of zero and non-zero groups, in several spellings */
	for (unsigned mask = 0; mask < 256; mask++) {
		for (size_t g = 0; g < 4; g++) {
			uint8_t a[16];

			for (int i = 0; i < 8; i++) {
				uint16_t v = mask >> i & 1 ?
					     groups[1 + (g + (size_t)i) % 4] : 0;

				a[2 * i] = (uint8_t)(v >> 8);
				a[2 * i + 1] = (uint8_t)v;
			}
			expect_addr(AF_INET6, a, (uint16_t)(mask * 257));
		}
	}
	for (int k = 0; k < 20000; k++) {
		uint8_t a[16];

		for (int i = 0; i < 16; i++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly zeros, so runs of them compete */
			a[i] = (uint8_t)(seed >> 24 < 150 ? 0 : seed >> 16);
		}
		if (k % 4 == 0) {	/* ::ffff:a.b.c.d and ::a.b.c.d */
			memset(a, 0, 10);
			a[10] = a[11] = k % 8 ? 0xff : 0;
		}
		expect_addr(AF_INET6, a, (uint16_t)(seed >> 8));
		expect_addr(AF_INET, a + 12, (uint16_t)(seed >> 12));
	}
}

static void push(struct sl_sock_list *l, struct sl_sock s)
{
	assert_int_equal(sl_sock_list_push(l, &s), 0);
}

static void test_diff(void **state)
{
	struct sl_sock_list a, b;
	struct sl_sock_pair *p;
	int n, seen[4] = { 0 };

	(void)state;
	sl_sock_list_init(&a);
	sl_sock_list_init(&b);
	push(&a, mk("127.0.0.1:59001", "0.0.0.0:0", SL_TCP_LISTEN, 10, 7, "srv"));
	push(&a, mk("127.0.0.1:40000", "127.0.0.1:59001", SL_TCP_ESTABLISHED, 11, 8, "cli"));
	push(&a, mk("127.0.0.1:59001", "127.0.0.1:40000", SL_TCP_ESTABLISHED, 12, 7, "srv"));
	/* later: the client closed first and waits; the server side is gone,
	 * a new client connects */
	push(&b, mk("127.0.0.1:40001", "127.0.0.1:59001", SL_TCP_SYN_SENT, 13, 0, NULL));
	push(&b, mk("127.0.0.1:40000", "127.0.0.1:59001", SL_TCP_TIME_WAIT, 0, 0, NULL));
	push(&b, mk("127.0.0.1:59001", "0.0.0.0:0", SL_TCP_LISTEN, 10, 0, NULL));
	sl_sock_list_sort(&a);
	sl_sock_list_sort(&b);
	n = sl_sock_diff(&a, &b, &p);
	assert_int_equal(n, 4);
	for (int i = 0; i < n; i++) {
		seen[p[i].change]++;
		if (p[i].change == SL_CHG_STATE) {
			assert_int_equal(p[i].old->state, SL_TCP_ESTABLISHED);
			assert_int_equal(p[i].cur->state, SL_TCP_TIME_WAIT);
			assert_int_equal(p[i].cur->pid, 0);	/* inode changed */
		}
		if (p[i].change == SL_CHG_SAME) {
			/* the listener kept its owner without a /proc walk */
			assert_int_equal(p[i].cur->pid, 7);
			assert_string_equal(p[i].cur->program, "srv");
		}
		if (p[i].change == SL_CHG_GONE)
			assert_int_equal(sl_addr_port((struct sockaddr *)&p[i].old->local.ss), 59001);
		if (p[i].change == SL_CHG_NEW)
			assert_int_equal(p[i].cur->state, SL_TCP_SYN_SENT);
	}
	assert_int_equal(seen[SL_CHG_SAME], 1);
	assert_int_equal(seen[SL_CHG_NEW], 1);
	assert_int_equal(seen[SL_CHG_STATE], 1);
	assert_int_equal(seen[SL_CHG_GONE], 1);
	free(p);
	/* nothing to nothing */
	a.n = b.n = 0;
	assert_int_equal(sl_sock_diff(&a, &b, &p), 0);
	free(p);
	sl_sock_list_release(&a);
	sl_sock_list_release(&b);
}

static void expect_clause(const struct sl_sock_list *l, uint32_t self,
			  int count, const char *text)
{
	struct sl_buf b = SL_BUF_INIT;

	assert_int_equal(sl_diag_describe_holders(l, 59001, self, &b), count);
	assert_string_equal(b.data ? b.data : "", text);
	sl_buf_release(&b);
}

static void test_holders(void **state)
{
	struct sl_sock_list l;
	struct sl_sock tw;

	(void)state;
	sl_sock_list_init(&l);
	expect_clause(&l, 0, 0, "");
	/* a client whose remote port is 59001 does not hold the port */
	push(&l, mk("127.0.0.1:40000", "127.0.0.1:59001", SL_TCP_ESTABLISHED, 1, 9, "nc"));
	expect_clause(&l, 0, 0, "");
	push(&l, mk("0.0.0.0:59001", "0.0.0.0:0", SL_TCP_LISTEN, 2, 4242, "python3"));
	expect_clause(&l, 0, 1,
		"port 59001 is in use by pid 4242 (python3), LISTEN on 0.0.0.0:59001"
		" — stop it (kill 4242) or use -p 59002, or -p 0 for any free port");
	/* the same server on ::1 too, and its accepted connection */
	push(&l, mk("[::1]:59001", "[::]:0", SL_TCP_LISTEN, 3, 4242, "python3"));
	push(&l, mk("127.0.0.1:59001", "127.0.0.1:40000", SL_TCP_ESTABLISHED, 4, 4242, "python3"));
	expect_clause(&l, 0, 3,
		"port 59001 is in use by pid 4242 (python3), LISTEN on 0.0.0.0:59001"
		" and [::1]:59001 — stop it (kill 4242) or use -p 59002, or -p 0"
		" for any free port");
	/* a second program, with a name that must not reach the terminal raw */
	push(&l, mk("127.0.0.2:59001", "0.0.0.0:0", SL_TCP_LISTEN, 5, 77, "x\x1b]0;"));
	expect_clause(&l, 0, 4,
		"port 59001 is in use by pid 4242 (python3) and pid 77 (x\\x1b]0;),"
		" LISTEN on 0.0.0.0:59001 and [::1]:59001 and 127.0.0.2:59001"
		" — stop them (kill 4242 77) or use -p 59002, or -p 0 for any free port");
	/* owners hidden from an unprivileged caller */
	l.n = 0;
	push(&l, mk("0.0.0.0:59001", "0.0.0.0:0", SL_TCP_LISTEN, 2, 0, NULL));
	expect_clause(&l, 1001, 1,
		"port 59001 is held by a process of another user (uid 1000),"
		" LISTEN on 0.0.0.0:59001; run with sudo to see which, or use"
		" -p 59002, or -p 0 for any free port");
	expect_clause(&l, 0, 1,
		"port 59001 is in use, LISTEN on 0.0.0.0:59001, by a process"
		" socklab cannot see (uid 1000, perhaps in another container);"
		" use -p 59002, or -p 0 for any free port");
	/* only TIME_WAIT left */
	l.n = 0;
	tw = mk("127.0.0.1:59001", "127.0.0.1:40000", SL_TCP_TIME_WAIT, 0, 0, NULL);
	tw.expires_ms = 40500;
	push(&l, tw);
	expect_clause(&l, 1000, 1,
		"port 59001 is held only by 1 connection in TIME_WAIT (gone within"
		" 41 s); your own server should set SO_REUSEADDR before bind()");
	tw.expires_ms = 1000;
	push(&l, tw);
	expect_clause(&l, 1000, 2,
		"port 59001 is held only by 2 connections in TIME_WAIT (gone within"
		" 41 s); your own server should set SO_REUSEADDR before bind()");
	sl_sock_list_release(&l);
}

/* A listening or connected socket of ours on loopback; port 0 asks the
 * kernel for one. */
static int own_socket(int fam, uint16_t *port, int listening)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(*port),
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(*port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr *sa = fam == AF_INET6 ? (struct sockaddr *)&a6
					      : (struct sockaddr *)&a4;
	socklen_t len = fam == AF_INET6 ? sizeof(a6) : sizeof(a4);
	int fd = socket(fam, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	assert_true(fd >= 0);
	if (!listening) {
		assert_int_equal(connect(fd, sa, len), 0);
		return fd;
	}
	if (fam == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	assert_int_equal(bind(fd, sa, len), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, sa, &len), 0);
	*port = ntohs(fam == AF_INET6 ? a6.sin6_port : a4.sin_port);
	return fd;
}

struct taker {
	struct sl_sock_list l;
	size_t calls, stop_at;	/* -EPIPE at call stop_at (0: never) */
};

static int take(const struct sl_sock *s, void *arg)
{
	struct taker *t = arg;

	if (++t->calls == t->stop_at)
		return -EPIPE;
	return sl_sock_list_push(&t->l, s);
}

/* Against the kernel: TCP over both families comes from one dump, yet row
 * for row as the IPv4 dump followed by the IPv6 one; rows are handed on as
 * they come, and the taker can stop the listing. */
static void test_both_families(void **state)
{
	struct sl_diag_query q = { SL_DIAG_TCP, 0, 0, 0, SL_SRC_NETLINK, 0 };
	struct sl_sock_list v4, v6;
	struct taker t = { { NULL, 0, 0 }, 0, 0 };
	struct sl_err e;
	uint16_t port = 0;
	int fds[16], nfd = 0;
	size_t i;

	(void)state;
	fds[nfd++] = own_socket(AF_INET, &port, 1);
	fds[nfd++] = own_socket(AF_INET6, &port, 1);
	/* interleaved, so the kernel's table mixes the families */
	for (int k = 0; k < 6; k++)
		fds[nfd++] = own_socket(k % 2 ? AF_INET : AF_INET6, &port, 0);
	q.port = port;
	assert_int_equal(sl_diag_each(&q, take, &t, &e), 14);
	assert_int_equal(t.l.n, 14);
	for (i = 0; i < t.l.n && t.l.v[i].local.ss.ss_family == AF_INET; i++)
		;
	assert_int_equal(i, 7);		/* a listener and 3 pairs' ends */
	for (; i < t.l.n; i++)
		assert_int_equal(t.l.v[i].local.ss.ss_family, AF_INET6);
	sl_sock_list_init(&v4);
	sl_sock_list_init(&v6);
	q.families = SL_DIAG_V4;
	assert_int_equal(sl_diag_list(&q, &v4, &e), 7);
	q.families = SL_DIAG_V6;
	assert_int_equal(sl_diag_list(&q, &v6, &e), 7);
	for (i = 0; i < 14; i++) {
		const struct sl_sock *s = i < 7 ? &v4.v[i] : &v6.v[i - 7];
		char a[256], b[256];

		row_text(&t.l.v[i], a, sizeof(a));
		row_text(s, b, sizeof(b));
		assert_string_equal(a, b);
	}
	/* the same rows from /proc/net */
	q.families = 0;
	q.source = SL_SRC_PROC;
	sl_sock_list_release(&t.l);
	t.calls = 0;
	assert_int_equal(sl_diag_each(&q, take, &t, &e), 14);
	/* a taker that stops: its code back, no fallback to /proc/net */
	q.source = SL_SRC_AUTO;
	sl_sock_list_release(&t.l);
	t.calls = 0;
	t.stop_at = 3;
	assert_int_equal(sl_diag_each(&q, take, &t, &e), -EPIPE);
	assert_int_equal(e.code, -EPIPE);
	assert_int_equal(t.calls, 3);
	assert_int_equal(t.l.n, 2);
	sl_sock_list_release(&t.l);
	sl_sock_list_release(&v4);
	sl_sock_list_release(&v6);
	while (nfd)
		close(fds[--nfd]);
}

/* Against the kernel: a listener of our own is listed, with our pid. */
static void test_own_socket(void **state)
{
	static const enum sl_diag_source srcs[] = { SL_SRC_NETLINK, SL_SRC_PROC };
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char comm[32] = "", text[512];
	FILE *f;
	struct sl_buf b = SL_BUF_INIT;

	(void)state;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 5), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	f = fopen("/proc/self/comm", "r");
	assert_non_null(f);
	assert_non_null(fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	for (size_t i = 0; i < SL_ARRAY_SIZE(srcs); i++) {
		struct sl_diag_query q = { SL_DIAG_TCP, SL_DIAG_V4, 0,
					   ntohs(a.sin_port), srcs[i], 0 };
		struct sl_sock_list l;
		struct sl_err e;

		sl_sock_list_init(&l);
		assert_int_equal(sl_diag_list(&q, &l, &e), 1);
		assert_int_equal(l.v[0].state, SL_TCP_LISTEN);
		assert_int_equal(sl_diag_owners(&l, &e), 1);
		assert_int_equal(l.v[0].pid, getpid());
		assert_string_equal(l.v[0].program, comm);
		sl_sock_list_release(&l);
	}
	assert_int_equal(sl_diag_describe_port(ntohs(a.sin_port),
					       SL_DIAG_V4 | SL_DIAG_V6, &b), 1);
	snprintf(text, sizeof(text), "port %u is in use by pid %d (%s), LISTEN",
		 ntohs(a.sin_port), (int)getpid(), comm);
	assert_true(strncmp(b.data, text, strlen(text)) == 0);
	sl_buf_release(&b);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sources_agree),
		cmocka_unit_test(test_rows_decoded),
		cmocka_unit_test(test_query_filters),
		cmocka_unit_test(test_truncated_replies),
		cmocka_unit_test(test_netlink_errors),
		cmocka_unit_test(test_procnet_malformed),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_format_and_json),
		cmocka_unit_test(test_addr_text),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_holders),
		cmocka_unit_test(test_own_socket),
		cmocka_unit_test(test_both_families),
	};

	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
