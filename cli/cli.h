/* cli.h - what every command front end shares: the command table entries,
 * the error printer and option helpers.  Only cli/ prints and exits. */
#ifndef SOCKLAB_CLI_H
#define SOCKLAB_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "socklab/util.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* the command table (socklab.c) */
extern const struct cli_cmd cli_commands[];

int cmd_server(int argc, char **argv);
int cmd_client(int argc, char **argv);
int cmd_capture(int argc, char **argv);
int cmd_sockets(int argc, char **argv);
int cmd_lab(int argc, char **argv);
/* lab-verify.c: socklab lab --verify */
int cmd_lab_verify(int argc, char **argv);
/* lab-scenario.c: --scenario NAME checked (list: the scenarios, and -1);
 * the bundle's files named after a run */
struct sl_lab_opts;
struct sl_lab;
int cli_lab_scenario_option(struct sl_lab_opts *o, const char *name);
void cli_lab_scenario_files(const struct sl_lab *lab);
int cmd_bench(int argc, char **argv);
int cmd_why(int argc, char **argv);
int cmd_check(int argc, char **argv);

/* The starter programs of lab --init, embedded at build time
 * (scripts/embed-starters.sh): a row a file, the last with lang NULL. */
struct cli_starter {
	const char *lang;		/* its folder: "python", "c" */
	const char *name;		/* "server.py" */
	const unsigned char *data;
	size_t len;
	unsigned mode;			/* permission bits, 0755 for scripts */
};
extern const struct cli_starter cli_starters[];

/* socklab lab --init DIR [--lang LANG] (lab-init.c): writes the starter
 * programs of LANG (default python) into DIR; an exit status. */
struct cli_lab_init {
	const char *dir;
	const char *lang;
};
int cli_lab_init(const struct cli_lab_init *a);

/* "socklab CMD: message" on stderr, one line. */
void cli_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints a usage error with a pointer to --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The message of an error record, as a runtime failure; returns EXIT_FAIL. */
int cli_fail(const char *cmd, const struct sl_err *e);

/* Option helpers: each prints its own usage error; 0 or EXIT_USAGE. */
int cli_opt_port(const char *cmd, const char *arg, int allow_zero,
		 uint16_t *port);
int cli_opt_uint(const char *cmd, const char *opt, const char *arg,
		 unsigned long min, unsigned long max, unsigned long *out);
int cli_opt_seconds(const char *cmd, const char *opt, const char *arg,
		    double max, double *out);
/* getopt_long's unknown-option / missing-argument report, as a usage error. */
int cli_bad_option(const char *cmd, int optopt_char, const char *arg);

/* reflex.c: another tool's option (tcpdump -A, nc -z, ss -K) that cmd
 * lacks, answered with socklab's spelling as a usage error: EXIT_USAGE,
 * or 0 when opt is no such habit. */
int cli_reflex(const char *cmd, const char *opt);

/* man.c: socklab help, the manual; an exit status. */
int cli_manual(void);
/* fields.c: socklab help fields, the field registry; an exit status. */
int cli_fields(void);

/* A signalfd that SIGINT and SIGTERM (blocked from now on) make
 * readable, for a loop that stops cleanly on Ctrl-C; -1 when none. */
int cli_stop_fd(void);
/* color.c: colour for f: --color=always or never when given, else only
 * on a terminal with NO_COLOR unset. */
int cli_use_color(FILE *f);
/* Takes --color[=never|always|auto] out of argv (anywhere before "--");
 * 0, or EXIT_USAGE for a bad value. */
int cli_color_option(int *argc, char **argv);
/* A summary line (n bytes) into out (cap bytes: n + 16 is enough) with
 * its TCP flags bracket coloured (RST red, SYN green, FIN yellow); the
 * new length. */
size_t cli_color_flags(const char *line, size_t n, char *out, size_t cap);
/* Writes one narration line and a newline, its verdict word coloured. */
void cli_color_verdict(FILE *f, const char *line);
/* The login name of the user (never NULL; "student" as a last resort). */
const char *cli_login_name(void);
/* Writes a finished NDJSON/text line and flushes when out is not a tty
 * batch; returns 0 or -errno (EPIPE when the reader went away). */
int cli_write(FILE *out, const char *s, size_t n);
/* What b holds written to the FILE * out and b emptied: a report's flush
 * (sl_tap_flush_fn, sl_render_flush_fn); 0 or -errno. */
int cli_write_out(struct sl_buf *b, void *out);

#endif
