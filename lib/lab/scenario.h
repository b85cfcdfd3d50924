/* scenario.h - what the scenarios share: each is a table entry (scen-*.c)
 * whose run() makes the failure happen with real sockets of this process,
 * on the loopback of a network namespace of its own when it may have one,
 * while the lab's capture and socket sampler watch; scenario.c turns what
 * it found into the steps symptom, states, packets, diagnosis, fix. */
#ifndef SOCKLAB_LAB_SCENARIO_H
#define SOCKLAB_LAB_SCENARIO_H

#include <errno.h>

#include "lab-int.h"

enum { SC_SYMPTOM = 1, SC_STATES, SC_PACKETS, SC_DIAGNOSIS, SC_FIX };

#define SCEN_FDS 16

struct scen;

struct scen_def {
	const char *name;		/* "timewait" */
	const char *about;		/* one line for --help */
	const char *classic[SL_STEP_COUNT];	/* %u: the port */
	const char *lesson[SL_STEP_COUNT];
	/* makes the failure happen, then the fix; fills the symptom, states
	 * and fix steps' texts and results */
	void (*run)(struct scen *s);
	/* after the capture: a word on a frame worth one (NULL: none), and
	 * the packets step's and the diagnosis' results */
	const char *(*mark)(struct scen *s, const struct sl_tl_event *ev,
			    char *buf, size_t n);
	void (*conclude)(struct scen *s);
	/* the kernel timer that sets the pace, for the docs; NULL none */
	const char *paced;
	int two_ports;			/* the fix needs the next port too */
};

struct scen {
	struct run *r;
	struct sl_lab *lab;
	const struct scen_def *def;
	uint16_t port;
	int netns;			/* a namespace of its own */
	int fds[SCEN_FDS];
	size_t nfds;
	int done[SL_STEP_COUNT];	/* a result was given */
	enum sl_step_status st[SL_STEP_COUNT];
	char why[SL_STEP_COUNT][512];
	/* what a scenario keeps between run and its marks (its own use) */
	int64_t t[8];
	uint32_t frame[8];
	uint16_t ports[8];
	int count[4];
};

/* A TCP socket of the scenario's (non-blocking, closed at the end), or
 * -errno. */
int scen_socket(struct scen *s, int family);
/* A listener on the loopback of family at the scenario's port; reuse
 * sets SO_REUSEADDR first, rcvbuf > 0 sets SO_RCVBUF.  fd or -errno. */
int scen_listen(struct scen *s, int family, int backlog, int reuse,
		int rcvbuf);
/* Starts a connection to the port on family's loopback: fd, with *rc 0
 * (connected), -EINPROGRESS, or the failure. */
int scen_connect(struct scen *s, int family, int *rc);
/* Waits (watching) until a connection started completes: 0, or its
 * -errno, -ETIMEDOUT after ms. */
int scen_connected(struct scen *s, int fd, int ms);
/* Waits until fd is readable (or ms passed): 1 readable, 0 not. */
int scen_readable(struct scen *s, int fd, int ms);
/* Keeps the capture and the sampler going for ms. */
void scen_watch(struct scen *s, int ms);
void scen_close(struct scen *s, int fd);
/* An accepted connection, waited for (ms): fd or -errno. */
int scen_accept(struct scen *s, int lfd, int ms);

/* Appends to a step's text. */
void scen_text(struct scen *s, int id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "$ socklab sockets -p --port P" and the table now, to a step's text. */
void scen_table(struct scen *s, int id);
/* The same for another port (not on the time line). */
void scen_table_port(struct scen *s, int id, uint16_t port);
/* A listener on port (else as scen_listen). */
int scen_listen_at(struct scen *s, int family, uint16_t port, int backlog,
		   int reuse, int rcvbuf);
int scen_connect_at(struct scen *s, int family, uint16_t port, int *rc);
/* A step's result (kept until the steps are shown in order); ok 1
 * verified, 0 failed. */
void scen_result(struct scen *s, int id, int ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* "127.0.0.1:59001", "[::1]:59001" */
void scen_addr(const struct scen *s, int family, char *out, size_t n);
/* An errno's name and words: "ECONNREFUSED (Connection refused)". */
const char *scen_errno(int err, char *out, size_t n);
/* The time line's packets, in order: the i-th from from on, or NULL. */
const struct sl_tl_event *scen_packet(const struct scen *s, size_t *from);

extern const struct scen_def scen_refused, scen_ipv6, scen_timewait,
	scen_backlog, scen_rst, scen_zerowin, scen_partial, scen_halfclose;

#endif
