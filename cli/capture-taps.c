/* capture-taps.c - the reports' options and their life around a capture:
 * the values of --conv, --endpoints, --follow, --expert and -z turned
 * into taps (lib/tap), fed each packet that passed -Y, printed at the end */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture-taps.h"
#include "cli.h"

#define CMD "capture"

/* --follow's value: tcp, udp, N, tcp,N or udp,N */
static int follow_value(const char *v, struct sl_tap_opts *o)
{
	const char *n = v;
	char *end;

	o->layer = SL_TAP_TCP;
	if (strncmp(v, "tcp", 3) == 0 || strncmp(v, "udp", 3) == 0) {
		o->layer = v[0] == 'u' ? SL_TAP_UDP : SL_TAP_TCP;
		if (!v[3])
			return 0;
		if (v[3] != ',')
			return -1;
		n = v + 4;
	}
	if (*n < '0' || *n > '9')
		return -1;
	unsigned long s = strtoul(n, &end, 10);

	if (*end || s > UINT32_MAX)
		return -1;
	o->stream = (int64_t)s;
	return 0;
}

/* whether the next word is this option's value rather than another
 * option or a stray argument */
static int value_word(int which, const char *w)
{
	struct sl_tap_opts o;
	enum sl_tap_layer l;

	if (!w || w[0] == '-')
		return 0;
	if (which == TAPOPT_FOLLOW)
		return follow_value(w, &o) == 0;
	return which != TAPOPT_EXPERT && sl_tap_layer_of(w, &l) == 0;
}

int capture_taps_option(struct capture_taps *t, int which, const char *arg,
			int argc, char **argv, int *next, int *flow)
{
	struct sl_tap_opts o;
	struct sl_err e;
	struct sl_buf shown = SL_BUF_INIT;
	int rc;

	memset(&o, 0, sizeof(o));
	o.stream = -1;
	if (!arg && which != TAPOPT_Z && *next < argc &&
	    value_word(which, argv[*next]))
		arg = argv[(*next)++];
	switch (which) {
	case TAPOPT_Z:
		rc = sl_tap_parse_z(arg, &o, flow, &e);
		if (rc < 0)
			return cli_usage_error(CMD, "%s", e.msg);
		if (rc == 1)
			return 0;	/* the flow graph: not a tap */
		break;
	case TAPOPT_CONV:
	case TAPOPT_ENDPOINTS:
		o.kind = which == TAPOPT_CONV ? SL_TAP_CONV : SL_TAP_ENDPOINTS;
		if (arg && sl_tap_layer_of(arg, &o.layer) < 0)
			goto bad;
		break;
	case TAPOPT_FOLLOW:
		o.kind = SL_TAP_FOLLOW;
		if (arg && follow_value(arg, &o) < 0)
			goto bad;
		break;
	default:
		o.kind = SL_TAP_EXPERT;
		break;
	}
	if (t->n == CAPTURE_TAPS_MAX)
		return cli_usage_error(CMD, "at most %d reports at once: leave "
				       "some out", CAPTURE_TAPS_MAX);
	t->opt[t->n++] = o;
	t->follow |= o.kind == SL_TAP_FOLLOW;
	return 0;
bad:
	sl_buf_escape(&shown, arg, strlen(arg));
	rc = cli_usage_error(CMD, which == TAPOPT_FOLLOW ?
		"--follow %s: give tcp or udp, a stream number, or both "
		"(--follow tcp,0; the number is tcp.stream or udp.stream)" :
		"%s: not a layer: give tcp, udp, ip, ipv6 or eth (default tcp)",
		shown.data);
	sl_buf_release(&shown);
	return rc;
}

int capture_taps_quiet(const struct capture_taps *t, int print, int verbose,
		       int hex)
{
	return t->n && !print && !verbose && (!hex || t->follow);
}

int capture_taps_start(struct capture_taps *t, int json, int hex,
		       const char *filter, const struct sl_fieldset *filter_fields)
{
	struct sl_err e;
	struct sl_buf shown = SL_BUF_INIT;

	if (filter_fields)
		t->fields = *filter_fields;
	/* the titles show -Y escaped, as every text a terminal gets */
	if (filter && t->n) {
		if (sl_buf_escape_text(&shown, filter, strlen(filter)) < 0) {
			cli_error(CMD, "out of memory");
			return EXIT_FAIL;
		}
		t->filter = sl_buf_detach(&shown, NULL);
	}
	for (int i = 0; i < t->n; i++) {
		struct sl_tap_opts *o = &t->opt[i];

		o->json = json;
		o->hex |= hex && o->kind == SL_TAP_FOLLOW;
		o->filter = t->filter;
		/* tshark writes a carriage return as it came; a terminal
		 * would go back over the line with it */
		o->keep_cr = !isatty(STDOUT_FILENO);
		if (sl_tap_new(&t->tap[i], o, &e) < 0)
			return cli_fail(CMD, &e);
		sl_tap_fields(t->tap[i], &t->fields);
	}
	return 0;
}

int capture_taps_packet(struct capture_taps *t, const struct sl_packet *p)
{
	for (int i = 0; i < t->n; i++) {
		int rc = sl_tap_packet(t->tap[i], p);

		if (rc < 0)
			return rc;
	}
	return 0;
}

int capture_taps_report(struct capture_taps *t, FILE *out)
{
	struct sl_buf b = SL_BUF_INIT;
	int rc = 0;

	for (int i = 0; i < t->n && rc == 0; i++) {
		sl_buf_reset(&b);
		rc = sl_tap_report(t->tap[i], &b, cli_write_out, out);
		if (rc == 0 && b.len)
			rc = cli_write(out, b.data, b.len);
	}
	sl_buf_release(&b);
	return rc;
}

void capture_taps_free(struct capture_taps *t)
{
	for (int i = 0; i < t->n; i++)
		sl_tap_free(t->tap[i]);
	t->n = 0;
	free(t->filter);
	t->filter = NULL;
}
