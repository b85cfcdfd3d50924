/* http.c - HTTP/1.x in one TCP segment: the request line (method, URI,
 * version) or status line (version, code, phrase), the Host, User-Agent,
 * Server and Content-Length headers, and a body no text type claims as
 * Data.  A message spread over segments is not joined (tshark joins it,
 * and shows it on the last segment). */
#include <string.h>
#include <strings.h>

#include "dissect-int.h"
#include "socklab/util.h"

/* The next line in [at, end): its length without the CRLF in *n; the
 * start of the line after it, or 0 when no line ends before end. */
static uint32_t line(const uint8_t *b, uint32_t at, uint32_t end,
		     uint32_t *n)
{
	const uint8_t *nl = memchr(b + at, '\n', end - at);

	if (!nl)
		return 0;
	*n = (uint32_t)(nl - (b + at));
	if (*n && b[at + *n - 1] == '\r')
		(*n)--;
	return (uint32_t)(nl - b) + 1;
}

static int is_token(uint8_t c)
{
	return c > 32 && c < 127 && !strchr("()<>@,;:\\\"/[]?={}", c);
}

static int is_version(const uint8_t *s, uint32_t n)
{
	return n == 8 && !memcmp(s, "HTTP/1.", 7) && s[7] >= '0' && s[7] <= '9';
}

/* The spaces of a request or status line of n bytes at s: 1 a request
 * ("GET / HTTP/1.1"), 2 a response ("HTTP/1.1 200 OK"), 0 neither; *a, *b
 * the first two spaces (*b = n when there is no second). */
static int kind(const uint8_t *s, uint32_t n, uint32_t *a, uint32_t *b)
{
	const uint8_t *sp1 = memchr(s, ' ', n), *sp2;

	if (!sp1)
		return 0;
	*a = (uint32_t)(sp1 - s);
	sp2 = memchr(sp1 + 1, ' ', n - *a - 1);
	*b = sp2 ? (uint32_t)(sp2 - s) : n;
	if (is_version(s, *a)) {
		if (*b - *a - 1 != 3)
			return 0;
		for (uint32_t i = *a + 1; i < *b; i++)
			if (s[i] < '0' || s[i] > '9')
				return 0;
		return 2;
	}
	for (uint32_t i = 0; i < *a; i++)
		if (!is_token(s[i]))
			return 0;
	return *a && sp2 && is_version(s + *b + 1, n - *b - 1);
}

/* The first line's fields. */
static int first_line(struct dis *d, uint32_t off, uint32_t n, int k,
		      uint32_t a, uint32_t b)
{
	const uint8_t *s = d->p->data + off;

	if (k == 2)
		return dis_uint(d, SL_F_HTTP_RESPONSE, off, n, 1) < 0 ||
		       dis_bytes(d, SL_F_HTTP_RESPONSE_VERSION, off, a) < 0 ||
		       dis_uint(d, SL_F_HTTP_RESPONSE_CODE, off + a + 1, 3,
				(s[a + 1] - '0') * 100u +
				(s[a + 2] - '0') * 10u +
				(s[a + 3] - '0')) < 0 ||
		       dis_bytes(d, SL_F_HTTP_RESPONSE_PHRASE, off + b + 1,
				 b < n ? n - b - 1 : 0) < 0 ? -1 : 0;
	return dis_uint(d, SL_F_HTTP_REQUEST, off, n, 1) < 0 ||
	       dis_bytes(d, SL_F_HTTP_REQUEST_METHOD, off, a) < 0 ||
	       dis_bytes(d, SL_F_HTTP_REQUEST_URI, off + a + 1, b - a - 1) < 0 ||
	       dis_bytes(d, SL_F_HTTP_REQUEST_VERSION, off + b + 1,
			 n - b - 1) < 0 ? -1 : 0;
}

/* One header line: the fields of those socklab knows.  *text: a body of
 * a text type (tshark shows it as text, not Data). */
static int header(struct dis *d, uint32_t off, uint32_t n, int *text)
{
	static const struct { const char *name; int field; } known[] = {
		{ "host", SL_F_HTTP_HOST },
		{ "user-agent", SL_F_HTTP_USER_AGENT },
		{ "server", SL_F_HTTP_SERVER },
	};
	const uint8_t *s = d->p->data + off;
	const uint8_t *colon = memchr(s, ':', n);
	uint32_t k, v;

	if (!colon)
		return 0;
	k = (uint32_t)(colon - s);
	for (v = k + 1; v < n && (s[v] == ' ' || s[v] == '\t'); v++)
		;
	for (size_t i = 0; i < SL_ARRAY_SIZE(known); i++)
		if (strlen(known[i].name) == k &&
		    !strncasecmp((const char *)s, known[i].name, k))
			return dis_bytes(d, known[i].field, off + v, n - v);
	if (k == 14 && !strncasecmp((const char *)s, "content-length", k)) {
		uint64_t len = 0;

		for (uint32_t i = v; i < n && s[i] >= '0' && s[i] <= '9' &&
		     len < (1ull << 56); i++)
			len = len * 10 + (s[i] - '0');
		return dis_uint(d, SL_F_HTTP_CONTENT_LENGTH, off + v, n - v, len);
	}
	if (k == 12 && !strncasecmp((const char *)s, "content-type", k))
		*text = n - v >= 5 && !strncasecmp((const char *)s + v, "text/", 5);
	return 0;
}

int dis_http(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data;
	uint32_t n, next = line(b, off, end, &n), at, sa, sb;
	int text = 0, k;

	if (!next || !(k = kind(b + off, n, &sa, &sb))) {
		dis_data(d, off, end);	/* a continuation, or not HTTP */
		return 0;
	}
	if (dis_layer(d, SL_F_HTTP, off, end - off) < 0 ||
	    first_line(d, off, n, k, sa, sb) < 0)
		return -1;
	for (at = next; at < end; at = next) {
		if (!(next = line(b, at, end, &n)))
			return 0;	/* the headers go on in the next segment */
		if (n == 0)
			break;		/* the end of the headers */
		if (header(d, at, n, &text) < 0)
			return -1;
	}
	dis_layer_len(d, next - off);
	if (!text)
		dis_data(d, next, end);
	return 0;
}
