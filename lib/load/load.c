/* load.c - the load run: a fixed set of slots, each a small state machine
 * (connecting -> waiting for the reply -> closed, then the next exchange),
 * driven by the event loop.  On loopback a non-blocking connect has
 * usually completed by the time connect() returns, so the line is sent at
 * once and a slot costs one epoll registration per exchange. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "socklab/ev.h"
#include "socklab/load.h"

enum slot_state {
	SLOT_FREE,
	SLOT_SENDING,	/* connect in progress or line partly sent */
	SLOT_WAITING,	/* line sent: waiting for the reply */
	SLOT_HELD,	/* hold: half the line sent, holding */
};

struct slot {
	struct run *r;
	int fd;
	uint8_t state;
	uint32_t woff;		/* bytes of the line sent */
	uint32_t wend;		/* send up to here in this state */
	uint32_t rlen;
	char *rbuf;		/* rcap bytes: the reply and "\r\n" fit */
	uint64_t t0_ns;
	uint64_t deadline_ns;	/* not checked while held */
};

enum phase { PHASE_RUN, PHASE_HOLD, PHASE_COMPLETE, PHASE_DONE };

struct run {
	const struct sl_load_opts *o;
	struct sl_load_stats *st;
	struct sl_ev *ev;
	struct slot *slots;
	unsigned nslots;
	unsigned *free;		/* stack of free slot indices */
	unsigned nfree;
	unsigned sending;	/* slots in SLOT_SENDING */
	char *line, *want, *rbufs;
	size_t linelen, wantlen, rcap;
	uint64_t budget;	/* exchanges (or connections) to start */
	uint64_t started;
	uint64_t t0_ns, t0_ms;
	uint64_t last_ns;	/* when the last slot finished */
	enum phase phase;
	int in_fill;
	int rate_armed;
	uint64_t sweep_ms;
};

static const char *const err_names[SL_LOAD_NERR] = {
	[SL_LOAD_REFUSED] = "refused",
	[SL_LOAD_RESET] = "reset",
	[SL_LOAD_TIMEOUT] = "timeout",
	[SL_LOAD_WRONG] = "wrong_reply",
	[SL_LOAD_CLOSED] = "closed",
	[SL_LOAD_LOCAL] = "local",
	[SL_LOAD_OTHER] = "other",
};

const char *sl_load_err_name(enum sl_load_err k)
{
	return (unsigned)k < SL_LOAD_NERR ? err_names[k] : "other";
}

uint64_t sl_load_errors(const struct sl_load_stats *st)
{
	uint64_t n = 0;

	for (int k = 0; k < SL_LOAD_NERR; k++)
		n += st->errors[k];
	return n;
}

void sl_load_opts_init(struct sl_load_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->name = "alice";
	o->exchanges = 10000;
	o->concurrency = 64;
	o->timeout_ms = 5000;
}

static enum sl_load_err kind_of(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return SL_LOAD_REFUSED;
	case ECONNRESET:
	case EPIPE:
		return SL_LOAD_RESET;
	case ETIMEDOUT:
		return SL_LOAD_TIMEOUT;
	case EADDRNOTAVAIL:
	case EADDRINUSE:
	case EMFILE:
	case ENFILE:
	case ENOBUFS:
	case ENOMEM:
		return SL_LOAD_LOCAL;
	default:
		return SL_LOAD_OTHER;
	}
}

static void fill(struct run *r);

static int all_done(const struct run *r)
{
	return r->nfree == r->nslots && r->phase != PHASE_HOLD &&
	       (r->started >= r->budget || r->phase == PHASE_DONE);
}

static void check_done(struct run *r)
{
	if (all_done(r)) {
		r->phase = PHASE_DONE;
		sl_ev_stop(r->ev);
	}
}

static void count_error(struct sl_load_stats *st, enum sl_load_err kind,
			int err)
{
	st->errors[kind]++;
	if ((kind == SL_LOAD_OTHER || kind == SL_LOAD_LOCAL) && !st->other_errno)
		st->other_errno = err;
}

static void release(struct run *r, struct slot *s)
{
	if (s->state == SLOT_SENDING)
		r->sending--;
	sl_ev_close(r->ev, s->fd);
	s->fd = -1;
	s->state = SLOT_FREE;
	r->free[r->nfree++] = (unsigned)(s - r->slots);
	r->last_ns = sl_now_ns();
}

/* Ends an exchange: ok when kind < 0, else an error of that kind. */
static void finish(struct run *r, struct slot *s, int kind, int err)
{
	struct sl_load_stats *st = r->st;

	release(r, s);
	/* a reply seen after the deadline (the sweep had not come round
	 * yet) is late all the same: max latency never exceeds the timeout */
	if (kind < 0 && r->last_ns > s->deadline_ns)
		kind = SL_LOAD_TIMEOUT;
	if (kind < 0) {
		st->ok++;
		sl_hist_add(&st->latency, r->last_ns - s->t0_ns);
	} else {
		count_error(st, (enum sl_load_err)kind, err);
	}
	fill(r);
	check_done(r);
}

static void fail_errno(struct run *r, struct slot *s, int err)
{
	finish(r, s, (int)kind_of(err), err);
}

static void slot_events(struct sl_ev *ev, int fd, unsigned events, void *arg);

/* Sends the line up to s->wend: 1 when it is all out (the slot moved on
 * to waiting or held), 0 when the socket is not ready yet, a negative
 * errno on an error. */
static int try_send(struct run *r, struct slot *s)
{
	ssize_t w = send(s->fd, r->line + s->woff, s->wend - s->woff,
			 MSG_NOSIGNAL | MSG_DONTWAIT);

	if (w < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ||
		       errno == EINTR || errno == ENOTCONN ? 0 : -errno;
	s->woff += (uint32_t)w;
	if (s->woff < s->wend)
		return 0;
	r->sending--;
	s->state = s->wend < r->linelen ? SLOT_HELD : SLOT_WAITING;
	return 1;
}

/* Writable (or an error) while sending. */
static void push(struct run *r, struct slot *s)
{
	int rc = try_send(r, s);

	if (rc < 0) {
		fail_errno(r, s, -rc);
		return;
	}
	if (rc == 0)
		return;
	sl_ev_mod(r->ev, s->fd, SL_EV_READ);
	if (s->state == SLOT_HELD && r->phase == PHASE_RUN) {
		fill(r);
		check_done(r);
	}
}

/* Starts an exchange on slot s; 0, or a negative errno when it failed at
 * once (the slot is free again and the failure counted). */
static int start(struct run *r, struct slot *s)
{
	const struct sl_endpoint *ep = &r->o->ep;
	int fd, rc;

	r->started++;
	s->t0_ns = sl_now_ns();
	s->deadline_ns = s->t0_ns + r->o->timeout_ms * 1000000u;
	s->woff = s->rlen = 0;
	s->wend = (uint32_t)(r->o->hold ? r->linelen / 2 : r->linelen);
	fd = socket(ep->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	if (connect(fd, (const struct sockaddr *)&ep->ss, ep->len) < 0 &&
	    errno != EINPROGRESS) {
		rc = -errno;
		goto out;
	}
	s->fd = fd;
	s->state = SLOT_SENDING;
	r->sending++;
	/* one registration per exchange: for the reply when the line went
	 * out at once (the usual case on loopback), else for writability */
	rc = try_send(r, s);
	if (rc >= 0)
		rc = sl_ev_add(r->ev, fd, s->state == SLOT_SENDING ?
			       SL_EV_WRITE : SL_EV_READ, slot_events, s);
	if (rc >= 0) {
		r->nfree--;
		return 0;
	}
	if (s->state == SLOT_SENDING)
		r->sending--;
	s->state = SLOT_FREE;
out:
	if (fd >= 0)
		close(fd);
	count_error(r->st, kind_of(-rc), -rc);
	r->last_ns = sl_now_ns();
	return rc;
}

static void rate_tick(struct sl_ev *ev, void *arg)
{
	struct run *r = arg;

	(void)ev;
	r->rate_armed = 0;
	fill(r);
	check_done(r);
}

/* With --rate: may one more connect start now?  If not, wake up when it
 * may. */
static int rate_allows(struct run *r)
{
	uint64_t now, allowed, next;

	if (!r->o->rate)
		return 1;
	now = sl_now_ms() - r->t0_ms;
	allowed = 1 + now * r->o->rate / 1000u;
	if (r->started < allowed)
		return 1;
	if (!r->rate_armed) {
		next = r->started * 1000u / r->o->rate;
		sl_ev_timer(r->ev, next > now ? next - now : 1, rate_tick, r);
		r->rate_armed = 1;
	}
	return 0;
}

static void hold_over(struct sl_ev *ev, void *arg);

/* Every connection of a hold run is open (or failed): start holding. */
static void begin_hold(struct run *r)
{
	uint64_t held = 0;

	for (unsigned i = 0; i < r->nslots; i++)
		held += r->slots[i].state == SLOT_HELD;
	r->st->held = held;
	if (!held) {
		r->phase = PHASE_COMPLETE;	/* nothing to hold */
		return;
	}
	r->phase = PHASE_HOLD;
	if (r->o->on_hold)
		r->o->on_hold(held, r->o->arg);
	sl_ev_timer(r->ev, r->o->duration_ms, hold_over, r);
}

/* Starts exchanges on free slots while the budget, the rate and (to
 * hold) the connects in flight allow.  Not re-entered: a slot freed by a
 * failure inside start() is picked up by this same loop, so a run of
 * immediate failures never deepens the stack. */
static void fill(struct run *r)
{
	if (r->in_fill)
		return;
	r->in_fill = 1;
	while (r->phase == PHASE_RUN && r->nfree && r->started < r->budget) {
		if (r->o->hold && r->sending >= r->o->concurrency)
			break;
		if (!rate_allows(r))
			break;
		if (start(r, &r->slots[r->free[r->nfree - 1]]) < 0 &&
		    r->o->duration_ms && !r->o->hold &&
		    sl_now_ms() >= r->t0_ms + r->o->duration_ms)
			r->phase = PHASE_DONE;	/* failing fast: still bounded */
	}
	r->in_fill = 0;
	if (r->o->hold && r->phase == PHASE_RUN && r->started >= r->budget &&
	    !r->sending)
		begin_hold(r);
}

/* The hold is over: send the rest of every held line, time the replies. */
static void hold_over(struct sl_ev *ev, void *arg)
{
	struct run *r = arg;
	uint64_t now = sl_now_ns();
	int rc;

	(void)ev;
	r->phase = PHASE_COMPLETE;
	for (unsigned i = 0; i < r->nslots; i++) {
		struct slot *s = &r->slots[i];

		if (s->state != SLOT_HELD)
			continue;
		s->t0_ns = now;
		s->deadline_ns = now + r->o->timeout_ms * 1000000u;
		s->wend = (uint32_t)r->linelen;
		s->state = SLOT_SENDING;
		r->sending++;
		/* still registered for reading: only a short send waits */
		rc = try_send(r, s);
		if (rc < 0)
			fail_errno(r, s, -rc);
		else if (rc == 0)
			sl_ev_mod(r->ev, s->fd, SL_EV_WRITE);
	}
	check_done(r);
}

static void on_readable(struct run *r, struct slot *s)
{
	ssize_t n = recv(s->fd, s->rbuf + s->rlen, r->rcap - s->rlen, 0);
	enum sl_reply_verdict v;
	struct sl_load_stats *st = r->st;

	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			fail_errno(r, s, errno);
		return;
	}
	if (n == 0) {
		finish(r, s, SL_LOAD_CLOSED, 0);
		return;
	}
	s->rlen += (uint32_t)n;
	v = sl_reply_check(s->rbuf, s->rlen, r->want, r->wantlen);
	if (v == SL_REPLY_MORE && s->state == SLOT_WAITING)
		return;
	if (v != SL_REPLY_OK || s->state != SLOT_WAITING) {
		if (!st->wronglen) {
			st->wronglen = s->rlen < sizeof(st->wrong) ?
				       s->rlen : sizeof(st->wrong);
			memcpy(st->wrong, s->rbuf, st->wronglen);
		}
		finish(r, s, SL_LOAD_WRONG, 0);
		return;
	}
	finish(r, s, -1, 0);
}

static void slot_events(struct sl_ev *ev, int fd, unsigned events, void *arg)
{
	struct slot *s = arg;
	struct run *r = s->r;

	(void)ev;
	(void)fd;
	if (s->state == SLOT_SENDING)
		push(r, s);
	else if (events & (SL_EV_READ | SL_EV_HUP))
		on_readable(r, s);
}

/* Gives up exchanges past their deadline; re-arms itself while running. */
static void sweep(struct sl_ev *ev, void *arg)
{
	struct run *r = arg;
	uint64_t now = sl_now_ns();

	for (unsigned i = 0; i < r->nslots && r->phase != PHASE_DONE; i++) {
		struct slot *s = &r->slots[i];

		if (s->state != SLOT_FREE && s->state != SLOT_HELD &&
		    s->deadline_ns <= now)
			finish(r, s, SL_LOAD_TIMEOUT, 0);
	}
	if (r->phase != PHASE_DONE)
		sl_ev_timer(ev, r->sweep_ms, sweep, r);
}

/* The duration is over: what is still in flight is left unfinished. */
static void duration_over(struct sl_ev *ev, void *arg)
{
	struct run *r = arg;

	r->phase = PHASE_DONE;
	for (unsigned i = 0; i < r->nslots; i++)
		if (r->slots[i].state != SLOT_FREE) {
			release(r, &r->slots[i]);
			r->st->unfinished++;
		}
	sl_ev_stop(ev);
}

static int prepare(struct run *r, const struct sl_load_opts *o,
		   struct sl_err *e)
{
	size_t namelen = strlen(o->name);

	r->nslots = o->hold ? o->hold : o->concurrency;
	r->budget = o->hold ? o->hold : o->exchanges;
	r->linelen = namelen + 1;
	r->wantlen = namelen + 8;	/* "Hello, " NAME "!" */
	/* room for the reply and "\r\n", and for a wrong one to be shown */
	r->rcap = r->wantlen + 2 < 64 ? 64 : r->wantlen + 2;
	r->line = malloc(r->linelen);
	r->want = malloc(r->wantlen + 1);
	r->slots = calloc(r->nslots, sizeof(*r->slots));
	r->free = calloc(r->nslots, sizeof(*r->free));
	r->rbufs = malloc(r->nslots * r->rcap);
	if (!r->line || !r->want || !r->slots || !r->free || !r->rbufs)
		return sl_err_set(e, -ENOMEM,
			"out of memory for %u connections", r->nslots);
	memcpy(r->line, o->name, namelen);
	r->line[namelen] = '\n';
	snprintf(r->want, r->wantlen + 1, "Hello, %s!", o->name);
	for (unsigned i = 0; i < r->nslots; i++) {
		r->slots[i].r = r;
		r->slots[i].fd = -1;
		r->slots[i].rbuf = r->rbufs + i * r->rcap;
		r->free[i] = r->nslots - 1 - i;
	}
	r->nfree = r->nslots;
	r->sweep_ms = o->timeout_ms / 10;
	if (r->sweep_ms < 10)
		r->sweep_ms = 10;
	if (r->sweep_ms > 100)
		r->sweep_ms = 100;
	return 0;
}

static int check_opts(const struct sl_load_opts *o, struct sl_err *e)
{
	if (!o->name || strchr(o->name, '\n') || strlen(o->name) > 4096)
		return sl_err_set(e, -EINVAL,
			"the name must be one line of at most 4096 bytes");
	if ((!o->hold && (!o->exchanges || !o->concurrency)) ||
	    !o->timeout_ms || (o->hold && !o->duration_ms))
		return sl_err_set(e, -EINVAL,
			"a load needs exchanges, concurrency, a timeout and, to hold, a duration");
	return 0;
}

int sl_load_run(const struct sl_load_opts *o, struct sl_load_stats *st,
		struct sl_err *e)
{
	struct run r = { .o = o, .st = st };
	int rc;

	memset(st, 0, sizeof(*st));
	sl_hist_init(&st->latency);
	if ((rc = check_opts(o, e)) < 0)
		return rc;
	if ((rc = prepare(&r, o, e)) < 0)
		goto out;
	if ((rc = sl_ev_new(&r.ev, e)) < 0)
		goto out;
	r.t0_ns = r.last_ns = sl_now_ns();
	r.t0_ms = r.t0_ns / 1000000u;
	sl_ev_timer(r.ev, r.sweep_ms, sweep, &r);
	if (!o->hold && o->duration_ms)
		sl_ev_timer(r.ev, o->duration_ms, duration_over, &r);
	fill(&r);
	check_done(&r);
	if (r.phase != PHASE_DONE && (rc = sl_ev_run(r.ev)) < 0) {
		sl_err_set(e, rc, "waiting for events failed: %s",
			   strerror(-rc));
		goto out;
	}
	rc = 0;
	for (unsigned i = 0; i < r.nslots; i++)
		if (r.slots[i].state != SLOT_FREE) {
			release(&r, &r.slots[i]);
			st->unfinished++;
		}
	st->elapsed_ns = r.last_ns - r.t0_ns;
out:
	sl_ev_free(r.ev);
	free(r.line);
	free(r.want);
	free(r.slots);
	free(r.free);
	free(r.rbufs);
	return rc;
}
