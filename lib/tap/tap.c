/* tap.c - the taps' common ground: creating one by kind, the ends of a
 * packet, the hash index, UDP stream numbers and tshark's formats */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tap-int.h"

static const char *const layer_names[] = { "tcp", "udp", "ip", "ipv6", "eth" };

const char *sl_tap_layer_name(enum sl_tap_layer l)
{
	return (unsigned)l < SL_ARRAY_SIZE(layer_names) ? layer_names[l] : "?";
}

const char *tap_layer_title(enum sl_tap_layer l)
{
	static const char *const t[] = { "TCP", "UDP", "IPv4", "IPv6", "Ethernet" };

	return (unsigned)l < SL_ARRAY_SIZE(t) ? t[l] : "?";
}

int sl_tap_layer_of(const char *w, enum sl_tap_layer *l)
{
	for (size_t i = 0; i < SL_ARRAY_SIZE(layer_names); i++)
		if (strcmp(w, layer_names[i]) == 0) {
			*l = (enum sl_tap_layer)i;
			return 0;
		}
	return -1;
}

int sl_tap_new(struct sl_tap **out, const struct sl_tap_opts *o,
	       struct sl_err *e)
{
	struct sl_tap *t = calloc(1, sizeof(*t));
	int rc = -ENOMEM;

	*out = NULL;
	if (t) {
		t->o = *o;
		switch (o->kind) {
		case SL_TAP_CONV: rc = tap_conv_init(t); break;
		case SL_TAP_ENDPOINTS: rc = tap_endpoints_init(t); break;
		case SL_TAP_FOLLOW: rc = tap_follow_init(t); break;
		case SL_TAP_EXPERT: rc = tap_expert_init(t); break;
		default: rc = -EINVAL; break;
		}
	}
	if (rc < 0) {
		free(t);
		return sl_err_set(e, rc, rc == -ENOMEM ? "out of memory for "
				  "a report: free some memory" : "unknown report "
				  "kind %d: a caller's bug", (int)o->kind);
	}
	*out = t;
	return 0;
}

void sl_tap_fields(const struct sl_tap *t, struct sl_fieldset *s)
{
	t->ops->fields(t, s);
}

int sl_tap_packet(struct sl_tap *t, const struct sl_packet *p)
{
	return t->ops->packet(t, p);
}

int sl_tap_report(struct sl_tap *t, struct sl_buf *out, sl_tap_flush_fn flush,
		  void *arg)
{
	int rc;

	t->flush = flush;
	t->flush_arg = arg;
	rc = t->ops->report(t, out);
	t->flush = NULL;
	return rc;
}

int tap_row_done(struct sl_tap *t, struct sl_buf *out)
{
	return t->flush && out->len >= 65536 ? t->flush(out, t->flush_arg) : 0;
}

const char tap_bar[] =
	"================================================================================\n";

int tap_rows(struct sl_tap *t, struct sl_buf *out, const void *rows,
	     uint32_t n, size_t size, size_t tx, size_t rx, tap_row_fn row)
{
	uint32_t *ord;
	int rc = tap_rank(rows, n, size, tx, rx, &ord);

	for (uint32_t i = 0; i < n && rc == 0; i++) {
		rc = row(out, t, (const unsigned char *)rows + ord[i] * size);
		if (rc == 0)
			rc = tap_row_done(t, out);
	}
	free(ord);
	return rc;
}

void sl_tap_free(struct sl_tap *t)
{
	if (!t)
		return;
	t->ops->free(t);
	free(t);
}

int tap_addr_eq(const struct tap_addr *x, const struct tap_addr *y)
{
	return memcmp(x, y, sizeof(*x)) == 0;
}

int tap_layer(const struct sl_packet *p, int proto)
{
	for (int i = 0; i < p->nlayers; i++)
		if (p->layers[i].proto == proto)
			return i;
	return -1;
}

/* the address (host order) in network order, as the wire has it */
static void put_v4(uint8_t *out, uint32_t a)
{
	out[0] = (uint8_t)(a >> 24);
	out[1] = (uint8_t)(a >> 16);
	out[2] = (uint8_t)(a >> 8);
	out[3] = (uint8_t)a;
}

static void put_net(const struct sl_packet *p, int i, struct tap_addr *src,
		    struct tap_addr *dst)
{
	const struct sl_fval *s, *d;

	if (p->layers[i].proto == SL_F_IP) {
		s = sl_pkt_get_in(p, i, SL_F_IP_SRC);
		d = sl_pkt_get_in(p, i, SL_F_IP_DST);
		src->fam = dst->fam = TAP_AF_IP4;
		put_v4(src->a, s ? (uint32_t)s->v.u : 0);
		put_v4(dst->a, d ? (uint32_t)d->v.u : 0);
		return;
	}
	s = sl_pkt_get_in(p, i, SL_F_IPV6_SRC);
	d = sl_pkt_get_in(p, i, SL_F_IPV6_DST);
	src->fam = dst->fam = TAP_AF_IP6;
	if (s && s->v.bytes.n >= 16)
		memcpy(src->a, s->v.bytes.p, 16);
	if (d && d->v.bytes.n >= 16)
		memcpy(dst->a, d->v.bytes.p, 16);
}

/* the n-th layer of proto before any ICMP error's quote, or -1 */
static int nth_layer(const struct sl_packet *p, int proto, int n)
{
	for (int i = 0; i < p->nlayers; i++) {
		int pr = p->layers[i].proto;

		if (pr == SL_F_ICMP || pr == SL_F_ICMPV6)
			return -1;
		if (pr == proto && n-- == 0)
			return i;
	}
	return -1;
}

int tap_ends(const struct sl_packet *p, enum sl_tap_layer l, int n,
	     struct tap_addr *src, struct tap_addr *dst)
{
	int i, k;

	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	if (l == SL_TAP_ETH) {
		const struct sl_fval *s, *d;

		if ((i = nth_layer(p, SL_F_ETH, n)) < 0 ||
		    !(s = sl_pkt_get_in(p, i, SL_F_ETH_SRC)) ||
		    !(d = sl_pkt_get_in(p, i, SL_F_ETH_DST)) ||
		    s->v.bytes.n < 6 || d->v.bytes.n < 6)
			return 0;
		src->fam = dst->fam = TAP_AF_ETH;
		memcpy(src->a, s->v.bytes.p, 6);
		memcpy(dst->a, d->v.bytes.p, 6);
		return 1;
	}
	if (l == SL_TAP_IP || l == SL_TAP_IPV6) {
		if ((i = nth_layer(p, l == SL_TAP_IP ? SL_F_IP : SL_F_IPV6, n)) < 0)
			return 0;
		/* tshark's IPv6 tap skips a fragment it did not reassemble;
		 * a header that broke is tapped not either */
		if ((l == SL_TAP_IPV6 && p->ip_fragment) ||
		    (i == p->nlayers - 1 && p->malformed &&
		     p->malformed_field == p->layers[i].proto))
			return 0;
		put_net(p, i, src, dst);
		return 1;
	}
	if ((i = nth_layer(p, l == SL_TAP_TCP ? SL_F_TCP : SL_F_UDP, n)) < 0)
		return 0;
	/* a header cut short (snaplen) or broken: tshark's dissector
	 * stopped before it tapped the packet */
	if (i == p->nlayers - 1 &&
	    (p->truncated || (p->malformed && p->malformed_field ==
			      p->layers[i].proto)))
		return 0;
	for (k = i - 1; k >= 0; k--)
		if (p->layers[k].proto == SL_F_IP ||
		    p->layers[k].proto == SL_F_IPV6)
			break;
	if (k < 0)
		return 0;
	put_net(p, k, src, dst);
	const struct sl_fval *sp = sl_pkt_get_in(p, i, l == SL_TAP_TCP ?
						 SL_F_TCP_SRCPORT : SL_F_UDP_SRCPORT);
	const struct sl_fval *dp = sl_pkt_get_in(p, i, l == SL_TAP_TCP ?
						 SL_F_TCP_DSTPORT : SL_F_UDP_DSTPORT);
	if (!sp || !dp)
		return 0;
	src->port = (uint16_t)sp->v.u;
	dst->port = (uint16_t)dp->v.u;
	return 1;
}

void tap_ends_fields(enum sl_tap_layer l, struct sl_fieldset *s)
{
	switch (l) {
	case SL_TAP_ETH:
		sl_fieldset_add(s, SL_F_ETH_SRC);
		sl_fieldset_add(s, SL_F_ETH_DST);
		return;
	case SL_TAP_TCP:
		sl_fieldset_add(s, SL_F_TCP_SRCPORT);
		sl_fieldset_add(s, SL_F_TCP_DSTPORT);
		break;
	case SL_TAP_UDP:
		sl_fieldset_add(s, SL_F_UDP_SRCPORT);
		sl_fieldset_add(s, SL_F_UDP_DSTPORT);
		break;
	default:
		break;
	}
	sl_fieldset_add(s, SL_F_IP_SRC);
	sl_fieldset_add(s, SL_F_IP_DST);
	sl_fieldset_add(s, SL_F_IPV6_SRC);
	sl_fieldset_add(s, SL_F_IPV6_DST);
}

/* The names tshark's address files give that a lab's capture shows:
 * broadcast, the multicast prefixes, the virtual machines' vendors.  The
 * whole vendor list (52,000 lines) is not carried: other vendors' prefixes
 * stay in hex where tshark writes a name. */
static const struct { uint8_t p[3]; const char *name; } vendors[] = {
	{ { 0x00, 0x00, 0x00 }, "00:00:00" },
	{ { 0x00, 0x0c, 0x29 }, "VMware" },
	{ { 0x00, 0x11, 0x22 }, "CIMSYS" },
	{ { 0x00, 0x15, 0x5d }, "Microsof" },
	{ { 0x00, 0x16, 0x3e }, "Xensourc" },
	{ { 0x00, 0x50, 0x56 }, "VMware" },
	{ { 0x08, 0x00, 0x27 }, "PcsCompu" },
	{ { 0x52, 0x54, 0x00 }, "RealtekU" },
	{ { 0xb8, 0x27, 0xeb }, "Raspberr" },
	{ { 0xdc, 0xa6, 0x32 }, "Raspberr" },
};

/* a masked prefix's name, then what follows it without its leading
 * zero bytes ("IPv6mcast_16", "IPv6mcast_ff:00:00:01") */
static int masked(struct sl_buf *b, const char *name, const uint8_t *m, int k)
{
	if (sl_buf_printf(b, "%s_", name) < 0)
		return -ENOMEM;
	while (k < 5 && m[k] == 0)
		k++;
	for (int i = k; i < 6; i++)
		if (sl_buf_printf(b, "%s%02x", i > k ? ":" : "", m[i]) < 0)
			return -ENOMEM;
	return 1;
}

static int eth_name(struct sl_buf *b, const uint8_t *m)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t stp[6] = { 0x01, 0x80, 0xc2, 0, 0, 0 };

	if (memcmp(m, bcast, 6) == 0)
		return sl_buf_puts(b, "Broadcast") == 0 ? 1 : -ENOMEM;
	if (memcmp(m, stp, 6) == 0)
		return sl_buf_puts(b, "Spanning-tree-(for-bridges)_00") == 0 ?
		       1 : -ENOMEM;
	if (m[0] == 0x33 && m[1] == 0x33)
		return masked(b, "IPv6mcast", m, 2);
	if (m[0] == 0x01 && m[1] == 0x00 && m[2] == 0x5e && !(m[3] & 0x80))
		return masked(b, "IPv4mcast", m, 3);
	for (size_t i = 0; i < SL_ARRAY_SIZE(vendors); i++)
		if (memcmp(m, vendors[i].p, 3) == 0)
			return sl_buf_printf(b, "%s_%02x:%02x:%02x",
					     vendors[i].name, m[3], m[4],
					     m[5]) == 0 ? 1 : -ENOMEM;
	return 0;
}

int tap_put_addr(struct sl_buf *b, const struct tap_addr *a, int brackets)
{
	char s[64];
	int rc;

	switch (a->fam) {
	case TAP_AF_IP4:
		sl_fmt_ipv4(s, (uint32_t)a->a[0] << 24 | (uint32_t)a->a[1] << 16 |
			    (uint32_t)a->a[2] << 8 | a->a[3]);
		return sl_buf_puts(b, s);
	case TAP_AF_IP6:
		sl_fmt_ipv6(s, a->a);
		return sl_buf_printf(b, brackets ? "[%s]" : "%s", s);
	case TAP_AF_ETH:
		if ((rc = eth_name(b, a->a)) != 0)
			return rc < 0 ? rc : 0;
		return sl_buf_printf(b, "%02x:%02x:%02x:%02x:%02x:%02x",
				     a->a[0], a->a[1], a->a[2], a->a[3],
				     a->a[4], a->a[5]);
	default:
		return 0;	/* no address: tshark's empty Node line */
	}
}

int tap_put_base64(struct sl_buf *b, const uint8_t *p, size_t n)
{
	static const char t[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = t[v >> 18 & 63];
		q[1] = t[v >> 12 & 63];
		q[2] = i + 1 < n ? t[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? t[v & 63] : '=';
		if (sl_buf_append(b, q, 4) < 0)
			return -ENOMEM;
	}
	return 0;
}

uint64_t tap_hash(const void *p, size_t n, uint64_t h)
{
	const uint8_t *s = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return h;
}

int64_t tap_index_find(const struct tap_index *x, uint64_t hash,
		       tap_eq_fn eq, const void *ctx, const void *key,
		       size_t *where)
{
	if (!x->cap) {
		*where = 0;
		return -1;
	}
	for (size_t i = hash & (x->cap - 1);; i = (i + 1) & (x->cap - 1)) {
		uint32_t s = x->slot[i];

		if (!s) {
			*where = i;
			return -1;
		}
		if (eq(ctx, s - 1, key))
			return s - 1;
	}
}

int tap_index_put(struct tap_index *x, size_t where, uint32_t entry,
		  uint64_t (*rehash)(const void *ctx, uint32_t entry),
		  const void *ctx)
{
	/* at most half full, so a probe ends soon and always ends */
	if (x->cap && (x->n + 1) * 2 <= x->cap) {
		x->slot[where] = entry + 1;
		x->n++;
		return 0;
	}
	size_t cap = x->cap ? x->cap * 2 : 64;
	uint32_t *s = calloc(cap, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < x->cap; i++) {
		uint32_t e = x->slot[i];

		if (!e)
			continue;
		size_t k = rehash(ctx, e - 1) & (cap - 1);

		while (s[k])
			k = (k + 1) & (cap - 1);
		s[k] = e;
	}
	size_t k = rehash(ctx, entry) & (cap - 1);

	while (s[k])
		k = (k + 1) & (cap - 1);
	s[k] = entry + 1;
	free(x->slot);
	x->slot = s;
	x->cap = cap;
	x->n++;
	return 0;
}

/* v is the address of the caller's pointer, of whatever type: read and
 * written through memcpy, which may alias it */
int tap_grow(void *v, uint32_t n, uint32_t *cap, size_t elem, uint32_t first)
{
	uint32_t c = *cap ? *cap * 2 : first;
	void *old, *nv;

	if (n < *cap)
		return 0;
	memcpy(&old, v, sizeof(old));
	if (c <= *cap || !(nv = realloc(old, (size_t)c * elem)))
		return -ENOMEM;
	memcpy(v, &nv, sizeof(nv));
	*cap = c;
	return 0;
}

static int by_frames(const void *x, const void *y, void *ctx)
{
	const uint64_t *f = ctx;
	uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;

	if (f[i] != f[j])
		return f[i] > f[j] ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* A counting sort where the counts are few (most conversations have
 * alike frame counts: qsort's merge took a fifth of a 100,000-line
 * report); qsort where they spread wide. */
static void rank_frames(uint32_t *o, const uint64_t *frames, uint32_t n)
{
	uint64_t max = 0;
	uint32_t *start;

	for (uint32_t i = 0; i < n; i++)
		if (frames[i] > max)
			max = frames[i];
	if (max > 4ull * n + 65536 ||
	    !(start = calloc((size_t)max + 2, sizeof(*start)))) {
		for (uint32_t i = 0; i < n; i++)
			o[i] = i;
		qsort_r(o, n, sizeof(*o), by_frames, (void *)frames);
		return;
	}
	/* start[k]: where the rows of max - k frames begin */
	for (uint32_t i = 0; i < n; i++)
		start[max - frames[i] + 1]++;
	for (uint64_t k = 1; k <= max + 1; k++)
		start[k] += start[k - 1];
	for (uint32_t i = 0; i < n; i++)
		o[start[max - frames[i]]++] = i;
	free(start);
}

int tap_rank(const void *rows, uint32_t n, size_t size, size_t tx, size_t rx,
	     uint32_t **ord)
{
	uint64_t *frames = malloc(((size_t)n + 1) * sizeof(*frames));
	uint32_t *o = malloc(((size_t)n + 1) * sizeof(*o));

	*ord = NULL;
	if (!frames || !o) {
		free(frames);
		free(o);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < n; i++) {
		const unsigned char *r = (const unsigned char *)rows + i * size;
		uint64_t a, b;

		memcpy(&a, r + tx, sizeof(a));
		memcpy(&b, r + rx, sizeof(b));
		frames[i] = a + b;
	}
	rank_frames(o, frames, n);
	free(frames);
	*ord = o;
	return 0;
}

void tap_index_free(struct tap_index *x)
{
	free(x->slot);
	memset(x, 0, sizeof(*x));
}

/* either way round: the pair hashed in a fixed order */
static uint64_t pair_hash(const struct tap_addr *a, const struct tap_addr *b)
{
	if (memcmp(a, b, sizeof(*a)) > 0) {
		const struct tap_addr *t = a;

		a = b;
		b = t;
	}
	return tap_hash(b, sizeof(*b), tap_hash(a, sizeof(*a),
						0xcbf29ce484222325ull));
}

static int udp_eq(const void *ctx, uint32_t i, const void *key)
{
	const struct tap_udp *u = ctx;
	const struct tap_addr *k = key;

	return (tap_addr_eq(&u->ends[i][0], &k[0]) &&
		tap_addr_eq(&u->ends[i][1], &k[1])) ||
	       (tap_addr_eq(&u->ends[i][0], &k[1]) &&
		tap_addr_eq(&u->ends[i][1], &k[0]));
}

static uint64_t udp_rehash(const void *ctx, uint32_t i)
{
	const struct tap_udp *u = ctx;

	return pair_hash(&u->ends[i][0], &u->ends[i][1]);
}

int64_t tap_udp_stream(struct tap_udp *u, const struct tap_addr *a,
		       const struct tap_addr *b)
{
	struct tap_addr k[2] = { *a, *b };
	size_t where;
	int64_t i = tap_index_find(&u->idx, pair_hash(a, b), udp_eq, u, k,
				   &where);

	if (i >= 0)
		return i;
	if (tap_grow(&u->ends, u->n, &u->cap, sizeof(*u->ends), 16) < 0)
		return -ENOMEM;
	u->ends[u->n][0] = *a;
	u->ends[u->n][1] = *b;
	if (tap_index_put(&u->idx, where, u->n, udp_rehash, u) < 0)
		return -ENOMEM;
	return u->n++;
}

void tap_udp_free(struct tap_udp *u)
{
	free(u->ends);
	tap_index_free(&u->idx);
	memset(u, 0, sizeof(*u));
}
