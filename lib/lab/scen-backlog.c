/* scen-backlog.c - a server that never calls accept(), listening with a
 * backlog of 1: two connections fill its accept queue, the kernel drops
 * the third one's SYN, and that client sends it again a second later
 * (the kernel's retransmission timer sets the pace); accept() frees the
 * queue */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

enum { SYN = 2, ACK = 16, CLIENTS = 3 };

/* TcpExt's counters of this namespace: ListenOverflows and ListenDrops. */
static void overflows(unsigned long *over, unsigned long *drops)
{
	struct sl_buf b = SL_BUF_INIT;
	char *names, *vals, *n, *v, *sn, *sv;

	*over = *drops = 0;
	if (sl_read_file("/proc/net/netstat", 1 << 20, &b) < 0 || !b.data)
		goto out;
	/* "TcpExt: A B ...\nTcpExt: 1 2 ...\n" */
	if (!(names = strstr(b.data, "TcpExt: ")) ||
	    !(vals = strstr(names + 1, "TcpExt: ")))
		goto out;
	names[strcspn(names, "\n")] = '\0';
	vals[strcspn(vals, "\n")] = '\0';
	n = strtok_r(names + 8, " ", &sn);
	v = strtok_r(vals + 8, " ", &sv);
	for (; n && v; n = strtok_r(NULL, " ", &sn), v = strtok_r(NULL, " ", &sv)) {
		if (!strcmp(n, "ListenOverflows"))
			*over = strtoul(v, NULL, 10);
		if (!strcmp(n, "ListenDrops"))
			*drops = strtoul(v, NULL, 10);
	}
out:
	sl_buf_release(&b);
}

static void run(struct scen *s)
{
	int lfd = scen_listen(s, AF_INET, 1, 1, 0), fd[CLIENTS], rc[CLIENTS];
	unsigned long over0, drop0, over, drops;
	char why[80];
	uint64_t t0;

	if (lfd < 0) {
		scen_result(s, SC_SYMPTOM, 0, "cannot listen: %s", strerror(-lfd));
		return;
	}
	overflows(&over0, &drop0);
	scen_text(s, SC_SYMPTOM, "server: listen(fd, 1), and it never calls accept()\n");
	for (int i = 0; i < CLIENTS; i++) {
		fd[i] = scen_connect(s, AF_INET, &rc[i]);
		if (rc[i] == -EINPROGRESS)
			rc[i] = scen_connected(s, fd[i], i < 2 ? 1000 : 1);
	}
	/* the third SYN was dropped: wait for the client to send it again */
	t0 = sl_now_ms();
	scen_watch(s, 1300);
	overflows(&over, &drops);
	for (int i = 0; i < CLIENTS; i++)
		scen_text(s, SC_SYMPTOM, "client %d: connect() %s\n", i + 1,
			  rc[i] == 0 ? "= 0 (connected, though nobody accepted it)" :
			  rc[i] == -ETIMEDOUT ? "still waiting after 1.3 s" :
			  scen_errno(rc[i], why, sizeof(why)));
	scen_result(s, SC_SYMPTOM, rc[0] == 0 && rc[1] == 0 && rc[2] == -ETIMEDOUT,
		    "clients 1 and 2 connected, client 3 still waits %llu ms later",
		    (unsigned long long)(sl_now_ms() - t0));
	scen_table(s, SC_STATES);
	scen_text(s, SC_STATES, "\nThe kernel's counters (nstat TcpExtListenOverflows TcpExtListenDrops): %lu accept-queue overflows, %lu SYNs dropped during this scenario.\n",
		  over - over0, drops - drop0);
	scen_result(s, SC_STATES, over > over0,
		    "LISTEN with its queue full (2 waiting, backlog 1), client 3 in SYN_SENT; %lu overflows counted",
		    over - over0);
	/* the fix: accept what waits; a new client gets in at once */
	for (int i = 0; i < 2; i++) {
		int a = scen_accept(s, lfd, 100);

		scen_text(s, SC_FIX, "server: accept() = %s\n", a >= 0 ? "a connection" : "nothing");
	}
	fd[0] = scen_connect(s, AF_INET, &rc[0]);
	if (rc[0] == -EINPROGRESS)
		rc[0] = scen_connected(s, fd[0], 500);
	scen_text(s, SC_FIX, "client 4: connect() = %d%s\n", rc[0],
		  rc[0] ? "" : " (at once: the queue has room again)");
	scen_table(s, SC_FIX);
	scen_result(s, SC_FIX, rc[0] == 0,
		    "once the server accepts, a new connection is made at once");
}

/* SYNs by client port: the same one again is a retransmission. */
static const char *mark(struct scen *s, const struct sl_tl_event *ev,
			char *buf, size_t n)
{
	int k = s->count[0];

	if ((ev->flags & (SYN | ACK)) != SYN || !ev->from_client)
		return NULL;
	for (int i = 0; i < k; i++)
		if (ev->sport == s->ports[i]) {
			s->count[1]++;
			snprintf(buf, n, "SYN from port %u again, %.3f s after frame %u: the first got no answer, the kernel dropped it because the accept queue was full",
				 ev->sport, (double)(ev->t_ns - s->t[i]) / 1e9,
				 s->frame[i]);
			return buf;
		}
	if (k < (int)SL_ARRAY_SIZE(s->ports)) {
		s->ports[k] = ev->sport;
		s->t[k] = ev->t_ns;
		s->frame[k] = ev->frame;
		s->count[0]++;
	}
	return NULL;
}

static void conclude(struct scen *s)
{
	if (s->lab->packets)
		scen_result(s, SC_PACKETS, s->count[1] > 0,
			    "%d SYN retransmitted by the waiting client", s->count[1]);
	scen_text(s, SC_DIAGNOSIS,
		  "The kernel completes handshakes for a listener and queues the connections until the program calls accept(). The queue holds backlog + 1 (here 2); past that the kernel drops new SYNs without a word, and the client sends them again after 1 s, 3 s, 7 s … until connect() times out (about 2 minutes).\n"
		  "A LISTEN socket's Recv-Q (ss -tln) is that queue's length, its Send-Q the backlog.\n");
	scen_result(s, SC_DIAGNOSIS, s->st[SC_STATES] == SL_STEP_OK,
		    "the accept queue was full: the server does not accept() (fast enough) and its backlog is small");
}

const struct scen_def scen_backlog = {
	.name = "backlog",
	.about = "a server that does not accept(): the queue fills, SYNs are dropped, the client retransmits",
	.classic = {
		[SC_SYMPTOM] = "python3 client.py   (hangs in connect())",
		[SC_STATES] = "ss -tln 'sport = :%u'   (Recv-Q: waiting, Send-Q: backlog)",
		[SC_PACKETS] = "Wireshark: tcp.port==%u && tcp.flags.syn==1",
		[SC_DIAGNOSIS] = "nstat -az TcpExtListenOverflows TcpExtListenDrops",
		[SC_FIX] = "accept() promptly (a loop, threads, or select/epoll) and listen(fd, 128)",
	},
	.lesson = {
		[SC_SYMPTOM] = "The first clients connect although nobody accepts them; a later one hangs.",
		[SC_STATES] = "Connections wait in the listener's queue, ESTABLISHED before accept().",
		[SC_PACKETS] = "A dropped SYN is sent again: 1 s later, then 3 s, then 7 s.",
		[SC_DIAGNOSIS] = "The kernel drops SYNs silently when the accept queue is full: the client cannot tell it from a lost packet.",
		[SC_FIX] = "Accept connections as they come, and give listen() a backlog of 128 or more.",
	},
	.run = run,
	.mark = mark,
	.conclude = conclude,
	.paced = "the SYN retransmission timer (1 s)",
};
