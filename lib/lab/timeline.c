/* timeline.c - every observation of the lab, in time order */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/lab.h"

int sl_timeline_add(struct sl_timeline *tl, const struct sl_tl_event *ev)
{
	if (tl->n == tl->cap) {
		size_t n = tl->cap ? tl->cap * 2 : 64;
		struct sl_tl_event *p = realloc(tl->v, n * sizeof(*p));

		if (!p)
			return -ENOMEM;
		tl->v = p;
		tl->cap = n;
	}
	tl->v[tl->n++] = *ev;
	return 0;
}

/* Insertion sort: stable, and the events arrive almost in order. */
void sl_timeline_sort(struct sl_timeline *tl)
{
	for (size_t i = 1; i < tl->n; i++) {
		struct sl_tl_event t = tl->v[i];
		size_t j = i;

		while (j > 0 && tl->v[j - 1].t_ns > t.t_ns) {
			tl->v[j] = tl->v[j - 1];
			j--;
		}
		tl->v[j] = t;
	}
}

void sl_timeline_release(struct sl_timeline *tl)
{
	free(tl->v);
	memset(tl, 0, sizeof(*tl));
}
