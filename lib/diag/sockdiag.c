/* sockdiag.c - the kernel's TCP and UDP tables through netlink sock_diag
 * (libmnl): one INET_DIAG dump per family and protocol, or one for TCP
 * over both families; the state filter in the request, rows decoded by a
 * pure function over the reply bytes and handed on one by one */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>

#include "diag-int.h"

/* An endpoint of a zeroed row (sl_addr_make without a second memset:
 * this runs for every socket of the table). */
static void put_endpoint(struct sl_endpoint *ep, int fam, const void *addr,
			 uint16_t port_be)
{
	if (fam == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ep->ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = port_be;
		memcpy(&s6->sin6_addr, addr, 16);
		ep->len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ep->ss;

		s4->sin_family = AF_INET;
		s4->sin_port = port_be;
		memcpy(&s4->sin_addr, addr, 4);
		ep->len = sizeof(*s4);
	}
}

/* Fills s from one row message; 1 when it passes q, 0 when skipped. */
int sl_diag_decode_row(const struct nlmsghdr *nlh, int proto,
		      const struct sl_diag_query *q, struct sl_sock *s)
{
	struct inet_diag_msg m;
	int fam;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(m))
		return 0;
	memcpy(&m, mnl_nlmsg_get_payload(nlh), sizeof(m));
	if (m.idiag_family != AF_INET && m.idiag_family != AF_INET6)
		return 0;
	fam = m.idiag_family;
	memset(s, 0, sizeof(*s));
	s->proto = proto;
	s->state = m.idiag_state == SL_TCP_NEW_SYN_RECV ? SL_TCP_SYN_RECV
						       : m.idiag_state;
	put_endpoint(&s->local, fam, m.id.idiag_src, m.id.idiag_sport);
	put_endpoint(&s->remote, fam, m.id.idiag_dst, m.id.idiag_dport);
	if (fam == AF_INET6 && m.id.idiag_if) {
		/* a link-local address means nothing without its interface */
		struct sockaddr_in6 *l6 = (struct sockaddr_in6 *)&s->local.ss;
		struct sockaddr_in6 *r6 = (struct sockaddr_in6 *)&s->remote.ss;

		if (IN6_IS_ADDR_LINKLOCAL(&l6->sin6_addr))
			l6->sin6_scope_id = m.id.idiag_if;
		if (IN6_IS_ADDR_LINKLOCAL(&r6->sin6_addr))
			r6->sin6_scope_id = m.id.idiag_if;
	}
	s->uid = m.idiag_uid;
	s->inode = m.idiag_inode;
	s->rqueue = m.idiag_rqueue;
	s->wqueue = m.idiag_wqueue;
	s->expires_ms = m.idiag_expires;
	s->timer = m.idiag_timer;
	s->retrans = m.idiag_retrans;
	s->has = SL_HAS_QUEUES;
	if (m.id.idiag_cookie[0] != INET_DIAG_NOCOOKIE ||
	    m.id.idiag_cookie[1] != INET_DIAG_NOCOOKIE) {
		s->cookie = (uint64_t)m.id.idiag_cookie[1] << 32 |
			    m.id.idiag_cookie[0];
		s->has |= SL_HAS_COOKIE;
	}
	if (!sl_diag_match(q, s))
		return 0;
	if (mnl_nlmsg_get_payload_len(nlh) > NLMSG_ALIGN(sizeof(m)))
		sl_diag_decode_attrs((const char *)mnl_nlmsg_get_payload(nlh) +
				     NLMSG_ALIGN(sizeof(m)),
				     mnl_nlmsg_get_payload_len(nlh) -
				     NLMSG_ALIGN(sizeof(m)), s);
	return 1;
}

/* How a dump's rows are taken: decoded by dec, handed to k; in a dump of
 * both families, the IPv6 rows kept raw in later until the IPv4 ones
 * are through. */
struct walker {
	int proto;
	sl_diag_row_dec dec;
	const struct sl_diag_query *q;
	struct sl_diag_sink *k;
	struct sl_buf *later;
};

/* One row message: decoded and handed on, or, in a dump of both
 * families, an IPv6 row kept raw in later (4-byte aligned).  0 or the
 * first failure. */
static int take_row(const struct nlmsghdr *nlh, const struct walker *w)
{
	static const char pad[NLMSG_ALIGNTO];
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct sl_sock s;
	int rc;

	if (w->later && mnl_nlmsg_get_payload_len(nlh) >= sizeof(*m) &&
	    m->idiag_family == AF_INET6) {
		size_t n = nlh->nlmsg_len;

		rc = sl_buf_append(w->later, nlh, n);
		return rc ? rc : sl_buf_append(w->later, pad,
					       NLMSG_ALIGN(n) - n);
	}
	if (!w->dec(nlh, w->proto, w->q, &s))
		return 0;
	if ((rc = w->k->fn(&s, w->k->arg)) < 0) {
		w->k->fn_err = rc;
		return rc;
	}
	w->k->rows++;
	return 0;
}

/* The messages in buf: SL_SOCKDIAG_MORE, SL_SOCKDIAG_DONE or < 0. */
static int walk(const void *buf, size_t len, const struct walker *w)
{
	const char *p = buf;
	size_t rem = len;

	/* not mnl_nlmsg_ok/next: they take nlmsg_len as a signed int, so a
	 * length of 2^31 or more passes the check and loops or runs off */
	while (rem >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const void *)p;
		size_t mlen = nlh->nlmsg_len, step = NLMSG_ALIGN(mlen);
		size_t plen = mlen - sizeof(*nlh);
		int code = 0, rc;

		if (mlen < sizeof(*nlh) || mlen > rem)
			break;
		p += step < rem ? step : rem;
		rem -= step < rem ? step : rem;
		switch (nlh->nlmsg_type) {
		case NLMSG_DONE:
			/* a dump that failed late says so here */
			if (plen >= sizeof(code))
				memcpy(&code, mnl_nlmsg_get_payload(nlh),
				       sizeof(code));
			return code < 0 ? code : SL_SOCKDIAG_DONE;
		case NLMSG_ERROR:
			if (plen >= sizeof(struct nlmsgerr))
				memcpy(&code, mnl_nlmsg_get_payload(nlh),
				       sizeof(code));
			return code < 0 ? code : -EBADMSG;
		case SOCK_DIAG_BY_FAMILY:
		case TCPDIAG_GETSOCK:	/* answers the both-family request */
			if ((rc = take_row(nlh, w)) < 0)
				return rc;
			break;
		default:
			break;
		}
	}
	return SL_SOCKDIAG_MORE;
}

int sl_diag_walk(const void *buf, size_t len, int proto,
		 sl_diag_row_dec dec, const struct sl_diag_query *q,
		 struct sl_diag_sink *k)
{
	struct walker w = { proto, dec, q, k, NULL };

	return walk(buf, len, &w);
}

static int push_row(const struct sl_sock *s, void *arg)
{
	return sl_sock_list_push(arg, s);
}

int sl_sockdiag_decode(const void *buf, size_t len, int proto,
		       const struct sl_diag_query *q, struct sl_sock_list *out)
{
	struct sl_diag_sink k = { push_row, out, 0, 0 };

	return sl_diag_walk(buf, len, proto, sl_diag_decode_row, q, &k);
}

/* The request: inet_diag_req_v2 for one family; for both (AF_UNSPEC),
 * the older TCPDIAG_GETSOCK, which the kernel answers with one walk of
 * its TCP table for every family where two v2 dumps walk it twice. */
static int dump_request(struct mnl_socket *nl, int family, int proto,
			uint32_t states, unsigned ext)
{
	uint8_t bits = 0;

	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	if (ext & SL_DIAG_EXT_INFO)
		bits |= 1 << (INET_DIAG_INFO - 1) | 1 << (INET_DIAG_CONG - 1);
	if (ext & SL_DIAG_EXT_MEM)
		bits |= 1 << (INET_DIAG_SKMEMINFO - 1);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	if (family == AF_UNSPEC) {
		struct inet_diag_req *req;

		if (proto != IPPROTO_TCP)
			return -EINVAL;
		nlh->nlmsg_type = TCPDIAG_GETSOCK;
		req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
		req->idiag_family = AF_UNSPEC;	/* every family */
		req->idiag_states = states;
		req->idiag_ext = bits;
	} else {
		struct inet_diag_req_v2 *req;

		nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
		req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
		req->sdiag_family = (uint8_t)family;
		req->sdiag_protocol = (uint8_t)proto;
		req->idiag_states = states;
		req->idiag_ext = bits;
	}
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

int sl_diag_netlink_open(struct mnl_socket **nl)
{
	int rc;

	*nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!*nl)
		return -errno;
	if (mnl_socket_bind(*nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		mnl_socket_close(*nl);
		*nl = NULL;
		return rc;
	}
	return 0;
}

/* The replies of a dump until its end, each batch walked by w. */
static int recv_dump(struct mnl_socket *nl, void *buf, const struct walker *w)
{
	int rc = SL_SOCKDIAG_MORE;

	while (rc == SL_SOCKDIAG_MORE) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, SL_DIAG_DUMP_BUF);

		if (n < 0)
			return -errno;
		if (n == 0)
			return -EBADMSG;
		rc = walk(buf, (size_t)n, w);
	}
	return rc;
}

int sl_diag_netlink_recv(struct mnl_socket *nl, void *buf, int proto,
			 sl_diag_row_dec dec, const struct sl_diag_query *q,
			 struct sl_diag_sink *k)
{
	struct walker w = { proto, dec, q, k, NULL };
	int rc = recv_dump(nl, buf, &w);

	return rc < 0 ? rc : 0;
}

int sl_diag_netlink_dump(struct mnl_socket *nl, void *buf, int family,
			 int proto, const struct sl_diag_query *q,
			 struct sl_diag_sink *k)
{
	uint32_t states = q->states ? q->states : SL_STATES_ALL;
	struct sl_buf later = SL_BUF_INIT;
	struct walker w = { proto, sl_diag_decode_row, q, k,
			    family == AF_UNSPEC ? &later : NULL };
	int rc;

	/* a request socket (SYN_RECV) sits in the table as NEW_SYN_RECV */
	if (states & SL_STATE_BIT(SL_TCP_SYN_RECV))
		states |= SL_STATE_BIT(SL_TCP_NEW_SYN_RECV);
	/* no higher bits: TCP_BOUND_INACTIVE (13, Linux 6.7) would walk the
	 * whole bind hash for sockets that are neither listening nor
	 * connected, which netstat and ss -a do not list */
	states &= SL_STATE_BIT(SL_TCP_MAX_STATES) - 1;
	rc = dump_request(nl, family, proto, states, q->ext);
	if (rc == 0)
		rc = recv_dump(nl, buf, &w);
	/* the IPv6 rows, after the IPv4 ones as two dumps would list them */
	w.later = NULL;
	if (rc == SL_SOCKDIAG_DONE && later.len)
		rc = walk(later.data, later.len, &w);
	sl_buf_release(&later);
	return rc < 0 ? rc : 0;
}
