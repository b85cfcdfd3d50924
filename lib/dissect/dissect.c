/* dissect.c - walks the layers of one packet and owns its field table */
#include <string.h>

#include "dissect-int.h"

#define NO_VAL SL_PKT_NO_VAL

/* Only what the last dissection filled: first[] holds an index exactly
 * for the fields in vals (a full table is faster wiped whole). */
static void clear(struct sl_packet *p)
{
	if (p->nvals > SL_F_COUNT / 8)
		memset(p->first, 0xff, sizeof(p->first));
	else
		for (unsigned i = 0; i < p->nvals; i++)
			p->first[p->vals[i].field] = NO_VAL;
	p->nvals = 0;
	p->nlayers = 0;
	p->malformed = 0;
	p->malformed_field = 0;
	p->malformed_why = NULL;
	p->ip_fragment = 0;
	p->truncated = 0;
	p->reasm = NULL;
	p->reasm_len = 0;
	p->text_len = 0;
}

void sl_packet_reset(struct sl_packet *p)
{
	memset(p->first, 0xff, sizeof(p->first));
	p->nvals = 0;
	clear(p);
}

/* Builds first[] and next[] once the table is complete. */
static void index_fields(struct sl_packet *p)
{
	for (unsigned i = p->nvals; i-- > 0;) {
		unsigned f = p->vals[i].field;

		p->next[i] = p->first[f];
		p->first[f] = (uint8_t)i;
	}
}

/* every field: what sl_dissect keeps, and what a spilled block holds */
_Static_assert(DIS_WORDS_MAX == 16, "dis_every lists DIS_WORDS_MAX words");
const union dis_every dis_every = { .w = {
	~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull,
	~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull,
} };

int dis_full(struct dis *d, int field)
{
	d->nv = SL_PKT_MAX_VALS;
	return dis_malformed(d, sl_fields[field].proto,
			     "too many fields for one packet");
}

int dis_overflow(struct dis *d, const struct sl_fval *v)
{
	unsigned room = SL_PKT_MAX_VALS - d->nv;	/* less than the block */

	/* kept <= nv: what full dissection would keep fits */
	memcpy(d->w, v, room * sizeof(*v));
	d->w += room;
	return dis_full(d, v[room].field);
}

int dis_malformed(struct dis *d, int proto, const char *why)
{
	struct sl_packet *p = d->p;

	if (p->malformed)
		return -1;
	p->malformed = 1;
	p->malformed_field = (uint16_t)proto;
	p->malformed_why = why;
	/* the marker itself, when there is room for it */
	if (d->nv < SL_PKT_MAX_VALS) {
		struct sl_fval *v = d->w++;

		v->field = SL_F_MALFORMED;
		v->off = 0;
		v->len = 0;
		v->v.u = 0;
		d->nv++;
	}
	return -1;
}

int dis_short(struct dis *d, int proto, const char *why)
{
	if (d->p->caplen < d->p->len) {	/* the capture's snaplen cut it */
		d->p->truncated = 1;
		return -1;
	}
	return dis_malformed(d, proto, why);
}

void dis_data(struct dis *d, uint32_t off, uint32_t end)
{
	if (end <= off)
		return;
	if (dis_layer(d, SL_F_DATA, off, end - off) < 0)
		return;
	if (dis_bytes(d, SL_F_DATA_DATA, off, end - off) < 0)
		return;
	dis_uint(d, SL_F_DATA_LEN, 0, 0, end - off);
}

static int frame(struct dis *d)
{
	struct sl_packet *p = d->p;
	int64_t rel, delta = 0;
	int rc;

	if (dis_layer(d, SL_F_FRAME, 0, p->caplen) < 0)
		return -1;
	/* time stamps from a file can be anything: saturate, never overflow */
	if (__builtin_sub_overflow(p->ts_ns, p->first_ns, &rel))
		rel = p->ts_ns < 0 ? INT64_MIN : INT64_MAX;
	if (p->number > 1 &&
	    __builtin_sub_overflow(p->ts_ns, p->prev_ns, &delta))
		delta = p->ts_ns < 0 ? INT64_MIN : INT64_MAX;
#define FRAME(X, a) \
	X(a, 1, u, SL_F_FRAME_NUMBER, 0, 0, p->number) \
	X(a, 1, u, SL_F_FRAME_LEN, 0, 0, p->len) \
	X(a, 1, u, SL_F_FRAME_CAP_LEN, 0, 0, p->caplen) \
	X(a, 1, u, SL_F_FRAME_TIME_RELATIVE, 0, 0, (uint64_t)rel) \
	X(a, 1, u, SL_F_FRAME_TIME_DELTA, 0, 0, (uint64_t)delta)
	DIS_FILL(d, FRAME, rc);
#undef FRAME
	return rc;
}

void sl_dissect(struct sl_packet *p, struct sl_stream_table *streams)
{
	sl_packet_reset(p);
	sl_dissect_fields(p, streams, NULL);
}

static void link_layer(struct dis *d, uint32_t end)
{
	struct sl_packet *p = d->p;

	switch (p->linktype) {
	case SL_LINK_ETHERNET:
		dis_eth(d, 0, end);
		break;
	case SL_LINK_SLL:
		dis_sll(d, 0, end);
		break;
	case SL_LINK_SLL2:
		dis_sll2(d, 0, end);
		break;
	case SL_LINK_NULL:
		dis_null(d, 0, end, 0);
		break;
	case SL_LINK_LOOP:
		dis_null(d, 0, end, 1);
		break;
	case SL_LINK_PPP:
		dis_ppp(d, 0, end, 1);
		break;
	case SL_LINK_RAW:
		if (end < 1) {
			dis_malformed(d, SL_F_FRAME, "empty raw IP packet");
			break;
		}
		if (p->data[0] >> 4 == 4)
			dis_ip4(d, 0, end);
		else if (p->data[0] >> 4 == 6)
			dis_ip6(d, 0, end);
		else
			dis_malformed(d, SL_F_IP, "raw packet is neither "
				      "IPv4 nor IPv6");
		break;
	default:
		dis_data(d, 0, end);
		break;
	}
}

/* What stream.c computes: the fields marked CONV in the registry.  Without
 * any of them wanted, the packet is dissected as without streams: only
 * these fields differ, and the count of values only by tcp.stream and the
 * reused-ports mark, in a TCP layer that ends the packet below
 * SL_PKT_MAX_VALS (at most ~150 values: IPv6 with twelve extension
 * headers, 40 bytes of TCP options), so no "too many fields" mark moves. */
#define CONV_BIT(k, id, name, type, proto, flags, desc) \
	| (SL_FIELD_FLAGS_##flags & SL_FIELD_FLAGS_CONV ? \
	   DIS_BIT(k, SL_F_##id) : 0)
#define CONV_WORD(a, k) (0ull SL_FIELDS(CONV_BIT, k))

void sl_dissect_fields(struct sl_packet *p, struct sl_stream_table *streams,
		       const struct sl_fieldset *want)
{
	struct sl_fval spill[DIS_BLOCK_MAX];
	struct dis d;

	/* field by field: a zeroing initialiser of the whole context costs
	 * a packet twice the stores */
	d.p = p;
	d.keep = want ? want : &dis_every.set;
	d.family = d.first_fragment = d.inner = d.have_fragoff = 0;
	d.fragoff = 0;
	d.src = d.dst = NULL;
	d.wire_end = 0;
	d.nv = 0;
	d.w = p->vals;
	d.l = p->layers;
	d.spill = spill;
	d.app = NULL;
	/* fragments join their datagram whatever is wanted */
	d.reasm = streams ? dis_stream_reasm(streams) : NULL;
	d.streams = DIS_KEEPS_M(&d, CONV_WORD, 0) ? streams : NULL;
	d.udp_streams = d.streams;
	clear(p);
	/* a capture never holds more than the wire carried */
	if (p->len < p->caplen)
		p->len = p->caplen;
	if (frame(&d) == 0)
		link_layer(&d, p->caplen);
	p->nvals = (uint16_t)(d.w - p->vals);
	p->nlayers = (uint8_t)(d.l - p->layers);
	index_fields(p);
}

unsigned sl_pkt_count(const struct sl_packet *p, int field)
{
	unsigned n = 0;

	for (const struct sl_fval *v = sl_pkt_get(p, field); v;
	     v = sl_pkt_next(p, v))
		n++;
	return n;
}
