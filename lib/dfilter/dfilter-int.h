/*
 * dfilter-int.h - what the stages of the display-filter compiler share:
 * tokens (lex.c), the syntax tree (parse.c), the checked tree (sem.c) that
 * eval.c walks and bpf.c translates, and the arena they all live in.
 */
#ifndef SOCKLAB_DFILTER_INT_H
#define SOCKLAB_DFILTER_INT_H

#include <regex.h>
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
	T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_COMMA, T_DOTDOT,
	T_AND, T_OR, T_NOT,
	T_EQ, T_NE, T_ALL_EQ, T_ANY_NE, T_LT, T_LE, T_GT, T_GE,
	T_MATCHES, T_BAND, T_CONTAINS, T_IN,
};

struct df_token {
	enum df_tok type;
	int col, len;		/* where it is in the filter text */
	const char *text;	/* T_WORD/T_SLICE: the source; T_STRING: bytes */
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

int df_lex(struct df_ctx *c, struct df_tokens *out);
/* The word operators ("and", "eq", "contains" …) as their token type, or
 * T_WORD when w is not one. */
enum df_tok df_keyword(const char *w, size_t n);

/* ---- syntax tree (parse.c) ---- */
enum df_okind { O_FIELD, O_STRING, O_CHAR, O_WORD, O_FUNC };

struct df_operand {
	enum df_okind kind;
	const struct df_token *tok;	/* the field, value or function */
	const struct df_token *arg;	/* O_FUNC: the field inside () */
	const struct df_token *slice;	/* NULL or the T_SLICE token */
};

enum df_akind { A_AND, A_OR, A_NOT, A_TEST, A_CMP, A_IN };
enum df_quant { Q_NONE, Q_ANY, Q_ALL };

struct df_setel {
	struct df_operand lo, hi;	/* hi.tok NULL when not a range */
};

struct df_ast {
	enum df_akind kind;
	const struct df_token *op;	/* A_CMP: the operator token */
	enum df_quant quant;
	const struct df_token *quant_tok;
	struct df_ast *l, *r;		/* A_AND/A_OR; A_NOT: l */
	struct df_operand a, b;		/* A_TEST: a; A_CMP: a op b */
	struct df_setel *set;		/* A_IN */
	size_t nset;
};

/* The tree into *out (NULL for an empty filter: match all): 0, or the
 * error's code (-EINVAL, -ENOMEM) with c's record and column set. */
int df_parse(struct df_ctx *c, const struct df_tokens *t,
	     struct df_ast **out);

/* ---- checked tree (sem.c), walked by eval.c ---- */
enum df_nkind { N_TRUE, N_AND, N_OR, N_NOT, N_EXISTS, N_CMP };
enum df_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS,
	     OP_MATCHES, OP_BAND, OP_IN };
/* How a value is compared: as an unsigned number, a signed one (time), an
 * address under a prefix, or bytes. */
enum df_cls { C_UINT, C_INT, C_IPV4, C_IPV6, C_BYTES };
/* What is read from each value of the field. */
enum df_how { H_VALUE, H_BYTES, H_LEN, H_COUNT };

struct df_get {
	uint16_t field;
	uint8_t how;
	uint8_t sliced;
	int32_t start, end;	/* slice [start, end); end INT32_MAX = to the
				 * end; negatives count from the end */
};

struct df_const {
	uint64_t u;		/* C_UINT, C_IPV4; C_INT as int64_t */
	const uint8_t *p;	/* C_IPV6, C_BYTES */
	uint32_t n;
	uint8_t bits;		/* C_IPV4/C_IPV6 prefix length */
};

struct df_node {
	uint8_t kind;		/* enum df_nkind */
	uint8_t op;		/* enum df_op */
	uint8_t all;		/* every value must pass, not just one */
	uint8_t cls;		/* enum df_cls */
	uint8_t rhs_field;	/* compare with another field's values */
	uint8_t number;		/* plain values of a number or IPv4 field
				 * against c with a relation (OP_EQ … OP_GE):
				 * (value & mask) ^ flip against
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
	regex_t *re;
	struct df_node *a, *b;
};

/* The checked tree of ast (NULL: the match-all tree) into *out: 0, or the
 * error's code, as df_parse. */
int df_check(struct df_ctx *c, const struct df_ast *ast,
	     struct df_node **out);

/* regex_t objects to regfree() when the filter goes */
struct df_regs {
	regex_t **v;
	size_t n, cap;
};

struct sl_dfilter {
	struct df_arena arena;
	struct df_node *root;
	struct df_regs regs;
};

/* sem.c keeps every compiled regex here (so the filter can free them). */
int df_regs_add(struct df_regs *r, regex_t *re);

/* bpf.c: a capture filter given to -Y: the message to show, or 0. */
int df_capture_syntax_hint(struct df_ctx *c, const struct df_tokens *t);

#endif
