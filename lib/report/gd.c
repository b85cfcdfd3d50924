/* gd.c - the part of libgd the report draws and reads images with,
 * opened only when an image is drawn or checked.
 *
 * Linked into the binary, libgd's dependencies (libheif, libde265 …)
 * would cost every socklab command some 10 ms of start-up, for the few
 * runs that draw anything.  The functions are declared in report-int.h,
 * so that building needs libgd3 alone and not its development package
 * with its 37 more packages. */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "report-int.h"

/* libgd's warnings ("Not a JPEG file") would go to stderr: a library
 * never prints; a bad image is reported by its NULL return instead. */
static void quiet(int priority, const char *fmt, va_list ap)
{
	(void)priority;
	(void)fmt;
	(void)ap;
}

int sl_gd_open(struct sl_gd *g, struct sl_err *e)
{
	static const char *const names[] = { "libgd.so.3", "libgd.so" };
	static const struct {
		const char *sym;
		size_t off;
	} syms[] = {
		{ "gdFontGetLarge", offsetof(struct sl_gd, font_large) },
		{ "gdFontGetSmall", offsetof(struct sl_gd, font_small) },
		{ "gdFontGetMediumBold", offsetof(struct sl_gd, font_bold) },
		{ "gdImageCreateTrueColor", offsetof(struct sl_gd, create) },
		{ "gdImageDestroy", offsetof(struct sl_gd, destroy) },
		{ "gdImageFilledRectangle", offsetof(struct sl_gd, rect) },
		{ "gdImageRectangle", offsetof(struct sl_gd, frame) },
		{ "gdImageLine", offsetof(struct sl_gd, line) },
		{ "gdImageFilledEllipse", offsetof(struct sl_gd, ellipse) },
		{ "gdImageString", offsetof(struct sl_gd, string) },
		{ "gdImageJpegPtr", offsetof(struct sl_gd, jpeg) },
		{ "gdImageCreateFromJpegPtr", offsetof(struct sl_gd, from_jpeg) },
		{ "gdImageCreateFromPngPtr", offsetof(struct sl_gd, from_png) },
		{ "gdImageGetTrueColorPixel", offsetof(struct sl_gd, pixel) },
		{ "gdFree", offsetof(struct sl_gd, free) },
		{ "gdSetErrorMethod", offsetof(struct sl_gd, on_error) },
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
			g->lib = NULL;
			return sl_err_set(e, -ENOENT,
				"cannot draw images: libgd has no %s; install a newer libgd3 or use --no-images",
				syms[i].sym);
		}
		memcpy((char *)g + syms[i].off, &f, sizeof(f));
	}
	g->on_error(quiet);
	return 0;
}

void sl_gd_text(const struct sl_gd *g, gd_image im, gd_font f, int x, int y,
		const char *s, int colour)
{
	if (!im->true_color) {
		g->string(im, f, x, y, (unsigned char *)s, colour);
		return;
	}
	/* gdImageString's pixels, written straight into the rows: an opaque
	 * colour over anything is itself, so no blending is lost */
	for (; *s; s++, x += f->w) {
		int c = (unsigned char)*s - f->offset;
		const char *glyph;

		if (c < 0 || c >= f->nchars)
			continue;
		glyph = f->data + (size_t)c * (size_t)(f->h * f->w);
		for (int cy = 0; cy < f->h; cy++)
			for (int cx = 0; cx < f->w; cx++)
				if (glyph[cy * f->w + cx] && x + cx >= 0 &&
				    x + cx < im->sx && y + cy >= 0 &&
				    y + cy < im->sy)
					im->tpixels[y + cy][x + cx] = colour;
	}
}

void sl_gd_fill(const struct sl_gd *g, gd_image im, int x1, int y1, int x2,
		int y2, int colour)
{
	if (!im->true_color) {
		g->rect(im, x1, y1, x2, y2, colour);
		return;
	}
	/* gdImageFilledRectangle's pixels (both corners in, clipped),
	 * without a call per pixel */
	x1 = x1 < 0 ? 0 : x1;
	y1 = y1 < 0 ? 0 : y1;
	x2 = x2 >= im->sx ? im->sx - 1 : x2;
	y2 = y2 >= im->sy ? im->sy - 1 : y2;
	for (int y = y1; y <= y2; y++)
		for (int x = x1; x <= x2; x++)
			im->tpixels[y][x] = colour;
}

int sl_gd_jpeg(sl_gd_draw_fn draw, void *arg, const char *path,
	       struct sl_err *e)
{
	struct sl_gd g;
	gd_image im;
	int rc = sl_gd_open(&g, e);

	if (rc < 0)
		return rc;
	if (!(im = draw(&g, arg)))
		rc = sl_err_set(e, -ENOMEM, "cannot render image \"%s\": out of memory",
				path);
	else
		rc = sl_report_image_write(&g, im, path, e);
	if (im)
		g.destroy(im);
	sl_gd_close(&g);
	return rc;
}

int sl_gd_check(sl_gd_draw_fn draw, void *arg, const void *data, size_t n,
		int top, struct sl_image_check *out, struct sl_err *e)
{
	struct sl_gd g;
	gd_image want;
	int rc = sl_gd_open(&g, e);

	if (rc < 0)
		return rc;
	if (!(want = draw(&g, arg)))
		rc = sl_err_set(e, -ENOMEM, "out of memory");
	else
		rc = sl_report_image_against(&g, data, n, want, top, out, e);
	if (want)
		g.destroy(want);
	sl_gd_close(&g);
	return rc;
}

void sl_gd_close(struct sl_gd *g)
{
	if (g->lib)
		dlclose(g->lib);
	g->lib = NULL;
}
