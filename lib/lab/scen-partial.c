/* scen-partial.c - TCP carries bytes, not messages: two send() calls
 * arrive in one recv(), one send() of a long line takes three recv()
 * calls; the fix reads until the newline */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "scenario.h"
#include "socklab/line.h"

enum { LONG = 3000, READ = 1024, PSH = 8 };

/* Waits until n bytes wait unread in fd (so one recv() can take them). */
static int queued(struct scen *s, int fd, int n)
{
	int q = 0;

	for (int i = 0; i < 200; i++) {
		if (ioctl(fd, FIONREAD, &q) == 0 && q >= n)
			return 1;
		scen_readable(s, fd, 5);
	}
	return 0;
}

static void show(struct scen *s, int id, const char *p, ssize_t n)
{
	struct sl_buf e = SL_BUF_INIT;

	sl_buf_escape(&e, p, n > 40 ? 40 : (size_t)(n < 0 ? 0 : n));
	scen_text(s, id, "server: recv(fd, buf, %d) = %zd: \"%s\"%s\n", READ, n,
		  e.data ? e.data : "", n > 40 ? "…" : "");
	sl_buf_release(&e);
}

/* Two sends, one recv; then one send, three recvs. */
static void symptom(struct scen *s, int c, int a, struct sl_buf *got)
{
	static char line[LONG];
	char buf[READ];
	ssize_t n;
	int reads = 0;

	scen_text(s, SC_SYMPTOM, "client: send(\"alice\\n\"), send(\"bob\\n\")   (two calls, TCP_NODELAY)\n");
	n = write(c, "alice\n", 6);
	n = write(c, "bob\n", 4);
	queued(s, a, 10);
	n = read(a, buf, sizeof(buf));
	show(s, SC_SYMPTOM, buf, n);
	sl_buf_append(got, buf, n > 0 ? (size_t)n : 0);
	s->count[0] = n == 10;
	memset(line, 'x', sizeof(line));
	line[LONG - 1] = '\n';
	scen_text(s, SC_SYMPTOM, "client: send(a line of %d bytes)   (one call)\n", LONG);
	n = write(c, line, sizeof(line));
	queued(s, a, LONG);
	for (int i = 0; i < 8 && (n = read(a, buf, sizeof(buf))) > 0; i++) {
		show(s, SC_SYMPTOM, buf, n);
		sl_buf_append(got, buf, (size_t)n);
		reads++;
	}
	s->count[1] = reads;
	scen_result(s, SC_SYMPTOM, s->count[0] && reads == 3,
		    "two sends came in one recv() (10 bytes), one send in %d recv() calls",
		    reads);
}

/* The line framer socklab's server uses, over the same bytes. */
static void fix(struct scen *s, const struct sl_buf *got)
{
	size_t at = 0, lines = 0;
	struct sl_line l;
	ssize_t k;

	scen_text(s, SC_FIX, "server: keep the bytes, and cut a line at each \\n (the rest waits for the next recv()):\n");
	while (at < got->len &&
	       (k = sl_frame_next(got->data + at, got->len - at, LONG, &l)) > 0) {
		struct sl_buf e = SL_BUF_INIT;

		sl_buf_escape(&e, l.p, l.len > 20 ? 20 : l.len);
		scen_text(s, SC_FIX, "  line %zu: \"%s\"%s (%zu bytes)\n", ++lines,
			  e.data ? e.data : "", l.len > 20 ? "…" : "", l.len);
		sl_buf_release(&e);
		at += (size_t)k;
	}
	scen_result(s, SC_FIX, lines == 3 && at == got->len,
		    "read until the newline: the three messages come out whole, %zu lines", lines);
}

static void run(struct scen *s)
{
	int lfd = scen_listen(s, AF_INET, 16, 1, 0), c, a, rc, one = 1;
	struct sl_buf got = SL_BUF_INIT;

	c = scen_connect(s, AF_INET, &rc);
	if (rc == -EINPROGRESS)
		rc = scen_connected(s, c, 1000);
	if (lfd < 0 || rc < 0 || (a = scen_accept(s, lfd, 1000)) < 0) {
		scen_result(s, SC_SYMPTOM, 0, "no connection could be made");
		return;
	}
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	symptom(s, c, a, &got);
	scen_table(s, SC_STATES);
	scen_text(s, SC_STATES, "\nThe socket table has no messages in it: a connection is one stream of bytes each way.\n");
	scen_result(s, SC_STATES, 1, "one connection, both ends ESTABLISHED");
	fix(s, &got);
	sl_buf_release(&got);
}

static const char *mark(struct scen *s, const struct sl_tl_event *ev,
			char *buf, size_t n)
{
	if (!ev->from_client || !ev->len)
		return NULL;
	s->count[2]++;
	if (ev->len == 6 || ev->len == 4)
		snprintf(buf, n, "%u bytes: one send() was one segment, yet the server's one recv() took both", ev->len);
	else
		snprintf(buf, n, "%u bytes in one segment here (loopback's MSS is 65483), yet the server got them in %d recv() calls of at most %d",
			 ev->len, s->count[1], READ);
	return buf;
}

static void conclude(struct scen *s)
{
	if (s->lab->packets)
		scen_result(s, SC_PACKETS, s->count[2] >= 2,
			    "%d segments from the client: their edges are not the recv() calls' edges",
			    s->count[2]);
	scen_text(s, SC_DIAGNOSIS,
		  "TCP delivers a stream of bytes in order; it keeps no record of how they were sent. recv() returns whatever is there, up to the size asked for: part of a message, or several. Segments on the wire do not help either: their sizes are TCP's business (MSS, Nagle, the window).\n"
		  "A protocol must say where a message ends: a newline (as socklab's server), a length before it, or the end of the stream.\n");
	scen_result(s, SC_DIAGNOSIS, s->st[SC_SYMPTOM] == SL_STEP_OK,
		    "a byte stream: send() and recv() calls do not match one to one");
}

const struct scen_def scen_partial = {
	.name = "partial-line",
	.about = "a byte stream: two sends arrive as one recv(), one send as three",
	.classic = {
		[SC_SYMPTOM] = "python3 server.py   (name = conn.recv(1024))",
		[SC_STATES] = "ss -tan '( sport = :%u )'",
		[SC_PACKETS] = "Wireshark: tcp.port==%u && tcp.len>0",
		[SC_DIAGNOSIS] = "Wireshark: Analyze > Follow > TCP Stream",
		[SC_FIX] = "buffer the bytes and split at \\n (sock.makefile().readline() in Python)",
	},
	.lesson = {
		[SC_SYMPTOM] = "One recv() is not one message.",
		[SC_STATES] = "The kernel keeps bytes per connection, not messages.",
		[SC_PACKETS] = "Segment boundaries are neither the sender's send() calls nor the receiver's recv() calls.",
		[SC_DIAGNOSIS] = "Framing is the program's job: a delimiter or a length.",
		[SC_FIX] = "Read into a buffer and take out whole lines; keep the rest for the next read.",
	},
	.run = run,
	.mark = mark,
	.conclude = conclude,
};
