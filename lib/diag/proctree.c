/* proctree.c - the processes a command became (a shell, the interpreter
 * it started, their children) and the sockets they hold: how the lab and
 * socklab check find a student's server without knowing its port */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag-int.h"

/* Sockets of one process looked at, at most. */
#define TREE_SOCKETS 1024

/* Appends pid's children (every thread's) from /proc/PID/task/TID/children;
 * -ENOENT when the kernel has no such files. */
static int children_of(pid_t pid, pid_t *out, size_t *n, size_t max)
{
	char path[64];
	DIR *d;
	struct dirent *t;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (!(d = opendir(path)))
		return 0;		/* gone meanwhile */
	while ((t = readdir(d))) {
		char file[352];
		FILE *f;
		long c;

		if (t->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s/children", path, t->d_name);
		if (!(f = fopen(file, "re"))) {
			if (errno == ENOENT && !found) {
				closedir(d);
				return -ENOENT;
			}
			continue;
		}
		found = 1;
		while (fscanf(f, "%ld", &c) == 1 && *n < max)
			out[(*n)++] = (pid_t)c;
		fclose(f);
	}
	closedir(d);
	return 0;
}

/* A whole decimal number of at most 9 digits, then a space; -1 if not. */
static int take_int(const char **p, const char *end)
{
	int v = 0, digits = 0;

	while (*p < end && **p >= '0' && **p <= '9' && digits < 9) {
		v = v * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	if (!digits || *p >= end || **p != ' ')
		return -1;
	(*p)++;
	return v;
}

int sl_proc_stat_parse(const char *text, size_t n, int *ppid, int *pgrp)
{
	const char *end = text + n, *p = NULL;

	/* "pid (comm) S ppid pgrp ...": the state follows the last ')' */
	for (const char *q = text; q < end; q++)
		if (*q == ')')
			p = q;
	if (!p || end - p < 4 || p[1] != ' ' || p[3] != ' ')
		return -EINVAL;
	p += 4;
	*ppid = take_int(&p, end);
	*pgrp = take_int(&p, end);
	return *ppid < 0 || *pgrp < 0 ? -EINVAL : 0;
}

/* The parent of pid from /proc/PID/stat; 0 when gone or unreadable. */
static pid_t parent_of(const char *pid)
{
	char path[300], buf[512];
	int fd, ppid, pgrp;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0 || sl_proc_stat_parse(buf, (size_t)n, &ppid, &pgrp) < 0)
		return 0;
	return (pid_t)ppid;
}

static int listed(const pid_t *v, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == pid)
			return 1;
	return 0;
}

/* Without the children files: every process's parent, until no new
 * descendant turns up. */
static size_t walk_all(pid_t *out, size_t n, size_t max)
{
	size_t before;

	do {
		DIR *d = opendir("/proc");
		struct dirent *de;

		before = n;
		if (!d)
			return n;
		while ((de = readdir(d)) && n < max) {
			pid_t pid = (pid_t)atol(de->d_name);

			if (pid > 0 && !listed(out, n, pid) &&
			    listed(out, n, parent_of(de->d_name)))
				out[n++] = pid;
		}
		closedir(d);
	} while (n != before && n < max);
	return n;
}

size_t sl_proc_tree(pid_t root, pid_t *out, size_t max)
{
	char path[32];
	struct stat st;
	size_t n = 0;

	snprintf(path, sizeof(path), "/proc/%d", (int)root);
	if (max == 0 || root <= 0 || stat(path, &st) < 0)
		return 0;
	out[n++] = root;
	for (size_t i = 0; i < n && n < max; i++)
		if (children_of(out[i], out, &n, max) == -ENOENT)
			return walk_all(out, 1, max);
	return n;
}

size_t sl_proc_socket_inodes(const pid_t *pids, size_t npids, uint64_t *out,
			     size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < npids; i++) {
		char path[64];
		DIR *d;
		struct dirent *de;

		snprintf(path, sizeof(path), "/proc/%d/fd", (int)pids[i]);
		if (!(d = opendir(path)))
			continue;
		while ((de = readdir(d)) && n < max) {
			char fd[352], link[64];
			ssize_t k;

			if (de->d_name[0] == '.')
				continue;
			snprintf(fd, sizeof(fd), "%s/%s", path, de->d_name);
			k = readlink(fd, link, sizeof(link) - 1);
			if (k <= 8 || memcmp(link, "socket:[", 8))
				continue;
			link[k] = '\0';
			out[n++] = strtoull(link + 8, NULL, 10);
		}
		closedir(d);
	}
	return n;
}

/* Gives each row of l that one of the tree's pids holds that pid and its
 * program; returns how many rows got one. */
static size_t own_rows(struct sl_sock_list *l, const pid_t *pids, size_t np)
{
	uint64_t ino[TREE_SOCKETS];
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t owned = 0;

	for (size_t i = 0; i < np && owned < l->n; i++) {
		size_t k = sl_proc_socket_inodes(&pids[i], 1, ino, TREE_SOCKETS);
		char pid[16], comm[SL_PROGRAM_MAX] = "";

		snprintf(pid, sizeof(pid), "%d", (int)pids[i]);
		for (size_t r = 0; r < l->n; r++) {
			struct sl_sock *s = &l->v[r];
			size_t j;

			for (j = 0; j < k && ino[j] != s->inode; j++)
				;
			if (s->pid || !s->inode || j == k)
				continue;
			if (!comm[0] && procfd >= 0)
				sl_diag_read_comm(procfd, pid, comm, sizeof(comm));
			s->pid = (int)pids[i];
			memcpy(s->program, comm, sizeof(s->program));
			owned++;
		}
	}
	if (procfd >= 0)
		close(procfd);
	return owned;
}

int sl_diag_list_tree(const struct sl_diag_query *q, pid_t root,
		      struct sl_sock_list *out, struct sl_err *e)
{
	pid_t pids[SL_PROC_TREE_MAX];
	size_t np = sl_proc_tree(root, pids, SL_PROC_TREE_MAX);
	size_t before = out->n;
	struct sl_sock_list all;
	int rc = 0;

	if (!np)
		return 0;
	sl_sock_list_init(&all);
	rc = sl_diag_list(q, &all, e);
	if (rc > 0 && own_rows(&all, pids, np)) {
		for (size_t i = 0; i < all.n && rc >= 0; i++)
			if (all.v[i].pid && sl_sock_list_push(out, &all.v[i]) < 0)
				rc = sl_err_set(e, -ENOMEM,
					"out of memory while listing sockets");
	}
	sl_sock_list_release(&all);
	if (rc < 0) {
		out->n = before;
		return rc;
	}
	return (int)(out->n - before);
}
