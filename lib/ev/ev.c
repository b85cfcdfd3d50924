/* ev.c - the event loop core: descriptor callbacks and a timer heap */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "socklab/ev.h"
#include "backend.h"

#define EV_READY_MAX 512

struct ev_fd {
	sl_ev_fd_cb cb;
	void *arg;
	unsigned events;	/* 0: not registered */
};

struct ev_timer {
	uint64_t when;
	int64_t id;
	sl_ev_timer_cb cb;
	void *arg;
};

struct sl_ev {
	struct ev_backend *be;
	struct ev_fd *fds;	/* indexed by descriptor */
	int nfds;
	struct ev_timer *heap;	/* min-heap on when, then id */
	size_t nheap, capheap;
	int64_t next_id;
	uint64_t now;
	int stop;
	sl_ev_idle_cb idle_cb;
	void *idle_arg;
	struct ev_ready ready[EV_READY_MAX];
};

int sl_ev_new(struct sl_ev **out, struct sl_err *e)
{
	struct sl_ev *ev = calloc(1, sizeof(*ev));
	int rc;

	*out = NULL;
	if (!ev)
		return sl_err_set(e, -ENOMEM,
				  "out of memory creating the event loop");
	rc = ev_backend_new(&ev->be);
	if (rc < 0) {
		sl_err_set(e, rc, "cannot create the event loop: %s",
			   strerror(-rc));
		goto out;
	}
	ev->now = sl_now_ms();
	*out = ev;
	return 0;
out:
	sl_ev_free(ev);
	return rc;
}

void sl_ev_free(struct sl_ev *ev)
{
	if (!ev)
		return;
	ev_backend_free(ev->be);
	free(ev->fds);
	free(ev->heap);
	free(ev);
}

static int grow_fds(struct sl_ev *ev, int fd)
{
	int n = ev->nfds ? ev->nfds : 64;
	struct ev_fd *p;

	while (n <= fd)
		n *= 2;
	p = realloc(ev->fds, (size_t)n * sizeof(*p));
	if (!p)
		return -ENOMEM;
	memset(p + ev->nfds, 0, (size_t)(n - ev->nfds) * sizeof(*p));
	ev->fds = p;
	ev->nfds = n;
	return 0;
}

int sl_ev_add(struct sl_ev *ev, int fd, unsigned events, sl_ev_fd_cb cb,
	      void *arg)
{
	int rc;

	if (fd < 0)
		return -EBADF;
	if (fd >= ev->nfds && (rc = grow_fds(ev, fd)) < 0)
		return rc;
	rc = ev_backend_set(ev->be, fd, ev->fds[fd].events ? 1 : 0,
			    events ? events : SL_EV_READ);
	if (rc < 0)
		return rc;
	ev->fds[fd].cb = cb;
	ev->fds[fd].arg = arg;
	ev->fds[fd].events = events ? events : SL_EV_READ;
	return 0;
}

int sl_ev_mod(struct sl_ev *ev, int fd, unsigned events)
{
	int rc;

	if (fd < 0 || fd >= ev->nfds || !ev->fds[fd].events)
		return -EBADF;
	if (ev->fds[fd].events == events)
		return 0;
	if (!events) {
		sl_ev_del(ev, fd);
		return 0;
	}
	rc = ev_backend_set(ev->be, fd, 1, events);
	if (rc == 0)
		ev->fds[fd].events = events;
	return rc;
}

void sl_ev_del(struct sl_ev *ev, int fd)
{
	if (fd < 0 || fd >= ev->nfds || !ev->fds[fd].events)
		return;
	ev_backend_set(ev->be, fd, 1, 0);
	ev->fds[fd].events = 0;
	ev->fds[fd].cb = NULL;
}

void sl_ev_close(struct sl_ev *ev, int fd)
{
	if (fd >= 0 && fd < ev->nfds) {
		ev->fds[fd].events = 0;
		ev->fds[fd].cb = NULL;
	}
	close(fd);
}

/* ---- timers: a binary min-heap ---- */

static int timer_less(const struct ev_timer *a, const struct ev_timer *b)
{
	return a->when < b->when || (a->when == b->when && a->id < b->id);
}

static void heap_swap(struct ev_timer *h, size_t i, size_t j)
{
	struct ev_timer t = h[i];

	h[i] = h[j];
	h[j] = t;
}

static void heap_up(struct ev_timer *h, size_t i)
{
	while (i > 0 && timer_less(&h[i], &h[(i - 1) / 2])) {
		heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct ev_timer *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && timer_less(&h[l], &h[m]))
			m = l;
		if (r < n && timer_less(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		heap_swap(h, i, m);
		i = m;
	}
}

static void heap_remove(struct sl_ev *ev, size_t i)
{
	ev->heap[i] = ev->heap[--ev->nheap];
	if (i < ev->nheap) {
		heap_down(ev->heap, ev->nheap, i);
		heap_up(ev->heap, i);
	}
}

int64_t sl_ev_timer(struct sl_ev *ev, uint64_t ms, sl_ev_timer_cb cb,
		    void *arg)
{
	struct ev_timer *t;

	if (ev->nheap == ev->capheap) {
		size_t n = ev->capheap ? ev->capheap * 2 : 16;
		struct ev_timer *p = realloc(ev->heap, n * sizeof(*p));

		if (!p)
			return -ENOMEM;
		ev->heap = p;
		ev->capheap = n;
	}
	t = &ev->heap[ev->nheap];
	t->when = sl_now_ms() + ms;
	t->id = ++ev->next_id;
	t->cb = cb;
	t->arg = arg;
	heap_up(ev->heap, ev->nheap++);
	return ev->next_id;
}

void sl_ev_timer_cancel(struct sl_ev *ev, int64_t id)
{
	for (size_t i = 0; i < ev->nheap; i++)
		if (ev->heap[i].id == id) {
			heap_remove(ev, i);
			return;
		}
}

static void run_due_timers(struct sl_ev *ev)
{
	/* a timer added by a callback waits for the next round, even at 0 ms */
	int64_t last = ev->next_id;

	while (ev->nheap && ev->heap[0].when <= ev->now &&
	       ev->heap[0].id <= last && !ev->stop) {
		struct ev_timer t = ev->heap[0];

		heap_remove(ev, 0);
		t.cb(ev, t.arg);
	}
}

static int next_timeout(const struct sl_ev *ev)
{
	uint64_t now;

	if (!ev->nheap)
		return -1;
	now = sl_now_ms();
	if (ev->heap[0].when <= now)
		return 0;
	if (ev->heap[0].when - now > 3600000)
		return 3600000;
	return (int)(ev->heap[0].when - now);
}

void sl_ev_on_idle(struct sl_ev *ev, sl_ev_idle_cb cb, void *arg)
{
	ev->idle_cb = cb;
	ev->idle_arg = arg;
}

int sl_ev_run(struct sl_ev *ev)
{
	ev->stop = 0;
	while (!ev->stop) {
		int n, timeout = next_timeout(ev);

		n = ev_backend_wait(ev->be, ev->ready, EV_READY_MAX, 0);
		/* idle only when nothing is ready: a busy loop batches its output */
		if (n == 0 && timeout != 0) {
			if (ev->idle_cb)
				ev->idle_cb(ev, ev->idle_arg);
			n = ev_backend_wait(ev->be, ev->ready, EV_READY_MAX,
					    timeout);
		}
		if (n < 0)
			return n;
		ev->now = sl_now_ms();
		for (int i = 0; i < n && !ev->stop; i++) {
			int fd = ev->ready[i].fd;
			struct ev_fd *f;

			/* an earlier callback in this batch may have closed it */
			if (fd >= ev->nfds || !ev->fds[fd].events)
				continue;
			f = &ev->fds[fd];
			f->cb(ev, fd, ev->ready[i].events, f->arg);
		}
		run_due_timers(ev);
	}
	return 0;
}

void sl_ev_stop(struct sl_ev *ev)
{
	ev->stop = 1;
}

uint64_t sl_ev_now(const struct sl_ev *ev)
{
	return ev->now;
}
