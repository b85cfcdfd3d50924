/* leftovers.c - what an earlier run or the system's limits leave in the
 * way: the privileged-port threshold, the ephemeral port range, and
 * descriptors against ulimit -n (TIME_WAIT rows come from listeners.c) */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "why-int.h"

static int parse_int(const char **p, const char *end, long max, int *v)
{
	long x = 0;
	int digits = 0;

	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	while (*p < end && **p >= '0' && **p <= '9' && digits < 10) {
		x = x * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	if (!digits || x > max)
		return -EINVAL;
	*v = (int)x;
	return 0;
}

int sl_port_range_parse(const char *text, size_t len, int *lo, int *hi)
{
	const char *p = text, *end = text + len;

	if (parse_int(&p, end, 65535, lo) < 0 || parse_int(&p, end, 65535, hi) < 0 ||
	    *lo > *hi)
		return -EINVAL;
	return 0;
}

int sl_limits_nofile(const char *text, size_t len)
{
	static const char key[] = "Max open files";
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		int v;

		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > sizeof(key) - 1 &&
		    !memcmp(p, key, sizeof(key) - 1)) {
			const char *q = p + sizeof(key) - 1;

			/* "unlimited" reads as -1 */
			return parse_int(&q, eol, 1000000000L, &v) == 0 ? v : -1;
		}
		p = eol + 1;
	}
	return -1;
}

static int count_fds(int pid)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	if (!(d = opendir(path)))
		return -1;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

void sl_proc_fds(int pid, int *fds, int *limit)
{
	struct sl_buf b = SL_BUF_INIT;
	char path[64];

	*fds = count_fds(pid);
	snprintf(path, sizeof(path), "/proc/%d/limits", pid);
	*limit = sl_read_file(path, 16384, &b) == 0 ?
		 sl_limits_nofile(b.data ? b.data : "", b.len) : -1;
	sl_buf_release(&b);
}

void sl_why_limits_read(struct sl_why_limits *l)
{
	struct sl_buf b = SL_BUF_INIT;

	l->unpriv_start = sl_unprivileged_port_start();
	l->eph_lo = l->eph_hi = 0;
	if (sl_read_file("/proc/sys/net/ipv4/ip_local_port_range", 256,
			     &b) == 0 &&
	    sl_port_range_parse(b.data ? b.data : "", b.len, &l->eph_lo,
				&l->eph_hi) < 0)
		l->eph_lo = l->eph_hi = 0;
	sl_buf_release(&b);
	sl_proc_fds(getpid(), &l->fds, &l->fd_limit);
}
