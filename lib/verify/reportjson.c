/* reportjson.c - what a bundle's report.json says, read with the bounded
 * JSON reader: the student, the run, the files with their hashes, the
 * steps' titles and times */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "socklab/verify.h"

static const char *str(const struct sl_json *j, const struct sl_json_node *o,
		       const char *key)
{
	size_t n;
	const char *s = sl_json_str(j, sl_json_member(j, o, key), &n);

	return s && strlen(s) == n ? s : NULL;
}

static void copy(char *out, size_t cap, const char *s)
{
	snprintf(out, cap, "%s", s ? s : "");
}

static double num(const struct sl_json *j, const struct sl_json_node *o,
		  const char *key)
{
	const struct sl_json_node *v = sl_json_member(j, o, key);

	return v && v->type == SL_JSON_NUMBER ? v->num : 0;
}

static int is_hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return 0;
	return strspn(s, "0123456789abcdef") == 64;
}

static void files(const struct sl_json *j, const struct sl_json_node *root,
		  struct sl_vreport *r)
{
	const struct sl_json_node *a = sl_json_member(j, root, "files"), *f;

	if (!a || a->type != SL_JSON_ARRAY)
		return;
	for (f = sl_json_first(j, a); f && r->nfiles < SL_ARRAY_SIZE(r->files);
	     f = sl_json_next(j, f)) {
		const char *name = str(j, f, "name"), *sha = str(j, f, "sha256");
		uint64_t bytes = 0;

		if (!name || !is_hex64(sha) ||
		    sl_json_uint(sl_json_member(j, f, "bytes"), UINT64_MAX >> 11,
				 &bytes) < 0)
			continue;
		copy(r->files[r->nfiles].name, sizeof(r->files[0].name), name);
		copy(r->files[r->nfiles].sha256, SL_SHA256_HEX, sha);
		r->files[r->nfiles++].bytes = bytes;
	}
}

static void steps(const struct sl_json *j, const struct sl_json_node *root,
		  struct sl_vreport *r)
{
	const struct sl_json_node *a = sl_json_member(j, root, "steps"), *s;

	if (!a || a->type != SL_JSON_ARRAY)
		return;
	for (s = sl_json_first(j, a); s && r->nsteps < SL_VSTEPS;
	     s = sl_json_next(j, s)) {
		copy(r->steps[r->nsteps].key, sizeof(r->steps[0].key),
		     str(j, s, "key"));
		copy(r->steps[r->nsteps].title, sizeof(r->steps[0].title),
		     str(j, s, "title"));
		copy(r->steps[r->nsteps].status, sizeof(r->steps[0].status),
		     str(j, s, "status"));
		r->steps[r->nsteps++].t_ms = num(j, s, "t_ms");
	}
}

static void name_frames(const struct sl_json *j,
			const struct sl_json_node *root, struct sl_vreport *r)
{
	const struct sl_json_node *a = sl_json_member(j, root, "name_frames");
	uint64_t f;

	if (!a || a->type != SL_JSON_ARRAY)
		return;
	for (const struct sl_json_node *v = sl_json_first(j, a);
	     v && r->nname_frames < SL_ARRAY_SIZE(r->name_frames);
	     v = sl_json_next(j, v))
		if (sl_json_uint(v, UINT32_MAX, &f) == 0)
			r->name_frames[r->nname_frames++] = (uint32_t)f;
}

static void header(const struct sl_json *j, const struct sl_json_node *root,
		   struct sl_vreport *r)
{
	const struct sl_json_node *pcap = sl_json_member(j, root, "pcap");
	const struct sl_json_node *prog = sl_json_member(j, root, "programs");
	const char *run = str(j, root, "run_id");
	uint64_t port = 0;

	copy(r->student, sizeof(r->student), str(j, root, "student") ?
	     str(j, root, "student") : str(j, root, "name"));
	if (run && strlen(run) < sizeof(r->run_id))
		copy(r->run_id, sizeof(r->run_id), run);
	r->started_ns = (int64_t)num(j, root, "started_ns");
	copy(r->filter, sizeof(r->filter), str(j, root, "display_filter"));
	copy(r->scenario, sizeof(r->scenario), str(j, root, "scenario"));
	if (sl_json_uint(sl_json_member(j, root, "port"), 65535, &port) == 0)
		r->port = (uint16_t)port;
	r->captured = pcap && pcap->type == SL_JSON_OBJECT &&
		      sl_json_member(j, pcap, "captured") &&
		      sl_json_member(j, pcap, "captured")->type == SL_JSON_TRUE;
	r->programs = prog && prog->type == SL_JSON_OBJECT;
}

int sl_verify_report(const char *text, size_t n, struct sl_vreport *r,
		     struct sl_err *e)
{
	struct sl_json j;
	const struct sl_json_node *root;
	int rc;

	memset(r, 0, sizeof(*r));
	sl_json_init(&j);
	if ((rc = sl_json_parse(&j, text, n, e)) < 0)
		goto out;
	root = sl_json_root(&j);
	if (!root || root->type != SL_JSON_OBJECT) {
		rc = sl_err_set(e, -EINVAL, "it is not a JSON object");
		goto out;
	}
	header(&j, root, r);
	if (!r->student[0]) {
		rc = sl_err_set(e, -EINVAL, "it names no student");
		goto out;
	}
	files(&j, root, r);
	steps(&j, root, r);
	name_frames(&j, root, r);
out:
	sl_json_release(&j);
	return rc;
}
