/* list.c - sl_diag_each and sl_diag_list: each family and protocol asked,
 * from netlink sock_diag or, where netlink is refused, from /proc/net */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "diag-int.h"

static const struct {
	unsigned bit;
	int proto;
	const char *name;
} protos[] = {
	{ SL_DIAG_TCP, IPPROTO_TCP, "tcp" },
	{ SL_DIAG_UDP, IPPROTO_UDP, "udp" },
};

static const struct {
	unsigned bit;
	int family;
	const char *suffix;
} families[] = {
	{ SL_DIAG_V4, AF_INET, "" },
	{ SL_DIAG_V6, AF_INET6, "6" },
};

struct lister {
	const struct sl_diag_query *q;
	struct sl_diag_sink k;
	struct mnl_socket *nl;
	void *buf;
	int nl_err;		/* why netlink is out, once it is */
};

/* One table through netlink; 0 or -errno. */
static int from_netlink(struct lister *ls, int family, int proto)
{
	if (ls->nl_err)
		return ls->nl_err;
	if (!ls->nl) {
		ls->buf = aligned_alloc(8, SL_DIAG_DUMP_BUF);
		if (!ls->buf)
			return -ENOMEM;
		ls->nl_err = sl_diag_netlink_open(&ls->nl);
		if (ls->nl_err)
			return ls->nl_err;
	}
	if (family == AF_UNIX)
		return sl_diag_unix_dump(ls->nl, ls->buf, ls->q, &ls->k);
	return sl_diag_netlink_dump(ls->nl, ls->buf, family, proto, ls->q,
				    &ls->k);
}

/* One table from /proc/net text, each row to the sink; 0 or -errno. */
static int from_proc(struct lister *ls, int family, int proto)
{
	struct sl_sock_list l;
	int rc;

	sl_sock_list_init(&l);
	rc = family == AF_UNIX ? sl_diag_unix_proc_read(ls->q, &l)
			       : sl_diag_proc_read(family, proto, ls->q, &l);
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		if ((rc = ls->k.fn(&l.v[i], ls->k.arg)) < 0)
			ls->k.fn_err = rc;
		else
			ls->k.rows++;
	}
	sl_sock_list_release(&l);
	return rc;
}

/* Words for a table that failed: rc, or fn's own failure. */
static int table_error(const struct lister *ls, int rc, const char *what,
		       struct sl_err *e)
{
	if (rc == -ENOMEM)
		return sl_err_set(e, rc, "out of memory while reading the %s socket table",
				  what);
	if (ls->k.fn_err)
		return sl_err_set(e, rc, "listing the %s socket table stopped: %s",
				  what, strerror(-rc));
	if (ls->q->source != SL_SRC_PROC)
		return sl_err_set(e, rc,
			"cannot read the %s socket table through netlink sock_diag: %s; try --source proc",
			what, strerror(-rc));
	return sl_err_set(e, rc,
		"cannot read the %s socket table from /proc/net: %s; is /proc mounted?",
		what, strerror(-rc));
}

/* Netlink failed: may the same table be asked another way (/proc/net, or
 * per family)?  Only when it was refused before any row went out (no
 * inet_diag/udp_diag module, a sandbox, an old kernel). */
static int may_fall_back(const struct lister *ls, int rc, size_t before)
{
	return rc != -ENOMEM && !ls->k.fn_err && ls->k.rows == before;
}

static int one_table(struct lister *ls, int family, int proto,
		     const char *what, struct sl_err *e)
{
	size_t before = ls->k.rows;
	int rc;

	if (ls->q->source != SL_SRC_PROC) {
		rc = from_netlink(ls, family, proto);
		if (rc == 0)
			return 0;
		if (ls->q->source == SL_SRC_NETLINK ||
		    !may_fall_back(ls, rc, before))
			return table_error(ls, rc, what, e);
	}
	rc = from_proc(ls, family, proto);
	return rc ? table_error(ls, rc, what, e) : 0;
}

/* TCP over both families in one dump; 1 when done that way, 0 when the
 * kernel refused the request before any row (then ask per family). */
static int both_tcp(struct lister *ls, struct sl_err *e)
{
	size_t before = ls->k.rows;
	int rc = from_netlink(ls, AF_UNSPEC, IPPROTO_TCP);

	if (rc == 0)
		return 1;
	return may_fall_back(ls, rc, before) ? 0
					      : table_error(ls, rc, "tcp", e);
}

int sl_diag_each(const struct sl_diag_query *q, sl_sock_fn fn, void *arg,
		 struct sl_err *e)
{
	struct lister ls = { q, { fn, arg, 0, 0 }, NULL, NULL, 0 };
	unsigned want_p = q->protos ? q->protos : SL_DIAG_TCP;
	unsigned want_f = q->families ? q->families : SL_DIAG_V4 | SL_DIAG_V6;
	int rc = 0, both = 0;

	if ((want_p & SL_DIAG_TCP) && want_f == (SL_DIAG_V4 | SL_DIAG_V6) &&
	    q->source != SL_SRC_PROC)
		rc = both = both_tcp(&ls, e);
	/* tcp, tcp6, udp, udp6 */
	for (size_t k = 0; k < SL_ARRAY_SIZE(protos) * SL_ARRAY_SIZE(families) &&
			   rc >= 0; k++) {
		size_t i = k / SL_ARRAY_SIZE(families);
		size_t j = k % SL_ARRAY_SIZE(families);
		char what[8];

		if (!(want_p & protos[i].bit) || !(want_f & families[j].bit) ||
		    (both && protos[i].proto == IPPROTO_TCP))
			continue;
		strcpy(what, protos[i].name);
		strcat(what, families[j].suffix);
		rc = one_table(&ls, families[j].family, protos[i].proto, what,
			       e);
	}
	if (rc >= 0 && (want_p & SL_DIAG_UNIX))
		rc = one_table(&ls, AF_UNIX, 0, "unix", e);
	if (ls.nl)
		mnl_socket_close(ls.nl);
	free(ls.buf);
	return rc < 0 ? rc : (int)ls.k.rows;
}

static int push_row(const struct sl_sock *s, void *arg)
{
	return sl_sock_list_push(arg, s);
}

int sl_diag_list(const struct sl_diag_query *q, struct sl_sock_list *out,
		 struct sl_err *e)
{
	size_t before = out->n;
	int rc = sl_diag_each(q, push_row, out, e);

	if (rc < 0)
		out->n = before;
	return rc;
}
