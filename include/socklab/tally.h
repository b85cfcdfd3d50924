/*
 * tally.h - what a capture saw, in a few counts: address families,
 * transports, the busiest addresses and ports, and a small sample of the
 * packets themselves.  The filter co-pilot reads it when a display filter
 * matched nothing ("all 10 are IPv4 between 127.0.0.1 and 127.0.0.1"), and
 * tries its suggestions on the sample before it offers them.
 *
 * Contract: sl_tally_add reads only the fields sl_tally_fields names (a
 * packet dissected with them is enough) and allocates nothing; the sample
 * keeps copies of the first SL_TALLY_SAMPLE packets' first
 * SL_TALLY_SNAP bytes.  Nothing here prints.
 */
#ifndef SOCKLAB_TALLY_H
#define SOCKLAB_TALLY_H

#include <stdint.h>

#include "socklab/dissect.h"

#define SL_TALLY_TOP 8		/* addresses and ports counted one by one */
#define SL_TALLY_SAMPLE 32	/* packets kept to try suggestions on */
#define SL_TALLY_SNAP 256	/* bytes kept of each */

struct sl_tally_addr {
	uint8_t family;		/* 4 or 6 */
	uint8_t a[16];
	uint64_t n;
};

struct sl_tally_port {
	uint16_t port;
	uint8_t tcp;		/* 1 TCP, 0 UDP */
	uint64_t n;
};

struct sl_tally {
	uint64_t packets;
	uint64_t ipv4, ipv6, arp, other;	/* by network layer */
	uint64_t tcp, udp, icmp, icmpv6;	/* by transport */
	struct sl_tally_addr addrs[SL_TALLY_TOP];
	unsigned naddrs;
	uint64_t addrs_more;		/* packets whose address found no slot */
	struct sl_tally_port ports[SL_TALLY_TOP];
	unsigned nports;
	uint64_t ports_more;
	/* the first packet's two addresses, and whether every other packet
	 * with addresses had the same two */
	struct sl_tally_addr pair[2];
	int one_pair;
	/* the sample */
	unsigned nsample;
	struct sl_tally_packet {
		int linktype;
		uint32_t caplen, len;
		uint8_t data[SL_TALLY_SNAP];
	} sample[SL_TALLY_SAMPLE];
};

/* Fields sl_tally_add reads, added to s. */
void sl_tally_fields(struct sl_fieldset *s);
/* Counts one dissected packet (p->data must still be valid). */
void sl_tally_add(struct sl_tally *t, const struct sl_packet *p);
/* The busiest address (family 4 or 6, 0 for any) and port; NULL if none. */
const struct sl_tally_addr *sl_tally_top_addr(const struct sl_tally *t,
					      int family);
const struct sl_tally_port *sl_tally_top_port(const struct sl_tally *t,
					      int tcp);

#endif
