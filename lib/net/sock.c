/* sock.c - listeners and connections with the options the lab needs */
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

#include "socklab/net.h"

int sl_set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -errno;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	return fcntl(fd, F_SETFL, fl) < 0 ? -errno : 0;
}

static int listen_words(const struct sl_endpoint *ep, int err,
			struct sl_err *e)
{
	char where[SL_ADDRSTRLEN];
	uint16_t port = sl_addr_port((const struct sockaddr *)&ep->ss);
	int first = sl_unprivileged_port_start();

	sl_addr_format((const struct sockaddr *)&ep->ss, where, sizeof(where));
	switch (err) {
	case EADDRINUSE:
		return sl_err_set(e, -err,
			"cannot listen on %s: port %u is already in use; stop the program that holds it or use another port (-p %u, or -p 0 for any free port)",
			where, port, port < 65535 ? port + 1 : port - 1);
	case EACCES:
		if (port < first)
			return sl_err_set(e, -err,
				"cannot listen on %s: port %u is a privileged port (< %d on this system): run as root, grant CAP_NET_BIND_SERVICE, or use a port above 59000 as the lab asks (e.g. -p %d)",
				where, port, first, SL_DEFAULT_PORT);
		break;
	case EADDRNOTAVAIL:
		return sl_err_set(e, -err,
			"cannot listen on %s: no interface of this machine has that address; use 127.0.0.1 or ::1 (loopback), or 0.0.0.0 / :: for every interface",
			where);
	case EAFNOSUPPORT:
		return sl_err_set(e, -err,
			"cannot listen on %s: %s is disabled on this machine; use the other family",
			where, ep->ss.ss_family == AF_INET6 ? "IPv6" : "IPv4");
	}
	return sl_err_set(e, -err, "cannot listen on %s: %s", where,
			  strerror(err));
}

static int listen_error(const struct sl_endpoint *ep, int err,
			struct sl_err *e)
{
	return sl_err_where(e, listen_words(ep, err, e),
			    (const struct sockaddr *)&ep->ss, sizeof(ep->ss));
}

int sl_listen_tcp(const struct sl_endpoint *ep, struct sl_err *e)
{
	int one = 1, fd, err;

	fd = socket(ep->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    IPPROTO_TCP);
	if (fd < 0)
		return listen_error(ep, errno, e);
	/* a restart must not wait for the old connections' TIME_WAIT */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* without V6ONLY, [::] would also take the IPv4 port */
	if (ep->ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&ep->ss, ep->len) < 0 ||
	    listen(fd, SOMAXCONN) < 0) {
		err = errno;
		close(fd);
		return listen_error(ep, err, e);
	}
	return fd;
}

/* Every datagram then says the address it was sent to, so a reply from a
 * socket bound to 0.0.0.0 or :: leaves from the address the peer used. */
static void want_pktinfo(int fd, int family)
{
	int one = 1;

	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	else
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
}

int sl_bind_udp(const struct sl_endpoint *ep, int pktinfo, struct sl_err *e)
{
	int one = 1, fd, err;

	/* no SO_REUSEADDR: two UDP servers would share the port silently */
	fd = socket(ep->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    IPPROTO_UDP);
	if (fd < 0)
		return listen_error(ep, errno, e);
	if (ep->ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (pktinfo)
		want_pktinfo(fd, ep->ss.ss_family);
	if (bind(fd, (const struct sockaddr *)&ep->ss, ep->len) < 0) {
		err = errno;
		close(fd);
		return listen_error(ep, err, e);
	}
	return fd;
}

int sl_connect_udp(const struct sl_endpoint *ep, struct sl_err *e)
{
	char where[SL_ADDRSTRLEN];
	int fd, err;

	fd = socket(ep->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd >= 0 &&
	    connect(fd, (const struct sockaddr *)&ep->ss, ep->len) == 0)
		return fd;
	err = errno;
	if (fd >= 0)
		close(fd);
	sl_addr_format((const struct sockaddr *)&ep->ss, where, sizeof(where));
	return sl_err_set(e, -err, "%s %s", where, sl_errno_words(err));
}

int sl_connect_start(const struct sl_endpoint *ep, struct sl_err *e)
{
	char where[SL_ADDRSTRLEN];
	int fd, err;

	fd = socket(ep->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    IPPROTO_TCP);
	if (fd < 0)
		goto fail;
	if (connect(fd, (const struct sockaddr *)&ep->ss, ep->len) == 0 ||
	    errno == EINPROGRESS)
		return fd;
fail:
	err = errno;
	if (fd >= 0)
		close(fd);
	sl_addr_format((const struct sockaddr *)&ep->ss, where, sizeof(where));
	return sl_err_set(e, -err, "%s %s", where, sl_errno_words(err));
}

int sl_connect_result(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -errno;
	return -err;
}

int sl_sock_local(int fd, struct sl_endpoint *ep)
{
	ep->len = sizeof(ep->ss);
	return getsockname(fd, (struct sockaddr *)&ep->ss, &ep->len) < 0 ?
		-errno : 0;
}

int sl_sock_peer(int fd, struct sl_endpoint *ep)
{
	ep->len = sizeof(ep->ss);
	return getpeername(fd, (struct sockaddr *)&ep->ss, &ep->len) < 0 ?
		-errno : 0;
}
