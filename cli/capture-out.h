/* capture-out.h - socklab capture's other outputs (capture-out.c): -T
 * fields -e … -E …, -T text|json, and --flow's graph at the end */
#ifndef SOCKLAB_CAPTURE_OUT_H
#define SOCKLAB_CAPTURE_OUT_H

#include <stdio.h>

#include "socklab/render.h"

struct capture_out {
	int fields;			/* -T fields */
	const char *tmode;		/* -T's word, for the messages */
	int json;			/* -T json: the caller's --json */
	struct sl_tfields tf;
	int any_e;			/* an -e or -E was given */
	struct sl_flow *flow;		/* --flow: the rows, until the end */
	struct sl_buf line;
};

void capture_out_init(struct capture_out *c);
/* -T, -e, -E: 0, or EXIT_USAGE with the message printed */
int capture_out_opt(struct capture_out *c, int opt, const char *arg);
/* After all the options: what goes with what; 0 or EXIT_USAGE. */
int capture_out_check(struct capture_out *c, int flow);
/* What the outputs read, added to s. */
void capture_out_want(const struct capture_out *c, int flow,
		      struct sl_fieldset *s);
/* Before the first packet: -E header=y's line; ts_digits: the source's
 * (6 or 9).  0 or <0 (errno). */
int capture_out_start(struct capture_out *c, FILE *out, int ts_digits);
/* A packet that passed the filter: its -T fields line, or its flow row;
 * 1 when it was this file's to print, 0 when not, <0 an error. */
int capture_out_packet(struct capture_out *c, const struct sl_packet *p,
		       FILE *out);
/* At the end: --flow's graphs.  0 or <0. */
int capture_out_end(struct capture_out *c, FILE *out);
void capture_out_release(struct capture_out *c);

#endif
