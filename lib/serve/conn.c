/* conn.c - one client: read, frame, reply, flush, expire */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "socklab/line.h"
#include "serve-int.h"

static void idle_unlink(struct sl_server *s, struct conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		s->idle_head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		s->idle_tail = c->prev;
	c->prev = c->next = NULL;
}

static void idle_timer_cb(struct sl_ev *ev, void *arg);

static void idle_arm(struct sl_server *s)
{
	uint64_t now, due;

	if (!s->idle_ms || s->idle_timer || !s->idle_head)
		return;
	now = sl_ev_now(s->ev);
	due = s->idle_head->last_ms + s->idle_ms;
	s->idle_timer = sl_ev_timer(s->ev, due > now ? due - now : 0,
				    idle_timer_cb, s);
	if (s->idle_timer < 0)
		s->idle_timer = 0;
}

/* O(1): the idle list stays ordered by last activity because every
 * connection shares one timeout, so only its head can be due. */
static void idle_touch(struct sl_server *s, struct conn *c)
{
	c->last_ms = sl_ev_now(s->ev);
	if (s->idle_tail == c)
		return;
	if (c->prev || c->next || s->idle_head == c)
		idle_unlink(s, c);
	c->prev = s->idle_tail;
	if (s->idle_tail)
		s->idle_tail->next = c;
	else
		s->idle_head = c;
	s->idle_tail = c;
	idle_arm(s);
}

void conn_expire_idle(struct sl_server *s)
{
	uint64_t now = sl_now_ms();

	while (s->idle_head && s->idle_head->last_ms + s->idle_ms <= now) {
		struct conn *c = s->idle_head;

		conn_close(s, c, c->rlen ? "idle timeout with a partial line: the client must end its name with a newline"
					 : "idle timeout");
	}
	idle_arm(s);
}

static void idle_timer_cb(struct sl_ev *ev, void *arg)
{
	struct sl_server *s = arg;

	(void)ev;
	s->idle_timer = 0;
	conn_expire_idle(s);
}

const struct sockaddr *conn_local(struct sl_server *s, struct conn *c,
				  union sl_sockaddr *tmp)
{
	struct listener *l = &s->ls[c->listener];
	socklen_t len = sizeof(*tmp);

	/* a specific bind address is the connection's local address too */
	if (!l->wildcard || getsockname(c->fd, &tmp->sa, &len) < 0)
		return (const struct sockaddr *)&l->ep.ss;
	return &tmp->sa;
}

void conn_close(struct sl_server *s, struct conn *c, const char *reason)
{
	struct sl_srv_event e = { .kind = SL_SRV_CLOSED };

	e.peer = &c->peer.sa;
	e.lines = c->lines;
	e.bytes_in = c->bytes_in;
	e.bytes_out = c->bytes_out;
	e.reason = reason;
	srv_emit(s, &e);
	idle_unlink(s, c);
	s->conns[c->fd] = NULL;
	sl_ev_close(s->ev, c->fd);
	free(c->rbuf);
	free(c->wbuf);
	free(c);
	s->nconns--;
	if (s->o.once)
		sl_ev_stop(s->ev);
}

static void conn_events(struct sl_ev *ev, int fd, unsigned events, void *arg);

static void set_interest(struct sl_server *s, struct conn *c)
{
	unsigned want = 0;

	c->reading = !c->eof && c->wlen < CONN_WBUF_LIMIT;
	if (c->reading)
		want |= SL_EV_READ;
	if (c->wlen)
		want |= SL_EV_WRITE;
	/* nothing to read or write: only a pending flush can be waited on */
	sl_ev_mod(s->ev, c->fd, want ? want : SL_EV_WRITE);
}

/* Sends what it can of p; the rest joins the connection's backlog. */
static int conn_send(struct sl_server *s, struct conn *c, const char *p,
		     size_t n)
{
	ssize_t w = 0;
	char *nb;

	if (!c->wlen) {
		w = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -errno;
			w = 0;
		}
		c->bytes_out += (uint64_t)w;
		if ((size_t)w == n)
			return 0;
	}
	nb = realloc(c->wbuf, c->wlen + (n - (size_t)w));
	if (!nb)
		return -ENOMEM;
	memcpy(nb + c->wlen, p + w, n - (size_t)w);
	c->wbuf = nb;
	c->wlen += (uint32_t)(n - (size_t)w);
	set_interest(s, c);
	return 0;
}

static int conn_flush(struct sl_server *s, struct conn *c)
{
	ssize_t w = send(c->fd, c->wbuf + c->woff, c->wlen - c->woff,
			 MSG_NOSIGNAL | MSG_DONTWAIT);

	if (w < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	c->bytes_out += (uint64_t)w;
	c->woff += (uint32_t)w;
	if (c->woff == c->wlen) {
		free(c->wbuf);
		c->wbuf = NULL;
		c->wlen = c->woff = 0;
	}
	idle_touch(s, c);
	set_interest(s, c);
	return 0;
}

/* Answers one line; returns 1 when the connection must close after it. */
static int answer_line(struct sl_server *s, struct conn *c,
		       const struct sl_line *line, unsigned reads,
		       struct sl_buf *out)
{
	struct sl_srv_event e = { .kind = SL_SRV_RECEIVED };
	enum sl_hello_verdict v;
	size_t n;

	if (sl_buf_reserve(out, SL_HELLO_REPLY_MAX(line->len)) < 0)
		return 1;
	n = sl_hello_reply(line, out->data + out->len, &v);
	c->lines++;
	e.peer = &c->peer.sa;
	if (v == SL_HELLO_OK) {
		e.data = line->p;
		e.len = line->len;
		e.reads = reads;
	} else {
		e.kind = SL_SRV_REJECTED;
		e.data = out->data + out->len;
		e.len = n;
	}
	out->len += n;
	srv_emit(s, &e);
	return 0;
}

static void reject_too_long(struct sl_server *s, struct conn *c,
			    struct sl_buf *out)
{
	struct sl_srv_event e = { .kind = SL_SRV_REJECTED };
	char reply[80];
	size_t n = sl_hello_too_long(s->o.max_line, reply, sizeof(reply));

	e.peer = &c->peer.sa;
	e.data = reply;
	e.len = n;
	srv_emit(s, &e);
	sl_buf_append(out, reply, n);
}

/* Frames every complete line of buf[0..n); keeps the remainder.  Returns
 * 1 when the connection must close (line too long). */
static int process_input(struct sl_server *s, struct conn *c, char *buf,
			 size_t n, unsigned reads, struct sl_buf *out)
{
	size_t off = 0;
	struct sl_line line;
	ssize_t k;

	while (off < n) {
		k = sl_frame_next(buf + off, n - off, s->o.max_line, &line);
		if (k == SL_FRAME_MORE)
			break;
		if (k == SL_FRAME_TOO_LONG) {
			reject_too_long(s, c, out);
			return 1;
		}
		answer_line(s, c, &line, reads, out);
		reads = 1;
		off += (size_t)k;
	}
	if (c->eof && off < n) {
		k = sl_frame_last(buf + off, n - off, s->o.max_line, &line);
		if (k == SL_FRAME_TOO_LONG) {
			reject_too_long(s, c, out);
			return 1;
		}
		answer_line(s, c, &line, reads, out);
		off = n;
	}
	/* keep the partial line, in an allocation of exactly its size */
	if (off < n) {
		char *nb = realloc(c->rbuf, n - off);

		if (!nb)
			return 1;
		memmove(nb, buf + off, n - off);
		c->rbuf = nb;
		c->rlen = (uint32_t)(n - off);
		c->partial_reads = (uint8_t)(reads < 255 ? reads : 255);
	} else {
		free(c->rbuf);
		c->rbuf = NULL;
		c->rlen = 0;
	}
	return 0;
}

static void conn_read(struct sl_server *s, struct conn *c)
{
	size_t have = c->rlen, room = s->scratch_len - have;
	struct sl_buf out = SL_BUF_INIT;
	unsigned reads;
	int must_close, send_err = 0;
	ssize_t r;

	if (have)
		memcpy(s->scratch, c->rbuf, have);
	r = recv(c->fd, s->scratch + have, room, MSG_DONTWAIT);
	if (r < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		conn_close(s, c, errno == ECONNRESET ?
			"reset by the client (RST): it closed with unread data or exited" :
			sl_errno_words(errno));
		return;
	}
	if (r == 0)
		c->eof = 1;
	c->bytes_in += (uint64_t)r;
	reads = have ? (unsigned)c->partial_reads + (r > 0) : 1;
	idle_touch(s, c);
	must_close = process_input(s, c, s->scratch, have + (size_t)r, reads,
				   &out);
	if (out.len && (send_err = conn_send(s, c, out.data, out.len)) < 0)
		must_close = 2;
	sl_buf_release(&out);
	if (must_close == 1) {
		/* the reply went out first; then FIN, not a silent drop */
		shutdown(c->fd, SHUT_WR);
		conn_close(s, c, "line too long");
	} else if (must_close) {
		conn_close(s, c, send_err == -ECONNRESET || send_err == -EPIPE ?
			   "reset by the client (RST) before it read the replies" :
			   "cannot send the reply");
	} else if (c->eof && !c->wlen) {
		conn_close(s, c, NULL);
	} else {
		set_interest(s, c);
	}
}

static void conn_events(struct sl_ev *ev, int fd, unsigned events, void *arg)
{
	struct sl_server *s = arg;
	struct conn *c = s->conns[fd];

	(void)ev;
	if (!c)
		return;
	if ((events & SL_EV_WRITE) && c->wlen) {
		if (conn_flush(s, c) < 0) {
			conn_close(s, c, "reset by the client before it read the reply");
			return;
		}
		if (c->eof && !c->wlen) {
			conn_close(s, c, NULL);
			return;
		}
	}
	if ((events & (SL_EV_READ | SL_EV_HUP)) && c->reading)
		conn_read(s, c);
	else if ((events & SL_EV_HUP) && !c->wlen)
		conn_close(s, c, "hang-up");
}

int conn_open(struct sl_server *s, int fd, const struct sockaddr *peer,
	      socklen_t plen, int listener)
{
	struct sl_srv_event e = { .kind = SL_SRV_ACCEPTED };
	union sl_sockaddr tmp;
	struct conn *c;

	if (fd >= s->nconns_slots) {
		int n = s->nconns_slots ? s->nconns_slots : 256;
		struct conn **p;

		while (n <= fd)
			n *= 2;
		p = realloc(s->conns, (size_t)n * sizeof(*p));
		if (!p)
			return -ENOMEM;
		memset(p + s->nconns_slots, 0,
		       (size_t)(n - s->nconns_slots) * sizeof(*p));
		s->conns = p;
		s->nconns_slots = n;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->fd = fd;
	c->listener = (uint8_t)listener;
	memcpy(&c->peer, peer, plen < sizeof(c->peer) ? plen : sizeof(c->peer));
	if (sl_ev_add(s->ev, fd, SL_EV_READ, conn_events, s) < 0) {
		free(c);
		return -ENOMEM;
	}
	c->reading = 1;
	s->conns[fd] = c;
	s->nconns++;
	s->clients++;
	e.peer = &c->peer.sa;
	e.local = conn_local(s, c, &tmp);
	srv_emit(s, &e);
	idle_touch(s, c);
	return 0;
}
