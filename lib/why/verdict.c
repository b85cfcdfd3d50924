/* verdict.c - the one verdict the facts point at: per address a reason,
 * then the most telling of them (a rule found beats a guess) */
#include <linux/rtnetlink.h>
#include <string.h>

#include "why-int.h"

static int is_wildcard(const struct sl_endpoint *ep)
{
	static const uint8_t zero[16];
	const uint8_t *a;
	size_t n;

	a = sl_why_addr_bytes(ep, &n);
	return !memcmp(a, zero, n);
}

int sl_why_listens_on(const struct sl_why_holder *h,
		      const struct sl_endpoint *addr)
{
	if (h->s.state != SL_TCP_LISTEN ||
	    h->s.local.ss.ss_family != addr->ss.ss_family)
		return 0;
	return is_wildcard(&h->s.local) || sl_why_same_addr(&h->s.local, addr);
}

/* The listener here that would take addr, or NULL. */
static const struct sl_why_holder *taker(const struct sl_why *w,
					 const struct sl_endpoint *addr)
{
	for (size_t i = 0; i < w->socks.n; i++)
		if (!w->socks.v[i].other_netns &&
		    sl_why_listens_on(&w->socks.v[i], addr))
			return &w->socks.v[i];
	return NULL;
}

/* The first listener in this namespace (other = 0) or another (1). */
static const struct sl_why_holder *any_listener(const struct sl_why *w,
						int other, int family)
{
	for (size_t i = 0; i < w->socks.n; i++) {
		const struct sl_why_holder *h = &w->socks.v[i];

		if (h->s.state == SL_TCP_LISTEN && h->other_netns == other &&
		    (!family || h->s.local.ss.ss_family == family))
			return h;
	}
	return NULL;
}

static int fw_hit(const struct sl_firewall *fw, enum sl_fw_verdict v)
{
	for (size_t i = 0; i < fw->nhits; i++) {
		const struct sl_fw_rule *r = fw->hits[i].rule;

		if (!r ? v == SL_FW_DROP : r->verdict == v)
			return 1;
	}
	return 0;
}

static int admin_prohibited(const struct sl_why_attempt *t)
{
	if (t->icmp == 4)
		return t->icmp_type == 3 &&
		       (t->icmp_code == 9 || t->icmp_code == 10 || t->icmp_code == 13);
	return t->icmp == 6 && t->icmp_type == 1 && t->icmp_code == 1;
}

static int queue_full(const struct sl_why *w, const struct sl_why_holder *h)
{
	int rising = !w->ns_before.err && !w->ns_after.err &&
		     w->ns_after.listen_overflows > w->ns_before.listen_overflows;

	return h && (h->s.rqueue > h->s.wqueue || rising);
}

static enum sl_why_verdict refused(const struct sl_why *w,
				   const struct sl_why_addr *a,
				   const struct sl_why_holder **who)
{
	int other_fam = a->ep.ss.ss_family == AF_INET6 ? AF_INET : AF_INET6;

	*who = taker(w, &a->ep);
	if ((a->att.icmp && sl_why_icmp_port_unreach(&a->att)) ||
	    fw_hit(&a->fw, SL_FW_REJECT) || *who)
		return SL_V_FW_REJECT;
	if ((*who = any_listener(w, 0, a->ep.ss.ss_family)))
		return SL_V_WRONG_ADDRESS;
	if ((*who = any_listener(w, 0, other_fam)))
		return SL_V_WRONG_FAMILY;
	if ((*who = any_listener(w, 1, 0)))
		return SL_V_OTHER_NETNS;
	if (w->o.port < w->lim.unpriv_start)
		return SL_V_PRIVILEGED;
	return SL_V_NO_LISTENER;
}

static enum sl_why_verdict failed(const struct sl_why *w,
				  const struct sl_why_addr *a,
				  const struct sl_why_holder **who)
{
	const struct sl_why_attempt *t = &a->att;

	*who = NULL;
	switch (t->result) {
	case SL_ATT_REFUSED:
		return refused(w, a, who);
	case SL_ATT_TIMEOUT:
		if (queue_full(w, (*who = taker(w, &a->ep))))
			return SL_V_BACKLOG;
		*who = NULL;
		return fw_hit(&a->fw, SL_FW_DROP) || fw_hit(&a->fw, SL_FW_REJECT)
			       ? SL_V_FW_DROP : SL_V_DROPPED;
	case SL_ATT_ICMP:
		return admin_prohibited(t) || fw_hit(&a->fw, SL_FW_REJECT)
			       ? SL_V_FW_REJECT : SL_V_ICMP;
	case SL_ATT_NOROUTE:
		return SL_V_NO_ROUTE;
	case SL_ATT_BLOCKED:
		return SL_V_FW_OUTPUT;
	default:
		return a->route.err ? SL_V_NO_ROUTE : SL_V_OTHER;
	}
}

/* Which failure says most: a rule or a queue seen beats a guess. */
static int weight(enum sl_why_verdict v)
{
	static const enum sl_why_verdict order[] = {
		SL_V_FW_REJECT, SL_V_FW_DROP, SL_V_FW_OUTPUT, SL_V_BACKLOG,
		SL_V_WRONG_FAMILY, SL_V_WRONG_ADDRESS, SL_V_OTHER_NETNS,
		SL_V_NO_ROUTE, SL_V_ICMP, SL_V_DROPPED, SL_V_PRIVILEGED,
		SL_V_NO_LISTENER, SL_V_OTHER,
	};

	for (size_t i = 0; i < SL_ARRAY_SIZE(order); i++)
		if (order[i] == v)
			return (int)(SL_ARRAY_SIZE(order) - i);
	return 0;
}

static enum sl_why_verdict connected(const struct sl_why *w,
				     const struct sl_why_addr *a,
				     const struct sl_why_holder **who)
{
	const struct sl_why_attempt *t = &a->att;

	*who = taker(w, &a->ep);
	if (!w->o.line)
		return SL_V_CONNECTED;
	if (t->replied)
		return SL_V_OK;
	if (t->closed)
		return SL_V_CLOSED;
	if (t->peer_seen && !t->accepted)
		return queue_full(w, *who) ? SL_V_BACKLOG : SL_V_NOT_ACCEPTED;
	if (t->peer_seen && t->peer_rq > 0)
		return SL_V_NOT_READ;
	if (t->our_sq > 0)
		return SL_V_SEND_STUCK;
	return SL_V_NO_ANSWER;
}

void sl_why_decide(struct sl_why *w)
{
	int best = -1;

	w->verdict = SL_V_OTHER;
	w->vaddr = 0;
	w->vholder = NULL;
	if (w->resolve_err.code || !w->n) {
		w->verdict = SL_V_RESOLVE;
		return;
	}
	for (size_t i = 0; i < w->n; i++) {
		const struct sl_why_addr *a = &w->a[i];
		const struct sl_why_holder *who = NULL;
		enum sl_why_verdict v;

		if (a->att.result == SL_ATT_NONE)
			continue;
		if (a->att.result == SL_ATT_CONNECTED) {
			v = connected(w, a, &who);
			if (v == SL_V_OK && best >= 0) {
				/* it answered, but only after the failure kept */
				w->vfail = w->verdict;
				w->verdict = SL_V_OK_FALLBACK;
				return;
			}
			w->verdict = v;
			w->vaddr = i;
			w->vholder = who;
			return;
		}
		v = failed(w, a, &who);
		if (weight(v) > best) {
			best = weight(v);
			w->verdict = v;
			w->vaddr = i;
			w->vholder = who;
		}
	}
}
