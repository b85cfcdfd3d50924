/*
 * diag.h - the kernel's socket table: TCP and UDP sockets over IPv4 and
 * IPv6, read through netlink sock_diag (libmnl) or, when netlink is
 * refused, from /proc/net/{tcp,tcp6,udp,udp6}; and their owning processes
 * from /proc/PID/fd.
 *
 * Contract: one dump per protocol and family, or for TCP over both
 * families one dump (one walk of the kernel's table, IPv4 rows still
 * before IPv6 ones); no per-socket system call; the state filter is pushed
 * into the netlink request, the port filter is applied to decoded rows.
 * Owners are found in one walk of /proc; a process that vanishes or
 * denies access mid-walk is skipped quietly.
 */
#ifndef SOCKLAB_DIAG_H
#define SOCKLAB_DIAG_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>

#include "socklab/net.h"
#include "socklab/util.h"

/* Kernel TCP state numbers (include/net/tcp_states.h). */
enum sl_tcp_state {
	SL_TCP_ESTABLISHED = 1,
	SL_TCP_SYN_SENT,
	SL_TCP_SYN_RECV,
	SL_TCP_FIN_WAIT1,
	SL_TCP_FIN_WAIT2,
	SL_TCP_TIME_WAIT,
	SL_TCP_CLOSE,
	SL_TCP_CLOSE_WAIT,
	SL_TCP_LAST_ACK,
	SL_TCP_LISTEN,
	SL_TCP_CLOSING,
	SL_TCP_NEW_SYN_RECV,
	SL_TCP_MAX_STATES
};
#define SL_STATES_ALL 0xffffffffu
#define SL_STATE_BIT(s) (1u << (s))

enum { SL_DIAG_TCP = 1, SL_DIAG_UDP = 2 };
enum { SL_DIAG_V4 = 1, SL_DIAG_V6 = 2 };
enum sl_diag_source { SL_SRC_AUTO, SL_SRC_NETLINK, SL_SRC_PROC };

#define SL_PROGRAM_MAX 64

struct sl_sock {
	int proto;			/* IPPROTO_TCP or IPPROTO_UDP */
	int state;			/* enum sl_tcp_state (UDP: CLOSE / ESTABLISHED) */
	struct sl_endpoint local;
	struct sl_endpoint remote;
	uint32_t uid;
	uint64_t inode;			/* 0 for TIME_WAIT and other ownerless sockets */
	uint32_t rqueue;		/* LISTEN: connections waiting in accept queue */
	uint32_t wqueue;		/* LISTEN: the backlog */
	uint32_t expires_ms;		/* timer left (TIME_WAIT), 0 when none */
	int pid;			/* owner; 0 when unknown or hidden */
	char program[SL_PROGRAM_MAX];	/* owner's comm, "" when unknown */
};

struct sl_sock_list {
	struct sl_sock *v;
	size_t n;
	size_t cap;
};

struct sl_diag_query {
	unsigned protos;		/* SL_DIAG_TCP | SL_DIAG_UDP */
	unsigned families;		/* SL_DIAG_V4 | SL_DIAG_V6 */
	uint32_t states;		/* SL_STATE_BIT mask; SL_STATES_ALL for all */
	uint16_t port;			/* either end; 0 for any */
	enum sl_diag_source source;
};

void sl_sock_list_init(struct sl_sock_list *l);
void sl_sock_list_release(struct sl_sock_list *l);

/* Appends the matching sockets to out (nothing on failure). */
int sl_diag_list(const struct sl_diag_query *q, struct sl_sock_list *out,
		 struct sl_err *e);
/* Takes one row; s lives only during the call.  0, or < 0 to stop. */
typedef int (*sl_sock_fn)(const struct sl_sock *s, void *arg);
/* The same rows in the same order, handed to fn one at a time as they are
 * decoded, so no table is held: for listings that need each row once.
 * Returns the number of rows, or < 0 with words in e: fn's own negative
 * return, or the table's failure (rows already handed on stay handed on;
 * /proc/net is read instead of netlink only while none was). */
int sl_diag_each(const struct sl_diag_query *q, sl_sock_fn fn, void *arg,
		 struct sl_err *e);
/* Fills pid/program of every row whose inode an accessible process holds. */
int sl_diag_owners(struct sl_sock_list *l, struct sl_err *e);

/* "LISTEN", "ESTABLISHED", "FIN_WAIT1" ... as netstat prints them. */
const char *sl_tcp_state_name(int state);
/* Inverse, case-insensitive; -1 when unknown. */
int sl_tcp_state_value(const char *name);

/* ---- additions for `socklab sockets` (state.c, fmt.c, sockdiag.c,
 * procnet.c, diff.c, holder.c) ----
 *
 * A query whose protos, families or states is 0 means "all" of that kind
 * (TCP when protos is 0).  sl_diag_owners returns the number of rows it
 * found an owner for.  UDP sockets carry the kernel's states: CLOSE when
 * unconnected (printed "UNCONN", as ss does), ESTABLISHED when connected. */

/* Appends a copy of s; 0 or -ENOMEM. */
int sl_sock_list_push(struct sl_sock_list *l, const struct sl_sock *s);
/* 1 when s passes q's protocol, family, state and port (either end) tests. */
int sl_diag_match(const struct sl_diag_query *q, const struct sl_sock *s);

/* The state as socklab prints it: sl_tcp_state_name, but "UNCONN" for an
 * unconnected UDP socket and "SYN_RECV" for a request socket. */
const char *sl_sock_state_name(const struct sl_sock *s);
/* "tcp", "tcp6", "udp", "udp6" as netstat's Proto column. */
const char *sl_sock_proto_name(const struct sl_sock *s);
/* "127.0.0.1:59001", "[::1]:59001"; port 0 prints as "*" ("0.0.0.0:*").
 * Returns the length (snprintf-like); out holds at least SL_ADDRSTRLEN. */
int sl_sock_addr_format(const struct sl_endpoint *ep, char *out,
			size_t outlen);
/* One NDJSON object (with its newline): the keys proto local remote state
 * pid program uid inode; pid and program are null when unknown. */
int sl_sock_json(struct sl_buf *b, const struct sl_sock *s);

/* ---- pure decoders (fixtures and fuzzers drive them directly) ---- */
enum { SL_SOCKDIAG_DONE = 0, SL_SOCKDIAG_MORE = 1 };
/* Decodes one recv() worth of a sock_diag dump reply for proto (buf must
 * be 4-byte aligned; rows of a v2 or a TCPDIAG_GETSOCK dump).  Rows that
 * pass q are appended to out.  Returns SL_SOCKDIAG_MORE when the dump
 * goes on, SL_SOCKDIAG_DONE at NLMSG_DONE, or the kernel's negative errno
 * from an NLMSG_ERROR (-ENOMEM too). */
int sl_sockdiag_decode(const void *buf, size_t len, int proto,
		       const struct sl_diag_query *q, struct sl_sock_list *out);
/* Parses the text of /proc/net/{tcp,tcp6,udp,udp6} (proto IPPROTO_TCP or
 * IPPROTO_UDP; the family comes from each address's width).  The header
 * and malformed lines are skipped.  Returns rows appended or -ENOMEM. */
int sl_procnet_parse(const char *text, size_t len, int proto,
		     const struct sl_diag_query *q, struct sl_sock_list *out);

/* ---- changes between two snapshots (diff.c), for --watch ---- */
enum sl_sock_change { SL_CHG_SAME, SL_CHG_NEW, SL_CHG_STATE, SL_CHG_GONE };

struct sl_sock_pair {
	enum sl_sock_change change;
	const struct sl_sock *old;	/* NULL for SL_CHG_NEW */
	struct sl_sock *cur;		/* NULL for SL_CHG_GONE */
};

/* Sorts by protocol, then local and remote address (stable for diffs). */
void sl_sock_list_sort(struct sl_sock_list *l);
/* Pairs the rows of two sorted snapshots: a socket is the same when its
 * protocol, local and remote address match (the inode breaks ties), so a
 * connection going ESTABLISHED -> FIN_WAIT1 -> TIME_WAIT is one socket
 * changing state.  *pairs (freed by the caller) lists every row of both;
 * returns the number of pairs or -ENOMEM. */
int sl_sock_diff(const struct sl_sock_list *old, struct sl_sock_list *cur,
		 struct sl_sock_pair **pairs);

/* ---- who holds a port (holder.c), for the server's EADDRINUSE message
 * and the client's "refused" advice (users.md item 3) ---- */

/* Looks up the TCP sockets whose local port is port (family_mask:
 * SL_DIAG_V4 | SL_DIAG_V6, 0 for both) and their owners, and appends the
 * clause that names them, e.g. "port 59001 is in use by pid 4242
 * (python3), LISTEN on 0.0.0.0:59001 — stop it (kill 4242) or use
 * -p 59002, or -p 0 for any free port".  Returns the number of sockets
 * holding the port (0: none found, nothing appended) or a negative errno. */
int sl_diag_describe_port(uint16_t port, int family_mask, struct sl_buf *out);
/* The same clause from a list already read (pure); self_uid is the
 * caller's effective uid (0 sees every owner). */
int sl_diag_describe_holders(const struct sl_sock_list *l, uint16_t port,
			     uint32_t self_uid, struct sl_buf *out);

/* ---- the processes of a command (proctree.c): how the lab and socklab
 * check find a student's program and its sockets by its pids, without
 * knowing its port ---- */
/* Room enough for the pids of one command's tree. */
#define SL_PROC_TREE_MAX 256
/* root and every descendant of it, at most max, root first; returns how
 * many (0 when root is gone; a zombie not yet reaped is still there). */
size_t sl_proc_tree(pid_t root, pid_t *out, size_t max);
/* The inodes of the sockets those processes hold open (duplicates when
 * two share one), at most max; processes one may not read give none. */
size_t sl_proc_socket_inodes(const pid_t *pids, size_t npids, uint64_t *out,
			     size_t max);
/* The parent pid and process group in the text of a /proc/PID/stat
 * (pure: comm, the process's own choice, may hold spaces and
 * parentheses).  0 or -EINVAL. */
int sl_proc_stat_parse(const char *text, size_t n, int *ppid, int *pgrp);
/* Appends to out the sockets matching q that root's tree holds, each with
 * the pid and program of the tree's process that holds it (the first in
 * sl_proc_tree's order).  Returns the rows appended (0 when the tree is
 * gone or holds none), or -errno with words in e (out is left as it was). */
int sl_diag_list_tree(const struct sl_diag_query *q, pid_t root,
		      struct sl_sock_list *out, struct sl_err *e);

#endif
