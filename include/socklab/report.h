/*
 * report.h - the lab's report: the evidence bundle (step texts and their
 * JPEG images, the code, NAME_report.json and NAME_report.html with its SVG flow
 * diagram), rendered from a finished struct sl_lab.
 *
 * Contract: lib/report reads the lab's results and never runs anything;
 * every function returns 0 or a negative errno-style code (-ENOMEM when
 * memory ran out), filling e where words are needed.
 */
#ifndef SOCKLAB_REPORT_H
#define SOCKLAB_REPORT_H

#include "socklab/lab.h"
#include "socklab/util.h"

/* A file of the bundle, as written: its name in the folder, size and
 * SHA-256. */
struct sl_bundle_file {
	char name[256];
	uint64_t bytes;
	char sha256[SL_SHA256_HEX];
};

#define SL_BUNDLE_FILES 24

struct sl_bundle_files {
	struct sl_bundle_file v[SL_BUNDLE_FILES];
	size_t n;
};

/* bundle.c: writes the evidence bundle into lab->o.out_dir (txt, jpeg,
 * code, html, then NAME_report.json with the size and SHA-256 of every
 * other file, then NAME_sha256sums.txt, as `sha256sum` writes it, over
 * all of them and report.json too; the pcapng was written during the
 * run).  What the hashes show is in the man page: a file changed by
 * accident or taken from another bundle, never that nobody forged them. */
int sl_report_bundle(const struct sl_lab *lab, struct sl_err *e);
/* bundle.c: one step's NAME_KEY.txt (and its .jpeg), as the bundle
 * writes it; fname gets the .txt file's name. */
int sl_report_step_file(const struct sl_lab *lab, int id, char *fname,
			size_t fname_len, struct sl_err *e);

/* bundle.c: a step's .txt (its text and the verdict line) appended to
 * out (0 or -ENOMEM), and its image's title ("socklab lab: TITLE"). */
int sl_report_step_text(struct sl_buf *out, const struct sl_lab_step *s);
void sl_report_step_title(char *out, size_t n, const struct sl_lab_step *s);
/* The packet picture's title: "socklab: FILE, frame N, laid out as
 * Wireshark shows a packet". */
void sl_report_packet_title(char *out, size_t n, const char *pcap_name,
			    uint32_t frame);

/* html.c + svg.c: one self-contained page (no external asset), readable
 * on a phone, printable: steps, the TCP flow as inline SVG, the socket
 * states beside the packets, explanations. */
int sl_report_lab_html(struct sl_buf *out, const struct sl_lab *lab);
/* svg.c: the two-lane flow diagram alone (an <svg> element). */
int sl_report_lab_svg(struct sl_buf *out, const struct sl_lab *lab);
/* labjson.c: TCP flags as tshark writes them: "[SYN, ACK]". */
int sl_report_lab_flags(struct sl_buf *b, unsigned flags);
/* labjson.c: report.json. */
int sl_report_lab_json(struct sl_buf *out, const struct sl_lab *lab);
/* The same with the bundle's files (NULL: none) listed in it. */
int sl_report_lab_json_files(struct sl_buf *out, const struct sl_lab *lab,
			     const struct sl_bundle_files *files);
/* image.c: text rendered like a terminal (libgd, monospace, sized to the
 * text, legible at 100%) into a JPEG file. */
int sl_report_text_jpeg(const char *text, size_t len, const char *title,
			const char *path, struct sl_err *e);

/* classpage.c: the class page of lab --verify (one self-contained HTML
 * file: a row per student, each check's mark and its reason). */
struct sl_verify;
int sl_report_class_html(struct sl_buf *out, const struct sl_verify *v);

/* wireshark.c: the packet carrying the name as Wireshark lays it out
 * (filter bar, packet list with it selected, detail tree with TCP open,
 * bytes with the name's highlighted), drawn from the capture file's
 * bytes: the lab draws NAME_packet.jpeg so, and lab --verify draws it
 * again to compare. */
struct sl_packet;
struct sl_packet_view {
	struct sl_buf rows;		/* every frame's summary line */
	struct sl_buf tree;		/* the chosen frame's -V tree */
	struct sl_buf bytes;		/* its bytes */
	struct sl_packet *pkt;		/* dissected, values in bytes */
	uint32_t frame;
	int digits;
	size_t hl, hl_n;		/* the name's bytes in the frame */
};
/* Reads a capture's bytes (pcap or pcapng) for frame; 0 or a negative
 * code with e filled (-ENOENT: no such frame).  Release it after. */
int sl_report_packet_view(struct sl_packet_view *v, const void *pcap,
			  size_t n, uint32_t frame, struct sl_err *e);
void sl_report_packet_view_release(struct sl_packet_view *v);
/* The picture into a JPEG file, under title, with filter in the bar and
 * name's bytes highlighted. */
int sl_report_packet_jpeg(struct sl_packet_view *v, const char *title,
			  const char *filter, const char *name,
			  const char *path, struct sl_err *e);

/* imgcheck.c: whether a JPEG shows the text (and title) that
 * sl_report_text_jpeg would draw: the same size, and every 8x16 tile
 * within JPEG's blur of the text drawn again. */
struct sl_image_check {
	int w, h;		/* the file's image */
	int want_w, want_h;	/* the text's */
	int line;		/* the first line of text that differs (from
				 * 0), -1 the title, -2 none */
	int worst;		/* most pixels that differ in one tile */
};
/* 1 when they agree, 0 when not (out says where), or a negative code
 * when the bytes are no image or libgd is missing (e says which). */
int sl_report_text_jpeg_check(const void *jpeg, size_t n, const char *text,
			      size_t len, const char *title,
			      struct sl_image_check *out, struct sl_err *e);
/* The same for the packet picture (wireshark.c). */
int sl_report_packet_jpeg_check(const void *jpeg, size_t n,
				struct sl_packet_view *v, const char *title,
				const char *filter, const char *name,
				struct sl_image_check *out, struct sl_err *e);
/* The size of a JPEG or PNG image (a screenshot): 0 or a negative code. */
int sl_report_image_size(const void *data, size_t n, int *w, int *h,
			 struct sl_err *e);

#endif
