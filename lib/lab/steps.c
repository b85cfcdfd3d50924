/* steps.c - the lab's six steps, each verified from what the kernel,
 * the processes' records and the capture showed */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lab-int.h"

#define WAIT_START_MS 3000	/* a process to start, a socket to appear */
#define WAIT_REPLY_MS 5000
#define WAIT_DRAIN_MS 500	/* last packets after the processes exited */

/* ---- steps ---- */

void step_begin(struct sl_lab *lab, int id)
{
	lab_say(lab, "[%d/%d] %s", id + 1, SL_STEP_COUNT, lab->steps[id].title);
	lab_say(lab, "      classic: %s", lab->steps[id].classic);
}

void step_show(struct sl_lab *lab, int id, size_t from)
{
	struct sl_buf *t = &lab->steps[id].text;
	size_t i = from;

	while (i < t->len) {
		const char *nl = memchr(t->data + i, '\n', t->len - i);
		size_t n = nl ? (size_t)(nl - (t->data + i)) : t->len - i;

		lab_say(lab, "      %.*s", (int)n, t->data + i);
		i += n + 1;
	}
}

int step_end(struct sl_lab *lab, int id, enum sl_step_status st,
		    const char *fmt, ...)
{
	struct sl_lab_step *s = &lab->steps[id];
	va_list ap;

	s->status = st;
	s->t_ns = lab_now_ns();
	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
	lab_say(lab, "      %s: %s", st == SL_STEP_OK ? "verified" :
		st == SL_STEP_SKIPPED ? "skipped" : "FAILED", s->why);
	lab_event(lab, SL_TL_STEP, s->title);
	if (st == SL_STEP_FAILED || (st == SL_STEP_SKIPPED && lab->o.watch))
		lab->exit_status = 1;
	if (lab->o.on_step)
		lab->o.on_step(lab, id, lab->o.arg);
	return st == SL_STEP_OK ? 0 : -1;
}

/* "$ socklab WORDS ARG WORDS ARG …": the odd arguments are options as
 * they are typed, the even ones values quoted as a shell needs them. */
static void command(struct sl_buf *b, const char *words, ...)
{
	va_list ap;
	const char *s;
	int value = 1;

	sl_buf_printf(b, "$ socklab %s", words);
	va_start(ap, words);
	while ((s = va_arg(ap, const char *))) {
		sl_buf_putc(b, ' ');
		if (value)
			sl_buf_shell_word(b, s);
		else
			sl_buf_puts(b, s);
		value = !value;
	}
	va_end(ap);
	sl_buf_putc(b, '\n');
}

/* ---- step 1: capture ---- */

int step_capture(struct run *r)
{
	struct sl_lab *lab = r->lab;
	struct sl_err e;

	step_begin(lab, SL_STEP_CAPTURE);
	if (lab->o.no_capture) {
		lab->capture_skipped = 1;
		return step_end(lab, SL_STEP_CAPTURE, SL_STEP_SKIPPED,
				"--no-capture was given");
	}
	command(&lab->steps[0].text, "capture -i lo -f", lab->bpf, "-Y",
		lab->filter, "-w", lab->pcap_path, NULL);
	step_show(lab, 0, 0);
	if (labcap_open(lab, &r->cap, &e) < 0) {
		labcap_release(&r->cap);
		lab->capture_skipped = 1;
		if (e.code == -EPERM || e.code == -EACCES) {
			lab->exit_status = 1;
			return step_end(lab, SL_STEP_CAPTURE, SL_STEP_SKIPPED,
					"%s", e.msg);
		}
		return step_end(lab, SL_STEP_CAPTURE, SL_STEP_FAILED, "%s",
				e.msg);
	}
	r->capturing = 1;
	return step_end(lab, SL_STEP_CAPTURE, SL_STEP_OK,
			"capturing '%s' on lo into %s", lab->bpf,
			lab->pcap_path);
}

/* ---- step 2: server ---- */

static int server_decided(struct run *r)
{
	return r->sv.listening || r->sv.failed || !r->srv.running;
}

/* The server did not listen: its own record says why (the cause and the
 * fix come first), else what it wrote before it exited. */
static int server_failed(struct run *r)
{
	struct sl_lab *lab = r->lab;
	struct sl_buf *t = &lab->steps[SL_STEP_SERVER].text;

	if (r->sv.failed)
		return step_end(lab, SL_STEP_SERVER, SL_STEP_FAILED, "%s",
				r->sv.fail_msg);
	sl_buf_append(t, r->sv.junk.data, r->sv.junk.len);
	sl_buf_escape(t, r->srv.err.data, r->srv.err.len);
	step_show(lab, SL_STEP_SERVER, 0);
	if (r->srv.running)
		return step_end(lab, SL_STEP_SERVER, SL_STEP_FAILED,
				"the server did not start listening within %d ms",
				WAIT_START_MS);
	return step_end(lab, SL_STEP_SERVER, SL_STEP_FAILED,
			"the server exited before it listened (%s %d); its output is above",
			WIFSIGNALED(r->srv.status) ? "signal" : "status",
			WIFSIGNALED(r->srv.status) ? WTERMSIG(r->srv.status) :
			WEXITSTATUS(r->srv.status));
}

int step_server(struct run *r)
{
	struct sl_lab *lab = r->lab;
	char *argv[] = { (char *)lab->o.exe, "server", "-p", r->port_text,
			 "--once", "--json", lab->o.udp ? "-u" : NULL, NULL };
	struct sl_buf *t = &lab->steps[SL_STEP_SERVER].text;
	struct sl_err e;

	step_begin(lab, SL_STEP_SERVER);
	sl_buf_printf(t, "$ socklab server%s -p %u --once\n",
		      lab->o.udp ? " -u" : "", lab->port);
	if (child_spawn(&r->srv, argv, &e) < 0)
		return step_end(lab, SL_STEP_SERVER, SL_STEP_FAILED, "%s", e.msg);
	lab->server_pid = r->srv.pid;
	lab_event(lab, SL_TL_PROCESS, "server process started");
	run_wait(r, server_decided, WAIT_START_MS);
	/* another program took the free port since we looked: retry */
	if (r->sv.failed == -EADDRINUSE && !lab->o.port)
		return -EADDRINUSE;
	if (!r->sv.listening)
		return server_failed(r);
	/* the listening line, as the command prints it */
	sl_buf_append(t, r->sv.text.data, r->sv.text.len);
	step_show(lab, SL_STEP_SERVER, 0);
	return step_end(lab, SL_STEP_SERVER, SL_STEP_OK,
			"server process pid %d listens on port %u",
			(int)r->srv.pid, lab->port);
}

/* ---- step 3: LISTEN ---- */

const struct sl_sock *lab_find_row(const struct run *r, int state,
				   pid_t pid, int client_end)
{
	const struct sl_sock_list *l = &r->smp.now;

	for (size_t i = 0; i < l->n; i++) {
		const struct sl_sock *s = &l->v[i];
		uint16_t lport = sl_addr_port((const struct sockaddr *)&s->local.ss);

		if (s->state != state || (pid && s->pid != pid))
			continue;
		if (client_end >= 0 && (lport != r->lab->port) != client_end)
			continue;
		if (state != SL_TCP_LISTEN && s->local.ss.ss_family !=
		    r->lab->o.family)
			continue;
		return s;
	}
	return NULL;
}

static int listen_seen(struct run *r)
{
	return lab_find_row(r, SL_TCP_LISTEN, r->lab->server_pid, -1) != NULL;
}

void sockets_table_text(struct run *r, struct sl_buf *out)
{
	sl_buf_printf(out, "$ socklab sockets%s -p --port %u\n",
		      r->lab->o.udp ? " -u" : "", r->lab->port);
	sampler_table(&r->smp, out);
}

void sockets_text(struct run *r, int id)
{
	struct sl_lab *lab = r->lab;
	size_t from = lab->steps[id].text.len;

	sockets_table_text(r, &lab->steps[id].text);
	step_show(lab, id, from);
}

/* Over UDP: the server's unconnected socket (UNCONN, the kernel's
 * CLOSE), for there is no LISTEN state. */
static int unconn_seen(struct run *r)
{
	return lab_find_row(r, SL_TCP_CLOSE, r->lab->server_pid, 0) != NULL;
}

int step_listen(struct run *r)
{
	struct sl_lab *lab = r->lab;
	int udp = lab->o.udp;

	step_begin(lab, SL_STEP_LISTEN);
	if (!run_wait(r, udp ? unconn_seen : listen_seen, WAIT_START_MS)) {
		sockets_text(r, SL_STEP_LISTEN);
		return step_end(lab, SL_STEP_LISTEN, SL_STEP_FAILED,
			"no %s socket of pid %d on port %u in the kernel's socket table",
			udp ? "UDP" : "LISTEN", (int)lab->server_pid, lab->port);
	}
	sockets_text(r, SL_STEP_LISTEN);
	if (udp)
		return step_end(lab, SL_STEP_LISTEN, SL_STEP_OK,
			"the server's UDP socket on port %u (pid %d) is UNCONN: there is no LISTEN state in UDP",
			lab->port, (int)lab->server_pid);
	return step_end(lab, SL_STEP_LISTEN, SL_STEP_OK,
			"LISTEN on port %u, owned by pid %d (the server)",
			lab->port, (int)lab->server_pid);
}

/* ---- step 4: ESTABLISHED at both ends ---- */

static int established_seen(struct run *r)
{
	return lab_find_row(r, SL_TCP_ESTABLISHED, r->cli.pid, 1) &&
	       lab_find_row(r, SL_TCP_ESTABLISHED, r->srv.pid, 0);
}

int lab_start_client(struct run *r, char *argv[], const char *note)
{
	struct sl_lab *lab = r->lab;
	struct sl_err e;

	step_begin(lab, SL_STEP_ESTABLISHED);
	sl_buf_printf(&lab->steps[SL_STEP_ESTABLISHED].text,
		      "$ socklab client%s -H %s -p %u -i     (%s)\n",
		      lab->o.udp ? " -u" : "", r->host, lab->port, note);
	if (child_spawn(&r->cli, argv, &e) < 0)
		return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_FAILED, "%s",
				e.msg);
	lab->client_pid = r->cli.pid;
	lab_event(lab, SL_TL_PROCESS, "client process started");
	return 0;
}

int step_established(struct run *r)
{
	struct sl_lab *lab = r->lab;
	char *argv[] = { (char *)lab->o.exe, "client", "-i", "--json", "-H",
			 r->host, "-p", r->port_text, NULL };
	const struct sl_sock *c;
	int rc;

	if ((rc = lab_start_client(r, argv, "connected, not sending yet")))
		return rc;
	if (!run_wait(r, established_seen, WAIT_START_MS)) {
		sockets_text(r, SL_STEP_ESTABLISHED);
		return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_FAILED,
			"the kernel did not show both ends ESTABLISHED (client pid %d, server pid %d)%s%.200s",
			(int)r->cli.pid, (int)r->srv.pid,
			r->cli.err.len ? "; client said: " : "",
			r->cli.err.len ? r->cli.err.data : "");
	}
	c = lab_find_row(r, SL_TCP_ESTABLISHED, r->cli.pid, 1);
	sl_addr_format((const struct sockaddr *)&c->local.ss, lab->client_addr,
		       sizeof(lab->client_addr));
	sockets_text(r, SL_STEP_ESTABLISHED);
	return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_OK,
		"client %s (pid %d) and server %s (pid %d) are both ESTABLISHED",
		lab->client_addr, (int)r->cli.pid, lab->server_addr,
		(int)r->srv.pid);
}

/* ---- step 5: the name and the reply ---- */

static int same_bytes(const struct sl_buf *b, const char *s, size_t n)
{
	return b->len == n && (!n || !memcmp(b->data, s, n));
}

/* The server's record of the name, from the client's end, and the
 * client's record of the reply, byte for byte. */
static int exchange_done(struct run *r)
{
	const struct sl_lab *lab = r->lab;
	const char *name = lab->o.name;
	struct sl_buf want = SL_BUF_INIT;
	int ok;

	if (!r->sv.received || !r->cv.replies)
		return 0;
	sl_buf_printf(&want, "Hello, %s!", name);
	ok = same_bytes(&r->sv.name, name, strlen(name)) &&
	     !strcmp(r->sv.name_peer, lab->client_addr) &&
	     same_bytes(&r->cv.reply, want.data, want.len);
	sl_buf_release(&want);
	return ok;
}

static int both_exited(struct run *r)
{
	return !r->srv.running && !r->cli.running;
}

/* What each side got instead, in words. */
static int message_failed(struct run *r)
{
	struct sl_lab *lab = r->lab;
	struct sl_buf got = SL_BUF_INIT, said = SL_BUF_INIT, want = SL_BUF_INIT;
	int rc;

	sl_buf_puts(&want, "Hello, ");
	sl_buf_escape(&want, lab->o.name, strlen(lab->o.name));
	sl_buf_putc(&want, '!');
	if (r->sv.received)
		sl_buf_escape(&got, r->sv.name.data, r->sv.name.len);
	if (r->cv.replies)
		sl_buf_escape(&said, r->cv.reply.data, r->cv.reply.len);
	rc = step_end(lab, SL_STEP_MESSAGE, SL_STEP_FAILED,
		"within %d ms the server %s%s%s and the client %s%s%s (wanted the name and \"%s\")",
		WAIT_REPLY_MS, r->sv.received ? "received \"" : "received no name",
		r->sv.received ? got.data : "", r->sv.received ? "\"" : "",
		r->cv.replies ? "printed \"" : "printed no reply",
		r->cv.replies ? said.data : "", r->cv.replies ? "\"" : "",
		want.data);
	sl_buf_release(&want);
	sl_buf_release(&got);
	sl_buf_release(&said);
	return rc;
}

int step_message(struct run *r)
{
	struct sl_lab *lab = r->lab;
	struct sl_lab_step *s = &lab->steps[SL_STEP_MESSAGE];
	const char *name = lab->o.name;
	struct sl_buf line = SL_BUF_INIT;
	int ok;

	step_begin(lab, SL_STEP_MESSAGE);
	/* one write: the client forwards each read of its stdin as it comes */
	sl_buf_printf(&line, "%s\n", name);
	child_write(&r->cli, line.data, line.len);
	sl_buf_release(&line);
	lab_event(lab, SL_TL_PROCESS, lab->o.udp ? "client sent the name in one datagram"
						   : "client sent the name");
	ok = run_wait(r, exchange_done, WAIT_REPLY_MS);
	/* end of input: the client half-closes, the server (--once) closes */
	child_close_stdin(&r->cli);
	run_wait(r, both_exited, WAIT_START_MS);
	/* what each side recorded, as the commands print it */
	sl_buf_append(&lab->received, r->sv.name_line.data, r->sv.name_line.len);
	sl_render_client_text(&lab->reply, r->cv.reply.data, r->cv.reply.len);
	if (lab->reply.len)
		lab->reply.data[--lab->reply.len] = '\0';
	sl_buf_printf(&s->text, "client$ socklab client%s -H %s -p %u ",
		      lab->o.udp ? " -u" : "", r->host, lab->port);
	sl_buf_shell_word(&s->text, name);
	sl_buf_putc(&s->text, '\n');
	sl_buf_append(&s->text, r->cv.text.data, r->cv.text.len);
	sl_buf_printf(&s->text, "server$ socklab server%s -p %u --once\n",
		      lab->o.udp ? " -u" : "", lab->port);
	sl_buf_append(&s->text, r->sv.text.data, r->sv.text.len);
	step_show(lab, SL_STEP_MESSAGE, 0);
	lab_event(lab, SL_TL_PROCESS, both_exited(r) ? "client and server exited"
						  : "a process did not exit");
	if (!ok)
		return message_failed(r);
	return step_end(lab, SL_STEP_MESSAGE, SL_STEP_OK,
			"the server received exactly the name and the client printed \"%s\"",
			lab->reply.data);
}

/* ---- step 6: the packet ---- */

int lab_conversation_closed(struct run *r)
{
	const struct sl_timeline *tl = &r->lab->tl;
	int fins = 0;
	size_t last_fin = 0;

	for (size_t i = 0; i < tl->n; i++)
		if (tl->v[i].kind == SL_TL_PACKET && (tl->v[i].flags & 1)) {
			fins++;
			last_fin = i;
		}
	/* both FINs, and the ACK of the second one */
	for (size_t i = last_fin + 1; fins >= 2 && i < tl->n; i++)
		if (tl->v[i].kind == SL_TL_PACKET)
			return 1;
	return 0;
}

static int time_wait_seen(struct run *r)
{
	return lab_find_row(r, SL_TCP_TIME_WAIT, 0, -1) != NULL;
}

/* "The packet that carries the name (frame 4):" and its -V -x, or the
 * frames that carry its pieces when it was split. */
static void name_packets_text(struct sl_lab *lab, struct sl_buf *t)
{
	struct sl_buf f = SL_BUF_INIT, list = SL_BUF_INIT;

	for (size_t i = 0; i < lab->nname_frames; i++)
		sl_buf_printf(&list, "%s%u", i ? " " : "", lab->name_frames[i]);
	if (lab->nname_frames == 1) {
		sl_buf_printf(&f, "frame.number==%s", list.data);
		sl_buf_printf(t, "\nThe packet that carries the name (frame %s):\n",
			      list.data);
	} else {
		sl_buf_printf(&f, "frame.number in {%s}", list.data);
		sl_buf_printf(t, "\nThe name was split over %zu packets (frames %s):\n",
			      lab->nname_frames, list.data);
	}
	command(t, "capture -r", lab->pcap_path, "-Y", f.data, "-V -x", NULL);
	sl_buf_append(t, lab->packet_tree.data, lab->packet_tree.len);
	sl_buf_release(&f);
	sl_buf_release(&list);
}

/* Over UDP: the name's datagram, and whether anything but it and the
 * reply crossed (a TCP exchange has at least ten packets). */
static int udp_packets_end(struct sl_lab *lab)
{
	if (lab->packets == 2)
		return step_end(lab, SL_STEP_PACKET, SL_STEP_OK,
			"%s re-read: 2 packets, frame %u the datagram that carries the name and the other its reply; nothing else crossed: UDP sends no handshake, acknowledgement or close",
			lab->pcap_path, lab->name_frame);
	return step_end(lab, SL_STEP_PACKET, SL_STEP_OK,
		"%s re-read: %u packets, frame %u the datagram that carries the name",
		lab->pcap_path, lab->packets, lab->name_frame);
}

int step_packet(struct run *r)
{
	struct sl_lab *lab = r->lab;
	struct sl_lab_step *s = &lab->steps[SL_STEP_PACKET];
	struct sl_buf summary = SL_BUF_INIT;
	struct sl_err e;
	int rc;

	step_begin(lab, SL_STEP_PACKET);
	/* UDP has no close to wait for: its two datagrams are already in */
	if (!lab->o.udp)
		run_wait(r, time_wait_seen, WAIT_DRAIN_MS);
	if (!r->capturing)
		return step_end(lab, SL_STEP_PACKET, SL_STEP_SKIPPED,
				"no capture (step 1 was skipped)");
	if (!lab->o.udp)
		run_wait(r, lab_conversation_closed, WAIT_DRAIN_MS);
	rc = labcap_finish(lab, &r->cap, &e);
	r->capturing = 0;
	if (rc < 0)
		return step_end(lab, SL_STEP_PACKET, SL_STEP_FAILED, "%s", e.msg);
	command(&s->text, "capture -r", lab->pcap_path, "-Y", lab->filter,
		NULL);
	rc = labcap_verify_file(lab, &summary, &e);
	sl_buf_append(&s->text, summary.data, summary.len);
	sl_buf_release(&summary);
	if (lab->nname_frames && lab->packet_tree.len)
		name_packets_text(lab, &s->text);
	step_show(lab, SL_STEP_PACKET, 0);
	if (rc == -ENOENT && lab->steps[SL_STEP_MESSAGE].status == SL_STEP_FAILED)
		return step_end(lab, SL_STEP_PACKET, SL_STEP_FAILED,
			"no packet in %s carries the name: the client never sent it (step 5 says what it sent)",
			lab->pcap_path);
	if (rc < 0)
		return step_end(lab, SL_STEP_PACKET, SL_STEP_FAILED, "%s", e.msg);
	if (lab->nname_frames > 1)
		return step_end(lab, SL_STEP_PACKET, SL_STEP_OK,
			"%s re-read: %u packets; the name is split over %zu of them, from frame %u on",
			lab->pcap_path, lab->packets, lab->nname_frames,
			lab->name_frame);
	if (lab->o.udp)
		return udp_packets_end(lab);
	return step_end(lab, SL_STEP_PACKET, SL_STEP_OK,
		"%s re-read: %u packets, frame %u carries the name",
		lab->pcap_path, lab->packets, lab->name_frame);
}

