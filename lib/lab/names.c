/* names.c - the file names of the evidence bundle, made from NAME */
#include <stdio.h>

#include "socklab/lab.h"

void sl_lab_file_name(const struct sl_lab *lab, const char *suffix,
		      char *out, size_t outlen)
{
	size_t n = 0;

	for (const char *p = lab->o.name; *p && n + 1 < outlen && n < 64; p++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '_' || c == '-' ||
			 (c == '.' && n > 0);

		out[n++] = ok ? c : '_';
	}
	snprintf(out + n, outlen - n, "%s", suffix);
}
