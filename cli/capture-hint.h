/* capture-hint.h - the filter co-pilot of socklab capture (capture-hint.c) */
#ifndef SOCKLAB_CAPTURE_HINT_H
#define SOCKLAB_CAPTURE_HINT_H

#include "socklab/capture.h"
#include "socklab/dfilter.h"
#include "socklab/tally.h"

struct hint {
	struct sl_tally *tally;		/* what the packets were */
	struct sl_fieldset fields;	/* the filter's fields and the tally's */
	const char *iface;		/* live: the device; NULL for a file */
	int if_ok;
	uint64_t if_before;		/* its packet counter at the start */
	struct sl_capture *sampler;	/* live behind a kernel filter: a side
					 * capture of what the device carried */
	struct sl_packet *pkt;
	int sampled;			/* the tally is the side capture's */
	int matched;			/* something matched: nothing to say */
};

/* iface NULL for a file; kernel_filter when the kernel drops packets
 * before the display filter sees them (-f, or -Y pushed down). */
int hint_start(struct hint *h, const char *iface, int kernel_filter,
	       const struct sl_fieldset *filter_fields);
/* A packet the display filter rejected while none has matched. */
void hint_miss(struct hint *h, const struct sl_packet *p);
/* The first match: the co-pilot has nothing to say any more. */
void hint_matched(struct hint *h);
/* Reads what the side capture holds (call from the live loop). */
void hint_poll(struct hint *h);
/* At the end: prints why nothing matched and what would; 1 when it did. */
int hint_report(struct hint *h, const char *ytext, const char *ftext,
		const struct sl_dfilter *f, uint64_t seen, uint64_t shown);
void hint_end(struct hint *h);

#endif
