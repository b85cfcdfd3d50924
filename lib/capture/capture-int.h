/* capture-int.h - what source.c and sink.c share */
#ifndef SOCKLAB_CAPTURE_INT_H
#define SOCKLAB_CAPTURE_INT_H

#include <pcap/pcap.h>
#include <stdio.h>

#include "socklab/capture.h"

/* The handle whose link type and precision a dump takes. */
pcap_t *sl_capture_pcap_(const struct sl_capture *c);

/* fopen with a 64 KiB stdio buffer, which *buffer receives and the caller
 * frees after fclose (NULL when it could not be had: stdio's own then).
 * NULL with errno set when the file cannot be opened. */
FILE *cap_fopen_buffered(const char *path, const char *mode, char **buffer);

/* pcapfile.c: classic pcap files read in large blocks. */
struct cap_file;
struct cap_file_info {
	int linktype;			/* SL_LINK_* */
	uint32_t snaplen;		/* as libpcap takes the header's */
};
/* 0 with *out open, 1 when the file is not one this reader takes (libpcap
 * opens it), or a negative code with e filled. */
int cap_file_open(struct cap_file **out, const char *path,
		  struct cap_file_info *info, struct sl_err *e);
/* As sl_capture_next for a file: 1, -ENODATA at the end, or an error. */
int cap_file_next(struct cap_file *f, struct sl_frame *fr, struct sl_err *e);
void cap_file_close(struct cap_file *f);

#endif
