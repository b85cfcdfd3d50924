/* parse.c - tokens to a syntax tree; precedence: ! binds tighter than &&,
 * && tighter than ||; "any"/"all" quantify one comparison */
#include <errno.h>
#include <string.h>

#include "dfilter-int.h"

struct parser {
	struct df_ctx *c;
	const struct df_token *t;	/* the next token */
	int rc;				/* 0, or the first error's code */
};

static const char *tok_shown(const struct df_token *t)
{
	switch (t->type) {
	case T_STRING: return "string";
	case T_CHAR: return "character";
	case T_SLICE: return "slice";
	default: return NULL;
	}
}

/* "X" was unexpected: expected what. */
static void *unexpected(struct parser *p, const char *what)
{
	const struct df_token *t = p->t;
	const char *kind = tok_shown(t);

	if (t->type == T_END)
		p->rc = df_error(p->c, t->col, 1,
				 "unexpected end of filter: expected %s", what);
	else if (kind)
		p->rc = df_error(p->c, t->col, t->len,
				 "this %s was unexpected here: expected %s",
				 kind, what);
	else
		p->rc = df_error(p->c, t->col, t->len,
				 "\"%.*s\" was unexpected here: expected %s",
				 t->len, t->text, what);
	return NULL;
}

static struct df_ast *node(struct parser *p, enum df_akind kind)
{
	struct df_ast *a = df_alloc(p->c->arena, sizeof(*a));

	if (!a) {
		p->rc = sl_err_set(p->c->e, -ENOMEM, "out of memory");
		return NULL;
	}
	a->kind = kind;
	return a;
}

static int is_cmp(enum df_tok t)
{
	switch (t) {
	case T_EQ: case T_NE: case T_ALL_EQ: case T_ANY_NE: case T_LT:
	case T_LE: case T_GT: case T_GE: case T_CONTAINS: case T_MATCHES:
	case T_BAND:
		return 1;
	default:
		return 0;
	}
}

static int word_is(const struct df_token *t, const char *w)
{
	return t->type == T_WORD && strlen(w) == t->n &&
	       !strncmp(t->text, w, t->n);
}

/* A field, a field[slice] or a function of a field: len(tcp.payload). */
static int p_field(struct parser *p, struct df_operand *o)
{
	if (p->t->type != T_WORD) {
		unexpected(p, "a field name");
		return -1;
	}
	o->tok = p->t++;
	o->kind = O_FIELD;
	if (p->t->type == T_LPAREN) {
		o->kind = O_FUNC;
		p->t++;
		if (p->t->type != T_WORD) {
			unexpected(p, "a field name inside the ()");
			return -1;
		}
		o->arg = p->t++;
		if (p->t->type != T_RPAREN) {
			unexpected(p, "\")\"");
			return -1;
		}
		p->t++;
	}
	if (p->t->type == T_SLICE)
		o->slice = p->t++;
	return 0;
}

/* The right side of a comparison: a value or another field. */
static int p_value(struct parser *p, struct df_operand *o)
{
	switch (p->t->type) {
	case T_WORD:
		if (p_field(p, o) < 0)
			return -1;
		if (o->kind == O_FIELD)
			o->kind = O_WORD;	/* a value or a field: sem.c */
		return 0;
	case T_STRING:
		o->kind = O_STRING;
		break;
	case T_CHAR:
		o->kind = O_CHAR;
		break;
	default:
		unexpected(p, "a value");
		return -1;
	}
	o->tok = p->t++;
	return 0;
}

static struct df_ast *p_set(struct parser *p, struct df_ast *a)
{
	size_t cap = 0;

	if (p->t->type != T_LBRACE)
		return unexpected(p, "a set such as {80, 443, 8000..8080}");
	p->t++;
	for (;;) {
		struct df_setel *el;

		if (a->nset == cap) {
			struct df_setel *v = df_alloc(p->c->arena,
					(cap ? 2 * cap : 8) * sizeof(*v));
			if (!v) {
				p->rc = sl_err_set(p->c->e, -ENOMEM,
						   "out of memory");
				return NULL;
			}
			if (a->nset)
				memcpy(v, a->set, a->nset * sizeof(*v));
			a->set = v;
			cap = cap ? 2 * cap : 8;
		}
		el = &a->set[a->nset++];
		if (p_value(p, &el->lo) < 0)
			return NULL;
		if (p->t->type == T_DOTDOT) {
			p->t++;
			if (p_value(p, &el->hi) < 0)
				return NULL;
		}
		if (p->t->type == T_RBRACE)
			break;
		if (p->t->type != T_COMMA)
			return unexpected(p, "\",\" or \"}\"");
		p->t++;
	}
	p->t++;
	return a;
}

static struct df_ast *p_or(struct parser *p);

/* ( expr ) | [any|all] field [op value | in set | not in set] */
static struct df_ast *p_primary(struct parser *p)
{
	struct df_ast *a;

	if (p->t->type == T_LPAREN) {
		const struct df_token *open = p->t++;

		if (!(a = p_or(p)))
			return NULL;
		if (p->t->type == T_END) {
			p->rc = df_error(p->c, open->col, 1,
					 "this \"(\" has no closing \")\"");
			return NULL;
		}
		if (p->t->type != T_RPAREN)
			return unexpected(p, "\")\", \"&&\" or \"||\"");
		p->t++;
		return a;
	}
	if (p->t->type != T_WORD)
		return unexpected(p, p->t->type == T_STRING ||
					     p->t->type == T_CHAR ?
				  "a field: a value goes on the right of a comparison" :
				  "a field, \"!\" or \"(\"");
	if (!(a = node(p, A_TEST)))
		return NULL;
	if ((word_is(p->t, "any") || word_is(p->t, "all")) &&
	    p->t[1].type == T_WORD && df_keyword(p->t[1].text,
						   p->t[1].n) == T_WORD) {
		a->quant = word_is(p->t, "any") ? Q_ANY : Q_ALL;
		a->quant_tok = p->t++;
	}
	if (p_field(p, &a->a) < 0)
		return NULL;
	if (is_cmp(p->t->type)) {
		a->kind = A_CMP;
		a->op = p->t++;
		return p_value(p, &a->b) < 0 ? NULL : a;
	}
	if (p->t->type == T_IN) {
		a->kind = A_IN;
		a->op = p->t++;
		return p_set(p, a);
	}
	if (p->t->type == T_NOT && p->t[1].type == T_IN) {
		struct df_ast *n = node(p, A_NOT);

		if (!n)
			return NULL;
		p->t++;
		a->kind = A_IN;
		a->op = p->t++;
		n->l = a;
		return p_set(p, a) ? n : NULL;
	}
	if (a->quant != Q_NONE)
		return unexpected(p, "a comparison after \"any\"/\"all\"");
	return a;
}

static struct df_ast *p_unary(struct parser *p)
{
	struct df_ast *a;

	if (p->t->type != T_NOT)
		return p_primary(p);
	p->t++;
	if (!(a = node(p, A_NOT)))
		return NULL;
	return (a->l = p_unary(p)) ? a : NULL;
}

static struct df_ast *p_binary(struct parser *p, enum df_tok op,
			       enum df_akind kind,
			       struct df_ast *(*sub)(struct parser *))
{
	struct df_ast *l = sub(p), *a;

	while (l && p->t->type == op) {
		p->t++;
		if (!(a = node(p, kind)))
			return NULL;
		a->l = l;
		if (!(a->r = sub(p)))
			return NULL;
		l = a;
	}
	return l;
}

static struct df_ast *p_and(struct parser *p)
{
	return p_binary(p, T_AND, A_AND, p_unary);
}

static struct df_ast *p_or(struct parser *p)
{
	return p_binary(p, T_OR, A_OR, p_and);
}

int df_parse(struct df_ctx *c, const struct df_tokens *t,
	     struct df_ast **out)
{
	struct parser p = { c, t->v, 0 };
	struct df_ast *a;

	*out = NULL;
	if (p.t->type == T_END)
		return 0;
	a = p_or(&p);
	if (a && p.t->type != T_END)
		a = unexpected(&p, "\"&&\", \"||\" or the end of the filter");
	if (p.rc < 0)
		return p.rc;
	if (!a)		/* every path to NULL sets rc: never taken */
		return -EINVAL;
	*out = a;
	return 0;
}
