/* cmd-lab.c - socklab lab: the whole exercise, narrated, with evidence */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "socklab/lab.h"
#include "socklab/report.h"

extern const char sl_embedded_code[];
extern const size_t sl_embedded_code_len;

static const char usage[] =
	"usage: socklab lab [-u] [--name NAME] [--out DIR] [-p PORT] [-4|-6]\n"
	"                   [--no-capture] [--no-images] [NAME]\n"
	"       socklab lab --server 'COMMAND' --client 'COMMAND' [--code FILE]...\n"
	"                   [--timeout S] [--name NAME] [--out DIR] [--no-capture]\n"
	"       socklab lab --watch [--name NAME] [--out DIR] [--code FILE]... [--timeout S]\n"
	"       socklab lab --init DIR [--lang python|c]\n"
	"\n"
	"Runs the socket lab end to end on loopback and writes the evidence:\n"
	"  1. capture on lo (display filter ip.addr==127.0.0.1, or ipv6.addr==::1 with -6)\n"
	"  2. start the server in its own process\n"
	"  3. show its LISTEN socket with pid and program (netstat -a)\n"
	"  4. start the client: show both ends ESTABLISHED\n"
	"  5. the client sends NAME, the server replies Hello, NAME!\n"
	"  6. find the packet that carries NAME in the capture and dissect it\n"
	"\n"
	"  --name NAME      the name to send (default: your login name)\n"
	"  --out DIR        where to write the evidence (default evidence/)\n"
	"  -p, --port PORT  server port (default: the first free port above 59000)\n"
	"  -4, -6           IPv4 (default) or IPv6 loopback\n"
	"  -u, --udp        the same over UDP, and what is not there: no LISTEN\n"
	"                   state, no handshake, no connection on the server's side,\n"
	"                   two datagrams in the capture and nothing else\n"
	"  --no-capture     skip the capture on purpose (no privilege needed)\n"
	"  --server 'CMD'   run your own server (a shell command, e.g. 'python3\n"
	"                   server.py'): its port is found from the sockets it holds\n"
	"  --client 'CMD'   run your own client against it (it must send NAME)\n"
	"  --code FILE      a file of your programs for NAME_code.txt (repeat it;\n"
	"                   default: the files the two commands name)\n"
	"  --timeout S      how long each step waits for your programs (default 10;\n"
	"                   with --watch: no bound unless given)\n"
	"  --watch          you run your server and client yourself, in other\n"
	"                   terminals; the lab captures on lo, watches the socket\n"
	"                   table and saves each piece of evidence as it sees it,\n"
	"                   until NAME has crossed (Ctrl-C keeps what was seen)\n"
	"  --no-images      do not render the .jpeg images\n"
	"  --init DIR       write a server and a client to start from into DIR\n"
	"                   (never over a file), then stop\n"
	"  --lang LANG      with --init: python (default) or c\n"
	"\n"
	"Files, NAME in each name: NAME_listening.txt NAME_established.txt\n"
	"NAME_message.txt NAME_packet.txt (and .jpeg of each), NAME_packet.pcap,\n"
	"NAME_code.txt, NAME_report.json, NAME_report.html. Exit 0 only when every\n"
	"step was verified; a capture without privilege is skipped and exits 1\n"
	"unless --no-capture was given.\n";

enum { OPT_NAME = 256, OPT_OUT, OPT_NO_CAPTURE, OPT_NO_IMAGES, OPT_SERVER,
       OPT_CLIENT, OPT_CODE, OPT_TIMEOUT, OPT_WATCH, OPT_INIT, OPT_LANG };

/* --code files, in the order given */
#define CODE_FILES_MAX 32

static const struct option long_opts[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "port", required_argument, NULL, 'p' },
	{ "no-capture", no_argument, NULL, OPT_NO_CAPTURE },
	{ "no-images", no_argument, NULL, OPT_NO_IMAGES },
	{ "server", required_argument, NULL, OPT_SERVER },
	{ "client", required_argument, NULL, OPT_CLIENT },
	{ "code", required_argument, NULL, OPT_CODE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "watch", no_argument, NULL, OPT_WATCH },
	{ "udp", no_argument, NULL, 'u' },
	{ "init", required_argument, NULL, OPT_INIT },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void say(const char *line, void *arg)
{
	(void)arg;
	if (cli_use_color(stdout))
		cli_color_verdict(stdout, line);
	else
		printf("%s\n", line);
	fflush(stdout);
}

static int check_name(const char *name)
{
	if (!*name)
		return cli_usage_error("lab", "NAME is empty: the server would answer \"ERR empty name\"");
	if (strpbrk(name, "\r\n"))
		return cli_usage_error("lab", "NAME must be one line");
	if (strlen(name) > 200)
		return cli_usage_error("lab", "NAME is longer than 200 bytes (the server's line limit is 256)");
	return 0;
}

static int add_code(struct sl_lab_opts *o, const char **files,
		    const char *f)
{
	if (o->ncode_files == CODE_FILES_MAX)
		return cli_usage_error("lab", "more than %d --code files", CODE_FILES_MAX);
	files[o->ncode_files++] = f;
	o->code_files = files;
	return 0;
}

/* --server and --client come together; the rest of the own lab's
 * options have no meaning beside them. */
static int check_programs(const struct sl_lab_opts *o)
{
	if (o->watch && (o->server_cmd || o->client_cmd))
		return cli_usage_error("lab", "--watch is for programs you start yourself; --server and --client have the lab start them");
	if (o->watch && (o->port || o->family))
		return cli_usage_error("lab", "-p, -4 and -6 choose socklab's own server's port and family; with --watch your server chooses them");
	if ((o->watch || o->server_cmd || o->client_cmd) && o->udp)
		return cli_usage_error("lab", "-u runs socklab's own UDP server and client; your programs' lab (--server, --client, --watch) is TCP's");
	if (o->watch)
		return 0;
	if (!o->server_cmd != !o->client_cmd)
		return cli_usage_error("lab", "%s needs %s too: the lab runs your server, then your client against it",
				       o->server_cmd ? "--server" : "--client",
				       o->server_cmd ? "--client" : "--server");
	if (!o->server_cmd && (o->ncode_files || o->timeout_s > 0))
		return cli_usage_error("lab", "--code and --timeout go with --server and --client");
	if (o->server_cmd && (o->port || o->family))
		return cli_usage_error("lab", "-p, -4 and -6 choose socklab's own server's port and family; with --server your program chooses them");
	return 0;
}

static int parse_args(struct sl_lab_opts *o, const char **files,
		      struct cli_lab_init *init, int argc, char **argv)
{
	int opt, rc;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":p:46uh", long_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_NAME: o->name = optarg; break;
		case OPT_OUT: o->out_dir = optarg; break;
		case 'p':
			if ((rc = cli_opt_port("lab", optarg, 0, &o->port)))
				return rc;
			break;
		case '4': o->family = o->family == AF_INET6 ? -1 : AF_INET; break;
		case '6': o->family = o->family == AF_INET ? -1 : AF_INET6; break;
		case OPT_NO_CAPTURE: o->no_capture = 1; break;
		case 'u': o->udp = 1; break;
		case OPT_NO_IMAGES: o->no_images = 1; break;
		case OPT_SERVER: o->server_cmd = optarg; break;
		case OPT_WATCH: o->watch = 1; break;
		case OPT_CLIENT: o->client_cmd = optarg; break;
		case OPT_CODE:
			if ((rc = add_code(o, files, optarg)))
				return rc;
			break;
		case OPT_TIMEOUT:
			if ((rc = cli_opt_seconds("lab", "--timeout", optarg,
						  3600, &o->timeout_s)))
				return rc;
			if (o->timeout_s < 0.1)
				return cli_usage_error("lab", "--timeout needs at least 0.1 seconds");
			break;
		case OPT_INIT: init->dir = optarg; break;
		case OPT_LANG: init->lang = optarg; break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		case ':':
			return cli_usage_error("lab", "%s needs a value",
					       argv[optind - 1]);
		default:
			return cli_bad_option("lab", optopt, argv[optind - 1]);
		}
	}
	if (init->dir || init->lang)
		return 0;
	if (o->family < 0)
		return cli_usage_error("lab", "-4 and -6 exclude each other");
	if ((rc = check_programs(o)))
		return rc;
	if (optind < argc) {
		if (o->name || argc - optind > 1)
			return cli_usage_error("lab", "unexpected argument \"%s\"",
					       argv[argc - 1]);
		o->name = argv[optind];
	}
	if (!o->name)
		o->name = cli_login_name();
	return check_name(o->name);
}

static void print_names(const struct sl_lab *lab,
			const char *const *suffixes, size_t n)
{
	char f[256];

	for (size_t i = 0; i < n; i++) {
		sl_lab_file_name(lab, suffixes[i], f, sizeof(f));
		if (!(lab->capture_skipped && strstr(suffixes[i], "pcap")))
			printf(" %s", f);
	}
}

static void print_files(const struct sl_lab *lab)
{
	static const char *const evidence[] = {
		"_listening.txt", "_established.txt", "_message.txt",
		"_packet.txt", "_packet.pcap", "_code.txt",
	};
	static const char *const reports[] = { "_report.json", "_report.html" };

	printf("\nevidence in %s/:", lab->o.out_dir);
	print_names(lab, evidence, SL_ARRAY_SIZE(evidence));
	if (!lab->o.no_images)
		printf(" (and a .jpeg of each .txt step)");
	print_names(lab, reports, SL_ARRAY_SIZE(reports));
	putchar('\n');
}

/* The run's error line leads with its cause: the first step that failed
 * (else the first skipped one) and what it says to do. */
static void report_failed(const struct sl_lab *lab)
{
	const struct sl_lab_step *s = NULL;
	char f[256];
	int i;

	for (i = 0; i < SL_STEP_COUNT && !s; i++)
		if (lab->steps[i].status == SL_STEP_FAILED)
			s = &lab->steps[i];
	for (i = 0; i < SL_STEP_COUNT && !s; i++)
		if (lab->steps[i].status == SL_STEP_SKIPPED)
			s = &lab->steps[i];
	sl_lab_file_name(lab, "_report.html", f, sizeof(f));
	if (!s || !s->why[0]) {
		cli_error("lab", "not every step was verified: see the FAILED or skipped lines above and %s/%s",
			  lab->o.out_dir, f);
		return;
	}
	cli_error("lab", "step %d (%s) %s: %.*s; the whole run is in %s/%s",
		  (int)(s - lab->steps) + 1, s->title,
		  s->status == SL_STEP_FAILED ? "failed" : "was skipped",
		  (int)strnlen(s->why, sizeof(s->why)), s->why,
		  lab->o.out_dir, f);
}

/* --watch: each step's file as soon as it is known. */
static void save_step(const struct sl_lab *lab, int id, void *arg)
{
	char fname[256], line[400];
	struct sl_err e;

	(void)arg;
	if (!lab->o.watch || id == SL_STEP_CAPTURE || id == SL_STEP_SERVER ||
	    lab->steps[id].status == SL_STEP_SKIPPED)
		return;
	if (sl_report_step_file(lab, id, fname, sizeof(fname), &e) < 0) {
		cli_fail("lab", &e);
		return;
	}
	snprintf(line, sizeof(line), "      saved %s/%s", lab->o.out_dir, fname);
	say(line, NULL);
}

int cmd_lab(int argc, char **argv)
{
	struct sl_lab_opts o = { 0 };
	struct cli_lab_init init = { NULL, NULL };
	const char *files[CODE_FILES_MAX];
	char exe[PATH_MAX];
	struct sl_lab lab;
	struct sl_err e;
	ssize_t n;
	int rc = parse_args(&o, files, &init, argc, argv);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (init.dir || init.lang)
		return cli_lab_init(&init);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		cli_error("lab", "cannot find this program's own path (/proc/self/exe): %s; is /proc mounted?",
			  strerror(errno));
		return EXIT_FAIL;
	}
	exe[n] = '\0';
	o.exe = exe;
	o.code = sl_embedded_code;
	o.code_len = sl_embedded_code_len;
	o.say = say;
	o.on_step = save_step;
	o.stop_fd = o.watch ? cli_stop_fd() : -1;
	sl_lab_init(&lab, &o);
	if (sl_lab_run(&lab, &e) < 0) {
		sl_lab_release(&lab);
		return cli_fail("lab", &e);
	}
	rc = sl_report_bundle(&lab, &e);
	if (rc < 0) {
		cli_fail("lab", &e);
		sl_lab_release(&lab);
		return EXIT_FAIL;
	}
	print_files(&lab);
	rc = lab.exit_status;
	if (rc)
		report_failed(&lab);
	else
		say("all steps verified", NULL);
	sl_lab_release(&lab);
	if (o.stop_fd >= 0)
		close(o.stop_fd);
	return rc ? EXIT_FAIL : EXIT_OK;
}
