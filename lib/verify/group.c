/* group.c - a folder's files sorted into bundles: every NAME_report.json
 * starts one, and the files named NAME_... are its own (the longest NAME
 * wins, so "al" and "al_b" can share a folder); a folder with no
 * report.json is one bundle made by hand, named after the folder */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify-int.h"

static const char report_suffix[] = "_report.json";

static size_t prefix_len(const char *name)
{
	size_t n = strlen(name), k = sizeof(report_suffix) - 1;

	return n > k && !strcmp(name + n - k, report_suffix) ? n - k : 0;
}

static struct sl_vbundle *new_bundle(struct sl_verify *v,
				     const struct vfolder *f)
{
	struct sl_vbundle *b;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;

		if (!(b = realloc(v->v, cap * sizeof(*b))))
			return NULL;
		v->v = b;
		v->cap = cap;
	}
	b = &v->v[v->n++];
	memset(b, 0, sizeof(*b));
	snprintf(b->source, sizeof(b->source), "%s", f->source);
	return b;
}

/* Moves file i of the folder into b (the folder keeps an empty name). */
static int take(struct sl_vbundle *b, struct vfolder *f, size_t i)
{
	struct sl_vfile *nv;

	if (b->nfiles == SL_VFILES)
		return 0;
	if (!(nv = realloc(b->files, (b->nfiles + 1) * sizeof(*nv))))
		return -ENOMEM;
	b->files = nv;
	b->files[b->nfiles++] = f->files[i];
	sl_buf_init(&f->files[i].data);
	f->files[i].name[0] = '\0';
	return 0;
}

/* The bundle of the longest NAME_ that starts the file's name. */
static struct sl_vbundle *owner(struct sl_verify *v, size_t first,
				const char *name)
{
	struct sl_vbundle *best = NULL;
	size_t best_len = 0;

	for (size_t i = first; i < v->n; i++) {
		struct sl_vbundle *b = &v->v[i];
		size_t k = strlen(b->files[0].name) - (sizeof(report_suffix) - 1);

		if (k > best_len && !strncmp(name, b->files[0].name, k) &&
		    name[k] == '_') {
			best = b;
			best_len = k;
		}
	}
	return best;
}

static void note_stray(struct sl_verify *v, size_t first, const char *name)
{
	/* beside one bundle, a stray file is that bundle's business */
	if (v->n - first == 1) {
		struct sl_vbundle *b = &v->v[first];
		size_t n = strlen(b->stray);

		snprintf(b->stray + n, sizeof(b->stray) - n, "%s%s",
			 n ? ", " : "", name);
	}
}

int vgroup(struct sl_verify *v, struct vfolder *f)
{
	size_t first = v->n;
	int rc = 0;

	/* the reports first: each is files[0] of its bundle */
	for (size_t i = 0; i < f->n && rc == 0; i++) {
		struct sl_vbundle *b;

		if (!prefix_len(f->files[i].name))
			continue;
		if (!(b = new_bundle(v, f)))
			return -ENOMEM;
		rc = take(b, f, i);
	}
	if (rc == 0 && v->n == first) {
		struct sl_vbundle *b = new_bundle(v, f);

		if (!b)
			return -ENOMEM;
		b->handmade = 1;
		snprintf(b->student, sizeof(b->student), "%s", f->base);
		for (size_t i = 0; i < f->n && rc == 0; i++)
			rc = take(b, f, i);
		return rc;
	}
	for (size_t i = 0; i < f->n && rc == 0; i++) {
		struct sl_vbundle *b;

		if (!f->files[i].name[0])
			continue;
		if ((b = owner(v, first, f->files[i].name)))
			rc = take(b, f, i);
		else
			note_stray(v, first, f->files[i].name);
	}
	return rc;
}

const char *vsha(struct sl_vfile *f)
{
	if (!f->sha256[0])
		sl_sha256_of(f->data.data, f->data.len, f->sha256);
	return f->sha256;
}

const struct sl_vfile *vfind(const struct sl_vbundle *b, const char *name)
{
	for (size_t i = 0; i < b->nfiles; i++)
		if (!strcmp(b->files[i].name, name))
			return &b->files[i];
	return NULL;
}

const struct sl_vfile *vfind_own(const struct sl_vbundle *b,
				 const char *suffix)
{
	char name[512];
	size_t k;

	if (b->handmade || !b->nfiles)
		return NULL;
	k = prefix_len(b->files[0].name);
	snprintf(name, sizeof(name), "%.*s%s", (int)k, b->files[0].name, suffix);
	return vfind(b, name);
}

void vmark(struct sl_vbundle *b, int check, enum sl_mark m,
	   const char *fmt, ...)
{
	struct sl_vmark *k = &b->marks[check];
	size_t n = 0;
	va_list ap;

	if (m < k->mark)
		return;
	/* reasons of equal weight are joined; a worse one replaces them */
	if (m == k->mark && k->why[0]) {
		n = strlen(k->why);
		snprintf(k->why + n, sizeof(k->why) - n, "; ");
		n = strlen(k->why);
	}
	k->mark = m;
	va_start(ap, fmt);
	vsnprintf(k->why + n, sizeof(k->why) - n, fmt, ap);
	va_end(ap);
}
