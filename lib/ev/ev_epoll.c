/* ev_epoll.c - the epoll backend of the event loop */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "socklab/ev.h"
#include "backend.h"

#define EV_BATCH 512

struct ev_backend {
	int epfd;
	struct epoll_event evs[EV_BATCH];
};

int ev_backend_new(struct ev_backend **out)
{
	struct ev_backend *b = malloc(sizeof(*b));
	int rc = 0;

	*out = NULL;
	if (!b)
		return -ENOMEM;
	b->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (b->epfd < 0) {
		rc = -errno;
		goto out;
	}
	*out = b;
	b = NULL;
out:
	free(b);
	return rc;
}

void ev_backend_free(struct ev_backend *b)
{
	if (!b)
		return;
	close(b->epfd);
	free(b);
}

int ev_backend_set(struct ev_backend *b, int fd, unsigned had, unsigned want)
{
	struct epoll_event ee = { 0 };
	int op;

	if (want & SL_EV_READ)
		ee.events |= EPOLLIN | EPOLLRDHUP;
	if (want & SL_EV_WRITE)
		ee.events |= EPOLLOUT;
	ee.data.fd = fd;
	if (!had)
		op = EPOLL_CTL_ADD;
	else if (!want)
		op = EPOLL_CTL_DEL;
	else
		op = EPOLL_CTL_MOD;
	if (epoll_ctl(b->epfd, op, fd, &ee) < 0)
		return -errno;
	return 0;
}

int ev_backend_wait(struct ev_backend *b, struct ev_ready *out, int max,
		    int timeout_ms)
{
	int n;

	if (max > EV_BATCH)
		max = EV_BATCH;
	n = epoll_wait(b->epfd, b->evs, max, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		uint32_t e = b->evs[i].events;
		unsigned r = 0;

		if (e & (EPOLLIN | EPOLLRDHUP))
			r |= SL_EV_READ;
		if (e & EPOLLOUT)
			r |= SL_EV_WRITE;
		if (e & (EPOLLERR | EPOLLHUP))
			r |= SL_EV_HUP | SL_EV_READ;
		out[i].fd = b->evs[i].data.fd;
		out[i].events = r;
	}
	return n;
}
