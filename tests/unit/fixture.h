/* fixture.h - a recorded fixture of tests/unit/data (or $SL_TEST_DATA)
 * read whole.  Include after cmocka.h. */
#ifndef SOCKLAB_TEST_FIXTURE_H
#define SOCKLAB_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

/* The whole file in a heap block of exactly its size (and a NUL after
 * it); malloc's alignment is enough for a netlink dump. */
static inline char *slurp(const char *name, size_t *len)
{
	char path[512];
	const char *dir = getenv("SL_TEST_DATA");
	FILE *f;
	char *p;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/unit/data",
		 name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open fixture %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

#endif
