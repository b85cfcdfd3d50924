/* literal.c - the values written in a filter, parsed once into the class
 * of what they are compared with: numbers (with their field's range),
 * addresses with a prefix, bytes in every spelling Wireshark takes, times,
 * text, and the names a field's values have ("Set", "UDP") */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dfilter-int.h"

static const struct {
	const char *words, *hint;
} classes[] = {
	[C_UINT] = { "an unsigned integer", "write it as 80, 0x50 or 0120" },
	[C_INT] = { "a signed integer", "write it as -1, 80 or 0x50" },
	[C_IPV4] = { "an IPv4 address", "write 127.0.0.1 or 127.0.0.0/8" },
	[C_IPV6] = { "an IPv6 address", "write ::1 or fe80::/10" },
	[C_BYTES] = { "a byte string", "write 61:6c:69, :616c69 or \"ali\"" },
	[C_STR] = { "text", "write it in quotes: \"alice\"" },
	[C_TIME] = { "a time in seconds", "write 0.5 or 2" },
};

const char *df_cls_words(int cls)
{
	return classes[cls].words;
}

int df_cls_of(int ftype)
{
	switch (ftype) {
	case SL_FT_UINT: case SL_FT_BOOL: return C_UINT;
	case SL_FT_INT: return C_INT;
	case SL_FT_STRING: return C_STR;
	case SL_FT_TIME: return C_TIME;
	case SL_FT_IPV4: return C_IPV4;
	case SL_FT_IPV6: return C_IPV6;
	default: return C_BYTES;
	}
}

/* A number in C's spellings (80, 0x50, 0120), maybe negative: *neg. */
static int parse_num(const char *s, size_t n, uint64_t *out, int *neg)
{
	char buf[32], *end;

	*neg = n > 1 && s[0] == '-';
	if (*neg) {
		s++;
		n--;
	}
	if (n == 0 || n >= sizeof(buf) || !isdigit((unsigned char)s[0]))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	*out = strtoull(buf, &end, 0);
	return *end || errno ? -1 : 0;
}

/* "[-]S[.fraction]" seconds to nanoseconds. */
static int parse_time(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	int neg = 0, digits = 0;
	int64_t sec = 0, frac = 0, scale = 100000000;

	if (i < n && s[i] == '-')
		neg = 1, i++;
	for (; i < n && isdigit((unsigned char)s[i]); i++, digits++) {
		if (sec > (INT64_MAX / 1000000000 - 9) / 10)
			return -1;
		sec = sec * 10 + (s[i] - '0');
	}
	if (i < n && s[i] == '.')
		for (i++; i < n && isdigit((unsigned char)s[i]); i++) {
			frac += (s[i] - '0') * scale;
			scale /= 10;
			digits++;
		}
	if (i != n || !digits)
		return -1;
	*out = (sec * 1000000000 + frac) * (neg ? -1 : 1);
	return 0;
}

/* "61:6c:69", "61-6c", "0000.0000.0000", "616c", ":616c" (a leading colon
 * says "bytes"), "8" (one digit, one byte) to bytes. */
static int parse_bytes(struct df_ctx *c, const char *s, size_t n,
		       struct df_const *k)
{
	uint8_t *out = df_alloc(c->arena, n / 2 + 2);
	size_t i = 0, nb = 0;

	if (!out)
		return df_oom(c);
	if (n > 1 && s[0] == ':' && s[1] != ':')
		i = 1;
	while (i < n) {
		size_t g = i;

		while (g < n && sl_hexval(s[g]) >= 0)
			g++;
		if (g == i)
			return -1;
		if ((g - i) % 2)	/* an odd count: a leading 0 */
			out[nb++] = (uint8_t)sl_hexval(s[i++]);
		for (; i < g; i += 2)
			out[nb++] = (uint8_t)(sl_hexval(s[i]) * 16 +
					      sl_hexval(s[i + 1]));
		if (i < n) {
			if (s[i] != ':' && s[i] != '-' && s[i] != '.')
				return -1;
			if (++i == n)
				return -1;
		}
	}
	k->p = out;
	k->n = (uint32_t)nb;
	return 0;
}

/* An address with an optional "/bits": -1 not one, -2 bad bits. */
static int parse_addr(struct df_ctx *c, const char *s, size_t n, int v6,
		      struct df_const *k)
{
	char buf[64];
	const char *slash;
	uint64_t bits = v6 ? 128 : 32;
	int neg;
	uint8_t *a;

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if ((slash = strchr(buf, '/'))) {
		if (parse_num(slash + 1, strlen(slash + 1), &bits, &neg) < 0 ||
		    neg || bits > (v6 ? 128u : 32u))
			return -2;
		buf[slash - buf] = '\0';
	}
	k->bits = (uint8_t)bits;
	if (!v6) {
		struct in_addr in;

		if (inet_pton(AF_INET, buf, &in) != 1)
			return -1;
		k->u = ntohl(in.s_addr);
		return 0;
	}
	if (!(a = df_alloc(c->arena, 16)))
		return df_oom(c);
	if (inet_pton(AF_INET6, buf, a) != 1)
		return -1;
	k->p = a;
	k->n = 16;
	return 0;
}

/* "X" is not <class>: WHAT is <class> (how to write one). */
static int bad_value(struct df_ctx *c, const struct df_token *t, int cls,
		     const char *what)
{
	return df_error_at(c, t, "\"%.*s\" is not %s: %s is %s (%s)",
			   t->len, t->text, classes[cls].words, what,
			   classes[cls].words, classes[cls].hint);
}

/* A number of class l->cls within l->bits, as tshark bounds them: an
 * unsigned field takes a negative number (equal to nothing) whose size
 * fits 31 bits. */
static int number(struct df_ctx *c, const struct df_token *t,
		  const struct df_lit *l, struct df_const *k)
{
	int sgn = l->cls == C_INT && !l->uns;
	uint64_t u, max = l->bits && l->bits < 64 ?
			  (1ull << (sgn ? l->bits - 1 : l->bits)) - 1 :
			  sgn ? (uint64_t)INT64_MAX : UINT64_MAX;
	int neg;

	if (parse_num(t->text, t->n, &u, &neg) < 0)
		return bad_value(c, t, l->cls, l->what);
	if (neg && (sgn ? u > max + 1 : u > 0x7fffffffu))
		return df_error_at(c, t, "\"%.*s\" is too small for %s: at "
				   "least -%llu", t->len, t->text, l->what,
				   (unsigned long long)(sgn ? max + 1 :
							0x7fffffffu));
	if (!neg && u > max)
		return df_error_at(c, t, "\"%.*s\" is too big for %s: at most "
				   "%llu", t->len, t->text, l->what,
				   (unsigned long long)max);
	k->u = neg ? 0 - u : u;
	k->never = (uint8_t)(neg && l->cls != C_INT);
	if (k->never)
		k->u = u;		/* tshark: matches no value */
	return 0;
}

static int is_bool_word(const char *s, size_t n, uint64_t *v)
{
	static const struct { const char *w; uint64_t v; } words[] = {
		{ "True", 1 }, { "TRUE", 1 }, { "False", 0 }, { "FALSE", 0 },
	};

	for (size_t i = 0; i < SL_ARRAY_SIZE(words); i++)
		if (strlen(words[i].w) == n && !strncmp(words[i].w, s, n)) {
			*v = words[i].v;
			return 1;
		}
	return 0;
}

/* A word (not quoted) as a value of class cls. */
static int word(struct df_ctx *c, const struct df_token *t,
		const struct df_lit *l, struct df_const *k)
{
	int cls = l->cls, field = l->field;
	const char *what = l->what;
	int64_t ns;
	int rc;

	switch (cls) {
	case C_UINT:
		if (field >= 0 && sl_fields[field].type == SL_FT_BOOL &&
		    is_bool_word(t->text, t->n, &k->u))
			return 0;
		/* fall through */
	case C_INT:
		if (field >= 0 && sl_fields[field].type == SL_FT_BOOL) {
			int neg;

			if (parse_num(t->text, t->n, &k->u, &neg) < 0 || neg)
				return df_error_at(c, t, "\"%.*s\" is not a "
						   "boolean (0 or 1): %s is a "
						   "boolean (write 1, 0, True or "
						   "False%s)", t->len, t->text,
						   what,
						   sl_field_value_hint(field));
			k->u = k->u != 0;
			return 0;
		}
		return number(c, t, l, k);
	case C_TIME:
		if (parse_time(t->text, t->n, &ns) < 0)
			return bad_value(c, t, cls, what);
		k->u = (uint64_t)ns;
		return 0;
	case C_IPV4:
	case C_IPV6:
		rc = parse_addr(c, t->text, t->n, cls == C_IPV6, k);
		if (rc == -2)
			return df_error_at(c, t, "\"%.*s\": the prefix length "
					   "after \"/\" must be 0 to %d", t->len,
					   t->text, cls == C_IPV6 ? 128 : 32);
		if (rc == -1 && isalpha((unsigned char)t->text[0]))
			return df_error_at(c, t, "\"%.*s\": host names are not "
					   "resolved: write the address (%s)",
					   t->len, t->text, cls == C_IPV6 ?
					   "::1, fe80::/10" :
					   "127.0.0.1, 10.0.0.0/8");
		return rc == -1 ? bad_value(c, t, cls, what) : rc;
	case C_STR:		/* an unquoted word is its own text */
		k->p = (const uint8_t *)t->text;
		k->n = (uint32_t)t->n;
		return 0;
	default:
		rc = parse_bytes(c, t->text, t->n, k);
		if (rc == -1)
			return bad_value(c, t, C_BYTES, what);
		if (rc == 0 && field >= 0 &&
		    sl_fields[field].type == SL_FT_ETHER && k->n != 6)
			return df_error_at(c, t, "\"%.*s\" is not a MAC address: "
					   "%s is a MAC address (six bytes: "
					   "00:11:22:33:44:55)", t->len,
					   t->text, what);
		return rc;
	}
}

/* A quoted string for a number field: one of the names of its values. */
static int value_name(struct df_ctx *c, const struct df_token *t, int field,
		      const char *what, struct df_const *k)
{
	int64_t v;

	if (field >= 0 && sl_field_value_of(field, t->text, t->n, &v) == 0) {
		k->u = (uint64_t)v;
		return 0;
	}
	if (field >= 0 && sl_fields[field].type == SL_FT_BOOL)
		return df_error_at(c, t, "\"%.*s\" is not a value of %s: write "
				   "1 or 0%s", (int)t->n, t->text, what,
				   sl_field_value_hint(field));
	if (field < 0 || !sl_field_value_hint(field)[0])
		return df_error_at(c, t, "%s is %s, not a string: %s", what,
				   classes[C_UINT].words, classes[C_UINT].hint);
	return df_error_at(c, t, "\"%.*s\" is not a name of %s's values: "
			   "write the number%s", (int)t->n, t->text, what,
			   sl_field_value_hint(field));
}

int df_literal(struct df_ctx *c, const struct df_token *t,
	       const struct df_lit *l, struct df_const *k)
{
	int cls = l->cls, field = l->field;
	const char *what = l->what;
	uint8_t *b;

	switch (t->type) {
	case T_STRING:
		if (cls == C_UINT || cls == C_INT)
			return value_name(c, t, field, what, k);
		if (cls != C_BYTES && cls != C_STR)
			return df_error_at(c, t, "%s is %s, not text: %s", what,
					   classes[cls].words,
					   classes[cls].hint);
		k->p = (const uint8_t *)t->text;
		k->n = (uint32_t)t->n;
		return 0;
	case T_CHAR:
		if (cls == C_UINT || cls == C_INT) {
			k->u = t->num;
			return 0;
		}
		if (cls != C_BYTES && cls != C_STR)
			return bad_value(c, t, cls, what);
		if (!(b = df_alloc(c->arena, 1)))
			return df_oom(c);
		b[0] = (uint8_t)t->num;
		k->p = b;
		k->n = 1;
		return 0;
	default:
		k->bits = cls == C_IPV6 ? 128 : 32;
		return word(c, t, l, k);
	}
}
