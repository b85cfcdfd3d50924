/* nft.c - the nftables rule set through netlink (NFNL_SUBSYS_NFTABLES):
 * a dump of the chains (hook, priority, policy), then of the rules, each
 * decoded and held against the attempt's SYN (nftexpr.c).  iptables-nft's
 * rules are nftables rules and come the same way. */
#include <netinet/in.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "why-int.h"

static int nf_family(int nfproto)
{
	return nfproto == NFPROTO_IPV4 ? AF_INET :
	       nfproto == NFPROTO_IPV6 ? AF_INET6 : AF_UNSPEC;
}

static void take_chain(const struct nfgenmsg *g, const void *attrs,
		       size_t len, struct sl_fw_rules *out)
{
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1], *hk[NFTA_HOOK_MAX + 1];
	struct sl_fw_chain *c;

	sl_nla_index(attrs, len, tb, NFTA_CHAIN_MAX);
	if (!(c = sl_fw_chain_new(out)))
		return;
	c->backend = 'n';
	c->family = g->nfgen_family == NFPROTO_INET ? AF_UNSPEC :
		    nf_family(g->nfgen_family);
	sl_nla_str(tb[NFTA_CHAIN_TABLE], c->table, sizeof(c->table));
	sl_nla_str(tb[NFTA_CHAIN_NAME], c->chain, sizeof(c->chain));
	c->hook = -1;
	if (tb[NFTA_CHAIN_HOOK] &&
	    (g->nfgen_family == NFPROTO_INET || g->nfgen_family == NFPROTO_IPV4 ||
	     g->nfgen_family == NFPROTO_IPV6)) {
		sl_nla_nested(tb[NFTA_CHAIN_HOOK], hk, NFTA_HOOK_MAX);
		c->hook = (int)sl_nla_be32(hk[NFTA_HOOK_HOOKNUM], (uint32_t)-1);
		c->prio = (int)sl_nla_be32(hk[NFTA_HOOK_PRIORITY], 0);
	} else if (tb[NFTA_CHAIN_HOOK]) {
		c->hook = -2;	/* netdev, bridge, arp: not on the IP path */
	}
	c->policy_drop = tb[NFTA_CHAIN_POLICY] &&
			 sl_nla_be32(tb[NFTA_CHAIN_POLICY], NF_ACCEPT) == NF_DROP;
}

/* The hook of a chain decoded before (chains are dumped first). */
static int hook_of(const struct sl_fw_rules *l, int nfproto,
		   const char *table, const char *chain)
{
	int fam = nfproto == NFPROTO_INET ? AF_UNSPEC : nf_family(nfproto);

	for (size_t i = 0; i < l->nc; i++)
		if (l->c[i].backend == 'n' && l->c[i].family == fam &&
		    !strcmp(l->c[i].table, table) && !strcmp(l->c[i].chain, chain))
			return l->c[i].hook;
	return -1;
}

static void take_rule(const struct nfgenmsg *g, const void *attrs,
		      size_t len, const struct sl_fw_packet *pkt,
		      struct sl_fw_rules *out)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
	struct sl_fw_rule *r;
	const void *ex;
	size_t n = 0;
	int fam = g->nfgen_family;

	if (fam != NFPROTO_INET && fam != NFPROTO_IPV4 && fam != NFPROTO_IPV6)
		return;		/* arp, bridge, netdev: not the IP path */
	sl_nla_index(attrs, len, tb, NFTA_RULE_MAX);
	if (!(r = sl_fw_rule_new(out)))
		return;
	r->backend = 'n';
	r->family = nf_family(fam);
	sl_nla_str(tb[NFTA_RULE_TABLE], r->table, sizeof(r->table));
	sl_nla_str(tb[NFTA_RULE_CHAIN], r->chain, sizeof(r->chain));
	r->handle = sl_nla_be64(tb[NFTA_RULE_HANDLE], 0);
	ex = sl_nla_data(tb[NFTA_RULE_EXPRESSIONS], &n);
	sl_nft_rule_eval(ex, n, pkt, fam,
			 hook_of(out, fam, r->table, r->chain), r);
}

int sl_nft_decode(const void *buf, size_t len,
		  const struct sl_fw_packet *pkt, struct sl_fw_rules *out)
{
	const char *p = buf;
	size_t rem = len;

	while (rem >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const void *)p;
		size_t mlen = nlh->nlmsg_len, step = NLMSG_ALIGN(mlen);
		const size_t hdr = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));
		int code = 0;

		if (mlen < sizeof(*nlh) || mlen > rem)
			return -EBADMSG;
		p += step < rem ? step : rem;
		rem -= step < rem ? step : rem;
		if (nlh->nlmsg_type == NLMSG_DONE)
			return SL_SOCKDIAG_DONE;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			if (mlen >= NLMSG_HDRLEN + sizeof(code))
				memcpy(&code, (const char *)nlh + NLMSG_HDRLEN,
				       sizeof(code));
			return code < 0 ? code : SL_SOCKDIAG_DONE;
		}
		if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_NFTABLES ||
		    mlen < hdr)
			continue;
		if (NFNL_MSG_TYPE(nlh->nlmsg_type) == NFT_MSG_NEWCHAIN)
			take_chain((const void *)((const char *)nlh + NLMSG_HDRLEN),
				   (const char *)nlh + hdr, mlen - hdr, out);
		else if (NFNL_MSG_TYPE(nlh->nlmsg_type) == NFT_MSG_NEWRULE)
			take_rule((const void *)((const char *)nlh + NLMSG_HDRLEN),
				  (const char *)nlh + hdr, mlen - hdr, pkt, out);
	}
	return SL_SOCKDIAG_MORE;
}

/* A dump reply: the kernel fills at most 32 KiB per message batch. */
#define DUMP_BUF 65536

static int dump(struct mnl_socket *nl, void *buf, int msg, uint32_t seq,
		const struct sl_fw_packet *pkt, struct sl_fw_rules *out)
{
	char req[128];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct nfgenmsg *g;
	int rc = SL_SOCKDIAG_MORE;

	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | msg;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = NFPROTO_UNSPEC;
	g->version = NFNETLINK_V0;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while (rc == SL_SOCKDIAG_MORE) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, DUMP_BUF);

		if (n <= 0)
			return n < 0 ? -errno : -EBADMSG;
		rc = sl_nft_decode(buf, (size_t)n, pkt, out);
	}
	return rc < 0 ? rc : 0;
}

/* The rules, or why not: no CAP_NET_ADMIN is -EPERM, a kernel without
 * nftables -ENOENT (asking may load the module, as `nft list ruleset`
 * does; that changes no filtering). */
int sl_nft_read(const struct sl_fw_packet *pkt, struct sl_fw_rules *out,
		size_t *nrules)
{
	struct mnl_socket *nl;
	void *buf;
	size_t before = out->nr;
	uint32_t seq = (uint32_t)time(NULL);
	int rc;

	*nrules = 0;
	if (!sl_why_have_cap(SL_CAP_NET_ADMIN))
		return -EPERM;
	if (!(buf = aligned_alloc(8, DUMP_BUF)))
		return -ENOMEM;
	nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!nl) {
		free(buf);
		return -errno;
	}
	rc = mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ? -errno : 0;
	if (rc == 0)
		rc = dump(nl, buf, NFT_MSG_GETCHAIN, seq, pkt, out);
	if (rc == 0)
		rc = dump(nl, buf, NFT_MSG_GETRULE, seq + 1, pkt, out);
	mnl_socket_close(nl);
	free(buf);
	*nrules = out->nr - before;
	return rc == -EOPNOTSUPP || rc == -EPROTONOSUPPORT ? -ENOENT : rc;
}
