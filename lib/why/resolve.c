/* resolve.c - where each address of a name comes from: the address
 * itself, the localhost rule, a line of /etc/hosts, or the resolver */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "why-int.h"

#define HOSTS_MAX (1 << 20)	/* an /etc/hosts larger than this is cut */

/* One line's address field into ep; 0, or -1 when it is no address. */
static int line_addr(const char *p, size_t n, uint16_t port,
		     struct sl_endpoint *ep)
{
	char a[INET6_ADDRSTRLEN];
	uint8_t raw[16];

	if (n == 0 || n >= sizeof(a))
		return -1;
	memcpy(a, p, n);
	a[n] = '\0';
	if (inet_pton(AF_INET, a, raw) == 1)
		sl_addr_make(ep, AF_INET, raw, port);
	else if (inet_pton(AF_INET6, a, raw) == 1)
		sl_addr_make(ep, AF_INET6, raw, port);
	else
		return -1;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Does the rest of a line (names after the address) hold name? */
static int names_hold(const char *p, const char *end, const char *name,
		      size_t nlen)
{
	while (p < end) {
		const char *w;

		while (p < end && is_blank(*p))
			p++;
		if (p >= end || *p == '#')
			return 0;
		w = p;
		while (p < end && !is_blank(*p) && *p != '#')
			p++;
		if ((size_t)(p - w) == nlen && !strncasecmp(w, name, nlen))
			return 1;
	}
	return 0;
}

static void add_match(struct sl_hosts_match *m, const struct sl_endpoint *ep)
{
	for (size_t i = 0; i < m->n; i++)
		if (!memcmp(&m->v[i].ss, &ep->ss, ep->len))
			return;
	if (m->n < SL_ARRAY_SIZE(m->v))
		m->v[m->n++] = *ep;
}

int sl_hosts_lookup(const char *text, size_t len, const char *name,
		    uint16_t port, struct sl_hosts_match *m)
{
	const char *p = text, *end = text + len;
	size_t nlen = strlen(name);

	m->n = 0;
	if (nlen && name[nlen - 1] == '.')
		nlen--;
	while (p < end && nlen) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *a;
		struct sl_endpoint ep;

		if (!eol)
			eol = end;
		while (p < eol && is_blank(*p))
			p++;
		a = p;
		while (p < eol && !is_blank(*p) && *p != '#')
			p++;
		if (line_addr(a, (size_t)(p - a), port, &ep) == 0 &&
		    names_hold(p, eol, name, nlen))
			add_match(m, &ep);
		p = eol + 1;
	}
	return (int)m->n;
}

static int read_hosts(const char *name, uint16_t port,
		      struct sl_hosts_match *m)
{
	struct sl_buf b = SL_BUF_INIT;
	int rc;

	m->n = 0;
	rc = sl_read_file("/etc/hosts", HOSTS_MAX, &b);
	if (rc == 0)
		sl_hosts_lookup(b.data ? b.data : "", b.len, name, port, m);
	sl_buf_release(&b);
	return rc;
}

static int in_hosts(const struct sl_hosts_match *m, const struct sl_endpoint *ep)
{
	for (size_t i = 0; i < m->n; i++)
		if (sl_why_same_addr(&m->v[i], ep))
			return 1;
	return 0;
}

int sl_why_resolve(struct sl_why *w)
{
	struct sl_addrlist l;
	struct sl_hosts_match hosts = { 0 };
	struct sl_endpoint lit;
	enum sl_why_from from = SL_FROM_DNS;

	sl_err_clear(&w->resolve_err);
	if (sl_resolve(w->o.host, w->o.port, w->o.family, &l,
		       &w->resolve_err) < 0)
		return w->resolve_err.code == -ENOMEM ? -ENOMEM : 0;
	if (sl_host_is_localhost(w->o.host))
		from = SL_FROM_LOCALHOST;
	else if (sl_endpoint_parse(w->o.host, w->o.port, &lit, NULL) == 0)
		from = SL_FROM_LITERAL;
	else
		read_hosts(w->o.host, w->o.port, &hosts);
	w->a = calloc(l.n ? l.n : 1, sizeof(*w->a));
	if (!w->a) {
		sl_addrlist_release(&l);
		return -ENOMEM;
	}
	for (size_t i = 0; i < l.n; i++) {
		w->a[i].ep = l.v[i];
		w->a[i].from = from == SL_FROM_DNS && in_hosts(&hosts, &l.v[i])
				       ? SL_FROM_HOSTS : from;
	}
	w->n = l.n;
	sl_addrlist_release(&l);
	return 0;
}
