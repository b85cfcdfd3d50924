/* fmt.c - a socket row as text: addresses as cli.md prints them ("*" for
 * an unset port, as netstat and ss do) and the NDJSON object */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "socklab/diag.h"

/* Writes v in decimal at p; returns the digits written. */
static size_t put_uint(char *p, unsigned v)
{
	char tmp[12];
	size_t n = 0, k = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		p[k++] = tmp[--n];
	return k;
}

/* The IPv4 case without stdio: the table formats 20,000 of these. */
static int format_v4(const struct sockaddr_in *s4, char *out, size_t outlen)
{
	const unsigned char *a = (const unsigned char *)&s4->sin_addr;
	uint16_t port = ntohs(s4->sin_port);
	char tmp[24];
	size_t n = 0;

	for (int i = 0; i < 4; i++) {
		n += put_uint(tmp + n, a[i]);
		tmp[n++] = i < 3 ? '.' : ':';
	}
	if (port)
		n += put_uint(tmp + n, port);
	else
		tmp[n++] = '*';
	if (outlen) {
		size_t k = n < outlen ? n : outlen - 1;

		memcpy(out, tmp, k);
		out[k] = '\0';
	}
	return (int)n;
}

int sl_sock_addr_format(const struct sl_endpoint *ep, char *out,
			size_t outlen)
{
	const struct sockaddr *sa = (const struct sockaddr *)&ep->ss;
	char host[SL_ADDRSTRLEN];

	if (sa->sa_family == AF_INET)
		return format_v4((const struct sockaddr_in *)sa, out, outlen);
	if (sa->sa_family != AF_INET6 || sl_addr_port(sa))
		return sl_addr_format(sa, out, outlen);
	sl_addr_format_host(sa, host, sizeof(host));
	return snprintf(out, outlen, "[%s]:*", host);
}

int sl_sock_json(struct sl_buf *b, const struct sl_sock *s)
{
	char local[SL_ADDRSTRLEN], remote[SL_ADDRSTRLEN];
	size_t ln, rn;
	int rc;

	/* an interface name after % is the one part not ours to trust */
	ln = strnlen(local, (size_t)sl_sock_addr_format(&s->local, local,
							sizeof(local)));
	rn = strnlen(remote, (size_t)sl_sock_addr_format(&s->remote, remote,
							 sizeof(remote)));
	rc = sl_buf_printf(b, "{\"proto\":\"%s\",\"local\":",
			   sl_sock_proto_name(s));
	if (rc == 0)
		rc = sl_buf_json_str(b, local, ln);
	if (rc == 0)
		rc = sl_buf_puts(b, ",\"remote\":");
	if (rc == 0)
		rc = sl_buf_json_str(b, remote, rn);
	if (rc == 0)
		rc = sl_buf_printf(b, ",\"state\":\"%s\",\"pid\":",
				   sl_sock_state_name(s));
	if (rc == 0)
		rc = s->pid > 0 ? sl_buf_printf(b, "%d", s->pid)
				: sl_buf_puts(b, "null");
	if (rc == 0)
		rc = sl_buf_puts(b, ",\"program\":");
	if (rc == 0)
		rc = s->program[0]
			? sl_buf_json_str(b, s->program,
					  strnlen(s->program,
						  sizeof(s->program)))
			: sl_buf_puts(b, "null");
	if (rc == 0)
		rc = sl_buf_printf(b, ",\"uid\":%u,\"inode\":%llu}\n",
				   s->uid, (unsigned long long)s->inode);
	return rc;
}
