/* fuzz-pcapng.c - the pcapng section header reader on arbitrary bytes
 * (every option inside the header), and the writer's blocks read back:
 * comments made of the input come back as they went in */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "socklab/capture.h"

struct seen {
	const uint8_t *d;
	size_t n, opts;
	const char *want;
	int found;
};

static int option(unsigned code, const uint8_t *v, size_t n, void *arg)
{
	struct seen *s = arg;

	assert(v >= s->d && v + n <= s->d + s->n);
	if (s->want && code == 1 && n == strlen(s->want) &&
	    !memcmp(v, s->want, n))
		s->found = 1;
	(void)code;
	return ++s->opts > 100000;
}

/* The input as a comment (up to its first NUL) and a frame. */
static void round_trip(const uint8_t *data, size_t size)
{
	char comment[512];
	const char *comments[] = { comment, NULL };
	struct sl_pcapng_info info = { comments, "socklab fuzz", "lo" };
	struct sl_frame f = { 1, (uint32_t)size, (uint32_t)size, data };
	struct sl_buf b = SL_BUF_INIT;
	struct seen s = { 0 };
	size_t n = size < sizeof(comment) - 1 ? size : sizeof(comment) - 1;

	memcpy(comment, data, n);
	comment[n] = '\0';
	assert(sl_pcapng_header(&b, &info, 1, 262144) == 0);
	assert(sl_pcapng_packet(&b, &f) == 0);
	assert(b.len % 4 == 0);
	s.d = (const uint8_t *)b.data;
	s.n = b.len;
	s.want = comment;
	assert(sl_pcapng_shb_options(b.data, b.len, option, &s) == 0);
	assert(s.found || !comment[0]);
	sl_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = { data, size, 0, NULL, 0 };
	int rc = sl_pcapng_shb_options(data, size, option, &s);

	assert(rc == 0 || rc == 1 || rc == -EINVAL || rc == -EBADMSG);
	round_trip(data, size);
	return 0;
}
