/* stream.c - the bytes each client sent, put back in stream order from
 * the captured segments, so NAME is found however the program sent it:
 * with or without a newline, inside a longer message, split in pieces */
#include <string.h>

#include "lab-int.h"

void lab_streams_init(struct lab_streams *s)
{
	memset(s, 0, sizeof(*s));
}

void lab_streams_release(struct lab_streams *s)
{
	for (size_t i = 0; i < s->n; i++)
		sl_buf_release(&s->v[i].data);
	lab_streams_init(s);
}

static struct lab_stream *stream_of(struct lab_streams *s, uint32_t index)
{
	struct lab_stream *st;

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].index == index)
			return &s->v[i];
	if (s->n == LAB_STREAMS)
		return NULL;
	st = &s->v[s->n++];
	memset(st, 0, sizeof(*st));
	st->index = index;
	sl_buf_init(&st->data);
	return st;
}

void lab_streams_add(struct lab_streams *s, uint32_t index, uint32_t frame,
		     uint32_t seq, const uint8_t *p, uint32_t n)
{
	struct lab_stream *st = stream_of(s, index);
	size_t off, k;

	/* relative sequence numbers: the first byte after the SYN is 1 */
	if (!st || !n || seq == 0 || seq - 1 >= LAB_STREAM_MAX)
		return;
	off = seq - 1;
	k = off + n > LAB_STREAM_MAX ? LAB_STREAM_MAX - off : n;
	if (off + k > st->data.len) {
		size_t grow = off + k - st->data.len;

		if (sl_buf_reserve(&st->data, grow) < 0)
			return;
		memset(st->data.data + st->data.len, 0, grow);
		st->data.len += grow;
		st->data.data[st->data.len] = '\0';
	}
	memcpy(st->data.data + off, p, k);
	if (st->nsegs < LAB_STREAM_SEGS)
		st->segs[st->nsegs++] = (struct lab_seg){ frame, (uint32_t)off,
							  (uint32_t)k };
	st->bytes += n;
}

/* The frames whose bytes overlap [at, at + n), in frame order. */
static size_t frames_over(const struct lab_stream *st, size_t at, size_t n,
			  uint32_t *frames, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < st->nsegs && k < max; i++) {
		const struct lab_seg *g = &st->segs[i];
		size_t j;

		if (g->off >= at + n || g->off + g->len <= at)
			continue;
		for (j = 0; j < k && frames[j] != g->frame; j++)
			;
		if (j == k)
			frames[k++] = g->frame;
	}
	return k;
}

const struct lab_stream *lab_streams_find(const struct lab_streams *s,
					  const char *name, size_t n,
					  uint32_t *frames, size_t *nframes,
					  size_t max)
{
	*nframes = 0;
	for (size_t i = 0; i < s->n && n; i++) {
		const struct lab_stream *st = &s->v[i];
		const char *hit = st->data.len >= n ?
			memmem(st->data.data, st->data.len, name, n) : NULL;

		if (hit) {
			*nframes = frames_over(st, (size_t)(hit - st->data.data),
					       n, frames, max);
			return st;
		}
	}
	return NULL;
}
