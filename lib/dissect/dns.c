/* dns.c - DNS over UDP and TCP: the header and its flags, the questions,
 * and the name, type and TTL of every record with the A, AAAA and CNAME
 * data, names put together from their labels and pointers (bounded) */
#include "dissect-int.h"

enum { T_A = 1, T_CNAME = 5, T_AAAA = 28, T_OPT = 41 };
enum { MAX_QUESTIONS = 16, MAX_RECORDS = 64, MAX_HOPS = 16,
       NAME_MAX = 255 };

struct msg {
	const uint8_t *b;	/* the message */
	uint32_t n;		/* its captured bytes */
	uint32_t base;		/* its offset in the packet */
};

/* The name at *at (labels, pointers to earlier ones) into out as
 * "www.example.com", "<Root>" for the root; *at moves past it.  Its
 * length, or -1 when it runs off the message, loops or is too long. */
static int name(const struct msg *m, uint32_t *at, uint8_t *out)
{
	uint32_t pos = *at, end = 0;
	int n = 0, hops = 0;

	for (;;) {
		unsigned len;

		if (pos >= m->n)
			return -1;
		len = m->b[pos];
		if ((len & 0xc0) == 0xc0) {	/* a pointer */
			if (pos + 1 >= m->n || ++hops > MAX_HOPS)
				return -1;
			if (!end)
				end = pos + 2;
			pos = (len & 0x3f) << 8 | m->b[pos + 1];
			continue;
		}
		if (len & 0xc0)
			return -1;		/* extended labels: not valid */
		if (len == 0)
			break;
		if (pos + 1 + len > m->n || n + (n > 0) + (int)len > NAME_MAX)
			return -1;
		if (n)
			out[n++] = '.';
		for (unsigned i = 0; i < len; i++)
			out[n++] = m->b[pos + 1 + i];
		pos += 1 + len;
	}
	*at = end ? end : pos + 1;
	if (n == 0) {
		static const char root[] = "<Root>";

		for (n = 0; root[n]; n++)
			out[n] = (uint8_t)root[n];
	}
	return n;
}

static int header(struct dis *d, const struct msg *m)
{
	const uint8_t *b = m->b;
	unsigned fl = dis_be16(b + 2);
	uint32_t o = m->base;

	if (dis_uint(d, SL_F_DNS_ID, o, 2, dis_be16(b)) < 0 ||
	    dis_uint(d, SL_F_DNS_FLAGS, o + 2, 2, fl) < 0 ||
	    dis_uint(d, SL_F_DNS_FLAGS_RESPONSE, o + 2, 2, fl >> 15) < 0 ||
	    dis_uint(d, SL_F_DNS_FLAGS_OPCODE, o + 2, 2, fl >> 11 & 15) < 0 ||
	    ((fl & 0x8000) &&
	     dis_uint(d, SL_F_DNS_FLAGS_RCODE, o + 2, 2, fl & 15) < 0) ||
	    dis_uint(d, SL_F_DNS_COUNT_QUERIES, o + 4, 2, dis_be16(b + 4)) < 0 ||
	    dis_uint(d, SL_F_DNS_COUNT_ANSWERS, o + 6, 2, dis_be16(b + 6)) < 0 ||
	    dis_uint(d, SL_F_DNS_COUNT_AUTH_RR, o + 8, 2, dis_be16(b + 8)) < 0 ||
	    dis_uint(d, SL_F_DNS_COUNT_ADD_RR, o + 10, 2,
		     dis_be16(b + 10)) < 0)
		return -1;
	return 0;
}

static int question(struct dis *d, const struct msg *m, uint32_t *at)
{
	uint8_t text[NAME_MAX + 1];
	uint32_t start = *at;
	int n = name(m, at, text);

	if (n < 0 || *at + 4 > m->n)
		return dis_malformed(d, SL_F_DNS, "DNS question cut short");
	if (dis_text(d, SL_F_DNS_QRY_NAME, m->base + start, *at - start, text,
		     (uint32_t)n) < 0 ||
	    dis_uint(d, SL_F_DNS_QRY_TYPE, m->base + *at, 2,
		     dis_be16(m->b + *at)) < 0 ||
	    dis_uint(d, SL_F_DNS_QRY_CLASS, m->base + *at + 2, 2,
		     dis_be16(m->b + *at + 2)) < 0)
		return -1;
	*at += 4;
	return 0;
}

/* The data of a record of type at [at, at + len). */
static int rdata(struct dis *d, const struct msg *m, unsigned type,
		 uint32_t at, uint32_t len)
{
	uint8_t text[NAME_MAX + 1];
	uint32_t pos = at;
	int n;

	switch (type) {
	case T_A:
		return len != 4 ? 0 : dis_uint(d, SL_F_DNS_A, m->base + at, 4,
					       dis_be32(m->b + at));
	case T_AAAA:
		return len != 16 ? 0 : dis_bytes(d, SL_F_DNS_AAAA, m->base + at,
						 16);
	case T_CNAME:
		if ((n = name(m, &pos, text)) < 0 || pos > at + len)
			return dis_malformed(d, SL_F_DNS, "bad DNS CNAME");
		return dis_text(d, SL_F_DNS_CNAME, m->base + at, len, text,
				(uint32_t)n);
	default:
		return 0;
	}
}

static int record(struct dis *d, const struct msg *m, uint32_t *at)
{
	uint8_t text[NAME_MAX + 1];
	uint32_t start = *at, len;
	unsigned type;
	int n = name(m, at, text);

	if (n < 0 || *at + 10 > m->n)
		return dis_malformed(d, SL_F_DNS, "DNS record cut short");
	type = dis_be16(m->b + *at);
	len = dis_be16(m->b + *at + 8);
	if (dis_text(d, SL_F_DNS_RESP_NAME, m->base + start, *at - start,
		     text, (uint32_t)n) < 0 ||
	    dis_uint(d, SL_F_DNS_RESP_TYPE, m->base + *at, 2, type) < 0 ||
	    /* an OPT record's TTL field holds its flags: no TTL */
	    (type != T_OPT &&
	     dis_uint(d, SL_F_DNS_RESP_TTL, m->base + *at + 4, 4,
		      dis_be32(m->b + *at + 4)) < 0))
		return -1;
	*at += 10;
	if (*at + len > m->n)
		return dis_malformed(d, SL_F_DNS, "DNS record data cut short");
	if (rdata(d, m, type, *at, len) < 0)
		return -1;
	*at += len;
	return 0;
}

/* The message at [off, end). */
static int message(struct dis *d, uint32_t off, uint32_t end)
{
	struct msg m = { d->p->data + off, end - off, off };
	uint32_t at = 12;
	unsigned qd, rr;

	if (dis_layer(d, SL_F_DNS, off, end - off) < 0)
		return -1;
	if (m.n < 12)
		return dis_short(d, SL_F_DNS, "DNS header cut short");
	if (header(d, &m) < 0)
		return -1;
	qd = dis_be16(m.b + 4);
	rr = (unsigned)dis_be16(m.b + 6) + dis_be16(m.b + 8) +
	     dis_be16(m.b + 10);
	for (unsigned i = 0; i < qd && i < MAX_QUESTIONS; i++)
		if (question(d, &m, &at) < 0)
			return -1;
	for (unsigned i = 0; i < rr && i < MAX_RECORDS; i++)
		if (record(d, &m, &at) < 0)
			return -1;
	return 0;
}

int dis_dns(struct dis *d, uint32_t off, uint32_t end)
{
	return message(d, off, end);
}

/* Over TCP a message follows its two-byte length. */
int dis_dns_tcp(struct dis *d, uint32_t off, uint32_t end)
{
	unsigned len;

	if (end - off < 2) {
		dis_data(d, off, end);
		return 0;
	}
	len = dis_be16(d->p->data + off);
	if (len > end - off - 2) {	/* spread over segments: not joined */
		dis_data(d, off, end);
		return 0;
	}
	return message(d, off + 2, off + 2 + len);
}
