/* wireshark.c - the packet that carries the name, drawn the way Wireshark
 * lays out a packet: the display filter bar, the packet list with that
 * frame selected, the detail tree with TCP and its data expanded (the
 * other layers folded), the bytes with the name's bytes highlighted.  The
 * title says it is socklab's drawing, never Wireshark's window.  Built
 * from the capture file's bytes, so a checker draws the same picture
 * again from the same file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-int.h"
#include "socklab/capture.h"
#include "socklab/render.h"

enum {
	W = 980, PAD = 8, LINE = 15, TITLE = 28, BAR = 26, HEAD = 17,
	LIST_ROWS = 10, TREE_LINES = 24, STATUS = 20, GAP = 5,
};

/* Wireshark's default colouring rules for the rows it would colour. */
enum {
	C_TCP = 0xe7e6ff, C_SYNFIN = 0xa0a0a0, C_RST = 0xa40000,
	C_SEL = 0x3875d7, C_TEXT = 0x12141a, C_WHITE = 0xffffff,
	C_RULE = 0xbfbfbf, C_HEAD = 0xe8e8e8, C_FILTER = 0xafffaf,
	C_STATUS = 0xf0f0f0, C_BAR = 0x3c3f41,
};

/* ---- the view: every frame's summary, the chosen one dissected ---- */

void sl_report_packet_view_release(struct sl_packet_view *v)
{
	sl_buf_release(&v->rows);
	sl_buf_release(&v->tree);
	sl_buf_release(&v->bytes);
	free(v->pkt);
	v->pkt = NULL;
}

/* What the walk fills: the view (the walk's digits beside it). */
struct viewing {
	struct sl_capture_walk w;
	struct sl_packet_view *v;
};

/* The chosen frame is dissected from a copy of its bytes, which its
 * values point into and which lives as long as the view. */
static const uint8_t *chosen_bytes(const struct sl_frame *f, uint64_t number,
				   void *arg)
{
	struct sl_packet_view *v = ((struct viewing *)arg)->v;

	if (number != v->frame || sl_buf_append(&v->bytes, f->data, f->caplen) < 0)
		return NULL;
	return (const uint8_t *)v->bytes.data;
}

static int view_frame(struct sl_packet *p, void *arg)
{
	struct viewing *vw = arg;
	struct sl_packet_view *v = vw->v;
	char line[SL_SUMMARY_MAX];

	if (p->number == v->frame && v->bytes.len &&
	    p->data == (const uint8_t *)v->bytes.data) {
		sl_render_tree(&v->tree, p, vw->w.ts_digits);
		memcpy(v->pkt, p, sizeof(*p));
	}
	sl_buf_append(&v->rows, line, sl_render_summary(line, p, vw->w.ts_digits));
	return 0;
}

int sl_report_packet_view(struct sl_packet_view *v, const void *pcap,
			  size_t n, uint32_t frame, struct sl_err *e)
{
	struct sl_capture_opts o = { .data = pcap, .data_len = n };
	struct viewing vw = { { chosen_bytes, view_frame, NULL, 0, 0 }, v };
	int rc;

	v->frame = frame;
	if (!(v->pkt = calloc(1, sizeof(*v->pkt))))
		return sl_err_set(e, -ENOMEM, "out of memory");
	vw.w.arg = &vw;
	rc = sl_capture_walk(&o, &vw.w, e);
	v->digits = vw.w.ts_digits;
	if (rc == 0 && (!frame || !v->tree.len))
		rc = sl_err_set(e, -ENOENT, "the capture has no frame %u", frame);
	return rc;
}

/* ---- drawing ---- */

struct pen {
	const struct sl_gd *g;
	gd_image im;
	gd_font f;
};

static void text(struct pen *p, int x, int y, const char *s, size_t n,
		 int colour, int max_px)
{
	struct sl_buf a = SL_BUF_INIT;

	sl_report_ascii(&a, s, n);
	if (a.data && max_px > 0 && (int)a.len * p->f->w > max_px)
		a.data[max_px / p->f->w] = '\0';
	if (a.data)
		sl_gd_text(p->g, p->im, p->f, x, y, a.data, colour);
	sl_buf_release(&a);
}

static void text_s(struct pen *p, int x, int y, const char *s, int colour,
		   int max_px)
{
	text(p, x, y, s, strlen(s), colour, max_px);
}

/* The summary line's columns: No. Time Source Destination Protocol
 * Length Info (the words between are single spaces or arrows). */
struct cols {
	char no[16], time[32], src[64], dst[64], proto[16], len[16];
	const char *info;
	size_t info_len;
};

static size_t word(const char *s, size_t n, size_t i, char *out, size_t cap)
{
	size_t k;

	while (i < n && s[i] == ' ')
		i++;
	for (k = 0; i < n && s[i] != ' '; i++)
		if (k + 1 < cap)
			out[k++] = s[i];
	out[k] = '\0';
	return i;
}

static void columns(const char *s, size_t n, struct cols *c)
{
	char arrow[16];
	size_t i = word(s, n, 0, c->no, sizeof(c->no));

	i = word(s, n, i, c->time, sizeof(c->time));
	i = word(s, n, i, c->src, sizeof(c->src));
	i = word(s, n, i, arrow, sizeof(arrow));
	i = word(s, n, i, c->dst, sizeof(c->dst));
	i = word(s, n, i, c->proto, sizeof(c->proto));
	i = word(s, n, i, c->len, sizeof(c->len));
	while (i < n && s[i] == ' ')
		i++;
	c->info = s + i;
	c->info_len = n - i;
}

static int row_colour(const struct cols *c, int *fg)
{
	*fg = C_TEXT;
	if (strstr(c->info, "[RST") || strstr(c->info, ", RST")) {
		*fg = 0xfffc9c;
		return C_RST;
	}
	if (memmem(c->info, c->info_len, "SYN", 3) ||
	    memmem(c->info, c->info_len, "FIN", 3))
		return C_SYNFIN;
	return strcmp(c->proto, "TCP") ? C_WHITE : C_TCP;
}

static const int col_x[] = { PAD, 60, 160, 300, 440, 512, 568 };

static void list_row(struct pen *p, int y, const char *s, size_t n,
		     int selected)
{
	struct cols c;
	int fg, bg;

	columns(s, n, &c);
	bg = row_colour(&c, &fg);
	if (selected) {
		bg = C_SEL;
		fg = C_WHITE;
	}
	sl_gd_fill(p->g, p->im, 0, y, W - 1, y + LINE - 1, bg);
	text_s(p, col_x[0], y + 1, c.no, fg, 50);
	text_s(p, col_x[1], y + 1, c.time, fg, 96);
	text_s(p, col_x[2], y + 1, c.src, fg, 136);
	text_s(p, col_x[3], y + 1, c.dst, fg, 136);
	text_s(p, col_x[4], y + 1, c.proto, fg, 68);
	text_s(p, col_x[5], y + 1, c.len, fg, 52);
	text(p, col_x[6], y + 1, c.info, c.info_len, fg, W - col_x[6] - PAD);
}

/* The i-th line of text (from 0): its start and length; 0 past the end. */
static int nth_line(const struct sl_buf *b, size_t i, const char **s,
		    size_t *n)
{
	const char *p = b->data, *end = p + b->len;

	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (!i--) {
			*s = p;
			*n = len;
			return 1;
		}
		p += len + 1;
	}
	return 0;
}

static int packet_list(struct pen *p, int y, const struct sl_packet_view *v)
{
	static const char *const heads[] = { "No.", "Time", "Source",
		"Destination", "Protocol", "Length", "Info" };
	size_t first = v->frame > LIST_ROWS / 2 ? v->frame - LIST_ROWS / 2 : 1;
	const char *s;
	size_t n;

	sl_gd_fill(p->g, p->im, 0, y, W - 1, y + HEAD - 1, C_HEAD);
	for (size_t i = 0; i < SL_ARRAY_SIZE(heads); i++)
		text_s(p, col_x[i], y + 2, heads[i], C_TEXT, 0);
	y += HEAD;
	for (size_t i = first - 1; i < first - 1 + LIST_ROWS &&
	     nth_line(&v->rows, i, &s, &n); i++, y += LINE)
		list_row(p, y, s, n, i + 1 == v->frame);
	return y;
}

/* A folded (right) or open (down) triangle before a tree line. */
static void fold(struct pen *p, int x, int y, int open, int colour)
{
	for (int k = 0; k < 5; k++)
		if (open)
			p->g->line(p->im, x + k, y + 4 + k, x + 8 - k, y + 4 + k,
				   colour);
		else
			p->g->line(p->im, x + 2 + k, y + 2 + k, x + 2 + k,
				   y + 10 - k, colour);
}

/* A tree line without socklab's "  [field.name]" (Wireshark shows the
 * field's name in its status bar, not in the tree). */
static size_t without_field(const char *s, size_t n)
{
	if (n > 3 && s[n - 1] == ']') {
		const char *open = memrchr(s, '[', n);

		if (open && open > s + 2 && open[-1] == ' ' && open[-2] == ' ' &&
		    !memchr(open, ' ', (size_t)(s + n - open)))
			return (size_t)(open - 2 - s);
	}
	return n;
}

static size_t indent(const char *s, size_t n)
{
	size_t k = 0;

	while (k < n && s[k] == ' ')
		k++;
	return k;
}

/* Which layers stay open: TCP (and what follows it: the data). */
static int open_layer(const char *s, size_t n)
{
	return (n >= 29 && !memcmp(s, "Transmission Control Protocol", 29)) ||
	       (n >= 4 && !memcmp(s, "Data", 4));
}

static int tree_line(struct pen *p, int y, const char *s, size_t n,
		     int depth, int is_open, int has_kids, int selected)
{
	int x = PAD + depth * 16, fg = selected ? C_WHITE : C_TEXT;

	if (selected)
		sl_gd_fill(p->g, p->im, 0, y, W - 1, y + LINE - 1, C_SEL);
	if (has_kids)
		fold(p, x, y, is_open, fg);
	text(p, x + 14, y + 1, s, n, fg, W - x - 14 - PAD);
	return y + LINE;
}

/* A flag bit of IP or TCP ("Push: Set"): Wireshark keeps them under a
 * folded Flags line. */
static int flag_bit(const char *s, size_t n)
{
	return (n > 5 && !memcmp(s + n - 5, ": Set", 5)) ||
	       (n > 9 && !memcmp(s + n - 9, ": Not set", 9));
}

/* The TCP payload line as Wireshark's ("TCP payload (6 bytes)"), the
 * flags with their names ("Flags: 0x0018 (PSH, ACK)"); else as it is. */
static int tree_words(struct sl_buf *b, const struct sl_packet_view *v,
		      const char *s, size_t n)
{
	if (n >= 12 && !memcmp(s, "TCP payload:", 12))
		return sl_buf_printf(b, "TCP payload (%u bytes)",
				     (unsigned)sl_pkt_uint(v->pkt, SL_F_TCP_LEN, 0));
	sl_buf_append(b, s, n);
	if (n >= 6 && !memcmp(s, "Flags:", 6) && sl_pkt_has(v->pkt, SL_F_TCP)) {
		sl_buf_putc(b, ' ');
		sl_report_lab_flags(b, (unsigned)sl_pkt_uint(v->pkt, SL_F_TCP_FLAGS, 0));
	}
	return b->data ? 0 : -ENOMEM;
}

/* The data layer Wireshark adds after TCP, its bytes the selected field. */
static int data_layer(struct pen *p, int y, const struct sl_packet_view *v)
{
	const struct sl_fval *pl = sl_pkt_get(v->pkt, SL_F_TCP_PAYLOAD);
	struct sl_buf b = SL_BUF_INIT;
	char hex[SL_VALUE_MAX];

	if (!pl)
		return y;
	sl_buf_printf(&b, "Data (%u bytes)", pl->v.bytes.n);
	y = tree_line(p, y, b.data, b.len, 0, 1, 1, 0);
	sl_buf_reset(&b);
	sl_render_value(hex, pl);
	sl_buf_printf(&b, "Data: %s", hex);
	y = tree_line(p, y, b.data, b.len, 1, 0, 0, 1);
	sl_buf_reset(&b);
	sl_buf_printf(&b, "[Length: %u]", pl->v.bytes.n);
	y = tree_line(p, y, b.data, b.len, 1, 0, 0, 0);
	sl_buf_release(&b);
	return y;
}

static int detail_tree(struct pen *p, int y, const struct sl_packet_view *v)
{
	int bottom = y + (TREE_LINES - 3) * LINE, open = 0;
	const char *s, *next;
	size_t n, nn;

	for (size_t i = 0; nth_line(&v->tree, i, &s, &n) && y < bottom; i++) {
		size_t in = indent(s, n), kid;
		int has_kids = nth_line(&v->tree, i + 1, &next, &nn) &&
			       indent(next, nn) > in;
		struct sl_buf w = SL_BUF_INIT;

		if (!n)
			continue;
		if (in == 0)
			open = open_layer(s, n);
		if ((in > 0 && !open) || in > 4)
			continue;	/* inside a folded layer or subtree */
		kid = without_field(s + in, n - in);
		if (in && flag_bit(s + in, kid))
			continue;
		tree_words(&w, v, s + in, kid);
		y = tree_line(p, y, w.data ? w.data : "", w.len, in ? 1 : 0,
			      in == 0 ? open : 0, has_kids ||
			      (kid >= 6 && !memcmp(s + in, "Flags:", 6)), 0);
		sl_buf_release(&w);
	}
	return data_layer(p, y, v);
}

/* The bytes pane, as Wireshark's: offset, 8 + 8 hex bytes, their ASCII;
 * the bytes in [hl, hl + hl_n) highlighted. */
static int bytes_pane(struct pen *p, int y, const struct sl_packet_view *v)
{
	const uint8_t *d = (const uint8_t *)v->bytes.data;
	int cw = p->f->w;

	for (size_t off = 0; off < v->bytes.len; off += 16, y += LINE) {
		char s[24];

		snprintf(s, sizeof(s), "%04zx", off);
		text_s(p, PAD, y + 1, s, C_TEXT, 0);
		for (size_t i = 0; i < 16 && off + i < v->bytes.len; i++) {
			size_t b = off + i;
			int hx = PAD + cw * (6 + 3 * (int)i + (i >= 8));
			int ax = PAD + cw * (57 + (int)i + (i >= 8));
			int hl = b >= v->hl && b < v->hl + v->hl_n;
			int fg = hl ? C_WHITE : C_TEXT;
			char hexs[3], asc[2];

			snprintf(hexs, sizeof(hexs), "%02x", d[b]);
			asc[0] = d[b] >= 0x20 && d[b] < 0x7f ? (char)d[b] : '.';
			asc[1] = '\0';
			if (hl) {
				sl_gd_fill(p->g, p->im, hx - 1, y, hx + 2 * cw,
					   y + LINE - 1, C_SEL);
				sl_gd_fill(p->g, p->im, ax, y, ax + cw - 1,
					   y + LINE - 1, C_SEL);
			}
			text_s(p, hx, y + 1, hexs, fg, 0);
			text_s(p, ax, y + 1, asc, fg, 0);
		}
	}
	return y;
}

static void rule(struct pen *p, int y)
{
	sl_gd_fill(p->g, p->im, 0, y, W - 1, y + GAP - 1, C_RULE);
}

/* Where the name's bytes lie in the frame: in the TCP payload, whole or
 * (a name split over segments) the part this frame carries. */
static void highlight(struct sl_packet_view *v, const char *name)
{
	const struct sl_fval *pl = sl_pkt_get(v->pkt, SL_F_TCP_PAYLOAD);
	size_t n = strlen(name), k;
	const char *at;

	v->hl = v->hl_n = 0;
	if (!pl || !n)
		return;
	at = memmem(pl->v.bytes.p, pl->v.bytes.n, name, n);
	if (at) {
		v->hl = pl->off + (size_t)((const uint8_t *)at - pl->v.bytes.p);
		v->hl_n = n;
		return;
	}
	for (k = n - 1; k > 0; k--) {
		if (k <= pl->v.bytes.n &&
		    !memcmp(pl->v.bytes.p + pl->v.bytes.n - k, name, k)) {
			v->hl = pl->off + pl->v.bytes.n - k;
			v->hl_n = k;
			return;
		}
		if (k <= pl->v.bytes.n && !memcmp(pl->v.bytes.p, name + n - k, k)) {
			v->hl = pl->off;
			v->hl_n = k;
			return;
		}
	}
}

static int height(const struct sl_packet_view *v)
{
	size_t rows = v->frame > LIST_ROWS / 2 ? LIST_ROWS : LIST_ROWS,
	       bytes = (v->bytes.len + 15) / 16;

	return TITLE + BAR + HEAD + (int)rows * LINE + GAP +
	       TREE_LINES * LINE + GAP + (int)bytes * LINE + GAP + STATUS;
}

static gd_image draw(const struct sl_gd *g, struct sl_packet_view *v,
		     const char *title, const char *filter, const char *name)
{
	gd_image im = g->create(W, height(v));
	struct pen p = { g, im, g->font_small() };
	char status[300];
	int y;

	if (!im)
		return NULL;
	highlight(v, name);
	sl_gd_fill(g, im, 0, 0, W - 1, height(v) - 1, C_WHITE);
	sl_gd_fill(g, im, 0, 0, W - 1, TITLE - 1, C_BAR);
	text_s(&(struct pen){ g, im, g->font_large() }, PAD, 6, title, 0xf0f0f0,
	       W - 2 * PAD);
	sl_gd_fill(g, im, PAD, TITLE + 4, W - PAD, TITLE + BAR - 4, C_FILTER);
	g->frame(im, PAD, TITLE + 4, W - PAD, TITLE + BAR - 4, 0x7a7a7a);
	text_s(&p, PAD + 6, TITLE + 6, filter, C_TEXT, W - 4 * PAD);
	y = packet_list(&p, TITLE + BAR, v);
	rule(&p, TITLE + BAR + HEAD + LIST_ROWS * LINE);
	y = TITLE + BAR + HEAD + LIST_ROWS * LINE + GAP;
	detail_tree(&p, y, v);
	y += TREE_LINES * LINE;
	rule(&p, y);
	y = bytes_pane(&p, y + GAP, v);
	rule(&p, y);
	sl_gd_fill(g, im, 0, y + GAP, W - 1, height(v) - 1, C_STATUS);
	snprintf(status, sizeof(status),
		 "Frame %u: the bytes of \"%s\" highlighted (%zu at offset 0x%zx). Drawn by socklab, not a Wireshark window.",
		 v->frame, name, v->hl_n, v->hl);
	text_s(&p, PAD, y + GAP + 4, status, C_TEXT, W - 2 * PAD);
	return im;
}

struct packet_image {
	struct sl_packet_view *v;
	const char *title, *filter, *name;
};

static gd_image draw_packet(const struct sl_gd *g, void *arg)
{
	struct packet_image *p = arg;

	return draw(g, p->v, p->title, p->filter, p->name);
}

int sl_report_packet_jpeg(struct sl_packet_view *v, const char *title,
			  const char *filter, const char *name,
			  const char *path, struct sl_err *e)
{
	struct packet_image p = { v, title, filter, name };

	return sl_gd_jpeg(draw_packet, &p, path, e);
}

int sl_report_packet_jpeg_check(const void *jpeg, size_t n,
				struct sl_packet_view *v, const char *title,
				const char *filter, const char *name,
				struct sl_image_check *out, struct sl_err *e)
{
	struct packet_image p = { v, title, filter, name };

	return sl_gd_check(draw_packet, &p, jpeg, n, 0, out, e);
}
