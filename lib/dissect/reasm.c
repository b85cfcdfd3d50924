/* reasm.c - IP reassembly, as Wireshark's ip.defragment and ipv6.defragment
 * (both on by default): fragments wait in a table keyed by (family, src,
 * dst, id, proto) for IPv4 and (src, dst, id) for IPv6; the packet that
 * completes a datagram (its bytes contiguous from 0 to the end the last
 * fragment gives) carries the transport dissected over the whole payload.
 * Overlapping bytes keep the data that arrived first, as tshark does (it
 * also flags ip.fragment.overlap.conflict, a field socklab does not have;
 * neither marks the packet malformed).  Bounded: a datagram
 * at most 65535 bytes, at most REASM_MAX_PENDING datagrams and
 * REASM_MAX_BYTES bytes waiting, the oldest evicted first. */
#include <stdlib.h>
#include <string.h>

#include "dissect-int.h"

#define REASM_BUCKETS 8192		/* a power of two */

struct pend {
	struct pend *hnext;		/* hash chain */
	struct pend *older, *newer;	/* age list */
	uint8_t family, proto, have_proto, have_end;
	uint32_t id;
	uint8_t src[16], dst[16];
	uint32_t end;			/* the datagram's length, once known */
	uint32_t cap;			/* bytes of buf (and bits of have) */
	uint32_t got;			/* bytes covered */
	uint8_t *buf;
	uint8_t *have;			/* one bit per byte of buf */
};

struct dis_reasm {
	struct pend *bucket[REASM_BUCKETS];
	struct pend *oldest, *newest;
	size_t pending, bytes;
	size_t max_pending, max_bytes;
	uint8_t *done;			/* the last completed datagram */
	uint64_t evicted;
};

struct dis_reasm *dis_reasm_new(size_t max_pending, size_t max_bytes)
{
	struct dis_reasm *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->max_pending = max_pending ? max_pending : REASM_MAX_PENDING;
	r->max_bytes = max_bytes ? max_bytes : REASM_MAX_BYTES;
	return r;
}

static size_t cost(const struct pend *e)
{
	return sizeof(*e) + e->cap + (e->cap + 7) / 8;
}

static uint32_t hash(const struct dis_frag *f)
{
	unsigned alen = f->family == 4 ? 4 : 16;
	uint32_t h = 2166136261u ^ f->id ^ (uint32_t)f->family << 24 ^
		     (f->family == 4 ? f->proto : 0) << 16;

	for (unsigned i = 0; i < alen; i++)
		h = (h ^ f->src[i]) * 16777619u;
	for (unsigned i = 0; i < alen; i++)
		h = (h ^ f->dst[i]) * 16777619u;
	return (h ^ h >> 15) & (REASM_BUCKETS - 1);
}

static int same(const struct pend *e, const struct dis_frag *f)
{
	unsigned alen = f->family == 4 ? 4 : 16;

	return e->family == f->family && e->id == f->id &&
	       (f->family != 4 || e->proto == f->proto) &&
	       !memcmp(e->src, f->src, alen) && !memcmp(e->dst, f->dst, alen);
}

/* Unlinks e from its chain (whose head is *head) and the age list. */
static void drop(struct dis_reasm *r, struct pend *e, unsigned b)
{
	struct pend **pp = &r->bucket[b];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	if (e->older)
		e->older->newer = e->newer;
	else
		r->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		r->newest = e->older;
	r->pending--;
	r->bytes -= cost(e);
	free(e->buf);
	free(e->have);
	free(e);
}

static unsigned bucket_of(const struct pend *e)
{
	struct dis_frag f = { .family = e->family, .proto = e->proto,
			      .id = e->id, .src = e->src, .dst = e->dst };

	return hash(&f);
}

/* Evicts the oldest datagrams (never keep) until need more bytes and one
 * more datagram fit. */
static void make_room(struct dis_reasm *r, const struct pend *keep,
		      size_t need, int one_more)
{
	while (r->oldest && (r->bytes + need > r->max_bytes ||
			     r->pending + (size_t)one_more > r->max_pending)) {
		struct pend *e = r->oldest == keep ? keep->newer : r->oldest;

		if (!e)
			return;
		drop(r, e, bucket_of(e));
		r->evicted++;
	}
}

void dis_reasm_free(struct dis_reasm *r)
{
	if (!r)
		return;
	while (r->oldest)
		drop(r, r->oldest, bucket_of(r->oldest));
	free(r->done);
	free(r);
}

size_t dis_reasm_pending(const struct dis_reasm *r)
{
	return r ? r->pending : 0;
}

/* Grows e to hold n bytes; 0, or -1 out of memory or over the budget. */
static int grow(struct dis_reasm *r, struct pend *e, uint32_t n)
{
	uint32_t cap = e->cap ? e->cap : 2048;
	size_t before = cost(e);
	uint8_t *buf, *have;

	if (n <= e->cap)
		return 0;
	while (cap < n)
		cap *= 2;
	if (cap > REASM_MAX_DATAGRAM)
		cap = REASM_MAX_DATAGRAM;
	make_room(r, e, cap - e->cap + (cap + 7) / 8 - (e->cap + 7) / 8, 0);
	if (r->bytes + (cap - e->cap) > r->max_bytes)
		return -1;
	buf = realloc(e->buf, cap);
	if (!buf)
		return -1;
	e->buf = buf;
	have = realloc(e->have, (cap + 7) / 8);
	if (!have)
		return -1;
	memset(have + (e->cap + 7) / 8, 0, (cap + 7) / 8 - (e->cap + 7) / 8);
	e->have = have;
	e->cap = cap;
	r->bytes += cost(e) - before;
	return 0;
}

/* Copies the bytes of f that e does not hold yet (the first data wins). */
static void fill(struct pend *e, const struct dis_frag *f)
{
	for (uint32_t i = 0; i < f->len; i++) {
		uint32_t o = f->off + i;

		if (e->have[o / 8] >> (o % 8) & 1)
			continue;
		e->have[o / 8] |= (uint8_t)(1u << (o % 8));
		e->buf[o] = f->data[i];
		e->got++;
	}
}

int dis_reasm_add(struct dis_reasm *r, const struct dis_frag *f,
		  struct dis_datagram *out, const char **why)
{
	unsigned b = hash(f);
	struct pend *e;
	uint32_t fend = f->off + f->len;	/* off, len < 2^17: no wrap */

	*why = NULL;
	if (f->off > f->max_end || f->len > f->max_end - f->off) {
		*why = "fragment past the largest datagram (65535 bytes)";
		return -1;
	}
	for (e = r->bucket[b]; e && !same(e, f); e = e->hnext)
		;
	if (!e) {
		make_room(r, NULL, sizeof(*e), 1);
		if (r->pending >= r->max_pending ||
		    r->bytes + sizeof(*e) > r->max_bytes ||
		    !(e = calloc(1, sizeof(*e)))) {
			*why = "no room to reassemble the fragment";
			return -1;
		}
		e->family = (uint8_t)f->family;
		e->proto = (uint8_t)(f->family == 4 ? f->proto : 0);
		e->id = f->id;
		memcpy(e->src, f->src, f->family == 4 ? 4 : 16);
		memcpy(e->dst, f->dst, f->family == 4 ? 4 : 16);
		e->hnext = r->bucket[b];
		r->bucket[b] = e;
		e->older = r->newest;
		if (r->newest)
			r->newest->newer = e;
		else
			r->oldest = e;
		r->newest = e;
		r->pending++;
		r->bytes += cost(e);
	}
	if (e->have_end && fend > e->end) {
		*why = "fragment past the datagram's end";
		return -1;
	}
	if (!f->more) {
		if (e->have_end && e->end != fend) {
			*why = "two last fragments with different ends";
			return -1;
		}
		for (uint32_t o = fend; o < e->cap; o++)
			if (e->have[o / 8] >> (o % 8) & 1) {
				*why = "fragment data past the datagram's end";
				return -1;
			}
		e->have_end = 1;
		e->end = fend;
	}
	if (grow(r, e, fend) < 0) {
		*why = "no room to reassemble the fragment";
		drop(r, e, b);
		return -1;
	}
	if (f->off == 0 && !e->have_proto) {
		e->have_proto = 1;
		e->proto = (uint8_t)f->proto;
	}
	fill(e, f);
	if (!e->have_end || e->got != e->end)
		return 0;
	/* complete: the buffer becomes the last datagram */
	free(r->done);
	r->done = e->buf;
	e->buf = NULL;
	out->data = r->done;
	out->len = e->end;
	out->proto = e->have_proto ? e->proto : f->proto;
	drop(r, e, b);
	return 1;
}

/*
 * The hook of ip4.c and ip6.c for a fragment whose payload is [off, end):
 * without a table, for a fragment an ICMP error quotes or one the snaplen
 * cut, returns 1 (the caller dissects it as without reassembly).
 * Otherwise the fragment joins its datagram; a fragment that leaves it
 * incomplete is Data, one that completes it carries the transport
 * dissected over the reassembled bytes (p->reasm); 0, or -1 stopped.
 */
int dis_defrag(struct dis *d, struct dis_frag *f, uint32_t off, uint32_t end)
{
	struct sl_packet *p = d->p;
	struct dis_datagram dg;
	const uint8_t *data;
	uint32_t caplen, len, wire_end;
	const char *why;
	int rc;

	/* a fragment the snaplen cut is not used: as tshark, it is then
	 * dissected as without reassembly */
	if (!d->reasm || d->inner || end < d->wire_end)
		return 1;
	f->data = p->data + off;
	f->len = end - off;
	rc = dis_reasm_add(d->reasm, f, &dg, &why);
	if (rc <= 0) {
		dis_data(d, off, end);
		return rc < 0 ? dis_malformed(d, f->family == 4 ? SL_F_IP :
					      SL_F_IPV6, why) : 0;
	}
	data = p->data;
	caplen = p->caplen;
	len = p->len;
	wire_end = d->wire_end;
	p->reasm = dg.data;
	p->reasm_len = dg.len;
	p->reasm_val = (uint16_t)(d->w - p->vals);
	p->reasm_layer = (uint8_t)(d->l - p->layers);
	p->reasm_family = (uint8_t)f->family;
	p->ip_fragment = 0;
	p->data = dg.data;
	p->caplen = p->len = dg.len;
	d->wire_end = dg.len;
	rc = dis_ipproto(d, dg.proto, 0, dg.len);
	p->data = data;
	p->caplen = caplen;
	p->len = len;
	d->wire_end = wire_end;
	return rc;
}
