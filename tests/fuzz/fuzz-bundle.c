/* fuzz-bundle.c - what lab --verify reads of a bundle, on arbitrary
 * bytes: report.json, a socket table's text, and a whole bundle of one
 * folder whose files all hold the input (capture, report, texts, images,
 * code): every check must come to a mark with a reason */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "socklab/verify.h"
#include "../../lib/verify/verify-int.h"

static void report(const uint8_t *data, size_t size)
{
	struct sl_vreport r;
	struct sl_err e;

	if (sl_verify_report((const char *)data, size, &r, &e) == 0) {
		assert(r.student[0]);
		assert(r.nfiles <= SL_ARRAY_SIZE(r.files));
		assert(r.nsteps <= SL_VSTEPS);
		for (size_t i = 0; i < r.nfiles; i++)
			assert(strlen(r.files[i].sha256) == 64);
	}
}

static void rows(const uint8_t *data, size_t size)
{
	struct sl_vrow v[SL_VROWS];
	size_t n = sl_verify_rows((const char *)data, size, v, SL_VROWS);

	assert(n <= SL_VROWS);
	for (size_t i = 0; i < n; i++)
		assert(strlen(v[i].state) < sizeof(v[i].state));
}

static void bundle(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"a_report.json", "a_packet.pcapng", "a_listening.txt",
		"a_established.txt", "a_sha256sums.txt", "a_code.txt",
	};
	struct sl_verify v;
	struct vfolder f;

	sl_verify_init(&v);
	vfolder_init(&f, "fuzz", "fuzz");
	for (size_t i = 0; i < SL_ARRAY_SIZE(names); i++)
		assert(vfolder_add(&f, names[i], strlen(names[i]), data, size) == 0);
	assert(vgroup(&v, &f) == 0);
	vfolder_release(&f);
	sl_verify_run(&v);
	for (size_t i = 0; i < v.n; i++)
		for (int k = 0; k < SL_VC_COUNT; k++)
			assert(v.v[i].marks[k].mark == SL_MARK_OK ||
			       v.v[i].marks[k].why[0]);
	sl_verify_release(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	report(data, size);
	rows(data, size);
	bundle(data, size);
	return 0;
}
