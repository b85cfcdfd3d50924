/* bundle.c - the evidence bundle: text, images, code, HTML, then the
 * JSON that names every other file with its SHA-256, then a sha256sum
 * list that covers the JSON too (a file cannot hold its own hash) */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "socklab/report.h"

/* The hash of what was written (data), or of the file as it is on disk
 * when data is NULL (an image, the capture). */
static int note_file(struct sl_bundle_files *files, const char *fname,
		     const char *path, const void *data, size_t len,
		     struct sl_err *e)
{
	struct sl_buf disk = SL_BUF_INIT;
	struct sl_bundle_file *f;
	int rc = 0;

	if (!files)
		return 0;
	if (files->n == SL_BUNDLE_FILES)
		return sl_err_set(e, -E2BIG, "more than %d files in the bundle",
				  SL_BUNDLE_FILES);
	if (!data) {
		if ((rc = sl_read_file(path, SIZE_MAX, &disk)) < 0)
			return sl_err_set(e, rc, "cannot read back \"%s\": %s",
					  path, strerror(-rc));
		data = disk.data ? disk.data : "";
		len = disk.len;
	}
	f = &files->v[files->n++];
	snprintf(f->name, sizeof(f->name), "%s", fname);
	f->bytes = len;
	sl_sha256_of(data, len, f->sha256);
	sl_buf_release(&disk);
	return rc;
}

static int write_file(const struct sl_lab *lab, struct sl_bundle_files *files,
		      const char *fname, const char *data, size_t len,
		      struct sl_err *e)
{
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", lab->o.out_dir, fname);
	rc = sl_write_file(path, data, len, e);
	return rc < 0 ? rc : note_file(files, fname, path, data, len, e);
}

int sl_report_step_text(struct sl_buf *out, const struct sl_lab_step *s)
{
	int rc = sl_buf_append(out, s->text.data, s->text.len);

	return rc ? rc : sl_buf_printf(out, "%s: %s\n",
				       s->status == SL_STEP_OK ? "verified" :
				       s->status == SL_STEP_SKIPPED ? "skipped" :
				       "FAILED", s->why);
}

void sl_report_step_title(char *out, size_t n, const struct sl_lab_step *s)
{
	snprintf(out, n, "socklab lab: %s", s->title);
}

void sl_report_packet_title(char *out, size_t n, const char *pcap_name,
			    uint32_t frame)
{
	snprintf(out, n, "socklab: %.200s, frame %u, laid out as Wireshark shows a packet",
		 pcap_name, frame);
}

/* NAME_packet.jpeg: the packet carrying the name, as Wireshark lays it
 * out, drawn from the capture file as it is on disk. */
static int packet_picture(const struct sl_lab *lab, const char *path,
			  struct sl_err *e)
{
	struct sl_packet_view v = { SL_BUF_INIT, SL_BUF_INIT, SL_BUF_INIT,
				    NULL, 0, 0, 0, 0 };
	struct sl_buf pcap = SL_BUF_INIT;
	const char *slash = strrchr(lab->pcap_path, '/');
	char title[400];
	int rc = sl_read_file(lab->pcap_path, SIZE_MAX, &pcap);

	if (rc < 0)
		rc = sl_err_set(e, rc, "cannot read back \"%s\": %s",
				lab->pcap_path, strerror(-rc));
	else if ((rc = sl_report_packet_view(&v, pcap.data, pcap.len,
					     lab->name_frame, e)) == 0) {
		sl_report_packet_title(title, sizeof(title),
				       slash ? slash + 1 : lab->pcap_path,
				       lab->name_frame);
		rc = sl_report_packet_jpeg(&v, title, lab->filter, lab->o.name,
					   path, e);
	}
	sl_report_packet_view_release(&v);
	sl_buf_release(&pcap);
	return rc;
}

static int step_file(const struct sl_lab *lab, int id, char *fname,
		     size_t fname_len, struct sl_bundle_files *files,
		     struct sl_err *e)
{
	const struct sl_lab_step *s = &lab->steps[id];
	char suffix[32], path[4096], title[160], img[256];
	struct sl_buf t = SL_BUF_INIT;
	int rc;

	/* the file also says whether the step was verified */
	sl_report_step_text(&t, s);
	snprintf(suffix, sizeof(suffix), "_%s.txt", s->key);
	sl_lab_file_name(lab, suffix, fname, fname_len);
	rc = write_file(lab, files, fname, t.data, t.len, e);
	if (rc == 0 && !lab->o.no_images) {
		snprintf(suffix, sizeof(suffix), "_%s.jpeg", s->key);
		sl_lab_file_name(lab, suffix, img, sizeof(img));
		snprintf(path, sizeof(path), "%s/%s", lab->o.out_dir, img);
		sl_report_step_title(title, sizeof(title), s);
		if (id == SL_STEP_PACKET && !lab->o.scenario && lab->name_frame &&
		    !lab->capture_skipped)
			rc = packet_picture(lab, path, e);
		else
			rc = sl_report_text_jpeg(t.data, t.len, title, path, e);
		rc = rc < 0 ? rc : note_file(files, img, path, NULL, 0, e);
	}
	sl_buf_release(&t);
	return rc;
}

int sl_report_step_file(const struct sl_lab *lab, int id, char *fname,
			size_t fname_len, struct sl_err *e)
{
	return step_file(lab, id, fname, fname_len, NULL, e);
}

static int write_steps(const struct sl_lab *lab, struct sl_bundle_files *files,
		       struct sl_err *e)
{
	/* the lab's evidence from LISTEN on; a scenario's every step after
	 * its capture (symptom, states, packets, diagnosis, fix) */
	int first = lab->o.scenario ? SL_STEP_SERVER : SL_STEP_LISTEN;
	char fname[256];

	for (int id = first; id < SL_STEP_COUNT; id++) {
		int rc = step_file(lab, id, fname, sizeof(fname), files, e);

		if (rc < 0)
			return rc;
	}
	return 0;
}

static int write_rendered(const struct sl_lab *lab,
			  struct sl_bundle_files *files, const char *fname,
			  int (*render)(struct sl_buf *, const struct sl_lab *),
			  struct sl_err *e)
{
	struct sl_buf b = SL_BUF_INIT;
	int rc = render(&b, lab);

	if (rc < 0)
		rc = sl_err_set(e, rc, "cannot render %s: out of memory", fname);
	else
		rc = write_file(lab, files, fname, b.data, b.len, e);
	sl_buf_release(&b);
	return rc;
}

/* The capture, written during the run: hashed as it is on disk. */
static int note_capture(const struct sl_lab *lab,
			struct sl_bundle_files *files, struct sl_err *e)
{
	const char *slash = strrchr(lab->pcap_path, '/');

	if (lab->capture_skipped || !lab->pcap_path[0] ||
	    lab->steps[SL_STEP_CAPTURE].status != SL_STEP_OK)
		return 0;
	return note_file(files, slash ? slash + 1 : lab->pcap_path,
			 lab->pcap_path, NULL, 0, e);
}

static int write_code(const struct sl_lab *lab, struct sl_bundle_files *files,
		      struct sl_err *e)
{
	char fname[256];

	sl_lab_file_name(lab, "_code.txt", fname, sizeof(fname));
	if (lab->code.len)
		return write_file(lab, files, fname, lab->code.data,
				  lab->code.len, e);
	return write_file(lab, files, fname, lab->o.code ? lab->o.code : "",
			  lab->o.code ? lab->o.code_len : 0, e);
}

/* report.json, listing every file written before it. */
static int write_json(const struct sl_lab *lab, struct sl_bundle_files *files,
		      struct sl_err *e)
{
	struct sl_buf b = SL_BUF_INIT;
	char fname[256];
	int rc;

	sl_lab_file_name(lab, "_report.json", fname, sizeof(fname));
	rc = sl_report_lab_json_files(&b, lab, files);
	if (rc < 0)
		rc = sl_err_set(e, rc, "cannot render %s: out of memory", fname);
	else
		rc = write_file(lab, files, fname, b.data, b.len, e);
	sl_buf_release(&b);
	return rc;
}

/* NAME_sha256sums.txt: `sha256sum -c` checks the bundle with no socklab. */
static int write_sums(const struct sl_lab *lab,
		      const struct sl_bundle_files *files, struct sl_err *e)
{
	struct sl_buf b = SL_BUF_INIT;
	char fname[256];
	int rc = 0;

	for (size_t i = 0; i < files->n && rc == 0; i++)
		rc = sl_buf_printf(&b, "%s  %s\n", files->v[i].sha256,
				   files->v[i].name);
	sl_lab_file_name(lab, "_sha256sums.txt", fname, sizeof(fname));
	if (rc < 0)
		rc = sl_err_set(e, rc, "cannot render %s: out of memory", fname);
	else
		rc = write_file(lab, NULL, fname, b.data ? b.data : "", b.len, e);
	sl_buf_release(&b);
	return rc;
}

int sl_report_bundle(const struct sl_lab *lab, struct sl_err *e)
{
	struct sl_bundle_files files;
	char fname[256];
	int rc;

	files.n = 0;
	rc = note_capture(lab, &files, e);
	rc = rc < 0 ? rc : write_steps(lab, &files, e);
	rc = rc < 0 ? rc : write_code(lab, &files, e);
	/* NAME in these too: two runs, or a teacher's folder of several
	 * students' bundles, never overwrite each other */
	sl_lab_file_name(lab, "_report.html", fname, sizeof(fname));
	rc = rc < 0 ? rc : write_rendered(lab, &files, fname,
					  sl_report_lab_html, e);
	rc = rc < 0 ? rc : write_json(lab, &files, e);
	return rc < 0 ? rc : write_sums(lab, &files, e);
}
