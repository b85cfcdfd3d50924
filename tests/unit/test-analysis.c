/* test-analysis.c - TCP's sequence analysis (lib/dissect/analysis.c)
 * through libsocklab: crafted segment sequences, each frame's flags and
 * numbers as tshark 4.0 gives them for the same frames (the sequences
 * were checked against tshark -T fields when written), the Info
 * prefixes, the analysis off when no SEQ field is wanted, and the
 * bounded ring of unacknowledged segments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "socklab/dissect.h"
#include "socklab/render.h"

enum { F = 0x01, S = 0x02, R = 0x04, P = 0x08, A = 0x10 };

static struct sl_packet pkt;
static struct sl_frame_seq seq;
static uint8_t frame[1600];

struct seg {
	int ms;			/* time, ms */
	int from_b;		/* direction: 0 A->B, 1 B->A */
	uint32_t seq, ack;	/* raw */
	unsigned flags, len, win;
	uint32_t sle, sre;	/* one SACK block, 0 0 none */
};

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* A raw IPv4 packet with the segment; dissected through t with want
 * (NULL: every field). */
static void send_seg(struct sl_stream_table *t, const struct seg *s,
		     const struct sl_fieldset *want)
{
	unsigned hl = s->sle || s->sre ? 32 : 20;
	unsigned tot = 20 + hl + s->len;
	uint8_t *ip = frame, *tcp = frame + 20;

	memset(frame, 0, sizeof(frame));
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[8] = 64;
	ip[9] = 6;
	ip[12] = 10, ip[15] = s->from_b ? 2 : 1;
	ip[16] = 10, ip[19] = s->from_b ? 1 : 2;
	tcp[0] = s->from_b ? 0 : 0x9c, tcp[1] = s->from_b ? 80 : 0x40;
	tcp[2] = s->from_b ? 0x9c : 0, tcp[3] = s->from_b ? 0x40 : 80;
	put32(tcp + 4, s->seq);
	put32(tcp + 8, s->ack);
	tcp[12] = (uint8_t)(hl / 4 << 4);
	tcp[13] = (uint8_t)s->flags;
	tcp[14] = (uint8_t)(s->win >> 8);
	tcp[15] = (uint8_t)s->win;
	if (hl == 32) {
		tcp[20] = 1, tcp[21] = 1, tcp[22] = 5, tcp[23] = 10;
		put32(tcp + 24, s->sle);
		put32(tcp + 28, s->sre);
	}
	memset(tcp + hl, 'x', s->len);
	sl_packet_frame(&pkt, &seq, (int64_t)s->ms * 1000000, frame, tot, tot);
	sl_dissect_fields(&pkt, t, want);
}

static struct sl_stream_table *fresh(void)
{
	struct sl_stream_table *t;

	memset(&seq, 0, sizeof(seq));
	seq.linktype = SL_LINK_RAW;
	assert_int_equal(sl_stream_table_new(&t, NULL), 0);
	return t;
}

static int has(int field)
{
	return sl_pkt_has(&pkt, field);
}

/* The flags of a frame, as the field ids that must be there; every
 * other flag must be absent. */
static const int flag_fields[] = {
	SL_F_TCP_ANALYSIS_RETRANSMISSION, SL_F_TCP_ANALYSIS_FAST_RETRANSMISSION,
	SL_F_TCP_ANALYSIS_SPURIOUS_RETRANSMISSION,
	SL_F_TCP_ANALYSIS_OUT_OF_ORDER, SL_F_TCP_ANALYSIS_LOST_SEGMENT,
	SL_F_TCP_ANALYSIS_ACK_LOST_SEGMENT, SL_F_TCP_ANALYSIS_DUPLICATE_ACK,
	SL_F_TCP_ANALYSIS_ZERO_WINDOW, SL_F_TCP_ANALYSIS_ZERO_WINDOW_PROBE,
	SL_F_TCP_ANALYSIS_ZERO_WINDOW_PROBE_ACK,
	SL_F_TCP_ANALYSIS_WINDOW_FULL, SL_F_TCP_ANALYSIS_WINDOW_UPDATE,
	SL_F_TCP_ANALYSIS_KEEP_ALIVE, SL_F_TCP_ANALYSIS_KEEP_ALIVE_ACK,
};

static void expect_flags(const int *want, size_t n)
{
	for (size_t i = 0; i < sizeof(flag_fields) / sizeof(flag_fields[0]);
	     i++) {
		int expected = 0;

		for (size_t k = 0; k < n; k++)
			expected |= want[k] == flag_fields[i];
		if (has(flag_fields[i]) != expected)
			fail_msg("frame %llu: %s %s", (unsigned long long)pkt.number,
				 sl_fields[flag_fields[i]].name,
				 expected ? "missing" : "unexpected");
	}
	assert_int_equal(has(SL_F_TCP_ANALYSIS_FLAGS), n > 0);
}

#define EXPECT(...) do { \
	static const int w_[] = { 0, __VA_ARGS__ }; \
	expect_flags(w_ + 1, sizeof(w_) / sizeof(w_[0]) - 1); \
} while (0)
#define NONE() expect_flags(NULL, 0)

static const char *info(void)
{
	static char out[SL_SUMMARY_MAX];

	sl_render_info(out, sizeof(out), &pkt);
	return out;
}

/* A handshake with window scale 0 both ways and SACK permitted: frames
 * 1-3, ISNs 99 and 499 (relative 0). */
static void handshake(struct sl_stream_table *t)
{
	static const struct seg hs[] = {
		{ 1000, 0, 99, 0, S, 0, 512, 0, 0 },
		{ 1010, 1, 499, 100, S | A, 0, 512, 0, 0 },
		{ 1020, 0, 100, 500, A, 0, 512, 0, 0 },
	};

	for (size_t i = 0; i < 3; i++)
		send_seg(t, &hs[i], NULL);
}

/* loss, dup ACKs with SACK, fast retransmission, bytes in flight less
 * the SACKed ones, the iRTT, acks_frame and its RTT */
static void test_loss_and_fast_retransmission(void **state)
{
	struct sl_stream_table *t = fresh();
	static const struct seg s[] = {
		{ 1030, 0, 100, 500, A, 100, 512, 0, 0 },	/* 4 */
		{ 1031, 0, 200, 500, A, 100, 512, 0, 0 },	/* 5 */
		{ 1033, 0, 400, 500, A, 100, 512, 0, 0 },	/* 6: 300 lost */
		{ 1034, 0, 500, 500, P | A, 100, 512, 0, 0 },	/* 7 */
		{ 1040, 1, 500, 300, A, 0, 512, 0, 0 },	/* 8 */
		{ 1041, 1, 500, 300, A, 0, 512, 400, 500 },	/* 9 */
		{ 1042, 1, 500, 300, A, 0, 512, 400, 600 },	/* 10 */
		{ 1043, 0, 300, 500, A, 100, 512, 0, 0 },	/* 11 */
		{ 1050, 1, 500, 600, A, 0, 512, 0, 0 },	/* 12 */
	};

	(void)state;
	handshake(t);
	/* the handshake's ACK acknowledges the SYN/ACK */
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_ANALYSIS_ACKS_FRAME, 0), 2);
	assert_false(has(SL_F_TCP_ANALYSIS_FLAGS));
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_COMPLETENESS, 99), 3);
	send_seg(t, &s[0], NULL);
	NONE();
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_ANALYSIS_BYTES_IN_FLIGHT, 0),
			 100);
	assert_int_equal(sl_pkt_get(&pkt, SL_F_TCP_ANALYSIS_INITIAL_RTT)->v.ns,
			 20000000);
	assert_int_equal(sl_pkt_get(&pkt, SL_F_TCP_TIME_RELATIVE)->v.ns,
			 30000000);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_COMPLETENESS, 0), 7);
	send_seg(t, &s[1], NULL);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_ANALYSIS_BYTES_IN_FLIGHT, 0),
			 200);
	send_seg(t, &s[2], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_LOST_SEGMENT);
	assert_string_equal(info(), "[TCP Previous segment not captured] "
			    "40000 → 80 [ACK] Seq=301 Ack=1 Win=512 Len=100");
	assert_false(has(SL_F_TCP_ANALYSIS_BYTES_IN_FLIGHT));
	send_seg(t, &s[3], NULL);
	NONE();
	send_seg(t, &s[4], NULL);		/* acks frame 5 */
	NONE();
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_ANALYSIS_ACKS_FRAME, 0), 5);
	assert_int_equal(sl_pkt_get(&pkt, SL_F_TCP_ANALYSIS_ACK_RTT)->v.ns,
			 9000000);
	send_seg(t, &s[5], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_DUPLICATE_ACK);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_ANALYSIS_DUPLICATE_ACK_NUM,
				     0), 1);
	assert_int_equal(sl_pkt_uint(&pkt,
				     SL_F_TCP_ANALYSIS_DUPLICATE_ACK_FRAME, 0), 8);
	assert_int_equal(sl_pkt_count(&pkt, SL_F_TCP_ANALYSIS_DUPLICATE_ACK), 2);
	assert_string_equal(info(), "[TCP Dup ACK 8#1] 80 → 40000 [ACK] "
			    "Seq=1 Ack=201 Win=512 Len=0 SLE=301 SRE=401");
	send_seg(t, &s[6], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_DUPLICATE_ACK);
	send_seg(t, &s[7], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_FAST_RETRANSMISSION,
	       SL_F_TCP_ANALYSIS_RETRANSMISSION);
	assert_string_equal(info(), "[TCP Fast Retransmission] 40000 → 80 "
			    "[ACK] Seq=201 Ack=1 Win=512 Len=100");
	/* 201-501 outstanding, less 301-501 SACKed */
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_ANALYSIS_BYTES_IN_FLIGHT, 0),
			 100);
	send_seg(t, &s[8], NULL);
	NONE();
	sl_stream_table_free(t);
}

/* spurious retransmission, keep-alive and its ACK, window update, window
 * full, zero window, its probe and the probe's ACK, out-of-order, ACKed
 * unseen segment, and a reused 4-tuple */
static void test_every_other_flag(void **state)
{
	struct sl_stream_table *t = fresh();
	static const struct seg s[] = {
		{ 1060, 0, 100, 500, P | A, 50, 512, 0, 0 },	/* 4 */
		{ 1070, 1, 500, 150, A, 0, 512, 0, 0 },	/* 5 */
		{ 2070, 0, 100, 500, P | A, 50, 512, 0, 0 },	/* 6 spur */
		{ 3000, 0, 149, 500, A, 0, 512, 0, 0 },	/* 7 k-a */
		{ 3010, 1, 500, 150, A, 0, 512, 0, 0 },	/* 8 k-a ack */
		{ 3020, 1, 500, 150, A, 0, 1000, 0, 0 },	/* 9 update */
		{ 3030, 0, 150, 500, A, 1000, 512, 0, 0 },	/* 10 full */
		{ 3040, 1, 500, 1150, A, 0, 0, 0, 0 },		/* 11 zero */
		{ 3050, 0, 1150, 500, A, 1, 512, 0, 0 },	/* 12 probe */
		{ 3060, 1, 500, 1150, A, 0, 0, 0, 0 },		/* 13 ack */
		{ 3070, 1, 500, 1150, A, 0, 800, 0, 0 },	/* 14 update */
		{ 3080, 0, 1150, 500, P | A, 10, 512, 0, 0 },	/* 15 */
		{ 3081, 0, 1180, 500, P | A, 10, 512, 0, 0 },	/* 16 lost */
		{ 3081, 0, 1160, 500, P | A, 20, 512, 0, 0 },	/* 17 ooo */
		{ 3090, 1, 500, 1300, A, 0, 512, 0, 0 },	/* 18 unseen */
		{ 4000, 0, 5000, 0, S, 0, 512, 0, 0 },		/* 19 reuse */
	};

	(void)state;
	handshake(t);
	send_seg(t, &s[0], NULL);
	NONE();
	send_seg(t, &s[1], NULL);
	NONE();
	send_seg(t, &s[2], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_SPURIOUS_RETRANSMISSION,
	       SL_F_TCP_ANALYSIS_RETRANSMISSION);
	assert_string_equal(info(), "[TCP Spurious Retransmission] 40000 → 80 "
			    "[PSH, ACK] Seq=1 Ack=1 Win=512 Len=50");
	send_seg(t, &s[3], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_KEEP_ALIVE);
	send_seg(t, &s[4], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_KEEP_ALIVE_ACK);
	send_seg(t, &s[5], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_WINDOW_UPDATE);
	send_seg(t, &s[6], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_WINDOW_FULL);
	send_seg(t, &s[7], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_ZERO_WINDOW);
	assert_string_equal(info(), "[TCP ZeroWindow] 80 → 40000 [ACK] Seq=1 "
			    "Ack=1051 Win=0 Len=0");
	send_seg(t, &s[8], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_ZERO_WINDOW_PROBE);
	send_seg(t, &s[9], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_ZERO_WINDOW_PROBE_ACK,
	       SL_F_TCP_ANALYSIS_ZERO_WINDOW);
	assert_string_equal(info(), "[TCP ZeroWindowProbeAck] [TCP ZeroWindow] "
			    "80 → 40000 [ACK] Seq=1 Ack=1051 Win=0 Len=0");
	send_seg(t, &s[10], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_WINDOW_UPDATE);
	send_seg(t, &s[11], NULL);
	NONE();
	send_seg(t, &s[12], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_LOST_SEGMENT);
	send_seg(t, &s[13], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_OUT_OF_ORDER);
	send_seg(t, &s[14], NULL);
	EXPECT(SL_F_TCP_ANALYSIS_ACK_LOST_SEGMENT);
	send_seg(t, &s[15], NULL);
	assert_true(has(SL_F_TCP_ANALYSIS_REUSED_PORTS));
	assert_true(has(SL_F_TCP_ANALYSIS_FLAGS));
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_STREAM, 9), 1);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_COMPLETENESS, 0), 1);
	assert_int_equal(sl_pkt_get(&pkt, SL_F_TCP_TIME_RELATIVE)->v.ns, 0);
	sl_stream_table_free(t);
}

/* Without a SEQ field wanted nothing of the analysis is made; with one,
 * exactly what a full dissection makes. */
static void test_only_when_wanted(void **state)
{
	struct sl_stream_table *t = fresh();
	struct sl_fieldset conv = { { 0 } }, one = { { 0 } };
	static const struct seg d = { 1030, 0, 100, 500, A, 100, 512, 0, 0 };

	(void)state;
	sl_fieldset_add(&conv, SL_F_TCP_STREAM);
	sl_fieldset_add(&one, SL_F_TCP_ANALYSIS_BYTES_IN_FLIGHT);
	handshake(t);
	send_seg(t, &d, &conv);
	assert_true(has(SL_F_TCP_STREAM));
	assert_false(has(SL_F_TCP_ANALYSIS_BYTES_IN_FLIGHT));
	assert_false(has(SL_F_TCP_TIME_RELATIVE));
	sl_stream_table_free(t);
	t = fresh();
	handshake(t);
	send_seg(t, &d, &one);
	assert_int_equal(pkt.nvals, 1);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_ANALYSIS_BYTES_IN_FLIGHT, 0),
			 100);
	sl_stream_table_free(t);
}

/* More unacknowledged segments than the ring holds: the bytes in flight
 * stay exact (the oldest fold into one span), and an ACK of a segment
 * still in the ring names it. */
static void test_ring_overflow(void **state)
{
	struct sl_stream_table *t = fresh();
	struct seg s = { 1030, 0, 100, 500, A, 100, 65535, 0, 0 };
	struct seg ack = { 1500, 1, 500, 0, A, 0, 65535, 0, 0 };

	(void)state;
	handshake(t);
	for (unsigned i = 0; i < 200; i++) {
		s.seq = 100 + 100 * i;
		s.ms = 1030 + (int)i;
		send_seg(t, &s, NULL);
		assert_int_equal(sl_pkt_uint(&pkt,
				SL_F_TCP_ANALYSIS_BYTES_IN_FLIGHT, 0), 100 * (i + 1));
	}
	ack.ack = 100 + 100 * 50;	/* the 72 oldest are in the span */
	send_seg(t, &ack, NULL);
	assert_false(has(SL_F_TCP_ANALYSIS_ACKS_FRAME));
	ack.ack = 100 + 100 * 90;	/* a segment in the ring: frame 93 */
	ack.ms++;
	send_seg(t, &ack, NULL);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_ANALYSIS_ACKS_FRAME, 0), 93);
	s.seq = 100 + 100 * 200;
	s.ms = 1600;
	send_seg(t, &s, NULL);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_TCP_ANALYSIS_BYTES_IN_FLIGHT, 0),
			 11100);
	sl_stream_table_free(t);
}

/* udp.stream: each conversation its number, in order of appearance,
 * both directions one */
static void test_udp_stream(void **state)
{
	struct sl_stream_table *t = fresh();
	uint8_t u[28] = { 0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0,
			  10, 0, 0, 1, 10, 0, 0, 2,
			  0x13, 0x88, 0x00, 0x35, 0, 8, 0, 0 };

	(void)state;
	sl_packet_frame(&pkt, &seq, 0, u, 28, 28);
	sl_dissect_fields(&pkt, t, NULL);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_UDP_STREAM, 9), 0);
	u[21] = 0x89;			/* another source port */
	sl_packet_frame(&pkt, &seq, 0, u, 28, 28);
	sl_dissect_fields(&pkt, t, NULL);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_UDP_STREAM, 9), 1);
	/* the reply to the first */
	memcpy(u + 12, (const uint8_t[]){ 10, 0, 0, 2, 10, 0, 0, 1,
					  0x00, 0x35, 0x13, 0x88 }, 12);
	sl_packet_frame(&pkt, &seq, 0, u, 28, 28);
	sl_dissect_fields(&pkt, t, NULL);
	assert_int_equal(sl_pkt_uint(&pkt, SL_F_UDP_STREAM, 9), 0);
	/* TCP numbers its own */
	assert_int_equal(sl_stream_count(t), 0);
	sl_stream_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loss_and_fast_retransmission),
		cmocka_unit_test(test_every_other_flag),
		cmocka_unit_test(test_only_when_wanted),
		cmocka_unit_test(test_ring_overflow),
		cmocka_unit_test(test_udp_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
