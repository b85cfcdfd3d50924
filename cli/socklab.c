/* socklab.c - main: the command table and dispatch */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

/* The one piece of file-scope state: which word runs which command. */
const struct cli_cmd cli_commands[] = {
	{ "server", cmd_server, "listen for clients and greet each: Hello, NAME!" },
	{ "client", cmd_client, "connect, send NAME, print the reply" },
	{ "capture", cmd_capture, "capture packets on loopback, read and write pcap files, like tshark" },
	{ "sockets", cmd_sockets, "list sockets from the kernel, like netstat -a / ss" },
	{ "why", cmd_why, "why can't my client reach my server? every check, the verdict, the fix" },
	{ "doctor", cmd_why, "the same as why" },
	{ "bench", cmd_bench, "load a server with hello exchanges: rate, latency, errors" },
	{ "lab", cmd_lab, "run the whole lab end to end and write the evidence" },
	{ "check", cmd_check, "start your server and probe it as its clients will: pass, note or fail" },
	{ "help", cmd_help, "the manual, or the options of one command" },
	{ "version", cmd_version, "print the version" },
	{ NULL, NULL, NULL },
};

static const struct cli_cmd *find_command(const char *name)
{
	for (const struct cli_cmd *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void print_usage(FILE *f)
{
	fputs("usage: socklab COMMAND [OPTIONS]\n"
	      "\n"
	      "The socket-programming lab in one program: a server, a client and\n"
	      "the tools that show what they did.\n"
	      "\n"
	      "commands:\n", f);
	for (const struct cli_cmd *c = cli_commands; c->name; c++)
		fprintf(f, "  %-9s %s\n", c->name, c->summary);
	fputs("\n"
	      "'socklab COMMAND --help' or 'socklab help COMMAND' for a command's options;\n"
	      "'socklab help' for the whole manual (man socklab once installed).\n", f);
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("socklab %s\n", SL_VERSION);
	return EXIT_OK;
}

static int cmd_help(int argc, char **argv)
{
	const struct cli_cmd *c;
	char *help_argv[] = { NULL, "--help", NULL };

	if (argc < 2)
		return cli_manual();
	if (!strcmp(argv[1], "fields"))
		return cli_fields();
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_usage(stdout);
		return EXIT_OK;
	}
	c = find_command(argv[1]);
	if (!c || c->run == cmd_help || c->run == cmd_version) {
		char shown[256];

		if (c) {
			printf("socklab %s: %s\n", c->name, c->summary);
			return EXIT_OK;
		}
		sl_escape(shown, sizeof(shown), argv[1], strlen(argv[1]));
		cli_error("help", "unknown command \"%s\": see 'socklab --help' for the list (or 'socklab help fields' for the filter fields)",
			  shown);
		return EXIT_USAGE;
	}
	help_argv[0] = argv[1];
	return c->run(2, help_argv);
}

/* The other tools' names for socklab's commands. */
static const struct { const char *typed, *cmd; } aliases[] = {
	{ "netstat", "sockets" }, { "ss", "sockets" }, { "socket", "sockets" },
	{ "lsof", "sockets" }, { "tcpdump", "capture" }, { "tshark", "capture" },
	{ "wireshark", "capture" }, { "sniff", "capture" }, { "nc", "client" },
	{ "ncat", "client" }, { "netcat", "client" }, { "telnet", "client" },
	{ "connect", "client" }, { "listen", "server" }, { "serve", "server" },
	{ "diagnose", "why" }, { "debug", "why" }, { "troubleshoot", "why" },
};

/* Levenshtein distance of two short words, capped at 9. */
static unsigned distance(const char *a, const char *b)
{
	unsigned row[16], prev[16];
	size_t la = strlen(a), lb = strlen(b);

	if (la > 15 || lb > 15)
		return 9;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned v = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
		}
		memcpy(prev, row, (lb + 1) * sizeof(row[0]));
	}
	return prev[lb] > 9 ? 9 : prev[lb];
}

static const char *command_suggest(const char *typed)
{
	const char *best = NULL;
	unsigned best_d = 3;

	for (size_t i = 0; i < SL_ARRAY_SIZE(aliases); i++)
		if (!strcmp(aliases[i].typed, typed))
			return aliases[i].cmd;
	for (const struct cli_cmd *c = cli_commands; c->name; c++) {
		unsigned d = distance(typed, c->name);

		/* "sock" for sockets: a prefix counts as close */
		if (strlen(typed) >= 3 && !strncmp(c->name, typed, strlen(typed)))
			d = 1;
		if (d < best_d) {
			best_d = d;
			best = c->name;
		}
	}
	return best;
}

int main(int argc, char **argv)
{
	const struct cli_cmd *c;

	/* a reader that went away must surface as EPIPE, never kill us */
	signal(SIGPIPE, SIG_IGN);
	if (cli_color_option(&argc, argv))
		return EXIT_USAGE;
	if (argc < 2) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cmd_version(0, NULL);
	c = find_command(argv[1]);
	if (!c) {
		char shown[256];

		const char *hint = command_suggest(argv[1]);

		sl_escape(shown, sizeof(shown), argv[1], strlen(argv[1]));
		if (hint)
			fprintf(stderr,
				"socklab: unknown command \"%s\": did you mean 'socklab %s'? ('socklab --help' lists them all)\n",
				shown, hint);
		else
			fprintf(stderr,
				"socklab: unknown command \"%s\": see 'socklab --help' for the list\n",
				shown);
		return EXIT_USAGE;
	}
	return c->run(argc - 1, argv + 1);
}
