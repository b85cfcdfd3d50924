/* fmt.c - a socket row as text: addresses as socklab prints them ("*" for
 * an unset port, as netstat and ss do) and the NDJSON object.  A table
 * formats tens of thousands of these, so no stdio here (the numbers and
 * addresses come from lib/util's writers, which inet_ntop matches). */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "socklab/diag.h"

/* ":59001", or ":*" for port 0 */
static size_t put_port(char *p, uint16_t port)
{
	p[0] = ':';
	if (!port) {
		p[1] = '*';
		return 2;
	}
	return 1 + sl_fmt_uint(p + 1, port);
}

/* tmp (n bytes) into out as snprintf would */
static int copy_out(const char *tmp, size_t n, char *out, size_t outlen)
{
	if (outlen) {
		size_t k = n < outlen ? n : outlen - 1;

		memcpy(out, tmp, k);
		out[k] = '\0';
	}
	return (int)n;
}

/* The text of an endpoint without an interface name into p (room for
 * 64 bytes); returns its length. */
static size_t put_endpoint(char *p, const struct sockaddr *sa)
{
	const struct sockaddr_in6 *s6 = (const void *)sa;
	size_t n;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;

		n = sl_fmt_ipv4(p, ntohl(s4->sin_addr.s_addr));
		return n + put_port(p + n, ntohs(s4->sin_port));
	}
	p[0] = '[';
	n = 1 + sl_fmt_ipv6(p + 1, s6->sin6_addr.s6_addr);
	p[n++] = ']';
	return n + put_port(p + n, sl_addr_port(sa));
}

/* A unix name: the path, "@name" for an abstract one (up to its next
 * NUL, as ss prints it), "*" when unnamed. */
static int unix_format(const struct sl_endpoint *ep, char *out, size_t outlen)
{
	const struct sockaddr_un *sun = (const void *)&ep->ss;
	size_t off = offsetof(struct sockaddr_un, sun_path);
	size_t n = ep->len > off ? ep->len - off : 0;
	const char *p = sun->sun_path;
	char tmp[SL_SOCK_ADDRSTRLEN];
	size_t k = 0;

	if (n > sizeof(sun->sun_path))
		n = sizeof(sun->sun_path);
	if (!n)
		return copy_out("*", 1, out, outlen);
	if (p[0] == '\0') {
		tmp[k++] = '@';
		p++;
		n--;
	}
	n = strnlen(p, n);
	memcpy(tmp + k, p, n);
	return copy_out(tmp, k + n, out, outlen);
}

int sl_sock_addr_format(const struct sl_endpoint *ep, char *out,
			size_t outlen)
{
	const struct sockaddr *sa = (const struct sockaddr *)&ep->ss;
	char tmp[64], host[SL_ADDRSTRLEN];	/* "[" 45 "]:65535" */
	size_t n;

	if (sa->sa_family == AF_UNIX)
		return unix_format(ep, out, outlen);
	if (sa->sa_family == AF_INET || (sa->sa_family == AF_INET6 &&
	    !((const struct sockaddr_in6 *)sa)->sin6_scope_id)) {
		if (outlen > sizeof(tmp)) {	/* no copy when it fits */
			n = put_endpoint(out, sa);
			out[n] = '\0';
			return (int)n;
		}
		return copy_out(tmp, put_endpoint(tmp, sa), out, outlen);
	}
	/* "%eth0" after a link-local address: the interface's name */
	if (sa->sa_family != AF_INET6 || sl_addr_port(sa))
		return sl_addr_format(sa, out, outlen);
	sl_addr_format_host(sa, host, sizeof(host));
	return snprintf(out, outlen, "[%s]:*", host);
}

/* b's free room, reserved: at least need bytes */
static char *room(struct sl_buf *b, size_t need)
{
	return sl_buf_reserve(b, need) < 0 ? NULL : b->data + b->len;
}

static int put_text(struct sl_buf *b, const char *key, const char *s)
{
	size_t k = strlen(key), n = strlen(s);
	char *p = room(b, k + n + 1);

	if (!p)
		return -ENOMEM;
	memcpy(p, key, k);
	memcpy(p + k, s, n);
	p[k + n] = '"';
	b->len += k + n + 1;
	b->data[b->len] = '\0';
	return 0;
}

static int put_num(struct sl_buf *b, const char *key, uint64_t v)
{
	size_t k = strlen(key);
	char *p = room(b, k + 20);

	if (!p)
		return -ENOMEM;
	memcpy(p, key, k);
	b->len += k + sl_fmt_uint(p + k, v);
	b->data[b->len] = '\0';
	return 0;
}

/* Recv-Q and Send-Q, null where the source does not say (/proc/net/unix) */
static int put_queues(struct sl_buf *b, const struct sl_sock *s)
{
	int rc;

	if (!(s->has & SL_HAS_QUEUES))
		return sl_buf_puts(b, ",\"recv_q\":null,\"send_q\":null");
	rc = put_num(b, ",\"recv_q\":", s->rqueue);
	return rc ? rc : put_num(b, ",\"send_q\":", s->wqueue);
}

int sl_sock_json_keys(struct sl_buf *b, const struct sl_sock *s)
{
	char local[SL_SOCK_ADDRSTRLEN], remote[SL_SOCK_ADDRSTRLEN];
	size_t ln, rn;
	int rc;

	/* a unix path or an interface name after % are not ours to trust */
	ln = strnlen(local, (size_t)sl_sock_addr_format(&s->local, local,
							sizeof(local)));
	rn = strnlen(remote, (size_t)sl_sock_addr_format(&s->remote, remote,
							 sizeof(remote)));
	/* proto and state are our own words: no escaping needed */
	rc = put_text(b, "\"proto\":\"", sl_sock_proto_name(s));
	if (rc == 0)
		rc = sl_buf_puts(b, ",\"local\":");
	if (rc == 0)
		rc = sl_buf_json_str(b, local, ln);
	if (rc == 0)
		rc = sl_buf_puts(b, ",\"remote\":");
	if (rc == 0)
		rc = sl_buf_json_str(b, remote, rn);
	if (rc == 0)
		rc = put_text(b, ",\"state\":\"", sl_sock_state_name(s));
	if (rc == 0)
		rc = put_queues(b, s);
	if (rc == 0)
		rc = s->pid > 0 ? put_num(b, ",\"pid\":", (uint64_t)s->pid)
				: sl_buf_puts(b, ",\"pid\":null");
	if (rc == 0)
		rc = sl_buf_puts(b, ",\"program\":");
	if (rc == 0)
		rc = s->program[0]
			? sl_buf_json_str(b, s->program,
					  strnlen(s->program,
						  sizeof(s->program)))
			: sl_buf_puts(b, "null");
	if (rc == 0)
		rc = put_num(b, ",\"uid\":", s->uid);
	if (rc == 0)
		rc = put_num(b, ",\"inode\":", s->inode);
	if (rc == 0 && s->local.ss.ss_family == AF_UNIX)
		rc = put_num(b, ",\"peer_inode\":", s->peer_inode);
	return rc < 0 ? -ENOMEM : 0;
}

int sl_sock_json(struct sl_buf *b, const struct sl_sock *s)
{
	int rc = sl_buf_putc(b, '{');

	if (rc == 0)
		rc = sl_sock_json_keys(b, s);
	if (rc == 0)
		rc = sl_buf_puts(b, "}\n");
	return rc < 0 ? -ENOMEM : 0;
}
