/* snmp.c - the kernel's protocol counters as nstat reads them, from
 * /proc/net/snmp and /proc/net/netstat (pairs of "Tcp: Name ..." and
 * "Tcp: 1 ..." lines) and /proc/net/snmp6 ("Udp6InDatagrams 12" lines),
 * named as nstat names them ("TcpActiveOpens"); the socket totals of
 * /proc/net/sockstat{,6} behind ss -s; and one line of words for each
 * counter socklab explains */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "diag-int.h"

/* The counters socklab shows, in the order it shows them. */
static const struct sl_counter_doc docs[] = {
	{ "TcpActiveOpens", "connections this machine opened: connect() sent a SYN", 0 },
	{ "TcpPassiveOpens", "connections a listener took in: a SYN arrived on a LISTEN socket", 0 },
	{ "TcpAttemptFails", "connection attempts that failed: refused (RST to our SYN), timed out, or reset before ESTABLISHED", 0 },
	{ "TcpEstabResets", "ESTABLISHED or CLOSE_WAIT connections that ended in a RST", 0 },
	{ "TcpCurrEstab", "connections ESTABLISHED or CLOSE_WAIT right now (a level, not a count)", 1 },
	{ "TcpInSegs", "TCP segments received", 0 },
	{ "TcpOutSegs", "TCP segments sent (retransmissions not included)", 0 },
	{ "TcpRetransSegs", "TCP segments sent again: lost, or not acknowledged in time", 0 },
	{ "TcpInErrs", "TCP segments received broken (bad checksum or header) and dropped", 0 },
	{ "TcpOutRsts", "RST segments sent: to refuse a connection, abort one, or close with unread data", 0 },
	{ "TcpInCsumErrors", "TCP segments received with a bad checksum", 0 },
	{ "TcpExtListenOverflows", "handshakes dropped because a listener's accept queue was full: the server is not calling accept() fast enough", 0 },
	{ "TcpExtListenDrops", "connection requests a listener dropped, for a full queue or any other reason", 0 },
	{ "TcpExtTCPTimeouts", "retransmission timeouts (RTO): no acknowledgement came back in time", 0 },
	{ "TcpExtTCPSynRetrans", "SYN and SYN-ACK segments sent again: the other side did not answer the handshake", 0 },
	{ "TcpExtTCPLossProbes", "tail loss probes: the last segment sent again early, before a full timeout", 0 },
	{ "TcpExtTCPAbortOnData", "connections reset because data arrived after the program closed its socket", 0 },
	{ "TcpExtTCPAbortOnClose", "connections reset because the program closed them with unread data", 0 },
	{ "TcpExtTCPAbortOnTimeout", "connections given up after too many retransmissions", 0 },
	{ "TcpExtTCPAbortOnMemory", "connections reset because TCP was out of memory", 0 },
	{ "TcpExtTCPBacklogDrop", "segments dropped because the socket was busy and its backlog full", 0 },
	{ "TcpExtTCPRcvQDrop", "segments dropped because the receive buffer was full: the program reads too slowly", 0 },
	{ "TcpExtSyncookiesSent", "SYN cookies sent: a listener's SYN queue overflowed", 0 },
	{ "TcpExtTW", "connections that finished their TIME_WAIT", 0 },
	{ "UdpInDatagrams", "UDP datagrams delivered to a socket (IPv4)", 0 },
	{ "UdpNoPorts", "UDP datagrams to a port nothing listens on (answered with ICMP port unreachable)", 0 },
	{ "UdpInErrors", "UDP datagrams received but not delivered: full receive buffer, bad checksum", 0 },
	{ "UdpOutDatagrams", "UDP datagrams sent (IPv4)", 0 },
	{ "UdpRcvbufErrors", "UDP datagrams dropped because the socket's receive buffer was full: the program reads too slowly", 0 },
	{ "UdpSndbufErrors", "UDP datagrams not sent because the send buffer was full", 0 },
	{ "UdpInCsumErrors", "UDP datagrams received with a bad checksum", 0 },
	{ "Udp6InDatagrams", "UDP datagrams delivered to a socket (IPv6)", 0 },
	{ "Udp6NoPorts", "UDP datagrams over IPv6 to a port nothing listens on", 0 },
	{ "Udp6InErrors", "UDP datagrams over IPv6 received but not delivered", 0 },
	{ "Udp6OutDatagrams", "UDP datagrams sent (IPv6)", 0 },
	{ "Udp6RcvbufErrors", "UDP datagrams over IPv6 dropped for a full receive buffer", 0 },
	{ "Udp6SndbufErrors", "UDP datagrams over IPv6 not sent for a full send buffer", 0 },
};

const struct sl_counter_doc *sl_counter_docs(size_t *n)
{
	*n = SL_ARRAY_SIZE(docs);
	return docs;
}

void sl_counters_init(struct sl_counters *c)
{
	c->v = NULL;
	c->n = c->cap = 0;
}

void sl_counters_release(struct sl_counters *c)
{
	free(c->v);
	sl_counters_init(c);
}

static int graphic(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	return 1;
}

static int push(struct sl_counters *c, const char *prefix, size_t pn,
		const char *name, size_t nn, uint64_t v)
{
	struct sl_counter *k;

	if (!pn && !nn)
		return 0;
	if (pn + nn >= SL_COUNTER_NAME)
		return 0;	/* no counter of the kernel is that long */
	if (!graphic(prefix, pn) || !graphic(name, nn))
		return 0;	/* nor has one a byte like that */
	if (c->n == c->cap) {
		size_t ncap = c->cap ? 2 * c->cap : 256;

		k = realloc(c->v, ncap * sizeof(*k));
		if (!k)
			return -ENOMEM;
		c->v = k;
		c->cap = ncap;
	}
	k = &c->v[c->n++];
	memcpy(k->name, prefix, pn);
	memcpy(k->name + pn, name, nn);
	k->name[pn + nn] = '\0';
	k->value = v;
	return 0;
}

/* A cursor over one line. */
struct cur {
	const char *p, *end;
};

static const char *next_word(struct cur *c, size_t *n)
{
	const char *s;

	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
	s = c->p;
	while (c->p < c->end && *c->p != ' ' && *c->p != '\t')
		c->p++;
	*n = (size_t)(c->p - s);
	return *n ? s : NULL;
}

/* Decimal, with a '-' wrapping as nstat's %llu does ("-1" for MaxConn);
 * -1 when the word is not a number or overflows. */
static int take_num(const char *w, size_t n, uint64_t *v)
{
	int neg = n && w[0] == '-';
	uint64_t x = 0;

	if (neg) {
		w++;
		n--;
	}
	if (!n || n > 20)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(w[i] - '0');

		if (d > 9 || x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = neg ? (uint64_t)0 - x : x;
	return 0;
}

/* Two lines with the same "Label:" first: names, then values. */
static int take_pair(struct sl_counters *c, struct cur names,
		     struct cur vals, const char *label, size_t ln)
{
	const char *nw, *vw;
	size_t nn, vn;
	uint64_t v;
	int rc = 0;

	while (rc == 0 && (nw = next_word(&names, &nn)) &&
	       (vw = next_word(&vals, &vn)))
		if (take_num(vw, vn, &v) == 0)
			rc = push(c, label, ln, nw, nn, v);
	return rc;
}

static struct cur line_at(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	struct cur c = { p, nl ? nl : end };

	return c;
}

int sl_counters_parse(const char *text, size_t len, struct sl_counters *out)
{
	const char *p = text, *end = text + len;
	size_t before = out->n;
	int rc = 0;

	while (p < end && rc == 0) {
		struct cur a = line_at(p, end), b, w = a;
		const char *label, *val;
		size_t ln, vn;
		uint64_t v;

		p = a.end < end ? a.end + 1 : end;
		label = next_word(&w, &ln);
		if (!label || label[0] == '#')
			continue;
		if (label[ln - 1] != ':') {
			/* "Udp6InDatagrams   12" */
			val = next_word(&w, &vn);
			if (val && take_num(val, vn, &v) == 0)
				rc = push(out, "", 0, label, ln, v);
			continue;
		}
		if (p >= end)
			break;
		b = line_at(p, end);
		if ((size_t)(b.end - b.p) <= ln || memcmp(b.p, label, ln))
			continue;	/* no value line: next pair */
		p = b.end < end ? b.end + 1 : end;
		b.p += ln;
		rc = take_pair(out, w, b, label, ln - 1);
	}
	if (rc < 0) {
		out->n = before;
		return rc;
	}
	return (int)(out->n - before > INT32_MAX ? INT32_MAX
						 : out->n - before);
}

const struct sl_counter *sl_counters_find(const struct sl_counters *c,
					  const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].name, name) == 0)
			return &c->v[i];
	return NULL;
}

int sl_counters_read(struct sl_counters *out, struct sl_err *e)
{
	static const char *const files[] = {
		"/proc/net/snmp", "/proc/net/netstat", "/proc/net/snmp6",
	};
	struct sl_buf b = SL_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < SL_ARRAY_SIZE(files) && rc >= 0; i++) {
		sl_buf_reset(&b);
		rc = sl_read_file(files[i], SIZE_MAX, &b);
		if (rc == -ENOENT && i == 2)
			rc = 0;		/* no IPv6: no snmp6 */
		else if (rc < 0)
			sl_err_set(e, rc, "cannot read %s: %s; is /proc mounted?",
				   files[i], strerror(-rc));
		else if ((rc = sl_counters_parse(b.data, b.len, out)) < 0)
			sl_err_set(e, rc, "out of memory reading %s", files[i]);
	}
	sl_buf_release(&b);
	return rc < 0 ? rc : 0;
}

/* ---- /proc/net/sockstat{,6}: "TCP: inuse 5 orphan 0 tw 2 alloc 7 mem 1" ---- */

static const struct {
	const char *label, *key;
	size_t off;
} sockstat_keys[] = {
	{ "sockets:", "used", offsetof(struct sl_sockstat, sockets) },
	{ "TCP:", "inuse", offsetof(struct sl_sockstat, tcp_inuse) },
	{ "TCP:", "orphan", offsetof(struct sl_sockstat, tcp_orphan) },
	{ "TCP:", "tw", offsetof(struct sl_sockstat, tcp_tw) },
	{ "TCP:", "alloc", offsetof(struct sl_sockstat, tcp_alloc) },
	{ "TCP6:", "inuse", offsetof(struct sl_sockstat, tcp6_inuse) },
	{ "UDP:", "inuse", offsetof(struct sl_sockstat, udp_inuse) },
	{ "UDP6:", "inuse", offsetof(struct sl_sockstat, udp6_inuse) },
	{ "RAW:", "inuse", offsetof(struct sl_sockstat, raw_inuse) },
	{ "RAW6:", "inuse", offsetof(struct sl_sockstat, raw6_inuse) },
	{ "FRAG:", "inuse", offsetof(struct sl_sockstat, frag_inuse) },
	{ "FRAG6:", "inuse", offsetof(struct sl_sockstat, frag6_inuse) },
};

static int word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(w, s, n) == 0;
}

static void sockstat_set(struct sl_sockstat *st, const char *label,
			 size_t ln, const char *key, size_t kn, uint64_t v)
{
	for (size_t i = 0; i < SL_ARRAY_SIZE(sockstat_keys); i++)
		if (word_is(label, ln, sockstat_keys[i].label) &&
		    word_is(key, kn, sockstat_keys[i].key))
			memcpy((char *)st + sockstat_keys[i].off,
			       &(uint32_t){ v > UINT32_MAX ? UINT32_MAX
							   : (uint32_t)v },
			       sizeof(uint32_t));
}

int sl_sockstat_parse(const char *text, size_t len, struct sl_sockstat *st)
{
	const char *p = text, *end = text + len;
	int found = 0;

	while (p < end) {
		struct cur c = line_at(p, end);
		const char *label, *key, *val;
		size_t ln, kn, vn;
		uint64_t v;

		p = c.end < end ? c.end + 1 : end;
		if (!(label = next_word(&c, &ln)))
			continue;
		while ((key = next_word(&c, &kn)) && (val = next_word(&c, &vn)))
			if (take_num(val, vn, &v) == 0) {
				sockstat_set(st, label, ln, key, kn, v);
				found++;
			}
	}
	return found;
}

int sl_sockstat_read(struct sl_sockstat *st, struct sl_err *e)
{
	static const char *const files[] = {
		"/proc/net/sockstat", "/proc/net/sockstat6", "/proc/net/snmp",
	};
	struct sl_counters c;
	struct sl_buf b = SL_BUF_INIT;
	const struct sl_counter *k;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	sl_counters_init(&c);
	for (size_t i = 0; i < SL_ARRAY_SIZE(files) && rc >= 0; i++) {
		sl_buf_reset(&b);
		rc = sl_read_file(files[i], SIZE_MAX, &b);
		if (rc == -ENOENT && i == 1)
			rc = 0;		/* no IPv6 */
		else if (rc < 0)
			sl_err_set(e, rc, "cannot read %s: %s; is /proc mounted?",
				   files[i], strerror(-rc));
		else if (i < 2)
			sl_sockstat_parse(b.data, b.len, st);
		else if ((rc = sl_counters_parse(b.data, b.len, &c)) < 0)
			sl_err_set(e, rc, "out of memory reading %s", files[i]);
	}
	if (rc >= 0 && (k = sl_counters_find(&c, "TcpCurrEstab")))
		st->tcp_estab = (uint32_t)k->value;
	sl_counters_release(&c);
	sl_buf_release(&b);
	return rc < 0 ? rc : 0;
}
