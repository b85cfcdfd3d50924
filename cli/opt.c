/* opt.c - option helpers and the one error format every command uses */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli.h"
#include "socklab/net.h"

static void vreport(const char *cmd, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "socklab %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cmd, fmt, ap);
	va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "socklab %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see 'socklab %s --help'\n", cmd);
	return EXIT_USAGE;
}

int cli_fail(const char *cmd, const struct sl_err *e)
{
	cli_error(cmd, "%s", e->msg[0] ? e->msg : strerror(-e->code));
	return EXIT_FAIL;
}

int cli_opt_port(const char *cmd, const char *arg, int allow_zero,
		 uint16_t *port)
{
	struct sl_err e;

	if (sl_port_parse(arg, allow_zero, port, &e) == 0)
		return 0;
	return cli_usage_error(cmd, "%s", e.msg);
}

int cli_opt_uint(const char *cmd, const char *opt, const char *arg,
		 unsigned long min, unsigned long max, unsigned long *out)
{
	char shown[64];

	if (sl_parse_uint(arg, min, max, out) == 0)
		return 0;
	sl_escape(shown, sizeof(shown), arg, strlen(arg));
	return cli_usage_error(cmd,
		"bad value \"%s\" for %s: expected a whole number from %lu to %lu",
		shown, opt, min, max);
}

int cli_opt_seconds(const char *cmd, const char *opt, const char *arg,
		    double max, double *out)
{
	char shown[64];

	if (sl_parse_seconds(arg, max, out) == 0)
		return 0;
	sl_escape(shown, sizeof(shown), arg, strlen(arg));
	return cli_usage_error(cmd,
		"bad value \"%s\" for %s: expected seconds from 0 to %g (e.g. 5 or 0.5)",
		shown, opt, max);
}

int cli_stop_fd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int cli_bad_option(const char *cmd, int optopt_char, const char *arg)
{
	char shown[128], opt[64];
	int rc;

	/* another tool's spelling gets socklab's */
	if (optopt_char && optopt_char != '?')
		snprintf(opt, sizeof(opt), "-%c", optopt_char);
	else
		snprintf(opt, sizeof(opt), "%.*s", (int)strcspn(arg ? arg : "", "="),
			 arg ? arg : "");
	if ((rc = cli_reflex(cmd, opt)))
		return rc;

	sl_escape(shown, sizeof(shown), arg ? arg : "", arg ? strlen(arg) : 0);
	if (optopt_char && optopt_char != '?')
		return cli_usage_error(cmd, "option -%c needs a value or is unknown",
				       optopt_char);
	return cli_usage_error(cmd, "unknown or incomplete option \"%s\"", shown);
}

const char *cli_login_name(void)
{
	const char *n = getenv("USER");
	struct passwd *pw;

	if (n && *n)
		return n;
	n = getlogin();
	if (n && *n)
		return n;
	pw = getpwuid(getuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return pw->pw_name;
	return "student";
}

int cli_write(FILE *out, const char *s, size_t n)
{
	if (fwrite(s, 1, n, out) != n)
		return -errno;
	return 0;
}

int cli_write_out(struct sl_buf *b, void *out)
{
	int rc = cli_write(out, b->data, b->len);

	sl_buf_reset(b);
	return rc;
}
