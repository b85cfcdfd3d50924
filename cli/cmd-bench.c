/* cmd-bench.c - socklab bench: load a server with hello exchanges */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "socklab/load.h"
#include "socklab/net.h"

static const char usage[] =
	"usage: socklab bench [-H HOST] [-p PORT] [-4|-6] [-n EXCHANGES] [-c CONCURRENCY]\n"
	"                     [--duration S] [--timeout S] [--rate R] [--hold K]\n"
	"                     [--name NAME] [--json]\n"
	"\n"
	"Loads a lab server with hello exchanges (connect, send NAME, read\n"
	"\"Hello, NAME!\", close), many at a time from one process, and prints the\n"
	"rate, the latency percentiles and the errors by kind.\n"
	"\n"
	"  -H, --host HOST        server name or address (default localhost)\n"
	"  -p, --port PORT        server port (default 59001)\n"
	"  -4, -6                 IPv4 only / IPv6 only\n"
	"  -n, --exchanges N      stop after N exchanges (default 10000; no count\n"
	"                         bound when only --duration is given)\n"
	"  -c, --concurrency N    exchanges in flight at once (default 64); with\n"
	"                         --hold, connects in flight at once\n"
	"      --duration S       stop after S seconds, leaving what is in flight\n"
	"                         unfinished (default 60); with --hold: how long\n"
	"                         to hold (default 10)\n"
	"  -w, --timeout S        give an exchange up after S seconds (default 5)\n"
	"      --rate R           open at most R connections per second (default: as\n"
	"                         fast as the server takes them)\n"
	"      --hold K           open K connections, send half a NAME line on each,\n"
	"                         hold them for --duration, then send the rest and\n"
	"                         check every reply (memory per connection)\n"
	"      --name NAME        the name to send (default alice)\n"
	"      --json             one JSON object with the results (NDJSON)\n"
	"  -h, --help             this help\n"
	"\n"
	"Errors by kind: refused (nothing listens), reset, timeout, wrong_reply (a\n"
	"line other than \"Hello, NAME!\"), closed (closed before replying), local\n"
	"(out of ports or descriptors here), other.\n"
	"Exit status: 0 when every exchange got its reply, 1 when any failed, 2 on\n"
	"a usage error.\n";

struct bench_cli {
	const char *host;
	uint16_t port;
	int family;
	int json;
	int n_given, duration_given;
	double duration_s, timeout_s;
	struct sl_load_opts o;
	char target[SL_ADDRSTRLEN];
};

enum { OPT_DURATION = 256, OPT_RATE, OPT_HOLD, OPT_NAME, OPT_JSON };

static const struct option long_opts[] = {
	{ "host", required_argument, NULL, 'H' },
	{ "port", required_argument, NULL, 'p' },
	{ "exchanges", required_argument, NULL, 'n' },
	{ "concurrency", required_argument, NULL, 'c' },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "timeout", required_argument, NULL, 'w' },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "hold", required_argument, NULL, OPT_HOLD },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int parse_count(const char *opt, const char *arg, unsigned long max,
		       unsigned long *v)
{
	return cli_opt_uint("bench", opt, arg, 1, max, v);
}

static int parse_opt(struct bench_cli *b, int opt, const char *arg)
{
	unsigned long v;
	int rc = 0;

	switch (opt) {
	case 'H': b->host = arg; break;
	case 'p': rc = cli_opt_port("bench", arg, 0, &b->port); break;
	case '4': b->family = b->family == AF_INET6 ? -1 : AF_INET; break;
	case '6': b->family = b->family == AF_INET ? -1 : AF_INET6; break;
	case 'n':
		rc = parse_count("--exchanges", arg, 1000000000ul, &v);
		b->o.exchanges = v;
		b->n_given = 1;
		break;
	case 'c':
		rc = parse_count("--concurrency", arg, 100000ul, &v);
		b->o.concurrency = (unsigned)v;
		break;
	case OPT_RATE:
		rc = parse_count("--rate", arg, 10000000ul, &v);
		b->o.rate = (unsigned)v;
		break;
	case OPT_HOLD:
		rc = parse_count("--hold", arg, 1000000ul, &v);
		b->o.hold = (unsigned)v;
		break;
	case OPT_DURATION:
		rc = cli_opt_seconds("bench", "--duration", arg, 86400,
				     &b->duration_s);
		if (!rc && b->duration_s <= 0)
			rc = cli_usage_error("bench",
				"--duration must be more than 0 seconds");
		b->duration_given = 1;
		break;
	case 'w':
		rc = cli_opt_seconds("bench", "--timeout", arg, 3600,
				     &b->timeout_s);
		if (!rc && b->timeout_s <= 0)
			rc = cli_usage_error("bench",
				"--timeout must be more than 0 seconds");
		break;
	case OPT_NAME: b->o.name = arg; break;
	case OPT_JSON: b->json = 1; break;
	}
	return rc;
}

static int check_args(struct bench_cli *b)
{
	const char *name = b->o.name;

	if (b->family < 0)
		return cli_usage_error("bench", "-4 and -6 exclude each other");
	if (!*name || strlen(name) > 4096 || strpbrk(name, "\r\n"))
		return cli_usage_error("bench",
			"--name must be one non-empty line of at most 4096 bytes");
	if (b->o.hold && b->n_given)
		return cli_usage_error("bench",
			"--hold and -n exclude each other: a hold run makes one exchange per held connection");
	if (!b->duration_given)
		b->duration_s = b->o.hold ? 10 : 60;
	else if (!b->n_given && !b->o.hold)
		b->o.exchanges = 1000000000000ull;	/* the duration bounds it */
	b->o.duration_ms = (uint64_t)(b->duration_s * 1000.0 + 0.5);
	b->o.timeout_ms = (uint64_t)(b->timeout_s * 1000.0 + 0.5);
	if (!b->o.duration_ms)
		b->o.duration_ms = 1;
	if (!b->o.timeout_ms)
		b->o.timeout_ms = 1;
	return 0;
}

static int parse_args(struct bench_cli *b, int argc, char **argv)
{
	int opt, rc;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":H:p:46n:c:w:h", long_opts,
				  NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return -1;
		}
		if (opt == ':')
			return cli_usage_error("bench", "%s needs a value",
					       argv[optind - 1]);
		if (opt == '?')
			return cli_bad_option("bench", optopt, argv[optind - 1]);
		if ((rc = parse_opt(b, opt, optarg)))
			return rc;
	}
	if (optind < argc) {
		char shown[128];

		sl_escape(shown, sizeof(shown), argv[optind],
			  strlen(argv[optind]));
		return cli_usage_error("bench", "unexpected argument \"%s\"",
				       shown);
	}
	return check_args(b);
}

/* Every connection needs a descriptor: raise the soft limit to what the
 * run needs when the hard limit allows it. */
static int ensure_fds(unsigned slots)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)slots + 32;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		cli_error("bench",
			"%u connections need %llu descriptors but the hard limit is %llu: ask for fewer, or raise it (ulimit -Hn as root, or limits.conf)",
			slots, (unsigned long long)need,
			(unsigned long long)rl.rlim_max);
		return EXIT_FAIL;
	}
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		cli_error("bench", "cannot raise the descriptor limit to %llu: %s",
			  (unsigned long long)need, strerror(errno));
		return EXIT_FAIL;
	}
	return 0;
}

/* The address to load: with several (localhost), the first that accepts
 * a connection; when none does, the first (the run counts the refusals). */
static int pick_target(struct bench_cli *b)
{
	struct sl_addrlist l;
	struct sl_endpoint peer;
	struct sl_err e;
	int fd;

	if (sl_resolve(b->host, b->port, b->family ? b->family : AF_UNSPEC, &l,
		       &e) < 0)
		return cli_fail("bench", &e);
	b->o.ep = l.v[0];
	if (l.n > 1) {
		fd = sl_dial(&l, (int)(b->o.timeout_ms > 2000 ? 2000 :
				       b->o.timeout_ms), NULL, NULL);
		if (fd >= 0) {
			if (sl_sock_peer(fd, &peer) == 0)
				b->o.ep = peer;
			close(fd);
		}
	}
	sl_addrlist_release(&l);
	sl_addr_format((const struct sockaddr *)&b->o.ep.ss, b->target,
		       sizeof(b->target));
	return 0;
}

static void on_hold(uint64_t held, void *arg)
{
	struct bench_cli *b = arg;

	if (b->json) {
		printf("{\"event\":\"holding\",\"target\":\"%s\",\"held\":%llu,\"seconds\":%g}\n",
		       b->target, (unsigned long long)held, b->duration_s);
		fflush(stdout);
	} else {
		cli_error("bench",
			"holding %llu connections to %s for %g s (look: ss -tn state established dst %s)",
			(unsigned long long)held, b->target, b->duration_s,
			b->target);
	}
}

/* "67 us" below a millisecond, "1.52 ms" above */
static void put_time(struct sl_buf *out, uint64_t ns)
{
	if (ns < 1000000)
		sl_buf_printf(out, "%.0f us", (double)ns / 1e3);
	else
		sl_buf_printf(out, "%.2f ms", (double)ns / 1e6);
}

static double rate_of(const struct sl_load_stats *st)
{
	uint64_t done = st->ok + sl_load_errors(st);

	return st->elapsed_ns ? (double)done * 1e9 / (double)st->elapsed_ns : 0;
}

static const double pcts[] = { 50, 90, 99 };

static void json_result(struct sl_buf *out, const struct bench_cli *b,
			const struct sl_load_stats *st)
{
	const struct sl_hist *h = &st->latency;

	sl_buf_printf(out, "{\"event\":\"result\",\"target\":\"%s\",\"name\":",
		      b->target);
	sl_buf_json_str(out, b->o.name, strlen(b->o.name));
	sl_buf_printf(out, ",\"concurrency\":%u,\"hold\":%u,\"held\":%llu,"
		      "\"exchanges\":%llu,\"ok\":%llu,\"errors\":{",
		      b->o.concurrency, b->o.hold,
		      (unsigned long long)st->held,
		      (unsigned long long)(st->ok + sl_load_errors(st)),
		      (unsigned long long)st->ok);
	for (int k = 0; k < SL_LOAD_NERR; k++)
		sl_buf_printf(out, "%s\"%s\":%llu", k ? "," : "",
			      sl_load_err_name(k),
			      (unsigned long long)st->errors[k]);
	sl_buf_printf(out, "},\"unfinished\":%llu,\"seconds\":%.6f,"
		      "\"rate\":%.1f,\"latency_us\":{",
		      (unsigned long long)st->unfinished,
		      (double)st->elapsed_ns / 1e9, rate_of(st));
	for (size_t i = 0; i < SL_ARRAY_SIZE(pcts); i++)
		sl_buf_printf(out, "\"p%.0f\":%.1f,", pcts[i],
			      (double)sl_hist_percentile(h, pcts[i]) / 1e3);
	sl_buf_printf(out, "\"max\":%.1f,\"mean\":%.1f}}\n",
		      (double)h->max / 1e3,
		      h->count ? (double)h->sum / (double)h->count / 1e3 : 0.0);
}

static void text_errors(struct sl_buf *out, const struct sl_load_stats *st)
{
	int any = 0;

	sl_buf_puts(out, "errors     ");
	for (int k = 0; k < SL_LOAD_NERR; k++) {
		if (!st->errors[k])
			continue;
		sl_buf_printf(out, "%s%llu %s", any ? ", " : "",
			      (unsigned long long)st->errors[k],
			      sl_load_err_name(k));
		any = 1;
	}
	if (!any)
		sl_buf_puts(out, "none");
	if (st->other_errno)
		sl_buf_printf(out, " (first local/other: %s)",
			      sl_errno_words(st->other_errno));
	if (st->wronglen) {
		sl_buf_puts(out, " (first wrong reply: \"");
		sl_buf_escape(out, st->wrong, st->wronglen);
		sl_buf_puts(out, "\")");
	}
	sl_buf_putc(out, '\n');
}

static void text_result(struct sl_buf *out, const struct bench_cli *b,
			const struct sl_load_stats *st)
{
	const struct sl_hist *h = &st->latency;
	uint64_t done = st->ok + sl_load_errors(st);

	sl_buf_printf(out, "target     %s, ", b->target);
	if (b->o.hold && !st->held)
		sl_buf_printf(out, "none of %u connections could be held, name \"",
			      b->o.hold);
	else if (b->o.hold)
		sl_buf_printf(out, "%llu of %u connections held %g s, name \"",
			      (unsigned long long)st->held, b->o.hold,
			      b->duration_s);
	else
		sl_buf_printf(out, "%u at a time, name \"", b->o.concurrency);
	sl_buf_escape(out, b->o.name, strlen(b->o.name));
	sl_buf_printf(out, "\"\nexchanges  %llu in %.3f s: %.0f/s (%llu ok",
		      (unsigned long long)done, (double)st->elapsed_ns / 1e9,
		      rate_of(st), (unsigned long long)st->ok);
	if (st->unfinished)
		sl_buf_printf(out, ", %llu left unfinished at the end",
			      (unsigned long long)st->unfinished);
	sl_buf_puts(out, ")\nlatency    ");
	if (!h->count)
		sl_buf_puts(out, "none: no exchange got its reply\n");
	for (size_t i = 0; h->count && i < SL_ARRAY_SIZE(pcts); i++) {
		sl_buf_printf(out, "p%.0f ", pcts[i]);
		put_time(out, sl_hist_percentile(h, pcts[i]));
		sl_buf_puts(out, ", ");
	}
	if (h->count) {
		sl_buf_puts(out, "max ");
		put_time(out, h->max);
		sl_buf_putc(out, '\n');
	}
	text_errors(out, st);
}

/* Every exchange was refused: nothing listens there, and a rate of
 * refusals would only mislead (--json still has the numbers). */
static int all_refused(const struct sl_load_stats *st)
{
	uint64_t n = st->errors[SL_LOAD_REFUSED];

	return n && n == st->ok + sl_load_errors(st) && !st->held;
}

/* Refused connections fail the run, said in the client's words. */
static void report_refused(const struct bench_cli *b,
			   const struct sl_load_stats *st)
{
	uint64_t n = st->errors[SL_LOAD_REFUSED];

	if (all_refused(st))
		cli_error("bench",
			"connection refused: nothing listens on %s — start \"socklab server -p %u\"",
			b->target, b->port);
	else if (n)
		cli_error("bench",
			"%llu of %llu connections to %s were refused: the server stopped listening during the run; see its log",
			(unsigned long long)n,
			(unsigned long long)(st->ok + sl_load_errors(st)),
			b->target);
}

int cmd_bench(int argc, char **argv)
{
	struct bench_cli b = {
		.host = "localhost", .port = SL_DEFAULT_PORT, .timeout_s = 5.0,
	};
	struct sl_load_stats *st = NULL;
	struct sl_buf out = SL_BUF_INIT;
	struct sl_err e;
	int rc;

	sl_load_opts_init(&b.o);
	if ((rc = parse_args(&b, argc, argv)))
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = ensure_fds(b.o.hold ? b.o.hold : b.o.concurrency)))
		return rc;
	if ((rc = pick_target(&b)))
		return rc;
	b.o.on_hold = on_hold;
	b.o.arg = &b;
	st = malloc(sizeof(*st));
	if (!st) {
		cli_error("bench", "out of memory");
		return EXIT_FAIL;
	}
	if (sl_load_run(&b.o, st, &e) < 0) {
		rc = cli_fail("bench", &e);
		goto out;
	}
	if (b.json)
		json_result(&out, &b, st);
	else if (!all_refused(st))
		text_result(&out, &b, st);
	if (out.len)
		fwrite(out.data, 1, out.len, stdout);
	fflush(stdout);
	report_refused(&b, st);
	rc = st->ok && !sl_load_errors(st) ? EXIT_OK : EXIT_FAIL;
out:
	sl_buf_release(&out);
	free(st);
	return rc;
}
