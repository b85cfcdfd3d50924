/*
 * dfilter.h - display filters in Wireshark syntax ("ip.addr==127.0.0.1 &&
 * tcp.len > 0"), compiled once and evaluated on each dissected packet.
 *
 * Pipeline, one stage per file (lib/dfilter/): lex.c (tokens, each with its
 * column) -> parse.c (an AST; precedence ! > && > ||) -> sem.c (field names
 * against the registry of dissect.h, constants parsed to the field's type)
 * -> eval.c (walks the checked tree over the packet's field table; no
 * allocation per packet).  bpf.c finds the parts that have an exact
 * capture-filter (BPF) equivalent.
 *
 * Semantics are Wireshark 4's: a repeated field (ip.addr, tcp.port) "=="
 * when any value equals; "a != b" holds when a is present and no value
 * equals b; every comparison on an absent field is false.
 *
 * Contract: nothing here prints.  A compiled filter is immutable, so one
 * filter may be matched from several threads at once.
 */
#ifndef SOCKLAB_DFILTER_H
#define SOCKLAB_DFILTER_H

#include "socklab/dissect.h"
#include "socklab/util.h"

struct sl_dfilter;

/*
 * Compiles text into *out: returns 0, or -EINVAL (text is no display
 * filter) or -ENOMEM, with *out NULL, e filled with what was expected
 * ("unknown field \"ip.adr\" - did you mean \"ip.addr\"?"), *err_col set to
 * the 0-based byte column of the offending token in text and *err_len to
 * its length in bytes (*err_col is -1 when no token is to blame, e.g. out
 * of memory).  err_col, err_len and e may be NULL.  An empty or all-blank
 * text compiles to the filter that matches every packet.
 */
int sl_dfilter_compile(struct sl_dfilter **out, const char *text,
		       int *err_col, int *err_len, struct sl_err *e);

/* 1 when packet p (already dissected) passes f, 0 when not. */
int sl_dfilter_match(const struct sl_dfilter *f, const struct sl_packet *p);

/* Adds to s every field f reads: a packet dissected with that want
 * (sl_dissect_fields) matches exactly as a fully dissected one. */
void sl_dfilter_fields(const struct sl_dfilter *f, struct sl_fieldset *s);

/* Frees f (NULL is fine). */
void sl_dfilter_free(struct sl_dfilter *f);

/*
 * Appends to out a capture filter (libpcap/tcpdump syntax) that selects
 * exactly the packets f selects, or, failing that, the AND of those
 * top-level conjuncts of f that have an exact equivalent (a superset of f's
 * packets, so the display filter must still run on what the kernel hands
 * over).  Returns 2 when out is equivalent to the whole filter, 1 when it
 * covers only some conjuncts, 0 when nothing has an equivalent (out is
 * untouched), or -ENOMEM.
 *
 * The BPF text assumes the link types of a live Linux capture (Ethernet,
 * cooked); the caller AND-s it with any -f of the user's:
 * "(user) and (ours)".
 */
int sl_dfilter_to_bpf(const struct sl_dfilter *f, struct sl_buf *out);

/*
 * The three-line error display, appended to out:
 *
 *   <prefix>bad display filter: "ip.adr == 1"
 *   <spaces>                     ^~~~~~
 *   unknown field "ip.adr" - did you mean "ip.addr"?
 *
 * prefix is e.g. "socklab capture: " (may be NULL); msg is e->msg from
 * sl_dfilter_compile; col/len as it returned them (col < 0: no caret line).
 * The filter is shown escaped (sl_escape) and the caret follows the escape.
 * Every line ends with '\n'.  Returns 0 or -ENOMEM.
 */
int sl_dfilter_format_error(struct sl_buf *out, const char *prefix,
			    const char *text, const char *msg, int col,
			    int len);

/*
 * Co-pilot for "-f", for the user who gave a display filter where a
 * capture filter goes: 1 when text looks like a display filter (it
 * compiles here and uses "==", "&&", a dotted field name …), 0 otherwise.
 * When 1 and out is not NULL, appends the exact capture-filter equivalent
 * if there is one (nothing otherwise); -ENOMEM when that fails.
 */
int sl_dfilter_is_display_syntax(const char *text, struct sl_buf *out);

/*
 * Co-pilot for a -Y that matched nothing: appends to out a display filter
 * that matches at least one packet of t's sample, chosen from what f asks
 * for and what t counted (f asks for IPv6, every packet was IPv4:
 * "ip.addr==127.0.0.1").  Returns 1 when it found one, 0 when none of its
 * candidates matches, -ENOMEM.
 */
struct sl_tally;
int sl_dfilter_hint(const struct sl_dfilter *f, const struct sl_tally *t,
		    struct sl_buf *out);

#endif
