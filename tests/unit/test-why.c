/* test-why.c - lib/why: recorded nftables, iptables and rtnetlink replies
 * (the fuzz seeds, taken from the kernel in a namespace) decode to the
 * rules and routes they were made of; the text parsers; the verdict from
 * hand-made facts */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guard.h"

#include "socklab/why.h"

/* A corpus file, 8-aligned, exactly its size. */
static char *seed(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *p;
	long n;

	snprintf(path, sizeof(path), "tests/fuzz/corpus/%s", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open seed %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	p = aligned_alloc(8, ((size_t)n + 7) & ~(size_t)7);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* A SYN from 127.0.0.1:40000 to 127.0.0.1:59001 over lo (or ::1). */
static void syn(struct sl_fw_packet *p, int v6)
{
	memset(p, 0, sizeof(*p));
	p->family = v6 ? AF_INET6 : AF_INET;
	if (v6) {
		p->daddr[15] = p->saddr[15] = 1;
	} else {
		p->daddr[0] = p->saddr[0] = 127;
		p->daddr[3] = p->saddr[3] = 1;
	}
	p->sport = 40000;
	p->dport = 59001;
	p->local = 1;
	strcpy(p->iif, "lo");
	strcpy(p->oif, "lo");
}

static const struct sl_fw_rule *rule(const struct sl_firewall *fw,
				     const char *text)
{
	for (size_t i = 0; i < fw->rules.nr; i++)
		if (!strcmp(fw->rules.r[i].text, text))
			return &fw->rules.r[i];
	for (size_t i = 0; i < fw->rules.nr; i++)
		print_message("rule: [%s]\n", fw->rules.r[i].text);
	fail_msg("no rule \"%s\"", text);
	return NULL;
}

static void test_nft_rules(void **state)
{
	struct sl_fw_packet pkt;
	struct sl_firewall fw;
	size_t n;
	char *b = seed("nft/rules-all", &n);
	const struct sl_fw_rule *r;

	(void)state;
	/* past the fuzz seed's first byte, netlink's 4-byte alignment */
	memmove(b, b + 1, --n);
	syn(&pkt, 0);
	memset(&fw, 0, sizeof(fw));
	assert_true(sl_nft_decode(b, n, &pkt, &fw.rules) >= 0);
	assert_int_equal(fw.rules.nc, 5);
	assert_int_equal(fw.rules.c[0].hook, 1);	/* input */
	assert_true(fw.rules.c[0].policy_drop);
	assert_int_equal(rule(&fw, "ct state established,related accept")->match, SL_FW_NO);
	r = rule(&fw, "iifname \"lo\" tcp dport 59001 accept");
	assert_int_equal(r->match, SL_FW_YES);
	assert_int_equal(r->verdict, SL_FW_ACCEPT);
	assert_int_equal(rule(&fw, "ip saddr 10.0.0.0/8 tcp dport >= 1000 tcp dport <= 2000 drop")->match, SL_FW_NO);
	assert_int_equal(rule(&fw, "ip6 daddr ::1 tcp dport 59002 reject with tcp reset")->match, SL_FW_NO);
	r = rule(&fw, "meta l4proto tcp lookup @__set0 reject with icmpx port-unreachable");
	assert_int_equal(r->match, SL_FW_MAYBE);
	assert_string_equal(r->unknown, "the set @__set0");
	r = rule(&fw, "tcp dport != 22 jump sub");
	assert_string_equal(r->target, "sub");
	/* an iptables-nft rule: its multiport match is an xt expression */
	r = rule(&fw, "meta l4proto tcp xt match multiport reject");
	assert_int_equal(r->match, SL_FW_MAYBE);
	assert_string_equal(r->chain, "INPUT");
	/* inet t accepts (lo, port 59001) before its drop policy; the
	 * iptables-nft INPUT chain may reject */
	sl_firewall_walk(&fw, &pkt);
	assert_int_equal(fw.nhits, 1);
	assert_ptr_equal(fw.hits[0].rule, r);
	assert_int_equal(fw.hits[0].match, SL_FW_MAYBE);
	/* from another port the accept misses: the set may reject it, and
	 * past the jump and back the policy drops it */
	pkt.dport = 59009;
	sl_firewall_release(&fw);
	assert_true(sl_nft_decode(b, n, &pkt, &fw.rules) >= 0);
	sl_firewall_walk(&fw, &pkt);
	assert_int_equal(fw.nhits, 3);
	assert_string_equal(fw.hits[0].rule->unknown, "the set @__set0");
	assert_null(fw.hits[1].rule);
	assert_string_equal(fw.hits[1].base->chain, "in");
	assert_int_equal(fw.hits[1].match, SL_FW_YES);
	assert_string_equal(fw.hits[2].base->chain, "INPUT");
	sl_firewall_release(&fw);
	free(b);
}

/* An iptables seed (first byte: family; the hook offsets; the blob)
 * decoded against the SYN, the blob right before a PROT_NONE page. */
static void ipt_seed(const char *name, int v6, struct sl_fw_packet *pkt,
		     struct sl_firewall *fw)
{
	struct sl_ipt_info info = { "filter", 0, { 0 }, { 0 } };
	size_t n, maplen;
	char *b = seed(name, &n);
	const char *blob;
	void *map;

	syn(pkt, v6);
	memcpy(&info.valid_hooks, b + 1, 4);
	memcpy(info.hook_entry, b + 5, 20);
	memcpy(info.underflow, b + 25, 20);
	blob = guarded(b + 45, n - 45, &map, &maplen);
	memset(fw, 0, sizeof(*fw));
	assert_int_equal(sl_ipt_decode(blob, n - 45, v6 ? AF_INET6 : AF_INET,
				       &info, pkt, &fw->rules), 0);
	sl_firewall_walk(fw, pkt);
	munmap(map, maplen);
	free(b);
}

static void test_ipt_rules(void **state)
{
	struct sl_fw_packet pkt;
	struct sl_firewall fw;

	(void)state;
	ipt_seed("ipt/filter4", 0, &pkt, &fw);
	assert_int_equal(rule(&fw, "-A INPUT -s 10.0.0.0/8 -i lo -p tcp -m tcp --dport 59001 -j REJECT --reject-with icmp-admin-prohibited")->match, SL_FW_NO);
	assert_int_equal(rule(&fw, "-A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -j DROP")->match, SL_FW_NO);
	assert_string_equal(rule(&fw, "-A INPUT ! -p udp -j sub")->target, "sub");
	assert_int_equal(rule(&fw, "-A OUTPUT -d 198.18.0.0/15 -o eth0 -j DROP")->match, SL_FW_NO);
	/* the user chain's implicit RETURN is no rule */
	assert_int_equal(fw.rules.nr, 6);
	/* -m conntrack ACCEPT may let it in; else the policy drops it */
	assert_int_equal(fw.nhits, 1);
	assert_null(fw.hits[0].rule);
	assert_int_equal(fw.hits[0].match, SL_FW_MAYBE);
	sl_firewall_release(&fw);
}

static void test_ip6t_rules(void **state)
{
	struct sl_fw_packet pkt;
	struct sl_firewall fw;

	(void)state;
	ipt_seed("ipt/filter6", 1, &pkt, &fw);
	assert_int_equal(fw.nhits, 1);
	assert_string_equal(fw.hits[0].rule->text,
		"-A INPUT -p tcp -m tcp --dport 59001 -j REJECT --reject-with icmp6-adm-prohibited");
	assert_string_equal(fw.hits[0].rule->reject, "icmp6-adm-prohibited");
	assert_int_equal(fw.hits[0].match, SL_FW_YES);
	sl_firewall_release(&fw);
}

static void test_routes(void **state)
{
	static const struct { const char *name; int rc, type, gw; } want[] = {
		{ "route/local4", 0, RTN_LOCAL, 0 },
		{ "route/local6", 0, RTN_LOCAL, 0 },
		{ "route/veth", 0, RTN_UNICAST, 0 },
		{ "route/gateway", 0, RTN_UNICAST, 1 },
		{ "route/unreachable", -EHOSTUNREACH, 0, 0 },
		{ "route/none", -ENETUNREACH, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct sl_why_route r;
		size_t n;
		char *b = seed(want[i].name, &n);
		int ifindex;

		memset(&r, 0, sizeof(r));
		assert_int_equal(sl_route_decode(b, n, &r, &ifindex), want[i].rc);
		assert_int_equal(r.type, want[i].type);
		assert_int_equal(r.has_gw, want[i].gw);
		/* cut anywhere, it stays an error */
		for (size_t cut = 0; cut < n; cut++)
			assert_true(sl_route_decode(b, cut, &r, &ifindex) < 0 || cut >= 28);
		free(b);
	}
}

static void test_text_parsers(void **state)
{
	static const char netstat[] =
		"TcpExt: SyncookiesSent ListenOverflows ListenDrops TCPLostRetransmit\n"
		"TcpExt: 0 17 19 3\n"
		"IpExt: InNoRoutes\nIpExt: 0\n";
	static const char hosts[] =
		"127.0.0.1 localhost\n::1\tlocalhost ip6-localhost\n"
		"# 10.0.0.1 server.lab\n198.18.0.2 server.lab server # lab\n"
		"198.18.0.3 other\n198.18.0.2 SERVER.LAB\n";
	static const char limits[] =
		"Limit                     Soft Limit           Hard Limit           Units\n"
		"Max open files            1024                 524288               files\n";
	struct sl_netstat ns;
	struct sl_hosts_match m;
	char a[SL_ADDRSTRLEN];
	int lo, hi;

	(void)state;
	assert_int_equal(sl_netstat_parse(netstat, strlen(netstat), &ns), 0);
	assert_int_equal(ns.listen_overflows, 17);
	assert_int_equal(ns.listen_drops, 19);
	assert_int_equal(sl_netstat_parse("TcpExt: A\nTcpExt: 1\n", 20, &ns), -ENOENT);
	assert_int_equal(sl_hosts_lookup(hosts, strlen(hosts), "server.lab.", 80, &m), 1);
	sl_addr_format((const struct sockaddr *)&m.v[0].ss, a, sizeof(a));
	assert_string_equal(a, "198.18.0.2:80");
	assert_int_equal(sl_hosts_lookup(hosts, strlen(hosts), "localhost", 1, &m), 2);
	assert_int_equal(sl_hosts_lookup(hosts, strlen(hosts), "lab", 1, &m), 0);
	assert_int_equal(sl_port_range_parse("32768\t60999\n", 12, &lo, &hi), 0);
	assert_int_equal(lo, 32768);
	assert_int_equal(hi, 60999);
	assert_int_equal(sl_port_range_parse("9 1", 3, &lo, &hi), -EINVAL);
	assert_int_equal(sl_limits_nofile(limits, strlen(limits)), 1024);
	assert_int_equal(sl_limits_nofile("Max open files unlimited", 24), -1);
}

/* ---- the verdict from facts made by hand ---- */

static void make(struct sl_why *w, struct sl_why_addr *a, size_t n,
		 struct sl_why_holder *h, size_t nh)
{
	memset(w, 0, sizeof(*w));
	w->o.port = 59001;
	w->o.line = "alice";
	w->o.timeout_ms = 1000;
	w->a = a;
	w->n = n;
	w->socks.v = h;
	w->socks.n = nh;
	w->lim.unpriv_start = 1024;
}

static void addr(struct sl_why_addr *a, const char *text)
{
	struct sl_err e;

	memset(a, 0, sizeof(*a));
	assert_int_equal(sl_endpoint_parse(text, 59001, &a->ep, &e), 0);
	a->route.type = RTN_LOCAL;
}

static void listener(struct sl_why_holder *h, const char *text)
{
	memset(h, 0, sizeof(*h));
	assert_int_equal(sl_endpoint_parse(text, 59001, &h->s.local, NULL), 0);
	h->s.state = SL_TCP_LISTEN;
	h->s.wqueue = 128;
	h->s.pid = 4242;
}

static void test_verdicts(void **state)
{
	struct sl_why_addr a[2];
	struct sl_why_holder h[1];
	struct sl_why w;

	(void)state;
	/* ::1 refused, 127.0.0.1 answered: the IPv4-only trap, recovered */
	addr(&a[0], "::1");
	addr(&a[1], "127.0.0.1");
	a[0].att.result = SL_ATT_REFUSED;
	a[1].att.result = SL_ATT_CONNECTED;
	a[1].att.replied = 1;
	listener(&h[0], "127.0.0.1");
	make(&w, a, 2, h, 1);
	sl_why_decide(&w);
	assert_int_equal(w.verdict, SL_V_OK_FALLBACK);
	assert_int_equal(w.vfail, SL_V_WRONG_FAMILY);
	assert_int_equal(w.vaddr, 0);
	/* refused although the listener takes the address: a rule's RST */
	a[1].att.result = SL_ATT_REFUSED;
	make(&w, a + 1, 1, h, 1);
	sl_why_decide(&w);
	assert_int_equal(w.verdict, SL_V_FW_REJECT);
	assert_ptr_equal(w.vholder, &h[0]);
	/* timed out with the queue over its backlog: not the firewall */
	a[1].att.result = SL_ATT_TIMEOUT;
	h[0].s.rqueue = 129;
	sl_why_decide(&w);
	assert_int_equal(w.verdict, SL_V_BACKLOG);
	h[0].s.rqueue = 0;
	sl_why_decide(&w);
	assert_int_equal(w.verdict, SL_V_DROPPED);
	/* the listener in another namespace */
	h[0].other_netns = 1;
	a[1].att.result = SL_ATT_REFUSED;
	sl_why_decide(&w);
	assert_int_equal(w.verdict, SL_V_OTHER_NETNS);
	/* nobody, port 80: the privileged port */
	make(&w, a + 1, 1, NULL, 0);
	w.o.port = 80;
	sl_why_decide(&w);
	assert_int_equal(w.verdict, SL_V_PRIVILEGED);
	/* connected: not accepted / not read / no answer */
	listener(&h[0], "0.0.0.0");
	make(&w, a + 1, 1, h, 1);
	a[1].att.result = SL_ATT_CONNECTED;
	a[1].att.replied = 0;
	a[1].att.peer_seen = 1;
	sl_why_decide(&w);
	assert_int_equal(w.verdict, SL_V_NOT_ACCEPTED);
	a[1].att.accepted = 1;
	a[1].att.peer_rq = 6;
	sl_why_decide(&w);
	assert_int_equal(w.verdict, SL_V_NOT_READ);
	a[1].att.peer_rq = 0;
	sl_why_decide(&w);
	assert_int_equal(w.verdict, SL_V_NO_ANSWER);
	/* an ICMP admin-prohibited is a REJECT rule, host unreachable is not */
	a[1].att.result = SL_ATT_ICMP;
	a[1].att.icmp = 4;
	a[1].att.icmp_type = 3;
	a[1].att.icmp_code = 13;
	sl_why_decide(&w);
	assert_int_equal(w.verdict, SL_V_FW_REJECT);
	a[1].att.icmp_code = 1;
	sl_why_decide(&w);
	assert_int_equal(w.verdict, SL_V_ICMP);
	/* a name that does not resolve */
	make(&w, NULL, 0, NULL, 0);
	w.resolve_err.code = -ENOENT;
	sl_why_decide(&w);
	assert_int_equal(w.verdict, SL_V_RESOLVE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nft_rules),
		cmocka_unit_test(test_ipt_rules),
		cmocka_unit_test(test_ip6t_rules),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_text_parsers),
		cmocka_unit_test(test_verdicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
