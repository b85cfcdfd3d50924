/* listeners.c - every TCP socket on the port and who holds it: pid,
 * program, command line, user, network namespace, descriptors; here and,
 * when permitted, in the other network namespaces processes live in */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "why-int.h"

#define NETNS_MAX 256	/* other namespaces searched at most */

static int push(struct sl_why_socks *s, const struct sl_sock *k,
		uint64_t netns, int other)
{
	struct sl_why_holder *h;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		void *p = realloc(s->v, cap * sizeof(*s->v));

		if (!p)
			return -ENOMEM;
		s->v = p;
		s->cap = cap;
	}
	h = &s->v[s->n++];
	memset(h, 0, sizeof(*h));
	h->s = *k;
	h->netns = netns;
	h->other_netns = other;
	h->fds = h->fd_limit = -1;
	return 0;
}

/* The inode of a /proc/.../ns/net link, 0 when unreadable. */
static uint64_t ns_inode(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

static void read_cmdline(int pid, char *out, size_t outlen)
{
	struct sl_buf b = SL_BUF_INIT;
	char path[64];
	size_t n;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	if (sl_read_file(path, outlen - 1, &b) == 0 && b.len) {
		/* the arguments end in NULs: spaces between them */
		for (n = b.len; n > 0 && b.data[n - 1] == '\0'; n--)
			;
		for (size_t i = 0; i < n; i++)
			out[i] = b.data[i] ? b.data[i] : ' ';
		out[n] = '\0';
	}
	sl_buf_release(&b);
}

/* Command line, user and descriptors of each owned row. */
static void describe_owners(struct sl_why_socks *s, size_t from)
{
	for (size_t i = from; i < s->n; i++) {
		struct sl_why_holder *h = &s->v[i];
		struct passwd *pw = getpwuid(h->s.uid);

		if (pw && pw->pw_name)
			snprintf(h->user, sizeof(h->user), "%s", pw->pw_name);
		if (h->s.pid <= 0)
			continue;
		read_cmdline(h->s.pid, h->cmdline, sizeof(h->cmdline));
		sl_proc_fds(h->s.pid, &h->fds, &h->fd_limit);
	}
}

/* The table of the namespace we are in, rows with local port == port. */
static int read_here(struct sl_why_socks *s, uint16_t port, uint64_t netns,
		     int other)
{
	struct sl_diag_query q = {
		.protos = SL_DIAG_TCP, .families = SL_DIAG_V4 | SL_DIAG_V6,
		.states = SL_STATES_ALL, .port = port,
	};
	struct sl_sock_list l;
	struct sl_err e;
	size_t from = s->n;
	int rc;

	sl_sock_list_init(&l);
	rc = sl_diag_list(&q, &l, &e);
	if (rc >= 0)
		sl_diag_owners(&l, &e);
	for (size_t i = 0; rc >= 0 && i < l.n; i++) {
		const struct sl_sock *k = &l.v[i];

		if (sl_addr_port((const struct sockaddr *)&k->local.ss) != port)
			continue;
		if (k->inode && !k->pid)
			s->hidden++;
		rc = push(s, k, netns, other);
	}
	sl_sock_list_release(&l);
	if (rc >= 0)
		describe_owners(s, from);
	return rc < 0 ? rc : 0;
}

/* Collects the distinct network namespaces of /proc/PID/ns/net other
 * than ours, with one pid in each. */
static size_t other_namespaces(uint64_t self, uint64_t *ns, int *pids,
			       size_t max)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	size_t n = 0;

	if (!d)
		return 0;
	while (n < max && (de = readdir(d))) {
		char path[300];
		uint64_t ino;
		size_t k;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		if (!(ino = ns_inode(path)) || ino == self)
			continue;
		for (k = 0; k < n && ns[k] != ino; k++)
			;
		if (k == n) {
			ns[n] = ino;
			pids[n++] = atoi(de->d_name);
		}
	}
	closedir(d);
	return n;
}

/* Dumps the table of each other namespace: enter, read, come back. */
static int read_others(struct sl_why_socks *s, uint16_t port, uint64_t self)
{
	uint64_t ns[NETNS_MAX];
	int pids[NETNS_MAX], home, rc = 0;
	size_t n = other_namespaces(self, ns, pids, NETNS_MAX);

	if (!n)
		return 0;
	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0)
		return s->netns_err = -errno;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char path[64];
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/ns/net", pids[i]);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;	/* gone meanwhile */
		if (setns(fd, CLONE_NEWNET) < 0) {
			s->netns_err = -errno;
			close(fd);
			break;
		}
		close(fd);
		s->netns_seen++;
		rc = read_here(s, port, ns[i], 1);
		if (setns(home, CLONE_NEWNET) < 0) {
			/* cannot come back: stop before anything else runs here */
			rc = -errno;
			break;
		}
	}
	close(home);
	return rc;
}

int sl_why_socks_read(uint16_t port, int search_others,
		      struct sl_why_socks *out)
{
	uint64_t self = ns_inode("/proc/self/ns/net");
	int rc;

	memset(out, 0, sizeof(*out));
	rc = read_here(out, port, self, 0);
	if (rc < 0)
		return out->err = rc;
	if (!search_others)
		return 0;
	if (!sl_why_have_cap(SL_CAP_SYS_ADMIN)) {
		out->netns_err = -EPERM;
		return 0;
	}
	return read_others(out, port, self);
}

void sl_why_socks_release(struct sl_why_socks *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
