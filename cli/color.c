/* color.c - colour on a terminal: --color=never|always|auto (anywhere on
 * the command line, as ls and grep take it) and NO_COLOR decide; TCP
 * flags and the lab's verdicts get theirs here, socket states in
 * lib/render's table */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define SGR_RED "\033[31m"
#define SGR_GREEN "\033[32m"
#define SGR_YELLOW "\033[33m"
#define SGR_OFF "\033[0m"

/* The choice travels in the environment, so that it reaches every
 * command (and the lab's own children) without a global. */
static const char env_name[] = "SOCKLAB_COLOR";

int cli_use_color(FILE *f)
{
	const char *when = getenv(env_name), *nc = getenv("NO_COLOR");

	if (when && !strcmp(when, "always"))
		return 1;
	if (when && !strcmp(when, "never"))
		return 0;
	return isatty(fileno(f)) && !(nc && *nc);
}

static int set_when(const char *when)
{
	if (strcmp(when, "always") && strcmp(when, "never") &&
	    strcmp(when, "auto")) {
		char shown[64];

		sl_escape(shown, sizeof(shown), when, strlen(when));
		fprintf(stderr, "socklab: bad value \"%s\" for --color: use never, always or auto\n",
			shown);
		return EXIT_USAGE;
	}
	setenv(env_name, when, 1);
	return 0;
}

int cli_color_option(int *argc, char **argv)
{
	int out = 1, rc = 0;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strcmp(a, "--color"))
			rc = rc ? rc : set_when("always");
		else if (!strncmp(a, "--color=", 8))
			rc = rc ? rc : set_when(a + 8);
		else
			argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;
	return rc;
}

/* The colour of a TCP flags bracket: what a reader should notice. */
static const char *flags_color(const char *f, size_t n)
{
	if (memmem(f, n, "RST", 3))
		return SGR_RED;
	if (memmem(f, n, "SYN", 3))
		return SGR_GREEN;
	if (memmem(f, n, "FIN", 3))
		return SGR_YELLOW;
	return NULL;
}

size_t cli_color_flags(const char *line, size_t n, char *out, size_t cap)
{
	const char *end = memmem(line, n, "] Seq=", 6), *open = end;
	const char *sgr;
	size_t a, b;

	while (open && open > line && *open != '[')
		open--;
	sgr = open && *open == '[' ? flags_color(open, (size_t)(end - open)) : NULL;
	if (!sgr || n + strlen(sgr) + strlen(SGR_OFF) + 1 > cap) {
		memcpy(out, line, n < cap ? n : cap);
		return n < cap ? n : cap;
	}
	a = (size_t)(open - line);
	b = (size_t)(end + 1 - line);
	memcpy(out, line, a);
	memcpy(out + a, sgr, strlen(sgr));
	memcpy(out + a + strlen(sgr), open, b - a);
	memcpy(out + b + strlen(sgr), SGR_OFF, strlen(SGR_OFF));
	memcpy(out + b + strlen(sgr) + strlen(SGR_OFF), line + b, n - b);
	return n + strlen(sgr) + strlen(SGR_OFF);
}

/* "      verified: …", "FAILED: …", "skipped: …", "all steps verified" */
void cli_color_verdict(FILE *f, const char *line)
{
	static const struct {
		const char *word, *sgr;
	} verdicts[] = {
		{ "verified:", SGR_GREEN }, { "FAILED:", SGR_RED },
		{ "skipped:", SGR_YELLOW }, { "all steps verified", SGR_GREEN },
	};
	size_t lead = strspn(line, " ");

	for (size_t i = 0; i < SL_ARRAY_SIZE(verdicts); i++) {
		size_t k = strlen(verdicts[i].word);

		if (!strncmp(line + lead, verdicts[i].word, k)) {
			fprintf(f, "%.*s%s%.*s%s%s\n", (int)lead, line,
				verdicts[i].sgr, (int)k, line + lead, SGR_OFF,
				line + lead + k);
			return;
		}
	}
	fprintf(f, "%s\n", line);
}
