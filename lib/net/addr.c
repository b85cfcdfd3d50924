/* addr.c - parse and format endpoints: 127.0.0.1:59001 and [::1]:59001 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "socklab/net.h"

int sl_port_parse(const char *s, int allow_zero, uint16_t *port,
		  struct sl_err *e)
{
	unsigned long v;
	char shown[64];

	if (sl_parse_uint(s, allow_zero ? 0 : 1, 65535, &v) == 0) {
		*port = (uint16_t)v;
		return 0;
	}
	sl_escape(shown, sizeof(shown), s, strlen(s));
	if (!allow_zero && sl_parse_uint(s, 0, 0, &v) == 0)
		return sl_err_set(e, -EINVAL,
			"bad port \"0\": a client needs the server's real port (1-65535); the server prints it in its \"listening on\" line");
	return sl_err_set(e, -EINVAL,
		"bad port \"%s\": a port is a whole number from %d to 65535; the lab uses one above 59000, e.g. %d",
		shown, allow_zero ? 0 : 1, SL_DEFAULT_PORT);
}

void sl_addr_make(struct sl_endpoint *ep, int family, const void *addr,
		  uint16_t port)
{
	memset(ep, 0, sizeof(*ep));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ep->ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, addr, 16);
		ep->len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ep->ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, addr, 4);
		ep->len = sizeof(*s4);
	}
}

/* Splits s into host and port text; host brackets are removed. */
static int split_host_port(const char *s, char *host, size_t hostlen,
			   const char **port)
{
	const char *colon;
	size_t n;

	*port = NULL;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close)
			return -EINVAL;
		n = (size_t)(close - s - 1);
		if (close[1] == ':')
			*port = close + 2;
		else if (close[1] != '\0')
			return -EINVAL;
		s++;
	} else {
		colon = strchr(s, ':');
		/* two colons or more: a bare IPv6 address, no port */
		if (colon && !strchr(colon + 1, ':')) {
			n = (size_t)(colon - s);
			*port = colon + 1;
		} else {
			n = strlen(s);
		}
	}
	if (n == 0 || n >= hostlen)
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	return 0;
}

int sl_hostport_split(const char *s, char *host, size_t hostlen,
		      uint16_t *port, struct sl_err *e)
{
	const char *port_text;
	char shown[64];

	if (split_host_port(s, host, hostlen, &port_text) < 0 || !port_text ||
	    !*port_text || strspn(port_text, "0123456789") != strlen(port_text)) {
		/* no port: s names a host as it is (brackets removed) */
		if (strlen(s) >= hostlen) {
			sl_escape(shown, sizeof(shown), s, strlen(s));
			return sl_err_set(e, -ENAMETOOLONG,
					  "host name \"%s\" is too long", shown);
		}
		if (split_host_port(s, host, hostlen, &port_text) < 0 ||
		    port_text)
			strcpy(host, s);
		return 0;
	}
	return sl_port_parse(port_text, 0, port, e) < 0 ? -EINVAL : 1;
}

static int parse_v6(const char *host, struct in6_addr *a, uint32_t *scope)
{
	char tmp[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	char *pct;

	if (strlen(host) >= sizeof(tmp))
		return -EINVAL;
	strcpy(tmp, host);
	*scope = 0;
	pct = strchr(tmp, '%');
	if (pct) {
		*pct++ = '\0';
		if (!*pct)
			return -EINVAL;
		*scope = if_nametoindex(pct);
		if (!*scope) {
			unsigned long v;

			if (sl_parse_uint(pct, 1, UINT32_MAX, &v) < 0)
				return -EINVAL;
			*scope = (uint32_t)v;
		}
	}
	return inet_pton(AF_INET6, tmp, a) == 1 ? 0 : -EINVAL;
}

int sl_endpoint_parse(const char *s, uint16_t default_port,
		      struct sl_endpoint *ep, struct sl_err *e)
{
	char host[SL_ADDRSTRLEN], shown[SL_ADDRSTRLEN * 4];
	const char *port_text;
	uint16_t port = default_port;
	struct in_addr a4;
	struct in6_addr a6;
	uint32_t scope;

	sl_escape(shown, sizeof(shown), s, strlen(s));
	if (split_host_port(s, host, sizeof(host), &port_text) < 0)
		goto bad;
	if (port_text && sl_port_parse(port_text, 1, &port, e) < 0)
		return -EINVAL;
	if (inet_pton(AF_INET, host, &a4) == 1) {
		if (s[0] == '[')
			goto bad;
		sl_addr_make(ep, AF_INET, &a4, port);
		return 0;
	}
	if (parse_v6(host, &a6, &scope) == 0) {
		sl_addr_make(ep, AF_INET6, &a6, port);
		((struct sockaddr_in6 *)&ep->ss)->sin6_scope_id = scope;
		return 0;
	}
bad:
	return sl_err_set(e, -EINVAL,
		"bad address \"%s\": expected an IP address such as 127.0.0.1, ::1, 127.0.0.1:59001 or [::1]:59001",
		shown);
}

int sl_addr_format_host(const struct sockaddr *sa, char *out, size_t outlen)
{
	char tmp[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	int n;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &s4->sin_addr, tmp, sizeof(tmp));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		char ifname[IF_NAMESIZE];

		inet_ntop(AF_INET6, &s6->sin6_addr, tmp, sizeof(tmp));
		if (s6->sin6_scope_id) {
			size_t l = strlen(tmp);

			if (if_indextoname(s6->sin6_scope_id, ifname))
				snprintf(tmp + l, sizeof(tmp) - l, "%%%s", ifname);
			else
				snprintf(tmp + l, sizeof(tmp) - l, "%%%u",
					 s6->sin6_scope_id);
		}
	} else {
		snprintf(tmp, sizeof(tmp), "?");
	}
	n = snprintf(out, outlen, "%s", tmp);
	return n;
}

/* The server formats two addresses per log line, so IPv4 skips
 * inet_ntop and snprintf. */
static int format_v4(const struct sockaddr_in *s4, char *out, size_t outlen)
{
	char tmp[24];	/* "255.255.255.255:65535" */
	size_t n;

	n = sl_fmt_ipv4(tmp, ntohl(s4->sin_addr.s_addr));
	tmp[n++] = ':';
	n += sl_fmt_uint(tmp + n, ntohs(s4->sin_port));
	if (outlen) {
		size_t k = n < outlen ? n : outlen - 1;

		memcpy(out, tmp, k);
		out[k] = '\0';
	}
	return (int)n;
}

int sl_addr_format(const struct sockaddr *sa, char *out, size_t outlen)
{
	char host[SL_ADDRSTRLEN];

	if (sa->sa_family == AF_INET)
		return format_v4((const struct sockaddr_in *)sa, out, outlen);
	sl_addr_format_host(sa, host, sizeof(host));
	if (sa->sa_family == AF_INET6)
		return snprintf(out, outlen, "[%s]:%u", host, sl_addr_port(sa));
	return snprintf(out, outlen, "%s", host);
}

uint16_t sl_addr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return 0;
}

int sl_addr_is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		return (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		return IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr) ||
		       (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) &&
			s6->sin6_addr.s6_addr[12] == 127);
	}
	return 0;
}
