/* fuzz-route.c - the RTM_NEWROUTE reply decoder (`ip route get`) on
 * arbitrary bytes: it returns 0 or a negative code, and never reads past
 * the message. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/why.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_why_route r;
	void *buf = aligned_alloc(8, (size + 15) & ~(size_t)7);
	int ifindex, rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	memset(&r, 0, sizeof(r));
	rc = sl_route_decode(buf, size, &r, &ifindex);
	assert(rc <= 0);
	assert(!r.has_gw || r.gw.ss.ss_family == AF_INET ||
	       r.gw.ss.ss_family == AF_INET6);
	free(buf);
	return 0;
}
