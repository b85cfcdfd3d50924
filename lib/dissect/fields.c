/* fields.c - the field registry: every field's Wireshark name, type and
 * description, and lookups by name (exact, and closest for "did you mean") */
#include <string.h>

#include "socklab/dissect.h"
#include "socklab/util.h"

const struct sl_field_def sl_fields[SL_F_COUNT] = {
	[SL_F_FRAME] = { "frame", SL_FT_PROTO, "Frame", 0, SL_F_FRAME },
	[SL_F_FRAME_NUMBER] = { "frame.number", SL_FT_UINT, "Frame Number", 0, SL_F_FRAME },
	[SL_F_FRAME_LEN] = { "frame.len", SL_FT_UINT, "Frame length on the wire", 0, SL_F_FRAME },
	[SL_F_FRAME_CAP_LEN] = { "frame.cap_len", SL_FT_UINT, "Frame length stored into the capture file", 0, SL_F_FRAME },
	[SL_F_FRAME_TIME_RELATIVE] = { "frame.time_relative", SL_FT_TIME, "Time since reference or first frame", 0, SL_F_FRAME },
	[SL_F_FRAME_TIME_DELTA] = { "frame.time_delta", SL_FT_TIME, "Time delta from previous captured frame", 0, SL_F_FRAME },
	[SL_F_ETH] = { "eth", SL_FT_PROTO, "Ethernet II", 0, SL_F_ETH },
	[SL_F_ETH_DST] = { "eth.dst", SL_FT_ETHER, "Destination", 0, SL_F_ETH },
	[SL_F_ETH_SRC] = { "eth.src", SL_FT_ETHER, "Source", 0, SL_F_ETH },
	[SL_F_ETH_ADDR] = { "eth.addr", SL_FT_ETHER, "Address", 0, SL_F_ETH },
	[SL_F_ETH_TYPE] = { "eth.type", SL_FT_UINT, "Type", 1, SL_F_ETH },
	[SL_F_SLL] = { "sll", SL_FT_PROTO, "Linux cooked capture", 0, SL_F_SLL },
	[SL_F_SLL_PKTTYPE] = { "sll.pkttype", SL_FT_UINT, "Packet type", 0, SL_F_SLL },
	[SL_F_SLL_HATYPE] = { "sll.hatype", SL_FT_UINT, "Link-layer address type", 0, SL_F_SLL },
	[SL_F_SLL_IFINDEX] = { "sll.ifindex", SL_FT_UINT, "Interface index", 0, SL_F_SLL },
	[SL_F_SLL_PROTOCOL] = { "sll.etype", SL_FT_UINT, "Protocol", 1, SL_F_SLL },
	[SL_F_NULL] = { "null", SL_FT_PROTO, "Null/Loopback", 0, SL_F_NULL },
	[SL_F_NULL_FAMILY] = { "null.family", SL_FT_UINT, "Family", 0, SL_F_NULL },
	[SL_F_ARP] = { "arp", SL_FT_PROTO, "Address Resolution Protocol", 0, SL_F_ARP },
	[SL_F_ARP_HW_TYPE] = { "arp.hw.type", SL_FT_UINT, "Hardware type", 0, SL_F_ARP },
	[SL_F_ARP_PROTO_TYPE] = { "arp.proto.type", SL_FT_UINT, "Protocol type", 1, SL_F_ARP },
	[SL_F_ARP_OPCODE] = { "arp.opcode", SL_FT_UINT, "Opcode", 0, SL_F_ARP },
	[SL_F_ARP_SRC_HW_MAC] = { "arp.src.hw_mac", SL_FT_ETHER, "Sender MAC address", 0, SL_F_ARP },
	[SL_F_ARP_SRC_PROTO_IPV4] = { "arp.src.proto_ipv4", SL_FT_IPV4, "Sender IP address", 0, SL_F_ARP },
	[SL_F_ARP_DST_HW_MAC] = { "arp.dst.hw_mac", SL_FT_ETHER, "Target MAC address", 0, SL_F_ARP },
	[SL_F_ARP_DST_PROTO_IPV4] = { "arp.dst.proto_ipv4", SL_FT_IPV4, "Target IP address", 0, SL_F_ARP },
	[SL_F_IP] = { "ip", SL_FT_PROTO, "Internet Protocol Version 4", 0, SL_F_IP },
	[SL_F_IP_VERSION] = { "ip.version", SL_FT_UINT, "Version", 0, SL_F_IP },
	[SL_F_IP_HDR_LEN] = { "ip.hdr_len", SL_FT_UINT, "Header Length", 0, SL_F_IP },
	[SL_F_IP_DSFIELD] = { "ip.dsfield", SL_FT_UINT, "Differentiated Services Field", 1, SL_F_IP },
	[SL_F_IP_LEN] = { "ip.len", SL_FT_UINT, "Total Length", 0, SL_F_IP },
	[SL_F_IP_ID] = { "ip.id", SL_FT_UINT, "Identification", 1, SL_F_IP },
	[SL_F_IP_FLAGS] = { "ip.flags", SL_FT_UINT, "Flags", 1, SL_F_IP },
	[SL_F_IP_FLAGS_RB] = { "ip.flags.rb", SL_FT_BOOL, "Reserved bit", 0, SL_F_IP },
	[SL_F_IP_FLAGS_DF] = { "ip.flags.df", SL_FT_BOOL, "Don't fragment", 0, SL_F_IP },
	[SL_F_IP_FLAGS_MF] = { "ip.flags.mf", SL_FT_BOOL, "More fragments", 0, SL_F_IP },
	[SL_F_IP_FRAG_OFFSET] = { "ip.frag_offset", SL_FT_UINT, "Fragment Offset", 0, SL_F_IP },
	[SL_F_IP_TTL] = { "ip.ttl", SL_FT_UINT, "Time to Live", 0, SL_F_IP },
	[SL_F_IP_PROTO] = { "ip.proto", SL_FT_UINT, "Protocol", 0, SL_F_IP },
	[SL_F_IP_CHECKSUM] = { "ip.checksum", SL_FT_UINT, "Header Checksum", 1, SL_F_IP },
	[SL_F_IP_SRC] = { "ip.src", SL_FT_IPV4, "Source Address", 0, SL_F_IP },
	[SL_F_IP_DST] = { "ip.dst", SL_FT_IPV4, "Destination Address", 0, SL_F_IP },
	[SL_F_IP_ADDR] = { "ip.addr", SL_FT_IPV4, "Source or Destination Address", 0, SL_F_IP },
	[SL_F_IP_OPT_TYPE] = { "ip.opt.type", SL_FT_UINT, "Option Type", 0, SL_F_IP },
	[SL_F_IPV6] = { "ipv6", SL_FT_PROTO, "Internet Protocol Version 6", 0, SL_F_IPV6 },
	[SL_F_IPV6_VERSION] = { "ipv6.version", SL_FT_UINT, "Version", 0, SL_F_IPV6 },
	[SL_F_IPV6_TCLASS] = { "ipv6.tclass", SL_FT_UINT, "Traffic Class", 1, SL_F_IPV6 },
	[SL_F_IPV6_FLOW] = { "ipv6.flow", SL_FT_UINT, "Flow Label", 1, SL_F_IPV6 },
	[SL_F_IPV6_PLEN] = { "ipv6.plen", SL_FT_UINT, "Payload Length", 0, SL_F_IPV6 },
	[SL_F_IPV6_NXT] = { "ipv6.nxt", SL_FT_UINT, "Next Header", 0, SL_F_IPV6 },
	[SL_F_IPV6_HLIM] = { "ipv6.hlim", SL_FT_UINT, "Hop Limit", 0, SL_F_IPV6 },
	[SL_F_IPV6_SRC] = { "ipv6.src", SL_FT_IPV6, "Source Address", 0, SL_F_IPV6 },
	[SL_F_IPV6_DST] = { "ipv6.dst", SL_FT_IPV6, "Destination Address", 0, SL_F_IPV6 },
	[SL_F_IPV6_ADDR] = { "ipv6.addr", SL_FT_IPV6, "Source or Destination Address", 0, SL_F_IPV6 },
	[SL_F_IPV6_HOPOPTS] = { "ipv6.hopopts", SL_FT_PROTO, "IPv6 Hop-by-Hop Option", 0, SL_F_IPV6_HOPOPTS },
	[SL_F_IPV6_HOPOPTS_NXT] = { "ipv6.hopopts.nxt", SL_FT_UINT, "Next Header", 0, SL_F_IPV6_HOPOPTS },
	[SL_F_IPV6_ROUTING] = { "ipv6.routing", SL_FT_PROTO, "Routing Header for IPv6", 0, SL_F_IPV6_ROUTING },
	[SL_F_IPV6_ROUTING_NXT] = { "ipv6.routing.nxt", SL_FT_UINT, "Next Header", 0, SL_F_IPV6_ROUTING },
	[SL_F_IPV6_ROUTING_TYPE] = { "ipv6.routing.type", SL_FT_UINT, "Type", 0, SL_F_IPV6_ROUTING },
	[SL_F_IPV6_ROUTING_SEGLEFT] = { "ipv6.routing.segleft", SL_FT_UINT, "Segments Left", 0, SL_F_IPV6_ROUTING },
	[SL_F_IPV6_FRAGHDR] = { "ipv6.fraghdr", SL_FT_PROTO, "Fragment Header for IPv6", 0, SL_F_IPV6_FRAGHDR },
	[SL_F_IPV6_FRAGHDR_NXT] = { "ipv6.fraghdr.nxt", SL_FT_UINT, "Next header", 0, SL_F_IPV6_FRAGHDR },
	[SL_F_IPV6_FRAGHDR_OFFSET] = { "ipv6.fraghdr.offset", SL_FT_UINT, "Offset", 0, SL_F_IPV6_FRAGHDR },
	[SL_F_IPV6_FRAGHDR_MORE] = { "ipv6.fraghdr.more", SL_FT_BOOL, "More Fragments", 0, SL_F_IPV6_FRAGHDR },
	[SL_F_IPV6_FRAGHDR_IDENT] = { "ipv6.fraghdr.ident", SL_FT_UINT, "Identification", 1, SL_F_IPV6_FRAGHDR },
	[SL_F_IPV6_DSTOPTS] = { "ipv6.dstopts", SL_FT_PROTO, "Destination Options for IPv6", 0, SL_F_IPV6_DSTOPTS },
	[SL_F_IPV6_DSTOPTS_NXT] = { "ipv6.dstopts.nxt", SL_FT_UINT, "Next Header", 0, SL_F_IPV6_DSTOPTS },
	[SL_F_TCP] = { "tcp", SL_FT_PROTO, "Transmission Control Protocol", 0, SL_F_TCP },
	[SL_F_TCP_SRCPORT] = { "tcp.srcport", SL_FT_UINT, "Source Port", 0, SL_F_TCP },
	[SL_F_TCP_DSTPORT] = { "tcp.dstport", SL_FT_UINT, "Destination Port", 0, SL_F_TCP },
	[SL_F_TCP_PORT] = { "tcp.port", SL_FT_UINT, "Source or Destination Port", 0, SL_F_TCP },
	[SL_F_TCP_STREAM] = { "tcp.stream", SL_FT_UINT, "Stream index", 0, SL_F_TCP },
	[SL_F_TCP_LEN] = { "tcp.len", SL_FT_UINT, "TCP Segment Len", 0, SL_F_TCP },
	[SL_F_TCP_SEQ] = { "tcp.seq", SL_FT_UINT, "Sequence Number", 0, SL_F_TCP },
	[SL_F_TCP_SEQ_RAW] = { "tcp.seq_raw", SL_FT_UINT, "Sequence Number (raw)", 0, SL_F_TCP },
	[SL_F_TCP_NXTSEQ] = { "tcp.nxtseq", SL_FT_UINT, "Next Sequence Number", 0, SL_F_TCP },
	[SL_F_TCP_ACK] = { "tcp.ack", SL_FT_UINT, "Acknowledgment Number", 0, SL_F_TCP },
	[SL_F_TCP_ACK_RAW] = { "tcp.ack_raw", SL_FT_UINT, "Acknowledgment number (raw)", 0, SL_F_TCP },
	[SL_F_TCP_HDR_LEN] = { "tcp.hdr_len", SL_FT_UINT, "Header Length", 0, SL_F_TCP },
	[SL_F_TCP_FLAGS] = { "tcp.flags", SL_FT_UINT, "Flags", 1, SL_F_TCP },
	[SL_F_TCP_FLAGS_CWR] = { "tcp.flags.cwr", SL_FT_BOOL, "Congestion Window Reduced", 0, SL_F_TCP },
	[SL_F_TCP_FLAGS_ECE] = { "tcp.flags.ece", SL_FT_BOOL, "ECN-Echo", 0, SL_F_TCP },
	[SL_F_TCP_FLAGS_URG] = { "tcp.flags.urg", SL_FT_BOOL, "Urgent", 0, SL_F_TCP },
	[SL_F_TCP_FLAGS_ACK] = { "tcp.flags.ack", SL_FT_BOOL, "Acknowledgment", 0, SL_F_TCP },
	[SL_F_TCP_FLAGS_PUSH] = { "tcp.flags.push", SL_FT_BOOL, "Push", 0, SL_F_TCP },
	[SL_F_TCP_FLAGS_RESET] = { "tcp.flags.reset", SL_FT_BOOL, "Reset", 0, SL_F_TCP },
	[SL_F_TCP_FLAGS_SYN] = { "tcp.flags.syn", SL_FT_BOOL, "Syn", 0, SL_F_TCP },
	[SL_F_TCP_FLAGS_FIN] = { "tcp.flags.fin", SL_FT_BOOL, "Fin", 0, SL_F_TCP },
	[SL_F_TCP_WINDOW_SIZE_VALUE] = { "tcp.window_size_value", SL_FT_UINT, "Window", 0, SL_F_TCP },
	[SL_F_TCP_WINDOW_SIZE] = { "tcp.window_size", SL_FT_UINT, "Calculated window size", 0, SL_F_TCP },
	[SL_F_TCP_CHECKSUM] = { "tcp.checksum", SL_FT_UINT, "Checksum", 1, SL_F_TCP },
	[SL_F_TCP_URGENT_POINTER] = { "tcp.urgent_pointer", SL_FT_UINT, "Urgent Pointer", 0, SL_F_TCP },
	[SL_F_TCP_OPTION_KIND] = { "tcp.option_kind", SL_FT_UINT, "Kind", 0, SL_F_TCP },
	[SL_F_TCP_OPTIONS_MSS_VAL] = { "tcp.options.mss_val", SL_FT_UINT, "MSS Value", 0, SL_F_TCP },
	[SL_F_TCP_OPTIONS_WSCALE_SHIFT] = { "tcp.options.wscale.shift", SL_FT_UINT, "Shift count", 0, SL_F_TCP },
	[SL_F_TCP_OPTIONS_WSCALE_MULTIPLIER] = { "tcp.options.wscale.multiplier", SL_FT_UINT, "Multiplier", 0, SL_F_TCP },
	[SL_F_TCP_OPTIONS_SACK_PERM] = { "tcp.options.sack_perm", SL_FT_PROTO, "TCP Option - SACK permitted", 0, SL_F_TCP },
	[SL_F_TCP_OPTIONS_SACK_LE] = { "tcp.options.sack_le", SL_FT_UINT, "TCP SACK Left Edge", 0, SL_F_TCP },
	[SL_F_TCP_OPTIONS_SACK_RE] = { "tcp.options.sack_re", SL_FT_UINT, "TCP SACK Right Edge", 0, SL_F_TCP },
	[SL_F_TCP_OPTIONS_SACK_COUNT] = { "tcp.options.sack.count", SL_FT_UINT, "TCP SACK Count", 0, SL_F_TCP },
	[SL_F_TCP_OPTIONS_TIMESTAMP_TSVAL] = { "tcp.options.timestamp.tsval", SL_FT_UINT, "Timestamp value", 0, SL_F_TCP },
	[SL_F_TCP_OPTIONS_TIMESTAMP_TSECR] = { "tcp.options.timestamp.tsecr", SL_FT_UINT, "Timestamp echo reply", 0, SL_F_TCP },
	[SL_F_TCP_PAYLOAD] = { "tcp.payload", SL_FT_BYTES, "TCP payload", 0, SL_F_TCP },
	[SL_F_UDP] = { "udp", SL_FT_PROTO, "User Datagram Protocol", 0, SL_F_UDP },
	[SL_F_UDP_SRCPORT] = { "udp.srcport", SL_FT_UINT, "Source Port", 0, SL_F_UDP },
	[SL_F_UDP_DSTPORT] = { "udp.dstport", SL_FT_UINT, "Destination Port", 0, SL_F_UDP },
	[SL_F_UDP_PORT] = { "udp.port", SL_FT_UINT, "Source or Destination Port", 0, SL_F_UDP },
	[SL_F_UDP_LENGTH] = { "udp.length", SL_FT_UINT, "Length", 0, SL_F_UDP },
	[SL_F_UDP_CHECKSUM] = { "udp.checksum", SL_FT_UINT, "Checksum", 1, SL_F_UDP },
	[SL_F_UDP_PAYLOAD] = { "udp.payload", SL_FT_BYTES, "Payload", 0, SL_F_UDP },
	[SL_F_ICMP] = { "icmp", SL_FT_PROTO, "Internet Control Message Protocol", 0, SL_F_ICMP },
	[SL_F_ICMP_TYPE] = { "icmp.type", SL_FT_UINT, "Type", 0, SL_F_ICMP },
	[SL_F_ICMP_CODE] = { "icmp.code", SL_FT_UINT, "Code", 0, SL_F_ICMP },
	[SL_F_ICMP_CHECKSUM] = { "icmp.checksum", SL_FT_UINT, "Checksum", 1, SL_F_ICMP },
	[SL_F_ICMP_IDENT] = { "icmp.ident", SL_FT_UINT, "Identifier (BE)", 0, SL_F_ICMP },
	[SL_F_ICMP_SEQ] = { "icmp.seq", SL_FT_UINT, "Sequence Number (BE)", 0, SL_F_ICMP },
	[SL_F_ICMPV6] = { "icmpv6", SL_FT_PROTO, "Internet Control Message Protocol v6", 0, SL_F_ICMPV6 },
	[SL_F_ICMPV6_TYPE] = { "icmpv6.type", SL_FT_UINT, "Type", 0, SL_F_ICMPV6 },
	[SL_F_ICMPV6_CODE] = { "icmpv6.code", SL_FT_UINT, "Code", 0, SL_F_ICMPV6 },
	[SL_F_ICMPV6_CHECKSUM] = { "icmpv6.checksum", SL_FT_UINT, "Checksum", 1, SL_F_ICMPV6 },
	[SL_F_ICMPV6_ECHO_ID] = { "icmpv6.echo.identifier", SL_FT_UINT, "Identifier", 1, SL_F_ICMPV6 },
	[SL_F_ICMPV6_ECHO_SEQ] = { "icmpv6.echo.sequence_number", SL_FT_UINT, "Sequence", 0, SL_F_ICMPV6 },
	[SL_F_DATA] = { "data", SL_FT_PROTO, "Data", 0, SL_F_DATA },
	[SL_F_DATA_DATA] = { "data.data", SL_FT_BYTES, "Data", 0, SL_F_DATA },
	[SL_F_DATA_LEN] = { "data.len", SL_FT_UINT, "Length", 0, SL_F_DATA },
	[SL_F_TCP_ANALYSIS_REUSED_PORTS] = { "tcp.analysis.reused_ports", SL_FT_PROTO, "A new tcp session is started with the same ports as an earlier session in this trace", 0, SL_F_TCP },
	[SL_F_ICMPV6_ND_NS_TARGET] = { "icmpv6.nd.ns.target_address", SL_FT_IPV6, "Target Address", 0, SL_F_ICMPV6 },
	[SL_F_MALFORMED] = { "_ws.malformed", SL_FT_PROTO, "Malformed Packet", 0, SL_F_MALFORMED },
};

static const struct sl_tok proto_short[] = {
	{ SL_F_FRAME, "Frame" }, { SL_F_ETH, "Ethernet" }, { SL_F_SLL, "SLL" },
	{ SL_F_NULL, "NULL" }, { SL_F_ARP, "ARP" }, { SL_F_IP, "IPv4" },
	{ SL_F_IPV6, "IPv6" }, { SL_F_IPV6_HOPOPTS, "IPv6" },
	{ SL_F_IPV6_ROUTING, "IPv6" }, { SL_F_IPV6_FRAGHDR, "IPv6" },
	{ SL_F_IPV6_DSTOPTS, "IPv6" }, { SL_F_TCP, "TCP" }, { SL_F_UDP, "UDP" },
	{ SL_F_ICMP, "ICMP" }, { SL_F_ICMPV6, "ICMPv6" }, { SL_F_DATA, "Data" },
	{ SL_F_MALFORMED, "Malformed" },
	{ 0, NULL },
};

const char *sl_proto_short(int field)
{
	if (field < 0 || field >= SL_F_COUNT)
		return "?";
	return sl_tok_name(proto_short, field, sl_fields[field].name);
}

int sl_field_lookup(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < SL_F_COUNT; i++)
		if (sl_fields[i].name && strcmp(sl_fields[i].name, name) == 0)
			return i;
	return -1;
}

#define SUGGEST_MAX 64

/* Levenshtein distance with transpositions counted as one edit (optimal
 * string alignment); names longer than SUGGEST_MAX count as far away. */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned d[3][SUGGEST_MAX + 1];

	if (la > SUGGEST_MAX || lb > SUGGEST_MAX)
		return ~0u;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned *cur = d[i % 3], *prev = d[(i - 1) % 3];
		unsigned *prev2 = d[(i + 1) % 3];

		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned v = prev[j] + 1;

			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
	}
	return d[la % 3][lb];
}

const char *sl_field_suggest(const char *name)
{
	const char *best = NULL;
	unsigned best_d = ~0u, limit;
	size_t n;

	if (!name || !*name)
		return NULL;
	n = strlen(name);
	/* a third of the name, at least one edit and at most three */
	limit = (unsigned)(n / 3);
	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	for (int i = 0; i < SL_F_COUNT; i++) {
		const char *f = sl_fields[i].name;
		unsigned d;

		if (!f || f[0] == '_')
			continue;
		d = edit_distance(name, f);
		if (d < best_d) {
			best_d = d;
			best = f;
		}
	}
	return best_d <= limit ? best : NULL;
}
