/* nftexpr.c - one nftables rule run over the attempt's SYN as the kernel
 * would: a register file whose bytes are known (from the packet) or not;
 * a comparison on known bytes decides, on unknown ones it makes the rule
 * a "may match".  The same walk writes the rule in nft's words. */
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "why-int.h"

#define NREG 64		/* bytes of the register file (4 x 16) */

enum kind { K_RAW, K_PORT, K_L4, K_NFPROTO, K_ADDR4, K_ADDR6, K_IFNAME,
	    K_CTSTATE, K_MARK };

struct what {
	enum kind kind;
	char name[20];		/* "th dport", "ip saddr" … */
	int prefix;		/* a mask of this many leading bits, -1 none */
	int ctmask;		/* ct state bits tested by a bitwise, or 0 */
};

struct ev {
	const struct sl_fw_packet *pkt;
	int hook, nfproto;
	uint8_t v[NREG], known[NREG];
	struct what w[NREG];
	char l4[8];		/* "tcp" of a meta l4proto test, not yet shown */
	char l4seen[8];		/* … and once shown, for later th fields */
	int v6;			/* the rule tests IPv6 headers (table, nfproto) */
	struct sl_fw_rule *r;
	int broken;		/* a load that the kernel would fail: no match */
};

static void say(struct ev *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct ev *e, const char *fmt, ...)
{
	size_t n = strlen(e->r->text);
	va_list ap;

	if (n + 1 >= sizeof(e->r->text))
		return;
	if (n)
		e->r->text[n++] = ' ';
	va_start(ap, fmt);
	vsnprintf(e->r->text + n, sizeof(e->r->text) - n, fmt, ap);
	va_end(ap);
}

static void unknown(struct ev *e, const char *why)
{
	if (e->r->match == SL_FW_NO)
		return;		/* decided already: nothing is in doubt */
	if (e->r->match == SL_FW_YES)
		e->r->match = SL_FW_MAYBE;
	if (!e->r->unknown[0])
		snprintf(e->r->unknown, sizeof(e->r->unknown), "%s", why);
}

/* A register number to its byte offset; -1 for the verdict or a bad one. */
static int reg_off(uint32_t reg, size_t len)
{
	int off;

	if (reg >= NFT_REG_1 && reg <= NFT_REG_4)
		off = (int)(reg - NFT_REG_1) * 16;
	else if (reg >= NFT_REG32_00 && reg <= NFT_REG32_15)
		off = (int)(reg - NFT_REG32_00) * 4;
	else
		return -1;
	return len > 0 && (size_t)off + len <= NREG ? off : -1;
}

static void load(struct ev *e, int off, const uint8_t *v, const uint8_t *known,
		 size_t len, enum kind k, const char *name)
{
	if (off < 0 || (size_t)off + len > NREG)
		return;		/* a register the kernel would refuse */
	memcpy(e->v + off, v, len);
	memcpy(e->known + off, known, len);
	memset(&e->w[off], 0, sizeof(e->w[off]));
	e->w[off].kind = k;
	e->w[off].prefix = -1;
	/* (zeroed above: a name longer than the field is cut there) */
	memcpy(e->w[off].name, name,
	       strnlen(name, sizeof(e->w[off].name) - 1));
}

static void load_unknown(struct ev *e, int off, size_t len, const char *name)
{
	uint8_t z[NREG] = { 0 };

	load(e, off, z, z, len, K_RAW, name);
}

/* ---- the packet as the hooks see it ---- */

static int is_v6(const struct ev *e)
{
	return e->pkt->family == AF_INET6;
}

static void net_header(const struct ev *e, uint8_t *h, uint8_t *k)
{
	const struct sl_fw_packet *p = e->pkt;
	int any_src = 1;

	memset(h, 0, 40);
	memset(k, 0, 40);
	for (int i = 0; i < 16; i++)
		any_src &= p->saddr[i] == 0;
	if (is_v6(e)) {
		h[0] = 0x60;
		h[6] = IPPROTO_TCP, k[6] = 1;
		memcpy(h + 8, p->saddr, 16);
		memset(k + 8, !any_src, 16);
		memcpy(h + 24, p->daddr, 16);
		memset(k + 24, 1, 16);
	} else {
		h[0] = 0x45, k[0] = 1;
		h[9] = IPPROTO_TCP, k[9] = 1;
		memcpy(h + 12, p->saddr, 4);
		memset(k + 12, !any_src, 4);
		memcpy(h + 16, p->daddr, 4);
		memset(k + 16, 1, 4);
	}
}

static void th_header(const struct ev *e, uint8_t *h, uint8_t *k)
{
	memset(h, 0, 20);
	memset(k, 0, 20);
	h[0] = (uint8_t)(e->pkt->sport >> 8), h[1] = (uint8_t)e->pkt->sport;
	k[0] = k[1] = e->pkt->sport != 0;
	h[2] = (uint8_t)(e->pkt->dport >> 8), h[3] = (uint8_t)e->pkt->dport;
	k[2] = k[3] = 1;
	h[13] = 0x02, k[13] = 1;	/* SYN alone */
}

/* nft loads only the leading bytes of an address for a /8 or /16 */
static const char *net_name(const struct ev *e, uint32_t off, uint32_t len,
			    enum kind *k)
{
	*k = K_RAW;
	if (e->v6) {
		if ((off == 8 || off == 24) && len <= 16)
			return *k = K_ADDR6, off == 8 ? "ip6 saddr" : "ip6 daddr";
		if (off == 6 && len == 1)
			return *k = K_L4, "ip6 nexthdr";
	} else {
		if ((off == 12 || off == 16) && len <= 4)
			return *k = K_ADDR4, off == 12 ? "ip saddr" : "ip daddr";
		if (off == 9 && len == 1)
			return *k = K_L4, "ip protocol";
	}
	return "network header";
}

static void ex_payload(struct ev *e, const struct nlattr **tb)
{
	uint32_t base = sl_nla_be32(tb[NFTA_PAYLOAD_BASE], 99);
	uint32_t off = sl_nla_be32(tb[NFTA_PAYLOAD_OFFSET], 0);
	uint32_t len = sl_nla_be32(tb[NFTA_PAYLOAD_LEN], 0);
	int r = reg_off(sl_nla_be32(tb[NFTA_PAYLOAD_DREG], 0), len);
	uint8_t h[40], k[40];
	enum kind kind = K_RAW;
	const char *name;

	if (!tb[NFTA_PAYLOAD_DREG]) {
		say(e, "payload set");
		return;
	}
	if (r < 0)
		return;
	if (base == NFT_PAYLOAD_NETWORK_HEADER && off + len <= 40) {
		net_header(e, h, k);
		name = net_name(e, off, len, &kind);
		if (e->v6 != is_v6(e))	/* another family's header */
			memset(k, 0, sizeof(k));
	} else if (base == NFT_PAYLOAD_TRANSPORT_HEADER && off + len <= 20) {
		th_header(e, h, k);
		name = off == 2 && len == 2 ? "th dport" :
		       off == 0 && len == 2 ? "th sport" :
		       off == 13 && len == 1 ? "th flags" : "th header";
		if (len == 2 && off <= 2)
			kind = K_PORT;
	} else {
		load_unknown(e, r, len, "link or inner header");
		return;
	}
	load(e, r, h + off, k + off, len, kind, name);
	if ((kind == K_ADDR4 && len < 4) || (kind == K_ADDR6 && len < 16))
		e->w[r].prefix = (int)len * 8;
}

static void ex_meta(struct ev *e, const struct nlattr **tb)
{
	uint32_t key = sl_nla_be32(tb[NFTA_META_KEY], ~0u);
	int r = reg_off(sl_nla_be32(tb[NFTA_META_DREG], 0), 4);
	int in = e->hook == NF_INET_PRE_ROUTING || e->hook == NF_INET_LOCAL_IN;
	int out = e->hook == NF_INET_LOCAL_OUT || e->hook == NF_INET_POST_ROUTING;
	uint8_t v[16] = { 0 }, k[16];

	if (!tb[NFTA_META_DREG]) {
		say(e, "meta set");
		return;
	}
	memset(k, 1, sizeof(k));
	switch (key) {
	case NFT_META_L4PROTO:
		v[0] = IPPROTO_TCP;
		load(e, reg_off(sl_nla_be32(tb[NFTA_META_DREG], 0), 1), v, k, 1,
		     K_L4, "meta l4proto");
		return;
	case NFT_META_NFPROTO:
		v[0] = is_v6(e) ? NFPROTO_IPV6 : NFPROTO_IPV4;
		load(e, reg_off(sl_nla_be32(tb[NFTA_META_DREG], 0), 1), v, k, 1,
		     K_NFPROTO, "meta nfproto");
		return;
	case NFT_META_IIFNAME:
	case NFT_META_OIFNAME: {
		int iif = key == NFT_META_IIFNAME;
		const char *dev = iif ? e->pkt->iif : e->pkt->oif;
		int r16 = reg_off(sl_nla_be32(tb[NFTA_META_DREG], 0), 16);

		if (r16 < 0)
			return;
		/* no device on this side of the hook: the kernel breaks */
		if ((iif && out) || (!iif && in)) {
			e->broken = 1;
			load_unknown(e, r16, 16, iif ? "iifname" : "oifname");
			return;
		}
		if (!dev[0] || e->hook < 0) {
			load_unknown(e, r16, 16, iif ? "iifname" : "oifname");
			e->w[r16].kind = K_IFNAME;
			return;
		}
		strncpy((char *)v, dev, 16);
		load(e, r16, v, k, 16, K_IFNAME, iif ? "iifname" : "oifname");
		return;
	}
	default:
		if (r >= 0)
			load_unknown(e, r, 4, "meta");
	}
}

static void ex_ct(struct ev *e, const struct nlattr **tb)
{
	uint32_t key = sl_nla_be32(tb[NFTA_CT_KEY], ~0u);
	int r = reg_off(sl_nla_be32(tb[NFTA_CT_DREG], 0), 4);
	uint32_t st = 8;	/* NF_CT_STATE_BIT(IP_CT_NEW): a first SYN */
	uint8_t k[4] = { 1, 1, 1, 1 };

	if (!tb[NFTA_CT_DREG]) {
		say(e, "ct set");
		return;
	}
	if (r < 0)
		return;
	if (key == NFT_CT_STATE)
		load(e, r, (const uint8_t *)&st, k, 4, K_CTSTATE, "ct state");
	else
		load_unknown(e, r, 4, "ct");
}

static void ex_bitwise(struct ev *e, const struct nlattr **tb)
{
	uint32_t len = sl_nla_be32(tb[NFTA_BITWISE_LEN], 0);
	int s = reg_off(sl_nla_be32(tb[NFTA_BITWISE_SREG], 0), len);
	int d = reg_off(sl_nla_be32(tb[NFTA_BITWISE_DREG], 0), len);
	const struct nlattr *mt[NFTA_DATA_MAX + 1], *xt[NFTA_DATA_MAX + 1];
	const uint8_t *mask, *x;
	size_t mn = 0, xn = 0;
	struct what w;
	int bits = 0, contiguous = 1;

	if (s < 0 || d < 0 || sl_nla_be32(tb[NFTA_BITWISE_OP], 0) != 0 ||
	    !tb[NFTA_BITWISE_MASK] || !tb[NFTA_BITWISE_XOR])
		goto opaque;
	sl_nla_nested(tb[NFTA_BITWISE_MASK], mt, NFTA_DATA_MAX);
	sl_nla_nested(tb[NFTA_BITWISE_XOR], xt, NFTA_DATA_MAX);
	mask = sl_nla_data(mt[NFTA_DATA_VALUE], &mn);
	x = sl_nla_data(xt[NFTA_DATA_VALUE], &xn);
	if (!mask || !x || mn < len || xn < len)
		goto opaque;
	w = e->w[s];
	for (uint32_t i = 0; i < len; i++) {
		e->known[d + i] = e->known[s + i] || mask[i] == 0;
		e->v[d + i] = (uint8_t)((e->v[s + i] & mask[i]) ^ x[i]);
		for (int b = 7; b >= 0; b--) {
			int on = mask[i] >> b & 1;

			if (on && !contiguous)
				contiguous = -1;
			if (on && contiguous == 1)
				bits++;
			else if (!on)
				contiguous = 0;
		}
	}
	w.prefix = contiguous >= 0 ? bits : -1;
	if (w.kind == K_CTSTATE && len == 4)
		memcpy(&w.ctmask, mask, 4);
	e->w[d] = w;
	return;
opaque:
	if (d >= 0)
		load_unknown(e, d, len, "a computed value");
	unknown(e, "a bitwise operation socklab does not follow");
}

/* ---- values in words ---- */

static const struct sl_tok l4names[] = {
	{ IPPROTO_TCP, "tcp" }, { IPPROTO_UDP, "udp" }, { IPPROTO_ICMP, "icmp" },
	{ IPPROTO_ICMPV6, "icmpv6" }, { IPPROTO_SCTP, "sctp" }, { 0, NULL }
};

static const struct sl_tok ctbits[] = {
	{ 1, "invalid" }, { 2, "established" }, { 4, "related" }, { 8, "new" },
	{ 64, "untracked" }, { 0, NULL }
};

static void put_ct(char *out, size_t n, uint32_t bits)
{
	size_t o = 0;

	out[0] = '\0';
	for (const struct sl_tok *t = ctbits; t->name; t++)
		if ((bits & (uint32_t)t->value) && o + 14 < n)
			o += (size_t)snprintf(out + o, n - o, "%s%s",
					      o ? "," : "", t->name);
}

static void value_words(const struct what *w, const uint8_t *v, size_t len,
			char *out, size_t n)
{
	char a[INET6_ADDRSTRLEN];

	if (w->kind == K_PORT && len == 2) {
		snprintf(out, n, "%u", (unsigned)(v[0] << 8 | v[1]));
	} else if (w->kind == K_L4 && len == 1) {
		snprintf(out, n, "%s", sl_tok_name(l4names, v[0], "?"));
		if (!strcmp(out, "?"))
			snprintf(out, n, "%u", v[0]);
	} else if (w->kind == K_NFPROTO && len == 1) {
		snprintf(out, n, "%s", v[0] == NFPROTO_IPV6 ? "ipv6" :
			 v[0] == NFPROTO_IPV4 ? "ipv4" : "?");
	} else if ((w->kind == K_ADDR4 && len <= 4) ||
		   (w->kind == K_ADDR6 && len <= 16)) {
		size_t full = w->kind == K_ADDR4 ? 4 : 16;
		uint8_t pad[16] = { 0 };

		memcpy(pad, v, len);
		inet_ntop(full == 4 ? AF_INET : AF_INET6, pad, a, sizeof(a));
		if (w->prefix >= 0 && w->prefix < (int)full * 8)
			snprintf(out, n, "%s/%d", a, w->prefix);
		else
			snprintf(out, n, "%s", a);
	} else if (w->kind == K_IFNAME) {
		snprintf(out, n, "\"%.*s\"", (int)strnlen((const char *)v, len),
			 (const char *)v);
	} else {
		size_t o = snprintf(out, n, "0x");

		for (size_t i = 0; i < len && o + 3 < n; i++)
			o += (size_t)snprintf(out + o, n - o, "%02x", v[i]);
	}
}

/* "tcp dport 59001", "ip saddr != 10.0.0.0/8", "ct state established" */
static void say_test(struct ev *e, const struct what *w, const char *op,
		     const uint8_t *v, size_t len)
{
	char val[64];

	if (w->kind == K_CTSTATE && w->ctmask) {
		put_ct(val, sizeof(val), (uint32_t)w->ctmask);
		say(e, "ct state %s%s", strcmp(op, "!=") ? "!= " : "", val);
		return;
	}
	value_words(w, v, len, val, sizeof(val));
	if (w->kind == K_L4 && !strcmp(op, "") && !strcmp(w->name, "meta l4proto")) {
		snprintf(e->l4, sizeof(e->l4), "%.7s", val);
		snprintf(e->l4seen, sizeof(e->l4seen), "%.7s", val);
		return;		/* shown with the port it goes with */
	}
	if (w->kind == K_NFPROTO && !*op) {
		e->v6 = !strcmp(val, "ipv6");
		return;		/* implied by the ip/ip6 address test */
	}
	if (e->l4seen[0] && !strncmp(w->name, "th ", 3)) {
		say(e, "%s %s%s%s", e->l4seen, w->name + 3, *op ? " " : "", op);
	} else {
		if (e->l4[0])
			say(e, "meta l4proto %s", e->l4);
		say(e, "%s%s%s", w->name, *op ? " " : "", op);
	}
	e->l4[0] = '\0';
	say(e, "%s", val);
}

static void flush_l4(struct ev *e)
{
	if (e->l4[0])
		say(e, "meta l4proto %s", e->l4);
	e->l4[0] = '\0';
}

/* ---- comparisons ---- */

static const char *const cmp_ops[] = { "", "!=", "<", "<=", ">", ">=" };

static int known_all(const struct ev *e, int off, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!e->known[off + i])
			return 0;
	return 1;
}

static void decide(struct ev *e, int holds, int off, size_t len)
{
	if (!known_all(e, off, len)) {
		char why[sizeof(e->w[off].name) + 32];

		snprintf(why, sizeof(why), "%s is not known before the packet",
			 e->w[off].name);
		unknown(e, why);
	} else if (!holds) {
		e->r->match = SL_FW_NO;
	}
}

static void ex_cmp(struct ev *e, const struct nlattr **tb)
{
	const struct nlattr *dt[NFTA_DATA_MAX + 1];
	uint32_t op = sl_nla_be32(tb[NFTA_CMP_OP], 0);
	const uint8_t *v;
	size_t n = 0;
	int off, c;

	sl_nla_nested(tb[NFTA_CMP_DATA], dt, NFTA_DATA_MAX);
	v = sl_nla_data(dt[NFTA_DATA_VALUE], &n);
	off = reg_off(sl_nla_be32(tb[NFTA_CMP_SREG], 0), n);
	if (!v || off < 0 || op >= SL_ARRAY_SIZE(cmp_ops)) {
		unknown(e, "a comparison socklab cannot read");
		return;
	}
	say_test(e, &e->w[off], cmp_ops[op], v, n);
	c = memcmp(e->v + off, v, n);
	decide(e, op == NFT_CMP_EQ ? c == 0 : op == NFT_CMP_NEQ ? c != 0 :
		  op == NFT_CMP_LT ? c < 0 : op == NFT_CMP_LTE ? c <= 0 :
		  op == NFT_CMP_GT ? c > 0 : c >= 0, off, n);
}

static void ex_range(struct ev *e, const struct nlattr **tb)
{
	const struct nlattr *ft[NFTA_DATA_MAX + 1], *tt[NFTA_DATA_MAX + 1];
	uint32_t op = sl_nla_be32(tb[NFTA_RANGE_OP], 0);
	const uint8_t *from, *to;
	char a[64], b[64];
	size_t fn = 0, tn = 0;
	int off, in;

	sl_nla_nested(tb[NFTA_RANGE_FROM_DATA], ft, NFTA_DATA_MAX);
	sl_nla_nested(tb[NFTA_RANGE_TO_DATA], tt, NFTA_DATA_MAX);
	from = sl_nla_data(ft[NFTA_DATA_VALUE], &fn);
	to = sl_nla_data(tt[NFTA_DATA_VALUE], &tn);
	off = reg_off(sl_nla_be32(tb[NFTA_RANGE_SREG], 0), fn);
	if (!from || !to || fn != tn || off < 0) {
		unknown(e, "a range socklab cannot read");
		return;
	}
	value_words(&e->w[off], from, fn, a, sizeof(a));
	value_words(&e->w[off], to, tn, b, sizeof(b));
	if (e->l4seen[0] && !strncmp(e->w[off].name, "th ", 3))
		say(e, "%s %s%s %s-%s", e->l4seen, e->w[off].name + 3,
		    op ? " !=" : "", a, b);
	else
		say(e, "%s%s %s-%s", e->w[off].name, op ? " !=" : "", a, b);
	e->l4[0] = '\0';
	in = memcmp(e->v + off, from, fn) >= 0 && memcmp(e->v + off, to, fn) <= 0;
	decide(e, op == NFT_RANGE_EQ ? in : !in, off, fn);
}

/* ---- verdicts ---- */

static void ex_immediate(struct ev *e, const struct nlattr **tb)
{
	const struct nlattr *dt[NFTA_DATA_MAX + 1], *vt[NFTA_VERDICT_MAX + 1];
	uint32_t dreg = sl_nla_be32(tb[NFTA_IMMEDIATE_DREG], 0);
	size_t n = 0;
	int32_t code;

	sl_nla_nested(tb[NFTA_IMMEDIATE_DATA], dt, NFTA_DATA_MAX);
	if (dreg != NFT_REG_VERDICT) {
		const uint8_t *v = sl_nla_data(dt[NFTA_DATA_VALUE], &n);
		int off = reg_off(dreg, n);
		uint8_t k[NREG];

		memset(k, 1, sizeof(k));
		if (v && off >= 0)
			load(e, off, v, k, n, K_RAW, "a constant");
		return;
	}
	sl_nla_nested(dt[NFTA_DATA_VERDICT], vt, NFTA_VERDICT_MAX);
	code = (int32_t)sl_nla_be32(vt[NFTA_VERDICT_CODE], (uint32_t)NFT_CONTINUE);
	sl_nla_str(vt[NFTA_VERDICT_CHAIN], e->r->target, sizeof(e->r->target));
	flush_l4(e);
	switch (code) {
	case NF_ACCEPT: e->r->verdict = SL_FW_ACCEPT; say(e, "accept"); break;
	case NF_DROP: e->r->verdict = SL_FW_DROP; say(e, "drop"); break;
	case NFT_JUMP: e->r->verdict = SL_FW_JUMP; say(e, "jump %s", e->r->target); break;
	case NFT_GOTO: e->r->verdict = SL_FW_GOTO; say(e, "goto %s", e->r->target); break;
	case NFT_RETURN: e->r->verdict = SL_FW_RETURN; say(e, "return"); break;
	default: break;
	}
}

static void ex_reject(struct ev *e, const struct nlattr **tb)
{
	uint32_t type = sl_nla_be32(tb[NFTA_REJECT_TYPE], 0);
	size_t n = 0;
	const uint8_t *c = sl_nla_data(tb[NFTA_REJECT_ICMP_CODE], &n);
	unsigned code = c && n ? c[0] : 0;

	flush_l4(e);
	e->r->verdict = SL_FW_REJECT;
	if (type == NFT_REJECT_TCP_RST)
		snprintf(e->r->reject, sizeof(e->r->reject), "tcp reset");
	else if (type == NFT_REJECT_ICMPX_UNREACH)
		snprintf(e->r->reject, sizeof(e->r->reject), "icmpx %s",
			 code == NFT_REJECT_ICMPX_PORT_UNREACH ? "port-unreachable" :
			 code == NFT_REJECT_ICMPX_ADMIN_PROHIBITED ? "admin-prohibited" :
			 code == NFT_REJECT_ICMPX_HOST_UNREACH ? "host-unreachable" :
			 "no-route");
	else
		snprintf(e->r->reject, sizeof(e->r->reject), "icmp code %u", code);
	say(e, "reject with %s", e->r->reject);
}

/* An iptables target kept by iptables-nft as an xt expression. */
static void ex_target(struct ev *e, const struct nlattr **tb)
{
	char name[32];

	sl_nla_str(tb[NFTA_TARGET_NAME], name, sizeof(name));
	flush_l4(e);
	if (!strcmp(name, "REJECT")) {
		e->r->verdict = SL_FW_REJECT;
		snprintf(e->r->reject, sizeof(e->r->reject), "iptables REJECT");
		say(e, "reject");
	} else {
		say(e, "xt target %s", name);
	}
}

static void ex_other(struct ev *e, const char *name, const struct nlattr **tb)
{
	char m[32], why[64];

	if (!strcmp(name, "counter") || !strcmp(name, "log") ||
	    !strcmp(name, "notrack"))
		return;
	flush_l4(e);
	if (!strcmp(name, "match")) {
		sl_nla_str(tb[NFTA_MATCH_NAME], m, sizeof(m));
		say(e, "xt match %s", m);
		snprintf(why, sizeof(why), "the iptables match \"%s\"", m);
	} else if (!strcmp(name, "lookup")) {
		sl_nla_str(tb[NFTA_LOOKUP_SET], m, sizeof(m));
		say(e, "lookup @%s", m);
		snprintf(why, sizeof(why), "the set @%s", m);
	} else {
		say(e, "%s", name);
		snprintf(why, sizeof(why), "the \"%s\" expression", name);
	}
	/* whatever it loaded is unknown: every register is */
	memset(e->known, 0, sizeof(e->known));
	unknown(e, why);
}

/* The largest attribute number of any expression read here. */
#define EXPR_ATTR_MAX 16

static void one_expr(struct ev *e, const struct nlattr *elem)
{
	const struct nlattr *et[NFTA_EXPR_MAX + 1], *tb[EXPR_ATTR_MAX + 1];
	char name[24];

	sl_nla_nested(elem, et, NFTA_EXPR_MAX);
	sl_nla_str(et[NFTA_EXPR_NAME], name, sizeof(name));
	sl_nla_nested(et[NFTA_EXPR_DATA], tb, EXPR_ATTR_MAX);
	if (!strcmp(name, "payload")) ex_payload(e, tb);
	else if (!strcmp(name, "meta")) ex_meta(e, tb);
	else if (!strcmp(name, "ct")) ex_ct(e, tb);
	else if (!strcmp(name, "bitwise")) ex_bitwise(e, tb);
	else if (!strcmp(name, "cmp")) ex_cmp(e, tb);
	else if (!strcmp(name, "range")) ex_range(e, tb);
	else if (!strcmp(name, "immediate")) ex_immediate(e, tb);
	else if (!strcmp(name, "reject")) ex_reject(e, tb);
	else if (!strcmp(name, "target")) ex_target(e, tb);
	else ex_other(e, name, tb);
}

void sl_nft_rule_eval(const void *exprs, size_t len,
		      const struct sl_fw_packet *pkt, int nfproto, int hook,
		      struct sl_fw_rule *r)
{
	struct ev e;
	size_t off = 0;
	unsigned count = 0;

	memset(&e, 0, sizeof(e));
	e.pkt = pkt;
	e.hook = hook;
	e.nfproto = nfproto;
	e.v6 = nfproto == NFPROTO_IPV6 ||
	       (nfproto != NFPROTO_IPV4 && pkt->family == AF_INET6);
	e.r = r;
	r->match = SL_FW_YES;
	r->verdict = SL_FW_CONTINUE;
	/* the family of the table, against the packet's */
	if ((nfproto == NFPROTO_IPV4 && pkt->family != AF_INET) ||
	    (nfproto == NFPROTO_IPV6 && pkt->family != AF_INET6))
		r->match = SL_FW_NO;
	while (off < len && len - off >= NLA_HDRLEN && count++ < 128) {
		const struct nlattr *a = (const void *)((const char *)exprs + off);

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len - off)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NFTA_LIST_ELEM)
			one_expr(&e, a);
		off += NLA_ALIGN(a->nla_len);
	}
	flush_l4(&e);
	if (e.broken)
		r->match = SL_FW_NO;
}
