/* student.c - steps 2, 4 and 5 around the student's own programs: their
 * server found by the sockets its processes hold, their client held at
 * its socket calls so the kernel's table is read while both ends are
 * ESTABLISHED, the name found in what the client really sent */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <netinet/in.h>
#include <unistd.h>

#include "lab-int.h"

#define FIND_EVERY_MS 5		/* looking for a listener walks /proc */
#define DRAIN_MS 300		/* output and packets after an exit */
#define SERVER_GRACE_MS 1000	/* a one-shot server finishing on its own */
#define ACCEPT_WAIT_MS 100	/* a held client's server to accept it */

static int timeout_ms(const struct sl_lab *lab)
{
	double s = lab->o.timeout_s > 0 ? lab->o.timeout_s : 10.0;

	return (int)(s * 1000.0);
}

/* ---- what the programs' held calls tell ---- */

static int is_inet(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET || ss->ss_family == AF_INET6;
}

/* The server's held calls, let go without a look (it runs on while the
 * client waits for a snapshot). */
static void let_server_go(struct run *r)
{
	struct trap_call c;

	for (int n = 0; n < 256 && trap_next(&r->srv.trap, &c) == 1; n++) {
		if (c.kind == TRAP_BIND && is_inet(&c.addr))
			r->bind_tried = c.addr;
		trap_continue(&r->srv.trap, &c);
	}
}

/* The kernel's table right now, while the program waits in a call: the
 * first moment both ends show ESTABLISHED is the snapshot. */
static void snapshot_now(struct run *r)
{
	uint64_t end = sl_now_ms() + ACCEPT_WAIT_MS;
	int pair;

	if (r->estab_text.len || !r->lab->port || !r->cli.pid)
		return;
	sampler_force(r->lab, &r->smp);
	/* the client waits: give the server the instant it needs to accept,
	 * so its end shows its owner too (its own calls go on meanwhile) */
	while ((pair = established_pair(r)) == 1 && sl_now_ms() < end) {
		struct timespec ts = { 0, 500 * 1000 };

		nanosleep(&ts, NULL);
		let_server_go(r);
		sampler_force(r->lab, &r->smp);
	}
	if (pair) {
		sockets_table_text(r, &r->estab_text);
		r->estab_held = 1;
	}
}

static void held_call(struct run *r, int client, const struct trap_call *c)
{
	switch (c->kind) {
	case TRAP_BIND:
		if (!client && is_inet(&c->addr))
			r->bind_tried = c->addr;
		break;
	case TRAP_CONNECT:
		if (client && is_inet(&c->addr))
			r->connect_tried = c->addr;
		break;
	default:
		if (c->inode || c->kind == TRAP_EXIT)
			snapshot_now(r);
		break;
	}
}

void run_held_calls(struct run *r)
{
	struct child *ch[2] = { &r->srv, &r->cli };
	struct trap_call c;

	for (int k = 0; k < 2; k++)
		for (int n = 0; n < 4096 && trap_next(&ch[k]->trap, &c) == 1; n++) {
			held_call(r, k, &c);
			trap_continue(&ch[k]->trap, &c);
		}
}

/* ---- step 2: the student's server listens ---- */

/* A LISTEN socket held by the server's processes: the port. */
static int find_listener(struct run *r)
{
	struct sl_diag_query q = { .protos = SL_DIAG_TCP,
				   .states = SL_STATE_BIT(SL_TCP_LISTEN) };
	struct sl_sock_list l;
	struct sl_err e;
	int found;

	if (sl_now_ms() - r->last_find_ms < FIND_EVERY_MS)
		return 0;
	r->last_find_ms = sl_now_ms();
	sl_sock_list_init(&l);
	found = sl_diag_list_tree(&q, r->srv.pid, &l, &e) > 0;
	if (found)
		r->listener = l.v[0];
	sl_sock_list_release(&l);
	return found;
}

static int server_listens_or_exits(struct run *r)
{
	return !r->srv.running || find_listener(r);
}

/* The address words of a listener's local end ("127.0.0.1:59123"). */
static void listener_text(const struct sl_sock *s, char *out, size_t n)
{
	sl_sock_addr_format(&s->local, out, n);
}

/* The server exited or never listened: why, in its words and ours. */
static int server_failed(struct run *r)
{
	struct sl_lab *lab = r->lab;
	const struct sockaddr *b = (const struct sockaddr *)&r->bind_tried;
	struct sl_buf who = SL_BUF_INIT;
	char where[SL_ADDRSTRLEN] = "";
	int rc;

	sl_buf_append(&lab->steps[SL_STEP_SERVER].text, lab->outputs.data,
		      lab->outputs.len);
	step_show(lab, SL_STEP_SERVER, 0);
	if (b->sa_family)
		sl_addr_format(b, where, sizeof(where));
	if (r->srv.running) {
		char blocked[300];

		lab_program_waits(r->srv.pid, blocked, sizeof(blocked));
		return step_end(lab, SL_STEP_SERVER, SL_STEP_FAILED,
			"the server did not listen within %d s%s%s",
			timeout_ms(lab) / 1000, blocked[0] ? ": " : "", blocked);
	}
	if (b->sa_family &&
	    sl_diag_describe_port(sl_addr_port(b), 0, &who) > 0) {
		rc = step_end(lab, SL_STEP_SERVER, SL_STEP_FAILED,
			"the server exited: it could not bind %s because %s",
			where, who.data);
		sl_buf_release(&who);
		return rc;
	}
	sl_buf_release(&who);
	return step_end(lab, SL_STEP_SERVER, SL_STEP_FAILED,
		"the server exited (%s) before it listened%s%s; what it printed is above",
		lab_exit_words(r->srv.status), where[0] ? " (it tried to bind " : "",
		where[0] ? where : "");
}

int step_server_program(struct run *r)
{
	struct sl_lab *lab = r->lab;
	struct child_opts o = { .group = 1, .hold = 1, .unbuffered = 1 };
	struct sl_buf *t = &lab->steps[SL_STEP_SERVER].text;
	struct sl_err e;
	char where[SL_ADDRSTRLEN];

	step_begin(lab, SL_STEP_SERVER);
	sl_buf_printf(t, "$ %s\n", lab->o.server_cmd);
	if (child_spawn_shell(&r->srv, lab->o.server_cmd, &o, &e) < 0)
		return step_end(lab, SL_STEP_SERVER, SL_STEP_FAILED, "%s", e.msg);
	lab->server_pid = r->srv.pid;
	lab_event(lab, SL_TL_PROCESS, "server process started");
	run_wait(r, server_listens_or_exits, timeout_ms(lab));
	if (!r->listener.inode) {
		lab_collect_outputs(r);
		return server_failed(r);
	}
	lab->port = sl_addr_port((const struct sockaddr *)&r->listener.local.ss);
	lab->server_pid = r->listener.pid;
	lab_comm(r->listener.pid, lab->server_program, sizeof(lab->server_program));
	listener_text(&r->listener, where, sizeof(where));
	lab_set_port(r);
	lab_judge_listener(lab, &r->listener);
	sl_buf_printf(t, "(pid %d, %s, listens on %s)\n", (int)lab->server_pid,
		      lab->server_program, where);
	step_show(lab, SL_STEP_SERVER, 0);
	return step_end(lab, SL_STEP_SERVER, SL_STEP_OK,
			"the server's process %d (%s) listens on %s",
			(int)lab->server_pid, lab->server_program, where);
}

/* ---- step 4: the student's client connects ---- */

/* A snapshot while both ends are ESTABLISHED, from a held call or from
 * the table the loop reads anyway (a client that connects and waits). */
static int client_decided(struct run *r)
{
	int pair = r->estab_text.len ? 0 : established_pair(r);

	/* not yet accepted: kept, in case the server never accepts before
	 * the client is gone, but the table is read again for its owner */
	if (pair == 1 && !r->estab_early.len)
		sockets_table_text(r, &r->estab_early);
	if (pair == 2)
		sockets_table_text(r, &r->estab_text);
	if (!r->estab_text.len && !r->cli.running && r->estab_early.len)
		sl_buf_append(&r->estab_text, r->estab_early.data,
			      r->estab_early.len);
	return r->estab_text.len || !r->cli.running;
}

/* Where the client went, beside where the server listens. */
static void connect_words(struct run *r, char *out, size_t n)
{
	const struct sockaddr *c = (const struct sockaddr *)&r->connect_tried;
	char to[SL_ADDRSTRLEN], at[SL_ADDRSTRLEN];

	out[0] = '\0';
	if (!c->sa_family) {
		snprintf(out, n, "; it never called connect()");
		return;
	}
	sl_addr_format(c, to, sizeof(to));
	listener_text(&r->listener, at, sizeof(at));
	if (sl_addr_port(c) != r->lab->port)
		snprintf(out, n, "; it connected to %s, but the server listens on %s: use port %u in the client",
			 to, at, r->lab->port);
	else if (c->sa_family != r->listener.local.ss.ss_family && !lab_any_address(&r->listener))
		snprintf(out, n, "; it connected to %s, but the server listens on %s only (%s): connect to %s in the client, or make the server listen on %s too",
			 to, at, c->sa_family == AF_INET6 ? "IPv4, the client used IPv6" :
			 "IPv6, the client used IPv4",
			 c->sa_family == AF_INET6 ? "127.0.0.1" : "::1",
			 c->sa_family == AF_INET6 ? "::1" : "127.0.0.1");
	else
		snprintf(out, n, "; it connected to %s", to);
}

static int client_failed(struct run *r)
{
	struct sl_lab *lab = r->lab;
	char why[400], blocked[300];

	lab_collect_outputs(r);
	sl_buf_append(&lab->steps[SL_STEP_ESTABLISHED].text, lab->outputs.data,
		      lab->outputs.len);
	step_show(lab, SL_STEP_ESTABLISHED, 0);
	connect_words(r, why, sizeof(why));
	if (r->cli.running) {
		lab_program_waits(r->cli.pid, blocked, sizeof(blocked));
		return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_FAILED,
			"the client did not connect within %d s%s%s%s",
			timeout_ms(lab) / 1000, why, blocked[0] ? "; " : "",
			blocked);
	}
	return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_FAILED,
		"the client exited (%s) without a connection to port %u%s",
		lab_exit_words(r->cli.status), lab->port, why);
}

int step_established_program(struct run *r)
{
	struct sl_lab *lab = r->lab;
	struct child_opts o = { .group = 1, .hold = 1, .unbuffered = 1 };
	struct sl_buf *t = &lab->steps[SL_STEP_ESTABLISHED].text;
	struct sl_err e;
	uint32_t hs[3];

	step_begin(lab, SL_STEP_ESTABLISHED);
	sl_buf_printf(t, "$ %s\n", lab->o.client_cmd);
	if (child_spawn_shell(&r->cli, lab->o.client_cmd, &o, &e) < 0)
		return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_FAILED, "%s",
				e.msg);
	lab->client_pid = r->cli.pid;
	lab_event(lab, SL_TL_PROCESS, "client process started");
	/* without held calls, the table is read as often as the loop turns */
	r->smp.every_ms = r->cli.trap.fd < 0 ? 0 : r->smp.every_ms;
	run_wait(r, client_decided, timeout_ms(lab));
	if (r->estab_text.len) {
		sl_buf_append(t, r->estab_text.data, r->estab_text.len);
		step_show(lab, SL_STEP_ESTABLISHED, 0);
		return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_OK,
			"client %s (pid %d, %s) and server %s (pid %d) are both ESTABLISHED%s",
			lab->client_addr, (int)lab->client_pid, lab->client_program,
			lab->server_addr, (int)lab->server_pid,
			r->estab_held ? " (read while the client waited in a socket call)" : "");
	}
	/* the packets may have seen what the table did not */
	run_wait(r, lab_no_wait, DRAIN_MS / 3);
	if (lab_handshake(lab, hs))
		return established_in_packets(r, hs);
	return client_failed(r);
}

/* ---- step 5: the name crossed ---- */

static int client_exited(struct run *r)
{
	return !r->cli.running;
}


static int server_exited(struct run *r)
{
	return !r->srv.running;
}

/* Without a capture, the server's own output is the only witness. */
static int server_printed_name(const struct run *r)
{
	const char *name = r->lab->o.name;

	return r->srv.out.len &&
	       memmem(r->srv.out.data, r->srv.out.len, name, strlen(name));
}

/* What the client sent instead of the name (escaped, bounded). */
static void sent_instead(const struct run *r, struct sl_buf *out)
{
	const struct lab_streams *s = &r->cap.sent;

	for (size_t i = 0; i < s->n; i++) {
		const struct lab_stream *st = &s->v[i];
		size_t n = st->data.len < 200 ? st->data.len : 200;

		if (!n)
			continue;
		sl_buf_puts(out, "\"");
		sl_buf_escape(out, st->data.data, n);
		sl_buf_printf(out, "\"%s", st->data.len > n ? "…" : "");
		return;
	}
}

int step_message_program(struct run *r)
{
	struct sl_lab *lab = r->lab;
	struct sl_buf instead = SL_BUF_INIT;
	char hung[300] = "";
	int ok, rc;

	step_begin(lab, SL_STEP_MESSAGE);
	if (!run_wait(r, client_exited, timeout_ms(lab)))
		lab_program_waits(r->cli.pid, hung, sizeof(hung));
	ok = run_wait(r, r->capturing ? lab_name_sent : server_exited, DRAIN_MS);
	run_wait(r, server_exited, SERVER_GRACE_MS);
	if (r->cli.running || r->srv.running)
		lab_stop_programs(r);
	lab_collect_outputs(r);
	sl_buf_append(&lab->steps[SL_STEP_MESSAGE].text, lab->outputs.data,
		      lab->outputs.len);
	step_show(lab, SL_STEP_MESSAGE, 0);
	lab_event(lab, SL_TL_PROCESS, "client and server stopped");
	if (!r->capturing) {
		if (server_printed_name(r))
			return step_end(lab, SL_STEP_MESSAGE, SL_STEP_OK,
				"the server printed the name (no capture: the bytes on the wire were not seen)");
		return step_end(lab, SL_STEP_MESSAGE, SL_STEP_FAILED,
			"the server never printed the name, and without a capture what the client sent is unknown");
	}
	if (ok || lab_name_sent(r))
		return step_end(lab, SL_STEP_MESSAGE, SL_STEP_OK,
			"the client sent the name: its bytes are in what the capture saw it send");
	sent_instead(r, &instead);
	rc = step_end(lab, SL_STEP_MESSAGE, SL_STEP_FAILED,
		"the name never appeared in what the client sent%s%s%s%s",
		instead.len ? "; it sent " : " (it sent nothing)",
		instead.len ? instead.data : "",
		hung[0] ? "; it had not exited after the timeout: " : "", hung);
	sl_buf_release(&instead);
	return rc;
}
