/* firewall.c - which rule meets the attempt's SYN: the nftables and
 * legacy iptables rule sets read (nft.c, ipt.c), then every base chain on
 * the packet's path walked in order, following jumps, to the rule (or
 * policy) that drops or rejects it */
#include <netinet/in.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "why-int.h"

#define JUMP_DEPTH 16

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap * 2 : 16;
	void *p;

	if (n < *cap)
		return v;
	if (!(p = realloc(v, c * size)))
		return NULL;
	*cap = c;
	return p;
}

struct sl_fw_rule *sl_fw_rule_new(struct sl_fw_rules *l)
{
	void *p = grow(l->r, &l->capr, l->nr, sizeof(*l->r));

	if (!p)
		return NULL;
	l->r = p;
	memset(&l->r[l->nr], 0, sizeof(l->r[0]));
	return &l->r[l->nr++];
}

struct sl_fw_chain *sl_fw_chain_new(struct sl_fw_rules *l)
{
	void *p = grow(l->c, &l->capc, l->nc, sizeof(*l->c));

	if (!p)
		return NULL;
	l->c = p;
	memset(&l->c[l->nc], 0, sizeof(l->c[0]));
	return &l->c[l->nc++];
}

void sl_why_fw_packet(const struct sl_why_addr *a, struct sl_fw_packet *p)
{
	const struct sl_endpoint *src = &a->att.local;
	const uint8_t *d;
	size_t n;

	memset(p, 0, sizeof(*p));
	p->family = a->ep.ss.ss_family;
	d = sl_why_addr_bytes(&a->ep, &n);
	memcpy(p->daddr, d, n);
	p->dport = sl_addr_port((const struct sockaddr *)&a->ep.ss);
	if (src->ss.ss_family != p->family && a->route.has_src)
		src = &a->route.src;
	if (src->ss.ss_family == p->family) {
		d = sl_why_addr_bytes(src, &n);
		memcpy(p->saddr, d, n);
		p->sport = sl_addr_port((const struct sockaddr *)&src->ss);
	}
	p->local = a->route.type == RTN_LOCAL;
	snprintf(p->oif, sizeof(p->oif), "%.15s",
		 p->local ? "lo" : a->route.dev);
	if (p->local)
		snprintf(p->iif, sizeof(p->iif), "lo");
}

/* ---- the walk ---- */

struct walker {
	struct sl_firewall *fw;
	const struct sl_fw_chain *base;
	int uncertain;		/* a "may match" accept came before */
};

static int chain_family_ok(int fam, const struct sl_fw_packet *p)
{
	return fam == AF_UNSPEC || fam == p->family;
}

static void hit(struct walker *w, const struct sl_fw_rule *r,
		enum sl_fw_match m)
{
	struct sl_firewall *fw = w->fw;

	if (fw->nhits >= SL_ARRAY_SIZE(fw->hits))
		return;
	fw->hits[fw->nhits].rule = r;
	fw->hits[fw->nhits].base = w->base;
	fw->hits[fw->nhits].match = w->uncertain ? SL_FW_MAYBE : m;
	fw->nhits++;
}

/* 1 accepted, 2 dropped, 0 fell through (end of chain or return). */
static int walk_chain(struct walker *w, const struct sl_fw_chain *c,
		      int depth)
{
	const struct sl_fw_rules *l = &w->fw->rules;

	if (depth > JUMP_DEPTH)
		return 0;
	for (size_t i = 0; i < l->nr; i++) {
		const struct sl_fw_rule *r = &l->r[i];
		int rc;

		if (r->backend != c->backend || r->family != c->family ||
		    strcmp(r->table, c->table) || strcmp(r->chain, c->chain) ||
		    r->match == SL_FW_NO)
			continue;
		switch (r->verdict) {
		case SL_FW_ACCEPT:
			if (r->match == SL_FW_YES && !w->uncertain)
				return 1;
			w->uncertain = 1;
			break;
		case SL_FW_DROP:
		case SL_FW_REJECT:
			hit(w, r, r->match);
			if (r->match == SL_FW_YES)
				return 2;
			break;
		case SL_FW_RETURN:
			if (r->match == SL_FW_YES)
				return 0;
			break;
		case SL_FW_JUMP:
		case SL_FW_GOTO:
			for (size_t k = 0; k < l->nc; k++) {
				const struct sl_fw_chain *t = &l->c[k];

				if (t->backend != c->backend || t->family != c->family ||
				    strcmp(t->table, c->table) ||
				    strcmp(t->chain, r->target))
					continue;
				rc = walk_chain(w, t, depth + 1);
				if (rc)
					return rc;
				if (r->verdict == SL_FW_GOTO && r->match == SL_FW_YES)
					return 0;
				break;
			}
			break;
		default:
			break;
		}
	}
	return 0;
}

static int on_path(int hook, const struct sl_fw_packet *p)
{
	if (hook == NF_INET_LOCAL_OUT || hook == NF_INET_POST_ROUTING)
		return 1;
	return p->local && (hook == NF_INET_PRE_ROUTING || hook == NF_INET_LOCAL_IN);
}

void sl_firewall_walk(struct sl_firewall *fw, const struct sl_fw_packet *pkt)
{
	fw->nhits = 0;
	for (size_t i = 0; i < fw->rules.nc; i++) {
		const struct sl_fw_chain *c = &fw->rules.c[i];
		struct walker w = { fw, c, 0 };

		if (c->hook < 0 || !on_path(c->hook, pkt) ||
		    !chain_family_ok(c->family, pkt))
			continue;
		if (walk_chain(&w, c, 0) == 0 && c->policy_drop)
			hit(&w, NULL, SL_FW_YES);
	}
}

void sl_firewall_read(struct sl_firewall *fw, const struct sl_fw_packet *pkt)
{
	size_t n4 = 0, n6 = 0;

	sl_firewall_release(fw);
	fw->nft_err = sl_nft_read(pkt, &fw->rules, &fw->nft_rules);
	if (pkt->family == AF_INET6) {
		fw->ip6t_err = sl_ipt_read(AF_INET6, pkt, &fw->rules, &n6);
		fw->ipt_err = -ENOENT;
	} else {
		fw->ipt_err = sl_ipt_read(AF_INET, pkt, &fw->rules, &n4);
		fw->ip6t_err = -ENOENT;
	}
	fw->ipt_rules = n4 + n6;
	sl_firewall_walk(fw, pkt);
}

void sl_firewall_release(struct sl_firewall *fw)
{
	free(fw->rules.r);
	free(fw->rules.c);
	memset(fw, 0, sizeof(*fw));
}
