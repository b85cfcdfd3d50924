/* bytestream.c - the bytes each side sent, put back in stream order from
 * the captured segments, so a name is found however the program sent it:
 * with or without a newline, inside a longer message, split in pieces */
#include <string.h>

#include "socklab/bytestream.h"

void sl_bytestreams_init(struct sl_bytestreams *s)
{
	memset(s, 0, sizeof(*s));
}

void sl_bytestreams_release(struct sl_bytestreams *s)
{
	for (size_t i = 0; i < s->n; i++)
		sl_buf_release(&s->v[i].data);
	sl_bytestreams_init(s);
}

static struct sl_bytestream *stream_of(struct sl_bytestreams *s, uint32_t index)
{
	struct sl_bytestream *st;

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].index == index)
			return &s->v[i];
	if (s->n == SL_BYTESTREAMS)
		return NULL;
	st = &s->v[s->n++];
	memset(st, 0, sizeof(*st));
	st->index = index;
	sl_buf_init(&st->data);
	return st;
}

void sl_bytestreams_add(struct sl_bytestreams *s, uint32_t index, uint32_t frame,
		     uint32_t seq, const uint8_t *p, uint32_t n)
{
	struct sl_bytestream *st = stream_of(s, index);
	size_t off, k;

	/* relative sequence numbers: the first byte after the SYN is 1 */
	if (!st || !n || seq == 0 || seq - 1 >= SL_BYTESTREAM_MAX)
		return;
	off = seq - 1;
	k = off + n > SL_BYTESTREAM_MAX ? SL_BYTESTREAM_MAX - off : n;
	if (off + k > st->data.len) {
		size_t grow = off + k - st->data.len;

		if (sl_buf_reserve(&st->data, grow) < 0)
			return;
		memset(st->data.data + st->data.len, 0, grow);
		st->data.len += grow;
		st->data.data[st->data.len] = '\0';
	}
	memcpy(st->data.data + off, p, k);
	if (st->nsegs < SL_BYTESTREAM_SEGS)
		st->segs[st->nsegs++] = (struct sl_byteseg){ frame, (uint32_t)off,
							  (uint32_t)k };
	st->bytes += n;
}

/* The frames whose bytes overlap [at, at + n), in frame order. */
static size_t frames_over(const struct sl_bytestream *st, size_t at, size_t n,
			  uint32_t *frames, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < st->nsegs && k < max; i++) {
		const struct sl_byteseg *g = &st->segs[i];
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

void sl_bytestreams_packet(struct sl_bytestreams *sent,
			   struct sl_bytestreams *answered, uint16_t port,
			   const struct sl_packet *p)
{
	const struct sl_fval *v = sl_pkt_get(p, SL_F_TCP_PAYLOAD);
	int udp = !v;
	struct sl_bytestreams *to;

	if (udp)
		v = sl_pkt_get(p, SL_F_UDP_PAYLOAD);
	if (!v || !port)
		return;
	to = sl_pkt_uint(p, udp ? SL_F_UDP_DSTPORT : SL_F_TCP_DSTPORT, 0) == port ?
		sent :
	     sl_pkt_uint(p, udp ? SL_F_UDP_SRCPORT : SL_F_TCP_SRCPORT, 0) == port ?
		answered : NULL;
	if (!to)
		return;
	/* a datagram stands alone: each is a stream of its own (numbered by
	 * its frame), starting where a TCP stream's first byte sits (seq 1) */
	if (udp)
		sl_bytestreams_add(to, (uint32_t)p->number, (uint32_t)p->number,
				   1, v->v.bytes.p, v->v.bytes.n);
	else
		sl_bytestreams_add(to, (uint32_t)sl_pkt_uint(p, SL_F_TCP_STREAM, 0),
				   (uint32_t)p->number,
				   (uint32_t)sl_pkt_uint(p, SL_F_TCP_SEQ, 0),
				   v->v.bytes.p, v->v.bytes.n);
}

const struct sl_bytestream *sl_bytestreams_find(const struct sl_bytestreams *s,
						const char *name, size_t n,
						uint32_t *frames,
						size_t *nframes, size_t max,
						size_t *at)
{
	*nframes = 0;
	for (size_t i = 0; i < s->n && n; i++) {
		const struct sl_bytestream *st = &s->v[i];
		const char *hit = st->data.len >= n ?
			memmem(st->data.data, st->data.len, name, n) : NULL;

		if (hit) {
			if (at)
				*at = (size_t)(hit - st->data.data);
			*nframes = frames_over(st, (size_t)(hit - st->data.data),
					       n, frames, max);
			return st;
		}
	}
	return NULL;
}
