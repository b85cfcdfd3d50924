/* hello.c - a line in, the server's reply out */
#include <stdio.h>
#include <string.h>

#include "socklab/line.h"

static const char greeting[] = "Hello, ";
static const char empty_reply[] = "ERR empty name\n";

size_t sl_hello_reply_len(const struct sl_line *line)
{
	if (line->len == 0)
		return sizeof(empty_reply) - 1;
	return sizeof(greeting) - 1 + line->len + 2;
}

size_t sl_hello_reply(const struct sl_line *line, char *out,
		      enum sl_hello_verdict *verdict)
{
	size_t n = sizeof(greeting) - 1;

	if (line->len == 0) {
		*verdict = SL_HELLO_EMPTY;
		memcpy(out, empty_reply, sizeof(empty_reply) - 1);
		return sizeof(empty_reply) - 1;
	}
	*verdict = SL_HELLO_OK;
	memcpy(out, greeting, n);
	memcpy(out + n, line->p, line->len);
	n += line->len;
	out[n++] = '!';
	out[n++] = '\n';
	return n;
}

size_t sl_hello_too_long(size_t max_line, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "ERR line too long (max %zu bytes)\n",
			 max_line);

	if (n < 0)
		return 0;
	return (size_t)n < outlen ? (size_t)n : outlen ? outlen - 1 : 0;
}
