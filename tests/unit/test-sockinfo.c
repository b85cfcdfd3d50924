/* test-sockinfo.c - what sockets -i -o -m -e -x read and print: a recorded
 * sock_diag dump with tcp_info, congestion control and skmem decoded to
 * the values ss printed from the same dump, its line under the row, its
 * JSON; unix sockets from netlink and from /proc/net/unix agreeing; the
 * queue words of the table.  The fixtures hold one moment of loopback
 * port 38650 in a network namespace of its own: a listener with backlog
 * 1 and two connections it never accepted (its queue full), a connection
 * whose server never reads 5000 bytes, a client with SO_KEEPALIVE, a
 * TIME_WAIT; unix: a listener on a path, a connected pair with 3 unread
 * bytes, an abstract name, an unnamed datagram socket, a seqpacket pair. */
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture.h"
#include "guard.h"

#include "socklab/diag.h"
#include "socklab/render.h"

static const struct sl_diag_query all_q = {
	SL_DIAG_TCP | SL_DIAG_UDP | SL_DIAG_UNIX, SL_DIAG_V4 | SL_DIAG_V6,
	SL_STATES_ALL, 0, SL_SRC_AUTO, 0
};

static void decode(const char *name, int proto, struct sl_sock_list *l)
{
	size_t n;
	char *p = slurp(name, &n);

	if (proto)
		assert_int_equal(sl_sockdiag_decode(p, n, proto, &all_q, l),
				 SL_SOCKDIAG_DONE);
	else
		assert_int_equal(sl_unixdiag_decode(p, n, &all_q, l),
				 SL_SOCKDIAG_DONE);
	free(p);
}

/* The row whose ends print as local and remote. */
static const struct sl_sock *row(const struct sl_sock_list *l,
				 const char *local, const char *remote)
{
	char a[SL_SOCK_ADDRSTRLEN], b[SL_SOCK_ADDRSTRLEN];

	for (size_t i = 0; i < l->n; i++) {
		sl_sock_addr_format(&l->v[i].local, a, sizeof(a));
		sl_sock_addr_format(&l->v[i].remote, b, sizeof(b));
		if (!strcmp(a, local) && !strcmp(b, remote))
			return &l->v[i];
	}
	fail_msg("no row %s %s", local, remote);
	return NULL;
}

static void test_tcp_info_decoded(void **state)
{
	struct sl_sock_list l;
	const struct sl_sock *s;

	(void)state;
	sl_sock_list_init(&l);
	decode("diag-tcp4-info.nl", IPPROTO_TCP, &l);
	assert_int_equal(l.n, 8);
	/* the server end that never read: ss said "ESTAB 5000 0" */
	s = row(&l, "127.0.0.1:38650", "127.0.0.1:38452");
	assert_int_equal(s->rqueue, 5000);
	assert_true(s->has & SL_HAS_INFO && s->has & SL_HAS_MEM &&
		    s->has & SL_HAS_COOKIE);
	assert_int_equal(s->cookie, 0x1d2f6);
	assert_string_equal(s->info.cong, "bbr");
	assert_int_equal(s->info.rto_us, 204000);
	assert_int_equal(s->info.rtt_us, 18);
	assert_int_equal(s->info.rttvar_us, 9);
	assert_int_equal(s->info.snd_mss, 32768);
	assert_int_equal(s->info.rcv_mss, 5000);
	assert_int_equal(s->info.bytes_received, 5000);
	assert_int_equal(s->info.snd_wscale, 10);
	assert_int_equal(s->skmem[SL_SKMEM_RMEM_ALLOC], 5832);
	assert_int_equal(s->skmem[SL_SKMEM_RCVBUF], 131072);
	/* the client with SO_KEEPALIVE: its timer, as ss's 119min */
	s = row(&l, "127.0.0.1:38452", "127.0.0.1:38650");
	assert_int_equal(s->timer, SL_TIMER_KEEPALIVE);
	assert_true(s->expires_ms > 119 * 60000 && s->expires_ms <= 120 * 60000);
	assert_int_equal(s->info.bytes_acked, 5001);
	/* the listener: 2 waiting, backlog 1 */
	s = row(&l, "127.0.0.1:38650", "0.0.0.0:*");
	assert_int_equal(s->rqueue, 2);
	assert_int_equal(s->wqueue, 1);
	assert_int_equal(s->info.unacked, 2);
	s = row(&l, "127.0.0.1:38454", "127.0.0.1:38650");
	assert_int_equal(s->state, SL_TCP_TIME_WAIT);
	assert_int_equal(s->timer, SL_TIMER_TIMEWAIT);
	assert_false(s->has & SL_HAS_INFO);
	sl_sock_list_release(&l);
}

/* ss printed, for that dump (bbr's own line and the rates aside, which
 * it writes in plain bits per second):
 * "skmem:(r5832,rb131072,t0,tb3939840,f2360,w0,o0,bl0,d0) ts sack bbr
 * wscale:10,10 rto:204 rtt:0.018/0.009 ato:40 mss:32768 pmtu:65535
 * rcvmss:5000 advmss:65483 cwnd:10 bytes_received:5000 segs_out:1
 * segs_in:3 data_segs_in:1 ... lastsnd:332 lastrcv:332 lastack:332 ...
 * (ss ran 24 ms after the dump was recorded, which says 308)
 * delivered:1 app_limited rcv_space:65483 rcv_ssthresh:107138
 * minrtt:0.018 snd_wnd:65536" */
static void test_more_line_as_ss(void **state)
{
	struct sl_sock_list l;
	char out[2048];
	size_t n;

	(void)state;
	sl_sock_list_init(&l);
	decode("diag-tcp4-info.nl", IPPROTO_TCP, &l);
	n = sl_render_sock_more(row(&l, "127.0.0.1:38650", "127.0.0.1:38452"),
				SL_TABLE_MORE, out, sizeof(out));
	assert_int_equal(n, strlen(out));
	assert_non_null(strstr(out, "uid:0 ino:769428 sk:1d2f6 skmem:(r5832,rb131072,t0,tb3939840,f2360,w0,o0,bl0,d0) ts sack bbr wscale:10,10 rto:204 rtt:0.018/0.009 ato:40 mss:32768 pmtu:65535 rcvmss:5000 advmss:65483 cwnd:10 bytes_received:5000 segs_out:1 segs_in:3 data_segs_in:1 send "));
	assert_non_null(strstr(out, " lastsnd:308 lastrcv:308 lastack:308 pacing_rate "));
	assert_non_null(strstr(out, " delivered:1 app_limited rcv_space:65483 rcv_ssthresh:107138 minrtt:0.018 snd_wnd:65536"));
	n = sl_render_sock_more(row(&l, "127.0.0.1:38452", "127.0.0.1:38650"),
				SL_TABLE_TIMERS, out, sizeof(out));
	assert_string_equal(out, "timer:(keepalive,119min,0)");
	n = sl_render_sock_more(row(&l, "127.0.0.1:38454", "127.0.0.1:38650"),
				SL_TABLE_TIMERS, out, sizeof(out));
	assert_string_equal(out, "timer:(timewait,59sec,0)");
	/* a small buffer: cut, terminated, never past it */
	memset(out, 'x', sizeof(out));
	n = sl_render_sock_more(&l.v[1], SL_TABLE_MORE, out, 16);
	assert_true(n > 0 && n < 16);
	assert_int_equal(strlen(out), n);
	assert_int_equal(out[16], 'x');
	sl_sock_list_release(&l);
}

static void test_more_json(void **state)
{
	struct sl_sock_list l;
	struct sl_buf b = SL_BUF_INIT;

	(void)state;
	sl_sock_list_init(&l);
	decode("diag-tcp4-info.nl", IPPROTO_TCP, &l);
	assert_int_equal(sl_render_sock_json(&b, row(&l, "127.0.0.1:38650",
						     "127.0.0.1:38452"),
					     SL_TABLE_MORE), 0);
	assert_non_null(strstr(b.data, "\"recv_q\":5000,\"send_q\":0,"));
	assert_non_null(strstr(b.data, ",\"cookie\":119542,\"timer\":null,\"skmem\":{\"rmem_alloc\":5832,\"rcvbuf\":131072,"));
	assert_non_null(strstr(b.data, "\"tcp_info\":{\"cong\":\"bbr\",\"rto_ms\":204.000,\"rtt_ms\":0.018,\"rttvar_ms\":0.009,"));
	assert_non_null(strstr(b.data, "\"bytes_received\":5000,"));
	assert_string_equal(b.data + b.len - 3, "}}\n");
	sl_buf_reset(&b);
	assert_int_equal(sl_render_sock_json(&b, row(&l, "127.0.0.1:38454",
						     "127.0.0.1:38650"),
					     SL_TABLE_MORE), 0);
	assert_non_null(strstr(b.data, "\"timer\":{\"kind\":\"timewait\",\"expires_ms\":"));
	assert_non_null(strstr(b.data, "\"tcp_info\":null}"));
	sl_buf_release(&b);
	sl_sock_list_release(&l);
}

/* The table's Notes say what the queues mean. */
static void test_queue_words(void **state)
{
	struct sl_sock_list l;
	struct sl_buf b = SL_BUF_INIT;

	(void)state;
	sl_sock_list_init(&l);
	decode("diag-tcp4-info.nl", IPPROTO_TCP, &l);
	decode("diag-udp4-mem.nl", IPPROTO_UDP, &l);
	assert_int_equal(sl_render_sockets(&b, &l, 0, 0), 0);
	assert_non_null(strstr(b.data, "Proto  Recv-Q  Send-Q  Local Address"));
	assert_non_null(strstr(b.data, "tcp         2       1  127.0.0.1:38650  0.0.0.0:*        LISTEN       2 waiting to be accepted, backlog 1: the queue is full, new connections wait or are dropped until the server calls accept()\n"));
	assert_non_null(strstr(b.data, "tcp      5000       0  127.0.0.1:38650  127.0.0.1:38452  ESTABLISHED  5000 bytes received, not yet read by its program\n"));
	assert_non_null(strstr(b.data, "ESTABLISHED  not yet accepted\n"));
	assert_non_null(strstr(b.data, " bytes of buffer hold datagrams not yet read\n"));
	sl_buf_release(&b);
	sl_sock_list_release(&l);
}

static int cmp_ino(const void *a, const void *b)
{
	const struct sl_sock *x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

static void test_unix_sources_agree(void **state)
{
	struct sl_sock_list a, b;
	size_t n;
	char *txt = slurp("diag-unix.txt", &n);
	char la[SL_SOCK_ADDRSTRLEN], lb[SL_SOCK_ADDRSTRLEN];

	(void)state;
	sl_sock_list_init(&a);
	sl_sock_list_init(&b);
	decode("diag-unix.nl", 0, &a);
	assert_int_equal(sl_procnet_unix_parse(txt, n, &all_q, &b), 7);
	assert_int_equal(a.n, 7);
	qsort(a.v, a.n, sizeof(*a.v), cmp_ino);
	qsort(b.v, b.n, sizeof(*b.v), cmp_ino);
	for (size_t i = 0; i < a.n; i++) {
		assert_int_equal(a.v[i].inode, b.v[i].inode);
		assert_int_equal(a.v[i].type, b.v[i].type);
		assert_int_equal(a.v[i].state, b.v[i].state);
		sl_sock_addr_format(&a.v[i].local, la, sizeof(la));
		sl_sock_addr_format(&b.v[i].local, lb, sizeof(lb));
		assert_string_equal(la, lb);
		assert_true(a.v[i].has & SL_HAS_QUEUES);
		assert_false(b.v[i].has & SL_HAS_QUEUES);
	}
	/* 769436 listens on the path; 769438 (accepted) holds 3 bytes */
	assert_string_equal(sl_sock_state_name(&a.v[0]), "LISTEN");
	assert_string_equal(sl_sock_proto_name(&a.v[0]), "u_str");
	assert_int_equal(a.v[2].rqueue, 3);
	assert_string_equal(sl_sock_proto_name(&a.v[3]), "u_dgr");
	sl_sock_addr_format(&a.v[3].local, la, sizeof(la));
	assert_string_equal(la, "@socklab-abstract");
	assert_string_equal(sl_sock_state_name(&a.v[3]), "UNCONN");
	free(txt);
	sl_sock_list_release(&a);
	sl_sock_list_release(&b);
}

static void test_unix_peers(void **state)
{
	struct sl_sock_list l;
	char r[SL_SOCK_ADDRSTRLEN];

	(void)state;
	sl_sock_list_init(&l);
	decode("diag-unix.nl", 0, &l);
	assert_int_equal(sl_diag_unix_peers(&l), 0);
	qsort(l.v, l.n, sizeof(*l.v), cmp_ino);
	/* the client (769437) speaks to the accepted end, named by path */
	assert_int_equal(l.v[1].inode, 769437);
	assert_int_equal(l.v[1].peer_inode, 769438);
	sl_sock_addr_format(&l.v[1].remote, r, sizeof(r));
	assert_string_equal(r, "/tmp/rec/ux/lab.sock");
	sl_sock_addr_format(&l.v[0].remote, r, sizeof(r));
	assert_string_equal(r, "*");
	/* no port to match: a port filter keeps none */
	{
		struct sl_diag_query q = all_q;

		q.port = 80;
		assert_false(sl_diag_match(&q, &l.v[0]));
	}
	sl_sock_list_release(&l);
}

/* Cut anywhere, a dump decodes what is whole and reads nothing past its
 * end (the copy ends at a PROT_NONE page). */
static void test_cut_dumps(void **state)
{
	static const char *const files[] = { "diag-tcp4-info.nl", "diag-unix.nl" };

	(void)state;
	for (size_t f = 0; f < SL_ARRAY_SIZE(files); f++) {
		size_t n;
		char *p = slurp(files[f], &n);

		for (size_t cut = 0; cut <= n; cut += 4) {
			struct sl_sock_list l;
			void *map;
			size_t maplen;
			char *g = guarded(p, cut, &map, &maplen);

			sl_sock_list_init(&l);
			if (f == 0)
				sl_sockdiag_decode(g, cut, IPPROTO_TCP, &all_q, &l);
			else
				sl_unixdiag_decode(g, cut, &all_q, &l);
			assert_true(l.n <= 8);
			sl_sock_list_release(&l);
			munmap(map, maplen);
		}
		free(p);
	}
}

static void test_proc_unix_malformed(void **state)
{
	static const char text[] =
		"Num       RefCount Protocol Flags    Type St Inode Path\n"
		"0000000014b5b29e: 00000003 00000000 00000000 0001 03 769438 /a b\n"
		"0000000014b5b29e: 00000003 00000000 00000000 0009 03 1\n"
		"0000000014b5b29e: 00000003 00000000 00000000 0001 03\n"
		"zz: 1 2 3 4 5 6\n"
		"0000000014b5b29e: 00000003 00000000 00010000 0001 01 42 @abs";
	struct sl_sock_list l;
	char a[SL_SOCK_ADDRSTRLEN];

	(void)state;
	sl_sock_list_init(&l);
	assert_int_equal(sl_procnet_unix_parse(text, sizeof(text) - 1, &all_q, &l), 2);
	sl_sock_addr_format(&l.v[0].local, a, sizeof(a));
	assert_string_equal(a, "/a b");
	sl_sock_addr_format(&l.v[1].local, a, sizeof(a));
	assert_string_equal(a, "@abs");
	assert_int_equal(l.v[1].state, SL_TCP_LISTEN);
	sl_sock_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_info_decoded),
		cmocka_unit_test(test_more_line_as_ss),
		cmocka_unit_test(test_more_json),
		cmocka_unit_test(test_queue_words),
		cmocka_unit_test(test_unix_sources_agree),
		cmocka_unit_test(test_unix_peers),
		cmocka_unit_test(test_cut_dumps),
		cmocka_unit_test(test_proc_unix_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
