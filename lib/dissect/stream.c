/* stream.c - TCP conversations: tcp.stream numbers, sequence and
 * acknowledgment numbers relative per direction, and the window scale,
 * with tshark's rules (base from the SYN, else from the first segment;
 * a new SYN with another ISN on a known 4-tuple starts a new stream) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dissect-int.h"
#include "socklab/util.h"

enum { TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_ACK = 0x10 };
enum { WS_UNKNOWN = -1, WS_NONE = -2 };

struct dir {
	uint32_t base;
	uint8_t base_set;
	int8_t wscale;		/* WS_UNKNOWN until a SYN says */
};

struct flow {
	uint8_t used, family;
	uint8_t proto;		/* 6 TCP, 17 UDP: each numbers its own */
	uint16_t port[2];
	uint8_t addr[2][16];	/* the lower endpoint first */
	uint32_t stream;
	struct dir dir[2];	/* [0]: from the lower endpoint */
	uint8_t app;		/* what its application dissector keeps */
	struct dis_ana *ana;	/* the sequence analysis (analysis.c), made
				 * the first time a SEQ field is wanted */
};

struct sl_stream_table {
	struct flow *v;
	size_t cap;		/* a power of two */
	size_t used;
	uint32_t next_stream;
	uint32_t next_udp;	/* udp.stream */
	struct dis_reasm *reasm;	/* IP fragments (reasm.c) */
};

int sl_stream_table_new(struct sl_stream_table **out, struct sl_err *e)
{
	struct sl_stream_table *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (!t)
		return sl_err_set(e, -ENOMEM, "out of memory");
	t->cap = 1024;
	t->v = calloc(t->cap, sizeof(*t->v));
	t->reasm = dis_reasm_new(0, 0);
	if (!t->v || !t->reasm) {
		sl_stream_table_free(t);
		return sl_err_set(e, -ENOMEM, "out of memory");
	}
	*out = t;
	return 0;
}

struct dis_reasm *dis_stream_reasm(struct sl_stream_table *t)
{
	return t->reasm;
}

void sl_stream_table_free(struct sl_stream_table *t)
{
	if (!t)
		return;
	dis_reasm_free(t->reasm);
	for (size_t i = 0; t->v && i < t->cap; i++)
		dis_ana_free(t->v[i].ana);
	free(t->v);
	free(t);
}

uint32_t sl_stream_count(const struct sl_stream_table *t)
{
	return t ? t->next_stream : 0;
}

/* The key's words, each mixed in with a multiply (a byte at a time was a
 * chain of 35 multiplies on every TCP segment). */
static uint64_t hash_key(const struct flow *k)
{
	const uint64_t m = 0x9e3779b97f4a7c15ull;
	uint64_t h = ((uint64_t)k->proto << 40 | (uint64_t)k->port[0] << 24 |
		      (uint64_t)k->port[1] << 8 | k->family) * m;

	for (size_t i = 0; i < sizeof(k->addr); i += 8) {
		uint64_t w;

		memcpy(&w, (const uint8_t *)k->addr + i, sizeof(w));
		h = (h ^ w) * m;
		h ^= h >> 32;
	}
	return h;
}

static int same_key(const struct flow *a, const struct flow *b)
{
	return a->family == b->family && a->proto == b->proto &&
	       a->port[0] == b->port[0] &&
	       a->port[1] == b->port[1] &&
	       memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

static struct flow *slot(struct flow *v, size_t cap, const struct flow *k)
{
	size_t i = hash_key(k) & (cap - 1);

	while (v[i].used && !same_key(&v[i], k))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static int grow(struct sl_stream_table *t)
{
	size_t cap = t->cap * 2;
	struct flow *v = calloc(cap, sizeof(*v));

	if (!v)
		return -1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->v[i].used)
			*slot(v, cap, &t->v[i]) = t->v[i];
	free(t->v);
	t->v = v;
	t->cap = cap;
	return 0;
}

/* The flow of this segment (created when new); *fwd is the direction. */
static struct flow *lookup(struct sl_stream_table *t, const struct dis *d,
			   unsigned proto, unsigned sport, unsigned dport,
			   int *fwd)
{
	struct flow k;
	size_t alen = d->family == 4 ? 4 : 16;
	int c;
	struct flow *f;

	memset(&k, 0, sizeof(k));
	k.family = (uint8_t)d->family;
	c = memcmp(d->src, d->dst, alen);
	*fwd = c < 0 || (c == 0 && sport <= dport) ? 0 : 1;
	k.proto = (uint8_t)proto;
	memcpy(k.addr[*fwd], d->src, alen);
	memcpy(k.addr[!*fwd], d->dst, alen);
	k.port[*fwd] = (uint16_t)sport;
	k.port[!*fwd] = (uint16_t)dport;
	if ((t->used + 1) * 2 > t->cap && grow(t) < 0)
		return NULL;
	f = slot(t->v, t->cap, &k);
	if (!f->used) {
		*f = k;
		f->used = 1;
		f->stream = proto == 17 ? t->next_udp++ : t->next_stream++;
		f->dir[0].wscale = f->dir[1].wscale = WS_UNKNOWN;
		t->used++;
	}
	return f;
}

static void new_stream(struct sl_stream_table *t, struct flow *f)
{
	f->stream = t->next_stream++;
	f->app = 0;
	if (f->ana) {
		dis_ana_reset(f->ana);
		dis_ana_reused(f->ana);
	}
	memset(f->dir, 0, sizeof(f->dir));
	f->dir[0].wscale = f->dir[1].wscale = WS_UNKNOWN;
}

int dis_stream(struct dis *d, const struct dis_tcp_seg *s,
	       struct dis_tcp_rel *out)
{
	struct sl_stream_table *t = d->streams;
	struct flow *f;
	struct dir *fw, *rv;
	int i;

	if (d->family != 4 && d->family != 6)
		return -1;
	f = lookup(t, d, 6, s->sport, s->dport, &i);
	if (!f)
		return -1;
	fw = &f->dir[i];
	rv = &f->dir[!i];
	out->reused = 0;
	if ((s->flags & (TH_SYN | TH_ACK)) == TH_SYN && fw->base_set &&
	    s->seq != fw->base) {
		new_stream(t, f);		/* the 4-tuple is reused */
		out->reused = 1;
	}
	if (!fw->base_set) {
		fw->base = s->flags & TH_SYN ? s->seq : s->seq - 1;
		fw->base_set = 1;
	}
	if (!rv->base_set && (s->flags & TH_ACK)) {
		rv->base = s->ack - 1;
		rv->base_set = 1;
	}
	if (s->flags & TH_SYN)
		fw->wscale = (int8_t)(s->wscale >= 0 ? s->wscale : WS_NONE);
	out->stream = f->stream;
	out->app = &f->app;
	out->seq = s->seq - fw->base;
	out->ack = s->flags & TH_ACK ? s->ack - rv->base : 0;
	out->nxtseq = out->seq + s->seglen + !!(s->flags & TH_SYN) +
		      !!(s->flags & TH_FIN);
	/* tshark's window scaling: a SYN has no factor; otherwise -1 while
	 * this side's SYN is unseen, -2 ("no scaling") when either SYN came
	 * without the option, else this side's 2^shift, applied even when
	 * the other side's SYN was not seen */
	out->window = -1;
	out->factor = 0;
	out->has_factor = !(s->flags & TH_SYN);
	if (out->has_factor) {
		if (fw->wscale == WS_NONE || rv->wscale == WS_NONE)
			out->factor = -2;
		else if (fw->wscale == WS_UNKNOWN)
			out->factor = -1;
		else
			out->factor = (int32_t)1 << fw->wscale;
		out->window = out->factor > 0 ?
			      (int64_t)s->win << fw->wscale : s->win;
	}
	if (out->ana) {
		if (!f->ana && !(f->ana = dis_ana_new())) {
			out->ana = NULL;
			return 0;
		}
		dis_analyze(f->ana, i, s, fw->base,
			    rv->wscale == WS_UNKNOWN ? -1 :
			    rv->wscale == WS_NONE || fw->wscale == WS_NONE ?
			    -2 : rv->wscale,
			    (uint32_t)d->p->number, d->p->ts_ns, out->ana);
		if (out->reused) {
			out->ana->flags |= ANA_REUSED_PORTS;
			out->ana->has_ta = 1;
		}
	}
	return 0;
}

int dis_udp_stream(struct dis *d, unsigned sport, unsigned dport,
		   uint32_t *stream)
{
	struct flow *f;
	int i;

	if (d->family != 4 && d->family != 6)
		return -1;
	f = lookup(d->udp_streams, d, 17, sport, dport, &i);
	if (!f)
		return -1;
	*stream = f->stream;
	return 0;
}
