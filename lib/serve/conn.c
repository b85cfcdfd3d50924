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

		conn_close(s, c, c->wlen ? "idle timeout with replies unread: the client stopped reading"
				 : c->rlen ? "idle timeout with a partial line: the client must end its name with a newline"
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

/* c->eof: why no more input is read; close once every reply is sent */
enum { EOF_PEER = 1, EOF_TOO_LONG = 2 };

static int conn_reading(const struct conn *c)
{
	return !c->eof && !c->stalled;
}

static void set_interest(struct sl_server *s, struct conn *c)
{
	unsigned want = 0;

	if (conn_reading(c))
		want |= SL_EV_READ;
	if (c->wlen)
		want |= SL_EV_WRITE;
	/* nothing to read or write: only a pending flush can be waited on */
	sl_ev_mod(s->ev, c->fd, want ? want : SL_EV_WRITE);
}

/* Sends what it can of p; the rest joins the connection's backlog. */
static int conn_send(struct conn *c, const char *p, size_t n)
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
	} else if (c->woff) {
		/* the backlog holds unsent bytes only */
		memmove(c->wbuf, c->wbuf + c->woff, c->wlen - c->woff);
		c->wlen -= c->woff;
		c->woff = 0;
	}
	nb = realloc(c->wbuf, c->wlen + (n - (size_t)w));
	if (!nb)
		return -ENOMEM;
	memcpy(nb + c->wlen, p + w, n - (size_t)w);
	c->wbuf = nb;
	c->wlen += (uint32_t)(n - (size_t)w);
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

/* Hands the replies built so far (s->out) to the kernel; what it does
 * not take joins the backlog.  0 or a negative errno. */
static int send_out(struct sl_server *s, struct conn *c)
{
	int rc = s->out.len ? conn_send(c, s->out.data, s->out.len) : 0;

	sl_buf_reset(&s->out);
	/* a reply to a line of up to 1 MiB (--max-line) is not kept around */
	if (s->out.cap > 4 * CONN_WBUF_LIMIT)
		sl_buf_release(&s->out);
	return rc;
}

/* Answers one line into s->out; 0 or -ENOMEM. */
static int answer_line(struct sl_server *s, struct conn *c,
		       const struct sl_line *line, unsigned reads)
{
	struct sl_srv_event e = { .kind = SL_SRV_RECEIVED };
	struct sl_buf *out = &s->out;
	enum sl_hello_verdict v;
	size_t n;

	if (sl_buf_reserve(out, SL_HELLO_REPLY_MAX(line->len)) < 0)
		return -ENOMEM;
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

/* The error for a line over the bound: the last reply before the close. */
static int reject_too_long(struct sl_server *s, struct conn *c)
{
	struct sl_srv_event e = { .kind = SL_SRV_REJECTED };
	char reply[80];
	size_t n = sl_hello_too_long(s->o.max_line, reply, sizeof(reply));

	e.peer = &c->peer.sa;
	e.data = reply;
	e.len = n;
	srv_emit(s, &e);
	c->eof = EOF_TOO_LONG;
	return sl_buf_append(&s->out, reply, n);
}

/* Keeps p[0..n) in rbuf, in an allocation of exactly its size; p points
 * into rbuf itself when in_place. */
static int keep_input(struct conn *c, const char *p, size_t n, int in_place,
		      unsigned reads)
{
	char *nb;

	if (!n) {
		free(c->rbuf);
		c->rbuf = NULL;
		c->rlen = 0;
		return 0;
	}
	if (in_place) {
		memmove(c->rbuf, p, n);
		nb = realloc(c->rbuf, n);
		if (nb)		/* a failed shrink keeps the larger block */
			c->rbuf = nb;
	} else {
		nb = realloc(c->rbuf, n);
		if (!nb)
			return -ENOMEM;
		memcpy(nb, p, n);
		c->rbuf = nb;
	}
	c->rlen = (uint32_t)n;
	c->partial_reads = (uint8_t)(reads < 255 ? reads : 255);
	return 0;
}

/* Answers the lines of buf[0..n) while their replies fit the backlog
 * (CONN_WBUF_LIMIT), and keeps the rest in rbuf: a partial line, or every
 * byte from the line it stopped at.  Stopped, the connection is stalled:
 * it reads nothing more until its backlog drains and the kept lines are
 * answered.  buf is rbuf itself on such a resume.  Returns 0, or a
 * negative errno when the connection must close. */
static int process_input(struct sl_server *s, struct conn *c, char *buf,
			 size_t n, unsigned reads)
{
	size_t off = 0;
	struct sl_line line;
	ssize_t k;
	int rc = 0;

	for (;;) {
		k = sl_frame_bounded(&s->framer, buf + off, n - off,
				     c->wlen - c->woff + s->out.len, c->eof,
				     &line);
		if (k > 0) {
			if ((rc = answer_line(s, c, &line, reads)) < 0)
				break;
			reads = 1;
			off += (size_t)k;
		} else if (k == SL_FRAME_FULL && s->out.len) {
			/* the kernel may take what we have: room again */
			if ((rc = send_out(s, c)) < 0)
				break;
		} else {
			break;
		}
	}
	if (rc == 0 && k == SL_FRAME_TOO_LONG) {
		rc = reject_too_long(s, c);
		off = n;
	}
	c->stalled = k == SL_FRAME_FULL;
	if (rc == 0)
		rc = keep_input(c, buf + off, n - off, buf == c->rbuf, reads);
	if (rc == 0)
		return send_out(s, c);
	sl_buf_reset(&s->out);
	return rc;
}

/* Everything owed is sent: close after the peer's EOF, or after the error
 * for a line over the bound (its FIN first, not a silent drop). */
static void conn_finish(struct sl_server *s, struct conn *c)
{
	if (c->eof == EOF_TOO_LONG) {
		shutdown(c->fd, SHUT_WR);
		conn_close(s, c, "line too long");
	} else {
		conn_close(s, c, NULL);
	}
}

/* After a batch of input: closes the connection (returns 1) or watches
 * it for what comes next (0). */
static int input_done(struct sl_server *s, struct conn *c, int rc)
{
	if (rc < 0) {
		conn_close(s, c, rc == -ECONNRESET || rc == -EPIPE ?
			   "reset by the client (RST) before it read the replies" :
			   rc == -ENOMEM ? "out of memory" :
			   "cannot send the reply");
		return 1;
	}
	if (c->eof && !c->wlen) {
		conn_finish(s, c);
		return 1;
	}
	set_interest(s, c);
	return 0;
}

static void conn_read(struct sl_server *s, struct conn *c)
{
	size_t have = c->rlen, room = s->scratch_len - have;
	unsigned reads;
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
		c->eof = EOF_PEER;
	c->bytes_in += (uint64_t)r;
	reads = have ? (unsigned)c->partial_reads + (r > 0) : 1;
	idle_touch(s, c);
	input_done(s, c, process_input(s, c, s->scratch, have + (size_t)r,
				       reads));
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
		/* drained: answer the kept lines before reading more */
		if (!c->wlen && c->stalled &&
		    input_done(s, c, process_input(s, c, c->rbuf, c->rlen,
						   c->partial_reads)))
			return;
		if (c->eof && !c->wlen) {
			conn_finish(s, c);
			return;
		}
	}
	if ((events & (SL_EV_READ | SL_EV_HUP)) && conn_reading(c))
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
	int rc;

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
	if ((rc = sl_ev_add(s->ev, fd, SL_EV_READ, conn_events, s)) < 0)
		goto out;
	s->conns[fd] = c;
	s->nconns++;
	s->clients++;
	e.peer = &c->peer.sa;
	e.local = conn_local(s, c, &tmp);
	srv_emit(s, &e);
	idle_touch(s, c);
	c = NULL;
out:
	free(c);
	return rc;
}
