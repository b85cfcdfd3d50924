/* scen-halfclose.c - a server that reads until the end of the stream and
 * a client that waits for the reply: both wait, until the client
 * half-closes (shutdown(SHUT_WR)): its FIN ends the request, the reply
 * still flows the other way (FIN_WAIT2 and CLOSE_WAIT meanwhile) */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "scenario.h"

enum { FIN = 1 };

static int state_of(struct scen *s, int server)
{
	const struct sl_sock_list *l = &s->r->smp.now;

	sampler_force(s->lab, &s->r->smp);
	for (size_t i = 0; i < l->n; i++) {
		uint16_t lp = sl_addr_port((const struct sockaddr *)&l->v[i].local.ss);

		if (l->v[i].state != SL_TCP_LISTEN && (lp == s->port) == server)
			return l->v[i].state;
	}
	return 0;
}

/* The server's side: everything until the end of the stream. */
static ssize_t read_all(struct scen *s, int a, char *buf, size_t cap,
			int ms, int *eof)
{
	size_t got = 0;
	ssize_t n = -1;

	*eof = 0;
	for (int i = 0; i < ms / 10 && !*eof; i++) {
		if (!scen_readable(s, a, 10))
			continue;
		while (got < cap && (n = read(a, buf + got, cap - got)) > 0)
			got += (size_t)n;
		*eof = n == 0;
	}
	return (ssize_t)got;
}

static void run(struct scen *s)
{
	int lfd = scen_listen(s, AF_INET, 16, 1, 0), c, a, rc, eof, fw, cw;
	char buf[64];
	ssize_t got, n;

	c = scen_connect(s, AF_INET, &rc);
	if (rc == -EINPROGRESS)
		rc = scen_connected(s, c, 1000);
	if (lfd < 0 || rc < 0 || (a = scen_accept(s, lfd, 1000)) < 0) {
		scen_result(s, SC_SYMPTOM, 0, "no connection could be made");
		return;
	}
	n = write(c, "alice", 5);
	got = read_all(s, a, buf, sizeof(buf), 400, &eof);
	scen_text(s, SC_SYMPTOM, "client: send(\"alice\"), then waits in recv() for the reply\n"
		  "server: reads until recv() returns 0 (the end of the request): got %zd bytes, still waiting after 400 ms\n"
		  "both wait for each other: the request has no end the server can see\n", got);
	scen_result(s, SC_SYMPTOM, got == 5 && !eof,
		    "after 400 ms the server still waits for the end of the request, the client for the reply");
	scen_table(s, SC_STATES);
	shutdown(c, SHUT_WR);
	got = read_all(s, a, buf, sizeof(buf), 1000, &eof);
	/* the FIN's ACK may be delayed a moment: FIN_WAIT1 until it comes */
	for (int i = 0; i < 60 && (fw = state_of(s, 0)) == SL_TCP_FIN_WAIT1; i++)
		scen_watch(s, 5);
	cw = state_of(s, 1);
	scen_text(s, SC_STATES, "\nafter the client's shutdown(SHUT_WR), before the server answers:\n");
	scen_table(s, SC_STATES);
	scen_result(s, SC_STATES, fw == SL_TCP_FIN_WAIT2 && cw == SL_TCP_CLOSE_WAIT,
		    "half-closed: the client's end %s, the server's %s",
		    sl_tcp_state_name(fw), sl_tcp_state_name(cw));
	n = write(a, "Hello, alice!\n", 14);
	scen_close(s, a);
	scen_readable(s, c, 1000);
	n = read(c, buf, sizeof(buf));
	scen_text(s, SC_FIX, "client: shutdown(fd, SHUT_WR) after the request: its FIN says \"done sending\"\n"
		  "server: recv() = 0 (end of the request, %s), answers, close()\n"
		  "client: recv() = %zd: the reply came after the client's own FIN\n",
		  eof ? "seen" : "not seen", n);
	scen_result(s, SC_FIX, eof && n == 14,
		    "with a half-close the server sees the end of the request, and its reply still reaches the client");
	scen_close(s, c);
	scen_watch(s, 30);
}

static const char *mark(struct scen *s, const struct sl_tl_event *ev,
			char *buf, size_t n)
{
	(void)buf;
	(void)n;
	if ((ev->flags & FIN) && ev->from_client && !s->frame[0]) {
		s->frame[0] = ev->frame;
		return "the client's FIN: shutdown(SHUT_WR), it will send no more, but it still reads";
	}
	if (s->frame[0] && !ev->from_client && ev->len && !s->frame[1]) {
		s->frame[1] = ev->frame;
		return "the server's reply, after the client's FIN: the other direction is still open";
	}
	if ((ev->flags & FIN) && !ev->from_client && !s->frame[2]) {
		s->frame[2] = ev->frame;
		return "the server's FIN: now both directions are closed";
	}
	return NULL;
}

static void conclude(struct scen *s)
{
	if (s->lab->packets)
		scen_result(s, SC_PACKETS, s->frame[0] && s->frame[1] &&
			    s->frame[0] < s->frame[1],
			    "the client's FIN in frame %u, the server's data after it in frame %u",
			    s->frame[0], s->frame[1]);
	scen_text(s, SC_DIAGNOSIS,
		  "Each direction of a TCP connection closes on its own. A server that reads until recv() returns 0 needs the client to say it has finished sending; a client that waits for the reply without saying so waits for ever.\n"
		  "shutdown(SHUT_WR) sends a FIN and keeps the socket open for reading: the client's end goes to FIN_WAIT2, the server's to CLOSE_WAIT until it closes too.\n");
	scen_result(s, SC_DIAGNOSIS, s->st[SC_SYMPTOM] == SL_STEP_OK,
		    "the request had no end: a half-close (or a delimiter) is missing");
}

const struct scen_def scen_halfclose = {
	.name = "half-close",
	.about = "shutdown(SHUT_WR): the request ends, the reply still flows (FIN_WAIT2, CLOSE_WAIT)",
	.classic = {
		[SC_SYMPTOM] = "python3 client.py   (hangs in recv())",
		[SC_STATES] = "ss -tan '( sport = :%u )'   (FIN-WAIT-2, CLOSE-WAIT)",
		[SC_PACKETS] = "Wireshark: tcp.port==%u && (tcp.flags.fin==1 || tcp.len>0)",
		[SC_DIAGNOSIS] = "man 2 shutdown",
		[SC_FIX] = "s.shutdown(socket.SHUT_WR) after sending the request",
	},
	.lesson = {
		[SC_SYMPTOM] = "Two programs each wait for the other: nothing is wrong with the network.",
		[SC_STATES] = "FIN_WAIT2 and CLOSE_WAIT: one direction closed, the other open.",
		[SC_PACKETS] = "Data can follow a FIN, in the other direction.",
		[SC_DIAGNOSIS] = "A stream ends when the sender says so (FIN); reading until EOF needs that FIN.",
		[SC_FIX] = "Half-close with shutdown(SHUT_WR), or end each message with a delimiter.",
	},
	.run = run,
	.mark = mark,
	.conclude = conclude,
};
