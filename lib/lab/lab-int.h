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

/* stream.c: what each client sent, in stream order */
#define LAB_STREAMS 8			/* connections followed */
#define LAB_STREAM_MAX 65536		/* bytes kept of each */
#define LAB_STREAM_SEGS 256		/* segments remembered of each */

struct lab_seg {
	uint32_t frame, off, len;
};

struct lab_stream {
	uint32_t index;			/* tcp.stream */
	struct sl_buf data;		/* the bytes, at their stream offset */
	uint64_t bytes;			/* sent in all (past the bound too) */
	struct lab_seg segs[LAB_STREAM_SEGS];
	size_t nsegs;
};

struct lab_streams {
	struct lab_stream v[LAB_STREAMS];
	size_t n;
};

void lab_streams_init(struct lab_streams *s);
void lab_streams_release(struct lab_streams *s);
/* A segment's payload p (n bytes) at relative sequence number seq. */
void lab_streams_add(struct lab_streams *s, uint32_t index, uint32_t frame,
		     uint32_t seq, const uint8_t *p, uint32_t n);
/* The stream whose bytes hold name, and the frames that carry them; NULL
 * when none does. */
const struct lab_stream *lab_streams_find(const struct lab_streams *s,
					  const char *name, size_t n,
					  uint32_t *frames, size_t *nframes,
					  size_t max);

/* the live capture, written to NAME_packet.pcap as it goes */
struct labcap {
	struct sl_capture *cap;
	struct sl_sink *sink;
	struct sl_dfilter *df;
	struct sl_stream_table *streams;
	struct sl_packet *pkt;
	struct sl_packet *probe;	/* a frame's ports, before it counts */
	struct sl_frame_seq frames;	/* numbers the packets seen */
	uint32_t shown;
	int ts_digits;
	int write_failed;
	struct sl_err err;
	struct lab_streams sent;	/* client to server, as captured */
	struct lab_streams answered;	/* server to client */
};

/* the socket table, sampled as it changes */
struct sampler {
	struct sl_sock_list now;
	struct sl_sock_list before;	/* left from earlier runs: not this lab's */
	int started;
	uint64_t last_ms;
	unsigned every_ms;		/* the least time between two reads */
	unsigned families;
};

/* packets.c */
int labcap_open(struct sl_lab *lab, struct labcap *lc, struct sl_err *e);
/* The port is known (a student's server listens): from now on only its
 * conversations are kept, and the kernel filter says so too. */
int labcap_follow_port(struct sl_lab *lab, struct labcap *lc,
		       struct sl_err *e);
void labcap_pump(struct sl_lab *lab, struct labcap *lc);
int labcap_finish(struct sl_lab *lab, struct labcap *lc, struct sl_err *e);
void labcap_release(struct labcap *lc);
/* Re-reads the pcap: 0 when it holds the same frames and the NAME packet. */
int labcap_verify_file(struct sl_lab *lab, struct sl_buf *summary,
		       struct sl_err *e);
/* Finds NAME in what the clients sent: lab->name_frames, and the time
 * line's marks. */
void labcap_name_frames(struct sl_lab *lab, const struct lab_streams *sent);
/* A packet's time line event from its dissected fields. */
void labcap_event(struct sl_lab *lab, const struct sl_packet *p,
		  struct sl_tl_event *ev);

/* sample.c */
void sampler_init(struct sampler *s, unsigned families);
/* Lists the lab's port now (at most every every_ms; nothing while the
 * port is unknown); records every change on the time line. */
int sampler_tick(struct sl_lab *lab, struct sampler *s);
/* The same, now, however soon after the last. */
int sampler_force(struct sl_lab *lab, struct sampler *s);
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
	/* the student's programs */
	struct sl_sock listener;	/* their server's LISTEN socket */
	uint64_t last_find_ms;
	struct sockaddr_storage bind_tried;	/* the server's last bind() */
	struct sockaddr_storage connect_tried;	/* the client's connect() */
	struct sl_buf estab_text;	/* the table while both ends were
					 * ESTABLISHED, taken at that moment */
	struct sl_buf estab_early;	/* the same before the server accepted */
	int estab_held;			/* while the client waited in a call */
	/* --watch */
	int stopped;			/* the stop fd fired (Ctrl-C) */
	struct sl_sock_list seen;	/* listeners there before */
	int seen_at_start, told_low;
};

#define LAB_TREE_MAX 64			/* processes of one command */
#define LAB_INODES_MAX 1024		/* sockets they hold */

/* wait.c: every wait pumps the children, the capture and the socket
 * table, so nothing is missed while a step waits */
void run_pump(struct run *r, int timeout_ms);
/* Pumps until cond holds (1) or ms passed (0). */
int run_wait(struct run *r, int (*cond)(struct run *), int ms);

/* student.c: the steps around the student's own programs */
int step_server_program(struct run *r);
int step_established_program(struct run *r);
int step_message_program(struct run *r);
/* Takes every socket call the programs are held in, and lets it go on. */
void run_held_calls(struct run *r);

/* programs.c: what the student's programs are and did */
/* Both ends of the connection to the port ESTABLISHED in the table just
 * read (the client's end held by its processes); fills client_addr.  2
 * when the server has accepted it already, 1 when not yet, 0 none. */
int established_pair(struct run *r);
/* What a program printed (its command line, stdout, stderr), escaped,
 * into lab->outputs: the server's, and the client's once it started. */
void lab_collect_outputs(struct run *r);
void lab_stop_programs(struct run *r);
/* The program pid runs ("python3"), from the kernel; "" when gone. */
void lab_comm(pid_t pid, char *out, size_t outlen);
/* What the deepest process of root's tree waits for: "python3 (pid 42):
 * it is blocked in accept(), …". */
void lab_program_waits(pid_t root, char *out, size_t n);
/* The listener's address and port against the assignment, as notes. */
void lab_judge_listener(struct sl_lab *lab, const struct sl_sock *s);
/* Bound to every address (0.0.0.0 or ::). */
int lab_any_address(const struct sl_sock *s);
/* The handshake on the time line (frames SYN, SYN-ACK, ACK into f). */
int lab_handshake(const struct sl_lab *lab, uint32_t f[3]);
/* The handshake, then the end of the connection (FINs or a reset). */
int lab_handshake_closed(const struct sl_lab *lab);
/* Step 4 verified from the handshake alone (frames hs), said so. */
int established_in_packets(struct run *r, const uint32_t hs[3]);
/* NAME is in what the capture saw a client send. */
int lab_name_sent(struct run *r);
/* A condition that never holds: run_wait for a time. */
int lab_no_wait(struct run *r);
/* NAME_code.txt of the programs: their files, hashed and numbered. */
int lab_collect_code(struct sl_lab *lab, struct sl_err *e);

/* waiting.c */
const char *lab_exit_words(int status);
/* What pid waits for, in words ("it is blocked in accept(), …"). */
void lab_blocked_in(pid_t pid, char *out, size_t n);

/* watch.c: the steps while the student runs the programs by hand */
int step_server_watch(struct run *r);
int step_established_watch(struct run *r);
int step_message_watch(struct run *r);

/* steps.c: step 4 begun: socklab's client started with argv, its
 * command line (-i, note in brackets) the step's first text line; 0, or
 * the step's failure. */
int lab_start_client(struct run *r, char *argv[], const char *note);
/* udp.c: step 4 over UDP (-u) */
int step_established_udp(struct run *r);
/* The rows of the table just read that are the server's (0) or the
 * client's (1) socket of the given state; NULL when none. */
const struct sl_sock *lab_find_row(const struct run *r, int state,
				   pid_t pid, int client_end);

/* steps.c: one function per step; 0 when verified */
/* Both FINs and the ACK of the second on the time line. */
int lab_conversation_closed(struct run *r);
void step_begin(struct sl_lab *lab, int id);
/* Shows the step's text from byte from on, indented, as it is written. */
void step_show(struct sl_lab *lab, int id, size_t from);
/* "$ socklab sockets -p --port P" and the table just read, into out. */
void sockets_table_text(struct run *r, struct sl_buf *out);
/* The same into step id's text, shown as it is written. */
void sockets_text(struct run *r, int id);
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
/* Everything that names the port, once it is known. */
void lab_set_port(struct run *r);
int64_t lab_now_ns(void);
void lab_say(struct sl_lab *lab, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A process event on the time line, now. */
void lab_event(struct sl_lab *lab, enum sl_tl_kind kind, const char *text);

#endif
