/*
 * fields.h - the field registry: every field socklab dissects, one line
 * each, the single source from which dissect.h numbers them (enum
 * sl_field_id), fields.c builds the table the display filter, the
 * printers and --json read (sl_fields[]), and lib/dissect derives what a
 * dissection may skip.
 *
 * SL_FIELDS(X, a) calls X(a, ID, NAME, TYPE, PROTO, FLAGS, DESC) for each
 * field, in registry order (the order of enum sl_field_id):
 *   ID     the enum name without its SL_F_ prefix (TCP_SRCPORT)
 *   NAME   the name Wireshark gives it ("tcp.srcport")
 *   TYPE   UINT8, UINT16, UINT24, UINT32, UINT64 (an unsigned integer of
 *          that width, as Wireshark's: a filter's number past it is an
 *          error), INT32 (signed), BOOL, IPV4, IPV6, ETHER, BYTES, STRING,
 *          TIME or PROTO
 *   PROTO  the ID of the protocol field it belongs to (TCP)
 *   FLAGS  0; HEX: printed in hex (flags, checksums, eth.type); CONV: the
 *          value comes from the TCP conversation (stream.c), so it needs
 *          every earlier packet of the conversation dissected
 *   DESC   the description Wireshark shows ("Source Port")
 * a is passed through untouched, for the caller's use.
 *
 * Adding a field: its line here (next to its protocol's), and the line in
 * the protocol's file of lib/dissect that fills it.
 */
#ifndef SOCKLAB_FIELDS_H
#define SOCKLAB_FIELDS_H

#define SL_FIELDS(X, a) \
	X(a, FRAME, "frame", PROTO, FRAME, 0, "Frame") \
	X(a, FRAME_NUMBER, "frame.number", UINT32, FRAME, 0, "Frame Number") \
	X(a, FRAME_LEN, "frame.len", UINT32, FRAME, 0, "Frame length on the wire") \
	X(a, FRAME_CAP_LEN, "frame.cap_len", UINT32, FRAME, 0, "Frame length stored into the capture file") \
	X(a, FRAME_TIME_RELATIVE, "frame.time_relative", TIME, FRAME, 0, "Time since reference or first frame") \
	X(a, FRAME_TIME_DELTA, "frame.time_delta", TIME, FRAME, 0, "Time delta from previous captured frame") \
	X(a, ETH, "eth", PROTO, ETH, 0, "Ethernet II") \
	X(a, ETH_DST, "eth.dst", ETHER, ETH, 0, "Destination") \
	X(a, ETH_SRC, "eth.src", ETHER, ETH, 0, "Source") \
	X(a, ETH_ADDR, "eth.addr", ETHER, ETH, 0, "Address") \
	X(a, ETH_TYPE, "eth.type", UINT16, ETH, HEX, "Type") \
	X(a, SLL, "sll", PROTO, SLL, 0, "Linux cooked capture") \
	X(a, SLL_PKTTYPE, "sll.pkttype", UINT16, SLL, 0, "Packet type") \
	X(a, SLL_HATYPE, "sll.hatype", UINT16, SLL, 0, "Link-layer address type") \
	X(a, SLL_IFINDEX, "sll.ifindex", UINT32, SLL, 0, "Interface index") \
	X(a, SLL_PROTOCOL, "sll.etype", UINT16, SLL, HEX, "Protocol") \
	X(a, NULL, "null", PROTO, NULL, 0, "Null/Loopback") \
	X(a, NULL_FAMILY, "null.family", UINT32, NULL, 0, "Family") \
	X(a, ARP, "arp", PROTO, ARP, 0, "Address Resolution Protocol") \
	X(a, ARP_HW_TYPE, "arp.hw.type", UINT16, ARP, 0, "Hardware type") \
	X(a, ARP_PROTO_TYPE, "arp.proto.type", UINT16, ARP, HEX, "Protocol type") \
	X(a, ARP_OPCODE, "arp.opcode", UINT16, ARP, 0, "Opcode") \
	X(a, ARP_SRC_HW_MAC, "arp.src.hw_mac", ETHER, ARP, 0, "Sender MAC address") \
	X(a, ARP_SRC_PROTO_IPV4, "arp.src.proto_ipv4", IPV4, ARP, 0, "Sender IP address") \
	X(a, ARP_DST_HW_MAC, "arp.dst.hw_mac", ETHER, ARP, 0, "Target MAC address") \
	X(a, ARP_DST_PROTO_IPV4, "arp.dst.proto_ipv4", IPV4, ARP, 0, "Target IP address") \
	X(a, IP, "ip", PROTO, IP, 0, "Internet Protocol Version 4") \
	X(a, IP_VERSION, "ip.version", UINT8, IP, 0, "Version") \
	X(a, IP_HDR_LEN, "ip.hdr_len", UINT8, IP, 0, "Header Length") \
	X(a, IP_DSFIELD, "ip.dsfield", UINT8, IP, HEX, "Differentiated Services Field") \
	X(a, IP_DSFIELD_DSCP, "ip.dsfield.dscp", UINT8, IP, 0, "Differentiated Services Codepoint") \
	X(a, IP_DSFIELD_ECN, "ip.dsfield.ecn", UINT8, IP, 0, "Explicit Congestion Notification") \
	X(a, IP_LEN, "ip.len", UINT16, IP, 0, "Total Length") \
	X(a, IP_ID, "ip.id", UINT16, IP, HEX, "Identification") \
	X(a, IP_FLAGS, "ip.flags", UINT8, IP, HEX, "Flags") \
	X(a, IP_FLAGS_RB, "ip.flags.rb", BOOL, IP, 0, "Reserved bit") \
	X(a, IP_FLAGS_DF, "ip.flags.df", BOOL, IP, 0, "Don't fragment") \
	X(a, IP_FLAGS_MF, "ip.flags.mf", BOOL, IP, 0, "More fragments") \
	X(a, IP_FRAG_OFFSET, "ip.frag_offset", UINT16, IP, 0, "Fragment Offset") \
	X(a, IP_TTL, "ip.ttl", UINT8, IP, 0, "Time to Live") \
	X(a, IP_PROTO, "ip.proto", UINT8, IP, 0, "Protocol") \
	X(a, IP_CHECKSUM, "ip.checksum", UINT16, IP, HEX, "Header Checksum") \
	X(a, IP_SRC, "ip.src", IPV4, IP, 0, "Source Address") \
	X(a, IP_DST, "ip.dst", IPV4, IP, 0, "Destination Address") \
	X(a, IP_ADDR, "ip.addr", IPV4, IP, 0, "Source or Destination Address") \
	X(a, IP_OPT_TYPE, "ip.opt.type", UINT8, IP, 0, "Option Type") \
	X(a, IPV6, "ipv6", PROTO, IPV6, 0, "Internet Protocol Version 6") \
	X(a, IPV6_VERSION, "ipv6.version", UINT8, IPV6, 0, "Version") \
	X(a, IPV6_TCLASS, "ipv6.tclass", UINT32, IPV6, HEX, "Traffic Class") \
	X(a, IPV6_FLOW, "ipv6.flow", UINT24, IPV6, HEX, "Flow Label") \
	X(a, IPV6_PLEN, "ipv6.plen", UINT16, IPV6, 0, "Payload Length") \
	X(a, IPV6_NXT, "ipv6.nxt", UINT8, IPV6, 0, "Next Header") \
	X(a, IPV6_HLIM, "ipv6.hlim", UINT8, IPV6, 0, "Hop Limit") \
	X(a, IPV6_SRC, "ipv6.src", IPV6, IPV6, 0, "Source Address") \
	X(a, IPV6_DST, "ipv6.dst", IPV6, IPV6, 0, "Destination Address") \
	X(a, IPV6_ADDR, "ipv6.addr", IPV6, IPV6, 0, "Source or Destination Address") \
	X(a, IPV6_HOPOPTS, "ipv6.hopopts", PROTO, IPV6_HOPOPTS, 0, "IPv6 Hop-by-Hop Option") \
	X(a, IPV6_HOPOPTS_NXT, "ipv6.hopopts.nxt", UINT8, IPV6_HOPOPTS, 0, "Next Header") \
	X(a, IPV6_ROUTING, "ipv6.routing", PROTO, IPV6_ROUTING, 0, "Routing Header for IPv6") \
	X(a, IPV6_ROUTING_NXT, "ipv6.routing.nxt", UINT8, IPV6_ROUTING, 0, "Next Header") \
	X(a, IPV6_ROUTING_TYPE, "ipv6.routing.type", UINT8, IPV6_ROUTING, 0, "Type") \
	X(a, IPV6_ROUTING_SEGLEFT, "ipv6.routing.segleft", UINT8, IPV6_ROUTING, 0, "Segments Left") \
	X(a, IPV6_FRAGHDR, "ipv6.fraghdr", PROTO, IPV6_FRAGHDR, 0, "Fragment Header for IPv6") \
	X(a, IPV6_FRAGHDR_NXT, "ipv6.fraghdr.nxt", UINT8, IPV6_FRAGHDR, 0, "Next header") \
	X(a, IPV6_FRAGHDR_OFFSET, "ipv6.fraghdr.offset", UINT16, IPV6_FRAGHDR, 0, "Offset") \
	X(a, IPV6_FRAGHDR_MORE, "ipv6.fraghdr.more", BOOL, IPV6_FRAGHDR, 0, "More Fragments") \
	X(a, IPV6_FRAGHDR_IDENT, "ipv6.fraghdr.ident", UINT32, IPV6_FRAGHDR, HEX, "Identification") \
	X(a, IPV6_DSTOPTS, "ipv6.dstopts", PROTO, IPV6_DSTOPTS, 0, "Destination Options for IPv6") \
	X(a, IPV6_DSTOPTS_NXT, "ipv6.dstopts.nxt", UINT8, IPV6_DSTOPTS, 0, "Next Header") \
	X(a, TCP, "tcp", PROTO, TCP, 0, "Transmission Control Protocol") \
	X(a, TCP_SRCPORT, "tcp.srcport", UINT16, TCP, 0, "Source Port") \
	X(a, TCP_DSTPORT, "tcp.dstport", UINT16, TCP, 0, "Destination Port") \
	X(a, TCP_PORT, "tcp.port", UINT16, TCP, 0, "Source or Destination Port") \
	X(a, TCP_STREAM, "tcp.stream", UINT32, TCP, CONV, "Stream index") \
	X(a, TCP_LEN, "tcp.len", UINT32, TCP, 0, "TCP Segment Len") \
	X(a, TCP_SEQ, "tcp.seq", UINT32, TCP, CONV, "Sequence Number") \
	X(a, TCP_SEQ_RAW, "tcp.seq_raw", UINT32, TCP, 0, "Sequence Number (raw)") \
	X(a, TCP_NXTSEQ, "tcp.nxtseq", UINT32, TCP, CONV, "Next Sequence Number") \
	X(a, TCP_ACK, "tcp.ack", UINT32, TCP, CONV, "Acknowledgment Number") \
	X(a, TCP_ACK_RAW, "tcp.ack_raw", UINT32, TCP, 0, "Acknowledgment number (raw)") \
	X(a, TCP_HDR_LEN, "tcp.hdr_len", UINT8, TCP, 0, "Header Length") \
	X(a, TCP_FLAGS, "tcp.flags", UINT16, TCP, HEX, "Flags") \
	X(a, TCP_FLAGS_CWR, "tcp.flags.cwr", BOOL, TCP, 0, "Congestion Window Reduced") \
	X(a, TCP_FLAGS_ECE, "tcp.flags.ece", BOOL, TCP, 0, "ECN-Echo") \
	X(a, TCP_FLAGS_URG, "tcp.flags.urg", BOOL, TCP, 0, "Urgent") \
	X(a, TCP_FLAGS_ACK, "tcp.flags.ack", BOOL, TCP, 0, "Acknowledgment") \
	X(a, TCP_FLAGS_PUSH, "tcp.flags.push", BOOL, TCP, 0, "Push") \
	X(a, TCP_FLAGS_RESET, "tcp.flags.reset", BOOL, TCP, 0, "Reset") \
	X(a, TCP_FLAGS_SYN, "tcp.flags.syn", BOOL, TCP, 0, "Syn") \
	X(a, TCP_FLAGS_FIN, "tcp.flags.fin", BOOL, TCP, 0, "Fin") \
	X(a, TCP_WINDOW_SIZE_VALUE, "tcp.window_size_value", UINT16, TCP, 0, "Window") \
	X(a, TCP_WINDOW_SIZE, "tcp.window_size", UINT32, TCP, CONV, "Calculated window size") \
	X(a, TCP_CHECKSUM, "tcp.checksum", UINT16, TCP, HEX, "Checksum") \
	X(a, TCP_URGENT_POINTER, "tcp.urgent_pointer", UINT16, TCP, 0, "Urgent Pointer") \
	X(a, TCP_OPTION_KIND, "tcp.option_kind", UINT8, TCP, 0, "Kind") \
	X(a, TCP_OPTIONS_MSS_VAL, "tcp.options.mss_val", UINT16, TCP, 0, "MSS Value") \
	X(a, TCP_OPTIONS_WSCALE_SHIFT, "tcp.options.wscale.shift", UINT8, TCP, 0, "Shift count") \
	X(a, TCP_OPTIONS_WSCALE_MULTIPLIER, "tcp.options.wscale.multiplier", UINT16, TCP, 0, "Multiplier") \
	X(a, TCP_OPTIONS_SACK_PERM, "tcp.options.sack_perm", PROTO, TCP, 0, "TCP Option - SACK permitted") \
	X(a, TCP_OPTIONS_SACK_LE, "tcp.options.sack_le", UINT32, TCP, CONV, "TCP SACK Left Edge") \
	X(a, TCP_OPTIONS_SACK_RE, "tcp.options.sack_re", UINT32, TCP, CONV, "TCP SACK Right Edge") \
	X(a, TCP_OPTIONS_SACK_COUNT, "tcp.options.sack.count", UINT8, TCP, 0, "TCP SACK Count") \
	X(a, TCP_OPTIONS_TIMESTAMP_TSVAL, "tcp.options.timestamp.tsval", UINT32, TCP, 0, "Timestamp value") \
	X(a, TCP_OPTIONS_TIMESTAMP_TSECR, "tcp.options.timestamp.tsecr", UINT32, TCP, 0, "Timestamp echo reply") \
	X(a, TCP_PAYLOAD, "tcp.payload", BYTES, TCP, 0, "TCP payload") \
	X(a, TCP_ANALYSIS_REUSED_PORTS, "tcp.analysis.reused_ports", PROTO, TCP, CONV, "A new tcp session is started with the same ports as an earlier session in this trace") \
	X(a, UDP, "udp", PROTO, UDP, 0, "User Datagram Protocol") \
	X(a, UDP_SRCPORT, "udp.srcport", UINT16, UDP, 0, "Source Port") \
	X(a, UDP_DSTPORT, "udp.dstport", UINT16, UDP, 0, "Destination Port") \
	X(a, UDP_PORT, "udp.port", UINT16, UDP, 0, "Source or Destination Port") \
	X(a, UDP_LENGTH, "udp.length", UINT16, UDP, 0, "Length") \
	X(a, UDP_CHECKSUM, "udp.checksum", UINT16, UDP, HEX, "Checksum") \
	X(a, UDP_PAYLOAD, "udp.payload", BYTES, UDP, 0, "Payload") \
	X(a, ICMP, "icmp", PROTO, ICMP, 0, "Internet Control Message Protocol") \
	X(a, ICMP_TYPE, "icmp.type", UINT8, ICMP, 0, "Type") \
	X(a, ICMP_CODE, "icmp.code", UINT8, ICMP, 0, "Code") \
	X(a, ICMP_CHECKSUM, "icmp.checksum", UINT16, ICMP, HEX, "Checksum") \
	X(a, ICMP_IDENT, "icmp.ident", UINT16, ICMP, 0, "Identifier (BE)") \
	X(a, ICMP_SEQ, "icmp.seq", UINT16, ICMP, 0, "Sequence Number (BE)") \
	X(a, ICMPV6, "icmpv6", PROTO, ICMPV6, 0, "Internet Control Message Protocol v6") \
	X(a, ICMPV6_TYPE, "icmpv6.type", UINT8, ICMPV6, 0, "Type") \
	X(a, ICMPV6_CODE, "icmpv6.code", UINT8, ICMPV6, 0, "Code") \
	X(a, ICMPV6_CHECKSUM, "icmpv6.checksum", UINT16, ICMPV6, HEX, "Checksum") \
	X(a, ICMPV6_ECHO_ID, "icmpv6.echo.identifier", UINT16, ICMPV6, HEX, "Identifier") \
	X(a, ICMPV6_ECHO_SEQ, "icmpv6.echo.sequence_number", UINT16, ICMPV6, 0, "Sequence") \
	X(a, ICMPV6_ND_NS_TARGET, "icmpv6.nd.ns.target_address", IPV6, ICMPV6, 0, "Target Address") \
	X(a, DATA, "data", PROTO, DATA, 0, "Data") \
	X(a, DATA_DATA, "data.data", BYTES, DATA, 0, "Data") \
	X(a, DATA_LEN, "data.len", INT32, DATA, 0, "Length") \
	X(a, MALFORMED, "_ws.malformed", PROTO, MALFORMED, 0, "Malformed Packet")

/* The TYPE column as an enum sl_ftype and a width in bits (0: none). */
#define SL_FIELD_TYPE_UINT8 SL_FT_UINT
#define SL_FIELD_TYPE_UINT16 SL_FT_UINT
#define SL_FIELD_TYPE_UINT24 SL_FT_UINT
#define SL_FIELD_TYPE_UINT32 SL_FT_UINT
#define SL_FIELD_TYPE_UINT64 SL_FT_UINT
#define SL_FIELD_TYPE_INT32 SL_FT_INT
#define SL_FIELD_TYPE_BOOL SL_FT_BOOL
#define SL_FIELD_TYPE_IPV4 SL_FT_IPV4
#define SL_FIELD_TYPE_IPV6 SL_FT_IPV6
#define SL_FIELD_TYPE_ETHER SL_FT_ETHER
#define SL_FIELD_TYPE_BYTES SL_FT_BYTES
#define SL_FIELD_TYPE_STRING SL_FT_STRING
#define SL_FIELD_TYPE_TIME SL_FT_TIME
#define SL_FIELD_TYPE_PROTO SL_FT_PROTO
#define SL_FIELD_BITS_UINT8 8
#define SL_FIELD_BITS_UINT16 16
#define SL_FIELD_BITS_UINT24 24
#define SL_FIELD_BITS_UINT32 32
#define SL_FIELD_BITS_UINT64 64
#define SL_FIELD_BITS_INT32 32
#define SL_FIELD_BITS_BOOL 0
#define SL_FIELD_BITS_IPV4 0
#define SL_FIELD_BITS_IPV6 0
#define SL_FIELD_BITS_ETHER 0
#define SL_FIELD_BITS_BYTES 0
#define SL_FIELD_BITS_STRING 0
#define SL_FIELD_BITS_TIME 0
#define SL_FIELD_BITS_PROTO 0

/* The FLAGS column as bits (SL_FIELD_FLAGS_##FLAGS). */
enum {
	SL_FIELD_FLAGS_0 = 0,
	SL_FIELD_FLAGS_HEX = 1,
	SL_FIELD_FLAGS_CONV = 2,
};

#endif
