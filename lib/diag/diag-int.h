/* diag-int.h - what the files of lib/diag share and nobody else sees */
#ifndef SOCKLAB_DIAG_INT_H
#define SOCKLAB_DIAG_INT_H

#include "socklab/diag.h"

struct mnl_socket;

/* The kernel fills at most ~32 KiB per recv() of a dump. */
#define SL_DIAG_DUMP_BUF 32768

/* sockdiag.c: a NETLINK_SOCK_DIAG socket; 0 or -errno. */
int sl_diag_netlink_open(struct mnl_socket **nl);
/* One dump of family/proto into out through buf (SL_DIAG_DUMP_BUF bytes,
 * aligned); on failure nothing is appended.  0 or -errno. */
int sl_diag_netlink_dump(struct mnl_socket *nl, void *buf, int family,
			 int proto, const struct sl_diag_query *q,
			 struct sl_sock_list *out);

/* procnet.c: reads /proc/net/{tcp,tcp6,udp,udp6} for family/proto; a
 * missing file (no IPv6) is an empty table.  0 or -errno. */
int sl_diag_proc_read(int family, int proto, const struct sl_diag_query *q,
		      struct sl_sock_list *out);

#endif
