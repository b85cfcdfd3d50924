/* owner.c - socket inode -> pid and program: one walk of /proc/PID/fd
 * against a hash of the inodes wanted; comm is read only for the pids
 * that hold one.  Processes that vanish or deny access are skipped. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag-int.h"

/* Open addressing: slot holds row index + 1 (0 empty); rows that share an
 * inode (one socket listed twice) chain through next[]. */
struct inode_map {
	size_t *slot;
	size_t *next;
	size_t mask;
};

static size_t hash_inode(uint64_t ino)
{
	ino ^= ino >> 33;
	ino *= 0xff51afd7ed558ccdULL;
	ino ^= ino >> 33;
	return (size_t)ino;
}

static int map_build(struct inode_map *m, const struct sl_sock_list *l)
{
	size_t cap = 16;

	while (cap < l->n * 2)
		cap *= 2;
	m->slot = calloc(cap, sizeof(*m->slot));
	m->next = calloc(l->n ? l->n : 1, sizeof(*m->next));
	m->mask = cap - 1;
	if (!m->slot || !m->next)
		return -ENOMEM;
	for (size_t i = 0; i < l->n; i++) {
		uint64_t ino = l->v[i].inode;
		size_t h = hash_inode(ino) & m->mask;

		if (!ino)
			continue;
		while (m->slot[h] && l->v[m->slot[h] - 1].inode != ino)
			h = (h + 1) & m->mask;
		m->next[i] = m->slot[h];
		m->slot[h] = i + 1;
	}
	return 0;
}

/* First row index + 1 holding ino, 0 when none. */
static size_t map_find(const struct inode_map *m,
		       const struct sl_sock_list *l, uint64_t ino)
{
	size_t h = hash_inode(ino) & m->mask;

	while (m->slot[h]) {
		if (l->v[m->slot[h] - 1].inode == ino)
			return m->slot[h];
		h = (h + 1) & m->mask;
	}
	return 0;
}

/* "socket:[12345]" -> 12345; 0 for any other link. */
static uint64_t socket_inode(const char *link, ssize_t n)
{
	uint64_t ino = 0;

	if (n < 10 || memcmp(link, "socket:[", 8) != 0 || link[n - 1] != ']')
		return 0;
	for (ssize_t i = 8; i < n - 1; i++) {
		if (link[i] < '0' || link[i] > '9')
			return 0;
		ino = ino * 10 + (uint64_t)(link[i] - '0');
	}
	return ino;
}

void sl_diag_read_comm(int procfd, const char *pid, char *out, size_t outlen)
{
	char path[300];
	ssize_t n;
	int fd;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/comm", pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, out, outlen - 1);
	close(fd);
	if (n <= 0)
		return;
	if (out[n - 1] == '\n')
		n--;
	out[n] = '\0';
}

/* Every socket fd of one process; returns rows newly owned. */
static int walk_pid(int procfd, const char *pid, const struct inode_map *m,
		    struct sl_sock_list *l)
{
	char path[300], link[64], comm[SL_PROGRAM_MAX];
	struct dirent *de;
	DIR *d;
	int fd, found = 0;

	snprintf(path, sizeof(path), "%s/fd", pid);
	fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;	/* gone, or not ours to look at */
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	comm[0] = '\0';
	while ((de = readdir(d))) {
		ssize_t n;
		uint64_t ino;
		size_t r;

		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(fd, de->d_name, link, sizeof(link));
		if (n <= 0 || n >= (ssize_t)sizeof(link) ||
		    !(ino = socket_inode(link, n)) ||
		    !(r = map_find(m, l, ino)))
			continue;
		for (; r; r = m->next[r - 1]) {
			struct sl_sock *s = &l->v[r - 1];

			/* the first holder wins: the lowest pid */
			if (s->pid)
				continue;
			if (!comm[0])
				sl_diag_read_comm(procfd, pid, comm, sizeof(comm));
			s->pid = atoi(pid);
			memcpy(s->program, comm, sizeof(s->program));
			found++;
		}
	}
	closedir(d);
	return found;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int sl_diag_owners(struct sl_sock_list *l, struct sl_err *e)
{
	struct inode_map m = { NULL, NULL, 0 };
	struct dirent *de;
	DIR *proc = NULL;
	size_t wanted = 0, found = 0;
	int rc;

	if ((rc = map_build(&m, l)) < 0) {
		sl_err_set(e, rc, "out of memory while matching sockets to processes");
		goto out;
	}
	for (size_t i = 0; i < l->n; i++)
		wanted += l->v[i].inode && !l->v[i].pid;
	if (!wanted)
		goto out;
	proc = opendir("/proc");
	if (!proc) {
		int err = errno;

		rc = sl_err_set(e, -err,
			"cannot read /proc to find socket owners: %s; is /proc mounted?",
			strerror(err));
		goto out;
	}
	/* stop as soon as every socket has its owner */
	while (found < wanted && (de = readdir(proc)))
		if (all_digits(de->d_name))
			found += walk_pid(dirfd(proc), de->d_name, &m, l);
	rc = (int)found;
out:
	if (proc)
		closedir(proc);
	free(m.slot);
	free(m.next);
	return rc;
}
