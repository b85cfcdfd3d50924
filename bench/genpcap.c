/* genpcap.c - writes N packets of 10-packet hello conversations (Ethernet,
 * as Linux lo) with libpcap's dump API: the offline benchmark's input.
 * usage: genpcap FILE N */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t frame(uint8_t *b, uint16_t sport, uint16_t dport, uint32_t seq,
		    uint32_t ack, uint8_t flags, const char *data)
{
	size_t dl = strlen(data), n = 14 + 20 + 32 + dl;
	uint16_t tot = (uint16_t)(n - 14);

	memset(b, 0, n);
	b[12] = 0x08;
	b[14] = 0x45; b[16] = tot >> 8; b[17] = tot & 0xff;
	b[20] = 0x40; b[22] = 64; b[23] = 6;
	b[26] = 127; b[29] = 1; b[30] = 127; b[33] = 1;
	b[34] = sport >> 8; b[35] = sport & 0xff;
	b[36] = dport >> 8; b[37] = dport & 0xff;
	for (int i = 0; i < 4; i++) {
		b[38 + i] = seq >> (24 - 8 * i) & 0xff;
		b[42 + i] = ack >> (24 - 8 * i) & 0xff;
	}
	b[46] = 0x80; b[47] = flags; b[48] = 0x02; b[49] = 0x00;
	memcpy(b + 54, "\x01\x01\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x01", 12);
	memcpy(b + 66, data, dl);
	return n;
}

int main(int argc, char **argv)
{
	pcap_t *p;
	pcap_dumper_t *d;
	long n;
	uint8_t b[256];

	if (argc != 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: genpcap FILE N\n");
		return 2;
	}
	p = pcap_open_dead(DLT_EN10MB, 262144);
	d = p ? pcap_dump_open(p, argv[1]) : NULL;
	if (!d) {
		fprintf(stderr, "genpcap: cannot create %s\n", argv[1]);
		return 1;
	}
	for (long i = 0; i < n; i++) {
		long conv = i / 10;
		uint16_t cp = (uint16_t)(32768 + conv % 28000), sp = 59001;
		uint32_t c = (uint32_t)conv * 7919u, s = (uint32_t)conv * 104729u;
		static const struct { int dir; uint8_t fl; const char *d;
				      int cs, ss; } seg[10] = {
			{ 0, 0x02, "", 0, 0 }, { 1, 0x12, "", 0, 1 },
			{ 0, 0x10, "", 1, 1 }, { 0, 0x18, "alice\n", 1, 1 },
			{ 1, 0x10, "", 7, 1 }, { 1, 0x18, "Hello, alice!\n", 7, 1 },
			{ 0, 0x10, "", 7, 15 }, { 0, 0x11, "", 7, 15 },
			{ 1, 0x11, "", 8, 15 }, { 0, 0x10, "", 8, 16 },
		};
		int k = (int)(i % 10);
		struct pcap_pkthdr h;
		size_t len = seg[k].dir ?
			frame(b, sp, cp, s + seg[k].ss - 1 + (k > 1),
			      c + seg[k].cs, seg[k].fl, seg[k].d) :
			frame(b, cp, sp, c + seg[k].cs, s + seg[k].ss,
			      seg[k].fl, seg[k].d);

		h.ts.tv_sec = 1700000000 + i / 100000;
		h.ts.tv_usec = (i % 100000) * 10;
		h.caplen = h.len = (uint32_t)len;
		pcap_dump((u_char *)d, &h, b);
	}
	pcap_dump_close(d);
	pcap_close(p);
	return 0;
}
