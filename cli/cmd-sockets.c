/* cmd-sockets.c - socklab sockets: the kernel's TCP and UDP sockets as
 * netstat -a / ss show them, with owners, in words, as NDJSON, or live */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "socklab/diag.h"
#include "socklab/render.h"

#define CMD "sockets"

static const char usage[] =
	"usage: socklab sockets [-t] [-u] [-l] [-a] [-p] [--port N] [--state S]\n"
	"                       [-4|-6] [--json] [--watch [S]] [--source SRC]\n"
	"\n"
	"Lists the kernel's sockets, like netstat -tan / ss -tan: protocol, local and\n"
	"foreign address, state (as netstat names it), and with -p the owner.\n"
	"\n"
	"  -t, --tcp              TCP sockets (the default)\n"
	"  -u, --udp              UDP sockets (with -t: both)\n"
	"  -l, --listening        listening sockets only (UDP: unconnected ones)\n"
	"  -a, --all              every state (the default; accepted for netstat habit)\n"
	"  -p, --processes        the owning process: PID/Program, \"-\" when unknown\n"
	"      --port N           sockets with port N at either end\n"
	"      --state S          only state S: LISTEN ESTABLISHED SYN_SENT SYN_RECV\n"
	"                         FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE CLOSE_WAIT\n"
	"                         LAST_ACK CLOSING UNCONN (any case; time-wait works);\n"
	"                         repeat it or give a comma list for several\n"
	"  -4, --ipv4 / -6, --ipv6  one address family only\n"
	"      --json             one JSON object per socket: proto local remote state\n"
	"                         pid program uid inode\n"
	"      --watch [S]        print changes every S seconds (default 1) until\n"
	"                         Ctrl-C: = present, + new, ~ state change, - gone\n"
	"      --source SRC       auto (netlink, else /proc/net), netlink or proc\n"
	"  -n, --numeric          accepted for netstat/ss habit (never resolves)\n"
	"  -h, --help             this help\n"
	"\n"
	"Exit status: 0 ok, 1 the socket table could not be read, 2 usage error.\n";

struct sockets_cli {
	unsigned protos, families;
	uint32_t states;	/* from --state; 0 when none given */
	int listening, procs, json, watch;
	double interval;
	uint16_t port;
	enum sl_diag_source source;
};

/* Set by SIGINT/SIGTERM during --watch: the only mutable state. */
static volatile sig_atomic_t stop_requested;

enum { OPT_JSON = 256, OPT_PORT, OPT_STATE, OPT_WATCH, OPT_SOURCE };

static const struct option long_opts[] = {
	{ "tcp", no_argument, NULL, 't' },
	{ "udp", no_argument, NULL, 'u' },
	{ "listening", no_argument, NULL, 'l' },
	{ "all", no_argument, NULL, 'a' },
	{ "processes", no_argument, NULL, 'p' },
	{ "program", no_argument, NULL, 'p' },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "ipv4", no_argument, NULL, '4' },
	{ "ipv6", no_argument, NULL, '6' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "watch", optional_argument, NULL, OPT_WATCH },
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

static int parse_watch(struct sockets_cli *c, const char *arg)
{
	int rc;

	c->watch = 1;
	if (!arg)
		return 0;
	if ((rc = cli_opt_seconds(CMD, "--watch", arg, 86400, &c->interval)))
		return rc;
	if (c->interval < 0.001)
		return cli_usage_error(CMD, "--watch needs an interval of at "
				       "least 0.001 seconds (e.g. 1 or 0.1)");
	return 0;
}

static int parse_args(struct sockets_cli *c, int argc, char **argv)
{
	int opt, rc;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":tulap46nh", long_opts,
				  NULL)) != -1) {
		rc = 0;
		switch (opt) {
		case 't': c->protos |= SL_DIAG_TCP; break;
		case 'u': c->protos |= SL_DIAG_UDP; break;
		case 'l': c->listening = 1; break;
		case 'a': case 'n': break;
		case 'p': c->procs = 1; break;
		case '4': c->families |= SL_DIAG_V4; break;
		case '6': c->families |= SL_DIAG_V6; break;
		case OPT_JSON: c->json = 1; break;
		case OPT_PORT: rc = cli_opt_port(CMD, optarg, 0, &c->port); break;
		case OPT_STATE: rc = parse_states(optarg, &c->states); break;
		case OPT_WATCH: rc = parse_watch(c, optarg); break;
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
	if (c->watch && optind == argc - 1 && c->interval == 0 &&
	    (rc = parse_watch(c, argv[optind++])))
		return rc;
	if (optind < argc)
		return cli_usage_error(CMD, "unexpected argument \"%s\"",
				       argv[optind]);
	if (!c->protos)
		c->protos = SL_DIAG_TCP;
	if (c->watch && c->interval == 0)
		c->interval = 1;
	return 0;
}

/* The states asked of one protocol: -l is LISTEN for TCP and the
 * unconnected (CLOSE) sockets for UDP, as netstat -l shows them. */
static uint32_t states_for(const struct sockets_cli *c, int udp)
{
	uint32_t m = c->states;

	if (c->listening)
		m |= SL_STATE_BIT(SL_TCP_LISTEN);
	if (udp && (m & SL_STATE_BIT(SL_TCP_LISTEN)))
		m |= SL_STATE_BIT(SL_TCP_CLOSE);
	return m ? m : SL_STATES_ALL;
}

/* Every socket the options ask for, to fn one at a time; 0, a runtime
 * failure printed, or -EPIPE when fn found the reader gone (| head). */
static int read_table(const struct sockets_cli *c, sl_sock_fn fn, void *arg)
{
	static const unsigned protos[] = { SL_DIAG_TCP, SL_DIAG_UDP };
	struct sl_err e;

	sl_err_clear(&e);
	for (size_t i = 0; i < SL_ARRAY_SIZE(protos); i++) {
		struct sl_diag_query q = {
			.protos = protos[i],
			.families = c->families,
			.states = states_for(c, protos[i] == SL_DIAG_UDP),
			.port = c->port,
			.source = c->source,
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

static int push_row(const struct sl_sock *s, void *arg)
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

static int json_add(const struct sl_sock *s, void *arg)
{
	struct sl_buf *out = arg;
	int rc = sl_sock_json(out, s);

	return rc < 0 ? rc : flush_out(out, 0);
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
	rc = read_table(c, push_row, &l);
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
	struct sl_buf out = SL_BUF_INIT;
	sl_sock_fn fn = c->json ? json_add : sl_sock_table_add;
	void *arg = c->json ? (void *)&out : (void *)&t;
	size_t hidden = 0;
	int rc;

	sl_sock_table_init(&t, (c->procs ? SL_TABLE_OWNERS : 0) |
			   (cli_use_color(stdout) ? SL_TABLE_COLOR : 0));
	rc = c->procs ? read_owned(c, fn, arg, &hidden) : read_table(c, fn, arg);
	if (rc == 0 && !c->json)
		rc = sl_sock_table_write(&t, &out, flush_row, NULL);
	if (rc == 0 && !c->json)
		rc = sl_render_hidden_note(&out, hidden);
	if (rc == 0)
		rc = flush_out(&out, 1);
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
	sl_buf_release(&out);
	sl_sock_table_release(&t);
	return rc;
}

/* ---- --watch ---- */

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* "14:03:27.118" local time */
static void stamp(char *out, size_t outlen)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	snprintf(out, outlen, "%02d:%02d:%02d.%03ld", tm.tm_hour, tm.tm_min,
		 tm.tm_sec, ts.tv_nsec / 1000000);
}

/* A /proc walk only when a row about to be printed has an inode but no
 * owner yet: rows that stay the same keep the owner sl_sock_diff carried
 * over, and one hidden from us costs a walk only when it changes. */
static int need_owners(const struct sl_sock_pair *pairs, int n, int first)
{
	for (int i = 0; i < n; i++) {
		const struct sl_sock *s = pairs[i].cur;

		if (s && s->inode && !s->pid &&
		    (first || pairs[i].change != SL_CHG_SAME))
			return 1;
	}
	return 0;
}

/* One poll: read, pair with the last snapshot, print what changed. */
static int watch_step(const struct sockets_cli *c, struct sl_sock_list *prev,
		      struct sl_sock_list *cur, int first, struct sl_buf *b)
{
	struct sl_sock_pair *pairs = NULL;
	struct sl_err e;
	char when[32];
	int n, rc;

	cur->n = 0;
	if ((rc = read_table(c, push_row, cur)))
		return rc;
	sl_sock_list_sort(cur);
	n = sl_sock_diff(prev, cur, &pairs);
	if (n < 0) {
		cli_error(CMD, "out of memory");
		return EXIT_FAIL;
	}
	/* rows' owners are read for new sockets only; the old rows keep
	 * theirs (sl_sock_diff carried them over) */
	if (c->procs && need_owners(pairs, n, first))
		sl_diag_owners(cur, &e);
	stamp(when, sizeof(when));
	sl_buf_reset(b);
	for (int i = 0; i < n && rc == 0; i++)
		if (pairs[i].change != SL_CHG_SAME || first)
			rc = sl_render_sock_change(b, when, &pairs[i], first,
					(c->procs ? SL_TABLE_OWNERS : 0) |
					(c->json ? SL_TABLE_JSON : 0) |
					(cli_use_color(stdout) ? SL_TABLE_COLOR : 0));
	free(pairs);
	if (rc == 0)
		rc = sl_write_all(STDOUT_FILENO, b->data, b->len);
	if (rc == -EPIPE) {
		stop_requested = 1;
		return 0;
	}
	if (rc < 0) {
		cli_error(CMD, "cannot write the changes: %s", strerror(-rc));
		return EXIT_FAIL;
	}
	return 0;
}

static int watch(const struct sockets_cli *c)
{
	struct sl_sock_list a, b;
	struct sl_sock_list *prev = &a, *cur = &b, *t;
	struct sl_buf out = SL_BUF_INIT;
	struct sigaction sa;
	sigset_t block, orig;
	struct timespec ts;
	int rc = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* signals land only inside ppoll, so none is lost between polls */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sl_sock_list_init(&a);
	sl_sock_list_init(&b);
	ts.tv_sec = (time_t)c->interval;
	ts.tv_nsec = (long)((c->interval - (double)ts.tv_sec) * 1e9);
	for (int first = 1; !stop_requested && rc == 0; first = 0) {
		rc = watch_step(c, prev, cur, first, &out);
		t = prev;
		prev = cur;
		cur = t;
		if (rc == 0 && !stop_requested)
			ppoll(NULL, 0, &ts, &orig);
	}
	sigprocmask(SIG_SETMASK, &orig, NULL);
	sl_buf_release(&out);
	sl_sock_list_release(&a);
	sl_sock_list_release(&b);
	return rc;
}

int cmd_sockets(int argc, char **argv)
{
	struct sockets_cli c;
	int rc;

	memset(&c, 0, sizeof(c));
	rc = parse_args(&c, argc, argv);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	return c.watch ? watch(&c) : list_once(&c);
}
