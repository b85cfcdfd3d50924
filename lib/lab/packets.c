/* packets.c - the lab's capture: filter, record, write, verify */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/render.h"
#include "lab-int.h"

int labcap_open(struct sl_lab *lab, struct labcap *lc, struct sl_err *e)
{
	struct sl_capture_opts o = { .iface = "lo" };
	int rc;

	memset(lc, 0, sizeof(*lc));
	o.bpf = lab->bpf;
	rc = sl_capture_open(&lc->cap, &o, lab->o.exe, e);
	if (rc < 0)
		return rc;
	lc->ts_digits = sl_capture_ts_digits(lc->cap);
	lc->frames.linktype = sl_capture_linktype(lc->cap);
	rc = sl_dfilter_compile(&lc->df, lab->filter, NULL, NULL, e);
	if (rc == 0)
		rc = sl_stream_table_new(&lc->streams, e);
	if (rc < 0)
		return rc;
	lc->pkt = malloc(sizeof(*lc->pkt));
	if (!lc->pkt)
		return sl_err_set(e, -ENOMEM, "out of memory");
	return sl_sink_open(&lc->sink, lc->cap, lab->pcap_path, e);
}

static int payload_is(const struct sl_packet *p, const char *s, size_t n)
{
	const struct sl_fval *v = sl_pkt_get(p, SL_F_TCP_PAYLOAD);

	return v && v->v.bytes.n == n && !memcmp(v->v.bytes.p, s, n);
}

static uint64_t field_u(const struct sl_packet *p, int field)
{
	const struct sl_fval *v = sl_pkt_get(p, field);

	return v ? v->v.u : 0;
}

void labcap_event(struct sl_lab *lab, const struct sl_packet *p,
		  struct sl_tl_event *ev)
{
	char info[512];
	const char *name = lab->o.name;
	size_t n = strlen(name);
	char reply[600];
	int rn;

	memset(ev, 0, sizeof(*ev));
	ev->kind = SL_TL_PACKET;
	ev->t_ns = p->ts_ns;
	ev->frame = (uint32_t)p->number;
	ev->wire_len = p->len;
	ev->from_client = field_u(p, SL_F_TCP_DSTPORT) == lab->port;
	ev->flags = (unsigned)field_u(p, SL_F_TCP_FLAGS);
	ev->seq = (uint32_t)field_u(p, SL_F_TCP_SEQ);
	ev->ack = (uint32_t)field_u(p, SL_F_TCP_ACK);
	ev->len = (uint32_t)field_u(p, SL_F_TCP_LEN);
	if (ev->from_client && n + 1 < sizeof(reply)) {
		memcpy(reply, name, n);
		reply[n] = '\n';
		ev->carries_name = payload_is(p, reply, n + 1);
	}
	rn = snprintf(reply, sizeof(reply), "Hello, %s!\n", name);
	if (!ev->from_client && rn > 0 && (size_t)rn < sizeof(reply))
		ev->carries_reply = payload_is(p, reply, (size_t)rn);
	/* Info is escaped by the report module: safe to show as is */
	n = sl_render_info(info, sizeof(info), p);
	if (n >= sizeof(ev->text))
		n = sizeof(ev->text) - 1;
	memcpy(ev->text, info, n);
	ev->text[n] = '\0';
}

static void handle_frame(struct sl_lab *lab, struct labcap *lc,
			 const struct sl_frame *f)
{
	struct sl_packet *p = lc->pkt;
	struct sl_tl_event ev;

	sl_packet_frame(p, &lc->frames, f->ts_ns, f->data, f->caplen, f->len);
	sl_dissect(p, lc->streams);
	if (!lc->write_failed && sl_sink_write(lc->sink, f, &lc->err) < 0)
		lc->write_failed = 1;
	if (!sl_dfilter_match(lc->df, p))
		return;
	lc->shown++;
	labcap_event(lab, p, &ev);
	if (ev.carries_name && !lab->name_frame)
		lab->name_frame = ev.frame;
	sl_timeline_add(&lab->tl, &ev);
}

void labcap_pump(struct sl_lab *lab, struct labcap *lc)
{
	struct sl_frame f;
	struct sl_err e;

	if (!lc->cap)
		return;
	for (int i = 0; i < 10000; i++)
		if (sl_capture_next(lc->cap, &f, &e) != 1)
			break;
		else
			handle_frame(lab, lc, &f);
}

int labcap_finish(struct sl_lab *lab, struct labcap *lc, struct sl_err *e)
{
	int rc;

	labcap_pump(lab, lc);
	lab->packets = (uint32_t)lc->frames.frames;
	rc = sl_sink_close(lc->sink, e);
	lc->sink = NULL;
	if (lc->write_failed) {
		*e = lc->err;
		return lc->err.code;
	}
	return rc;
}

void labcap_release(struct labcap *lc)
{
	struct sl_err e;

	if (lc->sink)
		sl_sink_close(lc->sink, &e);
	if (lc->cap)
		sl_capture_close(lc->cap);
	sl_dfilter_free(lc->df);
	if (lc->streams)
		sl_stream_table_free(lc->streams);
	free(lc->pkt);
	memset(lc, 0, sizeof(*lc));
}

/* Reads NAME_packet.pcap back as Wireshark would open it: every frame
 * summarised, the NAME packet dissected in full. */
int labcap_verify_file(struct sl_lab *lab, struct sl_buf *summary,
		       struct sl_err *e)
{
	struct sl_capture_opts o = { .file = lab->pcap_path };
	struct sl_stream_table *st = NULL;
	struct sl_packet *p = malloc(sizeof(*p));
	struct sl_capture *cap = NULL;
	struct sl_frame_seq seq = { 0 };
	uint32_t name_frame = 0;
	struct sl_frame f;
	int rc, digits;

	if (!p) {
		rc = sl_err_set(e, -ENOMEM, "out of memory");
		goto out;
	}
	rc = sl_stream_table_new(&st, e);
	if (rc < 0)
		goto out;
	rc = sl_capture_open(&cap, &o, NULL, e);
	if (rc < 0)
		goto out;
	digits = sl_capture_ts_digits(cap);
	seq.linktype = sl_capture_linktype(cap);
	while ((rc = sl_capture_next(cap, &f, e)) == 1) {
		struct sl_tl_event ev;
		char line[SL_SUMMARY_MAX];

		sl_packet_frame(p, &seq, f.ts_ns, f.data, f.caplen, f.len);
		sl_dissect(p, st);
		sl_buf_append(summary, line, sl_render_summary(line, p, digits));
		labcap_event(lab, p, &ev);
		if (ev.carries_name && !name_frame) {
			name_frame = ev.frame;
			sl_buf_reset(&lab->packet_tree);
			sl_render_tree(&lab->packet_tree, p, digits);
			sl_render_hex(&lab->packet_tree, p);
		}
	}
	if (rc != -ENODATA)
		goto out;
	rc = 0;
	if (seq.frames != lab->packets)
		rc = sl_err_set(e, -EIO,
			"%s holds %llu packets but %u were captured: the file is incomplete",
			lab->pcap_path, (unsigned long long)seq.frames,
			lab->packets);
	else if (!name_frame || name_frame != lab->name_frame)
		rc = sl_err_set(e, -ENOENT,
			"no packet in %s carries the name: the capture missed it",
			lab->pcap_path);
out:
	if (cap)
		sl_capture_close(cap);
	if (st)
		sl_stream_table_free(st);
	free(p);
	return rc;
}
