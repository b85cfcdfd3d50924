/* cmd-server.c - socklab server: listen, greet, log one line per event */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli.h"
#include "socklab/diag.h"
#include "socklab/line.h"
#include "socklab/render.h"
#include "socklab/serve.h"

static const char usage[] =
	"usage: socklab server [-u] [-p PORT] [-b ADDR]... [--max-conn N] [--idle-timeout S]\n"
	"                      [--max-line N] [--once] [--json] [PORT]\n"
	"\n"
	"Listens for TCP clients and answers every line NAME with \"Hello, NAME!\".\n"
	"By default it listens on loopback only, on both 127.0.0.1 and ::1.\n"
	"\n"
	"  -p, --port PORT        port to listen on (default 59001; 0 = any free port)\n"
	"  -b, --bind ADDR        address to listen on, repeatable (0.0.0.0 or :: for\n"
	"                         every interface); ADDR may carry a port: [::1]:59002\n"
	"      --max-conn N       clients at once (default 1024); the next one gets\n"
	"                         \"ERR server busy\"\n"
	"      --idle-timeout S   close a client silent for S seconds (default 30; 0 = never)\n"
	"      --max-line N       longest line in bytes (default 256)\n"
	"      --once             exit after the first client disconnects\n"
	"      --json             one JSON object per event (NDJSON)\n"
	"  -u, --udp              UDP instead: each datagram NAME gets one datagram\n"
	"                         \"Hello, NAME!\" back (no connection: no --max-conn,\n"
	"                         no --idle-timeout)\n"
	"  -l, -k                 accepted for nc habits (a server always listens and\n"
	"                         keeps serving after each client)\n"
	"  -h, --help             this help\n"
	"\n"
	"Log lines: listening on ..., accepted PEER -> LOCAL, received \"NAME\" from PEER,\n"
	"closed PEER (N lines, N bytes in, N out). Ctrl-C stops it with a summary.\n";

struct server_cli {
	struct sl_server_opts o;
	int json;
	int port_given;
	int conn_opts;		/* --max-conn or --idle-timeout given */
	uint8_t bind_has_port[SL_SERVE_MAX_BINDS];
	FILE *out;
	struct sl_buf line;
};

enum { OPT_MAX_CONN = 256, OPT_IDLE, OPT_MAX_LINE, OPT_ONCE, OPT_JSON };

static const struct option long_opts[] = {
	{ "port", required_argument, NULL, 'p' },
	{ "bind", required_argument, NULL, 'b' },
	{ "max-conn", required_argument, NULL, OPT_MAX_CONN },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "udp", no_argument, NULL, 'u' },
	{ "keep-open", no_argument, NULL, 'k' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void on_event(const struct sl_srv_event *e, void *arg)
{
	struct server_cli *c = arg;

	if (e->kind == SL_SRV_WARNING && !c->json) {
		cli_error("server", "%s", e->reason);
		return;
	}
	sl_buf_reset(&c->line);
	if (c->json)
		sl_render_srv_json(&c->line, e);
	else
		sl_render_srv_text(&c->line, e);
	fwrite(c->line.data, 1, c->line.len, c->out);
}

static void flush_output(void *arg)
{
	struct server_cli *c = arg;

	fflush(c->out);
}

static void print_listening(struct server_cli *c, struct sl_server *srv)
{
	struct sl_srv_event ev = { .kind = SL_SRV_LISTENING };

	ev.udp = c->o.udp;
	ev.neps = sl_server_listeners(srv, &ev.eps);
	on_event(&ev, c);
	fflush(c->out);
}

/* "[::1]:80" and "127.0.0.1:80" carry a port; "::1" and "[::1]" do not. */
static int text_has_port(const char *s)
{
	const char *colon = strchr(s, ':');

	if (s[0] == '[')
		return strstr(s, "]:") != NULL;
	return colon && colon == strrchr(s, ':');
}

static int parse_args(struct server_cli *c, int argc, char **argv)
{
	unsigned long v;
	double d;
	int opt, rc;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":p:b:lkuh", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if ((rc = cli_opt_port("server", optarg, 1, &c->o.port)))
				return rc;
			c->port_given = 1;
			break;
		case 'b': {
			struct sl_err e;

			if (c->o.nbinds == SL_SERVE_MAX_BINDS)
				return cli_usage_error("server",
					"too many -b options (at most %d)",
					SL_SERVE_MAX_BINDS);
			if (sl_endpoint_parse(optarg, 0, &c->o.binds[c->o.nbinds],
					      &e) < 0)
				return cli_usage_error("server", "%s", e.msg);
			c->bind_has_port[c->o.nbinds++] = text_has_port(optarg);
			break;
		}
		case OPT_MAX_CONN:
			if ((rc = cli_opt_uint("server", "--max-conn", optarg, 1,
					       1000000, &v)))
				return rc;
			c->o.max_conn = (unsigned)v;
			c->conn_opts = 1;
			break;
		case OPT_IDLE:
			if ((rc = cli_opt_seconds("server", "--idle-timeout",
						  optarg, 86400 * 365, &d)))
				return rc;
			c->o.idle_timeout_s = d;
			c->conn_opts = 1;
			break;
		case OPT_MAX_LINE:
			if ((rc = cli_opt_uint("server", "--max-line", optarg, 1,
					       SL_MAX_LINE_LIMIT, &v)))
				return rc;
			c->o.max_line = v;
			break;
		case OPT_ONCE: c->o.once = 1; break;
		case OPT_JSON: c->json = 1; break;
		case 'l': case 'k': break;
		case 'u': c->o.udp = 1; break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		case ':':
			return cli_usage_error("server", "%s needs a value",
					       argv[optind - 1]);
		default:
			return cli_bad_option("server", optopt, argv[optind - 1]);
		}
	}
	if (optind < argc) {
		if (argc - optind > 1 || c->port_given)
			return cli_usage_error("server",
				"unexpected argument \"%s\": the only positional argument is the PORT",
				argv[argc - 1]);
		if ((rc = cli_opt_port("server", argv[optind], 1, &c->o.port)))
			return rc;
	}
	if (c->o.udp && c->conn_opts)
		return cli_usage_error("server",
			"--max-conn and --idle-timeout mean nothing with -u: UDP has no connections to count or time out");
	return 0;
}

/* Each bind without its own port takes -p's (or the default). */
static void apply_port(struct server_cli *c)
{
	for (size_t i = 0; i < c->o.nbinds; i++) {
		struct sl_endpoint *ep = &c->o.binds[i];

		if (c->bind_has_port[i])
			continue;
		if (ep->ss.ss_family == AF_INET)
			((struct sockaddr_in *)&ep->ss)->sin_port = htons(c->o.port);
		else
			((struct sockaddr_in6 *)&ep->ss)->sin6_port = htons(c->o.port);
	}
}

/* Why it could not start, in words (an address in use: who holds it,
 * from the kernel's socket table) and, with --json, as a record too. */
static int report_failure(struct server_cli *c, const struct sl_err *e)
{
	struct sl_srv_event ev = { .kind = SL_SRV_FAILED, .error = e->code };
	const struct sockaddr *where = (const struct sockaddr *)&e->where;
	struct sl_endpoint ep = { .ss = e->where };
	struct sl_buf msg = SL_BUF_INIT, who = SL_BUF_INIT;
	char addr[SL_ADDRSTRLEN];

	if (e->code == -EADDRINUSE && where->sa_family != AF_UNSPEC &&
	    sl_diag_describe_port(sl_addr_port(where), 0, &who) > 0) {
		sl_addr_format(where, addr, sizeof(addr));
		sl_buf_printf(&msg, "cannot listen on %s: %s", addr, who.data);
	} else {
		sl_buf_puts(&msg, e->msg);
	}
	cli_error("server", "%s", msg.data);
	if (c->json) {
		ev.reason = msg.data;
		ev.eps = &ep;
		ev.neps = where->sa_family != AF_UNSPEC;
		on_event(&ev, c);
	}
	sl_buf_release(&who);
	sl_buf_release(&msg);
	return EXIT_FAIL;
}

static int open_stop_fd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int cmd_server(int argc, char **argv)
{
	struct server_cli c = { .out = stdout, .line = SL_BUF_INIT };
	static char outbuf[1 << 16];
	struct sl_server *srv;
	struct sl_err e;
	int rc;

	sl_server_opts_init(&c.o);
	rc = parse_args(&c, argc, argv);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	apply_port(&c);
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	c.o.on_event = on_event;
	c.o.on_idle = flush_output;
	c.o.arg = &c;
	c.o.stop_fd = open_stop_fd();
	if (sl_server_new(&srv, &c.o, &e) < 0) {
		rc = report_failure(&c, &e);
		goto out;
	}
	print_listening(&c, srv);
	rc = sl_server_run(srv, &e) < 0 ? cli_fail("server", &e) : EXIT_OK;
	sl_server_free(srv);
out:
	fflush(stdout);
	if (c.o.stop_fd >= 0)
		close(c.o.stop_fd);
	sl_buf_release(&c.line);
	return rc;
}
