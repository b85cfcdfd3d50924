/* bundle.c - the evidence bundle: text, images, code, JSON and HTML */
#include <stdio.h>
#include <string.h>

#include "socklab/report.h"

static int write_file(const struct sl_lab *lab, const char *fname,
		      const char *data, size_t len, struct sl_err *e)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", lab->o.out_dir, fname);
	return sl_write_file(path, data, len, e);
}

int sl_report_step_file(const struct sl_lab *lab, int id, char *fname,
			size_t fname_len, struct sl_err *e)
{
	const struct sl_lab_step *s = &lab->steps[id];
	char suffix[32], path[4096], title[160];
	struct sl_buf t = SL_BUF_INIT;
	int rc;

	/* the file also says whether the step was verified */
	sl_buf_append(&t, s->text.data, s->text.len);
	sl_buf_printf(&t, "%s: %s\n", s->status == SL_STEP_OK ? "verified" :
		      s->status == SL_STEP_SKIPPED ? "skipped" : "FAILED",
		      s->why);
	snprintf(suffix, sizeof(suffix), "_%s.txt", s->key);
	sl_lab_file_name(lab, suffix, fname, fname_len);
	rc = write_file(lab, fname, t.data, t.len, e);
	if (rc == 0 && !lab->o.no_images) {
		char img[256];

		snprintf(suffix, sizeof(suffix), "_%s.jpeg", s->key);
		sl_lab_file_name(lab, suffix, img, sizeof(img));
		snprintf(path, sizeof(path), "%s/%s", lab->o.out_dir, img);
		snprintf(title, sizeof(title), "socklab lab: %s", s->title);
		rc = sl_report_text_jpeg(t.data, t.len, title, path, e);
	}
	sl_buf_release(&t);
	return rc;
}

static int write_steps(const struct sl_lab *lab, struct sl_err *e)
{
	static const int files[] = { SL_STEP_LISTEN, SL_STEP_ESTABLISHED,
				     SL_STEP_MESSAGE, SL_STEP_PACKET };
	char fname[256];

	for (size_t i = 0; i < SL_ARRAY_SIZE(files); i++) {
		int rc = sl_report_step_file(lab, files[i], fname, sizeof(fname), e);

		if (rc < 0)
			return rc;
	}
	return 0;
}

static int write_rendered(const struct sl_lab *lab, const char *fname,
			  int (*render)(struct sl_buf *, const struct sl_lab *),
			  struct sl_err *e)
{
	struct sl_buf b = SL_BUF_INIT;
	int rc = render(&b, lab);

	if (rc < 0)
		rc = sl_err_set(e, rc, "cannot render %s: out of memory", fname);
	else
		rc = write_file(lab, fname, b.data, b.len, e);
	sl_buf_release(&b);
	return rc;
}

int sl_report_bundle(const struct sl_lab *lab, struct sl_err *e)
{
	char fname[256];
	int rc;

	rc = write_steps(lab, e);
	if (rc < 0)
		return rc;
	sl_lab_file_name(lab, "_code.txt", fname, sizeof(fname));
	if (lab->code.len)
		rc = write_file(lab, fname, lab->code.data, lab->code.len, e);
	else
		rc = write_file(lab, fname, lab->o.code ? lab->o.code : "",
				lab->o.code ? lab->o.code_len : 0, e);
	if (rc < 0)
		return rc;
	/* NAME in these too: two runs, or a teacher's folder of several
	 * students' bundles, never overwrite each other */
	sl_lab_file_name(lab, "_report.json", fname, sizeof(fname));
	rc = write_rendered(lab, fname, sl_report_lab_json, e);
	if (rc < 0)
		return rc;
	sl_lab_file_name(lab, "_report.html", fname, sizeof(fname));
	return write_rendered(lab, fname, sl_report_lab_html, e);
}
