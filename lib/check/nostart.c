/* nostart.c - a server that never listened, in words: it ended (with
 * what it said last, and who holds its port when the port was taken), or
 * it runs without listening (with what sockets it has instead) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check-int.h"

/* The words of "address in use" in python, C's perror and node. */
static int says_in_use(const struct ck_server *s)
{
	static const char *const words[] = { "Address already in use",
					     "address already in use",
					     "EADDRINUSE" };

	for (size_t i = 0; i < SL_ARRAY_SIZE(words); i++)
		if (ck_has(&s->err, words[i]) || ck_has(&s->out, words[i]))
			return 1;
	return 0;
}

/* The ports the command line names ("server.py 59123"). */
static size_t argv_ports(char *const *argv, unsigned *ports, size_t max)
{
	size_t n = 0;

	for (size_t i = 1; argv[i] && n < max; i++) {
		unsigned long v;

		if (sl_parse_uint(argv[i], 1, 65535, &v) == 0)
			ports[n++] = (unsigned)v;
	}
	return n;
}

/* "port 59123 is held by pid 4242 (python3), LISTEN on 127.0.0.1:59123";
 * 1 when someone holds it. */
static int put_holder(struct sl_buf *b, unsigned port, int *holder)
{
	struct sl_diag_query q = { SL_DIAG_TCP, SL_DIAG_V4 | SL_DIAG_V6,
				   SL_STATE_BIT(SL_TCP_LISTEN), (uint16_t)port,
				   SL_SRC_AUTO, 0 };
	char addr[SL_ADDRSTRLEN];
	struct sl_sock_list l;
	struct sl_err e;
	int held = 0;

	sl_sock_list_init(&l);
	if (sl_diag_list(&q, &l, &e) > 0 && sl_diag_owners(&l, &e) >= 0) {
		for (size_t i = 0; i < l.n; i++) {
			const struct sl_sock *s = &l.v[i];

			if (sl_addr_port((const struct sockaddr *)&s->local.ss) != port)
				continue;
			sl_sock_addr_format(&s->local, addr, sizeof(addr));
			sl_buf_printf(b, "; port %u is held by ", port);
			if (s->pid) {
				sl_buf_printf(b, "pid %d (", s->pid);
				sl_buf_escape(b, s->program, strnlen(s->program, sizeof(s->program)));
				sl_buf_puts(b, "), ");
			} else {
				sl_buf_puts(b, "a process socklab may not see (another user's), ");
			}
			sl_buf_printf(b, "LISTEN on %s", addr);
			*holder = s->pid;
			held = 1;
			break;
		}
	}
	sl_sock_list_release(&l);
	return held;
}

static void ended(struct ck *c, struct sl_probe *p, uint64_t t0)
{
	const struct ck_server *s = &c->srv;
	unsigned ports[4];
	size_t n = argv_ports(c->o->argv, ports, SL_ARRAY_SIZE(ports));
	int holder = 0, held = 0;

	sl_buf_printf(&p->saw, "it %s after %llu ms, before listening", s->ended,
		      (unsigned long long)(sl_now_ms() - t0));
	if (s->err.len) {
		sl_buf_puts(&p->saw, "; the last line of its stderr: ");
		ck_server_last_err(s, &p->saw);
	}
	p->verdict = SL_FAIL;
	if (says_in_use(s)) {
		for (size_t i = 0; i < n && !held; i++)
			held = put_holder(&p->saw, ports[i], &holder);
		if (held && holder) {
			sl_buf_printf(&p->fix, "stop the program that holds the port (kill %d) or start the server on another port above 59000",
				      holder);
			return;
		}
		sl_buf_puts(&p->fix, "another program holds the port (socklab sockets -l -p shows which): stop it or choose another port above 59000; set SO_REUSEADDR before bind() so a restart does not wait for TIME_WAIT");
		return;
	}
	if (WIFEXITED(s->status) && WEXITSTATUS(s->status) == 0)
		sl_buf_puts(&p->fix, "it ended by itself without listening: a server calls listen() and then waits in accept()");
	else
		sl_buf_puts(&p->fix, "run the command in a terminal and mend the error it shows");
}

/* The tree's sockets that are not listening TCP ones: a UDP socket or a
 * connection tells what it does instead. */
static void put_instead(struct ck *c, struct sl_probe *p)
{
	static const struct sl_diag_query all_q = {
		SL_DIAG_TCP | SL_DIAG_UDP, SL_DIAG_V4 | SL_DIAG_V6,
		SL_STATES_ALL, 0, SL_SRC_AUTO, 0
	};
	char local[SL_ADDRSTRLEN], remote[SL_ADDRSTRLEN];
	struct sl_sock_list l;
	struct sl_err e;

	sl_sock_list_init(&l);
	if (sl_diag_list_tree(&all_q, c->srv.pid, &l, &e) > 0) {
		const struct sl_sock *s = &l.v[0];

		sl_sock_addr_format(&s->local, local, sizeof(local));
		sl_sock_addr_format(&s->remote, remote, sizeof(remote));
		if (s->proto == IPPROTO_UDP) {
			sl_buf_printf(&p->saw, "; it has a UDP socket on %s instead", local);
			sl_buf_puts(&p->fix, "SOCK_DGRAM makes a UDP socket: a TCP server needs SOCK_STREAM, then listen() and accept()");
		} else {
			sl_buf_printf(&p->saw, "; it has a TCP connection %s -> %s (%s) instead",
				      local, remote, sl_sock_state_name(s));
			sl_buf_puts(&p->fix, "this looks like a client: give the server's command, and start the client yourself");
		}
	} else {
		sl_buf_puts(&p->saw, "; it has no socket at all");
		sl_buf_puts(&p->fix, "a server binds, listens and then waits in accept(); its stdin is empty (/dev/null), so it must not wait for typed input");
	}
	sl_sock_list_release(&l);
}

void ck_start_failed(struct ck *c, struct sl_probe *p, uint64_t t0)
{
	c->gone = 1;
	if (!c->srv.running) {
		sl_buf_puts(&c->gone_why, "the server ended before listening");
		ended(c, p, t0);
		return;
	}
	sl_buf_puts(&c->gone_why, "the server never listened");
	sl_buf_printf(&p->saw, "it still runs after %llu ms but listens on no TCP port",
		      (unsigned long long)(sl_now_ms() - t0));
	p->verdict = SL_FAIL;
	put_instead(c, p);
}
