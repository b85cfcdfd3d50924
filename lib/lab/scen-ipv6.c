/* scen-ipv6.c - the server listens on 127.0.0.1 only, the client goes to
 * "localhost", whose first address is ::1: refused over IPv6 while IPv4
 * would have worked; the fix tries every address (or listens on both) */
#include <stdio.h>
#include <string.h>

#include "scenario.h"

enum { RST = 4, SYN = 2, ACK = 16 };

static void symptom(struct scen *s)
{
	char v4[SL_ADDRSTRLEN], v6[SL_ADDRSTRLEN], why[80];
	int rc, fd;

	scen_addr(s, AF_INET, v4, sizeof(v4));
	scen_addr(s, AF_INET6, v6, sizeof(v6));
	scen_text(s, SC_SYMPTOM, "server: bind(%s), listen()   (IPv4 only)\n"
		  "client: getaddrinfo(\"localhost\") = ::1, 127.0.0.1   (IPv6 first, as RFC 6761 and most systems order them)\n"
		  "client: connect(%s)   (the first address only)\n", v4, v6);
	fd = scen_connect(s, AF_INET6, &rc);
	if (rc == -EINPROGRESS)
		rc = scen_connected(s, fd, 2000);
	scen_text(s, SC_SYMPTOM, "  = -1 %s\n", scen_errno(rc, why, sizeof(why)));
	scen_result(s, SC_SYMPTOM, rc == -ECONNREFUSED,
		    "connect() to %s: %s, though a server listens on %s", v6,
		    why, v4);
	scen_close(s, fd);
}

static void run(struct scen *s)
{
	char v4[SL_ADDRSTRLEN], v6[SL_ADDRSTRLEN];
	int lfd = scen_listen(s, AF_INET, 16, 1, 0), rc6, rc4, fd;

	scen_addr(s, AF_INET, v4, sizeof(v4));
	scen_addr(s, AF_INET6, v6, sizeof(v6));
	if (lfd < 0) {
		scen_result(s, SC_SYMPTOM, 0, "cannot listen on %s: %s", v4,
			    strerror(-lfd));
		return;
	}
	symptom(s);
	scen_table(s, SC_STATES);
	scen_text(s, SC_STATES, "\nThe only listener is %s: an IPv4 socket. Nothing listens on %s, so the kernel refuses the IPv6 connection.\n",
		  v4, v6);
	scen_result(s, SC_STATES, 1, "LISTEN on %s only, none on %s", v4, v6);
	/* the fix: every address in order, as socklab client does */
	fd = scen_connect(s, AF_INET6, &rc6);
	if (rc6 == -EINPROGRESS)
		rc6 = scen_connected(s, fd, 2000);
	scen_close(s, fd);
	fd = scen_connect(s, AF_INET, &rc4);
	if (rc4 == -EINPROGRESS)
		rc4 = scen_connected(s, fd, 2000);
	scen_text(s, SC_FIX, "client: connect(%s) refused, trying the next address\n"
		  "client: connect(%s) = %d%s\n", v6, v4, rc4,
		  rc4 ? "" : " (connected)");
	scen_table(s, SC_FIX);
	scen_result(s, SC_FIX, rc6 == -ECONNREFUSED && rc4 == 0,
		    "trying every address getaddrinfo() gives, the client connects over %s",
		    v4);
	scen_watch(s, 50);
}

static const char *mark(struct scen *s, const struct sl_tl_event *ev,
			char *buf, size_t n)
{
	(void)n;
	if (ev->v6 && (ev->flags & (SYN | ACK)) == SYN && !s->frame[0]) {
		s->frame[0] = ev->frame;
		return "the client's SYN goes to [::1], over IPv6";
	}
	if (ev->v6 && (ev->flags & RST) && !s->frame[1]) {
		s->frame[1] = ev->frame;
		return "refused over IPv6: no socket listens on [::1] at this port";
	}
	if (!ev->v6 && (ev->flags & (SYN | ACK)) == (SYN | ACK) && !s->frame[2]) {
		s->frame[2] = ev->frame;
		snprintf(buf, n, "the same port over IPv4 is answered (SYN-ACK): the listener is there, on the other family");
		return buf;
	}
	return NULL;
}

static void conclude(struct scen *s)
{
	if (s->lab->packets)
		scen_result(s, SC_PACKETS, s->frame[0] && s->frame[1] && s->frame[2],
			    "IPv6 SYN in frame %u refused in frame %u; IPv4 answered in frame %u",
			    s->frame[0], s->frame[1], s->frame[2]);
	scen_text(s, SC_DIAGNOSIS,
		  "IPv4 and IPv6 are two families with separate sockets: a server bound to 127.0.0.1 does not listen on ::1. \"localhost\" names both, ::1 first, so a client that takes only the first address is refused although the server runs.\n"
		  "socklab sockets -l shows the listener's address: 127.0.0.1:%u is IPv4 only, [::]:%u or [::1]:%u is IPv6.\n",
		  s->port, s->port, s->port);
	scen_result(s, SC_DIAGNOSIS, s->st[SC_SYMPTOM] == SL_STEP_OK,
		    "the families differ: the server listens on IPv4, the client tried IPv6");
}

const struct scen_def scen_ipv6 = {
	.name = "ipv6-mismatch",
	.about = "the server on 127.0.0.1, the client to localhost (::1 first): refused over IPv6",
	.classic = {
		[SC_SYMPTOM] = "python3 client.py   (socket.create_connection(('localhost', %u)) with only the first address)",
		[SC_STATES] = "ss -tlnp 'sport = :%u'",
		[SC_PACKETS] = "Wireshark: tcp.port==%u (ipv6 and ip)",
		[SC_DIAGNOSIS] = "getent ahosts localhost",
		[SC_FIX] = "try every address getaddrinfo() returns, or listen on :: (both families)",
	},
	.lesson = {
		[SC_SYMPTOM] = "The same port refuses on one family and accepts on the other.",
		[SC_STATES] = "A listener's address says its family: 127.0.0.1 is IPv4, ::1 and :: are IPv6.",
		[SC_PACKETS] = "The IPv6 SYN is reset; the IPv4 one is answered.",
		[SC_DIAGNOSIS] = "localhost is two addresses; a client must try them in turn, or the server must listen on both.",
		[SC_FIX] = "Connect to each address in order until one answers (socket.create_connection does), or bind the server to :: with IPV6_V6ONLY off.",
	},
	.run = run,
	.mark = mark,
	.conclude = conclude,
};
