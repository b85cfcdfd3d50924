/* nla.c - netlink attributes read with every length checked against its
 * container (the kernel's bytes, or a fuzzer's) */
#include <arpa/inet.h>
#include <endian.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>

#include "why-int.h"

int sl_nla_index(const void *p, size_t len, const struct nlattr **tb,
		 unsigned max)
{
	size_t off = 0;
	int n = 0;

	for (unsigned i = 0; i <= max; i++)
		tb[i] = NULL;
	while (off < len && len - off >= sizeof(struct nlattr)) {
		const struct nlattr *a = (const void *)((const char *)p + off);
		unsigned type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < sizeof(*a) || a->nla_len > len - off)
			break;
		if (type <= max)
			tb[type] = a;
		n++;
		off += NLA_ALIGN(a->nla_len);
	}
	return n;
}

int sl_nla_nested(const struct nlattr *a, const struct nlattr **tb,
		  unsigned max)
{
	size_t n;
	const void *d = sl_nla_data(a, &n);

	return sl_nla_index(d, d ? n : 0, tb, max);
}

const void *sl_nla_data(const struct nlattr *a, size_t *n)
{
	*n = a ? a->nla_len - NLA_HDRLEN : 0;
	return a ? (const char *)a + NLA_HDRLEN : NULL;
}

uint32_t sl_nla_be32(const struct nlattr *a, uint32_t dflt)
{
	size_t n;
	const void *d = sl_nla_data(a, &n);
	uint32_t v;

	if (!d || n < 4)
		return dflt;
	memcpy(&v, d, 4);
	return ntohl(v);
}

uint64_t sl_nla_be64(const struct nlattr *a, uint64_t dflt)
{
	size_t n;
	const void *d = sl_nla_data(a, &n);
	uint64_t v;

	if (!d || n < 8)
		return dflt;
	memcpy(&v, d, 8);
	return be64toh(v);
}

void sl_nla_str(const struct nlattr *a, char *out, size_t outlen)
{
	size_t n;
	const char *d = sl_nla_data(a, &n);

	if (!d) {
		out[0] = '\0';
		return;
	}
	n = strnlen(d, n);
	snprintf(out, outlen, "%.*s", (int)n, d);
}
