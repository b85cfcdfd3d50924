/* conv.c - conversations (tshark -z conv): frames and bytes each way,
 * start and duration, for TCP (a conversation per tcp.stream), UDP (per
 * address and port pair), IPv4, IPv6 and Ethernet (per address pair) */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap-int.h"

struct conv {
	struct tap_addr src, dst;	/* src: who sent its first frame */
	uint64_t tx_frames, tx_bytes;	/* src to dst: tshark's "->" */
	uint64_t rx_frames, rx_bytes;
	int64_t start_ns, stop_ns;	/* relative to the capture's first */
	uint32_t stream;		/* tcp.stream or udp.stream */
	uint8_t completeness;		/* TCP: tcp.completeness's bits */
};

struct conv_tap {
	struct conv *v;
	uint32_t n, cap;
	struct tap_index idx;
	/* TCP: tcp.stream numbers are dense from 0, so an array maps them
	 * to their entry + 1 with no hashing */
	uint32_t *by_stream;
	uint32_t nby;
	struct tap_udp udp;
};

struct conv_key {
	uint32_t stream;		/* TCP */
	const struct tap_addr *a, *b;	/* the others */
};

static uint64_t key_hash(int tcp, uint32_t stream, const struct tap_addr *a,
			 const struct tap_addr *b)
{
	uint64_t h = 0xcbf29ce484222325ull;

	if (tcp)
		return tap_hash(&stream, sizeof(stream), h);
	if (memcmp(a, b, sizeof(*a)) > 0) {
		const struct tap_addr *t = a;

		a = b;
		b = t;
	}
	return tap_hash(b, sizeof(*b), tap_hash(a, sizeof(*a), h));
}

struct ctx {
	const struct conv_tap *c;
	int tcp;
};

static int conv_eq(const void *cx, uint32_t i, const void *key)
{
	const struct ctx *x = cx;
	const struct conv *v = &x->c->v[i];
	const struct conv_key *k = key;

	if (x->tcp)
		return v->stream == k->stream;
	return (tap_addr_eq(&v->src, k->a) && tap_addr_eq(&v->dst, k->b)) ||
	       (tap_addr_eq(&v->src, k->b) && tap_addr_eq(&v->dst, k->a));
}

static uint64_t conv_rehash(const void *cx, uint32_t i)
{
	const struct ctx *x = cx;
	const struct conv *v = &x->c->v[i];

	return key_hash(x->tcp, v->stream, &v->src, &v->dst);
}

static void conv_fields(const struct sl_tap *t, struct sl_fieldset *s)
{
	tap_ends_fields(t->o.layer, s);
	if (t->o.layer == SL_TAP_TCP) {
		sl_fieldset_add(s, SL_F_TCP_STREAM);
		/* the sequence analysis runs only for --json's completeness */
		if (t->o.json)
			sl_fieldset_add(s, SL_F_TCP_COMPLETENESS);
	}
}

/* tcp.completeness's final value: its last in the stream */
static void tcp_completeness(struct conv *v, const struct sl_packet *p)
{
	const struct sl_fval *c = sl_pkt_get(p, SL_F_TCP_COMPLETENESS);

	if (c)
		v->completeness = (uint8_t)c->v.u;
}

static int conv_one(struct sl_tap *t, const struct sl_packet *p, int n)
{
	struct conv_tap *c = t->state;
	struct tap_addr a, b;
	int tcp = t->o.layer == SL_TAP_TCP;
	struct ctx x = { c, tcp };
	struct conv_key k = { 0, &a, &b };
	int64_t rel, i;
	size_t where;

	/* a file's time stamps can be anything: saturate, never overflow */
	if (__builtin_sub_overflow(p->ts_ns, p->first_ns, &rel))
		rel = p->ts_ns < p->first_ns ? INT64_MIN : INT64_MAX;

	if (!tap_ends(p, t->o.layer, n, &a, &b))
		return 1;
	if (tcp) {
		const struct sl_fval *s = sl_pkt_get(p, SL_F_TCP_STREAM);

		if (!s)
			return 0;
		k.stream = (uint32_t)s->v.u;
	}
	if (tcp) {
		if (k.stream >= c->nby) {
			uint32_t nby = k.stream + 1 > c->nby * 2 ? k.stream + 1
								  : c->nby * 2;
			uint32_t *m = realloc(c->by_stream, nby * sizeof(*m));

			if (!m)
				return -ENOMEM;
			memset(m + c->nby, 0, (nby - c->nby) * sizeof(*m));
			c->by_stream = m;
			c->nby = nby;
		}
		i = (int64_t)c->by_stream[k.stream] - 1;
	} else {
		i = tap_index_find(&c->idx, key_hash(0, 0, &a, &b), conv_eq,
				   &x, &k, &where);
	}
	if (i < 0) {
		if (tap_grow(&c->v, c->n, &c->cap, sizeof(*c->v), 16) < 0)
			return -ENOMEM;
		struct conv *v = &c->v[c->n];

		memset(v, 0, sizeof(*v));
		v->src = a;
		v->dst = b;
		v->start_ns = v->stop_ns = rel;
		v->stream = k.stream;
		if (t->o.layer == SL_TAP_UDP) {
			int64_t s = tap_udp_stream(&c->udp, &a, &b);

			if (s < 0)
				return (int)s;
			v->stream = (uint32_t)s;
		}
		if (tcp)
			c->by_stream[k.stream] = c->n + 1;
		else if (tap_index_put(&c->idx, where, c->n, conv_rehash, &x) < 0)
			return -ENOMEM;
		i = c->n++;
	}
	struct conv *v = &c->v[i];

	/* as tshark: the sender matching the first frame's sender is "->" */
	if (tap_addr_eq(&v->src, &a) && tap_addr_eq(&v->dst, &b)) {
		v->tx_frames++;
		v->tx_bytes += p->len;
	} else {
		v->rx_frames++;
		v->rx_bytes += p->len;
	}
	if (rel < v->start_ns)
		v->start_ns = rel;
	if (rel > v->stop_ns)
		v->stop_ns = rel;
	if (tcp)
		tcp_completeness(v, p);
	return 0;
}

/* every instance of the layer (tunnels), as tshark taps each; TCP is
 * never tunnelled in TCP: its first only */
static int conv_packet(struct sl_tap *t, const struct sl_packet *p)
{
	int rc = 0;

	for (int n = 0; n < p->nlayers && rc == 0; n++) {
		rc = conv_one(t, p, n);
		if (t->o.layer == SL_TAP_TCP)
			break;
	}
	return rc < 0 ? rc : 0;
}

static int end_text(struct sl_buf *b, const struct tap_addr *a, int port)
{
	char n[24];

	if (tap_put_addr(b, a, 0) < 0)
		return -ENOMEM;
	if (!port)
		return 0;
	n[0] = ':';
	return sl_buf_append(b, n, 1 + sl_fmt_uint(n + 1, a->port));
}

/* A line's numbers, put together on the stack and appended once: an
 * append a cell was most of a 100,000-line report's cost. */
struct line {
	char s[256];
	size_t n;
};

static void put(struct line *l, const char *s, size_t n)
{
	if (n > sizeof(l->s) - l->n)
		n = sizeof(l->s) - l->n;
	memcpy(l->s + l->n, s, n);
	l->n += n;
}

static void spaces(struct line *l, size_t n)
{
	if (n > sizeof(l->s) - l->n)
		n = sizeof(l->s) - l->n;
	memset(l->s + l->n, ' ', n);
	l->n += n;
}

/* s (n bytes) in a field of w columns: right-aligned when right, else
 * left (printf's %6s and %-9s) */
static void field(struct line *l, const char *s, size_t n, size_t w, int right)
{
	size_t fill = n < w ? w - n : 0;

	if (right)
		spaces(l, fill);
	put(l, s, n);
	if (!right)
		spaces(l, fill);
}

static int pad(struct sl_buf *b, size_t from, size_t width)
{
	static const char sp[] = "                                ";
	size_t have = b->len - from, fill = have < width ? width - have : 0;

	return sl_buf_append(b, sp, fill < sizeof(sp) - 1 ? fill : sizeof(sp) - 1);
}

static int64_t duration(const struct conv *v)
{
	int64_t d;

	return __builtin_sub_overflow(v->stop_ns, v->start_ns, &d) ? INT64_MAX : d;
}

/* whole "." frac, frac zero-padded to digits places: "12.000340000"
 * (out >= 48); printf's "%llu.%09llu" without its cost on every line */
static size_t fixed_point(char *out, uint64_t whole, uint64_t frac, int digits)
{
	char f[24];
	size_t n = sl_fmt_uint(out, whole), k = sl_fmt_uint(f, frac);

	out[n++] = '.';
	for (size_t z = k; z < (size_t)digits; z++)
		out[n++] = '0';
	memcpy(out + n, f, k);
	return n + k;
}

/* tshark's format_size(n, bytes, SI): "570 bytes", "11 kB" (integer
 * division: the largest prefix that leaves at least 10) */
static size_t size_text(char out[32], uint64_t n)
{
	static const char *const pfx[] = { " kB", " MB", " GB", " TB", " PB" };
	uint64_t v = n;
	int k = -1;
	size_t len;

	while (k < 4 && v / 1000 >= 10) {
		v /= 1000;
		k++;
	}
	len = sl_fmt_uint(out, v);
	memcpy(out + len, k < 0 ? " bytes" : pfx[k], k < 0 ? 7 : 4);
	return len + (k < 0 ? 6 : 3);
}

static void sizes(struct line *l, uint64_t frames, uint64_t bytes)
{
	char n[32];

	put(l, "  ", 2);
	field(l, n, sl_fmt_uint(n, frames), 6, 1);
	put(l, " ", 1);
	field(l, n, size_text(n, bytes), 9, 0);
}

/* the start: tshark prints a double with nine decimals, the same digits
 * as the nanoseconds themselves (integers, cheaper to print) while a
 * double holds them exactly, up to some 100 days */
static void start_text(struct line *l, int64_t ns)
{
	char num[48];
	int n;

	put(l, "  ", 2);
	if (ns >= 0 && ns < 8640000000000000ll) {
		field(l, num, fixed_point(num, (uint64_t)ns / 1000000000,
					  (uint64_t)ns % 1000000000, 9), 14, 1);
		return;
	}
	n = snprintf(num, sizeof(num), "%14.9f", (double)(ns / 1000000000) +
		     (double)(ns % 1000000000) / 1e9);
	put(l, num, n > 0 ? (size_t)n < sizeof(num) ? (size_t)n : sizeof(num) - 1 : 0);
}

/* the duration: tshark's double difference rounded to four decimals;
 * from the integer nanoseconds when that rounding is clear of a tie
 * (where the double's error could tip it) */
static void duration_text(struct line *l, const struct conv *v)
{
	int64_t d = duration(v);
	int64_t r = d % 100000;
	char num[48];
	int n;

	put(l, "   ", 3);
	if (d >= 0 && d < 8640000000000000ll && (r < 49000 || r > 51000)) {
		uint64_t q = (uint64_t)(d / 100000 + (r > 50000));

		field(l, num, fixed_point(num, q / 10000, q % 10000, 4), 12, 1);
	} else {
		double s0 = (double)(v->start_ns / 1000000000) +
			    (double)(v->start_ns % 1000000000) / 1e9;
		double s1 = (double)(v->stop_ns / 1000000000) +
			    (double)(v->stop_ns % 1000000000) / 1e9;

		n = snprintf(num, sizeof(num), "%12.4f", s1 - s0);
		put(l, num, n > 0 ? (size_t)n < sizeof(num) ? (size_t)n : sizeof(num) - 1 : 0);
	}
	put(l, "\n", 1);
}

static int text_line(struct sl_buf *b, const struct conv *v, int ports)
{
	int w = ports ? 26 : 20;
	size_t at = b->len;
	struct line l = { .n = 0 };

	if (end_text(b, &v->src, ports) < 0 || pad(b, at, (size_t)w) < 0 ||
	    sl_buf_puts(b, " <-> ") < 0)
		return -ENOMEM;
	at = b->len;
	if (end_text(b, &v->dst, ports) < 0 || pad(b, at, (size_t)w) < 0)
		return -ENOMEM;
	sizes(&l, v->rx_frames, v->rx_bytes);
	sizes(&l, v->tx_frames, v->tx_bytes);
	sizes(&l, v->tx_frames + v->rx_frames, v->tx_bytes + v->rx_bytes);
	start_text(&l, v->start_ns);
	duration_text(&l, v);
	return sl_buf_append(b, l.s, l.n);
}

/* ns as seconds with nine decimals, the sign in front */
static int put_secs(struct sl_buf *b, const char *key, int64_t ns)
{
	uint64_t u = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;

	return sl_buf_printf(b, ",\"%s\":%s%llu.%09llu", key, ns < 0 ? "-" : "",
			     (unsigned long long)(u / 1000000000),
			     (unsigned long long)(u % 1000000000));
}

static const char *const cbits[] = { "SYN", "SYN-ACK", "ACK", "DATA", "FIN",
				     "RST" };

static int json_line(struct sl_buf *b, const struct sl_tap *t,
		     const struct conv *v)
{
	int ports = t->o.layer == SL_TAP_TCP || t->o.layer == SL_TAP_UDP;
	struct sl_buf a = SL_BUF_INIT;
	int rc = -ENOMEM;

	if (sl_buf_printf(b, "{\"type\":\"%s\"", sl_tap_layer_name(t->o.layer)) < 0)
		goto out;
	if (ports && sl_buf_printf(b, ",\"%s.stream\":%u",
				   sl_tap_layer_name(t->o.layer), v->stream) < 0)
		goto out;
	if (tap_put_addr(&a, &v->src, 0) < 0 ||
	    sl_buf_printf(b, ",\"a\":\"%s\"", a.data) < 0)
		goto out;
	sl_buf_reset(&a);
	if (ports && sl_buf_printf(b, ",\"a_port\":%u", v->src.port) < 0)
		goto out;
	if (tap_put_addr(&a, &v->dst, 0) < 0 ||
	    sl_buf_printf(b, ",\"b\":\"%s\"", a.data) < 0)
		goto out;
	if (ports && sl_buf_printf(b, ",\"b_port\":%u", v->dst.port) < 0)
		goto out;
	if (sl_buf_printf(b, ",\"frames_a_to_b\":%llu,\"bytes_a_to_b\":%llu,"
			  "\"frames_b_to_a\":%llu,\"bytes_b_to_a\":%llu,"
			  "\"frames\":%llu,\"bytes\":%llu",
			  (unsigned long long)v->tx_frames,
			  (unsigned long long)v->tx_bytes,
			  (unsigned long long)v->rx_frames,
			  (unsigned long long)v->rx_bytes,
			  (unsigned long long)(v->tx_frames + v->rx_frames),
			  (unsigned long long)(v->tx_bytes + v->rx_bytes)) < 0 ||
	    put_secs(b, "rel_start", v->start_ns) < 0 ||
	    put_secs(b, "duration", duration(v)) < 0)
		goto out;
	if (t->o.layer == SL_TAP_TCP) {
		unsigned c = v->completeness;

		if (sl_buf_printf(b, ",\"completeness\":%u,\"completeness_flags\":[",
				  c) < 0)
			goto out;
		for (unsigned k = 0, n = 0; k < 6; k++)
			if (c >> k & 1 && sl_buf_printf(b, "%s\"%s\"", n++ ? "," : "",
							cbits[k]) < 0)
				goto out;
		if (sl_buf_putc(b, ']') < 0)
			goto out;
	}
	rc = sl_buf_puts(b, "}\n");
out:
	sl_buf_release(&a);
	return rc;
}

static int conv_row(struct sl_buf *b, const struct sl_tap *t, const void *row)
{
	const struct conv *v = row;

	if (t->o.json)
		return json_line(b, t, v);
	return text_line(b, v, t->o.layer == SL_TAP_TCP ||
				   t->o.layer == SL_TAP_UDP);
}

static int conv_report(struct sl_tap *t, struct sl_buf *b)
{
	struct conv_tap *c = t->state;
	int ports = t->o.layer == SL_TAP_TCP || t->o.layer == SL_TAP_UDP;
	const char *in = ports ? "            " : "";
	int rc;

	if (!t->o.json &&
	    sl_buf_printf(b, "%s%s Conversations\nFilter:%s\n"
			  "%s                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |\n"
			  "%s                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |\n",
			  tap_bar, tap_layer_title(t->o.layer),
			  t->o.filter ? t->o.filter : "<No Filter>", in, in) < 0)
		return -ENOMEM;
	rc = tap_rows(t, b, c->v, c->n, sizeof(*c->v),
		      offsetof(struct conv, tx_frames),
		      offsetof(struct conv, rx_frames), conv_row);
	if (rc == 0 && !t->o.json)
		rc = sl_buf_puts(b, tap_bar);
	return rc;
}

static void conv_free(struct sl_tap *t)
{
	struct conv_tap *c = t->state;

	free(c->v);
	free(c->by_stream);
	tap_index_free(&c->idx);
	tap_udp_free(&c->udp);
	free(c);
}

static const struct tap_ops ops = { conv_fields, conv_packet, conv_report,
				    conv_free };

int tap_conv_init(struct sl_tap *t)
{
	if (!(t->state = calloc(1, sizeof(struct conv_tap))))
		return -ENOMEM;
	t->ops = &ops;
	return 0;
}
