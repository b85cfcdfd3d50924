/* serve-int.h - what server.c and conn.c share inside lib/serve */
#ifndef SOCKLAB_SERVE_INT_H
#define SOCKLAB_SERVE_INT_H

#include <netinet/in.h>

#include "socklab/ev.h"
#include "socklab/serve.h"

/* Unsent replies past this stop reading from the client until it reads. */
#define CONN_WBUF_LIMIT (64 * 1024)

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
	uint8_t eof;			/* peer finished sending; close once flushed */
	uint8_t reading;		/* EPOLLIN armed */
	uint32_t rlen;			/* partial line bytes in rbuf */
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

#endif
