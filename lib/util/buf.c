/* buf.c - growable byte buffer */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/util.h"

void sl_buf_init(struct sl_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

int sl_buf_reserve(struct sl_buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return -ENOMEM;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	p = realloc(b->data, ncap);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = ncap;
	b->data[b->len] = '\0';
	return 0;
}

int sl_buf_append(struct sl_buf *b, const void *p, size_t n)
{
	int rc = sl_buf_reserve(b, n);

	if (rc < 0)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int sl_buf_puts(struct sl_buf *b, const char *s)
{
	return sl_buf_append(b, s, strlen(s));
}

int sl_buf_putc(struct sl_buf *b, char c)
{
	return sl_buf_append(b, &c, 1);
}

int sl_buf_vprintf(struct sl_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, rc;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return -EINVAL;
	rc = sl_buf_reserve(b, (size_t)n);
	if (rc < 0)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int sl_buf_printf(struct sl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = sl_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void sl_buf_consume(struct sl_buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
	} else {
		memmove(b->data, b->data + n, b->len - n);
		b->len -= n;
	}
	if (b->cap)
		b->data[b->len] = '\0';
}

void sl_buf_reset(struct sl_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

void sl_buf_release(struct sl_buf *b)
{
	free(b->data);
	sl_buf_init(b);
}

char *sl_buf_detach(struct sl_buf *b, size_t *len)
{
	char *p = b->data;

	if (len)
		*len = b->len;
	sl_buf_init(b);
	return p;
}
