/*
 * bytestream.h - what one side of TCP conversations sent, put back in
 * stream order from the captured segments (by their relative sequence
 * numbers), and where a run of bytes sits: so a name is found however a
 * program sent it (with or without a newline, inside a longer message,
 * split over segments) and the frames that carried it are named.
 *
 * Contract: pure (no I/O); bounded: SL_BYTESTREAMS conversations, the
 * first SL_BYTESTREAM_MAX bytes and SL_BYTESTREAM_SEGS segments of each.
 */
#ifndef SOCKLAB_BYTESTREAM_H
#define SOCKLAB_BYTESTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "socklab/dissect.h"
#include "socklab/util.h"

#define SL_BYTESTREAMS 8		/* conversations followed */
#define SL_BYTESTREAM_MAX 65536		/* bytes kept of each */
#define SL_BYTESTREAM_SEGS 256		/* segments remembered of each */

struct sl_byteseg {
	uint32_t frame, off, len;
};

struct sl_bytestream {
	uint32_t index;			/* tcp.stream */
	struct sl_buf data;		/* the bytes, at their stream offset */
	uint64_t bytes;			/* sent in all (past the bound too) */
	struct sl_byteseg segs[SL_BYTESTREAM_SEGS];
	size_t nsegs;
};

struct sl_bytestreams {
	struct sl_bytestream v[SL_BYTESTREAMS];
	size_t n;
};

void sl_bytestreams_init(struct sl_bytestreams *s);
void sl_bytestreams_release(struct sl_bytestreams *s);
/* A segment's payload p (n bytes) at relative sequence number seq, of
 * conversation index, in frame. */
void sl_bytestreams_add(struct sl_bytestreams *s, uint32_t index,
			uint32_t frame, uint32_t seq, const uint8_t *p,
			uint32_t n);
/* A dissected packet (with tcp.stream and relative tcp.seq): its payload
 * to sent when it goes to port, to answered (NULL: dropped) when it comes
 * from it.  A UDP datagram is a stream of its own. */
void sl_bytestreams_packet(struct sl_bytestreams *sent,
			   struct sl_bytestreams *answered, uint16_t port,
			   const struct sl_packet *p);
/* The conversation whose bytes hold name (n bytes), and the frames that
 * carry them (at most max, in frame order) into frames / *nframes; NULL
 * when none does.  *at (may be NULL) gets the name's offset in it. */
const struct sl_bytestream *sl_bytestreams_find(const struct sl_bytestreams *s,
						const char *name, size_t n,
						uint32_t *frames,
						size_t *nframes, size_t max,
						size_t *at);

#endif
