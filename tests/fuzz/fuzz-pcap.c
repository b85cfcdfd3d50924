/* fuzz-pcap.c - the capture source on whole pcap/pcapng files: open,
 * read every frame, dissect it */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "socklab/capture.h"
#include "socklab/dissect.h"
#include "socklab/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-pcap-XXXXXX";
	struct sl_capture_opts o = { .file = path };
	struct sl_capture *c;
	struct sl_packet *p;
	struct sl_stream_table *t = NULL;
	struct sl_frame_seq seq = { 0 };
	struct sl_frame f;
	struct sl_err e;
	char line[SL_SUMMARY_MAX];
	int fd = mkstemp(path);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	p = calloc(1, sizeof(*p));
	if (p && sl_stream_table_new(&t, &e) == 0 &&
	    sl_capture_open(&c, &o, NULL, &e) == 0) {
		seq.linktype = sl_capture_linktype(c);
		for (int n = 0; n < 10000 && sl_capture_next(c, &f, &e) == 1;
		     n++) {
			sl_packet_frame(p, &seq, f.ts_ns, f.data, f.caplen,
					f.len);
			sl_dissect(p, t);
			sl_render_summary(line, p, sl_capture_ts_digits(c));
		}
		sl_capture_close(c);
	}
	sl_stream_table_free(t);
	free(p);
	unlink(path);
	return 0;
}
