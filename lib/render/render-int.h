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

/* appinfo.c: the Info column of an application protocol's layer l (DNS,
 * HTTP, TLS, DHCP, NTP) into out (at most cap bytes, NUL-terminated); its
 * length, 0 when l is none of these. */
size_t sl_render_app_info(char *out, size_t cap, const struct sl_packet *p,
			  const struct sl_layer *l);
/* The Protocol column of a TLS layer: "TLSv1.2" … */
const char *sl_render_tls_version(const struct sl_packet *p,
				  const struct sl_layer *l);

#endif
