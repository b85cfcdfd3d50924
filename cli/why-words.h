/* why-words.h - lib/why's facts in words, for `socklab why` and the
 * client's failure line */
#ifndef SOCKLAB_WHY_WORDS_H
#define SOCKLAB_WHY_WORDS_H

#include "socklab/why.h"

/* The verdict ("connection refused on [::1]:59001: a server listens on
 * 127.0.0.1:59001 (pid 4242 python3, user alice) only, IPv4") into b, and
 * the exact fix into fix. */
void cli_why_words(const struct sl_why *w, struct sl_buf *b,
		   struct sl_buf *fix);
/* The verdict's stable JSON key ("wrong-family"). */
const char *cli_why_key(enum sl_why_verdict v);
/* Pieces the checks print too. */
void cli_why_ep(struct sl_buf *b, const struct sl_endpoint *ep);
void cli_why_holder(struct sl_buf *b, const struct sl_why_holder *h);
void cli_why_rule(struct sl_buf *b, const struct sl_firewall *fw,
		  const struct sl_fw_hit *h);
void cli_why_icmp(struct sl_buf *b, const struct sl_why_attempt *t);
const char *cli_why_icmp_words(const struct sl_why_attempt *t);

#endif
