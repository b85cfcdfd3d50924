/* scen-rst.c - a server closes with SO_LINGER {1, 0}: the kernel sends a
 * reset instead of a FIN, the client's recv() fails with "connection
 * reset by peer", and neither end passes through TIME_WAIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"

enum { FIN = 1, RST = 4 };

static int pair(struct scen *s, int lfd, int *c, int *a)
{
	int rc;

	*c = scen_connect(s, AF_INET, &rc);
	if (rc == -EINPROGRESS)
		rc = scen_connected(s, *c, 1000);
	*a = scen_accept(s, lfd, 1000);
	return rc == 0 && *a >= 0 ? 0 : -EIO;
}

static void run(struct scen *s)
{
	int lfd = scen_listen(s, AF_INET, 16, 1, 0), c, a, err;
	struct linger lg = { 1, 0 };
	char buf[64], why[80];
	ssize_t n;

	if (lfd < 0 || pair(s, lfd, &c, &a) < 0) {
		scen_result(s, SC_SYMPTOM, 0, "no connection could be made");
		return;
	}
	n = write(c, "alice\n", 6);
	scen_readable(s, a, 500);
	scen_table(s, SC_STATES);
	setsockopt(a, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	scen_close(s, a);
	scen_readable(s, c, 1000);
	n = read(c, buf, sizeof(buf));
	err = n < 0 ? errno : 0;
	scen_text(s, SC_SYMPTOM, "client: send(\"alice\\n\"), then recv()\n"
		  "server: setsockopt(SO_LINGER, {on, 0 s}), close() without reading\n"
		  "client: recv() = %zd%s%s\nas Python says it: ConnectionResetError: [Errno 104] Connection reset by peer\n",
		  n, n < 0 ? " " : "", n < 0 ? scen_errno(err, why, sizeof(why)) : "");
	scen_result(s, SC_SYMPTOM, n < 0 && err == ECONNRESET,
		    "the client's recv() failed: connection reset by peer");
	scen_watch(s, 20);
	scen_text(s, SC_STATES, "\nafter the server's close():\n");
	scen_table(s, SC_STATES);
	scen_text(s, SC_STATES, "\nThe server's end is gone at once: no FIN_WAIT, no TIME_WAIT.\n");
	scen_result(s, SC_STATES, 1, "both ends ESTABLISHED, then the server's end gone at once");
	scen_close(s, c);
	/* the fix: read what came, close() normally */
	if (pair(s, lfd, &c, &a) < 0)
		return;
	n = write(c, "alice\n", 6);
	scen_readable(s, a, 500);
	n = read(a, buf, sizeof(buf));
	scen_close(s, a);
	scen_readable(s, c, 1000);
	n = read(c, buf, sizeof(buf));
	scen_text(s, SC_FIX, "server: recv() the request, then close() (no SO_LINGER 0)\nclient: recv() = %zd (the end of the stream: a FIN, not an error)\n", n);
	scen_close(s, c);
	scen_watch(s, 30);
	scen_table(s, SC_FIX);
	scen_result(s, SC_FIX, n == 0, "closed normally, the client reads the end of the stream (0 bytes)");
}

static const char *mark(struct scen *s, const struct sl_tl_event *ev,
			char *buf, size_t n)
{
	(void)buf;
	(void)n;
	if ((ev->flags & RST) && !s->frame[0]) {
		s->frame[0] = ev->frame;
		s->count[0] = !ev->from_client;
		return "RST from the server: the connection is aborted, data not yet read is thrown away";
	}
	if ((ev->flags & FIN) && !s->frame[1]) {
		s->frame[1] = ev->frame;
		return "with the fix: a FIN, the orderly end of the stream";
	}
	return NULL;
}

static void conclude(struct scen *s)
{
	if (s->lab->packets)
		scen_result(s, SC_PACKETS, s->frame[0] && s->count[0],
			    "the server's RST in frame %u%s", s->frame[0],
			    s->frame[1] ? ", the fix's FIN after it" : "");
	scen_text(s, SC_DIAGNOSIS,
		  "close() with SO_LINGER {on, 0 s} aborts: the kernel drops what is unsent and sends RST. The same happens when a program closes (or exits) with data it has not read. The peer's next recv() or send() fails with ECONNRESET (a write may also raise SIGPIPE).\n");
	scen_result(s, SC_DIAGNOSIS, s->st[SC_SYMPTOM] == SL_STEP_OK,
		    "an abortive close: RST instead of FIN");
}

const struct scen_def scen_rst = {
	.name = "rst",
	.about = "close() with SO_LINGER 0 sends a reset: Connection reset by peer",
	.classic = {
		[SC_SYMPTOM] = "python3 client.py   (ConnectionResetError)",
		[SC_STATES] = "ss -tan '( sport = :%u )'",
		[SC_PACKETS] = "Wireshark: tcp.port==%u && tcp.flags.reset==1",
		[SC_DIAGNOSIS] = "ss -tan (no TIME_WAIT after a reset)",
		[SC_FIX] = "read the request, then close() (or shutdown(SHUT_WR) first)",
	},
	.lesson = {
		[SC_SYMPTOM] = "A reset reaches the program as an error, not as the end of the stream.",
		[SC_STATES] = "An aborted connection leaves no TIME_WAIT.",
		[SC_PACKETS] = "RST ends a connection at once, in one packet.",
		[SC_DIAGNOSIS] = "SO_LINGER 0, or closing with unread data, turns close() into an abort.",
		[SC_FIX] = "Read what the peer sent before closing, and close normally: the peer then reads 0 bytes (EOF).",
	},
	.run = run,
	.mark = mark,
	.conclude = conclude,
};
