/* html.c - report.html: the lab as one self-contained page (verdict, each
 * step with its terminal text and lesson, the TCP flow as inline SVG, the
 * socket states beside the packets on one time line); every string from
 * the lab is escaped, so NAME may hold anything */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "report-int.h"
#include "socklab/diag.h"

#ifndef SL_VERSION
#define SL_VERSION "?"
#endif

/* ---- the page's head and the verdict ---- */

static const char css[] =
	":root{--fg:#1b1f24;--mu:#57606a;--ok:#1a7f37;--fail:#cf222e;"
	"--skip:#9a6700;--line:#d0d7de}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',"
	"Roboto,'DejaVu Sans',sans-serif;font-size:1rem;line-height:1.5;"
	"color:var(--fg);background:#fff}\n"
	"main{max-width:60rem;margin:0 auto;padding:1rem}\n"
	"h1{font-size:1.6rem;margin:.5rem 0;overflow-wrap:anywhere}\n"
	"h2{font-size:1.25rem;margin:1.5rem 0 .5rem;overflow-wrap:anywhere}\n"
	"code,pre{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,"
	"Consolas,monospace;font-size:.85rem}\n"
	"code{overflow-wrap:anywhere}\n"
	/* long lines wrap: a phone never has to scroll the text sideways */
	"pre{background:#0d1117;color:#e6edf3;padding:.75rem;"
	"border-radius:.4rem;white-space:pre-wrap;overflow-wrap:anywhere;"
	"margin:.5rem 0}\n"
	"dl.meta{display:grid;grid-template-columns:max-content 1fr;"
	"gap:0 1rem;margin:0}\n"
	"dl.meta dt{color:var(--mu)}\n"
	"dl.meta dd{margin:0;overflow-wrap:anywhere}\n"
	".verdict{padding:.5rem 1rem;border-radius:.4rem;"
	"border-left:.4rem solid;margin:1rem 0}\n"
	".verdict.ok{border-color:var(--ok);background:#dafbe1}\n"
	".verdict.fail{border-color:var(--fail);background:#ffebe9}\n"
	".verdict.warn{border-color:var(--skip);background:#fff8c5}\n"
	".badge{display:inline-block;font-size:.75rem;font-weight:700;"
	"padding:0 .5rem;border-radius:1rem;color:#fff;"
	"vertical-align:middle}\n"
	".badge.ok{background:var(--ok)}\n"
	".badge.fail{background:var(--fail)}\n"
	".badge.skip{background:var(--skip)}\n"
	".badge.pending{background:var(--mu)}\n"
	"section.step{border:1px solid var(--line);border-radius:.5rem;"
	"padding:0 1rem .5rem;margin:1rem 0}\n"
	".why{color:var(--fail);overflow-wrap:anywhere}\n"
	".seen{color:var(--ok);overflow-wrap:anywhere}\n"
	".lesson{background:#ddf4ff;padding:.5rem .75rem;"
	"border-radius:.4rem}\n"
	".scroll{overflow-x:auto}\n"
	".flow svg{display:block;width:100%;max-width:40rem;min-width:22rem;"
	"height:auto;margin:0 auto}\n"
	"table{border-collapse:collapse;width:100%;min-width:42rem;"
	"font-size:.85rem}\n"
	"th,td{border-bottom:1px solid var(--line);padding:.25rem .5rem;"
	"text-align:left;vertical-align:top}\n"
	"td.t{white-space:nowrap;text-align:right;"
	"font-variant-numeric:tabular-nums}\n"
	"td small{display:block;color:var(--mu)}\n"
	"tr.name td{background:#ffebe9}\n"
	"tr.name .pkt{color:var(--fail);font-weight:700}\n"
	"tr.note td{color:var(--mu);font-style:italic}\n"
	"@media (max-width:30rem){main{padding:.5rem}"
	"h1{font-size:1.3rem}section.step{padding:0 .5rem .5rem}}\n"
	"@media screen and (max-width:40rem){table.tl{min-width:0}"
	"table.tl thead{display:none}"
	"table.tl tr,table.tl td{display:block;border:0}"
	"table.tl tr{border-bottom:1px solid var(--line);padding:.25rem 0}"
	"table.tl td:empty{display:none}"
	"table.tl td.t{text-align:left;padding-bottom:0}"
	"table.tl td.c::before{content:'client socket: '}"
	"table.tl td.s::before{content:'server socket: '}}\n"
	"@media print{body{background:none;color:#000;font-size:.8rem}"
	"main{max-width:none;padding:0}"
	"pre{background:none;color:#000;border:1px solid #888}"
	".verdict,.lesson,tr.name td{background:none}"
	".badge{color:#000;background:none;border:1px solid #000}"
	"section.step,.flow,tr{break-inside:avoid;page-break-inside:avoid}"
	"h2{break-after:avoid;page-break-after:avoid}"
	".scroll{overflow:visible}"
	".flow svg,table{min-width:0;max-width:100%}"
	"nav{display:none}}\n";

static int head(struct sl_buf *b, const struct sl_lab *lab)
{
	int rc = sl_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			     "<meta charset=\"utf-8\">\n"
			     "<meta name=\"viewport\" content=\"width=device-"
			     "width, initial-scale=1\">\n"
			     "<title>socklab lab: ");

	rc = rc ? rc : sl_buf_html_str(b, lab->o.name);
	rc = rc ? rc : sl_buf_puts(b, "</title>\n<style>\n");
	rc = rc ? rc : sl_buf_puts(b, css);
	rc = rc ? rc : sl_buf_puts(b, sl_report_walk_css);
	return rc ? rc : sl_buf_puts(b, "</style>\n</head>\n<body>\n<main>\n");
}

static int meta_row(struct sl_buf *b, const char *dt, const char *dd)
{
	int rc = sl_buf_printf(b, "<dt>%s</dt><dd>", dt);

	rc = rc ? rc : sl_buf_html_str(b, dd && *dd ? dd : "-");
	return rc ? rc : sl_buf_puts(b, "</dd>\n");
}

static void format_date(const struct sl_lab *lab, char *out, size_t cap)
{
	time_t t = (time_t)(lab->t0_ns / 1000000000);
	struct tm tm;

	out[0] = '\0';
	if (lab->t0_ns > 0 && localtime_r(&t, &tm))
		if (strftime(out, cap, "%Y-%m-%d %H:%M:%S %z", &tm) == 0)
			out[0] = '\0';
}

/* The capture file's own name (the folder may name the user's home). */
static const char *pcap_name(const struct sl_lab *lab)
{
	const char *slash;

	if (!memchr(lab->pcap_path, '\0', sizeof(lab->pcap_path)))
		return "";
	slash = strrchr(lab->pcap_path, '/');
	return slash ? slash + 1 : lab->pcap_path;
}

static int meta(struct sl_buf *b, const struct sl_lab *lab)
{
	char date[64], port[8], packets[48];
	int rc;

	format_date(lab, date, sizeof(date));
	snprintf(port, sizeof(port), "%u", (unsigned)lab->port);
	snprintf(packets, sizeof(packets), lab->name_frame ? "%u (the name "
		 "in frame %u)" : "%u", (unsigned)lab->packets,
		 (unsigned)lab->name_frame);
	rc = sl_buf_puts(b, "<dl class=\"meta\">\n");
	rc = rc ? rc : meta_row(b, "Name", lab->o.name);
	rc = rc ? rc : meta_row(b, "Date", date);
	rc = rc ? rc : meta_row(b, "Port", port);
	rc = rc ? rc : meta_row(b, "Family", lab->o.family == AF_INET6 ?
				"IPv6" : "IPv4");
	rc = rc ? rc : meta_row(b, "Server", lab->server_addr);
	rc = rc ? rc : meta_row(b, "Client", lab->client_addr);
	rc = rc ? rc : meta_row(b, "Display filter", lab->filter);
	rc = rc ? rc : meta_row(b, "Packets captured",
				lab->capture_skipped ? "" : packets);
	rc = rc ? rc : meta_row(b, "Capture file", pcap_name(lab));
	return rc ? rc : sl_buf_puts(b, "</dl>\n");
}

static const struct sl_tok status_word[] = {
	{ SL_STEP_PENDING, "NOT RUN" }, { SL_STEP_OK, "OK" },
	{ SL_STEP_FAILED, "FAILED" }, { SL_STEP_SKIPPED, "SKIPPED" },
	{ 0, NULL }
};

static const struct sl_tok status_class[] = {
	{ SL_STEP_PENDING, "pending" }, { SL_STEP_OK, "ok" },
	{ SL_STEP_FAILED, "fail" }, { SL_STEP_SKIPPED, "skip" },
	{ 0, NULL }
};

static int badge(struct sl_buf *b, enum sl_step_status s)
{
	return sl_buf_printf(b, "<span class=\"badge %s\">%s</span>",
			     sl_tok_name(status_class, (int)s, "pending"),
			     sl_tok_name(status_word, (int)s, "?"));
}

/* One list item for a step that was not verified. */
static int verdict_item(struct sl_buf *b, int i, const struct sl_lab_step *s)
{
	int rc = sl_buf_printf(b, "<li><a href=\"#step-%d\">Step %d</a> ",
			       i + 1, i + 1);

	rc = rc ? rc : sl_buf_html_str(b, s->title);
	rc = rc ? rc : sl_buf_puts(b, ": ");
	rc = rc ? rc : badge(b, s->status);
	if (!rc && s->why[0]) {
		rc = sl_buf_puts(b, " ");
		rc = rc ? rc : sl_buf_html(b, s->why, strnlen(s->why,
							sizeof(s->why)));
	}
	return rc ? rc : sl_buf_puts(b, "</li>\n");
}

/* "4 of 6 steps verified, 1 failed, 1 skipped." */
static int verdict_line(struct sl_buf *b, const int n[4])
{
	int rc = sl_buf_printf(b, "%d of %d steps verified", n[SL_STEP_OK],
			       SL_STEP_COUNT);

	if (!rc && n[SL_STEP_FAILED])
		rc = sl_buf_printf(b, ", %d failed", n[SL_STEP_FAILED]);
	if (!rc && n[SL_STEP_SKIPPED])
		rc = sl_buf_printf(b, ", %d skipped", n[SL_STEP_SKIPPED]);
	if (!rc && n[SL_STEP_PENDING])
		rc = sl_buf_printf(b, ", %d not run", n[SL_STEP_PENDING]);
	return rc ? rc : sl_buf_puts(b, ".");
}

static int verdict(struct sl_buf *b, const struct sl_lab *lab)
{
	int n[4] = { 0, 0, 0, 0 }, rc;
	const char *cls = "fail";

	for (int i = 0; i < SL_STEP_COUNT; i++)
		n[lab->steps[i].status & 3]++;
	if (n[SL_STEP_OK] == SL_STEP_COUNT)
		return sl_buf_printf(b, "<div class=\"verdict ok\"><strong>"
				     "All %d steps verified.</strong></div>\n",
				     SL_STEP_COUNT);
	/* skipped on purpose (--no-capture) is not a failure */
	if (n[SL_STEP_OK] + n[SL_STEP_SKIPPED] == SL_STEP_COUNT &&
	    lab->o.no_capture)
		cls = "warn";
	rc = sl_buf_printf(b, "<div class=\"verdict %s\"><strong>", cls);
	rc = rc ? rc : verdict_line(b, n);
	rc = rc ? rc : sl_buf_puts(b, "</strong>\n<ul>\n");
	for (int i = 0; i < SL_STEP_COUNT && !rc; i++)
		if (lab->steps[i].status != SL_STEP_OK)
			rc = verdict_item(b, i, &lab->steps[i]);
	return rc ? rc : sl_buf_puts(b, "</ul></div>\n");
}

/* What the run found beside the steps: against the assignment, a risk,
 * a state seen only in packets. */
static int notes(struct sl_buf *b, const struct sl_lab *lab)
{
	int rc;

	if (!lab->nnotes)
		return 0;
	rc = sl_buf_puts(b, "<div class=\"verdict warn\"><strong>Notes</strong>\n<ul>\n");
	for (size_t i = 0; i < lab->nnotes && !rc; i++) {
		rc = sl_buf_puts(b, lab->notes[i].level == SL_NOTE_WARN ?
				 "<li><strong>Against the assignment or risky:</strong> " :
				 "<li>");
		rc = rc ? rc : sl_buf_html_str(b, lab->notes[i].text);
		rc = rc ? rc : sl_buf_puts(b, "</li>\n");
	}
	return rc ? rc : sl_buf_puts(b, "</ul></div>\n");
}

/* The student's commands and what their programs printed. */
static int programs(struct sl_buf *b, const struct sl_lab *lab)
{
	int rc;

	if (!lab->programs)
		return 0;
	rc = sl_buf_puts(b, "<section><h2>Your programs and what they printed</h2>\n<pre>");
	rc = rc ? rc : sl_buf_html(b, lab->outputs.data, lab->outputs.len);
	return rc ? rc : sl_buf_puts(b, "</pre></section>\n");
}

static int header(struct sl_buf *b, const struct sl_lab *lab)
{
	int rc = sl_buf_puts(b, "<header>\n<h1>socklab lab: ");

	rc = rc ? rc : sl_buf_html_str(b, lab->o.name);
	rc = rc ? rc : sl_buf_puts(b, "</h1>\n");
	rc = rc ? rc : meta(b, lab);
	rc = rc ? rc : verdict(b, lab);
	rc = rc ? rc : notes(b, lab);
	return rc ? rc : sl_buf_puts(b, "</header>\n");
}

/* ---- the steps ---- */

/* What a student learns from a step when the lab gave no lesson. */
static const char *const default_lesson[SL_STEP_COUNT] = {
	[SL_STEP_CAPTURE] = "A capture on the loopback interface sees every "
		"packet between two programs on this machine; the display "
		"filter keeps only this lab's address.",
	[SL_STEP_SERVER] = "The server is its own process: socket(), bind() "
		"to the port, listen().",
	[SL_STEP_LISTEN] = "LISTEN means the socket waits for connections. "
		"The kernel answers SYNs for it and queues finished "
		"connections until the program calls accept().",
	[SL_STEP_ESTABLISHED] = "A connection has two ends, one socket "
		"each. Both are ESTABLISHED once the three-way handshake "
		"(SYN, SYN-ACK, ACK) is done, even before the server's "
		"accept() returns.",
	[SL_STEP_MESSAGE] = "TCP carries a byte stream, not messages: the "
		"server reads bytes until the newline to find where the "
		"name ends.",
	[SL_STEP_PACKET] = "The name travels in one TCP segment with the "
		"PSH and ACK flags; Seq counts bytes, so the next segment "
		"starts after these.",
};

static int step_head(struct sl_buf *b, int i, const struct sl_lab_step *s)
{
	int rc = sl_buf_printf(b, "<section class=\"step\" id=\"step-%d\">\n"
			       "<h2>%d. ", i + 1, i + 1);

	rc = rc ? rc : sl_buf_html_str(b, s->title);
	rc = rc ? rc : sl_buf_puts(b, " ");
	rc = rc ? rc : badge(b, s->status);
	rc = rc ? rc : sl_buf_puts(b, "</h2>\n");
	if (!rc && s->why[0]) {
		/* a verified step's detail is what was seen, not a fault */
		rc = sl_buf_puts(b, s->status == SL_STEP_OK ?
				 "<p class=\"seen\">Verified: " : "<p class=\"why\">");
		rc = rc ? rc : sl_buf_html(b, s->why, strnlen(s->why,
							sizeof(s->why)));
		rc = rc ? rc : sl_buf_puts(b, "</p>\n");
	}
	return rc;
}

static int step(struct sl_buf *b, int i, const struct sl_lab_step *s)
{
	const char *lesson = s->lesson ? s->lesson : default_lesson[i];
	int rc = step_head(b, i, s);

	if (!rc && s->classic && *s->classic) {
		rc = sl_buf_puts(b, "<p>The classic way to see this: <code>");
		rc = rc ? rc : sl_buf_html_str(b, s->classic);
		rc = rc ? rc : sl_buf_puts(b, "</code></p>\n");
	}
	if (!rc && s->text.len) {
		rc = sl_buf_puts(b, "<pre>");
		rc = rc ? rc : sl_buf_html(b, s->text.data, s->text.len);
		rc = rc ? rc : sl_buf_puts(b, "</pre>\n");
	}
	if (!rc && lesson) {
		rc = sl_buf_puts(b, "<p class=\"lesson\">");
		rc = rc ? rc : sl_buf_html_str(b, lesson);
		rc = rc ? rc : sl_buf_puts(b, "</p>\n");
	}
	return rc ? rc : sl_buf_puts(b, "</section>\n");
}

static const char *flow_title(const struct sl_lab *lab)
{
	return lab->o.udp ? "The UDP datagrams" : "The TCP conversation";
}

static int steps(struct sl_buf *b, const struct sl_lab *lab)
{
	int rc = sl_buf_puts(b, "<nav><h2>Steps</h2><ol>\n");

	for (int i = 0; i < SL_STEP_COUNT && !rc; i++) {
		rc = sl_buf_printf(b, "<li><a href=\"#step-%d\">", i + 1);
		rc = rc ? rc : sl_buf_html_str(b, lab->steps[i].title);
		rc = rc ? rc : sl_buf_puts(b, "</a> ");
		rc = rc ? rc : badge(b, lab->steps[i].status);
		rc = rc ? rc : sl_buf_puts(b, "</li>\n");
	}
	rc = rc ? rc : sl_buf_printf(b, "<li><a href=\"#flow\">%s</a></li>\n"
				     "<li><a href=\"#timeline\">Time line</a>"
				     "</li>\n<li><a href=\"#walk\">Step through "
				     "it</a></li>\n</ol></nav>\n", flow_title(lab));
	for (int i = 0; i < SL_STEP_COUNT && !rc; i++)
		rc = step(b, i, &lab->steps[i]);
	return rc;
}

/* ---- the flow diagram and what to learn from it ---- */

/* Who sent the first FIN (1 client, 0 server, -1 nobody) and whose socket
 * went to TIME_WAIT (owner, -1 none seen). */
static void closers(const struct sl_lab *lab, int *fin, int *tw)
{
	int64_t tfin = INT64_MAX;

	*fin = *tw = -1;
	for (size_t i = 0; i < lab->tl.n; i++) {
		const struct sl_tl_event *ev = &lab->tl.v[i];

		if (ev->kind == SL_TL_PACKET && (ev->flags & 1) &&
		    ev->t_ns < tfin) {
			tfin = ev->t_ns;
			*fin = ev->from_client ? 1 : 0;
		}
		if (ev->kind == SL_TL_SOCKET && ev->owner >= 0 && *tw < 0 &&
		    ev->state == SL_TCP_TIME_WAIT)
			*tw = ev->owner;
	}
}

static int who_closed(struct sl_buf *b, const struct sl_lab *lab)
{
	static const char *const side[] = { "server", "client" };
	int fin, tw, rc;

	closers(lab, &fin, &tw);
	if (fin < 0)
		return 0;
	rc = sl_buf_printf(b, "<li>In this run the %s sent the first FIN",
			   side[fin]);
	if (!rc && tw >= 0)
		rc = sl_buf_printf(b, ", and the %s's socket is the one seen "
				   "in TIME_WAIT", side[tw]);
	return rc ? rc : sl_buf_puts(b, ".</li>\n");
}

static const char learn[] =
	"<ul>\n"
	"<li><strong>LISTEN</strong>: the server's socket waits for "
	"connections; the kernel queues them until accept().</li>\n"
	"<li><strong>Three-way handshake</strong>: SYN (client), SYN-ACK "
	"(server), ACK (client). After it both ends are ESTABLISHED, "
	"before the server's accept() even returns: the kernel, not the "
	"program, answers the handshake.</li>\n"
	"<li><strong>A byte stream</strong>: TCP numbers bytes, not "
	"messages (Seq and Ack count bytes). The name ends with a newline "
	"so the server knows where it stops; a read may return part of it "
	"or more.</li>\n"
	"<li><strong>Closing</strong>: each side sends a FIN. The side that "
	"closes first ends in TIME_WAIT (60 s on Linux), which is why a "
	"server restarted at once may find its port \"already in "
	"use\".</li>\n";

static const char learn_udp[] =
	"<ul>\n"
	"<li><strong>No LISTEN, no accept()</strong>: the server's one "
	"socket is unconnected (UNCONN) and takes every datagram, each with "
	"its sender's address.</li>\n"
	"<li><strong>No handshake</strong>: nothing crossed before the name. "
	"The client's connect() only made its own kernel remember the "
	"server's address; the server never saw a connection.</li>\n"
	"<li><strong>Datagrams, not a stream</strong>: the name arrived "
	"whole in one datagram and the reply in another, with no sequence "
	"numbers and no acknowledgement.</li>\n"
	"<li><strong>No close</strong>: no FIN, no TIME_WAIT. A lost datagram "
	"is simply gone: the client's timeout is the only way to notice.</li>\n";

static int flow(struct sl_buf *b, const struct sl_lab *lab)
{
	int rc = sl_buf_printf(b, "<section class=\"flow\" id=\"flow\">\n"
			       "<h2>%s</h2>\n<p>Each arrow is one captured "
			       "packet, in time order; the packet carrying the "
			       "name is in red.%s</p>\n<div class=\"scroll\">\n",
			       flow_title(lab), lab->o.udp ? "" :
			       " Seq and Ack are relative, as Wireshark shows them.");

	rc = rc ? rc : sl_report_lab_svg(b, lab);
	rc = rc ? rc : sl_buf_puts(b, "</div>\n<h3>What to learn from "
				   "it</h3>\n");
	rc = rc ? rc : sl_buf_puts(b, lab->o.udp ? learn_udp : learn);
	rc = rc ? rc : who_closed(b, lab);
	return rc ? rc : sl_buf_puts(b, "</ul>\n</section>\n");
}

/* ---- the time line ---- */

const char *sl_report_packet_lesson(struct sl_convo *c,
				    const struct sl_tl_event *ev)
{
	unsigned f = ev->flags;

	if (ev->udp && ev->carries_name)
		return "The client's datagram: the name and a newline, whole "
		       "in one packet; no handshake came before it.";
	if (ev->udp)
		return ev->carries_reply ? "The server's reply: a datagram of "
		       "its own, sent to the address the name came from." : NULL;

	if (f & 4)
		return "RST: the connection is aborted at once (closed with "
		       "unread data, or nobody listens on that port).";
	if ((f & 2) && !(f & 16))
		return "Handshake 1/3: the client's connect() asks to open "
		       "a connection (SYN).";
	if (f & 2) {
		c->synack = 1;
		return "Handshake 2/3: the server's kernel agrees (SYN-ACK); "
		       "no accept() is needed for this.";
	}
	if (ev->carries_name)
		return "The client's bytes: the name and a newline. TCP "
		       "carries a byte stream; the newline marks the end.";
	if (ev->carries_reply)
		return "The server's reply, in the same stream the other way.";
	if (f & 1)
		return c->fins++ ? "The other side closes too (FIN)." :
		       "This side closes first (FIN): it will be the one "
		       "left in TIME_WAIT.";
	if (c->synack && !c->open && ev->from_client && ev->len == 0) {
		c->open = 1;
		return "Handshake 3/3: both ends are now ESTABLISHED.";
	}
	if (ev->len == 0)
		return "Acknowledges the bytes received so far (Ack = the "
		       "next byte expected).";
	return NULL;
}

static int small(struct sl_buf *b, const char *s)
{
	int rc;

	if (!s)
		return 0;
	rc = sl_buf_puts(b, "<small>");
	rc = rc ? rc : sl_buf_html_str(b, s);
	return rc ? rc : sl_buf_puts(b, "</small>");
}

/* "[PSH, ACK] Seq=1 Ack=1 Len=6", as the summary line writes it (the
 * diagram beside it has the flow graph's words, lib/render/flow.c). */
static int packet_label(struct sl_buf *b, const struct sl_tl_event *ev)
{
	int rc;

	if (!ev->flags && !ev->sport && !ev->dport && !ev->udp)	/* ARP, two hosts */
		return sl_buf_append(b, ev->text, strnlen(ev->text,
							  sizeof(ev->text)));
	if (ev->udp)
		return sl_buf_printf(b, "UDP Len=%u", ev->len);
	if ((rc = sl_report_lab_flags(b, ev->flags)))
		return rc;
	if (ev->flags & 16)
		return sl_buf_printf(b, " Seq=%u Ack=%u Len=%u", ev->seq,
				     ev->ack, ev->len);
	return sl_buf_printf(b, " Seq=%u Len=%u", ev->seq, ev->len);
}

static int packet_cell(struct sl_buf *b, const struct sl_lab *lab,
		       const struct sl_tl_event *ev, struct sl_convo *c)
{
	struct sl_buf lbl = SL_BUF_INIT;
	int rc = sl_buf_printf(b, "<td class=\"pkt\">#%u %s ", ev->frame,
			       ev->from_client ? "client &#8594; server" :
			       "client &#8592; server");

	rc = rc ? rc : packet_label(&lbl, ev);
	rc = rc ? rc : sl_buf_html(b, lbl.data, lbl.len);
	sl_buf_release(&lbl);
	if (!rc && ev->carries_name) {
		rc = sl_buf_puts(b, " &#8220;");
		rc = rc ? rc : sl_buf_html_str(b, lab->o.name);
		rc = rc ? rc : sl_buf_puts(b, "&#8221;");
	}
	rc = rc ? rc : small(b, sl_report_packet_lesson(c, ev));
	return rc ? rc : sl_buf_puts(b, "</td>");
}

static int state_text(struct sl_buf *b, const struct sl_tl_event *ev)
{
	if (ev->prev_state && ev->state)
		return sl_buf_printf(b, "<strong>%s &#8594; %s</strong>",
				     sl_lab_state_name(ev, ev->prev_state),
				     sl_lab_state_name(ev, ev->state));
	if (ev->state)
		return sl_buf_printf(b, "<strong>%s</strong> (new)",
				     sl_lab_state_name(ev, ev->state));
	return sl_buf_printf(b, "<strong>%s &#8594; gone</strong>",
			     sl_lab_state_name(ev, ev->prev_state));
}

static int socket_cell(struct sl_buf *b, const struct sl_tl_event *ev)
{
	int rc = sl_buf_printf(b, "<td class=\"sock %s\">",
			       ev->owner == 1 ? "c" : "s");

	rc = rc ? rc : state_text(b, ev);
	if (!rc && ev->pid > 0) {
		rc = sl_buf_printf(b, " pid %d ", ev->pid);
		rc = rc ? rc : sl_buf_html(b, ev->program,
					   strnlen(ev->program,
						   sizeof(ev->program)));
	}
	rc = rc ? rc : sl_buf_puts(b, "<small>");
	rc = rc ? rc : sl_buf_html(b, ev->local, strnlen(ev->local,
							  SL_ADDRSTRLEN));
	if (!rc && ev->remote[0]) {
		rc = sl_buf_puts(b, " &#8596; ");
		rc = rc ? rc : sl_buf_html(b, ev->remote,
					   strnlen(ev->remote, SL_ADDRSTRLEN));
	}
	rc = rc ? rc : sl_buf_puts(b, "</small>");
	rc = rc ? rc : small(b, !ev->state ? NULL : ev->udp ?
			     sl_lab_udp_state_lesson(ev->state) :
			     sl_lab_state_lesson(ev->state));
	return rc ? rc : sl_buf_puts(b, "</td>");
}

static int note_row(struct sl_buf *b, const struct sl_tl_event *ev)
{
	int rc = sl_buf_printf(b, "<td colspan=\"3\">%s: ",
			       ev->kind == SL_TL_STEP ? "step done" :
			       ev->kind == SL_TL_PROCESS ? "process" :
			       "other socket");

	rc = rc ? rc : sl_buf_html(b, ev->text, strnlen(ev->text,
							 sizeof(ev->text)));
	return rc ? rc : sl_buf_puts(b, "</td>");
}

/* The cells after the time: client side | packets | server side. */
static int event_cells(struct sl_buf *b, const struct sl_lab *lab,
		       const struct sl_tl_event *ev, struct sl_convo *c)
{
	int rc = 0;

	if (ev->kind == SL_TL_PACKET) {
		rc = sl_buf_puts(b, "<td></td>");
		rc = rc ? rc : packet_cell(b, lab, ev, c);
		return rc ? rc : sl_buf_puts(b, "<td></td>");
	}
	if (ev->kind != SL_TL_SOCKET || ev->owner < 0)
		return note_row(b, ev);
	if (ev->owner == 0)
		rc = sl_buf_puts(b, "<td></td><td></td>");
	rc = rc ? rc : socket_cell(b, ev);
	if (!rc && ev->owner == 1)
		rc = sl_buf_puts(b, "<td></td><td></td>");
	return rc;
}

static const char *row_class(const struct sl_tl_event *ev)
{
	if (ev->kind == SL_TL_PACKET)
		return ev->carries_name ? "name" : "packet";
	if (ev->kind == SL_TL_SOCKET && ev->owner >= 0)
		return "socket";
	return "note";
}

static int timeline_rows(struct sl_buf *b, const struct sl_lab *lab)
{
	struct sl_convo c = { 0, 0, 0 };
	size_t n, *idx = sl_lab_order(lab, &n);
	int rc = 0;

	if (!idx)
		return n ? -ENOMEM : 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct sl_tl_event *ev = &lab->tl.v[idx[i]];

		rc = sl_buf_printf(b, "<tr class=\"%s\"><td class=\"t\">",
				   row_class(ev));
		rc = rc ? rc : sl_lab_ms(b, lab, ev->t_ns);
		rc = rc ? rc : sl_buf_puts(b, " ms</td>");
		rc = rc ? rc : event_cells(b, lab, ev, &c);
		rc = rc ? rc : sl_buf_puts(b, "</tr>\n");
	}
	free(idx);
	return rc;
}

static int timeline(struct sl_buf *b, const struct sl_lab *lab)
{
	int rc = sl_buf_puts(b, "<section id=\"timeline\">\n<h2>Time line"
			     "</h2>\n<p>Every observation in time order, in "
			     "milliseconds since the lab started: the socket "
			     "states the kernel reported for the client "
			     "(left) and the server (right), beside the "
			     "packets that changed them (middle). The row of "
			     "the packet carrying the name is red.</p>\n"
			     "<div class=\"scroll\">\n<table class=\"tl\">\n"
			     "<thead><tr><th>time</th><th>client socket</th>"
			     "<th>packet</th><th>server socket</th></tr>"
			     "</thead>\n"
			     "<tbody>\n");

	rc = rc ? rc : timeline_rows(b, lab);
	return rc ? rc : sl_buf_puts(b, "</tbody>\n</table>\n</div>\n"
				     "</section>\n");
}

/* Where the packets are: the capture file beside this page, by name. */
static int footer(struct sl_buf *b, const struct sl_lab *lab)
{
	const char *pcap = pcap_name(lab);
	int rc = sl_buf_puts(b, "<footer><p><small>Made by socklab "
			     SL_VERSION ". ");

	if (!rc && (lab->capture_skipped || !*pcap)) {
		rc = sl_buf_puts(b, "No packets were captured in this run, so "
				 "no capture file came with this page.");
	} else if (!rc) {
		rc = sl_buf_puts(b, "The packets are in <code>");
		rc = rc ? rc : sl_buf_html_str(b, pcap);
		rc = rc ? rc : sl_buf_puts(b, "</code>, beside this page: open "
					   "it in Wireshark.");
	}
	return rc ? rc : sl_buf_puts(b, "</small></p></footer>\n");
}

int sl_report_lab_html(struct sl_buf *out, const struct sl_lab *lab)
{
	int rc = head(out, lab);

	rc = rc ? rc : header(out, lab);
	rc = rc ? rc : steps(out, lab);
	rc = rc ? rc : programs(out, lab);
	rc = rc ? rc : flow(out, lab);
	rc = rc ? rc : sl_report_walk(out, lab);
	rc = rc ? rc : timeline(out, lab);
	rc = rc ? rc : footer(out, lab);
	return rc ? rc : sl_buf_puts(out, "</main>\n</body>\n</html>\n");
}
