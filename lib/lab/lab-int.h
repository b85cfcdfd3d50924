/* lab-int.h - what the files of lib/lab share */
#ifndef SOCKLAB_LAB_INT_H
#define SOCKLAB_LAB_INT_H

#include "socklab/bytestream.h"
#include "socklab/capture.h"
#include "socklab/dfilter.h"
#include "socklab/diag.h"
#include "socklab/dissect.h"
#include "socklab/lab.h"
#include "socklab/netns.h"
#include "socklab/render.h"
#include "proc.h"

/* the live capture, written to NAME_packet.pcapng as it goes */
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
	struct sl_bytestreams sent;	/* client to server, as captured */
	struct sl_bytestreams answered;	/* server to client */
};

/* the socket table, sampled as it changes */
struct sampler {
	const struct sl_hosts *hosts;	/* both hosts' tables, or NULL */
	size_t split;			/* now's rows from the first host */
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
/* Every frame of the pcap as capture -r prints it, into summary. */
int labcap_read_summary(struct sl_lab *lab, struct sl_buf *summary,
			struct sl_err *e);
/* Finds NAME in what the clients sent: lab->name_frames, and the time
 * line's marks. */
void labcap_name_frames(struct sl_lab *lab, const struct sl_bytestreams *sent);
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
	/* --hosts 2: the server's and the client's host */
	const struct sl_hosts *hosts;
	char bind[SL_ADDRSTRLEN];	/* the server's -b, "" none */
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

/* classic.c: the real netstat's (or else ss's) view of the port now,
 * under its own command line, appended to out; nothing when neither is
 * installed.  still: the sockets cannot have changed since socklab read
 * them (the client is held or waits on the lab). */
void lab_classic_view(struct run *r, struct sl_buf *out, int still);

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

/* hosts.c: --hosts 2 */
int lab_run_hosts(struct run *r, struct sl_err *e);
/* Into host i's namespace (-1: back); nothing without hosts. */
void lab_host_enter(const struct run *r, int i);
/* Each host's table, under its own prompt. */
void lab_hosts_tables(struct run *r, struct sl_buf *out);
/* sample.c: host i's rows of the current table. */
int sampler_table_host(const struct sampler *s, int i, struct sl_buf *out);

/* lab.c */
/* Steps that could not run are skipped; the packet step runs. */
void lab_finish_steps(struct run *r);
/* The first free loopback port from from on (or -p's): lab->port. */
int lab_choose_port(struct sl_lab *lab, unsigned from, struct sl_err *e);
int lab_make_dir(const char *dir, struct sl_err *e);
void lab_make_run_id(struct sl_lab *lab);
void lab_init_run(struct run *r, struct sl_lab *lab);
void lab_release_run(struct run *r);
/* lab->pcap_path: NAME_packet.pcapng in the --out folder. */
void lab_set_pcap_path(struct sl_lab *lab);
/* Everything that names the port, once it is known. */
void lab_set_port(struct run *r);
int64_t lab_now_ns(void);
void lab_say(struct sl_lab *lab, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A process event on the time line, now. */
void lab_event(struct sl_lab *lab, enum sl_tl_kind kind, const char *text);

#endif
