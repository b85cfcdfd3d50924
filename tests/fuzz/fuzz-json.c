/* fuzz-json.c - the JSON reader on arbitrary bytes.  A parsed tree must
 * be well formed: every link inside the node array, every string inside
 * the string buffer and NUL-terminated, children counted right.  The
 * server's and client's record readers (what the lab reads from its
 * children) take the same bytes: a record read back renders again. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/render.h"

static size_t walk(const struct sl_json *j, const struct sl_json_node *v,
		   int depth)
{
	size_t seen = 1, kids = 0;

	assert(depth <= 65);
	if (v->type == SL_JSON_STRING) {
		assert((size_t)v->str + v->str_len < j->strings.len);
		assert(j->strings.data[v->str + v->str_len] == '\0');
	}
	if (v->has_key)
		assert((size_t)v->key + v->key_len < j->strings.len);
	for (const struct sl_json_node *c = sl_json_first(j, v); c;
	     c = sl_json_next(j, c)) {
		assert(c > j->v && (size_t)(c - j->v) < j->n);
		assert(c->has_key == (v->type == SL_JSON_OBJECT));
		seen += walk(j, c, depth + 1);
		kids++;
	}
	assert(kids == v->count);
	return seen;
}

static void records(const uint8_t *data, size_t size)
{
	struct sl_srv_record r;
	struct sl_client_record c;
	struct sl_buf b = SL_BUF_INIT;
	struct sl_err e;

	sl_srv_record_init(&r);
	if (sl_srv_record_parse(&r, (const char *)data, size, &e) == 0) {
		assert(r.ev.neps <= SL_SERVE_MAX_BINDS);
		assert(sl_render_srv_text(&b, &r.ev) == 0);
		assert(sl_render_srv_json(&b, &r.ev) == 0);
	}
	sl_srv_record_release(&r);
	sl_json_init(&c.json);
	if (sl_client_record_parse(&c, (const char *)data, size, &e) == 0) {
		assert(!c.data || c.data >= c.json.strings.data);
		assert(sl_render_client_text(&b, c.data, c.len) == 0);
	}
	sl_json_release(&c.json);
	sl_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_json j;
	struct sl_err e;
	uint64_t u;

	sl_json_init(&j);
	if (sl_json_parse(&j, (const char *)data, size, &e) == 0) {
		const struct sl_json_node *r = sl_json_root(&j);

		assert(r && walk(&j, r, 0) == j.n);
		sl_json_member(&j, r, "event");
		sl_json_uint(r, 65535, &u);
	} else {
		assert(e.code < 0 && !sl_json_root(&j));
	}
	sl_json_release(&j);
	records(data, size);
	return 0;
}
