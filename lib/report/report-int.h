/*
 * report-int.h - what the files of lib/report share: the lab's events
 * in time order, relative times and what TCP states mean.  Not a public
 * header.
 */
#ifndef SOCKLAB_REPORT_INT_H
#define SOCKLAB_REPORT_INT_H

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

#endif
