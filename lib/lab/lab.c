/* lab.c - the exercise, step by step, each step verified */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "lab-int.h"

#define WAIT_START_MS 3000	/* a process to start, a socket to appear */
#define WAIT_REPLY_MS 5000
#define WAIT_DRAIN_MS 500	/* last packets after the processes exited */

struct run {
	struct sl_lab *lab;
	struct child srv, cli;
	struct labcap cap;
	int capturing;
	struct sampler smp;
	char port_text[8];
	char host[SL_ADDRSTRLEN];
};

static const struct {
	const char *key, *title, *classic, *lesson;
} step_info[SL_STEP_COUNT] = {
	[SL_STEP_CAPTURE] = { "capture", "Start a capture on the loopback interface",
		"Wireshark: capture on Loopback: lo, display filter %s",
		"Loopback traffic never reaches a network card: the kernel hands it from one socket to the other, and a capture on lo sees every packet of it." },
	[SL_STEP_SERVER] = { "server", "Start the server in its own process",
		"python3 server.py (socket, bind, listen)",
		"bind() gives the socket its address and port; listen() makes it a passive socket that the kernel completes connections for." },
	[SL_STEP_LISTEN] = { "listening", "See the listening socket",
		"netstat -tanp | grep %s   (or: ss -tlnp)",
		"LISTEN is a socket waiting for connections. It has no foreign address yet (0.0.0.0:* or [::]:*)." },
	[SL_STEP_ESTABLISHED] = { "established", "Connect the client and see both ends",
		"netstat -tanp | grep %s",
		"The three-way handshake (SYN, SYN-ACK, ACK) made two ESTABLISHED sockets: one in the client, one in the server. The kernel completes it even before the server calls accept()." },
	[SL_STEP_MESSAGE] = { "message", "Send the name and get the reply",
		"python3 client.py (connect, sendall, recv)",
		"TCP carries a stream of bytes, not messages: the newline marks where the name ends, and the server may receive it in several pieces." },
	[SL_STEP_PACKET] = { "packet", "Find the packet that carries the name",
		"Wireshark: File > Open %s, filter %s",
		"The name travels in one TCP segment with the PSH and ACK flags; its sequence number says where the bytes sit in the stream. Who closes first passes through FIN_WAIT and waits in TIME_WAIT." },
};

int64_t lab_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void lab_say(struct sl_lab *lab, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (lab->o.say)
		lab->o.say(line, lab->o.arg);
}

static void event(struct sl_lab *lab, enum sl_tl_kind kind, const char *text)
{
	struct sl_tl_event ev = { .kind = kind, .owner = -1 };

	ev.t_ns = lab_now_ns();
	snprintf(ev.text, sizeof(ev.text), "%s", text);
	sl_timeline_add(&lab->tl, &ev);
}

/* ---- steps ---- */

static void step_begin(struct sl_lab *lab, int id)
{
	lab_say(lab, "[%d/%d] %s", id + 1, SL_STEP_COUNT, lab->steps[id].title);
	lab_say(lab, "      classic: %s", lab->steps[id].classic);
}

/* Shows the step's text on the terminal, indented, as it is written. */
static void step_show(struct sl_lab *lab, int id, size_t from)
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

static int step_end(struct sl_lab *lab, int id, enum sl_step_status st,
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
	event(lab, SL_TL_STEP, s->title);
	if (st == SL_STEP_FAILED)
		lab->exit_status = 1;
	return st == SL_STEP_OK ? 0 : -1;
}

/* ---- waiting: every wait pumps the children, the capture and the
 * socket table, so nothing is missed while a step waits ---- */

static void pump(struct run *r, int timeout_ms)
{
	struct pollfd p[5];
	int n = 0;

	if (r->capturing && sl_capture_fd(r->cap.cap) >= 0)
		p[n++] = (struct pollfd){ sl_capture_fd(r->cap.cap), POLLIN, 0 };
	if (r->srv.out_fd >= 0)
		p[n++] = (struct pollfd){ r->srv.out_fd, POLLIN, 0 };
	if (r->srv.err_fd >= 0)
		p[n++] = (struct pollfd){ r->srv.err_fd, POLLIN, 0 };
	if (r->cli.out_fd >= 0)
		p[n++] = (struct pollfd){ r->cli.out_fd, POLLIN, 0 };
	if (r->cli.err_fd >= 0)
		p[n++] = (struct pollfd){ r->cli.err_fd, POLLIN, 0 };
	poll(p, (nfds_t)n, timeout_ms);
	child_pump(&r->srv);
	child_pump(&r->cli);
	if (r->capturing)
		labcap_pump(r->lab, &r->cap);
	sampler_tick(r->lab, &r->smp);
}

static int wait_until(struct run *r, int (*cond)(struct run *), int ms)
{
	uint64_t end = sl_now_ms() + (uint64_t)ms;

	for (;;) {
		pump(r, 1);
		if (cond(r))
			return 1;
		if (sl_now_ms() >= end)
			return 0;
	}
}

/* ---- step 1: capture ---- */

static void step_capture(struct run *r)
{
	struct sl_lab *lab = r->lab;
	struct sl_err e;

	step_begin(lab, SL_STEP_CAPTURE);
	if (lab->o.no_capture) {
		lab->capture_skipped = 1;
		step_end(lab, SL_STEP_CAPTURE, SL_STEP_SKIPPED,
			 "--no-capture was given");
		return;
	}
	sl_buf_printf(&lab->steps[0].text,
		      "$ socklab capture -i lo -f '%s' -Y '%s' -w %s\n",
		      lab->bpf, lab->filter, lab->pcap_path);
	step_show(lab, 0, 0);
	if (labcap_open(lab, &r->cap, &e) < 0) {
		labcap_release(&r->cap);
		lab->capture_skipped = 1;
		if (e.code == -EPERM || e.code == -EACCES) {
			lab->exit_status = 1;
			step_end(lab, SL_STEP_CAPTURE, SL_STEP_SKIPPED, "%s", e.msg);
		} else {
			step_end(lab, SL_STEP_CAPTURE, SL_STEP_FAILED, "%s", e.msg);
		}
		return;
	}
	r->capturing = 1;
	step_end(lab, SL_STEP_CAPTURE, SL_STEP_OK,
		 "capturing '%s' on lo into %s", lab->bpf, lab->pcap_path);
}

/* ---- step 2: server ---- */

static int server_listening(struct run *r)
{
	return strstr(r->srv.out.data ? r->srv.out.data : "", "listening on ") &&
	       memchr(r->srv.out.data, '\n', r->srv.out.len);
}

static int step_server(struct run *r)
{
	struct sl_lab *lab = r->lab;
	char *argv[] = { (char *)lab->o.exe, "server", "-p", r->port_text,
			 "--once", NULL };
	struct sl_err e;
	const char *nl;

	step_begin(lab, SL_STEP_SERVER);
	sl_buf_printf(&lab->steps[1].text, "$ socklab server -p %u --once\n",
		      lab->port);
	if (child_spawn(&r->srv, argv, &e) < 0)
		return step_end(lab, SL_STEP_SERVER, SL_STEP_FAILED, "%s", e.msg);
	lab->server_pid = r->srv.pid;
	event(lab, SL_TL_PROCESS, "server process started");
	if (!wait_until(r, server_listening, WAIT_START_MS)) {
		/* another program took the free port since we looked: retry */
		if (!lab->o.port && !r->srv.running && r->srv.err.data &&
		    strstr(r->srv.err.data, "in use"))
			return -EADDRINUSE;
		sl_buf_escape(&lab->steps[1].text, r->srv.err.data, r->srv.err.len);
		step_show(lab, 1, 0);
		return step_end(lab, SL_STEP_SERVER, SL_STEP_FAILED,
				"the server did not start listening within %d ms",
				WAIT_START_MS);
	}
	nl = memchr(r->srv.out.data, '\n', r->srv.out.len);
	sl_buf_append(&lab->steps[1].text, r->srv.out.data,
		      (size_t)(nl - r->srv.out.data) + 1);
	step_show(lab, 1, 0);
	return step_end(lab, SL_STEP_SERVER, SL_STEP_OK,
			"server process pid %d listens on port %u",
			(int)r->srv.pid, lab->port);
}

/* ---- step 3: LISTEN ---- */

static const struct sl_sock *find_row(const struct run *r, int state,
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
	return find_row(r, SL_TCP_LISTEN, r->srv.pid, -1) != NULL;
}

static void sockets_text(struct run *r, int id)
{
	struct sl_lab *lab = r->lab;
	size_t from = lab->steps[id].text.len;

	sl_buf_printf(&lab->steps[id].text, "$ socklab sockets -p --port %u\n",
		      lab->port);
	sampler_table(&r->smp, &lab->steps[id].text);
	step_show(lab, id, from);
}

static int step_listen(struct run *r)
{
	struct sl_lab *lab = r->lab;

	step_begin(lab, SL_STEP_LISTEN);
	if (!wait_until(r, listen_seen, WAIT_START_MS)) {
		sockets_text(r, SL_STEP_LISTEN);
		return step_end(lab, SL_STEP_LISTEN, SL_STEP_FAILED,
			"no LISTEN socket of pid %d on port %u in the kernel's socket table",
			(int)r->srv.pid, lab->port);
	}
	sockets_text(r, SL_STEP_LISTEN);
	return step_end(lab, SL_STEP_LISTEN, SL_STEP_OK,
			"LISTEN on port %u, owned by pid %d (the server)",
			lab->port, (int)r->srv.pid);
}

/* ---- step 4: ESTABLISHED at both ends ---- */

static int established_seen(struct run *r)
{
	return find_row(r, SL_TCP_ESTABLISHED, r->cli.pid, 1) &&
	       find_row(r, SL_TCP_ESTABLISHED, r->srv.pid, 0);
}

static int step_established(struct run *r)
{
	struct sl_lab *lab = r->lab;
	char *argv[] = { (char *)lab->o.exe, "client", "-i", "-H", r->host,
			 "-p", r->port_text, NULL };
	const struct sl_sock *c;
	struct sl_err e;

	step_begin(lab, SL_STEP_ESTABLISHED);
	sl_buf_printf(&lab->steps[SL_STEP_ESTABLISHED].text,
		      "$ socklab client -H %s -p %u -i     (connected, not sending yet)\n",
		      r->host, lab->port);
	if (child_spawn(&r->cli, argv, &e) < 0)
		return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_FAILED, "%s",
				e.msg);
	lab->client_pid = r->cli.pid;
	event(lab, SL_TL_PROCESS, "client process started");
	if (!wait_until(r, established_seen, WAIT_START_MS)) {
		sockets_text(r, SL_STEP_ESTABLISHED);
		return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_FAILED,
			"the kernel did not show both ends ESTABLISHED (client pid %d, server pid %d)%s%.200s",
			(int)r->cli.pid, (int)r->srv.pid,
			r->cli.err.len ? "; client said: " : "",
			r->cli.err.len ? r->cli.err.data : "");
	}
	c = find_row(r, SL_TCP_ESTABLISHED, r->cli.pid, 1);
	sl_addr_format((const struct sockaddr *)&c->local.ss, lab->client_addr,
		       sizeof(lab->client_addr));
	sockets_text(r, SL_STEP_ESTABLISHED);
	return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_OK,
		"client %s (pid %d) and server %s (pid %d) are both ESTABLISHED",
		lab->client_addr, (int)r->cli.pid, lab->server_addr,
		(int)r->srv.pid);
}

/* ---- step 5: the name and the reply ---- */

static int has_line(const struct sl_buf *b, const char *line)
{
	size_t n = strlen(line);

	for (size_t i = 0; b->data && i + n <= b->len; i++)
		if ((i == 0 || b->data[i - 1] == '\n') &&
		    !memcmp(b->data + i, line, n) &&
		    (i + n == b->len || b->data[i + n] == '\n'))
			return 1;
	return 0;
}

static int exchange_done(struct run *r)
{
	return has_line(&r->srv.out, r->lab->received.data) &&
	       has_line(&r->cli.out, r->lab->reply.data);
}

static int both_exited(struct run *r)
{
	return !r->srv.running && !r->cli.running;
}

static int step_message(struct run *r)
{
	struct sl_lab *lab = r->lab;
	struct sl_lab_step *s = &lab->steps[SL_STEP_MESSAGE];
	const char *name = lab->o.name;
	char *line;
	int ok;

	step_begin(lab, SL_STEP_MESSAGE);
	/* what the server must log and the client must print, exactly */
	sl_buf_puts(&lab->received, "received \"");
	sl_buf_escape(&lab->received, name, strlen(name));
	sl_buf_printf(&lab->received, "\" from %s", lab->client_addr);
	sl_buf_puts(&lab->reply, "Hello, ");
	sl_buf_escape(&lab->reply, name, strlen(name));
	sl_buf_putc(&lab->reply, '!');
	/* one write: the client forwards each read of its stdin as it comes */
	line = malloc(strlen(name) + 2);
	if (line) {
		sprintf(line, "%s\n", name);
		child_write(&r->cli, line, strlen(line));
		free(line);
	}
	event(lab, SL_TL_PROCESS, "client sent the name");
	ok = wait_until(r, exchange_done, WAIT_REPLY_MS);
	/* end of input: the client half-closes, the server (--once) closes */
	child_close_stdin(&r->cli);
	wait_until(r, both_exited, WAIT_START_MS);
	sl_buf_printf(&s->text, "client$ socklab client -H %s -p %u ", r->host,
		      lab->port);
	sl_buf_escape(&s->text, name, strlen(name));
	sl_buf_putc(&s->text, '\n');
	sl_buf_append(&s->text, r->cli.out.data, r->cli.out.len);
	sl_buf_printf(&s->text, "server$ socklab server -p %u --once\n", lab->port);
	sl_buf_append(&s->text, r->srv.out.data, r->srv.out.len);
	step_show(lab, SL_STEP_MESSAGE, 0);
	event(lab, SL_TL_PROCESS, both_exited(r) ? "client and server exited"
						  : "a process did not exit");
	if (!ok)
		return step_end(lab, SL_STEP_MESSAGE, SL_STEP_FAILED,
			"the server did not log \"%s\" or the client did not print \"%s\" within %d ms",
			lab->received.data, lab->reply.data, WAIT_REPLY_MS);
	return step_end(lab, SL_STEP_MESSAGE, SL_STEP_OK,
			"the server received exactly the name and the client printed \"%s\"",
			lab->reply.data);
}

/* ---- step 6: the packet ---- */

static int conversation_closed(struct run *r)
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
	return find_row(r, SL_TCP_TIME_WAIT, 0, -1) != NULL;
}

static int step_packet(struct run *r)
{
	struct sl_lab *lab = r->lab;
	struct sl_lab_step *s = &lab->steps[SL_STEP_PACKET];
	struct sl_buf summary = SL_BUF_INIT;
	struct sl_err e;
	int rc;

	step_begin(lab, SL_STEP_PACKET);
	wait_until(r, time_wait_seen, WAIT_DRAIN_MS);
	if (!r->capturing)
		return step_end(lab, SL_STEP_PACKET, SL_STEP_SKIPPED,
				"no capture (step 1 was skipped)");
	wait_until(r, conversation_closed, WAIT_DRAIN_MS);
	rc = labcap_finish(lab, &r->cap, &e);
	r->capturing = 0;
	if (rc < 0)
		return step_end(lab, SL_STEP_PACKET, SL_STEP_FAILED, "%s", e.msg);
	sl_buf_printf(&s->text, "$ socklab capture -r %s -Y '%s'\n",
		      lab->pcap_path, lab->filter);
	rc = labcap_verify_file(lab, &summary, &e);
	sl_buf_append(&s->text, summary.data, summary.len);
	sl_buf_release(&summary);
	if (lab->name_frame && lab->packet_tree.len) {
		sl_buf_printf(&s->text, "\nThe packet that carries the name (frame %u):\n"
			      "$ socklab capture -r %s -Y 'frame.number==%u' -V -x\n",
			      lab->name_frame, lab->pcap_path, lab->name_frame);
		sl_buf_append(&s->text, lab->packet_tree.data,
			      lab->packet_tree.len);
	}
	step_show(lab, SL_STEP_PACKET, 0);
	if (rc < 0)
		return step_end(lab, SL_STEP_PACKET, SL_STEP_FAILED, "%s", e.msg);
	return step_end(lab, SL_STEP_PACKET, SL_STEP_OK,
		"%s re-read: %u packets, frame %u carries the name",
		lab->pcap_path, lab->packets, lab->name_frame);
}

/* ---- the run ---- */

static int port_free(uint16_t port)
{
	static const uint8_t v4[4] = { 127, 0, 0, 1 };
	static const uint8_t v6[16] = { [15] = 1 };
	struct sl_endpoint ep;
	int fd4, fd6;

	sl_addr_make(&ep, AF_INET, v4, port);
	fd4 = sl_listen_tcp(&ep, NULL);
	if (fd4 < 0)
		return 0;
	sl_addr_make(&ep, AF_INET6, v6, port);
	fd6 = sl_listen_tcp(&ep, NULL);
	close(fd4);
	if (fd6 >= 0)
		close(fd6);
	/* a machine without IPv6 still has a free IPv4 port */
	return fd6 >= 0 || fd6 == -EADDRNOTAVAIL || fd6 == -EAFNOSUPPORT;
}

static int choose_port(struct sl_lab *lab, unsigned from, struct sl_err *e)
{
	if (lab->o.port) {
		lab->port = lab->o.port;
		return 0;
	}
	for (unsigned p = from; p <= 65535; p++)
		if (port_free((uint16_t)p)) {
			lab->port = (uint16_t)p;
			return 0;
		}
	return sl_err_set(e, -EADDRINUSE,
		"no free port above 59000 on loopback: stop some servers or give one with -p");
}

static int make_dir(const char *dir, struct sl_err *e)
{
	char tmp[4096];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(tmp))
		return sl_err_set(e, -EINVAL, "bad --out folder \"%s\"", dir);
	memcpy(tmp, dir, n + 1);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
				goto fail;
			*p = '/';
		}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		goto fail;
	return 0;
fail:
	return sl_err_set(e, -errno, "cannot create the folder %s: %s; choose another with --out",
			  tmp, strerror(errno));
}

void sl_lab_init(struct sl_lab *lab, const struct sl_lab_opts *o)
{
	memset(lab, 0, sizeof(*lab));
	lab->o = *o;
	if (!lab->o.family)
		lab->o.family = AF_INET;
	if (!lab->o.out_dir)
		lab->o.out_dir = "evidence";
	for (int i = 0; i < SL_STEP_COUNT; i++) {
		lab->steps[i].key = step_info[i].key;
		lab->steps[i].title = step_info[i].title;
		lab->steps[i].lesson = step_info[i].lesson;
		sl_buf_init(&lab->steps[i].text);
	}
	sl_buf_init(&lab->received);
	sl_buf_init(&lab->reply);
	sl_buf_init(&lab->packet_tree);
}


static void fill_classics(struct sl_lab *lab)
{
	char pcap[64];

	sl_lab_file_name(lab, "_packet.pcap", pcap, sizeof(pcap));
	for (int i = 0; i < SL_STEP_COUNT; i++) {
		const char *f = step_info[i].classic;
		char *cl = lab->steps[i].classic_text;
		size_t n = sizeof(lab->steps[i].classic_text);

		if (i == SL_STEP_CAPTURE)
			snprintf(cl, n, f, lab->filter);
		else if (i == SL_STEP_LISTEN || i == SL_STEP_ESTABLISHED) {
			char port[8];

			snprintf(port, sizeof(port), "%u", lab->port);
			snprintf(cl, n, f, port);
		} else if (i == SL_STEP_PACKET)
			snprintf(cl, n, f, pcap, lab->filter);
		else
			snprintf(cl, n, "%s", f);
		lab->steps[i].classic = cl;
	}
}

/* Everything that names the port. */
static void set_port(struct run *r)
{
	struct sl_lab *lab = r->lab;
	int v6 = lab->o.family == AF_INET6;
	char pcap[256];

	snprintf(r->port_text, sizeof(r->port_text), "%u", lab->port);
	snprintf(r->host, sizeof(r->host), "%s", v6 ? "::1" : "127.0.0.1");
	snprintf(lab->server_addr, sizeof(lab->server_addr), v6 ? "[::1]:%u" :
		 "127.0.0.1:%u", lab->port);
	snprintf(lab->filter, sizeof(lab->filter), "%s",
		 v6 ? "ipv6.addr==::1" : "ip.addr==127.0.0.1");
	snprintf(lab->bpf, sizeof(lab->bpf), "tcp port %u and %s", lab->port,
		 v6 ? "ip6 host ::1" : "host 127.0.0.1");
	sl_lab_file_name(lab, "_packet.pcap", pcap, sizeof(pcap));
	snprintf(lab->pcap_path, sizeof(lab->pcap_path), "%s/%s",
		 lab->o.out_dir, pcap);
	fill_classics(lab);
}

static void release_run(struct run *r)
{
	child_release(&r->cli);
	child_release(&r->srv);
	labcap_release(&r->cap);
	sampler_release(&r->smp);
}

/* Back to before step 1, for another port. */
static void restart(struct run *r)
{
	struct sl_lab *lab = r->lab;

	child_release(&r->srv);
	child_init(&r->srv);
	labcap_release(&r->cap);
	r->capturing = 0;
	sampler_release(&r->smp);
	for (int i = 0; i < SL_STEP_COUNT; i++) {
		sl_buf_reset(&lab->steps[i].text);
		lab->steps[i].status = SL_STEP_PENDING;
		lab->steps[i].why[0] = '\0';
	}
	lab->tl.n = 0;
	lab->exit_status = 0;
	lab->capture_skipped = 0;
	lab->server_pid = 0;
}

int sl_lab_run(struct sl_lab *lab, struct sl_err *e)
{
	struct run r = { .lab = lab };
	unsigned from = 59001;
	int rc;

	lab->t0_ns = lab_now_ns();
	if (make_dir(lab->o.out_dir, e) < 0)
		return -1;
	child_init(&r.srv);
	child_init(&r.cli);
	for (int tries = 0;; tries++) {
		if (choose_port(lab, from, e) < 0) {
			release_run(&r);
			return -1;
		}
		set_port(&r);
		sampler_init(&r.smp, SL_DIAG_V4 | SL_DIAG_V6);
		step_capture(&r);
		sampler_tick(lab, &r.smp);	/* what was there before the lab */
		if ((rc = step_server(&r)) != -EADDRINUSE || tries == 4)
			break;
		lab_say(lab, "      port %u was taken meanwhile: trying the next free one",
			lab->port);
		from = lab->port + 1u;
		restart(&r);
	}
	if (rc == -EADDRINUSE)
		rc = step_end(lab, SL_STEP_SERVER, SL_STEP_FAILED,
			      "every free port we found was taken before the server could bind it");
	if (rc == 0 && step_listen(&r) == 0 &&
	    step_established(&r) == 0)
		step_message(&r);
	for (int i = SL_STEP_SERVER; i < SL_STEP_PACKET; i++)
		if (lab->steps[i].status == SL_STEP_PENDING)
			step_end(lab, i, SL_STEP_SKIPPED, "an earlier step failed");
	if (lab->steps[SL_STEP_MESSAGE].status == SL_STEP_OK)
		step_packet(&r);
	else
		step_end(lab, SL_STEP_PACKET, SL_STEP_SKIPPED,
			 "no message was exchanged");

	release_run(&r);
	sl_timeline_sort(&lab->tl);
	return lab->exit_status;
}

void sl_lab_release(struct sl_lab *lab)
{
	for (int i = 0; i < SL_STEP_COUNT; i++)
		sl_buf_release(&lab->steps[i].text);
	sl_buf_release(&lab->received);
	sl_buf_release(&lab->reply);
	sl_buf_release(&lab->packet_tree);
	sl_timeline_release(&lab->tl);
}
