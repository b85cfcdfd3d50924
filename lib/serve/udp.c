/* udp.c - the server over UDP: every datagram is answered with one
 * datagram (sl_hello_datagram); there is no connection, so nothing is
 * accepted, closed or timed out, and no peer holds a slot.  A socket
 * bound to 0.0.0.0 or :: answers from the address the peer sent to. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "serve-int.h"

/* Datagrams read per wake-up before the loop looks at anything else. */
#define UDP_BATCH 64

union cmsg_room {
	char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct cmsghdr align;
};

/* One datagram being answered. */
struct dgram {
	struct sl_server *s;
	const struct sockaddr *peer, *local;
};

static void on_line(const struct sl_line *line, enum sl_hello_verdict v,
		    const char *reply, size_t rlen, void *arg)
{
	struct dgram *d = arg;
	struct sl_srv_event e = { .kind = SL_SRV_RECEIVED };

	e.peer = d->peer;
	e.local = d->local;
	if (v == SL_HELLO_OK) {
		e.data = line->p;
		e.len = line->len;
		e.reads = 1;
	} else {
		e.kind = SL_SRV_REJECTED;
		e.data = reply;
		e.len = rlen;
	}
	srv_emit(d->s, &e);
}

/* The address the datagram was sent to, from its packet info; falls
 * back to the listener's own address.  *ifindex for the reply. */
static void dest_of(struct msghdr *m, const struct listener *l,
		    union sl_sockaddr *dst, int *ifindex)
{
	uint16_t port = htons(sl_addr_port((const struct sockaddr *)&l->ep.ss));

	memcpy(dst, &l->ep.ss, sizeof(*dst));
	*ifindex = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			dst->v4.sin_family = AF_INET;
			dst->v4.sin_addr = pi.ipi_addr;
			dst->v4.sin_port = port;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
			   c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			dst->v6.sin6_family = AF_INET6;
			dst->v6.sin6_addr = pi.ipi6_addr;
			dst->v6.sin6_port = port;
			*ifindex = (int)pi.ipi6_ifindex;
		}
	}
}

/* The reply, sent from dst when the listener is a wildcard. */
static int send_reply(struct sl_server *s, const struct listener *l,
		      const union sl_sockaddr *peer, socklen_t plen,
		      const union sl_sockaddr *dst, int ifindex)
{
	struct iovec iov = { s->out.data, s->out.len };
	struct msghdr m = { .msg_name = (void *)peer, .msg_namelen = plen,
			    .msg_iov = &iov, .msg_iovlen = 1 };
	union cmsg_room room;
	struct cmsghdr *c;

	memset(&room, 0, sizeof(room));
	if (l->wildcard) {
		m.msg_control = room.buf;
		m.msg_controllen = sizeof(room.buf);
		c = CMSG_FIRSTHDR(&m);
		if (dst->sa.sa_family == AF_INET6) {
			struct in6_pktinfo pi = { dst->v6.sin6_addr,
						  (unsigned)ifindex };

			c->cmsg_level = IPPROTO_IPV6;
			c->cmsg_type = IPV6_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		} else {
			struct in_pktinfo pi = { 0, dst->v4.sin_addr, { 0 } };

			c->cmsg_level = IPPROTO_IP;
			c->cmsg_type = IP_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		}
		m.msg_controllen = c->cmsg_len;
	}
	return sendmsg(l->fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 ? -errno : 0;
}

/* Reads and answers one datagram: 1, or 0 when none was waiting. */
static int udp_one(struct sl_server *s, const struct listener *l)
{
	union sl_sockaddr peer, dst;
	union cmsg_room room;
	struct iovec iov = { s->scratch, s->scratch_len };
	struct msghdr m = { .msg_name = &peer, .msg_namelen = sizeof(peer),
			    .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = room.buf,
			    .msg_controllen = sizeof(room.buf) };
	struct dgram d = { s, &peer.sa, &dst.sa };
	ssize_t n = recvmsg(l->fd, &m, MSG_DONTWAIT);
	int ifindex;

	if (n < 0)
		return 0;	/* EAGAIN: drained; anything else: next time */
	dest_of(&m, l, &dst, &ifindex);
	if (sl_buf_reserve(&s->out, SL_DATAGRAM_MAX) < 0) {
		s->refused++;
		return 1;
	}
	/* scratch holds the largest datagram: nothing is cut */
	s->out.len = sl_hello_datagram(s->scratch, (size_t)n, s->o.max_line,
				       s->out.data, SL_DATAGRAM_MAX, on_line,
				       &d);
	if (send_reply(s, l, &peer, m.msg_namelen, &dst, ifindex) < 0)
		s->refused++;
	sl_buf_reset(&s->out);
	s->clients++;
	if (s->o.once) {
		s->stopping = 1;
		sl_ev_stop(s->ev);
	}
	return 1;
}

void udp_read_cb(struct sl_ev *ev, int fd, unsigned events, void *arg)
{
	struct sl_server *s = arg;
	size_t i = 0;

	(void)ev;
	(void)events;
	while (i < s->nls && s->ls[i].fd != fd)
		i++;
	for (int k = 0; i < s->nls && k < UDP_BATCH && !s->stopping; k++)
		if (!udp_one(s, &s->ls[i]))
			break;
}
