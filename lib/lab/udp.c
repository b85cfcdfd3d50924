/* udp.c - the lab's step 4 over UDP (lab -u), where what matters is what
 * is not there: no handshake, no connection on the server's side; each
 * absence verified in the kernel's table and in the capture, not
 * assumed */
#include <stdio.h>
#include <string.h>

#include "lab-int.h"

#define WAIT_START_MS 3000	/* a process to start, a socket to appear */

/* The client's socket, connected (it remembers its peer). */
static int client_seen(struct run *r)
{
	return lab_find_row(r, SL_TCP_ESTABLISHED, r->cli.pid, 1) != NULL;
}

/* What crossed the wire since the capture began, in words for the
 * verdict: nothing, if UDP indeed has no handshake. */
static void crossed(const struct run *r, char *out, size_t n)
{
	if (!r->capturing)
		snprintf(out, n, "; no capture runs, so the wire was not looked at");
	else if (!r->cap.frames.frames)
		snprintf(out, n, "; the capture saw no packet: UDP has no handshake");
	else
		snprintf(out, n, "; yet the capture already saw %llu packets",
			 (unsigned long long)r->cap.frames.frames);
}

int step_established_udp(struct run *r)
{
	struct sl_lab *lab = r->lab;
	char *argv[] = { (char *)lab->o.exe, "client", "-u", "-i", "--json",
			 "-H", r->host, "-p", r->port_text, NULL };
	const struct sl_sock *c;
	char wire[96];
	int rc;

	if ((rc = lab_start_client(r, argv, "started, not sending yet")))
		return rc;
	if (!run_wait(r, client_seen, WAIT_START_MS)) {
		sockets_text(r, SL_STEP_ESTABLISHED);
		return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_FAILED,
			"no UDP socket of the client (pid %d) in the kernel's table",
			(int)r->cli.pid);
	}
	labcap_pump(lab, &r->cap);
	c = lab_find_row(r, SL_TCP_ESTABLISHED, r->cli.pid, 1);
	sl_addr_format((const struct sockaddr *)&c->local.ss, lab->client_addr,
		       sizeof(lab->client_addr));
	sockets_text(r, SL_STEP_ESTABLISHED);
	crossed(r, wire, sizeof(wire));
	if (lab_find_row(r, SL_TCP_ESTABLISHED, r->srv.pid, 0) ||
	    (r->capturing && r->cap.frames.frames))
		return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_FAILED,
			"the server's side shows a connection%s", wire);
	return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_OK,
		"the client's socket %s (pid %d) is ESTABLISHED only because connect() made it remember %s; the server's socket stays UNCONN%s",
		lab->client_addr, (int)r->cli.pid, lab->server_addr, wire);
}
