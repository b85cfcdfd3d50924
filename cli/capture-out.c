/* capture-out.c - socklab capture -T fields -e … -E … and --flow: the
 * options, and the lines written (the formats are lib/render's) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "capture-out.h"
#include "cli.h"

#define CMD "capture"

void capture_out_init(struct capture_out *c)
{
	memset(c, 0, sizeof(*c));
	sl_tfields_init(&c->tf);
	sl_buf_init(&c->line);
}

int capture_out_opt(struct capture_out *c, int opt, const char *arg)
{
	struct sl_err e = { 0 };

	switch (opt) {
	case 'T':
		c->tmode = arg;
		c->fields = !strcmp(arg, "fields");
		c->json = !strcmp(arg, "json");
		if (c->fields || c->json || !strcmp(arg, "text"))
			return 0;
		{
			char shown[64];

			sl_escape(shown, sizeof(shown), arg, strlen(arg));
			return cli_usage_error(CMD, "-T \"%s\": no such output "
				"format: give -T text (the summary lines, the "
				"default), -T fields (with -e FIELD) or -T json "
				"(one JSON object a line, as --json)", shown);
		}
	case 'e':
		c->any_e = 1;
		if (sl_tfields_add(&c->tf, arg, &e) < 0)
			return cli_usage_error(CMD, "%s", e.msg);
		return 0;
	case 'E':
		c->any_e = 1;
		if (sl_tfields_option(&c->tf, arg, &e) < 0)
			return cli_usage_error(CMD, "%s", e.msg);
		return 0;
	}
	return 0;
}

int capture_out_check(struct capture_out *c, int flow)
{
	if (c->fields && !c->tf.n)
		return cli_usage_error(CMD, "-T fields prints the fields given "
				       "with -e, and there is none: add -e "
				       "FIELD (e.g. -e ip.src -e tcp.port)");
	if (c->any_e && !c->fields)
		return cli_usage_error(CMD, "-e and -E go with -T fields: add "
				       "-T fields");
	if (flow && (c->fields || c->json))
		return cli_usage_error(CMD, "--flow draws a graph of its own: "
				       "leave out -T %s", c->tmode);
	if (flow) {
		c->flow = malloc(sizeof(*c->flow));
		if (!c->flow) {
			cli_error(CMD, "out of memory");
			return EXIT_FAIL;
		}
		sl_flow_init(c->flow, 0);
	}
	return 0;
}

void capture_out_want(const struct capture_out *c, int flow,
		      struct sl_fieldset *s)
{
	if (c->fields)
		sl_tfields_want(&c->tf, s);
	if (flow)
		sl_flow_fields(s);
}

int capture_out_start(struct capture_out *c, FILE *out, int ts_digits)
{
	/* times as precise as the source's, as tshark writes them */
	if (c->flow)
		c->flow->ts_digits = ts_digits == 9 ? 9 : 6;
	if (!c->fields)
		return 0;
	sl_buf_reset(&c->line);
	if (sl_tfields_header(&c->tf, &c->line) < 0)
		return -ENOMEM;
	return c->line.len ? cli_write(out, c->line.data, c->line.len) : 0;
}

int capture_out_packet(struct capture_out *c, const struct sl_packet *p,
		       FILE *out)
{
	if (c->flow)
		return sl_flow_add(c->flow, p) < 0 ? -ENOMEM : 1;
	if (!c->fields)
		return 0;
	sl_buf_reset(&c->line);
	if (sl_tfields_line(&c->tf, &c->line, p) < 0)
		return -ENOMEM;
	{
		int rc = cli_write(out, c->line.data, c->line.len);

		return rc < 0 ? rc : 1;
	}
}

/* The terminal's columns, so the arrows fit; 0 (no limit) for a pipe. */
static unsigned columns(FILE *out)
{
	struct winsize ws;

	if (isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

int capture_out_end(struct capture_out *c, FILE *out)
{
	int rc;

	if (!c->flow)
		return 0;
	sl_buf_reset(&c->line);
	rc = sl_flow_text(&c->line, c->flow, columns(out), cli_write_out, out);
	if (rc == 0)
		rc = cli_write_out(&c->line, out);
	return rc;
}

void capture_out_release(struct capture_out *c)
{
	if (c->flow) {
		sl_flow_release(c->flow);
		free(c->flow);
	}
	sl_buf_release(&c->line);
}
