/* diag-int.h - what the files of lib/diag share and nobody else sees */
#ifndef SOCKLAB_DIAG_INT_H
#define SOCKLAB_DIAG_INT_H

#include "socklab/diag.h"

struct mnl_socket;
struct nlmsghdr;

/* The kernel fills at most ~32 KiB per recv() of a dump. */
#define SL_DIAG_DUMP_BUF 32768

/* Where decoded rows go: fn for each, counted; fn's failure kept apart
 * from the table's own. */
struct sl_diag_sink {
	sl_sock_fn fn;
	void *arg;
	size_t rows;		/* rows fn took */
	int fn_err;		/* fn's negative return, 0 while none */
};

/* Decodes one row message into s: 1 when it passes q, 0 when skipped. */
typedef int (*sl_diag_row_dec)(const struct nlmsghdr *nlh, int proto,
			       const struct sl_diag_query *q,
			       struct sl_sock *s);

/* sockdiag.c: one row message (inet_diag_msg and its attributes) into s;
 * 1 when it passes q, 0 when it is skipped or too short. */
int sl_diag_decode_row(const struct nlmsghdr *nlh, int proto,
		       const struct sl_diag_query *q, struct sl_sock *s);
/* sockdiag.c: a NETLINK_SOCK_DIAG socket; 0 or -errno. */
int sl_diag_netlink_open(struct mnl_socket **nl);
/* One dump of family/proto through buf (SL_DIAG_DUMP_BUF bytes, aligned),
 * its rows to k as they come.  family AF_UNSPEC (TCP only): both families
 * in one walk of the kernel's table, the IPv6 rows after the IPv4 ones.
 * 0 or -errno; a failure may come after some rows went to k. */
int sl_diag_netlink_dump(struct mnl_socket *nl, void *buf, int family,
			 int proto, const struct sl_diag_query *q,
			 struct sl_diag_sink *k);

/* tcpinfo.c: a cursor over netlink attributes; sl_diag_attr_next yields
 * the next one (1) or 0 at the end or at the first malformed one. */
struct sl_attr_cur {
	const char *p;
	size_t rem;
};
int sl_diag_attr_next(struct sl_attr_cur *c, unsigned *type,
		      const void **data, size_t *len);
/* The attributes after an inet_diag_msg into s (tcp_info, congestion
 * control, skmem). */
void sl_diag_decode_attrs(const void *attrs, size_t len, struct sl_sock *s);
/* A u32 array of SK_MEMINFO_* values into s->skmem. */
void sl_diag_put_skmem(struct sl_sock *s, const void *data, size_t len);

/* sockdiag.c: the messages of one recv() of a dump, rows decoded by dec
 * to k; SL_SOCKDIAG_MORE, SL_SOCKDIAG_DONE or the kernel's -errno. */
int sl_diag_walk(const void *buf, size_t len, int proto,
		 sl_diag_row_dec dec, const struct sl_diag_query *q,
		 struct sl_diag_sink *k);
/* sockdiag.c: receives a dump already requested on nl until its end;
 * 0 or -errno. */
int sl_diag_netlink_recv(struct mnl_socket *nl, void *buf, int proto,
			 sl_diag_row_dec dec, const struct sl_diag_query *q,
			 struct sl_diag_sink *k);

/* procnet.c: reads /proc/net/{tcp,tcp6,udp,udp6} for family/proto; a
 * missing file (no IPv6) is an empty table.  0 or -errno. */
int sl_diag_proc_read(int family, int proto, const struct sl_diag_query *q,
		      struct sl_sock_list *out);

/* unix.c: the AF_UNIX table through netlink, each row to k with its
 * peer's name filled in; 0 or -errno. */
int sl_diag_unix_dump(struct mnl_socket *nl, void *buf,
		      const struct sl_diag_query *q, struct sl_diag_sink *k);
/* unix.c: the same rows from /proc/net/unix (no queues, no peers). */
int sl_diag_unix_proc_read(const struct sl_diag_query *q,
			   struct sl_sock_list *out);
/* unix.c: name n bytes long (a leading NUL: abstract) into ep. */
void sl_diag_unix_name(struct sl_endpoint *ep, const char *name, size_t n);
/* owner.c: the comm of process pid (a name under /proc, procfd), "" when
 * it is gone or unreadable. */
void sl_diag_read_comm(int procfd, const char *pid, char *out, size_t outlen);

#endif
