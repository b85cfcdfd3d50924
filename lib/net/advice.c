/* advice.c - socket errors in words, and the kernel's port limits */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "socklab/net.h"

static const struct sl_tok errno_words[] = {
	{ ECONNREFUSED, "refused" },
	{ ETIMEDOUT, "timed out" },
	{ EHOSTUNREACH, "host unreachable" },
	{ ENETUNREACH, "network unreachable" },
	{ ECONNRESET, "reset the connection" },
	{ EADDRNOTAVAIL, "is not an address of this machine" },
	{ EAFNOSUPPORT, "address family not supported (IPv6 disabled?)" },
	{ EACCES, "permission denied" },
	{ EPERM, "not permitted (a firewall rule?)" },
	{ EADDRINUSE, "address in use" },
	{ EPIPE, "closed the connection" },
	{ 0, NULL }
};

const char *sl_errno_words(int err)
{
	if (err < 0)
		err = -err;
	return sl_tok_name(errno_words, err, strerror(err));
}

int sl_unprivileged_port_start(void)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "r");
	int v = 1024;

	if (f) {
		if (fscanf(f, "%d", &v) != 1 || v < 0 || v > 65536)
			v = 1024;
		fclose(f);
	}
	return v;
}
