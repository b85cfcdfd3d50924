/* fuzz-nft.c - the nftables dump decoder (chains and rules, every
 * expression run over a SYN) on arbitrary netlink bytes.  First byte: the
 * packet's family (bit 0: IPv6) and whether it is delivered here (bit 1);
 * the rest is what one recv() would hold.  Every rule must come out with
 * a bounded text and a known verdict, and the chain walk must end. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/why.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_fw_packet pkt = { .dport = 59001, .sport = 40000 };
	struct sl_firewall fw;
	void *buf;

	if (size < 1)
		return 0;
	pkt.family = data[0] & 1 ? AF_INET6 : AF_INET;
	pkt.local = data[0] >> 1 & 1;
	pkt.daddr[0] = 127, pkt.daddr[3] = 1;
	memcpy(pkt.iif, "lo", 3);
	memcpy(pkt.oif, "lo", 3);
	/* netlink buffers are 4-byte aligned */
	buf = aligned_alloc(8, (size + 15) & ~(size_t)7);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	memset(&fw, 0, sizeof(fw));
	sl_nft_decode(buf, size - 1, &pkt, &fw.rules);
	for (size_t i = 0; i < fw.rules.nr; i++) {
		const struct sl_fw_rule *r = &fw.rules.r[i];

		assert(strlen(r->text) < sizeof(r->text));
		assert(r->verdict <= SL_FW_RETURN && r->match <= SL_FW_YES);
	}
	sl_firewall_walk(&fw, &pkt);
	assert(fw.nhits <= SL_ARRAY_SIZE(fw.hits));
	sl_firewall_release(&fw);
	free(buf);
	return 0;
}
