/* test-filters.c - the seeded filter generator's thousands of filters
 * (tests/captures/filters.tsv: PCAP, FILTER, tshark's frames) through
 * libsocklab on the same pcaps: each filter compiled once, every frame
 * dissected as socklab capture -r does and matched against all of them.
 * A filter whose frames (or acceptance) differ from tshark's must be in
 * tests/captures/KNOWN_FILTERS, and each one listed there must still
 * differ.  With SL_RECORD_KNOWN set, KNOWN_FILTERS is written anew from
 * what differs (the reason: socklab's error, tshark's rejection, or both
 * frame lists).  Prints how many filters agree. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "socklab/capture.h"
#include "socklab/dfilter.h"
#include "socklab/dissect.h"
#include "socklab/util.h"

#define CAPTURES "tests/captures/"

struct case_ {
	char *pcap, *filter, *want;	/* want: "1,2", "-" or "!" */
	struct sl_dfilter *f;
	char err[sizeof(((struct sl_err *)0)->msg)];
	struct sl_buf got;
	int known, differs;
};

struct run {
	struct case_ *v;
	size_t n, cap;
	char **known;			/* "PCAP\tFILTER" */
	size_t nknown;
};

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	assert_non_null(d);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* The fields of one tab-separated line (the last one to the end). */
static int split(char *line, char **f, int max)
{
	int n = 0;

	line[strcspn(line, "\n")] = '\0';
	while (n < max - 1 && line) {
		char *tab = strchr(line, '\t');

		f[n++] = line;
		if (!tab)
			return n;
		*tab = '\0';
		line = tab + 1;
	}
	if (line)
		f[n++] = line;
	return n;
}

static void load(struct run *r)
{
	FILE *in = fopen(CAPTURES "filters.tsv", "r");
	char *line = NULL, *f[3];
	size_t lcap = 0;

	assert_non_null(in);
	while (getline(&line, &lcap, in) > 0) {
		if (line[0] == '#' || split(line, f, 3) != 3)
			continue;
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 1024;
			r->v = realloc(r->v, r->cap * sizeof(*r->v));
			assert_non_null(r->v);
		}
		memset(&r->v[r->n], 0, sizeof(r->v[0]));
		r->v[r->n].pcap = dup_n(f[0], strlen(f[0]));
		r->v[r->n].filter = dup_n(f[1], strlen(f[1]));
		r->v[r->n].want = dup_n(f[2], strlen(f[2]));
		sl_buf_init(&r->v[r->n].got);
		r->n++;
	}
	fclose(in);
	in = fopen(CAPTURES "KNOWN_FILTERS", "r");
	while (in && getline(&line, &lcap, in) > 0) {
		if (line[0] == '#' || split(line, f, 3) < 2)
			continue;
		r->known = realloc(r->known, (r->nknown + 1) * sizeof(char *));
		assert_non_null(r->known);
		r->known[r->nknown] = malloc(strlen(f[0]) + strlen(f[1]) + 2);
		assert_non_null(r->known[r->nknown]);
		sprintf(r->known[r->nknown++], "%s\t%s", f[0], f[1]);
	}
	if (in)
		fclose(in);
	free(line);
}

/* Frames i..j-1 share pcap: every frame dissected once, every filter
 * matched. */
static void run_pcap(struct case_ *v, size_t n)
{
	char path[512];
	const char *slash = strchr(v[0].pcap, '/');
	struct sl_capture_opts o = { .file = path };
	struct sl_capture *cap;
	struct sl_stream_table *st;
	struct sl_packet *p = calloc(1, sizeof(*p));
	struct sl_frame_seq seq = { 0 };
	struct sl_frame fr;
	struct sl_err e;

	assert_non_null(slash);
	snprintf(path, sizeof(path), "tests/%.*s/pcaps%s",
		 (int)(slash - v[0].pcap), v[0].pcap, slash);
	assert_int_equal(sl_stream_table_new(&st, &e), 0);
	assert_non_null(p);
	assert_int_equal(sl_capture_open(&cap, &o, NULL, &e), 0);
	seq.linktype = sl_capture_linktype(cap);
	for (size_t i = 0; i < n; i++) {
		int col, len;

		if (sl_dfilter_compile(&v[i].f, v[i].filter, &col, &len,
				       &e) < 0)
			snprintf(v[i].err, sizeof(v[i].err), "%s", e.msg);
	}
	/* as socklab capture -r: every frame numbered, timed, dissected
	 * whole with the conversations */
	while (sl_capture_next(cap, &fr, &e) == 1) {
		sl_packet_frame(p, &seq, fr.ts_ns, fr.data, fr.caplen, fr.len);
		sl_dissect_fields(p, st, NULL);
		for (size_t i = 0; i < n; i++)
			if (v[i].f && sl_dfilter_match(v[i].f, p))
				sl_buf_printf(&v[i].got, "%s%llu",
					      v[i].got.len ? "," : "",
					      (unsigned long long)p->number);
	}
	sl_capture_close(cap);
	sl_stream_table_free(st);
	free(p);
}

static int is_known(const struct run *r, const struct case_ *c)
{
	size_t lp = strlen(c->pcap);

	for (size_t i = 0; i < r->nknown; i++)
		if (!strncmp(r->known[i], c->pcap, lp) &&
		    r->known[i][lp] == '\t' &&
		    !strcmp(r->known[i] + lp + 1, c->filter))
			return 1;
	return 0;
}

static const char *got_of(const struct case_ *c)
{
	return !c->f ? "!" : c->got.len ? c->got.data : "-";
}

static void record_known(const struct run *r, const char *path)
{
	FILE *out = fopen(path, "w");

	assert_non_null(out);
	fputs("# PCAP<TAB>FILTER<TAB>WHY: where socklab's frames differ from "
	      "tshark's (tests/unit/test-filters.c)\n", out);
	for (size_t i = 0; i < r->n; i++) {
		const struct case_ *c = &r->v[i];

		if (!c->differs)
			continue;
		if (!c->f)
			fprintf(out, "%s\t%s\tsocklab rejects it: %s\n", c->pcap,
				c->filter, c->err);
		else if (!strcmp(c->want, "!"))
			fprintf(out, "%s\t%s\ttshark rejects it, socklab accepts "
				"it\n", c->pcap, c->filter);
		else
			fprintf(out, "%s\t%s\tframes differ: tshark %s, socklab "
				"%s\n", c->pcap, c->filter, c->want, got_of(c));
	}
	fclose(out);
}

static void test_generated_filters(void **state)
{
	struct run r = { 0 };
	size_t agree = 0, bad = 0, listed = 0, i, j;
	const char *rec = getenv("SL_RECORD_KNOWN");

	(void)state;
	load(&r);
	assert_true(r.n >= 1000);
	for (i = 0; i < r.n; i = j) {
		for (j = i; j < r.n && !strcmp(r.v[j].pcap, r.v[i].pcap); j++)
			;
		run_pcap(r.v + i, j - i);
	}
	for (i = 0; i < r.n; i++) {
		struct case_ *c = &r.v[i];

		c->differs = strcmp(got_of(c), c->want) != 0;
		c->known = is_known(&r, c);
		agree += !c->differs;
		listed += (size_t)c->known;
		if (rec || c->differs == c->known)
			continue;
		if (bad++ < 30)
			print_message("%s: %s: tshark %s, socklab %s%s%s\n",
				      c->pcap, c->filter, c->want, got_of(c),
				      c->f ? "" : ": ", c->err);
	}
	print_message("%zu of %zu generated filters give tshark's frames "
		      "(%.2f%%), %zu differences not as KNOWN_FILTERS says\n",
		      agree, r.n, 100.0 * (double)agree / (double)r.n, bad);
	if (rec)
		record_known(&r, CAPTURES "KNOWN_FILTERS");
	else if (listed != r.nknown)
		bad += r.nknown - listed;	/* lines for filters not run */
	for (i = 0; i < r.n; i++) {
		free(r.v[i].pcap);
		free(r.v[i].filter);
		free(r.v[i].want);
		sl_buf_release(&r.v[i].got);
		sl_dfilter_free(r.v[i].f);
	}
	for (i = 0; i < r.nknown; i++)
		free(r.known[i]);
	free(r.known);
	free(r.v);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_filters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
