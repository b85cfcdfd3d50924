/* walk.c - "Step through it": the lab's time line one event at a time,
 * each card with what happened (the packet, the socket change, the
 * step), the client's and the server's sockets as the kernel's table last
 * showed them at that moment, and what to learn from it.  Without
 * JavaScript the cards are reached by their links (the :target card is
 * shown); with it, buttons and the arrow keys step, and the page stays
 * one self-contained file either way. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report-int.h"
#include "socklab/diag.h"

const char sl_report_walk_css[] =
	"#walk .ev{display:none;border:1px solid var(--line);"
	"border-radius:.5rem;padding:.5rem 1rem;scroll-margin-top:1rem}\n"
	"#walk .ev:target,#walk.js .ev.current{display:block}\n"
	"#walk:not(.js):not(:has(.ev:target)) .ev:first-of-type{display:block}\n"
	"#walk.js .ev:target:not(.current){display:none}\n"
	"#walk .socks{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}\n"
	"#walk .sock{background:#f6f8fa;border-radius:.4rem;padding:.25rem .5rem}\n"
	"#walk .what{font-weight:700;overflow-wrap:anywhere}\n"
	"#walk .name .what{color:var(--fail)}\n"
	"#walk nav.steps a,#walk-bar button{display:inline-block;"
	"padding:.2rem .8rem;border:1px solid var(--line);border-radius:.4rem;"
	"background:#f6f8fa;color:inherit;text-decoration:none;font:inherit}\n"
	"@media print{#walk{display:none}}\n";

/* The sockets' states as the table last showed them. */
struct seen {
	int client;		/* the client's connection, 0 none yet */
	int client_gone;	/* it was, then went */
	int listener;
	int conn;		/* the server's end of the connection */
	int conn_gone;
};

static int is_listener(const struct sl_tl_event *ev)
{
	return ev->state == SL_TCP_LISTEN || ev->prev_state == SL_TCP_LISTEN;
}

static void follow(struct seen *s, const struct sl_tl_event *ev)
{
	if (ev->kind != SL_TL_SOCKET || ev->owner < 0)
		return;
	if (ev->owner == 1) {
		s->client_gone = !ev->state;
		s->client = ev->state ? ev->state : ev->prev_state;
	} else if (is_listener(ev)) {
		s->listener = ev->state;
	} else {
		s->conn_gone = !ev->state;
		s->conn = ev->state ? ev->state : ev->prev_state;
	}
}

static int state_words(struct sl_buf *b, int state, int gone)
{
	if (!state)
		return sl_buf_puts(b, "not in the socket table yet");
	return sl_buf_printf(b, gone ? "gone (it was %s)" : "%s",
			     sl_tcp_state_name(state));
}

static int sockets(struct sl_buf *b, const struct seen *s)
{
	int rc = sl_buf_puts(b, "<div class=\"socks\"><div class=\"sock c\">"
			     "client socket: <strong class=\"state\">");

	rc = rc ? rc : state_words(b, s->client, s->client_gone);
	rc = rc ? rc : sl_buf_puts(b, "</strong></div><div class=\"sock s\">"
				   "server socket: <strong class=\"state\">");
	rc = rc ? rc : state_words(b, s->conn, s->conn_gone);
	rc = rc ? rc : sl_buf_puts(b, "</strong>");
	if (!rc && s->listener)
		rc = sl_buf_printf(b, "<br><small>its listener: %s</small>",
				   sl_tcp_state_name(s->listener));
	return rc ? rc : sl_buf_puts(b, "</div></div>\n");
}

/* What happened, in one line. */
static int what(struct sl_buf *b, const struct sl_lab *lab,
		const struct sl_tl_event *ev)
{
	struct sl_buf l = SL_BUF_INIT;
	int rc;

	/* not a packet, or no TCP (ARP between two hosts): its words */
	if (ev->kind != SL_TL_PACKET ||
	    (!ev->flags && !ev->sport && !ev->dport))
		return sl_buf_html(b, ev->text, strnlen(ev->text,
							 sizeof(ev->text)));
	rc = sl_buf_printf(&l, "Frame %u, %s: ", ev->frame,
			   ev->from_client ? "client to server" :
			   "server to client");
	sl_report_lab_flags(&l, ev->flags);
	sl_buf_printf(&l, " Seq=%u Ack=%u Len=%u", ev->seq, ev->ack, ev->len);
	rc = rc ? rc : sl_buf_html(b, l.data, l.len);
	if (!rc && ev->carries_name) {
		rc = sl_buf_puts(b, ", carrying &#8220;");
		rc = rc ? rc : sl_buf_html_str(b, lab->o.name);
		rc = rc ? rc : sl_buf_puts(b, "&#8221;");
	}
	sl_buf_release(&l);
	return rc;
}

static const char *lesson(struct sl_convo *c, const struct sl_tl_event *ev)
{
	if (ev->kind == SL_TL_PACKET)
		return sl_report_packet_lesson(c, ev);
	if (ev->kind == SL_TL_SOCKET && ev->state)
		return sl_lab_state_lesson(ev->state);
	if (ev->kind == SL_TL_SOCKET)
		return "The socket is closed and gone from the kernel's table.";
	return NULL;
}

static int links(struct sl_buf *b, size_t i, size_t n)
{
	int rc = sl_buf_puts(b, "<nav class=\"steps\">");

	if (!rc && i > 0)
		rc = sl_buf_printf(b, "<a href=\"#ev-%zu\" rel=\"prev\">&#9664; "
				   "previous</a> ", i);
	if (!rc && i + 1 < n)
		rc = sl_buf_printf(b, "<a href=\"#ev-%zu\" rel=\"next\">next "
				   "&#9654;</a>", i + 2);
	return rc ? rc : sl_buf_puts(b, "</nav>\n");
}

static int card(struct sl_buf *b, const struct sl_lab *lab, size_t i,
		size_t n, const struct sl_tl_event *ev, const struct seen *s,
		const char *why)
{
	int rc = sl_buf_printf(b, "<article class=\"ev%s\" id=\"ev-%zu\" "
			       "data-kind=\"%s\" data-frame=\"%u\">\n"
			       "<p><small>%zu of %zu &#183; ",
			       ev->carries_name ? " name" : "", i + 1,
			       ev->kind == SL_TL_PACKET ? "packet" :
			       ev->kind == SL_TL_SOCKET ? "socket" : "note",
			       ev->kind == SL_TL_PACKET ? ev->frame : 0, i + 1, n);

	rc = rc ? rc : sl_lab_ms(b, lab, ev->t_ns);
	rc = rc ? rc : sl_buf_puts(b, " ms</small></p>\n<p class=\"what\">");
	rc = rc ? rc : what(b, lab, ev);
	rc = rc ? rc : sl_buf_puts(b, "</p>\n");
	rc = rc ? rc : sockets(b, s);
	if (!rc && why) {
		rc = sl_buf_puts(b, "<p class=\"lesson\">");
		rc = rc ? rc : sl_buf_html_str(b, why);
		rc = rc ? rc : sl_buf_puts(b, "</p>\n");
	}
	rc = rc ? rc : links(b, i, n);
	return rc ? rc : sl_buf_puts(b, "</article>\n");
}

/* Buttons and arrow keys: the current card by class, the links followed
 * without leaving the page's place. */
static const char script[] =
	"<script>\n(function () {\n"
	"var w = document.getElementById('walk');\n"
	"var evs = w.querySelectorAll('.ev'), i = 0;\n"
	"var pos = document.getElementById('walk-pos');\n"
	"function show(k) {\n"
	"  if (k < 0 || k >= evs.length) return;\n"
	"  evs[i].classList.remove('current');\n"
	"  i = k;\n"
	"  evs[i].classList.add('current');\n"
	"  pos.textContent = (i + 1) + ' / ' + evs.length;\n"
	"}\n"
	"w.classList.add('js');\n"
	"document.getElementById('walk-bar').hidden = false;\n"
	"var h = /^#ev-(\\d+)$/.exec(location.hash);\n"
	"show(h ? Number(h[1]) - 1 : 0);\n"
	"document.getElementById('walk-prev').onclick = function () { show(i - 1); };\n"
	"document.getElementById('walk-next').onclick = function () { show(i + 1); };\n"
	"w.addEventListener('click', function (e) {\n"
	"  var a = e.target.closest('a[href^=\"#ev-\"]');\n"
	"  if (!a) return;\n"
	"  e.preventDefault();\n"
	"  show(Number(a.getAttribute('href').slice(4)) - 1);\n"
	"});\n"
	"document.addEventListener('keydown', function (e) {\n"
	"  if (e.altKey || e.ctrlKey || e.metaKey) return;\n"
	"  if (e.key === 'ArrowRight') { show(i + 1); e.preventDefault(); }\n"
	"  else if (e.key === 'ArrowLeft') { show(i - 1); e.preventDefault(); }\n"
	"});\n"
	"})();\n</script>\n";

static int cards(struct sl_buf *b, const struct sl_lab *lab)
{
	struct sl_convo c = { 0, 0, 0 };
	struct seen s = { 0, 0, 0, 0, 0 };
	size_t n, *idx = sl_lab_order(lab, &n);
	int rc = 0;

	if (!idx)
		return n ? -ENOMEM : 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct sl_tl_event *ev = &lab->tl.v[idx[i]];
		const char *why;

		follow(&s, ev);
		why = lesson(&c, ev);
		rc = card(b, lab, i, n, ev, &s, why);
	}
	free(idx);
	return rc;
}

int sl_report_walk(struct sl_buf *b, const struct sl_lab *lab)
{
	int rc;

	if (!lab->tl.n)
		return 0;
	rc = sl_buf_puts(b, "<section id=\"walk\">\n<h2>Step through it</h2>\n"
			 "<p>The same time line, one event at a time: what "
			 "happened, and both sockets as the kernel's table last "
			 "showed them at that moment. Follow the links, or use "
			 "the buttons and the arrow keys.</p>\n"
			 "<p id=\"walk-bar\" hidden><button type=\"button\" "
			 "id=\"walk-prev\">&#9664; previous</button> "
			 "<span id=\"walk-pos\"></span> <button type=\"button\" "
			 "id=\"walk-next\">next &#9654;</button></p>\n");
	rc = rc ? rc : cards(b, lab);
	rc = rc ? rc : sl_buf_puts(b, "</section>\n");
	return rc ? rc : sl_buf_puts(b, script);
}
