/* classpage.c - the class page of `lab --verify`: one self-contained
 * HTML file, a row per student, each check's mark with its reason in
 * words; every string from a bundle is escaped */
#include <errno.h>
#include <string.h>

#include "report-int.h"
#include "socklab/verify.h"

#ifndef SL_VERSION
#define SL_VERSION "?"
#endif

static const char css[] =
	"body{margin:0;font-family:system-ui,'DejaVu Sans',sans-serif;"
	"color:#1b1f24;line-height:1.4}\n"
	"main{padding:1rem;max-width:110rem;margin:0 auto}\n"
	"h1{font-size:1.5rem}\n"
	".scroll{overflow-x:auto}\n"
	"table{border-collapse:collapse;font-size:.85rem}\n"
	"th,td{border:1px solid #d0d7de;padding:.3rem .5rem;vertical-align:top;"
	"text-align:left}\n"
	"th{background:#f6f8fa;position:sticky;top:0}\n"
	"td small{display:block;color:#57606a;max-width:22rem;"
	"overflow-wrap:anywhere}\n"
	"td.ok{background:#dafbe1}td.na{background:#f6f8fa}"
	"td.note{background:#fff8c5}td.fail{background:#ffebe9}\n"
	"td b{font-size:.8rem}\n"
	"p.honest{background:#ddf4ff;padding:.5rem .75rem;border-radius:.4rem}\n"
	"@media print{th{position:static}}\n";

static const char *cls(enum sl_mark m)
{
	static const char *const c[] = { "ok", "na", "note", "fail" };

	return (unsigned)m < 4 ? c[m] : "na";
}

static const char *verdict(enum sl_mark m)
{
	return m == SL_MARK_FAIL ? "FAIL" : m == SL_MARK_OK ? "pass" :
	       "check by hand";
}

static int head(struct sl_buf *b, const struct sl_verify *v)
{
	int rc = sl_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			     "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
			     "content=\"width=device-width, initial-scale=1\">\n"
			     "<title>socklab lab --verify: the class</title>\n"
			     "<style>\n");

	rc = rc ? rc : sl_buf_puts(b, css);
	rc = rc ? rc : sl_buf_printf(b, "</style>\n</head>\n<body>\n<main>\n"
				     "<h1>socklab lab --verify: %zu bundle%s</h1>\n",
				     v->n, v->n == 1 ? "" : "s");
	return rc ? rc : sl_buf_puts(b,
		"<p class=\"honest\">What a pass shows: no file was changed "
		"after its run, and nothing was taken from another bundle here. "
		"It does not show that nobody forged a bundle: anyone with "
		"socklab can make one that passes for any name.</p>\n");
}

static int mark_cell(struct sl_buf *b, const struct sl_vmark *m)
{
	int rc = sl_buf_printf(b, "<td class=\"%s\"><b>%s</b><small>",
			       cls(m->mark), m->mark == SL_MARK_FAIL ? "FAIL" :
			       sl_mark_name(m->mark));

	rc = rc ? rc : sl_buf_html_str(b, m->why);
	return rc ? rc : sl_buf_puts(b, "</small></td>");
}

static int row(struct sl_buf *b, const struct sl_vbundle *s)
{
	int rc = sl_buf_puts(b, "<tr><td><b>");

	rc = rc ? rc : sl_buf_html_str(b, s->student);
	rc = rc ? rc : sl_buf_puts(b, "</b><small>");
	rc = rc ? rc : sl_buf_html_str(b, s->source);
	rc = rc ? rc : sl_buf_printf(b, "%s</small></td><td class=\"%s\"><b>%s</b></td>",
				     s->handmade ? " (made by hand)" : "",
				     cls(s->verdict), verdict(s->verdict));
	for (int k = 0; k < SL_VC_COUNT && !rc; k++)
		rc = mark_cell(b, &s->marks[k]);
	return rc ? rc : sl_buf_puts(b, "</tr>\n");
}

int sl_report_class_html(struct sl_buf *out, const struct sl_verify *v)
{
	int rc = head(out, v);

	rc = rc ? rc : sl_buf_puts(out, "<div class=\"scroll\"><table>\n<thead>"
				   "<tr><th>student</th><th>verdict</th>");
	for (int k = 0; k < SL_VC_COUNT && !rc; k++)
		rc = sl_buf_printf(out, "<th>%s</th>", sl_vcheck_name(k));
	rc = rc ? rc : sl_buf_puts(out, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < v->n && !rc; i++)
		rc = row(out, &v->v[i]);
	rc = rc ? rc : sl_buf_puts(out, "</tbody></table></div>\n<footer><p>"
				   "<small>Made by socklab " SL_VERSION
				   " lab --verify.</small></p></footer>\n"
				   "</main>\n</body>\n</html>\n");
	return rc ? rc : (out->data ? 0 : -ENOMEM);
}
