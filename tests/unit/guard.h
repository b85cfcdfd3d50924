/* guard.h - test input placed right before a PROT_NONE page, so a parser
 * that reads one byte past the end faults instead of passing silently
 * (picohttpparser's test.c habit).  Include after cmocka.h. */
#ifndef SOCKLAB_TEST_GUARD_H
#define SOCKLAB_TEST_GUARD_H

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Copies n bytes of src to the end of a fresh mapping; unmap it with
 * munmap(*map, *maplen). */
static inline char *guarded(const void *src, size_t n, void **map,
			    size_t *maplen)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t pages = (n + (size_t)pg - 1) / (size_t)pg + 1;
	char *base;

	*maplen = pages * (size_t)pg;
	base = mmap(NULL, *maplen, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(base != MAP_FAILED);
	assert_int_equal(mprotect(base + *maplen - pg, (size_t)pg, PROT_NONE), 0);
	*map = base;
	memcpy(base + *maplen - pg - n, src, n);
	return base + *maplen - pg - n;
}

#endif
