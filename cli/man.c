/* man.c - socklab help: the manual (docs/socklab.1, built into the
 * binary) through man(1) when there is one and stdout is a terminal,
 * else laid out here as man would: the few requests and escapes the page
 * uses, filled to 80 columns. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

extern const char sl_embedded_manual[];
extern const size_t sl_embedded_manual_len;

enum { WIDTH = 78, INDENT = 7, TAG_INDENT = 14 };

struct page {
	struct sl_buf out;
	struct sl_buf line;	/* the output line being filled */
	int indent;		/* of the lines to come */
	int fill;		/* 0 inside .nf */
	int tag;		/* the next text line is a .TP tag */
	int body;		/* indent of a .TP/.IP item's body */
	int blank;		/* a blank line is due before the next text */
	int started;		/* some text was written */
	struct sl_buf footer;	/* the last line, from .TH */
};

/* The escapes the page uses; an unknown one is dropped. */
static const struct {
	const char *esc, *text;
} escapes[] = {
	{ "\\-", "-" }, { "\\(em", "\xe2\x80\x94" },
	{ "\\(en", "\xe2\x80\x93" }, { "\\(bu", "\xe2\x80\xa2" },
	{ "\\(aq", "'" }, { "\\(dq", "\"" }, { "\\e", "\\" },
	{ "\\\\", "\\" }, { "\\&", "" }, { "\\ ", "\x01" }, { "\\fB", "" },
	{ "\\fI", "" }, { "\\fR", "" }, { "\\fP", "" }, { "\\|", "" },
};

/* Text of n bytes at s with its escapes resolved ("\ " as \x01, a space
 * no line breaks at) appended to b. */
static void unescape(struct sl_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k, j = 0;

		if (s[i] != '\\') {
			sl_buf_putc(b, s[i++]);
			continue;
		}
		for (k = 0; k < SL_ARRAY_SIZE(escapes); k++) {
			j = strlen(escapes[k].esc);
			if (j <= n - i && !memcmp(s + i, escapes[k].esc, j))
				break;
		}
		if (k < SL_ARRAY_SIZE(escapes)) {
			sl_buf_puts(b, escapes[k].text);
			i += j;
		} else {
			/* \(xx takes two characters, \x one */
			i += i + 1 < n && s[i + 1] == '(' ? 4 : 2;
		}
	}
}

/* Columns the UTF-8 text takes (one per character). */
static size_t columns(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

static void end_line(struct page *pg)
{
	for (size_t i = 0; i < pg->line.len; i++)
		if (pg->line.data[i] == '\x01')
			pg->line.data[i] = ' ';
	while (pg->line.len && pg->line.data[pg->line.len - 1] == ' ')
		pg->line.len--;
	if (pg->line.len) {
		sl_buf_append(&pg->out, pg->line.data, pg->line.len);
		sl_buf_putc(&pg->out, '\n');
		sl_buf_reset(&pg->line);
	}
}

static void start_text(struct page *pg)
{
	if (pg->blank && pg->started)
		sl_buf_putc(&pg->out, '\n');
	pg->blank = 0;
	pg->started = 1;
}

static void pad_to(struct sl_buf *b, int col)
{
	for (int i = (int)columns(b->data, b->len); i < col; i++)
		sl_buf_putc(b, ' ');
}

/* One word into the filled line: a new line when it would pass WIDTH. */
static void word(struct page *pg, const char *w, size_t n)
{
	size_t used = columns(pg->line.data, pg->line.len);

	if (used > (size_t)pg->indent && used + 1 + columns(w, n) > WIDTH) {
		end_line(pg);
		used = 0;
	}
	if (pg->line.len == 0 || used < (size_t)pg->indent)
		pad_to(&pg->line, pg->indent);
	else
		sl_buf_putc(&pg->line, ' ');
	sl_buf_append(&pg->line, w, n);
}

static void text(struct page *pg, const char *s, size_t n)
{
	struct sl_buf t = SL_BUF_INIT;

	unescape(&t, s, n);
	start_text(pg);
	if (!pg->fill) {
		pad_to(&pg->line, pg->indent);
		sl_buf_append(&pg->line, t.data, t.len);
		if (t.len == 0)
			sl_buf_putc(&pg->out, '\n');
		end_line(pg);
	} else {
		for (size_t i = 0; i < t.len;) {
			size_t j = i;

			while (j < t.len && t.data[j] != ' ' && t.data[j] != '\t')
				j++;
			if (j > i)
				word(pg, t.data + i, j - i);
			i = j + 1;
		}
	}
	sl_buf_release(&t);
}

/* A .TP tag: on its own line, or beside the body when it fits before it. */
static void tag(struct page *pg, const char *s, size_t n)
{
	struct sl_buf t = SL_BUF_INIT;

	unescape(&t, s, n);
	start_text(pg);
	pad_to(&pg->line, INDENT);
	sl_buf_append(&pg->line, t.data, t.len);
	if (INDENT + columns(t.data, t.len) + 1 > (size_t)pg->body)
		end_line(pg);
	pg->indent = pg->body;
	sl_buf_release(&t);
}

/* The arguments of a request, quotes honoured, into args; their count. */
static int split(char *s, char **args, int max)
{
	int n = 0;

	while (*s && n < max) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (*s == '"') {
			args[n++] = ++s;
			while (*s && *s != '"')
				s++;
		} else {
			args[n++] = s;
			while (*s && *s != ' ')
				s++;
		}
		if (*s)
			*s++ = '\0';
	}
	return n;
}

/* .B .I (words joined by spaces) and .BR .BI .IR .RB .RI .IB (joined). */
static void font(struct page *pg, const char *req, char *rest)
{
	char *args[16];
	int n = split(rest, args, 16);
	struct sl_buf t = SL_BUF_INIT;

	for (int i = 0; i < n; i++) {
		if (i && strlen(req) == 1)
			sl_buf_putc(&t, ' ');
		sl_buf_puts(&t, args[i]);
	}
	if (t.len)
		(pg->tag ? tag : text)(pg, t.data, t.len);
	pg->tag = 0;
	sl_buf_release(&t);
}

static void paragraph(struct page *pg, int indent)
{
	end_line(pg);
	pg->blank = 1;
	pg->indent = indent;
}

static void heading(struct page *pg, char *rest, int sub)
{
	char *args[8];
	int n = split(rest, args, 8);

	end_line(pg);
	pg->blank = 1;
	pg->indent = sub ? 3 : 0;
	pg->fill = 1;
	for (int i = 0; i < n; i++)
		text(pg, args[i], strlen(args[i]));
	end_line(pg);
	pg->blank = 0;
	pg->indent = INDENT;
}

/* .TH NAME SECTION DATE SOURCE MANUAL: the title line now, the footer at
 * the end, as man lays them out. */
static void title(struct page *pg, char *rest)
{
	char *a[5] = { "", "", "", "", "" }, head[160];
	int n = split(rest, a, 5), gap;

	(void)n;
	snprintf(head, sizeof(head), "%s(%s)", a[0], a[1]);
	gap = (WIDTH - 2 * (int)strlen(head) - (int)columns(a[4], strlen(a[4]))) / 2;
	sl_buf_printf(&pg->out, "%s%*s%s%*s%s\n", head, gap > 1 ? gap : 1, "",
		      a[4], gap > 1 ? gap : 1, "", head);
	gap = (WIDTH - (int)strlen(a[3]) - (int)strlen(a[2]) -
	       (int)strlen(head)) / 2;
	sl_buf_reset(&pg->footer);
	sl_buf_printf(&pg->footer, "%s%*s%s%*s%s", a[3], gap > 1 ? gap : 1, "",
		      a[2], gap > 1 ? gap : 1, "", head);
	pg->started = 1;
}

static void request(struct page *pg, char *line)
{
	char *rest = line + strcspn(line, " ");
	char req[8];
	size_t n = (size_t)(rest - line - 1);

	if (n >= sizeof(req))
		return;
	memcpy(req, line + 1, n);
	req[n] = '\0';
	if (*rest)
		rest++;
	if (!strcmp(req, "TH"))
		title(pg, rest);
	else if (!strcmp(req, "SH") || !strcmp(req, "SS"))
		heading(pg, rest, req[1] == 'S');
	else if (!strcmp(req, "PP") || !strcmp(req, "LP") || !strcmp(req, "P"))
		paragraph(pg, INDENT);
	else if (!strcmp(req, "TP")) {
		paragraph(pg, INDENT);
		pg->body = TAG_INDENT;
		pg->tag = 1;
	} else if (!strcmp(req, "IP")) {
		char *a[2] = { NULL, NULL };
		int k = split(rest, a, 2);

		paragraph(pg, INDENT);
		pg->body = INDENT + (k > 1 ? atoi(a[1]) : 7);
		if (k > 0 && *a[0])
			tag(pg, a[0], strlen(a[0]));
		pg->indent = pg->body;
	} else if (!strcmp(req, "br"))
		end_line(pg);
	else if (!strcmp(req, "nf")) {
		end_line(pg);
		pg->fill = 0;
	} else if (!strcmp(req, "fi"))
		pg->fill = 1;
	else if (strspn(req, "BIR") == strlen(req) && strcmp(req, "R"))
		font(pg, req, rest);
}

/* The page laid out as text, appended to out. */
static void lay_out(struct sl_buf *out, const char *src, size_t n)
{
	struct page pg = { SL_BUF_INIT, SL_BUF_INIT, INDENT, 1, 0, TAG_INDENT,
			   0, 0, SL_BUF_INIT };
	const char *end = src + n;

	for (const char *p = src; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = strndup(p, len);

		if (!line)
			break;
		if (line[0] == '.' && strncmp(line, ".\\\"", 3))
			request(&pg, line);
		else if (line[0] != '.' && pg.tag) {
			tag(&pg, line, len);
			pg.tag = 0;
		} else if (line[0] != '.')
			text(&pg, line, len);
		free(line);
		p += len + 1;
	}
	end_line(&pg);
	if (pg.footer.len)
		sl_buf_printf(&pg.out, "\n%s\n", pg.footer.data);
	sl_buf_append(out, pg.out.data, pg.out.len);
	sl_buf_release(&pg.out);
	sl_buf_release(&pg.line);
	sl_buf_release(&pg.footer);
}

/* Whether an executable prog is in one of PATH's folders. */
static int on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char dir[4096];

	for (const char *p = path ? path : ""; *p;) {
		size_t n = strcspn(p, ":");

		if (n > 0 && n < sizeof(dir) - strlen(prog) - 2) {
			snprintf(dir, sizeof(dir), "%.*s/%s", (int)n, p, prog);
			if (access(dir, X_OK) == 0)
				return 1;
		}
		p += n + (p[n] == ':');
	}
	return 0;
}

/* man(1) formats and pages it: 0, or -1 when there is no man to run. */
static int through_man(void)
{
	FILE *man;

	if (!on_path("man"))
		return -1;
	man = popen("man -l -", "w");
	if (!man)
		return -1;
	fwrite(sl_embedded_manual, 1, sl_embedded_manual_len, man);
	return pclose(man) == 0 ? 0 : -1;
}

int cli_manual(void)
{
	struct sl_buf b = SL_BUF_INIT;
	int rc = 0;

	fflush(stdout);
	if (isatty(STDOUT_FILENO) && through_man() == 0)
		return EXIT_OK;
	lay_out(&b, sl_embedded_manual, sl_embedded_manual_len);
	if (cli_write(stdout, b.data, b.len) < 0 || fflush(stdout) != 0)
		rc = errno == EPIPE ? 0 : -1;
	sl_buf_release(&b);
	if (rc < 0) {
		cli_error("help", "cannot write the manual: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
