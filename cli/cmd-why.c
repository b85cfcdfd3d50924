/* cmd-why.c - socklab why (alias doctor): "why can't my client reach my
 * server?" in one screen: every check with its evidence and its own
 * verdict, then the verdict and the exact fix */
#include <errno.h>
#include <getopt.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "cli.h"
#include "socklab/why.h"
#include "why-words.h"

#define CMD "why"

static const char usage[] =
	"usage: socklab why [-H HOST] [-p PORT] [-4|-6] [--timeout S] [--name NAME]\n"
	"                   [--no-send] [--no-capture] [--json] [[HOST] PORT]\n"
	"       socklab doctor ...   (the same)\n"
	"\n"
	"Why can't my client reach my server?  Resolves HOST (default localhost),\n"
	"looks up who listens on PORT (default 59001) in either family and in other\n"
	"network namespaces, connects to every address as the client would, and\n"
	"shows each check with its evidence, then the verdict and the exact fix.\n"
	"\n"
	"  -H, --host HOST   the server's name or address (default localhost)\n"
	"  -p, --port PORT   the server's port (default 59001)\n"
	"  -4, -6            IPv4 only / IPv6 only\n"
	"  -w, --timeout S   give each address S seconds (default 2)\n"
	"      --name NAME   the line sent once connected (default your login name)\n"
	"      --no-send     connect only, send nothing\n"
	"      --no-capture  do not capture the attempt even when permitted\n"
	"      --json        one JSON object per check, the verdict last\n"
	"  -h, --help        this help\n"
	"\n"
	"Checks that need privilege say so: the capture (CAP_NET_RAW), the firewall\n"
	"rules (CAP_NET_ADMIN), other users' processes and network namespaces (root).\n"
	"Exit status: 0 when the server answered, 1 when it did not, 2 usage error.\n";

struct why_cli {
	struct sl_why_opts o;
	int json;
	int port_given, host_given;
};

enum { OPT_JSON = 256, OPT_NAME, OPT_NO_SEND, OPT_NO_CAPTURE };

static const struct option long_opts[] = {
	{ "host", required_argument, NULL, 'H' },
	{ "port", required_argument, NULL, 'p' },
	{ "timeout", required_argument, NULL, 'w' },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "no-send", no_argument, NULL, OPT_NO_SEND },
	{ "no-capture", no_argument, NULL, OPT_NO_CAPTURE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int positionals(struct why_cli *c, int n, char **args)
{
	if (n > 2)
		return cli_usage_error(CMD, "too many arguments: give [HOST] PORT");
	if (n && (c->port_given || (n == 2 && c->host_given)))
		return cli_usage_error(CMD, "give HOST and PORT either as options or as arguments, not both");
	if (n == 2)
		c->o.host = args[0];
	if (n)
		return cli_opt_port(CMD, args[n - 1], 0, &c->o.port);
	return 0;
}

static int parse_args(struct why_cli *c, int argc, char **argv)
{
	double t = 2.0;
	int opt, rc;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":H:p:46w:h", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'H': c->o.host = optarg; c->host_given = 1; break;
		case 'p':
			if ((rc = cli_opt_port(CMD, optarg, 0, &c->o.port)))
				return rc;
			c->port_given = 1;
			break;
		case '4': c->o.family = c->o.family == AF_INET6 ? -1 : AF_INET; break;
		case '6': c->o.family = c->o.family == AF_INET ? -1 : AF_INET6; break;
		case 'w':
			if ((rc = cli_opt_seconds(CMD, "--timeout", optarg, 600, &t)))
				return rc;
			if (t <= 0)
				return cli_usage_error(CMD, "--timeout must be more than 0 seconds");
			break;
		case OPT_NAME:
			if (memchr(optarg, '\n', strlen(optarg)))
				return cli_usage_error(CMD, "--name must be one line");
			c->o.line = optarg;
			break;
		case OPT_NO_SEND: c->o.line = NULL; break;
		case OPT_NO_CAPTURE: c->o.no_capture = 1; break;
		case OPT_JSON: c->json = 1; break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		case ':':
			return cli_usage_error(CMD, "%s needs a value", argv[optind - 1]);
		default:
			return cli_bad_option(CMD, optopt, argv[optind - 1]);
		}
	}
	if (c->o.family < 0)
		return cli_usage_error(CMD, "-4 and -6 exclude each other");
	c->o.timeout_ms = (int)(t * 1000.0 + 0.5);
	return positionals(c, argc - optind, argv + optind);
}

/* ---- one check: a status word and its evidence ---- */

struct out {
	int json;
	struct sl_buf line;
};

static void check(struct out *o, const char *name, const char *status,
		  const struct sl_buf *evidence, const char *extra_json)
{
	struct sl_buf *l = &o->line;

	sl_buf_reset(l);
	if (o->json) {
		sl_buf_puts(l, "{\"check\":");
		sl_buf_json_str(l, name, strlen(name));
		sl_buf_puts(l, ",\"status\":");
		sl_buf_json_str(l, status, strlen(status));
		sl_buf_puts(l, ",\"evidence\":");
		sl_buf_json_str(l, evidence->data ? evidence->data : "", evidence->len);
		if (extra_json)
			sl_buf_puts(l, extra_json);
		sl_buf_puts(l, "}\n");
	} else {
		sl_buf_printf(l, "%-5s %-10s %s\n", status, name,
			      evidence->data ? evidence->data : "");
	}
	fwrite(l->data, 1, l->len, stdout);
}

/* ---- the checks ---- */

static const char *from_words(enum sl_why_from f)
{
	switch (f) {
	case SL_FROM_LITERAL: return "the address itself";
	case SL_FROM_LOCALHOST: return "the localhost rule of RFC 6761, whatever /etc/hosts says";
	case SL_FROM_HOSTS: return "/etc/hosts";
	default: return "the resolver (DNS)";
	}
}

static void check_name(struct out *o, const struct sl_why *w)
{
	struct sl_buf b = SL_BUF_INIT;

	if (w->resolve_err.code) {
		sl_buf_puts(&b, w->resolve_err.msg);
		check(o, "name", "FAIL", &b, NULL);
		sl_buf_release(&b);
		return;
	}
	sl_buf_escape(&b, w->o.host, strlen(w->o.host));
	sl_buf_puts(&b, " ->");
	for (size_t i = 0; i < w->n; i++) {
		sl_buf_puts(&b, i ? ", " : " ");
		cli_why_ep(&b, &w->a[i].ep);
		if (i + 1 == w->n || w->a[i].from != w->a[i + 1].from)
			sl_buf_printf(&b, " (from %s)", from_words(w->a[i].from));
	}
	sl_buf_puts(&b, w->n > 1 ? "; the client tries them in this order"
				 : "; the one address the client tries");
	check(o, "name", "ok", &b, NULL);
	sl_buf_release(&b);
}

static void holder_queue(struct sl_buf *b, const struct sl_why_holder *h)
{
	sl_buf_printf(b, ", accept queue %u of backlog %u%s", h->s.rqueue,
		      h->s.wqueue, h->s.rqueue > h->s.wqueue ? " (full)" : "");
	if (h->cmdline[0]) {
		sl_buf_puts(b, ", command \"");
		sl_buf_escape(b, h->cmdline, strlen(h->cmdline));
		sl_buf_putc(b, '"');
	}
}

static void check_listeners(struct out *o, const struct sl_why *w)
{
	struct sl_buf b = SL_BUF_INIT;
	size_t here = 0, there = 0;

	for (size_t i = 0; i < w->socks.n; i++) {
		const struct sl_why_holder *h = &w->socks.v[i];

		if (h->s.state != SL_TCP_LISTEN)
			continue;
		sl_buf_puts(&b, here + there ? "; " : "");
		if (h->other_netns && !there)
			sl_buf_puts(&b, "in another network namespace: ");
		cli_why_holder(&b, h);
		holder_queue(&b, h);
		*(h->other_netns ? &there : &here) += 1;
	}
	if (!here && !there)
		sl_buf_printf(&b, "nothing listens on port %u in this network namespace", w->o.port);
	if (w->socks.err)
		sl_buf_printf(&b, "; the socket table could not be read: %s", strerror(-w->socks.err));
	if (w->socks.hidden)
		sl_buf_printf(&b, "; %d socket%s on the port belong to other users (run with sudo to see whose)",
			      w->socks.hidden, w->socks.hidden == 1 ? "" : "s");
	if (w->socks.netns_err == -EPERM)
		sl_buf_puts(&b, "; other network namespaces not searched (needs root: CAP_SYS_ADMIN)");
	else if (w->socks.netns_seen)
		sl_buf_printf(&b, "; %u other network namespace%s searched", w->socks.netns_seen,
			      w->socks.netns_seen == 1 ? "" : "s");
	check(o, "listen", here ? "ok" : w->socks.err ? "skip" : "FAIL", &b, NULL);
	sl_buf_release(&b);
}

static const char *result_words(enum sl_why_result r)
{
	static const char *const words[] = {
		"not tried", "connected", "refused", "timed out", "unreachable",
		"no route", "blocked", "failed",
	};

	return words[r];
}

static void capture_evidence(struct sl_buf *b, const struct sl_why_attempt *t)
{
	if (t->cap_err == 0) {
		sl_buf_printf(b, "; on %s: %u SYN, %u SYN-ACK, %u RST, %u ICMP",
			      t->cap_dev, t->cap_syn, t->cap_synack, t->cap_rst, t->cap_icmp);
	} else if (t->cap_err == -EPERM) {
		sl_buf_puts(b, "; not captured (needs CAP_NET_RAW): judged from the socket alone");
	} else if (t->cap_err != -ECANCELED) {
		sl_buf_printf(b, "; not captured on %s: %s", t->cap_dev, strerror(-t->cap_err));
	}
}

static void attempt_evidence(struct sl_buf *b, const struct sl_why *w,
			     const struct sl_why_attempt *t)
{
	switch (t->result) {
	case SL_ATT_NONE:
		sl_buf_puts(b, "not tried: the client stops at the first address that connects");
		return;
	case SL_ATT_CONNECTED:
		sl_buf_printf(b, "connected in %.1f ms from ", t->ms);
		cli_why_ep(b, &t->local);
		if (!w->o.line)
			break;
		sl_buf_printf(b, "; sent %zu bytes", t->sent);
		if (t->replied) {
			sl_buf_puts(b, ", reply \"");
			sl_buf_escape(b, t->reply, strcspn(t->reply, "\r\n") < t->reply_len ?
				      strcspn(t->reply, "\r\n") : t->reply_len);
			sl_buf_putc(b, '"');
		} else if (t->closed) {
			sl_buf_printf(b, ", the server closed after %zu bytes of reply", t->reply_len);
		} else {
			sl_buf_printf(b, ", no reply in %g s", w->o.timeout_ms / 1000.0);
			if (t->peer_seen)
				sl_buf_printf(b, "; server end: %s, Recv-Q %u",
					      t->accepted ? "accepted" : "not accepted", t->peer_rq);
			sl_buf_printf(b, "; our Send-Q %u", t->our_sq);
		}
		break;
	case SL_ATT_TIMEOUT:
		sl_buf_printf(b, "timed out after %.0f ms: %u SYN%s sent (TCP_INFO), no answer",
			      t->ms, t->syns, t->syns == 1 ? "" : "s");
		break;
	default:
		sl_buf_printf(b, "%s after %.1f ms (%s)", result_words(t->result), t->ms,
			      strerror(t->err));
		if (t->icmp) {
			sl_buf_puts(b, "; error queue: ");
			cli_why_icmp(b, t);
		}
	}
	capture_evidence(b, t);
}

static void attempt_json(struct sl_buf *j, const struct sl_why_addr *a)
{
	const struct sl_why_attempt *t = &a->att;
	char ep[SL_ADDRSTRLEN];

	sl_addr_format((const struct sockaddr *)&a->ep.ss, ep, sizeof(ep));
	sl_buf_printf(j, ",\"address\":\"%s\",\"result\":\"%s\",\"errno\":%d,\"ms\":%.3f,\"syns\":%u",
		      ep, result_words(t->result), t->err, t->ms, t->syns);
	if (t->icmp)
		sl_buf_printf(j, ",\"icmp\":{\"version\":%d,\"type\":%d,\"code\":%d}",
			      t->icmp, t->icmp_type, t->icmp_code);
	if (t->cap_err == 0)
		sl_buf_printf(j, ",\"captured\":{\"syn\":%u,\"synack\":%u,\"rst\":%u,\"icmp\":%u}",
			      t->cap_syn, t->cap_synack, t->cap_rst, t->cap_icmp);
	if (t->result == SL_ATT_CONNECTED)
		sl_buf_printf(j, ",\"replied\":%s,\"accepted\":%s,\"server_recvq\":%u,\"client_sendq\":%u",
			      t->replied ? "true" : "false",
			      t->accepted || t->replied ? "true" : "false", t->peer_rq, t->our_sq);
}

static void check_attempts(struct out *o, const struct sl_why *w)
{
	for (size_t i = 0; i < w->n; i++) {
		const struct sl_why_addr *a = &w->a[i];
		struct sl_buf b = SL_BUF_INIT, j = SL_BUF_INIT, name = SL_BUF_INIT;
		const char *st = a->att.result == SL_ATT_CONNECTED ? "ok" :
				 a->att.result == SL_ATT_NONE ? "skip" : "FAIL";

		sl_buf_puts(&name, "connect ");
		cli_why_ep(&name, &a->ep);
		attempt_evidence(&b, w, &a->att);
		attempt_json(&j, a);
		if (a->att.result == SL_ATT_CONNECTED && w->o.line && !a->att.replied)
			st = "FAIL";
		check(o, name.data, st, &b, j.data);
		sl_buf_release(&b);
		sl_buf_release(&j);
		sl_buf_release(&name);
	}
}

static const char *route_type(int t)
{
	switch (t) {
	case RTN_LOCAL: return "local";
	case RTN_UNICAST: return "unicast";
	case RTN_BLACKHOLE: return "blackhole";
	case RTN_UNREACHABLE: return "unreachable";
	case RTN_PROHIBIT: return "prohibit";
	default: return "other";
	}
}

static void check_routes(struct out *o, const struct sl_why *w)
{
	struct sl_buf b = SL_BUF_INIT;
	int bad = 0;

	for (size_t i = 0; i < w->n; i++) {
		const struct sl_why_route *r = &w->a[i].route;
		char a[SL_ADDRSTRLEN];

		sl_addr_format_host((const struct sockaddr *)&w->a[i].ep.ss, a, sizeof(a));
		sl_buf_printf(&b, "%s%s: ", i ? "; " : "", a);
		if (r->err) {
			sl_buf_printf(&b, "no route (%s)", strerror(-r->err));
			bad = 1;
			continue;
		}
		sl_buf_printf(&b, "%s dev %s", route_type(r->type), r->dev);
		if (r->has_gw) {
			sl_buf_puts(&b, " via ");
			sl_addr_format_host((const struct sockaddr *)&r->gw.ss, a, sizeof(a));
			sl_buf_puts(&b, a);
		}
		if (r->has_src) {
			sl_buf_puts(&b, " src ");
			sl_addr_format_host((const struct sockaddr *)&r->src.ss, a, sizeof(a));
			sl_buf_puts(&b, a);
		}
		bad |= r->type != RTN_LOCAL && r->type != RTN_UNICAST;
	}
	if (!w->n)
		sl_buf_puts(&b, "no address to route");
	check(o, "route", bad ? "FAIL" : w->n ? "ok" : "skip", &b, NULL);
	sl_buf_release(&b);
}

static void fw_err(struct sl_buf *b, const char *what, int err, size_t n)
{
	sl_buf_printf(b, "%s: ", what);
	if (err == 0)
		sl_buf_printf(b, "%zu rule%s read", n, n == 1 ? "" : "s");
	else if (err == -ENOENT)
		sl_buf_puts(b, "none in the kernel");
	else if (err == -EPERM)
		sl_buf_puts(b, "not read (needs CAP_NET_ADMIN: run with sudo)");
	else
		sl_buf_printf(b, "not read (%s)", strerror(-err));
}

static void check_firewall(struct out *o, const struct sl_why *w)
{
	struct sl_buf b = SL_BUF_INIT;
	const char *st = "ok";
	int read = 0;

	for (size_t i = 0; i < w->n; i++) {
		const struct sl_why_addr *a = &w->a[i];
		const struct sl_firewall *fw = &a->fw;

		if (a->att.result == SL_ATT_NONE || a->att.result == SL_ATT_CONNECTED)
			continue;
		if (read++)
			sl_buf_puts(&b, "; ");
		sl_buf_puts(&b, "for ");
		cli_why_ep(&b, &a->ep);
		sl_buf_puts(&b, ": ");
		fw_err(&b, "nftables", fw->nft_err, fw->nft_rules);
		sl_buf_puts(&b, ", ");
		fw_err(&b, "legacy iptables",
		       a->ep.ss.ss_family == AF_INET6 ? fw->ip6t_err : fw->ipt_err,
		       fw->ipt_rules);
		if (fw->nft_err == -EPERM || fw->ipt_err == -EPERM || fw->ip6t_err == -EPERM)
			st = "skip";
		for (size_t k = 0; k < fw->nhits; k++) {
			sl_buf_puts(&b, k ? "; also " : fw->hits[k].match == SL_FW_YES ?
				    "; stopped by " : "; may be stopped by ");
			cli_why_rule(&b, fw, &fw->hits[k]);
			st = "FAIL";
		}
		if (!fw->nhits && !strcmp(st, "ok"))
			sl_buf_puts(&b, "; no rule stops the SYN");
	}
	if (!read)
		sl_buf_puts(&b, "not read: no attempt failed");
	check(o, "firewall", st, &b, NULL);
	sl_buf_release(&b);
}

static void check_queues(struct out *o, const struct sl_why *w)
{
	struct sl_buf b = SL_BUF_INIT;
	const char *st = "ok";

	if (w->ns_before.err || w->ns_after.err) {
		sl_buf_printf(&b, "/proc/net/netstat not read (%s)",
			      strerror(-(w->ns_before.err ? w->ns_before.err : w->ns_after.err)));
		st = "skip";
	} else {
		uint64_t ov = w->ns_after.listen_overflows - w->ns_before.listen_overflows;
		uint64_t dr = w->ns_after.listen_drops - w->ns_before.listen_drops;

		sl_buf_printf(&b, "ListenOverflows +%llu, ListenDrops +%llu during the attempts (now %llu and %llu)",
			      (unsigned long long)ov, (unsigned long long)dr,
			      (unsigned long long)w->ns_after.listen_overflows,
			      (unsigned long long)w->ns_after.listen_drops);
		if (ov || dr)
			st = "warn";
	}
	for (size_t i = 0; i < w->socks.n; i++) {
		const struct sl_why_holder *h = &w->socks.v[i];

		if (h->s.state != SL_TCP_LISTEN || h->other_netns)
			continue;
		sl_buf_puts(&b, "; ");
		cli_why_ep(&b, &h->s.local);
		sl_buf_printf(&b, " accept queue %u of %u", h->s.rqueue, h->s.wqueue);
		if (h->s.rqueue > h->s.wqueue) {
			sl_buf_puts(&b, " (full)");
			st = "FAIL";
		}
	}
	check(o, "queues", st, &b, NULL);
	sl_buf_release(&b);
}

static void check_leftovers(struct out *o, const struct sl_why *w)
{
	struct sl_buf b = SL_BUF_INIT;
	const char *st = "ok";
	uint32_t left = 0;
	size_t tw = 0;

	for (size_t i = 0; i < w->socks.n; i++)
		if (w->socks.v[i].s.state == SL_TCP_TIME_WAIT && !w->socks.v[i].other_netns) {
			tw++;
			if (w->socks.v[i].s.expires_ms > left)
				left = w->socks.v[i].s.expires_ms;
		}
	if (tw)
		sl_buf_printf(&b, "%zu connection%s on port %u in TIME_WAIT (kernel, %u s left): an earlier run; harmless to a server that sets SO_REUSEADDR",
			      tw, tw == 1 ? "" : "s", w->o.port, (left + 999) / 1000);
	else
		sl_buf_printf(&b, "no TIME_WAIT on port %u", w->o.port);
	if (w->o.port < w->lim.unpriv_start) {
		sl_buf_printf(&b, "; port %u is below ip_unprivileged_port_start (%d): a server needs root or CAP_NET_BIND_SERVICE",
			      w->o.port, w->lim.unpriv_start);
		st = "warn";
	} else {
		sl_buf_printf(&b, "; port %u needs no privilege (from %d up)", w->o.port,
			      w->lim.unpriv_start);
	}
	if (w->lim.eph_lo && w->o.port >= w->lim.eph_lo && w->o.port <= w->lim.eph_hi)
		sl_buf_printf(&b, "; inside the ephemeral range %d-%d (ip_local_port_range): an outgoing connection may hold it when a server starts",
			      w->lim.eph_lo, w->lim.eph_hi);
	if (w->lim.fds >= 0 && w->lim.fd_limit > 0)
		sl_buf_printf(&b, "; descriptors: %d of %d (ulimit -n)", w->lim.fds, w->lim.fd_limit);
	for (size_t i = 0; i < w->socks.n; i++) {
		const struct sl_why_holder *h = &w->socks.v[i];
		size_t k;

		for (k = 0; k < i && w->socks.v[k].s.pid != h->s.pid; k++)
			;
		if (k < i)
			continue;	/* that pid was named already */
		if (h->s.state == SL_TCP_LISTEN && h->fds >= 0 && h->fd_limit > 0) {
			sl_buf_printf(&b, "; the server pid %d: %d of %d", h->s.pid, h->fds, h->fd_limit);
			if (h->fds * 10 >= h->fd_limit * 9) {
				sl_buf_puts(&b, " (near ulimit -n: accept() will fail)");
				st = "warn";
			}
		}
	}
	check(o, "leftovers", st, &b, NULL);
	sl_buf_release(&b);
}

static int verdict(struct out *o, const struct sl_why *w)
{
	struct sl_buf b = SL_BUF_INIT, fix = SL_BUF_INIT, *l = &o->line;
	int ok = w->verdict == SL_V_OK || w->verdict == SL_V_CONNECTED ||
		 w->verdict == SL_V_OK_FALLBACK;

	cli_why_words(w, &b, &fix);
	sl_buf_reset(l);
	if (o->json) {
		sl_buf_printf(l, "{\"check\":\"verdict\",\"status\":\"%s\",\"verdict\":\"%s\",\"evidence\":",
			      ok ? "ok" : "FAIL", cli_why_key(w->verdict));
		sl_buf_json_str(l, b.data ? b.data : "", b.len);
		sl_buf_puts(l, ",\"fix\":");
		sl_buf_json_str(l, fix.data ? fix.data : "", fix.len);
		sl_buf_puts(l, "}\n");
	} else {
		sl_buf_printf(l, "\nverdict: %s\nfix:     %s\n", b.data ? b.data : "",
			      fix.data ? fix.data : "");
	}
	fwrite(l->data, 1, l->len, stdout);
	sl_buf_release(&b);
	sl_buf_release(&fix);
	return ok ? EXIT_OK : EXIT_FAIL;
}

int cmd_why(int argc, char **argv)
{
	struct why_cli c = { .o = { .host = "localhost", .port = SL_DEFAULT_PORT } };
	struct out o = { 0, SL_BUF_INIT };
	struct sl_why w;
	int rc;

	c.o.line = cli_login_name();
	if ((rc = parse_args(&c, argc, argv)))
		return rc < 0 ? EXIT_OK : rc;
	o.json = c.json;
	if (sl_why_run(&w, &c.o) < 0) {
		cli_error(CMD, "out of memory");
		return EXIT_FAIL;
	}
	check_name(&o, &w);
	check_listeners(&o, &w);
	check_routes(&o, &w);
	check_attempts(&o, &w);
	check_firewall(&o, &w);
	check_queues(&o, &w);
	check_leftovers(&o, &w);
	rc = verdict(&o, &w);
	fflush(stdout);
	sl_buf_release(&o.line);
	sl_why_release(&w);
	return rc;
}
