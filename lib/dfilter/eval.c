/* eval.c - the checked tree over one packet's field table; no allocation:
 * a plain number comparison reads the field's values straight from the
 * table, every other relation compares the two sides' values (value.c) */
#include <string.h>

#include "dfilter-int.h"

static int cmp_bytes(const uint8_t *a, uint32_t an, const uint8_t *b,
		     uint32_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);

	if (r)
		return r;
	return an < bn ? -1 : an > bn;
}

static int cmp_v6(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;
	int r = memcmp(a, b, whole);
	uint8_t m;

	if (r || !rest)
		return r;
	m = (uint8_t)(0xff << (8 - rest));
	return (a[whole] & m) - (b[whole] & m);
}

static int sign(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

int df_compare(uint8_t cls, const struct dv *x, const struct df_const *k)
{
	uint64_t m;

	if (k->never)
		return 2;
	switch (cls) {
	case C_UINT:
		return x->u < k->u ? -1 : x->u > k->u;
	case C_INT:
	case C_TIME:
		return sign((int64_t)x->u, (int64_t)k->u);
	case C_IPV4:
		m = k->bits ? (0xffffffffu << (32 - k->bits)) & 0xffffffffu : 0;
		return (x->u & m) < (k->u & m) ? -1 : (x->u & m) > (k->u & m);
	case C_IPV6:
		if (x->n != 16 || k->n != 16)
			return cmp_bytes(x->p, x->n, k->p, k->n);
		return cmp_v6(x->p, k->p, k->bits);
	case C_STR:
		return cmp_bytes(x->p, x->n, k->p, k->n);
	default:		/* bytes: the shorter first, as Wireshark */
		if (x->n != k->n)
			return x->n < k->n ? -1 : 1;
		return memcmp(x->p, k->p, x->n);
	}
}

/* An unsigned value against a signed one (arithmetic gives signed): as
 * numbers, never wrapping. */
static int cmp_mixed(const struct dv *x, int xs, const struct df_const *k,
		     int ks)
{
	if (xs && !ks)
		return (int64_t)x->u < 0 || x->u < k->u ? -1 : x->u > k->u;
	if (!xs && ks)
		return (int64_t)k->u < 0 || x->u > k->u ? 1 : -(x->u < k->u);
	return 0;
}

static int test(const struct df_node *n, uint8_t ycls, const struct dv *x,
		const struct df_const *k)
{
	int c, xs = n->cls == C_INT, ks = ycls == C_INT;

	switch (n->op) {
	case OP_CONTAINS:
		return k->n == 0 || (x->n >= k->n &&
				     memmem(x->p, x->n, k->p, k->n) != NULL);
	case OP_MATCHES:
		return df_re_match(n->re, x->p, x->n);
	default:
		break;
	}
	c = xs != ks && (n->cls == C_UINT || n->cls == C_INT) ?
	    cmp_mixed(x, xs, k, ks) : df_compare(n->cls, x, k);
	if (c == 2)			/* never: unequal, and not ordered */
		return n->op == OP_NE;
	switch (n->op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	default: return c >= 0;
	}
}

static void as_const(const struct dv *v, uint8_t bits, struct df_const *k)
{
	k->u = v->u;
	k->p = v->p;
	k->n = v->n;
	k->bits = bits;
	k->never = 0;
}

/* x against a set: an element, or inside a range. */
static int in_set(const struct df_node *n, const struct sl_packet *p,
		  struct df_scratch *s, const struct dv *x)
{
	for (uint32_t i = 0; i < n->nset; i++) {
		struct dvl lo, hi;
		struct df_const kl, kh;

		if (n->xs_lo[i]->kind == X_CONST) {
			kl = n->xs_lo[i]->c;
			kh = n->xs_hi[i]->c;
			if (!kl.never && !kh.never &&
			    df_compare(n->cls, x, &kl) >= 0 &&
			    df_compare(n->cls, x, &kh) <= 0)
				return 1;
			continue;
		}
		lo.n = hi.n = 0;
		df_values(n->xs_lo[i], p, s, &lo);
		df_values(n->xs_hi[i], p, s, &hi);
		for (unsigned a = 0; a < lo.n; a++)
			for (unsigned b = 0; b < hi.n; b++) {
				as_const(&lo.v[a], n->cls == C_IPV6 ? 128 : 32,
					 &kl);
				as_const(&hi.v[b], n->cls == C_IPV6 ? 128 : 32,
					 &kh);
				if (df_compare(n->cls, x, &kl) >= 0 &&
				    df_compare(n->cls, x, &kh) <= 0)
					return 1;
			}
	}
	return 0;
}

/* One value of the left side against the right side: any of its values,
 * or all of them for the "all" operators. */
static int against(const struct df_node *n, const struct dvl *r,
		   const struct dv *x)
{
	struct df_const k;
	int seen = 0, t;

	for (unsigned i = 0; i < r->n; i++) {
		as_const(&r->v[i], n->y->kind == X_CONST ? n->y->c.bits :
			 n->cls == C_IPV6 ? 128 : 32, &k);
		if (n->y->kind == X_CONST)
			k.never = n->y->c.never;
		seen = 1;
		t = test(n, n->y->cls, x, &k);
		if (t != n->all)
			return t;
	}
	return seen && n->all;
}

/* The general relation: any (or every) pair of values passes.  Out of
 * line: its value lists stay out of eval()'s frame, which nests. */
static __attribute__((noinline)) int relation(const struct df_node *n, const struct sl_packet *p)
{
	struct df_scratch s;
	struct dvl l, r;
	int t;

	s.used = 0;
	l.n = r.n = 0;
	df_values(n->x, p, &s, &l);
	if (!l.n)
		return 0;		/* absent: false */
	if (n->op != OP_IN && n->op != OP_MATCHES) {
		df_values(n->y, p, &s, &r);
		if (!r.n)
			return 0;
	}
	for (unsigned i = 0; i < l.n; i++) {
		t = n->op == OP_IN ? in_set(n, p, &s, &l.v[i]) :
		    n->op == OP_MATCHES ? test(n, C_BYTES, &l.v[i], NULL) :
		    against(n, &r, &l.v[i]);
		if (t != n->all)
			return t;	/* any: one passed; all: one failed */
	}
	return n->all;
}

/* An expression alone: a value that exists (a field in its layer, a slice
 * in range), or arithmetic that is not zero. */
static __attribute__((noinline)) int bare(const struct df_node *n,
					  const struct sl_packet *p)
{
	struct df_scratch s;
	struct dvl l;

	s.used = 0;
	l.n = 0;
	df_values(n->x, p, &s, &l);
	if (n->x->kind != X_ARITH)
		return l.n > 0;
	for (unsigned i = 0; i < l.n; i++) {
		if (n->x->cls != C_BYTES && l.v[i].u)
			return 1;
		for (uint32_t j = 0; n->x->cls == C_BYTES && j < l.v[i].n; j++)
			if (l.v[i].p[j])
				return 1;
	}
	return 0;
}

/* The common case (n->number), as relation() would decide it. */
static int cmp_number(const struct df_node *n, const struct sl_packet *p)
{
	uint64_t k = (n->c.u & n->mask) ^ n->flip;
	unsigned i = p->first[n->lhs.field];
	int r;

	if (i >= p->nvals)
		return 0;	/* absent */
	for (; i < p->nvals; i = p->next[i]) {
		uint64_t x = (p->vals[i].v.u & n->mask) ^ n->flip;

		r = n->holds >> ((x > k) - (x < k) + 1) & 1;
		if (r != n->all)
			return r;	/* any: one passed; all: one failed */
	}
	return n->all;
}

static int eval(const struct df_node *n, const struct sl_packet *p);

/* A test (no frame of its own when it is a leaf, the usual case). */
static inline int eval_one(const struct df_node *n,
			   const struct sl_packet *p)
{
	switch (n->kind) {
	case N_EXISTS:
		return p->first[n->lhs.field] < p->nvals;
	case N_CMP:
		return n->number ? cmp_number(n, p) : relation(n, p);
	case N_TEST:
		return bare(n, p);
	default:
		return eval(n, p);
	}
}

static int eval(const struct df_node *n, const struct sl_packet *p)
{
	for (;;) {
		switch (n->kind) {
		case N_TRUE:
			return 1;
		case N_NOT:
			return !eval_one(n->a, p);
		case N_AND:
			if (!eval_one(n->a, p))
				return 0;
			n = n->b;
			break;
		case N_OR:
			if (eval_one(n->a, p))
				return 1;
			n = n->b;
			break;
		default:	/* a leaf */
			return eval_one(n, p);
		}
	}
}

int sl_dfilter_match(const struct sl_dfilter *f, const struct sl_packet *p)
{
	return eval(f->root, p);
}

/* Every field expression x reads. */
static void fields_x(const struct df_x *x, struct sl_fieldset *s)
{
	if (!x)
		return;
	if (x->kind == X_FIELD || (x->kind == X_FUNC && (x->op == F_LEN ||
							 x->op == F_COUNT)))
		sl_fieldset_add(s, x->field);
	for (unsigned i = 0; i < x->nargs; i++)
		fields_x(x->args[i], s);
}

static void fields_of(const struct df_node *n, struct sl_fieldset *s)
{
	for (; n; n = n->b) {
		switch (n->kind) {
		case N_EXISTS:
			sl_fieldset_add(s, n->lhs.field);
			return;
		case N_CMP:
		case N_TEST:
			fields_x(n->x, s);
			fields_x(n->y, s);
			for (uint32_t i = 0; n->xs_lo && i < n->nset; i++) {
				fields_x(n->xs_lo[i], s);
				fields_x(n->xs_hi[i], s);
			}
			return;
		case N_NOT:
		case N_AND:
		case N_OR:
			fields_of(n->a, s);
			break;	/* N_NOT's b is NULL */
		default:	/* N_TRUE */
			return;
		}
	}
}

void sl_dfilter_fields(const struct sl_dfilter *f, struct sl_fieldset *s)
{
	fields_of(f->root, s);
}
