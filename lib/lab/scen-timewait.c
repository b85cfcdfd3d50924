/* scen-timewait.c - a server that closed first leaves its connection in
 * TIME_WAIT for 60 s; restarted at once, its bind() without SO_REUSEADDR
 * fails with "Address already in use"; with SO_REUSEADDR it binds */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"

enum { FIN = 1, ACK = 16 };

/* A TIME_WAIT on port now, from the kernel's table. */
static int time_wait_on(uint16_t port)
{
	struct sl_diag_query q = { .protos = SL_DIAG_TCP, .port = port,
				   .states = SL_STATE_BIT(SL_TCP_TIME_WAIT) };
	struct sl_sock_list l;
	struct sl_err e;
	int n = 0;

	sl_sock_list_init(&l);
	if (sl_diag_list(&q, &l, &e) >= 0)
		for (size_t i = 0; i < l.n; i++) {
			const struct sockaddr *a =
				(const struct sockaddr *)&l.v[i].local.ss;

			n += sl_addr_port(a) == port;
		}
	sl_sock_list_release(&l);
	return n > 0;
}

static int time_wait_seen(struct scen *s)
{
	return time_wait_on(s->port);
}

/* A conversation the server ends first, as a one-shot server does;
 * reuse: its listener has SO_REUSEADDR. */
static int converse(struct scen *s, uint16_t port, int reuse)
{
	int lfd = scen_listen_at(s, AF_INET, port, 16, reuse, 0), rc, c, a;
	char buf[16];

	if (lfd < 0)
		return lfd;
	c = scen_connect_at(s, AF_INET, port, &rc);
	if ((a = scen_accept(s, lfd, 2000)) < 0)
		return a;
	scen_close(s, a);			/* the server closes first */
	scen_readable(s, c, 1000);
	if (read(c, buf, sizeof(buf)) != 0)
		return -EPROTO;
	scen_close(s, c);			/* the client answers the FIN */
	scen_close(s, lfd);			/* the server stops */
	for (int i = 0; i < 200 && !time_wait_on(port); i++) {
		scen_watch(s, 5);
		sampler_force(s->lab, &s->r->smp);
	}
	return time_wait_on(port) ? 0 : -ENOENT;
}

/* The fixed server, SO_REUSEADDR in both of its runs, on the next port:
 * this one's TIME_WAIT came from a socket without it, and stays 60 s. */
static void fix(struct scen *s)
{
	uint16_t next = (uint16_t)(s->port + 1);
	int rc = converse(s, next, 1), fd;

	scen_text(s, SC_FIX, "the server with setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) before every bind(), on port %u:\n"
		  "first run: served a client, closed first, exited (%s)\n",
		  next, rc == 0 ? "its connection waits in TIME_WAIT" : strerror(-rc));
	fd = scen_listen_at(s, AF_INET, next, 16, 1, 0);
	scen_text(s, SC_FIX, "restarted at once: bind(127.0.0.1:%u) = %d%s\n", next,
		  fd < 0 ? -1 : 0, fd < 0 ? "" : " (bound, beside the TIME_WAIT)");
	scen_table_port(s, SC_FIX, next);
	scen_result(s, SC_FIX, rc == 0 && fd >= 0 && time_wait_on(next),
		    "with SO_REUSEADDR in both runs the restarted server binds port %u beside the TIME_WAIT",
		    next);
}

static void run(struct scen *s)
{
	char at[SL_ADDRSTRLEN], why[80];
	struct sl_buf who = SL_BUF_INIT;
	int rc = converse(s, s->port, 0), fd;

	scen_addr(s, AF_INET, at, sizeof(at));
	if (rc < 0) {
		scen_result(s, SC_SYMPTOM, 0, "the first run of the server did not end in TIME_WAIT: %s",
			    strerror(-rc));
		return;
	}
	scen_text(s, SC_SYMPTOM, "server (first run): served a client and closed first, then exited\n"
		  "server (restarted at once): bind(%s) without SO_REUSEADDR\n", at);
	fd = scen_listen(s, AF_INET, 16, 0, 0);
	scen_text(s, SC_SYMPTOM, "  = -1 %s\nas Python says it: OSError: [Errno 98] Address already in use\n",
		  scen_errno(fd < 0 ? fd : 0, why, sizeof(why)));
	scen_result(s, SC_SYMPTOM, fd == -EADDRINUSE,
		    "the restarted server's bind() failed: %s", why);
	scen_table(s, SC_STATES);
	if (sl_diag_describe_port(s->port, SL_DIAG_V4, &who) > 0)
		scen_text(s, SC_STATES, "\n%s\n", who.data);
	sl_buf_release(&who);
	scen_text(s, SC_STATES, "\nNo process holds the port: the kernel does, for the connection the server closed first (TIME_WAIT, 60 s on Linux).\n");
	scen_result(s, SC_STATES, time_wait_seen(s),
		    "TIME_WAIT on %s, no LISTEN: the old connection holds the port", at);
	/* SO_REUSEADDR now is too late: the old socket had to have it */
	fd = scen_listen(s, AF_INET, 16, 1, 0);
	s->count[1] = fd == -EADDRINUSE;
	scen_text(s, SC_STATES, "with SO_REUSEADDR now: bind(%s) = %s too: the TIME_WAIT socket came from a listener without it, and both must have it\n",
		  at, fd < 0 ? scen_errno(fd, why, sizeof(why)) : "0");
	if (fd >= 0)
		scen_close(s, fd);
	fix(s);
}

static const char *mark(struct scen *s, const struct sl_tl_event *ev,
			char *buf, size_t n)
{
	(void)buf;
	(void)n;
	if ((ev->flags & FIN) && !s->frame[0]) {
		s->frame[0] = ev->frame;
		s->count[0] = !ev->from_client;
		return ev->from_client ? "the client closes first (FIN)" :
		       "the server closes first (FIN): its end of the connection will wait in TIME_WAIT";
	}
	if ((ev->flags & FIN) && !s->frame[1]) {
		s->frame[1] = ev->frame;
		return "the other side closes too (FIN)";
	}
	if (s->frame[1] && !s->frame[2] && ev->flags == ACK) {
		s->frame[2] = ev->frame;
		return "the last ACK: the connection is over, and the side that closed first now waits 60 s (TIME_WAIT) so that late packets cannot reach a new connection on the same ports";
	}
	return NULL;
}

static void conclude(struct scen *s)
{
	if (s->lab->packets)
		scen_result(s, SC_PACKETS, s->frame[0] && s->count[0] && s->frame[2],
			    "the server's FIN first (frame %u), the last ACK in frame %u",
			    s->frame[0], s->frame[2]);
	scen_text(s, SC_DIAGNOSIS,
		  "The side that closes a connection first keeps it in TIME_WAIT (60 s on Linux). While it lasts, bind() refuses the port to a socket without SO_REUSEADDR, even though nothing listens: \"Address already in use\".\n"
		  "It is not another program: socklab sockets --port %u shows TIME_WAIT and no pid. SO_REUSEADDR lifts the refusal only when the old socket had it too%s: so it belongs in the server's code, before every bind().\n",
		  s->port, s->count[1] ? " (seen here: set on the restart alone, bind() still failed)" : "");
	scen_result(s, SC_DIAGNOSIS, s->st[SC_SYMPTOM] == SL_STEP_OK &&
		    s->st[SC_STATES] == SL_STEP_OK,
		    "TIME_WAIT of the server's last connection holds port %u", s->port);
}

const struct scen_def scen_timewait = {
	.name = "timewait",
	.about = "a server restarted at once: bind() without SO_REUSEADDR fails, TIME_WAIT holds the port",
	.classic = {
		[SC_SYMPTOM] = "python3 server.py   (OSError: [Errno 98] Address already in use)",
		[SC_STATES] = "netstat -tan | grep %u   (TIME_WAIT)",
		[SC_PACKETS] = "Wireshark: tcp.port==%u && tcp.flags.fin==1",
		[SC_DIAGNOSIS] = "ss -tan state time-wait 'sport = :%u'",
		[SC_FIX] = "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1) before bind()",
	},
	.lesson = {
		[SC_SYMPTOM] = "A restarted server cannot bind the port it just used.",
		[SC_STATES] = "TIME_WAIT belongs to the kernel, not to a process: there is nobody to kill.",
		[SC_PACKETS] = "Whoever sends the first FIN is the one that ends in TIME_WAIT.",
		[SC_DIAGNOSIS] = "TIME_WAIT lasts 60 s on Linux and keeps old packets from a new connection with the same ports.",
		[SC_FIX] = "Servers set SO_REUSEADDR before bind(): it allows the bind beside TIME_WAIT (never beside a live listener).",
	},
	.run = run,
	.mark = mark,
	.conclude = conclude,
	.two_ports = 1,
};
