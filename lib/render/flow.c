/* flow.c - the flow graph's model: one row a TCP packet (its time, its
 * direction in its conversation, the label and comment tshark's
 * -z flow,tcp,standard gives it, the analysis marks), the conversations
 * and their two ends; the terminal (flowtext.c) and the lab's SVG
 * (lib/report/svg.c) draw the same words from here */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/render.h"

/* in the order tshark's Info writes them */
static const char *const flag_names[] = {
	"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "NS",
};

static size_t put(char *out, size_t cap, size_t n, const char *s)
{
	size_t k = strlen(s);

	if (n + k >= cap)
		k = n < cap ? cap - 1 - n : 0;
	memcpy(out + n, s, k);
	out[n + k] = '\0';
	return n + k;
}

size_t sl_flow_label(char *out, size_t cap, unsigned flags, uint32_t len)
{
	char num[24];
	size_t n = 0;
	int any = 0;

	if (!cap)
		return 0;
	out[0] = '\0';
	for (unsigned i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (!(flags >> i & 1))
			continue;
		n = put(out, cap, n, any ? ", " : "");
		n = put(out, cap, n, flag_names[i]);
		any = 1;
	}
	if (!any)
		n = put(out, cap, n, "<None>");
	if (len) {
		sl_fmt_uint(num, len);
		n = put(out, cap, n, " - Len: ");
		n = put(out, cap, n, num);
	}
	return n;
}

size_t sl_flow_comment(char *out, size_t cap, unsigned flags, uint32_t seq,
		       uint32_t ack)
{
	char num[24];
	size_t n;

	if (!cap)
		return 0;
	out[0] = '\0';
	sl_fmt_uint(num, seq);
	n = put(out, cap, 0, "Seq = ");
	n = put(out, cap, n, num);
	if (flags & SL_TCP_FLAG_ACK) {
		sl_fmt_uint(num, ack);
		n = put(out, cap, n, " Ack = ");
		n = put(out, cap, n, num);
	}
	return n;
}

size_t sl_flow_marks(char *out, size_t cap, const struct sl_packet *p)
{
	const struct sl_layer *tcp = NULL;
	size_t n;

	if (!cap)
		return 0;
	out[0] = '\0';
	/* the TCP the row is about: the last one (a tunnel's inner one) */
	for (unsigned i = 0; i < p->nlayers; i++)
		if (p->layers[i].proto == SL_F_TCP)
			tcp = &p->layers[i];
	if (!tcp)
		return 0;
	n = sl_render_tcp_marks(out, cap, p, tcp);
	if (n && out[n - 1] == ' ')
		out[--n] = '\0';	/* the summary's space before its text */
	return n;
}

void sl_flow_fields(struct sl_fieldset *s)
{
	static const uint16_t f[] = {
		SL_F_TCP, SL_F_TCP_STREAM, SL_F_TCP_SRCPORT, SL_F_TCP_DSTPORT,
		SL_F_TCP_FLAGS, SL_F_TCP_SEQ, SL_F_TCP_ACK, SL_F_TCP_LEN,
		SL_F_IP_SRC, SL_F_IP_DST, SL_F_IPV6_SRC, SL_F_IPV6_DST,
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		sl_fieldset_add(s, f[i]);
	sl_render_tcp_marks_fields(s);
}

void sl_flow_init(struct sl_flow *f, size_t max_rows)
{
	memset(f, 0, sizeof(*f));
	sl_buf_init(&f->text);
	f->max_rows = max_rows ? max_rows : SL_FLOW_MAX_ROWS;
	f->ts_digits = 6;
}

void sl_flow_release(struct sl_flow *f)
{
	free(f->row);
	free(f->conv);
	sl_buf_release(&f->text);
	memset(f, 0, sizeof(*f));
}

/* "192.0.2.1:80", "[2001:db8::1]:80": the innermost IP layer's, as tcp.*
 * are the innermost TCP's */
static void end_of(const struct sl_packet *p, int src, char *out)
{
	const struct sl_fval *v = NULL, *w;
	int f4 = src ? SL_F_IP_SRC : SL_F_IP_DST;
	int f6 = src ? SL_F_IPV6_SRC : SL_F_IPV6_DST;
	uint64_t port = 0;
	size_t n = 0;

	/* the last IP layer before TCP: the highest value index wins */
	for (w = sl_pkt_get(p, f4); w; w = sl_pkt_next(p, w))
		v = w;
	for (w = sl_pkt_get(p, f6); w; w = sl_pkt_next(p, w))
		if (!v || w > v)
			v = w;
	for (w = sl_pkt_get(p, src ? SL_F_TCP_SRCPORT : SL_F_TCP_DSTPORT); w;
	     w = sl_pkt_next(p, w))
		port = w->v.u;
	if (!v) {
		out[n++] = '?';
	} else if (v->field == f6) {
		out[n++] = '[';
		n += sl_fmt_ipv6(out + n, v->v.bytes.p);
		out[n++] = ']';
	} else {
		n += sl_fmt_ipv4(out + n, (uint32_t)v->v.u);
	}
	out[n++] = ':';
	n += sl_fmt_uint(out + n, port);
	out[n] = '\0';
}

static uint64_t last_uint(const struct sl_packet *p, int field)
{
	const struct sl_fval *v = sl_pkt_get(p, field), *w;

	for (w = v; w; w = sl_pkt_next(p, w))
		v = w;
	return v ? v->v.u : 0;
}

static int conv_at(struct sl_flow *f, uint32_t stream)
{
	if (stream < f->nconv)
		return 0;
	if (stream >= f->capconv) {
		size_t cap = f->capconv ? f->capconv * 2 : 16;
		struct sl_flow_conv *v;

		while (cap <= stream)
			cap *= 2;
		v = realloc(f->conv, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		f->conv = v;
		f->capconv = cap;
	}
	memset(f->conv + f->nconv, 0, (stream + 1 - f->nconv) * sizeof(*f->conv));
	f->nconv = stream + 1;
	return 0;
}

int sl_flow_add(struct sl_flow *f, const struct sl_packet *p)
{
	char src[SL_FLOW_END_MAX], dst[SL_FLOW_END_MAX], t[SL_FLOW_TEXT_MAX];
	struct sl_flow_row *r;
	struct sl_flow_conv *c;
	unsigned flags;
	uint32_t stream;
	size_t n;

	if (!sl_pkt_has(p, SL_F_TCP) || !sl_pkt_has(p, SL_F_TCP_STREAM))
		return 0;
	/* a TCP header the capture cut: tshark's tap never sees it (the
	 * dissector stops at the cut) */
	if (p->truncated && p->nlayers && p->layers[p->nlayers - 1].proto == SL_F_TCP)
		return 0;
	if (f->nrows == f->max_rows) {
		f->left_out++;
		return 0;
	}
	stream = (uint32_t)last_uint(p, SL_F_TCP_STREAM);
	if (conv_at(f, stream) < 0)
		return -ENOMEM;
	if (f->nrows == f->caprows) {
		size_t cap = f->caprows ? f->caprows * 2 : 256;

		r = realloc(f->row, cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		f->row = r;
		f->caprows = cap;
	}
	c = &f->conv[stream];
	end_of(p, 1, src);
	end_of(p, 0, dst);
	if (!c->rows) {
		memcpy(c->a, src, sizeof(src));
		memcpy(c->b, dst, sizeof(dst));
	}
	r = &f->row[f->nrows];
	memset(r, 0, sizeof(*r));
	r->frame = p->number;
	r->rel_ns = p->ts_ns - p->first_ns;
	r->stream = stream;
	/* the conversation's first sender is A, its left lane */
	r->from_b = strcmp(src, c->a) != 0;
	r->text = (uint32_t)f->text.len;
	flags = (unsigned)last_uint(p, SL_F_TCP_FLAGS);
	n = sl_flow_label(t, sizeof(t), flags, (uint32_t)last_uint(p, SL_F_TCP_LEN));
	if (sl_buf_append(&f->text, t, n + 1) < 0)
		return -ENOMEM;
	n = sl_flow_comment(t, sizeof(t), flags,
			    (uint32_t)last_uint(p, SL_F_TCP_SEQ),
			    (uint32_t)last_uint(p, SL_F_TCP_ACK));
	if (sl_buf_append(&f->text, t, n + 1) < 0)
		return -ENOMEM;
	n = sl_flow_marks(t, sizeof(t), p);
	if (sl_buf_append(&f->text, t, n + 1) < 0)
		return -ENOMEM;
	c->rows++;
	f->nrows++;
	return 1;
}

void sl_flow_row_text(const struct sl_flow *f, const struct sl_flow_row *r,
		      const char **label, const char **comment,
		      const char **marks_out)
{
	const char *s = f->text.data + r->text;

	*label = s;
	s += strlen(s) + 1;
	*comment = s;
	s += strlen(s) + 1;
	*marks_out = s;
}
