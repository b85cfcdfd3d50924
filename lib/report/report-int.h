/*
 * report-int.h - what the files of lib/report share: the lab's events
 * in time order, relative times and what TCP states mean.  Not a public
 * header.
 */
#ifndef SOCKLAB_REPORT_INT_H
#define SOCKLAB_REPORT_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "socklab/report.h"

/* Indexes of lab->tl.v in time order (stable); the caller frees it.
 * NULL when the time line is empty or memory ran out (*n says which). */
size_t *sl_lab_order(const struct sl_lab *lab, size_t *n);
/* Milliseconds since lab->t0_ns, "12.345" (signed when before t0). */
int sl_lab_ms(struct sl_buf *b, const struct sl_lab *lab, int64_t t_ns);

/* One sentence on what the state means; NULL when none. */
const char *sl_lab_state_lesson(int state);
/* A socket event's state as socklab sockets names it: an unconnected
 * UDP socket is UNCONN, not CLOSE. */
const char *sl_lab_state_name(const struct sl_tl_event *ev, int state);
/* What a UDP socket's state means (its lesson), NULL when none. */
const char *sl_lab_udp_state_lesson(int state);

/* html.c: what the packets so far have shown, to explain the next one;
 * the words for a packet (NULL when it needs none). */
struct sl_convo {
	int synack;	/* a SYN-ACK went by */
	int open;	/* the handshake's last ACK went by */
	int fins;	/* FINs so far */
};
const char *sl_report_packet_lesson(struct sl_convo *c,
				    const struct sl_tl_event *ev);

/* walk.c: the time line one event at a time (links between the events
 * work without JavaScript; with it, buttons and the arrow keys), and its
 * style sheet for the page's head. */
extern const char sl_report_walk_css[];
int sl_report_walk(struct sl_buf *b, const struct sl_lab *lab);

/* ---- gd.c: the part of libgd this folder uses ----
 * An image is a handle whose first members are gd.h's public struct
 * gdImage's, up to the true colour rows (unchanged since libgd 2.0, and
 * part of its binary interface: gd.h's own gdImageTrueColorPixel macro
 * reads tpixels in the programs that use it); a font is gd.h's public
 * struct gdFont; a true colour is 0xRRGGBB. */
typedef struct {
	unsigned char **pixels;
	int sx, sy;
	int colors_total;
	int red[256], green[256], blue[256], open[256];
	int transparent;
	int *poly_ints;
	int poly_allocated;
	void *brush, *tile;
	int brush_map[256], tile_map[256];
	int style_length, style_pos;
	int *style;
	int interlace, thick;
	int alpha[256];
	int true_color;
	int **tpixels;		/* rows of 0xAARRGGBB, when true_color */
} *gd_image;
typedef struct {
	int nchars, offset, w, h;
	char *data;
} *gd_font;

struct sl_gd {
	void *lib;
	gd_font (*font_large)(void);	/* 8x16 */
	gd_font (*font_small)(void);	/* 6x13 */
	gd_font (*font_bold)(void);	/* 7x13 bold */
	gd_image (*create)(int sx, int sy);
	void (*destroy)(gd_image im);
	void (*rect)(gd_image im, int x1, int y1, int x2, int y2, int color);
	void (*frame)(gd_image im, int x1, int y1, int x2, int y2, int color);
	void (*line)(gd_image im, int x1, int y1, int x2, int y2, int color);
	void (*ellipse)(gd_image im, int cx, int cy, int w, int h, int color);
	void (*string)(gd_image im, gd_font f, int x, int y,
		       unsigned char *s, int color);
	void *(*jpeg)(gd_image im, int *size, int quality);
	gd_image (*from_jpeg)(int size, void *data);
	gd_image (*from_png)(int size, void *data);
	int (*pixel)(gd_image im, int x, int y);
	void (*free)(void *m);
	void (*on_error)(void (*fn)(int priority, const char *fmt, va_list ap));
};

/* Opens libgd (0, or -ENOENT with words in e); sl_gd_close lets it go. */
int sl_gd_open(struct sl_gd *g, struct sl_err *e);
void sl_gd_close(struct sl_gd *g);
/* Text as gdImageString draws it (the same pixels), faster on a true
 * colour image. */
void sl_gd_text(const struct sl_gd *g, gd_image im, gd_font f, int x, int y,
		const char *s, int colour);
/* A filled rectangle as gdImageFilledRectangle draws it, the same way. */
void sl_gd_fill(const struct sl_gd *g, gd_image im, int x1, int y1, int x2,
		int y2, int colour);
/* An image drawn by draw (NULL: out of memory), then written as a JPEG
 * file, or compared with the image in data as sl_report_image_against
 * does (top: where the text's lines start). */
typedef gd_image (*sl_gd_draw_fn)(const struct sl_gd *g, void *arg);
int sl_gd_jpeg(sl_gd_draw_fn draw, void *arg, const char *path,
	       struct sl_err *e);
int sl_gd_check(sl_gd_draw_fn draw, void *arg, const void *data, size_t n,
		int top, struct sl_image_check *out, struct sl_err *e);

/* image.c: text drawn like a terminal into *out (the caller destroys
 * it), and an image written as a JPEG file (quality 90).  0 or a negative
 * code. */
int sl_report_text_image(const struct sl_gd *g, const char *text, size_t len,
			 const char *title, gd_image *out);
int sl_report_image_write(const struct sl_gd *g, gd_image im,
			  const char *path, struct sl_err *e);
/* n bytes of text as the images draw it (printable ASCII: look-alikes
 * for the common arrows and dashes, '?' for other characters), one line,
 * appended to out.  0 or -ENOMEM. */
int sl_report_ascii(struct sl_buf *out, const char *s, size_t n);
/* imgcheck.c: where the lines of a text image start (below its title). */
int sl_report_text_top(const char *title);
/* imgcheck.c: how far the image in data (JPEG or PNG) is from want: 1
 * the same, 0 not (out says where; text lines counted from top), < 0 not
 * an image. */
int sl_report_image_against(const struct sl_gd *g, const void *data,
			    size_t n, gd_image want, int top,
			    struct sl_image_check *out, struct sl_err *e);

static inline int sl_rgb(int r, int g, int b)
{
	return r << 16 | g << 8 | b;
}

#endif
