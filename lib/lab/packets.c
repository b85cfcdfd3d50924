/* packets.c - the lab's capture: filter, record, write, verify */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/render.h"
#include "lab-int.h"

int labcap_open(struct sl_lab *lab, struct labcap *lc, struct sl_err *e)
{
	/* the lab's few packets need no 32 MiB ring, which takes long to map */
	struct sl_capture_opts o = { .iface = "lo", .buffer_bytes = 4 << 20 };
	int rc;

	memset(lc, 0, sizeof(*lc));
	lab_streams_init(&lc->sent);
	lab_streams_init(&lc->answered);
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
	lc->probe = malloc(sizeof(*lc->probe));
	if (!lc->pkt || !lc->probe)
		return sl_err_set(e, -ENOMEM, "out of memory");
	return sl_sink_open(&lc->sink, lc->cap, lab->pcap_path, e);
}

int labcap_follow_port(struct sl_lab *lab, struct labcap *lc,
		       struct sl_err *e)
{
	snprintf(lab->bpf, sizeof(lab->bpf), "tcp port %u", lab->port);
	return lc->cap ? sl_capture_set_filter(lc->cap, lab->bpf, e) : 0;
}

/* The fields of the lab's transport: TCP, or UDP for lab -u. */
struct transport {
	int payload, srcport, dstport;
};

static const struct transport tcp_fields = {
	SL_F_TCP_PAYLOAD, SL_F_TCP_SRCPORT, SL_F_TCP_DSTPORT,
};
static const struct transport udp_fields = {
	SL_F_UDP_PAYLOAD, SL_F_UDP_SRCPORT, SL_F_UDP_DSTPORT,
};

static const struct transport *fields_of(const struct sl_lab *lab)
{
	return lab->o.udp ? &udp_fields : &tcp_fields;
}

static int payload_is(const struct sl_lab *lab, const struct sl_packet *p,
		      const char *s, size_t n)
{
	const struct sl_fval *v = sl_pkt_get(p, fields_of(lab)->payload);

	return v && v->v.bytes.n == n && !memcmp(v->v.bytes.p, s, n);
}

/* A segment of the lab's conversation: the port at one end. */
static int on_port(const struct sl_lab *lab, const struct sl_packet *p)
{
	const struct transport *t = fields_of(lab);

	return lab->port && (sl_pkt_uint(p, t->dstport, 0) == lab->port ||
			     sl_pkt_uint(p, t->srcport, 0) == lab->port);
}

/* What the client sends (and the server answers, when answered is not
 * NULL), in stream order. */
static void follow(const struct sl_lab *lab, struct lab_streams *sent,
		   struct lab_streams *answered, const struct sl_packet *p)
{
	const struct transport *t = fields_of(lab);
	const struct sl_fval *v = sl_pkt_get(p, t->payload);
	struct lab_streams *to;

	if (!v)
		return;
	to = sl_pkt_uint(p, t->dstport, 0) == lab->port ? sent :
	     sl_pkt_uint(p, t->srcport, 0) == lab->port ? answered : NULL;
	/* a datagram stands alone: each is a "stream" of its own, starting
	 * where a TCP stream's first byte sits (relative seq 1) */
	if (to && lab->o.udp)
		lab_streams_add(to, (uint32_t)p->number, (uint32_t)p->number, 1,
				v->v.bytes.p, v->v.bytes.n);
	else if (to)
		lab_streams_add(to, (uint32_t)sl_pkt_uint(p, SL_F_TCP_STREAM, 0),
				(uint32_t)p->number,
				(uint32_t)sl_pkt_uint(p, SL_F_TCP_SEQ, 0),
				v->v.bytes.p, v->v.bytes.n);
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
	ev->from_client = field_u(p, fields_of(lab)->dstport) == lab->port;
	ev->udp = lab->o.udp;
	ev->flags = (unsigned)field_u(p, SL_F_TCP_FLAGS);
	ev->seq = (uint32_t)field_u(p, SL_F_TCP_SEQ);
	ev->ack = (uint32_t)field_u(p, SL_F_TCP_ACK);
	ev->len = (uint32_t)field_u(p, SL_F_TCP_LEN);
	if (lab->o.udp) {
		const struct sl_fval *v = sl_pkt_get(p, SL_F_UDP_PAYLOAD);

		ev->len = v ? (uint32_t)v->v.bytes.n : 0;
	}
	if (ev->from_client && ev->len) {
		const struct sl_fval *v = sl_pkt_get(p, fields_of(lab)->payload);

		ev->carries_name = v && memmem(v->v.bytes.p, v->v.bytes.n,
					       name, n) != NULL;
	}
	rn = snprintf(reply, sizeof(reply), "Hello, %s!\n", name);
	/* a student's server answers in its own words, if at all */
	if (!ev->from_client && ev->len)
		ev->carries_reply = lab->programs ||
			(rn > 0 && (size_t)rn < sizeof(reply) &&
			 payload_is(lab, p, reply, (size_t)rn));
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

	/* before a student's server is known to listen, and whatever the
	 * kernel still had queued from the wider filter: not the lab's */
	if (lab->programs && !lab->port)
		return;
	if (lab->programs) {
		struct sl_packet *q = lc->probe;

		q->data = f->data;
		q->caplen = f->caplen;
		q->len = f->len;
		q->linktype = sl_capture_linktype(lc->cap);
		sl_dissect(q, NULL);
		if (!on_port(lab, q))
			return;
	}
	sl_packet_frame(p, &lc->frames, f->ts_ns, f->data, f->caplen, f->len);
	sl_dissect(p, lc->streams);
	if (!lc->write_failed && sl_sink_write(lc->sink, f, &lc->err) < 0)
		lc->write_failed = 1;
	follow(lab, &lc->sent, &lc->answered, p);
	if (!sl_dfilter_match(lc->df, p))
		return;
	lc->shown++;
	labcap_event(lab, p, &ev);
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
	labcap_name_frames(lab, &lc->sent);
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
	free(lc->probe);
	lab_streams_release(&lc->sent);
	lab_streams_release(&lc->answered);
	memset(lc, 0, sizeof(*lc));
}

/* The frames of lab->name_frames in the file, dissected in full (-V -x);
 * or, with summary, every frame's summary line and what the client sent. */
static int read_pcap(struct sl_lab *lab, struct sl_buf *summary,
		     struct lab_streams *sent, uint32_t *frames,
		     struct sl_err *e)
{
	struct sl_capture_opts o = { .file = lab->pcap_path };
	struct sl_stream_table *st = NULL;
	struct sl_packet *p = malloc(sizeof(*p));
	struct sl_capture *cap = NULL;
	struct sl_frame_seq seq = { 0 };
	struct sl_frame f;
	int rc, digits;

	*frames = 0;
	if (!p) {
		rc = sl_err_set(e, -ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = sl_stream_table_new(&st, e)) < 0 ||
	    (rc = sl_capture_open(&cap, &o, NULL, e)) < 0)
		goto out;
	digits = sl_capture_ts_digits(cap);
	seq.linktype = sl_capture_linktype(cap);
	while ((rc = sl_capture_next(cap, &f, e)) == 1) {
		char line[SL_SUMMARY_MAX];

		sl_packet_frame(p, &seq, f.ts_ns, f.data, f.caplen, f.len);
		*frames = (uint32_t)seq.frames;
		sl_dissect(p, st);
		if (summary) {
			sl_buf_append(summary, line, sl_render_summary(line, p, digits));
			follow(lab, sent, NULL, p);
			continue;
		}
		for (size_t i = 0; i < lab->nname_frames; i++)
			if (lab->name_frames[i] == p->number) {
				sl_render_tree(&lab->packet_tree, p, digits);
				sl_render_hex(&lab->packet_tree, p);
			}
	}
	if (rc == -ENODATA)
		rc = 0;
out:
	if (cap)
		sl_capture_close(cap);
	if (st)
		sl_stream_table_free(st);
	free(p);
	return rc;
}

/* Marks the time line's packets that carry a part of NAME. */
static void mark_name_frames(struct sl_lab *lab)
{
	for (size_t i = 0; i < lab->tl.n; i++) {
		struct sl_tl_event *ev = &lab->tl.v[i];

		if (ev->kind != SL_TL_PACKET)
			continue;
		ev->carries_name = 0;
		for (size_t k = 0; k < lab->nname_frames; k++)
			ev->carries_name |= ev->frame == lab->name_frames[k];
	}
}

void labcap_name_frames(struct sl_lab *lab, const struct lab_streams *sent)
{
	const char *name = lab->o.name;

	lab_streams_find(sent, name, strlen(name), lab->name_frames,
			 &lab->nname_frames, SL_NAME_FRAMES);
	lab->name_frame = lab->nname_frames ? lab->name_frames[0] : 0;
	mark_name_frames(lab);
}

/* Reads NAME_packet.pcap back as Wireshark would open it: every frame
 * summarised, what the client sent put in order, the frames that carry
 * NAME dissected in full. */
int labcap_verify_file(struct sl_lab *lab, struct sl_buf *summary,
		       struct sl_err *e)
{
	struct lab_streams sent;
	uint32_t live[SL_NAME_FRAMES], frames;
	size_t nlive = lab->nname_frames;
	int rc;

	memcpy(live, lab->name_frames, sizeof(live));
	lab_streams_init(&sent);
	rc = read_pcap(lab, summary, &sent, &frames, e);
	if (rc == 0)
		labcap_name_frames(lab, &sent);
	lab_streams_release(&sent);
	if (rc < 0)
		return rc;
	sl_buf_reset(&lab->packet_tree);
	if (lab->nname_frames && (rc = read_pcap(lab, NULL, NULL, &frames, e)) < 0)
		return rc;
	if (frames != lab->packets)
		return sl_err_set(e, -EIO,
			"%s holds %u packets but %u were captured: the file is incomplete",
			lab->pcap_path, frames, lab->packets);
	if (!lab->nname_frames)
		return sl_err_set(e, -ENOENT,
			"no packet in %s carries the name: the capture missed it",
			lab->pcap_path);
	if (nlive != lab->nname_frames ||
	    memcmp(live, lab->name_frames, nlive * sizeof(live[0])))
		return sl_err_set(e, -EIO,
			"%s carries the name in other frames than were captured live: the file is not what was captured",
			lab->pcap_path);
	return 0;
}
