/* dissect-int.h - what the protocol files of lib/dissect share: the walk's
 * context, bounds-checked big-endian reads and the value adders.  Every
 * protocol function reads only bytes in [off, end), with end <= caplen. */
#ifndef SOCKLAB_DISSECT_INT_H
#define SOCKLAB_DISSECT_INT_H

#include <stdint.h>

#include "socklab/dissect.h"

struct dis {
	struct sl_packet *p;
	struct sl_stream_table *streams;
	/* the network layer under the transport, for tcp.stream */
	int family;			/* 4 or 6, 0 before any */
	const uint8_t *src, *dst;	/* 4 or 16 bytes */
	uint32_t wire_end;		/* the IP datagram's end on the wire */
	int first_fragment;		/* the transport continues elsewhere */
	int inner;			/* the packet an ICMP error quotes */
};

static inline uint16_t dis_be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t dis_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

/* Adds a value; 0, or -1 when the table is full (the packet is then marked
 * malformed and the caller stops). */
int dis_uint(struct dis *d, int field, uint32_t off, uint32_t len,
	     uint64_t u);
int dis_bytes(struct dis *d, int field, uint32_t off, uint32_t len);
/* Opens a layer: its protocol value and the layer record. */
int dis_layer(struct dis *d, int proto, uint32_t off, uint32_t len);
/* Sets the current layer's header length once it is known. */
void dis_layer_len(struct dis *d, uint32_t len);
/* Marks the packet malformed at proto; always returns -1. */
int dis_malformed(struct dis *d, int proto, const char *why);
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

/* stream.c: tcp.stream, relative seq/ack and the window scale of the TCP
 * segment whose header starts at off (raw numbers in, fields out). */
struct dis_tcp_seg {
	uint16_t sport, dport;
	uint32_t seq, ack, win;
	uint16_t flags;
	int wscale;			/* from a SYN's option, -1 none */
	uint32_t seglen;
};
struct dis_tcp_rel {
	uint32_t stream, seq, ack, nxtseq;
	int reused;			/* this SYN started a new stream */
	int64_t window;			/* -1: no scaling known */
};
int dis_stream(struct dis *d, const struct dis_tcp_seg *s,
	       struct dis_tcp_rel *out);

#endif
