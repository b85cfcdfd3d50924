/* test-sha256.c - SHA-256 against FIPS 180-4's examples and sha256sum */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "socklab/util.h"

static void test_vectors(void **state)
{
	char h[SL_SHA256_HEX];

	(void)state;
	sl_sha256_of("", 0, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sl_sha256_of("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sl_sha256_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, h);
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* Every length across the padding's edges, fed in odd pieces, against
 * the coreutils tool on the same bytes. */
static void test_against_sha256sum(void **state)
{
	char path[] = "/tmp/socklab-sha-XXXXXX", cmd[128], want[80], h[SL_SHA256_HEX];
	unsigned char data[200];

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 37 + 11);
	for (size_t n = 50; n < 140; n += 7) {
		int fd = mkstemp(path);
		struct sl_sha256 c;
		FILE *p;

		assert_true(fd >= 0);
		assert_int_equal(write(fd, data, n), (ssize_t)n);
		close(fd);
		snprintf(cmd, sizeof(cmd), "sha256sum %s", path);
		p = popen(cmd, "r");
		assert_non_null(p);
		assert_non_null(fgets(want, sizeof(want), p));
		pclose(p);
		unlink(path);
		strcpy(path, "/tmp/socklab-sha-XXXXXX");
		sl_sha256_init(&c);
		for (size_t k = 0; k < n; k += 13)
			sl_sha256_update(&c, data + k, n - k < 13 ? n - k : 13);
		sl_sha256_hex(&c, h);
		assert_memory_equal(h, want, 64);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_against_sha256sum),
	};

	return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
