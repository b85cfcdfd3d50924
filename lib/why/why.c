/* why.c - the diagnosis in order: resolve, the sockets on the port, the
 * routes, the attempts, then what explains a failure (other namespaces,
 * firewall rules, counters), and the verdict */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "why-int.h"

int sl_why_prepare(struct sl_why *w, const struct sl_why_opts *o)
{
	int rc;

	memset(w, 0, sizeof(*w));
	w->o = *o;
	w->self_uid = (uint32_t)geteuid();
	w->privileged_cap = sl_why_have_cap(SL_CAP_NET_RAW);
	w->privileged_admin = sl_why_have_cap(SL_CAP_NET_ADMIN);
	if ((rc = sl_why_resolve(w)) < 0)
		return rc;
	sl_why_limits_read(&w->lim);
	sl_netstat_read(&w->ns_before);
	sl_why_socks_read(o->port, 0, &w->socks);
	for (size_t i = 0; i < w->n; i++)
		sl_route_get(&w->a[i].ep, &w->a[i].route);
	return 0;
}

static int any_listener_here(const struct sl_why *w)
{
	for (size_t i = 0; i < w->socks.n; i++)
		if (w->socks.v[i].s.state == SL_TCP_LISTEN)
			return 1;
	return 0;
}

static int is_failure(enum sl_why_result r)
{
	return r != SL_ATT_NONE && r != SL_ATT_CONNECTED;
}

void sl_why_after(struct sl_why *w)
{
	int failures = 0;

	sl_netstat_read(&w->ns_after);
	for (size_t i = 0; i < w->n; i++) {
		struct sl_why_addr *a = &w->a[i];
		struct sl_fw_packet pkt;

		if (!is_failure(a->att.result))
			continue;
		failures++;
		sl_why_fw_packet(a, &pkt);
		sl_firewall_read(&a->fw, &pkt);
	}
	/* nobody here: perhaps in a container's namespace */
	if (failures && !any_listener_here(w)) {
		sl_why_socks_release(&w->socks);
		sl_why_socks_read(w->o.port, 1, &w->socks);
	}
	sl_why_decide(w);
}

int sl_why_run(struct sl_why *w, const struct sl_why_opts *o)
{
	int rc = sl_why_prepare(w, o);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < w->n; i++) {
		sl_why_attempt(w, &w->a[i]);
		/* the client stops at the first address that connects */
		if (w->a[i].att.result == SL_ATT_CONNECTED)
			break;
	}
	sl_why_after(w);
	return 0;
}

void sl_why_release(struct sl_why *w)
{
	for (size_t i = 0; i < w->n; i++)
		sl_firewall_release(&w->a[i].fw);
	free(w->a);
	sl_why_socks_release(&w->socks);
	w->a = NULL;
	w->n = 0;
}
