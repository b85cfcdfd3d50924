/* words.c - a probe's record and the phrases its words are made of */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check-int.h"

/* Bytes shown of one answer; past them, how many more there were. */
#define SHOW_MAX 120

void ck_probe_init(struct sl_probe *p, const char *id)
{
	memset(p, 0, sizeof(*p));
	p->id = id;
	sl_buf_init(&p->did);
	sl_buf_init(&p->saw);
	sl_buf_init(&p->fix);
	sl_buf_init(&p->sent);
	sl_buf_init(&p->answer);
}

void ck_probe_release(struct sl_probe *p)
{
	sl_buf_release(&p->did);
	sl_buf_release(&p->saw);
	sl_buf_release(&p->fix);
	sl_buf_release(&p->sent);
	sl_buf_release(&p->answer);
}

void ck_put_bytes(struct sl_buf *b, const char *p, size_t n)
{
	/* cut on a character, so a long UTF-8 answer stays text */
	size_t k = sl_utf8_cut(p, n, SHOW_MAX);

	sl_buf_putc(b, '"');
	sl_buf_escape(b, p, k);
	sl_buf_putc(b, '"');
	if (k < n)
		sl_buf_printf(b, " (and %zu bytes more)", n - k);
}

void ck_put_outcome(struct sl_buf *b, const struct ck_conn *k)
{
	if (k->in.len) {
		sl_buf_puts(b, "got ");
		ck_put_bytes(b, k->in.data, k->in.len);
		if (k->half_closed)
			sl_buf_puts(b, " only once the client had shut its sending side");
		if (k->err == -ECONNRESET)
			sl_buf_puts(b, ", then the server reset the connection");
		return;
	}
	if (k->err == -ECONNRESET)
		sl_buf_puts(b, "the server reset the connection (RST) without answering");
	else if (k->eof)
		sl_buf_puts(b, "the server closed the connection without answering (0 bytes back)");
	else if (k->err)
		sl_buf_printf(b, "no answer: %s", sl_errno_words(-k->err));
	else
		sl_buf_puts(b, "no answer at all, even after the client shut its sending side");
}

void ck_verdict(struct sl_probe *p, enum sl_verdict v, const char *fix,
		const char *fmt, ...)
{
	va_list ap;

	p->verdict = v;
	if (fmt) {
		va_start(ap, fmt);
		sl_buf_vprintf(&p->saw, fmt, ap);
		va_end(ap);
	}
	if (fix) {
		sl_buf_reset(&p->fix);
		sl_buf_puts(&p->fix, fix);
	}
}

void ck_probe_exchange(struct sl_probe *p, const char *sent, size_t n,
		       const struct ck_conn *k)
{
	sl_buf_reset(&p->sent);
	sl_buf_reset(&p->answer);
	sl_buf_append(&p->sent, sent, n);
	sl_buf_append(&p->answer, k->in.data ? k->in.data : "", k->in.len);
	p->exchanged = 1;
}

static const char *const words[] = { "PASS", "NOTE", "FAIL", "SKIP" };
static const char *const keys[] = { "pass", "note", "fail", "skip" };

const char *sl_verdict_word(enum sl_verdict v)
{
	return (unsigned)v < SL_ARRAY_SIZE(words) ? words[v] : "?";
}

const char *sl_verdict_key(enum sl_verdict v)
{
	return (unsigned)v < SL_ARRAY_SIZE(keys) ? keys[v] : "?";
}
