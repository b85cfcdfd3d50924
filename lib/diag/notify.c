/* notify.c - the kernel's notices of destroyed sockets (sock_diag
 * multicast groups, what ss -E reads): each full TCP or UDP socket, as it
 * is destroyed, with its last state, so a socket that lived and died
 * between two samples of --watch is still seen going */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "diag-int.h"

struct sl_diag_notify {
	struct mnl_socket *nl;
	void *buf;
	struct sl_diag_query q;
};

/* The group bits for the query's protocols and families. */
static unsigned groups(const struct sl_diag_query *q)
{
	unsigned p = q->protos ? q->protos : SL_DIAG_TCP;
	unsigned f = q->families ? q->families : SL_DIAG_V4 | SL_DIAG_V6;
	unsigned g = 0;

	if ((p & SL_DIAG_TCP) && (f & SL_DIAG_V4))
		g |= 1u << (SKNLGRP_INET_TCP_DESTROY - 1);
	if ((p & SL_DIAG_UDP) && (f & SL_DIAG_V4))
		g |= 1u << (SKNLGRP_INET_UDP_DESTROY - 1);
	if ((p & SL_DIAG_TCP) && (f & SL_DIAG_V6))
		g |= 1u << (SKNLGRP_INET6_TCP_DESTROY - 1);
	if ((p & SL_DIAG_UDP) && (f & SL_DIAG_V6))
		g |= 1u << (SKNLGRP_INET6_UDP_DESTROY - 1);
	return g;
}

int sl_diag_notify_open(struct sl_diag_notify **out,
			const struct sl_diag_query *q, struct sl_err *e)
{
	struct sl_diag_notify *n = calloc(1, sizeof(*n));
	unsigned g = groups(q);
	int rc = -ENOMEM;

	*out = NULL;
	if (!n || !(n->buf = aligned_alloc(8, SL_DIAG_DUMP_BUF)))
		goto fail;
	if (!g) {
		rc = -EINVAL;	/* unix sockets have no such notices */
		goto fail;
	}
	n->q = *q;
	n->q.states = 0;	/* every notice: its state is the last one */
	n->nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!n->nl || mnl_socket_bind(n->nl, g, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		goto fail;
	}
	*out = n;
	return 0;
fail:
	sl_diag_notify_free(n);
	return sl_err_set(e, rc, "no destroy notices from the kernel: %s",
			  strerror(-rc));
}

int sl_diag_notify_fd(const struct sl_diag_notify *n)
{
	return mnl_socket_get_fd(n->nl);
}

/* A notice carries its protocol as an attribute: find it, then decode
 * the row as a dump's. */
static int decode_notice(const struct nlmsghdr *nlh, int proto,
			 const struct sl_diag_query *q, struct sl_sock *s)
{
	struct sl_attr_cur c;
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	size_t off = NLMSG_ALIGN(sizeof(struct inet_diag_msg));
	const void *data;
	unsigned type;
	size_t n;

	(void)proto;
	if (plen <= off)
		return 0;
	c.p = (const char *)mnl_nlmsg_get_payload(nlh) + off;
	c.rem = plen - off;
	while (sl_diag_attr_next(&c, &type, &data, &n))
		if (type == INET_DIAG_PROTOCOL && n >= 1)
			return sl_diag_decode_row(nlh, *(const uint8_t *)data,
						  q, s);
	return 0;
}

int sl_diag_notify_read(struct sl_diag_notify *n, sl_sock_fn fn, void *arg)
{
	struct sl_diag_sink k = { fn, arg, 0, 0 };
	int lost = 0;

	for (;;) {
		ssize_t r = mnl_socket_recvfrom(n->nl, n->buf, SL_DIAG_DUMP_BUF);
		int rc;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == ENOBUFS) {
			lost = 1;	/* the socket overflowed: some are gone */
			continue;
		}
		if (r <= 0)
			break;
		rc = sl_diag_walk(n->buf, (size_t)r, 0, decode_notice, &n->q, &k);
		if (rc < 0 && k.fn_err)
			return k.fn_err;
	}
	return lost ? -ENOBUFS : (int)k.rows;
}

void sl_diag_notify_free(struct sl_diag_notify *n)
{
	if (!n)
		return;
	if (n->nl)
		mnl_socket_close(n->nl);
	free(n->buf);
	free(n);
}
