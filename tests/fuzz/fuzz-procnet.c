/* fuzz-procnet.c - the /proc/net/{tcp,udp}[6] text parser on arbitrary
 * bytes.  First byte: protocol (bit 0) and a state / port filter (bits
 * 1-2); the rest is the text.  Every row must be a sane socket, and never
 * more rows than lines. */
#include <assert.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#include "socklab/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_diag_query q = { SL_DIAG_TCP | SL_DIAG_UDP,
				   SL_DIAG_V4 | SL_DIAG_V6, SL_STATES_ALL, 0,
				   SL_SRC_PROC, 0 };
	struct sl_sock_list l;
	size_t lines = 1;
	int proto, rc;

	if (size < 1)
		return 0;
	proto = data[0] & 1 ? IPPROTO_UDP : IPPROTO_TCP;
	if (data[0] & 2)
		q.states = SL_STATE_BIT(SL_TCP_LISTEN) |
			   SL_STATE_BIT(SL_TCP_CLOSE);
	if (data[0] & 4)
		q.port = 38649;
	data++;
	size--;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	sl_sock_list_init(&l);
	rc = sl_procnet_parse((const char *)data, size, proto, &q, &l);
	assert(rc >= 0 && (size_t)rc == l.n && l.n <= lines);
	for (size_t i = 0; i < l.n; i++) {
		const struct sl_sock *s = &l.v[i];

		assert(s->proto == proto);
		assert(s->state > 0 && s->state < SL_TCP_MAX_STATES);
		assert(s->local.ss.ss_family == s->remote.ss.ss_family);
		assert(sl_diag_match(&q, s));
	}
	sl_sock_list_release(&l);
	return 0;
}
