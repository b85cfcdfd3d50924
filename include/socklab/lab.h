/*
 * lab.h - the whole exercise: a capture, a server and a client as their own
 * processes, the socket table sampled as it changes, and one time line
 * that holds every observation.  lib/lab runs it; lib/report renders the
 * result (text, JSON, HTML with an SVG flow diagram, JPEG images).
 *
 * Contract: lib/lab never prints; it hands each narrated line to the
 * caller's callback as it happens, and fills struct sl_lab.  Every step is
 * verified from what the kernel, the processes and the capture showed,
 * never assumed.
 */
#ifndef SOCKLAB_LAB_H
#define SOCKLAB_LAB_H

#include <stdint.h>
#include <sys/types.h>

#include "socklab/net.h"
#include "socklab/util.h"

enum sl_lab_step_id {
	SL_STEP_CAPTURE,	/* 1: capture on lo with the display filter */
	SL_STEP_SERVER,		/* 2: the server process listens */
	SL_STEP_LISTEN,		/* 3: LISTEN row with the server's pid */
	SL_STEP_ESTABLISHED,	/* 4: both ends ESTABLISHED */
	SL_STEP_MESSAGE,	/* 5: NAME received, Hello, NAME! replied */
	SL_STEP_PACKET,		/* 6: the packet carrying NAME, re-read from the pcap */
	SL_STEP_COUNT
};

enum sl_step_status { SL_STEP_PENDING, SL_STEP_OK, SL_STEP_FAILED, SL_STEP_SKIPPED };

struct sl_lab_step {
	enum sl_step_status status;
	const char *key;	/* "listening" … (file names: NAME_listening.txt) */
	const char *title;	/* "The server listens" */
	const char *classic;	/* the classic command that shows the same */
	const char *lesson;	/* a short explanation a student can learn from */
	struct sl_buf text;	/* the terminal text of the step (its .txt file) */
	char why[512];		/* what failed or why it was skipped */
	int64_t t_ns;		/* when it finished (CLOCK_REALTIME ns) */
	char classic_text[512];	/* storage behind classic */
};

enum sl_tl_kind {
	SL_TL_STEP,		/* a step finished: text = its title */
	SL_TL_PROCESS,		/* a process started or exited: text */
	SL_TL_SOCKET,		/* a socket appeared, changed state or went */
	SL_TL_PACKET,		/* a captured packet */
};

#define SL_TL_TEXT 160

struct sl_tl_event {
	int64_t t_ns;		/* CLOCK_REALTIME ns (packets: capture time) */
	enum sl_tl_kind kind;
	char text[SL_TL_TEXT];	/* escaped, printable; a one-line summary */
	/* SL_TL_SOCKET */
	int state, prev_state;	/* SL_TCP_*; 0 = none (new / gone) */
	char local[SL_ADDRSTRLEN], remote[SL_ADDRSTRLEN];
	int pid;
	char program[64];
	int owner;		/* 0 server side, 1 client side, -1 other */
	/* SL_TL_PACKET */
	uint32_t frame;		/* frame number in NAME_packet.pcap */
	int from_client;	/* direction: client -> server */
	unsigned flags;		/* TCP flags byte (FIN 1, SYN 2, RST 4, PSH 8, ACK 16) */
	uint32_t seq, ack;	/* relative, as tshark shows them */
	uint32_t len;		/* TCP payload length */
	uint32_t wire_len;	/* frame length */
	int carries_name;	/* the payload is NAME + newline */
	int carries_reply;	/* the payload is the server's reply */
	int udp;		/* a UDP socket or datagram (lab -u) */
};

struct sl_timeline {
	struct sl_tl_event *v;
	size_t n, cap;
};

struct sl_lab;

struct sl_lab_opts {
	const char *name;	/* NAME (default: login name) */
	const char *out_dir;	/* default "evidence" */
	uint16_t port;		/* 0: first free port above 59000 */
	int family;		/* AF_INET (default) or AF_INET6 (-6) */
	int no_capture;		/* --no-capture: skip step 1 and 6 on purpose */
	int no_images;		/* --no-images */
	const char *exe;	/* this program, to start server and client */
	const char *code;	/* NAME_code.txt: the server and client sources */
	size_t code_len;
	/* the student's own programs (--server, --client): shell commands;
	 * the code handed in is code_files (--code), else the files the
	 * commands name */
	const char *server_cmd, *client_cmd;
	const char *const *code_files;
	size_t ncode_files;
	double timeout_s;	/* --timeout: the bound of each wait (0: 10 s;
				 * --watch: 0 waits until stopped) */
	int watch;		/* --watch: the student runs the programs */
	int udp;		/* -u: socklab's server and client over UDP */
	int stop_fd;		/* readable: stop now, keep what was seen;
				 * -1 none (0 is taken as none too) */
	/* a step just finished (its file can be written at once) */
	void (*on_step)(const struct sl_lab *lab, int id, void *arg);
	/* narration: each line as it happens (no newline) */
	void (*say)(const char *line, void *arg);
	void *arg;
};

/* Something the run found that the student should know, beside the steps:
 * against the assignment (a port at or below 59000), a risk (a server
 * reachable from the network), or a fact seen only in one place. */
enum sl_note_level { SL_NOTE_INFO, SL_NOTE_WARN };
#define SL_LAB_NOTES 16
#define SL_NOTE_TEXT 400

struct sl_lab_note {
	enum sl_note_level level;
	char text[SL_NOTE_TEXT];
};

/* Where NAME's bytes travelled: the frames that carry them. */
#define SL_NAME_FRAMES 8

struct sl_lab {
	struct sl_lab_opts o;
	int programs;			/* the student's programs run */
	struct sl_lab_step steps[SL_STEP_COUNT];
	struct sl_timeline tl;
	int64_t t0_ns;			/* start of the run */
	uint16_t port;
	char server_addr[SL_ADDRSTRLEN];	/* "127.0.0.1:59001" */
	char client_addr[SL_ADDRSTRLEN];	/* the client's end */
	pid_t server_pid, client_pid;
	char filter[64];		/* "ip.addr==127.0.0.1" */
	char bpf[96];			/* the capture filter used */
	struct sl_buf received;		/* the server's log line for the name */
	struct sl_buf reply;		/* the reply the client printed (escaped) */
	uint32_t packets;		/* frames in the pcap */
	uint32_t name_frame;		/* frame carrying NAME, 0 if none */
	uint32_t name_frames[SL_NAME_FRAMES];	/* every frame with a part of
						 * it (split segments) */
	size_t nname_frames;
	struct sl_lab_note notes[SL_LAB_NOTES];
	size_t nnotes;
	char server_program[64];	/* the listener's program ("python3") */
	char client_program[64];
	/* --watch: the programs' command lines and folders, read from the
	 * kernel (for NAME_code.txt); else the --server/--client commands */
	char server_cmdline[512], client_cmdline[512];
	char server_cwd[512], client_cwd[512];
	struct sl_buf outputs;		/* what the programs printed, escaped */
	struct sl_buf code;		/* NAME_code.txt when the run made it */
	char pcap_path[4096];
	struct sl_buf packet_tree;	/* -V tree of the NAME packet */
	int capture_skipped;
	int exit_status;		/* 0 all verified, 1 otherwise */
};

/* lab.c */
void sl_lab_init(struct sl_lab *lab, const struct sl_lab_opts *o);
/* Runs every step in order and fills lab: lab->exit_status is 0 when
 * every step was verified (or skipped on purpose), 1 otherwise.  Returns
 * 0 once the steps ran (whatever they found), or a negative code with e
 * filled when the run could not start (the --out folder cannot be made,
 * no free port). */
int sl_lab_run(struct sl_lab *lab, struct sl_err *e);
/* The bundle's file name for suffix ("_packet.pcap"): NAME as UTF-8 text
 * (letters of any script kept) with '/', controls, bidi controls, bytes
 * that are not UTF-8 and leading dots each turned into '_', cut on a
 * character boundary to at most 200 bytes and to what fits in outlen with
 * the whole suffix, then suffix. */
void sl_lab_file_name(const struct sl_lab *lab, const char *suffix,
		      char *out, size_t outlen);
void sl_lab_release(struct sl_lab *lab);
/* Adds a note (printf words; at most SL_LAB_NOTES are kept). */
void sl_lab_note(struct sl_lab *lab, enum sl_note_level level,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* timeline.c */
int sl_timeline_add(struct sl_timeline *tl, const struct sl_tl_event *ev);
/* Orders by time (stable). */
void sl_timeline_sort(struct sl_timeline *tl);
void sl_timeline_release(struct sl_timeline *tl);

#endif
