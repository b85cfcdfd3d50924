/* reply.c - is this the server's "Hello, NAME!" line? */
#include <string.h>

#include "socklab/load.h"

enum sl_reply_verdict sl_reply_check(const char *buf, size_t n,
				     const char *want, size_t wantlen)
{
	const char *nl = memchr(buf, '\n', n);
	size_t len;

	if (!nl)
		return n > wantlen + 1 ? SL_REPLY_WRONG : SL_REPLY_MORE;
	len = (size_t)(nl - buf);
	if (len && buf[len - 1] == '\r')
		len--;
	if (len != wantlen || memcmp(buf, want, wantlen) != 0)
		return SL_REPLY_WRONG;
	return SL_REPLY_OK;
}
