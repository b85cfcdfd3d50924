/* endpoints.c - endpoints (tshark -z endpoints): each address (and port,
 * for TCP and UDP) with the frames and bytes it sent and received */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tap-int.h"

struct endpoint {
	struct tap_addr a;
	uint64_t tx_frames, tx_bytes, rx_frames, rx_bytes;
};

struct ep_tap {
	struct endpoint *v;
	uint32_t n, cap;
	struct tap_index idx;
};

static uint64_t ep_hash(const struct tap_addr *a)
{
	return tap_hash(a, sizeof(*a), 0xcbf29ce484222325ull);
}

static int ep_eq(const void *ctx, uint32_t i, const void *key)
{
	return tap_addr_eq(&((const struct ep_tap *)ctx)->v[i].a, key);
}

static uint64_t ep_rehash(const void *ctx, uint32_t i)
{
	return ep_hash(&((const struct ep_tap *)ctx)->v[i].a);
}

static void ep_fields(const struct sl_tap *t, struct sl_fieldset *s)
{
	tap_ends_fields(t->o.layer, s);
}

static struct endpoint *get(struct ep_tap *e, const struct tap_addr *a)
{
	size_t where;
	int64_t i = tap_index_find(&e->idx, ep_hash(a), ep_eq, e, a, &where);

	if (i >= 0)
		return &e->v[i];
	if (tap_grow(&e->v, e->n, &e->cap, sizeof(*e->v), 16) < 0)
		return NULL;
	memset(&e->v[e->n], 0, sizeof(e->v[0]));
	e->v[e->n].a = *a;
	if (tap_index_put(&e->idx, where, e->n, ep_rehash, e) < 0)
		return NULL;
	return &e->v[e->n++];
}

static int ep_one(struct ep_tap *e, const struct sl_tap *t,
		  const struct sl_packet *p, int n)
{
	struct tap_addr a, b;
	struct endpoint *v;

	if (!tap_ends(p, t->o.layer, n, &a, &b))
		return 1;
	/* the sender first, as tshark adds them (its order of ties) */
	if (!(v = get(e, &a)))
		return -ENOMEM;
	v->tx_frames++;
	v->tx_bytes += p->len;
	if (!(v = get(e, &b)))
		return -ENOMEM;
	v->rx_frames++;
	v->rx_bytes += p->len;
	return 0;
}

/* each instance of the layer (tunnels), as tshark taps each */
static int ep_packet(struct sl_tap *t, const struct sl_packet *p)
{
	int rc = 0;

	for (int n = 0; n < p->nlayers && rc == 0; n++)
		rc = ep_one(t->state, t, p, n);
	return rc < 0 ? rc : 0;
}


static int line(struct sl_buf *b, const struct sl_tap *t, const void *row)
{
	const struct endpoint *v = row;
	int ports = t->o.layer == SL_TAP_TCP || t->o.layer == SL_TAP_UDP;
	struct sl_buf a = SL_BUF_INIT;
	unsigned long long tf = v->tx_frames + v->rx_frames;
	unsigned long long tb = v->tx_bytes + v->rx_bytes;
	int rc = -ENOMEM;

	if (tap_put_addr(&a, &v->a, 0) < 0)
		goto out;
	if (t->o.json) {
		if (sl_buf_printf(b, "{\"type\":\"%s\",\"address\":\"%s\"",
				  sl_tap_layer_name(t->o.layer), a.data) < 0 ||
		    (ports && sl_buf_printf(b, ",\"port\":%u", v->a.port) < 0))
			goto out;
		rc = sl_buf_printf(b, ",\"frames\":%llu,\"bytes\":%llu,"
				   "\"tx_frames\":%llu,\"tx_bytes\":%llu,"
				   "\"rx_frames\":%llu,\"rx_bytes\":%llu}\n",
				   tf, tb, (unsigned long long)v->tx_frames,
				   (unsigned long long)v->tx_bytes,
				   (unsigned long long)v->rx_frames,
				   (unsigned long long)v->rx_bytes);
		goto out;
	}
	if (sl_buf_printf(b, "%-20s      ", a.data) < 0 ||
	    (ports && sl_buf_printf(b, "%5u     ", v->a.port) < 0))
		goto out;
	rc = sl_buf_printf(b, "%6llu     %9llu     %6llu       %9llu      %6llu"
			   "       %9llu   \n", tf, tb, (unsigned long long)v->tx_frames,
			   (unsigned long long)v->tx_bytes,
			   (unsigned long long)v->rx_frames,
			   (unsigned long long)v->rx_bytes);
out:
	sl_buf_release(&a);
	return rc;
}

static int ep_report(struct sl_tap *t, struct sl_buf *b)
{
	struct ep_tap *e = t->state;
	int ports = t->o.layer == SL_TAP_TCP || t->o.layer == SL_TAP_UDP;
	int rc;

	if (!t->o.json &&
	    sl_buf_printf(b, "%s%s Endpoints\nFilter:%s\n                       |%s  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n",
			  tap_bar, tap_layer_title(t->o.layer),
			  t->o.filter ? t->o.filter : "<No Filter>",
			  ports ? "  Port  ||" : "") < 0)
		return -ENOMEM;
	rc = tap_rows(t, b, e->v, e->n, sizeof(*e->v),
		      offsetof(struct endpoint, tx_frames),
		      offsetof(struct endpoint, rx_frames), line);
	if (rc == 0 && !t->o.json)
		rc = sl_buf_puts(b, tap_bar);
	return rc;
}

static void ep_free(struct sl_tap *t)
{
	struct ep_tap *e = t->state;

	free(e->v);
	tap_index_free(&e->idx);
	free(e);
}

static const struct tap_ops ops = { ep_fields, ep_packet, ep_report, ep_free };

int tap_endpoints_init(struct sl_tap *t)
{
	if (!(t->state = calloc(1, sizeof(struct ep_tap))))
		return -ENOMEM;
	t->ops = &ops;
	return 0;
}
