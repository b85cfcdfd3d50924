/*
 * load.h - a load generator for the lab's line protocol: many concurrent
 * hello exchanges (connect, send "NAME\n", read "Hello, NAME!\n", close)
 * from one thread on the event loop, or K connections held open.
 *
 * Contract: every run is bounded in count and in time: at most
 * `exchanges` exchanges, each given up after `timeout_ms`, the whole run
 * stopped after `duration_ms`.  Latencies go into a fixed-size log-linear
 * histogram (under 1% error, no allocation per exchange), so memory does
 * not grow with the run.  Nothing here prints: errors are counted by kind.
 */
#ifndef SOCKLAB_LOAD_H
#define SOCKLAB_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "socklab/net.h"
#include "socklab/util.h"

/* ---- latency histogram (hist.c) ----
 * Values below 256 are exact; above, each power of two is cut into 128
 * buckets, so a bucket is at most 1/128 of its values wide. */
#define SL_HIST_SUB 128
#define SL_HIST_BUCKETS (2 * SL_HIST_SUB + 56 * SL_HIST_SUB)

struct sl_hist {
	uint64_t count;
	uint64_t min, max, sum;
	uint64_t bucket[SL_HIST_BUCKETS];
};

void sl_hist_init(struct sl_hist *h);
void sl_hist_add(struct sl_hist *h, uint64_t v);
/* Adds every value of src to dst. */
void sl_hist_merge(struct sl_hist *dst, const struct sl_hist *src);
/* The p-th percentile (0 < p <= 100) by nearest rank: the smallest value
 * v such that at least p% of the values are <= v, to within a bucket
 * (the bucket's middle, never above the maximum); 0 when empty. */
uint64_t sl_hist_percentile(const struct sl_hist *h, double p);

/* ---- reply check (reply.c) ---- */
enum sl_reply_verdict {
	SL_REPLY_MORE = 0,	/* no newline yet and still room: read more */
	SL_REPLY_OK = 1,	/* the first line is exactly the expected one */
	SL_REPLY_WRONG = -1,	/* another line, or too long to be it */
};

/* Checks buf[0..n) against want (a line without its terminator): the
 * first line, ended by "\n" or "\r\n", must equal want.  Bytes after the
 * first newline are ignored.  A buffer longer than want plus "\r\n"
 * without a newline is WRONG, so a reader needs only that much room. */
enum sl_reply_verdict sl_reply_check(const char *buf, size_t n,
				     const char *want, size_t wantlen);

/* ---- the load run (load.c) ---- */
enum sl_load_err {
	SL_LOAD_REFUSED,	/* connection refused: nothing listens */
	SL_LOAD_RESET,		/* the server reset the connection */
	SL_LOAD_TIMEOUT,	/* no complete reply within timeout_ms */
	SL_LOAD_WRONG,		/* a reply line, but not "Hello, NAME!" */
	SL_LOAD_CLOSED,		/* the server closed before a whole reply */
	SL_LOAD_LOCAL,		/* out of ports, descriptors or memory here */
	SL_LOAD_OTHER,		/* any other socket error */
	SL_LOAD_NERR
};

/* Stable names of the kinds, as the JSON keys: "refused", "reset", ... */
const char *sl_load_err_name(enum sl_load_err k);

struct sl_load_opts {
	struct sl_endpoint ep;	/* where to connect */
	const char *name;	/* the line sent, without its newline */
	uint64_t exchanges;	/* stop after this many (>= 1) */
	unsigned concurrency;	/* exchanges (or connects) in flight */
	uint64_t duration_ms;	/* stop starting new ones after this; with
				 * hold: how long to hold (0 = no bound) */
	uint64_t timeout_ms;	/* per exchange (> 0) */
	unsigned rate;		/* at most this many connects per second; 0: no
				 * bound */
	unsigned hold;		/* > 0: hold this many connections instead */
	/* hold: called once every connection is open (held = how many). */
	void (*on_hold)(uint64_t held, void *arg);
	void *arg;
};

struct sl_load_stats {
	uint64_t ok;			/* exchanges that got the right reply */
	uint64_t errors[SL_LOAD_NERR];
	uint64_t unfinished;		/* in flight when the duration ended */
	uint64_t held;			/* hold: connections that were open */
	uint64_t elapsed_ns;		/* first connect to last exchange */
	struct sl_hist latency;		/* ns, connect to reply, ok ones */
	int other_errno;		/* the first OTHER or LOCAL errno */
	char wrong[64];			/* the first wrong reply (raw bytes) */
	size_t wronglen;
};

void sl_load_opts_init(struct sl_load_opts *o);
/* Total errors of all kinds. */
uint64_t sl_load_errors(const struct sl_load_stats *st);
/* Runs the load; fills st (the caller's, about 60 KB: keep it off small
 * stacks).  Returns 0 or a negative errno when the run itself could not
 * start (event loop, memory), with words in e. */
int sl_load_run(const struct sl_load_opts *o, struct sl_load_stats *st,
		struct sl_err *e);

#endif
