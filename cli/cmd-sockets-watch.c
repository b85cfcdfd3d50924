/* cmd-sockets-watch.c - socklab sockets --watch: the table sampled every
 * S seconds (0.1 by default) and the changes printed; between samples
 * the kernel's destroy notices are read, so a socket that lived and died
 * between two samples is still shown going, and each notice brings the
 * next sample forward */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd-sockets.h"

/* A notice brings a sample forward, but not more often than this. */
#define NOTICE_GAP_MS 10

struct watcher {
	const struct sockets_cli *c;
	struct sl_sock_list a, b, *prev, *cur;
	struct sl_sock_list gone;	/* notices since the last sample */
	struct sl_diag_notify *notify;
	struct sl_buf out;
	unsigned flags;
	int first;
};

/* A /proc walk only when a row about to be printed has an inode but no
 * owner yet: rows that stay the same keep the owner sl_sock_diff carried
 * over, and one hidden from us costs a walk only when it changes. */
static int need_owners(const struct sl_sock_pair *pairs, int n, int first)
{
	for (int i = 0; i < n; i++) {
		const struct sl_sock *s = pairs[i].cur;

		if (s && s->inode && !s->pid &&
		    (first || pairs[i].change != SL_CHG_SAME))
			return 1;
	}
	return 0;
}

/* The rows of l that match no socket of ref (same protocol and ends);
 * both sorted.  0 or -ENOMEM. */
static int unmatched(const struct sl_sock_list *ref, struct sl_sock_list *l,
		     struct sl_sock_list *out)
{
	struct sl_sock_pair *pairs;
	int n = sl_sock_diff(ref, l, &pairs), rc = 0;

	if (n < 0)
		return n;
	for (int i = 0; i < n && rc == 0; i++)
		if (pairs[i].change == SL_CHG_NEW)
			rc = sl_sock_list_push(out, pairs[i].cur);
	free(pairs);
	return rc;
}

/* Notices of sockets neither sample saw: they lived between the two. */
static int print_notices(struct watcher *w, const char *when)
{
	struct sl_sock_list a, b;
	int rc;

	sl_sock_list_init(&a);
	sl_sock_list_init(&b);
	sl_sock_list_sort(&w->gone);
	rc = unmatched(w->prev, &w->gone, &a);
	sl_sock_list_sort(&a);
	if (rc == 0)
		rc = unmatched(w->cur, &a, &b);
	for (size_t i = 0; i < b.n && rc == 0; i++) {
		struct sl_sock_pair p = { SL_CHG_GONE, &b.v[i], NULL };

		rc = sl_render_sock_change(&w->out, when, &p, 0,
					   w->flags | SL_TABLE_NOTICE);
	}
	w->gone.n = 0;
	sl_sock_list_release(&a);
	sl_sock_list_release(&b);
	return rc;
}

/* One sample: read, pair with the last one, print what changed. */
static int watch_step(struct watcher *w)
{
	struct sl_sock_pair *pairs = NULL;
	struct sl_sock_list *t;
	struct sl_err e;
	char when[48];
	int n, rc;

	w->cur->n = 0;
	if ((rc = sockets_read(w->c, sockets_push, w->cur)))
		return rc;
	sl_sock_list_sort(w->cur);
	n = sl_sock_diff(w->prev, w->cur, &pairs);
	if (n < 0)
		return -ENOMEM;
	/* rows' owners are read for new sockets only; the old rows keep
	 * theirs (sl_sock_diff carried them over) */
	if (w->c->procs && need_owners(pairs, n, w->first))
		sl_diag_owners(w->cur, &e);
	sockets_stamp(when, sizeof(when), w->c->json);
	sl_buf_reset(&w->out);
	for (int i = 0; i < n && rc == 0; i++)
		if (pairs[i].change != SL_CHG_SAME || w->first)
			rc = sl_render_sock_change(&w->out, when, &pairs[i],
						   w->first, w->flags);
	free(pairs);
	if (rc == 0 && w->gone.n)
		rc = print_notices(w, when);
	if (rc == 0)
		rc = sl_write_all(STDOUT_FILENO, w->out.data, w->out.len);
	t = w->prev;
	w->prev = w->cur;
	w->cur = t;
	w->first = 0;
	return rc;
}

static void open_notices(struct watcher *w)
{
	struct sl_diag_query q = { w->c->protos & (SL_DIAG_TCP | SL_DIAG_UDP),
				   w->c->families, 0, w->c->port,
				   SL_SRC_NETLINK, 0 };
	struct sl_err e;

	if (!q.protos || w->c->source == SL_SRC_PROC)
		return;
	if (sl_diag_notify_open(&w->notify, &q, &e) < 0)
		cli_error(CMD, "%s; a socket that lives less than %g s may be missed",
			  e.msg, w->c->interval);
}

/* Waits until the next sample is due (brought forward by a notice, to
 * NOTICE_GAP_MS after the last one at the earliest) or a signal asks to
 * stop (returns 1). */
static int wait_next(struct watcher *w, int stop_fd)
{
	uint64_t start = sl_now_ms(), now;
	uint64_t due = start + (uint64_t)(w->c->interval * 1000.0 + 0.5);
	struct pollfd p[2] = {
		{ .fd = stop_fd, .events = POLLIN },
		{ .fd = w->notify ? sl_diag_notify_fd(w->notify) : -1,
		  .events = POLLIN },
	};

	while ((now = sl_now_ms()) < due) {
		int rc;

		if (poll(p, 2, (int)(due - now)) < 0 && errno != EINTR)
			return 1;
		if (p[0].revents)
			return 1;
		if (!p[1].revents)
			continue;
		rc = sl_diag_notify_read(w->notify, sockets_push, &w->gone);
		if (rc == -ENOBUFS)
			cli_error(CMD, "destroy notices came faster than they were read: some were lost");
		else if (rc < 0)
			return 1;
		if (w->gone.n && due > start + NOTICE_GAP_MS)
			due = start + NOTICE_GAP_MS;
	}
	return 0;
}

int sockets_watch(const struct sockets_cli *c)
{
	struct watcher w = { .c = c, .flags = sockets_flags(c), .first = 1 };
	int stop_fd = cli_stop_fd(), rc = 0;

	sl_sock_list_init(&w.a);
	sl_sock_list_init(&w.b);
	sl_sock_list_init(&w.gone);
	w.prev = &w.a;
	w.cur = &w.b;
	open_notices(&w);
	while (rc == 0) {
		if ((rc = watch_step(&w)) || wait_next(&w, stop_fd))
			break;
	}
	if (rc == -EPIPE) {
		rc = 0;		/* the reader went away: done */
	} else if (rc < 0) {
		if (rc == -ENOMEM)
			cli_error(CMD, "out of memory while watching");
		else
			cli_error(CMD, "cannot write the changes: %s",
				  strerror(-rc));
		rc = EXIT_FAIL;
	}
	if (stop_fd >= 0)
		close(stop_fd);
	sl_diag_notify_free(w.notify);
	sl_buf_release(&w.out);
	sl_sock_list_release(&w.a);
	sl_sock_list_release(&w.b);
	sl_sock_list_release(&w.gone);
	return rc;
}
