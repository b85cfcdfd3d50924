/* watch.c - the lab while the student runs the programs by hand, in
 * other terminals, as the assignment is done: socklab captures on lo and
 * reads the socket table, says what it waits for, and keeps each piece
 * of evidence the moment it sees it */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab-int.h"

#define LISTEN_EVERY_MS 10	/* a new listener: a dump of LISTEN rows */
#define CLOSE_WAIT_MS 1000	/* the conversation's FINs after the name */

static int timeout_ms(const struct sl_lab *lab)
{
	/* by hand a person may take minutes: no bound unless asked */
	return lab->o.timeout_s > 0 ? (int)(lab->o.timeout_s * 1000.0) :
				      24 * 3600 * 1000;
}

/* "python3 server.py 59123" and its folder, from the kernel. */
static void cmdline_of(pid_t pid, char *cmd, size_t n, char *cwd, size_t cn)
{
	char path[64];
	FILE *f;
	size_t k = 0;
	ssize_t c;

	cmd[0] = cwd[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if ((f = fopen(path, "re"))) {
		k = fread(cmd, 1, n - 1, f);
		fclose(f);
	}
	for (size_t i = 0; i + 1 < k; i++)
		if (!cmd[i])
			cmd[i] = ' ';
	cmd[k] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
	c = readlink(path, cwd, cn - 1);
	cwd[c > 0 ? c : 0] = '\0';
}

static int listeners(struct sl_sock_list *out)
{
	struct sl_diag_query q = { .protos = SL_DIAG_TCP,
				   .states = SL_STATE_BIT(SL_TCP_LISTEN) };
	struct sl_err e;

	out->n = 0;
	return sl_diag_list(&q, out, &e);
}

static int known(const struct sl_sock_list *l, const struct sl_sock *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].inode == s->inode)
			return 1;
	return 0;
}

/* A listener above 59000: one that appeared since the start, else one
 * that was there already (the server was started first). */
static int pick(struct run *r, const struct sl_sock_list *now)
{
	const struct sl_sock *old = NULL;

	for (size_t i = 0; i < now->n; i++) {
		const struct sl_sock *s = &now->v[i];
		uint16_t port = sl_addr_port((const struct sockaddr *)&s->local.ss);

		if (port <= 59000) {
			if (!known(&r->seen, s) && !r->told_low) {
				r->told_low = 1;
				lab_say(r->lab, "      a socket listens on port %u, not above 59000 as the assignment asks: still waiting",
					port);
			}
			continue;
		}
		if (!known(&r->seen, s)) {
			r->listener = *s;
			return 1;
		}
		if (!old)
			old = s;
	}
	if (old && !r->seen_at_start) {
		r->listener = *old;
		lab_say(r->lab, "      (it was listening already when the lab started)");
		return 1;
	}
	return 0;
}

static int listener_appeared(struct run *r)
{
	struct sl_sock_list now;
	int found;

	if (r->stopped)
		return 1;
	if (sl_now_ms() - r->last_find_ms < LISTEN_EVERY_MS)
		return 0;
	r->last_find_ms = sl_now_ms();
	sl_sock_list_init(&now);
	found = listeners(&now) >= 0 && pick(r, &now);
	r->seen_at_start = 1;
	sl_sock_list_release(&now);
	return found;
}

/* The listener's owner, as the socket table's -p finds it. */
static void own_listener(struct run *r)
{
	struct sl_lab *lab = r->lab;
	struct sl_sock_list one;
	struct sl_err e;

	sl_sock_list_init(&one);
	sl_sock_list_push(&one, &r->listener);
	sl_diag_owners(&one, &e);
	r->listener = one.v[0];
	sl_sock_list_release(&one);
	lab->server_pid = r->listener.pid;
	snprintf(lab->server_program, sizeof(lab->server_program), "%s",
		 r->listener.program);
	if (lab->server_pid)
		cmdline_of(lab->server_pid, lab->server_cmdline,
			   sizeof(lab->server_cmdline), lab->server_cwd,
			   sizeof(lab->server_cwd));
}

int step_server_watch(struct run *r)
{
	struct sl_lab *lab = r->lab;
	char where[SL_ADDRSTRLEN];

	step_begin(lab, SL_STEP_SERVER);
	sl_sock_list_init(&r->seen);
	listeners(&r->seen);
	lab_say(lab, "      waiting for a socket listening on a port above 59000… (start your server in another terminal; Ctrl-C stops)");
	if (!run_wait(r, listener_appeared, timeout_ms(lab)) || r->stopped) {
		sl_sock_list_release(&r->seen);
		return step_end(lab, SL_STEP_SERVER, SL_STEP_SKIPPED,
			"no server listened on a port above 59000 while the lab watched: start yours (it must bind a port above 59000 and call listen())");
	}
	sl_sock_list_release(&r->seen);
	own_listener(r);
	lab->port = sl_addr_port((const struct sockaddr *)&r->listener.local.ss);
	sl_sock_addr_format(&r->listener.local, where, sizeof(where));
	lab_set_port(r);
	lab_judge_listener(lab, &r->listener);
	sl_buf_printf(&lab->steps[SL_STEP_SERVER].text, "%s\n(pid %d, listens on %s)\n",
		      lab->server_cmdline[0] ? lab->server_cmdline : "(its command line could not be read)",
		      (int)lab->server_pid, where);
	step_show(lab, SL_STEP_SERVER, 0);
	if (!lab->server_pid)
		return step_end(lab, SL_STEP_SERVER, SL_STEP_OK,
			"a socket listens on %s; its process belongs to another user, so its pid is hidden (run with sudo to see it)",
			where);
	return step_end(lab, SL_STEP_SERVER, SL_STEP_OK,
		"LISTEN on %u by pid %d (%s)", lab->port, (int)lab->server_pid,
		lab->server_cmdline[0] ? lab->server_cmdline : lab->server_program);
}

/* ---- a client connects ---- */

static int connection_seen(struct run *r)
{
	if (r->stopped)
		return 1;
	if (established_pair(r)) {
		sockets_table_text(r, &r->estab_text);
		return 1;
	}
	return lab_handshake_closed(r->lab);
}

int step_established_watch(struct run *r)
{
	struct sl_lab *lab = r->lab;
	struct sl_buf *t = &lab->steps[SL_STEP_ESTABLISHED].text;
	uint32_t hs[3];

	step_begin(lab, SL_STEP_ESTABLISHED);
	lab_say(lab, "      waiting for a client to connect to port %u… (start your client)",
		lab->port);
	/* a quick client lives a millisecond: read the table each turn */
	r->smp.every_ms = 0;
	run_wait(r, connection_seen, timeout_ms(lab));
	if (r->estab_text.len) {
		sl_buf_append(t, r->estab_text.data, r->estab_text.len);
		if (lab->client_pid)
			cmdline_of(lab->client_pid, lab->client_cmdline,
				   sizeof(lab->client_cmdline), lab->client_cwd,
				   sizeof(lab->client_cwd));
		step_show(lab, SL_STEP_ESTABLISHED, 0);
		return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_OK,
			"client %s (pid %d) and server %s (pid %d) are both ESTABLISHED",
			lab->client_addr, (int)lab->client_pid,
			lab->server_addr, (int)lab->server_pid);
	}
	if (lab_handshake(lab, hs))
		return established_in_packets(r, hs);
	return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_SKIPPED,
		"no client connected to port %u while the lab watched: start yours (it must connect to %s)",
		lab->port, lab->server_addr);
}

/* ---- the name crosses ---- */

static int name_crossed(struct run *r)
{
	return r->stopped || lab_name_sent(r);
}

/* What went each way, as the capture saw it. */
static void crossed_text(struct run *r, struct sl_buf *t)
{
	const struct lab_streams *s[2] = { &r->cap.sent, &r->cap.answered };
	const char *who[2] = { "the client sent", "the server answered" };

	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < s[k]->n; i++) {
			const struct lab_stream *st = &s[k]->v[i];

			sl_buf_printf(t, "%s (%llu bytes, TCP stream %u):\n  \"", who[k],
				      (unsigned long long)st->bytes, st->index);
			sl_buf_escape(t, st->data.data, st->data.len < 400 ?
				      st->data.len : 400);
			sl_buf_puts(t, st->data.len > 400 ? "\"…\n" : "\"\n");
		}
}

int step_message_watch(struct run *r)
{
	struct sl_lab *lab = r->lab;
	struct sl_buf *t = &lab->steps[SL_STEP_MESSAGE].text;

	step_begin(lab, SL_STEP_MESSAGE);
	if (!r->capturing)
		return step_end(lab, SL_STEP_MESSAGE, SL_STEP_SKIPPED,
			"without a capture the lab cannot see the name cross (run it with sudo, or grant the capability: see step 1)");
	lab_say(lab, "      waiting for the name \"%s\" to cross…", lab->o.name);
	run_wait(r, name_crossed, timeout_ms(lab));
	if (!lab_name_sent(r))
		goto missing;
	/* the rest of the conversation: the reply, the FINs */
	run_wait(r, lab_conversation_closed, CLOSE_WAIT_MS);
	crossed_text(r, t);
	step_show(lab, SL_STEP_MESSAGE, 0);
	return step_end(lab, SL_STEP_MESSAGE, SL_STEP_OK,
		"the name crossed from the client to the server");
missing:
	crossed_text(r, t);
	step_show(lab, SL_STEP_MESSAGE, 0);
	if (r->cap.sent.n)
		return step_end(lab, SL_STEP_MESSAGE, SL_STEP_FAILED,
			"the client sent bytes, but not the name \"%s\" (what it sent is above)",
			lab->o.name);
	return step_end(lab, SL_STEP_MESSAGE, SL_STEP_SKIPPED,
		"no name crossed while the lab watched: the client must send \"%s\"",
		lab->o.name);
}
