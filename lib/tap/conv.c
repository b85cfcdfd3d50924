/* conv.c - conversations (tshark -z conv): frames and bytes each way,
 * start and duration, for TCP (a conversation per tcp.stream), UDP (per
 * address and port pair), IPv4, IPv6 and Ethernet (per address pair) */
#include <errno.h>
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
	i = tap_index_find(&c->idx, key_hash(tcp, k.stream, &a, &b), conv_eq,
			   &x, &k, &where);
	if (i < 0) {
		if (c->n == c->cap) {
			uint32_t cap = c->cap ? c->cap * 2 : 16;
			struct conv *nv = realloc(c->v, cap * sizeof(*nv));

			if (!nv)
				return -ENOMEM;
			c->v = nv;
			c->cap = cap;
		}
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
		if (tap_index_put(&c->idx, where, c->n, conv_rehash, &x) < 0)
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

/* tshark's order: most frames first, ties as first seen */
static int by_frames(const void *x, const void *y, void *ctx)
{
	const struct conv *v = ctx;
	uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
	uint64_t a = v[i].tx_frames + v[i].rx_frames;
	uint64_t b = v[j].tx_frames + v[j].rx_frames;

	if (a != b)
		return a > b ? -1 : 1;
	return i < j ? -1 : i > j;
}

static const char *title(enum sl_tap_layer l)
{
	static const char *const t[] = { "TCP", "UDP", "IPv4", "IPv6", "Ethernet" };

	return t[l];
}

static int end_text(struct sl_buf *b, const struct tap_addr *a, int port)
{
	if (tap_put_addr(b, a, 0) < 0)
		return -ENOMEM;
	return port ? sl_buf_printf(b, ":%u", a->port) : 0;
}

static int pad(struct sl_buf *b, size_t from, size_t width)
{
	while (b->len - from < width)
		if (sl_buf_putc(b, ' ') < 0)
			return -ENOMEM;
	return 0;
}

static int text_line(struct sl_buf *b, const struct conv *v, int ports)
{
	int w = ports ? 26 : 20;
	size_t at = b->len;
	char tx[32], rx[32], tot[32];
	struct sl_buf s = SL_BUF_INIT;
	int rc = -ENOMEM;

	if (end_text(b, &v->src, ports) < 0 || pad(b, at, (size_t)w) < 0 ||
	    sl_buf_puts(b, " <-> ") < 0)
		goto out;
	at = b->len;
	if (end_text(b, &v->dst, ports) < 0 || pad(b, at, (size_t)w) < 0)
		goto out;
	if (tap_put_size(&s, v->rx_bytes) < 0)
		goto out;
	snprintf(rx, sizeof(rx), "%s", s.data);
	sl_buf_reset(&s);
	if (tap_put_size(&s, v->tx_bytes) < 0)
		goto out;
	snprintf(tx, sizeof(tx), "%s", s.data);
	sl_buf_reset(&s);
	if (tap_put_size(&s, v->tx_bytes + v->rx_bytes) < 0)
		goto out;
	snprintf(tot, sizeof(tot), "%s", s.data);
	double start = (double)(v->start_ns / 1000000000) +
		       (double)(v->start_ns % 1000000000) / 1e9;
	double stop = (double)(v->stop_ns / 1000000000) +
		      (double)(v->stop_ns % 1000000000) / 1e9;
	rc = sl_buf_printf(b, "  %6llu %-9s  %6llu %-9s  %6llu %-9s  %14.9f"
			   "   %12.4f\n",
			   (unsigned long long)v->rx_frames, rx,
			   (unsigned long long)v->tx_frames, tx,
			   (unsigned long long)(v->tx_frames + v->rx_frames),
			   tot, start, stop - start);
out:
	sl_buf_release(&s);
	return rc;
}

static int64_t duration(const struct conv *v)
{
	int64_t d;

	return __builtin_sub_overflow(v->stop_ns, v->start_ns, &d) ? INT64_MAX : d;
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

static const char bar[] =
	"================================================================================\n";

static int conv_report(struct sl_tap *t, struct sl_buf *b)
{
	struct conv_tap *c = t->state;
	int ports = t->o.layer == SL_TAP_TCP || t->o.layer == SL_TAP_UDP;
	const char *in = ports ? "            " : "";
	uint32_t *ord = malloc((c->n + 1) * sizeof(*ord));
	int rc = -ENOMEM;

	if (!ord)
		return -ENOMEM;
	for (uint32_t i = 0; i < c->n; i++)
		ord[i] = i;
	qsort_r(ord, c->n, sizeof(*ord), by_frames, c->v);
	if (!t->o.json &&
	    sl_buf_printf(b, "%s%s Conversations\nFilter:%s\n"
			  "%s                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |\n"
			  "%s                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |\n",
			  bar, title(t->o.layer),
			  t->o.filter ? t->o.filter : "<No Filter>", in, in) < 0)
		goto out;
	for (uint32_t i = 0; i < c->n; i++) {
		const struct conv *v = &c->v[ord[i]];

		if ((t->o.json ? json_line(b, t, v) : text_line(b, v, ports)) < 0)
			goto out;
	}
	rc = t->o.json ? 0 : sl_buf_puts(b, bar);
out:
	free(ord);
	return rc;
}

static void conv_free(struct sl_tap *t)
{
	struct conv_tap *c = t->state;

	free(c->v);
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
