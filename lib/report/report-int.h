/*
 * report-int.h - what the files of lib/report share : HTML/XML
 * escaping, the lab's events in time order, relative times and what TCP
 * states mean.  Not a public header.
 */
#ifndef SOCKLAB_REPORT_INT_H
#define SOCKLAB_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "socklab/report.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes, n > 0), 0
 * when the bytes there are not one. */
size_t sl_utf8_len(const unsigned char *s, size_t n);

/* Appends n bytes escaped for HTML and XML text or attribute values:
 * & < > " ' become entities, valid UTF-8 passes, controls (but \n and \t)
 * and invalid bytes become the visible text \xHH.  0 or -ENOMEM. */
int sl_buf_html(struct sl_buf *b, const void *src, size_t n);
/* The same for a C string; NULL appends nothing. */
int sl_buf_html_str(struct sl_buf *b, const char *s);

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

#endif
