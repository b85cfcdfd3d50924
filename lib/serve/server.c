/* server.c - listeners, accepting, limits and the server's lifetime */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "socklab/line.h"
#include "serve-int.h"

#define ACCEPT_BATCH 256
#define RESUME_MS 100

void sl_server_opts_init(struct sl_server_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->port = SL_DEFAULT_PORT;
	o->max_conn = SL_SERVE_DEFAULT_MAX_CONN;
	o->idle_timeout_s = SL_SERVE_DEFAULT_IDLE_S;
	o->max_line = SL_DEFAULT_MAX_LINE;
	o->stop_fd = -1;
}

void srv_emit(struct sl_server *s, struct sl_srv_event *e)
{
	e->udp = s->o.udp;
	if (s->o.on_event)
		s->o.on_event(e, s->o.arg);
}

static int is_wildcard(const struct sl_endpoint *ep)
{
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;

	if (ep->ss.ss_family == AF_INET)
		return ((const struct sockaddr_in *)&ep->ss)->sin_addr.s_addr ==
		       htonl(INADDR_ANY);
	return !memcmp(&((const struct sockaddr_in6 *)&ep->ss)->sin6_addr,
		       &any6, sizeof(any6));
}

static int add_listener(struct sl_server *s, const struct sl_endpoint *ep,
			struct sl_err *e)
{
	struct listener *l = &s->ls[s->nls];
	int fd = s->o.udp ? sl_bind_udp(ep, is_wildcard(ep), e)
			  : sl_listen_tcp(ep, e);

	if (fd < 0)
		return fd;
	/* accepted sockets inherit it: the kernel buffers at most this much
	 * of a client's unread replies beside our own backlog */
	if (!s->o.udp)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &(int){ CONN_SNDBUF },
			   sizeof(int));
	l->fd = fd;
	l->wildcard = is_wildcard(ep);
	if (sl_sock_local(fd, &l->ep) < 0)
		l->ep = *ep;
	s->eps[s->nls++] = l->ep;
	return 0;
}

/* 127.0.0.1 and ::1 on one port; port 0 takes IPv4's free port for both. */
static int open_default(struct sl_server *s, struct sl_err *e)
{
	static const uint8_t v4[4] = { 127, 0, 0, 1 };
	static const uint8_t v6[16] = { [15] = 1 };
	struct sl_endpoint ep4, ep6;
	struct sl_srv_event w = { .kind = SL_SRV_WARNING };
	struct sl_err e6;
	int rc, tries = 0;

	do {
		sl_addr_make(&ep4, AF_INET, v4, s->o.port);
		rc = add_listener(s, &ep4, e);
		if (rc < 0)
			return rc;
		sl_addr_make(&ep6, AF_INET6, v6,
			     sl_addr_port((struct sockaddr *)&s->eps[0].ss));
		rc = add_listener(s, &ep6, &e6);
		if (rc == 0)
			return 0;
		if (rc != -EADDRINUSE || s->o.port != 0)
			break;
		/* the free IPv4 port is taken on ::1: draw another */
		close(s->ls[0].fd);
		s->nls = 0;
	} while (++tries < 16);
	if (rc == -EADDRINUSE) {
		*e = e6;
		return rc;
	}
	w.reason = e6.msg;
	srv_emit(s, &w);
	return 0;
}

/* Every bind asking for port 0 shares the first free port drawn, so one
 * port number reaches the server whatever address a client uses. */
static int open_binds(struct sl_server *s, struct sl_err *e)
{
	uint16_t drawn = 0;
	int rc = 0;

	for (size_t i = 0; i < s->o.nbinds && i < SL_SERVE_MAX_BINDS; i++) {
		struct sl_endpoint ep = s->o.binds[i];
		int zero = sl_addr_port((struct sockaddr *)&ep.ss) == 0;

		if (zero && drawn) {
			if (ep.ss.ss_family == AF_INET)
				((struct sockaddr_in *)&ep.ss)->sin_port = htons(drawn);
			else
				((struct sockaddr_in6 *)&ep.ss)->sin6_port = htons(drawn);
		}
		if ((rc = add_listener(s, &ep, e)) < 0)
			break;
		if (zero && !drawn)
			drawn = sl_addr_port((struct sockaddr *)&s->eps[s->nls - 1].ss);
	}
	return rc;
}

static void stop_now(struct sl_server *s)
{
	s->stopping = 1;
	sl_ev_stop(s->ev);
}

static void stop_fd_cb(struct sl_ev *ev, int fd, unsigned events, void *arg)
{
	struct signalfd_siginfo si;

	(void)ev;
	(void)events;
	/* a signalfd or a pipe: drain what is there, then stop */
	if (read(fd, &si, sizeof(si)) < 0 && errno == EAGAIN)
		return;
	stop_now(arg);
}

static void refuse(struct sl_server *s, int fd, const struct sockaddr *peer,
		   const char *why)
{
	struct sl_srv_event e = { .kind = SL_SRV_BUSY };
	char drain[512];

	send(fd, SL_BUSY_REPLY, sizeof(SL_BUSY_REPLY) - 1,
	     MSG_NOSIGNAL | MSG_DONTWAIT);
	shutdown(fd, SHUT_WR);
	/* unread input would turn the close into a RST that can race the reply */
	while (recv(fd, drain, sizeof(drain), MSG_DONTWAIT) > 0)
		;
	close(fd);
	s->refused++;
	e.peer = peer;
	e.reason = why;
	srv_emit(s, &e);
}

static void accept_cb(struct sl_ev *ev, int lfd, unsigned events, void *arg);

/* sl_ev_mod(fd, 0) forgets the descriptor, so a paused listener is
 * removed and added back, never modified */
static void listeners_watch(struct sl_server *s, int on)
{
	for (size_t i = 0; i < s->nls; i++)
		if (on)
			sl_ev_add(s->ev, s->ls[i].fd, SL_EV_READ, accept_cb, s);
		else
			sl_ev_del(s->ev, s->ls[i].fd);
}

static void resume_cb(struct sl_ev *ev, void *arg)
{
	struct sl_server *s = arg;

	(void)ev;
	s->resume_timer = 0;
	if (s->reserve_fd < 0)
		s->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	s->paused = 0;
	listeners_watch(s, 1);
}

/* Out of descriptors: answer one client through the spare descriptor so
 * it hears why, then stop polling the listeners for a moment so the loop
 * does not spin on a connection it cannot take. */
static void out_of_fds(struct sl_server *s, int lfd)
{
	struct sl_srv_event w = { .kind = SL_SRV_WARNING };
	union sl_sockaddr peer;
	socklen_t plen = sizeof(peer);
	int fd;

	if (s->reserve_fd >= 0) {
		close(s->reserve_fd);
		s->reserve_fd = -1;
		fd = accept4(lfd, &peer.sa, &plen, SOCK_CLOEXEC);
		if (fd >= 0)
			refuse(s, fd, &peer.sa,
			       "out of file descriptors (raise ulimit -n)");
	}
	if (!s->paused) {
		w.reason = "out of file descriptors: new clients are refused until some disconnect; raise the limit with ulimit -n";
		srv_emit(s, &w);
	}
	s->paused = 1;
	listeners_watch(s, 0);
	if (!s->resume_timer)
		s->resume_timer = sl_ev_timer(s->ev, RESUME_MS, resume_cb, s);
}

static void accept_cb(struct sl_ev *ev, int lfd, unsigned events, void *arg)
{
	struct sl_server *s = arg;
	int idx = 0;

	(void)ev;
	(void)events;
	while (idx < (int)s->nls && s->ls[idx].fd != lfd)
		idx++;
	for (int i = 0; i < ACCEPT_BATCH && !s->stopping; i++) {
		union sl_sockaddr peer;
		socklen_t plen = sizeof(peer);
		int fd = accept4(lfd, &peer.sa, &plen,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				out_of_fds(s, lfd);
			/* EAGAIN: drained; ECONNABORTED and the like: next time */
			return;
		}
		if (s->nconns >= s->o.max_conn) {
			refuse(s, fd, &peer.sa,
			       "server busy (--max-conn reached)");
			continue;
		}
		if (conn_open(s, fd, &peer.sa, plen, idx) < 0) {
			refuse(s, fd, &peer.sa, "out of memory");
			continue;
		}
	}
}

int sl_server_new(struct sl_server **out, const struct sl_server_opts *o,
		  struct sl_err *e)
{
	struct sl_server *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s)
		return sl_err_set(e, -ENOMEM, "out of memory");
	s->o = *o;
	s->reserve_fd = -1;
	s->err = e;
	if (o->max_line == 0 || o->max_line > SL_MAX_LINE_LIMIT) {
		rc = sl_err_set(e, -EINVAL,
				"bad --max-line %zu: it must be 1 to %u",
				o->max_line, SL_MAX_LINE_LIMIT);
		goto out;
	}
	s->framer.max_line = o->max_line;
	s->framer.limit = CONN_WBUF_LIMIT;
	s->idle_ms = (uint64_t)(o->idle_timeout_s * 1000.0 + 0.5);
	s->scratch_len = o->max_line + 2 + 64 * 1024;
	s->scratch = malloc(s->scratch_len);
	if (!s->scratch) {
		rc = sl_err_set(e, -ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = sl_ev_new(&s->ev, e)) < 0)
		goto out;
	rc = o->nbinds == 0 ? open_default(s, e) : open_binds(s, e);
	if (rc < 0)
		goto out;
	s->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	*out = s;
	return 0;
out:
	sl_server_free(s);
	return rc;
}

size_t sl_server_listeners(const struct sl_server *s,
			   const struct sl_endpoint **eps)
{
	*eps = s->eps;
	return s->nls;
}

static void shutdown_all(struct sl_server *s)
{
	struct sl_srv_event e = { .kind = SL_SRV_STOPPED };

	for (size_t i = 0; i < s->nls; i++) {
		sl_ev_del(s->ev, s->ls[i].fd);
		close(s->ls[i].fd);
		s->ls[i].fd = -1;
	}
	s->o.once = 0;
	while (s->idle_head)
		conn_close(s, s->idle_head, "server shutting down");
	e.clients = s->clients;
	e.refused = s->refused;
	srv_emit(s, &e);
}

static void idle_cb(struct sl_ev *ev, void *arg)
{
	struct sl_server *s = arg;

	(void)ev;
	s->o.on_idle(s->o.arg);
}

int sl_server_run(struct sl_server *s, struct sl_err *e)
{
	int rc = 0;

	for (size_t i = 0; i < s->nls; i++)
		if ((rc = sl_ev_add(s->ev, s->ls[i].fd, SL_EV_READ,
				    s->o.udp ? udp_read_cb : accept_cb, s)) < 0)
			return sl_err_set(e, rc, "cannot watch the listener: %s",
					  strerror(-rc));
	if (s->o.stop_fd >= 0 &&
	    (rc = sl_ev_add(s->ev, s->o.stop_fd, SL_EV_READ, stop_fd_cb, s)) < 0)
		return sl_err_set(e, rc, "cannot watch for signals: %s",
				  strerror(-rc));
	if (s->o.on_idle)
		sl_ev_on_idle(s->ev, idle_cb, s);
	rc = sl_ev_run(s->ev);
	if (rc < 0)
		sl_err_set(e, rc, "the event loop failed: %s", strerror(-rc));
	if (s->o.stop_fd >= 0)
		sl_ev_del(s->ev, s->o.stop_fd);
	shutdown_all(s);
	return rc;
}

void sl_server_free(struct sl_server *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nls; i++)
		if (s->ls[i].fd >= 0)
			close(s->ls[i].fd);
	while (s->idle_head)
		conn_close(s, s->idle_head, "server shutting down");
	if (s->reserve_fd >= 0)
		close(s->reserve_fd);
	sl_ev_free(s->ev);
	free(s->conns);
	free(s->scratch);
	sl_buf_release(&s->out);
	free(s);
}
