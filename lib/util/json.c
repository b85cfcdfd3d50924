/* json.c - reading JSON (RFC 8259): the server's --json event lines,
 * report.json; a tree of nodes in one array, strings decoded to UTF-8 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/util.h"

#define DEPTH_MAX 64

struct parser {
	const char *s;
	size_t n, i;
	struct sl_json *j;
	struct sl_err *e;
	int depth;
};

void sl_json_init(struct sl_json *j)
{
	memset(j, 0, sizeof(*j));
	sl_buf_init(&j->strings);
}

void sl_json_release(struct sl_json *j)
{
	free(j->v);
	sl_buf_release(&j->strings);
	sl_json_init(j);
}

static int fail(struct parser *p, const char *what)
{
	return sl_err_set(p->e, -EINVAL, "not valid JSON at byte %zu: %s",
			  p->i, what);
}

static void skip_ws(struct parser *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
			       p->s[p->i] == '\n' || p->s[p->i] == '\r'))
		p->i++;
}

/* A new node (zeroed); its index in *idx. */
static int new_node(struct parser *p, uint32_t *idx)
{
	struct sl_json *j = p->j;

	if (j->n == j->cap) {
		size_t ncap = j->cap ? 2 * j->cap : 16;
		struct sl_json_node *v;

		if (ncap > SL_JSON_MAX_NODES)
			ncap = SL_JSON_MAX_NODES;
		if (j->n == ncap)
			return sl_err_set(p->e, -E2BIG,
				"the JSON text has more than %u values: it is not one socklab wrote",
				SL_JSON_MAX_NODES);
		v = realloc(j->v, ncap * sizeof(*v));
		if (!v)
			return sl_err_set(p->e, -ENOMEM, "out of memory reading JSON");
		j->v = v;
		j->cap = ncap;
	}
	*idx = (uint32_t)j->n;
	memset(&j->v[j->n++], 0, sizeof(struct sl_json_node));
	return 0;
}

static int hex4(const char *s, uint32_t *out)
{
	uint32_t v = 0;

	for (int k = 0; k < 4; k++) {
		int d = sl_hexval(s[k]);

		if (d < 0)
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

static int put_utf8(struct sl_buf *b, uint32_t cp)
{
	char u[4];
	size_t k;

	if (cp < 0x80) {
		u[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		k = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		k = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		k = 4;
	}
	return sl_buf_append(b, u, k);
}

/* \uXXXX, and its low surrogate when it is a high one; p->i is past the
 * 'u'.  A lone surrogate becomes U+FFFD, as most decoders do. */
static int unicode_escape(struct parser *p, struct sl_buf *b)
{
	uint32_t cp, lo;

	if (p->n - p->i < 4 || hex4(p->s + p->i, &cp) < 0)
		return fail(p, "bad \\u escape");
	p->i += 4;
	if (cp >= 0xd800 && cp <= 0xdbff && p->n - p->i >= 6 &&
	    p->s[p->i] == '\\' && p->s[p->i + 1] == 'u' &&
	    hex4(p->s + p->i + 2, &lo) == 0 && lo >= 0xdc00 && lo <= 0xdfff) {
		p->i += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	} else if (cp >= 0xd800 && cp <= 0xdfff) {
		cp = 0xfffd;
	}
	return put_utf8(b, cp) < 0 ? sl_err_set(p->e, -ENOMEM, "out of memory reading JSON") : 0;
}

static int escape_char(struct parser *p, struct sl_buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;

	if (p->i >= p->n)
		return fail(p, "unterminated string");
	if (p->s[p->i] == 'u') {
		p->i++;
		return unicode_escape(p, b);
	}
	k = memchr(from, p->s[p->i], sizeof(from) - 1);
	if (!k)
		return fail(p, "bad escape in a string");
	p->i++;
	return sl_buf_putc(b, to[k - from]) < 0 ?
		sl_err_set(p->e, -ENOMEM, "out of memory reading JSON") : 0;
}

/* A string (p->i at its opening quote) into strings: *off and *len. */
static int string(struct parser *p, uint32_t *off, uint32_t *len)
{
	struct sl_buf *b = &p->j->strings;
	size_t start = b->len;
	int rc;

	p->i++;
	while (p->i < p->n && p->s[p->i] != '"') {
		unsigned char c = (unsigned char)p->s[p->i];

		if (c < 0x20)
			return fail(p, "control character in a string");
		if (c == '\\') {
			p->i++;
			if ((rc = escape_char(p, b)) < 0)
				return rc;
			continue;
		}
		if (sl_buf_putc(b, (char)c) < 0)
			return sl_err_set(p->e, -ENOMEM, "out of memory reading JSON");
		p->i++;
	}
	if (p->i >= p->n)
		return fail(p, "unterminated string");
	p->i++;
	if (b->len - start > UINT32_MAX || sl_buf_putc(b, '\0') < 0)
		return sl_err_set(p->e, -ENOMEM, "out of memory reading JSON");
	*off = (uint32_t)start;
	*len = (uint32_t)(b->len - 1 - start);
	return 0;
}

static size_t span(const struct parser *p, size_t i, const char *set)
{
	while (i < p->n && strchr(set, p->s[i]) && p->s[i])
		i++;
	return i;
}

/* RFC 8259's number grammar, checked before strtod reads a copy. */
static int number(struct parser *p, struct sl_json_node *v)
{
	size_t i = p->i, d;
	char tmp[64];

	if (i < p->n && p->s[i] == '-')
		i++;
	d = span(p, i, "0123456789");
	if (d == i || (p->s[i] == '0' && d - i > 1))
		return fail(p, "bad number");
	i = d;
	if (i < p->n && p->s[i] == '.') {
		d = span(p, i + 1, "0123456789");
		if (d == i + 1)
			return fail(p, "bad number");
		i = d;
	}
	if (i < p->n && (p->s[i] == 'e' || p->s[i] == 'E')) {
		size_t k = i + 1 < p->n && (p->s[i + 1] == '+' ||
					    p->s[i + 1] == '-') ? i + 2 : i + 1;

		d = span(p, k, "0123456789");
		if (d == k)
			return fail(p, "bad number");
		i = d;
	}
	if (i - p->i >= sizeof(tmp))
		return fail(p, "number too long");
	memcpy(tmp, p->s + p->i, i - p->i);
	tmp[i - p->i] = '\0';
	v->type = SL_JSON_NUMBER;
	v->num = strtod(tmp, NULL);
	p->i = i;
	return 0;
}

static int word(struct parser *p, const char *w, int type,
		struct sl_json_node *v)
{
	size_t n = strlen(w);

	if (p->n - p->i < n || memcmp(p->s + p->i, w, n))
		return fail(p, "unexpected character");
	p->i += n;
	v->type = (uint8_t)type;
	return 0;
}

static int value(struct parser *p, uint32_t *idx);

/* Links child as the last of parent's children. */
static void adopt(struct sl_json *j, uint32_t parent, uint32_t *last,
		  uint32_t child)
{
	if (!j->v[parent].count)
		j->v[parent].child = child;
	else
		j->v[*last].next = child;
	*last = child;
	j->v[parent].count++;
}

static int members(struct parser *p, uint32_t self, int object)
{
	char close = object ? '}' : ']';
	uint32_t last = 0, child = 0, koff = 0, klen = 0;
	int rc;

	p->i++;
	skip_ws(p);
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		if (object) {
			if (p->i >= p->n || p->s[p->i] != '"')
				return fail(p, "expected a member name");
			if ((rc = string(p, &koff, &klen)) < 0)
				return rc;
			skip_ws(p);
			if (p->i >= p->n || p->s[p->i++] != ':')
				return fail(p, "expected ':'");
		}
		if ((rc = value(p, &child)) < 0)
			return rc;
		p->j->v[child].key = object ? koff : 0;
		p->j->v[child].key_len = object ? klen : 0;
		p->j->v[child].has_key = (uint8_t)object;
		adopt(p->j, self, &last, child);
		skip_ws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n && p->s[p->i] == close) {
			p->i++;
			return 0;
		}
		return fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int value(struct parser *p, uint32_t *idx)
{
	struct sl_json_node *v;
	uint32_t self = 0;
	int rc;
	char c;

	skip_ws(p);
	if (p->i >= p->n)
		return fail(p, "unexpected end");
	if ((rc = new_node(p, &self)) < 0)
		return rc;
	*idx = self;
	c = p->s[p->i];
	if (c == '{' || c == '[') {
		if (++p->depth > DEPTH_MAX)
			return fail(p, "nested too deep");
		p->j->v[self].type = c == '{' ? SL_JSON_OBJECT : SL_JSON_ARRAY;
		rc = members(p, self, c == '{');
		p->depth--;
		return rc;
	}
	if (c == '"') {
		uint32_t off, len;

		if ((rc = string(p, &off, &len)) < 0)
			return rc;
		v = &p->j->v[self];
		v->type = SL_JSON_STRING;
		v->str = off;
		v->str_len = len;
		return 0;
	}
	v = &p->j->v[self];
	if (c == 't')
		return word(p, "true", SL_JSON_TRUE, v);
	if (c == 'f')
		return word(p, "false", SL_JSON_FALSE, v);
	if (c == 'n')
		return word(p, "null", SL_JSON_NULL, v);
	return number(p, v);
}

int sl_json_parse(struct sl_json *j, const char *text, size_t n,
		  struct sl_err *e)
{
	struct parser p = { text, n, 0, j, e, 0 };
	uint32_t root;
	int rc;

	j->n = 0;
	sl_buf_reset(&j->strings);
	rc = value(&p, &root);
	if (rc == 0) {
		skip_ws(&p);
		if (p.i != n)
			rc = fail(&p, "text after the value");
	}
	if (rc < 0)
		j->n = 0;
	return rc;
}

const struct sl_json_node *sl_json_root(const struct sl_json *j)
{
	return j->n ? &j->v[0] : NULL;
}

const struct sl_json_node *sl_json_first(const struct sl_json *j,
					 const struct sl_json_node *v)
{
	return v && v->count ? &j->v[v->child] : NULL;
}

const struct sl_json_node *sl_json_next(const struct sl_json *j,
					const struct sl_json_node *v)
{
	return v && v->next ? &j->v[v->next] : NULL;
}

const struct sl_json_node *sl_json_member(const struct sl_json *j,
					  const struct sl_json_node *obj,
					  const char *key)
{
	size_t n = strlen(key);

	if (!obj || obj->type != SL_JSON_OBJECT)
		return NULL;
	for (const struct sl_json_node *c = sl_json_first(j, obj); c;
	     c = sl_json_next(j, c))
		if (c->key_len == n && !memcmp(j->strings.data + c->key, key, n))
			return c;
	return NULL;
}

const char *sl_json_str(const struct sl_json *j, const struct sl_json_node *v,
			size_t *len)
{
	if (!v || v->type != SL_JSON_STRING)
		return NULL;
	if (len)
		*len = v->str_len;
	return j->strings.data + v->str;
}

const char *sl_json_key(const struct sl_json *j, const struct sl_json_node *v,
			size_t *len)
{
	if (!v || !v->has_key)
		return NULL;
	if (len)
		*len = v->key_len;
	return j->strings.data + v->key;
}

int sl_json_uint(const struct sl_json_node *v, uint64_t max, uint64_t *out)
{
	if (!v || v->type != SL_JSON_NUMBER || !(v->num >= 0) ||
	    v->num >= 0x1p64 || v->num > (double)max ||
	    v->num != floor(v->num))
		return -EINVAL;
	*out = (uint64_t)v->num;
	return 0;
}
