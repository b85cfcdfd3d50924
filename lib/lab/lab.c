/* lab.c - the exercise, step by step, each step verified */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lab-int.h"

#define WAIT_START_MS 3000	/* a process to start, a socket to appear */
#define WAIT_REPLY_MS 5000
#define WAIT_DRAIN_MS 500	/* last packets after the processes exited */


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

/* Over UDP (-u): what is there, and what is not. */
static const struct {
	const char *title, *classic, *lesson;
} udp_info[SL_STEP_COUNT] = {
	[SL_STEP_CAPTURE] = { "Start a capture on the loopback interface",
		"Wireshark: capture on Loopback: lo, display filter %s",
		"Loopback traffic never reaches a network card: the kernel hands it from one socket to the other, and a capture on lo sees every datagram of it." },
	[SL_STEP_SERVER] = { "Start the UDP server in its own process",
		"python3 server.py (socket(SOCK_DGRAM), bind, recvfrom)",
		"A UDP server only binds its socket: there is no listen() and no accept(), and every datagram arrives on that one socket with its sender's address." },
	[SL_STEP_LISTEN] = { "See the server's UDP socket: no LISTEN",
		"netstat -uanp | grep %s   (or: ss -ulnp)",
		"UDP has no LISTEN state: the server's socket is unconnected, UNCONN in ss (netstat shows no state at all), with no foreign address (0.0.0.0:* or [::]:*)." },
	[SL_STEP_ESTABLISHED] = { "Start the client: no handshake, no connection",
		"netstat -uanp | grep %s",
		"UDP has no handshake: no packet crossed when the client started. Its connect() only made its kernel remember the peer (so ss shows the client's socket ESTABLISHED); the server's socket stays UNCONN, because on its side there is no connection at all." },
	[SL_STEP_MESSAGE] = { "Send the name in one datagram and get the reply",
		"python3 client.py (sendto, recvfrom with a timeout)",
		"UDP carries datagrams, not a stream: the name arrives whole in one recvfrom() or not at all, and nothing resends a lost one, so the client waits with a timeout." },
	[SL_STEP_PACKET] = { "Find the datagram that carries the name",
		"Wireshark: File > Open %s, filter %s",
		"The name travels in one UDP datagram and the reply in another: no SYN before them, no ACK for them, no FIN after them. UDP's header has ports, a length and a checksum, nothing more." },
};

/* The titles when the programs are the student's own. */
static const char *const program_titles[SL_STEP_COUNT] = {
	[SL_STEP_CAPTURE] = "Start a capture on the loopback interface",
	[SL_STEP_SERVER] = "Start your server",
	[SL_STEP_LISTEN] = "See its listening socket",
	[SL_STEP_ESTABLISHED] = "Your client connects: see both ends",
	[SL_STEP_MESSAGE] = "Your client sends the name",
	[SL_STEP_PACKET] = "Find the packet that carries the name",
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

void lab_event(struct sl_lab *lab, enum sl_tl_kind kind, const char *text)
{
	struct sl_tl_event ev = { .kind = kind, .owner = -1 };

	ev.t_ns = lab_now_ns();
	snprintf(ev.text, sizeof(ev.text), "%s", text);
	sl_timeline_add(&lab->tl, &ev);
}

/* ---- the run ---- */

/* A socket of the lab's protocol on ep, to see the port is free. */
static int try_port(const struct sl_endpoint *ep, int udp)
{
	return udp ? sl_bind_udp(ep, 0, NULL) : sl_listen_tcp(ep, NULL);
}

static int port_free(uint16_t port, int udp)
{
	static const uint8_t v4[4] = { 127, 0, 0, 1 };
	static const uint8_t v6[16] = { [15] = 1 };
	struct sl_endpoint ep;
	int fd4, fd6;

	sl_addr_make(&ep, AF_INET, v4, port);
	fd4 = try_port(&ep, udp);
	if (fd4 < 0)
		return 0;
	sl_addr_make(&ep, AF_INET6, v6, port);
	fd6 = try_port(&ep, udp);
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
		if (port_free((uint16_t)p, lab->o.udp)) {
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
		lab->steps[i].title = o->server_cmd || o->watch ?
			program_titles[i] : o->udp ? udp_info[i].title :
			step_info[i].title;
		lab->steps[i].lesson = o->udp ? udp_info[i].lesson :
			step_info[i].lesson;
		sl_buf_init(&lab->steps[i].text);
	}
	sl_buf_init(&lab->received);
	sl_buf_init(&lab->reply);
	sl_buf_init(&lab->packet_tree);
	sl_buf_init(&lab->outputs);
	sl_buf_init(&lab->code);
	lab->programs = (o->server_cmd && o->client_cmd) || o->watch;
	if (o->server_cmd)
		snprintf(lab->server_cmdline, sizeof(lab->server_cmdline), "%s",
			 o->server_cmd);
	if (o->client_cmd)
		snprintf(lab->client_cmdline, sizeof(lab->client_cmdline), "%s",
			 o->client_cmd);
}

void sl_lab_note(struct sl_lab *lab, enum sl_note_level level,
		 const char *fmt, ...)
{
	struct sl_lab_note *n;
	va_list ap;

	if (lab->nnotes == SL_LAB_NOTES)
		return;
	n = &lab->notes[lab->nnotes++];
	n->level = level;
	va_start(ap, fmt);
	vsnprintf(n->text, sizeof(n->text), fmt, ap);
	va_end(ap);
	lab_say(lab, "      %s: %s", level == SL_NOTE_WARN ? "note" : "seen", n->text);
}


static void fill_classics(struct sl_lab *lab)
{
	char pcap[256];

	sl_lab_file_name(lab, "_packet.pcap", pcap, sizeof(pcap));
	for (int i = 0; i < SL_STEP_COUNT; i++) {
		const char *f = lab->o.udp ? udp_info[i].classic :
			step_info[i].classic;
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
		else if (lab->programs && i == SL_STEP_SERVER)
			snprintf(cl, n, "%s", lab->server_cmdline[0] ?
				 lab->server_cmdline : "your server, in another terminal");
		else if (lab->programs && i == SL_STEP_MESSAGE)
			snprintf(cl, n, "%s", lab->client_cmdline[0] ?
				 lab->client_cmdline : "your client, in another terminal");
		else
			snprintf(cl, n, "%s", f);
		lab->steps[i].classic = cl;
	}
}

static void set_pcap_path(struct sl_lab *lab)
{
	char pcap[256];

	sl_lab_file_name(lab, "_packet.pcap", pcap, sizeof(pcap));
	snprintf(lab->pcap_path, sizeof(lab->pcap_path), "%s/%s",
		 lab->o.out_dir, pcap);
}

/* The student's programs: until their server listens, the capture takes
 * every TCP segment on lo and keeps none. */
static void set_programs(struct run *r)
{
	struct sl_lab *lab = r->lab;

	snprintf(lab->filter, sizeof(lab->filter), "tcp");
	snprintf(lab->bpf, sizeof(lab->bpf), "tcp");
	set_pcap_path(lab);
	fill_classics(lab);
}

void lab_set_port(struct run *r)
{
	struct sl_lab *lab = r->lab;
	int v6 = r->listener.local.ss.ss_family == AF_INET6;
	struct sl_err e;

	snprintf(r->port_text, sizeof(r->port_text), "%u", lab->port);
	sl_sock_addr_format(&r->listener.local, lab->server_addr,
			    sizeof(lab->server_addr));
	snprintf(lab->filter, sizeof(lab->filter), "%s",
		 v6 ? "ipv6.addr==::1" : "ip.addr==127.0.0.1");
	if (r->capturing && labcap_follow_port(lab, &r->cap, &e) < 0)
		lab_say(lab, "      the capture keeps every TCP segment on lo: %s", e.msg);
	fill_classics(lab);
}

/* Everything that names the port. */
static void set_port(struct run *r)
{
	struct sl_lab *lab = r->lab;
	int v6 = lab->o.family == AF_INET6;

	snprintf(r->port_text, sizeof(r->port_text), "%u", lab->port);
	snprintf(r->host, sizeof(r->host), "%s", v6 ? "::1" : "127.0.0.1");
	snprintf(lab->server_addr, sizeof(lab->server_addr), v6 ? "[::1]:%u" :
		 "127.0.0.1:%u", lab->port);
	snprintf(lab->filter, sizeof(lab->filter), "%s",
		 v6 ? "ipv6.addr==::1" : "ip.addr==127.0.0.1");
	snprintf(lab->bpf, sizeof(lab->bpf), "%s port %u and %s",
		 lab->o.udp ? "udp" : "tcp", lab->port,
		 v6 ? "ip6 host ::1" : "host 127.0.0.1");
	set_pcap_path(lab);
	fill_classics(lab);
}

static void init_run(struct run *r, struct sl_lab *lab)
{
	memset(r, 0, sizeof(*r));
	r->lab = lab;
	child_init(&r->srv);
	child_init(&r->cli);
	srv_view_init(&r->sv);
	cli_view_init(&r->cv);
	sl_buf_init(&r->estab_text);
	sl_buf_init(&r->estab_early);
}

static void release_run(struct run *r)
{
	child_release(&r->cli);
	child_release(&r->srv);
	srv_view_release(&r->sv);
	cli_view_release(&r->cv);
	sl_buf_release(&r->estab_text);
	sl_buf_release(&r->estab_early);
	labcap_release(&r->cap);
	sampler_release(&r->smp);
}

/* Back to before step 1, for another port. */
static void restart(struct run *r)
{
	struct sl_lab *lab = r->lab;

	child_release(&r->srv);
	child_init(&r->srv);
	srv_view_release(&r->sv);
	srv_view_init(&r->sv);
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

/* Steps after the first that could not run are skipped, with the reason;
 * the packet step needs a message. */
static void finish_steps(struct run *r)
{
	struct sl_lab *lab = r->lab;

	for (int i = SL_STEP_SERVER; i < SL_STEP_PACKET; i++)
		if (lab->steps[i].status == SL_STEP_PENDING)
			step_end(lab, i, SL_STEP_SKIPPED, "an earlier step failed");
	if (lab->steps[SL_STEP_MESSAGE].status == SL_STEP_OK ||
	    (lab->programs && lab->steps[SL_STEP_ESTABLISHED].status == SL_STEP_OK))
		step_packet(r);
	else
		step_end(lab, SL_STEP_PACKET, SL_STEP_SKIPPED,
			 "no message was exchanged");
}

/* socklab's own server and client, on a port the lab chose. */
static int run_own(struct run *r, struct sl_err *e)
{
	struct sl_lab *lab = r->lab;
	unsigned from = 59001;
	int rc;

	for (int tries = 0;; tries++) {
		if ((rc = choose_port(lab, from, e)) < 0)
			return rc;
		set_port(r);
		sampler_init(&r->smp, SL_DIAG_V4 | SL_DIAG_V6);
		step_capture(r);
		sampler_tick(lab, &r->smp);	/* what was there before the lab */
		if ((rc = step_server(r)) != -EADDRINUSE || tries == 4)
			break;
		lab_say(lab, "      port %u was taken meanwhile: trying the next free one",
			lab->port);
		from = lab->port + 1u;
		restart(r);
	}
	if (rc == -EADDRINUSE)
		rc = step_end(lab, SL_STEP_SERVER, SL_STEP_FAILED,
			      "every free port we found was taken before the server could bind it");
	if (rc == 0 && step_listen(r) == 0 &&
	    (lab->o.udp ? step_established_udp(r) : step_established(r)) == 0)
		step_message(r);
	finish_steps(r);
	return 0;
}

/* The steps that differ between the student's programs started by the
 * lab (--server/--client) and started by hand (--watch). */
struct program_steps {
	int (*server)(struct run *r);
	int (*established)(struct run *r);
	int (*message)(struct run *r);
};

static const struct program_steps started = {
	step_server_program, step_established_program, step_message_program,
};
static const struct program_steps by_hand = {
	step_server_watch, step_established_watch, step_message_watch,
};

/* The student's own programs, on the port their server chose; when the
 * lab is stopped (Ctrl-C, --watch), what was seen is kept. */
static int run_programs(struct run *r, const struct program_steps *ps,
			struct sl_err *e)
{
	struct sl_lab *lab = r->lab;

	set_programs(r);
	sampler_init(&r->smp, SL_DIAG_V4 | SL_DIAG_V6);
	step_capture(r);
	if (ps->server(r) == 0 && step_listen(r) == 0 &&
	    ps->established(r) == 0)
		ps->message(r);
	if (r->stopped)
		for (int i = SL_STEP_SERVER; i < SL_STEP_PACKET; i++)
			if (lab->steps[i].status == SL_STEP_PENDING)
				step_end(lab, i, SL_STEP_SKIPPED,
					 "the lab was stopped before this was seen: run it again and let your programs finish");
	finish_steps(r);
	lab_stop_programs(r);
	lab_collect_outputs(r);
	return lab_collect_code(lab, e);
}

int sl_lab_run(struct sl_lab *lab, struct sl_err *e)
{
	struct run r;
	int rc;

	lab->t0_ns = lab_now_ns();
	if ((rc = make_dir(lab->o.out_dir, e)) < 0)
		return rc;
	init_run(&r, lab);
	if (lab->programs)
		rc = run_programs(&r, lab->o.watch ? &by_hand : &started, e);
	else
		rc = run_own(&r, e);
	release_run(&r);
	sl_timeline_sort(&lab->tl);
	return rc;
}

void sl_lab_release(struct sl_lab *lab)
{
	for (int i = 0; i < SL_STEP_COUNT; i++)
		sl_buf_release(&lab->steps[i].text);
	sl_buf_release(&lab->received);
	sl_buf_release(&lab->reply);
	sl_buf_release(&lab->packet_tree);
	sl_buf_release(&lab->outputs);
	sl_buf_release(&lab->code);
	sl_timeline_release(&lab->tl);
}
