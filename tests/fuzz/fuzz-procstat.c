/* fuzz-procstat.c - the /proc/PID/stat parser of lib/diag's process trees
 * on arbitrary bytes (a process chooses its own comm): it never reads out
 * of bounds, and what it accepts are two whole non-negative numbers. */
#include <assert.h>
#include <stdint.h>

#include "socklab/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int ppid = -1, pgrp = -1;

	if (sl_proc_stat_parse((const char *)data, size, &ppid, &pgrp) == 0)
		assert(ppid >= 0 && pgrp >= 0);
	return 0;
}
