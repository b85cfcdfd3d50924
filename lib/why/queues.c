/* queues.c - the accept-queue counters of /proc/net/netstat (TcpExt
 * ListenOverflows, ListenDrops); the queues of the sockets themselves come
 * from sock_diag (listeners.c, attempt.c) */
#include <errno.h>
#include <string.h>

#include "why-int.h"

#define NETSTAT_MAX (256 * 1024)

/* The next line of [*p, end): its start and length; 0 when none left. */
static int next_line(const char **p, const char *end, const char **line,
		     size_t *n)
{
	const char *eol;

	if (*p >= end)
		return 0;
	eol = memchr(*p, '\n', (size_t)(end - *p));
	if (!eol)
		eol = end;
	*line = *p;
	*n = (size_t)(eol - *p);
	*p = eol < end ? eol + 1 : end;
	return 1;
}

/* The i-th space-separated word of a line; 0 when there is none. */
static int word(const char *l, size_t n, size_t i, const char **w,
		size_t *wn)
{
	size_t k = 0, pos = 0;

	for (;;) {
		while (pos < n && l[pos] == ' ')
			pos++;
		if (pos >= n)
			return 0;
		*w = l + pos;
		while (pos < n && l[pos] != ' ')
			pos++;
		*wn = (size_t)(l + pos - *w);
		if (k++ == i)
			return 1;
	}
}

static uint64_t to_u64(const char *w, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n && w[i] >= '0' && w[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(w[i] - '0');
	return v;
}

/* "TcpExt: A B C" then "TcpExt: 1 2 3": the values under the names. */
static void take_pair(const char *names, size_t nn, const char *vals,
		      size_t vn, struct sl_netstat *ns, int *found)
{
	const char *w, *v;
	size_t wn, vlen;

	for (size_t i = 1; word(names, nn, i, &w, &wn); i++) {
		if (!word(vals, vn, i, &v, &vlen))
			return;
		if (wn == 15 && !memcmp(w, "ListenOverflows", 15)) {
			ns->listen_overflows = to_u64(v, vlen);
			*found |= 1;
		} else if (wn == 11 && !memcmp(w, "ListenDrops", 11)) {
			ns->listen_drops = to_u64(v, vlen);
			*found |= 2;
		}
	}
}

int sl_netstat_parse(const char *text, size_t len, struct sl_netstat *ns)
{
	const char *p = text, *end = text + len, *a, *b;
	size_t an, bn;
	int found = 0;

	ns->listen_overflows = ns->listen_drops = 0;
	while (next_line(&p, end, &a, &an)) {
		if (an < 7 || memcmp(a, "TcpExt:", 7))
			continue;
		if (!next_line(&p, end, &b, &bn))
			break;
		if (bn < 7 || memcmp(b, "TcpExt:", 7))
			continue;
		take_pair(a, an, b, bn, ns, &found);
		break;
	}
	return found == 3 ? 0 : -ENOENT;
}

void sl_netstat_read(struct sl_netstat *ns)
{
	struct sl_buf b = SL_BUF_INIT;

	ns->err = sl_read_file("/proc/net/netstat", NETSTAT_MAX, &b);
	if (ns->err == 0)
		ns->err = sl_netstat_parse(b.data ? b.data : "", b.len, ns);
	sl_buf_release(&b);
}
