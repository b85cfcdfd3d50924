/* conn.c - one client connection of a probe: connect, send, and read the
 * answer the way a patient client would, every wait bounded */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check-int.h"

/* Once the answer holds what is wanted, a line end or this much quiet
 * ends it; an answer without it ends after QUIET_MS of quiet. */
#define SETTLE_MS 100
#define QUIET_MS 500

void ck_conn_init(struct ck_conn *k)
{
	memset(k, 0, sizeof(*k));
	k->fd = -1;
	sl_buf_init(&k->in);
}

int ck_conn_open(struct ck *c, struct ck_conn *k,
		 const struct sl_endpoint *ep)
{
	int one = 1, fd, rc;

	k->t0 = sl_now_ms();
	fd = sl_connect_start(ep, NULL);
	if (fd < 0)
		return k->err = fd;
	k->fd = fd;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	rc = ck_poll(c, fd, POLLOUT, k->t0 + (uint64_t)c->o->timeout_ms);
	if (rc == 0)
		rc = -ETIMEDOUT;
	else if (rc > 0)
		rc = sl_connect_result(fd);
	k->connect_ms = sl_now_ms() - k->t0;
	if (rc < 0) {
		ck_conn_close(k, 0);
		k->err = rc;
	}
	return rc;
}

int ck_conn_send(struct ck *c, struct ck_conn *k, const char *p, size_t n)
{
	uint64_t deadline = sl_now_ms() + (uint64_t)c->o->timeout_ms;

	while (n && k->fd >= 0) {
		ssize_t w = send(k->fd, p, n, MSG_NOSIGNAL);

		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return k->err = -errno;
		if (ck_poll(c, k->fd, POLLOUT, deadline) <= 0)
			return k->err = ck_stopped(c) ? -EINTR : -ETIMEDOUT;
	}
	return 0;
}

int ck_has(const struct sl_buf *in, const char *s)
{
	return in->len && memmem(in->data, in->len, s, strlen(s)) != NULL;
}

static int has_all(const struct sl_buf *in, const char *const *want,
		   size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ck_has(in, want[i]))
			return 0;
	return n > 0;
}

/* Reads what is there: 1 read some, 0 nothing yet, -1 closed or failed
 * (eof / err set). */
static int read_some(struct ck_conn *k)
{
	char tmp[4096];
	ssize_t r = recv(k->fd, tmp, sizeof(tmp), MSG_DONTWAIT);

	if (r > 0) {
		/* an answer is a few lines: a flood is cut, not kept */
		if (k->in.len < 64 * 1024)
			sl_buf_append(&k->in, tmp, (size_t)r);
		return 1;
	}
	if (r == 0) {
		k->eof = 1;
		return -1;
	}
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	k->err = -errno;
	return -1;
}

/* How long to wait now: the whole timeout before any byte, then the
 * settle or quiet time after the last one. */
static uint64_t next_deadline(struct ck *c, const struct ck_conn *k,
			      const char *const *want, size_t nwant,
			      uint64_t start, uint64_t last)
{
	if (!k->in.len)
		return start + (uint64_t)c->o->timeout_ms;
	if (has_all(&k->in, want, nwant))
		return last + SETTLE_MS;
	return last + QUIET_MS;
}

/* 1 the answer ended, 0 silence until the deadline, < 0 stop. */
static int read_answer(struct ck *c, struct ck_conn *k,
		       const char *const *want, size_t nwant)
{
	uint64_t start = sl_now_ms(), last = start;

	while (k->fd >= 0) {
		int rc = ck_poll(c, k->fd, POLLIN,
				 next_deadline(c, k, want, nwant, start, last));

		if (rc < 0)
			return rc;
		if (rc == 0)
			return 0;
		rc = read_some(k);
		if (rc < 0)
			return 1;
		if (rc > 0) {
			last = sl_now_ms();
			if (has_all(&k->in, want, nwant) &&
			    k->in.data[k->in.len - 1] == '\n')
				return 1;
		}
	}
	return 1;
}

int ck_conn_answer(struct ck *c, struct ck_conn *k, const char *const *want,
		   size_t nwant)
{
	int rc;

	if (k->fd < 0)
		return 0;
	rc = read_answer(c, k, want, nwant);
	if (rc < 0)
		return rc;
	if (rc == 0 && !k->in.len && !k->eof && !k->err) {
		/* a server that reads to the end of the stream answers now */
		shutdown(k->fd, SHUT_WR);
		k->half_closed = 1;
		rc = read_answer(c, k, want, nwant);
		if (rc < 0)
			return rc;
		if (!k->in.len)
			k->half_closed = 0;
	}
	return (int)k->in.len;
}

int ck_conn_wait_answer(struct ck *c, struct ck_conn *k,
			const char *const *want, size_t nwant)
{
	int rc = k->fd < 0 ? 0 : read_answer(c, k, want, nwant);

	return rc < 0 ? rc : (int)k->in.len;
}

int ck_conn_send_close(struct ck *c, struct ck_conn *k, const char *p,
		       size_t n)
{
	int one = 1, rc;

	/* corked, the bytes wait and leave with the FIN at close(): the
	 * server cannot answer before the client is gone */
	setsockopt(k->fd, IPPROTO_TCP, TCP_CORK, &one, sizeof(one));
	rc = ck_conn_send(c, k, p, n);
	ck_conn_close(k, 0);
	return rc;
}

int ck_conn_accepted(struct ck *c, const struct ck_conn *k)
{
	struct sl_diag_query q = { SL_DIAG_TCP, SL_DIAG_V4 | SL_DIAG_V6,
				   SL_STATES_ALL, 0, SL_SRC_AUTO, 0 };
	uint64_t deadline = sl_now_ms() + (uint64_t)c->o->timeout_ms;
	struct sl_endpoint mine;
	int rc = 0;

	if (sl_sock_local(k->fd, &mine) < 0)
		return 0;
	/* the server's end of this connection, held by one of its pids:
	 * in the accept queue it is held by nobody */
	q.port = sl_addr_port((const struct sockaddr *)&mine.ss);
	while (rc == 0) {
		struct sl_sock_list l;

		sl_sock_list_init(&l);
		rc = sl_diag_list_tree(&q, c->srv.pid, &l, c->e);
		sl_sock_list_release(&l);
		if (rc < 0)
			return c->fatal = rc;
		if (rc == 0 && ck_poll(c, -1, 0, sl_now_ms() + 5) < 0)
			return -EINTR;
		if (rc == 0 && sl_now_ms() >= deadline)
			return 0;
	}
	return 1;
}

void ck_conn_close(struct ck_conn *k, int reset)
{
	struct linger lg = { 1, 0 };

	if (k->fd < 0)
		return;
	if (reset)
		setsockopt(k->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(k->fd);
	k->fd = -1;
}

void ck_conn_release(struct ck_conn *k)
{
	ck_conn_close(k, 0);
	sl_buf_release(&k->in);
}

int ck_exchange(struct ck *c, struct ck_conn *k, const struct sl_endpoint *ep,
		const char *const *segs, size_t nsegs, const char *const *want,
		size_t nwant)
{
	int rc = ck_conn_open(c, k, ep);

	for (size_t i = 0; i < nsegs && rc == 0; i++) {
		if (i && ck_poll(c, -1, 0, sl_now_ms() + CK_SPLIT_PAUSE_MS) < 0)
			return -EINTR;
		rc = ck_conn_send(c, k, segs[i], strlen(segs[i]));
	}
	if (rc == -EINTR || (k->err && k->fd < 0))
		return rc;
	if (c->shut_first && k->fd >= 0 && !k->err) {
		shutdown(k->fd, SHUT_WR);
		k->half_closed = 1;
	}
	/* a failed send still leaves an answer (or a reset) to read */
	rc = ck_conn_answer(c, k, want, nwant);
	if (k->in.len || (k->eof && !k->err))
		c->served++;
	return rc < 0 ? rc : 0;
}
