/*
 * ev.h - a small event loop: descriptor readiness and one-shot timers,
 * over one backend file (ev_epoll.c, the only file that knows epoll).
 *
 * Contract: single-threaded.  Callbacks may add, modify or delete any
 * descriptor or timer, including their own.  Timers live in a binary heap:
 * adding one and running the due ones cost O(log n); cancelling one looks
 * it up by a scan, O(n), which is fine for the few timers a loop holds
 * (the server keeps one, its idle sweep).  The loop sleeps exactly until
 * the nearest timer.
 */
#ifndef SOCKLAB_EV_H
#define SOCKLAB_EV_H

#include <stdint.h>

#include "socklab/util.h"

enum {
	SL_EV_READ = 1,
	SL_EV_WRITE = 2,
	SL_EV_HUP = 4,		/* reported only: error or hang-up */
};

struct sl_ev;
typedef void (*sl_ev_fd_cb)(struct sl_ev *ev, int fd, unsigned events,
			    void *arg);
typedef void (*sl_ev_timer_cb)(struct sl_ev *ev, void *arg);
typedef void (*sl_ev_idle_cb)(struct sl_ev *ev, void *arg);

/* 0, or a negative errno with words in e (*out NULL). */
int sl_ev_new(struct sl_ev **out, struct sl_err *e);
/* Frees the loop (NULL is fine); closes no descriptor it watched. */
void sl_ev_free(struct sl_ev *ev);

int sl_ev_add(struct sl_ev *ev, int fd, unsigned events, sl_ev_fd_cb cb,
	      void *arg);
int sl_ev_mod(struct sl_ev *ev, int fd, unsigned events);
/* Forgets fd (call before closing it); unknown fds are ignored. */
void sl_ev_del(struct sl_ev *ev, int fd);

/* Forgets fd and closes it.  Cheaper than sl_ev_del + close for a
 * descriptor that was never duplicated: the kernel drops it from epoll. */
void sl_ev_close(struct sl_ev *ev, int fd);

/* Calls cb once, ms milliseconds from now; returns a timer id (> 0), or
 * -ENOMEM. */
int64_t sl_ev_timer(struct sl_ev *ev, uint64_t ms, sl_ev_timer_cb cb,
		    void *arg);
/* Cancels a pending timer; unknown or fired ids are ignored. */
void sl_ev_timer_cancel(struct sl_ev *ev, int64_t id);

/* Called when nothing is ready and the loop is about to sleep (flush
 * output here): a busy loop never calls it, so its writes batch. */
void sl_ev_on_idle(struct sl_ev *ev, sl_ev_idle_cb cb, void *arg);

/* Runs until sl_ev_stop; returns 0, or a negative errno if waiting failed. */
int sl_ev_run(struct sl_ev *ev);
void sl_ev_stop(struct sl_ev *ev);
/* The loop's clock (CLOCK_MONOTONIC ms), read once per wake-up. */
uint64_t sl_ev_now(const struct sl_ev *ev);

#endif
