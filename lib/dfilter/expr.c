/* expr.c - expressions checked against the registry: a word is a field
 * (also written ".ip.proto") or a value, a field may carry a layer (#2,
 * #[1-2]) and a slice of several ranges ([0:2,12:2]); functions (len,
 * count, upper, lower, string, abs, min, max), arithmetic and ${field} */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "dfilter-int.h"

static void *alloc(struct df_ctx *c, size_t n, int *rc)
{
	void *v = df_alloc(c->arena, n);

	if (!v)
		*rc = df_oom(c);
	return v;
}

/* The field a word names ("ip.addr", ".ip.addr"), or -1. */
static int field_id(const struct df_token *t)
{
	char name[128];
	const char *s = t->text;
	size_t n = t->n;

	if (n > 1 && s[0] == '.' && s[1] != '.') {	/* the leading dot */
		s++;
		n--;
	}
	if (n >= sizeof(name))
		return -1;
	memcpy(name, s, n);
	name[n] = '\0';
	return sl_field_lookup(name);
}

int df_expr_is_literal(const struct df_expr *e)
{
	switch (e->kind) {
	case E_STRING: case E_CHAR:
		return 1;
	case E_WORD:
		return field_id(e->tok) < 0 && !e->slice && !e->layer;
	case E_NEG:
		return df_expr_is_literal(e->l);
	default:
		return 0;
	}
}

int df_looks_like_value(const struct df_token *t)
{
	return t->n && (isdigit((unsigned char)t->text[0]) ||
			memchr(t->text, ':', t->n) != NULL);
}

/* Other fields of the suggestion's protocol that start as the typed name
 * goes on ("tcp.prot": tcp.payload), as " Close too: tcp.payload";
 * "" when none. */
static void siblings(const char *name, const char *hint, char *out, size_t n)
{
	const char *dot = strchr(hint, '.'), *typed = strchr(name, '.');
	size_t plen, o = 0, k = 0;

	out[0] = '\0';
	if (!dot || !typed || !typed[1])
		return;
	plen = (size_t)(dot - hint) + 1;
	for (int i = 0; i < SL_F_COUNT && k < 2; i++) {
		const char *f = sl_fields[i].name;

		if (!f || strcmp(f, hint) == 0 || strncmp(f, hint, plen) ||
		    f[plen] != typed[1] || strchr(f + plen, '.'))
			continue;
		o += (size_t)snprintf(out + o, n - o, "%s%s",
				      k ? ", " : " Close too: ", f);
		if (o >= n) {
			out[0] = '\0';
			return;
		}
		k++;
	}
}

static int unknown_field(struct df_ctx *c, const struct df_token *t)
{
	char name[128];
	const char *hint;
	size_t n = t->n < sizeof(name) - 1 ? t->n : sizeof(name) - 1;

	memcpy(name, t->text, n);
	name[n] = '\0';
	if (isdigit((unsigned char)name[0]) || strchr(name, ':'))
		return df_error_at(c, t, "%s is neither a field nor a protocol "
				   "name", name);
	hint = sl_field_suggest(name[0] == '.' ? name + 1 : name);
	if (hint) {
		char more[96];

		siblings(name[0] == '.' ? name + 1 : name, hint, more,
			 sizeof(more));
		return df_error_at(c, t, "unknown field \"%s\" — did you mean "
				   "\"%s\"?%s ('socklab help fields' lists "
				   "every field)", name, hint, more);
	}
	return df_error_at(c, t, "unknown field \"%s\": 'socklab help fields' "
			   "lists every field (and 'man socklab')", name);
}

/* "[i:len]" "[i-j]" "[i]" "[:len]" "[i:]" (i may be negative), several
 * joined by ",". */
static int parse_range(const char *s, const char *end, struct df_range *r)
{
	char buf[48], *p, *e;
	long a = 0, b;

	if (end - s <= 0 || end - s >= (long)sizeof(buf))
		return -1;
	memcpy(buf, s, (size_t)(end - s));
	buf[end - s] = '\0';
	p = buf;
	if (*p != ':') {
		a = strtol(p, &e, 10);
		if (e == p)
			return -1;
		p = e;
	}
	if (labs(a) > 65535)
		return -1;
	r->start = (int32_t)a;
	r->end = INT32_MAX;
	if (!*p) {				/* [i]: one byte */
		r->end = a == -1 ? INT32_MAX : (int32_t)(a + 1);
		return 0;
	}
	if (*p != ':' && !(*p == '-' && p != buf))
		return -1;
	if (*p++ == ':') {
		if (!*p)
			return 0;		/* [i:]: to the end */
		b = strtol(p, &e, 10);
		if (e == p || *e || b <= 0 || b > 65535 || (a < 0 && a + b > 0))
			return -1;
		r->end = a < 0 && a + b == 0 ? INT32_MAX : (int32_t)(a + b);
		return 0;
	}
	b = strtol(p, &e, 10);			/* [i-j]: both included */
	if (e == p || *e || b < a || b > 65535)
		return -1;
	r->end = (int32_t)(b + 1);
	return 0;
}

static int check_slice(struct df_ctx *c, const struct df_token *t,
		       struct df_x *x)
{
	const char *s = t->text, *end = t->text + t->n;
	int rc = 0;
	size_t n = 1;

	for (const char *q = s; q < end; q++)
		n += *q == ',';
	if (n > 255 || !(x->ranges = alloc(c, n * sizeof(*x->ranges), &rc)))
		return rc ? rc : df_error_at(c, t, "a slice of at most 255 ranges");
	for (x->nranges = 0; s < end; x->nranges++) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *stop = comma ? comma : end;

		if (parse_range(s, stop, &x->ranges[x->nranges]) < 0)
			return df_error_at(c, t, "bad slice: write [i:len], [i-j], "
					   "[i], [:len], [i:] or several "
					   "joined by \",\" ([0:2,12:2]); "
					   "a length is positive");
		s = comma ? comma + 1 : end;
	}
	return x->nranges ? 0 : df_error_at(c, t, "an empty slice: write [0:2]");
}

/* "#2", "#[1-2]": the layers counted from 1. */
static int check_layer(struct df_ctx *c, const struct df_token *t,
		       struct df_x *x)
{
	const char *s = t->text;
	char *e;
	long lo, hi;

	if (*s == '[')
		s++;
	lo = strtol(s, &e, 10);
	hi = lo;
	if (*e == '-' && t->text[0] == '[')
		hi = strtol(e + 1, &e, 10);
	if (e == s || lo < 1 || hi < lo || hi > 65535 ||
	    (size_t)(e - t->text) + (t->text[0] == '[') != t->n)
		return df_error_at(c, t, "bad layer: write #1 for the first, "
				   "#2 for the second or #[1-2]; layers "
				   "count from 1");
	x->layer_lo = (uint16_t)lo;
	x->layer_hi = (uint16_t)hi;
	return 0;
}

/* A word that names a field, with its layer and slice. */
static int check_field(struct df_ctx *c, const struct df_expr *e, int id,
		       struct df_x *x)
{
	int ft = sl_fields[id].type, rc;

	x->kind = X_FIELD;
	x->field = (uint16_t)id;
	x->ftype = (uint8_t)ft;
	x->bits = sl_fields[id].bits;
	x->cls = (uint8_t)df_cls_of(ft);
	if (e->layer && (rc = check_layer(c, e->layer, x)) < 0)
		return rc;
	if (!e->slice)
		return 0;
	if (ft == SL_FT_UINT || ft == SL_FT_BOOL || ft == SL_FT_TIME ||
	    ft == SL_FT_INT)
		return df_error_at(c, e->tok, "\"%s\" is %s and cannot be "
				   "sliced into bytes", sl_fields[id].name,
				   df_cls_words(x->cls));
	x->cls = C_BYTES;
	return check_slice(c, e->slice, x);
}

static const struct {
	const char *name;
	uint8_t f, min, max;
} funcs[] = {
	{ "len", F_LEN, 1, 1 }, { "count", F_COUNT, 1, 1 },
	{ "upper", F_UPPER, 1, 1 }, { "lower", F_LOWER, 1, 1 },
	{ "string", F_STRING, 1, 1 }, { "abs", F_ABS, 1, 1 },
	{ "min", F_MIN, 1, 255 }, { "max", F_MAX, 1, 255 },
};

static int is_number(int cls)
{
	return cls == C_UINT || cls == C_INT || cls == C_TIME;
}

/* The type each function takes and gives. */
static int func_types(struct df_ctx *c, const struct df_expr *e,
		      struct df_x *x)
{
	struct df_x *a = x->args[0];
	const char *name = funcs[x->op].name;

	switch (x->op) {
	case F_LEN:
	case F_COUNT:
		if (a->kind != X_FIELD)
			return df_error_at(c, e->tok, "%s() takes a field: "
					   "%s(tcp.payload)", name, name);
		x->field = a->field;
		x->cls = C_UINT;
		x->bits = 32;
		return 0;
	case F_UPPER:
	case F_LOWER:
		if (a->cls != C_STR)
			return df_error_at(c, e->tok, "%s() takes a text field "
					   "(http.host, dns.qry.name): use "
					   "contains or matches on bytes",
					   name);
		x->cls = C_STR;
		return 0;
	case F_STRING:
		x->cls = C_STR;
		return 0;
	default:
		for (unsigned i = 0; i < x->nargs; i++)
			if (!is_number(x->args[i]->cls) ||
			    x->args[i]->cls != a->cls)
				return df_error_at(c, e->tok, "%s() takes "
						   "numbers of one kind", name);
		x->cls = a->cls;
		return 0;
	}
}

static int check_func(struct df_ctx *c, const struct df_expr *e,
		      struct df_x *x)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < SL_ARRAY_SIZE(funcs); i++)
		if (strlen(funcs[i].name) == e->tok->n &&
		    !strncmp(funcs[i].name, e->tok->text, e->tok->n))
			break;
	if (i == SL_ARRAY_SIZE(funcs))
		return df_error_at(c, e->tok, "unknown function \"%.*s\": len, "
				   "count, upper, lower, string, abs, min and "
				   "max are supported", e->tok->len,
				   e->tok->text);
	x->kind = X_FUNC;
	x->op = funcs[i].f;
	if (e->nargs < funcs[i].min || e->nargs > funcs[i].max)
		return df_error_at(c, e->tok, "%s() takes %s", funcs[i].name,
				   funcs[i].max == 1 ? "one argument" :
				   "one or more arguments");
	if (e->slice || e->layer)
		return df_error_at(c, e->slice ? e->slice : e->layer,
				   "a function's value cannot be sliced or "
				   "given a layer");
	x->nargs = (uint8_t)e->nargs;
	if (!(x->args = alloc(c, e->nargs * sizeof(*x->args), &rc)))
		return rc;
	for (i = 0; i < e->nargs; i++) {
		if (df_expr_is_literal(e->args[i]) &&
		    (e->args[i]->kind != E_WORD || df_looks_like_value(e->args[i]->tok)))
			return df_error_at(c, e->args[i]->tok, "a function "
					   "takes fields, not values");
		if ((rc = df_expr_check(c, e->args[i], -1, &x->args[i])) < 0)
			return rc;
	}
	return func_types(c, e, x);
}

static int check_in(struct df_ctx *c, const struct df_expr *e, int want,
		    unsigned bits, struct df_x **out);

/* The class a literal takes beside a: a signed number beside an unsigned
 * one (arithmetic is signed, as tshark's); beside bytes, a mask written
 * as a number (tcp[13] & 0x02) stays a number. */
static int second_cls(int op, const struct df_x *a, const struct df_expr *e)
{
	if (op == T_BAND && a->cls == C_BYTES && e->kind == E_WORD &&
	    e->tok->n > 2 && e->tok->text[0] == '0' &&
	    (e->tok->text[1] == 'x' || e->tok->text[1] == 'X'))
		return C_UINT;
	if (op == T_BAND)
		return a->cls == C_INT ? C_UINT : a->cls;
	return a->cls == C_UINT ? C_INT : a->cls;
}

/* The class arithmetic gives: signed numbers (tshark's), times; "&" gives
 * bytes from two byte strings, a number otherwise. */
static int check_arith(struct df_ctx *c, const struct df_expr *e, int want,
		       struct df_x *x)
{
	const struct df_expr *first = e->l, *second = e->r;
	int rc = 0, swap = df_expr_is_literal(e->l);
	struct df_x *a, *b;

	if (df_expr_is_literal(e->l) && df_expr_is_literal(e->r)) {
		const struct df_expr *w = e->l->kind == E_WORD &&
			!df_looks_like_value(e->l->tok) ? e->l : e->r;

		if (w->kind == E_WORD && !df_looks_like_value(w->tok))
			return unknown_field(c, w->tok);
		return df_error_at(c, e->tok, "arithmetic on two values: one "
				   "side must be a field");
	}
	x->kind = X_ARITH;
	x->op = (uint8_t)e->tok->type;
	x->nargs = 2;
	if (!(x->args = alloc(c, 2 * sizeof(*x->args), &rc)))
		return rc;
	if (swap) {			/* type the field first */
		first = e->r;
		second = e->l;
	}
	if ((rc = df_expr_check(c, first, want, &a)) < 0)
		return rc;
	if ((rc = check_in(c, second, second_cls(x->op, a, second), a->bits,
			   &b)) < 0)
		return rc;
	x->bits = a->bits;
	x->args[swap] = a;
	x->args[!swap] = b;
	if (x->op == T_BAND && (a->cls == C_BYTES || a->cls == C_UINT ||
				a->cls == C_INT) &&
	    (b->cls == C_BYTES || b->cls == C_UINT || b->cls == C_INT)) {
		x->cls = a->cls == C_BYTES && b->cls == C_BYTES ? C_BYTES :
			 C_UINT;
		return 0;
	}
	if (!is_number(a->cls) || !is_number(b->cls) ||
	    (a->kind == X_FIELD && a->ftype == SL_FT_BOOL))
		return df_error_at(c, e->tok, "\"%.*s\" needs numbers, and %s "
				   "is %s", e->tok->len, e->tok->text,
				   a->kind == X_FIELD ?
				   sl_fields[a->field].name : "this",
				   a->kind == X_FIELD && a->ftype == SL_FT_BOOL ?
				   "a boolean" : df_cls_words(a->cls));
	x->cls = a->cls == C_TIME || b->cls == C_TIME ? C_TIME : C_INT;
	return 0;
}

/* The token of a literal: "-" and a word joined into "-word". */
static int literal_token(struct df_ctx *c, const struct df_expr *e,
			 const struct df_token **out)
{
	struct df_token *t;
	char *text;
	int rc = 0;

	if (e->kind != E_NEG) {
		*out = e->tok;
		return 0;
	}
	if (!(t = alloc(c, sizeof(*t), &rc)) ||
	    !(text = alloc(c, e->l->tok->n + 2, &rc)))
		return rc;
	*t = *e->l->tok;
	text[0] = '-';
	memcpy(text + 1, e->l->tok->text, e->l->tok->n);
	t->text = text;
	t->n = e->l->tok->n + 1;
	t->col = e->tok->col;
	t->len = e->l->tok->col + e->l->tok->len - e->tok->col;
	*out = t;
	return 0;
}

int df_expr_literal(struct df_ctx *c, const struct df_expr *e,
		    const struct df_lit *l, struct df_const *k)
{
	const struct df_token *t = NULL;
	int rc;

	if (e->kind == E_NEG && e->l->kind != E_WORD)
		return df_error_at(c, e->tok, "\"-\" goes before a number");
	if ((rc = literal_token(c, e, &t)) < 0)
		return rc;
	k->bits = l->cls == C_IPV6 ? 128 : 32;
	return df_literal(c, t, l, k);
}

/* e checked into *out; a literal in it takes class want and, if an
 * integer, the bound of bits (0: none). */
static int check_in(struct df_ctx *c, const struct df_expr *e, int want,
		    unsigned bits, struct df_x **out)
{
	struct df_lit lit;
	struct df_x *x;
	int rc = 0, id;

	if (!(x = alloc(c, sizeof(*x), &rc)))
		return rc;
	*out = x;
	x->tok = e->tok;
	switch (e->kind) {
	case E_FUNC:
		return check_func(c, e, x);
	case E_BINOP:
		return check_arith(c, e, want, x);
	case E_REF:
		/* the GUI's selected frame: none here, as in tshark */
		if (field_id(e->tok) < 0)
			return unknown_field(c, e->tok);
		x->kind = X_REF;
		x->cls = (uint8_t)(want >= 0 ? want : C_BYTES);
		return 0;
	case E_NEG:
		if (df_expr_is_literal(e->l) && want >= 0)
			break;
		x->kind = X_NEG;
		x->nargs = 1;
		if (!(x->args = alloc(c, sizeof(*x->args), &rc)) ||
		    (rc = df_expr_check(c, e->l, want, &x->args[0])) < 0)
			return rc;
		x->bits = x->args[0]->bits;
		if (!is_number(x->args[0]->cls))
			return df_error_at(c, e->tok, "\"-\" needs a number");
		x->cls = x->args[0]->cls == C_TIME ? C_TIME : C_INT;
		return 0;
	case E_WORD:
		if ((id = field_id(e->tok)) >= 0)
			return check_field(c, e, id, x);
		if (e->slice || e->layer)
			return unknown_field(c, e->tok);
		break;
	default:
		break;
	}
	if (want < 0)
		return e->kind == E_WORD ? unknown_field(c, e->tok) :
		       df_error_at(c, e->tok, "a value needs a field to be "
				   "compared with");
	x->kind = X_CONST;
	x->cls = (uint8_t)want;
	lit.cls = want;
	lit.field = -1;
	lit.bits = bits;
	lit.uns = 0;
	lit.what = df_cls_words(want);
	return df_expr_literal(c, e, &lit, &x->c);
}

int df_expr_check(struct df_ctx *c, const struct df_expr *e, int want,
		  struct df_x **out)
{
	return check_in(c, e, want, 0, out);
}
