/*
 * line.h - the lab's line protocol as pure functions.
 *
 * The client speaks first; every line (ended by "\n" or "\r\n") gets
 * "Hello, NAME!\n" where NAME is the line without its terminator; an empty
 * line gets "ERR empty name\n"; a line over the bound gets
 * "ERR line too long (max N bytes)\n" and the connection closes.
 *
 * Contract: nothing here touches a socket, allocates per line or copies
 * the line: the framer returns pointers into the caller's buffer.
 */
#ifndef SOCKLAB_LINE_H
#define SOCKLAB_LINE_H

#include <stddef.h>
#include <sys/types.h>

#include "socklab/util.h"

#define SL_DEFAULT_MAX_LINE 256
#define SL_MAX_LINE_LIMIT (1u << 20)

struct sl_line {
	const char *p;		/* into the caller's buffer */
	size_t len;		/* without the terminator */
};

enum sl_frame_result {
	SL_FRAME_MORE = 0,	/* no complete line yet, still within the bound */
	SL_FRAME_TOO_LONG = -1,	/* the line exceeds max_line: answer and close */
	SL_FRAME_FULL = -2,	/* a line waits but its reply would not fit */
};

/* Finds the first line in buf[0..n).  Returns the bytes it spans with its
 * terminator (> 0) and fills *line; SL_FRAME_MORE when the line is not
 * complete yet; SL_FRAME_TOO_LONG as soon as the line (without terminator)
 * is known to exceed max_line bytes, even before its newline arrives. */
ssize_t sl_frame_next(const char *buf, size_t n, size_t max_line,
		      struct sl_line *line);

/* What the partial data left at end of stream means: a final line without
 * a newline (> 0, spans n), nothing (0) or too long (SL_FRAME_TOO_LONG). */
ssize_t sl_frame_last(const char *buf, size_t n, size_t max_line,
		      struct sl_line *line);

/* A server that bounds its backlog of unsent replies frames with this. */
struct sl_framer {
	size_t max_line;	/* longest line, without its terminator */
	size_t limit;		/* largest backlog of unsent replies */
};

/* The next line of buf[0..n) whose reply may join a backlog of queued
 * bytes; at_eof: the stream ends after buf (a last line without newline
 * counts, as sl_frame_last).  Returns what sl_frame_next returns, or
 * SL_FRAME_FULL, consuming nothing, when a line (or its "too long" error)
 * is there but its reply would take a non-empty backlog past the limit:
 * stop, keep buf from here, and call again from the same byte once the
 * backlog has drained.  An empty backlog takes any one reply, so a line
 * whose reply alone exceeds the limit is still answered, and a line over
 * max_line is reported only then: its error is the last reply. */
ssize_t sl_frame_bounded(const struct sl_framer *f, const char *buf,
			 size_t n, size_t queued, int at_eof,
			 struct sl_line *line);

enum sl_hello_verdict {
	SL_HELLO_OK,		/* greeted */
	SL_HELLO_EMPTY,		/* empty name: error reply, connection stays */
	SL_HELLO_TOO_LONG,	/* error reply, then close */
};

/* Longest reply for a line of len bytes. */
#define SL_HELLO_REPLY_MAX(len) ((len) + 64)

/* The length of the reply sl_hello_reply writes for line. */
size_t sl_hello_reply_len(const struct sl_line *line);
/* Writes the reply to line into out (at least SL_HELLO_REPLY_MAX bytes);
 * returns its length. */
size_t sl_hello_reply(const struct sl_line *line, char *out,
		      enum sl_hello_verdict *verdict);
/* The reply to a line over the bound. */
size_t sl_hello_too_long(size_t max_line, char *out, size_t outlen);

/* ---- over UDP (datagram.c) ---- */

/* The largest UDP payload (IPv4: 65535 - 20 - 8): a reply never passes it. */
#define SL_DATAGRAM_MAX 65507

/* Told of each line of a datagram with the reply it got (verdict
 * SL_HELLO_TOO_LONG also for the error that ends a list too long for one
 * datagram: then line spans the rest of the datagram). */
typedef void (*sl_dgram_fn)(const struct sl_line *line,
			    enum sl_hello_verdict verdict, const char *reply,
			    size_t reply_len, void *arg);

/* The reply datagram to the datagram in[0..n): every line answered as
 * sl_hello_reply does, the last one without its newline too, an empty
 * datagram as one empty line.  A line over max_line gets the "too long"
 * error and ends the answers, and so does the first reply that would
 * take the whole past out_max (then "ERR too many lines for one
 * datagram").  each (may be NULL) hears of every line.  Returns the
 * reply's length, at most out_max (which must hold 128 bytes). */
size_t sl_hello_datagram(const char *in, size_t n, size_t max_line,
			 char *out, size_t out_max, sl_dgram_fn each,
			 void *arg);

/* The reply a server gives a client past its connection limit. */
#define SL_BUSY_REPLY "ERR server busy\n"

#endif
