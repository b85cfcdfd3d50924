/* image.c - text rendered like a terminal screenshot (libgd's built-in
 * 8x16 bitmap font, light on dark, an optional title bar) into a JPEG
 * file that replaces the old one only once it is whole.
 *
 * Size: width = 2 * PAD + max(longest line, MIN_COLS) * 8 pixels, height
 * = title bar (font height + 12, when there is a title) + 2 * PAD + lines
 * * 16.  Past MAX_COLS columns a line is cut; past MAX_LINES lines the
 * rest is dropped and one "... (N more lines)" line is added. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "report-int.h"

enum {
	MAX_COLS = 200,
	MAX_LINES = 400,
	MIN_COLS = 20,
	PAD = 12,
	TAB = 8,
	TITLE_EXTRA = 12,	/* title bar: font height + this */
	DOTS = 48,		/* room for the three window buttons */
};

/* The text made drawable: printable ASCII lines, each ended by '\n'. */
struct screen {
	struct sl_buf t;
	size_t lines;		/* lines kept */
	size_t dropped;		/* lines past MAX_LINES */
	size_t col;		/* column in the current line */
	size_t cols;		/* longest line kept */
	int rc;			/* first allocation failure */
};

/* The part of libgd this file uses, declared here so that building needs
 * libgd3 alone and not its development package with its 37 more packages:
 * an image is an opaque handle, a font is gd.h's public struct gdFont
 * (unchanged since libgd 2.0), and a true colour is 0xRRGGBB. */
typedef void *gd_image;
typedef struct {
	int nchars, offset, w, h;
	char *data;
} *gd_font;

static int rgb(int r, int g, int b)
{
	return r << 16 | g << 8 | b;
}

/* libgd is loaded only when an image is drawn: linked into the binary,
 * its dependencies (libheif, libde265 …) cost every socklab command some
 * 10 ms of start-up, for the few runs that draw anything. */
struct gd_api {
	void *lib;
	gd_font (*font_large)(void);
	gd_image (*create)(int sx, int sy);
	void (*destroy)(gd_image im);
	void (*rect)(gd_image im, int x1, int y1, int x2, int y2, int color);
	void (*ellipse)(gd_image im, int cx, int cy, int w, int h, int color);
	void (*string)(gd_image im, gd_font f, int x, int y,
		       unsigned char *s, int color);
	void *(*jpeg)(gd_image im, int *size, int quality);
	void (*free)(void *m);
};

static int gd_load(struct gd_api *g, struct sl_err *e)
{
	static const char *const names[] = { "libgd.so.3", "libgd.so" };
	const struct {
		const char *sym;
		size_t off;
	} syms[] = {
		{ "gdFontGetLarge", offsetof(struct gd_api, font_large) },
		{ "gdImageCreateTrueColor", offsetof(struct gd_api, create) },
		{ "gdImageDestroy", offsetof(struct gd_api, destroy) },
		{ "gdImageFilledRectangle", offsetof(struct gd_api, rect) },
		{ "gdImageFilledEllipse", offsetof(struct gd_api, ellipse) },
		{ "gdImageString", offsetof(struct gd_api, string) },
		{ "gdImageJpegPtr", offsetof(struct gd_api, jpeg) },
		{ "gdFree", offsetof(struct gd_api, free) },
	};

	g->lib = NULL;
	for (size_t i = 0; i < SL_ARRAY_SIZE(names) && !g->lib; i++)
		/* NODELETE: the next image reuses it without running its
		 * constructors again */
		g->lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (!g->lib)
		return sl_err_set(e, -ENOENT,
			"cannot draw images: libgd is missing (%s); install it (apt-get install libgd3) or use --no-images",
			dlerror());
	for (size_t i = 0; i < SL_ARRAY_SIZE(syms); i++) {
		void *f = dlsym(g->lib, syms[i].sym);

		if (!f) {
			dlclose(g->lib);
			return sl_err_set(e, -ENOENT,
				"cannot draw images: libgd has no %s; install a newer libgd3 or use --no-images",
				syms[i].sym);
		}
		memcpy((char *)g + syms[i].off, &f, sizeof(f));
	}
	return 0;
}

/* Multi-byte characters terminals show often, and their ASCII look. */
static const struct {
	const char *utf8, *ascii;
} lookalike[] = {
	{ "\xe2\x86\x92", "->" }, { "\xe2\x86\x90", "<-" },
	{ "\xe2\x86\x94", "<->" }, { "\xe2\x80\xa6", "..." },
	{ "\xe2\x80\x94", "--" }, { "\xe2\x80\x93", "-" },
	{ "\xe2\x80\x9c", "\"" }, { "\xe2\x80\x9d", "\"" },
	{ "\xc2\xb7", "." }, { "\xc2\xa0", " " },
};

static void put(struct screen *sc, char c)
{
	if (sc->lines >= MAX_LINES || sc->col >= MAX_COLS)
		return;
	if (!sc->rc)
		sc->rc = sl_buf_putc(&sc->t, c);
	if (++sc->col > sc->cols)
		sc->cols = sc->col;
}

static void end_line(struct screen *sc)
{
	if (sc->lines >= MAX_LINES) {
		sc->dropped++;
	} else {
		if (!sc->rc)
			sc->rc = sl_buf_putc(&sc->t, '\n');
		sc->lines++;
	}
	sc->col = 0;
}

static void put_str(struct screen *sc, const char *s)
{
	while (*s)
		put(sc, *s++);
}

/* Bytes taken at s: a look-alike or '?' for any other character. */
static size_t put_multibyte(struct screen *sc, const char *s, size_t n)
{
	uint32_t cp;
	size_t k;

	for (size_t i = 0; i < SL_ARRAY_SIZE(lookalike); i++) {
		k = strlen(lookalike[i].utf8);
		if (k <= n && memcmp(s, lookalike[i].utf8, k) == 0) {
			put_str(sc, lookalike[i].ascii);
			return k;
		}
	}
	sl_utf8_char(s, n, &cp, &k);
	put(sc, '?');
	return k;
}

/* The line that says how many were dropped, past MAX_LINES. */
static void add_note(struct screen *sc)
{
	char more[64];
	int k = snprintf(more, sizeof(more), "... (%zu more lines)\n",
			 sc->dropped);

	if (!sc->rc)
		sc->rc = sl_buf_puts(&sc->t, more);
	if (k > 0 && (size_t)k - 1 > sc->cols)
		sc->cols = (size_t)k - 1;
	sc->lines++;
}

static void feed(struct screen *sc, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80) {
			i += put_multibyte(sc, s + i, n - i);
			continue;
		}
		if (c == '\n')
			end_line(sc);
		else if (c == '\t')
			for (size_t k = sc->col % TAB; k < TAB; k++)
				put(sc, ' ');
		else if (c != '\r')
			put(sc, c >= 0x20 && c < 0x7f ? (char)c : '?');
		i++;
	}
	if (sc->col > 0 || sc->lines + sc->dropped == 0 ||
	    (n > 0 && s[n - 1] != '\n'))
		end_line(sc);
	if (sc->dropped)
		add_note(sc);
}

static void draw_lines(const struct gd_api *g, gd_image im, gd_font f,
		       struct screen *sc, int y, int colour)
{
	char *p = sc->t.data, *end = p + sc->t.len;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			break;
		*nl = '\0';
		g->string(im, f, PAD, y, (unsigned char *)p, colour);
		y += f->h;
		p = nl + 1;
	}
}

static void draw_title(const struct gd_api *g, gd_image im, gd_font f,
		       const char *title, int width)
{
	static const int button[3] = { 0xff5f56, 0xffbd2e, 0x27c93f };
	struct screen t = { SL_BUF_INIT, 0, 0, 0, 0, 0 };
	int h = f->h + TITLE_EXTRA, room = (width - PAD - DOTS - PAD) / f->w;
	char *nl;

	g->rect(im, 0, 0, width - 1, h - 1, rgb(0x3c, 0x3f, 0x41));
	for (int i = 0; i < 3; i++)
		g->ellipse(im, PAD + 6 + 16 * i, h / 2, 11, 11, button[i]);
	feed(&t, title, strlen(title));
	if (!t.rc && t.t.data) {
		nl = memchr(t.t.data, '\n', t.t.len);
		if (nl)
			*nl = '\0';
		if (room >= 0 && strlen(t.t.data) > (size_t)room)
			t.t.data[room] = '\0';
		g->string(im, f, PAD + DOTS, TITLE_EXTRA / 2,
			  (unsigned char *)t.t.data,
			  rgb(0xf0, 0xf0, 0xf0));
	}
	sl_buf_release(&t.t);
}

static gd_image draw(const struct gd_api *g, struct screen *sc,
		       const char *title)
{
	gd_font f = g->font_large();
	size_t cols = sc->cols > MIN_COLS ? sc->cols : MIN_COLS;
	int top = title ? f->h + TITLE_EXTRA : 0;
	int w = 2 * PAD + (int)cols * f->w;
	int h = top + 2 * PAD + (int)sc->lines * f->h;
	gd_image im = g->create(w, h);

	if (!im)
		return NULL;
	g->rect(im, 0, 0, w - 1, h - 1, rgb(0x1e, 0x1e, 0x1e));
	if (title)
		draw_title(g, im, f, title, w);
	draw_lines(g, im, f, sc, top + PAD, rgb(0xd4, 0xd4, 0xd4));
	return im;
}

int sl_report_text_jpeg(const char *text, size_t len, const char *title,
			const char *path, struct sl_err *e)
{
	struct screen sc = { SL_BUF_INIT, 0, 0, 0, 0, 0 };
	struct gd_api g;
	gd_image im = NULL;
	void *jpeg = NULL;
	int size = 0, rc;

	rc = gd_load(&g, e);
	if (rc < 0)
		return rc;
	feed(&sc, text ? text : "", text ? len : 0);
	rc = sc.rc;
	if (rc == 0 && !(im = draw(&g, &sc, title)))
		rc = -ENOMEM;
	if (rc == 0 && !(jpeg = g.jpeg(im, &size, 90)))
		rc = -EIO;
	if (rc < 0)
		sl_err_set(e, rc, "cannot render image \"%s\": %s", path,
			   rc == -EIO ? "the JPEG encoder failed" :
			   "out of memory");
	else
		rc = sl_write_file(path, jpeg, (size_t)size, e);
	if (jpeg)
		g.free(jpeg);
	if (im)
		g.destroy(im);
	dlclose(g.lib);
	sl_buf_release(&sc.t);
	return rc;
}
