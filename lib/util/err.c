/* err.c - the error record lib functions fill for the CLI to print */
#include <stdio.h>

#include "socklab/util.h"

void sl_err_clear(struct sl_err *e)
{
	e->code = 0;
	e->msg[0] = '\0';
}

int sl_err_set(struct sl_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e) {
		e->code = code;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}
