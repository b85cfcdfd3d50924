/* fuzz-ipt.c - the legacy iptables table decoder on arbitrary bytes.
 * First byte: the family (bit 0: IPv6); then the table's hook offsets
 * (valid_hooks, 5 hook_entry and 5 underflow, u32 each, host order); the
 * rest is the IPT_SO_GET_ENTRIES blob.  Every offset must be checked:
 * the decoder never reads outside the blob. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/why.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_fw_packet pkt = { .dport = 59001, .sport = 40000, .local = 1 };
	struct sl_ipt_info info = { "filter", 0, { 0 }, { 0 } };
	struct sl_firewall fw;
	const size_t head = 1 + 11 * 4;
	void *blob;
	int fam;

	if (size < head)
		return 0;
	fam = data[0] & 1 ? AF_INET6 : AF_INET;
	pkt.family = fam;
	pkt.daddr[0] = 127, pkt.daddr[3] = 1;
	memcpy(pkt.iif, "lo", 3);
	memcpy(&info.valid_hooks, data + 1, 4);
	memcpy(info.hook_entry, data + 5, 20);
	memcpy(info.underflow, data + 25, 20);
	/* an exact-size copy: ASan sees a read one past the end */
	blob = malloc(size - head + 1);
	if (!blob)
		return 0;
	memcpy(blob, data + head, size - head);
	memset(&fw, 0, sizeof(fw));
	sl_ipt_decode(blob, size - head, fam, &info, &pkt, &fw.rules);
	for (size_t i = 0; i < fw.rules.nr; i++)
		assert(strlen(fw.rules.r[i].text) < sizeof(fw.rules.r[i].text));
	sl_firewall_walk(&fw, &pkt);
	sl_firewall_release(&fw);
	free(blob);
	return 0;
}
