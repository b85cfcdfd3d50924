/*
 * diag.h - the kernel's socket table: TCP and UDP sockets over IPv4 and
 * IPv6, read through netlink sock_diag (libmnl) or, when netlink is
 * refused, from /proc/net/{tcp,tcp6,udp,udp6}; and their owning processes
 * from /proc/PID/fd.
 *
 * Contract: one dump per family and protocol, no per-socket system call;
 * the state filter is pushed into the netlink request, the port filter is
 * applied to decoded rows.  Owners are found in one walk of /proc; a
 * process that vanishes or denies access mid-walk is skipped quietly.
 */
#ifndef SOCKLAB_DIAG_H
#define SOCKLAB_DIAG_H

#include <stdint.h>
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

/* Appends the matching sockets to out. */
int sl_diag_list(const struct sl_diag_query *q, struct sl_sock_list *out,
		 struct sl_err *e);
/* Fills pid/program of every row whose inode an accessible process holds. */
int sl_diag_owners(struct sl_sock_list *l, struct sl_err *e);

/* "LISTEN", "ESTABLISHED", "FIN_WAIT1" ... as netstat prints them. */
const char *sl_tcp_state_name(int state);
/* Inverse, case-insensitive; -1 when unknown. */
int sl_tcp_state_value(const char *name);

#endif
