/* scenario.c - a classic failure on purpose (lab --scenario NAME): the
 * scenario's sockets act while the lab's capture and socket sampler
 * watch, in a network namespace of its own when the process may make one
 * (its loopback, ports and TIME_WAITs are private), then the steps are
 * told in order: symptom, socket states, packets, diagnosis, fix */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "scenario.h"

static const struct scen_def *const scenarios[] = {
	&scen_refused, &scen_ipv6, &scen_timewait, &scen_backlog, &scen_rst,
	&scen_zerowin, &scen_partial, &scen_halfclose,
};

static const char *const step_keys[SL_STEP_COUNT] = {
	"capture", "symptom", "states", "packets", "diagnosis", "fix",
};

static const char *const step_titles[SL_STEP_COUNT] = {
	"Start a capture on the loopback interface", "The symptom",
	"The socket states", "The packets", "The diagnosis", "The fix",
};

size_t sl_lab_scenario_count(void)
{
	return SL_ARRAY_SIZE(scenarios);
}

const char *sl_lab_scenario_name(size_t i)
{
	return i < SL_ARRAY_SIZE(scenarios) ? scenarios[i]->name : NULL;
}

const char *sl_lab_scenario_about(size_t i)
{
	return i < SL_ARRAY_SIZE(scenarios) ? scenarios[i]->about : NULL;
}

/* ---- sockets ---- */

int scen_socket(struct scen *s, int family)
{
	int fd;

	if (s->nfds == SCEN_FDS)
		return -EMFILE;
	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	s->fds[s->nfds++] = fd;
	return fd;
}

void scen_close(struct scen *s, int fd)
{
	for (size_t i = 0; i < s->nfds; i++)
		if (s->fds[i] == fd) {
			close(fd);
			s->fds[i] = s->fds[--s->nfds];
			return;
		}
}

static void loopback(int family, uint16_t port, struct sl_endpoint *ep)
{
	static const uint8_t v4[4] = { 127, 0, 0, 1 };
	static const uint8_t v6[16] = { [15] = 1 };

	sl_addr_make(ep, family, family == AF_INET6 ? v6 : v4, port);
}

void scen_addr(const struct scen *s, int family, char *out, size_t n)
{
	struct sl_endpoint ep;

	loopback(family, s->port, &ep);
	sl_addr_format((const struct sockaddr *)&ep.ss, out, n);
}

int scen_listen(struct scen *s, int family, int backlog, int reuse,
		int rcvbuf)
{
	return scen_listen_at(s, family, s->port, backlog, reuse, rcvbuf);
}

int scen_listen_at(struct scen *s, int family, uint16_t port, int backlog,
		   int reuse, int rcvbuf)
{
	struct sl_endpoint ep;
	int fd = scen_socket(s, family), one = 1;

	if (fd < 0)
		return fd;
	loopback(family, port, &ep);
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (reuse)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (rcvbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&ep.ss, ep.len) < 0 ||
	    listen(fd, backlog) < 0) {
		int err = -errno;

		scen_close(s, fd);
		return err;
	}
	return fd;
}

int scen_connect(struct scen *s, int family, int *rc)
{
	return scen_connect_at(s, family, s->port, rc);
}

int scen_connect_at(struct scen *s, int family, uint16_t port, int *rc)
{
	struct sl_endpoint ep;
	int fd = scen_socket(s, family);

	if (fd < 0) {
		*rc = fd;
		return fd;
	}
	loopback(family, port, &ep);
	*rc = connect(fd, (struct sockaddr *)&ep.ss, ep.len) < 0 ? -errno : 0;
	return fd;
}

/* Waits for events on fd while the lab watches: 1 ready, 0 not in ms. */
static int wait_fd(struct scen *s, int fd, short events, int ms)
{
	uint64_t end = sl_now_ms() + (uint64_t)ms;

	for (;;) {
		struct pollfd p = { fd, events, 0 };

		if (poll(&p, 1, 1) > 0)
			return 1;
		run_pump(s->r, 0);
		if (sl_now_ms() >= end)
			return 0;
	}
}

int scen_connected(struct scen *s, int fd, int ms)
{
	if (!wait_fd(s, fd, POLLOUT, ms))
		return -ETIMEDOUT;
	return sl_connect_result(fd);
}

int scen_readable(struct scen *s, int fd, int ms)
{
	return wait_fd(s, fd, POLLIN, ms);
}

int scen_accept(struct scen *s, int lfd, int ms)
{
	int fd;

	if (!wait_fd(s, lfd, POLLIN, ms))
		return -ETIMEDOUT;
	if (s->nfds == SCEN_FDS)
		return -EMFILE;
	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return -errno;
	s->fds[s->nfds++] = fd;
	return fd;
}

void scen_watch(struct scen *s, int ms)
{
	run_wait(s->r, lab_no_wait, ms);
}

/* ---- words ---- */

void scen_text(struct scen *s, int id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sl_buf_vprintf(&s->lab->steps[id].text, fmt, ap);
	va_end(ap);
}

void scen_table(struct scen *s, int id)
{
	sampler_force(s->lab, &s->r->smp);
	sockets_table_text(s->r, &s->lab->steps[id].text);
}

void scen_table_port(struct scen *s, int id, uint16_t port)
{
	struct sl_diag_query q = { .protos = SL_DIAG_TCP, .states = SL_STATES_ALL,
				   .port = port };
	struct sl_buf *t = &s->lab->steps[id].text;
	struct sl_sock_list l;
	struct sl_err e;

	sl_sock_list_init(&l);
	sl_buf_printf(t, "$ socklab sockets -p --port %u\n", port);
	if (sl_diag_list(&q, &l, &e) < 0)
		sl_buf_printf(t, "(%s)\n", e.msg);
	sl_diag_owners(&l, &e);
	sl_render_sockets(t, &l, SL_TABLE_OWNERS, geteuid());
	sl_sock_list_release(&l);
}

void scen_result(struct scen *s, int id, int ok, const char *fmt, ...)
{
	va_list ap;

	if (s->done[id] && s->st[id] == SL_STEP_FAILED)
		return;		/* the first failure is the one to tell */
	s->done[id] = 1;
	s->st[id] = ok ? SL_STEP_OK : SL_STEP_FAILED;
	va_start(ap, fmt);
	vsnprintf(s->why[id], sizeof(s->why[id]), fmt, ap);
	va_end(ap);
}

const char *scen_errno(int err, char *out, size_t n)
{
	static const struct sl_tok names[] = {
		{ ECONNREFUSED, "ECONNREFUSED" }, { EADDRINUSE, "EADDRINUSE" },
		{ ECONNRESET, "ECONNRESET" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ EAGAIN, "EAGAIN" }, { EINPROGRESS, "EINPROGRESS" },
		{ EPIPE, "EPIPE" }, { 0, NULL }
	};

	if (err < 0)
		err = -err;
	snprintf(out, n, "%s (%s)", sl_tok_name(names, err, "E?"),
		 strerror(err));
	return out;
}

const struct sl_tl_event *scen_packet(const struct scen *s, size_t *from)
{
	const struct sl_timeline *tl = &s->lab->tl;

	for (; *from < tl->n; (*from)++)
		if (tl->v[*from].kind == SL_TL_PACKET)
			return &tl->v[(*from)++];
	return NULL;
}

/* ---- the namespace ---- */

static void lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
}

/* A network namespace of the process's own, its loopback up; returns a
 * descriptor of the one it left (to go back), or -1 when it stays. */
static int enter_netns(void)
{
	int orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	if (orig < 0)
		return -1;
	if (unshare(CLONE_NEWNET) < 0) {
		close(orig);
		return -1;
	}
	lo_up();
	return orig;
}

static void leave_netns(int orig)
{
	if (orig < 0)
		return;
	setns(orig, CLONE_NEWNET);
	close(orig);
}

/* ---- the steps ---- */

static const struct scen_def *find(const char *name)
{
	for (size_t i = 0; i < SL_ARRAY_SIZE(scenarios); i++)
		if (name && !strcmp(scenarios[i]->name, name))
			return scenarios[i];
	return NULL;
}

static void name_steps(struct scen *s)
{
	struct sl_lab *lab = s->lab;

	for (int i = 0; i < SL_STEP_COUNT; i++) {
		struct sl_lab_step *st = &lab->steps[i];
		const char *c = s->def->classic[i];

		st->key = step_keys[i];
		st->title = step_titles[i];
		if (i > 0)
			st->lesson = s->def->lesson[i];
		snprintf(st->classic_text, sizeof(st->classic_text),
			 c ? c : "", s->port);
		if (i == SL_STEP_CAPTURE)
			snprintf(st->classic_text, sizeof(st->classic_text),
				 "Wireshark: capture on Loopback: lo, display filter %s",
				 lab->filter);
		st->classic = st->classic_text;
	}
}

static void set_names(struct scen *s)
{
	struct sl_lab *lab = s->lab;

	lab->port = s->port;
	snprintf(lab->filter, sizeof(lab->filter), "tcp.port==%u", s->port);
	snprintf(lab->bpf, sizeof(lab->bpf), "tcp port %u", s->port);
	if (s->def->two_ports) {
		snprintf(lab->filter, sizeof(lab->filter),
			 "tcp.port in {%u, %u}", s->port, s->port + 1u);
		snprintf(lab->bpf, sizeof(lab->bpf), "tcp portrange %u-%u",
			 s->port, s->port + 1u);
	}
	snprintf(lab->server_addr, sizeof(lab->server_addr), "127.0.0.1:%u",
		 s->port);
	snprintf(s->r->port_text, sizeof(s->r->port_text), "%u", s->port);
	lab_set_pcap_path(lab);
	name_steps(s);
}

/* The packets step: every frame as capture -r prints it, then the words
 * the scenario has for the ones that matter. */
static void packets_text(struct scen *s)
{
	struct sl_lab *lab = s->lab;
	struct sl_buf *t = &lab->steps[SC_PACKETS].text;
	struct sl_buf sum = SL_BUF_INIT;
	struct sl_err e;
	size_t at = 0;
	const struct sl_tl_event *ev;
	int words = 0;

	sl_buf_puts(t, "$ socklab capture -r ");
	sl_buf_shell_word(t, lab->pcap_path);
	sl_buf_puts(t, " -Y ");
	sl_buf_shell_word(t, lab->filter);
	sl_buf_putc(t, '\n');
	if (labcap_read_summary(lab, &sum, &e) < 0)
		sl_buf_printf(t, "(%s)\n", e.msg);
	sl_buf_append(t, sum.data, sum.len);
	sl_buf_release(&sum);
	while (s->def->mark && (ev = scen_packet(s, &at))) {
		char buf[300];
		const char *w = s->def->mark(s, ev, buf, sizeof(buf));

		if (!w)
			continue;
		if (!words++)
			sl_buf_puts(t, "\nWhat the packets show:\n");
		sl_buf_printf(t, "  frame %u: %s\n", ev->frame, w);
	}
}

static void tell(struct scen *s)
{
	struct sl_lab *lab = s->lab;

	for (int i = SC_SYMPTOM; i < SL_STEP_COUNT; i++) {
		step_begin(lab, i);
		step_show(lab, i, 0);
		if (!s->done[i])
			step_end(lab, i, SL_STEP_SKIPPED, "%s",
				 i == SC_PACKETS ? "no capture (step 1 was skipped)" :
				 "an earlier part of the scenario failed");
		else
			step_end(lab, i, s->st[i], "%s", s->why[i]);
	}
}

static void finish_capture(struct scen *s)
{
	struct sl_err e;

	if (!s->r->capturing)
		return;
	scen_watch(s, 100);	/* the last ACKs */
	if (labcap_finish(s->lab, &s->r->cap, &e) < 0)
		scen_result(s, SC_PACKETS, 0, "%s", e.msg);
	s->r->capturing = 0;
	sl_timeline_sort(&s->lab->tl);
	packets_text(s);
}

static void run_steps(struct scen *s)
{
	struct sl_lab *lab = s->lab;

	sampler_init(&s->r->smp, SL_DIAG_V4 | SL_DIAG_V6);
	step_capture(s->r);
	sampler_tick(lab, &s->r->smp);
	lab_say(lab, "      %s", s->netns ?
		"in a network namespace of its own: its loopback, ports and timers are this scenario's alone" :
		"on this machine's loopback (a network namespace of its own needs root)");
	s->def->run(s);
	finish_capture(s);
	s->def->conclude(s);
	if (!s->r->capturing && lab->capture_skipped && !s->done[SC_PACKETS])
		s->done[SC_PACKETS] = 0;
	tell(s);
}

int sl_lab_scenario(struct sl_lab *lab, struct sl_err *e)
{
	const struct scen_def *def = find(lab->o.scenario);
	struct run r;
	struct scen s;
	int orig, rc;

	if (!def)
		return sl_err_set(e, -EINVAL, "no scenario \"%s\": socklab lab --scenario help lists them",
				  lab->o.scenario ? lab->o.scenario : "");
	lab->t0_ns = lab_now_ns();
	lab_make_run_id(lab);
	if ((rc = lab_make_dir(lab->o.out_dir, e)) < 0)
		return rc;
	memset(&s, 0, sizeof(s));
	lab_init_run(&r, lab);
	s.r = &r;
	s.lab = lab;
	s.def = def;
	orig = enter_netns();
	s.netns = orig >= 0;
	rc = s.netns ? (lab->port = lab->o.port ? lab->o.port : 59001, 0) :
	     lab_choose_port(lab, 59001, e);
	if (rc == 0) {
		s.port = lab->port;
		set_names(&s);
		run_steps(&s);
	}
	while (s.nfds)
		scen_close(&s, s.fds[0]);
	lab_release_run(&r);
	leave_netns(orig);
	sl_timeline_sort(&lab->tl);
	return rc;
}
