/* scen-zerowin.c - a receiver that stops reading: its buffer fills, it
 * advertises a window of 0, the sender's send() blocks (EAGAIN here) and
 * its kernel probes the window on the persist timer; reading opens it */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "scenario.h"

enum { ACK = 16, CHUNK = 16384, LIMIT = 4 << 20 };

static size_t fill(int fd)
{
	static char data[CHUNK];
	size_t sent = 0;
	ssize_t n;

	memset(data, 'x', sizeof(data));
	while (sent < LIMIT && (n = write(fd, data, sizeof(data))) > 0)
		sent += (size_t)n;
	return sent;
}

/* The socket's queues as the sampler read them: unread and unsent. */
static void queues(struct scen *s)
{
	const struct sl_sock_list *l = &s->r->smp.now;

	for (size_t i = 0; i < l->n; i++) {
		const struct sl_sock *k = &l->v[i];
		const struct sockaddr *a = (const struct sockaddr *)&k->local.ss;
		int server = sl_addr_port(a) == s->port;

		if (k->state != SL_TCP_ESTABLISHED)
			continue;
		scen_text(s, SC_STATES, "%s socket: %u bytes received but not read (Recv-Q), %u bytes not yet sent (Send-Q)\n",
			  server ? "server's" : "client's", k->rqueue, k->wqueue);
		if (!server)
			s->count[2] = k->wqueue > 0;
	}
}

static size_t drain(struct scen *s, int fd, size_t want)
{
	static char buf[CHUNK];
	size_t got = 0;
	ssize_t n;

	for (int i = 0; i < 2000 && got < want; i++) {
		if (!scen_readable(s, fd, 50))
			continue;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			got += (size_t)n;
	}
	return got;
}

static void run(struct scen *s)
{
	int lfd = scen_listen(s, AF_INET, 16, 1, 4096), c, a, rc;
	size_t sent;

	if (lfd < 0) {
		scen_result(s, SC_SYMPTOM, 0, "cannot listen: %s", strerror(-lfd));
		return;
	}
	c = scen_connect(s, AF_INET, &rc);
	if (rc == -EINPROGRESS)
		rc = scen_connected(s, c, 1000);
	if (rc < 0 || (a = scen_accept(s, lfd, 1000)) < 0) {
		scen_result(s, SC_SYMPTOM, 0, "no connection could be made");
		return;
	}
	sent = fill(c);
	scen_text(s, SC_SYMPTOM, "server: SO_RCVBUF 4096, accept(), and then it never calls recv()\n"
		  "client: send() took %zu bytes, then EAGAIN: a blocking program would wait in send() (or sendall()) for ever\n",
		  sent);
	scen_result(s, SC_SYMPTOM, sent < LIMIT,
		    "send() stopped after %zu bytes: the receiver reads nothing", sent);
	scen_watch(s, 700);	/* the persist timer's first probes */
	scen_table(s, SC_STATES);
	sampler_force(s->lab, &s->r->smp);
	queues(s);
	scen_result(s, SC_STATES, s->count[2],
		    "both ends ESTABLISHED, the client's bytes wait in its Send-Q");
	scen_text(s, SC_FIX, "server: recv() in a loop, as it should\n");
	rc = (int)(drain(s, a, sent) == sent);
	scen_text(s, SC_FIX, "server: read all %zu bytes; the window opened and the client's kernel sent the rest\n",
		  sent);
	scen_result(s, SC_FIX, rc, "once the server reads, all %zu bytes arrive", sent);
}

static const char *mark(struct scen *s, const struct sl_tl_event *ev,
			char *buf, size_t n)
{
	(void)buf;
	(void)n;
	if (!ev->from_client && ev->win == 0 && !s->frame[0]) {
		s->frame[0] = ev->frame;
		return "the server advertises a window of 0 (tshark: [TCP ZeroWindow]): its receive buffer is full";
	}
	if (s->frame[0] && !s->frame[2] && ev->from_client && ev->len <= 1 &&
	    ev->flags == ACK && !s->frame[1]) {
		s->frame[1] = ev->frame;
		return "the client's kernel probes the closed window (a zero-window probe), on the persist timer";
	}
	if (s->frame[0] && !ev->from_client && ev->win > 0 && !s->frame[2]) {
		s->frame[2] = ev->frame;
		return "the window opens again (a window update): the server read";
	}
	return NULL;
}

static void conclude(struct scen *s)
{
	if (s->lab->packets)
		scen_result(s, SC_PACKETS, s->frame[0] && s->frame[2],
			    "window 0 in frame %u%s, open again in frame %u",
			    s->frame[0], s->frame[1] ? ", probed" : "", s->frame[2]);
	scen_text(s, SC_DIAGNOSIS,
		  "TCP's flow control: every segment tells the peer how many more bytes the receiver has room for (the window). A program that stops calling recv() lets its buffer fill; the window drops to 0 and the sender must wait. Its kernel asks from time to time (zero-window probes) whether room came.\n"
		  "Seen from the sender, send() blocks; seen in ss, the receiver's Recv-Q is full and the sender's Send-Q grows.\n");
	scen_result(s, SC_DIAGNOSIS, s->st[SC_SYMPTOM] == SL_STEP_OK,
		    "the receiver stopped reading: a zero window, not a network problem");
}

const struct scen_def scen_zerowin = {
	.name = "zero-window",
	.about = "a receiver that stops reading: window 0, the sender blocks and probes",
	.classic = {
		[SC_SYMPTOM] = "python3 client.py   (hangs in sendall())",
		[SC_STATES] = "ss -tan '( sport = :%u )'   (Recv-Q and Send-Q)",
		[SC_PACKETS] = "Wireshark: tcp.port==%u && tcp.analysis.zero_window",
		[SC_DIAGNOSIS] = "ss -ti (rcv_space, snd_wnd)",
		[SC_FIX] = "keep calling recv() (a thread or an event loop per connection)",
	},
	.lesson = {
		[SC_SYMPTOM] = "The sender is stuck although the network is fine.",
		[SC_STATES] = "Bytes pile up in the queues: unread on one side, unsent on the other.",
		[SC_PACKETS] = "Window 0, probes, then a window update once the receiver reads.",
		[SC_DIAGNOSIS] = "The window is the receiver's free buffer space: 0 means it stopped reading.",
		[SC_FIX] = "A receiver must keep reading; a server must never stop reading one client to serve another.",
	},
	.run = run,
	.mark = mark,
	.conclude = conclude,
	.paced = "the persist timer (zero-window probes from 200 ms on)",
};
