/* ipt.c - legacy iptables (x_tables) rules: each table of
 * /proc/net/ip{,6}_tables_names read with IPT_SO_GET_INFO and
 * IPT_SO_GET_ENTRIES, the entries walked with every offset checked and
 * held against the attempt's SYN.  Matches decoded: addresses, interfaces,
 * protocol, tcp ports and flags, multiport; others make a "may match". */
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_multiport.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "why-int.h"

static const char *const hook_names[] = {
	"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"
};

/* An entry's fixed part, the same for both families. */
struct ent {
	uint8_t src[16], dst[16], smsk[16], dmsk[16];
	char iif[IFNAMSIZ], oif[IFNAMSIZ];
	uint8_t iifm[IFNAMSIZ], oifm[IFNAMSIZ];
	unsigned proto, has_proto, invflags, is_goto;
	size_t size, target_offset, next_offset, alen;
};

/* IPT_INV_* and IP6T_INV_* share their bits */
enum { INV_IN = 0x01, INV_OUT = 0x02, INV_SRC = 0x08, INV_DST = 0x10,
       INV_PROTO = 0x40 };

static int read_ent(const uint8_t *p, size_t rem, int v6, struct ent *e)
{
	memset(e, 0, sizeof(*e));
	if (v6) {
		struct ip6t_entry x;

		if (rem < sizeof(x))
			return -1;
		memcpy(&x, p, sizeof(x));
		memcpy(e->src, &x.ipv6.src, 16), memcpy(e->dst, &x.ipv6.dst, 16);
		memcpy(e->smsk, &x.ipv6.smsk, 16), memcpy(e->dmsk, &x.ipv6.dmsk, 16);
		memcpy(e->iif, x.ipv6.iniface, IFNAMSIZ);
		memcpy(e->oif, x.ipv6.outiface, IFNAMSIZ);
		memcpy(e->iifm, x.ipv6.iniface_mask, IFNAMSIZ);
		memcpy(e->oifm, x.ipv6.outiface_mask, IFNAMSIZ);
		e->proto = x.ipv6.proto;
		e->has_proto = x.ipv6.flags & IP6T_F_PROTO;
		e->invflags = x.ipv6.invflags;
		e->is_goto = x.ipv6.flags & IP6T_F_GOTO;
		e->target_offset = x.target_offset, e->next_offset = x.next_offset;
		e->size = sizeof(x), e->alen = 16;
	} else {
		struct ipt_entry x;

		if (rem < sizeof(x))
			return -1;
		memcpy(&x, p, sizeof(x));
		memcpy(e->src, &x.ip.src, 4), memcpy(e->dst, &x.ip.dst, 4);
		memcpy(e->smsk, &x.ip.smsk, 4), memcpy(e->dmsk, &x.ip.dmsk, 4);
		memcpy(e->iif, x.ip.iniface, IFNAMSIZ);
		memcpy(e->oif, x.ip.outiface, IFNAMSIZ);
		memcpy(e->iifm, x.ip.iniface_mask, IFNAMSIZ);
		memcpy(e->oifm, x.ip.outiface_mask, IFNAMSIZ);
		e->proto = x.ip.proto;
		e->has_proto = x.ip.proto != 0;
		e->invflags = x.ip.invflags;
		e->is_goto = x.ip.flags & IPT_F_GOTO;
		e->target_offset = x.target_offset, e->next_offset = x.next_offset;
		e->size = sizeof(x), e->alen = 4;
	}
	e->iif[IFNAMSIZ - 1] = e->oif[IFNAMSIZ - 1] = '\0';
	if (e->next_offset < e->size || e->next_offset > rem ||
	    e->target_offset < e->size ||
	    e->target_offset + sizeof(struct xt_entry_target) > e->next_offset)
		return -1;
	return 0;
}

/* ---- a rule held against the packet ---- */

struct rule_ev {
	struct sl_fw_rule *r;
	const struct sl_fw_packet *pkt;
	int hook;
};

static void say(struct sl_fw_rule *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct sl_fw_rule *r, const char *fmt, ...)
{
	size_t n = strlen(r->text);
	va_list ap;

	if (n + 2 >= sizeof(r->text))
		return;
	va_start(ap, fmt);
	vsnprintf(r->text + n, sizeof(r->text) - n, fmt, ap);
	va_end(ap);
}

static void test(struct rule_ev *v, int holds, int known, const char *what)
{
	if (v->r->match == SL_FW_NO)
		return;
	if (!known) {
		v->r->match = SL_FW_MAYBE;
		if (!v->r->unknown[0])
			snprintf(v->r->unknown, sizeof(v->r->unknown), "%s", what);
	} else if (!holds) {
		v->r->match = SL_FW_NO;
	}
}

static int masked_eq(const uint8_t *a, const uint8_t *b, const uint8_t *m,
		     size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((a[i] & m[i]) != (b[i] & m[i]))
			return 0;
	return 1;
}

static int any_set(const uint8_t *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (m[i])
			return 1;
	return 0;
}

static void addr_test(struct rule_ev *v, const struct ent *e, int dst)
{
	const uint8_t *a = dst ? e->dst : e->src, *m = dst ? e->dmsk : e->smsk;
	const uint8_t *ours = dst ? v->pkt->daddr : v->pkt->saddr;
	char s[INET6_ADDRSTRLEN];
	int bits = 0, inv = e->invflags & (dst ? INV_DST : INV_SRC);

	if (!any_set(m, e->alen))
		return;
	for (size_t i = 0; i < e->alen; i++)
		bits += __builtin_popcount(m[i]);
	inet_ntop(e->alen == 16 ? AF_INET6 : AF_INET, a, s, sizeof(s));
	say(v->r, "%s -%c %s/%d", inv ? " !" : "", dst ? 'd' : 's', s, bits);
	test(v, masked_eq(a, ours, m, e->alen) != !!inv,
	     dst || any_set(v->pkt->saddr, 16), "the source address");
}

static void iface_test(struct rule_ev *v, const struct ent *e, int out)
{
	const char *name = out ? e->oif : e->iif;
	const uint8_t *m = out ? e->oifm : e->iifm;
	const char *dev = out ? v->pkt->oif : v->pkt->iif;
	int inv = e->invflags & (out ? INV_OUT : INV_IN), eq = 1;
	int side_in = v->hook == 0 || v->hook == 1;

	if (!name[0])
		return;
	say(v->r, "%s -%c %s", inv ? " !" : "", out ? 'o' : 'i', name);
	if (v->hook < 0 || !dev[0]) {
		test(v, 0, 0, "the interface");
		return;
	}
	if (out == side_in) {	/* no such device at this hook */
		test(v, 0, 1, "");
		return;
	}
	for (size_t i = 0; i < IFNAMSIZ; i++)
		if (m[i] && (uint8_t)name[i] != (uint8_t)(i < strlen(dev) ? dev[i] : 0))
			eq = 0;
	test(v, eq != !!inv, 1, "");
}

static int port_in(uint16_t p, const uint16_t *r)
{
	return p >= r[0] && p <= r[1];
}

static void match_tcp(struct rule_ev *v, const uint8_t *d, size_t n)
{
	struct xt_tcp t;

	if (n < sizeof(t)) {
		test(v, 0, 0, "a short tcp match");
		return;
	}
	memcpy(&t, d, sizeof(t));
	if (t.spts[0] != 0 || t.spts[1] != 0xffff) {
		say(v->r, "%s --sport %u:%u", t.invflags & XT_TCP_INV_SRCPT ? " !" : "",
		    t.spts[0], t.spts[1]);
		test(v, port_in(v->pkt->sport, t.spts) != !!(t.invflags & XT_TCP_INV_SRCPT),
		     v->pkt->sport != 0, "the source port");
	}
	if (t.dpts[0] != 0 || t.dpts[1] != 0xffff) {
		if (t.dpts[0] == t.dpts[1])
			say(v->r, "%s --dport %u", t.invflags & XT_TCP_INV_DSTPT ? " !" : "",
			    t.dpts[0]);
		else
			say(v->r, "%s --dport %u:%u", t.invflags & XT_TCP_INV_DSTPT ? " !" : "",
			    t.dpts[0], t.dpts[1]);
		test(v, port_in(v->pkt->dport, t.dpts) != !!(t.invflags & XT_TCP_INV_DSTPT),
		     1, "");
	}
	if (t.flg_mask) {
		say(v->r, " --tcp-flags 0x%02x 0x%02x", t.flg_mask, t.flg_cmp);
		test(v, ((0x02 & t.flg_mask) == t.flg_cmp) !=
			!!(t.invflags & XT_TCP_INV_FLAGS), 1, "");
	}
	if (t.option)
		test(v, 0, 0, "a tcp option");
}

static void match_multiport(struct rule_ev *v, const uint8_t *d, size_t n)
{
	struct xt_multiport_v1 m;
	int hit = 0;

	if (n < sizeof(m)) {
		test(v, 0, 0, "a multiport match of an old revision");
		return;
	}
	memcpy(&m, d, sizeof(m));
	if (m.count > XT_MULTI_PORTS)
		m.count = XT_MULTI_PORTS;
	say(v->r, " -m multiport%s --%sports ", m.invert ? " !" : "",
	    m.flags == XT_MULTIPORT_SOURCE ? "s" : m.flags == XT_MULTIPORT_DESTINATION ? "d" : "");
	for (unsigned i = 0; i < m.count; i++) {
		uint16_t lo = m.ports[i], hi = lo;

		if (m.pflags[i] && i + 1 < m.count)
			hi = m.ports[++i];
		say(v->r, "%s%u", strlen(v->r->text) && v->r->text[strlen(v->r->text) - 1] == ' ' ? "" : ",", lo);
		if (hi != lo)
			say(v->r, ":%u", hi);
		if (m.flags != XT_MULTIPORT_SOURCE && v->pkt->dport >= lo &&
		    v->pkt->dport <= hi)
			hit = 1;
	}
	test(v, hit != !!m.invert, m.flags == XT_MULTIPORT_DESTINATION || hit,
	     "the source port");
}

/* The matches between the entry's fixed part and its target. */
static void matches(struct rule_ev *v, const uint8_t *p, const struct ent *e)
{
	size_t off = e->size;

	while (off + sizeof(struct xt_entry_match) <= e->target_offset) {
		struct xt_entry_match m;
		char name[XT_EXTENSION_MAXNAMELEN + 1];

		memcpy(&m, p + off, sizeof(m));
		if (m.u.match_size < sizeof(m) ||
		    m.u.match_size > e->target_offset - off)
			break;
		memcpy(name, m.u.user.name, XT_EXTENSION_MAXNAMELEN);
		name[XT_EXTENSION_MAXNAMELEN] = '\0';
		if (!strcmp(name, "tcp")) {
			say(v->r, " -m tcp");
			match_tcp(v, p + off + sizeof(m), m.u.match_size - sizeof(m));
		} else if (!strcmp(name, "multiport")) {
			match_multiport(v, p + off + sizeof(m), m.u.match_size - sizeof(m));
		} else if (!strcmp(name, "udp")) {
			say(v->r, " -m udp");
			test(v, 0, 1, "");	/* the SYN is TCP */
		} else if (strcmp(name, "comment")) {
			char why[48];

			say(v->r, " -m %s", name);
			snprintf(why, sizeof(why), "the match \"%s\"", name);
			test(v, 0, 0, why);
		}
		off += m.u.match_size;
	}
}

static const char *reject_words(int v6, int with)
{
	static const char *const v4[] = {
		"icmp-net-unreachable", "icmp-host-unreachable",
		"icmp-proto-unreachable", "icmp-port-unreachable",
		"icmp-echo-reply", "icmp-net-prohibited", "icmp-host-prohibited",
		"tcp-reset", "icmp-admin-prohibited" };
	static const char *const v6w[] = {
		"icmp6-no-route", "icmp6-adm-prohibited", "icmp6-not-neighbour",
		"icmp6-addr-unreachable", "icmp6-port-unreachable",
		"icmp6-echo-reply", "tcp-reset", "icmp6-policy-fail",
		"icmp6-reject-route" };

	if (v6)
		return with >= 0 && (size_t)with < SL_ARRAY_SIZE(v6w) ? v6w[with] : "?";
	return with >= 0 && (size_t)with < SL_ARRAY_SIZE(v4) ? v4[with] : "?";
}

/* The target: verdict, jump offset (in *jump) or an extension. */
static void target(struct rule_ev *v, const uint8_t *p, const struct ent *e,
		   int v6, long *jump)
{
	struct xt_entry_target t;
	char name[XT_EXTENSION_MAXNAMELEN + 1];
	size_t dn;
	int32_t verdict = 0;
	int with = 0;

	*jump = -1;
	memcpy(&t, p + e->target_offset, sizeof(t));
	dn = e->next_offset - e->target_offset - sizeof(t);
	memcpy(name, t.u.user.name, XT_EXTENSION_MAXNAMELEN);
	name[XT_EXTENSION_MAXNAMELEN] = '\0';
	if (!name[0]) {		/* the standard target: a verdict */
		if (dn >= sizeof(verdict))
			memcpy(&verdict, p + e->target_offset + sizeof(t), 4);
		if (verdict >= 0) {
			*jump = verdict;
			v->r->verdict = e->is_goto ? SL_FW_GOTO : SL_FW_JUMP;
		} else {
			int64_t nf = -(int64_t)verdict - 1;

			v->r->verdict = nf == NF_DROP ? SL_FW_DROP :
					nf == NF_ACCEPT ? SL_FW_ACCEPT :
					verdict == XT_RETURN ? SL_FW_RETURN :
					SL_FW_CONTINUE;
			say(v->r, " -j %s", nf == NF_DROP ? "DROP" :
			    nf == NF_ACCEPT ? "ACCEPT" :
			    verdict == XT_RETURN ? "RETURN" : "QUEUE");
		}
		return;
	}
	if (!strcmp(name, "REJECT")) {
		if (dn >= sizeof(with))
			memcpy(&with, p + e->target_offset + sizeof(t), 4);
		v->r->verdict = SL_FW_REJECT;
		snprintf(v->r->reject, sizeof(v->r->reject), "%s",
			 reject_words(v6, with));
		say(v->r, " -j REJECT --reject-with %s", v->r->reject);
		return;
	}
	say(v->r, " -j %s", name);
}

/* ---- the table ---- */

struct walk {
	const uint8_t *blob;
	size_t size;
	int v6;
	const struct sl_ipt_info *info;
	const struct sl_fw_packet *pkt;
	struct sl_fw_rules *out;
	size_t first_rule;
};

/* The builtin chain starting at off, or -1. */
static int hook_at(const struct walk *w, size_t off)
{
	for (int h = 0; h < 5; h++)
		if ((w->info->valid_hooks >> h & 1) && w->info->hook_entry[h] == off)
			return h;
	return -1;
}

static int is_underflow(const struct walk *w, size_t off)
{
	for (int h = 0; h < 5; h++)
		if ((w->info->valid_hooks >> h & 1) && w->info->underflow[h] == off)
			return 1;
	return 0;
}

static void add_chain(struct walk *w, const char *name, int hook)
{
	struct sl_fw_chain *c = sl_fw_chain_new(w->out);

	if (!c)
		return;
	c->backend = 'i';
	c->family = w->v6 ? AF_INET6 : AF_INET;
	snprintf(c->table, sizeof(c->table), "%s", w->info->table);
	snprintf(c->chain, sizeof(c->chain), "%s", name);
	c->hook = hook;
}

static void one_rule(struct walk *w, size_t off, const struct ent *e,
		     const char *chain, int hook, int *rule_no, long *jump)
{
	struct sl_fw_rule *r = sl_fw_rule_new(w->out);
	struct rule_ev v = { r, w->pkt, hook };
	const uint8_t *p = w->blob + off;

	if (!r)
		return;
	r->backend = 'i';
	r->family = w->v6 ? AF_INET6 : AF_INET;
	snprintf(r->table, sizeof(r->table), "%s", w->info->table);
	snprintf(r->chain, sizeof(r->chain), "%s", chain);
	r->handle = (uint64_t)++*rule_no;
	r->match = w->pkt->family == r->family ? SL_FW_YES : SL_FW_NO;
	say(r, "-A %s", chain);
	addr_test(&v, e, 0);
	addr_test(&v, e, 1);
	iface_test(&v, e, 0);
	iface_test(&v, e, 1);
	if (e->has_proto) {
		say(r, "%s -p ", e->invflags & INV_PROTO ? " !" : "");
		say(r, e->proto == IPPROTO_TCP ? "tcp" : e->proto == IPPROTO_UDP ? "udp" :
		    e->proto == IPPROTO_ICMP ? "icmp" : e->proto == IPPROTO_ICMPV6 ? "icmpv6" : "%u",
		    e->proto);
		test(&v, (e->proto == IPPROTO_TCP) != !!(e->invflags & INV_PROTO), 1, "");
	}
	matches(&v, p, e);
	target(&v, p, e, w->v6, jump);
}

/* Jump offsets become chain names once every chain's start is known. */
static void name_jumps(struct walk *w, const long *jumps, const size_t *starts,
		       char (*names)[32], size_t nchains)
{
	for (size_t i = w->first_rule; i < w->out->nr; i++) {
		long j = jumps[i - w->first_rule];

		if (j < 0)
			continue;
		for (size_t k = 0; k < nchains; k++)
			if (starts[k] == (size_t)j) {
				struct sl_fw_rule *r = &w->out->r[i];

				snprintf(r->target, sizeof(r->target), "%s", names[k]);
				say(r, " -%c %s", r->verdict == SL_FW_GOTO ? 'g' : 'j',
				    names[k]);
			}
	}
}

/* A user chain's implicit RETURN: no match, the standard target, and the
 * next entry heads another chain (or ends the table). */
static int chain_tail(const struct walk *w, size_t off, const struct ent *e)
{
	struct xt_entry_target t;
	struct ent next;
	int32_t verdict = 0;
	size_t at = off + e->next_offset;

	if (e->target_offset != e->size ||
	    e->next_offset - e->target_offset < sizeof(t) + sizeof(verdict) ||
	    at >= w->size || read_ent(w->blob + at, w->size - at, w->v6, &next) < 0)
		return 0;
	memcpy(&t, w->blob + off + e->target_offset, sizeof(t));
	memcpy(&verdict, w->blob + off + e->target_offset + sizeof(t), 4);
	if (t.u.user.name[0] || verdict != XT_RETURN)
		return 0;
	memcpy(&t, w->blob + at + next.target_offset, sizeof(t));
	return !strncmp(t.u.user.name, XT_ERROR_TARGET, XT_EXTENSION_MAXNAMELEN);
}

#define MAX_ENTRIES 65536

int sl_ipt_decode(const void *blob, size_t size, int family,
		  const struct sl_ipt_info *info,
		  const struct sl_fw_packet *pkt, struct sl_fw_rules *out)
{
	struct walk w = { blob, size, family == AF_INET6, info, pkt, out, out->nr };
	char chain[32] = "", (*names)[32] = NULL;
	size_t off = 0, nch = 0, *starts = NULL;
	long *jumps = NULL;
	int hook = -1, rule_no = 0, rc = 0, count = 0;
	struct ent e;

	names = calloc(256, sizeof(*names));
	starts = calloc(256, sizeof(*starts));
	jumps = calloc(MAX_ENTRIES, sizeof(*jumps));
	if (!names || !starts || !jumps) {
		rc = -ENOMEM;
		goto out;
	}
	while (off < size && count++ < MAX_ENTRIES) {
		const uint8_t *p = w.blob + off;
		struct xt_entry_target t;
		long jump = -1;
		int h = hook_at(&w, off);

		if (read_ent(p, size - off, w.v6, &e) < 0) {
			rc = -EBADMSG;
			break;
		}
		memcpy(&t, p + e.target_offset, sizeof(t));
		if (h >= 0) {
			hook = h;
			rule_no = 0;
			snprintf(chain, sizeof(chain), "%s", hook_names[h]);
			add_chain(&w, chain, h);
		}
		if (!strncmp(t.u.user.name, XT_ERROR_TARGET, XT_EXTENSION_MAXNAMELEN)) {
			/* a user chain's head: its name follows the target */
			size_t dn = e.next_offset - e.target_offset - sizeof(t);
			char nm[32] = "";

			memcpy(nm, p + e.target_offset + sizeof(t),
			       dn < sizeof(nm) - 1 ? dn : sizeof(nm) - 1);
			nm[sizeof(nm) - 1] = '\0';
			hook = -1;
			rule_no = 0;
			snprintf(chain, sizeof(chain), "%s", nm);
			if (strcmp(nm, XT_ERROR_TARGET) && nch < 256) {
				add_chain(&w, nm, -1);
				snprintf(names[nch], 32, "%s", nm);
				starts[nch++] = off + e.next_offset;
			}
		} else if (is_underflow(&w, off)) {
			/* the builtin chain's policy */
			struct rule_ev v = { NULL, pkt, hook };
			struct sl_fw_rule tmp = { 0 };

			v.r = &tmp;
			target(&v, p, &e, w.v6, &jump);
			if (out->nc)
				out->c[out->nc - 1].policy_drop = tmp.verdict == SL_FW_DROP;
		} else if (chain[0] && !chain_tail(&w, off, &e)) {
			one_rule(&w, off, &e, chain, hook, &rule_no, &jump);
			if (out->nr > w.first_rule && out->nr - w.first_rule <= MAX_ENTRIES)
				jumps[out->nr - 1 - w.first_rule] = jump;
		}
		off += e.next_offset;
	}
	name_jumps(&w, jumps, starts, names, nch);
out:
	free(names);
	free(starts);
	free(jumps);
	return rc;
}

/* ---- reading it from the kernel ---- */

static int read_table(int fd, int v6, const char *table,
		      const struct sl_fw_packet *pkt, struct sl_fw_rules *out)
{
	struct ipt_getinfo gi;
	struct ipt_get_entries *ge;
	struct sl_ipt_info info = { 0 };
	socklen_t n = sizeof(gi);
	int lvl = v6 ? SOL_IPV6 : SOL_IP, rc;

	memset(&gi, 0, sizeof(gi));
	snprintf(gi.name, sizeof(gi.name), "%s", table);
	if (getsockopt(fd, lvl, v6 ? IP6T_SO_GET_INFO : IPT_SO_GET_INFO, &gi, &n) < 0)
		return -errno;
	if (gi.size > (64u << 20))
		return -E2BIG;
	snprintf(info.table, sizeof(info.table), "%s", table);
	info.valid_hooks = gi.valid_hooks;
	memcpy(info.hook_entry, gi.hook_entry, sizeof(info.hook_entry));
	memcpy(info.underflow, gi.underflow, sizeof(info.underflow));
	n = (socklen_t)(sizeof(*ge) + gi.size);
	if (!(ge = calloc(1, n)))
		return -ENOMEM;
	memcpy(ge->name, gi.name, sizeof(ge->name));
	ge->size = gi.size;
	if (getsockopt(fd, lvl, v6 ? IP6T_SO_GET_ENTRIES : IPT_SO_GET_ENTRIES, ge, &n) < 0)
		rc = -errno;
	else
		rc = sl_ipt_decode(ge->entrytable, ge->size, v6 ? AF_INET6 : AF_INET,
				   &info, pkt, out);
	free(ge);
	return rc;
}

int sl_ipt_read(int family, const struct sl_fw_packet *pkt,
		struct sl_fw_rules *out, size_t *nrules)
{
	const char *names = family == AF_INET6 ? "/proc/net/ip6_tables_names"
					       : "/proc/net/ip_tables_names";
	struct sl_buf b = SL_BUF_INIT;
	size_t before = out->nr;
	char *save = NULL, *t;
	int fd, rc;

	*nrules = 0;
	/* no file: the module is not loaded, there are no legacy rules (and
	 * asking would load it) */
	if ((rc = sl_read_file(names, 4096, &b)) < 0)
		return rc == -EACCES ? -EPERM : -ENOENT;
	if (!b.len) {
		sl_buf_release(&b);
		return -ENOENT;
	}
	if (!sl_why_have_cap(SL_CAP_NET_ADMIN)) {
		sl_buf_release(&b);
		return -EPERM;
	}
	fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	rc = fd < 0 ? -errno : 0;
	for (t = strtok_r(b.data, "\n", &save); t && rc == 0;
	     t = strtok_r(NULL, "\n", &save))
		rc = read_table(fd, family == AF_INET6, t, pkt, out);
	if (fd >= 0)
		close(fd);
	sl_buf_release(&b);
	*nrules = out->nr - before;
	return rc;
}
