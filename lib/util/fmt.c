/* fmt.c - numbers and IP addresses as text without stdio or inet_ntop:
 * the socket table and the capture summary write tens of thousands of
 * these, byte for byte as printf and glibc's inet_ntop would */
#include <string.h>

#include "socklab/util.h"

const char sl_hex_digits[17] = "0123456789abcdef";

/* "00" "01" … "99": two digits a division, for the summary writes ten
 * numbers a packet */
static const char two_digits[] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static size_t digits_of(uint64_t u)
{
	size_t n = 1;

	while (u >= 10000) {
		u /= 10000;
		n += 4;
	}
	return n + (u >= 10) + (u >= 100) + (u >= 1000);
}

size_t sl_fmt_uint(char *out, uint64_t u)
{
	size_t k = digits_of(u), i = k;

	out[k] = '\0';
	while (u >= 100) {
		unsigned r = (unsigned)(u % 100);

		u /= 100;
		i -= 2;
		out[i] = two_digits[2 * r];
		out[i + 1] = two_digits[2 * r + 1];
	}
	if (u >= 10) {
		out[i - 2] = two_digits[2 * u];
		out[i - 1] = two_digits[2 * u + 1];
	} else {
		out[i - 1] = (char)('0' + u);
	}
	return k;
}

/* "a.b.c.d" from the address's four bytes in network order, unended */
static size_t put_v4(char *p, const uint8_t *a)
{
	size_t n = 0;

	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];

		if (v >= 100)
			p[n++] = (char)('0' + v / 100);
		if (v >= 10)
			p[n++] = (char)('0' + v / 10 % 10);
		p[n++] = (char)('0' + v % 10);
		p[n++] = '.';
	}
	return n - 1;
}

size_t sl_fmt_ipv4(char *out, uint32_t host_order)
{
	const uint8_t a[4] = { host_order >> 24, host_order >> 16 & 0xff,
			       host_order >> 8 & 0xff, host_order & 0xff };
	size_t n = put_v4(out, a);

	out[n] = '\0';
	return n;
}

/* The first longest run of two or more zero groups, as inet_ntop picks
 * it (RFC 5952); *len 0 when there is none. */
static int zero_run(const uint16_t *w, int *len)
{
	int best = -1, blen = 0, cur = -1;

	for (int i = 0; i < 8; i++) {
		if (w[i]) {
			cur = -1;
			continue;
		}
		if (cur < 0)
			cur = i;
		if (i - cur + 1 > blen) {
			best = cur;
			blen = i - cur + 1;
		}
	}
	*len = blen >= 2 ? blen : 0;
	return blen >= 2 ? best : -1;
}

/* glibc's inet_ntop: lowercase groups, the zero run as "::", and
 * "::ffff:a.b.c.d" and "::a.b.c.d" with the IPv4 part dotted */
static size_t put_v6(char *p, const uint8_t *a)
{
	uint16_t w[8];
	size_t n = 0;
	int run, len;

	for (int i = 0; i < 8; i++)
		w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	run = zero_run(w, &len);
	for (int i = 0; i < 8; i++) {
		if (run >= 0 && i >= run && i < run + len) {
			if (i == run)
				p[n++] = ':';
			continue;
		}
		if (i)
			p[n++] = ':';
		if (i == 6 && run == 0 &&
		    (len == 6 || (len == 5 && w[5] == 0xffff)))
			return n + put_v4(p + n, a + 12);
		for (int sh = 12; sh >= 0; sh -= 4)
			if (w[i] >> sh || sh == 0)
				p[n++] = sl_hex_digits[w[i] >> sh & 15];
	}
	if (run >= 0 && run + len == 8)
		p[n++] = ':';
	return n;
}

size_t sl_fmt_ipv6(char *out, const uint8_t *a)
{
	size_t n = put_v6(out, a);

	out[n] = '\0';
	return n;
}
