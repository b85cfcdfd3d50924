/* fuzz-zip.c - the ZIP reader on arbitrary bytes: every entry it hands
 * over lies inside the archive, and a stored one matches its CRC-32 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "socklab/verify.h"

struct seen {
	const uint8_t *z;
	size_t n, entries;
};

static int entry(const struct sl_zip_entry *ze, void *arg)
{
	struct seen *s = arg;

	assert((const uint8_t *)ze->name >= s->z &&
	       (const uint8_t *)ze->name + ze->name_len <= s->z + s->n);
	if (ze->data) {
		assert(ze->method == 0);
		assert(ze->data >= s->z && ze->size <= s->n &&
		       ze->data + ze->size <= s->z + s->n);
		assert(sl_crc32(ze->data, ze->size) == ze->crc);
	}
	return ++s->entries > 100000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = { data, size, 0 };
	struct sl_err e;
	int rc = sl_zip_each(data, size, entry, &s, &e);

	assert(rc <= 1);
	if (rc < 0)
		assert(e.code == rc && e.msg[0]);
	return 0;
}
