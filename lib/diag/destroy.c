/* destroy.c - closing a socket from outside its program, as ss -K does:
 * one SOCK_DESTROY request through sock_diag naming the socket by its
 * addresses, ports and cookie, so a newer socket on the same ports is
 * never the one closed */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "diag-int.h"

static void put_id(struct inet_diag_sockid *id, const struct sl_sock *s)
{
	const struct sockaddr *l = (const struct sockaddr *)&s->local.ss;
	const struct sockaddr *r = (const struct sockaddr *)&s->remote.ss;

	id->idiag_sport = htons(sl_addr_port(l));
	id->idiag_dport = htons(sl_addr_port(r));
	if (l->sa_family == AF_INET6) {
		const struct sockaddr_in6 *l6 = (const void *)l;

		memcpy(id->idiag_src, &l6->sin6_addr, 16);
		memcpy(id->idiag_dst,
		       &((const struct sockaddr_in6 *)(const void *)r)->sin6_addr,
		       16);
		id->idiag_if = l6->sin6_scope_id;
	} else {
		memcpy(id->idiag_src,
		       &((const struct sockaddr_in *)(const void *)l)->sin_addr, 4);
		memcpy(id->idiag_dst,
		       &((const struct sockaddr_in *)(const void *)r)->sin_addr, 4);
	}
	id->idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	id->idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (s->has & SL_HAS_COOKIE) {
		id->idiag_cookie[0] = (uint32_t)s->cookie;
		id->idiag_cookie[1] = (uint32_t)(s->cookie >> 32);
	}
}

/* The kernel's answer to the request: 0 or its -errno. */
static int ask(struct mnl_socket *nl, const struct sl_sock *s)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct inet_diag_req_v2 *req;
	ssize_t n;
	int rc;

	nlh->nlmsg_type = SOCK_DESTROY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = (uint8_t)s->local.ss.ss_family;
	req->sdiag_protocol = (uint8_t)s->proto;
	req->idiag_states = SL_STATES_ALL;
	put_id(&req->id, s);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	rc = mnl_cb_run(buf, (size_t)n, 1, mnl_socket_get_portid(nl), NULL,
			NULL);
	return rc < 0 ? -errno : 0;
}

static int words(int rc, const char *what, struct sl_err *e)
{
	switch (-rc) {
	case EPERM:
	case EACCES:
		return sl_err_set(e, rc, "cannot close %s: closing another program's socket needs CAP_NET_ADMIN; run with sudo", what);
	case EOPNOTSUPP:
		return sl_err_set(e, rc, "cannot close %s: this kernel cannot close sockets from outside (it was built without CONFIG_INET_DIAG_DESTROY, or does not do it for this kind of socket); stop its program instead", what);
	case ENOENT:
		return sl_err_set(e, rc, "cannot close %s: it is gone already", what);
	case ESTALE:
		return sl_err_set(e, rc, "cannot close %s: another socket took its ports since it was listed; list again", what);
	default:
		return sl_err_set(e, rc, "cannot close %s: %s", what,
				  strerror(-rc));
	}
}

/* "tcp 127.0.0.1:59001 127.0.0.1:40000 ESTABLISHED", escaped */
static void name_it(const struct sl_sock *s, char *what, size_t n)
{
	char a[SL_SOCK_ADDRSTRLEN], l[sizeof(a) * SL_ESCAPE_MAX];
	char r[sizeof(l)];
	int k;

	k = sl_sock_addr_format(&s->local, a, sizeof(a));
	sl_escape(l, sizeof(l), a, strnlen(a, (size_t)k));
	k = sl_sock_addr_format(&s->remote, a, sizeof(a));
	sl_escape(r, sizeof(r), a, strnlen(a, (size_t)k));
	/* a cut name still says which socket: the message stays one line */
	if (snprintf(what, n, "%s %s %s %s", sl_sock_proto_name(s), l, r,
		     sl_sock_state_name(s)) >= (int)n)
		what[n - 1] = '\0';
}

int sl_diag_destroy(const struct sl_sock *s, struct sl_err *e)
{
	char what[SL_ERR_MSG / 2];
	struct mnl_socket *nl;
	int rc;

	name_it(s, what, sizeof(what));
	if (s->local.ss.ss_family != AF_INET &&
	    s->local.ss.ss_family != AF_INET6)
		return words(-EOPNOTSUPP, what, e);
	if ((rc = sl_diag_netlink_open(&nl)) < 0)
		return sl_err_set(e, rc, "cannot close %s: no netlink sock_diag socket: %s",
				  what, strerror(-rc));
	rc = ask(nl, s);
	mnl_socket_close(nl);
	return rc < 0 ? words(rc, what, e) : 0;
}
