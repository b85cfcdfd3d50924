/* sem.c - the syntax tree's relations checked: both sides typed (expr.c),
 * every constant parsed once into the other side's class (literal.c),
 * regexes compiled (regex.c); a plain field against constants is marked
 * simple, for eval.c's short ways and bpf.c */
#include <errno.h>
#include <string.h>

#include "dfilter-int.h"

static const struct {
	enum df_tok tok;
	uint8_t op, all;
} ops[] = {
	{ T_EQ, OP_EQ, 0 }, { T_NE, OP_NE, 1 }, { T_ALL_EQ, OP_EQ, 1 },
	{ T_ANY_NE, OP_NE, 0 }, { T_LT, OP_LT, 0 }, { T_LE, OP_LE, 0 },
	{ T_GT, OP_GT, 0 }, { T_GE, OP_GE, 0 },
	{ T_CONTAINS, OP_CONTAINS, 0 }, { T_MATCHES, OP_MATCHES, 0 },
	{ T_IN, OP_IN, 0 },
};

/* How a side is named in messages. */
static const char *name_of(const struct df_x *x)
{
	static const char *const fn[] = {
		[F_LEN] = "len()", [F_COUNT] = "count()", [F_UPPER] = "upper()",
		[F_LOWER] = "lower()", [F_STRING] = "string()",
		[F_ABS] = "abs()", [F_MIN] = "min()", [F_MAX] = "max()",
	};

	switch (x->kind) {
	case X_FIELD: return sl_fields[x->field].name;
	case X_FUNC: return fn[x->op];
	case X_REF: return "the reference";
	default: return "the expression";
	}
}

/* The field a literal beside x is a value of (value names, MAC length),
 * or -1. */
static int field_ctx(const struct df_x *x)
{
	return x->kind == X_FIELD && !x->nranges ? x->field : -1;
}

static int compatible(int a, int b)
{
	if (a == b)
		return 1;
	if ((a == C_UINT || a == C_INT) && (b == C_UINT || b == C_INT))
		return 1;
	return (a == C_BYTES || a == C_STR) && (b == C_BYTES || b == C_STR);
}

/* One side against x: a literal in x's class, or an expression of a
 * class that compares with it. */
static int check_side(struct df_ctx *c, const struct df_x *x,
		      const struct df_expr *e, int contains, struct df_x **out)
{
	struct df_lit lit;
	struct df_x *y;
	int rc;

	if (df_expr_is_literal(e)) {
		if (!(y = df_alloc(c->arena, sizeof(*y))))
			return df_oom(c);
		y->kind = X_CONST;
		y->cls = x->cls;
		y->tok = e->tok;
		*out = y;
		lit.cls = x->cls;
		lit.field = contains ? -1 : field_ctx(x);
		lit.bits = x->bits;
		lit.uns = x->kind == X_ARITH && x->args[0]->cls == C_UINT;
		lit.what = name_of(x);
		return df_expr_literal(c, e, &lit, &y->c);
	}
	if ((rc = df_expr_check(c, e, x->cls, &y)) < 0)
		return rc;
	*out = y;
	if (!compatible(x->cls, y->cls))
		return df_error_at(c, e->tok, "%s (%s) and %s (%s) cannot be "
				   "compared", name_of(x), df_cls_words(x->cls),
				   name_of(y), df_cls_words(y->cls));
	return 0;
}

static int check_set(struct df_ctx *c, const struct df_ast *a,
		     struct df_node *n)
{
	size_t k = a->nset;
	int rc, consts = 1;

	n->nset = (uint32_t)k;
	n->xs_lo = df_alloc(c->arena, k * sizeof(*n->xs_lo));
	n->xs_hi = df_alloc(c->arena, k * sizeof(*n->xs_hi));
	n->lo = df_alloc(c->arena, k * sizeof(*n->lo));
	n->hi = df_alloc(c->arena, k * sizeof(*n->hi));
	if (!n->xs_lo || !n->xs_hi || !n->lo || !n->hi)
		return df_oom(c);
	for (size_t i = 0; i < k; i++) {
		const struct df_setel *el = &a->set[i];

		if ((rc = check_side(c, n->x, el->lo, 0, &n->xs_lo[i])) < 0)
			return rc;
		n->xs_hi[i] = n->xs_lo[i];
		if (el->hi) {
			if (n->x->cls == C_BYTES || n->x->cls == C_STR)
				return df_error_at(c, el->hi->tok, "a range needs "
						   "numbers or addresses, not "
						   "bytes");
			if ((rc = check_side(c, n->x, el->hi, 0,
					     &n->xs_hi[i])) < 0)
				return rc;
		}
		consts &= n->xs_lo[i]->kind == X_CONST &&
			  n->xs_hi[i]->kind == X_CONST;
		n->lo[i] = n->xs_lo[i]->c;
		n->hi[i] = n->xs_hi[i]->c;
	}
	n->c = n->lo[0];
	return consts ? 0 : 1;	/* 1: not all constants (no short ways) */
}

/* The left side must be a field, a function or arithmetic on them. */
static int check_lhs(struct df_ctx *c, const struct df_ast *a,
		     struct df_x **out)
{
	const struct df_token *t = a->a->tok;

	if (df_expr_is_literal(a->a) && (a->a->kind != E_WORD ||
					 df_looks_like_value(t)))
		return df_error_at(c, t, "the left side of \"%.*s\" must be a "
				   "field, not the value %.*s: write the field "
				   "first", a->op->len, a->op->text, t->len,
				   t->text);
	return df_expr_check(c, a->a, -1, out);	/* an unknown field */
}

/* A plain field: no layer, at most one range; for the short ways. */
static int plain(const struct df_x *x)
{
	return x->kind == X_FIELD && !x->layer_lo && x->nranges <= 1;
}

/* Fills lhs/rhs/c for the short ways and bpf.c when the relation is a
 * plain field (or len/count of one) against constants or a plain field. */
static void mark_simple(struct df_node *n, int set_consts)
{
	const struct df_x *x = n->x;
	const struct df_x *f = x->kind == X_FUNC &&
		(x->op == F_LEN || x->op == F_COUNT) ? x->args[0] : x;

	if (!plain(f) || (f != x && f->nranges))
		return;
	n->lhs.field = f->field;
	n->lhs.how = f != x ? (x->op == F_LEN ? H_LEN : H_COUNT) :
		     f->nranges || f->ftype == SL_FT_PROTO ? H_BYTES : H_VALUE;
	if (f->nranges) {
		n->lhs.sliced = 1;
		n->lhs.start = f->ranges[0].start;
		n->lhs.end = f->ranges[0].end;
	}
	if (n->op == OP_IN) {
		n->simple = set_consts;
		return;
	}
	if (n->y->kind == X_CONST) {
		n->c = n->y->c;
		n->simple = 1;
	} else if (n->y->kind == X_FIELD && !n->y->layer_lo &&
		   !n->y->nranges && n->y->ftype != SL_FT_PROTO) {
		n->rhs.field = n->y->field;
		n->rhs_field = 1;
		n->simple = 1;
	}
}

static int check_cmp(struct df_ctx *c, const struct df_ast *a,
		     struct df_node *n)
{
	int rc, consts = 0;

	n->kind = N_CMP;
	for (size_t i = 0; i < SL_ARRAY_SIZE(ops); i++)
		if (ops[i].tok == a->op->type) {
			n->op = ops[i].op;
			n->all = ops[i].all;
		}
	if (a->quant != Q_NONE)
		n->all = a->quant == Q_ALL;
	if ((rc = check_lhs(c, a, &n->x)) < 0)
		return rc;
	n->cls = n->x->cls;
	if ((n->op == OP_CONTAINS || n->op == OP_MATCHES) &&
	    n->cls != C_BYTES && n->cls != C_STR)
		return df_error_at(c, a->op, "\"%s\" needs bytes or text, and "
				   "%s is %s%s", n->op == OP_CONTAINS ?
				   "contains" : "matches", name_of(n->x),
				   df_cls_words(n->cls),
				   n->cls == C_IPV4 || n->cls == C_IPV6 ?
				   ": slice it (ip.src[0:2] == c0:a8) or give "
				   "a prefix (ip.src == 192.168.0.0/16)" : "");
	if (n->op == OP_IN) {
		if ((rc = check_set(c, a, n)) < 0)
			return rc;
		consts = rc == 0;
	} else if (n->op == OP_MATCHES) {
		if (a->b->kind != E_STRING)
			return df_error_at(c, a->b->tok, "\"matches\" takes a "
					   "regular expression in quotes: "
					   "matches \"^ali\"");
		if ((rc = df_re_compile(c, a->b->tok, &n->re)) < 0)
			return rc;
	} else if ((rc = check_side(c, n->x, a->b, n->op == OP_CONTAINS,
				    &n->y)) < 0) {
		return rc;
	}
	if (n->op != OP_MATCHES)
		mark_simple(n, consts);
	return 0;
}

/* Marks the comparisons eval.c may take the short way: one unsigned
 * comparison of each value (a signed one with the sign bit flipped, an
 * address under its prefix mask) and a table of the relation. */
static void number(struct df_node *n)
{
	static const uint8_t holds[] = {
		[OP_EQ] = 2, [OP_NE] = 5, [OP_LT] = 1, [OP_LE] = 3,
		[OP_GT] = 4, [OP_GE] = 6,
	};

	n->number = n->simple && n->lhs.how == H_VALUE && !n->rhs_field &&
		    n->op <= OP_GE && !n->c.never &&
		    (n->cls == C_UINT || n->cls == C_TIME || n->cls == C_IPV4);
	if (!n->number)
		return;
	n->holds = holds[n->op];
	n->mask = ~0ull;
	n->flip = n->cls == C_TIME ? 1ull << 63 : 0;
	if (n->cls == C_IPV4)
		n->mask = n->c.bits ? (0xffffffffu << (32 - n->c.bits)) &
				      0xffffffffu : 0;
}

/* A field, slice or expression alone: present, in range, not zero. */
static int check_test(struct df_ctx *c, const struct df_ast *a,
		      struct df_node *n)
{
	int rc;

	if (df_expr_is_literal(a->a))
		return df_error_at(c, a->a->tok, "%.*s is neither a field nor "
				   "a protocol name", a->a->tok->len,
				   a->a->tok->text);
	if ((rc = df_expr_check(c, a->a, -1, &n->x)) < 0)
		return rc;
	if (n->x->kind == X_FUNC)
		return df_error_at(c, a->a->tok, "a function's value needs a "
				   "comparison, e.g. len(tcp.payload) > 0");
	if (plain(n->x) && !n->x->nranges) {
		n->kind = N_EXISTS;
		n->lhs.field = n->x->field;
		return 0;
	}
	n->kind = N_TEST;
	return 0;
}

static int check(struct df_ctx *c, const struct df_ast *a,
		 struct df_node **out)
{
	struct df_node *n = df_alloc(c->arena, sizeof(*n));
	int rc;

	if (!n)
		return df_oom(c);
	*out = n;
	switch (a->kind) {
	case A_AND:
	case A_OR:
		n->kind = a->kind == A_AND ? N_AND : N_OR;
		rc = check(c, a->l, &n->a);
		return rc < 0 ? rc : check(c, a->r, &n->b);
	case A_NOT:
		n->kind = N_NOT;
		return check(c, a->l, &n->a);
	case A_TEST:
		return check_test(c, a, n);
	default:
		if ((rc = check_cmp(c, a, n)) < 0)
			return rc;
		number(n);
		return 0;
	}
}

int df_check(struct df_ctx *c, const struct df_ast *ast,
	     struct df_node **out)
{
	struct df_node *n;
	int rc;

	*out = NULL;
	if (ast) {
		rc = check(c, ast, &n);
	} else if (!(n = df_alloc(c->arena, sizeof(*n)))) {
		rc = df_oom(c);
	} else {
		n->kind = N_TRUE;
		rc = 0;
	}
	if (rc == 0)
		*out = n;
	return rc;
}
