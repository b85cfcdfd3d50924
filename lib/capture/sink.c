/* sink.c - the capture file writer: pcap through libpcap's dumper, or
 * pcapng through pcapng.c's blocks; buffered, flushed on demand, and every
 * write error (a full disk) reported instead of lost */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture-int.h"

struct sl_sink {
	pcap_dumper_t *d;	/* pcap, or … */
	FILE *ng;		/* … pcapng */
	struct sl_buf block;	/* the pcapng block being written */
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

/* One whole block per fwrite: a flush between two leaves a whole file. */
static int ng_put(struct sl_sink *s, struct sl_err *e)
{
	errno = 0;
	if (fwrite(s->block.data, 1, s->block.len, s->ng) != s->block.len ||
	    ferror(s->ng))
		return write_error(s, errno, e);
	sl_buf_reset(&s->block);
	return 0;
}

static int ng_write(struct sl_sink *s, const struct sl_frame *f,
		    struct sl_err *e)
{
	int rc;

	sl_buf_reset(&s->block);
	if (sl_pcapng_packet(&s->block, f) < 0)
		return sl_err_set(e, -ENOMEM, "out of memory");
	if ((rc = ng_put(s, e)) < 0)
		return rc;
	s->count++;
	return 0;
}

int sl_sink_open_pcapng(struct sl_sink **out, const struct sl_capture *c,
			const char *path, const struct sl_pcapng_info *info,
			struct sl_err *e)
{
	struct sl_sink *s = calloc(1, sizeof(*s));
	pcap_t *p = sl_capture_pcap_(c);
	int rc;

	*out = NULL;
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return sl_err_set(e, -ENOMEM, "out of memory");
	}
	sl_buf_init(&s->block);
	s->ng = cap_fopen_buffered(path, "wb", &s->buffer);
	if (!s->ng) {
		rc = sl_err_set(e, -errno, "cannot create \"%s\": %s: write "
				"into a directory that exists and is yours",
				path, strerror(errno));
		goto out;
	}
	if (sl_pcapng_header(&s->block, info, sl_capture_linktype(c),
			     (uint32_t)pcap_snapshot(p)) < 0) {
		rc = sl_err_set(e, -ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = ng_put(s, e)) < 0)
		goto out;
	*out = s;
	return 0;
out:
	if (s->ng) {
		fclose(s->ng);
		unlink(path);
	}
	sl_buf_release(&s->block);
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
	if (s->ng)
		return ng_write(s, f, e);
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
	if (s->ng ? fflush(s->ng) != 0 || ferror(s->ng) :
	    pcap_dump_flush(s->d) < 0 || ferror(pcap_dump_file(s->d)))
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
	if (s->ng) {
		if (fclose(s->ng) != 0 && rc == 0)
			rc = write_error(s, errno, e);
	} else {
		pcap_dump_close(s->d);
	}
	sl_buf_release(&s->block);
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
