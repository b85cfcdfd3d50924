/* imgcheck.c - whether an image of the bundle shows what its text says:
 * the text is drawn again exactly as the bundle drew it, the JPEG file is
 * decoded, and the two are compared tile by tile (a character cell of the
 * terminal font, 8x16): JPEG blurs every edge a little, but never turns a
 * pixel of the text's colour into the background's or back, and a
 * character that differs does that to several pixels of its cell. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report-int.h"

enum {
	TILE_W = 8, TILE_H = 16,
	TEXT_TOP = 12,		/* PAD: the text's first line, no title */
	TITLE_H = 16 + 12,	/* the title bar of the 8x16 font */
	/* a pixel differs when its brightness moved more than this (0-255):
	 * JPEG at quality 90 moves this text's pixels by at most ~60, light
	 * text on the dark ground differs by ~180 */
	PIXEL_LIMIT = 100,
	/* and a tile when this many of its pixels differ: "1" and "2" (the
	 * closest pair of the 8x16 font) differ in 9 */
	TILE_LIMIT = 3,
};

static int brightness(int c)
{
	return ((c >> 16 & 0xff) + (c >> 8 & 0xff) + (c & 0xff)) / 3;
}

/* A pixel's colour: the row read straight for a true colour image (both
 * are: the drawn one and a decoded JPEG), else through libgd. */
static int pixel(const struct sl_gd *g, gd_image im, int x, int y)
{
	return im->true_color ? im->tpixels[y][x] & 0xffffff :
	       g->pixel(im, x, y);
}

/* Pixels of a tile whose brightness differs past PIXEL_LIMIT. */
static int tile_diff(const struct sl_gd *g, gd_image a, gd_image b,
		     int x0, int y0)
{
	int n = 0;

	for (int y = y0; y < y0 + TILE_H && y < a->sy; y++)
		for (int x = x0; x < x0 + TILE_W && x < a->sx; x++) {
			int d = brightness(pixel(g, a, x, y)) -
				brightness(pixel(g, b, x, y));

			n += d > PIXEL_LIMIT || d < -PIXEL_LIMIT;
		}
	return n;
}

/* The worst tile of two images of one size, and the first one over the
 * limit: its line of text (the title bar is -1). */
static void compare(const struct sl_gd *g, gd_image a, gd_image b, int top,
		    struct sl_image_check *out)
{
	out->worst = 0;
	out->line = -2;
	for (int y = 0; y < a->sy; y += TILE_H)
		for (int x = 0; x < a->sx; x += TILE_W) {
			int d = tile_diff(g, a, b, x, y);

			if (d > out->worst)
				out->worst = d;
			if (d >= TILE_LIMIT && out->line == -2)
				out->line = y + TILE_H / 2 < top ? -1 :
					    (y + TILE_H / 2 - top) / TILE_H;
		}
}

static gd_image decode(const struct sl_gd *g, const void *data, size_t n)
{
	static const uint8_t png[4] = { 0x89, 'P', 'N', 'G' };

	if (n < 4 || n > INT32_MAX)
		return NULL;
	if (!memcmp(data, png, 4))
		return g->from_png((int)n, (void *)data);
	return g->from_jpeg((int)n, (void *)data);
}

int sl_report_image_size(const void *data, size_t n, int *w, int *h,
			 struct sl_err *e)
{
	struct sl_gd g;
	gd_image im;
	int rc = sl_gd_open(&g, e);

	if (rc < 0)
		return rc;
	im = decode(&g, data, n);
	if (im) {
		*w = im->sx;
		*h = im->sy;
		g.destroy(im);
	}
	sl_gd_close(&g);
	return im ? 0 : sl_err_set(e, -EINVAL, "not a JPEG or PNG image libgd can decode");
}

int sl_report_image_against(const struct sl_gd *g, const void *data, size_t n,
			 gd_image want, int top, struct sl_image_check *out,
			 struct sl_err *e)
{
	gd_image got = decode(g, data, n);
	int same;

	memset(out, 0, sizeof(*out));
	out->line = -2;
	out->want_w = want->sx;
	out->want_h = want->sy;
	if (!got)
		return sl_err_set(e, -EINVAL, "not a JPEG image libgd can decode");
	out->w = got->sx;
	out->h = got->sy;
	same = got->sx == want->sx && got->sy == want->sy;
	if (same) {
		compare(g, got, want, top, out);
		same = out->line == -2;
	}
	g->destroy(got);
	return same;
}

int sl_report_text_top(const char *title)
{
	return (title ? TITLE_H : 0) + TEXT_TOP;
}
