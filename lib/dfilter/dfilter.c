/* dfilter.c - the compiler's driver: lex, parse, check; the arena every
 * stage allocates from; the three-line error display */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfilter-int.h"

struct df_block {
	struct df_block *next;
	size_t used, cap;
	max_align_t data[];
};

void *df_alloc(struct df_arena *a, size_t n)
{
	struct df_block *b = a->head;
	size_t al = sizeof(max_align_t);
	void *p;

	n = (n + al - 1) / al * al;
	if (!n)
		n = al;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 4096 ? n : 4096;

		if (!(b = malloc(sizeof(*b) + cap)))
			return NULL;
		b->next = a->head;
		b->used = 0;
		b->cap = cap;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return memset(p, 0, n);
}

void df_arena_release(struct df_arena *a)
{
	struct df_block *b, *next;

	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

int df_regs_add(struct df_regs *r, struct df_re *re)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 4;
		struct df_re **v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = re;
	return 0;
}

int df_error(struct df_ctx *c, int col, int len, const char *fmt, ...)
{
	va_list ap;

	c->err_col = col;
	c->err_len = len > 0 ? len : 1;
	if (c->e) {
		c->e->code = -EINVAL;
		va_start(ap, fmt);
		vsnprintf(c->e->msg, sizeof(c->e->msg), fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

int df_error_at(struct df_ctx *c, const struct df_token *t, const char *fmt,
		...)
{
	va_list ap;

	c->err_col = t->col;
	c->err_len = t->len > 0 ? t->len : 1;
	if (c->e) {
		c->e->code = -EINVAL;
		va_start(ap, fmt);
		vsnprintf(c->e->msg, sizeof(c->e->msg), fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

int df_oom(struct df_ctx *c)
{
	return sl_err_set(c->e, -ENOMEM, "out of memory");
}

void sl_dfilter_free(struct sl_dfilter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->regs.n; i++)
		df_re_free(f->regs.v[i]);
	free(f->regs.v);
	df_arena_release(&f->arena);
	free(f);
}

/* Lexes, parses and checks c->text into f; a capture filter that failed
 * gets the hint of its display spelling. */
static int compile(struct df_ctx *c, struct sl_dfilter *f)
{
	struct df_tokens toks;
	struct df_ast *ast;
	int rc = df_lex(c, &toks);

	if (rc < 0)
		return rc;
	rc = df_parse(c, &toks, &ast);
	if (rc == 0)
		rc = df_check(c, ast, &f->root);
	if (rc < 0 && c->err_col >= 0)
		df_capture_syntax_hint(c, &toks);
	return rc;
}

int sl_dfilter_compile(struct sl_dfilter **out, const char *text,
		       int *err_col, int *err_len, struct sl_err *e)
{
	struct sl_dfilter *f = calloc(1, sizeof(*f));
	struct df_ctx c = { .text = text, .e = e, .err_col = -1 };
	int rc;

	*out = NULL;
	if (e)
		sl_err_clear(e);
	if (!f) {
		rc = sl_err_set(e, -ENOMEM, "out of memory");
	} else {
		c.arena = &f->arena;
		c.regs = &f->regs;
		rc = compile(&c, f);
		if (rc < 0)
			sl_dfilter_free(f);
		else
			*out = f;
	}
	if (err_col)
		*err_col = rc == 0 ? -1 : c.err_col;
	if (err_len)
		*err_len = rc == 0 || c.err_col < 0 ? 0 : c.err_len;
	return rc;
}

int sl_dfilter_format_error(struct sl_buf *out, const char *prefix,
			    const char *text, const char *msg, int col,
			    int len)
{
	size_t tlen = strlen(text), pad, width;
	int rc;

	if (!prefix)
		prefix = "";
	rc = sl_buf_printf(out, "%sbad display filter: \"", prefix);
	if (!rc)
		rc = sl_buf_escape(out, text, tlen);
	if (!rc)
		rc = sl_buf_puts(out, "\"\n");
	if (!rc && col >= 0) {
		size_t c0 = (size_t)col <= tlen ? (size_t)col : tlen;
		size_t l = len > 0 ? (size_t)len : 1;

		if (l > tlen - c0)
			l = tlen - c0;
		pad = strlen(prefix) + strlen("bad display filter: \"") +
		      sl_escape_width(text, c0);
		width = sl_escape_width(text + c0, l);
		if (width == 0)
			width = 1;	/* the end of the filter */
		for (size_t i = 0; !rc && i < pad; i++)
			rc = sl_buf_putc(out, ' ');
		if (!rc)
			rc = sl_buf_putc(out, '^');
		for (size_t i = 1; !rc && i < width; i++)
			rc = sl_buf_putc(out, '~');
		if (!rc)
			rc = sl_buf_putc(out, '\n');
	}
	if (!rc)
		rc = sl_buf_printf(out, "%s\n", msg);
	return rc;
}
