/*
 * render.h - printers of dissected packets: the tshark-style summary line,
 * the layered detail tree (-V), the hex and ASCII dump (-x) and NDJSON
 * keyed by display-filter field names (--json).
 *
 * Contract: printers read only the packet's field table (and its bytes for
 * the hex dump); nothing is re-parsed.  Anything that came off the wire
 * and is shown as text is escaped.  The summary writes into a caller's
 * buffer (the hot path: no allocation, no stdio); the others append to an
 * sl_buf and return 0 or -ENOMEM.
 */
#ifndef SOCKLAB_RENDER_H
#define SOCKLAB_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "socklab/dissect.h"
#include "socklab/util.h"

/* Longest summary line written (longer Info text is cut). */
#define SL_SUMMARY_MAX 1024

/*
 * "    3 0.000112000    127.0.0.1 → 127.0.0.1    TCP 72 54321 → 59001
 * [PSH, ACK] Seq=1 Ack=1 Win=512 Len=6" and a newline, into out (at
 * least SL_SUMMARY_MAX bytes); returns the length.  ts_digits: 6 or 9
 * digits after the decimal point, as the source's time stamps carry.
 */
size_t sl_render_summary(char *out, const struct sl_packet *p, int ts_digits);
/* The Info column alone (no newline); returns the length, out >= 512. */
size_t sl_render_info(char *out, size_t cap, const struct sl_packet *p);
/* The Protocol column: the top layer's short name ("TCP", "ARP"). */
const char *sl_render_protocol(const struct sl_packet *p);

/* text.c: the layered tree, as tshark -V (one header line per layer, its
 * fields indented below), ending with an empty line. */
int sl_render_tree(struct sl_buf *b, const struct sl_packet *p,
		   int ts_digits);
/* text.c: the hex dump, as tshark -x: "0000  45 00 … 16 bytes   E..." */
int sl_render_hex(struct sl_buf *b, const struct sl_packet *p);

/* json.c: one JSON object and a newline; keys are field names in
 * dissection order, a repeated field (ip.addr) an array. */
int sl_render_json(struct sl_buf *b, const struct sl_packet *p);

/* fmt.c: one value as text, as the tree and JSON print it (without
 * quotes); returns the length, out >= SL_VALUE_MAX.  Bytes are hex
 * (cut to 64 bytes with "…" after). */
#define SL_VALUE_MAX 200
size_t sl_render_value(char *out, const struct sl_fval *v);
/* "00:1b:21:3a:4f:5e"; sl_fmt_uint and the IP writers are in util.h */
size_t sl_fmt_ether(char *out, const uint8_t *a);	/* out >= 18 */

#endif
