/* dissect.c - walks the layers of one packet and owns its field table */
#include <string.h>

#include "dissect-int.h"

#define NO_VAL 0xffff

void sl_packet_reset(struct sl_packet *p)
{
	p->nvals = 0;
	p->nlayers = 0;
	p->malformed = 0;
	p->malformed_field = 0;
	p->malformed_why = NULL;
	p->ip_fragment = 0;
	p->truncated = 0;
	memset(p->first, 0xff, sizeof(p->first));
}

static struct sl_fval *add(struct dis *d, int field, uint32_t off,
			   uint32_t len)
{
	struct sl_packet *p = d->p;
	struct sl_fval *v;

	if (p->nvals >= SL_PKT_MAX_VALS) {
		dis_malformed(d, field >= 0 && field < SL_F_COUNT ?
			      sl_fields[field].proto : SL_F_FRAME,
			      "too many fields for one packet");
		return NULL;
	}
	v = &p->vals[p->nvals];
	v->field = (uint16_t)field;
	v->off = off;
	v->len = (uint16_t)(len > 0xffff ? 0xffff : len);
	if (p->first[field] == NO_VAL)
		p->first[field] = p->nvals;
	p->nvals++;
	return v;
}

int dis_uint(struct dis *d, int field, uint32_t off, uint32_t len,
	     uint64_t u)
{
	struct sl_fval *v = add(d, field, off, len);

	if (!v)
		return -1;
	v->v.u = u;
	return 0;
}

int dis_bytes(struct dis *d, int field, uint32_t off, uint32_t len)
{
	struct sl_fval *v = add(d, field, off, len);

	if (!v)
		return -1;
	v->v.bytes.p = d->p->data + off;
	v->v.bytes.n = len;
	return 0;
}

int dis_layer(struct dis *d, int proto, uint32_t off, uint32_t len)
{
	struct sl_packet *p = d->p;
	struct sl_layer *l;

	if (p->nlayers >= SL_PKT_MAX_LAYERS)
		return dis_malformed(d, proto, "too many layers");
	l = &p->layers[p->nlayers];
	l->proto = (uint16_t)proto;
	l->first_val = p->nvals;
	l->off = off;
	l->len = len;
	if (dis_uint(d, proto, off, len, 0) < 0)
		return -1;
	p->nlayers++;
	return 0;
}

void dis_layer_len(struct dis *d, uint32_t len)
{
	struct sl_packet *p = d->p;

	if (p->nlayers > 0) {
		struct sl_layer *l = &p->layers[p->nlayers - 1];

		l->len = len;
		p->vals[l->first_val].len = (uint16_t)(len > 0xffff ? 0xffff :
						       len);
	}
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
	if (p->nvals < SL_PKT_MAX_VALS) {
		struct sl_fval *v = &p->vals[p->nvals];

		v->field = SL_F_MALFORMED;
		v->off = 0;
		v->len = 0;
		v->v.u = 0;
		if (p->first[SL_F_MALFORMED] == NO_VAL)
			p->first[SL_F_MALFORMED] = p->nvals;
		p->nvals++;
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
	struct sl_fval *v;

	/* time stamps from a file can be anything: saturate, never overflow */
	if (__builtin_sub_overflow(p->ts_ns, p->first_ns, &rel))
		rel = p->ts_ns < 0 ? INT64_MIN : INT64_MAX;
	if (p->number > 1 &&
	    __builtin_sub_overflow(p->ts_ns, p->prev_ns, &delta))
		delta = p->ts_ns < 0 ? INT64_MIN : INT64_MAX;

	if (dis_layer(d, SL_F_FRAME, 0, p->caplen) < 0 ||
	    dis_uint(d, SL_F_FRAME_NUMBER, 0, 0, p->number) < 0 ||
	    dis_uint(d, SL_F_FRAME_LEN, 0, 0, p->len) < 0 ||
	    dis_uint(d, SL_F_FRAME_CAP_LEN, 0, 0, p->caplen) < 0)
		return -1;
	if (!(v = add(d, SL_F_FRAME_TIME_RELATIVE, 0, 0)))
		return -1;
	v->v.ns = rel;
	if (!(v = add(d, SL_F_FRAME_TIME_DELTA, 0, 0)))
		return -1;
	v->v.ns = delta;
	return 0;
}

void sl_dissect(struct sl_packet *p, struct sl_stream_table *streams)
{
	struct dis d = { .p = p, .streams = streams };
	uint32_t end;

	sl_packet_reset(p);
	/* a capture never holds more than the wire carried */
	if (p->len < p->caplen)
		p->len = p->caplen;
	end = p->caplen;
	if (frame(&d) < 0)
		return;
	switch (p->linktype) {
	case SL_LINK_ETHERNET:
		dis_eth(&d, 0, end);
		break;
	case SL_LINK_SLL:
		dis_sll(&d, 0, end);
		break;
	case SL_LINK_SLL2:
		dis_sll2(&d, 0, end);
		break;
	case SL_LINK_NULL:
		dis_null(&d, 0, end, 0);
		break;
	case SL_LINK_LOOP:
		dis_null(&d, 0, end, 1);
		break;
	case SL_LINK_RAW:
		if (end < 1) {
			dis_malformed(&d, SL_F_FRAME, "empty raw IP packet");
			break;
		}
		if (p->data[0] >> 4 == 4)
			dis_ip4(&d, 0, end);
		else if (p->data[0] >> 4 == 6)
			dis_ip6(&d, 0, end);
		else
			dis_malformed(&d, SL_F_IP, "raw packet is neither "
				      "IPv4 nor IPv6");
		break;
	default:
		dis_data(&d, 0, end);
		break;
	}
}

const struct sl_fval *sl_pkt_get(const struct sl_packet *p, int field)
{
	if (field < 0 || field >= SL_F_COUNT || p->first[field] == NO_VAL)
		return NULL;
	return &p->vals[p->first[field]];
}

const struct sl_fval *sl_pkt_next(const struct sl_packet *p,
				  const struct sl_fval *v)
{
	const struct sl_fval *end = p->vals + p->nvals;

	for (const struct sl_fval *w = v + 1; w < end; w++)
		if (w->field == v->field)
			return w;
	return NULL;
}

int sl_pkt_has(const struct sl_packet *p, int field)
{
	return sl_pkt_get(p, field) != NULL;
}

uint64_t sl_pkt_uint(const struct sl_packet *p, int field, uint64_t dflt)
{
	const struct sl_fval *v = sl_pkt_get(p, field);

	return v ? v->v.u : dflt;
}

unsigned sl_pkt_count(const struct sl_packet *p, int field)
{
	unsigned n = 0;

	for (const struct sl_fval *v = sl_pkt_get(p, field); v;
	     v = sl_pkt_next(p, v))
		n++;
	return n;
}
