/* events.c - what the lab's server and client report, read from their
 * --json lines as they arrive: the lab acts on these records, never on
 * the words of a log, and keeps the text each command would have printed
 * (the same renderer makes it) for the step files */
#include <stdio.h>
#include <string.h>

#include "socklab/render.h"
#include "lab-int.h"

void srv_view_init(struct srv_view *v)
{
	memset(v, 0, sizeof(*v));
	sl_srv_record_init(&v->rec);
	sl_buf_init(&v->text);
	sl_buf_init(&v->name);
	sl_buf_init(&v->name_line);
	sl_buf_init(&v->junk);
}

void srv_view_release(struct srv_view *v)
{
	sl_srv_record_release(&v->rec);
	sl_buf_release(&v->text);
	sl_buf_release(&v->name);
	sl_buf_release(&v->name_line);
	sl_buf_release(&v->junk);
}

void cli_view_init(struct cli_view *v)
{
	memset(v, 0, sizeof(*v));
	sl_json_init(&v->rec.json);
	sl_buf_init(&v->text);
	sl_buf_init(&v->reply);
	sl_buf_init(&v->junk);
}

void cli_view_release(struct cli_view *v)
{
	sl_json_release(&v->rec.json);
	sl_buf_release(&v->text);
	sl_buf_release(&v->reply);
	sl_buf_release(&v->junk);
}

/* Hands every complete line of out past *used to fn; keeps the rest. */
static void each_line(const struct sl_buf *out, size_t *used,
		      void (*fn)(void *arg, const char *line, size_t n),
		      void *arg)
{
	while (*used < out->len) {
		const char *p = out->data + *used;
		const char *nl = memchr(p, '\n', out->len - *used);

		if (!nl)
			return;
		fn(arg, p, (size_t)(nl - p));
		*used += (size_t)(nl - p) + 1;
	}
}

/* A line that is not one of the program's records is kept, escaped, to
 * be shown: it may say what went wrong. */
static void keep_junk(struct sl_buf *junk, const char *line, size_t n)
{
	if (junk->len > 4096)
		return;
	sl_buf_escape(junk, line, n);
	sl_buf_putc(junk, '\n');
}

static void server_line(void *arg, const char *line, size_t n)
{
	struct srv_view *v = arg;
	const struct sl_srv_event *ev = &v->rec.ev;
	size_t start = v->text.len;
	struct sl_err e;

	if (sl_srv_record_parse(&v->rec, line, n, &e) < 0) {
		keep_junk(&v->junk, line, n);
		return;
	}
	if (ev->kind != SL_SRV_FAILED)
		sl_render_srv_text(&v->text, ev);
	switch (ev->kind) {
	case SL_SRV_LISTENING:
		v->listening = 1;
		break;
	case SL_SRV_FAILED:
		v->failed = ev->error ? ev->error : -1;
		snprintf(v->fail_msg, sizeof(v->fail_msg), "%s",
			 ev->reason ? ev->reason : "");
		break;
	case SL_SRV_RECEIVED:
		if (v->received++)
			break;
		sl_buf_append(&v->name, ev->data, ev->len);
		if (ev->peer)
			sl_addr_format(ev->peer, v->name_peer,
				       sizeof(v->name_peer));
		/* the log line without its newline, for report.json */
		if (v->text.len > start)
			sl_buf_append(&v->name_line, v->text.data + start,
				      v->text.len - start - 1);
		break;
	case SL_SRV_STOPPED:
		v->stopped = 1;
		break;
	default:
		break;
	}
}

void srv_view_pump(struct srv_view *v, const struct sl_buf *out)
{
	each_line(out, &v->used, server_line, v);
}

static void client_line(void *arg, const char *line, size_t n)
{
	struct cli_view *v = arg;
	struct sl_err e;

	if (sl_client_record_parse(&v->rec, line, n, &e) < 0) {
		keep_junk(&v->junk, line, n);
		return;
	}
	if (!strcmp(v->rec.event, "received") || !strcmp(v->rec.event, "reply")) {
		sl_render_client_text(&v->text, v->rec.data, v->rec.len);
		if (!v->replies++)
			sl_buf_append(&v->reply, v->rec.data, v->rec.len);
	}
}

void cli_view_pump(struct cli_view *v, const struct sl_buf *out)
{
	each_line(out, &v->used, client_line, v);
}
