/* test-dissect.c - the field registry and the dissectors on hand-built
 * packets, each placed against a PROT_NONE page so that one byte read past
 * the frame crashes the test */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "socklab/dissect.h"
#include "socklab/render.h"

static struct sl_packet pkt;
static uint8_t *guard_base;
static size_t page;

static struct sl_stream_table *new_table(void)
{
	struct sl_stream_table *t;

	assert_int_equal(sl_stream_table_new(&t, NULL), 0);
	return t;
}

/* copies n bytes so they end right at a PROT_NONE page */
static const uint8_t *guarded(const uint8_t *b, size_t n)
{
	uint8_t *end = guard_base + page;

	memcpy(end - n, b, n);
	return end - n;
}

static void dissect(int link, const uint8_t *b, size_t n, uint32_t wire)
{
	memset(&pkt, 0, sizeof(pkt));
	pkt.number = 1;
	pkt.linktype = link;
	pkt.data = guarded(b, n);
	pkt.caplen = (uint32_t)n;
	pkt.len = wire ? wire : (uint32_t)n;
	sl_dissect(&pkt, NULL);
}

/* Ethernet + IPv4 + TCP SYN with MSS, SACK_PERM, TS, NOP, WS */
static const uint8_t syn[] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00,
	0x45, 0, 0, 60, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0,
	127, 0, 0, 1, 127, 0, 0, 2,
	0x9c, 0x40, 0xe6, 0x79, 0, 0, 0x03, 0xe8, 0, 0, 0, 0, 0xa0, 0x02,
	0xff, 0xd7, 0, 0, 0, 0,
	2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
};

static void test_registry(void **state)
{
	(void)state;
	for (int i = 0; i < SL_F_COUNT; i++) {
		assert_non_null(sl_fields[i].name);
		assert_int_equal(sl_field_lookup(sl_fields[i].name), i);
	}
	assert_int_equal(sl_field_lookup("ip.addr"), SL_F_IP_ADDR);
	assert_int_equal(sl_field_lookup("ip.adr"), -1);
	assert_string_equal(sl_field_suggest("ip.adr"), "ip.addr");
	assert_string_equal(sl_field_suggest("tcp.prot"), "tcp.port");
	assert_null(sl_field_suggest("completely.unknown.thing"));
	assert_int_equal(sl_fields[SL_F_TCP_FLAGS_SYN].type, SL_FT_BOOL);
	assert_int_equal(sl_fields[SL_F_ETH_SRC].type, SL_FT_ETHER);
	assert_int_equal(sl_fields[SL_F_TCP_PAYLOAD].type, SL_FT_BYTES);
}

static void test_tcp_syn(void **state)
{
	const struct sl_fval *v;

	(void)state;
	dissect(SL_LINK_ETHERNET, syn, sizeof(syn), 0);
	assert_false(pkt.malformed);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_IP_SRC, 0), 0x7f000001);
	v = sl_pkt_get(&pkt, SL_F_IP_ADDR);
	assert_non_null(v);
	assert_int_equal(v->v.u, 0x7f000001);
	v = sl_pkt_next(&pkt, v);
	assert_non_null(v);
	assert_int_equal(v->v.u, 0x7f000002);
	assert_null(sl_pkt_next(&pkt, v));
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_SRCPORT, 0), 40000);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_DSTPORT, 0), 59001);
	assert_int_equal(sl_pkt_count(&pkt, SL_F_TCP_PORT), 2);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_FLAGS_SYN, 9), 1);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_FLAGS_ACK, 9), 0);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_OPTIONS_MSS_VAL, 0), 65495);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_OPTIONS_WSCALE_SHIFT, 0), 7);
	assert_true(sl_pkt_has(&pkt, SL_F_TCP_OPTIONS_SACK_PERM));
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_OPTIONS_TIMESTAMP_TSVAL, 0), 1);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_LEN, 9), 0);
	assert_false(sl_pkt_has(&pkt, SL_F_TCP_PAYLOAD));
	assert_false(sl_pkt_has(&pkt, SL_F_UDP));
	assert_int_equal(pkt.nlayers, 4);
	assert_string_equal(sl_render_protocol(&pkt), "TCP");
}

static void test_every_truncation(void **state)
{
	(void)state;
	/* each prefix of the SYN: no crash, never a read past the end, and
	 * marked malformed somewhere (the frame claims to be whole) */
	for (size_t n = 0; n < sizeof(syn); n++) {
		dissect(SL_LINK_ETHERNET, syn, n, 0);
		assert_true(pkt.malformed || pkt.truncated);
		/* the same prefix as a snaplen cut: truncated, not malformed */
		dissect(SL_LINK_ETHERNET, syn, n, sizeof(syn));
		assert_false(pkt.malformed);
	}
}

static void test_relative_seq(void **state)
{
	struct sl_stream_table *t = new_table();
	uint8_t b[sizeof(syn)];

	(void)state;
	memcpy(b, syn, sizeof(b));
	memset(&pkt, 0, sizeof(pkt));
	pkt.linktype = SL_LINK_ETHERNET;
	pkt.data = b;
	pkt.caplen = pkt.len = sizeof(b);
	sl_dissect(&pkt, t);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_SEQ, 9), 0);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_SEQ_RAW, 9), 1000);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_STREAM, 9), 0);
	/* the reply: ports and addresses swapped, SYN|ACK, ack = 1001 */
	memcpy(b + 26, syn + 30, 4);
	memcpy(b + 30, syn + 26, 4);
	memcpy(b + 34, syn + 36, 2);
	memcpy(b + 36, syn + 34, 2);
	b[38] = 0; b[39] = 1; b[40] = 0; b[41] = 0;	/* seq 65536 */
	b[42] = 0; b[43] = 0; b[44] = 0x03; b[45] = 0xe9;
	b[47] = 0x12;
	sl_dissect(&pkt, t);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_STREAM, 9), 0);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_SEQ, 9), 0);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_ACK, 9), 1);
	assert_int_equal(sl_stream_count(t), 1);
	sl_stream_table_free(t);
}

static void test_malformed_headers(void **state)
{
	uint8_t b[sizeof(syn)];

	(void)state;
	memcpy(b, syn, sizeof(b));
	b[14] = 0x44;			/* IHL 16 bytes: tshark's "bogus IP */
	dissect(SL_LINK_ETHERNET, b, sizeof(b), 0);	/* header length" */
	assert_false(pkt.malformed);	/* stops at ip, not malformed */
	assert_true(sl_pkt_has(&pkt, SL_F_IP_HDR_LEN));
	assert_false(sl_pkt_has(&pkt, SL_F_TCP));
	b[14] = 0x45;
	b[16] = 0; b[17] = 40;		/* total length 40 < 20 + 24 */
	b[46] = 0x60;			/* TCP data offset 24 > 20 left */
	dissect(SL_LINK_ETHERNET, b, sizeof(b), 0);
	assert_true(pkt.malformed);
	assert_int_equal(pkt.malformed_field, SL_F_TCP);
	assert_true(sl_pkt_has(&pkt, SL_F_MALFORMED));
	memcpy(b, syn, sizeof(b));
	b[46] = 0xf0;			/* TCP data offset 60 > segment */
	dissect(SL_LINK_ETHERNET, b, sizeof(b), 0);
	assert_true(pkt.malformed);
	assert_int_equal(pkt.malformed_field, SL_F_TCP);
	memcpy(b, syn, sizeof(b));
	b[55] = 9;			/* MSS option length 9 */
	dissect(SL_LINK_ETHERNET, b, sizeof(b), 0);
	assert_true(pkt.malformed);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_SRCPORT, 0), 40000);
}

static void test_link_types(void **state)
{
	uint8_t b[128];
	const uint8_t *ip = syn + 14;
	size_t iplen = sizeof(syn) - 14;

	(void)state;
	/* raw */
	dissect(SL_LINK_RAW, ip, iplen, 0);
	assert_false(pkt.malformed);
	assert_true(sl_pkt_has(&pkt, SL_F_TCP));
	/* NULL, little-endian AF_INET */
	memcpy(b, "\x02\x00\x00\x00", 4);
	memcpy(b + 4, ip, iplen);
	dissect(SL_LINK_NULL, b, iplen + 4, 0);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_NULL_FAMILY, 0), 2);
	assert_true(sl_pkt_has(&pkt, SL_F_TCP));
	/* LOOP, network order */
	memcpy(b, "\x00\x00\x00\x02", 4);
	dissect(SL_LINK_LOOP, b, iplen + 4, 0);
	assert_true(sl_pkt_has(&pkt, SL_F_TCP));
	/* SLL v1 and v2 */
	memset(b, 0, 16);
	b[14] = 0x08;
	memcpy(b + 16, ip, iplen);
	dissect(SL_LINK_SLL, b, iplen + 16, 0);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_SLL_PROTOCOL, 0), 0x0800);
	assert_true(sl_pkt_has(&pkt, SL_F_TCP));
	memset(b, 0, 20);
	b[0] = 0x08;
	memcpy(b + 20, ip, iplen);
	dissect(SL_LINK_SLL2, b, iplen + 20, 0);
	assert_true(sl_pkt_has(&pkt, SL_F_TCP));
}

static void test_ipv6_ext_and_udp(void **state)
{
	uint8_t b[128] = { 0 };
	size_t n = 0;

	(void)state;
	b[n++] = 0x60; n += 3;
	b[n++] = 0; b[n++] = 8 + 8 + 13;	/* plen */
	b[n++] = 0; b[n++] = 64;		/* hop-by-hop, hlim */
	b[n + 15] = 1; n += 16;			/* ::1 */
	b[n + 15] = 1; n += 16;
	b[n++] = 44; b[n++] = 0; b[n++] = 1; b[n++] = 4; n += 4; /* HBH */
	b[n++] = 17; b[n++] = 0; n += 6;	/* fragment hdr, offset 0 */
	b[n++] = 0x30; b[n++] = 0x39; b[n++] = 0x30; b[n++] = 0x3a;
	b[n++] = 0; b[n++] = 13; n += 2;
	memcpy(b + n, "hello", 5); n += 5;
	dissect(SL_LINK_RAW, b, n, 0);
	assert_false(pkt.malformed);
	assert_true(sl_pkt_has(&pkt, SL_F_IPV6_HOPOPTS));
	assert_true(sl_pkt_has(&pkt, SL_F_IPV6_FRAGHDR));
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_UDP_SRCPORT, 0), 12345);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_UDP_LENGTH, 0), 13);
	assert_int_equal(sl_pkt_get(&pkt, SL_F_UDP_PAYLOAD)->v.bytes.n, 5);
	for (size_t k = 0; k < n; k++)
		dissect(SL_LINK_RAW, b, k, 0);	/* every prefix: no crash */
}

static void test_summary(void **state)
{
	char line[SL_SUMMARY_MAX];

	(void)state;
	dissect(SL_LINK_ETHERNET, syn, sizeof(syn), 0);
	sl_render_summary(line, &pkt, 9);
	assert_string_equal(line, "    1 0.000000000    127.0.0.1 → 127.0.0.2    "
		"TCP 74 40000 → 59001 [SYN] Seq=1000 Win=65495 Len=0 MSS=65495 "
		"SACK_PERM TSval=1 TSecr=0 WS=128\n");
}

/* ---- sl_dissect_fields: what is wanted is exactly what sl_dissect gives */

/* ICMP errors quoting ICMP errors, every IPv4 header with 40 bytes of
 * options (nops NOPs, then EOL): more values than a packet holds, the
 * last one landing at every spot as nops goes from 0 to 40 */
static size_t nested_icmp(uint8_t *b, unsigned nops)
{
	size_t n = 14;

	memset(b, 0, 14);
	b[12] = 0x08;
	for (int i = 0; i < 3; i++) {
		memset(b + n, 0, 60);
		b[n] = 0x4f;
		b[n + 3] = 216;	/* total length (quoted ones: clamped) */
		b[n + 8] = 64;
		b[n + 9] = i < 2 ? 1 : 6;
		b[n + 12] = 127; b[n + 15] = 1;
		b[n + 16] = 127; b[n + 19] = 1;
		memset(b + n + 20, 1, nops);
		n += 60;
		if (i < 2) {
			memset(b + n, 0, 8);
			b[n] = 3;		/* destination unreachable */
			n += 8;
		}
	}
	memcpy(b + n, syn + 34, 20);		/* the innermost TCP header */
	b[n + 12] = 0x50;
	return n + 20;
}

static void same_values(const struct sl_packet *a, const struct sl_packet *b,
			int field)
{
	const struct sl_fval *v = sl_pkt_get(a, field);
	const struct sl_fval *w = sl_pkt_get(b, field);

	for (; v && w; v = sl_pkt_next(a, v), w = sl_pkt_next(b, w)) {
		assert_int_equal(v->field, w->field);
		assert_int_equal(v->off, w->off);
		assert_int_equal(v->len, w->len);
		if (sl_fields[field].type == SL_FT_BYTES ||
		    sl_fields[field].type == SL_FT_ETHER ||
		    sl_fields[field].type == SL_FT_IPV6) {
			assert_ptr_equal(v->v.bytes.p, w->v.bytes.p);
			assert_int_equal(v->v.bytes.n, w->v.bytes.n);
		} else {
			assert_int_equal(v->v.u, w->v.u);
		}
	}
	assert_null(v);
	assert_null(w);
}

static void same_packet(const struct sl_packet *a, const struct sl_packet *b,
			int field)
{
	same_values(a, b, field);
	assert_int_equal(a->nlayers, b->nlayers);
	for (unsigned i = 0; i < a->nlayers; i++) {
		assert_int_equal(a->layers[i].proto, b->layers[i].proto);
		assert_int_equal(a->layers[i].off, b->layers[i].off);
		assert_int_equal(a->layers[i].len, b->layers[i].len);
	}
	assert_int_equal(a->truncated, b->truncated);
	assert_int_equal(a->ip_fragment, b->ip_fragment);
	if (field == SL_F_MALFORMED) {
		assert_int_equal(a->malformed, b->malformed);
		assert_int_equal(a->malformed_field, b->malformed_field);
	}
}

static void want_each(int link, const uint8_t *b, size_t n, uint32_t wire)
{
	static struct sl_packet some;	/* reused: only what the last
					 * dissection filled is cleared */
	static int ready;

	if (!ready) {
		sl_packet_reset(&some);
		ready = 1;
	}
	for (int f = 0; f < SL_F_COUNT; f++) {
		struct sl_fieldset want = { { 0 } };

		dissect(link, b, n, wire);
		sl_fieldset_add(&want, f);
		some.number = 1;
		some.linktype = link;
		some.data = pkt.data;
		some.caplen = pkt.caplen;
		some.len = pkt.len;
		sl_dissect_fields(&some, NULL, &want);
		same_packet(&pkt, &some, f);
	}
}

/* Each field alone: on every prefix of some frames (whole, or cut by a
 * snaplen), and on packets that overflow the table at every spot. */
static void test_wanted_fields(void **state)
{
	uint8_t icmp[256], bad[sizeof(syn)];
	unsigned overflows = 0;
	size_t n;

	(void)state;
	memcpy(bad, syn, sizeof(bad));
	bad[55] = 9;			/* MSS option length 9: malformed */
	for (n = 0; n <= sizeof(syn); n++) {
		want_each(SL_LINK_ETHERNET, syn, n, 0);
		want_each(SL_LINK_ETHERNET, bad, n, 0);
		/* the same prefixes as a snaplen cut */
		want_each(SL_LINK_ETHERNET, bad, n, sizeof(bad));
		if (n >= 14)
			want_each(SL_LINK_RAW, syn + 14, n - 14, 0);
	}
	for (unsigned nops = 0; nops <= 40; nops++) {
		n = nested_icmp(icmp, nops);
		dissect(SL_LINK_ETHERNET, icmp, n, 0);
		overflows += pkt.malformed && strcmp(pkt.malformed_why,
			"too many fields for one packet") == 0;
		want_each(SL_LINK_ETHERNET, icmp, n, 0);
	}
	assert_true(overflows > 20);
}

/* Without a numbered field the conversations are left alone; with one
 * they see every packet, and the numbers are those of sl_dissect. */
static void test_wanted_streams(void **state)
{
	struct sl_stream_table *all = new_table();
	struct sl_stream_table *some_t = new_table();
	static struct sl_packet some;
	struct sl_fieldset len = { { 0 } }, seq = { { 0 } };

	(void)state;
	sl_fieldset_add(&len, SL_F_TCP_LEN);
	sl_fieldset_add(&seq, SL_F_TCP_SEQ);
	sl_packet_reset(&some);
	some.linktype = SL_LINK_ETHERNET;
	some.data = syn;
	some.caplen = some.len = sizeof(syn);
	sl_dissect_fields(&some, some_t, &len);
	assert_int_equal(sl_stream_count(some_t), 0);
	assert_true(sl_pkt_has(&some, SL_F_TCP_LEN));
	for (int i = 0; i < 3; i++) {
		memset(&pkt, 0, sizeof(pkt));
		pkt.linktype = SL_LINK_ETHERNET;
		pkt.data = syn;
		pkt.caplen = pkt.len = sizeof(syn);
		sl_dissect(&pkt, all);
		sl_dissect_fields(&some, some_t, &seq);
		same_values(&pkt, &some, SL_F_TCP_SEQ);
	}
	assert_int_equal(sl_stream_count(some_t), sl_stream_count(all));
	sl_stream_table_free(all);
	sl_stream_table_free(some_t);
}

/* ---- IP reassembly (reasm.c) ---- */

#include <stdlib.h>

#include "socklab/dfilter.h"
#include "socklab/util.h"

/* A raw IPv4 fragment of datagram id: payload bytes at offset off. */
static size_t frag4(uint8_t *b, unsigned id, unsigned off, int more,
		    const uint8_t *pl, size_t n)
{
	static const uint8_t hdr[20] = {
		0x45, 0, 0, 0, 0, 0, 0, 0, 64, 17, 0, 0,
		127, 0, 0, 1, 127, 0, 0, 2,
	};
	unsigned fl = (more ? 0x2000 : 0) | off / 8;

	memcpy(b, hdr, 20);
	b[2] = (uint8_t)((20 + n) >> 8);
	b[3] = (uint8_t)(20 + n);
	b[4] = (uint8_t)(id >> 8);
	b[5] = (uint8_t)id;
	b[6] = (uint8_t)(fl >> 8);
	b[7] = (uint8_t)fl;
	memmove(b + 20, pl, n);	/* pl may lie in b */
	return 20 + n;
}

/* what feed() asks for: NULL for everything (sl_dissect) */
static const struct sl_fieldset *feed_want;

/* Dissects raw b (n bytes, wire bytes on the wire) with table t, the
 * bytes against the guard page. */
static void feed(struct sl_stream_table *t, const uint8_t *b, size_t n,
		 uint32_t wire)
{
	uint64_t num = pkt.number;

	memset(&pkt, 0, sizeof(pkt));
	pkt.number = num + 1;
	pkt.linktype = SL_LINK_RAW;
	pkt.data = n <= page ? guarded(b, n) : b;
	pkt.caplen = (uint32_t)n;
	pkt.len = wire ? wire : (uint32_t)n;
	if (feed_want) {
		sl_packet_reset(&pkt);
		sl_dissect_fields(&pkt, t, feed_want);
	} else {
		sl_dissect(&pkt, t);
	}
}

/* a UDP datagram 7 -> 9 of 40 bytes: header, then 32 bytes of text */
static uint8_t dgram[40];

static void make_dgram(void)
{
	memcpy(dgram, "\x00\x07\x00\x09\x00\x28\x00\x00", 8);
	memcpy(dgram + 8, "alice alice alice bob bob bob  .", 32);
}

static void feed4(struct sl_stream_table *t, unsigned id, unsigned off,
		  unsigned end, int more)
{
	uint8_t b[128];

	feed(t, b, frag4(b, id, off, more, dgram + off, end - off), 0);
}

static void assert_complete(void)
{
	const struct sl_fval *v = sl_pkt_get(&pkt, SL_F_UDP_PAYLOAD);
	uint32_t n;

	assert_non_null(pkt.reasm);
	assert_int_equal(pkt.reasm_len, sizeof(dgram));
	assert_false(pkt.ip_fragment);
	assert_false(pkt.malformed);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_UDP_LENGTH, 0), 40);
	assert_non_null(v);
	assert_int_equal(v->v.bytes.n, 32);
	assert_memory_equal(v->v.bytes.p, dgram + 8, 32);
	/* offsets count from the reassembled bytes */
	v = sl_pkt_get(&pkt, SL_F_UDP_DSTPORT);
	assert_ptr_equal(sl_pkt_src(&pkt, v, &n), pkt.reasm);
	assert_int_equal(v->off, 2);
	v = sl_pkt_get(&pkt, SL_F_FRAME_NUMBER);
	assert_ptr_equal(sl_pkt_src(&pkt, v, &n), pkt.data);
}

static void assert_pending(void)
{
	assert_null(pkt.reasm);
	assert_true(pkt.ip_fragment);
	assert_false(sl_pkt_has(&pkt, SL_F_UDP));
	assert_true(sl_pkt_has(&pkt, SL_F_DATA));
}

static void test_reasm_orders(void **state)
{
	/* each order of three fragments: [0,16) [16,32) [32,40) */
	static const unsigned perm[6][3] = {
		{ 0, 1, 2 }, { 2, 1, 0 }, { 1, 0, 2 }, { 2, 0, 1 },
		{ 0, 2, 1 }, { 1, 2, 0 },
	};
	static const unsigned lo[3] = { 0, 16, 32 }, hi[3] = { 16, 32, 40 };

	(void)state;
	make_dgram();
	for (int k = 0; k < 6; k++) {
		struct sl_stream_table *t = new_table();

		for (int i = 0; i < 3; i++) {
			unsigned f = perm[k][i];

			feed4(t, 0x42, lo[f], hi[f], f != 2);
			if (i < 2)
				assert_pending();
			else
				assert_complete();
		}
		sl_stream_table_free(t);
	}
}

static void test_reasm_overlap_dup_missing(void **state)
{
	struct sl_stream_table *t = new_table();
	uint8_t b[128], other[40];

	(void)state;
	make_dgram();
	/* overlapping: the first data wins (bytes 16..24 sent twice, the
	 * second time with other bytes) */
	feed4(t, 1, 0, 24, 1);
	memset(other, 'X', sizeof(other));
	memcpy(other + 24, dgram + 24, 16);
	feed(t, b, frag4(b, 1, 16, 0, other + 16, 24), 0);
	assert_complete();
	/* duplicates: the same fragment twice, then the rest */
	feed4(t, 2, 0, 16, 1);
	feed4(t, 2, 0, 16, 1);
	assert_pending();
	feed4(t, 2, 16, 40, 0);
	assert_complete();
	/* a duplicate after completion starts a datagram of its own */
	feed4(t, 2, 16, 40, 0);
	assert_pending();
	/* a missing piece: never complete */
	feed4(t, 3, 0, 16, 1);
	feed4(t, 3, 32, 40, 0);
	assert_pending();
	feed4(t, 3, 32, 40, 0);
	assert_pending();
	feed4(t, 3, 16, 32, 1);
	assert_complete();
	/* data past the end a last fragment gave: marked, not used */
	feed4(t, 4, 16, 32, 0);
	assert_pending();
	feed4(t, 4, 24, 40, 1);
	assert_true(pkt.malformed);
	assert_null(pkt.reasm);
	sl_stream_table_free(t);
}

static void test_reasm_bounds(void **state)
{
	struct sl_stream_table *t = new_table();
	uint8_t *big = calloc(1, 65600);
	uint8_t b[128];

	(void)state;
	assert_non_null(big);
	make_dgram();
	/* over-long: a fragment past 65535 bytes is marked and not used */
	feed(t, b, frag4(b, 5, 65528, 0, dgram, 16), 0);
	assert_true(pkt.malformed);
	assert_null(pkt.reasm);
	/* the largest: 65515 payload bytes (65535 with the header) in two
	 * fragments; one byte more is marked */
	memcpy(big + 200, dgram, 8);
	big[204] = 0xff;
	big[205] = 0xeb;		/* udp.length 65515 */
	feed(t, big + 20, frag4(big + 20, 6, 0, 1, big + 200, 32768), 0);
	assert_pending();
	feed(t, big, frag4(big, 6, 32768, 0, big + 100, 65515 - 32768), 0);
	assert_non_null(pkt.reasm);
	assert_int_equal(pkt.reasm_len, 65515);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_UDP_LENGTH, 0), 65515);
	assert_false(pkt.malformed);
	feed(t, big, frag4(big, 6, 32768, 0, big + 100, 65516 - 32768), 0);
	assert_true(pkt.malformed);
	sl_stream_table_free(t);
	free(big);
}

static void test_reasm_eviction(void **state)
{
	struct sl_stream_table *t = new_table();

	(void)state;
	make_dgram();
	/* 4097 datagrams wait: the oldest (id 0) is evicted */
	for (unsigned id = 0; id <= 4096; id++)
		feed4(t, id, 0, 16, 1);
	feed4(t, 0, 16, 40, 0);		/* waits, evicting id 1 */
	assert_pending();
	feed4(t, 4096, 16, 40, 0);
	assert_complete();
	feed4(t, 1, 16, 40, 0);
	assert_pending();
	feed4(t, 2, 16, 40, 0);
	assert_complete();
	sl_stream_table_free(t);
}

/* IPv6: src ::1, dst ::2, then exts (next headers chained), then a
 * fragment header (id, off, more, nxt 17) and the piece. */
static size_t frag6(uint8_t *b, const uint8_t *exts, size_t ne,
		    unsigned id, unsigned off, int more,
		    const uint8_t *pl, size_t n)
{
	size_t plen = ne + 8 + n;

	memset(b, 0, 40);
	b[0] = 0x60;
	b[4] = (uint8_t)(plen >> 8);
	b[5] = (uint8_t)plen;
	b[6] = ne ? 0 : 44;		/* hop-by-hop first when exts */
	b[7] = 64;
	b[23] = 1;
	b[39] = 2;
	memcpy(b + 40, exts, ne);
	b += 40 + ne;
	b[0] = 17;
	b[1] = 0;
	b[2] = (uint8_t)((off | (more ? 1 : 0)) >> 8);
	b[3] = (uint8_t)(off | (more ? 1 : 0));
	b[4] = (uint8_t)(id >> 24);
	b[5] = (uint8_t)(id >> 16);
	b[6] = (uint8_t)(id >> 8);
	b[7] = (uint8_t)id;
	memcpy(b + 8, pl, n);
	return 40 + ne + 8 + n;
}

static void test_reasm_ipv6(void **state)
{
	/* hop-by-hop (-> destination options) then destination options
	 * (-> fragment) before the fragment header */
	static const uint8_t exts[16] = {
		60, 0, 1, 4, 0, 0, 0, 0,
		44, 0, 1, 4, 0, 0, 0, 0,
	};
	struct sl_stream_table *t = new_table();
	struct sl_buf hex = SL_BUF_INIT;
	char line[SL_SUMMARY_MAX];
	uint8_t b[256];

	(void)state;
	make_dgram();
	feed(t, b, frag6(b, exts, 16, 0xabcdef, 24, 0, dgram + 24, 16), 0);
	assert_pending();
	assert_true(sl_pkt_has(&pkt, SL_F_IPV6_DSTOPTS));
	sl_render_summary(line, &pkt, 6);
	assert_non_null(strstr(line, "IPv6 fragment (off=24 more=n "
			       "ident=0x00abcdef nxt=17)"));
	/* the same id from another address pair is another datagram */
	b[39] = 3;
	feed(t, b, 40 + 16 + 8 + 24, 0);
	frag6(b, exts, 16, 0xabcdef, 0, 1, dgram, 24);
	feed(t, b, 40 + 16 + 8 + 24, 0);
	assert_complete();
	assert_int_equal(pkt.reasm_family, 6);
	sl_render_summary(line, &pkt, 6);
	assert_non_null(strstr(line, "UDP"));
	assert_int_equal(sl_render_hex(&hex, &pkt), 0);
	assert_non_null(strstr(hex.data, "Reassembled IPv6 (40 bytes):\n"
			       "0000  00 07 00 09 00 28"));
	sl_buf_release(&hex);
	sl_stream_table_free(t);
}

static void test_reasm_truncated_and_filters(void **state)
{
	struct sl_stream_table *t = new_table();
	struct sl_dfilter *udp, *alice;
	struct sl_fieldset want = { { 0 } };
	struct sl_err e;
	uint8_t b[128];
	char line[SL_SUMMARY_MAX];

	(void)state;
	make_dgram();
	/* a fragment the snaplen cut is not used: as without reassembly,
	 * the first one shows its transport as far as it goes */
	feed(t, b, frag4(b, 7, 0, 1, dgram, 16) - 4, 36);
	assert_true(sl_pkt_has(&pkt, SL_F_UDP));
	assert_false(pkt.malformed);
	feed4(t, 7, 16, 40, 0);
	assert_pending();
	/* every prefix of a fragment as a cut: never a read past the end */
	for (size_t n = 0; n < 36; n++) {
		frag4(b, 8, 16, 0, dgram + 16, 24);
		feed(t, b, n, 44);
		assert_null(pkt.reasm);
	}
	/* filters over the reassembled bytes, with the count-only want */
	assert_int_equal(sl_dfilter_compile(&udp, "udp.port == 9 && udp "
					    "contains \"bob\" && udp[0:2] == "
					    "00:07", NULL, NULL, &e), 0);
	assert_int_equal(sl_dfilter_compile(&alice, "udp.payload contains "
					    "\"alice\"", NULL, NULL, &e), 0);
	sl_dfilter_fields(udp, &want);
	feed_want = &want;
	feed4(t, 9, 0, 16, 1);
	assert_false(sl_dfilter_match(udp, &pkt));
	feed4(t, 9, 16, 40, 0);
	feed_want = NULL;
	assert_non_null(pkt.reasm);
	assert_true(sl_dfilter_match(udp, &pkt));
	sl_dissect(&pkt, t);		/* a duplicate: pending again */
	assert_false(sl_dfilter_match(alice, &pkt));
	feed4(t, 10, 16, 40, 0);
	feed4(t, 10, 0, 16, 1);
	assert_true(sl_dfilter_match(alice, &pkt));
	sl_render_summary(line, &pkt, 6);
	assert_non_null(strstr(line, "UDP 36 7 → 9 Len=32"));
	sl_dfilter_free(udp);
	sl_dfilter_free(alice);
	sl_stream_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_tcp_syn),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_relative_seq),
		cmocka_unit_test(test_malformed_headers),
		cmocka_unit_test(test_link_types),
		cmocka_unit_test(test_ipv6_ext_and_udp),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_wanted_fields),
		cmocka_unit_test(test_wanted_streams),
		cmocka_unit_test(test_reasm_orders),
		cmocka_unit_test(test_reasm_overlap_dup_missing),
		cmocka_unit_test(test_reasm_bounds),
		cmocka_unit_test(test_reasm_eviction),
		cmocka_unit_test(test_reasm_ipv6),
		cmocka_unit_test(test_reasm_truncated_and_filters),
	};

	page = (size_t)sysconf(_SC_PAGESIZE);
	guard_base = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard_base == MAP_FAILED ||
	    mprotect(guard_base + page, page, PROT_NONE) < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
