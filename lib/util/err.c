/* err.c - the error record lib functions fill for the CLI to print */
#include <stdio.h>
#include <string.h>

#include "socklab/util.h"

void sl_err_clear(struct sl_err *e)
{
	e->code = 0;
	e->msg[0] = '\0';
	e->where.ss_family = AF_UNSPEC;
}

int sl_err_set(struct sl_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e) {
		e->code = code;
		e->where.ss_family = AF_UNSPEC;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

int sl_err_where(struct sl_err *e, int code, const struct sockaddr *sa,
		 size_t salen)
{
	if (e && sa && salen <= sizeof(e->where))
		memcpy(&e->where, sa, salen);
	return code;
}
