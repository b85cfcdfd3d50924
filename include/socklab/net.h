/*
 * net.h - endpoints and sockets: parse and format "host:port" and
 * "[v6]:port", resolve names, open listeners and connections, and turn an
 * errno into words a student can act on.
 *
 * Contract: addresses always print as 127.0.0.1:59001 or [::1]:59001.
 * Functions return 0 (or a descriptor / count) on success and a negative
 * errno code on failure, with words in the caller's struct sl_err.
 */
#ifndef SOCKLAB_NET_H
#define SOCKLAB_NET_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>

#include "socklab/util.h"

#define SL_DEFAULT_PORT 59001
/* "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%interfacename]:65535" */
#define SL_ADDRSTRLEN 80

struct sl_endpoint {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* ---- addr.c ---- */
/* "59001" -> 59001.  Port 0 only when allow_zero ("pick a free port"). */
int sl_port_parse(const char *s, int allow_zero, uint16_t *port,
		  struct sl_err *e);
/* Numeric address with optional port: "127.0.0.1", "127.0.0.1:80", "::1",
 * "[::1]", "[::1]:80", "fe80::1%lo".  default_port fills a missing port.
 * Names are not resolved here (see sl_resolve). */
int sl_endpoint_parse(const char *s, uint16_t default_port,
		      struct sl_endpoint *ep, struct sl_err *e);
/* "localhost:59001", "127.0.0.1:59001", "[::1]:59001": the host (without
 * brackets) into host and the port (1-65535) into *port, returns 1;
 * text without a numeric port ("alice", "::1", "[::1]") is copied to
 * host as it is, returns 0; a port out of range, or text that does not
 * fit hostlen, is an error with words in e. */
int sl_hostport_split(const char *s, char *host, size_t hostlen,
		      uint16_t *port, struct sl_err *e);
/* Writes "127.0.0.1:59001" / "[::1]:59001"; returns the length. */
int sl_addr_format(const struct sockaddr *sa, char *out, size_t outlen);
/* Only the address part: "127.0.0.1" / "::1". */
int sl_addr_format_host(const struct sockaddr *sa, char *out, size_t outlen);
uint16_t sl_addr_port(const struct sockaddr *sa);
int sl_addr_is_loopback(const struct sockaddr *sa);
/* Builds a sockaddr from family, raw address bytes (4 or 16) and port. */
void sl_addr_make(struct sl_endpoint *ep, int family, const void *addr,
		  uint16_t port);

/* ---- resolve.c ---- */
struct sl_addrlist {
	struct sl_endpoint *v;
	size_t n;
};

/* Resolves host (name or address) for TCP.  "localhost" is always ::1 then
 * 127.0.0.1 (RFC 6761), whatever /etc/hosts says.  family is AF_UNSPEC,
 * AF_INET or AF_INET6.  Duplicates are dropped; order is kept. */
int sl_resolve(const char *host, uint16_t port, int family,
	       struct sl_addrlist *out, struct sl_err *e);
void sl_addrlist_release(struct sl_addrlist *l);
/* 1 when host is localhost or a name under .localhost (RFC 6761). */
int sl_host_is_localhost(const char *host);

/* ---- sock.c ---- */
/* Non-blocking, close-on-exec listener with SO_REUSEADDR (and IPV6_V6ONLY
 * for IPv6, so 127.0.0.1 and ::1 can be bound side by side) and a
 * SOMAXCONN backlog.  Returns the descriptor. */
int sl_listen_tcp(const struct sl_endpoint *ep, struct sl_err *e);
/* A non-blocking, close-on-exec UDP socket bound to ep (IPV6_V6ONLY for
 * IPv6 as above, no SO_REUSEADDR); with pktinfo, each datagram carries
 * the address it was sent to (IP_PKTINFO / IPV6_RECVPKTINFO).  Returns
 * the descriptor; errors in the words of sl_listen_tcp. */
int sl_bind_udp(const struct sl_endpoint *ep, int pktinfo, struct sl_err *e);
/* A blocking UDP socket connected to ep: it sends there by default and
 * hears the ICMP port unreachable a closed port answers with (as
 * ECONNREFUSED).  Returns the descriptor. */
int sl_connect_udp(const struct sl_endpoint *ep, struct sl_err *e);
/* Starts a non-blocking connect; returns the descriptor (connection may
 * still be in progress: wait for writability, then sl_connect_result). */
int sl_connect_start(const struct sl_endpoint *ep, struct sl_err *e);
/* 0 when connected, else the negative errno the connect ended with. */
int sl_connect_result(int fd);
int sl_set_nonblock(int fd, int on);
/* Local / remote address of a socket. */
int sl_sock_local(int fd, struct sl_endpoint *ep);
int sl_sock_peer(int fd, struct sl_endpoint *ep);

/* ---- dial.c ---- */
/* Told about each address that failed, with the failure's negative errno
 * (-ECONNREFUSED, -ETIMEDOUT), and which one comes next (NULL when it was
 * the last). */
typedef void (*sl_dial_fail_cb)(const struct sl_endpoint *ep, int err,
				const struct sl_endpoint *next, void *arg);

/* Tries every address in order, each for at most timeout_ms, until one
 * connects.  Returns the connected (blocking) descriptor, or the negative
 * errno of the last failure (-ETIMEDOUT for a timeout). */
int sl_dial(const struct sl_addrlist *l, int timeout_ms, sl_dial_fail_cb cb,
	    void *arg);

/* Waits up to timeout_ms for fd to be ready for events (POLLIN/POLLOUT);
 * 1 ready, 0 timed out, negative errno. */
int sl_wait_fd(int fd, short events, int timeout_ms);

/* ---- advice.c ---- */
/* Lowest port an unprivileged process may bind, from
 * /proc/sys/net/ipv4/ip_unprivileged_port_start (1024 when unreadable). */
int sl_unprivileged_port_start(void);
/* Short words for a socket errno ("connection refused", "timed out"). */
const char *sl_errno_words(int err);

#endif
