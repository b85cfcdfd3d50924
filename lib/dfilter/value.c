/* value.c - a checked expression's values in one packet: a field's
 * values (in the layers asked for, sliced), constants, functions and
 * arithmetic; nothing allocated, what is made goes to the scratch */
#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "dfilter-int.h"

static int is_bytes_field(int ft)
{
	return ft == SL_FT_BYTES || ft == SL_FT_ETHER || ft == SL_FT_IPV6 ||
	       ft == SL_FT_STRING;
}

static uint8_t *scratch(struct df_scratch *s, size_t n)
{
	uint8_t *p;

	if (n > sizeof(s->b) - s->used)
		return NULL;
	p = s->b + s->used;
	s->used += n;
	return p;
}

static void add(struct dvl *out, const struct dv *v)
{
	if (out->n < DF_VALUES_MAX)
		out->v[out->n++] = *v;
}

/* The bytes of value v as a slice sees them: its own for byte fields and
 * addresses; a protocol's header (its item), as Wireshark's slices do.
 * For a whole protocol compared or searched (contains), from its header
 * to the end of its data. */
static int raw(const struct sl_packet *p, const struct sl_fval *v,
	       int sliced, struct dv *x)
{
	int ft = sl_fields[v->field].type;
	uint32_t cap;
	const uint8_t *src;

	if (is_bytes_field(ft)) {
		x->p = v->v.bytes.p;
		x->n = v->v.bytes.n;
		return 1;
	}
	src = sl_pkt_src(p, v, &cap);
	if (!src || v->off > cap)
		return 0;
	x->p = src + v->off;
	x->n = (ft == SL_FT_PROTO && !sliced) || v->len > cap - v->off ?
	       cap - v->off : v->len;
	return 1;
}

/* The ranges of x over the bytes in *b: in place for one, else joined in
 * the scratch.  0 when a range lies outside them. */
static int slice(const struct df_x *x, struct df_scratch *s, struct dv *b)
{
	const uint8_t *base = b->p;
	uint8_t *out = NULL;
	uint32_t total = 0;

	for (unsigned pass = 0; pass < 2; pass++) {
		uint32_t at = 0;

		for (unsigned i = 0; i < x->nranges; i++) {
			int64_t n = b->n, st = x->ranges[i].start,
				en = x->ranges[i].end;

			st = st < 0 ? n + st : st;
			en = en == INT32_MAX ? n : en < 0 ? n + en : en;
			if (st < 0 || en > n || st >= en)
				return 0;
			if (x->nranges == 1) {
				b->p = base + st;
				b->n = (uint32_t)(en - st);
				return 1;
			}
			if (pass)
				memcpy(out + at, base + st, (size_t)(en - st));
			at += (uint32_t)(en - st);
		}
		total = at;
		if (!pass && !(out = scratch(s, total)))
			return 0;
	}
	b->p = out;
	b->n = total;
	return 1;
}

/* Which occurrence (from 1) of its protocol's layer value i lies in. */
static unsigned layer_of(const struct sl_packet *p, unsigned i)
{
	unsigned k = 0, nth = 0;

	while (k + 1 < p->nlayers && p->layers[k + 1].first_val <= i)
		k++;
	for (unsigned j = 0; j <= k; j++)
		nth += p->layers[j].proto == p->layers[k].proto;
	return nth;
}

static void field(const struct df_x *x, const struct sl_packet *p,
		  struct df_scratch *s, struct dvl *out)
{
	for (unsigned i = p->first[x->field]; i < p->nvals; i = p->next[i]) {
		const struct sl_fval *v = &p->vals[i];
		struct dv d = { 0 };
		unsigned nth;

		if (x->layer_lo && ((nth = layer_of(p, i)) < x->layer_lo ||
				    nth > x->layer_hi))
			continue;
		if (x->nranges || x->cls == C_BYTES || x->cls == C_STR ||
		    x->cls == C_IPV6) {
			if (!raw(p, v, x->nranges != 0, &d))
				continue;
			if (x->nranges && !slice(x, s, &d))
				continue;
		} else {
			d.u = v->v.u;
		}
		add(out, &d);
	}
}

/* A value as text, as tshark's string() writes it. */
static void text(const struct df_x *a, const struct dv *v,
		 struct df_scratch *s, struct dvl *out)
{
	char t[64];
	int n = 0;
	struct dv d;
	uint32_t be;

	switch (a->cls) {
	case C_UINT:
		n = snprintf(t, sizeof(t), "%llu", (unsigned long long)v->u);
		break;
	case C_INT:
		n = snprintf(t, sizeof(t), "%lld", (long long)v->u);
		break;
	case C_TIME:
		n = snprintf(t, sizeof(t), "%s%llu.%09llu",
			     (int64_t)v->u < 0 ? "-" : "",
			     (unsigned long long)((int64_t)v->u < 0 ?
			     0 - v->u : v->u) / 1000000000ull,
			     (unsigned long long)((int64_t)v->u < 0 ?
			     0 - v->u : v->u) % 1000000000ull);
		break;
	case C_IPV4:
		be = htonl((uint32_t)v->u);
		inet_ntop(AF_INET, &be, t, sizeof(t));
		n = (int)strlen(t);
		break;
	case C_IPV6:
		if (v->n == 16 && inet_ntop(AF_INET6, v->p, t, sizeof(t)))
			n = (int)strlen(t);
		break;
	default:
		if (a->kind == X_FIELD && a->ftype == SL_FT_ETHER &&
		    v->n == 6) {
			n = snprintf(t, sizeof(t),
				     "%02x:%02x:%02x:%02x:%02x:%02x", v->p[0],
				     v->p[1], v->p[2], v->p[3], v->p[4],
				     v->p[5]);
			break;
		}
		add(out, v);	/* bytes and text are their own */
		return;
	}
	if (n <= 0 || !(d.p = scratch(s, (size_t)n)))
		return;
	memcpy((uint8_t *)d.p, t, (size_t)n);
	d.n = (uint32_t)n;
	d.u = 0;
	add(out, &d);
}

static void case_map(const struct dv *v, int up, struct df_scratch *s,
		     struct dvl *out)
{
	uint8_t *b = scratch(s, v->n ? v->n : 1);
	struct dv d = { 0, b, v->n };

	if (!b)
		return;
	for (uint32_t i = 0; i < v->n; i++)
		b[i] = (uint8_t)(up ? toupper(v->p[i]) : tolower(v->p[i]));
	add(out, &d);
}

/* len(): a value's length in bytes (a number's or a protocol header's on
 * the wire, a slice's). */
static void len_of(const struct df_x *f, const struct sl_packet *p,
		   struct df_scratch *s, struct dvl *out)
{
	for (unsigned i = p->first[f->field]; i < p->nvals; i = p->next[i]) {
		const struct sl_fval *v = &p->vals[i];
		struct dv d = { v->len, NULL, 0 }, b;
		unsigned nth;

		if (f->layer_lo && ((nth = layer_of(p, i)) < f->layer_lo ||
				    nth > f->layer_hi))
			continue;
		if (f->nranges) {
			if (!raw(p, v, 1, &b) || !slice(f, s, &b))
				continue;
			d.u = b.n;
		} else if (is_bytes_field(f->ftype)) {
			d.u = v->v.bytes.n;
		}
		add(out, &d);
	}
}

static int64_t sval(const struct dv *v)
{
	return (int64_t)v->u;
}

static void func(const struct df_x *x, const struct sl_packet *p,
		 struct df_scratch *s, struct dvl *out)
{
	struct dvl a;
	struct dv best = { 0 };
	int have = 0;

	if (x->op == F_LEN) {
		len_of(x->args[0], p, s, out);
		return;
	}
	a.n = 0;
	if (x->op != F_MIN && x->op != F_MAX)
		df_values(x->args[0], p, s, &a);
	switch (x->op) {
	case F_COUNT:
		if (a.n) {
			struct dv d = { a.n, NULL, 0 };

			add(out, &d);
		}
		return;
	case F_UPPER:
	case F_LOWER:
		for (unsigned i = 0; i < a.n; i++)
			case_map(&a.v[i], x->op == F_UPPER, s, out);
		return;
	case F_STRING:
		for (unsigned i = 0; i < a.n; i++)
			text(x->args[0], &a.v[i], s, out);
		return;
	case F_ABS:
		for (unsigned i = 0; i < a.n; i++) {
			struct dv d = a.v[i];

			if (x->cls != C_UINT && sval(&d) < 0)
				d.u = 0 - d.u;
			add(out, &d);
		}
		return;
	default:			/* min, max over every argument */
		for (unsigned k = 0; k < x->nargs; k++) {
			a.n = 0;
			df_values(x->args[k], p, s, &a);
			for (unsigned i = 0; i < a.n; i++) {
				int less = x->cls == C_UINT ?
					   a.v[i].u < best.u :
					   sval(&a.v[i]) < sval(&best);

				if (!have || less == (x->op == F_MIN))
					best = a.v[i];
				have = 1;
			}
		}
		if (have)
			add(out, &best);
		return;
	}
}

/* bytes (up to 8) as a big-endian number */
static uint64_t be_num(const struct dv *v)
{
	uint64_t u = 0;

	for (uint32_t i = 0; i < v->n && i < 8; i++)
		u = u << 8 | v->p[i];
	return u;
}

/* One result of a op b; 0 when there is none (division by zero). */
static int arith(const struct df_x *x, const struct dv *a,
		 const struct dv *b, struct df_scratch *s, struct dv *r)
{
	int ca = x->args[0]->cls, cb = x->args[1]->cls;
	int64_t l = sval(a), m = sval(b);

	memset(r, 0, sizeof(*r));
	switch (x->op) {
	case T_BAND:
		if (ca == C_BYTES && cb == C_BYTES) {
			uint32_t n = a->n < b->n ? a->n : b->n;
			uint8_t *o = scratch(s, n ? n : 1);

			if (!o)
				return 0;
			for (uint32_t i = 0; i < n; i++)
				o[i] = a->p[i] & b->p[i];
			r->p = o;
			r->n = n;
			return 1;
		}
		r->u = (ca == C_BYTES ? be_num(a) : a->u) &
		       (cb == C_BYTES ? be_num(b) : b->u);
		return 1;
	case T_PLUS: r->u = (uint64_t)l + (uint64_t)m; return 1;
	case T_MINUS: r->u = (uint64_t)l - (uint64_t)m; return 1;
	case T_STAR: r->u = (uint64_t)l * (uint64_t)m; return 1;
	default:
		if (m == 0 || (l == INT64_MIN && m == -1))
			return 0;
		r->u = (uint64_t)(x->op == T_SLASH ? l / m : l % m);
		return 1;
	}
}

void df_values(const struct df_x *x, const struct sl_packet *p,
	       struct df_scratch *s, struct dvl *out)
{
	struct dvl a, b;
	struct dv d;

	switch (x->kind) {
	case X_FIELD:
		field(x, p, s, out);
		return;
	case X_CONST:
		d.u = x->c.u;
		d.p = x->c.p;
		d.n = x->c.n;
		add(out, &d);
		return;
	case X_FUNC:
		func(x, p, s, out);
		return;
	case X_NEG:
		a.n = 0;
		df_values(x->args[0], p, s, &a);
		for (unsigned i = 0; i < a.n; i++) {
			d = a.v[i];
			d.u = 0 - d.u;
			add(out, &d);
		}
		return;
	case X_ARITH:
		a.n = b.n = 0;
		df_values(x->args[0], p, s, &a);
		if (a.n)
			df_values(x->args[1], p, s, &b);
		for (unsigned i = 0; i < a.n; i++)
			for (unsigned j = 0; j < b.n; j++)
				if (arith(x, &a.v[i], &b.v[j], s, &d))
					add(out, &d);
		return;
	default:			/* X_REF: no frame is selected */
		return;
	}
}
