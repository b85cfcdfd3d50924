/* proctree.c - the processes a command became: root, everything below it
 * by parent pid, and the members of the process group root leads; one
 * walk of /proc, every /proc/PID/stat read bounded */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "socklab/diag.h"

struct proc_row {
	int pid, ppid, pgrp;
};

struct proc_rows {
	struct proc_row *v;
	size_t n, cap;
};

void sl_pidset_init(struct sl_pidset *s)
{
	s->v = NULL;
	s->n = s->cap = 0;
}

void sl_pidset_release(struct sl_pidset *s)
{
	free(s->v);
	sl_pidset_init(s);
}

int sl_pidset_has(const struct sl_pidset *s, int pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == pid)
			return 1;
	return 0;
}

int sl_pidset_add(struct sl_pidset *s, int pid)
{
	if (sl_pidset_has(s, pid))
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		int *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = pid;
	return 1;
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

	/* "pid (comm) S ppid pgrp ...": comm may hold ')' and spaces, so
	 * the state follows the last ')' */
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

/* One process's row; 0 when it is gone or unreadable (skipped), 1 read. */
static int read_row(int procfd, const char *pid, struct proc_row *r)
{
	char path[300], text[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/stat", pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, text, sizeof(text));
	close(fd);
	if (n <= 0 || sl_proc_stat_parse(text, (size_t)n, &r->ppid,
					 &r->pgrp) < 0)
		return 0;
	r->pid = atoi(pid);
	return 1;
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

static int read_rows(struct proc_rows *rows, struct sl_err *e)
{
	struct dirent *de;
	DIR *proc = opendir("/proc");

	if (!proc) {
		int err = errno;

		return sl_err_set(e, -err,
			"cannot read /proc to find the processes of a program: %s; is /proc mounted?",
			strerror(err));
	}
	while ((de = readdir(proc))) {
		if (!all_digits(de->d_name))
			continue;
		if (rows->n == rows->cap) {
			size_t cap = rows->cap ? rows->cap * 2 : 256;
			struct proc_row *v = realloc(rows->v, cap * sizeof(*v));

			if (!v) {
				closedir(proc);
				return sl_err_set(e, -ENOMEM,
					"out of memory while listing processes");
			}
			rows->v = v;
			rows->cap = cap;
		}
		rows->n += (size_t)read_row(dirfd(proc), de->d_name,
					    &rows->v[rows->n]);
	}
	closedir(proc);
	return 0;
}

/* Adds every row whose parent is in out, until nothing more joins. */
static int add_descendants(const struct proc_rows *rows, struct sl_pidset *out)
{
	for (size_t i = 0; i < out->n; i++)
		for (size_t k = 0; k < rows->n; k++)
			if (rows->v[k].ppid == out->v[i] &&
			    sl_pidset_add(out, rows->v[k].pid) < 0)
				return -ENOMEM;
	return 0;
}

int sl_proc_tree(int root, struct sl_pidset *out, struct sl_err *e)
{
	struct proc_rows rows = { NULL, 0, 0 };
	int rc, seen = 0;

	out->n = 0;
	rc = read_rows(&rows, e);
	for (size_t k = 0; k < rows.n && rc == 0; k++) {
		const struct proc_row *r = &rows.v[k];

		if (r->pid == root)
			seen = 1;
		if ((r->pid == root || r->pgrp == root) &&
		    sl_pidset_add(out, r->pid) < 0)
			rc = -ENOMEM;
	}
	/* root first, as the contract says */
	if (rc == 0 && seen && out->v[0] != root) {
		for (size_t i = 1; i < out->n; i++)
			if (out->v[i] == root) {
				out->v[i] = out->v[0];
				out->v[0] = root;
			}
	}
	if (rc == 0)
		rc = add_descendants(&rows, out);
	free(rows.v);
	if (rc == -ENOMEM)
		return sl_err_set(e, rc, "out of memory while listing processes");
	return rc < 0 ? rc : (int)out->n;
}

int sl_diag_list_tree(const struct sl_diag_query *q, int root,
		      struct sl_sock_list *out, struct sl_err *e)
{
	struct sl_sock_list all;
	struct sl_pidset pids;
	size_t before = out->n;
	int rc;

	sl_sock_list_init(&all);
	sl_pidset_init(&pids);
	rc = sl_proc_tree(root, &pids, e);
	if (rc > 0)
		rc = sl_diag_list(q, &all, e);
	if (rc > 0)
		rc = sl_diag_owners_among(&all, &pids, e);
	for (size_t i = 0; i < all.n && rc > 0; i++)
		if (all.v[i].pid && sl_sock_list_push(out, &all.v[i]) < 0)
			rc = sl_err_set(e, -ENOMEM,
				"out of memory while listing sockets");
	sl_sock_list_release(&all);
	sl_pidset_release(&pids);
	if (rc < 0) {
		out->n = before;
		return rc;
	}
	return (int)(out->n - before);
}
