/*
 * dissect.h - packets to fields.  dissect.c walks the layers of one packet
 * (link type + captured bytes) and fills a flat field table; fields.h is
 * the registry, the single source of field names and types that the
 * display filter, the printers and --json all read (through sl_fields[],
 * fields.c).
 *
 * Contract: the dissector knows no libpcap.  It never reads past caplen;
 * a short or inconsistent header marks the packet malformed at that layer
 * and dissection stops there.  The packet's values point into its bytes,
 * which must outlive the table.
 */
#ifndef SOCKLAB_DISSECT_H
#define SOCKLAB_DISSECT_H

#include <stddef.h>
#include <stdint.h>

#include "socklab/fields.h"

/* Link types, numbered as pcap's LINKTYPE_* (the file format's values). */
enum {
	SL_LINK_NULL = 0,	/* BSD loopback: 4-byte host-order family */
	SL_LINK_ETHERNET = 1,
	SL_LINK_PPP = 9,	/* PPP, HDLC-like framing optional */
	SL_LINK_RAW = 101,	/* raw IPv4 or IPv6 */
	SL_LINK_LOOP = 108,	/* OpenBSD loopback: network-order family */
	SL_LINK_SLL = 113,	/* Linux cooked v1 */
	SL_LINK_SLL2 = 276,	/* Linux cooked v2 */
};

enum sl_ftype {
	SL_FT_PROTO,	/* a protocol: present or not, no value ("tcp") */
	SL_FT_UINT,	/* unsigned integer up to 64 bits */
	SL_FT_BOOL,	/* 0 or 1 (flags) */
	SL_FT_IPV4,	/* v.u holds the address in host order */
	SL_FT_IPV6,	/* v.bytes points at 16 bytes */
	SL_FT_ETHER,	/* v.bytes points at 6 bytes */
	SL_FT_BYTES,	/* v.bytes: payloads */
	SL_FT_TIME,	/* v.ns: nanoseconds (relative time) */
	SL_FT_INT,	/* v.u holds a signed integer (int64_t) */
	SL_FT_STRING,	/* v.bytes: text as the wire has it (not escaped) */
};

/* Field ids, in registry order (fields.h). */
enum sl_field_id {
#define SL_FIELD_ID(a, id, name, type, proto, flags, desc) SL_F_##id,
	SL_FIELDS(SL_FIELD_ID, 0)
#undef SL_FIELD_ID
	SL_F_COUNT
};

struct sl_field_def {
	const char *name;	/* as Wireshark names it: "tcp.srcport" */
	enum sl_ftype type;
	const char *desc;	/* "Source Port" */
	uint8_t hex;		/* print in hex (flags, checksums, eth.type) */
	uint16_t proto;		/* the protocol field (SL_F_TCP …) it belongs to */
	uint8_t bits;		/* an integer's width, as Wireshark's; 0 else */
};

extern const struct sl_field_def sl_fields[SL_F_COUNT];
/* Field id by exact name; -1 when unknown. */
int sl_field_lookup(const char *name);
/* The registered name closest to name (for "did you mean"), or NULL. */
const char *sl_field_suggest(const char *name);

struct sl_fval {
	uint16_t field;		/* enum sl_field_id */
	uint16_t len;		/* bytes the value covers in the packet */
	uint32_t off;		/* offset of those bytes in the packet */
	union {
		uint64_t u;	/* UINT, BOOL, IPV4 (host order) */
		int64_t ns;	/* TIME */
		struct {
			const uint8_t *p;
			uint32_t n;
		} bytes;	/* IPV6, ETHER, BYTES */
	} v;
};

/* Values per packet: generous for the deepest IPv6-in-IPv4 stacks; past it
 * the packet is marked malformed rather than overflowing. */
#define SL_PKT_MAX_VALS 160
_Static_assert(SL_PKT_MAX_VALS < 0xff, "a value's index fits a byte");
#define SL_PKT_MAX_LAYERS 16
#define SL_PKT_TEXT_MAX 2048

struct sl_packet {
	/* input, set by the caller */
	uint64_t number;		/* frame.number, from 1 */
	int64_t ts_ns;			/* absolute time, ns since the epoch */
	int64_t first_ns;		/* time of frame 1 (for time_relative) */
	int64_t prev_ns;		/* time of the previous frame */
	int linktype;			/* SL_LINK_* */
	const uint8_t *data;
	uint32_t caplen;		/* bytes captured */
	uint32_t len;			/* bytes on the wire */
	/* output */
	uint16_t nvals;
	struct sl_fval vals[SL_PKT_MAX_VALS];
	/* index in vals of the first value of each field, or 0xff; and of
	 * the next value of the same field after vals[i], or 0xff (a byte
	 * each: wiping first[] is a packet's cost per registered field) */
	uint8_t first[SL_F_COUNT];
	uint8_t next[SL_PKT_MAX_VALS];
	int malformed;			/* a layer broke: see malformed_field */
	uint16_t malformed_field;	/* the protocol (SL_F_TCP …) that broke */
	const char *malformed_why;	/* static text */
	/* the layers in wire order (frame first), for the -V tree and the
	 * Protocol column; a layer's values run from first_val up to the next
	 * layer's first_val */
	uint8_t nlayers;
	struct sl_layer {
		uint16_t proto;		/* SL_F_FRAME, SL_F_ETH, SL_F_TCP … */
		uint16_t first_val;	/* index in vals of its first value */
		uint32_t off;		/* where its header starts in data */
		uint32_t len;		/* header bytes (payload excluded) */
	} layers[SL_PKT_MAX_LAYERS];
	uint8_t truncated;		/* the capture cut a header (snaplen):
					 * dissection stopped, not malformed */
	uint8_t ip_fragment;		/* an IPv4/IPv6 fragment (not first
					 * or more to come): payload undissected */
	/* The second data source: the IP datagram this packet completed
	 * (reassembled from its fragments, as tshark's ip.defragment), owned
	 * by the stream table and valid until it completes another one.  The
	 * values from vals[reasm_val] and the layers from
	 * layers[reasm_layer] on lie in it: their off counts from reasm.
	 * NULL when the packet completed nothing. */
	const uint8_t *reasm;
	uint32_t reasm_len;
	uint16_t reasm_val;
	uint8_t reasm_layer;
	uint8_t reasm_family;		/* 4 or 6: "Reassembled IPv4" */
	/* Text a dissector made (a DNS name put together from its labels):
	 * the values of such fields point here */
	uint16_t text_len;
	uint8_t text[SL_PKT_TEXT_MAX];
};

/* The bytes a value's off counts from (the frame or the reassembled
 * datagram), and how many there are in *n. */
static inline const uint8_t *sl_pkt_src(const struct sl_packet *p,
					const struct sl_fval *v, uint32_t *n)
{
	if (p->reasm && v - p->vals >= p->reasm_val) {
		*n = p->reasm_len;
		return p->reasm;
	}
	*n = p->caplen;
	return p->data;
}

struct sl_stream_table;		/* stream.c: TCP conversation numbering */
struct sl_err;			/* util.h */

/* A set of fields (registry ids): what a caller reads of a packet; as
 * many words as the registry needs. */
#define SL_FIELDSET_WORDS ((SL_F_COUNT + 63) / 64)
struct sl_fieldset {
	uint64_t bits[SL_FIELDSET_WORDS];
};

static inline void sl_fieldset_add(struct sl_fieldset *s, int field)
{
	s->bits[field / 64] |= 1ull << (field % 64);
}

static inline int sl_fieldset_has(const struct sl_fieldset *s, int field)
{
	return s->bits[field / 64] >> (field % 64) & 1;
}

/* dissect.c */
/* Empties p entirely: once, before a fresh packet's first
 * sl_dissect_fields (sl_dissect does it every time). */
void sl_packet_reset(struct sl_packet *p);

/* The frames of one capture: their link type (set once the capture is
 * open), how many came so far, the first and the previous one's time;
 * zeroed before the first frame. */
struct sl_frame_seq {
	int linktype;			/* SL_LINK_* */
	uint64_t frames;		/* frames so far: the last one's number */
	int64_t first_ns, prev_ns;
};
/* Sets p's input to the capture's next frame, ts_ns (ns since the epoch)
 * with caplen bytes at data of len on the wire: numbered and timed by s,
 * which it advances.  The first frame also empties p (sl_packet_reset),
 * ready for sl_dissect_fields.  Inline: it runs for every frame. */
static inline void sl_packet_frame(struct sl_packet *p, struct sl_frame_seq *s,
				   int64_t ts_ns, const uint8_t *data,
				   uint32_t caplen, uint32_t len)
{
	if (s->frames++ == 0) {
		s->first_ns = s->prev_ns = ts_ns;
		sl_packet_reset(p);
	}
	p->number = s->frames;
	p->ts_ns = ts_ns;
	p->first_ns = s->first_ns;
	p->prev_ns = s->prev_ns;
	p->linktype = s->linktype;
	p->data = data;
	p->caplen = caplen;
	p->len = len;
	s->prev_ns = ts_ns;
}

/* Dissects p->data; streams may be NULL (no tcp.stream, absolute seq, no
 * IP reassembly: a first fragment's transport is dissected as far as it
 * goes, as tshark -o ip.defragment:FALSE). */
void sl_dissect(struct sl_packet *p, struct sl_stream_table *streams);
/*
 * The same for a packet dissected before (or reset once): only what the
 * previous dissection filled is cleared.  want NULL fills every field.
 * Otherwise the fields in want, the layers and the truncated and
 * ip_fragment marks are exactly those of sl_dissect; so is the malformed
 * mark when want holds _ws.malformed (SL_F_MALFORMED); other fields may be
 * missing, and work nobody reads is skipped.  The TCP conversations in
 * streams see only the packets whose want holds a field they number (the
 * registry's CONV fields: tcp.stream, tcp.seq, tcp.ack …): a run that
 * reads any of them must pass such a want (or NULL) for every packet.
 */
void sl_dissect_fields(struct sl_packet *p, struct sl_stream_table *streams,
		       const struct sl_fieldset *want);
/* Lookup in a dissected packet: the first value of field, or NULL; and
 * the next value of the same field after v, or NULL.  Inline: every
 * printer, filter and report asks several times a packet. */
#define SL_PKT_NO_VAL 0xff
static inline const struct sl_fval *sl_pkt_get(const struct sl_packet *p,
					       int field)
{
	if (field < 0 || field >= SL_F_COUNT ||
	    p->first[field] == SL_PKT_NO_VAL)
		return NULL;
	return &p->vals[p->first[field]];
}

static inline const struct sl_fval *sl_pkt_next(const struct sl_packet *p,
						const struct sl_fval *v)
{
	uint8_t i = p->next[v - p->vals];

	return i == SL_PKT_NO_VAL ? NULL : &p->vals[i];
}

static inline int sl_pkt_has(const struct sl_packet *p, int field)
{
	return sl_pkt_get(p, field) != NULL;
}

/* The first value of field inside p's layer i, or NULL: through the
 * field's own list of values (one, or a tunnel's few), not a walk of the
 * layer's values. */
static inline const struct sl_fval *sl_pkt_get_in(const struct sl_packet *p,
						  unsigned i, int field)
{
	const struct sl_fval *first = &p->vals[p->layers[i].first_val];
	const struct sl_fval *end = i + 1 < p->nlayers ?
		&p->vals[p->layers[i + 1].first_val] : &p->vals[p->nvals];

	for (const struct sl_fval *v = sl_pkt_get(p, field); v && v < end;
	     v = sl_pkt_next(p, v))
		if (v >= first)
			return v;
	return NULL;
}

/* The first value of field as an integer, or dflt when absent. */
static inline uint64_t sl_pkt_uint(const struct sl_packet *p, int field,
				   uint64_t dflt)
{
	const struct sl_fval *v = sl_pkt_get(p, field);

	return v ? v->v.u : dflt;
}
/* Number of values of field in p. */
unsigned sl_pkt_count(const struct sl_packet *p, int field);
/* names.c: the names tshark gives a field's values ("UDP" for ip.proto
 * 17, "Set" for a flag that is 1).  sl_field_value_of: 0 and *v when
 * name (n bytes, case ignored) names one of field's values, else -1;
 * sl_field_value_name: NULL when v has no name; sl_field_value_hint: for
 * a message, ", \"Set\" or \"Not set\"" or ", or a name such as
 * \"ICMP\"" ("" when the field's values have no names). */
int sl_field_value_of(int field, const char *name, size_t n, int64_t *v);
const char *sl_field_value_name(int field, int64_t v);
const char *sl_field_value_hint(int field);
/* The display name of a protocol field ("TCP", "IPv6", "ARP"), as tshark's
 * Protocol column writes it; the registry name for other fields. */
const char *sl_proto_short(int field);

/* stream.c */
/* A table for one capture's conversations into *out: 0, or -ENOMEM (*out
 * NULL, e filled). */
int sl_stream_table_new(struct sl_stream_table **out, struct sl_err *e);
void sl_stream_table_free(struct sl_stream_table *t);
/* Number of TCP streams seen so far. */
uint32_t sl_stream_count(const struct sl_stream_table *t);

#endif
