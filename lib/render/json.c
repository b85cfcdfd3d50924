/* json.c - one NDJSON object per packet, keyed by display-filter field
 * names in dissection order; a field seen twice (ip.addr) is an array */
#include <errno.h>
#include <string.h>

#include "socklab/render.h"

static int value(struct sl_buf *b, const struct sl_fval *v)
{
	const struct sl_field_def *d = &sl_fields[v->field];
	char t[SL_VALUE_MAX];
	size_t n;

	switch (d->type) {
	case SL_FT_PROTO:
		return sl_buf_puts(b, "true");
	case SL_FT_UINT:
	case SL_FT_BOOL:
		n = sl_fmt_uint(t, v->v.u);
		return sl_buf_append(b, t, n);
	case SL_FT_TIME:
	case SL_FT_INT:
		n = sl_render_value(t, v);
		return sl_buf_append(b, t, n);
	case SL_FT_STRING:
		return sl_buf_json_str(b, (const char *)v->v.bytes.p,
				       v->v.bytes.n);
	case SL_FT_BYTES:
		if (sl_buf_reserve(b, 2 + 2 * (size_t)v->v.bytes.n) < 0)
			return -ENOMEM;
		b->data[b->len++] = '"';
		for (uint32_t i = 0; i < v->v.bytes.n; i++) {
			b->data[b->len++] = sl_hex_digits[v->v.bytes.p[i] >> 4];
			b->data[b->len++] = sl_hex_digits[v->v.bytes.p[i] & 15];
		}
		b->data[b->len++] = '"';
		b->data[b->len] = '\0';
		return 0;
	default:
		n = sl_render_value(t, v);
		return sl_buf_json_str(b, t, n);
	}
}

/* was this field already written (as part of an earlier array)? */
static int seen_before(const struct sl_packet *p, const struct sl_fval *v)
{
	return &p->vals[p->first[v->field]] != v;
}

int sl_render_json(struct sl_buf *b, const struct sl_packet *p)
{
	int first = 1;

	if (sl_buf_putc(b, '{') < 0)
		return -ENOMEM;
	for (uint16_t i = 0; i < p->nvals; i++) {
		const struct sl_fval *v = &p->vals[i], *w;
		int many;

		if (v->field == SL_F_MALFORMED || seen_before(p, v))
			continue;
		many = sl_pkt_next(p, v) != NULL;
		if ((!first && sl_buf_puts(b, ", ") < 0) ||
		    sl_buf_printf(b, "\"%s\": ", sl_fields[v->field].name) < 0 ||
		    (many && sl_buf_putc(b, '[') < 0))
			return -ENOMEM;
		first = 0;
		for (w = v; w; w = many ? sl_pkt_next(p, w) : NULL) {
			if ((w != v && sl_buf_puts(b, ", ") < 0) ||
			    value(b, w) < 0)
				return -ENOMEM;
		}
		if (many && sl_buf_putc(b, ']') < 0)
			return -ENOMEM;
	}
	if (p->malformed) {
		const char *why = p->malformed_why ? p->malformed_why : "";

		if (sl_buf_printf(b, "%s\"_ws.malformed\": ", first ? "" : ", ") < 0 ||
		    sl_buf_json_str(b, why, strlen(why)) < 0 ||
		    sl_buf_printf(b, ", \"_ws.malformed.layer\": \"%s\"",
				  sl_fields[p->malformed_field].name) < 0)
			return -ENOMEM;
	}
	return sl_buf_puts(b, "}\n");
}
