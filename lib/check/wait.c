/* wait.c - every wait of a check: on one descriptor of a probe, while the
 * server's output keeps flowing (a server blocked on a full terminal
 * would look hung) and a stop request is heard */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "check-int.h"

/* A poll never sleeps longer than this, so a stop is heard quickly and
 * the server's exit is seen even when it closed no descriptor. */
#define SLICE_MS 50

int ck_stopped(struct ck *c)
{
	if (c->o->stop && *c->o->stop && !c->fatal) {
		c->fatal = sl_err_set(c->e, -EINTR,
				      "stopped before the end: the server was stopped, the probes so far are above");
	}
	return c->fatal != 0;
}

int ck_poll(struct ck *c, int fd, short events, uint64_t deadline_ms)
{
	for (;;) {
		struct pollfd p[3] = {
			{ fd, events, 0 },
			{ c->srv.out_fd, POLLIN, 0 },
			{ c->srv.err_fd, POLLIN, 0 },
		};
		uint64_t now = sl_now_ms();
		int slice, r, err;

		if (ck_stopped(c))
			return -EINTR;
		if (now >= deadline_ms)
			return 0;
		slice = deadline_ms - now > SLICE_MS ? SLICE_MS
						     : (int)(deadline_ms - now);
		if (fd < 0 || !events)
			p[0].fd = -1;
		r = poll(p, 3, slice);
		err = errno;
		ck_server_pump(&c->srv);
		if (r > 0 && p[0].fd >= 0 && p[0].revents)
			return 1;
		if (r < 0 && err != EINTR) {
			c->fatal = sl_err_set(c->e, -err,
				"cannot wait for the server's answer: %s",
				strerror(err));
			return c->fatal;
		}
	}
}
