/* fuzz-datagram.c - the server's answer to one UDP datagram on arbitrary
 * bytes.  First byte: --max-line (1 to 256); second: the room for the
 * reply (128 bytes up to a whole datagram); the rest is the datagram.
 * The reply fits its room, is whole lines, and each line it was told of
 * is in it, in order. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/line.h"

struct seen {
	const char *reply;	/* where the next told reply must start */
	size_t told;
};

static void told(const struct sl_line *line, enum sl_hello_verdict v,
		 const char *reply, size_t n, void *arg)
{
	struct seen *s = arg;

	(void)line;
	(void)v;
	assert(reply == s->reply && n > 0 && reply[n - 1] == '\n');
	s->reply += n;
	s->told += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[SL_DATAGRAM_MAX];
	struct seen s = { out, 0 };
	size_t max_line, room, k;

	if (size < 2)
		return 0;
	max_line = (size_t)data[0] + 1;
	room = 128 + (size_t)data[1] * (SL_DATAGRAM_MAX - 128) / 255;
	k = sl_hello_datagram((const char *)data + 2, size - 2, max_line, out,
			      room, told, &s);
	assert(k <= room && k == s.told);
	assert(k > 0 && out[k - 1] == '\n');
	return 0;
}
