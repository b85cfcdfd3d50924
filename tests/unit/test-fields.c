/* test-fields.c - the field registry against the pcaps the golden and
 * conformance tests read (tests/golden/pcaps, tests/dfilter/pcaps): every
 * registered field is filled by some packet of them, and a dissection
 * that wants one field alone gives its values as a full one does.  Run
 * from the repository's root (make check does). */
#include <dirent.h>
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
#include "socklab/dissect.h"

#define MAX_PCAPS 96	/* golden, dfilter and captures pcaps together */

struct frame {
	int64_t ts_ns;
	uint32_t caplen, len;
	uint8_t *data;
};

struct pcap {
	char name[64];
	int linktype;
	size_t n;
	struct frame *f;
};

static struct pcap pcaps[MAX_PCAPS];
static size_t npcaps;

static void load(const char *dir, const char *name)
{
	char path[512];
	struct sl_capture_opts o = { .file = path };
	struct pcap *pc;
	struct sl_capture *c;
	struct sl_frame f;
	struct sl_err e;
	size_t cap = 0;
	int rc;

	assert_true(npcaps < MAX_PCAPS);	/* before the slot is taken */
	pc = &pcaps[npcaps++];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(pc->name, sizeof(pc->name), "%s", name);
	if (sl_capture_open(&c, &o, NULL, &e) < 0)
		fail_msg("%s: %s", path, e.msg);
	pc->linktype = sl_capture_linktype(c);
	while ((rc = sl_capture_next(c, &f, &e)) == 1) {
		struct frame *fr;

		if (pc->n == cap) {
			cap = cap ? 2 * cap : 64;
			pc->f = realloc(pc->f, cap * sizeof(*pc->f));
			assert_non_null(pc->f);
		}
		fr = &pc->f[pc->n++];
		fr->ts_ns = f.ts_ns;
		fr->caplen = f.caplen;
		fr->len = f.len;
		fr->data = malloc(f.caplen ? f.caplen : 1);
		assert_non_null(fr->data);
		memcpy(fr->data, f.data, f.caplen);
	}
	assert_int_equal(rc, -ENODATA);
	assert_true(pc->n > 0);
	sl_capture_close(c);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .pcap of dir (relative to the repository's root), in name order. */
static void load_dir(const char *dir)
{
	char *names[MAX_PCAPS];
	size_t n = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		fail_msg("%s: cannot open (run from the repository's root)",
			 dir);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l > 5 && !strcmp(de->d_name + l - 5, ".pcap")) {
			assert_true(n < MAX_PCAPS);
			names[n++] = strdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	for (size_t i = 0; i < n; i++) {
		load(dir, names[i]);
		free(names[i]);
	}
}

static int setup(void **state)
{
	(void)state;
	load_dir("tests/golden/pcaps");
	load_dir("tests/dfilter/pcaps");
	load_dir("tests/captures/pcaps");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < npcaps; i++) {
		for (size_t j = 0; j < pcaps[i].n; j++)
			free(pcaps[i].f[j].data);
		free(pcaps[i].f);
	}
	return 0;
}

static struct sl_stream_table *new_table(void)
{
	struct sl_stream_table *t;

	assert_int_equal(sl_stream_table_new(&t, NULL), 0);
	return t;
}

static void next_frame(struct sl_packet *p, struct sl_frame_seq *s,
		       const struct pcap *pc, size_t i)
{
	const struct frame *f = &pc->f[i];

	s->linktype = pc->linktype;
	sl_packet_frame(p, s, f->ts_ns, f->data, f->caplen, f->len);
}

static int is_bytes(int field)
{
	int t = sl_fields[field].type;

	return t == SL_FT_BYTES || t == SL_FT_ETHER || t == SL_FT_IPV6 ||
	       t == SL_FT_STRING;
}

/* a's values of field are b's (bytes compared by content: values of a
 * reassembled datagram lie in each stream table's own copy) */
static int same_values(const struct sl_packet *a, const struct sl_packet *b,
		       int field)
{
	const struct sl_fval *v = sl_pkt_get(a, field);
	const struct sl_fval *w = sl_pkt_get(b, field);

	for (; v && w; v = sl_pkt_next(a, v), w = sl_pkt_next(b, w)) {
		if (v->off != w->off || v->len != w->len)
			return 0;
		if (is_bytes(field) ? v->v.bytes.n != w->v.bytes.n ||
				      memcmp(v->v.bytes.p, w->v.bytes.p,
					     v->v.bytes.n) :
				      v->v.u != w->v.u)
			return 0;
	}
	return !v && !w;
}

static int same_packet(const struct sl_packet *a, const struct sl_packet *b,
		       int field)
{
	if (!same_values(a, b, field) || a->nlayers != b->nlayers ||
	    a->truncated != b->truncated || a->ip_fragment != b->ip_fragment)
		return 0;
	for (unsigned i = 0; i < a->nlayers; i++)
		if (a->layers[i].proto != b->layers[i].proto ||
		    a->layers[i].off != b->layers[i].off ||
		    a->layers[i].len != b->layers[i].len)
			return 0;
	return field != SL_F_MALFORMED ||
	       (a->malformed == b->malformed &&
		a->malformed_field == b->malformed_field);
}

/* Each registered field is filled by some packet of the pcaps. */
static void test_every_field_filled(void **state)
{
	static struct sl_packet p;
	struct sl_fieldset seen = { { 0 } };
	int missing = 0;

	(void)state;
	for (size_t i = 0; i < npcaps; i++) {
		struct sl_stream_table *t = new_table();
		struct sl_frame_seq c = { 0 };

		for (size_t j = 0; j < pcaps[i].n; j++) {
			next_frame(&p, &c, &pcaps[i], j);
			sl_dissect(&p, t);
			for (unsigned k = 0; k < p.nvals; k++)
				sl_fieldset_add(&seen, p.vals[k].field);
		}
		sl_stream_table_free(t);
	}
	for (int f = 0; f < SL_F_COUNT; f++)
		if (!sl_fieldset_has(&seen, f)) {
			print_error("%s is registered but no packet of the "
				    "pcaps fills it: give it one (a generator "
				    "of tests/golden or tests/dfilter)\n",
				    sl_fields[f].name);
			missing++;
		}
	assert_int_equal(missing, 0);
}

/* Each field wanted alone, through a conversation table of its own: the
 * values, layers and marks of a full dissection, packet by packet. */
static void test_each_field_alone(void **state)
{
	static struct sl_packet full, some;
	int bad = 0;

	(void)state;
	for (int f = 0; f < SL_F_COUNT; f++) {
		struct sl_fieldset want = { { 0 } };

		sl_fieldset_add(&want, f);
		for (size_t i = 0; i < npcaps; i++) {
			struct sl_stream_table *t = new_table();
			struct sl_stream_table *u = new_table();
			struct sl_frame_seq c = { 0 }, d = { 0 };

			for (size_t j = 0; j < pcaps[i].n; j++) {
				next_frame(&full, &c, &pcaps[i], j);
				next_frame(&some, &d, &pcaps[i], j);
				sl_dissect(&full, t);
				sl_dissect_fields(&some, u, &want);
				if (same_packet(&full, &some, f))
					continue;
				print_error("%s alone differs in %s from frame "
					    "%zu\n", sl_fields[f].name,
					    pcaps[i].name, j + 1);
				bad++;
				break;
			}
			sl_stream_table_free(t);
			sl_stream_table_free(u);
		}
	}
	assert_int_equal(bad, 0);
}

/* Every field belongs to a protocol field that belongs to itself. */
static void test_protocols(void **state)
{
	(void)state;
	for (int f = 0; f < SL_F_COUNT; f++) {
		int p = sl_fields[f].proto;

		assert_true(p >= 0 && p < SL_F_COUNT);
		if (sl_fields[p].type != SL_FT_PROTO || sl_fields[p].proto != p)
			fail_msg("%s: its protocol %s is no protocol",
				 sl_fields[f].name, sl_fields[p].name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_field_filled),
		cmocka_unit_test(test_each_field_alone),
		cmocka_unit_test(test_protocols),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
