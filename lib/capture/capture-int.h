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

#endif
