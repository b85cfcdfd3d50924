/* file.c - whole files: read to their end (/proc files have no size),
 * written despite short writes, replaced only once complete */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "socklab/util.h"

int sl_read_file(const char *path, size_t max, struct sl_buf *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	while (b->len < max) {
		size_t want = max - b->len < 65536 ? max - b->len : 65536;
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

int sl_write_all(int fd, const void *data, size_t n)
{
	const char *p = data;

	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* A new file beside path (so the rename stays on one file system). */
static int open_temp(const char *path, char *tmp, size_t cap)
{
	int fd = -1;

	for (int i = 0; i < 100 && fd < 0; i++) {
		if ((size_t)snprintf(tmp, cap, "%s.%ld.%d.tmp", path,
				     (long)getpid(), i) >= cap)
			return -ENAMETOOLONG;
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			return -errno;
	}
	return fd < 0 ? -EEXIST : fd;
}

static int write_failed(struct sl_err *e, const char *path, int err)
{
	return sl_err_set(e, -err, "cannot write \"%s\": %s; check that its "
			  "folder exists and is writable", path,
			  strerror(err));
}

int sl_write_file(const char *path, const void *data, size_t n,
		  struct sl_err *e)
{
	size_t cap = strlen(path) + 40;
	char *tmp = malloc(cap);
	int fd, rc;

	if (!tmp)
		return write_failed(e, path, ENOMEM);
	fd = open_temp(path, tmp, cap);
	if (fd < 0) {
		rc = write_failed(e, path, -fd);
		goto out;
	}
	rc = sl_write_all(fd, data, n);
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		write_failed(e, path, -rc);
	}
out:
	free(tmp);
	return rc;
}
