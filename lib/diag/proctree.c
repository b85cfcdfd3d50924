/* proctree.c - the processes a command became (a shell, the interpreter
 * it started, their children) and the sockets they hold: how the lab and
 * socklab check find a student's server without knowing its port */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "socklab/diag.h"

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

/* The parent of pid from /proc/PID/stat (after the command's ")"). */
static pid_t parent_of(const char *pid)
{
	char path[64], buf[512];
	FILE *f;
	size_t n;
	char *p;
	long pp = 0;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if (!(f = fopen(path, "re")))
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (p && sscanf(p + 1, " %*c %ld", &pp) != 1)
		pp = 0;
	return (pid_t)pp;
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
	size_t n = 0;

	if (max == 0 || root <= 0)
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
