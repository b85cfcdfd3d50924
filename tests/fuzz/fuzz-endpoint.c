/* fuzz-endpoint.c - address and port parsing on arbitrary text.
 * Whatever parses must format and parse again to the same endpoint; a
 * HOST:PORT split keeps the host within its buffer and a port in range. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct sl_endpoint ep, again;
	struct sl_err e;
	char text[SL_ADDRSTRLEN];
	uint16_t port;

	memcpy(s, data, size);
	s[size] = '\0';
	if (sl_endpoint_parse(s, 59001, &ep, &e) == 0) {
		int n = sl_addr_format((struct sockaddr *)&ep.ss, text,
				       sizeof(text));

		assert(n > 0 && (size_t)n < sizeof(text));
		assert(sl_endpoint_parse(text, 1, &again, &e) == 0);
		assert(again.ss.ss_family == ep.ss.ss_family);
		assert(sl_addr_port((struct sockaddr *)&again.ss) ==
		       sl_addr_port((struct sockaddr *)&ep.ss));
	} else {
		assert(e.code < 0 && strlen(e.msg) < sizeof(e.msg));
	}
	if (sl_port_parse(s, 1, &port, &e) < 0)
		assert(strstr(e.msg, "bad port"));
	{
		char host[64];
		int k = sl_hostport_split(s, host, sizeof(host), &port, &e);

		assert(k >= -4095 && k <= 1);
		if (k >= 0)
			assert(strlen(host) < sizeof(host) && strlen(host) <= size);
		if (k == 1)
			assert(port >= 1);
	}
	free(s);
	return 0;
}
