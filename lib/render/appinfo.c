/* appinfo.c - the Info column of the application protocols, as tshark
 * writes it: DNS queries and answers, HTTP request and status lines, TLS
 * records, DHCP messages, NTP modes; and the Protocol column's TLS
 * version */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "render-int.h"

/* A bounded text: output past cap is dropped. */
struct txt {
	char *p;
	size_t n, cap;
};

static void add(struct txt *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct txt *t, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (t->n + 1 >= t->cap)
		return;
	va_start(ap, fmt);
	k = vsnprintf(t->p + t->n, t->cap - t->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		t->n = t->n + (size_t)k < t->cap ? t->n + (size_t)k : t->cap - 1;
}

/* Text from the wire, escaped. */
static void add_text(struct txt *t, const struct sl_fval *v)
{
	if (t->n + 1 >= t->cap)
		return;
	t->n += sl_escape(t->p + t->n, t->cap - t->n,
			  (const char *)v->v.bytes.p, v->v.bytes.n);
	if (t->n >= t->cap)
		t->n = t->cap - 1;
}

/* The values of layer l: [first, last). */
static void range(const struct sl_packet *p, const struct sl_layer *l,
		  const struct sl_fval **first, const struct sl_fval **last)
{
	size_t i = (size_t)(l - p->layers);

	*first = &p->vals[l->first_val];
	*last = i + 1 < p->nlayers ? &p->vals[p->layers[i + 1].first_val] :
		&p->vals[p->nvals];
}

static const struct sl_fval *get(const struct sl_packet *p,
				 const struct sl_layer *l, int field)
{
	const struct sl_fval *first, *last, *v;

	range(p, l, &first, &last);
	for (v = sl_pkt_get(p, field); v && v < last; v = sl_pkt_next(p, v))
		if (v >= first)
			return v;
	return NULL;
}

static const struct sl_tok dns_types[] = {
	{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" }, { 12, "PTR" },
	{ 15, "MX" }, { 16, "TXT" }, { 28, "AAAA" }, { 33, "SRV" },
	{ 41, "OPT" }, { 43, "DS" }, { 46, "RRSIG" }, { 48, "DNSKEY" },
	{ 64, "SVCB" }, { 65, "HTTPS" }, { 255, "ANY" }, { 0, NULL },
};

static const struct sl_tok dns_rcodes[] = {
	{ 1, "Format error" }, { 2, "Server failure" }, { 3, "No such name" },
	{ 4, "Not implemented" }, { 5, "Refused" }, { 0, NULL },
};

static void dns_type(struct txt *t, uint64_t type)
{
	const char *n = sl_tok_name(dns_types, (int)type, NULL);

	if (n)
		add(t, " %s", n);
	else
		add(t, " Unknown (%llu)", (unsigned long long)type);
}

/* "Standard query response 0x1234 A www.example.com CNAME example.com A
 * 93.184.216.34" */
static void dns(struct txt *t, const struct sl_packet *p,
		const struct sl_layer *l)
{
	const struct sl_fval *first, *last, *v;
	const struct sl_fval *fl = get(p, l, SL_F_DNS_FLAGS);
	const struct sl_fval *id = get(p, l, SL_F_DNS_ID);
	uint64_t f = fl ? fl->v.u : 0;
	char a[64];

	add(t, "%s%s0x%04llx", f >> 11 & 15 ? "Unknown operation" :
	    "Standard query", f & 0x8000 ? " response " : " ",
	    (unsigned long long)(id ? id->v.u : 0));
	if ((f & 0x8000) && (f & 15))
		add(t, " %s", sl_tok_name(dns_rcodes, (int)(f & 15),
					  "Unknown error"));
	range(p, l, &first, &last);
	for (v = first; v < last; v++) {
		switch (v->field) {
		case SL_F_DNS_QRY_TYPE:	/* after its name: type, then name */
			dns_type(t, v->v.u);
			if (v > first && v[-1].field == SL_F_DNS_QRY_NAME) {
				add(t, " ");
				add_text(t, &v[-1]);
			}
			break;
		case SL_F_DNS_RESP_TYPE:
			dns_type(t, v->v.u);
			break;
		case SL_F_DNS_CNAME:
			add(t, " ");
			add_text(t, v);
			break;
		case SL_F_DNS_A:
			sl_fmt_ipv4(a, (uint32_t)v->v.u);
			add(t, " %s", a);
			break;
		case SL_F_DNS_AAAA:
			sl_fmt_ipv6(a, v->v.bytes.p);
			add(t, " %s", a);
			break;
		default:
			break;
		}
	}
}

/* The request or status line and a space, as tshark. */
static void http(struct txt *t, const struct sl_packet *p,
		 const struct sl_layer *l)
{
	static const int req[] = { SL_F_HTTP_REQUEST_METHOD,
				   SL_F_HTTP_REQUEST_URI,
				   SL_F_HTTP_REQUEST_VERSION };
	static const int resp[] = { SL_F_HTTP_RESPONSE_VERSION,
				    SL_F_HTTP_RESPONSE_CODE,
				    SL_F_HTTP_RESPONSE_PHRASE };
	const int *f = get(p, l, SL_F_HTTP_REQUEST) ? req : resp;

	for (int i = 0; i < 3; i++) {
		const struct sl_fval *v = get(p, l, f[i]);

		if (i)
			add(t, " ");
		if (v && f[i] == SL_F_HTTP_RESPONSE_CODE)
			add(t, "%llu", (unsigned long long)v->v.u);
		else if (v)
			add_text(t, v);
	}
	add(t, " ");
}

static const struct sl_tok tls_hs[] = {
	{ 0, "Hello Request" }, { 1, "Client Hello" }, { 2, "Server Hello" },
	{ 4, "New Session Ticket" }, { 8, "Encrypted Extensions" },
	{ 11, "Certificate" }, { 12, "Server Key Exchange" },
	{ 13, "Certificate Request" }, { 14, "Server Hello Done" },
	{ 15, "Certificate Verify" }, { 16, "Client Key Exchange" },
	{ 20, "Finished" }, { 0, NULL },
};

static const struct sl_tok tls_alerts[] = {
	{ 0, "Close Notify" }, { 10, "Unexpected Message" },
	{ 20, "Bad Record MAC" }, { 40, "Handshake Failure" },
	{ 42, "Bad Certificate" }, { 46, "Certificate Unknown" },
	{ 48, "Unknown CA" }, { 50, "Decode Error" }, { 70, "Protocol Version" },
	{ 80, "Internal Error" }, { 90, "User Canceled" },
	{ 112, "Unrecognized Name" }, { 0, NULL },
};

/* "Client Hello", "Server Hello, Change Cipher Spec, Application Data" */
static void tls(struct txt *t, const struct sl_packet *p,
		const struct sl_layer *l)
{
	const struct sl_fval *first, *last, *v;
	int n = 0, ccs = 0;

	range(p, l, &first, &last);
	for (v = first; v < last; v++) {
		const char *what = NULL;
		char buf[96];

		switch (v->field) {
		case SL_F_TLS_RECORD_CONTENT_TYPE:
			if (v->v.u == 20)
				what = "Change Cipher Spec", ccs = 1;
			else if (v->v.u == 23)
				what = "Application Data";
			else if (v->v.u == 22 && ccs)
				what = "Encrypted Handshake Message";
			else if (v->v.u == 21 && (v + 3 >= last ||
				 v[3].field != SL_F_TLS_ALERT_MESSAGE_LEVEL))
				what = "Encrypted Alert";
			break;
		case SL_F_TLS_HANDSHAKE_TYPE:
			what = sl_tok_name(tls_hs, (int)v->v.u, "Unknown Handshake");
			break;
		case SL_F_TLS_ALERT_MESSAGE_LEVEL:
			snprintf(buf, sizeof(buf), "Alert (Level: %s, Description: %s)",
				 v->v.u == 2 ? "Fatal" : "Warning",
				 v + 1 < last ? sl_tok_name(tls_alerts,
							    (int)v[1].v.u,
							    "Unknown") : "?");
			what = buf;
			break;
		case SL_F_TLS_RECORD:
			if (v + 1 < last &&
			    v[1].field != SL_F_TLS_RECORD_CONTENT_TYPE)
				what = "Application Data";	/* opaque */
			break;
		default:
			break;
		}
		if (what)
			add(t, "%s%s", n++ ? ", " : "", what);
	}
}

static const struct sl_tok dhcp_types[] = {
	{ 1, "Discover" }, { 2, "Offer" }, { 3, "Request" }, { 4, "Decline" },
	{ 5, "ACK" }, { 6, "NAK" }, { 7, "Release" }, { 8, "Inform" },
	{ 0, NULL },
};

/* "DHCP Discover - Transaction ID 0x11223344" */
static void dhcp(struct txt *t, const struct sl_packet *p,
		 const struct sl_layer *l)
{
	const struct sl_fval *m = get(p, l, SL_F_DHCP_OPTION_DHCP);
	const struct sl_fval *id = get(p, l, SL_F_DHCP_ID);
	const struct sl_fval *op = get(p, l, SL_F_DHCP_TYPE);

	if (m)
		add(t, "DHCP %-8s - Transaction ID 0x%08llx",
		    sl_tok_name(dhcp_types, (int)m->v.u, "Unknown"),
		    (unsigned long long)(id ? id->v.u : 0));
	else
		add(t, "Boot %s", op && op->v.u == 2 ? "Reply" : "Request");
}

static const char *const ntp_modes[] = {
	"reserved", "symmetric active", "symmetric passive", "client",
	"server", "broadcast", "reserved for NTP control message",
	"reserved for private use",
};

static void ntp(struct txt *t, const struct sl_packet *p,
		const struct sl_layer *l)
{
	const struct sl_fval *vn = get(p, l, SL_F_NTP_FLAGS_VN);
	const struct sl_fval *mode = get(p, l, SL_F_NTP_FLAGS_MODE);

	add(t, "NTP Version %llu, %s", (unsigned long long)(vn ? vn->v.u : 0),
	    ntp_modes[mode ? mode->v.u & 7 : 0]);
}

size_t sl_render_app_info(char *out, size_t cap, const struct sl_packet *p,
			  const struct sl_layer *l)
{
	struct txt t = { out, 0, cap };

	if (!cap)
		return 0;
	out[0] = '\0';
	switch (l->proto) {
	case SL_F_DNS: dns(&t, p, l); break;
	case SL_F_HTTP: http(&t, p, l); break;
	case SL_F_TLS: tls(&t, p, l); break;
	case SL_F_DHCP: dhcp(&t, p, l); break;
	case SL_F_NTP: ntp(&t, p, l); break;
	default: return 0;
	}
	return t.n;
}

const char *sl_render_tls_version(const struct sl_packet *p,
				  const struct sl_layer *l)
{
	const struct sl_fval *v = get(p, l, SL_F_TLS_RECORD_VERSION);

	switch (v ? v->v.u : 0) {
	case 0x0300: return "SSLv3";
	case 0x0301: return "TLSv1";
	case 0x0302: return "TLSv1.1";
	case 0x0304: return "TLSv1.3";
	default: return "TLSv1.2";
	}
}
