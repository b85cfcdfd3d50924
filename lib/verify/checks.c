/* checks.c - one bundle, check by check: its files, its capture (parsed,
 * whose it says it is, a handshake to a port above 59000, the name in a
 * payload), the socket snapshots against the capture, the hashes, the
 * images against their text, the code.  A bundle made by hand gets what
 * its capture allows; every other check says in words why it cannot be
 * made. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/lab.h"
#include "socklab/report.h"
#include "verify-int.h"

#define MS 1000000LL
/* clocks of one machine: the capture's time stamps and the lab's agree
 * to well within this */
#define SLACK_NS (1000 * MS)

static const char *const step_keys[4] = { "listening", "established",
					  "message", "packet" };

/* What the checks learn once and share. */
struct facts {
	struct sl_vbundle *b;
	const struct sl_vfile *json, *pcap, *code, *sums;
	struct sl_vreport rep;
	int have_rep;
	struct vcapture cap;
	int have_cap;
	const struct vhandshake *hs;	/* the one checked, or NULL */
};

static const char *own_name(const struct facts *f, const char *suffix,
			    char *out, size_t n)
{
	sl_lab_name_file(f->b->student, suffix, out, n);
	return out;
}

static const struct sl_vfile *own(const struct facts *f, const char *suffix)
{
	char name[512];

	return vfind(f->b, own_name(f, suffix, name, sizeof(name)));
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/* The first file whose name ends with one of the suffixes. */
static const struct sl_vfile *any_file(const struct sl_vbundle *b,
				       const char *const *suffixes)
{
	for (size_t i = 0; i < b->nfiles; i++)
		for (const char *const *s = suffixes; *s; s++)
			if (ends_with(b->files[i].name, *s))
				return &b->files[i];
	return NULL;
}

/* ---- reading what the bundle holds ---- */

static void read_report(struct facts *f)
{
	struct sl_err e;

	f->json = f->b->files;		/* a report bundle starts with it */
	if (sl_verify_report(f->json->data.data, f->json->data.len, &f->rep,
			     &e) < 0) {
		/* the student, then, is who the files are named for */
		snprintf(f->b->student, sizeof(f->b->student), "%.*s",
			 (int)(strlen(f->json->name) - strlen("_report.json")),
			 f->json->name);
		vmark(f->b, SL_VC_FILES, SL_MARK_FAIL, "%s cannot be read: %s",
		      f->json->name, e.msg);
		for (int i = SL_VC_SOCKETS; i < SL_VC_COPIES; i++)
			if (i != SL_VC_CODE)
				vmark(f->b, i, SL_MARK_NA,
				      "not checkable without a readable report.json");
		return;
	}
	f->have_rep = 1;
	snprintf(f->b->student, sizeof(f->b->student), "%s", f->rep.student);
	snprintf(f->b->run_id, sizeof(f->b->run_id), "%s", f->rep.run_id);
}

static void read_capture(struct facts *f)
{
	static const char *const caps[] = { ".pcapng", ".pcap", ".cap", NULL };

	f->pcap = f->b->handmade ? any_file(f->b, caps) : own(f, "_packet.pcapng");
	if (!f->pcap && !f->b->handmade)
		f->pcap = own(f, "_packet.pcap");
	if (!f->pcap)
		return;
	snprintf(f->b->pcap_sha, sizeof(f->b->pcap_sha), "%s",
		 vsha((struct sl_vfile *)f->pcap));
	if (vcapture_read(&f->cap, (const uint8_t *)f->pcap->data.data,
			  f->pcap->data.len, f->b->student) == 0)
		f->have_cap = 1;
	if (f->have_cap && f->cap.chosen >= 0) {
		f->hs = &f->cap.hs[f->cap.chosen];
		f->b->have_handshake = 1;
		f->b->isn_client = f->hs->isn_c;
		f->b->isn_server = f->hs->isn_s;
		f->b->client_port = f->hs->cport;
		f->b->server_port = f->hs->sport;
	}
}

/* ---- files ---- */

static void files_handmade(struct facts *f)
{
	struct sl_buf list = SL_BUF_INIT;

	for (size_t i = 0; i < f->b->nfiles && list.len < 200; i++)
		sl_buf_printf(&list, "%s%s", i ? ", " : "", f->b->files[i].name);
	vmark(f->b, SL_VC_FILES, SL_MARK_NA,
	      "no report.json: a bundle made by hand (%zu files: %s%s), so which files it should hold and whose they are cannot be checked; the name looked for is the folder's, \"%s\"",
	      f->b->nfiles, list.data ? list.data : "",
	      list.len >= 200 ? ", …" : "", f->b->student);
	sl_buf_release(&list);
}

static void files_missing(struct facts *f)
{
	static const char *const need[] = {
		"_listening.txt", "_established.txt", "_message.txt",
		"_packet.txt", "_code.txt", "_report.html", NULL
	};
	struct sl_buf miss = SL_BUF_INIT;
	char name[512];

	for (const char *const *s = need; *s; s++)
		if (!own(f, *s))
			sl_buf_printf(&miss, "%s%s", miss.len ? ", " : "",
				      own_name(f, *s, name, sizeof(name)));
	if (f->rep.captured && !f->pcap)
		sl_buf_printf(&miss, "%s%s", miss.len ? ", " : "",
			      own_name(f, "_packet.pcapng", name, sizeof(name)));
	for (size_t i = 0; i < f->rep.nfiles; i++)
		if (!vfind(f->b, f->rep.files[i].name) &&
		    !strstr(miss.data ? miss.data : "", f->rep.files[i].name))
			sl_buf_printf(&miss, "%s%s", miss.len ? ", " : "",
				      f->rep.files[i].name);
	if (miss.len)
		vmark(f->b, SL_VC_FILES, SL_MARK_FAIL, "missing: %s", miss.data);
	sl_buf_release(&miss);
}

/* The files' NAME, the report's student and the capture's agree. */
static void files_named(struct facts *f)
{
	char want[512];
	size_t k = strlen(f->json->name) - strlen("_report.json");

	own_name(f, "_report.json", want, sizeof(want));
	if (strcmp(want, f->json->name))
		vmark(f->b, SL_VC_FILES, SL_MARK_FAIL,
		      "report.json names the student \"%s\", but the files are named for \"%.*s\"",
		      f->rep.student, (int)k, f->json->name);
	if (f->b->stray[0])
		vmark(f->b, SL_VC_FILES, SL_MARK_NOTE,
		      "beside the bundle, files named for nobody: %s",
		      f->b->stray);
}

static void check_files(struct facts *f)
{
	if (f->b->handmade) {
		files_handmade(f);
		return;
	}
	if (!f->have_rep)
		return;
	files_missing(f);
	files_named(f);
	vmark(f->b, SL_VC_FILES, SL_MARK_OK,
	      "%zu files, each named for %s", f->b->nfiles, f->rep.student);
}

/* ---- the capture ---- */

static void capture_whose(struct facts *f)
{
	const struct vcapture *c = &f->cap;

	if (!c->pcapng || !c->student[0]) {
		vmark(f->b, SL_VC_CAPTURE, SL_MARK_NOTE,
		      "%s carries no socklab comments (student, run): made by another program, so whose it is rests on its file name",
		      f->pcap->name);
		return;
	}
	if (strcmp(c->student, f->b->student))
		vmark(f->b, SL_VC_CAPTURE, SL_MARK_FAIL,
		      "%s says it is the capture of \"%s\", not of \"%s\"",
		      f->pcap->name, c->student, f->b->student);
	if (f->have_rep && strcmp(c->run_id, f->rep.run_id))
		vmark(f->b, SL_VC_CAPTURE, SL_MARK_FAIL,
		      "%s comes from run %s, report.json from run %s: the capture of another run",
		      f->pcap->name, c->run_id, f->rep.run_id);
}

static void check_capture(struct facts *f)
{
	if (!f->pcap) {
		if (f->have_rep && !f->rep.captured)
			vmark(f->b, SL_VC_CAPTURE, SL_MARK_NA,
			      "the lab ran without a capture (--no-capture, or no capture privilege): no packets to check");
		else
			vmark(f->b, SL_VC_CAPTURE, SL_MARK_FAIL,
			      "no capture file (.pcapng or .pcap) in the bundle");
		return;
	}
	if (!f->have_cap) {
		vmark(f->b, SL_VC_CAPTURE, SL_MARK_FAIL, "%s cannot be read: %s",
		      f->pcap->name, f->cap.err);
		return;
	}
	if (!f->b->handmade)
		capture_whose(f);
	else if (f->cap.student[0] && strcmp(f->cap.student, f->b->student))
		vmark(f->b, SL_VC_CAPTURE, SL_MARK_FAIL,
		      "%s was made by socklab for \"%s\", not for \"%s\"",
		      f->pcap->name, f->cap.student, f->b->student);
	vmark(f->b, SL_VC_CAPTURE, SL_MARK_OK, "%s: %s of %u frames%s%s%s%s",
	      f->pcap->name, f->cap.pcapng ? "pcapng" : "pcap", f->cap.frames,
	      f->cap.student[0] ? ", made for " : "", f->cap.student,
	      f->cap.app[0] ? " by " : "", f->cap.app);
}

/* ---- the handshake and the name ---- */

static void check_handshake(struct facts *f)
{
	const struct vhandshake *h = f->hs;

	if (!f->have_cap) {
		vmark(f->b, SL_VC_HANDSHAKE, f->pcap ? SL_MARK_FAIL : SL_MARK_NA,
		      "no capture to look in");
		return;
	}
	if (!h) {
		vmark(f->b, SL_VC_HANDSHAKE, SL_MARK_FAIL,
		      "no full three-way handshake (SYN, SYN-ACK, ACK) in %s (%zu SYN seen)",
		      f->pcap->name, f->cap.nhs);
		return;
	}
	if (h->sport <= 59000)
		vmark(f->b, SL_VC_HANDSHAKE, SL_MARK_FAIL,
		      "the handshake %s -> %s goes to port %u: the assignment asks for a port above 59000",
		      h->client, h->server, h->sport);
	if (f->have_rep && f->rep.port && f->rep.port != h->sport)
		vmark(f->b, SL_VC_HANDSHAKE, SL_MARK_FAIL,
		      "report.json says port %u, the capture's handshake goes to port %u",
		      f->rep.port, h->sport);
	vmark(f->b, SL_VC_HANDSHAKE, SL_MARK_OK,
	      "SYN, SYN-ACK, ACK in frames %u, %u, %u: %s -> %s",
	      h->frames[0], h->frames[1], h->frames[2], h->client, h->server);
}

static void frame_list(struct sl_buf *b, const uint32_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sl_buf_printf(b, "%s%u", i ? ", " : "", v[i]);
}

static void check_name(struct facts *f)
{
	struct sl_buf got = SL_BUF_INIT, said = SL_BUF_INIT;
	const struct vcapture *c = &f->cap;

	if (!f->hs) {
		vmark(f->b, SL_VC_NAME, f->pcap ? SL_MARK_FAIL : SL_MARK_NA,
		      f->pcap ? "no connection in the capture to look in" :
		      "no capture to look in");
		return;
	}
	if (!c->nname_frames) {
		vmark(f->b, SL_VC_NAME, SL_MARK_FAIL,
		      "no payload the client sent to port %u carries \"%s\"",
		      f->hs->sport, f->b->student);
		return;
	}
	frame_list(&got, c->name_frames, c->nname_frames);
	frame_list(&said, f->rep.name_frames, f->rep.nname_frames);
	if (f->have_rep && f->rep.nname_frames &&
	    strcmp(got.data, said.data ? said.data : ""))
		vmark(f->b, SL_VC_NAME, SL_MARK_FAIL,
		      "the name is in frame %s of the capture, report.json says frame %s",
		      got.data, said.data);
	vmark(f->b, SL_VC_NAME, SL_MARK_OK,
	      "\"%s\" in what the client sent, frame%s %s",
	      f->b->student, c->nname_frames > 1 ? "s" : "", got.data);
	sl_buf_release(&got);
	sl_buf_release(&said);
}

/* ---- the socket snapshots ---- */

static double step_ms(const struct facts *f, const char *key)
{
	for (size_t i = 0; i < f->rep.nsteps; i++)
		if (!strcmp(f->rep.steps[i].key, key))
			return f->rep.steps[i].t_ms;
	return -1;
}

/* The capture's packets lie within the run report.json describes. */
static void capture_times(struct facts *f)
{
	double last = 0;
	int64_t end;

	for (size_t i = 0; i < f->rep.nsteps; i++)
		if (f->rep.steps[i].t_ms > last)
			last = f->rep.steps[i].t_ms;
	end = f->rep.started_ns + (int64_t)(last * MS) + SLACK_NS;
	if (!f->rep.started_ns || !f->cap.frames)
		return;
	if (f->cap.first_ns < f->rep.started_ns - SLACK_NS ||
	    f->cap.last_ns > end)
		vmark(f->b, SL_VC_SOCKETS, SL_MARK_FAIL,
		      "the capture's packets (%.3f s to %.3f s after the run started) lie outside the run (0 to %.3f s): a capture of another time",
		      (double)(f->cap.first_ns - f->rep.started_ns) / 1e9,
		      (double)(f->cap.last_ns - f->rep.started_ns) / 1e9,
		      (double)(end - SLACK_NS - f->rep.started_ns) / 1e9);
}

static int has_row(const struct sl_vrow *r, size_t n, const char *state,
		   uint16_t lport, uint16_t rport)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].state, state) && r[i].lport == lport &&
		    (rport == 0 || r[i].rport == rport))
			return 1;
	return 0;
}

static void listening(struct facts *f, const struct sl_vfile *t)
{
	struct sl_vrow rows[SL_VROWS];
	size_t n = sl_verify_rows(t->data.data, t->data.len, rows, SL_VROWS);

	if (!has_row(rows, n, "LISTEN", f->hs->sport, 0))
		vmark(f->b, SL_VC_SOCKETS, SL_MARK_FAIL,
		      "%s shows no LISTEN socket on port %u, where the capture's handshake went",
		      t->name, f->hs->sport);
}

static void established(struct facts *f, const struct sl_vfile *t)
{
	struct sl_vrow rows[SL_VROWS];
	size_t n = sl_verify_rows(t->data.data, t->data.len, rows, SL_VROWS);
	int c = has_row(rows, n, "ESTABLISHED", f->hs->cport, f->hs->sport);
	int s = has_row(rows, n, "ESTABLISHED", f->hs->sport, f->hs->cport);
	double t_ms = step_ms(f, "established");

	if (!c && !s && memmem(t->data.data, t->data.len, "only in packets", 15))
		vmark(f->b, SL_VC_SOCKETS, SL_MARK_NOTE,
		      "%s says ESTABLISHED was seen only in the packets (the client was too quick for the socket table)",
		      t->name);
	else if (!c || !s)
		vmark(f->b, SL_VC_SOCKETS, c || s ? SL_MARK_NOTE : SL_MARK_FAIL,
		      "%s shows %s ESTABLISHED end of the capture's connection (port %u <-> %u)",
		      t->name, c || s ? "only one" : "no", f->hs->cport,
		      f->hs->sport);
	if (t_ms >= 0 && f->rep.started_ns &&
	    f->rep.started_ns + (int64_t)(t_ms * MS) < f->hs->t_syn - SLACK_NS / 20)
		vmark(f->b, SL_VC_SOCKETS, SL_MARK_FAIL,
		      "the ESTABLISHED snapshot was taken %.3f s before the capture's SYN: they are not of one run",
		      (double)(f->hs->t_syn - f->rep.started_ns) / 1e9 - t_ms / 1e3);
}

static void check_sockets(struct facts *f)
{
	const struct sl_vfile *l, *est;

	if (f->b->handmade) {
		vmark(f->b, SL_VC_SOCKETS, SL_MARK_NA,
		      "the socket states are screenshots, whose text cannot be read: compare them by eye with the capture's ends (%s -> %s)",
		      f->hs ? f->hs->client : "?", f->hs ? f->hs->server : "?");
		return;
	}
	if (!f->have_rep)
		return;
	if (!f->hs) {
		vmark(f->b, SL_VC_SOCKETS, SL_MARK_NA,
		      "no handshake in a capture to compare the snapshots with");
		return;
	}
	l = own(f, "_listening.txt");
	est = own(f, "_established.txt");
	if (l)
		listening(f, l);
	if (est)
		established(f, est);
	capture_times(f);
	vmark(f->b, SL_VC_SOCKETS, SL_MARK_OK,
	      "LISTEN on %u and both ESTABLISHED ends (%u <-> %u) as in the capture, taken within the run",
	      f->hs->sport, f->hs->cport, f->hs->sport);
}

/* ---- hashes ---- */

static int hash_is(const struct sl_vfile *v, const char *hex)
{
	/* the bundle's files are its own to annotate */
	return !strcmp(vsha((struct sl_vfile *)v), hex);
}

static void hashes_report(struct facts *f, struct sl_buf *bad)
{
	for (size_t i = 0; i < f->rep.nfiles; i++) {
		const struct sl_vfile *v = vfind(f->b, f->rep.files[i].name);

		if (v && !hash_is(v, f->rep.files[i].sha256))
			sl_buf_printf(bad, "%s%s", bad->len ? ", " : "", v->name);
	}
}

/* NAME_sha256sums.txt: "HEX  NAME" lines, as sha256sum writes them. */
static size_t hashes_sums(struct facts *f, struct sl_buf *bad)
{
	const char *p = f->sums->data.data, *end = p + f->sums->data.len;
	size_t lines = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char hex[SL_SHA256_HEX], name[256];
		const struct sl_vfile *v;

		if (len > 66 && len - 66 < sizeof(name) && p[64] == ' ' &&
		    (p[65] == ' ' || p[65] == '*')) {
			snprintf(hex, sizeof(hex), "%.64s", p);
			snprintf(name, sizeof(name), "%.*s", (int)(len - 66), p + 66);
			lines++;
			v = vfind(f->b, name);
			if (v && !hash_is(v, hex) && !strstr(bad->data ? bad->data : "", name))
				sl_buf_printf(bad, "%s%s", bad->len ? ", " : "", name);
		}
		p += len + 1;
	}
	return lines;
}

static void check_hashes(struct facts *f)
{
	struct sl_buf bad = SL_BUF_INIT;
	size_t lines = 0;

	if (f->b->handmade) {
		vmark(f->b, SL_VC_HASHES, SL_MARK_NA,
		      "no report.json to hold the files' hashes");
		return;
	}
	if (!f->have_rep)
		return;
	f->sums = own(f, "_sha256sums.txt");
	hashes_report(f, &bad);
	if (f->sums)
		lines = hashes_sums(f, &bad);
	if (bad.len)
		vmark(f->b, SL_VC_HASHES, SL_MARK_FAIL,
		      "changed since the run wrote them (their SHA-256 is not the one recorded): %s",
		      bad.data);
	if (!f->sums)
		vmark(f->b, SL_VC_HASHES, SL_MARK_NOTE,
		      "no %s: report.json's own bytes are covered by nothing",
		      own_name(f, "_sha256sums.txt", (char[512]){ 0 }, 512));
	vmark(f->b, SL_VC_HASHES, SL_MARK_OK,
	      "%zu files as report.json recorded them%s", f->rep.nfiles,
	      lines ? ", and report.json as _sha256sums.txt recorded it" : "");
	sl_buf_release(&bad);
}

/* ---- images ---- */

static const char *step_title(const struct facts *f, const char *key)
{
	for (size_t i = 0; i < f->rep.nsteps; i++)
		if (!strcmp(f->rep.steps[i].key, key))
			return f->rep.steps[i].title;
	return NULL;
}

/* NAME_packet.jpeg: the packet picture drawn again from the capture. */
static int packet_image(struct facts *f, const struct sl_vfile *j,
			struct sl_image_check *c, struct sl_err *e)
{
	struct sl_packet_view v = { SL_BUF_INIT, SL_BUF_INIT, SL_BUF_INIT,
				    NULL, 0, 0, 0, 0 };
	char title[400];
	int rc = sl_report_packet_view(&v, f->pcap->data.data, f->pcap->data.len,
				       f->rep.name_frames[0], e);

	if (rc == 0) {
		sl_report_packet_title(title, sizeof(title), f->pcap->name,
				       f->rep.name_frames[0]);
		rc = sl_report_packet_jpeg_check(j->data.data, j->data.len, &v,
						 title, f->rep.filter,
						 f->rep.student, c, e);
	}
	sl_report_packet_view_release(&v);
	return rc;
}

/* One step's image against its text: 1 agrees, 0 not, -1 not there. */
static int image_of(struct facts *f, const char *key, struct sl_buf *bad)
{
	char txt[64], jpg[64], title[200];
	const struct sl_vfile *t, *j;
	const char *st = step_title(f, key);
	struct sl_image_check c;
	struct sl_err e;
	int rc;

	snprintf(txt, sizeof(txt), "_%s.txt", key);
	snprintf(jpg, sizeof(jpg), "_%s.jpeg", key);
	t = own(f, txt);
	j = own(f, jpg);
	if (!t || !j || !st)
		return -1;
	snprintf(title, sizeof(title), "socklab lab: %s", st);
	if (!strcmp(key, "packet") && f->pcap && f->rep.nname_frames &&
	    !f->rep.scenario[0])
		rc = packet_image(f, j, &c, &e);
	else
		rc = sl_report_text_jpeg_check(j->data.data, j->data.len,
					       t->data.data, t->data.len, title,
					       &c, &e);
	if (rc < 0)
		sl_buf_printf(bad, "%s%s (%s)", bad->len ? "; " : "", j->name, e.msg);
	else if (c.w != c.want_w || c.h != c.want_h)
		sl_buf_printf(bad, "%s%s is %dx%d, its text makes %dx%d",
			      bad->len ? "; " : "", j->name, c.w, c.h, c.want_w,
			      c.want_h);
	else if (!rc && !strcmp(key, "packet") && f->rep.nname_frames)
		sl_buf_printf(bad, "%s%s is not the picture of frame %u of %s",
			      bad->len ? "; " : "", j->name, f->rep.name_frames[0],
			      f->pcap ? f->pcap->name : "the capture");
	else if (!rc)
		sl_buf_printf(bad, "%s%s differs from %s %s%d", bad->len ? "; " : "",
			      j->name, t->name, c.line < 0 ? "in the title" :
			      "in line ", c.line < 0 ? 0 : c.line + 1);
	return rc > 0;
}

static void images_handmade(struct facts *f)
{
	static const char *const img[] = { ".jpeg", ".jpg", ".png", NULL };
	struct sl_buf seen = SL_BUF_INIT;
	size_t n = 0;

	for (size_t i = 0; i < f->b->nfiles; i++) {
		const struct sl_vfile *v = &f->b->files[i];
		const char *const one[] = { img[0], img[1], img[2], NULL };
		struct sl_vbundle tmp = { .files = (struct sl_vfile *)v, .nfiles = 1 };
		struct sl_err e;
		int w, h;

		if (!any_file(&tmp, one))
			continue;
		n++;
		if (sl_report_image_size(v->data.data, v->data.len, &w, &h, &e) < 0)
			sl_buf_printf(&seen, "%s%s does not decode", seen.len ? ", " : "",
				      v->name);
		else if (seen.len < 200)
			sl_buf_printf(&seen, "%s%s %dx%d", seen.len ? ", " : "",
				      v->name, w, h);
	}
	vmark(f->b, SL_VC_IMAGES, SL_MARK_NA,
	      n ? "%zu screenshots (%s) with no text beside them: what they show cannot be checked" :
	      "%zu screenshots: nothing to check%s", n, seen.data ? seen.data : "");
	sl_buf_release(&seen);
}

static void check_images(struct facts *f)
{
	struct sl_buf bad = SL_BUF_INIT;
	int ok = 0, none = 1;

	if (f->b->handmade) {
		images_handmade(f);
		return;
	}
	if (!f->have_rep)
		return;
	for (size_t i = 0; i < SL_ARRAY_SIZE(step_keys); i++) {
		int rc = image_of(f, step_keys[i], &bad);

		ok += rc > 0;
		none = none && rc < 0;
	}
	if (bad.len)
		vmark(f->b, SL_VC_IMAGES, SL_MARK_FAIL, "%s", bad.data);
	else if (none)
		vmark(f->b, SL_VC_IMAGES, SL_MARK_NA,
		      "no images in the bundle (made with --no-images)");
	vmark(f->b, SL_VC_IMAGES, SL_MARK_OK,
	      "%d images, each the picture of its text", ok);
	sl_buf_release(&bad);
}

/* ---- code ---- */

/* The student's files in NAME_code.txt: "==> PATH  (SHA-256 HEX, …)"
 * headers; their hashes, in order, make the code's fingerprint. */
static size_t code_files(const struct sl_vfile *v, char *sha)
{
	const char *p = v->data.data, *end = p + v->data.len;
	struct sl_sha256 c;
	size_t n = 0;

	sl_sha256_init(&c);
	while (p && p < end && (p = memmem(p, (size_t)(end - p), "(SHA-256 ", 9))) {
		p += 9;
		if (end - p >= 64) {
			sl_sha256_update(&c, p, 64);
			n++;
		}
	}
	sl_sha256_hex(&c, sha);
	return n;
}

static void code_handmade(struct facts *f)
{
	static const char *const src[] = { ".py", ".c", ".h", ".cpp", ".cc",
		".java", ".js", ".mjs", ".go", ".rs", ".cs", ".rb", ".kt",
		NULL };
	struct sl_sha256 c;
	size_t n = 0;

	sl_sha256_init(&c);
	for (size_t i = 0; i < f->b->nfiles; i++) {
		struct sl_vbundle one = { .files = &f->b->files[i], .nfiles = 1 };
		if (!any_file(&one, src))
			continue;
		sl_sha256_update(&c, vsha(&f->b->files[i]), 64);
		n++;
	}
	sl_sha256_hex(&c, f->b->code_sha);
	if (!n) {
		f->b->code_sha[0] = '\0';
		vmark(f->b, SL_VC_CODE, SL_MARK_FAIL,
		      "no source file (.py, .c, .java, .js …) in the bundle");
		return;
	}
	vmark(f->b, SL_VC_CODE, SL_MARK_OK, "%zu source file%s", n,
	      n > 1 ? "s" : "");
}

static void check_code(struct facts *f)
{
	const struct sl_vfile *v;
	size_t n;

	if (f->b->handmade) {
		code_handmade(f);
		return;
	}
	if (!(v = own(f, "_code.txt"))) {
		vmark(f->b, SL_VC_CODE, SL_MARK_FAIL, "no %s",
		      own_name(f, "_code.txt", (char[512]){ 0 }, 512));
		return;
	}
	if (!v->data.len) {
		vmark(f->b, SL_VC_CODE, SL_MARK_FAIL, "%s is empty", v->name);
		return;
	}
	if (!f->rep.programs && !memcmp(v->data.data, "==== ", 5)) {
		f->b->own_code = 1;
		vmark(f->b, SL_VC_CODE, SL_MARK_NOTE,
		      "%s holds socklab's own server and client (the lab ran without --server and --client), not code the student wrote",
		      v->name);
		return;
	}
	n = code_files(v, f->b->code_sha);
	if (!n) {
		f->b->code_sha[0] = '\0';
		vmark(f->b, SL_VC_CODE, SL_MARK_FAIL,
		      "%s holds no file of the student's programs", v->name);
		return;
	}
	vmark(f->b, SL_VC_CODE, SL_MARK_OK, "%zu file%s of the student's programs, each with its SHA-256",
	      n, n > 1 ? "s" : "");
}

void vcheck_bundle(struct sl_vbundle *b)
{
	struct facts *f = calloc(1, sizeof(*f));

	for (int i = 0; i < SL_VC_COUNT; i++)
		b->marks[i] = (struct sl_vmark){ SL_MARK_OK, "" };
	if (!f) {
		vmark(b, SL_VC_FILES, SL_MARK_FAIL, "out of memory");
		return;
	}
	f->b = b;
	if (!b->handmade)
		read_report(f);
	read_capture(f);
	check_files(f);
	check_capture(f);
	check_handshake(f);
	check_name(f);
	check_sockets(f);
	check_hashes(f);
	check_images(f);
	check_code(f);
	free(f);
}
