/* genpcap.c - writes N packets of 10-packet hello conversations (Ethernet,
 * as Linux lo) with libpcap's dump API: the offline benchmark's input.
 * usage: genpcap [--loss PERMILLE | --streams S] FILE N
 *   --loss: bulk conversations of text lines (20 data segments each, every
 *     one ACKed) where PERMILLE of 1000 data segments (20: 2 %) are lost
 *     after the capture point, as a capture on the sender sees it: the
 *     next three segments go on, the receiver answers each with a
 *     duplicate ACK carrying SACK, the sender retransmits (fast
 *     retransmission) and the receiver ACKs everything; the TCP analysis
 *     benchmark's loss case.
 *   --streams: the hello conversations of S distinct streams (client
 *     10.x.y.z, one address each) interleaved, every stream open at once
 *     until its end: the analysis' state for S streams at the same time. */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The Ethernet/IPv4/TCP frame of the loss and stream modes: addresses in
 * host order, a SACK block [sl, sr) when sr != sl, payload dl bytes. */
static size_t frame4(uint8_t *b, uint32_t sa, uint32_t da, uint16_t sport,
		     uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
		     const char *data, size_t dl, uint32_t sl, uint32_t sr)
{
	size_t th = sl != sr ? 44 : 32, n = 14 + 20 + th + dl;
	uint16_t tot = (uint16_t)(n - 14);
	uint8_t *t = b + 34;

	memset(b, 0, n);
	b[12] = 0x08;
	b[14] = 0x45; b[16] = tot >> 8; b[17] = tot & 0xff;
	b[20] = 0x40; b[22] = 64; b[23] = 6;
	for (int i = 0; i < 4; i++) {
		b[26 + i] = sa >> (24 - 8 * i) & 0xff;
		b[30 + i] = da >> (24 - 8 * i) & 0xff;
		t[4 + i] = seq >> (24 - 8 * i) & 0xff;
		t[8 + i] = ack >> (24 - 8 * i) & 0xff;
	}
	t[0] = sport >> 8; t[1] = sport & 0xff;
	t[2] = dport >> 8; t[3] = dport & 0xff;
	t[12] = (uint8_t)(th / 4) << 4; t[13] = flags; t[14] = 0x02;
	memcpy(t + 20, "\x01\x01\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x01", 12);
	if (sl != sr) {
		t[32] = 1; t[33] = 1; t[34] = 5; t[35] = 10;
		for (int i = 0; i < 4; i++) {
			t[36 + i] = sl >> (24 - 8 * i) & 0xff;
			t[40 + i] = sr >> (24 - 8 * i) & 0xff;
		}
	}
	memcpy(t + th, data, dl);
	return n;
}

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

/* The writer of the loss and stream modes: counts packets up to the
 * wanted number, keeps the clock (10 us a packet, plus the gaps asked). */
struct out {
	pcap_dumper_t *d;
	long n, left;
	uint64_t us;
	uint8_t b[256];
};

static int emit(struct out *o, size_t len, uint64_t gap_us)
{
	struct pcap_pkthdr h;

	if (o->left <= 0)
		return -1;
	o->us += 10 + gap_us;
	h.ts.tv_sec = (time_t)(1700000000 + o->us / 1000000);
	h.ts.tv_usec = (suseconds_t)(o->us % 1000000);
	h.caplen = h.len = (uint32_t)len;
	pcap_dump((u_char *)o->d, &h, o->b);
	o->left--;
	return 0;
}

static uint64_t rng = 0x5eed2026u;

static unsigned rand1000(void)
{
	rng = rng * 6364136223846793005u + 1442695040888963407u;
	return (unsigned)((rng >> 33) % 1000);
}

enum { SEGS = 20, LINE = 64, ACK = 0x10, PSH = 0x08, SYN = 0x02, FIN = 0x01 };

/* conversation k: client 10.(1 + k / 65536).(k / 256 % 256).(k % 256),
 * server 10.0.0.1: distinct 4-tuples, no port reuse */
static uint32_t client_ip(long k)
{
	return (10u << 24) + (uint32_t)((1 + k / 65536) % 256) * 65536 +
	       (uint32_t)(k % 65536);
}

static void loss(struct out *o, unsigned permille)
{
	const uint32_t sv = 10u << 24 | 1;
	long lost = 0, data = 0;

	for (long k = 0; o->left > 0; k++) {
		uint32_t cl = client_ip(k), c = (uint32_t)k * 7919u,
			 s = (uint32_t)k * 104729u;
		uint16_t cp = (uint16_t)(40000 + k % 20000), sp = 5001;
		char line[SEGS][LINE + 1];
		int i = 0;

		for (int j = 0; j < SEGS; j++) {
			snprintf(line[j], sizeof line[j],
				 "line %02d of conversation %07ld: the quick brown fox",
				 j, k);
			memset(line[j] + strlen(line[j]), ' ',
			       LINE - 1 - strlen(line[j]));
			line[j][LINE - 1] = '\n';
			line[j][LINE] = 0;
		}
#define C2S(seq, ack, fl, d, dl) frame4(o->b, cl, sv, cp, sp, seq, ack, fl, d, dl, 0, 0)
#define S2C(seq, ack, fl, sl, sr) frame4(o->b, sv, cl, sp, cp, seq, ack, fl, "", 0, sl, sr)
#define SEQ(j) (c + 1 + (uint32_t)(j) * LINE)
		if (emit(o, C2S(c, 0, SYN, "", 0), 0) ||
		    emit(o, S2C(s, c + 1, SYN | ACK, 0, 0), 0) ||
		    emit(o, C2S(c + 1, s + 1, ACK, "", 0), 0))
			break;
		while (i < SEGS) {
			int after, j;

			if (emit(o, C2S(SEQ(i), s + 1, PSH | ACK, line[i], LINE), 0))
				goto done;
			data++;
			if (rand1000() >= permille) {
				if (emit(o, S2C(s + 1, SEQ(i + 1), ACK, 0, 0), 0))
					goto done;
				i++;
				continue;
			}
			/* lost past the capture point: what follows it goes on
			 * and is SACKed by duplicate ACKs; three of them make a
			 * fast retransmission, fewer wait for the timer (200 ms) */
			lost++;
			after = SEGS - 1 - i < 3 ? SEGS - 1 - i : 3;
			for (j = 1; j <= after; j++) {
				if (emit(o, C2S(SEQ(i + j), s + 1, PSH | ACK,
						line[i + j], LINE), 0) ||
				    emit(o, S2C(s + 1, SEQ(i), ACK, SEQ(i + 1),
						SEQ(i + j + 1)), 0))
					goto done;
				data++;
			}
			if (emit(o, C2S(SEQ(i), s + 1, PSH | ACK, line[i], LINE),
				 after == 3 ? 0 : 200000) ||
			    emit(o, S2C(s + 1, SEQ(i + after + 1), ACK, 0, 0), 0))
				goto done;
			i += after + 1;
		}
		if (emit(o, C2S(SEQ(SEGS), s + 1, FIN | ACK, "", 0), 0) ||
		    emit(o, S2C(s + 1, SEQ(SEGS) + 1, FIN | ACK, 0, 0), 0) ||
		    emit(o, C2S(SEQ(SEGS) + 1, s + 2, ACK, "", 0), 0))
			break;
	}
done:
	fprintf(stderr, "genpcap: %ld of %ld data segments lost and retransmitted "
		"(%.2f %%)\n", lost, data, data ? 100.0 * (double)lost / (double)data : 0.0);
}

static void streams(struct out *o, long nstreams)
{
	const uint32_t sv = 10u << 24 | 1;
	static const struct { int dir; uint8_t fl; const char *d;
			      uint32_t cs, ss; } seg[10] = {
		{ 0, SYN, "", 0, 0 }, { 1, SYN | ACK, "", 1, 0 },
		{ 0, ACK, "", 1, 1 }, { 0, PSH | ACK, "alice\n", 1, 1 },
		{ 1, ACK, "", 7, 1 }, { 1, PSH | ACK, "Hello, alice!\n", 7, 1 },
		{ 0, ACK, "", 7, 15 }, { 0, FIN | ACK, "", 7, 15 },
		{ 1, FIN | ACK, "", 8, 15 }, { 0, ACK, "", 8, 16 },
	};

	/* round r is packet r of every stream: all of them open at once */
	for (int r = 0; o->left > 0; r = (r + 1) % 10) {
		for (long k = 0; k < nstreams && o->left > 0; k++) {
			uint32_t cl = client_ip(k), c = (uint32_t)k * 7919u,
				 s = (uint32_t)k * 104729u;
			uint16_t cp = 40000, sp = 59001;
			size_t dl = strlen(seg[r].d), len = seg[r].dir ?
				frame4(o->b, sv, cl, sp, cp, s + seg[r].ss,
				       c + seg[r].cs, seg[r].fl, seg[r].d, dl, 0, 0) :
				frame4(o->b, cl, sv, cp, sp, c + seg[r].cs,
				       r ? s + seg[r].ss : 0, seg[r].fl,
				       seg[r].d, dl, 0, 0);

			emit(o, len, 0);
		}
	}
}

static void hello(pcap_dumper_t *d, long n)
{
	uint8_t b[256];

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
}

int main(int argc, char **argv)
{
	pcap_t *p;
	pcap_dumper_t *d;
	long n, arg = 0;
	int mode = 0;

	if (argc == 5 && !strcmp(argv[1], "--loss"))
		mode = 1;
	else if (argc == 5 && !strcmp(argv[1], "--streams"))
		mode = 2;
	if (mode) {
		arg = atol(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc != 3 || (n = atol(argv[2])) <= 0 ||
	    (mode == 1 && (arg < 0 || arg > 250)) || (mode == 2 && arg <= 0)) {
		fprintf(stderr, "usage: genpcap [--loss PERMILLE (0-250) | "
			"--streams S] FILE N\n");
		return 2;
	}
	p = pcap_open_dead(DLT_EN10MB, 262144);
	d = p ? pcap_dump_open(p, argv[1]) : NULL;
	if (!d) {
		fprintf(stderr, "genpcap: cannot create %s\n", argv[1]);
		return 1;
	}
	if (mode == 0) {
		hello(d, n);
	} else {
		static struct out o;

		o.d = d;
		o.n = o.left = n;
		if (mode == 1)
			loss(&o, (unsigned)arg);
		else
			streams(&o, arg);
	}
	pcap_dump_close(d);
	pcap_close(p);
	return 0;
}
