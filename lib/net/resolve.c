/* resolve.c - names to addresses, with localhost pinned to loopback */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "socklab/net.h"

static int list_add(struct sl_addrlist *l, const struct sockaddr *sa,
		    socklen_t len)
{
	struct sl_endpoint *p;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].len == len && !memcmp(&l->v[i].ss, sa, len))
			return 0;
	p = realloc(l->v, (l->n + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	l->v = p;
	memset(&p[l->n], 0, sizeof(p[l->n]));
	memcpy(&p[l->n].ss, sa, len);
	p[l->n].len = len;
	l->n++;
	return 0;
}

int sl_host_is_localhost(const char *host)
{
	size_t n = strlen(host);

	/* RFC 6761: localhost and every name under .localhost */
	if (n && host[n - 1] == '.')
		n--;
	return (n == 9 && !strncasecmp(host, "localhost", 9)) ||
	       (n > 10 && !strncasecmp(host + n - 10, ".localhost", 10));
}

static int add_localhost(struct sl_addrlist *l, uint16_t port, int family)
{
	static const uint8_t v6[16] = { [15] = 1 };
	static const uint8_t v4[4] = { 127, 0, 0, 1 };
	struct sl_endpoint ep;
	int rc = 0;

	if (family != AF_INET) {
		sl_addr_make(&ep, AF_INET6, v6, port);
		rc = list_add(l, (struct sockaddr *)&ep.ss, ep.len);
	}
	if (rc == 0 && family != AF_INET6) {
		sl_addr_make(&ep, AF_INET, v4, port);
		rc = list_add(l, (struct sockaddr *)&ep.ss, ep.len);
	}
	return rc;
}

int sl_resolve(const char *host, uint16_t port, int family,
	       struct sl_addrlist *out, struct sl_err *e)
{
	struct addrinfo hints = { 0 }, *res = NULL, *ai;
	struct sl_endpoint ep;
	char shown[256];
	int rc;

	out->v = NULL;
	out->n = 0;
	sl_escape(shown, sizeof(shown), host, strlen(host));
	if (sl_host_is_localhost(host)) {
		if (add_localhost(out, port, family) < 0)
			return sl_err_set(e, -ENOMEM, "out of memory");
		return 0;
	}
	/* a literal with brackets or a scope is parsed here, not by DNS */
	if (sl_endpoint_parse(host, port, &ep, NULL) == 0) {
		if (family != AF_UNSPEC && ep.ss.ss_family != family)
			return sl_err_set(e, -EAFNOSUPPORT,
				"%s is an %s address but %s was asked for: drop %s or give an address of that family",
				shown, ep.ss.ss_family == AF_INET6 ? "IPv6" : "IPv4",
				family == AF_INET6 ? "IPv6 (-6)" : "IPv4 (-4)",
				family == AF_INET6 ? "-6" : "-4");
		if (list_add(out, (struct sockaddr *)&ep.ss, ep.len) < 0)
			return sl_err_set(e, -ENOMEM, "out of memory");
		return 0;
	}
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	hints.ai_flags = AI_ADDRCONFIG;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc == EAI_ADDRFAMILY || rc == EAI_NODATA ||
	    (rc == EAI_NONAME && family != AF_UNSPEC)) {
		hints.ai_flags = 0;
		rc = getaddrinfo(host, NULL, &hints, &res);
	}
	if (rc != 0)
		return sl_err_set(e, -ENOENT,
			"unknown host \"%s\": the name does not resolve (%s); check the spelling, or use localhost, 127.0.0.1 or ::1",
			shown, rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if (ai->ai_family == AF_INET)
			((struct sockaddr_in *)ai->ai_addr)->sin_port = htons(port);
		else
			((struct sockaddr_in6 *)ai->ai_addr)->sin6_port = htons(port);
		if (list_add(out, ai->ai_addr, ai->ai_addrlen) < 0) {
			freeaddrinfo(res);
			sl_addrlist_release(out);
			return sl_err_set(e, -ENOMEM, "out of memory");
		}
	}
	freeaddrinfo(res);
	if (!out->n)
		return sl_err_set(e, -ENOENT,
			"unknown host \"%s\": it has no %s address; try without -4/-6",
			shown, family == AF_INET6 ? "IPv6" : "IPv4");
	return 0;
}

void sl_addrlist_release(struct sl_addrlist *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
