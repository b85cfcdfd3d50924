/* regex.c - "matches" with PCRE2, as Wireshark: case-insensitive unless
 * the pattern says (?-i), over bytes that may hold NUL, JIT-compiled where
 * the platform allows */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdlib.h>

#include "dfilter-int.h"

struct df_re {
	pcre2_code *code;
};

int df_re_compile(struct df_ctx *c, const struct df_token *t,
		  const struct df_re **out)
{
	struct df_re *re;
	PCRE2_UCHAR why[128];
	PCRE2_SIZE at;
	int err;

	*out = NULL;
	if (!(re = calloc(1, sizeof(*re))))
		return df_oom(c);
	re->code = pcre2_compile((PCRE2_SPTR)t->text, t->n, PCRE2_CASELESS,
				 &err, &at, NULL);
	if (!re->code) {
		free(re);
		pcre2_get_error_message(err, why, sizeof(why));
		return df_error_at(c, t, "bad regular expression: %s (at "
				   "offset %zu)", (const char *)why, (size_t)at);
	}
	pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);	/* or not */
	if (df_regs_add(c->regs, re) < 0) {
		df_re_free(re);
		return df_oom(c);
	}
	*out = re;
	return 0;
}

/* The match data one thread uses for every match (a compiled filter is
 * shared between threads; this is not). */
static pcre2_match_data *match_data(void)
{
	static _Thread_local pcre2_match_data *md;

	if (!md)
		md = pcre2_match_data_create(1, NULL);
	return md;
}

int df_re_match(const struct df_re *re, const uint8_t *p, uint32_t n)
{
	static const uint8_t empty[1];
	pcre2_match_data *md = match_data();

	if (!md)
		return 0;
	return pcre2_match(re->code, p ? p : empty, n, 0, 0, md, NULL) >= 0;
}

void df_re_free(struct df_re *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	free(re);
}
