/* dissect-int.h - what the protocol files of lib/dissect share: the walk's
 * context, bounds-checked big-endian reads and the value adders.  Every
 * protocol function reads only bytes in [off, end), with end <= caplen. */
#ifndef SOCKLAB_DISSECT_INT_H
#define SOCKLAB_DISSECT_INT_H

#include <stdint.h>

#include "socklab/dissect.h"

/* (sl_dissect_fields sets each field by name, not with a zeroing
 * initialiser: a field added here must be set there) */
struct dis {
	struct sl_packet *p;
	struct sl_stream_table *streams;
	struct sl_stream_table *udp_streams;	/* streams, kept for the
						 * packet an ICMP error quotes */
	/* the network layer under the transport, for tcp.stream */
	uint8_t family;			/* 4 or 6, 0 before any */
	uint8_t first_fragment;		/* the transport continues elsewhere */
	uint8_t inner;			/* the packet an ICMP error quotes */
	/* the offset in the packet's first IPv6 fragment header (quoted
	 * ones included): whether a fragment is the first is decided by it */
	uint8_t have_fragoff;
	uint32_t fragoff;
	const uint8_t *src, *dst;	/* 4 or 16 bytes */
	uint32_t wire_end;		/* the IP datagram's end on the wire */
	/* (small fields packed: the walk's context is zeroed for every
	 * packet, and a larger one is cleared with a slow rep stos) */
	/* the field table: values are kept only when in keep (the caller's
	 * want, or dis_every), but counted in nv as if all were (the table's
	 * bound, SL_PKT_MAX_VALS, holds for that count); w and l are the
	 * next free value and layer record (p->nvals and p->nlayers are set
	 * from them at the end: pointers, unlike those, are never taken for
	 * an alias of the values being written) */
	unsigned nv;
	struct sl_fval *w;
	struct sl_layer *l;
	const struct sl_fieldset *keep;
	struct sl_fval *spill;		/* DIS_BLOCK_MAX values: a block the
					 * table has no room for */
	struct dis_reasm *reasm;	/* IP reassembly (reasm.c), or NULL */
	uint8_t *app;			/* the TCP conversation's byte for its
					 * application (dis_tcp_rel.app), or
					 * NULL when none is tracked */
};

/* The most values one block (DIS_FILL) may hold: the spill's size. */
#define DIS_BLOCK_MAX 16

static inline uint16_t dis_be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t dis_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

/* The value's place in the packet; its payload is set by the caller. */
static inline void dis_set(struct sl_fval *v, int field, uint32_t off,
			   uint32_t len)
{
	v->field = (uint16_t)field;
	v->len = (uint16_t)(len > 0xffff ? 0xffff : len);
	v->off = off;
}

/* The table is full at field: marks the packet malformed; returns -1. */
int dis_full(struct dis *d, int field);
/* Marks the packet malformed at proto; always returns -1. */
int dis_malformed(struct dis *d, int proto, const char *why);

/* One value, counted, kept when wanted: its slot, or NULL when not kept
 * (*rc 0) or the table is full (*rc -1: the packet is then marked
 * malformed and the caller stops). */
static inline struct sl_fval *dis_slot(struct dis *d, int field, int *rc)
{
	*rc = 0;
	if (d->nv >= SL_PKT_MAX_VALS) {
		*rc = dis_full(d, field);
		return NULL;
	}
	d->nv++;
	if (!sl_fieldset_has(d->keep, field))
		return NULL;
	return d->w++;
}

/* One value; 0, or -1 when the table is full. */
static inline int dis_uint(struct dis *d, int field, uint32_t off,
			   uint32_t len, uint64_t u)
{
	int rc;
	struct sl_fval *v = dis_slot(d, field, &rc);

	if (v) {
		dis_set(v, field, off, len);
		v->v.u = u;
	}
	return rc;
}

static inline int dis_bytes(struct dis *d, int field, uint32_t off,
			    uint32_t len)
{
	int rc;
	struct sl_fval *v = dis_slot(d, field, &rc);

	if (v) {
		dis_set(v, field, off, len);
		v->v.bytes.p = d->p->data + off;
		v->v.bytes.n = len;
	}
	return rc;
}

/*
 * What a dissection may skip is known when compiling: a mask is a macro
 * M(a, k) giving its word k, a constant, and DIS_KEEPS_M(d, M, a) tests
 * the caller's want against every word of it (the words that are zero
 * fold away: testing a block costs one AND per word its fields touch).
 * It lists DIS_WORDS_MAX words, as many as a field set may have.
 */
#define DIS_WORDS_MAX 16
_Static_assert(SL_FIELDSET_WORDS <= DIS_WORDS_MAX,
	       "more fields than DIS_KEEPS_M and dis_every cover: "
	       "list more words in both");
#define DIS_BIT(k, f) ((f) / 64 == (k) ? 1ull << (f) % 64 : 0)
#define DIS_KW(d, M, a, k) \
	| ((d)->keep->bits[(k) % SL_FIELDSET_WORDS] & M(a, k))
#define DIS_KEEPS_M(d, M, a) ((0ull \
	DIS_KW(d, M, a, 0) DIS_KW(d, M, a, 1) DIS_KW(d, M, a, 2) \
	DIS_KW(d, M, a, 3) DIS_KW(d, M, a, 4) DIS_KW(d, M, a, 5) \
	DIS_KW(d, M, a, 6) DIS_KW(d, M, a, 7) DIS_KW(d, M, a, 8) \
	DIS_KW(d, M, a, 9) DIS_KW(d, M, a, 10) DIS_KW(d, M, a, 11) \
	DIS_KW(d, M, a, 12) DIS_KW(d, M, a, 13) DIS_KW(d, M, a, 14) \
	DIS_KW(d, M, a, 15)) != 0)

/* The fields the sequence analysis makes (the registry's SEQ): without
 * any of them wanted it does not run (DIS_KEEPS_M(d, DIS_SEQ_WORD, 0)). */
#define DIS_SEQ_BIT(k, id, name, type, proto, flags, desc) \
	| ((SL_FIELD_FLAGS_##flags & SL_FIELD_FLAGS_SEQ) == SL_FIELD_FLAGS_SEQ ? \
	   DIS_BIT(k, SL_F_##id) : 0)
#define DIS_SEQ_WORD(a, k) (0ull SL_FIELDS(DIS_SEQ_BIT, k))

/* Every field: what a full dissection keeps (dissect.c); a union, so
 * that one initialiser of DIS_WORDS_MAX words fills a set of whatever
 * size the registry gives it. */
union dis_every {
	struct sl_fieldset set;
	uint64_t w[DIS_WORDS_MAX];
};
extern const union dis_every dis_every;

/*
 * Blocks: values written together, straight into the table, each kept
 * only when the caller wants it.  A block is a list macro L(X, a) of rows
 *
 *   X(a, WHEN, PUT, FIELD, OFF, LEN, VALUE)
 *
 * in wire order: FIELD at OFF for LEN bytes, written when WHEN holds (1
 * for always); PUT is u (VALUE is the number) or bytes (the value is the
 * LEN bytes at OFF; VALUE is 0).  DIS_FILL(d, L, rc) writes the block, or,
 * when the caller keeps none of its fields, only counts it; everything a
 * block needs (its size, which fields it fills) comes from its rows.
 * When the table cannot take the whole block, it goes to the spill
 * unfiltered, and dis_end keeps what fits, marks the packet malformed
 * ("too many fields") at the first value that did not, and returns -1
 * (the caller stops), exactly as adding the values one by one would.
 */
struct dis_blk {
	struct sl_fval *v, *w;		/* the block's start, the next value */
	const struct sl_fieldset *keep;
	const uint8_t *data;		/* the bytes OFF counts from */
	unsigned n;
};

static inline void dis_begin(struct dis *d, struct dis_blk *b, unsigned n)
{
	b->n = n;
	b->data = d->p->data;
	if (d->nv + n <= SL_PKT_MAX_VALS) {
		b->v = b->w = d->w;
		b->keep = d->keep;
	} else {
		b->v = b->w = d->spill;
		b->keep = &dis_every.set;
	}
}

static inline void dis_put_u(struct dis_blk *b, int field, uint32_t off,
			     uint32_t len, uint64_t u)
{
	if (!sl_fieldset_has(b->keep, field))
		return;
	dis_set(b->w, field, off, len);
	b->w->v.u = u;
	b->w++;
}

static inline void dis_put_bytes(struct dis_blk *b, int field, uint32_t off,
				 uint32_t len, uint64_t unused)
{
	(void)unused;
	if (!sl_fieldset_has(b->keep, field))
		return;
	dis_set(b->w, field, off, len);
	b->w->v.bytes.p = b->data + off;
	b->w->v.bytes.n = len;
	b->w++;
}

/* The spilled block v: what fits, then the mark (v by value: a block
 * whose address is never taken stays in registers). */
int dis_overflow(struct dis *d, const struct sl_fval *v);

static inline int dis_end(struct dis *d, const struct dis_blk *b)
{
	if (b->v == d->spill)
		return dis_overflow(d, b->v);
	d->w = b->w;
	d->nv += b->n;
	return 0;
}

/* When the caller keeps none of a block's n values (kept is 0) and the
 * table could take them all, counts them and returns 1: the block need
 * not be written.  0: write it. */
static inline int dis_skip(struct dis *d, unsigned n, int kept)
{
	if (kept || d->nv + n > SL_PKT_MAX_VALS)
		return 0;
	d->nv += n;
	return 1;
}

/* What a block's rows give: word k of the fields, the number of values
 * (WHEN counted), the most there can be, the writes. */
#define DIS_ROW_BIT(k, when, put, f, off, len, v) | DIS_BIT(k, f)
#define DIS_ROW_N(a, when, put, f, off, len, v) + ((when) ? 1u : 0u)
#define DIS_ROW_MAX(a, when, put, f, off, len, v) + 1
#define DIS_ROW_PUT(b, when, put, f, off, len, v) \
	if (when) \
		dis_put_##put(b, f, off, len, v);
/* Block L's fields as a mask (DIS_KEEPS_M(d, DIS_BLOCK_WORD, L)). */
#define DIS_BLOCK_WORD(L, k) (0ull L(DIS_ROW_BIT, k))
#define DIS_FILL(d, L, rc) do { \
	struct dis_blk b_; \
	unsigned n_ = 0u L(DIS_ROW_N, 0); \
	_Static_assert((0 L(DIS_ROW_MAX, 0)) <= DIS_BLOCK_MAX, \
		       #L " has more rows than DIS_BLOCK_MAX"); \
	(rc) = 0; \
	if (!dis_skip(d, n_, DIS_KEEPS_M(d, DIS_BLOCK_WORD, L))) { \
		dis_begin(d, &b_, n_); \
		L(DIS_ROW_PUT, &b_) \
		(rc) = dis_end(d, &b_); \
	} \
} while (0)

/* A text value made by the dissector (n bytes at s), kept in the packet's
 * text; off/len are the wire bytes it came from.  0, or -1 when the
 * table is full; text past the packet's room is cut. */
static inline int dis_text(struct dis *d, int field, uint32_t off,
			   uint32_t len, const uint8_t *s, uint32_t n)
{
	struct sl_packet *p = d->p;
	int rc;
	struct sl_fval *v = dis_slot(d, field, &rc);

	if (v) {
		if (n > (uint32_t)SL_PKT_TEXT_MAX - p->text_len)
			n = (uint32_t)SL_PKT_TEXT_MAX - p->text_len;
		for (uint32_t i = 0; i < n; i++)
			p->text[p->text_len + i] = s[i];
		dis_set(v, field, off, len);
		v->v.bytes.p = p->text + p->text_len;
		v->v.bytes.n = n;
		p->text_len = (uint16_t)(p->text_len + n);
	}
	return rc;
}

/* Opens a layer: the layer record and its protocol's value (kept when
 * wanted).  0, or -1 when the packet is full. */
static inline int dis_layer(struct dis *d, int proto, uint32_t off,
			    uint32_t len)
{
	struct sl_layer *l = d->l;

	if (l == d->p->layers + SL_PKT_MAX_LAYERS)
		return dis_malformed(d, proto, "too many layers");
	if (d->nv >= SL_PKT_MAX_VALS)
		return dis_full(d, proto);
	d->l++;
	l->proto = (uint16_t)proto;
	l->first_val = (uint16_t)(d->w - d->p->vals);
	l->off = off;
	l->len = len;
	return dis_uint(d, proto, off, len, 0);
}

/* Sets the current layer's header length once it is known. */
static inline void dis_layer_len(struct dis *d, uint32_t len)
{
	struct sl_layer *l;

	if (d->l == d->p->layers)
		return;
	l = d->l - 1;
	l->len = len;
	if (sl_fieldset_has(d->keep, l->proto))	/* the layer's first value */
		d->p->vals[l->first_val].len = (uint16_t)(len > 0xffff ?
							  0xffff : len);
}

/* A header cut short: when the capture cut the frame (snaplen) the packet
 * is marked truncated, else malformed; always returns -1. */
int dis_short(struct dis *d, int proto, const char *why);
/* Bytes nobody dissects: a Data layer (nothing when n is 0). */
void dis_data(struct dis *d, uint32_t off, uint32_t end);

/* one function per protocol file; each returns 0, or -1 when it stopped */
int dis_eth(struct dis *d, uint32_t off, uint32_t end);
int dis_sll(struct dis *d, uint32_t off, uint32_t end);
int dis_sll2(struct dis *d, uint32_t off, uint32_t end);
int dis_null(struct dis *d, uint32_t off, uint32_t end, int big_endian);
/* Dispatches on an EtherType (IPv4, IPv6, ARP; anything else is Data). */
int dis_ethertype(struct dis *d, unsigned type, uint32_t off, uint32_t end);
int dis_arp(struct dis *d, uint32_t off, uint32_t end);
int dis_ip4(struct dis *d, uint32_t off, uint32_t end);
int dis_ip6(struct dis *d, uint32_t off, uint32_t end);
/* Dispatches on an IP protocol number (TCP, UDP, ICMP, ICMPv6). */
int dis_ipproto(struct dis *d, unsigned proto, uint32_t off, uint32_t end);
int dis_tcp(struct dis *d, uint32_t off, uint32_t end);
int dis_udp(struct dis *d, uint32_t off, uint32_t end);
int dis_icmp(struct dis *d, uint32_t off, uint32_t end);
int dis_icmp6(struct dis *d, uint32_t off, uint32_t end);
/* the link layers behind Ethernet and the tunnels */
int dis_vlan(struct dis *d, uint32_t off, uint32_t end, int ad);
/* An 802.3 length field at off and the LLC frame it bounds. */
int dis_length(struct dis *d, unsigned len, uint32_t off, uint32_t end);
int dis_llc(struct dis *d, uint32_t off, uint32_t end);
int dis_mpls(struct dis *d, uint32_t off, uint32_t end);
int dis_ppp(struct dis *d, uint32_t off, uint32_t end, int hdlc);
int dis_pppoe(struct dis *d, uint32_t off, uint32_t end, int session);
int dis_gre(struct dis *d, uint32_t off, uint32_t end);
int dis_vxlan(struct dis *d, uint32_t off, uint32_t end);
int dis_geneve(struct dis *d, uint32_t off, uint32_t end);
/* app.c: a TCP or UDP payload at [off, end) (tcp.payload, udp.payload),
 * then what its ports say it is, or Data */
int dis_udp_payload(struct dis *d, unsigned sport, unsigned dport,
		    uint32_t off, uint32_t end);
int dis_tcp_payload(struct dis *d, unsigned sport, unsigned dport,
		    uint32_t off, uint32_t end);
/* the application protocols, each at its payload's start */
int dis_dns(struct dis *d, uint32_t off, uint32_t end);
int dis_dns_tcp(struct dis *d, uint32_t off, uint32_t end);
int dis_dhcp(struct dis *d, uint32_t off, uint32_t end);
int dis_ntp(struct dis *d, uint32_t off, uint32_t end);
int dis_http(struct dis *d, uint32_t off, uint32_t end);
int dis_tls(struct dis *d, uint32_t off, uint32_t end);

/* stream.c: tcp.stream, relative seq/ack and the window scale of the TCP
 * segment whose header starts at off (raw numbers in, fields out). */
struct dis_tcp_seg {
	uint16_t sport, dport;
	uint32_t seq, ack, win;
	uint16_t flags;
	int wscale;			/* from a SYN's option, -1 none */
	uint32_t seglen;
	/* the SACK blocks (raw edges), read only for the analysis */
	uint8_t nsack;
	uint32_t sack_le[4], sack_re[4];
};
struct dis_tcp_rel {
	uint32_t stream, seq, ack, nxtseq;
	int reused;			/* this SYN started a new stream */
	int64_t window;			/* -1: no scaling known */
	int32_t factor;			/* tcp.window_size_scalefactor */
	uint8_t *app;			/* the conversation's byte for its
					 * application dissector (tls.c) */
	int has_factor;			/* (not on a SYN) */
	struct dis_ana_out *ana;	/* in: where the analysis goes, or
					 * NULL for none; out: NULL when it
					 * did not run */
};
int dis_stream(struct dis *d, const struct dis_tcp_seg *s,
	       struct dis_tcp_rel *out);
/* analysis.c: the sequence analysis of one TCP stream (tshark's
 * tcp_analyze_sequence_number), made by stream.c when a SEQ field is
 * wanted.  ANA_RING unacknowledged segments per direction; ANA_BYTES the
 * state's bound per stream (docs/socklab.1 states it). */
#define ANA_RING 128
#define ANA_BYTES 6656
enum {
	ANA_RETRANSMISSION = 1 << 0,
	ANA_FAST_RETRANSMISSION = 1 << 1,
	ANA_SPURIOUS_RETRANSMISSION = 1 << 2,
	ANA_OUT_OF_ORDER = 1 << 3,
	ANA_LOST_SEGMENT = 1 << 4,
	ANA_ACK_LOST_SEGMENT = 1 << 5,
	ANA_DUPLICATE_ACK = 1 << 6,
	ANA_ZERO_WINDOW = 1 << 7,
	ANA_ZERO_WINDOW_PROBE = 1 << 8,
	ANA_ZERO_WINDOW_PROBE_ACK = 1 << 9,
	ANA_WINDOW_FULL = 1 << 10,
	ANA_WINDOW_UPDATE = 1 << 11,
	ANA_KEEP_ALIVE = 1 << 12,
	ANA_KEEP_ALIVE_ACK = 1 << 13,
	ANA_REUSED_PORTS = 1 << 14,	/* shown by tcp.c's PORTS */
};
/* tcp.completeness's bits, as tshark's */
enum { ANA_C_SYN = 1, ANA_C_SYNACK = 2, ANA_C_ACK = 4, ANA_C_DATA = 8,
       ANA_C_FIN = 16, ANA_C_RST = 32 };
struct dis_ana;
struct dis_ana_out {
	uint32_t flags;			/* ANA_* */
	uint8_t has_ta;			/* tshark shows tcp.analysis */
	uint8_t completeness;
	uint32_t acks_frame;		/* 0: none */
	int64_t ack_rtt;
	int64_t first_rtt;		/* 0: not known */
	uint32_t bytes_in_flight, push_bytes_sent;
	uint32_t dupack_num, dupack_frame;
	int64_t rel, delta;		/* tcp.time_relative, time_delta */
};
struct dis_ana *dis_ana_new(void);
void dis_ana_reset(struct dis_ana *a);
void dis_ana_free(struct dis_ana *a);
/* The stream restarts with a SYN on a reused 4-tuple (tshark shows that
 * SYN counted). */
void dis_ana_reused(struct dis_ana *a);
/* Segment s, sent in direction dir of the stream (base: its relative
 * sequence base), of frame at ts (ns); rev_shift is the other side's
 * window scale: -1 unknown, -2 none, else the shift. */
void dis_analyze(struct dis_ana *a, int dir, const struct dis_tcp_seg *s,
		 uint32_t base, int rev_shift, uint32_t frame, int64_t ts,
		 struct dis_ana_out *o);

/* The reassembly table the stream table carries. */
struct dis_reasm *dis_stream_reasm(struct sl_stream_table *t);
/* udp.stream of the datagram with these ports: 0, or -1 when the table
 * has no room. */
int dis_udp_stream(struct dis *d, unsigned sport, unsigned dport,
		   uint32_t *stream);

/* reasm.c: IP reassembly.  A fragment: its datagram's key (family, src,
 * dst, id, and for IPv4 proto), where its payload goes, and whether more
 * follow; proto is, for IPv6, the fragment header's next header. */
#define REASM_MAX_DATAGRAM 65535	/* payload bytes of one datagram */
#define REASM_MAX_PENDING 4096		/* datagrams waiting */
#define REASM_MAX_BYTES (16u << 20)	/* bytes waiting, in all */
struct dis_frag {
	int family;			/* 4 or 6 */
	const uint8_t *src, *dst;	/* 4 or 16 bytes */
	uint32_t id;
	unsigned proto;
	uint32_t off;			/* payload offset, bytes */
	const uint8_t *data;
	uint32_t len;
	int more;
	uint32_t max_end;		/* the payload's bound */
};
struct dis_datagram {
	const uint8_t *data;		/* valid until the next completion */
	uint32_t len;
	unsigned proto;
};
/* 0 for the defaults (REASM_MAX_PENDING, REASM_MAX_BYTES). */
struct dis_reasm *dis_reasm_new(size_t max_pending, size_t max_bytes);
void dis_reasm_free(struct dis_reasm *r);
size_t dis_reasm_pending(const struct dis_reasm *r);
/* 1: f completed its datagram (*out); 0: it waits; -1: f is not used
 * (*why: over-long, past the end, no room). */
int dis_reasm_add(struct dis_reasm *r, const struct dis_frag *f,
		  struct dis_datagram *out, const char **why);
int dis_defrag(struct dis *d, struct dis_frag *f, uint32_t off, uint32_t end);

#endif
