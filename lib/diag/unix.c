/* unix.c - the kernel's unix domain sockets (ss -x, netstat -x): one
 * sock_diag dump of AF_UNIX with names, peers and queues, or the text of
 * /proc/net/unix where netlink is refused; rows are sl_sock with an
 * AF_UNIX local address, so owners, JSON and --watch work on them too */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "diag-int.h"

/* The flag /proc/net/unix shows on a listening socket (__SO_ACCEPTCON). */
#define PROC_ACCEPTCON 0x10000

static int known_type(unsigned type)
{
	return type == SOCK_STREAM || type == SOCK_DGRAM ||
	       type == SOCK_SEQPACKET;
}

/* An unnamed unix address: the family alone. */
static void unnamed(struct sl_endpoint *ep)
{
	ep->ss.ss_family = AF_UNIX;
	ep->len = offsetof(struct sockaddr_un, sun_path);
}

void sl_diag_unix_name(struct sl_endpoint *ep, const char *name, size_t n)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)&ep->ss;

	unnamed(ep);
	if (n > sizeof(sun->sun_path))
		n = sizeof(sun->sun_path);
	memcpy(sun->sun_path, name, n);
	ep->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
}

static void take_attr(struct sl_sock *s, unsigned type, const void *data,
		      size_t n)
{
	uint32_t v[2];

	switch (type) {
	case UNIX_DIAG_NAME:
		sl_diag_unix_name(&s->local, data, n);
		break;
	case UNIX_DIAG_PEER:
		if (n >= 4) {
			memcpy(v, data, 4);
			s->peer_inode = v[0];
		}
		break;
	case UNIX_DIAG_RQLEN:
		if (n >= sizeof(v)) {
			memcpy(v, data, sizeof(v));
			s->rqueue = v[0];
			s->wqueue = v[1];
			s->has |= SL_HAS_QUEUES;
		}
		break;
	case UNIX_DIAG_UID:
		if (n >= 4)
			memcpy(&s->uid, data, 4);
		break;
	case UNIX_DIAG_MEMINFO:
		sl_diag_put_skmem(s, data, n);
		break;
	default:
		break;
	}
}

static int decode_row(const struct nlmsghdr *nlh, int proto,
		      const struct sl_diag_query *q, struct sl_sock *s)
{
	struct unix_diag_msg m;
	struct sl_attr_cur c;
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	const void *data;
	unsigned type;
	size_t n;

	(void)proto;
	if (plen < sizeof(m))
		return 0;
	memcpy(&m, mnl_nlmsg_get_payload(nlh), sizeof(m));
	if (m.udiag_family != AF_UNIX || !known_type(m.udiag_type) ||
	    !m.udiag_state || m.udiag_state >= SL_TCP_MAX_STATES)
		return 0;
	memset(s, 0, sizeof(*s));
	s->type = m.udiag_type;
	s->state = m.udiag_state;
	s->inode = m.udiag_ino;
	s->cookie = (uint64_t)m.udiag_cookie[1] << 32 | m.udiag_cookie[0];
	s->has = SL_HAS_COOKIE;
	unnamed(&s->local);
	unnamed(&s->remote);
	c.p = (const char *)mnl_nlmsg_get_payload(nlh) + NLMSG_ALIGN(sizeof(m));
	c.rem = plen > NLMSG_ALIGN(sizeof(m)) ? plen - NLMSG_ALIGN(sizeof(m))
					      : 0;
	while (sl_diag_attr_next(&c, &type, &data, &n))
		take_attr(s, type, data, n);
	return sl_diag_match(q, s);
}

static int push_row(const struct sl_sock *s, void *arg)
{
	return sl_sock_list_push(arg, s);
}

int sl_unixdiag_decode(const void *buf, size_t len,
		       const struct sl_diag_query *q, struct sl_sock_list *out)
{
	struct sl_diag_sink k = { push_row, out, 0, 0 };

	return sl_diag_walk(buf, len, 0, decode_row, q, &k);
}

/* ---- the peer's name, as ss shows it: looked up in the same table ---- */

static int by_inode(const void *a, const void *b)
{
	const struct sl_sock *x = *(const struct sl_sock *const *)a;
	const struct sl_sock *y = *(const struct sl_sock *const *)b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

int sl_diag_unix_peers(struct sl_sock_list *l)
{
	const struct sl_sock **idx = malloc((l->n ? l->n : 1) * sizeof(*idx));

	if (!idx)
		return -ENOMEM;
	for (size_t i = 0; i < l->n; i++)
		idx[i] = &l->v[i];
	qsort(idx, l->n, sizeof(*idx), by_inode);
	for (size_t i = 0; i < l->n; i++) {
		struct sl_sock key = { .inode = l->v[i].peer_inode };
		const struct sl_sock *k = &key, **hit;

		if (!key.inode)
			continue;
		hit = bsearch(&k, idx, l->n, sizeof(*idx), by_inode);
		if (hit)
			l->v[i].remote = (*hit)->local;
	}
	free(idx);
	return 0;
}

/* ---- netlink ---- */

static int unix_request(struct mnl_socket *nl, const struct sl_diag_query *q)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct unix_diag_req *req;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = AF_UNIX;
	req->udiag_states = q->states ? q->states : SL_STATES_ALL;
	req->udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER |
			  UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;
	if (q->ext & SL_DIAG_EXT_MEM)
		req->udiag_show |= UDIAG_SHOW_MEMINFO;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

/* The whole table first (peers are named from it), then each row to k. */
int sl_diag_unix_dump(struct mnl_socket *nl, void *buf,
		      const struct sl_diag_query *q, struct sl_diag_sink *k)
{
	struct sl_sock_list l;
	struct sl_diag_sink all = { push_row, NULL, 0, 0 };
	int rc;

	sl_sock_list_init(&l);
	all.arg = &l;
	rc = unix_request(nl, q);
	if (rc == 0)
		rc = sl_diag_netlink_recv(nl, buf, 0, decode_row, q, &all);
	if (rc == 0)
		rc = sl_diag_unix_peers(&l);
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		if ((rc = k->fn(&l.v[i], k->arg)) < 0)
			k->fn_err = rc;
		else
			k->rows++;
	}
	sl_sock_list_release(&l);
	return rc;
}

/* ---- /proc/net/unix: "Num RefCount Protocol Flags Type St Inode Path" ---- */

/* The next blank-separated word of [*p, end); NULL when none. */
static const char *word(const char **p, const char *end, size_t *n)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	*p = s;
	while (*p < end && **p != ' ')
		(*p)++;
	*n = (size_t)(*p - s);
	return *n ? s : NULL;
}

/* A whole word as a number in base 10 or 16; -1 when it is not one. */
static int number(const char *w, size_t n, int base, uint64_t *v)
{
	*v = 0;
	if (!w || !n || n > 16)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int d = w[i] >= '0' && w[i] <= '9' ? w[i] - '0'
			: base == 16 && w[i] >= 'a' && w[i] <= 'f' ? w[i] - 'a' + 10
			: base == 16 && w[i] >= 'A' && w[i] <= 'F' ? w[i] - 'A' + 10
			: -1;

		if (d < 0)
			return -1;
		*v = *v * (uint64_t)base + (uint64_t)d;
	}
	return 0;
}

static int proc_state(uint64_t flags, uint64_t st)
{
	if (flags & PROC_ACCEPTCON)
		return SL_TCP_LISTEN;
	if (st == 3)		/* SS_CONNECTED */
		return SL_TCP_ESTABLISHED;
	if (st == 2)		/* SS_CONNECTING */
		return SL_TCP_SYN_SENT;
	return SL_TCP_CLOSE;
}

static int proc_line(const char *p, const char *end, struct sl_sock *s)
{
	uint64_t v[6];
	const char *w;
	size_t n;

	/* "ffff...:" refcount protocol flags type st, in hex */
	w = word(&p, end, &n);
	if (!w || w[n - 1] != ':' || number(w, n - 1, 16, &v[0]) < 0)
		return -1;
	for (int i = 1; i < 6; i++) {
		w = word(&p, end, &n);
		if (number(w, n, 16, &v[i]) < 0)
			return -1;
	}
	if (!known_type((unsigned)v[4]))
		return -1;
	memset(s, 0, sizeof(*s));
	s->type = (uint8_t)v[4];
	s->state = proc_state(v[3], v[5]);
	unnamed(&s->local);
	unnamed(&s->remote);
	w = word(&p, end, &n);			/* inode, in decimal */
	if (number(w, n, 10, &s->inode) < 0)
		return -1;
	if (p < end && *p == ' ')
		p++;
	if (p < end) {
		/* the kernel writes a leading NUL (an abstract name) as '@' */
		sl_diag_unix_name(&s->local, p, (size_t)(end - p));
		if (*p == '@')
			((struct sockaddr_un *)&s->local.ss)->sun_path[0] = '\0';
	}
	return 0;
}

int sl_procnet_unix_parse(const char *text, size_t len,
			  const struct sl_diag_query *q,
			  struct sl_sock_list *out)
{
	const char *p = text, *end = text + len;
	int rows = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct sl_sock s;

		if (proc_line(p, nl ? nl : end, &s) == 0 &&
		    sl_diag_match(q, &s)) {
			if (sl_sock_list_push(out, &s) < 0)
				return -ENOMEM;
			if (rows < INT32_MAX)
				rows++;
		}
		p = nl ? nl + 1 : end;
	}
	return rows;
}

int sl_diag_unix_proc_read(const struct sl_diag_query *q,
			   struct sl_sock_list *out)
{
	struct sl_buf b = SL_BUF_INIT;
	int rc = sl_read_file("/proc/net/unix", SIZE_MAX, &b);

	if (rc == 0)
		rc = sl_procnet_unix_parse(b.data, b.len, q, out);
	sl_buf_release(&b);
	return rc < 0 ? rc : 0;
}
