/* verify.c - the bundles a teacher gives, checked one by one (on every
 * core: each bundle is its own, and decoding and drawing its images is
 * most of the work), then against each other */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "verify-int.h"

void sl_verify_init(struct sl_verify *v)
{
	memset(v, 0, sizeof(*v));
}

void sl_verify_release(struct sl_verify *v)
{
	for (size_t i = 0; i < v->n; i++) {
		for (size_t k = 0; k < v->v[i].nfiles; k++)
			sl_buf_release(&v->v[i].files[k].data);
		free(v->v[i].files);
	}
	free(v->v);
	sl_verify_init(v);
}

#define WORKERS 8		/* at most, and never more than the cores */

struct work {
	struct sl_verify *v;
	atomic_size_t next;
};

static void *worker(void *arg)
{
	struct work *w = arg;
	size_t i;

	while ((i = atomic_fetch_add(&w->next, 1)) < w->v->n)
		vcheck_bundle(&w->v->v[i]);
	return NULL;
}

static void check_all(struct sl_verify *v)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = cores > 1 ? (size_t)cores : 1, started = 0;
	pthread_t t[WORKERS];
	struct work w = { v, 0 };

	if (n > WORKERS)
		n = WORKERS;
	if (n > v->n)
		n = v->n;
	/* this thread is a worker too; one that cannot start leaves its
	 * share to the others */
	for (size_t k = 1; k < n; k++)
		if (pthread_create(&t[started], NULL, worker, &w) == 0)
			started++;
	worker(&w);
	for (size_t k = 0; k < started; k++)
		pthread_join(t[k], NULL);
}

void sl_verify_run(struct sl_verify *v)
{
	check_all(v);
	vcheck_copies(v);
	for (size_t i = 0; i < v->n; i++) {
		v->v[i].verdict = SL_MARK_OK;
		for (int k = 0; k < SL_VC_COUNT; k++)
			if (v->v[i].marks[k].mark > v->v[i].verdict)
				v->v[i].verdict = v->v[i].marks[k].mark;
	}
}

enum sl_mark sl_verify_worst(const struct sl_verify *v)
{
	enum sl_mark m = SL_MARK_OK;

	for (size_t i = 0; i < v->n; i++)
		if (v->v[i].verdict > m)
			m = v->v[i].verdict;
	return m;
}

const char *sl_mark_name(enum sl_mark m)
{
	static const char *const names[] = { "ok", "n/a", "note", "FAIL" };

	return (unsigned)m < SL_ARRAY_SIZE(names) ? names[m] : "?";
}

const char *sl_vcheck_name(int check)
{
	static const char *const names[SL_VC_COUNT] = {
		"files", "capture", "handshake", "name", "sockets", "hashes",
		"images", "code", "copies",
	};

	return check >= 0 && check < SL_VC_COUNT ? names[check] : "?";
}
