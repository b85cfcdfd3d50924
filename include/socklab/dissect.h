/*
 * dissect.h - packets to fields.  dissect.c walks the layers of one packet
 * (link type + captured bytes) and fills a flat field table; fields.c is
 * the registry, the single source of field names and types that the
 * display filter, the printers and --json all read.
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

/* Link types, numbered as pcap's LINKTYPE_* (the file format's values). */
enum {
	SL_LINK_NULL = 0,	/* BSD loopback: 4-byte host-order family */
	SL_LINK_ETHERNET = 1,
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
};

/* The registry.  Adding a field: one entry here and in fields.c, and the
 * line in the protocol file that fills it. */
enum sl_field_id {
	SL_F_FRAME, SL_F_FRAME_NUMBER, SL_F_FRAME_LEN, SL_F_FRAME_CAP_LEN,
	SL_F_FRAME_TIME_RELATIVE, SL_F_FRAME_TIME_DELTA,
	SL_F_ETH, SL_F_ETH_SRC, SL_F_ETH_DST, SL_F_ETH_ADDR, SL_F_ETH_TYPE,
	SL_F_SLL, SL_F_SLL_PKTTYPE, SL_F_SLL_PROTOCOL, SL_F_NULL, SL_F_NULL_FAMILY,
	SL_F_ARP, SL_F_ARP_OPCODE, SL_F_ARP_SRC_PROTO_IPV4, SL_F_ARP_DST_PROTO_IPV4,
	SL_F_ARP_SRC_HW_MAC, SL_F_ARP_DST_HW_MAC,
	SL_F_IP, SL_F_IP_VERSION, SL_F_IP_HDR_LEN, SL_F_IP_DSFIELD, SL_F_IP_LEN,
	SL_F_IP_ID, SL_F_IP_FLAGS_DF, SL_F_IP_FLAGS_MF, SL_F_IP_FRAG_OFFSET,
	SL_F_IP_TTL, SL_F_IP_PROTO, SL_F_IP_CHECKSUM, SL_F_IP_SRC, SL_F_IP_DST,
	SL_F_IP_ADDR,
	SL_F_IPV6, SL_F_IPV6_VERSION, SL_F_IPV6_TCLASS, SL_F_IPV6_FLOW,
	SL_F_IPV6_PLEN, SL_F_IPV6_NXT, SL_F_IPV6_HLIM, SL_F_IPV6_SRC,
	SL_F_IPV6_DST, SL_F_IPV6_ADDR,
	SL_F_TCP, SL_F_TCP_SRCPORT, SL_F_TCP_DSTPORT, SL_F_TCP_PORT,
	SL_F_TCP_STREAM, SL_F_TCP_LEN, SL_F_TCP_SEQ, SL_F_TCP_SEQ_RAW,
	SL_F_TCP_NXTSEQ, SL_F_TCP_ACK, SL_F_TCP_ACK_RAW, SL_F_TCP_HDR_LEN,
	SL_F_TCP_FLAGS, SL_F_TCP_FLAGS_FIN, SL_F_TCP_FLAGS_SYN,
	SL_F_TCP_FLAGS_RESET, SL_F_TCP_FLAGS_PUSH, SL_F_TCP_FLAGS_ACK,
	SL_F_TCP_FLAGS_URG, SL_F_TCP_WINDOW_SIZE_VALUE, SL_F_TCP_CHECKSUM,
	SL_F_TCP_URGENT_POINTER, SL_F_TCP_OPTIONS_MSS_VAL, SL_F_TCP_OPTIONS_WSCALE_SHIFT,
	SL_F_TCP_OPTIONS_SACK_PERM, SL_F_TCP_OPTIONS_TIMESTAMP_TSVAL,
	SL_F_TCP_OPTIONS_TIMESTAMP_TSECR, SL_F_TCP_PAYLOAD,
	SL_F_UDP, SL_F_UDP_SRCPORT, SL_F_UDP_DSTPORT, SL_F_UDP_PORT,
	SL_F_UDP_LENGTH, SL_F_UDP_CHECKSUM, SL_F_UDP_PAYLOAD,
	SL_F_ICMP, SL_F_ICMP_TYPE, SL_F_ICMP_CODE,
	SL_F_ICMPV6, SL_F_ICMPV6_TYPE, SL_F_ICMPV6_CODE,
	SL_F_MALFORMED,
	/* added by the capture issue (names as Wireshark's) */
	SL_F_IP_FLAGS, SL_F_IP_FLAGS_RB, SL_F_IP_OPT_TYPE,
	SL_F_TCP_FLAGS_ECE, SL_F_TCP_FLAGS_CWR, SL_F_TCP_WINDOW_SIZE,
	SL_F_TCP_OPTION_KIND, SL_F_TCP_OPTIONS_WSCALE_MULTIPLIER,
	SL_F_TCP_OPTIONS_SACK_COUNT, SL_F_TCP_OPTIONS_SACK_LE,
	SL_F_TCP_OPTIONS_SACK_RE,
	SL_F_IPV6_HOPOPTS, SL_F_IPV6_HOPOPTS_NXT, SL_F_IPV6_ROUTING,
	SL_F_IPV6_ROUTING_NXT, SL_F_IPV6_ROUTING_TYPE, SL_F_IPV6_ROUTING_SEGLEFT,
	SL_F_IPV6_FRAGHDR, SL_F_IPV6_FRAGHDR_NXT, SL_F_IPV6_FRAGHDR_OFFSET,
	SL_F_IPV6_FRAGHDR_MORE, SL_F_IPV6_FRAGHDR_IDENT, SL_F_IPV6_DSTOPTS,
	SL_F_IPV6_DSTOPTS_NXT,
	SL_F_ICMP_CHECKSUM, SL_F_ICMP_IDENT, SL_F_ICMP_SEQ,
	SL_F_ICMPV6_CHECKSUM, SL_F_ICMPV6_ECHO_ID, SL_F_ICMPV6_ECHO_SEQ,
	SL_F_ARP_HW_TYPE, SL_F_ARP_PROTO_TYPE, SL_F_SLL_HATYPE, SL_F_SLL_IFINDEX,
	SL_F_DATA, SL_F_DATA_DATA, SL_F_DATA_LEN,
	SL_F_TCP_ANALYSIS_REUSED_PORTS, SL_F_ICMPV6_ND_NS_TARGET,
	SL_F_COUNT
};

struct sl_field_def {
	const char *name;	/* as Wireshark names it: "tcp.srcport" */
	enum sl_ftype type;
	const char *desc;	/* "Source Port" */
	uint8_t hex;		/* print in hex (flags, checksums, eth.type) */
	uint8_t proto;		/* the protocol field (SL_F_TCP …) it belongs to */
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
#define SL_PKT_MAX_LAYERS 16

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
	/* index in vals of the first value of each field, or 0xffff; and of
	 * the next value of the same field after vals[i], or 0xffff */
	uint16_t first[SL_F_COUNT];
	uint16_t next[SL_PKT_MAX_VALS];
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

/* A set of fields (registry ids): what a caller reads of a packet. */
struct sl_fieldset {
	uint64_t bits[(SL_F_COUNT + 63) / 64];
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
 * streams see only the packets whose want holds a field they number
 * (tcp.stream, tcp.seq, tcp.ack …): a run that reads any of them must pass
 * such a want (or NULL) for every packet.
 */
void sl_dissect_fields(struct sl_packet *p, struct sl_stream_table *streams,
		       const struct sl_fieldset *want);
/* Lookup in a dissected packet: the first value of field, or NULL; and
 * the next value of the same field after v, or NULL. */
const struct sl_fval *sl_pkt_get(const struct sl_packet *p, int field);
const struct sl_fval *sl_pkt_next(const struct sl_packet *p,
				  const struct sl_fval *v);
int sl_pkt_has(const struct sl_packet *p, int field);
/* The first value of field as an integer, or dflt when absent. */
uint64_t sl_pkt_uint(const struct sl_packet *p, int field, uint64_t dflt);
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
struct sl_stream_table *sl_stream_table_new(void);
void sl_stream_table_free(struct sl_stream_table *t);
/* Number of TCP streams seen so far. */
uint32_t sl_stream_count(const struct sl_stream_table *t);

#endif
