/* sem.c - the syntax tree checked against the field registry: field ids
 * resolved, every constant parsed once into the field's type */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dfilter-int.h"

/* Each field type in words, and how to write one of its values. */
static const struct {
	const char *words, *hint;
} types[] = {
	[SL_FT_PROTO] = { "a protocol",
			  "compare its bytes: tcp contains \"alice\"" },
	[SL_FT_UINT] = { "an unsigned integer", "write it as 80, 0x50 or 0120" },
	[SL_FT_BOOL] = { "a boolean (0 or 1)", "write 1, 0, True or False" },
	[SL_FT_IPV4] = { "an IPv4 address", "write 127.0.0.1 or 127.0.0.0/8" },
	[SL_FT_IPV6] = { "an IPv6 address", "write ::1 or fe80::/10" },
	[SL_FT_ETHER] = { "a MAC address", "write 00:11:22:33:44:55" },
	[SL_FT_BYTES] = { "a byte string", "write 61:6c:69 or \"ali\"" },
	[SL_FT_TIME] = { "a time in seconds", "write 0.5 or 2" },
};

/* What a comparison's left side reads, for messages and constants. */
struct side {
	const char *name;	/* the field's name or "len(...)" */
	int ftype;		/* enum sl_ftype of what is compared */
	const struct df_token *tok;
};

static int oom(struct df_ctx *c)
{
	return sl_err_set(c->e, -ENOMEM, "out of memory");
}

static int parse_uint(const char *s, size_t n, uint64_t *out)
{
	char buf[32], *end;

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

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (char)tolower((unsigned char)ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* "61:6c:69", "61-6c", "0000.0000.0000", "616c" to bytes. */
static int parse_bytes(struct df_ctx *c, const char *s, size_t n,
		       struct df_const *k)
{
	uint8_t *out = df_alloc(c->arena, n / 2 + 1);
	size_t i = 0, nb = 0;

	if (!out)
		return oom(c);
	while (i < n) {
		size_t g = i;

		while (g < n && hexval(s[g]) >= 0)
			g++;
		if (g == i)
			return -1;
		if (g - i == 1) {
			out[nb++] = (uint8_t)hexval(s[i]);
		} else if ((g - i) % 2) {
			return -1;
		} else {
			for (; i < g; i += 2)
				out[nb++] = (uint8_t)(hexval(s[i]) * 16 +
						      hexval(s[i + 1]));
		}
		i = g;
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

/* An address with an optional "/bits". */
static int parse_addr(struct df_ctx *c, const char *s, size_t n, int v6,
		      struct df_const *k)
{
	char buf[64];
	const char *slash;
	uint64_t bits = v6 ? 128 : 32;
	uint8_t *a;

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if ((slash = strchr(buf, '/'))) {
		if (parse_uint(slash + 1, strlen(slash + 1), &bits) < 0 ||
		    bits > (v6 ? 128u : 32u))
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
		return oom(c);
	if (inet_pton(AF_INET6, buf, a) != 1)
		return -1;
	k->p = a;
	k->n = 16;
	return 0;
}

/* "X" is not <what>: FIELD is <type> (how to write one). */
static int bad_value(struct df_ctx *c, const struct side *sd,
		     const struct df_token *t, const char *what)
{
	return df_error(c, t->col, t->len, "\"%.*s\" is not %s: %s is %s (%s)",
			t->len, t->text, what ? what : types[sd->ftype].words,
			sd->name, types[sd->ftype].words,
			types[sd->ftype].hint);
}

static int word_const(struct df_ctx *c, const struct side *sd,
		      const struct df_token *t, struct df_const *k)
{
	const char *s = t->text;
	size_t n = t->n;
	int64_t ns;
	int rc;

	switch (sd->ftype) {
	case SL_FT_BOOL:
		if ((n == 4 && (!strncmp(s, "True", 4) ||
				!strncmp(s, "TRUE", 4)))) {
			k->u = 1;
			return 0;
		}
		if (n == 5 && (!strncmp(s, "False", 5) ||
			       !strncmp(s, "FALSE", 5))) {
			k->u = 0;
			return 0;
		}
		if (parse_uint(s, n, &k->u) < 0)
			return bad_value(c, sd, t, NULL);
		k->u = k->u != 0;
		return 0;
	case SL_FT_UINT:
		if (parse_uint(s, n, &k->u) < 0)
			return bad_value(c, sd, t, NULL);
		return 0;
	case SL_FT_TIME:
		if (parse_time(s, n, &ns) < 0)
			return bad_value(c, sd, t, NULL);
		k->u = (uint64_t)ns;
		return 0;
	case SL_FT_IPV4:
	case SL_FT_IPV6:
		rc = parse_addr(c, s, n, sd->ftype == SL_FT_IPV6, k);
		if (rc == -2)
			return df_error(c, t->col, t->len,
					"\"%.*s\": the prefix length after \"/\" must be 0 to %d",
					t->len, t->text,
					sd->ftype == SL_FT_IPV6 ? 128 : 32);
		if (rc == -1)
			return bad_value(c, sd, t, NULL);
		return rc;
	default:	/* bytes, MAC addresses, protocols, slices */
		rc = parse_bytes(c, s, n, k);
		if (rc == -1)
			return bad_value(c, sd, t, "a byte string");
		if (rc == 0 && sd->ftype == SL_FT_ETHER && k->n != 6)
			return bad_value(c, sd, t, NULL);
		return rc;
	}
}

/* The field named by token t, or an error ("did you mean"). */
static int field_of(struct df_ctx *c, const struct df_token *t,
		    const struct df_token *op)
{
	char name[128];
	const char *hint;
	int id;

	if (t->n >= sizeof(name))
		return df_error(c, t->col, t->len, "unknown field (name too long)");
	memcpy(name, t->text, t->n);
	name[t->n] = '\0';
	if ((id = sl_field_lookup(name)) >= 0)
		return id;
	if (!op && (isdigit((unsigned char)name[0]) || strchr(name, ':')))
		return df_error(c, t->col, t->len,
				"%s is neither a field nor a protocol name", name);
	if (isdigit((unsigned char)name[0]) || strchr(name, ':'))
		return df_error(c, t->col, t->len,
				"the left side of \"%.*s\" must be a field, not the value %s",
				op->len, op->text, name);
	hint = sl_field_suggest(name);
	if (hint)
		return df_error(c, t->col, t->len,
				"unknown field \"%s\" — did you mean \"%s\"?",
				name, hint);
	return df_error(c, t->col, t->len,
			"unknown field \"%s\": 'man socklab' lists the fields",
			name);
}

static int is_bytes_type(int ft)
{
	return ft == SL_FT_BYTES || ft == SL_FT_ETHER || ft == SL_FT_IPV6 ||
	       ft == SL_FT_PROTO;
}

static int cls_of(int ft)
{
	switch (ft) {
	case SL_FT_UINT: case SL_FT_BOOL: return C_UINT;
	case SL_FT_TIME: return C_INT;
	case SL_FT_IPV4: return C_IPV4;
	case SL_FT_IPV6: return C_IPV6;
	default: return C_BYTES;
	}
}

/* "[i:j]" "[i-j]" "[i]" "[:j]" "[i:]", i may be negative. */
static int parse_slice(struct df_ctx *c, const struct df_token *t,
		       struct df_get *g)
{
	char buf[48], *p, *end;
	long a = 0, b;

	if (t->n >= sizeof(buf) || t->n == 0)
		goto bad;
	memcpy(buf, t->text, t->n);
	buf[t->n] = '\0';
	p = buf;
	if (*p != ':') {
		a = strtol(p, &end, 10);
		if (end == p)
			goto bad;
		p = end;
	}
	g->start = (int32_t)a;
	g->end = INT32_MAX;
	if (!*p) {				/* [i]: one byte */
		g->end = a == -1 ? INT32_MAX : (int32_t)(a + 1);
		if (a < -1)
			g->end = (int32_t)(a + 1);
	} else if (*p == ':' || (*p == '-' && p != buf)) {
		char sep = *p++;

		if (!*p && sep == ':')
			goto ok;
		b = strtol(p, &end, 10);
		if (end == p || *end || b < 0 || (sep == '-' && b < a))
			goto bad;
		g->end = (int32_t)(sep == ':' ? a + b : b + 1);
		if (sep == ':' && a < 0 && a + b > 0)
			goto bad;
		if (sep == ':' && a < 0 && a + b == 0)
			g->end = INT32_MAX;
	} else {
		goto bad;
	}
ok:
	if (labs(a) > 65535)
		goto bad;
	g->sliced = 1;
	return 0;
bad:
	return df_error(c, t->col, t->len,
			"bad slice: write [i:len], [i-j], [i], [:len] or [i:]");
}

/* The left side of a comparison: field, field[slice] or len()/count(). */
static int check_lhs(struct df_ctx *c, const struct df_ast *a,
		     struct df_get *g, struct side *sd)
{
	const struct df_operand *o = &a->a;
	int id;

	if (o->kind == O_FUNC) {
		int is_len = o->tok->n == 3 && !strncmp(o->tok->text, "len", 3);

		if (!is_len && !(o->tok->n == 5 &&
				 !strncmp(o->tok->text, "count", 5)))
			return df_error(c, o->tok->col, o->tok->len,
					"unknown function \"%.*s\": len() and count() are supported",
					o->tok->len, o->tok->text);
		if ((id = field_of(c, o->arg, a->op)) < 0)
			return id;
		g->field = (uint16_t)id;
		g->how = is_len ? H_LEN : H_COUNT;
		sd->name = is_len ? "len()" : "count()";
		sd->ftype = SL_FT_UINT;
		sd->tok = o->tok;
		return o->slice ? df_error(c, o->slice->col, o->slice->len,
					   "a number cannot be sliced") : 0;
	}
	if ((id = field_of(c, o->tok, a->op)) < 0)
		return id;
	g->field = (uint16_t)id;
	sd->name = sl_fields[id].name;
	sd->ftype = sl_fields[id].type;
	sd->tok = o->tok;
	g->how = sd->ftype == SL_FT_PROTO ? H_BYTES : H_VALUE;
	if (o->slice) {
		if (!is_bytes_type(sd->ftype))
			return df_error(c, o->tok->col, o->tok->len,
					"\"%s\" is %s and cannot be sliced into bytes",
					sd->name, types[sd->ftype].words);
		g->how = H_BYTES;
		sd->ftype = SL_FT_BYTES;
		return parse_slice(c, o->slice, g);
	}
	if (sd->ftype == SL_FT_PROTO)
		sd->ftype = SL_FT_BYTES;
	return 0;
}

/* One value of the right side (or of a set) into k. */
static int check_const(struct df_ctx *c, const struct side *sd,
		       const struct df_operand *o, struct df_const *k)
{
	const struct df_token *t = o->tok;

	switch (o->kind) {
	case O_STRING:
		if (sd->ftype != SL_FT_BYTES)
			return df_error(c, t->col, t->len,
					"%s is %s, not a string: %s", sd->name,
					types[sd->ftype].words,
					types[sd->ftype].hint);
		k->p = (const uint8_t *)t->text;
		k->n = (uint32_t)t->n;
		return 0;
	case O_CHAR:
		if (sd->ftype == SL_FT_UINT) {
			k->u = t->num;
		} else if (sd->ftype == SL_FT_BYTES) {
			uint8_t *b = df_alloc(c->arena, 1);

			if (!b)
				return oom(c);
			b[0] = (uint8_t)t->num;
			k->p = b;
			k->n = 1;
		} else {
			return bad_value(c, sd, t, NULL);
		}
		return 0;
	case O_WORD:
		if (o->slice)
			return df_error(c, o->slice->col, o->slice->len,
					"only a field can be sliced");
		return word_const(c, sd, t, k);
	default:
		return df_error(c, t->col, t->len,
				"a function goes on the left side of a comparison");
	}
}

static int check_set(struct df_ctx *c, const struct df_ast *a,
		     const struct side *sd, struct df_node *n)
{
	n->nset = (uint32_t)a->nset;
	n->lo = df_alloc(c->arena, a->nset * sizeof(*n->lo));
	n->hi = df_alloc(c->arena, a->nset * sizeof(*n->hi));
	if (!n->lo || !n->hi)
		return oom(c);
	for (size_t i = 0; i < a->nset; i++) {
		const struct df_setel *el = &a->set[i];
		int rc = check_const(c, sd, &el->lo, &n->lo[i]);

		if (rc < 0)
			return rc;
		if (!el->hi.tok) {
			n->hi[i] = n->lo[i];
			continue;
		}
		if (n->cls == C_BYTES)
			return df_error(c, el->hi.tok->col, el->hi.tok->len,
					"a range needs numbers or addresses, not bytes");
		if ((rc = check_const(c, sd, &el->hi, &n->hi[i])) < 0)
			return rc;
	}
	return 0;
}

static int check_regex(struct df_ctx *c, const struct df_operand *o,
		       struct df_node *n)
{
	char why[128], *pat;
	int rc;

	if (o->kind != O_STRING)
		return df_error(c, o->tok->col, o->tok->len,
				"\"matches\" takes a regular expression in quotes: matches \"^ali\"");
	if (memchr(o->tok->text, '\0', o->tok->n))
		return df_error(c, o->tok->col, o->tok->len,
				"a regular expression cannot hold a NUL byte");
	if (!(n->re = df_alloc(c->arena, sizeof(*n->re))) ||
	    !(pat = df_alloc(c->arena, o->tok->n + 1)))
		return oom(c);
	memcpy(pat, o->tok->text, o->tok->n);
	rc = regcomp(n->re, pat, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	if (rc) {
		regerror(rc, n->re, why, sizeof(why));
		n->re = NULL;
		return df_error(c, o->tok->col, o->tok->len,
				"bad regular expression: %s", why);
	}
	if (df_regs_add(c->regs, n->re) < 0) {
		regfree(n->re);
		n->re = NULL;
		return oom(c);
	}
	return 0;
}

static const struct {
	enum df_tok tok;
	uint8_t op, all;
} ops[] = {
	{ T_EQ, OP_EQ, 0 }, { T_NE, OP_NE, 1 }, { T_ALL_EQ, OP_EQ, 1 },
	{ T_ANY_NE, OP_NE, 0 }, { T_LT, OP_LT, 0 }, { T_LE, OP_LE, 0 },
	{ T_GT, OP_GT, 0 }, { T_GE, OP_GE, 0 },
	{ T_CONTAINS, OP_CONTAINS, 0 }, { T_MATCHES, OP_MATCHES, 0 },
	{ T_BAND, OP_BAND, 0 }, { T_IN, OP_IN, 0 },
};

static int check_rhs_field(struct df_ctx *c, const struct df_ast *a,
			   const struct side *sd, struct df_node *n, int id)
{
	const struct df_token *t = a->b.tok;
	int ft = sl_fields[id].type;

	if (ft == SL_FT_BOOL)
		ft = SL_FT_UINT;
	if (ft != (sd->ftype == SL_FT_BOOL ? SL_FT_UINT : sd->ftype) ||
	    n->op == OP_CONTAINS || n->op == OP_MATCHES || n->op == OP_BAND)
		return df_error(c, t->col, t->len,
				"%s (%s) and %s (%s) cannot be compared this way",
				sd->name, types[sd->ftype].words,
				sl_fields[id].name, types[ft].words);
	n->rhs_field = 1;
	n->rhs.field = (uint16_t)id;
	n->rhs.how = H_VALUE;
	return 0;
}

static int check_cmp(struct df_ctx *c, const struct df_ast *a,
		     struct df_node *n)
{
	struct side sd = { 0 };
	const char *what;
	int rc, id;

	n->kind = N_CMP;
	for (size_t i = 0; i < SL_ARRAY_SIZE(ops); i++)
		if (ops[i].tok == a->op->type) {
			n->op = ops[i].op;
			n->all = ops[i].all;
		}
	if (a->quant != Q_NONE)
		n->all = a->quant == Q_ALL;
	if ((rc = check_lhs(c, a, &n->lhs, &sd)) < 0)
		return rc;
	n->cls = (uint8_t)cls_of(sd.ftype);
	what = n->op == OP_CONTAINS ? "contains" : n->op == OP_MATCHES ?
	       "matches" : NULL;
	if (what && n->cls != C_BYTES)
		return df_error(c, a->op->col, a->op->len,
				"\"%s\" needs bytes or text, and %s is %s",
				what, sd.name, types[sd.ftype].words);
	if (n->op == OP_BAND && n->cls != C_UINT)
		return df_error(c, a->op->col, a->op->len,
				"\"&\" needs an integer, and %s is %s", sd.name,
				types[sd.ftype].words);
	if (n->op == OP_IN)
		return check_set(c, a, &sd, n);
	if (n->op == OP_MATCHES)
		return check_regex(c, &a->b, n);
	if (a->b.kind == O_WORD && !a->b.slice) {
		char name[128];

		if (a->b.tok->n < sizeof(name)) {
			memcpy(name, a->b.tok->text, a->b.tok->n);
			name[a->b.tok->n] = '\0';
			if ((id = sl_field_lookup(name)) >= 0)
				return check_rhs_field(c, a, &sd, n, id);
		}
	}
	n->c.bits = sd.ftype == SL_FT_IPV6 ? 128 : 32;
	return check_const(c, &sd, &a->b, &n->c);
}

/* Marks the comparisons eval.c may take the short way: one unsigned
 * comparison of each value (a signed one with the sign bit flipped, an
 * address under its prefix mask) and a table of the relation. */
static void number(struct df_node *n)
{
	static const uint8_t holds[] = {
		[OP_EQ] = 2, [OP_NE] = 5, [OP_LT] = 1, [OP_LE] = 3,
		[OP_GT] = 4, [OP_GE] = 6,
	};

	n->number = n->lhs.how == H_VALUE && !n->rhs_field &&
		    n->op <= OP_GE &&
		    (n->cls == C_UINT || n->cls == C_INT || n->cls == C_IPV4);
	if (!n->number)
		return;
	n->holds = holds[n->op];
	n->mask = ~0ull;
	n->flip = n->cls == C_INT ? 1ull << 63 : 0;
	if (n->cls == C_IPV4)
		n->mask = n->c.bits ? (0xffffffffu << (32 - n->c.bits)) &
				      0xffffffffu : 0;
}

/* The checked tree of a into *out: 0, or the error's code. */
static int check(struct df_ctx *c, const struct df_ast *a,
		 struct df_node **out)
{
	struct df_node *n = df_alloc(c->arena, sizeof(*n));
	int rc;

	if (!n)
		return oom(c);
	*out = n;
	switch (a->kind) {
	case A_AND:
	case A_OR:
		n->kind = a->kind == A_AND ? N_AND : N_OR;
		rc = check(c, a->l, &n->a);
		return rc < 0 ? rc : check(c, a->r, &n->b);
	case A_NOT:
		n->kind = N_NOT;
		return check(c, a->l, &n->a);
	case A_TEST:
		if (a->a.kind == O_FUNC || a->a.slice) {
			const struct df_token *t = a->a.slice ? a->a.slice
							       : a->a.tok;
			return df_error(c, t->col, t->len,
					"this needs a comparison, e.g. len(tcp.payload) > 0");
		}
		if ((rc = field_of(c, a->a.tok, NULL)) < 0)
			return rc;
		n->kind = N_EXISTS;
		n->lhs.field = (uint16_t)rc;
		return 0;
	default:
		if ((rc = check_cmp(c, a, n)) < 0)
			return rc;
		number(n);
		return 0;
	}
}

int df_check(struct df_ctx *c, const struct df_ast *ast,
	     struct df_node **out)
{
	struct df_node *n;
	int rc;

	*out = NULL;
	if (ast) {
		rc = check(c, ast, &n);
	} else if (!(n = df_alloc(c->arena, sizeof(*n)))) {
		rc = oom(c);
	} else {
		n->kind = N_TRUE;
		rc = 0;
	}
	if (rc == 0)
		*out = n;
	return rc;
}
