/* verify.c - the bundles a teacher gives, checked one by one, then
 * against each other */
#include <stdlib.h>
#include <string.h>

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

void sl_verify_run(struct sl_verify *v)
{
	for (size_t i = 0; i < v->n; i++)
		vcheck_bundle(&v->v[i]);
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
