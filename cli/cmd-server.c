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

static void put_addr(struct sl_buf *b, const struct sockaddr *sa, int json)
{
	char a[SL_ADDRSTRLEN];

	sl_addr_format(sa, a, sizeof(a));
	if (json)
		sl_buf_json_str(b, a, strlen(a));
	else
		sl_buf_puts(b, a);
}

static void text_event(struct sl_buf *b, const struct sl_srv_event *e)
{
	switch (e->kind) {
	case SL_SRV_ACCEPTED:
		sl_buf_puts(b, "accepted ");
		put_addr(b, e->peer, 0);
		sl_buf_puts(b, " -> ");
		put_addr(b, e->local, 0);
		break;
	case SL_SRV_RECEIVED:
		sl_buf_puts(b, "received \"");
		sl_buf_escape(b, e->data, e->len);
		sl_buf_puts(b, "\" from ");
		put_addr(b, e->peer, 0);
		if (e->reads > 1)
			sl_buf_printf(b, " (%u reads)", e->reads);
		break;
	case SL_SRV_REJECTED:
		sl_buf_puts(b, "answered ");
		put_addr(b, e->peer, 0);
		sl_buf_puts(b, " \"");
		/* the reply without its newline */
		sl_buf_escape(b, e->data, e->len ? e->len - 1 : 0);
		sl_buf_putc(b, '"');
		break;
	case SL_SRV_CLOSED:
		sl_buf_puts(b, "closed ");
		put_addr(b, e->peer, 0);
		sl_buf_printf(b, " (%llu line%s, %llu bytes in, %llu out",
			      (unsigned long long)e->lines,
			      e->lines == 1 ? "" : "s",
			      (unsigned long long)e->bytes_in,
			      (unsigned long long)e->bytes_out);
		if (e->reason)
			sl_buf_printf(b, "; %s", e->reason);
		sl_buf_putc(b, ')');
		break;
	case SL_SRV_BUSY:
		sl_buf_puts(b, "refused ");
		put_addr(b, e->peer, 0);
		sl_buf_printf(b, ": %s", e->reason);
		break;
	case SL_SRV_WARNING:
		break;
	case SL_SRV_STOPPED:
		sl_buf_printf(b, "stopped: served %llu client%s, refused %llu",
			      (unsigned long long)e->clients,
			      e->clients == 1 ? "" : "s",
			      (unsigned long long)e->refused);
		break;
	}
}

/* UDP's summary: datagrams, not clients. */
static void udp_stopped(struct sl_buf *b, const struct sl_srv_event *e,
			int json)
{
	if (json)
		sl_buf_printf(b, "{\"event\":\"stopped\",\"datagrams\":%llu,"
			      "\"unsent\":%llu}", (unsigned long long)e->clients,
			      (unsigned long long)e->refused);
	else
		sl_buf_printf(b, "stopped: answered %llu datagram%s%s",
			      (unsigned long long)e->clients,
			      e->clients == 1 ? "" : "s",
			      e->refused ? ", some replies could not be sent (send buffer full)" : "");
}

static const char *const kind_names[] = {
	[SL_SRV_ACCEPTED] = "accepted", [SL_SRV_RECEIVED] = "received",
	[SL_SRV_REJECTED] = "answered", [SL_SRV_CLOSED] = "closed",
	[SL_SRV_BUSY] = "refused", [SL_SRV_WARNING] = "warning",
	[SL_SRV_STOPPED] = "stopped",
};

static void json_event(struct sl_buf *b, const struct sl_srv_event *e)
{
	sl_buf_printf(b, "{\"event\":\"%s\"", kind_names[e->kind]);
	if (e->peer) {
		sl_buf_puts(b, ",\"peer\":");
		put_addr(b, e->peer, 1);
	}
	if (e->local) {
		sl_buf_puts(b, ",\"local\":");
		put_addr(b, e->local, 1);
	}
	if (e->kind == SL_SRV_RECEIVED) {
		sl_buf_puts(b, ",\"name\":");
		sl_buf_json_str(b, e->data, e->len);
		sl_buf_printf(b, ",\"reads\":%u", e->reads);
	}
	if (e->kind == SL_SRV_REJECTED) {
		sl_buf_puts(b, ",\"reply\":");
		sl_buf_json_str(b, e->data, e->len ? e->len - 1 : 0);
	}
	if (e->kind == SL_SRV_CLOSED)
		sl_buf_printf(b, ",\"lines\":%llu,\"bytes_in\":%llu,\"bytes_out\":%llu",
			      (unsigned long long)e->lines,
			      (unsigned long long)e->bytes_in,
			      (unsigned long long)e->bytes_out);
	if (e->kind == SL_SRV_STOPPED)
		sl_buf_printf(b, ",\"clients\":%llu,\"refused\":%llu",
			      (unsigned long long)e->clients,
			      (unsigned long long)e->refused);
	if (e->reason) {
		sl_buf_puts(b, ",\"reason\":");
		sl_buf_json_str(b, e->reason, strlen(e->reason));
	}
	sl_buf_putc(b, '}');
}

static void on_event(const struct sl_srv_event *e, void *arg)
{
	struct server_cli *c = arg;

	if (e->kind == SL_SRV_WARNING && !c->json) {
		cli_error("server", "%s", e->reason);
		return;
	}
	sl_buf_reset(&c->line);
	if (c->o.udp && e->kind == SL_SRV_STOPPED)
		udp_stopped(&c->line, e, c->json);
	else if (c->json)
		json_event(&c->line, e);
	else
		text_event(&c->line, e);
	sl_buf_putc(&c->line, '\n');
	fwrite(c->line.data, 1, c->line.len, c->out);
}

static void flush_output(void *arg)
{
	struct server_cli *c = arg;

	fflush(c->out);
}

static void print_listening(struct server_cli *c, struct sl_server *srv)
{
	const struct sl_endpoint *eps;
	size_t n = sl_server_listeners(srv, &eps);

	sl_buf_reset(&c->line);
	sl_buf_puts(&c->line, c->json ? "{\"event\":\"listening\",\"addresses\":["
				      : "listening on ");
	for (size_t i = 0; i < n; i++) {
		if (i)
			sl_buf_puts(&c->line, c->json ? "," : " and ");
		put_addr(&c->line, (const struct sockaddr *)&eps[i].ss, c->json);
	}
	if (c->o.udp)
		sl_buf_puts(&c->line, c->json ? "],\"proto\":\"udp\"}\n" : " (UDP)\n");
	else
		sl_buf_puts(&c->line, c->json ? "]}\n" : "\n");
	fwrite(c->line.data, 1, c->line.len, c->out);
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

/* EADDRINUSE: say who holds the port, from the kernel's socket table. */
static void explain_in_use(const struct sl_err *e, uint16_t port)
{
	struct sl_buf who = SL_BUF_INIT;
	const char *clause = strstr(e->msg, ": port");

	if (clause && sl_diag_describe_port(port, 0, &who) > 0)
		cli_error("server", "%.*s: %s", (int)(clause - e->msg), e->msg,
			  who.data);
	else
		cli_error("server", "%s", e->msg);
	sl_buf_release(&who);
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
	srv = sl_server_new(&c.o, &e);
	if (!srv) {
		if (e.code == -EADDRINUSE) {
			const struct sl_endpoint *b = c.o.nbinds ? &c.o.binds[0] : NULL;

			explain_in_use(&e, b ? sl_addr_port((struct sockaddr *)&b->ss)
					     : c.o.port);
			rc = EXIT_FAIL;
		} else {
			rc = cli_fail("server", &e);
		}
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
