/* fuzz-snmp.c - the kernel counter readers on arbitrary text: bit 0 of
 * the first byte picks /proc/net/snmp-style counters (either format, as
 * the --stats history is read too) or /proc/net/sockstat totals.  Every
 * counter has a name that fits, no more counters than words. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "socklab/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	size_t words = 1;

	if (size < 1)
		return 0;
	size--;
	for (size_t i = 0; i < size; i++)
		words += text[i] == ' ' || text[i] == '\t' || text[i] == '\n';
	if (data[0] & 1) {
		struct sl_sockstat st;

		memset(&st, 0, sizeof(st));
		assert(sl_sockstat_parse(text, size, &st) >= 0);
		return 0;
	}
	{
		struct sl_counters c;
		int n;

		sl_counters_init(&c);
		n = sl_counters_parse(text, size, &c);
		assert(n >= 0 && (size_t)n == c.n && c.n <= words);
		for (size_t i = 0; i < c.n; i++) {
			size_t len = strnlen(c.v[i].name, SL_COUNTER_NAME);

			assert(len > 0 && len < SL_COUNTER_NAME);
			assert(sl_counters_find(&c, c.v[i].name) != NULL);
		}
		sl_counters_release(&c);
	}
	return 0;
}
