/* procnet.c - the /proc/net/{tcp,tcp6,udp,udp6} fallback: the same rows
 * as sock_diag, parsed from the kernel's text with every read bounded */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diag-int.h"

/* A cursor over one line; nothing reads at or past end. */
struct cur {
	const char *p, *end;
};

static void skip_blank(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* Up to max hex digits (at least one); -1 when none. */
static int take_hex(struct cur *c, size_t max, uint64_t *v)
{
	size_t n = 0;
	int d;

	*v = 0;
	while (n < max && c->p < c->end && (d = sl_hexval(*c->p)) >= 0) {
		*v = *v << 4 | (uint64_t)d;
		c->p++;
		n++;
	}
	return n ? 0 : -1;
}

static int take_dec(struct cur *c, uint64_t *v)
{
	size_t n = 0;

	*v = 0;
	while (n < 20 && c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		*v = *v * 10 + (uint64_t)(*c->p - '0');
		c->p++;
		n++;
	}
	return n ? 0 : -1;
}

static int take(struct cur *c, char ch)
{
	if (c->p >= c->end || *c->p != ch)
		return -1;
	c->p++;
	return 0;
}

/* "0100007F:E969" or 32 hex digits and a port: the kernel prints each
 * 32-bit word of the address as a host-order number. */
static int take_addr(struct cur *c, struct sl_endpoint *ep)
{
	const char *start = c->p;
	unsigned char a[16];
	uint64_t w, port;
	size_t words;

	while (c->p < c->end && sl_hexval(*c->p) >= 0)
		c->p++;
	words = (size_t)(c->p - start) / 8;
	if ((size_t)(c->p - start) % 8 || (words != 1 && words != 4))
		return -1;
	for (size_t i = 0; i < words; i++) {
		struct cur wc = { start + 8 * i, start + 8 * (i + 1) };
		uint32_t w32;

		take_hex(&wc, 8, &w);
		w32 = (uint32_t)w;
		memcpy(a + 4 * i, &w32, 4);
	}
	if (take(c, ':') < 0 || take_hex(c, 4, &port) < 0)
		return -1;
	sl_addr_make(ep, words == 1 ? AF_INET : AF_INET6, a, (uint16_t)port);
	return 0;
}

/* One line: "sl: local remote st tx:rx tr:when retr uid timeout inode" */
static int parse_line(struct cur *c, int proto, struct sl_sock *s)
{
	uint64_t v, tr, when, uid, inode;

	memset(s, 0, sizeof(*s));
	s->proto = proto;
	skip_blank(c);
	if (take_dec(c, &v) < 0 || take(c, ':') < 0)
		return -1;
	skip_blank(c);
	if (take_addr(c, &s->local) < 0)
		return -1;
	skip_blank(c);
	if (take_addr(c, &s->remote) < 0 ||
	    s->remote.ss.ss_family != s->local.ss.ss_family)
		return -1;
	skip_blank(c);
	if (take_hex(c, 2, &v) < 0 || v == 0 || v >= SL_TCP_MAX_STATES)
		return -1;
	s->state = v == SL_TCP_NEW_SYN_RECV ? SL_TCP_SYN_RECV : (int)v;
	skip_blank(c);
	if (take_hex(c, 8, &v) < 0 || take(c, ':') < 0)
		return -1;
	s->wqueue = (uint32_t)v;
	if (take_hex(c, 8, &v) < 0)
		return -1;
	s->rqueue = (uint32_t)v;
	skip_blank(c);
	if (take_hex(c, 2, &tr) < 0 || take(c, ':') < 0 ||
	    take_hex(c, 16, &when) < 0)
		return -1;
	skip_blank(c);
	if (take_hex(c, 8, &v) < 0)	/* retransmits */
		return -1;
	s->retrans = (uint8_t)(v < 255 ? v : 255);
	skip_blank(c);
	if (take_dec(c, &uid) < 0 || uid > UINT32_MAX)
		return -1;
	skip_blank(c);
	take(c, '-');			/* timeout */
	if (take_dec(c, &v) < 0)
		return -1;
	skip_blank(c);
	if (take_dec(c, &inode) < 0)
		return -1;
	s->uid = (uint32_t)uid;
	s->inode = inode;
	s->has = SL_HAS_QUEUES;
	s->timer = (uint8_t)(tr <= SL_TIMER_PROBE0 ? tr : SL_TIMER_NONE);
	if (tr && when < UINT32_MAX / 1000) {
		/* clock ticks (USER_HZ) to milliseconds */
		long hz = sysconf(_SC_CLK_TCK);

		hz = hz > 0 ? hz : 100;
		s->expires_ms = (uint32_t)(when * 1000 / (uint64_t)hz);
	}
	return 0;
}

int sl_procnet_parse(const char *text, size_t len, int proto,
		     const struct sl_diag_query *q, struct sl_sock_list *out)
{
	const char *p = text, *end = text + len;
	int rows = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct cur c = { p, nl ? nl : end };
		struct sl_sock s;

		p = nl ? nl + 1 : end;
		if (parse_line(&c, proto, &s) < 0 || !sl_diag_match(q, &s))
			continue;
		if (sl_sock_list_push(out, &s) < 0)
			return -ENOMEM;
		if (rows < INT32_MAX)
			rows++;
	}
	return rows;
}

int sl_diag_proc_read(int family, int proto, const struct sl_diag_query *q,
		      struct sl_sock_list *out)
{
	char path[32];
	struct sl_buf b = SL_BUF_INIT;
	int rc;

	snprintf(path, sizeof(path), "/proc/net/%s%s",
		 proto == IPPROTO_UDP ? "udp" : "tcp",
		 family == AF_INET6 ? "6" : "");
	rc = sl_read_file(path, SIZE_MAX, &b);
	if (rc == -ENOENT)
		rc = 0;		/* IPv6 disabled: no table, no sockets */
	else if (rc == 0)
		rc = sl_procnet_parse(b.data, b.len, proto, q, out);
	sl_buf_release(&b);
	return rc < 0 ? rc : 0;
}
