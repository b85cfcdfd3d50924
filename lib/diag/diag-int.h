/* diag-int.h - what the files of lib/diag share and nobody else sees */
#ifndef SOCKLAB_DIAG_INT_H
#define SOCKLAB_DIAG_INT_H

#include "socklab/diag.h"

struct mnl_socket;

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

/* sockdiag.c: a NETLINK_SOCK_DIAG socket; 0 or -errno. */
int sl_diag_netlink_open(struct mnl_socket **nl);
/* One dump of family/proto through buf (SL_DIAG_DUMP_BUF bytes, aligned),
 * its rows to k as they come.  family AF_UNSPEC (TCP only): both families
 * in one walk of the kernel's table, the IPv6 rows after the IPv4 ones.
 * 0 or -errno; a failure may come after some rows went to k. */
int sl_diag_netlink_dump(struct mnl_socket *nl, void *buf, int family,
			 int proto, const struct sl_diag_query *q,
			 struct sl_diag_sink *k);

/* procnet.c: reads /proc/net/{tcp,tcp6,udp,udp6} for family/proto; a
 * missing file (no IPv6) is an empty table.  0 or -errno. */
int sl_diag_proc_read(int family, int proto, const struct sl_diag_query *q,
		      struct sl_sock_list *out);

/* owner.c: the comm of process pid (a name under /proc, procfd), "" when
 * it is gone or unreadable. */
void sl_diag_read_comm(int procfd, const char *pid, char *out, size_t outlen);

#endif
