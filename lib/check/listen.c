/* listen.c - the first three probes: the server starts and listens (its
 * port found by the pids of its process tree), on the assignment's port,
 * on loopback; or why it does not */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "check-int.h"

#define ASSIGNMENT_PORT_MIN 59001	/* "a port above 59000" */

static const struct sl_diag_query listen_q = {
	SL_DIAG_TCP, SL_DIAG_V4 | SL_DIAG_V6, SL_STATE_BIT(SL_TCP_LISTEN), 0,
	SL_SRC_AUTO, 0
};

static int is_wildcard(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ((const struct sockaddr_in *)sa)->sin_addr.s_addr ==
		       htonl(INADDR_ANY);
	return sa->sa_family == AF_INET6 &&
	       IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)sa)->sin6_addr);
}

static const struct sockaddr *local_sa(const struct sl_sock *s)
{
	return (const struct sockaddr *)&s->local.ss;
}

/* Where a client of this machine reaches the listener s. */
static void reach(const struct sl_sock *s, struct sl_endpoint *ep)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	const struct sockaddr *sa = local_sa(s);
	uint32_t lo4 = htonl(INADDR_LOOPBACK);

	if (!is_wildcard(sa)) {
		*ep = s->local;
		return;
	}
	if (sa->sa_family == AF_INET)
		sl_addr_make(ep, AF_INET, &lo4, sl_addr_port(sa));
	else
		sl_addr_make(ep, AF_INET6, lo6, sl_addr_port(sa));
}

/* The listener the probes go to: IPv4 loopback first, as most clients
 * try it, then IPv6 loopback, then whatever it is. */
static const struct sl_sock *pick(const struct sl_sock_list *l)
{
	const struct sl_sock *v6 = NULL;

	for (size_t i = 0; i < l->n; i++) {
		const struct sockaddr *sa = local_sa(&l->v[i]);

		if (sa->sa_family == AF_INET &&
		    (sl_addr_is_loopback(sa) || is_wildcard(sa)))
			return &l->v[i];
		if (!v6 && (sl_addr_is_loopback(sa) || is_wildcard(sa)))
			v6 = &l->v[i];
	}
	return v6 ? v6 : &l->v[0];
}

static void put_listeners(struct sl_buf *b, const struct sl_sock_list *l)
{
	char addr[SL_ADDRSTRLEN];

	for (size_t i = 0; i < l->n; i++) {
		const struct sl_sock *s = &l->v[i];

		sl_sock_addr_format(&s->local, addr, sizeof(addr));
		sl_buf_printf(b, "%s%s (pid %d ", i ? " and " : "", addr,
			      s->pid);
		sl_buf_escape(b, s->program, strnlen(s->program,
						     sizeof(s->program)));
		sl_buf_putc(b, ')');
	}
}

static void put_command(struct sl_buf *b, char *const *argv)
{
	for (size_t i = 0; argv[i]; i++) {
		if (i)
			sl_buf_putc(b, ' ');
		sl_buf_shell_word(b, argv[i]);
	}
}

/* A server that listens on two addresses opens them one after the other:
 * once one is seen, a moment more for the rest before the probes begin. */
#define SETTLE_MS 50

static int settle(struct ck *c)
{
	struct sl_sock_list more;
	int rc = ck_poll(c, -1, 0, sl_now_ms() + SETTLE_MS);

	if (rc < 0)
		return rc;
	sl_sock_list_init(&more);
	if (sl_diag_list_tree(&listen_q, c->srv.pid, &more, c->e) >
	    (int)c->listeners.n) {
		sl_sock_list_release(&c->listeners);
		c->listeners = more;
		return 1;
	}
	sl_sock_list_release(&more);
	return 1;
}

/* Lists the tree's listeners until some appear, the server ends, or the
 * start time is up.  1 found, 0 not, < 0 stop. */
static int wait_listening(struct ck *c)
{
	int wait_ms = c->o->timeout_ms > CK_START_MS ? c->o->timeout_ms
						     : CK_START_MS;
	uint64_t deadline = sl_now_ms() + (uint64_t)wait_ms;

	for (unsigned round = 0;; round++) {
		int rc = sl_diag_list_tree(&listen_q, c->srv.pid,
					   &c->listeners, c->e);

		if (rc < 0)
			return c->fatal = rc;
		if (rc > 0)
			return settle(c);
		if (!c->srv.running || sl_now_ms() >= deadline)
			return 0;
		/* quick at first: most servers listen within milliseconds */
		rc = ck_poll(c, -1, 0, sl_now_ms() + (round < 100 ? 5 : 50));
		if (rc < 0)
			return rc;
	}
}

static void found(struct ck *c, struct sl_probe *p, uint64_t t0)
{
	const struct sl_sock *s = pick(&c->listeners);

	reach(s, &c->ep);
	c->sum->port = sl_addr_port((const struct sockaddr *)&c->ep.ss);
	sl_addr_format((const struct sockaddr *)&c->ep.ss, c->sum->addr,
		       sizeof(c->sum->addr));
	sl_buf_puts(&p->saw, "listening on ");
	put_listeners(&p->saw, &c->listeners);
	sl_buf_printf(&p->saw, " after %llu ms, found by the pids of its process tree",
		      (unsigned long long)(sl_now_ms() - t0));
	p->verdict = SL_PASS;
}

void ck_probe_start(struct ck *c, struct sl_probe *p)
{
	uint64_t t0 = sl_now_ms();
	struct sl_err e;
	int rc;

	sl_buf_puts(&p->did, "started ");
	put_command(&p->did, c->o->argv);
	if (ck_server_start(&c->srv, c->o->argv, &e) < 0) {
		ck_verdict(p, SL_FAIL, "check the command; it must start the server and stay in the foreground",
			   "%s", e.msg);
		c->gone = 1;
		sl_buf_puts(&c->gone_why, "the server did not start");
		return;
	}
	c->sum->pid = c->srv.pid;
	sl_buf_printf(&p->did, " (pid %d, a process group of its own)",
		      (int)c->srv.pid);
	rc = wait_listening(c);
	if (rc > 0)
		found(c, p, t0);
	else if (rc == 0)
		ck_start_failed(c, p, t0);
}

void ck_probe_port(struct ck *c, struct sl_probe *p)
{
	unsigned port = c->sum->port;
	int unpriv = sl_unprivileged_port_start();

	sl_buf_printf(&p->did, "compared port %u with the assignment's (above 59000)",
		      port);
	if (port >= ASSIGNMENT_PORT_MIN) {
		ck_verdict(p, SL_PASS, NULL, "port %u is above 59000", port);
		return;
	}
	if ((int)port < unpriv)
		ck_verdict(p, SL_FAIL, "listen on a port above 59000, e.g. 59123",
			   "port %u is a privileged port (below %d on this system: only root or CAP_NET_BIND_SERVICE may bind it), against the assignment, which asks for one above 59000",
			   port, unpriv);
	else
		ck_verdict(p, SL_FAIL, "listen on a port above 59000, e.g. 59123",
			   "port %u is not above 59000, against the assignment", port);
}

void ck_probe_address(struct ck *c, struct sl_probe *p)
{
	const struct sl_sock *wild = NULL, *away = NULL;
	char addr[SL_ADDRSTRLEN];

	sl_buf_puts(&p->did, "looked at the addresses it listens on");
	for (size_t i = 0; i < c->listeners.n; i++) {
		const struct sockaddr *sa = local_sa(&c->listeners.v[i]);

		if (is_wildcard(sa) && !wild)
			wild = &c->listeners.v[i];
		else if (!is_wildcard(sa) && !sl_addr_is_loopback(sa) && !away)
			away = &c->listeners.v[i];
	}
	if (wild) {
		sl_sock_addr_format(&wild->local, addr, sizeof(addr));
		ck_verdict(p, SL_NOTE, "bind to 127.0.0.1 (and ::1), not to \"\", 0.0.0.0, :: or INADDR_ANY: the assignment asks for loopback",
			   "it listens on %s, every address of this machine: other machines on the network can connect to it too",
			   addr);
	} else if (away) {
		sl_sock_addr_format(&away->local, addr, sizeof(addr));
		ck_verdict(p, SL_NOTE, "bind to 127.0.0.1 (and ::1): the assignment asks for loopback",
			   "it listens on %s, an address of the network, not loopback: other machines can reach it",
			   addr);
	} else {
		ck_verdict(p, SL_PASS, NULL,
			   "loopback only: only programs on this machine can connect");
	}
}
