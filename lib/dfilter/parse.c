/* parse.c - tokens to a syntax tree, with Wireshark 4.0's precedence:
 * "!" binds tighter than "&&", "&&" tighter than "||"; in an expression
 * "*" "/" "%" bind tighter than "+" "-", and those tighter than "&";
 * "{ }" group arithmetic; "any"/"all" quantify one comparison */
#include <errno.h>
#include <string.h>

#include "dfilter-int.h"

struct parser {
	struct df_ctx *c;
	const struct df_token *t;	/* the next token */
	int rc;				/* the first error's code, or 0 */
	unsigned depth;			/* of nested !, (, {, - */
};

/* Nesting deeper than this is refused: every stage recurses over it. */
#define DEPTH_MAX 100

/* Enters one level of nesting; 0, or -1 (error set) past DEPTH_MAX. */
static int deeper(struct parser *p)
{
	if (++p->depth <= DEPTH_MAX)
		return 0;
	p->rc = df_error(p->c, p->t->col, p->t->len, "the filter nests more "
			 "than %d levels deep: write it flatter", DEPTH_MAX);
	return -1;
}

static const char *tok_shown(const struct df_token *t)
{
	switch (t->type) {
	case T_STRING: return "string";
	case T_CHAR: return "character";
	case T_SLICE: return "slice";
	case T_LAYER: return "layer";
	case T_REF: return "field reference";
	default: return NULL;
	}
}

/* "X" was unexpected: expected what.  Returns NULL (p->rc set). */
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

static void *alloc(struct parser *p, size_t n)
{
	void *v = df_alloc(p->c->arena, n);

	if (!v)
		p->rc = df_oom(p->c);
	return v;
}

static int is_cmp(enum df_tok t)
{
	switch (t) {
	case T_EQ: case T_NE: case T_ALL_EQ: case T_ANY_NE: case T_LT:
	case T_LE: case T_GT: case T_GE: case T_CONTAINS: case T_MATCHES:
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

static struct df_expr *p_expr(struct parser *p);

static struct df_expr *expr_node(struct parser *p, enum df_ekind kind,
				 const struct df_token *tok)
{
	struct df_expr *e = alloc(p, sizeof(*e));

	if (e) {
		e->kind = kind;
		e->tok = tok;
	}
	return e;
}

/* The arguments of a function: "(" [expr {"," expr}] ")". */
static struct df_expr *p_call(struct parser *p, struct df_expr *f)
{
	size_t cap = 0;

	p->t++;				/* "(" */
	while (p->t->type != T_RPAREN) {
		if (f->nargs == cap) {
			struct df_expr **v = alloc(p, (cap ? 2 * cap : 4) *
						   sizeof(*v));

			if (!v)
				return NULL;
			if (f->nargs)
				memcpy(v, f->args, f->nargs * sizeof(*v));
			f->args = v;
			cap = cap ? 2 * cap : 4;
		}
		if (!(f->args[f->nargs++] = p_expr(p)))
			return NULL;
		if (p->t->type == T_COMMA)
			p->t++;
		else if (p->t->type != T_RPAREN)
			return unexpected(p, "\",\" or \")\"");
	}
	p->t++;
	return f;
}

/* A word (field or value, with its layer and slice), a string, a
 * character, ${field}, a function call, -x, or { expr }. */
static struct df_expr *p_atom_in(struct parser *p);

static struct df_expr *p_atom(struct parser *p)
{
	struct df_expr *e;

	if (deeper(p) < 0)
		return NULL;
	e = p_atom_in(p);
	p->depth--;
	return e;
}

static struct df_expr *p_atom_in(struct parser *p)
{
	struct df_expr *e;

	switch (p->t->type) {
	case T_MINUS:
		if (!(e = expr_node(p, E_NEG, p->t++)))
			return NULL;
		return (e->l = p_atom(p)) ? e : NULL;
	case T_LBRACE: {
		const struct df_token *open = p->t++;

		if (!(e = p_expr(p)))
			return NULL;
		if (p->t->type != T_RBRACE) {
			if (p->t->type == T_END)
				p->rc = df_error(p->c, open->col, 1,
					"this \"{\" has no closing \"}\"");
			else
				unexpected(p, "\"}\"");
			return NULL;
		}
		p->t++;
		return e;
	}
	case T_STRING:
		return expr_node(p, E_STRING, p->t++);
	case T_CHAR:
		return expr_node(p, E_CHAR, p->t++);
	case T_REF:
		return expr_node(p, E_REF, p->t++);
	case T_WORD:
		break;
	default:
		return unexpected(p, "a field or a value");
	}
	if (!(e = expr_node(p, E_WORD, p->t++)))
		return NULL;
	if (p->t->type == T_LPAREN) {
		e->kind = E_FUNC;
		if (!p_call(p, e))
			return NULL;
	}
	if (p->t->type == T_LAYER)
		e->layer = p->t++;
	if (p->t->type == T_SLICE)
		e->slice = p->t++;
	return e;
}

/* Binary operators of one precedence level over sub. */
static struct df_expr *p_level(struct parser *p, const enum df_tok *ops,
			       struct df_expr *(*sub)(struct parser *))
{
	struct df_expr *l = sub(p), *e;

	while (l) {
		size_t i;

		for (i = 0; ops[i] != T_END && ops[i] != p->t->type; i++)
			;
		if (ops[i] == T_END)
			break;
		if (!(e = expr_node(p, E_BINOP, p->t++)))
			return NULL;
		e->l = l;
		if (!(e->r = sub(p)))
			return NULL;
		l = e;
	}
	return l;
}

static struct df_expr *p_mul(struct parser *p)
{
	static const enum df_tok ops[] = { T_STAR, T_SLASH, T_PERCENT, T_END };

	return p_level(p, ops, p_atom);
}

static struct df_expr *p_add(struct parser *p)
{
	static const enum df_tok ops[] = { T_PLUS, T_MINUS, T_END };

	return p_level(p, ops, p_mul);
}

static struct df_expr *p_expr(struct parser *p)
{
	static const enum df_tok ops[] = { T_BAND, T_END };

	return p_level(p, ops, p_add);
}

static struct df_ast *node(struct parser *p, enum df_akind kind)
{
	struct df_ast *a = alloc(p, sizeof(*a));

	if (a)
		a->kind = kind;
	return a;
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
			struct df_setel *v = alloc(p, (cap ? 2 * cap : 8) *
						   sizeof(*v));

			if (!v)
				return NULL;
			if (a->nset)
				memcpy(v, a->set, a->nset * sizeof(*v));
			a->set = v;
			cap = cap ? 2 * cap : 8;
		}
		el = &a->set[a->nset++];
		if (!(el->lo = p_add(p)))
			return NULL;
		if (p->t->type == T_DOTDOT) {
			p->t++;
			if (!(el->hi = p_add(p)))
				return NULL;
		}
		if (p->t->type == T_RBRACE)
			break;
		if (p->t->type != T_COMMA)
			return unexpected(p, p->t->type == T_WORD ||
					  p->t->type == T_STRING ?
					  "\",\" between the elements of a set" :
					  "\",\" or \"}\"");
		p->t++;
	}
	p->t++;
	return a;
}

static struct df_ast *p_or(struct parser *p);

/* The relation after a's left side: op value, in set, not in set. */
static struct df_ast *p_relation(struct parser *p, struct df_ast *a)
{
	if (is_cmp(p->t->type)) {
		a->kind = A_CMP;
		a->op = p->t++;
		return (a->b = p_expr(p)) ? a : NULL;
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

/* ( expr ) | [any|all] expr [op expr | in set | not in set] */
static struct df_ast *p_primary_in(struct parser *p);

static struct df_ast *p_primary(struct parser *p)
{
	struct df_ast *a;

	if (deeper(p) < 0)
		return NULL;
	a = p_primary_in(p);
	p->depth--;
	return a;
}

static struct df_ast *p_primary_in(struct parser *p)
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
	if (!(a = node(p, A_TEST)))
		return NULL;
	if ((word_is(p->t, "any") || word_is(p->t, "all")) &&
	    p->t[1].type == T_WORD && df_keyword(p->t[1].text,
						   p->t[1].n) == T_WORD) {
		a->quant = word_is(p->t, "any") ? Q_ANY : Q_ALL;
		a->quant_tok = p->t++;
	}
	if (p->t->type != T_WORD && p->t->type != T_MINUS &&
	    p->t->type != T_LBRACE && p->t->type != T_REF &&
	    p->t->type != T_STRING && p->t->type != T_CHAR)
		return unexpected(p, "a field, \"!\" or \"(\"");
	if (!(a->a = p_expr(p)))
		return NULL;
	return p_relation(p, a);
}

static struct df_ast *p_unary(struct parser *p)
{
	struct df_ast *a;

	if (p->t->type != T_NOT)
		return p_primary(p);
	if (deeper(p) < 0)
		return NULL;
	p->t++;
	if (!(a = node(p, A_NOT)))
		return NULL;
	a->l = p_unary(p);
	p->depth--;
	return a->l ? a : NULL;
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
	struct parser p = { c, t->v, 0, 0 };
	struct df_ast *a;

	*out = NULL;
	if (p.t->type == T_END)
		return 0;
	a = p_or(&p);
	if (a && p.t->type != T_END)
		a = unexpected(&p, p.t->type == T_PLUS || p.t->type == T_STAR ?
			       "a comparison: arithmetic goes on a field, "
			       "e.g. udp.dstport == udp.srcport + 1" :
			       "\"&&\", \"||\" or the end of the filter");
	if (!a)
		return p.rc ? p.rc : -EINVAL;
	*out = a;
	return 0;
}
