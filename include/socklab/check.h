/*
 * check.h - `socklab check`: a student's server, started and probed as
 * its clients will treat it.  The server runs as its own process group;
 * its port is found in the kernel's socket table by the pids of its
 * process tree; then each probe is a real client over loopback and ends
 * in a verdict with the evidence: what was done, what was seen and, when
 * something is wrong, the fix.
 *
 * Contract: nothing here prints.  Each record goes to the caller's
 * callback the moment its probe ends (the text and JSON forms are built
 * by sl_check_text / sl_check_json).  Everything that came from the
 * server (its answers, what it printed) is escaped in the words; the raw
 * bytes travel in sent/answer for the JSON form.  Every wait is bounded
 * by the timeout; the server is stopped (its whole group) before
 * sl_check_run returns, whatever happened.
 */
#ifndef SOCKLAB_CHECK_H
#define SOCKLAB_CHECK_H

#include <signal.h>
#include <stdint.h>

#include "socklab/util.h"

enum sl_verdict { SL_PASS, SL_NOTE, SL_FAIL, SL_SKIP };

/* One probe's outcome. */
struct sl_probe {
	const char *id;		/* "start", "port", "hello", "two-names" ... */
	enum sl_verdict verdict;
	struct sl_buf did;	/* what was done */
	struct sl_buf saw;	/* what was seen (escaped) */
	struct sl_buf fix;	/* what to change; empty on a pass */
	struct sl_buf sent;	/* raw bytes sent, when one exchange tells */
	struct sl_buf answer;	/* raw bytes the server sent back */
	int exchanged;		/* sent and answer tell one exchange */
	uint64_t ms;		/* how long the probe took */
};

struct sl_check_summary {
	unsigned count[SL_SKIP + 1];	/* by enum sl_verdict */
	int pid;		/* the server's pid, 0 when it did not start */
	uint16_t port;		/* the port probed, 0 when none was found */
	char addr[80];		/* the address probed, "127.0.0.1:59123" */
	char ended[160];	/* how the server ended, "" when stopped by us */
};

typedef void (*sl_check_fn)(const struct sl_probe *p, void *arg);

struct sl_check_opts {
	char *const *argv;	/* the server's command; one word holding a
				 * space runs through /bin/sh -c */
	const char *name;	/* the name the clients send */
	int timeout_ms;		/* each answer's wait; the server has
				 * max(10 s, this) to start listening */
	sl_check_fn report;	/* each record, as it is made */
	void *arg;
	/* set (by a signal handler) to end the check early: the server is
	 * stopped and sl_check_run returns -EINTR */
	const volatile sig_atomic_t *stop;
};

/* Runs every probe in turn and hands each record to o->report.  Returns 0
 * when the check ran to its end (the verdicts are in sum), or a negative
 * code with words in e when it could not (out of memory, the socket
 * table unreadable, -EINTR when stopped). */
int sl_check_run(const struct sl_check_opts *o, struct sl_check_summary *sum,
		 struct sl_err *e);

/* "PASS", "NOTE", "FAIL", "SKIP" and "pass" ... "skip". */
const char *sl_verdict_word(enum sl_verdict v);
const char *sl_verdict_key(enum sl_verdict v);

/* One line of text for a record: "PASS hello: DID: SAW" (and "; fix:
 * FIX" when there is one), with its newline. */
int sl_check_text(struct sl_buf *b, const struct sl_probe *p);
/* One NDJSON object: probe verdict did saw fix ms, and sent/answer when
 * the probe had one exchange (null otherwise). */
int sl_check_json(struct sl_buf *b, const struct sl_probe *p);
/* The last line of text and JSON: the counts and what was probed. */
int sl_check_summary_text(struct sl_buf *b, const struct sl_check_summary *s);
int sl_check_summary_json(struct sl_buf *b, const struct sl_check_summary *s);

#endif
