/* expert.c - expert information (tshark -z expert): the findings by
 * severity, group and protocol with their counts, as tshark lists them,
 * then the same in plain words with the frames each kind was seen in.
 * TCP's findings come from its flags and the sequence analysis
 * (tcp.analysis.*); a malformed packet is an error of its protocol. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap-int.h"

enum sev { ERROR, WARN, NOTE, CHAT, NSEV };
static const char *const sev_title[] = { "Errors", "Warns", "Notes", "Chats" };
static const char *const sev_json[] = { "Error", "Warning", "Note", "Chat" };

/* The kinds, each one line in plain words.  Order: the order they are
 * explained in. */
#define KINDS(X) \
	X(MALFORMED, ERROR, "Malformed", "Malformed Packet (Exception occurred)", "malformed packets|a header is cut short or its lengths do not add up") \
	X(ETH_LEN, ERROR, "Malformed", "Length field value goes past the end of the payload", "802.3 length too long|the frame claims more bytes than it carries") \
	X(UDP_ZERO_CSUM, ERROR, "Checksum", "Illegal checksum value (0)", "UDP without checksum over IPv6|a checksum of 0, which IPv6 forbids") \
	X(BAD_CSUM, WARN, "Checksum", NULL, "bad ICMP checksums|the message was corrupted or made by hand") \
	X(DSACK, WARN, "Sequence", "D-SACK Sequence", "duplicate SACKs (D-SACK)|the receiver got the same data twice: a retransmission was not needed, or the network duplicated it") \
	X(RST, WARN, "Sequence", "Connection reset (RST)", "resets (RST)|one side aborted the connection, or nothing listened on the port") \
	X(LOST, WARN, "Sequence", "Previous segment(s) not captured (common at capture start)", "segments after a gap|data before them was lost on the way, or the capture missed it") \
	X(ACK_LOST, WARN, "Sequence", "ACKed segment that wasn't captured (common at capture start)", "ACKs of unseen data|the receiver got data the capture never saw") \
	X(OUT_OF_ORDER, WARN, "Sequence", "This frame is a (suspected) out-of-order segment", "out-of-order segments|an earlier segment arrived late") \
	X(ZERO_WINDOW, WARN, "Sequence", "TCP Zero Window segment", "zero windows|the receiver's buffer was full: its program did not read, so the sender had to wait") \
	X(WINDOW_FULL, WARN, "Sequence", "TCP window specified by the receiver is now completely full", "full windows|the sender filled the receiver's whole window and had to stop") \
	X(RETRANS, NOTE, "Sequence", "This frame is a (suspected) retransmission", "retransmissions|segments were sent again: the data or its ACK was lost") \
	X(FAST_RETRANS, NOTE, "Sequence", "This frame is a (suspected) fast retransmission", "fast retransmissions|duplicate ACKs told the sender a segment was lost, before its timer ran out") \
	X(SPURIOUS, NOTE, "Sequence", "This frame is a (suspected) spurious retransmission", "spurious retransmissions|the receiver already had that data") \
	X(DUP_ACK, NOTE, "Sequence", NULL, "duplicate ACKs|the receiver kept asking for the same byte: something before it was missing") \
	X(ZWP, NOTE, "Sequence", "TCP Zero Window Probe", "zero window probes|the sender asked whether the full receiver had room again") \
	X(ZWP_ACK, NOTE, "Sequence", "ACK to a TCP Zero Window Probe", "answers to zero window probes|the receiver still had no room, or had some again") \
	X(KEEP_ALIVE, NOTE, "Sequence", "TCP keep-alive segment", "keep-alives|an idle connection checked that the other side is still there") \
	X(KEEP_ALIVE_ACK, NOTE, "Sequence", "ACK to a TCP keep-alive segment", "answers to keep-alives|the other side is still there") \
	X(NO_MSS, NOTE, "Protocol", "The SYN packet does not contain a MSS option", "SYNs without MSS|no maximum segment size offered: the other side must assume 536 bytes (IPv4) or 1220 (IPv6)") \
	X(ACK_NONZERO, NOTE, "Protocol", "The acknowledgment number field is nonzero while the ACK flag is not set", "stray acknowledgment numbers|the ACK flag is off, so the number means nothing: a sender's leftover, or a crafted packet") \
	X(REUSED, NOTE, "Sequence", "A new tcp session is started with the same ports as an earlier session in this trace", "ports reused|a new connection used the same addresses and ports as an earlier one") \
	X(FIN_ACTIVE, NOTE, "Sequence", "This frame initiates the connection closing", "active closes|this FIN began closing: its sender ends in TIME_WAIT") \
	X(FIN_PASSIVE, NOTE, "Sequence", "This frame undergoes the connection closing", "passive closes|this FIN answered a close the other side began") \
	X(WINDOW_UPDATE, CHAT, "Sequence", "TCP window update", "window updates|the receiver told the sender it has room again") \
	X(SYN, CHAT, "Sequence", NULL, "connection requests (SYN)|a client asked to connect") \
	X(SYNACK, CHAT, "Sequence", NULL, "connections accepted (SYN+ACK)|a server agreed to connect") \
	X(FIN, CHAT, "Sequence", "Connection finish (FIN)", "FINs|a side had nothing more to send") \
	X(HTTP, CHAT, "Sequence", NULL, "HTTP messages|requests and responses, by their first lines")

enum kind {
#define K_ENUM(id, sev, group, summary, words) K_##id,
	KINDS(K_ENUM)
#undef K_ENUM
	NKINDS
};

static const struct kdef {
	enum sev sev;
	const char *group, *summary, *words;
} kinds[NKINDS] = {
#define K_DEF(id, sev, group, summary, words) { sev, group, summary, words },
	KINDS(K_DEF)
#undef K_DEF
};

#define FRAMES_KEPT 10

struct entry {
	enum kind kind;
	uint32_t key;		/* the number in its summary */
	enum sev sev;
	const char *group;
	const char *proto;
	char summary[256];
	uint64_t count;
	uint32_t frames[FRAMES_KEPT];
};

struct tally {
	uint64_t count;
	uint32_t frames[FRAMES_KEPT];
};

/* who began closing each TCP stream: its sender, once a FIN is seen */
struct closer {
	uint8_t set;
	struct tap_addr who;
};

struct expert_tap {
	struct entry *v;	/* in the order first seen, as tshark */
	uint32_t n, cap;
	struct tally kind[NKINDS];
	uint32_t recent[NKINDS];	/* each kind's last entry + 1, or 0 */
	struct closer *fin;
	uint32_t nfin;
};

static void expert_fields(const struct sl_tap *t, struct sl_fieldset *s)
{
	static const int f[] = {
		SL_F_TCP_STREAM, SL_F_TCP_FLAGS, SL_F_UDP_CHECKSUM, SL_F_ETH_LEN,
		SL_F_TCP_ACK, SL_F_TCP_OPTIONS_SACK_LE, SL_F_TCP_OPTIONS_SACK_RE,
		SL_F_TCP_ACK_RAW,
		SL_F_TCP_OPTIONS_MSS_VAL, SL_F_ICMP_CHECKSUM, SL_F_TCP_HDR_LEN,
		SL_F_HTTP_REQUEST_METHOD, SL_F_HTTP_REQUEST_URI,
		SL_F_HTTP_REQUEST_VERSION, SL_F_HTTP_RESPONSE_VERSION,
		SL_F_HTTP_RESPONSE_CODE, SL_F_HTTP_RESPONSE_PHRASE,
		SL_F_ICMPV6_CHECKSUM, SL_F_IP_LEN, SL_F_IPV6_PLEN,
		SL_F_MALFORMED, SL_F_TCP_ANALYSIS_REUSED_PORTS,
		SL_F_TCP_ANALYSIS_FLAGS, SL_F_TCP_ANALYSIS_RETRANSMISSION,
		SL_F_TCP_ANALYSIS_FAST_RETRANSMISSION,
		SL_F_TCP_ANALYSIS_SPURIOUS_RETRANSMISSION,
		SL_F_TCP_ANALYSIS_OUT_OF_ORDER, SL_F_TCP_ANALYSIS_LOST_SEGMENT,
		SL_F_TCP_ANALYSIS_ACK_LOST_SEGMENT,
		SL_F_TCP_ANALYSIS_DUPLICATE_ACK,
		SL_F_TCP_ANALYSIS_DUPLICATE_ACK_NUM,
		SL_F_TCP_ANALYSIS_ZERO_WINDOW,
		SL_F_TCP_ANALYSIS_ZERO_WINDOW_PROBE,
		SL_F_TCP_ANALYSIS_ZERO_WINDOW_PROBE_ACK,
		SL_F_TCP_ANALYSIS_WINDOW_FULL, SL_F_TCP_ANALYSIS_WINDOW_UPDATE,
		SL_F_TCP_ANALYSIS_KEEP_ALIVE, SL_F_TCP_ANALYSIS_KEEP_ALIVE_ACK,
	};

	(void)t;
	tap_ends_fields(SL_TAP_TCP, s);
	for (size_t i = 0; i < SL_ARRAY_SIZE(f); i++)
		sl_fieldset_add(s, f[i]);
}

static void keep_frame(uint32_t *frames, uint64_t count, uint32_t frame)
{
	if (count <= FRAMES_KEPT)
		frames[count - 1] = frame;
}

/* The summary of a kind whose text carries a number (key) */
static void summary_of(char *out, size_t cap, enum kind k, uint32_t key,
		       const char *text)
{
	switch (k) {
	case K_SYN:
		snprintf(out, cap, "Connection establish request (SYN): server port %u", key);
		break;
	case K_SYNACK:
		snprintf(out, cap, "Connection establish acknowledge (SYN+ACK): server port %u", key);
		break;
	case K_DUP_ACK:
		snprintf(out, cap, "Duplicate ACK (#%u)", key);
		break;
	case K_BAD_CSUM:
		snprintf(out, cap, "Bad checksum [should be 0x%04x]", key);
		break;
	default:
		snprintf(out, cap, "%s", text ? text : kinds[k].summary);
		break;
	}
}

/* One finding of kind k: key is the number its summary carries (a port,
 * a count, a checksum), text the summary of a kind that has no fixed one
 * (HTTP's line).  As tshark's tap, one entry per severity, group,
 * protocol and summary: a kind and its key make the summary, so entries
 * are told apart by numbers, not text, but for HTTP's lines. */
static int same_entry(const struct entry *y, enum kind k, const char *proto,
		      uint32_t key, const char *text)
{
	return y->kind == k && y->key == key &&
	       (y->proto == proto || strcmp(y->proto, proto) == 0) &&
	       (!text || strcmp(y->summary, text) == 0);
}

static int add(struct expert_tap *x, enum kind k, const char *proto,
	       uint32_t key, const char *text, uint32_t frame)
{
	const struct kdef *d = &kinds[k];
	struct entry *e = NULL;

	x->kind[k].count++;
	keep_frame(x->kind[k].frames, x->kind[k].count, frame);
	/* a kind's findings come in runs (every SYN to one port): its last
	 * entry first, then the others */
	if (x->recent[k] && same_entry(&x->v[x->recent[k] - 1], k, proto, key,
				       text))
		e = &x->v[x->recent[k] - 1];
	for (uint32_t i = 0; i < x->n && !e; i++)
		if (same_entry(&x->v[i], k, proto, key, text))
			e = &x->v[i];
	if (!e) {
		if (tap_grow(&x->v, x->n, &x->cap, sizeof(*x->v), 16) < 0)
			return -ENOMEM;
		e = &x->v[x->n++];
		memset(e, 0, sizeof(*e));
		e->kind = k;
		e->key = key;
		e->sev = d->sev;
		e->group = d->group;
		e->proto = proto;
		summary_of(e->summary, sizeof(e->summary), k, key, text);
	}
	x->recent[k] = (uint32_t)(e - x->v) + 1;
	e->count++;
	keep_frame(e->frames, e->count, frame);
	return 0;
}

static int has(const struct sl_packet *p, int f)
{
	return sl_pkt_get(p, f) != NULL;
}

static int fin_side(struct expert_tap *x, const struct sl_packet *p,
		    uint32_t frame)
{
	struct tap_addr a, b;
	const struct sl_fval *s = sl_pkt_get(p, SL_F_TCP_STREAM);

	if (!s || !tap_ends(p, SL_TAP_TCP, 0, &a, &b))
		return 0;
	uint32_t id = (uint32_t)s->v.u;

	if (id >= x->nfin) {
		uint32_t n = id + 1 > x->nfin * 2 ? id + 1 : x->nfin * 2;
		struct closer *c = realloc(x->fin, n * sizeof(*c));

		if (!c)
			return -ENOMEM;
		memset(c + x->nfin, 0, (n - x->nfin) * sizeof(*c));
		x->fin = c;
		x->nfin = n;
	}
	struct closer *c = &x->fin[id];

	if (!c->set) {
		c->set = 1;
		c->who = a;
	}
	return add(x, tap_addr_eq(&c->who, &a) ? K_FIN_ACTIVE : K_FIN_PASSIVE,
		   "TCP", 0, NULL, frame);
}

static int tcp_findings(struct expert_tap *x, const struct sl_packet *p,
			uint32_t f)
{
	uint64_t fl = sl_pkt_uint(p, SL_F_TCP_FLAGS, 0);
	int rc = 0;

	/* in the order tshark's TCP dissector adds them */
	if (!(fl & 0x10) && sl_pkt_uint(p, SL_F_TCP_ACK_RAW, 0) != 0)
		rc |= add(x, K_ACK_NONZERO, "TCP", 0, NULL, f);
	if (fl & 0x02) {
		int ack = (fl & 0x10) != 0;

		rc |= add(x, ack ? K_SYNACK : K_SYN, "TCP", (uint32_t)
			  sl_pkt_uint(p, ack ? SL_F_TCP_SRCPORT : SL_F_TCP_DSTPORT, 0),
			  NULL, f);
	}
	/* tshark looks for the MSS among the options there are */
	if ((fl & 0x02) && sl_pkt_uint(p, SL_F_TCP_HDR_LEN, 20) > 20 &&
	    !has(p, SL_F_TCP_OPTIONS_MSS_VAL))
		rc |= add(x, K_NO_MSS, "TCP", 0, NULL, f);
	if (fl & 0x01) {
		rc |= add(x, K_FIN, "TCP", 0, NULL, f);
		rc |= fin_side(x, p, f);
	}
	if (fl & 0x04)
		rc |= add(x, K_RST, "TCP", 0, NULL, f);
	/* RFC 2883's D-SACK: the first block below the ACK, or inside the
	 * second block (tshark's test, in its SACK option) */
	const struct sl_fval *le = sl_pkt_get(p, SL_F_TCP_OPTIONS_SACK_LE);
	const struct sl_fval *re = sl_pkt_get(p, SL_F_TCP_OPTIONS_SACK_RE);

	if (le && re) {
		uint32_t ack = (uint32_t)sl_pkt_uint(p, SL_F_TCP_ACK, 0);
		uint32_t l0 = (uint32_t)le->v.u, r0 = (uint32_t)re->v.u;
		const struct sl_fval *le1 = sl_pkt_next(p, le);
		const struct sl_fval *re1 = sl_pkt_next(p, re);

		if ((int32_t)(l0 - ack) < 0 ||
		    (le1 && re1 && (int32_t)(l0 - (uint32_t)le1->v.u) >= 0 &&
		     (int32_t)((uint32_t)re1->v.u - r0) >= 0))
			rc |= add(x, K_DSACK, "TCP", 0, NULL, f);
	}
	if (has(p, SL_F_TCP_ANALYSIS_REUSED_PORTS))
		rc |= add(x, K_REUSED, "TCP", 0, NULL, f);
	if (!has(p, SL_F_TCP_ANALYSIS_FLAGS) && !has(p, SL_F_TCP_ANALYSIS_RETRANSMISSION))
		return rc;
	static const struct { int field; enum kind k; } a[] = {
		{ SL_F_TCP_ANALYSIS_ACK_LOST_SEGMENT, K_ACK_LOST },
		{ SL_F_TCP_ANALYSIS_LOST_SEGMENT, K_LOST },
		{ SL_F_TCP_ANALYSIS_WINDOW_FULL, K_WINDOW_FULL },
		{ SL_F_TCP_ANALYSIS_KEEP_ALIVE, K_KEEP_ALIVE },
		{ SL_F_TCP_ANALYSIS_WINDOW_UPDATE, K_WINDOW_UPDATE },
		{ SL_F_TCP_ANALYSIS_ZERO_WINDOW, K_ZERO_WINDOW },
		{ SL_F_TCP_ANALYSIS_ZERO_WINDOW_PROBE, K_ZWP },
		{ SL_F_TCP_ANALYSIS_ZERO_WINDOW_PROBE_ACK, K_ZWP_ACK },
		{ SL_F_TCP_ANALYSIS_KEEP_ALIVE_ACK, K_KEEP_ALIVE_ACK },
		{ SL_F_TCP_ANALYSIS_FAST_RETRANSMISSION, K_FAST_RETRANS },
		{ SL_F_TCP_ANALYSIS_SPURIOUS_RETRANSMISSION, K_SPURIOUS },
		{ SL_F_TCP_ANALYSIS_RETRANSMISSION, K_RETRANS },
		{ SL_F_TCP_ANALYSIS_OUT_OF_ORDER, K_OUT_OF_ORDER },
	};
	for (size_t i = 0; i < SL_ARRAY_SIZE(a); i++) {
		/* tshark adds the duplicate ACK between these two */
		if (a[i].k == K_ZWP && has(p, SL_F_TCP_ANALYSIS_DUPLICATE_ACK)) {
			rc |= add(x, K_DUP_ACK, "TCP", (uint32_t)sl_pkt_uint(p,
				  SL_F_TCP_ANALYSIS_DUPLICATE_ACK_NUM, 0), NULL, f);
		}
		if (has(p, a[i].field))
			rc |= add(x, a[i].k, "TCP", 0, NULL, f);
	}
	return rc;
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

/* The checksum an ICMP or ICMPv6 message should carry, as tshark checks
 * it: only when the whole message was captured.  1 with *want, or 0. */
static int icmp_should_be(const struct sl_packet *p, int i, uint16_t *want,
			  uint16_t *have)
{
	int six = p->layers[i].proto == SL_F_ICMPV6;
	const struct sl_layer *ip = &p->layers[i - 1];
	const struct sl_fval *c = sl_pkt_get_in(p, i, six ? SL_F_ICMPV6_CHECKSUM
							  : SL_F_ICMP_CHECKSUM);
	uint32_t n, start = p->layers[i].off, end, s = 0;
	const uint8_t *d;

	if (!c || ip->proto != (six ? SL_F_IPV6 : SL_F_IP))
		return 0;
	d = sl_pkt_src(p, c, &n);
	if (six) {
		const struct sl_fval *pl = sl_pkt_get_in(p, i - 1, SL_F_IPV6_PLEN);
		const struct sl_fval *sa = sl_pkt_get_in(p, i - 1, SL_F_IPV6_SRC);
		const struct sl_fval *da = sl_pkt_get_in(p, i - 1, SL_F_IPV6_DST);

		if (!pl || !sa || !da || start != ip->off + 40)
			return 0;	/* extension headers: not checked here */
		end = ip->off + 40 + (uint32_t)pl->v.u;
		s = sum16(sa->v.bytes.p, 16, sum16(da->v.bytes.p, 16, 0));
		s += (end - start) + 58;
	} else {
		const struct sl_fval *l = sl_pkt_get_in(p, i - 1, SL_F_IP_LEN);

		if (!l)
			return 0;
		end = ip->off + (uint32_t)l->v.u;
	}
	if (end > n || end < start + 4)
		return 0;
	s = sum16(d + start, 2, s);
	s = sum16(d + start + 4, end - start - 4, s);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	*want = (uint16_t)~s;
	*have = (uint16_t)c->v.u;
	return 1;
}

/* tshark's chat for an HTTP message: its first line, escaped, with the
 * "\\r\\n" tshark writes out at its end */
static int put_field(struct sl_buf *b, const struct sl_packet *p, int field)
{
	const struct sl_fval *v = sl_pkt_get(p, field);

	return v ? sl_buf_escape(b, v->v.bytes.p, v->v.bytes.n) : 0;
}

static int http_chat(struct expert_tap *x, const struct sl_packet *p,
		     uint32_t f)
{
	struct sl_buf b = SL_BUF_INIT;
	int rc = -ENOMEM;

	if (sl_pkt_get(p, SL_F_HTTP_REQUEST_METHOD)) {
		if (put_field(&b, p, SL_F_HTTP_REQUEST_METHOD) < 0 ||
		    sl_buf_putc(&b, ' ') < 0 ||
		    put_field(&b, p, SL_F_HTTP_REQUEST_URI) < 0 ||
		    sl_buf_putc(&b, ' ') < 0 ||
		    put_field(&b, p, SL_F_HTTP_REQUEST_VERSION) < 0)
			goto out;
	} else if (sl_pkt_get(p, SL_F_HTTP_RESPONSE_VERSION)) {
		if (put_field(&b, p, SL_F_HTTP_RESPONSE_VERSION) < 0 ||
		    sl_buf_printf(&b, " %u ", (unsigned)sl_pkt_uint(p,
				  SL_F_HTTP_RESPONSE_CODE, 0)) < 0 ||
		    put_field(&b, p, SL_F_HTTP_RESPONSE_PHRASE) < 0)
			goto out;
	} else {
		return 0;
	}
	if (sl_buf_puts(&b, "\\r\\n") < 0)
		goto out;
	/* as long as an entry's summary holds, so equal lines stay equal */
	if (b.len >= sizeof(((struct entry *)0)->summary))
		b.data[sizeof(((struct entry *)0)->summary) - 1] = 0;
	rc = add(x, K_HTTP, "HTTP", 0, b.data, f);
out:
	sl_buf_release(&b);
	return rc;
}

/* The first layer of each protocol the findings look at (-1: none), in
 * one walk: a look-up each was a tenth of the report's cost a packet. */
struct firsts {
	int tcp, udp, eth, http, icmp;
};

static void first_layers(const struct sl_packet *p, struct firsts *at)
{
	at->tcp = at->udp = at->eth = at->http = at->icmp = -1;
	for (int i = p->nlayers - 1; i >= 0; i--)
		switch (p->layers[i].proto) {
		case SL_F_TCP: at->tcp = i; break;
		case SL_F_UDP: at->udp = i; break;
		case SL_F_ETH: at->eth = i; break;
		case SL_F_HTTP: at->http = i; break;
		case SL_F_ICMP:
		case SL_F_ICMPV6: at->icmp = i; break;
		default: break;
		}
}

static int expert_packet(struct sl_tap *t, const struct sl_packet *p)
{
	struct expert_tap *x = t->state;
	uint32_t f = (uint32_t)p->number;
	struct firsts at;
	int rc = 0, i, below = -1;
	uint16_t want, have;

	first_layers(p, &at);
	if (at.tcp >= 0)
		rc |= tcp_findings(x, p, f);
	if ((i = at.udp) > 0)
		for (int k = i - 1; k >= 0 && below < 0; k--)
			if (p->layers[k].proto == SL_F_IP ||
			    p->layers[k].proto == SL_F_IPV6)
				below = p->layers[k].proto;
	if (below == SL_F_IPV6) {
		const struct sl_fval *c = sl_pkt_get_in(p, i, SL_F_UDP_CHECKSUM);

		if (c && c->v.u == 0)
			rc |= add(x, K_UDP_ZERO_CSUM, "UDP", 0, NULL, f);
	}
	if ((i = at.eth) >= 0) {
		const struct sl_fval *l = sl_pkt_get_in(p, i, SL_F_ETH_LEN);

		if (l && l->v.u > p->len - (p->layers[i].off + 14))
			rc |= add(x, K_ETH_LEN, "Ethernet", 0, NULL, f);
	}
	if (at.http >= 0)
		rc |= http_chat(x, p, f);
	/* what an ICMP error quotes is not checked: the first ICMP only */
	if ((i = at.icmp) > 0 && icmp_should_be(p, i, &want, &have) &&
	    want != have)
		rc |= add(x, K_BAD_CSUM, sl_proto_short(p->layers[i].proto),
			  want, NULL, f);
	if (p->malformed)
		rc |= add(x, K_MALFORMED, sl_proto_short(p->malformed_field),
			  0, NULL, f);
	return rc ? -ENOMEM : 0;
}

static int frames(struct sl_buf *b, const uint32_t *v, uint64_t n)
{
	uint64_t k = n < FRAMES_KEPT ? n : FRAMES_KEPT;

	if (sl_buf_puts(b, n == 1 ? "frame " : "frames ") < 0)
		return -ENOMEM;
	for (uint64_t i = 0; i < k; i++)
		if (sl_buf_printf(b, "%s%u", i ? ", " : "", v[i]) < 0)
			return -ENOMEM;
	return n > k ? sl_buf_puts(b, ", …") : 0;
}

static int json_report(struct expert_tap *x, struct sl_buf *b)
{
	for (uint32_t i = 0; i < x->n; i++) {
		const struct entry *e = &x->v[i];
		uint64_t k = e->count < FRAMES_KEPT ? e->count : FRAMES_KEPT;

		if (sl_buf_printf(b, "{\"severity\":\"%s\",\"group\":\"%s\","
				  "\"protocol\":", sev_json[e->sev], e->group) < 0 ||
		    sl_buf_json_str(b, e->proto, strlen(e->proto)) < 0 ||
		    sl_buf_puts(b, ",\"summary\":") < 0 ||
		    sl_buf_json_str(b, e->summary, strlen(e->summary)) < 0 ||
		    sl_buf_printf(b, ",\"count\":%llu,\"frames\":[",
				  (unsigned long long)e->count) < 0)
			return -ENOMEM;
		for (uint64_t j = 0; j < k; j++)
			if (sl_buf_printf(b, "%s%u", j ? "," : "", e->frames[j]) < 0)
				return -ENOMEM;
		if (sl_buf_printf(b, "],\"frames_all\":%s}\n",
				  e->count > k ? "false" : "true") < 0)
			return -ENOMEM;
	}
	return 0;
}

static int expert_report(struct sl_tap *t, struct sl_buf *b)
{
	struct expert_tap *x = t->state;
	int any = 0;

	if (t->o.json)
		return json_report(x, b);
	for (int s = 0; s < NSEV; s++) {
		uint64_t total = 0;

		for (uint32_t i = 0; i < x->n; i++)
			if (x->v[i].sev == (enum sev)s)
				total += x->v[i].count;
		if (!total)
			continue;
		any = 1;
		if (sl_buf_printf(b, "\n%s (%llu)\n=============\n"
				  "   Frequency      Group           Protocol  Summary\n",
				  sev_title[s], (unsigned long long)total) < 0)
			return -ENOMEM;
		for (uint32_t i = 0; i < x->n; i++) {
			const struct entry *e = &x->v[i];

			if (e->sev == (enum sev)s &&
			    sl_buf_printf(b, "%12llu %10s %18s  %s\n",
					  (unsigned long long)e->count, e->group,
					  e->proto, e->summary) < 0)
				return -ENOMEM;
		}
	}
	if (!any)
		return 0;
	/* tshark's table ends there; what follows is socklab's */
	if (sl_buf_puts(b, "\nIn plain words:\n") < 0)
		return -ENOMEM;
	for (int k = 0; k < NKINDS; k++) {
		const struct tally *y = &x->kind[k];

		if (!y->count)
			continue;
		/* "label|why": "resets (RST): 1, frame 22: one side …" */
		const char *bar = strchr(kinds[k].words, '|');

		if (sl_buf_printf(b, "  %.*s: %llu, ", (int)(bar - kinds[k].words),
				  kinds[k].words, (unsigned long long)y->count) < 0 ||
		    frames(b, y->frames, y->count) < 0 ||
		    sl_buf_printf(b, ": %s\n", bar + 1) < 0)
			return -ENOMEM;
	}
	return 0;
}

static void expert_free(struct sl_tap *t)
{
	struct expert_tap *x = t->state;

	free(x->v);
	free(x->fin);
	free(x);
}

static const struct tap_ops ops = { expert_fields, expert_packet,
				    expert_report, expert_free };

int tap_expert_init(struct sl_tap *t)
{
	if (!(t->state = calloc(1, sizeof(struct expert_tap))))
		return -ENOMEM;
	t->ops = &ops;
	return 0;
}
