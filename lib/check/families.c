/* families.c - both loopback addresses: "localhost" is ::1 and
 * 127.0.0.1, and clients differ in which they try, and whether they try
 * the other one when the first is refused */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "check-int.h"

/* One exchange with addr; 1 connected, 0 not, -1 stop; what came in saw. */
static int try_one(struct ck *c, struct sl_probe *p, int family,
		   const void *addr)
{
	const char *name = c->o->name;
	struct sl_buf line = SL_BUF_INIT;
	char shown[SL_ADDRSTRLEN];
	struct sl_endpoint ep;
	const char *seg[1];
	struct ck_conn k;
	int rc, ok;

	sl_addr_make(&ep, family, addr, c->sum->port);
	sl_addr_format((const struct sockaddr *)&ep.ss, shown, sizeof(shown));
	sl_buf_printf(&line, "%s\n", name);
	seg[0] = line.data;
	ck_conn_init(&k);
	rc = ck_exchange(c, &k, &ep, seg, 1, &name, 1);
	ok = rc == 0;
	sl_buf_printf(&p->saw, "%s%s ", p->saw.len ? "; " : "", shown);
	if (rc < 0)
		sl_buf_puts(&p->saw, sl_errno_words(-rc));
	else
		ck_put_outcome(&p->saw, &k);
	ck_conn_release(&k);
	sl_buf_release(&line);
	return rc == -EINTR ? -1 : ok;
}

void ck_probe_families(struct ck *c, struct sl_probe *p)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	uint32_t lo4 = htonl(INADDR_LOOPBACK);
	int v4, v6;

	sl_buf_printf(&p->did, "sent the name to 127.0.0.1:%u and to [::1]:%u",
		      c->sum->port, c->sum->port);
	v4 = try_one(c, p, AF_INET, &lo4);
	v6 = v4 < 0 ? -1 : try_one(c, p, AF_INET6, lo6);
	if (v4 < 0 || v6 < 0)
		return;
	if (v4 && v6)
		ck_verdict(p, SL_PASS, NULL, ": the server takes clients on both");
	else if (v4)
		ck_verdict(p, SL_NOTE, "listen on ::1 as well (a second socket, AF_INET6), or have the client connect to 127.0.0.1 rather than localhost",
			   ": IPv4 (127.0.0.1) only, so a client that tries ::1 for localhost and gives up is refused");
	else if (v6)
		ck_verdict(p, SL_NOTE, "listen on 127.0.0.1 as well (a second socket, AF_INET), or have the client connect to ::1",
			   ": IPv6 (::1) only, so a client that goes to 127.0.0.1 is refused");
	else
		ck_verdict(p, SL_FAIL, "listen on 127.0.0.1 or ::1 (loopback), as the assignment asks",
			   ": neither loopback address takes a connection");
}
