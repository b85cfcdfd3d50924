/* fmt.c - field values to text without printf on the hot path: MAC
 * addresses, hex and any field value (numbers and IP addresses through
 * lib/util's writers) */
#include <stdio.h>
#include <string.h>

#include "socklab/render.h"

size_t sl_fmt_ether(char *out, const uint8_t *a)
{
	for (int i = 0; i < 6; i++) {
		out[i * 3] = sl_hex_digits[a[i] >> 4];
		out[i * 3 + 1] = sl_hex_digits[a[i] & 15];
		out[i * 3 + 2] = i < 5 ? ':' : '\0';
	}
	return 17;
}

static size_t fmt_hex(char *out, uint64_t u, unsigned digits)
{
	size_t n = 2;

	out[0] = '0';
	out[1] = 'x';
	for (int i = (int)digits - 1; i >= 0; i--)
		out[n++] = sl_hex_digits[u >> (i * 4) & 15];
	out[n] = '\0';
	return n;
}

static size_t fmt_time(char *out, int64_t ns)
{
	/* 0 - x in unsigned: INT64_MIN has no positive int64_t */
	uint64_t a = ns < 0 ? 0 - (uint64_t)ns : (uint64_t)ns;

	return (size_t)snprintf(out, SL_VALUE_MAX, "%s%llu.%09llu",
				ns < 0 ? "-" : "",
				(unsigned long long)(a / 1000000000),
				(unsigned long long)(a % 1000000000));
}

size_t sl_render_value(char *out, const struct sl_fval *v)
{
	const struct sl_field_def *d = &sl_fields[v->field];
	size_t n = 0, max = 64;

	switch (d->type) {
	case SL_FT_PROTO:
		out[0] = '\0';
		return 0;
	case SL_FT_UINT:
		if (d->hex)
			return fmt_hex(out, v->v.u, v->len >= 1 && v->len <= 4 ?
				       v->len * 2u : 4);
		return sl_fmt_uint(out, v->v.u);
	case SL_FT_BOOL:
		out[0] = v->v.u ? '1' : '0';
		out[1] = '\0';
		return 1;
	case SL_FT_IPV4:
		return sl_fmt_ipv4(out, (uint32_t)v->v.u);
	case SL_FT_IPV6:
		return sl_fmt_ipv6(out, v->v.bytes.p);
	case SL_FT_ETHER:
		return sl_fmt_ether(out, v->v.bytes.p);
	case SL_FT_TIME:
		return fmt_time(out, v->v.ns);
	case SL_FT_INT:
		if ((int64_t)v->v.u >= 0)
			return sl_fmt_uint(out, v->v.u);
		out[0] = '-';
		return 1 + sl_fmt_uint(out + 1, 0 - v->v.u);
	case SL_FT_STRING:
		/* as text, escaped (the wire's bytes are anybody's) */
		n = sl_escape(out, SL_VALUE_MAX, (const char *)v->v.bytes.p,
			      v->v.bytes.n);
		return n < SL_VALUE_MAX ? n : SL_VALUE_MAX - 1;
	case SL_FT_BYTES:
		for (uint32_t i = 0; i < v->v.bytes.n && i < max; i++) {
			out[n++] = sl_hex_digits[v->v.bytes.p[i] >> 4];
			out[n++] = sl_hex_digits[v->v.bytes.p[i] & 15];
		}
		if (v->v.bytes.n > max) {
			memcpy(out + n, "…", sizeof("…"));
			return n + sizeof("…") - 1;
		}
		out[n] = '\0';
		return n;
	}
	out[0] = '\0';
	return 0;
}
