/* check-int.h - what the files of lib/check share and nobody else sees */
#ifndef SOCKLAB_CHECK_INT_H
#define SOCKLAB_CHECK_INT_H

#include <sys/types.h>

#include "socklab/check.h"
#include "socklab/diag.h"
#include "socklab/net.h"

/* What the server printed is kept up to this much (its last bytes). */
#define CK_OUT_MAX (64 * 1024)
/* The server gets at least this long to start listening. */
#define CK_START_MS 10000
/* Clients of the concurrent probe. */
#define CK_CROWD 20
/* The pause between the two halves of a split name. */
#define CK_SPLIT_PAUSE_MS 250

/* The server under test: a process group of its own, stdout on a
 * pseudo-terminal (so its stdio writes each line at once, as in a
 * terminal), stderr on a pipe. */
struct ck_server {
	pid_t pid;		/* 0 before start */
	int out_fd, err_fd;	/* -1 at end of file */
	struct sl_buf out, err;	/* the last CK_OUT_MAX bytes of each */
	uint64_t out_total;	/* bytes ever read from stdout */
	int running;
	int status;		/* wait status once !running */
	char ended[160];	/* "exited with status 1" once !running */
};

/* The state of one check run. */
struct ck {
	const struct sl_check_opts *o;
	struct sl_check_summary *sum;
	struct sl_err *e;
	struct ck_server srv;
	struct sl_sock_list listeners;	/* what the tree listens on */
	struct sl_endpoint ep;		/* the address the probes go to */
	struct sl_buf greeting;		/* what came before the name in the
					 * answer to hello ("Hello, ") */
	int named;			/* hello's answer held the name */
	int shut_first;			/* the server answers only at the end
					 * of the stream: shut after sending */
	const char *other;		/* a second name, not NAME */
	unsigned served;		/* clients answered (or closed cleanly) */
	int oneshot;			/* it just ended by itself, status 0 */
	int gone;			/* the server ended: later probes skip */
	struct sl_buf gone_why;		/* why they skip */
	int fatal;			/* a negative code: the check stops */
};

/* ---- server.c ---- */
void ck_server_init(struct ck_server *s);
/* 0, or a negative errno with words in e (the command cannot start). */
int ck_server_start(struct ck_server *s, char *const argv[],
		    struct sl_err *e);
/* Reads what it printed and reaps it once it exited; never blocks. */
void ck_server_pump(struct ck_server *s);
/* Waits up to ms for the server to exit (pumping); 1 exited, 0 not. */
int ck_server_wait_exit(struct ck *c, int ms);
/* Stops the whole tree (SIGTERM, then SIGKILL) and reaps the server. */
void ck_server_stop(struct ck_server *s);
void ck_server_release(struct ck_server *s);
/* The last non-empty line of its stderr, escaped, quoted; "" if none. */
void ck_server_last_err(const struct ck_server *s, struct sl_buf *b);
/* Appends what the server printed since out_total was mark: the first
 * line holding text (escaped, quoted), else nothing; 1 when found. */
int ck_server_printed(const struct ck_server *s, uint64_t mark,
		      const char *text, struct sl_buf *b);

/* ---- wait.c ---- */
/* Polls fd for events (0: none, only the server's output and its
 * exit) until deadline_ms (CLOCK_MONOTONIC ms), pumping the server.
 * 1 ready, 0 deadline, -EINTR when the check is told to stop. */
int ck_poll(struct ck *c, int fd, short events, uint64_t deadline_ms);
/* 1 when the check must stop (and c->fatal is set). */
int ck_stopped(struct ck *c);

/* ---- listen.c ---- */
/* The start probe: waits for the tree to listen (fills c->listeners and
 * c->ep) or explains why it does not. */
void ck_probe_start(struct ck *c, struct sl_probe *p);
/* nostart.c: why the tree does not listen (it ended, or it runs without
 * listening), in p; the later probes skip. */
void ck_start_failed(struct ck *c, struct sl_probe *p, uint64_t t0);
/* The assignment's port (above 59000, unprivileged). */
void ck_probe_port(struct ck *c, struct sl_probe *p);
/* Loopback, or every address of the machine. */
void ck_probe_address(struct ck *c, struct sl_probe *p);

/* ---- conn.c: one client connection of a probe ---- */
struct ck_conn {
	int fd;			/* -1 when closed */
	struct sl_buf in;	/* everything the server sent */
	int eof;		/* the server closed its side */
	int err;		/* the negative errno it ended with, 0 none */
	int half_closed;	/* we had to shut our sending side first */
	uint64_t t0;		/* when the connect began */
	uint64_t connect_ms;	/* how long the connect took */
};

void ck_conn_init(struct ck_conn *k);
/* Connects to ep within the timeout: 0 or a negative errno. */
int ck_conn_open(struct ck *c, struct ck_conn *k,
		 const struct sl_endpoint *ep);
/* Sends all of p (TCP_NODELAY is set: one write, one segment). */
int ck_conn_send(struct ck *c, struct ck_conn *k, const char *p, size_t n);
/* Reads the server's answer: until every one of want[] is in it and it
 * ends a line (or goes quiet), the server closes or resets, or it says
 * nothing more for a while; when nothing came within the timeout, shuts
 * the sending side once (a server reading to the end of the stream
 * answers then) and waits again.  Returns bytes read (>= 0), or -EINTR. */
int ck_conn_answer(struct ck *c, struct ck_conn *k, const char *const *want,
		   size_t nwant);
/* The same without shutting the sending side: waits once. */
int ck_conn_wait_answer(struct ck *c, struct ck_conn *k,
			const char *const *want, size_t nwant);
/* 1 when the answer holds s. */
int ck_has(const struct sl_buf *in, const char *s);
/* Sends p and closes at once, the bytes and the FIN in one segment. */
int ck_conn_send_close(struct ck *c, struct ck_conn *k, const char *p,
		       size_t n);
/* Waits (up to the timeout) for the server to accept the connection:
 * 1 accepted, 0 not yet, < 0 stop. */
int ck_conn_accepted(struct ck *c, const struct ck_conn *k);
void ck_conn_release(struct ck_conn *k);
/* Closes (FIN); with reset, SO_LINGER 0 first, so the close is a RST. */
void ck_conn_close(struct ck_conn *k, int reset);

/* One exchange: connect to ep, send segs (with a pause between them;
 * then the sending side is shut when c->shut_first), read the answer.
 * 0, or a negative errno of the connect (then nothing was sent), or
 * -EINTR. */
int ck_exchange(struct ck *c, struct ck_conn *k, const struct sl_endpoint *ep,
		const char *const *segs, size_t nsegs, const char *const *want,
		size_t nwant);

/* ---- words.c ---- */
/* "\"Hello, alice!\\n\"" (escaped, at most 120 bytes shown). */
void ck_put_bytes(struct sl_buf *b, const char *p, size_t n);
/* What the connection came to, in words ("got \"Hello, alice\\n\"",
 * "the server closed the connection without answering" ...). */
void ck_put_outcome(struct sl_buf *b, const struct ck_conn *k);
/* Sets the verdict and appends to saw/fix (fmt for saw). */
void ck_verdict(struct sl_probe *p, enum sl_verdict v, const char *fix,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void ck_probe_init(struct sl_probe *p, const char *id);
void ck_probe_release(struct sl_probe *p);
/* Keeps a copy of what went and came back, for the JSON form. */
void ck_probe_exchange(struct sl_probe *p, const char *sent, size_t n,
		       const struct ck_conn *k);

/* ---- the probes, one file each kind ---- */
void ck_probe_hello(struct ck *c, struct sl_probe *p);	/* hello.c */
void ck_probe_two_names(struct ck *c, struct sl_probe *p);
void ck_probe_split(struct ck *c, struct sl_probe *p);
void ck_probe_families(struct ck *c, struct sl_probe *p); /* families.c */
void ck_probe_crowd(struct ck *c, struct sl_probe *p);	/* crowd.c */
void ck_probe_silent(struct ck *c, struct sl_probe *p);	/* rude.c */
void ck_probe_close_early(struct ck *c, struct sl_probe *p);
void ck_probe_reset(struct ck *c, struct sl_probe *p);

/* ---- run.c ---- */
/* A plain exchange after a probe: does the server still answer a new
 * client?  1 yes; 0 no, with the server's end (or its silence) told in
 * p and c->gone set when it ended. */
int ck_still_serves(struct ck *c, struct sl_probe *p);

#endif
