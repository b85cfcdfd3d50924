/* list.c - sl_diag_list: each family and protocol asked, from netlink
 * sock_diag or, where netlink is refused, from /proc/net */
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
	struct mnl_socket *nl;
	void *buf;
	int nl_err;		/* why netlink is out, once it is */
};

/* One table through netlink; 0 or -errno (nothing appended then). */
static int from_netlink(struct lister *ls, int family, int proto,
			struct sl_sock_list *out)
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
	return sl_diag_netlink_dump(ls->nl, ls->buf, family, proto, ls->q,
				    out);
}

static int one_table(struct lister *ls, int family, int proto,
		     const char *what, struct sl_sock_list *out,
		     struct sl_err *e)
{
	int rc;

	if (ls->q->source != SL_SRC_PROC) {
		rc = from_netlink(ls, family, proto, out);
		if (rc == 0 || rc == -ENOMEM || ls->q->source == SL_SRC_NETLINK)
			goto done;
	}
	/* netlink refused (no inet_diag/udp_diag module, a sandbox): the
	 * same rows from the kernel's text tables */
	rc = sl_diag_proc_read(family, proto, ls->q, out);
done:
	if (rc == -ENOMEM)
		return sl_err_set(e, rc, "out of memory while reading the %s socket table",
				  what);
	if (rc < 0 && ls->q->source == SL_SRC_NETLINK)
		return sl_err_set(e, rc,
			"cannot read the %s socket table through netlink sock_diag: %s; try --source proc",
			what, strerror(-rc));
	if (rc < 0)
		return sl_err_set(e, rc,
			"cannot read the %s socket table from /proc/net: %s; is /proc mounted?",
			what, strerror(-rc));
	return 0;
}

int sl_diag_list(const struct sl_diag_query *q, struct sl_sock_list *out,
		 struct sl_err *e)
{
	struct lister ls = { q, NULL, NULL, 0 };
	unsigned want_p = q->protos ? q->protos : SL_DIAG_TCP;
	unsigned want_f = q->families ? q->families : SL_DIAG_V4 | SL_DIAG_V6;
	size_t before = out->n;
	int rc = 0;

	/* tcp, tcp6, udp, udp6 */
	for (size_t k = 0; k < SL_ARRAY_SIZE(protos) * SL_ARRAY_SIZE(families) &&
			   rc == 0; k++) {
		size_t i = k / SL_ARRAY_SIZE(families);
		size_t j = k % SL_ARRAY_SIZE(families);
		char what[8];

		if (!(want_p & protos[i].bit) || !(want_f & families[j].bit))
			continue;
		strcpy(what, protos[i].name);
		strcat(what, families[j].suffix);
		rc = one_table(&ls, families[j].family, protos[i].proto, what,
			       out, e);
	}
	if (ls.nl)
		mnl_socket_close(ls.nl);
	free(ls.buf);
	return rc < 0 ? rc : (int)(out->n - before);
}
