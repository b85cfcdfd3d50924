/* lex.c - display filter text to tokens, each with its column */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "dfilter-int.h"

static const struct {
	const char *w;
	enum df_tok t;
} keywords[] = {
	{ "and", T_AND }, { "or", T_OR }, { "not", T_NOT },
	{ "eq", T_EQ }, { "any_eq", T_EQ }, { "ne", T_NE }, { "all_ne", T_NE },
	{ "all_eq", T_ALL_EQ }, { "any_ne", T_ANY_NE },
	{ "lt", T_LT }, { "le", T_LE }, { "gt", T_GT }, { "ge", T_GE },
	{ "contains", T_CONTAINS }, { "matches", T_MATCHES },
	{ "bitwise_and", T_BAND }, { "in", T_IN },
};

/* Punctuation, longest spelling first. */
static const struct {
	const char *s;
	enum df_tok t;
} puncts[] = {
	{ "===", T_ALL_EQ }, { "!==", T_ANY_NE }, { "==", T_EQ }, { "!=", T_NE },
	{ "~=", T_ANY_NE }, { "<=", T_LE }, { ">=", T_GE }, { "&&", T_AND },
	{ "||", T_OR }, { "..", T_DOTDOT }, { "!", T_NOT }, { "~", T_MATCHES },
	{ "<", T_LT }, { ">", T_GT }, { "&", T_BAND }, { "(", T_LPAREN },
	{ ")", T_RPAREN }, { "{", T_LBRACE }, { "}", T_RBRACE },
	{ ",", T_COMMA }, { "+", T_PLUS }, { "-", T_MINUS }, { "*", T_STAR },
	{ "/", T_SLASH }, { "%", T_PERCENT },
};

enum df_tok df_keyword(const char *w, size_t n)
{
	for (size_t i = 0; i < SL_ARRAY_SIZE(keywords); i++)
		if (strlen(keywords[i].w) == n &&
		    !strncmp(keywords[i].w, w, n))
			return keywords[i].t;
	return T_WORD;
}

/* Inside a word: field names, numbers, addresses ("10.0.0.0/8", "::1"),
 * bytes ("61-6c", ":0800").  A word never starts with '-' or '/': there
 * they are arithmetic. */
static int is_word_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '.' ||
	       ch == ':' || ch == '/' || ch == '-';
}

static int starts_word(const char *s)
{
	return (is_word_char(*s) && *s != '-' && *s != '/') &&
	       !(s[0] == '.' && s[1] == '.');
}

/* One escape after the backslash at s[*i]; advances *i past it.  Returns
 * the byte or -1. */
static int unescape(const char *s, size_t *i)
{
	static const char from[] = "\\\"'abfnrtv", to[] = "\\\"'\a\b\f\n\r\t\v";
	const char *k;
	char ch = s[*i + 1];
	int v = 0, d, j;

	if (ch && (k = strchr(from, ch))) {
		*i += 2;
		return (unsigned char)to[k - from];
	}
	if (ch == 'x') {
		for (j = 0; j < 2 && (d = sl_hexval(s[*i + 2 + j])) >= 0; j++)
			v = v * 16 + d;
		if (j == 0)
			return -1;
		*i += 2 + (size_t)j;
		return v;
	}
	for (j = 0; j < 3 && s[*i + 1 + j] >= '0' && s[*i + 1 + j] <= '7'; j++)
		v = v * 8 + (s[*i + 1 + j] - '0');
	if (j == 0 || v > 255)
		return -1;
	*i += 1 + (size_t)j;
	return v;
}

/* A "..." string (raw: no escapes) starting at s[pos]; returns the index
 * past the closing quote or -1 with the error set. */
static long lex_string(struct df_ctx *c, size_t pos, int raw,
		       struct df_token *t)
{
	const char *s = c->text;
	size_t i = pos + 1 + (raw ? 1 : 0), n = 0;
	uint8_t *out = df_alloc(c->arena, strlen(s + i) + 1);
	int b;

	if (!out)
		return sl_err_set(c->e, -ENOMEM, "out of memory");
	while (s[i] && s[i] != '"') {
		if (s[i] == '\\' && !raw) {
			size_t at = i;

			if ((b = unescape(s, &i)) < 0)
				return df_error(c, (int)at, 2,
					"bad escape in a string: use \\\\ \\\" \\n \\t \\xHH or \\ooo");
			out[n++] = (uint8_t)b;
		} else if (s[i] == '\\' && s[i + 1] == '"') {
			out[n++] = (uint8_t)s[i++];	/* r"\"" keeps both */
			out[n++] = (uint8_t)s[i++];
		} else {
			out[n++] = (uint8_t)s[i++];
		}
	}
	if (!s[i])
		return df_error(c, (int)pos, (int)(i - pos),
				"this string has no closing quote '\"'");
	t->type = T_STRING;
	t->text = (const char *)out;
	t->n = n;
	return (long)i + 1;
}

static long lex_char(struct df_ctx *c, size_t pos, struct df_token *t)
{
	const char *s = c->text;
	size_t i = pos + 1;
	int b;

	if (s[i] == '\\') {
		if ((b = unescape(s, &i)) < 0)
			return df_error(c, (int)pos, 3, "bad escape in a character constant");
	} else if (s[i] && s[i] != '\'') {
		b = (unsigned char)s[i++];
	} else {
		return df_error(c, (int)pos, 1, "empty character constant: write 'a'");
	}
	if (s[i] != '\'')
		return df_error(c, (int)pos, (int)(i - pos),
				"a character constant holds one character: use \"...\" for a string");
	t->type = T_CHAR;
	t->num = (unsigned)b;
	return (long)i + 1;
}

/* [...] after a field: the inside, as the parser will read it. */
static long lex_slice(struct df_ctx *c, size_t pos, struct df_token *t)
{
	const char *s = c->text, *end = strchr(s + pos, ']');

	if (!end)
		return df_error(c, (int)pos, 1, "\"[\" has no closing \"]\"");
	t->type = T_SLICE;
	t->text = s + pos + 1;
	t->n = (size_t)(end - s) - pos - 1;
	return end - s + 1;
}

/* #N or #[i-j] after a field: the layer (the text after '#'). */
static long lex_layer(struct df_ctx *c, size_t pos, struct df_token *t)
{
	const char *s = c->text;
	size_t i = pos + 1;

	if (s[i] == '[') {
		const char *end = strchr(s + i, ']');

		if (!end)
			return df_error(c, (int)pos, 2, "\"#[\" has no closing \"]\"");
		i = (size_t)(end - s) + 1;
	} else {
		while (isdigit((unsigned char)s[i]) || s[i] == '-')
			i++;
	}
	if (i == pos + 1)
		return df_error(c, (int)pos, 1,
				"a layer after \"#\" is a number: ip.addr#2 or ip.addr#[1-2]");
	t->type = T_LAYER;
	t->text = s + pos + 1;
	t->n = i - pos - 1;
	return (long)i;
}

/* ${field}: a reference to the field in the frame Wireshark's GUI has
 * selected; its name inside. */
static long lex_ref(struct df_ctx *c, size_t pos, struct df_token *t)
{
	const char *s = c->text, *end = strchr(s + pos, '}');

	if (!end)
		return df_error(c, (int)pos, 2, "\"${\" has no closing \"}\"");
	t->type = T_REF;
	t->text = s + pos + 2;
	t->n = (size_t)(end - s) - pos - 2;
	return end - s + 1;
}

static long lex_word(struct df_ctx *c, size_t pos, struct df_token *t)
{
	const char *s = c->text;
	size_t i = pos;

	while (is_word_char(s[i]) && !(s[i] == '.' && s[i + 1] == '.' &&
				      i > pos))
		i++;
	t->text = s + pos;
	t->n = i - pos;
	t->type = df_keyword(t->text, t->n);
	return (long)i;
}

static long lex_one(struct df_ctx *c, size_t pos, const struct df_token *prev,
		    struct df_token *t)
{
	const char *s = c->text;

	if (s[pos] == '"')
		return lex_string(c, pos, 0, t);
	if (s[pos] == 'r' && s[pos + 1] == '"')
		return lex_string(c, pos, 1, t);
	if (s[pos] == '\'')
		return lex_char(c, pos, t);
	if (s[pos] == '[') {
		if (!prev || (prev->type != T_WORD && prev->type != T_RPAREN &&
			      prev->type != T_LAYER))
			return df_error(c, (int)pos, 1,
					"a slice \"[…]\" must follow a field");
		return lex_slice(c, pos, t);
	}
	if (s[pos] == '#') {
		if (!prev || prev->type != T_WORD)
			return df_error(c, (int)pos, 1,
					"a layer \"#…\" must follow a field");
		return lex_layer(c, pos, t);
	}
	if (s[pos] == '$' && s[pos + 1] == '{')
		return lex_ref(c, pos, t);
	if (starts_word(s + pos))
		return lex_word(c, pos, t);
	for (size_t i = 0; i < SL_ARRAY_SIZE(puncts); i++) {
		size_t n = strlen(puncts[i].s);

		if (!strncmp(s + pos, puncts[i].s, n)) {
			t->type = puncts[i].t;
			t->text = s + pos;
			t->n = n;
			return (long)(pos + n);
		}
	}
	if (s[pos] == '|')
		return df_error(c, (int)pos, 1,
				"\"|\" (bitwise or) is not supported, as in tshark 4.0: test each mask, tcp.flags & 0x02 || tcp.flags & 0x10");
	if (s[pos] == '^' && s[pos + 1] == '^')
		return df_error(c, (int)pos, 2,
				"\"^^\" (xor) is not supported: write (a && !b) || (!a && b)");
	return df_error(c, (int)pos, 1, "\"%c\" is not allowed here",
			isprint((unsigned char)s[pos]) ? s[pos] : '?');
}

int df_lex(struct df_ctx *c, struct df_tokens *out)
{
	const char *s = c->text;
	size_t pos = 0, cap = 16, len = strlen(s);
	long next;

	out->n = 0;
	out->v = df_alloc(c->arena, cap * sizeof(*out->v));
	if (!out->v)
		return sl_err_set(c->e, -ENOMEM, "out of memory");
	for (;;) {
		struct df_token *t;

		while (isspace((unsigned char)s[pos]))
			pos++;
		if (out->n + 1 >= cap) {
			struct df_token *v = df_alloc(c->arena,
						      2 * cap * sizeof(*v));
			if (!v)
				return sl_err_set(c->e, -ENOMEM, "out of memory");
			memcpy(v, out->v, out->n * sizeof(*v));
			out->v = v;
			cap *= 2;
		}
		t = &out->v[out->n];
		t->col = (int)pos;
		if (pos >= len) {
			t->type = T_END;
			t->len = 1;
			t->text = s + pos;
			out->n++;
			return 0;
		}
		next = lex_one(c, pos, out->n ? &out->v[out->n - 1] : NULL, t);
		if (next < 0)
			return (int)next;
		t->len = (int)(next - (long)pos);
		if (t->type == T_CHAR)
			t->text = s + pos;	/* for messages */
		pos = (size_t)next;
		out->n++;
	}
}
