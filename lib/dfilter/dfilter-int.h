/*
 * dfilter-int.h - what the stages of the display-filter compiler share:
 * tokens (lex.c), the syntax tree (parse.c), the checked tree (sem.c
 * relations, expr.c expressions, literal.c constants) that eval.c and
 * value.c walk and bpf.c translates, and the arena they all live in.
 */
#ifndef SOCKLAB_DFILTER_INT_H
#define SOCKLAB_DFILTER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "socklab/dfilter.h"

/* ---- arena (dfilter.c): everything of one filter, freed at once ---- */
struct df_arena {
	struct df_block *head;
};

void *df_alloc(struct df_arena *a, size_t n);	/* zeroed; NULL on ENOMEM */
void df_arena_release(struct df_arena *a);

/* ---- tokens (lex.c) ---- */
enum df_tok {
	T_END,
	T_WORD,		/* field name, number, address, keyword ("and") */
	T_STRING,	/* "..." or r"..." (text holds the decoded bytes) */
	T_CHAR,		/* 'a' (num holds the byte) */
	T_SLICE,	/* [...] after a field: text holds what is inside */
	T_LAYER,	/* #2 or #[1-2] after a field: text holds what follows # */
	T_REF,		/* ${field}: text holds the field's name */
	T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_COMMA, T_DOTDOT,
	T_AND, T_OR, T_NOT,
	T_EQ, T_NE, T_ALL_EQ, T_ANY_NE, T_LT, T_LE, T_GT, T_GE,
	T_MATCHES, T_BAND, T_CONTAINS, T_IN,
	T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT,
};

struct df_token {
	enum df_tok type;
	int col, len;		/* where it is in the filter text */
	const char *text;	/* T_WORD/T_SLICE/T_LAYER/T_REF: the source;
				 * T_STRING: bytes */
	size_t n;		/* length of text */
	unsigned num;		/* T_CHAR */
};

struct df_tokens {
	struct df_token *v;
	size_t n;		/* the last one is T_END */
};

struct df_regs;

/* Error reporting shared by every stage: fills e and the column. */
struct df_ctx {
	struct df_arena *arena;
	const char *text;
	struct df_regs *regs;
	struct sl_err *e;
	int err_col, err_len;
};

int df_error(struct df_ctx *c, int col, int len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same at token t. */
int df_error_at(struct df_ctx *c, const struct df_token *t, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));
int df_oom(struct df_ctx *c);

int df_lex(struct df_ctx *c, struct df_tokens *out);
/* The word operators ("and", "eq", "contains" …) as their token type, or
 * T_WORD when w is not one. */
enum df_tok df_keyword(const char *w, size_t n);

/* ---- syntax tree (parse.c) ---- */

/* An expression: a word (a field or a value: sem.c decides), a string, a
 * character, a field reference, a function call, arithmetic. */
enum df_ekind { E_WORD, E_STRING, E_CHAR, E_REF, E_FUNC, E_BINOP, E_NEG };

struct df_expr {
	enum df_ekind kind;
	const struct df_token *tok;	/* the word, value, function or
					 * operator */
	const struct df_token *slice;	/* NULL or the T_SLICE token */
	const struct df_token *layer;	/* NULL or the T_LAYER token */
	struct df_expr *l, *r;		/* E_BINOP; E_NEG: l */
	struct df_expr **args;		/* E_FUNC */
	size_t nargs;
};

enum df_akind { A_AND, A_OR, A_NOT, A_TEST, A_CMP, A_IN };
enum df_quant { Q_NONE, Q_ANY, Q_ALL };

struct df_setel {
	struct df_expr *lo, *hi;	/* hi NULL when not a range */
};

struct df_ast {
	enum df_akind kind;
	const struct df_token *op;	/* A_CMP, A_IN: the operator token */
	enum df_quant quant;
	const struct df_token *quant_tok;
	struct df_ast *l, *r;		/* A_AND/A_OR; A_NOT: l */
	struct df_expr *a, *b;		/* A_TEST: a; A_CMP: a op b */
	struct df_setel *set;		/* A_IN */
	size_t nset;
};

/* The tree into *out (NULL for an empty filter: match all); 0 or the
 * error's code. */
int df_parse(struct df_ctx *c, const struct df_tokens *t,
	     struct df_ast **out);

/* ---- checked tree (sem.c, expr.c, literal.c), walked by eval.c ---- */
enum df_nkind { N_TRUE, N_AND, N_OR, N_NOT, N_EXISTS, N_CMP, N_TEST };
enum df_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS,
	     OP_MATCHES, OP_BAND, OP_IN };
/* How values are compared: unsigned and signed numbers (times are signed
 * nanoseconds), addresses under a prefix, bytes (shorter first, then
 * byte by byte, as Wireshark orders them) and text (byte by byte). */
enum df_cls { C_UINT, C_INT, C_IPV4, C_IPV6, C_BYTES, C_STR, C_TIME };
/* What is read from each value of a plain field. */
enum df_how { H_VALUE, H_BYTES, H_LEN, H_COUNT };

struct df_get {
	uint16_t field;
	uint8_t how;
	uint8_t sliced;
	int32_t start, end;	/* slice [start, end); end INT32_MAX = to the
				 * end; negatives count from the end */
};

struct df_const {
	uint64_t u;		/* C_UINT, C_IPV4; C_INT, C_TIME as int64_t */
	const uint8_t *p;	/* C_IPV6, C_BYTES, C_STR */
	uint32_t n;
	uint8_t bits;		/* C_IPV4/C_IPV6 prefix length */
	uint8_t never;		/* a negative number against an unsigned
				 * field: equal to nothing, ordered against
				 * nothing (as tshark compares them) */
};

/* One range of a slice: [start, end) with negatives from the end, end
 * INT32_MAX for "to the end". */
struct df_range {
	int32_t start, end;
};

/* An expression, checked: what value.c evaluates into a list of values. */
enum df_xkind { X_FIELD, X_CONST, X_REF, X_FUNC, X_ARITH, X_NEG };
enum df_func { F_LEN, F_COUNT, F_UPPER, F_LOWER, F_STRING, F_ABS, F_MIN,
	       F_MAX };

struct df_x {
	uint8_t kind;		/* enum df_xkind */
	uint8_t cls;		/* enum df_cls of every value it gives */
	uint8_t ftype;		/* X_FIELD: the field's enum sl_ftype */
	uint8_t op;		/* X_ARITH: the operator's T_*; X_FUNC:
				 * enum df_func */
	uint16_t field;		/* X_FIELD (and F_LEN/F_COUNT's argument) */
	uint16_t layer_lo, layer_hi;	/* 1-based; 0: every layer */
	uint8_t nranges;	/* a slice of that many ranges, or 0 */
	uint8_t nargs;
	uint8_t bits;		/* the width of the integers it gives (the
				 * bound of a literal beside it), 0: none */
	struct df_range *ranges;
	struct df_x **args;	/* X_FUNC, X_ARITH (2), X_NEG (1) */
	struct df_const c;	/* X_CONST */
	const struct df_token *tok;
};

struct df_re;			/* regex.c */

struct df_node {
	uint8_t kind;		/* enum df_nkind */
	uint8_t op;		/* enum df_op */
	uint8_t all;		/* every value must pass, not just one */
	uint8_t cls;		/* enum df_cls */
	uint8_t simple;		/* a plain field against constants: lhs,
				 * c, lo/hi say it all (bpf.c reads only
				 * these) */
	uint8_t rhs_field;	/* simple, and compared with another plain
				 * field (rhs) */
	uint8_t number;		/* simple, plain values of a number or IPv4
				 * field against c with a relation (OP_EQ …
				 * OP_GE): (value & mask) ^ flip against
				 * (c.u & mask) ^ flip, unsigned; the
				 * relation holds for <, ==, > when bit 0,
				 * 1, 2 of holds is set */
	uint8_t holds;
	uint64_t mask, flip;
	struct df_get lhs, rhs;
	struct df_const c;	/* the constant, or the set's first element */
	struct df_const *lo, *hi;	/* OP_IN: nset elements (hi = lo
					 * when not a range) */
	uint32_t nset;
	struct df_x *x, *y;	/* the two sides (N_TEST: x); OP_IN: the
				 * set's bounds in xs_lo/xs_hi */
	struct df_x **xs_lo, **xs_hi;
	const struct df_re *re;
	struct df_node *a, *b;
};

int df_check(struct df_ctx *c, const struct df_ast *ast,
	     struct df_node **out);

/* expr.c: the expression e checked into *out.  want is the class a
 * literal takes (-1: none known yet, so a literal is an error). */
int df_expr_check(struct df_ctx *c, const struct df_expr *e, int want,
		  struct df_x **out);
/* What a literal is read as: a value of class cls, of field (names of
 * its values, a MAC's length; -1: none), of an integer bits wide (0: no
 * bound); what names it in messages ("ip.ttl"). */
struct df_lit {
	int cls, field;
	unsigned bits;
	uint8_t uns;		/* C_INT arithmetic on an unsigned field: its
				 * positive bound is the field's */
	const char *what;
};

/* A literal expression (a word, a string, a character, "-" and a word)
 * as a constant as l says. */
int df_expr_literal(struct df_ctx *c, const struct df_expr *e,
		    const struct df_lit *l, struct df_const *k);
/* Whether word t is a number or an address, not a misspelt field. */
int df_looks_like_value(const struct df_token *t);
/* Whether e is a literal (its class comes from the other side). */
int df_expr_is_literal(const struct df_expr *e);
/* The words a class is written in ("an unsigned integer"), for messages. */
const char *df_cls_words(int cls);

/* literal.c: the value written at t (a word, string or character) as l
 * says.  0 or the error's code. */
int df_literal(struct df_ctx *c, const struct df_token *t,
	       const struct df_lit *l, struct df_const *k);
/* The class the values of a field type compare as. */
int df_cls_of(int ftype);

/* ---- evaluation (eval.c relations, value.c expressions) ---- */

/* One value as a comparison sees it. */
struct dv {
	uint64_t u;
	const uint8_t *p;
	uint32_t n;
};

#define DF_VALUES_MAX 64	/* values one expression gives a packet */
#define DF_SCRATCH 4096		/* bytes functions and slices make */

struct dvl {
	struct dv v[DF_VALUES_MAX];
	unsigned n;
};

/* Bytes made while evaluating one packet (upper(), multi-range slices). */
struct df_scratch {
	uint8_t b[DF_SCRATCH];
	size_t used;
};

/* x's values in p into out (none when absent). */
void df_values(const struct df_x *x, const struct sl_packet *p,
	       struct df_scratch *s, struct dvl *out);
/* x against k: <0, 0, >0, as class cls orders them; 2 when they cannot
 * be ordered (a "never" constant). */
int df_compare(uint8_t cls, const struct dv *x, const struct df_const *k);

/* regex.c: PCRE2, case-insensitive as tshark's matches. */
int df_re_compile(struct df_ctx *c, const struct df_token *t,
		  const struct df_re **out);
int df_re_match(const struct df_re *re, const uint8_t *p, uint32_t n);
void df_re_free(struct df_re *re);

/* regexes to free when the filter goes */
struct df_regs {
	struct df_re **v;
	size_t n, cap;
};

struct sl_dfilter {
	struct df_arena arena;
	struct df_node *root;
	struct df_regs regs;
};

/* regex.c keeps every compiled regex here (so the filter can free them). */
int df_regs_add(struct df_regs *r, struct df_re *re);

/* bpf.c: a capture filter given to -Y: the message to show, or 0. */
int df_capture_syntax_hint(struct df_ctx *c, const struct df_tokens *t);

#endif
