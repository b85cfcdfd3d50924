/* svg.c - the TCP conversation (or lab -u's datagrams) as a two-lane flow diagram (client left,
 * server right, one arrow per captured packet, each socket state a dot on
 * its lane, labelled with the state and, for a listener, its address; the
 * times in a column on the left), an inline <svg> element sized by its
 * viewBox so it scales */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report-int.h"
#include "socklab/diag.h"
#include "socklab/render.h"

/* Geometry, in viewBox units.  A phone 390 px wide shows the page's
 * column some 374 px wide, so a unit renders at 0.85 px there: the 13-unit
 * text at 11 px and the 14-unit times at 11.9 px.  The times' column
 * holds "-123.456 ms" (a monospace character is 0.6 of its size). */
enum {
	W = 440,		/* width */
	CX = 100,		/* the client's lane */
	SX = 380,		/* the server's lane */
	TOP = 64,		/* below the lane titles */
	PKT_H = 52,		/* one packet's row */
	STATE_H = 26,		/* one socket state's row */
	BOTTOM = 16,
	HEAD = 10,		/* arrow head length */
	FONT = 13,		/* every label but the times */
	TIME_FONT = 14,		/* the times */
	TEXT_MAX = 32,		/* payload bytes shown beside an arrow */
	WRAP = 50,		/* characters a line in the "skipped" box */
};

static const char ink[] = "#24292f", muted[] = "#57606a",
	name_ink[] = "#cf222e", reply_ink[] = "#0969da",
	state_ink[] = "#8250df";

/* Escaped text, cut to TEXT_MAX bytes with "…" after. */
static int short_text(struct sl_buf *b, const char *s, size_t n)
{
	size_t k = sl_utf8_cut(s, n, TEXT_MAX);
	int rc = sl_buf_html(b, s, k);

	return rc || k == n ? rc : sl_buf_puts(b, "&#8230;");
}

/* The time, in the column left of the client's lane. */
static int time_label(struct sl_buf *b, const struct sl_lab *lab,
		      const struct sl_tl_event *ev, int y)
{
	int rc = sl_buf_printf(b, "<text class=\"t\" x=\"%d\" y=\"%d\" "
			       "font-size=\"%d\" text-anchor=\"end\" "
			       "fill=\"%s\">", CX - 6, y, TIME_FONT, muted);

	rc = rc ? rc : sl_lab_ms(b, lab, ev->t_ns);
	return rc ? rc : sl_buf_puts(b, " ms</text>\n");
}

static int arrow(struct sl_buf *b, int right, int y, const char *colour,
		 int width)
{
	int x1 = right ? CX : SX, x2 = right ? SX : CX;
	int hx = right ? x2 - HEAD : x2 + HEAD;

	return sl_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
			     "y2=\"%d\" stroke=\"%s\" stroke-width=\"%d\"/>"
			     "<polygon points=\"%d,%d %d,%d %d,%d\" "
			     "fill=\"%s\"/>\n", x1, y, hx, y, colour, width,
			     x2, y, hx, y - 5, hx, y + 5, colour);
}

/* What the packet carried, under its arrow (the name or the reply). */
static int payload(struct sl_buf *b, const struct sl_lab *lab,
		   const struct sl_tl_event *ev, int y, const char *colour)
{
	const char *s = ev->carries_name ? lab->o.name : lab->reply.data;
	size_t n = ev->carries_name ? (s ? strlen(s) : 0) : lab->reply.len;
	int rc;

	if (!(ev->carries_name || ev->carries_reply) || !s)
		return 0;
	rc = sl_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\""
			   " fill=\"%s\" font-weight=\"bold\">&#8220;",
			   (CX + SX) / 2, y, colour);
	rc = rc ? rc : short_text(b, s, n);
	return rc ? rc : sl_buf_puts(b, "&#8221;</text>\n");
}

/* A TCP packet's words, from the flow model (lib/render/flow.c), so the
 * report says what `capture --flow` says: "PSH, ACK - Len: 6  Seq = 1
 * Ack = 1".  Squeezed into the space between the lanes when longer. */
static int tcp_label(struct sl_buf *b, const struct sl_tl_event *ev)
{
	char label[SL_FLOW_TEXT_MAX], comment[SL_FLOW_TEXT_MAX];
	size_t n = sl_flow_label(label, sizeof(label), ev->flags, ev->len);
	size_t k = sl_flow_comment(comment, sizeof(comment), ev->flags,
				   ev->seq, ev->ack);
	int room = SX - CX - 2 * HEAD, rc;

	/* a monospace character is 0.6 of the font's size */
	if ((int)((n + 2 + k) * FONT * 6 / 10) > room) {
		/* reopen the <text> with a length to fit: drop its '>' */
		b->len--;
		rc = sl_buf_printf(b, " textLength=\"%d\" lengthAdjust=\""
				   "spacingAndGlyphs\">", room);
		if (rc)
			return rc;
	}
	rc = sl_buf_html(b, label, n);
	rc = rc ? rc : sl_buf_puts(b, "  ");
	rc = rc ? rc : sl_buf_html(b, comment, k);
	return rc ? rc : sl_buf_puts(b, "</text>\n");
}

static int packet_row(struct sl_buf *b, const struct sl_lab *lab,
		      const struct sl_tl_event *ev, int y0)
{
	const char *colour = ev->carries_name ? name_ink :
			     ev->carries_reply ? reply_ink : ink;
	int y = y0 + 26, rc;

	rc = sl_buf_printf(b, "<g class=\"pkt%s\">\n", ev->carries_name ?
			   " name" : ev->carries_reply ? " reply" : "");
	rc = rc ? rc : time_label(b, lab, ev, y + 5);
	rc = rc ? rc : sl_buf_printf(b, "<text x=\"%d\" y=\"%d\" "
				     "text-anchor=\"middle\" fill=\"%s\">",
				     (CX + SX) / 2, y - 7, colour);
	if (ev->udp) {
		rc = rc ? rc : sl_buf_printf(b, "UDP Len=%u</text>\n", ev->len);
	} else if (!ev->flags && !ev->sport && !ev->dport) {
		/* not TCP (ARP between two hosts): its Info says it */
		rc = rc ? rc : sl_buf_html(b, ev->text, strnlen(ev->text,
							       sizeof(ev->text)));
		rc = rc ? rc : sl_buf_puts(b, "</text>\n");
	} else {
		rc = rc ? rc : tcp_label(b, ev);
	}
	rc = rc ? rc : arrow(b, ev->from_client, y, colour,
			     ev->carries_name ? 3 : 1);
	rc = rc ? rc : payload(b, lab, ev, y + 17, colour);
	return rc ? rc : sl_buf_puts(b, "</g>\n");
}

/* "LISTEN 127.0.0.1:59001", "ESTABLISHED", "TIME_WAIT → closed": a
 * listener is named by its address (the server has one per family); a
 * connection's end is the lane's own address, shown in the lane's title. */
static int state_label(struct sl_buf *b, const struct sl_tl_event *ev)
{
	int listener = ev->state == SL_TCP_LISTEN ||
		       ev->prev_state == SL_TCP_LISTEN;
	int rc = sl_buf_puts(b, sl_lab_state_name(ev, ev->state ? ev->state :
						  ev->prev_state));

	if (!rc && listener) {
		rc = sl_buf_putc(b, ' ');
		rc = rc ? rc : sl_buf_html(b, ev->local, strnlen(ev->local,
							      SL_ADDRSTRLEN));
	}
	if (!rc && !ev->state)
		rc = sl_buf_puts(b, " &#8594; closed");
	return rc;
}

static int state_row(struct sl_buf *b, const struct sl_lab *lab,
		     const struct sl_tl_event *ev, int y0)
{
	int client = ev->owner == 1, y = y0 + 17;
	int x = client ? CX : SX, tx = client ? CX + 10 : SX - 10;
	int rc = sl_buf_printf(b, "<g class=\"state%s\">\n",
			       ev->state ? "" : " closed");

	/* the label between the lanes, where no arrow runs on this row */
	rc = rc ? rc : time_label(b, lab, ev, y);
	rc = rc ? rc : sl_buf_printf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"4\""
				     " fill=\"%s\"/><text x=\"%d\" y=\"%d\" "
				     "text-anchor=\"%s\" fill=\"%s\" "
				     "font-weight=\"bold\">", x, y - 4,
				     state_ink, tx, y, client ? "start" : "end",
				     state_ink);
	rc = rc ? rc : state_label(b, ev);
	return rc ? rc : sl_buf_puts(b, "</text>\n</g>\n");
}

/* The rows in time order; *h receives the height they take. */
static int rows(struct sl_buf *b, const struct sl_lab *lab, int *h)
{
	size_t n, *idx = sl_lab_order(lab, &n);
	int rc = 0, y = TOP;

	if (!idx && n)
		return -ENOMEM;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct sl_tl_event *ev = &lab->tl.v[idx[i]];

		if (ev->kind == SL_TL_PACKET) {
			rc = packet_row(b, lab, ev, y);
			y += PKT_H;
		} else if (ev->kind == SL_TL_SOCKET && ev->owner >= 0) {
			rc = state_row(b, lab, ev, y);
			y += STATE_H;
		}
	}
	free(idx);
	*h = y + BOTTOM;
	return rc;
}

static int lane(struct sl_buf *b, int x, const char *who, const char *addr,
		int h)
{
	int rc = sl_buf_printf(b, "<text x=\"%d\" y=\"20\" text-anchor="
			       "\"middle\" font-weight=\"bold\" fill=\"%s\">"
			       "%s</text>\n<text x=\"%d\" y=\"38\" text-anchor"
			       "=\"middle\" fill=\"%s\">", x, ink, who, x,
			       muted);

	rc = rc ? rc : sl_buf_html(b, addr, strnlen(addr, SL_ADDRSTRLEN));
	return rc ? rc : sl_buf_printf(b, "</text>\n<line x1=\"%d\" y1=\"%d\" "
				       "x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
				       "stroke-width=\"2\"/>\n", x, TOP - 16,
				       x, h - BOTTOM, muted);
}

static int svg_open(struct sl_buf *b, int h, const char *title)
{
	return sl_buf_printf(b, "<svg class=\"flow\" viewBox=\"0 0 %d %d\" "
			     "width=\"%d\" height=\"%d\" role=\"img\" "
			     "font-family=\"ui-monospace, DejaVu Sans Mono, "
			     "monospace\" font-size=\"%d\">\n<title>%s</title>"
			     "\n<rect width=\"%d\" height=\"%d\" "
			     "fill=\"#ffffff\"/>\n", W, h, W, h, FONT, title,
			     W, h);
}

/* Lines of at most WRAP bytes, cut at spaces where there are some. */
static int wrapped(struct sl_buf *b, const char *s, int y, int *lines)
{
	size_t n = strlen(s);
	int rc = 0;

	*lines = 0;
	while (n > 0 && !rc) {
		size_t k = sl_utf8_cut(s, n, WRAP);

		if (k < n) {
			size_t sp = k;

			while (sp > 0 && s[sp] != ' ')
				sp--;
			k = sp > 0 ? sp : k ? k : 1;
		}
		rc = sl_buf_printf(b, "<text x=\"20\" y=\"%d\" fill=\"%s\">",
				   y + 18 * (*lines)++, ink);
		rc = rc ? rc : sl_buf_html(b, s, k);
		rc = rc ? rc : sl_buf_puts(b, "</text>\n");
		s += k;
		n -= k;
		while (n > 0 && *s == ' ') {
			s++;
			n--;
		}
	}
	return rc;
}

/* No packets: a box that says so and why. */
static int skipped_box(struct sl_buf *out, const struct sl_lab *lab)
{
	const struct sl_lab_step *cap = &lab->steps[SL_STEP_CAPTURE];
	struct sl_buf body = SL_BUF_INIT;
	const char *why = cap->why[0] ? cap->why : "no packet was captured";
	int lines, h, rc;

	rc = wrapped(&body, why, 58, &lines);
	h = 58 + 18 * lines + 10;
	rc = rc ? rc : svg_open(out, h, lab->o.udp ? "The UDP datagrams: no packets"
						    : "The TCP flow: no packets");
	rc = rc ? rc : sl_buf_printf(out, "<rect x=\"4\" y=\"4\" width=\"%d\""
				     " height=\"%d\" fill=\"#fff8c5\" "
				     "stroke=\"#9a6700\" rx=\"6\"/>\n<text "
				     "x=\"20\" y=\"32\" font-weight=\"bold\" "
				     "fill=\"%s\">%s</text>\n", W - 8, h - 8,
				     ink, lab->capture_skipped ?
				     "The packet capture was skipped" :
				     "No packet was captured");
	rc = rc ? rc : sl_buf_append(out, body.data, body.len);
	sl_buf_release(&body);
	return rc ? rc : sl_buf_puts(out, "</svg>\n");
}

static int count_packets(const struct sl_lab *lab)
{
	int n = 0;

	for (size_t i = 0; i < lab->tl.n; i++)
		n += lab->tl.v[i].kind == SL_TL_PACKET;
	return n;
}

int sl_report_lab_svg(struct sl_buf *out, const struct sl_lab *lab)
{
	struct sl_buf body = SL_BUF_INIT;
	int h = 0, rc;

	if (count_packets(lab) == 0)
		return skipped_box(out, lab);
	rc = rows(&body, lab, &h);
	rc = rc ? rc : svg_open(out, h, lab->o.udp ?
				"The UDP datagrams between client and server, one arrow per packet" :
				"The TCP flow between client and server, one arrow per packet");
	rc = rc ? rc : lane(out, CX, "client", lab->client_addr, h);
	rc = rc ? rc : lane(out, SX, "server", lab->server_addr, h);
	rc = rc ? rc : sl_buf_append(out, body.data, body.len);
	sl_buf_release(&body);
	return rc ? rc : sl_buf_puts(out, "</svg>\n");
}
