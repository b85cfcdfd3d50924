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

		sl_escape(shown, sizeof(shown), argv[1], strlen(argv[1]));
		fprintf(stderr,
			"socklab: unknown command \"%s\": see 'socklab --help' for the list\n",
			shown);
		return EXIT_USAGE;
	}
	return c->run(argc - 1, argv + 1);
}
