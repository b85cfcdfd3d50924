/* tcp.c - TCP: header, flags, options (MSS, window scale, SACK permitted,
 * SACK, timestamps) and payload; stream.c numbers the conversation */
#include "dissect-int.h"

enum { OPT_EOL = 0, OPT_NOP = 1, OPT_MSS = 2, OPT_WS = 3, OPT_SACK_PERM = 4,
       OPT_SACK = 5, OPT_TS = 8 };

/* The length every known option must have; 0 for SACK's variable one. */
static unsigned opt_len(unsigned kind)
{
	switch (kind) {
	case OPT_MSS: return 4;
	case OPT_WS: return 3;
	case OPT_SACK_PERM: return 2;
	case OPT_TS: return 10;
	default: return 0;
	}
}

/* SACK edges are shown relative, like the acknowledgment number:
 * base is what turns a raw one into a relative one. */
static int sack(struct dis *d, const uint8_t *b, uint32_t off, unsigned len,
		uint32_t base)
{
	unsigned n = (len - 2) / 8;

	if ((len - 2) % 8)
		return dis_malformed(d, SL_F_TCP, "bad TCP SACK option length");
	if (dis_uint(d, SL_F_TCP_OPTIONS_SACK_COUNT, off + 1, 1, n) < 0)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		uint32_t o = 2 + 8 * i;

		if (dis_uint(d, SL_F_TCP_OPTIONS_SACK_LE, off + o, 4,
			     dis_be32(b + o) - base) < 0 ||
		    dis_uint(d, SL_F_TCP_OPTIONS_SACK_RE, off + o + 4, 4,
			     dis_be32(b + o + 4) - base) < 0)
			return -1;
	}
	return 0;
}

static int option(struct dis *d, unsigned kind, uint32_t off, unsigned len,
		  int *wscale, uint32_t sack_base)
{
	const uint8_t *b = d->p->data + off;
	unsigned want = opt_len(kind);

	if (want && len != want)
		return dis_malformed(d, SL_F_TCP, "bad TCP option length");
	switch (kind) {
	case OPT_MSS:
		return dis_uint(d, SL_F_TCP_OPTIONS_MSS_VAL, off + 2, 2,
				dis_be16(b + 2));
	case OPT_WS:
		*wscale = b[2] > 14 ? 14 : b[2];
		return dis_uint(d, SL_F_TCP_OPTIONS_WSCALE_SHIFT, off + 2, 1,
				b[2]) < 0 ||
		       dis_uint(d, SL_F_TCP_OPTIONS_WSCALE_MULTIPLIER, off + 2,
				1, 1u << *wscale) < 0 ? -1 : 0;
	case OPT_SACK_PERM:
		return dis_uint(d, SL_F_TCP_OPTIONS_SACK_PERM, off, 2, 0);
	case OPT_SACK:
		return sack(d, b, off, len, sack_base);
	case OPT_TS:
		return dis_uint(d, SL_F_TCP_OPTIONS_TIMESTAMP_TSVAL, off + 2, 4,
				dis_be32(b + 2)) < 0 ||
		       dis_uint(d, SL_F_TCP_OPTIONS_TIMESTAMP_TSECR, off + 6, 4,
				dis_be32(b + 6)) < 0 ? -1 : 0;
	default:
		return 0;
	}
}

/* Walks [off, end); cut: the capture ended the header early, so an option
 * running past end is the capture's doing, not a bad length. */
static int options(struct dis *d, uint32_t off, uint32_t end, int *wscale,
		   uint32_t sack_base, int cut)
{
	const uint8_t *b = d->p->data;

	while (off < end) {
		unsigned kind = b[off], len;

		if (dis_uint(d, SL_F_TCP_OPTION_KIND, off, 1, kind) < 0)
			return -1;
		/* tshark reads on past an End of List, a byte each */
		if (kind == OPT_EOL || kind == OPT_NOP) {
			off++;
			continue;
		}
		if (cut && (end - off < 2 || b[off + 1] > end - off))
			return 0;
		if (end - off < 2 || (len = b[off + 1]) < 2 || len > end - off)
			return dis_malformed(d, SL_F_TCP, "bad TCP option length");
		if (option(d, kind, off, len, wscale, sack_base) < 0)
			return -1;
		off += len;
	}
	return 0;
}

/* What the numbers need from the options before the walk (tcp.window_size
 * comes before them): the window scale a SYN announces (wscale, -1
 * none) when ws, and when sack the SACK blocks (bytes in flight leave out
 * what the other side has SACKed). */
static void read_ahead(const uint8_t *b, unsigned hl, struct dis_tcp_seg *s,
		       int ws, int sack)
{
	for (unsigned o = 20; o < hl;) {
		unsigned kind = b[o], len;

		if (kind == OPT_EOL)
			break;
		if (kind == OPT_NOP) {
			o++;
			continue;
		}
		if (hl - o < 2 || (len = b[o + 1]) < 2 || len > hl - o)
			break;
		if (ws && kind == OPT_WS && len == 3 && s->wscale < 0)
			s->wscale = b[o + 2] > 14 ? 14 : b[o + 2];
		if (sack && kind == OPT_SACK && (len - 2) % 8 == 0)
			for (unsigned i = 0; i < (len - 2) / 8 && s->nsack < 4; i++) {
				s->sack_le[s->nsack] = dis_be32(b + o + 2 + 8 * i);
				s->sack_re[s->nsack++] = dis_be32(b + o + 6 + 8 * i);
			}
		o += len;
	}
}

/* The fixed header's blocks, in fixed(): ports and stream; lengths and
 * numbers; flags (the whole field, then one bit each, CWR first); window,
 * checksum and urgent pointer. */
#define PORTS(X, a) \
	X(a, r->reused, u, SL_F_TCP_ANALYSIS_REUSED_PORTS, 0, 0, 0) \
	X(a, 1, u, SL_F_TCP_SRCPORT, off, 2, s->sport) \
	X(a, 1, u, SL_F_TCP_DSTPORT, off + 2, 2, s->dport) \
	X(a, 1, u, SL_F_TCP_PORT, off, 2, s->sport) \
	X(a, 1, u, SL_F_TCP_PORT, off + 2, 2, s->dport) \
	X(a, have, u, SL_F_TCP_STREAM, 0, 0, r->stream) \
	X(a, r->ana != NULL, u, SL_F_TCP_COMPLETENESS, 0, 0, \
	  r->ana ? r->ana->completeness : 0)
#define NUMBERS(X, a) \
	X(a, 1, u, SL_F_TCP_LEN, 0, 0, s->seglen) \
	X(a, 1, u, SL_F_TCP_SEQ, off + 4, 4, r->seq) \
	X(a, 1, u, SL_F_TCP_SEQ_RAW, off + 4, 4, s->seq) \
	X(a, 1, u, SL_F_TCP_NXTSEQ, 0, 0, r->nxtseq) \
	X(a, 1, u, SL_F_TCP_ACK, off + 8, 4, r->ack) \
	X(a, 1, u, SL_F_TCP_ACK_RAW, off + 8, 4, dis_be32(b + 8)) \
	X(a, 1, u, SL_F_TCP_HDR_LEN, off + 12, 1, (b[12] >> 4) * 4u)
#define FLAGS(X, a) \
	X(a, 1, u, SL_F_TCP_FLAGS, off + 12, 2, s->flags) \
	X(a, 1, u, SL_F_TCP_FLAGS_CWR, off + 13, 1, s->flags >> 7 & 1) \
	X(a, 1, u, SL_F_TCP_FLAGS_ECE, off + 13, 1, s->flags >> 6 & 1) \
	X(a, 1, u, SL_F_TCP_FLAGS_URG, off + 13, 1, s->flags >> 5 & 1) \
	X(a, 1, u, SL_F_TCP_FLAGS_ACK, off + 13, 1, s->flags >> 4 & 1) \
	X(a, 1, u, SL_F_TCP_FLAGS_PUSH, off + 13, 1, s->flags >> 3 & 1) \
	X(a, 1, u, SL_F_TCP_FLAGS_RESET, off + 13, 1, s->flags >> 2 & 1) \
	X(a, 1, u, SL_F_TCP_FLAGS_SYN, off + 13, 1, s->flags >> 1 & 1) \
	X(a, 1, u, SL_F_TCP_FLAGS_FIN, off + 13, 1, s->flags & 1)
#define WINDOW(X, a) \
	X(a, 1, u, SL_F_TCP_WINDOW_SIZE_VALUE, off + 14, 2, s->win) \
	X(a, 1, u, SL_F_TCP_WINDOW_SIZE, off + 14, 2, \
	  r->window < 0 ? s->win : (uint64_t)r->window) \
	X(a, have && r->has_factor, u, SL_F_TCP_WINDOW_SIZE_SCALEFACTOR, 0, 0, \
	  (uint64_t)(int64_t)r->factor) \
	X(a, 1, u, SL_F_TCP_CHECKSUM, off + 16, 2, dis_be16(b + 16)) \
	X(a, 1, u, SL_F_TCP_URGENT_POINTER, off + 18, 2, dis_be16(b + 18))

/* After the options, as tshark: [Timestamps], then [SEQ/ACK analysis]
 * (its flags are the PROTO fields, one each, with the duplicate ACK's
 * number and frame last; tshark's expert info on the frame carries the
 * duplicate ACK's name a second time, and so does the table). */
#define TIMES(X, a) \
	X(a, 1, u, SL_F_TCP_TIME_RELATIVE, 0, 0, (uint64_t)o->rel) \
	X(a, 1, u, SL_F_TCP_TIME_DELTA, 0, 0, (uint64_t)o->delta)
#define ANALYSIS(X, a) \
	X(a, o->has_ta, u, SL_F_TCP_ANALYSIS, 0, 0, 0) \
	X(a, o->acks_frame, u, SL_F_TCP_ANALYSIS_ACKS_FRAME, 0, 0, o->acks_frame) \
	X(a, o->acks_frame && o->ack_rtt, u, SL_F_TCP_ANALYSIS_ACK_RTT, 0, 0, \
	  (uint64_t)o->ack_rtt) \
	X(a, o->has_ta && o->first_rtt, u, SL_F_TCP_ANALYSIS_INITIAL_RTT, 0, 0, \
	  (uint64_t)o->first_rtt) \
	X(a, o->bytes_in_flight, u, SL_F_TCP_ANALYSIS_BYTES_IN_FLIGHT, 0, 0, \
	  o->bytes_in_flight) \
	X(a, o->push_bytes_sent, u, SL_F_TCP_ANALYSIS_PUSH_BYTES_SENT, 0, 0, \
	  o->push_bytes_sent)
#define AF(X, a, bit, field) X(a, o->flags & (bit), u, field, 0, 0, 0)
#define ANALYSIS_FLAGS(X, a) \
	X(a, o->flags != 0, u, SL_F_TCP_ANALYSIS_FLAGS, 0, 0, 0) \
	AF(X, a, ANA_SPURIOUS_RETRANSMISSION, \
	   SL_F_TCP_ANALYSIS_SPURIOUS_RETRANSMISSION) \
	AF(X, a, ANA_FAST_RETRANSMISSION, SL_F_TCP_ANALYSIS_FAST_RETRANSMISSION) \
	AF(X, a, ANA_RETRANSMISSION | ANA_FAST_RETRANSMISSION | \
	   ANA_SPURIOUS_RETRANSMISSION, SL_F_TCP_ANALYSIS_RETRANSMISSION) \
	AF(X, a, ANA_OUT_OF_ORDER, SL_F_TCP_ANALYSIS_OUT_OF_ORDER) \
	AF(X, a, ANA_LOST_SEGMENT, SL_F_TCP_ANALYSIS_LOST_SEGMENT) \
	AF(X, a, ANA_ACK_LOST_SEGMENT, SL_F_TCP_ANALYSIS_ACK_LOST_SEGMENT) \
	AF(X, a, ANA_WINDOW_UPDATE, SL_F_TCP_ANALYSIS_WINDOW_UPDATE) \
	AF(X, a, ANA_WINDOW_FULL, SL_F_TCP_ANALYSIS_WINDOW_FULL) \
	AF(X, a, ANA_KEEP_ALIVE, SL_F_TCP_ANALYSIS_KEEP_ALIVE) \
	AF(X, a, ANA_KEEP_ALIVE_ACK, SL_F_TCP_ANALYSIS_KEEP_ALIVE_ACK)
#define ANALYSIS_FLAGS2(X, a) \
	AF(X, a, ANA_DUPLICATE_ACK, SL_F_TCP_ANALYSIS_DUPLICATE_ACK) \
	X(a, o->dupack_num, u, SL_F_TCP_ANALYSIS_DUPLICATE_ACK_NUM, 0, 0, \
	  o->dupack_num) \
	X(a, o->dupack_num, u, SL_F_TCP_ANALYSIS_DUPLICATE_ACK_FRAME, 0, 0, \
	  o->dupack_frame) \
	AF(X, a, ANA_DUPLICATE_ACK, SL_F_TCP_ANALYSIS_DUPLICATE_ACK) \
	AF(X, a, ANA_ZERO_WINDOW_PROBE, SL_F_TCP_ANALYSIS_ZERO_WINDOW_PROBE) \
	AF(X, a, ANA_ZERO_WINDOW, SL_F_TCP_ANALYSIS_ZERO_WINDOW) \
	AF(X, a, ANA_ZERO_WINDOW_PROBE_ACK, \
	   SL_F_TCP_ANALYSIS_ZERO_WINDOW_PROBE_ACK)

static int analysis(struct dis *d, const struct dis_ana_out *o)
{
	int rc;

	DIS_FILL(d, TIMES, rc);
	if (rc == 0)
		DIS_FILL(d, ANALYSIS, rc);
	if (rc == 0 && o->flags)
		DIS_FILL(d, ANALYSIS_FLAGS, rc);
	if (rc == 0 && o->flags)
		DIS_FILL(d, ANALYSIS_FLAGS2, rc);
	return rc;
}

/* What the options walk gives: every TCP field the blocks above do not
 * (the options', and through its verdict on them, the analysis' after
 * them and the payload), and the malformed mark.  A block left out of
 * this list would only make the walk run for its fields too: slower,
 * never wrong. */
#define TCP_BIT(k, id, name, type, proto, flags, desc) \
	| (SL_F_##proto == SL_F_TCP ? DIS_BIT(k, SL_F_##id) : 0)
#define OPTIONS_WORD(a, k) \
	(((0ull SL_FIELDS(TCP_BIT, k)) & ~(DIS_BIT(k, SL_F_TCP) | \
	  DIS_BLOCK_WORD(PORTS, k) | DIS_BLOCK_WORD(NUMBERS, k) | \
	  DIS_BLOCK_WORD(FLAGS, k) | DIS_BLOCK_WORD(WINDOW, k))) | \
	 DIS_BIT(k, SL_F_MALFORMED))

static int fixed(struct dis *d, const uint8_t *b, uint32_t off,
		 const struct dis_tcp_seg *s, const struct dis_tcp_rel *r,
		 int have)
{
	int rc;

	DIS_FILL(d, PORTS, rc);
	if (rc == 0)
		DIS_FILL(d, NUMBERS, rc);
	if (rc == 0)
		DIS_FILL(d, FLAGS, rc);
	if (rc == 0)
		DIS_FILL(d, WINDOW, rc);
	return rc;
}

/* The numbers, relative when the conversation is tracked. */
static int numbers(struct dis *d, const uint8_t *b, uint32_t off,
		   const struct dis_tcp_seg *s, uint32_t *sack_base,
		   struct dis_ana_out **ana)
{
	struct dis_tcp_rel r;
	int have;

	/* a segment an ICMP error quotes is not analysed (as tshark) */
	r.ana = d->streams && !d->inner && DIS_KEEPS_M(d, DIS_SEQ_WORD, 0) ?
		*ana : NULL;
	have = d->streams && dis_stream(d, s, &r) == 0;

	if (!have) {
		r.seq = s->seq;
		r.ack = s->flags & 0x10 ? s->ack : 0;
		r.nxtseq = s->seq + s->seglen +
			   !!(s->flags & 0x02) + !!(s->flags & 0x01);
		r.window = -1;
		r.reused = 0;
		r.factor = 0;
		r.has_factor = 0;
		r.app = NULL;
		r.ana = NULL;
	}
	*ana = r.ana;
	*sack_base = s->flags & 0x10 ? s->ack - r.ack : 0;
	d->app = have ? r.app : NULL;
	return fixed(d, b, off, s, &r, have);
}

int dis_tcp(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	struct dis_tcp_seg s;
	uint32_t wire = d->wire_end - off;
	unsigned hl, hend;
	uint32_t sack_base;
	int cut;
	struct dis_ana_out ana_out, *ana = &ana_out;

	if (dis_layer(d, SL_F_TCP, off, 20) < 0)
		return -1;
	if (end - off < 20) {
		/* the capture may still hold the ports, as tshark shows */
		if (end - off >= 4 && d->p->caplen < d->p->len &&
		    (dis_uint(d, SL_F_TCP_SRCPORT, off, 2, dis_be16(b)) < 0 ||
		     dis_uint(d, SL_F_TCP_DSTPORT, off + 2, 2,
			      dis_be16(b + 2)) < 0 ||
		     dis_uint(d, SL_F_TCP_PORT, off, 2, dis_be16(b)) < 0 ||
		     dis_uint(d, SL_F_TCP_PORT, off + 2, 2, dis_be16(b + 2)) < 0))
			return -1;
		return dis_short(d, SL_F_TCP, "TCP header cut short");
	}
	hl = (b[12] >> 4) * 4u;
	if (hl < 20 || hl > wire)
		return dis_malformed(d, SL_F_TCP, "bad TCP header length");
	cut = hl > end - off;
	hend = cut ? end - off : hl;
	dis_layer_len(d, hl);
	s.sport = dis_be16(b);
	s.dport = dis_be16(b + 2);
	s.seq = dis_be32(b + 4);
	s.ack = dis_be32(b + 8);
	s.flags = dis_be16(b + 12) & 0x0fff;
	s.win = dis_be16(b + 14);
	s.seglen = wire - hl;
	s.wscale = -1;
	s.nsack = 0;
	if (d->streams && hend > 20 &&
	    ((s.flags & 0x02) || DIS_KEEPS_M(d, DIS_SEQ_WORD, 0)))
		read_ahead(b, hend, &s, s.flags & 0x02,
			   DIS_KEEPS_M(d, DIS_SEQ_WORD, 0));
	if (numbers(d, b, off, &s, &sack_base, &ana) < 0)
		return -1;
	/* only the payload follows: with the options unread, and the header
	 * whole (else the walk decides truncated or malformed), no walk */
	if ((cut || DIS_KEEPS_M(d, OPTIONS_WORD, 0)) &&
	    options(d, off + 20, off + hend, &s.wscale, sack_base, cut) < 0)
		return -1;
	if (cut) {
		/* tshark's [Timestamps] still, its analysis no more */
		int rc;
		const struct dis_ana_out *o = ana;

		if (o)
			DIS_FILL(d, TIMES, rc);
		(void)rc;
		return dis_short(d, SL_F_TCP, "TCP options cut short");
	}
	if (ana && analysis(d, ana) < 0)
		return -1;
	return dis_tcp_payload(d, s.sport, s.dport, off + hl, end);
}
