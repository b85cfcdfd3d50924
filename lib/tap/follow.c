/* follow.c - Follow TCP/UDP Stream (tshark -z follow): each stream's
 * data in order, as its two nodes sent it.  TCP's data goes in sequence
 * order without what retransmissions repeat, as tshark's follow keeps
 * it: out-of-order segments wait until the gap before them fills, and an
 * ACK past a gap stands for data the capture missed.  State: the data of
 * every followed stream (its bytes once, plus the segments waiting). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap-int.h"

struct rec {
	uint32_t frame;
	uint32_t seq;		/* TCP: where it starts (raw) */
	uint32_t off, len;	/* in the stream's data */
	uint8_t server;		/* sent by node 1 */
	uint8_t missing;	/* "[N bytes missing in capture file]" */
};

struct recs {
	struct rec *v;
	uint32_t n, cap;
};

struct fstream {
	uint8_t used;
	uint8_t init[2];	/* seq[] set for that direction */
	struct tap_addr node[2];
	uint32_t seq[2];	/* next expected, raw */
	struct recs out;	/* the stream as shown, in order */
	struct recs frag[2];	/* segments after a gap, waiting */
	struct sl_buf data;
};

struct follow_tap {
	struct fstream *s;
	uint32_t n;		/* streams allocated */
	struct tap_udp udp;
};

#define LT_SEQ(a, b) ((int32_t)((a) - (b)) < 0)
#define GT_SEQ(a, b) ((int32_t)((b) - (a)) < 0)

static void follow_fields(const struct sl_tap *t, struct sl_fieldset *s)
{
	tap_ends_fields(t->o.layer, s);
	if (t->o.layer == SL_TAP_TCP) {
		sl_fieldset_add(s, SL_F_TCP_STREAM);
		sl_fieldset_add(s, SL_F_TCP_SEQ_RAW);
		sl_fieldset_add(s, SL_F_TCP_ACK_RAW);
		sl_fieldset_add(s, SL_F_TCP_LEN);
		sl_fieldset_add(s, SL_F_TCP_FLAGS);
		sl_fieldset_add(s, SL_F_TCP_PAYLOAD);
	} else {
		sl_fieldset_add(s, SL_F_UDP_PAYLOAD);
	}
}

static int push(struct recs *r, const struct rec *x)
{
	if (tap_grow(&r->v, r->n, &r->cap, sizeof(*r->v), 8) < 0)
		return -ENOMEM;
	r->v[r->n++] = *x;
	return 0;
}

static void drop(struct recs *r, uint32_t i)
{
	memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof(r->v[0]));
	r->n--;
}

static struct fstream *stream(struct follow_tap *f, uint32_t id)
{
	if (id >= f->n) {
		uint32_t n = id + 1 > f->n * 2 ? id + 1 : f->n * 2;
		struct fstream *s = realloc(f->s, n * sizeof(*s));

		if (!s)
			return NULL;
		memset(s + f->n, 0, (n - f->n) * sizeof(*s));
		f->s = s;
		f->n = n;
	}
	return &f->s[id];
}

/* tshark's check_follow_fragments: 1 when a waiting segment of direction
 * d was used (call again), 0 when none fits, <0 on error */
static int fragments(struct fstream *s, int d, uint32_t acked, uint32_t frame,
		     int use_ack)
{
	struct recs *fr = &s->frag[d];
	uint32_t lowest;

	if (!fr->n)
		return 0;
	lowest = fr->v[0].seq;
	for (uint32_t i = 0; i < fr->n; i++) {
		struct rec *x = &fr->v[i];

		if (GT_SEQ(lowest, x->seq))
			lowest = x->seq;
		if (LT_SEQ(x->seq, s->seq[d])) {
			uint32_t end = x->seq + x->len;

			if (GT_SEQ(end, s->seq[d])) {
				uint32_t skip = s->seq[d] - x->seq;
				struct rec y = *x;

				y.off += skip;
				y.len -= skip;
				y.seq = s->seq[d];
				if (push(&s->out, &y) < 0)
					return -ENOMEM;
				s->seq[d] += y.len;
			}
			drop(fr, i);
			return 1;
		}
		if (x->seq == s->seq[d]) {
			if (x->len && push(&s->out, x) < 0)
				return -ENOMEM;
			s->seq[d] += x->len;
			drop(fr, i);
			return 1;
		}
	}
	if (use_ack && GT_SEQ(acked, lowest)) {
		struct rec m = { .frame = frame, .seq = lowest,
				 .len = lowest - s->seq[d],
				 .server = (uint8_t)d, .missing = 1 };

		s->seq[d] = lowest;
		return push(&s->out, &m) < 0 ? -ENOMEM : 1;
	}
	return 0;
}

static int keep(struct fstream *s, const uint8_t *p, uint32_t n, uint32_t *off)
{
	*off = (uint32_t)s->data.len;
	return sl_buf_append(&s->data, p, n);
}

static int tcp_packet(struct fstream *s, const struct sl_packet *p, int d)
{
	const struct sl_fval *pl = sl_pkt_get(p, SL_F_TCP_PAYLOAD);
	uint32_t seq = (uint32_t)sl_pkt_uint(p, SL_F_TCP_SEQ_RAW, 0);
	uint32_t ack = (uint32_t)sl_pkt_uint(p, SL_F_TCP_ACK_RAW, 0);
	uint32_t len = (uint32_t)sl_pkt_uint(p, SL_F_TCP_LEN, 0);
	const uint8_t *data = pl ? pl->v.bytes.p : NULL;
	uint32_t dlen = pl ? pl->v.bytes.n : 0, doff = 0;
	int rc;

	if (sl_pkt_uint(p, SL_F_TCP_FLAGS, 0) & 0x02)
		seq++;
	/* what this ACKs may be data of the other way the capture missed */
	if (s->frag[!d].n)
		while ((rc = fragments(s, !d, ack, (uint32_t)p->number, 1)) > 0)
			;
	if (!s->init[d]) {
		s->init[d] = 1;
		s->seq[d] = seq;
	}
	if (LT_SEQ(seq, s->seq[d])) {
		uint32_t next = seq + len;

		if (GT_SEQ(next, s->seq[d])) {
			doff = s->seq[d] - seq;
			dlen = dlen <= doff ? 0 : dlen - doff;
			seq = s->seq[d];
			len = next - s->seq[d];
		}
	}
	if (dlen == 0 || LT_SEQ(seq, s->seq[d]))
		return 0;
	struct rec r = { .frame = (uint32_t)p->number, .seq = seq,
			 .len = dlen, .server = (uint8_t)d };

	if (keep(s, data + doff, dlen, &r.off) < 0)
		return -ENOMEM;
	if (seq == s->seq[d]) {
		s->seq[d] += len;
		if (push(&s->out, &r) < 0)
			return -ENOMEM;
		while ((rc = fragments(s, d, 0, (uint32_t)p->number, 0)) > 0)
			;
		return rc;
	}
	return push(&s->frag[d], &r);
}

static int follow_one(struct sl_tap *t, const struct sl_packet *p, int n)
{
	struct follow_tap *f = t->state;
	struct tap_addr a, b;
	int64_t id;
	int d;

	if (!tap_ends(p, t->o.layer, n, &a, &b))
		return 1;
	if (t->o.layer == SL_TAP_TCP) {
		const struct sl_fval *v = sl_pkt_get(p, SL_F_TCP_STREAM);

		if (!v)
			return 0;
		id = (int64_t)v->v.u;
	} else if ((id = tap_udp_stream(&f->udp, &a, &b)) < 0) {
		return (int)id;
	}
	if (t->o.stream >= 0 && id != t->o.stream)
		return 0;
	struct fstream *s = stream(f, (uint32_t)id);

	if (!s)
		return -ENOMEM;
	if (!s->used) {
		s->used = 1;
		s->node[0] = a;
		s->node[1] = b;
	}
	d = !tap_addr_eq(&s->node[0], &a);
	if (t->o.layer == SL_TAP_TCP)
		return tcp_packet(s, p, d);
	int li = -1;

	for (int k = 0, seen = 0; k < p->nlayers && li < 0; k++)
		if (p->layers[k].proto == SL_F_UDP && seen++ == n)
			li = k;
	const struct sl_fval *pl = li < 0 ? NULL :
				   sl_pkt_get_in(p, li, SL_F_UDP_PAYLOAD);
	struct rec r = { .frame = (uint32_t)p->number, .server = (uint8_t)d,
			 .len = pl ? pl->v.bytes.n : 0 };

	/* an empty datagram: tshark's follow gets no data to tap */
	if (!r.len)
		return 0;
	if (keep(s, pl->v.bytes.p, r.len, &r.off) < 0)
		return -ENOMEM;
	return push(&s->out, &r);
}

/* UDP: each datagram of a tunnel's layers (VXLAN in UDP) in its stream,
 * the innermost first as tshark's follow sees them (its tap runs once
 * the datagram's payload is dissected) */
static int follow_packet(struct sl_tap *t, const struct sl_packet *p)
{
	int rc = 0, n = 0;

	if (t->o.layer == SL_TAP_TCP)
		return follow_one(t, p, 0) < 0 ? -ENOMEM : 0;
	for (int k = 0; k < p->nlayers; k++)
		n += p->layers[k].proto == SL_F_UDP;
	while (n-- > 0 && rc >= 0)
		rc = follow_one(t, p, n);
	return rc < 0 ? rc : 0;
}

static const char sep[] =
	"===================================================================\n";

static int node(struct sl_buf *b, int i, const struct tap_addr *a)
{
	if (sl_buf_printf(b, "Node %d: ", i) < 0 || tap_put_addr(b, a, 1) < 0)
		return -ENOMEM;
	return sl_buf_printf(b, ":%u\n", a->port);
}

/* tshark's follow_print_hex, the offset counting each way's bytes */
static int hexdump(struct sl_buf *b, const char *prefix, uint32_t offset,
		   const uint8_t *p, uint32_t n)
{
	static const char hx[] = "0123456789abcdef";
	char line[80];

	for (uint32_t i = 0; i < n; i += 16, offset += 16) {
		uint32_t k = n - i < 16 ? n - i : 16;

		memset(line, ' ', sizeof(line));
		snprintf(line, sizeof(line), "%08X", offset);
		line[8] = ' ';
		for (uint32_t j = 0; j < k; j++) {
			uint8_t c = p[i + j];
			size_t h = 10 + j * 3 + (j >= 8);
			size_t a = 10 + 49 + 1 + j + (j >= 8);

			line[h] = hx[c >> 4];
			line[h + 1] = hx[c & 15];
			line[a] = c >= ' ' && c < 0x7f ? (char)c : '.';
		}
		size_t end = 10 + 49 + 1 + k + (k > 8);

		/* tshark ends the line at its last non-space character (a
		 * space byte last is not shown) */
		while (end > 0 && line[end - 1] == ' ')
			end--;

		if (sl_buf_printf(b, "%s%.*s\n", prefix, (int)end, line) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int ascii(struct sl_buf *b, const uint8_t *p, uint32_t n, int keep_cr)
{
	if (sl_buf_reserve(b, n + 1) < 0)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t c = p[i];

		/* printable ASCII and the line break as tshark; every
		 * other byte (controls, escape sequences, UTF-8) as '.' */
		if (!(c == '\n' || (c == '\r' && keep_cr) ||
		      (c >= ' ' && c < 0x7f)))
			c = '.';
		b->data[b->len++] = (char)c;
	}
	b->data[b->len] = 0;
	return sl_buf_putc(b, '\n');
}

static int text_stream(struct sl_buf *b, const struct sl_tap *t,
		       const struct fstream *s, uint32_t id)
{
	const char *proto = sl_tap_layer_name(t->o.layer);
	uint32_t pos[2] = { 0, 0 };
	char miss[64];

	if (sl_buf_printf(b, "\n%sFollow: %s,%s\nFilter: %s.stream eq %u\n",
			  sep, proto, t->o.hex ? "hex" : "ascii", proto, id) < 0 ||
	    node(b, 0, &s->node[0]) < 0 || node(b, 1, &s->node[1]) < 0)
		return -ENOMEM;
	for (uint32_t i = 0; i < s->out.n; i++) {
		const struct rec *r = &s->out.v[i];
		const uint8_t *p = (const uint8_t *)s->data.data + r->off;
		uint32_t n = r->len;
		const char *tab = r->server ? "\t" : "";

		if (r->missing) {
			/* tshark's note, its terminating NUL included */
			n = (uint32_t)snprintf(miss, sizeof(miss), "[%d bytes missing in capture file]",
					       (int)r->len) + 1;
			p = (const uint8_t *)miss;
		}
		if (t->o.hex) {
			if (hexdump(b, tab, pos[r->server], p, n) < 0)
				return -ENOMEM;
		} else if (sl_buf_printf(b, "%s%u\n", tab, n) < 0 ||
			   ascii(b, p, n, t->o.keep_cr) < 0) {
			return -ENOMEM;
		}
		pos[r->server] += n;
	}
	return sl_buf_puts(b, sep);
}

static int json_stream(struct sl_buf *b, const struct sl_tap *t,
		       const struct fstream *s, uint32_t id)
{
	const char *proto = sl_tap_layer_name(t->o.layer);
	struct sl_buf e[2] = { SL_BUF_INIT, SL_BUF_INIT };
	int rc = -ENOMEM;

	for (int i = 0; i < 2; i++) {
		if (tap_put_addr(&e[i], &s->node[i], 1) < 0 ||
		    sl_buf_printf(&e[i], ":%u", s->node[i].port) < 0)
			goto out;
	}
	if (sl_buf_printf(b, "{\"follow\":\"%s\",\"stream\":%u,\"node0\":\"%s\","
			  "\"node1\":\"%s\"}\n", proto, id, e[0].data,
			  e[1].data) < 0)
		goto out;
	for (uint32_t i = 0; i < s->out.n; i++) {
		const struct rec *r = &s->out.v[i];
		const uint8_t *p = (const uint8_t *)s->data.data + r->off;

		if (sl_buf_printf(b, "{\"stream\":%u,\"node\":%u,\"from\":\"%s\","
				  "\"to\":\"%s\",\"frame\":%u,", id, r->server,
				  e[r->server].data, e[!r->server].data,
				  r->frame) < 0)
			goto out;
		if (r->missing) {
			if (sl_buf_printf(b, "\"missing\":%u}\n", r->len) < 0)
				goto out;
			continue;
		}
		if (sl_buf_printf(b, "\"len\":%u,\"text\":", r->len) < 0 ||
		    sl_buf_json_str(b, p, r->len) < 0 ||
		    sl_buf_puts(b, t->o.hex ? ",\"hex\":\"" : ",\"base64\":\"") < 0)
			goto out;
		if (t->o.hex) {
			for (uint32_t k = 0; k < r->len; k++)
				if (sl_buf_printf(b, "%02x", p[k]) < 0)
					goto out;
		} else if (tap_put_base64(b, p, r->len) < 0) {
			goto out;
		}
		if (sl_buf_puts(b, "\"}\n") < 0)
			goto out;
	}
	rc = 0;
out:
	sl_buf_release(&e[0]);
	sl_buf_release(&e[1]);
	return rc;
}

static int follow_report(struct sl_tap *t, struct sl_buf *b)
{
	struct follow_tap *f = t->state;
	static const struct fstream none;

	for (uint32_t i = 0; i < f->n; i++) {
		if (!f->s[i].used)
			continue;
		if ((t->o.json ? json_stream(b, t, &f->s[i], i)
			       : text_stream(b, t, &f->s[i], i)) < 0)
			return -ENOMEM;
	}
	/* a stream asked for and never seen: tshark's empty block */
	if (t->o.stream >= 0 && !t->o.json &&
	    ((uint64_t)t->o.stream >= f->n || !f->s[t->o.stream].used))
		return text_stream(b, t, &none, (uint32_t)t->o.stream);
	return 0;
}

static void follow_free(struct sl_tap *t)
{
	struct follow_tap *f = t->state;

	for (uint32_t i = 0; i < f->n; i++) {
		free(f->s[i].out.v);
		free(f->s[i].frag[0].v);
		free(f->s[i].frag[1].v);
		sl_buf_release(&f->s[i].data);
	}
	free(f->s);
	tap_udp_free(&f->udp);
	free(f);
}

static const struct tap_ops ops = { follow_fields, follow_packet,
				    follow_report, follow_free };

int tap_follow_init(struct sl_tap *t)
{
	if (t->o.layer != SL_TAP_TCP && t->o.layer != SL_TAP_UDP)
		return -EINVAL;
	if (!(t->state = calloc(1, sizeof(struct follow_tap))))
		return -ENOMEM;
	t->ops = &ops;
	return 0;
}
