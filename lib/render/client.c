/* client.c - the client's output: a reply line as `socklab client`
 * prints it, its --json record, and that record read back */
#include <errno.h>
#include <string.h>

#include "socklab/render.h"

int sl_render_client_text(struct sl_buf *b, const void *line, size_t n)
{
	int rc = sl_buf_escape(b, line, n);

	return rc ? rc : sl_buf_putc(b, '\n');
}

int sl_render_client_json(struct sl_buf *b, const struct sl_client_event *ev)
{
	int rc = sl_buf_printf(b, "{\"event\":\"%s\",\"local\":", ev->event);

	if (rc == 0)
		rc = sl_buf_json_str(b, ev->local, strlen(ev->local));
	if (rc == 0)
		rc = sl_buf_puts(b, ",\"remote\":");
	if (rc == 0)
		rc = sl_buf_json_str(b, ev->remote, strlen(ev->remote));
	if (rc == 0 && ev->key && (rc = sl_buf_printf(b, ",\"%s\":", ev->key)) == 0)
		rc = sl_buf_json_str(b, ev->data, ev->len);
	if (rc == 0 && ev->rtt_ms >= 0)
		rc = sl_buf_printf(b, ",\"rtt_ms\":%.3f", ev->rtt_ms);
	return rc ? rc : sl_buf_puts(b, "}\n");
}

static void copy_str(const struct sl_json *j, const struct sl_json_node *v,
		     char *out, size_t outlen)
{
	size_t n;
	const char *s = sl_json_str(j, v, &n);

	n = s ? (n < outlen ? n : outlen - 1) : 0;
	if (s)
		memcpy(out, s, n);
	out[n] = '\0';
}

int sl_client_record_parse(struct sl_client_record *r, const char *line,
			   size_t n, struct sl_err *e)
{
	const struct sl_json_node *root, *v;
	static const char *const keys[] = { "line", "reply" };
	const char *s;
	size_t len;
	int rc;

	if ((rc = sl_json_parse(&r->json, line, n, e)) < 0)
		return rc;
	root = sl_json_root(&r->json);
	copy_str(&r->json, sl_json_member(&r->json, root, "event"), r->event,
		 sizeof(r->event));
	if (!r->event[0])
		return sl_err_set(e, -EINVAL, "not a record of socklab client: no \"event\"");
	copy_str(&r->json, sl_json_member(&r->json, root, "local"), r->local,
		 sizeof(r->local));
	copy_str(&r->json, sl_json_member(&r->json, root, "remote"), r->remote,
		 sizeof(r->remote));
	r->data = NULL;
	r->len = 0;
	for (size_t i = 0; i < SL_ARRAY_SIZE(keys); i++) {
		v = sl_json_member(&r->json, root, keys[i]);
		if ((s = sl_json_str(&r->json, v, &len))) {
			r->data = s;
			r->len = len;
		}
	}
	return 0;
}
