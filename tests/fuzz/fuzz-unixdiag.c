/* fuzz-unixdiag.c - the unix socket readers on arbitrary bytes: bit 0 of
 * the first byte picks one recv() of an AF_UNIX sock_diag dump (the
 * reply starts at byte 4, 4-byte aligned as the kernel's) or the text of
 * /proc/net/unix (from byte 1); bit 1 a port filter, which no unix row
 * passes.  Every row is a sane unix socket that formats and prints. */
#include <assert.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "socklab/diag.h"
#include "socklab/render.h"

static void check(const struct sl_sock_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct sl_sock *s = &l->v[i];
		char a[SL_SOCK_ADDRSTRLEN], more[512];
		struct sl_buf b = SL_BUF_INIT;

		assert(s->local.ss.ss_family == AF_UNIX);
		assert(s->state > 0 && s->state < SL_TCP_MAX_STATES);
		assert(strcmp(sl_sock_proto_name(s), "u_???"));
		assert(sl_sock_addr_format(&s->local, a, sizeof(a)) > 0);
		assert(strlen(a) < sizeof(a));
		assert(sl_sock_addr_format(&s->remote, a, sizeof(a)) > 0);
		assert(sl_render_sock_json(&b, s, SL_TABLE_MORE) == 0);
		assert(b.data[b.len - 1] == '\n' && !memchr(b.data, '\n', b.len - 1));
		assert(sl_render_sock_more(s, SL_TABLE_MORE, more, sizeof(more)) <
		       sizeof(more));
		sl_buf_release(&b);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_diag_query q = { SL_DIAG_UNIX, 0, SL_STATES_ALL, 0,
				   SL_SRC_AUTO, 0 };
	struct sl_sock_list l;
	struct sl_buf table = SL_BUF_INIT;

	if (size < 4)
		return 0;
	if (data[0] & 2)
		q.port = 1;
	sl_sock_list_init(&l);
	if (data[0] & 1) {
		int rc = sl_unixdiag_decode(data + 4, size - 4, &q, &l);

		assert(rc == SL_SOCKDIAG_MORE || rc == SL_SOCKDIAG_DONE || rc < 0);
	} else {
		assert(sl_procnet_unix_parse((const char *)data + 1, size - 1, &q,
					     &l) == (int)l.n);
	}
	if (q.port)
		assert(l.n == 0);
	assert(sl_diag_unix_peers(&l) == 0);
	check(&l);
	assert(sl_render_sockets(&table, &l, SL_TABLE_OWNERS | SL_TABLE_MORE, 1) == 0);
	for (size_t i = 0; i < table.len; i++)
		assert((unsigned char)table.data[i] >= 0x20 || table.data[i] == '\n' ||
		       table.data[i] == '\t');
	sl_buf_release(&table);
	sl_sock_list_release(&l);
	return 0;
}
