/* tls.c - TLS records in one TCP segment: each record's type, version and
 * length; the handshake messages in them (type, length) with a Client or
 * Server Hello's version and extensions, the ClientHello's server name
 * (SNI); alerts.  A record spread over segments is not joined (tshark
 * joins it). */
#include "dissect-int.h"

enum { CT_CCS = 20, CT_ALERT = 21, CT_HANDSHAKE = 22, CT_APP = 23,
       HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, EXT_SERVER_NAME = 0,
       EXT_SUPPORTED_VERSIONS = 43, TLS13 = 0x0304,
       MAX_RECORDS = 32, MAX_MESSAGES = 32, MAX_EXTENSIONS = 64 };

/* The conversation's state (the byte stream.c keeps for it). */
enum { APP_TLS13 = 1 };

/* A reader over [at, end) that stops (ok = 0) at the first short read. */
struct rd {
	const uint8_t *b;
	uint32_t at, end;
	int ok;
};

static uint32_t take(struct rd *r, unsigned n)
{
	uint32_t v = 0;

	if (!r->ok || r->end - r->at < n) {
		r->ok = 0;
		return 0;
	}
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | r->b[r->at++];
	return v;
}

static void skip(struct rd *r, uint32_t n)
{
	if (!r->ok || r->end - r->at < n)
		r->ok = 0;
	else
		r->at += n;
}

/* The server_name extension's first host name. */
static int server_name(struct dis *d, struct rd r)
{
	unsigned type, len;

	take(&r, 2);			/* the list's length */
	type = take(&r, 1);
	len = take(&r, 2);
	if (!r.ok || type != 0 || r.end - r.at < len)
		return 0;
	return dis_bytes(d, SL_F_TLS_HANDSHAKE_EXTENSIONS_SERVER_NAME, r.at,
			 len);
}

static int extensions(struct dis *d, struct rd *r)
{
	uint32_t total = take(r, 2), stop;

	if (!r->ok || r->end - r->at < total)
		return 0;
	stop = r->at + total;
	for (unsigned n = 0; r->at + 4 <= stop && n < MAX_EXTENSIONS; n++) {
		unsigned type = take(r, 2), len = take(r, 2);
		struct rd e = { r->b, r->at, r->at + len, 1 };

		if (!r->ok || stop - r->at < len)
			return 0;
		if (dis_uint(d, SL_F_TLS_HANDSHAKE_EXTENSION_TYPE, r->at - 4, 2,
			     type) < 0 ||
		    (type == EXT_SERVER_NAME && server_name(d, e) < 0))
			return -1;
		/* a Server Hello choosing TLS 1.3: what follows is opaque */
		if (type == EXT_SUPPORTED_VERSIONS && len == 2 && d->app &&
		    dis_be16(r->b + r->at) == TLS13)
			*d->app |= APP_TLS13;
		r->at += len;
	}
	return 0;
}

/* A Client or Server Hello's body in r. */
static int hello(struct dis *d, struct rd *r, unsigned type)
{
	uint32_t at = r->at;
	unsigned v = take(r, 2);

	if (!r->ok)
		return 0;
	if (dis_uint(d, SL_F_TLS_HANDSHAKE_VERSION, at, 2, v) < 0)
		return -1;
	skip(r, 32);			/* random */
	skip(r, take(r, 1));		/* session id */
	if (type == HS_CLIENT_HELLO) {
		skip(r, take(r, 2));	/* cipher suites */
		skip(r, take(r, 1));	/* compression methods */
	} else {
		skip(r, 3);		/* cipher suite, compression */
	}
	return r->ok && r->at < r->end ? extensions(d, r) : 0;
}

static int handshakes(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data;

	for (unsigned n = 0; end - off >= 4 && n < MAX_MESSAGES; n++) {
		unsigned type = b[off];
		uint32_t len = (uint32_t)b[off + 1] << 16 | b[off + 2] << 8 |
			       b[off + 3];
		struct rd r = { b, off + 4, off + 4 + len, 1 };

		if (len > end - off - 4)
			r.end = end;	/* cut: what there is */
		if (dis_uint(d, SL_F_TLS_HANDSHAKE, off, 4 + len, 1) < 0 ||
		    dis_uint(d, SL_F_TLS_HANDSHAKE_TYPE, off, 1, type) < 0 ||
		    dis_uint(d, SL_F_TLS_HANDSHAKE_LENGTH, off + 1, 3, len) < 0)
			return -1;
		if ((type == HS_CLIENT_HELLO || type == HS_SERVER_HELLO) &&
		    hello(d, &r, type) < 0)
			return -1;
		if (len > end - off - 4)
			return 0;
		off += 4 + len;
	}
	return 0;
}

/* Whether a record starts at b: a known type and version 3.x. */
static int is_record(const uint8_t *b, uint32_t n)
{
	return n >= 5 && b[0] >= CT_CCS && b[0] <= CT_APP && b[1] == 3 &&
	       b[2] <= 4;
}

int dis_tls(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data;

	if (!is_record(b + off, end - off)) {
		dis_data(d, off, end);	/* not TLS, or a record's middle */
		return 0;
	}
	if (dis_layer(d, SL_F_TLS, off, end - off) < 0)
		return -1;
	for (unsigned n = 0, ccs = 0; end - off >= 5 && n < MAX_RECORDS; n++) {
		unsigned type = b[off], len = dis_be16(b + off + 3);
		uint32_t body = off + 5, stop = len > end - body ? end :
						 body + len;
		/* TLS 1.3's encrypted records: tshark's opaque type */
		int opaque = type == CT_APP && d->app && (*d->app & APP_TLS13);

		if (dis_uint(d, SL_F_TLS_RECORD, off, 5 + len, 1) < 0 ||
		    (!opaque && dis_uint(d, SL_F_TLS_RECORD_CONTENT_TYPE, off, 1,
					 type) < 0) ||
		    dis_uint(d, SL_F_TLS_RECORD_VERSION, off + 1, 2,
			     dis_be16(b + off + 1)) < 0 ||
		    dis_uint(d, SL_F_TLS_RECORD_LENGTH, off + 3, 2, len) < 0)
			return -1;
		/* after a Change Cipher Spec the handshake is encrypted */
		ccs |= type == CT_CCS;
		if (type == CT_HANDSHAKE &&
		    (ccs ? dis_uint(d, SL_F_TLS_HANDSHAKE, body, stop - body,
				    1) : handshakes(d, body, stop)) < 0)
			return -1;
		/* an alert of 2 bytes is in the clear; a longer one is
		 * encrypted (tshark's "Encrypted Alert") */
		if (type == CT_ALERT && len == 2 && stop - body >= 2 &&
		    (dis_uint(d, SL_F_TLS_ALERT_MESSAGE_LEVEL, body, 1,
			      b[body]) < 0 ||
		     dis_uint(d, SL_F_TLS_ALERT_MESSAGE_DESC, body + 1, 1,
			      b[body + 1]) < 0))
			return -1;
		if (stop == end)
			return 0;
		off = stop;
	}
	return 0;
}
