/* capture-taps.h - capture's reports over the whole capture (--conv,
 * --endpoints, --follow, --expert and tshark's -z spellings of them) */
#ifndef SOCKLAB_CAPTURE_TAPS_H
#define SOCKLAB_CAPTURE_TAPS_H

#include <stdio.h>

#include "socklab/tap.h"

#define CAPTURE_TAPS_MAX 8

enum { TAPOPT_CONV = 1, TAPOPT_ENDPOINTS, TAPOPT_FOLLOW, TAPOPT_EXPERT,
       TAPOPT_Z };

struct capture_taps {
	int n;
	struct sl_tap_opts opt[CAPTURE_TAPS_MAX];
	struct sl_tap *tap[CAPTURE_TAPS_MAX];
	struct sl_fieldset fields;	/* the filter's and the taps' */
	int follow;			/* one of them follows a stream */
	char *filter;			/* -Y's text as the titles show it */
};

/* One option (which: TAPOPT_*) with its value, optarg or NULL; a value
 * given as the next word ("--conv udp") is taken from argv at *next
 * (getopt's optind).
 * 0, or EXIT_USAGE with the message printed. */
int capture_taps_option(struct capture_taps *t, int which, const char *arg,
			int argc, char **argv, int *next, int *flow);
/* Whether packets are still printed one by one with the reports: only
 * when asked (-P, -V; -x but for --follow, where it means hex). */
int capture_taps_quiet(const struct capture_taps *t, int print, int verbose,
		       int hex);
/* Creates the taps once the options are known: -x and --json apply to
 * them, filter (the -Y text or NULL) is shown in their titles; the
 * fields to dissect are filter_fields and the taps'.  0 or EXIT_FAIL. */
int capture_taps_start(struct capture_taps *t, int json, int hex,
		       const char *filter, const struct sl_fieldset *filter_fields);
/* A packet that passed -Y: 0 or -ENOMEM. */
int capture_taps_packet(struct capture_taps *t, const struct sl_packet *p);
/* The reports, in the order asked, to out: 0 or <0 (-errno). */
int capture_taps_report(struct capture_taps *t, FILE *out);
void capture_taps_free(struct capture_taps *t);

#endif
