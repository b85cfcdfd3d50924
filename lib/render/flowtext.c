/* flowtext.c - the flow graph in a terminal: a graph a TCP conversation,
 * its two ends as lanes, a row a packet with the arrow between them
 * (tshark's frame label in it) and tshark's comment and the analysis
 * marks beside it
 *
 * Why one graph a conversation, not tshark's one column an address: on
 * loopback both ends share an address, so tshark's columns collapse and
 * every arrow points the same way; lanes keyed by address and port keep
 * the direction, and a conversation read on its own is what a student
 * follows.  The rows, labels and comments are tshark's, in its order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/render.h"

enum {
	MIN_ARROW = 14,		/* a narrow terminal still gets an arrow */
	COMMENT_ROOM = 18,	/* "Seq = 1234 Ack = 5" beside it */
};

static int repeat(struct sl_buf *b, char c, size_t n)
{
	if (sl_buf_reserve(b, n + 1) < 0)
		return -ENOMEM;
	memset(b->data + b->len, c, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

struct geom {
	size_t frame_w, time_w, arrow;	/* columns */
};

/* Seconds since the first frame with the source's digits (6 for a
 * microsecond pcap, 9 for nanoseconds), rounded as tshark's "%.*f". */
static size_t time_text(char *out, int64_t ns, int digits)
{
	uint64_t unit = digits == 9 ? 1 : 1000, per_s = 1000000000 / unit;
	uint64_t a = ns < 0 ? 0 : ((uint64_t)ns + unit / 2) / unit;
	size_t n = sl_fmt_uint(out, a / per_s);
	uint64_t frac = a % per_s;

	out[n++] = '.';
	for (int i = digits - 1; i >= 0; i--, frac /= 10)
		out[n + (size_t)i] = (char)('0' + frac % 10);
	n += (size_t)digits;
	out[n] = '\0';
	return n;
}

/* The label inside the arrow, cut to fit: "|--- PSH, ACK - Len: 6 --->|" */
static int arrow(struct sl_buf *b, const char *label, int left, size_t w)
{
	size_t l = sl_text_width(label, strlen(label)), cut = strlen(label);
	size_t pad, rest;
	int rc;

	if (l + 4 > w) {
		cut = sl_utf8_cut(label, cut, w > 7 ? w - 7 : 0);
		l = sl_text_width(label, cut) + 3;
	}
	pad = (w - (l + 2)) / 2;
	rest = w - pad - l - 2;
	rc = sl_buf_puts(b, left ? "|<" : "|");
	rc = rc ? rc : repeat(b, '-', left ? pad - 1 : pad);
	rc = rc ? rc : sl_buf_putc(b, ' ');
	rc = rc ? rc : sl_buf_append(b, label, cut);
	if (!rc && cut < strlen(label))
		rc = sl_buf_puts(b, "...");
	rc = rc ? rc : sl_buf_putc(b, ' ');
	rc = rc ? rc : repeat(b, '-', left ? rest : rest - 1);
	return rc ? rc : sl_buf_puts(b, left ? "|" : ">|");
}

static int graph(struct sl_buf *b, const struct sl_flow *f, uint32_t s,
		 const size_t *idx, size_t n, unsigned width)
{
	const struct sl_flow_conv *c = &f->conv[s];
	struct geom g = { 5, 8, MIN_ARROW };
	size_t wa = sl_text_width(c->a, strlen(c->a));
	size_t wb = sl_text_width(c->b, strlen(c->b));
	char t[32];
	int rc;

	for (size_t i = 0; i < n; i++) {
		const struct sl_flow_row *r = &f->row[idx[i]];
		const char *label, *comment, *marks;
		size_t k;

		sl_flow_row_text(f, r, &label, &comment, &marks);
		k = sl_text_width(label, strlen(label)) + 8;
		if (k > g.arrow)
			g.arrow = k;
		if ((k = sl_fmt_uint(t, r->frame)) > g.frame_w)
			g.frame_w = k;
		if ((k = time_text(t, r->rel_ns, f->ts_digits)) > g.time_w)
			g.time_w = k;
	}
	/* the heads three columns apart at least */
	if (wa + wb + 3 > g.arrow + 2)
		g.arrow = wa + wb + 1;
	if (width) {
		size_t fixed = g.frame_w + 2 + g.time_w + 2 + 2 + COMMENT_ROOM;

		if (fixed + g.arrow > width)
			g.arrow = width > fixed + MIN_ARROW ? width - fixed :
				  MIN_ARROW;
	}
	rc = sl_buf_printf(b, "TCP stream %u: ", s);
	rc = rc ? rc : sl_buf_escape(b, c->a, strlen(c->a));
	rc = rc ? rc : sl_buf_puts(b, " and ");
	rc = rc ? rc : sl_buf_escape(b, c->b, strlen(c->b));
	rc = rc ? rc : sl_buf_printf(b, ", %u packet%s\n", c->rows,
				     c->rows == 1 ? "" : "s");
	/* the lanes' heads: A over the arrows' start, B ending over their end */
	rc = rc ? rc : sl_buf_printf(b, "%*s  %-*s  ", (int)g.frame_w, "Frame",
				     (int)g.time_w, "Time");
	rc = rc ? rc : sl_buf_escape(b, c->a, strlen(c->a));
	if (g.arrow + 2 >= wa + wb + 3) {
		rc = rc ? rc : repeat(b, ' ', g.arrow + 2 - wa - wb);
	} else {
		/* a terminal too narrow for both: B on a line of its own,
		 * still ending over the arrows' end */
		rc = rc ? rc : sl_buf_putc(b, '\n');
		rc = rc ? rc : repeat(b, ' ', g.frame_w + 2 + g.time_w + 2 +
				      (g.arrow + 2 > wb ? g.arrow + 2 - wb : 0));
	}
	rc = rc ? rc : sl_buf_escape(b, c->b, strlen(c->b));
	rc = rc ? rc : sl_buf_putc(b, '\n');
	for (size_t i = 0; i < n && !rc; i++) {
		const struct sl_flow_row *r = &f->row[idx[i]];
		const char *label, *comment, *marks;
		size_t k;

		sl_flow_row_text(f, r, &label, &comment, &marks);
		k = sl_fmt_uint(t, r->frame);
		rc = repeat(b, ' ', g.frame_w - k);
		rc = rc ? rc : sl_buf_append(b, t, k);
		k = time_text(t, r->rel_ns, f->ts_digits);
		rc = rc ? rc : sl_buf_puts(b, "  ");
		rc = rc ? rc : sl_buf_append(b, t, k);
		rc = rc ? rc : repeat(b, ' ', g.time_w - k + 2);
		rc = rc ? rc : arrow(b, label, r->from_b, g.arrow);
		rc = rc ? rc : sl_buf_puts(b, "  ");
		rc = rc ? rc : sl_buf_puts(b, comment);
		if (!rc && marks[0]) {
			rc = sl_buf_puts(b, "  ");
			rc = rc ? rc : sl_buf_puts(b, marks);
		}
		rc = rc ? rc : sl_buf_putc(b, '\n');
	}
	return rc ? -ENOMEM : 0;
}

int sl_flow_text(struct sl_buf *b, const struct sl_flow *f, unsigned width,
		 sl_render_flush_fn flush, void *arg)
{
	size_t *start, *idx;
	int rc = 0;

	if (!f->nrows)
		return sl_buf_puts(b, "No TCP packets: the flow graph has no rows.\n");
	/* the rows grouped by conversation, each in frame order */
	start = calloc(f->nconv + 1, sizeof(*start));
	idx = malloc(f->nrows * sizeof(*idx));
	if (!start || !idx) {
		free(start);
		free(idx);
		return -ENOMEM;
	}
	for (size_t s = 0; s < f->nconv; s++)
		start[s + 1] = start[s] + f->conv[s].rows;
	{
		size_t *fill = calloc(f->nconv, sizeof(*fill));

		if (!fill) {
			free(start);
			free(idx);
			return -ENOMEM;
		}
		for (size_t i = 0; i < f->nrows; i++) {
			uint32_t s = f->row[i].stream;

			idx[start[s] + fill[s]++] = i;
		}
		free(fill);
	}
	for (size_t s = 0, first = 1; s < f->nconv && !rc; s++) {
		if (!f->conv[s].rows)
			continue;
		if (!first)
			rc = sl_buf_putc(b, '\n');
		first = 0;
		rc = rc ? rc : graph(b, f, (uint32_t)s, idx + start[s],
				     f->conv[s].rows, width);
		/* a graph at a time: the text of all of them is never held */
		if (!rc && flush)
			rc = flush(b, arg);
	}
	if (!rc && f->left_out)
		rc = sl_buf_printf(b, "\n%llu TCP packet%s after the first %zu "
				   "left out of the graph: narrow it with -Y "
				   "or -c\n", (unsigned long long)f->left_out,
				   f->left_out == 1 ? "" : "s", f->max_rows);
	free(start);
	free(idx);
	return rc;
}
