/* walk.c - every frame of a capture file (or of its bytes in memory),
 * numbered, timed and dissected in order with one conversation table, as
 * tshark -r reads one: for the readers that go through a whole file */
#include <errno.h>
#include <stdlib.h>

#include "socklab/capture.h"

int sl_capture_walk(const struct sl_capture_opts *o, struct sl_capture_walk *w,
		    struct sl_err *e)
{
	struct sl_stream_table *st = NULL;
	struct sl_packet *p = malloc(sizeof(*p));
	struct sl_capture *cap = NULL;
	struct sl_frame_seq seq = { 0 };
	struct sl_frame f;
	int rc;

	w->frames = 0;
	if (!p) {
		rc = sl_err_set(e, -ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = sl_stream_table_new(&st, e)) < 0 ||
	    (rc = sl_capture_open(&cap, o, NULL, e)) < 0)
		goto out;
	w->ts_digits = sl_capture_ts_digits(cap);
	seq.linktype = sl_capture_linktype(cap);
	while ((rc = sl_capture_next(cap, &f, e)) == 1) {
		const uint8_t *at = w->bytes ? w->bytes(&f, seq.frames + 1, w->arg) :
					       NULL;

		sl_packet_frame(p, &seq, f.ts_ns, at ? at : f.data, f.caplen, f.len);
		w->frames = seq.frames;
		sl_dissect(p, st);
		if (w->packet && (rc = w->packet(p, w->arg)) != 0)
			goto out;
	}
	if (rc == -ENODATA)
		rc = 0;
out:
	if (cap)
		sl_capture_close(cap);
	if (st)
		sl_stream_table_free(st);
	free(p);
	return rc;
}
