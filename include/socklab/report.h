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

/* bundle.c: writes the evidence bundle into lab->o.out_dir (txt, jpeg,
 * code, json, html; the pcap was written during the run). */
int sl_report_bundle(const struct sl_lab *lab, struct sl_err *e);
/* bundle.c: one step's NAME_KEY.txt (and its .jpeg), as the bundle
 * writes it; fname gets the .txt file's name. */
int sl_report_step_file(const struct sl_lab *lab, int id, char *fname,
			size_t fname_len, struct sl_err *e);

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
/* image.c: text rendered like a terminal (libgd, monospace, sized to the
 * text, legible at 100%) into a JPEG file. */
int sl_report_text_jpeg(const char *text, size_t len, const char *title,
			const char *path, struct sl_err *e);

#endif
