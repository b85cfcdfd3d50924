/* cmd-check.c - socklab check: start a student's server and probe it as
 * its clients will treat it, one verdict a line */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "socklab/check.h"

static const char usage[] =
	"usage: socklab check [--name NAME] [--json] [--timeout S] -- SERVER_COMMAND...\n"
	"\n"
	"Starts your server (its own process group), finds the port it listens on\n"
	"from the kernel's socket table by the pids of its processes, then probes\n"
	"it as real clients over loopback, one line each: PASS, NOTE (works, but\n"
	"worth knowing, with the fix), FAIL (with the fix) or SKIP (could not run,\n"
	"and why):\n"
	"  start port address   it listens, above 59000, on loopback only\n"
	"  hello                a client sends NAME and reads the answer\n"
	"  two-names split      two names in one segment; one name in two\n"
	"  families             127.0.0.1 and ::1 both\n"
	"  concurrent           20 clients at once\n"
	"  silent               a client that sends nothing: is the next one held up?\n"
	"  close-early reset    a client that leaves before reading; a reset\n"
	"A server that serves one client and ends is a note (one-shot).\n"
	"\n"
	"  --name NAME    the name the clients send (default: your login name)\n"
	"  --json         one JSON object per probe, then a summary (NDJSON)\n"
	"  --timeout S    how long to wait for each answer (default 3); the\n"
	"                 server has 10 s, or S if longer, to start listening\n"
	"\n"
	"One word with spaces is run by /bin/sh -c:  socklab check 'python3 server.py'\n"
	"Exit status: 0 when nothing failed, 1 when a probe failed, 2 usage error.\n";

enum { OPT_NAME = 256, OPT_JSON, OPT_TIMEOUT };

static const struct option long_opts[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

struct check_args {
	const char *name;
	int json;
	double timeout;
	char **argv;
};

/* The one flag a signal handler may set: the check stops the server. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int check_name(const char *name)
{
	if (!*name)
		return cli_usage_error("check", "NAME is empty: a server has nothing to answer");
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return cli_usage_error("check", "NAME must be one line of printable text");
	if (strlen(name) > 200)
		return cli_usage_error("check", "NAME is longer than 200 bytes");
	return 0;
}

static int parse_args(struct check_args *a, int argc, char **argv)
{
	int opt, rc;

	opterr = 0;
	optind = 1;
	/* "+": the server's own options are its own, even without "--" */
	while ((opt = getopt_long(argc, argv, "+:h", long_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_NAME: a->name = optarg; break;
		case OPT_JSON: a->json = 1; break;
		case OPT_TIMEOUT:
			if ((rc = cli_opt_seconds("check", "--timeout", optarg,
						  600, &a->timeout)))
				return rc;
			if (a->timeout < 0.1)
				return cli_usage_error("check", "--timeout must be at least 0.1 s");
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		case ':':
			return cli_usage_error("check", "%s needs a value",
					       argv[optind - 1]);
		default:
			return cli_bad_option("check", optopt, argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("check", "no server command: give it after --, e.g. socklab check -- python3 server.py");
	a->argv = argv + optind;
	if (!a->name)
		a->name = cli_login_name();
	return check_name(a->name);
}

static void show(const struct sl_probe *p, void *arg)
{
	const struct check_args *a = arg;
	struct sl_buf b = SL_BUF_INIT;

	if (a->json)
		sl_check_json(&b, p);
	else
		sl_check_text(&b, p);
	cli_write(stdout, b.data, b.len);
	fflush(stdout);
	sl_buf_release(&b);
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: waits wake up */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int cmd_check(int argc, char **argv)
{
	struct check_args a = { NULL, 0, 3.0, NULL };
	struct sl_check_summary sum;
	struct sl_check_opts o;
	struct sl_buf b = SL_BUF_INIT;
	struct sl_err e;
	int rc = parse_args(&a, argc, argv);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	o = (struct sl_check_opts){ a.argv, a.name, (int)(a.timeout * 1000),
				    show, &a, &stop_requested };
	catch_signals();
	rc = sl_check_run(&o, &sum, &e);
	if (a.json)
		sl_check_summary_json(&b, &sum);
	else
		sl_check_summary_text(&b, &sum);
	cli_write(stdout, b.data, b.len);
	fflush(stdout);
	sl_buf_release(&b);
	if (rc < 0)
		return cli_fail("check", &e);
	return sum.count[SL_FAIL] ? EXIT_FAIL : EXIT_OK;
}
