/* labjson.c - report.json: the lab's steps and time line for graders */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "socklab/diag.h"
#include "socklab/report.h"
#include "report-int.h"

static const char *const status_names[] = {
	[SL_STEP_PENDING] = "pending", [SL_STEP_OK] = "ok",
	[SL_STEP_FAILED] = "failed", [SL_STEP_SKIPPED] = "skipped",
};

static const char *const kind_names[] = {
	[SL_TL_STEP] = "step", [SL_TL_PROCESS] = "process",
	[SL_TL_SOCKET] = "socket", [SL_TL_PACKET] = "packet",
};

static int key_str(struct sl_buf *b, const char *key, const char *val)
{
	int rc = sl_buf_printf(b, "\"%s\":", key);

	return rc ? rc : sl_buf_json_str(b, val ? val : "",
					 val ? strlen(val) : 0);
}

/* ",\"key\":\"val\"" */
static int next_str(struct sl_buf *b, const char *key, const char *val)
{
	int rc = sl_buf_putc(b, ',');

	return rc ? rc : key_str(b, key, val);
}

int sl_report_lab_flags(struct sl_buf *b, unsigned flags)
{
	static const struct sl_tok names[] = {
		{ 0x01, "FIN" }, { 0x02, "SYN" }, { 0x04, "RST" },
		{ 0x08, "PSH" }, { 0x10, "ACK" }, { 0x20, "URG" }, { 0, NULL }
	};
	/* tshark's order: FIN SYN RST PSH ACK URG */
	int first = 1, rc = sl_buf_putc(b, '[');

	for (const struct sl_tok *t = names; t->name && !rc; t++)
		if (flags & (unsigned)t->value) {
			rc = sl_buf_printf(b, "%s%s", first ? "" : ", ",
					   t->name);
			first = 0;
		}
	return rc ? rc : sl_buf_putc(b, ']');
}

static double rel_ms(const struct sl_lab *lab, int64_t t)
{
	return (double)(t - lab->t0_ns) / 1e6;
}

static int json_socket(struct sl_buf *b, const struct sl_tl_event *ev)
{
	int rc = next_str(b, "state", ev->state ?
			  sl_lab_state_name(ev, ev->state) : "");

	rc = rc ? rc : next_str(b, "prev_state", ev->prev_state ?
				sl_lab_state_name(ev, ev->prev_state) : "");
	rc = rc ? rc : next_str(b, "local", ev->local);
	rc = rc ? rc : next_str(b, "remote", ev->remote);
	rc = rc ? rc : sl_buf_printf(b, ",\"pid\":%d", ev->pid);
	rc = rc ? rc : next_str(b, "program", ev->program);
	return rc ? rc : sl_buf_printf(b, ",\"side\":\"%s\"",
				       ev->owner == 0 ? "server" :
				       ev->owner == 1 ? "client" : "other");
}

static int json_packet(struct sl_buf *b, const struct sl_tl_event *ev)
{
	struct sl_buf f = SL_BUF_INIT;
	int rc;

	/* a datagram has no flags: null, not an empty list */
	if (ev->udp) {
		rc = sl_buf_puts(&f, "null");
	} else {
		rc = sl_buf_putc(&f, '"');
		rc = rc ? rc : sl_report_lab_flags(&f, ev->flags);
		rc = rc ? rc : sl_buf_putc(&f, '"');
	}
	rc = rc ? rc : sl_buf_printf(b, ",\"frame\":%u,\"direction\":\"%s\","
				     "\"flags\":%s,\"seq\":%u,\"ack\":%u,"
				     "\"len\":%u,\"frame_len\":%u,"
				     "\"carries_name\":%s,\"carries_reply\":%s",
				     ev->frame, ev->from_client ?
				     "client->server" : "server->client",
				     f.data, ev->seq, ev->ack, ev->len,
				     ev->wire_len,
				     ev->carries_name ? "true" : "false",
				     ev->carries_reply ? "true" : "false");
	sl_buf_release(&f);
	return rc;
}

static int json_event(struct sl_buf *b, const struct sl_lab *lab,
		      const struct sl_tl_event *ev)
{
	int rc = sl_buf_printf(b, "{\"t_ms\":%.3f,\"kind\":\"%s\",",
			       rel_ms(lab, ev->t_ns), kind_names[ev->kind]);

	rc = rc ? rc : key_str(b, "text", ev->text);
	if (!rc && ev->kind == SL_TL_SOCKET)
		rc = json_socket(b, ev);
	else if (!rc && ev->kind == SL_TL_PACKET)
		rc = json_packet(b, ev);
	return rc ? rc : sl_buf_putc(b, '}');
}

static int json_step(struct sl_buf *b, const struct sl_lab *lab, int i)
{
	const struct sl_lab_step *s = &lab->steps[i];
	int rc = sl_buf_printf(b, "%s{\"n\":%d,", i ? "," : "", i + 1);

	rc = rc ? rc : key_str(b, "key", s->key);
	rc = rc ? rc : next_str(b, "title", s->title);
	rc = rc ? rc : sl_buf_printf(b, ",\"status\":\"%s\"",
				     status_names[s->status]);
	rc = rc ? rc : next_str(b, "detail", s->why);
	rc = rc ? rc : next_str(b, "classic", s->classic);
	rc = rc ? rc : sl_buf_printf(b, ",\"t_ms\":%.3f,\"text\":",
				     s->t_ns ? rel_ms(lab, s->t_ns) : 0.0);
	rc = rc ? rc : sl_buf_json_str(b, s->text.data ? s->text.data : "",
				       s->text.len);
	return rc ? rc : sl_buf_putc(b, '}');
}

static int json_head(struct sl_buf *b, const struct sl_lab *lab)
{
	time_t start = (time_t)(lab->t0_ns / 1000000000);
	char when[32];
	int rc;

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&start));
	rc = sl_buf_puts(b, "{");
	rc = rc ? rc : key_str(b, "name", lab->o.name);
	rc = rc ? rc : sl_buf_printf(b, ",\"port\":%u,\"family\":\"%s\"",
				     lab->port, lab->o.family == AF_INET6 ?
				     "ipv6" : "ipv4");
	rc = rc ? rc : next_str(b, "display_filter", lab->filter);
	rc = rc ? rc : next_str(b, "capture_filter", lab->bpf);
	rc = rc ? rc : sl_buf_printf(b, ",\"started\":\"%s\",\"verified\":%s,"
				     "\"exit_status\":%d,", when,
				     lab->exit_status == 0 ? "true" : "false",
				     lab->exit_status);
	rc = rc ? rc : sl_buf_printf(b, "\"server\":{\"pid\":%d,",
				     (int)lab->server_pid);
	rc = rc ? rc : key_str(b, "address", lab->server_addr);
	rc = rc ? rc : sl_buf_printf(b, "},\"client\":{\"pid\":%d,",
				     (int)lab->client_pid);
	rc = rc ? rc : key_str(b, "address", lab->client_addr);
	rc = rc ? rc : sl_buf_puts(b, "},");
	rc = rc ? rc : key_str(b, "server_log", lab->received.data);
	rc = rc ? rc : next_str(b, "client_reply", lab->reply.data);
	rc = rc ? rc : sl_buf_puts(b, ",\"pcap\":{");
	rc = rc ? rc : key_str(b, "path", lab->pcap_path);
	return rc ? rc : sl_buf_printf(b, ",\"packets\":%u,\"name_frame\":%u,"
				       "\"captured\":%s},", lab->packets,
				       lab->name_frame,
				       lab->capture_skipped ? "false" : "true");
}

/* The student's programs, what they printed, and what the run noted. */
static int json_programs(struct sl_buf *b, const struct sl_lab *lab)
{
	static const char *const levels[] = { "info", "warning" };
	int rc = sl_buf_puts(b, "\"programs\":");

	if (!rc && !lab->programs) {
		rc = sl_buf_puts(b, "null,");
	} else if (!rc) {
		rc = sl_buf_puts(b, "{");
		rc = rc ? rc : key_str(b, "server_command", lab->o.server_cmd);
		rc = rc ? rc : next_str(b, "client_command", lab->o.client_cmd);
		rc = rc ? rc : next_str(b, "server_program",
					lab->server_program);
		rc = rc ? rc : next_str(b, "client_program",
					lab->client_program);
		rc = rc ? rc : sl_buf_puts(b, ",\"output\":");
		rc = rc ? rc : sl_buf_json_str(b, lab->outputs.data ?
					       lab->outputs.data : "",
					       lab->outputs.len);
		rc = rc ? rc : sl_buf_puts(b, "},");
	}
	rc = rc ? rc : sl_buf_puts(b, "\"name_frames\":[");
	for (size_t i = 0; i < lab->nname_frames && !rc; i++)
		rc = sl_buf_printf(b, "%s%u", i ? "," : "", lab->name_frames[i]);
	rc = rc ? rc : sl_buf_puts(b, "],\"notes\":[");
	for (size_t i = 0; i < lab->nnotes && !rc; i++) {
		rc = sl_buf_printf(b, "%s{\"level\":\"%s\",", i ? "," : "",
				   levels[lab->notes[i].level]);
		rc = rc ? rc : key_str(b, "text", lab->notes[i].text);
		rc = rc ? rc : sl_buf_putc(b, '}');
	}
	return rc ? rc : sl_buf_puts(b, "],");
}

int sl_report_lab_json(struct sl_buf *b, const struct sl_lab *lab)
{
	int rc = json_head(b, lab);

	rc = rc ? rc : json_programs(b, lab);
	rc = rc ? rc : sl_buf_puts(b, "\"steps\":[");
	for (int i = 0; i < SL_STEP_COUNT && !rc; i++)
		rc = json_step(b, lab, i);
	rc = rc ? rc : sl_buf_puts(b, "],\"timeline\":[");
	for (size_t i = 0; i < lab->tl.n && !rc; i++) {
		rc = i ? sl_buf_putc(b, ',') : 0;
		rc = rc ? rc : json_event(b, lab, &lab->tl.v[i]);
	}
	return rc ? rc : sl_buf_puts(b, "]}\n");
}
