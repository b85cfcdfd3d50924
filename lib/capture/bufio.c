/* bufio.c - pcap files through a larger stdio buffer: glibc gives 4 KiB
 * (st_blksize), a read(2) or write(2) per 50 small packets; 64 KiB stays in
 * cache where 1 MiB measured slower */
#include <stdlib.h>

#include "capture-int.h"

FILE *cap_fopen_buffered(const char *path, const char *mode, char **buffer)
{
	enum { BUFFER = 1 << 16 };
	FILE *f = fopen(path, mode);

	*buffer = NULL;
	if (!f)
		return NULL;
	/* a size without a buffer of ours is ignored by glibc */
	if ((*buffer = malloc(BUFFER)))
		setvbuf(f, *buffer, _IOFBF, BUFFER);
	return f;
}
