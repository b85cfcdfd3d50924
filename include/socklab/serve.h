/*
 * serve.h - the lab's server: one thread, non-blocking sockets on the
 * event loop, per-connection buffers, limits and timeouts.
 *
 * Contract: the library never prints; every observable event is handed to
 * the caller's callback (the CLI formats it).  SIGPIPE cannot kill it
 * (MSG_NOSIGNAL); running out of descriptors does not spin the loop;
 * memory per connection is bounded (--max-line for a partial line, a
 * write backlog after which the client is no longer read).
 */
#ifndef SOCKLAB_SERVE_H
#define SOCKLAB_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include "socklab/net.h"
#include "socklab/util.h"

#define SL_SERVE_MAX_BINDS 16
#define SL_SERVE_DEFAULT_MAX_CONN 1024
#define SL_SERVE_DEFAULT_IDLE_S 30.0

enum sl_srv_event_kind {
	SL_SRV_ACCEPTED,	/* peer -> local */
	SL_SRV_RECEIVED,	/* a complete line: data/len, reads (UDP: one
				 * per line of a datagram, local set) */
	SL_SRV_REJECTED,	/* a bad line: data = the reply sent */
	SL_SRV_CLOSED,		/* counters; reason NULL for a plain EOF */
	SL_SRV_BUSY,		/* refused past max_conn or out of descriptors */
	SL_SRV_WARNING,		/* text: something the operator should know */
	SL_SRV_STOPPED,		/* shutting down: totals */
	/* the two lines the CLI adds around the server's own events (the
	 * library never emits them): */
	SL_SRV_LISTENING,	/* eps/neps: every listener, once open */
	SL_SRV_FAILED,		/* it could not start: error, reason = words,
				 * eps[0] the address it is about, if any */
};

struct sl_srv_event {
	enum sl_srv_event_kind kind;
	const struct sockaddr *peer;
	const struct sockaddr *local;
	const char *data;	/* RECEIVED: the name (raw bytes); REJECTED: reply */
	size_t len;
	unsigned reads;		/* RECEIVED: reads the line arrived in */
	uint64_t lines, bytes_in, bytes_out;
	const char *reason;	/* CLOSED/BUSY/WARNING: words, or NULL */
	/* STOPPED: totals (UDP: datagrams answered, replies not sent) */
	uint64_t clients, refused;
	/* LISTENING, FAILED */
	const struct sl_endpoint *eps;
	size_t neps;
	int error;		/* FAILED: negative errno */
	int udp;		/* a UDP server's event (STOPPED: clients counts
				 * datagrams answered, refused replies unsent) */
};

typedef void (*sl_srv_event_cb)(const struct sl_srv_event *ev, void *arg);

struct sl_server_opts {
	struct sl_endpoint binds[SL_SERVE_MAX_BINDS];
	size_t nbinds;		/* 0: 127.0.0.1 and ::1 on port */
	uint16_t port;		/* used when nbinds == 0; 0 = any free port */
	unsigned max_conn;
	double idle_timeout_s;	/* 0: never */
	size_t max_line;
	int once;		/* stop after the first client disconnects
				 * (UDP: after the first datagram) */
	int udp;		/* UDP: each datagram answered by one; max_conn
				 * and idle_timeout_s mean nothing there */
	int stop_fd;		/* readable = stop gracefully (a signalfd); -1 none */
	sl_srv_event_cb on_event;
	void (*on_idle)(void *arg);	/* about to sleep: flush output */
	void *arg;
};

struct sl_server;

void sl_server_opts_init(struct sl_server_opts *o);
/* Opens every listener (so errors surface before anything is printed).
 * A default ::1 listener that the machine cannot have (IPv6 disabled) is
 * skipped with a WARNING event instead of failing. */
int sl_server_new(struct sl_server **out, const struct sl_server_opts *o,
		  struct sl_err *e);
/* Serves until stop_fd fires or --once is satisfied; 0 or negative errno. */
int sl_server_run(struct sl_server *s, struct sl_err *e);
/* The endpoints actually listened on (port 0 resolved). */
size_t sl_server_listeners(const struct sl_server *s,
			   const struct sl_endpoint **eps);
void sl_server_free(struct sl_server *s);

#endif
