/* serve-int.h - what server.c and conn.c share inside lib/serve */
#ifndef SOCKLAB_SERVE_INT_H
#define SOCKLAB_SERVE_INT_H

#include <netinet/in.h>

#include "socklab/ev.h"
#include "socklab/line.h"
#include "socklab/serve.h"

/* The most replies held unsent for one client: its lines are answered
 * while their replies fit, then it is not read until it reads. */
#define CONN_WBUF_LIMIT (64 * 1024)
/* SO_SNDBUF of every connection (the kernel doubles it for its own
 * overhead): what the kernel may hold of a client's unread replies beside
 * the backlog, instead of the up to 4 MiB its autotuning grants.
 * Measured: the hello exchange does not care; a client pipelining a
 * million lines got its replies 20 times slower at 32 KiB and below (a
 * 64 KiB loopback segment no longer fits twice, each waits for a delayed
 * ACK) and as fast as with autotuning from 48 KiB on. */
#define CONN_SNDBUF (64 * 1024)

union sl_sockaddr {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

/* Kept small on purpose: an idle connection costs this plus any partial
 * line it has sent (benchmarked per connection). */
struct conn {
	struct conn *prev, *next;	/* idle list, least recently active first */
	uint64_t last_ms;
	union sl_sockaddr peer;
	int fd;
	uint8_t listener;		/* index of the listener it came from */
	uint8_t partial_reads;		/* reads the pending partial line spans */
	uint8_t eof;			/* no more input; close once flushed */
	uint8_t stalled;		/* rbuf holds lines waiting for room */
	uint32_t rlen;			/* bytes kept in rbuf */
	uint32_t wlen, woff;		/* unsent reply bytes in wbuf */
	char *rbuf;
	char *wbuf;
	uint64_t lines, bytes_in, bytes_out;
};

struct listener {
	int fd;
	int wildcard;			/* bound to 0.0.0.0 or :: */
	struct sl_endpoint ep;
};

struct sl_server {
	struct sl_server_opts o;
	struct sl_ev *ev;
	struct listener ls[SL_SERVE_MAX_BINDS];
	struct sl_endpoint eps[SL_SERVE_MAX_BINDS];
	size_t nls;
	struct conn **conns;		/* by descriptor */
	int nconns_slots;
	unsigned nconns;
	struct conn *idle_head, *idle_tail;
	int64_t idle_timer;
	uint64_t idle_ms;
	int reserve_fd;			/* spare descriptor for EMFILE */
	int64_t resume_timer;		/* listeners paused for lack of fds */
	int paused;
	int stopping;
	char *scratch;			/* one read buffer for every connection */
	size_t scratch_len;
	struct sl_buf out;		/* replies being built, for any one */
	struct sl_framer framer;
	uint64_t clients, refused;
	struct sl_err *err;
};

void srv_emit(struct sl_server *s, struct sl_srv_event *e);
/* conn.c */
int conn_open(struct sl_server *s, int fd, const struct sockaddr *peer,
	      socklen_t plen, int listener);
void conn_close(struct sl_server *s, struct conn *c, const char *reason);
void conn_expire_idle(struct sl_server *s);
const struct sockaddr *conn_local(struct sl_server *s, struct conn *c,
				  union sl_sockaddr *tmp);
/* udp.c: a UDP socket is readable: answer what waits there */
void udp_read_cb(struct sl_ev *ev, int fd, unsigned events, void *arg);

#endif
