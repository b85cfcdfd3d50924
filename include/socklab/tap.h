/*
 * tap.h - taps: reports over a whole capture, as tshark's -z statistics.
 * A tap sees each dissected packet that passed the display filter and
 * writes its report at the end.  It declares the fields it reads so the
 * caller dissects only those (with the filter's); the packets must be
 * dissected with that set (or all fields) from the first to the last, as
 * the TCP conversations number streams only over packets that want them.
 *
 * Reports (the text ones equal tshark 4.0's -z output):
 *   conv       -z conv,tcp|udp|ip|ipv6|eth
 *   endpoints  -z endpoints,tcp|udp|ip|ipv6|eth
 *   follow     -z follow,tcp|udp,ascii|hex,N (every stream when N < 0)
 *   expert     -z expert, then the same findings in plain words
 * lib/ never prints: sl_tap_report appends to a buffer.
 */
#ifndef SOCKLAB_TAP_H
#define SOCKLAB_TAP_H

#include <stdint.h>

#include "socklab/dissect.h"
#include "socklab/util.h"

enum sl_tap_kind { SL_TAP_CONV, SL_TAP_ENDPOINTS, SL_TAP_FOLLOW, SL_TAP_EXPERT };
enum sl_tap_layer { SL_TAP_TCP, SL_TAP_UDP, SL_TAP_IP, SL_TAP_IPV6, SL_TAP_ETH };

struct sl_tap_opts {
	enum sl_tap_kind kind;
	enum sl_tap_layer layer;	/* conv, endpoints; follow: TCP or UDP */
	int json;			/* the report as JSON, one object a line */
	int hex;			/* follow: tshark's hex mode */
	int64_t stream;			/* follow: the stream, or -1 for all */
	/* follow ascii: a carriage return printed as itself (as tshark)
	 * rather than '.'; only for output that is not a terminal, where
	 * it could overwrite what the line showed */
	int keep_cr;
	const char *filter;		/* the display filter, for Filter: */
};

struct sl_tap;

/* The -z spellings tshark users type ("conv,tcp", "follow,tcp,hex,0",
 * "expert", "flow,tcp,standard").  0 with *o filled; 1 with *flow set to
 * 1 (the flow graph, which is not a tap); or -EINVAL with e saying what
 * is accepted. */
int sl_tap_parse_z(const char *arg, struct sl_tap_opts *o, int *flow,
		   struct sl_err *e);
/* The name a layer has in -z spellings ("tcp") and tshark's titles. */
const char *sl_tap_layer_name(enum sl_tap_layer l);
/* The layer a word names ("tcp" … "eth"): 0 with *l set, or -1. */
int sl_tap_layer_of(const char *w, enum sl_tap_layer *l);

int sl_tap_new(struct sl_tap **out, const struct sl_tap_opts *o,
	       struct sl_err *e);
/* Adds the fields the tap reads to s. */
void sl_tap_fields(const struct sl_tap *t, struct sl_fieldset *s);
/* One packet that passed the filter: 0 or -ENOMEM. */
int sl_tap_packet(struct sl_tap *t, const struct sl_packet *p);
/* The report appended to out: 0, -ENOMEM or flush's code.  flush (may
 * be NULL) may write out away and empty it as the report grows, so a
 * report of 100,000 rows is never whole in memory. */
typedef int (*sl_tap_flush_fn)(struct sl_buf *out, void *arg);
int sl_tap_report(struct sl_tap *t, struct sl_buf *out, sl_tap_flush_fn flush,
		  void *arg);
void sl_tap_free(struct sl_tap *t);

#endif
