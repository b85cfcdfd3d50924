/* scen-refused.c - connect() to a port nothing listens on: the kernel
 * answers the SYN with a reset, and the program sees "connection refused"
 * at once; the fix is a listener first */
#include <stdio.h>
#include <string.h>

#include "scenario.h"

enum { RST = 4, SYN = 2, ACK = 16 };

static void run(struct scen *s)
{
	char at[SL_ADDRSTRLEN], why[80];
	int rc, fd, lfd;

	scen_addr(s, AF_INET, at, sizeof(at));
	scen_text(s, SC_SYMPTOM, "client: connect(%s)\n", at);
	fd = scen_connect(s, AF_INET, &rc);
	if (rc == -EINPROGRESS)
		rc = scen_connected(s, fd, 2000);
	scen_text(s, SC_SYMPTOM, "  = -1 %s\n", scen_errno(rc, why, sizeof(why)));
	scen_text(s, SC_SYMPTOM, "as Python says it: ConnectionRefusedError: [Errno 111] Connection refused\n");
	scen_result(s, SC_SYMPTOM, rc == -ECONNREFUSED,
		    "connect() to %s failed at once with %s", at, why);
	scen_table(s, SC_STATES);
	scen_text(s, SC_STATES, "\nNo socket listens on port %u, on any address: nothing is there to complete a handshake.\n",
		  s->port);
	scen_result(s, SC_STATES, 1, "no socket of any state on port %u", s->port);
	scen_close(s, fd);
	/* the fix: a listener, then the same connect() */
	lfd = scen_listen(s, AF_INET, 16, 1, 0);
	fd = scen_connect(s, AF_INET, &rc);
	if (rc == -EINPROGRESS)
		rc = scen_connected(s, fd, 2000);
	scen_text(s, SC_FIX, "server: socket(), bind(%s), listen() first\nclient: connect(%s) = %d%s\n",
		  at, at, rc, rc ? "" : " (connected)");
	scen_table(s, SC_FIX);
	scen_result(s, SC_FIX, lfd >= 0 && rc == 0,
		    "with a listener on port %u the same connect() succeeds", s->port);
	scen_watch(s, 50);
}

static const char *mark(struct scen *s, const struct sl_tl_event *ev,
			char *buf, size_t n)
{
	if ((ev->flags & (SYN | ACK)) == SYN && !s->frame[0]) {
		s->frame[0] = ev->frame;
		return "the client's SYN: open a connection to the port";
	}
	if ((ev->flags & RST) && !s->frame[1]) {
		s->frame[1] = ev->frame;
		snprintf(buf, n, "the kernel answers at once with a reset (RST, ACK): nobody listens on port %u", s->port);
		return buf;
	}
	if ((ev->flags & (SYN | ACK)) == (SYN | ACK) && !s->frame[2]) {
		s->frame[2] = ev->frame;
		return "with the fix: SYN-ACK, the listener's kernel completes the handshake";
	}
	return NULL;
}

static void conclude(struct scen *s)
{
	if (s->lab->packets)
		scen_result(s, SC_PACKETS, s->frame[0] && s->frame[1],
			    "SYN in frame %u, RST in frame %u", s->frame[0],
			    s->frame[1]);
	scen_text(s, SC_DIAGNOSIS,
		  "\"Connection refused\" is an answer: the machine is there and its kernel replied to the SYN with a reset, because no socket listens on port %u. (A firewall that drops packets gives a time-out instead, after the SYN was sent again and again.)\n"
		  "Check, in order: is the server running? Does it listen on this port (socklab sockets -l, netstat -tlnp)? On this address and family (127.0.0.1 or ::1)?\n",
		  s->port);
	scen_result(s, SC_DIAGNOSIS, s->st[SC_SYMPTOM] == SL_STEP_OK,
		    "refused: a reset to the SYN, nothing listens on port %u", s->port);
}

const struct scen_def scen_refused = {
	.name = "refused",
	.about = "connect() to a port nothing listens on: Connection refused",
	.classic = {
		[SC_SYMPTOM] = "python3 client.py   (ConnectionRefusedError)",
		[SC_STATES] = "netstat -tlnp | grep %u   (or: ss -tlnp)",
		[SC_PACKETS] = "Wireshark: tcp.port==%u && tcp.flags.reset==1",
		[SC_DIAGNOSIS] = "ss -tlnp 'sport = :%u'",
		[SC_FIX] = "start the server first, then the client",
	},
	.lesson = {
		[SC_SYMPTOM] = "connect() fails at once: no waiting, no time-out.",
		[SC_STATES] = "A connection needs a LISTEN socket on the port it goes to; here there is none.",
		[SC_PACKETS] = "The SYN is answered by RST: the kernel's way of saying no socket waits there.",
		[SC_DIAGNOSIS] = "Refused means reachable but nobody listening; a time-out means the packets never got an answer.",
		[SC_FIX] = "Start the server, and check the port and address it listens on before the client connects.",
	},
	.run = run,
	.mark = mark,
	.conclude = conclude,
};
