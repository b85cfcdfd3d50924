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
 *          every earlier packet of the conversation dissected; SEQ: a
 *          CONV field that TCP's sequence analysis (analysis.c) makes,
 *          which runs only when such a field is wanted
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
	X(a, ETH_LEN, "eth.len", UINT16, ETH, 0, "Length") \
	X(a, VLAN, "vlan", PROTO, VLAN, 0, "802.1Q Virtual LAN") \
	X(a, VLAN_PRIORITY, "vlan.priority", UINT16, VLAN, 0, "Priority") \
	X(a, VLAN_DEI, "vlan.dei", BOOL, VLAN, 0, "DEI") \
	X(a, VLAN_ID, "vlan.id", UINT16, VLAN, 0, "ID") \
	X(a, VLAN_ETYPE, "vlan.etype", UINT16, VLAN, HEX, "Type") \
	X(a, VLAN_LEN, "vlan.len", UINT16, VLAN, 0, "Length") \
	X(a, IEEE8021AD, "ieee8021ad", PROTO, IEEE8021AD, 0, "IEEE 802.1ad") \
	X(a, IEEE8021AD_PRIORITY, "ieee8021ad.priority", UINT16, IEEE8021AD, 0, "Priority") \
	X(a, IEEE8021AD_DEI, "ieee8021ad.dei", UINT16, IEEE8021AD, 0, "DEI") \
	X(a, IEEE8021AD_ID, "ieee8021ad.id", UINT16, IEEE8021AD, 0, "ID") \
	X(a, LLC, "llc", PROTO, LLC, 0, "Logical-Link Control") \
	X(a, LLC_DSAP, "llc.dsap", UINT8, LLC, HEX, "DSAP") \
	X(a, LLC_SSAP, "llc.ssap", UINT8, LLC, HEX, "SSAP") \
	X(a, LLC_CONTROL, "llc.control", UINT16, LLC, HEX, "Control") \
	X(a, LLC_OUI, "llc.oui", UINT24, LLC, 0, "Organization Code") \
	X(a, LLC_PID, "llc.pid", UINT16, LLC, HEX, "Protocol ID") \
	X(a, MPLS, "mpls", PROTO, MPLS, 0, "MultiProtocol Label Switching Header") \
	X(a, MPLS_LABEL, "mpls.label", UINT32, MPLS, 0, "MPLS Label") \
	X(a, MPLS_EXP, "mpls.exp", UINT32, MPLS, 0, "MPLS Experimental Bits") \
	X(a, MPLS_BOTTOM, "mpls.bottom", UINT32, MPLS, 0, "MPLS Bottom Of Label Stack") \
	X(a, MPLS_TTL, "mpls.ttl", UINT32, MPLS, 0, "MPLS TTL") \
	X(a, PPP, "ppp", PROTO, PPP, 0, "Point-to-Point Protocol") \
	X(a, PPP_ADDRESS, "ppp.address", UINT8, PPP, HEX, "Address") \
	X(a, PPP_CONTROL, "ppp.control", UINT8, PPP, HEX, "Control") \
	X(a, PPP_PROTOCOL, "ppp.protocol", UINT16, PPP, HEX, "Protocol") \
	X(a, PPPOED, "pppoed", PROTO, PPPOED, 0, "PPP-over-Ethernet Discovery") \
	X(a, PPPOES, "pppoes", PROTO, PPPOES, 0, "PPP-over-Ethernet Session") \
	X(a, PPPOE_VERSION, "pppoe.version", UINT8, PPPOES, 0, "Version") \
	X(a, PPPOE_TYPE, "pppoe.type", UINT8, PPPOES, 0, "Type") \
	X(a, PPPOE_CODE, "pppoe.code", UINT8, PPPOES, HEX, "Code") \
	X(a, PPPOE_SESSION_ID, "pppoe.session_id", UINT16, PPPOES, HEX, "Session ID") \
	X(a, PPPOE_PAYLOAD_LENGTH, "pppoe.payload_length", UINT16, PPPOES, 0, "Payload Length") \
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
	X(a, ARP_HW_SIZE, "arp.hw.size", UINT8, ARP, 0, "Hardware size") \
	X(a, ARP_PROTO_SIZE, "arp.proto.size", UINT8, ARP, 0, "Protocol size") \
	X(a, ARP_SRC_HW, "arp.src.hw", BYTES, ARP, 0, "Sender hardware address") \
	X(a, ARP_SRC_PROTO, "arp.src.proto", BYTES, ARP, 0, "Sender protocol address") \
	X(a, ARP_DST_HW, "arp.dst.hw", BYTES, ARP, 0, "Target hardware address") \
	X(a, ARP_DST_PROTO, "arp.dst.proto", BYTES, ARP, 0, "Target protocol address") \
	X(a, ARP_ISGRATUITOUS, "arp.isgratuitous", BOOL, ARP, 0, "Is gratuitous") \
	X(a, ARP_ISPROBE, "arp.isprobe", BOOL, ARP, 0, "Is probe") \
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
	X(a, TCP_WINDOW_SIZE_SCALEFACTOR, "tcp.window_size_scalefactor", INT32, TCP, CONV, "Window size scaling factor") \
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
	X(a, TCP_TIME_RELATIVE, "tcp.time_relative", TIME, TCP, SEQ, "Time since first frame in this TCP stream") \
	X(a, TCP_TIME_DELTA, "tcp.time_delta", TIME, TCP, SEQ, "Time since previous frame in this TCP stream") \
	X(a, TCP_COMPLETENESS, "tcp.completeness", UINT8, TCP, SEQ, "Conversation completeness") \
	X(a, TCP_ANALYSIS, "tcp.analysis", PROTO, TCP, SEQ, "SEQ/ACK analysis") \
	X(a, TCP_ANALYSIS_FLAGS, "tcp.analysis.flags", PROTO, TCP, SEQ, "TCP Analysis Flags") \
	X(a, TCP_ANALYSIS_RETRANSMISSION, "tcp.analysis.retransmission", PROTO, TCP, SEQ, "This frame is a (suspected) retransmission") \
	X(a, TCP_ANALYSIS_FAST_RETRANSMISSION, "tcp.analysis.fast_retransmission", PROTO, TCP, SEQ, "This frame is a (suspected) fast retransmission") \
	X(a, TCP_ANALYSIS_SPURIOUS_RETRANSMISSION, "tcp.analysis.spurious_retransmission", PROTO, TCP, SEQ, "This frame is a (suspected) spurious retransmission") \
	X(a, TCP_ANALYSIS_OUT_OF_ORDER, "tcp.analysis.out_of_order", PROTO, TCP, SEQ, "This frame is a (suspected) out-of-order segment") \
	X(a, TCP_ANALYSIS_LOST_SEGMENT, "tcp.analysis.lost_segment", PROTO, TCP, SEQ, "Previous segment(s) not captured (common at capture start)") \
	X(a, TCP_ANALYSIS_ACK_LOST_SEGMENT, "tcp.analysis.ack_lost_segment", PROTO, TCP, SEQ, "ACKed segment that wasn't captured (common at capture start)") \
	X(a, TCP_ANALYSIS_DUPLICATE_ACK, "tcp.analysis.duplicate_ack", PROTO, TCP, SEQ, "Duplicate ACK") \
	X(a, TCP_ANALYSIS_DUPLICATE_ACK_NUM, "tcp.analysis.duplicate_ack_num", UINT32, TCP, SEQ, "Duplicate ACK #") \
	X(a, TCP_ANALYSIS_DUPLICATE_ACK_FRAME, "tcp.analysis.duplicate_ack_frame", UINT32, TCP, SEQ, "Duplicate to the ACK in frame") \
	X(a, TCP_ANALYSIS_ZERO_WINDOW, "tcp.analysis.zero_window", PROTO, TCP, SEQ, "TCP Zero Window segment") \
	X(a, TCP_ANALYSIS_ZERO_WINDOW_PROBE, "tcp.analysis.zero_window_probe", PROTO, TCP, SEQ, "TCP Zero Window Probe") \
	X(a, TCP_ANALYSIS_ZERO_WINDOW_PROBE_ACK, "tcp.analysis.zero_window_probe_ack", PROTO, TCP, SEQ, "ACK to a TCP Zero Window Probe") \
	X(a, TCP_ANALYSIS_WINDOW_FULL, "tcp.analysis.window_full", PROTO, TCP, SEQ, "TCP window specified by the receiver is now completely full") \
	X(a, TCP_ANALYSIS_WINDOW_UPDATE, "tcp.analysis.window_update", PROTO, TCP, SEQ, "TCP window update") \
	X(a, TCP_ANALYSIS_KEEP_ALIVE, "tcp.analysis.keep_alive", PROTO, TCP, SEQ, "TCP keep-alive segment") \
	X(a, TCP_ANALYSIS_KEEP_ALIVE_ACK, "tcp.analysis.keep_alive_ack", PROTO, TCP, SEQ, "ACK to a TCP keep-alive segment") \
	X(a, TCP_ANALYSIS_ACKS_FRAME, "tcp.analysis.acks_frame", UINT32, TCP, SEQ, "This is an ACK to the segment in frame") \
	X(a, TCP_ANALYSIS_ACK_RTT, "tcp.analysis.ack_rtt", TIME, TCP, SEQ, "The RTT to ACK the segment was") \
	X(a, TCP_ANALYSIS_INITIAL_RTT, "tcp.analysis.initial_rtt", TIME, TCP, SEQ, "iRTT") \
	X(a, TCP_ANALYSIS_BYTES_IN_FLIGHT, "tcp.analysis.bytes_in_flight", UINT32, TCP, SEQ, "Bytes in flight") \
	X(a, TCP_ANALYSIS_PUSH_BYTES_SENT, "tcp.analysis.push_bytes_sent", UINT32, TCP, SEQ, "Bytes sent since last PSH flag") \
	X(a, UDP, "udp", PROTO, UDP, 0, "User Datagram Protocol") \
	X(a, UDP_SRCPORT, "udp.srcport", UINT16, UDP, 0, "Source Port") \
	X(a, UDP_DSTPORT, "udp.dstport", UINT16, UDP, 0, "Destination Port") \
	X(a, UDP_PORT, "udp.port", UINT16, UDP, 0, "Source or Destination Port") \
	X(a, UDP_STREAM, "udp.stream", UINT32, UDP, CONV, "Stream index") \
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
	X(a, GRE, "gre", PROTO, GRE, 0, "Generic Routing Encapsulation") \
	X(a, GRE_FLAGS_AND_VERSION, "gre.flags_and_version", UINT16, GRE, HEX, "Flags and Version") \
	X(a, GRE_PROTO, "gre.proto", UINT16, GRE, HEX, "Protocol Type") \
	X(a, GRE_CHECKSUM, "gre.checksum", UINT16, GRE, HEX, "Checksum") \
	X(a, GRE_KEY, "gre.key", UINT32, GRE, HEX, "Key") \
	X(a, GRE_SEQUENCE_NUMBER, "gre.sequence_number", UINT32, GRE, 0, "Sequence Number") \
	X(a, ERSPAN, "erspan", PROTO, ERSPAN, 0, "Encapsulated Remote Switch Packet ANalysis") \
	X(a, ERSPAN_VERSION, "erspan.version", UINT16, ERSPAN, 0, "Version") \
	X(a, ERSPAN_VLAN, "erspan.vlan", UINT16, ERSPAN, 0, "Vlan") \
	X(a, ERSPAN_SPANID, "erspan.spanid", UINT16, ERSPAN, 0, "SpanID") \
	X(a, VXLAN, "vxlan", PROTO, VXLAN, 0, "Virtual eXtensible Local Area Network") \
	X(a, VXLAN_FLAGS, "vxlan.flags", UINT16, VXLAN, HEX, "Flags") \
	X(a, VXLAN_VNI, "vxlan.vni", UINT24, VXLAN, 0, "VXLAN Network Identifier (VNI)") \
	X(a, GENEVE, "geneve", PROTO, GENEVE, 0, "Generic Network Virtualization Encapsulation") \
	X(a, GENEVE_VERSION, "geneve.version", UINT8, GENEVE, 0, "Version") \
	X(a, GENEVE_PROTO_TYPE, "geneve.proto_type", UINT16, GENEVE, HEX, "Protocol Type") \
	X(a, GENEVE_VNI, "geneve.vni", UINT24, GENEVE, HEX, "Virtual Network Identifier (VNI)") \
	X(a, DNS, "dns", PROTO, DNS, 0, "Domain Name System") \
	X(a, DNS_ID, "dns.id", UINT16, DNS, HEX, "Transaction ID") \
	X(a, DNS_FLAGS, "dns.flags", UINT16, DNS, HEX, "Flags") \
	X(a, DNS_FLAGS_RESPONSE, "dns.flags.response", BOOL, DNS, 0, "Response") \
	X(a, DNS_FLAGS_OPCODE, "dns.flags.opcode", UINT16, DNS, 0, "Opcode") \
	X(a, DNS_FLAGS_RCODE, "dns.flags.rcode", UINT16, DNS, 0, "Reply code") \
	X(a, DNS_COUNT_QUERIES, "dns.count.queries", UINT16, DNS, 0, "Questions") \
	X(a, DNS_COUNT_ANSWERS, "dns.count.answers", UINT16, DNS, 0, "Answer RRs") \
	X(a, DNS_COUNT_AUTH_RR, "dns.count.auth_rr", UINT16, DNS, 0, "Authority RRs") \
	X(a, DNS_COUNT_ADD_RR, "dns.count.add_rr", UINT16, DNS, 0, "Additional RRs") \
	X(a, DNS_QRY_NAME, "dns.qry.name", STRING, DNS, 0, "Name") \
	X(a, DNS_QRY_TYPE, "dns.qry.type", UINT16, DNS, 0, "Type") \
	X(a, DNS_QRY_CLASS, "dns.qry.class", UINT16, DNS, HEX, "Class") \
	X(a, DNS_RESP_NAME, "dns.resp.name", STRING, DNS, 0, "Name") \
	X(a, DNS_RESP_TYPE, "dns.resp.type", UINT16, DNS, 0, "Type") \
	X(a, DNS_RESP_TTL, "dns.resp.ttl", UINT32, DNS, 0, "Time to live") \
	X(a, DNS_A, "dns.a", IPV4, DNS, 0, "Address") \
	X(a, DNS_AAAA, "dns.aaaa", IPV6, DNS, 0, "AAAA Address") \
	X(a, DNS_CNAME, "dns.cname", STRING, DNS, 0, "CNAME") \
	X(a, HTTP, "http", PROTO, HTTP, 0, "Hypertext Transfer Protocol") \
	X(a, HTTP_REQUEST, "http.request", BOOL, HTTP, 0, "Request") \
	X(a, HTTP_RESPONSE, "http.response", BOOL, HTTP, 0, "Response") \
	X(a, HTTP_REQUEST_METHOD, "http.request.method", STRING, HTTP, 0, "Request Method") \
	X(a, HTTP_REQUEST_URI, "http.request.uri", STRING, HTTP, 0, "Request URI") \
	X(a, HTTP_REQUEST_VERSION, "http.request.version", STRING, HTTP, 0, "Request Version") \
	X(a, HTTP_HOST, "http.host", STRING, HTTP, 0, "Host") \
	X(a, HTTP_USER_AGENT, "http.user_agent", STRING, HTTP, 0, "User-Agent") \
	X(a, HTTP_RESPONSE_VERSION, "http.response.version", STRING, HTTP, 0, "Response Version") \
	X(a, HTTP_RESPONSE_CODE, "http.response.code", UINT16, HTTP, 0, "Status Code") \
	X(a, HTTP_RESPONSE_PHRASE, "http.response.phrase", STRING, HTTP, 0, "Response Phrase") \
	X(a, HTTP_CONTENT_LENGTH, "http.content_length", UINT64, HTTP, 0, "Content length") \
	X(a, HTTP_SERVER, "http.server", STRING, HTTP, 0, "Server") \
	X(a, TLS, "tls", PROTO, TLS, 0, "Transport Layer Security") \
	X(a, TLS_RECORD, "tls.record", PROTO, TLS, 0, "Record Layer") \
	X(a, TLS_RECORD_CONTENT_TYPE, "tls.record.content_type", UINT8, TLS, CONV, "Content Type") \
	X(a, TLS_RECORD_VERSION, "tls.record.version", UINT16, TLS, HEX, "Version") \
	X(a, TLS_RECORD_LENGTH, "tls.record.length", UINT16, TLS, 0, "Length") \
	X(a, TLS_HANDSHAKE, "tls.handshake", PROTO, TLS, 0, "Handshake Protocol") \
	X(a, TLS_HANDSHAKE_TYPE, "tls.handshake.type", UINT8, TLS, 0, "Handshake Message Type") \
	X(a, TLS_HANDSHAKE_LENGTH, "tls.handshake.length", UINT24, TLS, 0, "Length") \
	X(a, TLS_HANDSHAKE_VERSION, "tls.handshake.version", UINT16, TLS, HEX, "Version") \
	X(a, TLS_HANDSHAKE_EXTENSION_TYPE, "tls.handshake.extension.type", UINT16, TLS, 0, "Type") \
	X(a, TLS_HANDSHAKE_EXTENSIONS_SERVER_NAME, "tls.handshake.extensions_server_name", STRING, TLS, 0, "Server Name") \
	X(a, TLS_ALERT_MESSAGE_LEVEL, "tls.alert_message.level", UINT8, TLS, 0, "Level") \
	X(a, TLS_ALERT_MESSAGE_DESC, "tls.alert_message.desc", UINT8, TLS, 0, "Description") \
	X(a, DHCP, "dhcp", PROTO, DHCP, 0, "Dynamic Host Configuration Protocol") \
	X(a, DHCP_TYPE, "dhcp.type", UINT8, DHCP, 0, "Message type") \
	X(a, DHCP_HW_TYPE, "dhcp.hw.type", UINT8, DHCP, HEX, "Hardware type") \
	X(a, DHCP_ID, "dhcp.id", UINT32, DHCP, HEX, "Transaction ID") \
	X(a, DHCP_IP_CLIENT, "dhcp.ip.client", IPV4, DHCP, 0, "Client IP address") \
	X(a, DHCP_IP_YOUR, "dhcp.ip.your", IPV4, DHCP, 0, "Your (client) IP address") \
	X(a, DHCP_IP_SERVER, "dhcp.ip.server", IPV4, DHCP, 0, "Next server IP address") \
	X(a, DHCP_HW_MAC_ADDR, "dhcp.hw.mac_addr", ETHER, DHCP, 0, "Client MAC address") \
	X(a, DHCP_OPTION_TYPE, "dhcp.option.type", UINT8, DHCP, 0, "Option") \
	X(a, DHCP_OPTION_DHCP, "dhcp.option.dhcp", UINT8, DHCP, 0, "DHCP") \
	X(a, DHCP_OPTION_HOSTNAME, "dhcp.option.hostname", STRING, DHCP, 0, "Host Name") \
	X(a, DHCP_OPTION_REQUESTED_IP_ADDRESS, "dhcp.option.requested_ip_address", IPV4, DHCP, 0, "Requested IP Address") \
	X(a, DHCP_OPTION_DHCP_SERVER_ID, "dhcp.option.dhcp_server_id", IPV4, DHCP, 0, "DHCP Server Identifier") \
	X(a, DHCP_OPTION_IP_ADDRESS_LEASE_TIME, "dhcp.option.ip_address_lease_time", UINT32, DHCP, 0, "IP Address Lease Time") \
	X(a, DHCP_OPTION_SUBNET_MASK, "dhcp.option.subnet_mask", IPV4, DHCP, 0, "Subnet Mask") \
	X(a, DHCP_OPTION_ROUTER, "dhcp.option.router", IPV4, DHCP, 0, "Router") \
	X(a, NTP, "ntp", PROTO, NTP, 0, "Network Time Protocol") \
	X(a, NTP_FLAGS_LI, "ntp.flags.li", UINT8, NTP, 0, "Leap Indicator") \
	X(a, NTP_FLAGS_VN, "ntp.flags.vn", UINT8, NTP, 0, "Version number") \
	X(a, NTP_FLAGS_MODE, "ntp.flags.mode", UINT8, NTP, 0, "Mode") \
	X(a, NTP_STRATUM, "ntp.stratum", UINT8, NTP, 0, "Peer Clock Stratum") \
	X(a, NTP_PPOLL, "ntp.ppoll", UINT8, NTP, 0, "Peer Polling Interval") \
	X(a, NTP_PRECISION, "ntp.precision", UINT8, NTP, 0, "Peer Clock Precision") \
	X(a, NTP_REFID, "ntp.refid", BYTES, NTP, 0, "Reference ID") \
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
	SL_FIELD_FLAGS_SEQ = 2 | 4,	/* a CONV field the analysis makes */
};

#endif
