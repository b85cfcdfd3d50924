/* util.c - small helpers the checks share: address comparison,
 * capabilities */
#include <linux/capability.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "why-int.h"

const uint8_t *sl_why_addr_bytes(const struct sl_endpoint *ep, size_t *n)
{
	if (ep->ss.ss_family == AF_INET6) {
		*n = 16;
		return (const uint8_t *)&((const struct sockaddr_in6 *)&ep->ss)->sin6_addr;
	}
	*n = 4;
	return (const uint8_t *)&((const struct sockaddr_in *)&ep->ss)->sin_addr;
}

int sl_why_same_addr(const struct sl_endpoint *a, const struct sl_endpoint *b)
{
	const uint8_t *pa, *pb;
	size_t na, nb;

	if (a->ss.ss_family != b->ss.ss_family)
		return 0;
	pa = sl_why_addr_bytes(a, &na);
	pb = sl_why_addr_bytes(b, &nb);
	return na == nb && !memcmp(pa, pb, na);
}

int sl_why_have_cap(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) < 0)
		return 0;
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}
