/* sink.c - the pcap writer: buffered, flushed on demand, and every write
 * error (a full disk) reported instead of lost */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture-int.h"

struct sl_sink {
	pcap_dumper_t *d;
	char *path;
	uint64_t count;
	uint64_t flushed;	/* frames known to have reached the file */
	int failed;		/* an error was already reported */
	char *buffer;		/* the file's stdio buffer, freed after it */
};

static int write_error(struct sl_sink *s, int err, struct sl_err *e)
{
	if (err == 0)
		err = EIO;
	s->failed = err;
	return sl_err_set(e, -err, "cannot write \"%s\": %s%s", s->path,
			  strerror(err), err == ENOSPC ?
			  ": free some space or write elsewhere with -w" : "");
}

/* The dump in a file of our own, with a larger buffer than libpcap's
 * fopen gives.  NULL with errno set, or with libpcap's reason in p (no
 * file left behind). */
static pcap_dumper_t *dump_open_buffered(pcap_t *p, struct sl_sink *s,
					 int *pcap_refused)
{
	const char *path = s->path;
	FILE *f = cap_fopen_buffered(path, "wb", &s->buffer);
	pcap_dumper_t *d;

	*pcap_refused = 0;
	if (!f)
		return NULL;
	d = pcap_dump_fopen(p, f);
	if (!d) {
		*pcap_refused = 1;
		fclose(f);
		unlink(path);
	}
	return d;
}

/* Why the dump could not be opened, in e; returns the code. */
static int open_error(pcap_t *p, const char *path, int pcap_refused,
		      struct sl_err *e)
{
	int err = errno && !pcap_refused ? errno : EIO;

	if (pcap_refused)
		return sl_err_set(e, -err, "cannot write \"%s\": %s: libpcap "
				  "cannot save these packets; leave out -w",
				  path, pcap_geterr(p));
	return sl_err_set(e, -err, "cannot create \"%s\": %s: write into a "
			  "directory that exists and is yours, or pick "
			  "another -w", path, strerror(err));
}

int sl_sink_open(struct sl_sink **out, const struct sl_capture *c,
		 const char *path, struct sl_err *e)
{
	struct sl_sink *s = calloc(1, sizeof(*s));
	pcap_t *p = sl_capture_pcap_(c);
	int pcap_refused = 1, rc;

	*out = NULL;
	if (!s)
		return sl_err_set(e, -ENOMEM, "out of memory");
	if (!(s->path = strdup(path))) {
		rc = sl_err_set(e, -ENOMEM, "out of memory");
		goto out;
	}
	errno = 0;
	s->d = strcmp(path, "-") == 0 ? pcap_dump_open(p, path) :
	       dump_open_buffered(p, s, &pcap_refused);
	if (!s->d) {
		rc = open_error(p, path, pcap_refused, e);
		goto out;
	}
	*out = s;
	return 0;
out:
	free(s->buffer);
	free(s->path);
	free(s);
	return rc;
}

int sl_sink_write(struct sl_sink *s, const struct sl_frame *f,
		  struct sl_err *e)
{
	struct pcap_pkthdr h;

	if (s->failed)
		return write_error(s, s->failed, e);
	h.ts.tv_sec = f->ts_ns / 1000000000;
	/* the dumper writes the fraction in the handle's precision (ns) */
	h.ts.tv_usec = f->ts_ns % 1000000000;
	h.caplen = f->caplen;
	h.len = f->len;
	errno = 0;
	pcap_dump((u_char *)s->d, &h, f->data);
	if (ferror(pcap_dump_file(s->d)))
		return write_error(s, errno, e);
	s->count++;
	return 0;
}

int sl_sink_flush(struct sl_sink *s, struct sl_err *e)
{
	if (s->failed)
		return write_error(s, s->failed, e);
	errno = 0;
	if (pcap_dump_flush(s->d) < 0 || ferror(pcap_dump_file(s->d)))
		return write_error(s, errno, e);
	s->flushed = s->count;
	return 0;
}

int sl_sink_close(struct sl_sink *s, struct sl_err *e)
{
	int rc;

	if (!s)
		return 0;
	rc = sl_sink_flush(s, e);
	pcap_dump_close(s->d);
	free(s->buffer);
	free(s->path);
	free(s);
	return rc;
}

uint64_t sl_sink_count(const struct sl_sink *s)
{
	if (!s)
		return 0;
	return s->failed ? s->flushed : s->count;
}
