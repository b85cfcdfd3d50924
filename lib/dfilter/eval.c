/* eval.c - the checked tree over one packet's field table; no allocation,
 * each field's values found through the packet's first[] and next[] */
#include <stdlib.h>
#include <string.h>

#include "dfilter-int.h"

/* One value as the comparison sees it. */
struct dv {
	uint64_t u;
	const uint8_t *p;
	uint32_t n;
};

static int is_bytes_field(int ft)
{
	return ft == SL_FT_BYTES || ft == SL_FT_ETHER || ft == SL_FT_IPV6;
}

/* The bytes of value v: its own for byte fields; for a protocol, as in
 * Wireshark, from its header to the end of the packet ("tcp contains" sees
 * the payload, len(tcp) is the header); never past what was captured. */
static void raw_bytes(const struct sl_packet *p, const struct sl_fval *v,
		      struct dv *x)
{
	int ft = sl_fields[v->field].type;
	uint32_t cap;
	const uint8_t *src;

	if (is_bytes_field(ft)) {
		x->p = v->v.bytes.p;
		x->n = v->v.bytes.n;
	} else if ((src = sl_pkt_src(p, v, &cap)) && v->off <= cap) {
		/* the frame, or the datagram it completed */
		x->p = src + v->off;
		x->n = ft == SL_FT_PROTO || v->len > cap - v->off ?
		       cap - v->off : v->len;
	} else {
		x->p = NULL;
		x->n = 0;
	}
}

/* Reads what g asks of v into x; 0 when it does not exist (a slice past
 * the end). */
static int load(const struct df_get *g, const struct sl_packet *p,
		const struct sl_fval *v, struct dv *x)
{
	int64_t s, e, n;

	switch (g->how) {
	case H_VALUE:
		if (is_bytes_field(sl_fields[v->field].type)) {
			x->p = v->v.bytes.p;
			x->n = v->v.bytes.n;
		} else {
			x->u = v->v.u;
		}
		return 1;
	case H_LEN:
		raw_bytes(p, v, x);
		x->u = is_bytes_field(sl_fields[v->field].type) ? x->n : v->len;
		return 1;
	default:
		break;
	}
	raw_bytes(p, v, x);
	if (!g->sliced)
		return 1;
	n = x->n;
	s = g->start < 0 ? n + g->start : g->start;
	e = g->end == INT32_MAX ? n : g->end < 0 ? n + g->end : g->end;
	if (s < 0 || e > n || s >= e)
		return 0;
	x->p += s;
	x->n = (uint32_t)(e - s);
	return 1;
}

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

/* x compared with constant k: <0, 0, >0. */
static int compare(uint8_t cls, const struct dv *x, const struct df_const *k)
{
	uint64_t m;

	switch (cls) {
	case C_UINT:
		return x->u < k->u ? -1 : x->u > k->u;
	case C_INT:
		return (int64_t)x->u < (int64_t)k->u ? -1 :
		       (int64_t)x->u > (int64_t)k->u;
	case C_IPV4:
		m = k->bits ? (0xffffffffu << (32 - k->bits)) & 0xffffffffu : 0;
		return (x->u & m) < (k->u & m) ? -1 : (x->u & m) > (k->u & m);
	case C_IPV6:
		if (x->n != 16)
			return cmp_bytes(x->p, x->n, k->p, k->n);
		return cmp_v6(x->p, k->p, k->bits);
	default:
		return cmp_bytes(x->p, x->n, k->p, k->n);
	}
}

/* regexec wants a C string, and sanitizers check it as one even under
 * REG_STARTEND: the bytes go through a NUL-terminated per-thread copy
 * (embedded NULs stay, REG_STARTEND sees past them). */
static int matches(const regex_t *re, const struct dv *x)
{
	static _Thread_local char scratch[65536 + 1];
	regmatch_t m = { 0, (regoff_t)x->n };
	char *s = scratch;
	int r;

	if (x->n >= sizeof(scratch) && !(s = malloc((size_t)x->n + 1)))
		return 0;
	if (x->n)
		memcpy(s, x->p, x->n);
	s[x->n] = '\0';
	r = regexec(re, s, 1, &m, REG_STARTEND) == 0;
	if (s != scratch)
		free(s);
	return r;
}

static int test(const struct df_node *n, const struct dv *x,
		const struct df_const *k)
{

	switch (n->op) {
	case OP_EQ: return compare(n->cls, x, k) == 0;
	case OP_NE: return compare(n->cls, x, k) != 0;
	case OP_LT: return compare(n->cls, x, k) < 0;
	case OP_LE: return compare(n->cls, x, k) <= 0;
	case OP_GT: return compare(n->cls, x, k) > 0;
	case OP_GE: return compare(n->cls, x, k) >= 0;
	case OP_BAND: return (x->u & k->u) != 0;
	case OP_CONTAINS:
		return k->n == 0 || (x->n >= k->n &&
				     memmem(x->p, x->n, k->p, k->n) != NULL);
	case OP_MATCHES:
		return matches(n->re, x);
	case OP_IN:
		for (uint32_t i = 0; i < n->nset; i++)
			if (compare(n->cls, x, &n->lo[i]) >= 0 &&
			    compare(n->cls, x, &n->hi[i]) <= 0)
				return 1;
		return 0;
	}
	return 0;
}

/* x against the right side's values (a field): any of them, or all for
 * the "all" operators. */
static int test_field(const struct df_node *n, const struct sl_packet *p,
		      const struct dv *x)
{
	struct df_const k = { .bits = n->cls == C_IPV6 ? 128 : 32 };
	struct dv y = { 0 };	/* load() sets only what the field has */
	int seen = 0, r;

	for (unsigned i = p->first[n->rhs.field]; i < p->nvals;
	     i = p->next[i]) {
		if (!load(&n->rhs, p, &p->vals[i], &y))
			continue;
		k.u = y.u;
		k.p = y.p;
		k.n = y.n;
		seen = 1;
		r = test(n, x, &k);
		if (r != n->all)
			return r;
	}
	return seen && n->all;
}

/* The common case (n->number), as eval_cmp would decide it. */
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

static int eval_cmp(const struct df_node *n, const struct sl_packet *p)
{
	unsigned i = p->first[n->lhs.field];
	struct dv x;
	int seen = 0, r;

	if (i >= p->nvals)
		return 0;
	if (n->lhs.how == H_COUNT) {
		x.u = 0;
		for (; i < p->nvals; i = p->next[i])
			x.u++;
		return test(n, &x, &n->c);
	}
	for (; i < p->nvals; i = p->next[i]) {
		if (!load(&n->lhs, p, &p->vals[i], &x))
			continue;
		seen = 1;
		r = n->rhs_field ? test_field(n, p, &x) : test(n, &x, &n->c);
		if (r != n->all)
			return r;	/* any: one passed; all: one failed */
	}
	return seen && n->all;
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
		return n->number ? cmp_number(n, p) : eval_cmp(n, p);
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

static void fields_of(const struct df_node *n, struct sl_fieldset *s)
{
	for (; n; n = n->b) {
		switch (n->kind) {
		case N_EXISTS:
		case N_CMP:
			sl_fieldset_add(s, n->lhs.field);
			if (n->rhs_field)
				sl_fieldset_add(s, n->rhs.field);
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
