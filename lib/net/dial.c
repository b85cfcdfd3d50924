/* dial.c - connect to the first address that answers, with a timeout */
#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "socklab/net.h"

int sl_wait_fd(int fd, short events, int timeout_ms)
{
	uint64_t end = sl_now_ms() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms);
	struct pollfd p = { .fd = fd, .events = events };

	for (;;) {
		uint64_t now = sl_now_ms();
		int left = timeout_ms < 0 ? -1 : now >= end ? 0 : (int)(end - now);
		int n = poll(&p, 1, left);

		if (n > 0)
			return 1;
		if (n == 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

static int dial_one(const struct sl_endpoint *ep, int timeout_ms)
{
	int fd = sl_connect_start(ep, NULL), rc;

	if (fd < 0)
		return fd;
	rc = sl_wait_fd(fd, POLLOUT, timeout_ms);
	if (rc == 0)
		rc = -ETIMEDOUT;
	else if (rc > 0)
		rc = sl_connect_result(fd);
	if (rc == 0 && (rc = sl_set_nonblock(fd, 0)) == 0)
		return fd;
	close(fd);
	return rc;
}

int sl_dial(const struct sl_addrlist *l, int timeout_ms, sl_dial_fail_cb cb,
	    void *arg)
{
	int rc = -ENOENT;

	for (size_t i = 0; i < l->n; i++) {
		rc = dial_one(&l->v[i], timeout_ms);
		if (rc >= 0)
			return rc;
		if (cb)
			cb(&l->v[i], rc, i + 1 < l->n ? &l->v[i + 1] : NULL,
			   arg);
	}
	return rc;
}
