/* why-words.c - the verdict of lib/why in words: what is wrong, the
 * evidence it rests on and the exact fix, shared by `socklab why` and the
 * client's failure line */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "cli.h"
#include "why-words.h"

static const struct sl_tok verdict_keys[] = {
	{ SL_V_OK, "ok" }, { SL_V_OK_FALLBACK, "ok-after-fallback" },
	{ SL_V_CONNECTED, "connected" }, { SL_V_RESOLVE, "unknown-host" },
	{ SL_V_NO_LISTENER, "nothing-listens" },
	{ SL_V_PRIVILEGED, "privileged-port" },
	{ SL_V_WRONG_FAMILY, "wrong-family" },
	{ SL_V_WRONG_ADDRESS, "wrong-address" },
	{ SL_V_OTHER_NETNS, "other-namespace" },
	{ SL_V_FW_REJECT, "firewall-reject" }, { SL_V_FW_DROP, "firewall-drop" },
	{ SL_V_FW_OUTPUT, "firewall-output" }, { SL_V_DROPPED, "dropped" },
	{ SL_V_ICMP, "unreachable" }, { SL_V_NO_ROUTE, "no-route" },
	{ SL_V_BACKLOG, "accept-queue-full" },
	{ SL_V_NOT_ACCEPTED, "not-accepted" }, { SL_V_NOT_READ, "not-read" },
	{ SL_V_NO_ANSWER, "no-answer" }, { SL_V_CLOSED, "closed" },
	{ SL_V_SEND_STUCK, "send-stuck" }, { SL_V_OTHER, "other" },
	{ 0, NULL }
};

const char *cli_why_key(enum sl_why_verdict v)
{
	return sl_tok_name(verdict_keys, v, "other");
}

void cli_why_ep(struct sl_buf *b, const struct sl_endpoint *ep)
{
	char a[SL_ADDRSTRLEN];

	sl_addr_format((const struct sockaddr *)&ep->ss, a, sizeof(a));
	sl_buf_puts(b, a);
}

static void host_of(struct sl_buf *b, const struct sl_endpoint *ep)
{
	char a[SL_ADDRSTRLEN];

	sl_addr_format_host((const struct sockaddr *)&ep->ss, a, sizeof(a));
	sl_buf_puts(b, a);
}

/* "127.0.0.1:59001 (pid 4242 python3, user alice)" */
void cli_why_holder(struct sl_buf *b, const struct sl_why_holder *h)
{
	char a[SL_ADDRSTRLEN];

	sl_sock_addr_format(&h->s.local, a, sizeof(a));
	sl_buf_puts(b, a);
	if (h->s.pid > 0) {
		sl_buf_printf(b, " (pid %d ", h->s.pid);
		sl_buf_escape(b, h->s.program, strnlen(h->s.program, sizeof(h->s.program)));
	} else {
		sl_buf_puts(b, " (owner hidden");
	}
	if (h->user[0]) {
		sl_buf_puts(b, ", user ");
		sl_buf_escape(b, h->user, strlen(h->user));
	} else {
		sl_buf_printf(b, ", uid %u", h->s.uid);
	}
	if (h->other_netns)
		sl_buf_printf(b, ", network namespace net:[%llu]",
			      (unsigned long long)h->netns);
	sl_buf_putc(b, ')');
}

/* The position of a rule among its chain's (iptables -D CHAIN N). */
static size_t position(const struct sl_fw_rules *l, const struct sl_fw_rule *r)
{
	size_t n = 0;

	for (const struct sl_fw_rule *p = l->r; p <= r && p < l->r + l->nr; p++)
		n += p->backend == r->backend && p->family == r->family &&
		     !strcmp(p->table, r->table) && !strcmp(p->chain, r->chain);
	return n;
}

/* A table iptables-nft made: iptables' table and chain names in ip/ip6. */
static int iptables_nft(const struct sl_fw_rule *r)
{
	static const char *const tables[] = { "filter", "nat", "mangle", "raw",
					      "security" };

	if (r->backend != 'n' || r->family == AF_UNSPEC)
		return 0;
	for (size_t i = 0; i < SL_ARRAY_SIZE(tables); i++)
		if (!strcmp(r->table, tables[i]))
			return r->chain[0] >= 'A' && r->chain[0] <= 'Z';
	return 0;
}

static const char *nft_family(int family)
{
	return family == AF_INET ? "ip" : family == AF_INET6 ? "ip6" : "inet";
}

static const char *ipt_cmd(const struct sl_fw_rule *r)
{
	if (r->backend == 'i')
		return r->family == AF_INET6 ? "ip6tables-legacy" : "iptables-legacy";
	return r->family == AF_INET6 ? "ip6tables" : "iptables";
}

/* 'table inet t chain in, handle 2: "tcp dport 59001 drop"' */
void cli_why_rule(struct sl_buf *b, const struct sl_firewall *fw,
		  const struct sl_fw_hit *h)
{
	const struct sl_fw_rule *r = h->rule;
	const struct sl_fw_chain *c = h->base;

	if (!r) {
		if (c->backend == 'n')
			sl_buf_printf(b, "the policy drop of chain %s in table %s ",
				      c->chain, nft_family(c->family));
		else
			sl_buf_printf(b, "the policy DROP of chain %s (%s, table ",
				      c->chain, c->family == AF_INET6 ? "ip6tables-legacy" : "iptables-legacy");
		sl_buf_escape(b, c->table, strlen(c->table));
		sl_buf_puts(b, c->backend == 'n' ? "" : ")");
		return;
	}
	if (r->backend == 'n' && !iptables_nft(r)) {
		sl_buf_printf(b, "rule \"");
		sl_buf_escape(b, r->text, strlen(r->text));
		sl_buf_printf(b, "\" (nftables: table %s ", nft_family(r->family));
		sl_buf_escape(b, r->table, strlen(r->table));
		sl_buf_puts(b, " chain ");
		sl_buf_escape(b, r->chain, strlen(r->chain));
		sl_buf_printf(b, ", handle %llu)", (unsigned long long)r->handle);
	} else {
		sl_buf_printf(b, "rule %zu of %s chain ", position(&fw->rules, r),
			      ipt_cmd(r));
		sl_buf_escape(b, r->chain, strlen(r->chain));
		sl_buf_puts(b, " (table ");
		sl_buf_escape(b, r->table, strlen(r->table));
		sl_buf_puts(b, "): \"");
		sl_buf_escape(b, r->text, strlen(r->text));
		sl_buf_putc(b, '"');
	}
	if (h->match == SL_FW_MAYBE && r->unknown[0]) {
		sl_buf_puts(b, ", if ");
		sl_buf_escape(b, r->unknown, strlen(r->unknown));
		sl_buf_puts(b, " lets it");
	}
}

/* The command that removes the rule, or lets the port through. */
static void rule_fix(struct sl_buf *b, const struct sl_firewall *fw,
		     const struct sl_fw_hit *h, unsigned port)
{
	const struct sl_fw_rule *r = h->rule;
	const struct sl_fw_chain *c = h->base;

	if (!r) {
		if (c->backend == 'n')
			sl_buf_printf(b, "let the port in: nft insert rule %s %s %s tcp dport %u accept",
				      nft_family(c->family), c->table, c->chain, port);
		else
			sl_buf_printf(b, "let the port in: %s -t %s -I %s -p tcp --dport %u -j ACCEPT",
				      c->family == AF_INET6 ? "ip6tables-legacy" : "iptables-legacy",
				      c->table, c->chain, port);
		return;
	}
	if (r->backend == 'n' && !iptables_nft(r))
		sl_buf_printf(b, "delete the rule: nft delete rule %s %s %s handle %llu",
			      nft_family(r->family), r->table, r->chain,
			      (unsigned long long)r->handle);
	else
		sl_buf_printf(b, "delete the rule: %s -t %s -D %s %zu", ipt_cmd(r),
			      r->table, r->chain, position(&fw->rules, r));
	sl_buf_printf(b, " (or accept port %u before it)", port);
}

/* The first hit that drops or rejects, or NULL. */
static const struct sl_fw_hit *first_hit(const struct sl_firewall *fw)
{
	for (size_t i = 0; i < fw->nhits; i++)
		if (fw->hits[i].match == SL_FW_YES)
			return &fw->hits[i];
	return fw->nhits ? &fw->hits[0] : NULL;
}

const char *cli_why_icmp_words(const struct sl_why_attempt *t)
{
	static const struct sl_tok v4[] = {
		{ 0, "network unreachable" }, { 1, "host unreachable" },
		{ 2, "protocol unreachable" }, { 3, "port unreachable" },
		{ 9, "network administratively prohibited" },
		{ 10, "host administratively prohibited" },
		{ 13, "communication administratively prohibited" }, { 0, NULL }
	};
	static const struct sl_tok v6[] = {
		{ 0, "no route to destination" },
		{ 1, "communication administratively prohibited" },
		{ 3, "address unreachable" }, { 4, "port unreachable" },
		{ 5, "source address failed policy" }, { 6, "reject route" },
		{ 0, NULL }
	};

	if (t->icmp == 4 && t->icmp_type == 3)
		return sl_tok_name(v4, t->icmp_code, "destination unreachable");
	if (t->icmp == 6 && t->icmp_type == 1)
		return sl_tok_name(v6, t->icmp_code, "destination unreachable");
	return "an ICMP error";
}

void cli_why_icmp(struct sl_buf *b, const struct sl_why_attempt *t)
{
	sl_buf_printf(b, "ICMP%s %s", t->icmp == 6 ? "v6" : "",
		      cli_why_icmp_words(t));
	if (t->icmp_from.len) {
		sl_buf_puts(b, " from ");
		host_of(b, &t->icmp_from);
	}
}

static void fw_unread(struct sl_buf *b, const struct sl_firewall *fw)
{
	int perm = fw->nft_err == -EPERM || fw->ipt_err == -EPERM ||
		   fw->ip6t_err == -EPERM;

	if (perm)
		sl_buf_puts(b, "; socklab could not read this machine's firewall rules (needs CAP_NET_ADMIN: run with sudo to see which rule)");
	else
		sl_buf_puts(b, "; no nftables or iptables rule here drops them");
}

static unsigned port_of(const struct sl_why *w)
{
	return w->o.port;
}

static size_t time_wait(const struct sl_why *w, uint32_t *left)
{
	size_t n = 0;

	*left = 0;
	for (size_t i = 0; i < w->socks.n; i++)
		if (w->socks.v[i].s.state == SL_TCP_TIME_WAIT &&
		    !w->socks.v[i].other_netns) {
			n++;
			if (w->socks.v[i].s.expires_ms > *left)
				*left = w->socks.v[i].s.expires_ms;
		}
	return n;
}

/* "timed out after 2 s connecting to 127.0.0.1:59001: 3 SYNs got no answer" */
static void timed_out(struct sl_buf *b, const struct sl_why_addr *a)
{
	const struct sl_why_attempt *t = &a->att;

	/* tenths of a second, as the user gave --timeout */
	sl_buf_printf(b, "timed out after %g s connecting to ",
		      (double)(long)(t->ms / 100.0 + 0.5) / 10.0);
	cli_why_ep(b, &a->ep);
	if (t->syns)
		sl_buf_printf(b, ": %u SYN%s got no answer", t->syns,
			      t->syns == 1 ? "" : "s");
	else
		sl_buf_puts(b, ": the SYNs got no answer");
}

static void say_refusal(const struct sl_why *w, enum sl_why_verdict v,
			const struct sl_why_addr *a, struct sl_buf *b,
			struct sl_buf *fix)
{
	const struct sl_why_holder *h = w->vholder;
	uint32_t left;
	size_t tw;

	sl_buf_puts(b, "connection refused on ");
	cli_why_ep(b, &a->ep);
	switch (v) {
	case SL_V_WRONG_FAMILY:
		sl_buf_puts(b, ": a server listens on ");
		cli_why_holder(b, h);
		sl_buf_printf(b, " only, %s", h->s.local.ss.ss_family == AF_INET ? "IPv4" : "IPv6");
		if (h->s.local.ss.ss_family == AF_INET)
			sl_buf_puts(fix, "use -4 or -H 127.0.0.1, or make the server listen on ::1 too");
		else
			sl_buf_puts(fix, "use -6 or -H ::1, or make the server listen on 127.0.0.1 too");
		break;
	case SL_V_WRONG_ADDRESS:
		sl_buf_puts(b, ": a server listens on ");
		cli_why_holder(b, h);
		sl_buf_printf(b, " only%s, not on ", sl_addr_is_loopback((const struct sockaddr *)&h->s.local.ss) ? " (loopback)" : "");
		host_of(b, &a->ep);
		sl_buf_puts(fix, "connect to ");
		host_of(fix, &h->s.local);
		sl_buf_puts(fix, ", or make the server listen on ");
		host_of(fix, &a->ep);
		sl_buf_printf(fix, " too (socklab server -b %s)",
			      a->ep.ss.ss_family == AF_INET6 ? "::" : "0.0.0.0");
		break;
	case SL_V_OTHER_NETNS:
		sl_buf_puts(b, ": nothing listens in this network namespace; a server listens in another one (a container?): ");
		cli_why_holder(b, h);
		if (h->s.pid > 0)
			sl_buf_printf(fix, "connect from inside that namespace (sudo nsenter -t %d -n socklab client ...), or publish the port to this one (docker run -p %u:%u)",
				      h->s.pid, port_of(w), port_of(w));
		else
			sl_buf_printf(fix, "connect from inside that namespace, or publish the port to this one (docker run -p %u:%u)",
				      port_of(w), port_of(w));
		break;
	case SL_V_PRIVILEGED:
		sl_buf_printf(b, ": nothing listens on port %u, which is below ip_unprivileged_port_start (%d): a server without root or CAP_NET_BIND_SERVICE cannot listen there",
			      port_of(w), w->lim.unpriv_start);
		sl_buf_printf(fix, "start the server as root or with CAP_NET_BIND_SERVICE, or use a port above 59000 (socklab server -p 59001)");
		break;
	default:
		sl_buf_printf(b, ": nothing listens on port %u (no address, either family)",
			      port_of(w));
		tw = time_wait(w, &left);
		if (tw)
			sl_buf_printf(b, "; %zu connection%s in TIME_WAIT (%u s left) show an earlier run ended: its server is gone",
				      tw, tw == 1 ? "" : "s", (left + 999) / 1000);
		sl_buf_printf(fix, "start the server: socklab server -p %u", port_of(w));
	}
}

static void say_firewall(const struct sl_why *w, enum sl_why_verdict v,
			 const struct sl_why_addr *a, struct sl_buf *b,
			 struct sl_buf *fix)
{
	const struct sl_why_attempt *t = &a->att;
	const struct sl_fw_hit *h = first_hit(&a->fw);

	if (v == SL_V_FW_OUTPUT) {
		sl_buf_puts(b, "the kernel refused to send the SYN to ");
		cli_why_ep(b, &a->ep);
		sl_buf_puts(b, " (operation not permitted): a firewall rule on the way out rejects it");
	} else if (v == SL_V_FW_DROP) {
		timed_out(b, a);
		sl_buf_puts(b, ": a firewall drops them");
	} else {
		sl_buf_puts(b, "rejected: ");
		cli_why_ep(b, &a->ep);
		if (t->icmp) {
			sl_buf_puts(b, " answered with ");
			cli_why_icmp(b, t);
		} else {
			sl_buf_puts(b, " answered with a RST");
			if (w->vholder) {
				sl_buf_puts(b, " although a server listens on ");
				cli_why_holder(b, w->vholder);
			}
		}
		sl_buf_puts(b, ": a firewall rejects the connection");
	}
	if (h) {
		sl_buf_puts(b, h->match == SL_FW_YES ? " — " : " — likely ");
		cli_why_rule(b, &a->fw, h);
		rule_fix(fix, &a->fw, h, port_of(w));
	} else {
		fw_unread(b, &a->fw);
		sl_buf_printf(fix, "find the rule that stops port %u (sudo socklab why shows it) and delete it, or accept the port before it",
			      port_of(w));
	}
}

static void say_path(const struct sl_why *w, enum sl_why_verdict v,
		     const struct sl_why_addr *a, struct sl_buf *b,
		     struct sl_buf *fix)
{
	const struct sl_why_attempt *t = &a->att;

	if (v == SL_V_DROPPED) {
		timed_out(b, a);
		sl_buf_puts(b, " (a closed port would refuse at once)");
		fw_unread(b, &a->fw);
		if (a->route.type != RTN_LOCAL)
			sl_buf_puts(b, " — the other host or a firewall on the way drops them");
		sl_buf_printf(fix, "check that the host is up and that its firewall lets port %u in (run socklab why 127.0.0.1 %u there)",
			      port_of(w), port_of(w));
	} else if (v == SL_V_ICMP) {
		cli_why_ep(b, &a->ep);
		if (t->icmp) {
			sl_buf_puts(b, " is unreachable: ");
			cli_why_icmp(b, t);
		} else {
			sl_buf_printf(b, " is unreachable: %s (no answer to ARP or neighbour discovery%s%s)",
				      sl_errno_words(t->err), a->route.dev[0] ? " on " : "",
				      a->route.dev);
		}
		sl_buf_puts(fix, "check the address, and that the host is up on that network");
	} else {
		sl_buf_puts(b, "no route to ");
		cli_why_ep(b, &a->ep);
		sl_buf_printf(b, ": %s", a->route.err ? sl_errno_words(a->route.err)
						     : sl_errno_words(t->err));
		sl_buf_puts(fix, "check the address (ip route shows where this machine can send; the lab uses 127.0.0.1 or ::1)");
	}
}

static void say_server(const struct sl_why *w, enum sl_why_verdict v,
		       const struct sl_why_addr *a, struct sl_buf *b,
		       struct sl_buf *fix)
{
	const struct sl_why_attempt *t = &a->att;
	const struct sl_why_holder *h = w->vholder;
	double secs = w->o.timeout_ms / 1000.0;

	switch (v) {
	case SL_V_BACKLOG:
		if (t->result == SL_ATT_TIMEOUT) {
			timed_out(b, a);
			sl_buf_puts(b, ": ");
		}
		sl_buf_puts(b, "the accept queue of ");
		if (h)
			cli_why_holder(b, h);
		else
			cli_why_ep(b, &a->ep);
		if (h)
			sl_buf_printf(b, " is full: %u connection%s wait, backlog %u",
				      h->s.rqueue, h->s.rqueue == 1 ? "" : "s", h->s.wqueue);
		else
			sl_buf_puts(b, " is full");
		if (!w->ns_after.err && !w->ns_before.err)
			sl_buf_printf(b, "; ListenOverflows +%llu during the attempt",
				      (unsigned long long)(w->ns_after.listen_overflows -
							   w->ns_before.listen_overflows));
		sl_buf_puts(b, ": the server does not call accept() (or not fast enough)");
		if (h && h->fds >= 0 && h->fd_limit > 0 && h->fds * 10 >= h->fd_limit * 9)
			sl_buf_printf(b, "; it has %d of %d descriptors open, so accept() fails (EMFILE)",
				      h->fds, h->fd_limit);
		if (h && h->fds >= 0 && h->fd_limit > 0 && h->fds * 10 >= h->fd_limit * 9)
			sl_buf_puts(fix, "raise the server's ulimit -n, or close connections it no longer needs");
		else
			sl_buf_puts(fix, "make the server accept() in a loop (or with epoll), and listen with a larger backlog (listen(fd, 128))");
		break;
	case SL_V_NOT_ACCEPTED:
		sl_buf_puts(b, "connected to ");
		cli_why_ep(b, &a->ep);
		sl_buf_puts(b, ", but the server never accepted: the connection waits in its accept queue");
		if (t->listen_seen)
			sl_buf_printf(b, " (%u waiting, backlog %u)", t->listen_rq, t->listen_wq);
		sl_buf_puts(fix, "the server must call accept() on its listening socket");
		break;
	case SL_V_NOT_READ:
		sl_buf_puts(b, "the server accepted the connection but never read: our ");
		sl_buf_printf(b, "%u bytes sit in its receive queue (Recv-Q %u)", t->peer_rq, t->peer_rq);
		if (t->peer_pid)
			sl_buf_printf(b, ", pid %d", t->peer_pid);
		sl_buf_puts(fix, "the server must recv() from the socket accept() returned, and answer each line");
		break;
	case SL_V_NO_ANSWER:
		sl_buf_printf(b, "the server read our line but sent no reply within %g s", secs);
		sl_buf_puts(fix, "make the server answer each line with a reply ending in a newline (a socklab server answers Hello, NAME!)");
		break;
	case SL_V_CLOSED:
		sl_buf_printf(b, "the server closed the connection without a reply (%zu bytes sent, %zu read)",
			      t->sent, t->reply_len);
		sl_buf_puts(fix, "look at the server's log: it closed before answering (a socklab server answers every line before it closes)");
		break;
	default:	/* SEND_STUCK */
		sl_buf_printf(b, "our %u bytes are not acknowledged (Send-Q %u): they do not reach the server", t->our_sq, t->our_sq);
		sl_buf_puts(fix, "look for a firewall rule that drops data packets (not only SYNs), or a server that stopped reading");
	}
}

void cli_why_words(const struct sl_why *w, struct sl_buf *b, struct sl_buf *fix)
{
	enum sl_why_verdict v = w->verdict == SL_V_OK_FALLBACK ? w->vfail : w->verdict;
	const struct sl_why_addr *a = w->n ? &w->a[w->vaddr] : NULL;

	if (w->verdict == SL_V_OK || w->verdict == SL_V_CONNECTED) {
		cli_why_ep(b, &a->ep);
		if (w->verdict == SL_V_CONNECTED) {
			sl_buf_puts(b, " accepts connections");
		} else {
			sl_buf_puts(b, " works: it answered \"");
			sl_buf_escape(b, a->att.reply, strcspn(a->att.reply, "\r\n") < a->att.reply_len ?
				      strcspn(a->att.reply, "\r\n") : a->att.reply_len);
			sl_buf_putc(b, '"');
		}
		sl_buf_puts(fix, "nothing to fix");
		return;
	}
	if (v == SL_V_RESOLVE) {
		sl_buf_puts(b, w->resolve_err.msg[0] ? w->resolve_err.msg : "the name does not resolve");
		sl_buf_puts(fix, "check the spelling, or use localhost, 127.0.0.1 or ::1");
		return;
	}
	if (w->verdict == SL_V_OK_FALLBACK) {
		sl_buf_puts(b, "works, but only after a failure: ");
		sl_buf_puts(fix, "the client recovered by trying the next address; a client that tries only the first one fails: ");
	}
	switch (v) {
	case SL_V_NO_LISTENER: case SL_V_PRIVILEGED: case SL_V_WRONG_FAMILY:
	case SL_V_WRONG_ADDRESS: case SL_V_OTHER_NETNS:
		say_refusal(w, v, a, b, fix);
		break;
	case SL_V_FW_REJECT: case SL_V_FW_DROP: case SL_V_FW_OUTPUT:
		say_firewall(w, v, a, b, fix);
		break;
	case SL_V_DROPPED: case SL_V_ICMP: case SL_V_NO_ROUTE:
		say_path(w, v, a, b, fix);
		break;
	case SL_V_BACKLOG: case SL_V_NOT_ACCEPTED: case SL_V_NOT_READ:
	case SL_V_NO_ANSWER: case SL_V_CLOSED: case SL_V_SEND_STUCK:
		say_server(w, v, a, b, fix);
		break;
	default:
		sl_buf_puts(b, "cannot connect to ");
		cli_why_ep(b, &a->ep);
		sl_buf_printf(b, ": %s", sl_errno_words(a->att.err));
		if (a->att.err == EADDRNOTAVAIL || a->att.err == EAFNOSUPPORT)
			sl_buf_printf(fix, "%s is not available on this machine: try the other family (-4 or -6)",
				      a->ep.ss.ss_family == AF_INET6 ? "IPv6" : "IPv4");
		else {
			sl_buf_puts(fix, "socklab why ");
			sl_buf_escape(fix, w->o.host, strlen(w->o.host));
			sl_buf_printf(fix, " %u runs every check", w->o.port);
		}
	}
}
