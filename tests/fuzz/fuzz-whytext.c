/* fuzz-whytext.c - the text parsers of socklab why on arbitrary bytes.
 * First byte picks one: 0 /proc/net/netstat (TcpExt counters), 1
 * /etc/hosts (the lookup of "localhost" and of "server.lab"), 2
 * ip_local_port_range, 3 /proc/PID/limits, 4 /proc/net/dev (the
 * capture co-pilot's packet counters).  The rest is the text, not
 * NUL-terminated. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/capture.h"
#include "socklab/why.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text;
	char *copy;
	size_t n;

	if (size < 1)
		return 0;
	n = size - 1;
	copy = malloc(n ? n : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, n);
	text = copy;
	switch (data[0] & 7) {
	case 0: {
		struct sl_netstat ns;

		assert(sl_netstat_parse(text, n, &ns) <= 0);
		break;
	}
	case 1: {
		struct sl_hosts_match m;

		assert(sl_hosts_lookup(text, n, "localhost", 80, &m) ==
		       (int)m.n && m.n <= SL_ARRAY_SIZE(m.v));
		sl_hosts_lookup(text, n, "server.lab.", 80, &m);
		for (size_t i = 0; i < m.n; i++)
			assert(sl_addr_port((const struct sockaddr *)&m.v[i].ss) == 80);
		break;
	}
	case 2: {
		int lo = 0, hi = 0;

		if (sl_port_range_parse(text, n, &lo, &hi) == 0)
			assert(lo <= hi && hi <= 65535);
		break;
	}
	case 3:
		assert(sl_limits_nofile(text, n) >= -1);
		break;
	default: {
		uint64_t p;

		assert(sl_procnetdev_packets(text, n, data[0] & 1 ? "any" : "lo", &p) <= 0);
	}
	}
	free(copy);
	return 0;
}
