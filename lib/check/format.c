/* format.c - a record as one line of text or one NDJSON object, and the
 * summary after them */
#include <string.h>

#include "check-int.h"

int sl_check_text(struct sl_buf *b, const struct sl_probe *p)
{
	sl_buf_printf(b, "%s %-11s %s", sl_verdict_word(p->verdict), p->id,
		      p->did.len ? p->did.data : "");
	if (p->saw.len)
		sl_buf_printf(b, " — %s", p->saw.data);
	if (p->fix.len)
		sl_buf_printf(b, "; fix: %s", p->fix.data);
	return sl_buf_putc(b, '\n');
}

static void json_key_buf(struct sl_buf *b, const char *key,
			 const struct sl_buf *v, int present)
{
	sl_buf_printf(b, ",\"%s\":", key);
	if (present)
		sl_buf_json_str(b, v->data ? v->data : "", v->len);
	else
		sl_buf_puts(b, "null");
}

int sl_check_json(struct sl_buf *b, const struct sl_probe *p)
{
	/* id and verdict are our own words: plain ASCII */
	sl_buf_printf(b, "{\"probe\":\"%s\",\"verdict\":\"%s\"", p->id,
		      sl_verdict_key(p->verdict));
	json_key_buf(b, "did", &p->did, 1);
	json_key_buf(b, "saw", &p->saw, 1);
	json_key_buf(b, "fix", &p->fix, p->fix.len > 0);
	sl_buf_printf(b, ",\"ms\":%llu", (unsigned long long)p->ms);
	json_key_buf(b, "sent", &p->sent, p->exchanged);
	json_key_buf(b, "answer", &p->answer, p->exchanged);
	return sl_buf_puts(b, "}\n");
}

int sl_check_summary_text(struct sl_buf *b, const struct sl_check_summary *s)
{
	sl_buf_printf(b, "%u passed, %u note%s, %u failed, %u could not run",
		      s->count[SL_PASS], s->count[SL_NOTE],
		      s->count[SL_NOTE] == 1 ? "" : "s", s->count[SL_FAIL],
		      s->count[SL_SKIP]);
	if (s->pid)
		sl_buf_printf(b, ": the server (pid %d)", s->pid);
	if (s->port)
		sl_buf_printf(b, " on %s", s->addr);
	if (s->ended[0])
		sl_buf_printf(b, ", which %s", s->ended);
	return sl_buf_putc(b, '\n');
}

int sl_check_summary_json(struct sl_buf *b, const struct sl_check_summary *s)
{
	sl_buf_printf(b, "{\"probe\":\"summary\",\"verdict\":\"%s\",\"passed\":%u,\"notes\":%u,\"failed\":%u,\"skipped\":%u",
		      s->count[SL_FAIL] ? "fail" : "pass", s->count[SL_PASS],
		      s->count[SL_NOTE], s->count[SL_FAIL], s->count[SL_SKIP]);
	sl_buf_puts(b, ",\"pid\":");
	sl_buf_printf(b, s->pid ? "%d" : "null", s->pid);
	sl_buf_puts(b, ",\"port\":");
	sl_buf_printf(b, s->port ? "%u" : "null", s->port);
	sl_buf_puts(b, ",\"address\":");
	if (s->port)
		sl_buf_json_str(b, s->addr, strlen(s->addr));
	else
		sl_buf_puts(b, "null");
	sl_buf_puts(b, ",\"ended\":");
	if (s->ended[0])
		sl_buf_json_str(b, s->ended, strlen(s->ended));
	else
		sl_buf_puts(b, "null");
	return sl_buf_puts(b, "}\n");
}
