/* server.c - the server's event lines: the log text `socklab server`
 * prints, its --json form, and that form read back into a record, so a
 * program that runs the server (the lab) reads structures, not words */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/render.h"

static int put_addr(struct sl_buf *b, const struct sockaddr *sa, int json)
{
	char a[SL_ADDRSTRLEN];
	int n = sl_addr_format(sa, a, sizeof(a));

	if (n < 0)
		a[0] = '\0';
	return json ? sl_buf_json_str(b, a, strlen(a)) : sl_buf_puts(b, a);
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static int text_closed(struct sl_buf *b, const struct sl_srv_event *e)
{
	int rc = sl_buf_puts(b, "closed ");

	if (rc == 0)
		rc = put_addr(b, e->peer, 0);
	if (rc == 0)
		rc = sl_buf_printf(b, " (%llu line%s, %llu bytes in, %llu out",
				   (unsigned long long)e->lines, plural(e->lines),
				   (unsigned long long)e->bytes_in,
				   (unsigned long long)e->bytes_out);
	if (rc == 0 && e->reason)
		rc = sl_buf_printf(b, "; %s", e->reason);
	return rc ? rc : sl_buf_putc(b, ')');
}

static int text_listening(struct sl_buf *b, const struct sl_srv_event *e)
{
	int rc = sl_buf_puts(b, "listening on ");

	for (size_t i = 0; i < e->neps && rc == 0; i++) {
		if (i)
			rc = sl_buf_puts(b, " and ");
		if (rc == 0)
			rc = put_addr(b, (const struct sockaddr *)&e->eps[i].ss, 0);
	}
	return rc == 0 && e->udp ? sl_buf_puts(b, " (UDP)") : rc;
}

/* UDP's totals are datagrams, not clients. */
static int text_stopped(struct sl_buf *b, const struct sl_srv_event *e)
{
	if (e->udp)
		return sl_buf_printf(b, "stopped: answered %llu datagram%s%s",
				     (unsigned long long)e->clients,
				     plural(e->clients),
				     e->refused ? ", some replies could not be sent (send buffer full)" : "");
	return sl_buf_printf(b, "stopped: served %llu client%s, refused %llu",
			     (unsigned long long)e->clients, plural(e->clients),
			     (unsigned long long)e->refused);
}

/* "accepted A -> B", "received \"NAME\" from A", … (no newline) */
static int text_line(struct sl_buf *b, const struct sl_srv_event *e)
{
	int rc = 0;

	switch (e->kind) {
	case SL_SRV_LISTENING:
		return text_listening(b, e);
	case SL_SRV_ACCEPTED:
		if ((rc = sl_buf_puts(b, "accepted ")) == 0 &&
		    (rc = put_addr(b, e->peer, 0)) == 0 &&
		    (rc = sl_buf_puts(b, " -> ")) == 0)
			rc = put_addr(b, e->local, 0);
		return rc;
	case SL_SRV_RECEIVED:
		if ((rc = sl_buf_puts(b, "received \"")) == 0 &&
		    (rc = sl_buf_escape(b, e->data, e->len)) == 0 &&
		    (rc = sl_buf_puts(b, "\" from ")) == 0)
			rc = put_addr(b, e->peer, 0);
		if (rc == 0 && e->reads > 1)
			rc = sl_buf_printf(b, " (%u reads)", e->reads);
		return rc;
	case SL_SRV_REJECTED:
		/* the reply without its newline */
		if ((rc = sl_buf_puts(b, "answered ")) == 0 &&
		    (rc = put_addr(b, e->peer, 0)) == 0 &&
		    (rc = sl_buf_puts(b, " \"")) == 0 &&
		    (rc = sl_buf_escape(b, e->data, e->len ? e->len - 1 : 0)) == 0)
			rc = sl_buf_putc(b, '"');
		return rc;
	case SL_SRV_CLOSED:
		return text_closed(b, e);
	case SL_SRV_BUSY:
		if ((rc = sl_buf_puts(b, "refused ")) == 0 &&
		    (rc = put_addr(b, e->peer, 0)) == 0)
			rc = sl_buf_printf(b, ": %s", e->reason ? e->reason : "");
		return rc;
	case SL_SRV_STOPPED:
		return text_stopped(b, e);
	case SL_SRV_WARNING:
	case SL_SRV_FAILED:
		return sl_buf_puts(b, e->reason ? e->reason : "");
	}
	return 0;
}

int sl_render_srv_text(struct sl_buf *b, const struct sl_srv_event *e)
{
	int rc = text_line(b, e);

	return rc ? rc : sl_buf_putc(b, '\n');
}

static const char *const kind_names[] = {
	[SL_SRV_ACCEPTED] = "accepted", [SL_SRV_RECEIVED] = "received",
	[SL_SRV_REJECTED] = "answered", [SL_SRV_CLOSED] = "closed",
	[SL_SRV_BUSY] = "refused", [SL_SRV_WARNING] = "warning",
	[SL_SRV_STOPPED] = "stopped", [SL_SRV_LISTENING] = "listening",
	[SL_SRV_FAILED] = "error",
};

static int json_addrs(struct sl_buf *b, const struct sl_srv_event *e)
{
	int rc = sl_buf_puts(b, ",\"addresses\":[");

	for (size_t i = 0; i < e->neps && rc == 0; i++) {
		if (i)
			rc = sl_buf_putc(b, ',');
		if (rc == 0)
			rc = put_addr(b, (const struct sockaddr *)&e->eps[i].ss, 1);
	}
	return rc ? rc : sl_buf_putc(b, ']');
}

static int json_failed(struct sl_buf *b, const struct sl_srv_event *e)
{
	const char *name = e->error ? strerrorname_np(-e->error) : NULL;
	int rc;

	rc = sl_buf_printf(b, ",\"error\":\"%s\",\"errno\":%d",
			   name ? name : "", -e->error);
	if (rc == 0 && e->neps) {
		rc = sl_buf_puts(b, ",\"address\":");
		if (rc == 0)
			rc = put_addr(b, (const struct sockaddr *)&e->eps[0].ss, 1);
	}
	return rc;
}

static int json_body(struct sl_buf *b, const struct sl_srv_event *e)
{
	int rc = 0;

	if (e->peer && (rc = sl_buf_puts(b, ",\"peer\":")) == 0)
		rc = put_addr(b, e->peer, 1);
	if (rc == 0 && e->local && (rc = sl_buf_puts(b, ",\"local\":")) == 0)
		rc = put_addr(b, e->local, 1);
	if (rc == 0 && e->kind == SL_SRV_LISTENING)
		rc = json_addrs(b, e);
	if (rc == 0 && e->kind == SL_SRV_FAILED)
		rc = json_failed(b, e);
	if (rc == 0 && e->kind == SL_SRV_RECEIVED &&
	    (rc = sl_buf_puts(b, ",\"name\":")) == 0 &&
	    (rc = sl_buf_json_str(b, e->data, e->len)) == 0)
		rc = sl_buf_printf(b, ",\"reads\":%u", e->reads);
	if (rc == 0 && e->kind == SL_SRV_REJECTED &&
	    (rc = sl_buf_puts(b, ",\"reply\":")) == 0)
		rc = sl_buf_json_str(b, e->data, e->len ? e->len - 1 : 0);
	if (rc == 0 && e->kind == SL_SRV_CLOSED)
		rc = sl_buf_printf(b, ",\"lines\":%llu,\"bytes_in\":%llu,\"bytes_out\":%llu",
				   (unsigned long long)e->lines,
				   (unsigned long long)e->bytes_in,
				   (unsigned long long)e->bytes_out);
	if (rc == 0 && e->kind == SL_SRV_STOPPED)
		rc = sl_buf_printf(b, e->udp ? ",\"datagrams\":%llu,\"unsent\":%llu"
					     : ",\"clients\":%llu,\"refused\":%llu",
				   (unsigned long long)e->clients,
				   (unsigned long long)e->refused);
	if (rc == 0 && e->udp &&
	    (e->kind == SL_SRV_LISTENING || e->kind == SL_SRV_STOPPED))
		rc = sl_buf_puts(b, ",\"proto\":\"udp\"");
	return rc;
}

int sl_render_srv_json(struct sl_buf *b, const struct sl_srv_event *e)
{
	int rc = sl_buf_printf(b, "{\"event\":\"%s\"", kind_names[e->kind]);

	if (rc == 0)
		rc = json_body(b, e);
	if (rc == 0 && e->reason && (rc = sl_buf_puts(b, e->kind == SL_SRV_FAILED ?
						 ",\"message\":" : ",\"reason\":")) == 0)
		rc = sl_buf_json_str(b, e->reason, strlen(e->reason));
	return rc ? rc : sl_buf_puts(b, "}\n");
}

/* ---- reading the --json lines back ---- */

void sl_srv_record_init(struct sl_srv_record *r)
{
	memset(r, 0, sizeof(*r));
	sl_buf_init(&r->data);
	sl_json_init(&r->json);
}

void sl_srv_record_release(struct sl_srv_record *r)
{
	sl_buf_release(&r->data);
	sl_json_release(&r->json);
}

static int kind_of(const char *name, size_t n)
{
	for (size_t k = 0; k < SL_ARRAY_SIZE(kind_names); k++)
		if (kind_names[k] && strlen(kind_names[k]) == n &&
		    !memcmp(kind_names[k], name, n))
			return (int)k;
	return -1;
}

static int get_ep(struct sl_srv_record *r, const struct sl_json_node *v,
		  struct sl_endpoint *ep)
{
	struct sl_err e;
	size_t n;
	const char *s = sl_json_str(&r->json, v, &n);

	if (!s || n != strlen(s))
		return -EINVAL;
	return sl_endpoint_parse(s, 0, ep, &e) < 0 ? -EINVAL : 0;
}

static int get_u64(struct sl_srv_record *r, const char *key, uint64_t *out)
{
	const struct sl_json_node *v = sl_json_member(&r->json,
						      sl_json_root(&r->json), key);

	*out = 0;
	return v ? sl_json_uint(v, UINT64_MAX, out) : 0;
}

static int get_text(struct sl_srv_record *r, const char *key, char *out,
		    size_t outlen)
{
	const struct sl_json_node *v = sl_json_member(&r->json,
						      sl_json_root(&r->json), key);
	size_t n;
	const char *s = sl_json_str(&r->json, v, &n);

	if (!s)
		return 0;
	n = n < outlen ? n : outlen - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 1;
}

static int read_addresses(struct sl_srv_record *r, const char *key)
{
	const struct sl_json_node *a = sl_json_member(&r->json,
						      sl_json_root(&r->json), key);

	r->ev.neps = 0;
	if (a && a->type == SL_JSON_STRING)
		return get_ep(r, a, &r->eps[r->ev.neps++]);
	for (const struct sl_json_node *v = sl_json_first(&r->json, a); v;
	     v = sl_json_next(&r->json, v)) {
		if (r->ev.neps == SL_SERVE_MAX_BINDS ||
		    get_ep(r, v, &r->eps[r->ev.neps]) < 0)
			return -EINVAL;
		r->ev.neps++;
	}
	return 0;
}

static int read_data(struct sl_srv_record *r, const char *key, int newline)
{
	const struct sl_json_node *v = sl_json_member(&r->json,
						      sl_json_root(&r->json), key);
	size_t n;
	const char *s = sl_json_str(&r->json, v, &n);

	if (!s)
		return -EINVAL;
	sl_buf_reset(&r->data);
	if (sl_buf_append(&r->data, s, n) < 0 ||
	    (newline && sl_buf_putc(&r->data, '\n') < 0))
		return -ENOMEM;
	r->ev.data = r->data.data;
	r->ev.len = r->data.len;
	return 0;
}

static int read_ends(struct sl_srv_record *r)
{
	const struct sl_json_node *root = sl_json_root(&r->json);
	const struct sl_json_node *peer = sl_json_member(&r->json, root, "peer");
	const struct sl_json_node *local = sl_json_member(&r->json, root, "local");

	if (peer) {
		if (get_ep(r, peer, &r->peer) < 0)
			return -EINVAL;
		r->ev.peer = (const struct sockaddr *)&r->peer.ss;
	}
	if (local) {
		if (get_ep(r, local, &r->local) < 0)
			return -EINVAL;
		r->ev.local = (const struct sockaddr *)&r->local.ss;
	}
	return 0;
}

/* The ends each kind of line names (its text prints them). */
static int has_ends(const struct sl_srv_event *e)
{
	switch (e->kind) {
	case SL_SRV_ACCEPTED:
		return e->peer && e->local;
	case SL_SRV_RECEIVED:
	case SL_SRV_REJECTED:
	case SL_SRV_CLOSED:
	case SL_SRV_BUSY:
		return e->peer != NULL;
	default:
		return 1;
	}
}

static int read_kind_fields(struct sl_srv_record *r)
{
	uint64_t u = 0;
	int rc = 0;

	switch (r->ev.kind) {
	case SL_SRV_LISTENING:
		return read_addresses(r, "addresses");
	case SL_SRV_FAILED:
		if ((rc = get_u64(r, "errno", &u)) < 0 || u > 4095)
			return -EINVAL;
		r->ev.error = -(int)u;
		return sl_json_member(&r->json, sl_json_root(&r->json), "address") ?
			read_addresses(r, "address") : 0;
	case SL_SRV_RECEIVED:
		if ((rc = get_u64(r, "reads", &u)) < 0 || u > UINT32_MAX)
			return -EINVAL;
		r->ev.reads = (unsigned)u;
		return read_data(r, "name", 0);
	case SL_SRV_REJECTED:
		return read_data(r, "reply", 1);
	case SL_SRV_CLOSED:
		if ((rc = get_u64(r, "lines", &r->ev.lines)) == 0 &&
		    (rc = get_u64(r, "bytes_in", &r->ev.bytes_in)) == 0)
			rc = get_u64(r, "bytes_out", &r->ev.bytes_out);
		return rc;
	case SL_SRV_STOPPED:
		if ((rc = get_u64(r, r->ev.udp ? "datagrams" : "clients",
				  &r->ev.clients)) == 0)
			rc = get_u64(r, r->ev.udp ? "unsent" : "refused",
				     &r->ev.refused);
		return rc;
	default:
		return 0;
	}
}

int sl_srv_record_parse(struct sl_srv_record *r, const char *line, size_t n,
			struct sl_err *e)
{
	const struct sl_json_node *root, *ev;
	const char *kind;
	char proto[8];
	size_t kn;
	int k, rc;

	memset(&r->ev, 0, sizeof(r->ev));
	if ((rc = sl_json_parse(&r->json, line, n, e)) < 0)
		return rc;
	root = sl_json_root(&r->json);
	ev = sl_json_member(&r->json, root, "event");
	kind = sl_json_str(&r->json, ev, &kn);
	if (!kind || (k = kind_of(kind, kn)) < 0)
		return sl_err_set(e, -EINVAL, "not an event line of socklab server: no known \"event\"");
	r->ev.kind = (enum sl_srv_event_kind)k;
	if (get_text(r, k == SL_SRV_FAILED ? "message" : "reason", r->reason,
		     sizeof(r->reason)))
		r->ev.reason = r->reason;
	r->ev.eps = r->eps;
	if (get_text(r, "proto", proto, sizeof(proto)))
		r->ev.udp = strcmp(proto, "udp") == 0;
	if ((rc = read_ends(r)) == 0 && !has_ends(&r->ev))
		rc = -EINVAL;
	if (rc == 0)
		rc = read_kind_fields(r);
	if (rc == -ENOMEM)
		return sl_err_set(e, rc, "out of memory reading a server event");
	if (rc < 0)
		return sl_err_set(e, -EINVAL, "a \"%s\" event of socklab server with a bad field",
				  kind_names[k]);
	return 0;
}
