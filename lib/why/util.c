/* util.c - small helpers the checks share: bounded file reads, address
 * comparison, capabilities */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "why-int.h"

int sl_why_read_file(const char *path, size_t max, struct sl_buf *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	while (b->len < max) {
		size_t want = max - b->len < 4096 ? max - b->len : 4096;
		ssize_t n;

		if ((rc = sl_buf_reserve(b, want)) < 0)
			break;
		n = read(fd, b->data + b->len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : 0;
			break;
		}
		b->len += (size_t)n;
		b->data[b->len] = '\0';
	}
	close(fd);
	return rc;
}

const uint8_t *sl_why_addr_bytes(const struct sl_endpoint *ep, size_t *n)
{
	if (ep->ss.ss_family == AF_INET6) {
		*n = 16;
		return (const uint8_t *)&((const struct sockaddr_in6 *)&ep->ss)->sin6_addr;
	}
	*n = 4;
	return (const uint8_t *)&((const struct sockaddr_in *)&ep->ss)->sin_addr;
}

int sl_why_same_addr(const struct sl_endpoint *a, const struct sl_endpoint *b)
{
	const uint8_t *pa, *pb;
	size_t na, nb;

	if (a->ss.ss_family != b->ss.ss_family)
		return 0;
	pa = sl_why_addr_bytes(a, &na);
	pb = sl_why_addr_bytes(b, &nb);
	return na == nb && !memcmp(pa, pb, na);
}

int sl_why_have_cap(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) < 0)
		return 0;
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}
