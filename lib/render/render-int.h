/*
 * render-int.h - what the files of lib/render share.  Not a public header.
 */
#ifndef SOCKLAB_RENDER_INT_H
#define SOCKLAB_RENDER_INT_H

#include "socklab/render.h"

/* tcpopt.c: the -V tree's TCP options from v (a tcp.option_kind value of
 * layer l, whose header is hdr_len bytes) to at most end: the "Options:"
 * line, then each option with its title, kind and length, and its values
 * through line (with the indent it is given).  Returns the first value
 * after the options, or NULL when memory ran out. */
const struct sl_fval *sl_render_tcp_options(struct sl_buf *b,
	const struct sl_packet *p, const struct sl_layer *l, unsigned hdr_len,
	const struct sl_fval *v, const struct sl_fval *end,
	int (*line)(struct sl_buf *, const struct sl_fval *, const char *));

#endif
