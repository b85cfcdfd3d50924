/* hist.c - a log-linear latency histogram with nearest-rank percentiles */
#include <string.h>

#include "socklab/load.h"

/* Exact below 2 * SUB; above, a power of two 2^e is cut into SUB buckets
 * of width 2^(e - 7). */
static size_t bucket_of(uint64_t v)
{
	int e;

	if (v < 2 * SL_HIST_SUB)
		return (size_t)v;
	e = 63 - __builtin_clzll(v);
	return 2 * SL_HIST_SUB + (size_t)(e - 8) * SL_HIST_SUB +
	       (size_t)((v >> (e - 7)) - SL_HIST_SUB);
}

/* The lowest value of bucket i and its width. */
static void bucket_range(size_t i, uint64_t *lo, uint64_t *width)
{
	size_t k;
	int e;

	if (i < 2 * SL_HIST_SUB) {
		*lo = i;
		*width = 1;
		return;
	}
	k = i - 2 * SL_HIST_SUB;
	e = (int)(k / SL_HIST_SUB) + 8;
	*width = (uint64_t)1 << (e - 7);
	*lo = ((uint64_t)(k % SL_HIST_SUB) + SL_HIST_SUB) << (e - 7);
}

void sl_hist_init(struct sl_hist *h)
{
	memset(h, 0, sizeof(*h));
}

void sl_hist_add(struct sl_hist *h, uint64_t v)
{
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
	h->bucket[bucket_of(v)]++;
}

void sl_hist_merge(struct sl_hist *dst, const struct sl_hist *src)
{
	if (!src->count)
		return;
	if (!dst->count || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->sum += src->sum;
	for (size_t i = 0; i < SL_HIST_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
}

uint64_t sl_hist_percentile(const struct sl_hist *h, double p)
{
	uint64_t rank, seen = 0, lo, width, v;
	double r;

	if (!h->count || p <= 0)
		return h->count ? h->min : 0;
	if (p >= 100)
		return h->max;
	/* nearest rank: ceil(p/100 * n), at least 1 */
	r = p / 100.0 * (double)h->count;
	rank = (uint64_t)r;
	if ((double)rank < r)
		rank++;
	if (!rank)
		rank = 1;
	for (size_t i = 0; i < SL_HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen < rank)
			continue;
		bucket_range(i, &lo, &width);
		v = lo + width / 2;
		if (v < h->min)
			v = h->min;
		return v > h->max ? h->max : v;
	}
	return h->max;
}
