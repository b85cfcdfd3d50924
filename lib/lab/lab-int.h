/* lab-int.h - what the files of lib/lab share */
#ifndef SOCKLAB_LAB_INT_H
#define SOCKLAB_LAB_INT_H

#include "socklab/capture.h"
#include "socklab/dfilter.h"
#include "socklab/diag.h"
#include "socklab/dissect.h"
#include "socklab/lab.h"
#include "socklab/render.h"
#include "proc.h"

/* the live capture, written to NAME_packet.pcap as it goes */
struct labcap {
	struct sl_capture *cap;
	struct sl_sink *sink;
	struct sl_dfilter *df;
	struct sl_stream_table *streams;
	struct sl_packet *pkt;
	uint32_t frames, shown;
	int64_t first_ns, prev_ns;
	int ts_digits;
	int write_failed;
	struct sl_err err;
};

/* the socket table, sampled as it changes */
struct sampler {
	struct sl_sock_list now;
	struct sl_sock_list before;	/* left from earlier runs: not this lab's */
	int started;
	uint64_t last_ms;
	unsigned families;
};

/* packets.c */
int labcap_open(struct sl_lab *lab, struct labcap *lc, struct sl_err *e);
void labcap_pump(struct sl_lab *lab, struct labcap *lc);
int labcap_finish(struct sl_lab *lab, struct labcap *lc, struct sl_err *e);
void labcap_release(struct labcap *lc);
/* Re-reads the pcap: 0 when it holds the same frames and the NAME packet. */
int labcap_verify_file(struct sl_lab *lab, struct sl_buf *summary,
		       struct sl_err *e);
/* A packet's time line event from its dissected fields. */
void labcap_event(struct sl_lab *lab, const struct sl_packet *p,
		  struct sl_tl_event *ev);

/* sample.c */
void sampler_init(struct sampler *s, unsigned families);
/* Lists the lab's port now; records every change on the time line. */
int sampler_tick(struct sl_lab *lab, struct sampler *s);
void sampler_release(struct sampler *s);
/* The current rows as `socklab sockets -p --port P` prints them. */
int sampler_table(const struct sampler *s, struct sl_buf *out);

/* events.c: the server's --json lines, as they arrive */
struct srv_view {
	size_t used;			/* bytes of its stdout read */
	struct sl_srv_record rec;
	int listening, stopped;
	int failed;			/* its FAILED record's error, 0 none */
	char fail_msg[SL_ERR_MSG];	/* and its words */
	unsigned received;		/* RECEIVED records */
	struct sl_buf name;		/* the first one's name, raw bytes */
	char name_peer[SL_ADDRSTRLEN];	/* and who sent it */
	struct sl_buf name_line;	/* and its log line */
	struct sl_buf text;		/* the log `socklab server` prints */
	struct sl_buf junk;		/* lines that were no record, escaped */
};

/* the client's --json records */
struct cli_view {
	size_t used;
	struct sl_client_record rec;
	unsigned replies;
	struct sl_buf reply;		/* the first reply line, raw bytes */
	struct sl_buf text;		/* what `socklab client` prints */
	struct sl_buf junk;
};

void srv_view_init(struct srv_view *v);
void srv_view_pump(struct srv_view *v, const struct sl_buf *out);
void srv_view_release(struct srv_view *v);
void cli_view_init(struct cli_view *v);
void cli_view_pump(struct cli_view *v, const struct sl_buf *out);
void cli_view_release(struct cli_view *v);

/* One run of the steps: the children, the capture and the socket table
 * that every wait pumps. */
struct run {
	struct sl_lab *lab;
	struct child srv, cli;
	struct srv_view sv;
	struct cli_view cv;
	struct labcap cap;
	int capturing;
	struct sampler smp;
	char port_text[8];
	char host[SL_ADDRSTRLEN];
};

/* wait.c: every wait pumps the children, the capture and the socket
 * table, so nothing is missed while a step waits */
void run_pump(struct run *r, int timeout_ms);
/* Pumps until cond holds (1) or ms passed (0). */
int run_wait(struct run *r, int (*cond)(struct run *), int ms);

/* steps.c: one function per step; 0 when verified */
int step_capture(struct run *r);
int step_server(struct run *r);
int step_listen(struct run *r);
int step_established(struct run *r);
int step_message(struct run *r);
int step_packet(struct run *r);
/* Marks the step finished (verified, failed, skipped) with its reason;
 * returns 0 when verified, else -1. */
int step_end(struct sl_lab *lab, int id, enum sl_step_status st,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* lab.c */
int64_t lab_now_ns(void);
void lab_say(struct sl_lab *lab, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A process event on the time line, now. */
void lab_event(struct sl_lab *lab, enum sl_tl_kind kind, const char *text);

#endif
