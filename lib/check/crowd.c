/* crowd.c - twenty clients at once, each with a name of its own: are they
 * all answered, each with its own name, and how long did the last wait */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check-int.h"

/* A connect that took this long waited for a retried SYN (the first
 * retry is after one second). */
#define SYN_RETRY_MS 900
/* The last answer later than this means the clients were served one
 * after another. */
#define SLOW_MS 1000

enum { M_CONNECTING, M_READING, M_ANSWERED, M_WRONG, M_CLOSED, M_RESET,
       M_REFUSED, M_WAITING, M_KINDS };

struct member {
	int fd;
	int state;
	char name[256];
	struct sl_buf in;
	uint64_t connect_ms, done_ms;
};

struct crowd {
	struct member m[CK_CROWD];
	uint64_t t0;
	unsigned count[M_KINDS];
};

static void finish(struct crowd *w, struct member *m, int state)
{
	m->state = state;
	m->done_ms = sl_now_ms() - w->t0;
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
}

static void on_connected(struct crowd *w, struct member *m)
{
	char line[300];
	int rc = sl_connect_result(m->fd);
	int n;

	m->connect_ms = sl_now_ms() - w->t0;
	if (rc < 0) {
		finish(w, m, rc == -ECONNRESET ? M_RESET : M_REFUSED);
		return;
	}
	n = snprintf(line, sizeof(line), "%s\n", m->name);
	/* a few bytes into an empty send buffer: all of it goes */
	if (send(m->fd, line, (size_t)n, MSG_NOSIGNAL) != n) {
		finish(w, m, M_RESET);
		return;
	}
	m->state = M_READING;
}

static void on_readable(struct crowd *w, struct member *m, int named)
{
	char tmp[1024];
	ssize_t r = recv(m->fd, tmp, sizeof(tmp), MSG_DONTWAIT);

	if (r > 0) {
		if (m->in.len < 4096)
			sl_buf_append(&m->in, tmp, (size_t)r);
		if (!named || (ck_has(&m->in, m->name) &&
			       m->in.data[m->in.len - 1] == '\n'))
			finish(w, m, M_ANSWERED);
		return;
	}
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r == 0 && m->in.len)
		finish(w, m, named && !ck_has(&m->in, m->name) ? M_WRONG
							    : M_ANSWERED);
	else
		finish(w, m, r == 0 ? M_CLOSED : M_RESET);
}

/* One round of poll over the clients still going and the server's
 * output; 1 while some go on, 0 when all ended, < 0 stop. */
static int round_trip(struct ck *c, struct crowd *w, int named)
{
	struct pollfd p[CK_CROWD + 2];
	struct member *who[CK_CROWD];
	size_t n = 0;

	for (size_t i = 0; i < CK_CROWD; i++) {
		struct member *m = &w->m[i];

		if (m->fd < 0)
			continue;
		p[n].fd = m->fd;
		p[n].events = m->state == M_CONNECTING ? POLLOUT : POLLIN;
		p[n].revents = 0;
		who[n++] = m;
	}
	if (!n)
		return 0;
	p[n] = (struct pollfd){ c->srv.out_fd, POLLIN, 0 };
	p[n + 1] = (struct pollfd){ c->srv.err_fd, POLLIN, 0 };
	if (poll(p, n + 2, 50) < 0 && errno != EINTR)
		return -errno;
	ck_server_pump(&c->srv);
	if (ck_stopped(c))
		return -EINTR;
	for (size_t i = 0; i < n; i++) {
		if (!p[i].revents)
			continue;
		if (who[i]->state == M_CONNECTING)
			on_connected(w, who[i]);
		else
			on_readable(w, who[i], named);
	}
	return 1;
}

static void start_all(struct ck *c, struct crowd *w)
{
	w->t0 = sl_now_ms();
	for (size_t i = 0; i < CK_CROWD; i++) {
		struct member *m = &w->m[i];

		sl_buf_init(&m->in);
		snprintf(m->name, sizeof(m->name), "%s-%02zu", c->o->name, i + 1);
		m->fd = sl_connect_start(&c->ep, NULL);
		m->state = M_CONNECTING;
		if (m->fd < 0)
			finish(w, m, M_REFUSED);
	}
}

/* The backlog of the listener the probes go to, 0 when unknown. */
static unsigned backlog(const struct ck *c)
{
	uint16_t port = c->sum->port;

	for (size_t i = 0; i < c->listeners.n; i++)
		if (sl_addr_port((const struct sockaddr *)&c->listeners.v[i].local.ss) == port)
			return c->listeners.v[i].wqueue;
	return 0;
}

static void judge(struct ck *c, struct sl_probe *p, struct crowd *w)
{
	static const char *const words[M_KINDS] = {
		[M_WRONG] = "got an answer without its own name",
		[M_CLOSED] = "closed without an answer",
		[M_RESET] = "reset", [M_REFUSED] = "refused",
		[M_WAITING] = "still waiting at the end",
	};
	uint64_t last = 0;
	unsigned slow = 0, *k = w->count;

	for (size_t i = 0; i < CK_CROWD; i++) {
		k[w->m[i].state]++;
		if (w->m[i].state == M_ANSWERED && w->m[i].done_ms > last)
			last = w->m[i].done_ms;
		slow += w->m[i].connect_ms > SYN_RETRY_MS;
	}
	c->served += k[M_ANSWERED];
	sl_buf_printf(&p->saw, "%u of %d answered", k[M_ANSWERED], CK_CROWD);
	if (k[M_ANSWERED] == CK_CROWD) {
		sl_buf_printf(&p->saw, ", each with its own name, the last after %llu ms",
			      (unsigned long long)last);
		if (slow)
			ck_verdict(p, SL_NOTE, "listen with a longer backlog (listen(s, 128)) and serve each client in a thread",
				   "; %u waited over a second to connect: the accept queue (backlog %u) was full, so the kernel dropped their SYNs until they retried",
				   slow, backlog(c));
		else if (last > SLOW_MS)
			ck_verdict(p, SL_NOTE, "serve each client in a thread (or with select/poll) so that clients do not wait for one another",
				   ": served one after another");
		else
			p->verdict = SL_PASS;
		return;
	}
	for (int s = M_WRONG; s < M_KINDS; s++)
		if (k[s])
			sl_buf_printf(&p->saw, ", %u %s", k[s], words[s]);
	ck_verdict(p, SL_FAIL, k[M_WRONG] ? "keep each client's data apart: nothing shared between the threads that serve them"
					  : "take many clients at once: a longer listen() backlog, a thread per client, and errors of one client caught so they end only that client",
		   NULL);
}

void ck_probe_crowd(struct ck *c, struct sl_probe *p)
{
	uint64_t deadline = sl_now_ms() + 4 * (uint64_t)c->o->timeout_ms;
	int named = c->named, rc = 1;
	struct crowd w;

	memset(&w, 0, sizeof(w));
	sl_buf_printf(&p->did, "connected %d clients at once, each sending its own name (%s-01 ... %s-%02d)",
		      CK_CROWD, c->o->name, c->o->name, CK_CROWD);
	start_all(c, &w);
	while (rc > 0 && sl_now_ms() < deadline)
		rc = round_trip(c, &w, named);
	for (size_t i = 0; i < CK_CROWD; i++) {
		if (w.m[i].fd >= 0)
			finish(&w, &w.m[i], M_WAITING);
		sl_buf_release(&w.m[i].in);
	}
	if (rc == -EINTR)
		return;
	if (rc < 0)
		c->fatal = sl_err_set(c->e, rc, "cannot wait for the clients' answers: %s",
				      strerror(-rc));
	judge(c, p, &w);
}
