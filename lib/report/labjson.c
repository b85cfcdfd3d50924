/* labjson.c - report.json: the lab's steps and time line for graders */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "socklab/diag.h"
#include "socklab/report.h"

static const char *const status_names[] = {
	[SL_STEP_PENDING] = "pending", [SL_STEP_OK] = "ok",
	[SL_STEP_FAILED] = "failed", [SL_STEP_SKIPPED] = "skipped",
};

static const char *const kind_names[] = {
	[SL_TL_STEP] = "step", [SL_TL_PROCESS] = "process",
	[SL_TL_SOCKET] = "socket", [SL_TL_PACKET] = "packet",
};

static void key_str(struct sl_buf *b, const char *key, const char *val)
{
	sl_buf_printf(b, "\"%s\":", key);
	sl_buf_json_str(b, val ? val : "", val ? strlen(val) : 0);
}

void sl_report_lab_flags(struct sl_buf *b, unsigned flags)
{
	static const struct sl_tok names[] = {
		{ 0x01, "FIN" }, { 0x02, "SYN" }, { 0x04, "RST" },
		{ 0x08, "PSH" }, { 0x10, "ACK" }, { 0x20, "URG" }, { 0, NULL }
	};
	/* tshark's order: FIN SYN RST PSH ACK URG */
	int first = 1;

	sl_buf_putc(b, '[');
	for (const struct sl_tok *t = names; t->name; t++)
		if (flags & (unsigned)t->value) {
			sl_buf_printf(b, "%s%s", first ? "" : ", ", t->name);
			first = 0;
		}
	sl_buf_putc(b, ']');
}

static double rel_ms(const struct sl_lab *lab, int64_t t)
{
	return (double)(t - lab->t0_ns) / 1e6;
}

static void json_event(struct sl_buf *b, const struct sl_lab *lab,
		       const struct sl_tl_event *ev)
{
	sl_buf_printf(b, "{\"t_ms\":%.3f,\"kind\":\"%s\",", rel_ms(lab, ev->t_ns),
		      kind_names[ev->kind]);
	key_str(b, "text", ev->text);
	if (ev->kind == SL_TL_SOCKET) {
		sl_buf_puts(b, ",");
		key_str(b, "state", ev->state ? sl_tcp_state_name(ev->state) : "");
		sl_buf_puts(b, ",");
		key_str(b, "prev_state",
			ev->prev_state ? sl_tcp_state_name(ev->prev_state) : "");
		sl_buf_puts(b, ",");
		key_str(b, "local", ev->local);
		sl_buf_puts(b, ",");
		key_str(b, "remote", ev->remote);
		sl_buf_printf(b, ",\"pid\":%d,", ev->pid);
		key_str(b, "program", ev->program);
		sl_buf_printf(b, ",\"side\":\"%s\"", ev->owner == 0 ? "server" :
			      ev->owner == 1 ? "client" : "other");
	} else if (ev->kind == SL_TL_PACKET) {
		struct sl_buf f = SL_BUF_INIT;

		sl_report_lab_flags(&f, ev->flags);
		sl_buf_printf(b, ",\"frame\":%u,\"direction\":\"%s\",\"flags\":\"%s\","
			      "\"seq\":%u,\"ack\":%u,\"len\":%u,\"frame_len\":%u,"
			      "\"carries_name\":%s,\"carries_reply\":%s",
			      ev->frame, ev->from_client ? "client->server" :
			      "server->client", f.data, ev->seq, ev->ack, ev->len,
			      ev->wire_len, ev->carries_name ? "true" : "false",
			      ev->carries_reply ? "true" : "false");
		sl_buf_release(&f);
	}
	sl_buf_putc(b, '}');
}

static void json_steps(struct sl_buf *b, const struct sl_lab *lab)
{
	sl_buf_puts(b, "\"steps\":[");
	for (int i = 0; i < SL_STEP_COUNT; i++) {
		const struct sl_lab_step *s = &lab->steps[i];

		sl_buf_printf(b, "%s{\"n\":%d,", i ? "," : "", i + 1);
		key_str(b, "key", s->key);
		sl_buf_puts(b, ",");
		key_str(b, "title", s->title);
		sl_buf_printf(b, ",\"status\":\"%s\",", status_names[s->status]);
		key_str(b, "detail", s->why);
		sl_buf_puts(b, ",");
		key_str(b, "classic", s->classic);
		sl_buf_printf(b, ",\"t_ms\":%.3f,\"text\":",
			      s->t_ns ? rel_ms(lab, s->t_ns) : 0.0);
		sl_buf_json_str(b, s->text.data ? s->text.data : "", s->text.len);
		sl_buf_putc(b, '}');
	}
	sl_buf_puts(b, "]");
}

/* The student's programs, what they printed, and what the run noted. */
static void json_programs(struct sl_buf *b, const struct sl_lab *lab)
{
	static const char *const levels[] = { "info", "warning" };

	sl_buf_puts(b, "\"programs\":");
	if (!lab->programs) {
		sl_buf_puts(b, "null,");
	} else {
		sl_buf_puts(b, "{");
		key_str(b, "server_command", lab->o.server_cmd);
		sl_buf_puts(b, ",");
		key_str(b, "client_command", lab->o.client_cmd);
		sl_buf_puts(b, ",");
		key_str(b, "server_program", lab->server_program);
		sl_buf_puts(b, ",");
		key_str(b, "client_program", lab->client_program);
		sl_buf_puts(b, ",\"output\":");
		sl_buf_json_str(b, lab->outputs.data ? lab->outputs.data : "",
				lab->outputs.len);
		sl_buf_puts(b, "},");
	}
	sl_buf_puts(b, "\"name_frames\":[");
	for (size_t i = 0; i < lab->nname_frames; i++)
		sl_buf_printf(b, "%s%u", i ? "," : "", lab->name_frames[i]);
	sl_buf_puts(b, "],\"notes\":[");
	for (size_t i = 0; i < lab->nnotes; i++) {
		sl_buf_printf(b, "%s{\"level\":\"%s\",", i ? "," : "",
			      levels[lab->notes[i].level]);
		key_str(b, "text", lab->notes[i].text);
		sl_buf_putc(b, '}');
	}
	sl_buf_puts(b, "],");
}

int sl_report_lab_json(struct sl_buf *b, const struct sl_lab *lab)
{
	time_t start = (time_t)(lab->t0_ns / 1000000000);
	char when[32];
	int verified = lab->exit_status == 0;

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&start));
	sl_buf_puts(b, "{");
	key_str(b, "name", lab->o.name);
	sl_buf_printf(b, ",\"port\":%u,\"family\":\"%s\",", lab->port,
		      lab->o.family == AF_INET6 ? "ipv6" : "ipv4");
	key_str(b, "display_filter", lab->filter);
	sl_buf_puts(b, ",");
	key_str(b, "capture_filter", lab->bpf);
	sl_buf_printf(b, ",\"started\":\"%s\",\"verified\":%s,\"exit_status\":%d,",
		      when, verified ? "true" : "false", lab->exit_status);
	sl_buf_printf(b, "\"server\":{\"pid\":%d,", (int)lab->server_pid);
	key_str(b, "address", lab->server_addr);
	sl_buf_printf(b, "},\"client\":{\"pid\":%d,", (int)lab->client_pid);
	key_str(b, "address", lab->client_addr);
	sl_buf_puts(b, "},");
	key_str(b, "server_log", lab->received.data);
	sl_buf_puts(b, ",");
	key_str(b, "client_reply", lab->reply.data);
	sl_buf_puts(b, ",\"pcap\":{");
	key_str(b, "path", lab->pcap_path);
	sl_buf_printf(b, ",\"packets\":%u,\"name_frame\":%u,\"captured\":%s},",
		      lab->packets, lab->name_frame,
		      lab->capture_skipped ? "false" : "true");
	json_programs(b, lab);
	json_steps(b, lab);
	sl_buf_puts(b, ",\"timeline\":[");
	for (size_t i = 0; i < lab->tl.n; i++) {
		if (i)
			sl_buf_putc(b, ',');
		json_event(b, lab, &lab->tl.v[i]);
	}
	sl_buf_puts(b, "]}\n");
	return b->data ? 0 : -ENOMEM;
}
