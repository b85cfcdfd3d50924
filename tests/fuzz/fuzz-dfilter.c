/* fuzz-dfilter.c - arbitrary text to the display-filter compiler; what
 * compiles is matched against two dissected packets and translated to BPF,
 * what does not has its error display built */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/dfilter.h"
#include "socklab/dissect.h"

/* Ethernet + IPv4 + TCP 40000 -> 80 [PSH, ACK] "alice\n" */
static const uint8_t tcp_pkt[] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00,
	0x45, 0, 0, 46, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0,
	127, 0, 0, 1, 127, 0, 0, 1,
	0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0x02, 0,
	0, 0, 0, 0, 'a', 'l', 'i', 'c', 'e', '\n',
};

/* Ethernet + IPv6 + UDP 5353 -> 53, "ping" */
static const uint8_t udp6_pkt[] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x86, 0xdd,
	0x60, 0, 0, 0, 0, 12, 17, 64,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x14, 0xe9, 0, 53, 0, 12, 0, 0, 'p', 'i', 'n', 'g',
};

static void dissect(struct sl_packet *p, const uint8_t *b, size_t n)
{
	memset(p, 0, sizeof(*p));
	p->number = 1;
	p->linktype = SL_LINK_ETHERNET;
	p->data = b;
	p->caplen = (uint32_t)n;
	p->len = (uint32_t)n;
	sl_dissect(p, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sl_packet pkts[2];
	static int ready;
	struct sl_buf b = SL_BUF_INIT;
	struct sl_dfilter *f;
	struct sl_err e;
	int col, len;
	char *text;

	if (!ready) {
		dissect(&pkts[0], tcp_pkt, sizeof(tcp_pkt));
		dissect(&pkts[1], udp6_pkt, sizeof(udp6_pkt));
		ready = 1;
	}
	if (!(text = malloc(size + 1)))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (sl_dfilter_compile(&f, text, &col, &len, &e) == 0) {
		sl_dfilter_match(f, &pkts[0]);
		sl_dfilter_match(f, &pkts[1]);
		sl_dfilter_to_bpf(f, &b);
		sl_dfilter_free(f);
	} else {
		sl_dfilter_format_error(&b, "fuzz: ", text, e.msg, col, len);
	}
	sl_buf_release(&b);
	sl_dfilter_is_display_syntax(text, NULL);
	free(text);
	return 0;
}
