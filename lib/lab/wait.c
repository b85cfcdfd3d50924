/* wait.c - the lab's only way to wait: poll the children's pipes and the
 * capture, then read what came (children, packets, the socket table) */
#include <poll.h>

#include "lab-int.h"

void run_pump(struct run *r, int timeout_ms)
{
	struct pollfd p[8];
	int n = 0, stop = -1;

	if (r->srv.trap.fd >= 0)
		p[n++] = (struct pollfd){ r->srv.trap.fd, POLLIN, 0 };
	if (r->cli.trap.fd >= 0)
		p[n++] = (struct pollfd){ r->cli.trap.fd, POLLIN, 0 };
	if (r->capturing && sl_capture_fd(r->cap.cap) >= 0)
		p[n++] = (struct pollfd){ sl_capture_fd(r->cap.cap), POLLIN, 0 };
	if (r->srv.out_fd >= 0)
		p[n++] = (struct pollfd){ r->srv.out_fd, POLLIN, 0 };
	if (r->srv.err_fd >= 0)
		p[n++] = (struct pollfd){ r->srv.err_fd, POLLIN, 0 };
	if (r->cli.out_fd >= 0)
		p[n++] = (struct pollfd){ r->cli.out_fd, POLLIN, 0 };
	if (r->cli.err_fd >= 0)
		p[n++] = (struct pollfd){ r->cli.err_fd, POLLIN, 0 };
	if (r->lab->o.stop_fd > 0) {
		stop = n;
		p[n++] = (struct pollfd){ r->lab->o.stop_fd, POLLIN, 0 };
	}
	poll(p, (nfds_t)n, timeout_ms);
	if (stop >= 0 && p[stop].revents)
		r->stopped = 1;
	/* a program held in a socket call waits for us: first things first */
	run_held_calls(r);
	child_pump(&r->srv);
	child_pump(&r->cli);
	srv_view_pump(&r->sv, &r->srv.out);
	cli_view_pump(&r->cv, &r->cli.out);
	if (r->capturing)
		labcap_pump(r->lab, &r->cap);
	sampler_tick(r->lab, &r->smp);
}

int run_wait(struct run *r, int (*cond)(struct run *), int ms)
{
	uint64_t end = sl_now_ms() + (uint64_t)ms;

	for (;;) {
		run_pump(r, 1);
		if (cond(r))
			return 1;
		if (sl_now_ms() >= end)
			return 0;
	}
}
