/* fuzz-sockdiag.c - the sock_diag dump decoder on arbitrary bytes, as one
 * recv() of a netlink reply.  Four bytes first: protocol (bit 0 of byte
 * 0), a state filter (byte 1), a port filter (bytes 2-3, big-endian); so
 * the reply itself stays 4-byte aligned as the kernel's is.  The rows'
 * attributes (tcp_info, congestion control, skmem) are printed too. */
#include <assert.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#include "socklab/diag.h"
#include "socklab/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_diag_query q = { SL_DIAG_TCP | SL_DIAG_UDP,
				   SL_DIAG_V4 | SL_DIAG_V6, SL_STATES_ALL, 0,
				   SL_SRC_NETLINK, 0 };
	struct sl_sock_list l;
	int proto, rc;

	if (size < 4)
		return 0;
	proto = data[0] & 1 ? IPPROTO_UDP : IPPROTO_TCP;
	if (data[1])
		q.states = (uint32_t)data[1] << 1;
	q.port = (uint16_t)(data[2] << 8 | data[3]);
	sl_sock_list_init(&l);
	rc = sl_sockdiag_decode(data + 4, size - 4, proto, &q, &l);
	assert(rc == SL_SOCKDIAG_MORE || rc == SL_SOCKDIAG_DONE || rc < 0);
	/* a row is at least a header and an inet_diag_msg */
	assert(l.n <= (size - 4) / 88);
	for (size_t i = 0; i < l.n; i++) {
		char text[SL_ADDRSTRLEN];
		struct sl_buf b = SL_BUF_INIT;

		assert(sl_diag_match(&q, &l.v[i]));
		assert(sl_sock_addr_format(&l.v[i].local, text, sizeof(text)) > 0);
		assert(sl_sock_json(&b, &l.v[i]) == 0);
		sl_buf_reset(&b);
		/* what -i -o -m -e print of the attributes */
		assert(sl_render_sock_json(&b, &l.v[i], SL_TABLE_MORE) == 0);
		assert(!memchr(b.data, '\n', b.len - 1));
		{
			char more[2048];

			assert(sl_render_sock_more(&l.v[i], SL_TABLE_MORE, more,
						   sizeof(more)) < sizeof(more));
			for (const char *p = more; *p; p++)
				assert((unsigned char)*p >= 0x20 && *p != 0x7f);
		}
		sl_buf_release(&b);
	}
	sl_sock_list_release(&l);
	return 0;
}
