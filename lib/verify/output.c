/* output.c - the class at a glance: a terminal table (a row per student,
 * a column per check) with the reasons below it, and the same as CSV */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/verify.h"

/* "pass", "check" (something to look at by hand) or "FAIL". */
static const char *verdict_word(enum sl_mark m)
{
	return m == SL_MARK_FAIL ? "FAIL" : m == SL_MARK_OK ? "pass" : "check";
}

/* Columns a terminal gives escaped UTF-8 text (combining marks and wide
 * characters aside: a name seldom has them). */
static size_t columns(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

static void cell(struct sl_buf *out, const char *s, size_t n, size_t width)
{
	size_t c = columns(s, n);

	sl_buf_append(out, s, n);
	for (; c < width; c++)
		sl_buf_putc(out, ' ');
}

static void header(struct sl_buf *out, size_t w)
{
	cell(out, "student", 7, w);
	for (int k = 0; k < SL_VC_COUNT; k++) {
		const char *h = sl_vcheck_name(k);

		sl_buf_puts(out, "  ");
		cell(out, h, strlen(h), strlen(h) > 4 ? strlen(h) : 4);
	}
	sl_buf_puts(out, "  verdict\n");
}

static void row(struct sl_buf *out, const struct sl_vbundle *b,
		const struct sl_buf *name, size_t w)
{
	cell(out, name->data ? name->data : "", name->len, w);
	for (int k = 0; k < SL_VC_COUNT; k++) {
		const char *h = sl_vcheck_name(k), *m = sl_mark_name(b->marks[k].mark);

		sl_buf_puts(out, "  ");
		cell(out, m, strlen(m), strlen(h) > 4 ? strlen(h) : 4);
	}
	sl_buf_printf(out, "  %s\n", verdict_word(b->verdict));
}

static void reasons(struct sl_buf *out, const struct sl_vbundle *b,
		    const struct sl_buf *name)
{
	int any = 0;

	for (int k = 0; k < SL_VC_COUNT; k++) {
		const struct sl_vmark *m = &b->marks[k];

		if (m->mark == SL_MARK_OK)
			continue;
		if (!any++) {
			sl_buf_printf(out, "\n%s (", name->data ? name->data : "");
			sl_buf_escape_text(out, b->source, strlen(b->source));
			sl_buf_puts(out, "):\n");
		}
		sl_buf_printf(out, "  %s: %s: ", sl_vcheck_name(k),
			      sl_mark_name(m->mark));
		sl_buf_escape_text(out, m->why, strlen(m->why));
		sl_buf_putc(out, '\n');
	}
}

int sl_verify_table(struct sl_buf *out, const struct sl_verify *v)
{
	struct sl_buf *names = calloc(v->n ? v->n : 1, sizeof(*names));
	size_t w = 7, counts[3] = { 0, 0, 0 };

	if (!names)
		return -ENOMEM;
	for (size_t i = 0; i < v->n; i++) {
		sl_buf_escape(&names[i], v->v[i].student, strlen(v->v[i].student));
		if (columns(names[i].data, names[i].len) > w)
			w = columns(names[i].data, names[i].len);
	}
	if (w > 40)
		w = 40;
	header(out, w);
	for (size_t i = 0; i < v->n; i++) {
		row(out, &v->v[i], &names[i], w);
		counts[v->v[i].verdict == SL_MARK_FAIL ? 2 :
		       v->v[i].verdict == SL_MARK_OK ? 0 : 1]++;
	}
	for (size_t i = 0; i < v->n; i++)
		reasons(out, &v->v[i], &names[i]);
	sl_buf_printf(out, "\n%zu bundle%s: %zu pass, %zu to check by hand, %zu FAIL\n",
		      v->n, v->n == 1 ? "" : "s", counts[0], counts[1], counts[2]);
	for (size_t i = 0; i < v->n; i++)
		sl_buf_release(&names[i]);
	free(names);
	return out->data ? 0 : -ENOMEM;
}

/* One CSV field, quoted; a leading = + - @ (a spreadsheet formula) is
 * kept text by a quote mark before it. */
static void field(struct sl_buf *out, const char *s, int last)
{
	sl_buf_putc(out, '"');
	if (strchr("=+-@\t\r", *s) && *s)
		sl_buf_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			sl_buf_putc(out, '"');
		sl_buf_putc(out, *s);
	}
	sl_buf_puts(out, last ? "\"\r\n" : "\",");
}

int sl_verify_csv(struct sl_buf *out, const struct sl_verify *v)
{
	field(out, "student", 0);
	field(out, "source", 0);
	field(out, "verdict", 0);
	for (int k = 0; k < SL_VC_COUNT; k++) {
		char why[32];

		snprintf(why, sizeof(why), "%s_reason", sl_vcheck_name(k));
		field(out, sl_vcheck_name(k), 0);
		field(out, why, k == SL_VC_COUNT - 1);
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct sl_vbundle *b = &v->v[i];

		field(out, b->student, 0);
		field(out, b->source, 0);
		field(out, verdict_word(b->verdict), 0);
		for (int k = 0; k < SL_VC_COUNT; k++) {
			field(out, sl_mark_name(b->marks[k].mark), 0);
			field(out, b->marks[k].why, k == SL_VC_COUNT - 1);
		}
	}
	return out->data ? 0 : -ENOMEM;
}
