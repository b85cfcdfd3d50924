/*
 * diag.h - the kernel's socket table: TCP and UDP sockets over IPv4 and
 * IPv6 and unix sockets, read through netlink sock_diag (libmnl) or, when
 * netlink is refused, from /proc/net/{tcp,tcp6,udp,udp6,unix}, with
 * tcp_info, skmem, timers and cookies when asked; their owning processes
 * from /proc/PID/fd; the kernel's notices of destroyed sockets; closing a
 * socket from outside (SOCK_DESTROY); the protocol counters of
 * /proc/net/snmp, netstat and snmp6 and the totals of sockstat.
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

enum { SL_DIAG_TCP = 1, SL_DIAG_UDP = 2, SL_DIAG_UNIX = 4 };
enum { SL_DIAG_V4 = 1, SL_DIAG_V6 = 2 };
enum sl_diag_source { SL_SRC_AUTO, SL_SRC_NETLINK, SL_SRC_PROC };

#define SL_PROGRAM_MAX 64
/* The longest address text of a row: a unix path of 108 bytes. */
#define SL_SOCK_ADDRSTRLEN 112

/* What a dump asks of the kernel beyond the table (sl_diag_query.ext). */
enum {
	SL_DIAG_EXT_INFO = 1,	/* TCP internals: tcp_info, congestion control */
	SL_DIAG_EXT_MEM = 2,	/* socket memory (skmem) */
};

/* The parts a row carries beyond the table (sl_sock.has). */
enum {
	SL_HAS_INFO = 1,	/* info: the kernel sent its tcp_info */
	SL_HAS_MEM = 2,		/* skmem */
	SL_HAS_COOKIE = 4,	/* cookie (netlink only) */
	SL_HAS_QUEUES = 8,	/* rqueue/wqueue (not in /proc/net/unix) */
};

/* What the socket's timer is counting down to (the kernel's idiag_timer
 * and /proc/net's "tr" share these numbers). */
enum sl_sock_timer {
	SL_TIMER_NONE,
	SL_TIMER_RETRANS,	/* retransmission (or SYN-ACK resend, loss probe) */
	SL_TIMER_KEEPALIVE,	/* keepalive, or a FIN_WAIT2 timeout */
	SL_TIMER_TIMEWAIT,	/* end of TIME_WAIT */
	SL_TIMER_PROBE0,	/* zero window probe: the peer's window is shut */
};

/* The socket memory the kernel accounts (SK_MEMINFO_*), ss -m's skmem. */
enum {
	SL_SKMEM_RMEM_ALLOC, SL_SKMEM_RCVBUF, SL_SKMEM_WMEM_ALLOC,
	SL_SKMEM_SNDBUF, SL_SKMEM_FWD_ALLOC, SL_SKMEM_WMEM_QUEUED,
	SL_SKMEM_OPTMEM, SL_SKMEM_BACKLOG, SL_SKMEM_DROPS, SL_SKMEM_N
};

/* The fields of the kernel's struct tcp_info that ss -i shows; a field
 * an older kernel does not send stays 0.  Times as the kernel keeps them. */
struct sl_tcp_info {
	uint8_t ca_state;	/* 0 open, 1 disorder, 2 cwr, 3 recovery, 4 loss */
	uint8_t retransmits;	/* consecutive timeouts of the segment in flight */
	uint8_t probes, backoff;
	uint8_t options;	/* TCPI_OPT_*: timestamps, sack, wscale, ecn */
	uint8_t snd_wscale, rcv_wscale;
	uint8_t app_limited;	/* delivery_rate was limited by the program */
	uint32_t rto_us, ato_us, snd_mss, rcv_mss;
	uint32_t unacked, sacked, lost, retrans;
	uint32_t last_data_sent_ms, last_data_recv_ms, last_ack_recv_ms;
	uint32_t pmtu, rcv_ssthresh, rtt_us, rttvar_us, snd_ssthresh;
	uint32_t snd_cwnd, advmss, reordering, rcv_rtt_us, rcv_space;
	uint32_t total_retrans, segs_out, segs_in, notsent_bytes, min_rtt_us;
	uint32_t data_segs_in, data_segs_out, delivered, snd_wnd;
	uint64_t pacing_rate, bytes_acked, bytes_received;	/* rate: bytes/s */
	uint64_t delivery_rate, busy_time_us, bytes_sent, bytes_retrans;
	char cong[16];		/* congestion control ("cubic"), "" unknown */
};

struct sl_sock {
	int proto;			/* IPPROTO_TCP or IPPROTO_UDP */
	int state;			/* enum sl_tcp_state (UDP: CLOSE / ESTABLISHED) */
	struct sl_endpoint local;
	struct sl_endpoint remote;
	uint32_t uid;
	uint64_t inode;			/* 0 for TIME_WAIT and other ownerless sockets */
	uint32_t rqueue;		/* Recv-Q: bytes received, not yet read;
					 * LISTEN: connections waiting in the
					 * accept queue */
	uint32_t wqueue;		/* Send-Q: bytes sent, not yet acknowledged
					 * (UDP: not yet sent); LISTEN: the backlog */
	uint32_t expires_ms;		/* timer left (TIME_WAIT), 0 when none */
	int pid;			/* owner; 0 when unknown or hidden */
	char program[SL_PROGRAM_MAX];	/* owner's comm, "" when unknown */
	uint8_t timer;			/* enum sl_sock_timer behind expires_ms */
	uint8_t retrans;		/* the timer's retransmissions or probes */
	uint8_t type;			/* unix: SOCK_STREAM, _DGRAM, _SEQPACKET */
	uint8_t has;			/* SL_HAS_* */
	uint64_t cookie;		/* the kernel's id of the socket */
	uint64_t peer_inode;		/* unix: the other end, 0 when none */
	uint32_t skmem[SL_SKMEM_N];	/* with SL_HAS_MEM */
	struct sl_tcp_info info;	/* with SL_HAS_INFO */
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
	unsigned ext;			/* SL_DIAG_EXT_*: what else to ask */
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
/* "tcp", "tcp6", "udp", "udp6" as netstat's Proto column; for unix
 * sockets ss's "u_str", "u_dgr", "u_seq". */
const char *sl_sock_proto_name(const struct sl_sock *s);
/* "127.0.0.1:59001", "[::1]:59001"; port 0 prints as "*" ("0.0.0.0:*").
 * A unix address prints as its path, "@name" when abstract (up to the
 * name's next NUL, as ss) or "*" when unnamed: raw bytes of a file
 * name, for the caller to escape.  Returns the length (snprintf-like);
 * out holds at least SL_SOCK_ADDRSTRLEN. */
int sl_sock_addr_format(const struct sl_endpoint *ep, char *out,
			size_t outlen);
/* One NDJSON object (with its newline): the keys proto local remote state
 * recv_q send_q pid program uid inode, and for a unix socket peer_inode;
 * pid and program are null when unknown, the queues when the source does
 * not give them. */
int sl_sock_json(struct sl_buf *b, const struct sl_sock *s);
/* The same keys without the braces and the newline, for a caller that
 * adds its own. */
int sl_sock_json_keys(struct sl_buf *b, const struct sl_sock *s);

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

/* The AF_UNIX counterparts (unix.c).  A unix row is an sl_sock whose
 * local address is AF_UNIX (a path, an abstract name with a leading NUL,
 * or unnamed), proto 0, type SOCK_STREAM/_DGRAM/_SEQPACKET; the states
 * are the kernel's (LISTEN, ESTABLISHED, CLOSE printed "UNCONN",
 * SYN_SENT); a port filter matches none.  Rows come from one recv() of
 * an AF_UNIX dump, or from /proc/net/unix text (no queues, no peers). */
int sl_unixdiag_decode(const void *buf, size_t len,
		       const struct sl_diag_query *q, struct sl_sock_list *out);
int sl_procnet_unix_parse(const char *text, size_t len,
			  const struct sl_diag_query *q,
			  struct sl_sock_list *out);
/* Gives every unix row whose peer_inode is in l that peer's name as its
 * remote address, as ss shows it; 0 or -ENOMEM. */
int sl_diag_unix_peers(struct sl_sock_list *l);

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

/* ---- the kernel's notices of destroyed sockets (notify.c), as ss -E ----
 * A socket subscribed to sock_diag's destroy groups for q's protocols
 * and families (TCP and UDP only); each notice is the row of a full
 * socket as it was destroyed (state CLOSE; a connection's end becomes
 * such a notice when it enters TIME_WAIT), filtered by q's port.  Linux
 * 4.5 and later; -errno with words in e where the kernel has none. */
struct sl_diag_notify;

int sl_diag_notify_open(struct sl_diag_notify **n,
			const struct sl_diag_query *q, struct sl_err *e);
/* The descriptor to poll for notices. */
int sl_diag_notify_fd(const struct sl_diag_notify *n);
/* Every notice waiting (it never blocks), each row to fn; the number of
 * rows, fn's negative return, or -ENOBUFS when the kernel dropped some
 * because they came faster than they were read (the rest were handed
 * on). */
int sl_diag_notify_read(struct sl_diag_notify *n, sl_sock_fn fn, void *arg);
void sl_diag_notify_free(struct sl_diag_notify *n);

/* ---- closing sockets from outside (destroy.c), as ss -K ----
 * Asks the kernel (SOCK_DESTROY, CAP_NET_ADMIN) to abort s as if by an
 * error: its program's next call fails with ECONNABORTED and a TCP peer
 * gets a RST.  s is named by addresses, ports and cookie, so a socket
 * that took its ports since it was listed is left alone.  0, or -errno
 * with words in e (no privilege, a kernel without
 * CONFIG_INET_DIAG_DESTROY, already gone). */
int sl_diag_destroy(const struct sl_sock *s, struct sl_err *e);

/* ---- the kernel's protocol counters (snmp.c), as nstat reads them ----
 *
 * From /proc/net/snmp and /proc/net/netstat ("Tcp: Name..." then "Tcp:
 * 1 ..." line pairs) and /proc/net/snmp6 ("Udp6InDatagrams 12" lines) of
 * the caller's network namespace, named as nstat names them:
 * "TcpActiveOpens", "TcpExtListenOverflows", "Udp6InErrors". */
#define SL_COUNTER_NAME 64

struct sl_counter {
	char name[SL_COUNTER_NAME];
	uint64_t value;		/* "-1" (TcpMaxConn) wraps, as nstat's */
};

struct sl_counters {
	struct sl_counter *v;
	size_t n, cap;
};

/* A counter socklab explains: its words, and whether it is a level
 * (TcpCurrEstab) rather than a count that only grows. */
struct sl_counter_doc {
	const char *name;
	const char *words;
	int gauge;
};

void sl_counters_init(struct sl_counters *c);
void sl_counters_release(struct sl_counters *c);
/* Appends the counters of one file's text (any of the two formats;
 * lines starting with '#' and malformed ones are skipped).  Returns the
 * number appended, or -ENOMEM (then nothing is). */
int sl_counters_parse(const char *text, size_t len, struct sl_counters *out);
/* Reads the three files; 0, or -errno with words in e. */
int sl_counters_read(struct sl_counters *out, struct sl_err *e);
/* The counter called name, or NULL. */
const struct sl_counter *sl_counters_find(const struct sl_counters *c,
					  const char *name);
/* The counters socklab shows, in order, each with one line of words. */
const struct sl_counter_doc *sl_counter_docs(size_t *n);

/* The socket totals of /proc/net/sockstat and sockstat6 that ss -s adds
 * up, with TCP's CurrEstab from /proc/net/snmp. */
struct sl_sockstat {
	uint32_t sockets;			/* "sockets: used" */
	uint32_t tcp_inuse, tcp_orphan, tcp_tw, tcp_alloc, tcp6_inuse;
	uint32_t udp_inuse, udp6_inuse, raw_inuse, raw6_inuse;
	uint32_t frag_inuse, frag6_inuse;
	uint32_t tcp_estab;
};

/* Sets the fields whose "LABEL: key value" pairs the text has; returns
 * how many pairs it read. */
int sl_sockstat_parse(const char *text, size_t len, struct sl_sockstat *st);
/* Reads the files; 0, or -errno with words in e. */
int sl_sockstat_read(struct sl_sockstat *st, struct sl_err *e);

/* ---- who holds a port (holder.c), for the server's EADDRINUSE message
 * and the client's "refused" advice ---- */

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
