/* cmd-sockets.c - socklab sockets: the kernel's TCP, UDP and unix sockets
 * as netstat -a / ss show them, with owners, queues, TCP internals and
 * words, as NDJSON; the options and the listing (--watch, --stats and -s,
 * -K live in cmd-sockets-*.c) */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cmd-sockets.h"

static const char usage[] =
	"usage: socklab sockets [-t] [-u] [-x] [-l] [-a] [-p] [-i] [-o] [-m] [-e]\n"
	"                       [--port N] [--state S] [-4|-6] [--json] [--source SRC]\n"
	"                       [--watch [S]] [-s] [--stats [S]] [-K [--yes]]\n"
	"\n"
	"Lists the kernel's sockets, like netstat -tan / ss -tan: protocol, the bytes\n"
	"waiting in each queue, local and foreign address, state (as netstat names\n"
	"it), with -p the owner, and notes that say what the numbers mean.\n"
	"\n"
	"  -t, --tcp              TCP sockets (the default)\n"
	"  -u, --udp              UDP sockets (with -t: both)\n"
	"  -x, --unix             unix domain sockets (ss -x)\n"
	"  -l, --listening        listening sockets only (UDP, unix: unconnected too)\n"
	"  -a, --all              every state (the default; accepted for netstat habit);\n"
	"                         with --stats every counter, not only those explained\n"
	"  -p, --processes        the owning process: PID/Program, \"-\" when unknown\n"
	"  -i, --info             TCP internals under each row, as ss -i: rtt/rttvar,\n"
	"                         rto, cwnd, ssthresh, mss, retransmits, bytes acked\n"
	"                         and received, delivery rate, unacked, lost, the time\n"
	"                         since the last send/receive (lastsnd, lastrcv, ms)\n"
	"  -o, --options          timers, as ss -o: timer:(KIND,TIME LEFT,RETRANSMITS)\n"
	"                         where KIND is retransmit, keepalive, timewait or persist\n"
	"  -m, --memory           socket memory, as ss -m: skmem:(r,rb,t,tb,f,w,o,bl,d)\n"
	"  -e, --extended         uid, inode and the kernel's cookie (sk:), as ss -e\n"
	"      --port N           sockets with port N at either end\n"
	"      --state S          only state S: LISTEN ESTABLISHED SYN_SENT SYN_RECV\n"
	"                         FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE CLOSE_WAIT\n"
	"                         LAST_ACK CLOSING UNCONN (any case; time-wait works);\n"
	"                         repeat it or give a comma list for several\n"
	"  -4, --ipv4 / -6, --ipv6  one address family only\n"
	"      --json             one JSON object per socket: proto local remote state\n"
	"                         recv_q send_q pid program uid inode (peer_inode for\n"
	"                         unix), and cookie, timer, skmem, tcp_info with -e -o\n"
	"                         -m -i\n"
	"      --watch [S]        print changes every S seconds (default 0.1) until\n"
	"                         Ctrl-C: = present, + new, ~ state change, - gone;\n"
	"                         the kernel's destroy notices catch what lives shorter\n"
	"  -s, --summary          socket totals, as ss -s, with what each one means\n"
	"      --stats [S]        the kernel's TCP and UDP counters (as nstat) with the\n"
	"                         change since the last --stats, each in words; with S,\n"
	"                         the changes every S seconds until Ctrl-C\n"
	"  -K, --kill             close the listed sockets (needs root), as ss -K: needs\n"
	"                         --port, --state or -l, shows them and asks first\n"
	"  -y, --yes              -K without asking\n"
	"      --source SRC       auto (netlink, else /proc/net), netlink or proc\n"
	"  -n, --numeric          accepted for netstat/ss habit (never resolves)\n"
	"  -h, --help             this help\n"
	"\n"
	"Recv-Q is what arrived and the program has not read; Send-Q what was sent\n"
	"and not yet acknowledged. On a LISTEN row Recv-Q counts the connections\n"
	"waiting for accept() and Send-Q is the backlog, as ss shows them.\n"
	"Exit status: 0 ok, 1 the socket table could not be read (-K: a socket could\n"
	"not be closed), 2 usage error.\n";

enum { OPT_JSON = 256, OPT_PORT, OPT_STATE, OPT_WATCH, OPT_SOURCE, OPT_STATS };

static const struct option long_opts[] = {
	{ "tcp", no_argument, NULL, 't' },
	{ "udp", no_argument, NULL, 'u' },
	{ "unix", no_argument, NULL, 'x' },
	{ "listening", no_argument, NULL, 'l' },
	{ "all", no_argument, NULL, 'a' },
	{ "processes", no_argument, NULL, 'p' },
	{ "program", no_argument, NULL, 'p' },
	{ "info", no_argument, NULL, 'i' },
	{ "options", no_argument, NULL, 'o' },
	{ "memory", no_argument, NULL, 'm' },
	{ "extended", no_argument, NULL, 'e' },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "ipv4", no_argument, NULL, '4' },
	{ "ipv6", no_argument, NULL, '6' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "watch", optional_argument, NULL, OPT_WATCH },
	{ "summary", no_argument, NULL, 's' },
	{ "stats", optional_argument, NULL, OPT_STATS },
	{ "kill", no_argument, NULL, 'K' },
	{ "yes", no_argument, NULL, 'y' },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "numeric", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* "listen,time-wait" into a state mask; 0 or EXIT_USAGE */
static int parse_states(const char *arg, uint32_t *mask)
{
	char buf[256], shown[256 * SL_ESCAPE_MAX];
	char *save = NULL, *tok;

	if (strlen(arg) >= sizeof(buf))
		goto bad;
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int v = sl_tcp_state_value(tok);

		if (v < 0) {
			arg = tok;
			goto bad;
		}
		*mask |= SL_STATE_BIT(v);
	}
	if (*mask)
		return 0;
bad:
	sl_escape(shown, sizeof(shown), arg, strlen(arg));
	return cli_usage_error(CMD, "unknown state \"%s\": use one of LISTEN "
		"ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE "
		"CLOSE_WAIT LAST_ACK CLOSING UNCONN", shown);
}

static int parse_source(const char *arg, enum sl_diag_source *src)
{
	char shown[64];

	if (!strcasecmp(arg, "auto"))
		*src = SL_SRC_AUTO;
	else if (!strcasecmp(arg, "netlink"))
		*src = SL_SRC_NETLINK;
	else if (!strcasecmp(arg, "proc"))
		*src = SL_SRC_PROC;
	else {
		sl_escape(shown, sizeof(shown), arg, strlen(arg));
		return cli_usage_error(CMD, "unknown --source \"%s\": use auto, "
				       "netlink or proc", shown);
	}
	return 0;
}

/* --watch [S] and --stats [S]: the mode, and its interval when given */
static int parse_interval(struct sockets_cli *c, int *mode, const char *opt,
			  const char *arg)
{
	int rc;

	*mode = 1;
	if (!arg)
		return 0;
	if ((rc = cli_opt_seconds(CMD, opt, arg, 86400, &c->interval)))
		return rc;
	if (c->interval < 0.001)
		return cli_usage_error(CMD, "%s needs an interval of at least "
				       "0.001 seconds (e.g. 1 or 0.1)", opt);
	return 0;
}

/* The combinations that mean nothing, as usage errors; 0 when fine. */
static int check_modes(const struct sockets_cli *c)
{
	if (c->watch + c->summary + c->stats + c->kill > 1)
		return cli_usage_error(CMD, "--watch, -s, --stats and -K each "
				       "are a mode of their own: give one");
	if (c->kill && !c->port && !c->states && !c->listening)
		return cli_usage_error(CMD, "-K closes every socket it lists: "
				       "choose them with --port, --state or -l");
	if (c->kill && (c->protos & SL_DIAG_UNIX))
		return cli_usage_error(CMD, "-K cannot close unix sockets: the "
				       "kernel closes only TCP and UDP ones from outside");
	if (c->yes && !c->kill)
		return cli_usage_error(CMD, "--yes answers -K's question: give -K too");
	return 0;
}

static int parse_args(struct sockets_cli *c, int argc, char **argv)
{
	int opt, rc;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":tuxlap46nhiomesKy", long_opts,
				  NULL)) != -1) {
		rc = 0;
		switch (opt) {
		case 't': c->protos |= SL_DIAG_TCP; break;
		case 'u': c->protos |= SL_DIAG_UDP; break;
		case 'x': c->protos |= SL_DIAG_UNIX; break;
		case 'l': c->listening = 1; break;
		case 'a': c->all = 1; break;
		case 'n': break;
		case 'p': c->procs = 1; break;
		case 'i': c->show |= SL_TABLE_INFO; break;
		case 'o': c->show |= SL_TABLE_TIMERS; break;
		case 'm': c->show |= SL_TABLE_MEM; break;
		case 'e': c->show |= SL_TABLE_EXT; break;
		case 's': c->summary = 1; break;
		case 'K': c->kill = 1; break;
		case 'y': c->yes = 1; break;
		case '4': c->families |= SL_DIAG_V4; break;
		case '6': c->families |= SL_DIAG_V6; break;
		case OPT_JSON: c->json = 1; break;
		case OPT_PORT: rc = cli_opt_port(CMD, optarg, 0, &c->port); break;
		case OPT_STATE: rc = parse_states(optarg, &c->states); break;
		case OPT_WATCH:
			rc = parse_interval(c, &c->watch, "--watch", optarg);
			break;
		case OPT_STATS:
			rc = parse_interval(c, &c->stats, "--stats", optarg);
			break;
		case OPT_SOURCE: rc = parse_source(optarg, &c->source); break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		case ':':
			return cli_usage_error(CMD, "%s needs a value",
					       argv[optind - 1]);
		default:
			return cli_bad_option(CMD, optopt, argv[optind - 1]);
		}
		if (rc)
			return rc;
	}
	/* "--watch 0.5": getopt leaves an optional value apart */
	if ((c->watch || c->stats) && optind == argc - 1 && c->interval == 0 &&
	    (rc = parse_interval(c, c->watch ? &c->watch : &c->stats,
				 c->watch ? "--watch" : "--stats",
				 argv[optind++])))
		return rc;
	if (optind < argc)
		return cli_usage_error(CMD, "unexpected argument \"%s\"",
				       argv[optind]);
	if (!c->protos)
		c->protos = SL_DIAG_TCP;
	/* 100 ms: a loopback connection that lives 200 ms is seen */
	if (c->watch && c->interval == 0)
		c->interval = 0.1;
	return check_modes(c);
}

/* The states asked of one protocol: -l is LISTEN for TCP and also the
 * unconnected (CLOSE) sockets for UDP and unix, as netstat -l and ss -l
 * show them. */
static uint32_t states_for(const struct sockets_cli *c, int tcp)
{
	uint32_t m = c->states;

	if (c->listening)
		m |= SL_STATE_BIT(SL_TCP_LISTEN);
	if (!tcp && (m & SL_STATE_BIT(SL_TCP_LISTEN)))
		m |= SL_STATE_BIT(SL_TCP_CLOSE);
	return m ? m : SL_STATES_ALL;
}

unsigned sockets_flags(const struct sockets_cli *c)
{
	return (c->procs ? SL_TABLE_OWNERS : 0) | c->show |
	       (c->json ? SL_TABLE_JSON : 0) |
	       (!c->json && cli_use_color(stdout) ? SL_TABLE_COLOR : 0);
}

int sockets_read(const struct sockets_cli *c, sl_sock_fn fn, void *arg)
{
	static const unsigned protos[] = { SL_DIAG_TCP, SL_DIAG_UDP,
					   SL_DIAG_UNIX };
	struct sl_err e;

	sl_err_clear(&e);
	for (size_t i = 0; i < SL_ARRAY_SIZE(protos); i++) {
		struct sl_diag_query q = {
			.protos = protos[i],
			.families = c->families,
			.states = states_for(c, protos[i] == SL_DIAG_TCP),
			.port = c->port,
			.source = c->source,
			.ext = (c->show & SL_TABLE_INFO ? SL_DIAG_EXT_INFO : 0) |
			       (c->show & SL_TABLE_MEM ? SL_DIAG_EXT_MEM : 0),
		};
		int rc;

		if (!(c->protos & protos[i]))
			continue;
		rc = sl_diag_each(&q, fn, arg, &e);
		if (rc == -EPIPE)
			return -EPIPE;
		if (rc < 0)
			return cli_fail(CMD, &e);
	}
	return 0;
}

int sockets_push(const struct sl_sock *s, void *arg)
{
	return sl_sock_list_push(arg, s);
}

/* ---- output, written in chunks as it is made ---- */

#define OUT_CHUNK 65536

/* Writes out what b holds once it is a chunk, or all of it (force). */
static int flush_out(struct sl_buf *b, int force)
{
	int rc = 0;

	if (b->len >= OUT_CHUNK || (force && b->len)) {
		rc = sl_write_all(STDOUT_FILENO, b->data, b->len);
		sl_buf_reset(b);
	}
	return rc;
}

/* NDJSON rows as they come; arg is the listing. */
struct json_out {
	struct sl_buf out;
	unsigned flags;
};

static int json_add(const struct sl_sock *s, void *arg)
{
	struct json_out *j = arg;
	int rc = sl_render_sock_json(&j->out, s, j->flags);

	return rc < 0 ? rc : flush_out(&j->out, 0);
}

/* With -p: the whole table first, for one walk of /proc over it. */
static int read_owned(const struct sockets_cli *c, sl_sock_fn fn, void *arg,
		      size_t *hidden)
{
	struct sl_sock_list l;
	struct sl_err e;
	int rc;

	sl_sock_list_init(&l);
	sl_err_clear(&e);
	rc = sockets_read(c, sockets_push, &l);
	if (rc == 0 && sl_diag_owners(&l, &e) < 0)
		rc = cli_fail(CMD, &e);
	if (rc == 0)
		*hidden = sl_render_hidden_owners(&l, geteuid());
	for (size_t i = 0; i < l.n && rc == 0; i++)
		rc = fn(&l.v[i], arg);
	sl_sock_list_release(&l);
	return rc;
}

static int flush_row(struct sl_buf *out, void *arg)
{
	(void)arg;
	return flush_out(out, 0);
}

static int list_once(const struct sockets_cli *c)
{
	struct sl_sock_table t;
	struct json_out j = { SL_BUF_INIT, sockets_flags(c) };
	struct sl_buf *out = &j.out;
	sl_sock_fn fn = c->json ? json_add : sl_sock_table_add;
	void *arg = c->json ? (void *)&j : (void *)&t;
	size_t hidden = 0;
	int rc;

	sl_sock_table_init(&t, sockets_flags(c));
	if (c->source == SL_SRC_PROC && (c->show & SL_TABLE_INFO))
		cli_error(CMD, "tcp_info comes only through netlink sock_diag: /proc/net has none, so -i shows nothing with --source proc");
	rc = c->procs ? read_owned(c, fn, arg, &hidden) : sockets_read(c, fn, arg);
	if (rc == 0 && !c->json)
		rc = sl_sock_table_write(&t, out, flush_row, NULL);
	if (rc == 0 && !c->json)
		rc = sl_render_hidden_note(out, hidden);
	if (rc == 0)
		rc = flush_out(out, 1);
	if (rc == 0 && hidden && c->json) {
		struct sl_buf note = SL_BUF_INIT;

		sl_render_hidden_note(&note, hidden);
		fprintf(stderr, "socklab " CMD ": %s", note.data ? note.data : "");
		sl_buf_release(&note);
	}
	if (rc == -EPIPE)
		rc = 0;		/* the reader went away (| head): not ours */
	if (rc == -ENOMEM) {
		cli_error(CMD, "out of memory while listing the sockets");
		rc = EXIT_FAIL;
	} else if (rc < 0) {
		cli_error(CMD, "cannot write the list: %s", strerror(-rc));
		rc = EXIT_FAIL;
	}
	sl_buf_release(out);
	sl_sock_table_release(&t);
	return rc;
}

void sockets_stamp(char *out, size_t outlen, int json)
{
	struct timespec ts;
	struct tm tm;
	char zone[8];
	int n;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	if (!json) {
		snprintf(out, outlen, "%02d:%02d:%02d.%03ld", tm.tm_hour,
			 tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
		return;
	}
	/* ISO 8601 wants "+01:00" where strftime writes "+0100" */
	strftime(zone, sizeof(zone), "%z", &tm);
	n = snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d.%03ld%.3s:%.2s",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, zone,
		     zone + 3);
	if (n < 0 || (size_t)n >= outlen)
		out[0] = '\0';
}

int cmd_sockets(int argc, char **argv)
{
	struct sockets_cli c;
	int rc;

	memset(&c, 0, sizeof(c));
	rc = parse_args(&c, argc, argv);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (c.watch)
		return sockets_watch(&c);
	if (c.stats)
		return sockets_stats(&c);
	if (c.summary)
		return sockets_summary(&c);
	if (c.kill)
		return sockets_kill(&c);
	return list_once(&c);
}
