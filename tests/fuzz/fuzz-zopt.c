/* fuzz-zopt.c - tshark's -z spellings (sl_tap_parse_z) on arbitrary text:
 * it accepts or refuses, never both; a refusal's message holds no control
 * character (the text is shown back escaped); what it accepts is a report
 * socklab makes, and spelling it back the canonical way gives the same. */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/tap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kind[] = { "conv", "endpoints", "follow", "expert" };
	struct sl_tap_opts o, o2;
	struct sl_err e;
	char *s, again[96];
	int flow = 0, flow2 = 0, rc;

	if (size > 4096 || !(s = malloc(size + 1)))
		return 0;
	memcpy(s, data, size);
	s[size] = 0;		/* argv's words end at their first NUL */
	memset(&e, 0, sizeof(e));
	rc = sl_tap_parse_z(s, &o, &flow, &e);
	assert(rc == 0 || rc == 1 || rc == -EINVAL);
	if (rc < 0) {
		assert(e.code == -EINVAL && e.msg[0]);
		for (const char *m = e.msg; *m; m++)
			assert((unsigned char)*m >= 0x20 && *m != 0x7f);
	} else if (rc == 1) {
		assert(flow == 1 && strcmp(s, "flow,tcp,standard") == 0);
	} else {
		assert(flow == 0 && (unsigned)o.kind <= SL_TAP_EXPERT);
		assert((unsigned)o.layer <= SL_TAP_ETH);
		if (o.kind == SL_TAP_FOLLOW) {
			assert(o.layer <= SL_TAP_UDP && o.stream >= 0 &&
			       o.stream <= 0xffffffffll);
			snprintf(again, sizeof(again), "follow,%s,%s,%lld",
				 sl_tap_layer_name(o.layer), o.hex ? "hex" : "ascii",
				 (long long)o.stream);
		} else if (o.kind == SL_TAP_EXPERT) {
			snprintf(again, sizeof(again), "expert");
		} else {
			assert(o.stream == -1 && !o.hex);
			snprintf(again, sizeof(again), "%s,%s", kind[o.kind],
				 sl_tap_layer_name(o.layer));
		}
		assert(sl_tap_parse_z(again, &o2, &flow2, &e) == 0);
		assert(memcmp(&o, &o2, sizeof(o)) == 0);
	}
	free(s);
	return 0;
}
