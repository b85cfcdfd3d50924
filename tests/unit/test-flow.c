/* test-flow.c - the flow graph's model and its terminal drawing (lib/render
 * flow.c, flowtext.c) on packets dissected from frames built here: tshark's
 * labels and comments, the lanes, the width bound, the row limit; and
 * -T fields' option words (tfields.c) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "socklab/render.h"

/* An Ethernet/IPv4/TCP frame between 192.0.2.1:40000 (the client) and
 * 192.0.2.2:80, with flags and len bytes of payload. */
static size_t frame(uint8_t *f, int from_client, unsigned flags,
		    uint32_t seq, uint32_t ack, unsigned len)
{
	static const uint8_t eth[14] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 8, 0 };
	uint8_t *ip = f + 14, *tcp = ip + 20;
	unsigned total = 20 + 20 + len;

	memset(f, 0, 14 + total);
	memcpy(f, eth, 14);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(total >> 8);
	ip[3] = (uint8_t)total;
	ip[8] = 64;
	ip[9] = 6;
	ip[12] = 192, ip[13] = 0, ip[14] = 2, ip[15] = from_client ? 1 : 2;
	ip[16] = 192, ip[17] = 0, ip[18] = 2, ip[19] = from_client ? 2 : 1;
	tcp[0] = from_client ? 0x9c : 0x00, tcp[1] = from_client ? 0x40 : 80;
	tcp[2] = from_client ? 0x00 : 0x9c, tcp[3] = from_client ? 80 : 0x40;
	for (int i = 0; i < 4; i++) {
		tcp[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
		tcp[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
	}
	tcp[12] = 0x50;
	tcp[13] = (uint8_t)flags;
	tcp[14] = 0xff;
	memset(tcp + 20, 'x', len);
	return 14 + total;
}

struct run {
	struct sl_stream_table *st;
	struct sl_frame_seq seq;
	struct sl_packet p;
	struct sl_fieldset want;
	uint8_t buf[2048];
};

static void add(struct run *r, struct sl_flow *f, int c, unsigned flags,
		uint32_t s, uint32_t a, unsigned len)
{
	size_t n = frame(r->buf, c, flags, s, a, len);
	int want = f->nrows < f->max_rows;	/* room for its row */

	sl_packet_frame(&r->p, &r->seq, (int64_t)r->seq.frames * 250000000 +
			1700000000000000000LL, r->buf, (uint32_t)n, (uint32_t)n);
	sl_dissect_fields(&r->p, r->st, &r->want);
	assert_int_equal(sl_flow_add(f, &r->p), want);
}

static void handshake(struct run *r, struct sl_flow *f)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(sl_stream_table_new(&r->st, NULL), 0);
	r->seq.linktype = SL_LINK_ETHERNET;
	sl_flow_fields(&r->want);
	add(r, f, 1, 0x02, 1000, 0, 0);
	add(r, f, 0, 0x12, 5000, 1001, 0);
	add(r, f, 1, 0x10, 1001, 5001, 0);
	add(r, f, 1, 0x18, 1001, 5001, 6);
}

static void test_labels(void **state)
{
	char s[SL_FLOW_TEXT_MAX];

	(void)state;
	assert_int_equal(sl_flow_label(s, sizeof(s), 0x12, 0), 8);
	assert_string_equal(s, "SYN, ACK");
	sl_flow_label(s, sizeof(s), 0x19, 264);
	assert_string_equal(s, "FIN, PSH, ACK - Len: 264");
	sl_flow_label(s, sizeof(s), 0, 0);
	assert_string_equal(s, "<None>");
	sl_flow_label(s, sizeof(s), 0x1ff, 0);
	assert_string_equal(s, "FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, NS");
	sl_flow_comment(s, sizeof(s), 0x02, 0, 99);
	assert_string_equal(s, "Seq = 0");
	sl_flow_comment(s, sizeof(s), 0x10, 1, 7);
	assert_string_equal(s, "Seq = 1 Ack = 7");
	/* cut to the buffer, always terminated */
	assert_int_equal(sl_flow_label(s, 6, 0x12, 0), 5);
	assert_string_equal(s, "SYN, ");
}

static void test_graph(void **state)
{
	struct sl_flow f;
	struct sl_buf b = SL_BUF_INIT;
	struct run *r = malloc(sizeof(*r));

	(void)state;
	sl_flow_init(&f, 0);
	handshake(r, &f);
	assert_int_equal(f.nrows, 4);
	assert_int_equal(f.nconv, 1);
	assert_string_equal(f.conv[0].a, "192.0.2.1:40000");
	assert_string_equal(f.conv[0].b, "192.0.2.2:80");
	assert_int_equal(f.row[1].from_b, 1);
	assert_int_equal(sl_flow_text(&b, &f, 0, NULL, NULL), 0);
	assert_non_null(strstr(b.data, "TCP stream 0: 192.0.2.1:40000 and 192.0.2.2:80, 4 packets\n"));
	assert_non_null(strstr(b.data, "    2  0.250000  |<"));
	assert_non_null(strstr(b.data, " SYN, ACK "));
	assert_non_null(strstr(b.data, "|  Seq = 0 Ack = 1\n"));
	assert_non_null(strstr(b.data, " PSH, ACK - Len: 6 "));
	assert_non_null(strstr(b.data, "->|  Seq = 1 Ack = 1\n"));
	/* 40 columns: every line's arrow ends within them */
	sl_buf_reset(&b);
	assert_int_equal(sl_flow_text(&b, &f, 40, NULL, NULL), 0);
	for (char *l = b.data, *e; *l; l = e + 1) {
		char *bar = strstr(l, "|  ");

		e = strchr(l, '\n');
		assert_non_null(e);
		if (bar && bar < e)
			assert_true(bar - l + 1 <= 40);
	}
	sl_buf_release(&b);
	sl_flow_release(&f);
	sl_stream_table_free(r->st);
	free(r);
}

static void test_row_limit(void **state)
{
	struct sl_flow f;
	struct sl_buf b = SL_BUF_INIT;
	struct run *r = malloc(sizeof(*r));

	(void)state;
	sl_flow_init(&f, 3);
	handshake(r, &f);
	assert_int_equal(f.nrows, 3);
	assert_int_equal(f.left_out, 1);
	assert_int_equal(sl_flow_text(&b, &f, 0, NULL, NULL), 0);
	assert_non_null(strstr(b.data, "1 TCP packet after the first 3 left out"));
	sl_buf_release(&b);
	sl_flow_release(&f);
	sl_stream_table_free(r->st);
	free(r);
}

static void test_tfields_options(void **state)
{
	struct sl_tfields t;
	struct sl_err e;

	(void)state;
	sl_tfields_init(&t);
	assert_int_equal(t.separator, '\t');
	assert_int_equal(sl_tfields_option(&t, "separator=/s", &e), 0);
	assert_int_equal(t.separator, ' ');
	assert_int_equal(sl_tfields_option(&t, "separator=;x", &e), 0);
	assert_int_equal(t.separator, ';');
	assert_int_equal(sl_tfields_option(&t, "aggregator=/q", &e), 0);
	assert_int_equal(t.aggregator, '\\');
	assert_int_equal(sl_tfields_option(&t, "occurrence=l", &e), 0);
	assert_int_equal(t.occurrence, SL_OCC_LAST);
	assert_int_equal(sl_tfields_option(&t, "occurrence=3", &e), 0);
	assert_int_equal(t.occurrence, 3);
	assert_int_equal(sl_tfields_option(&t, "occurrence=0", &e), -EINVAL);
	assert_int_equal(sl_tfields_option(&t, "quote=x", &e), -EINVAL);
	assert_non_null(strstr(e.msg, "quote=d|s|n"));
	assert_int_equal(sl_tfields_option(&t, "header", &e), -EINVAL);
	assert_non_null(strstr(e.msg, "is not NAME=VALUE"));
	assert_int_equal(sl_tfields_option(&t, "separator=", &e), -EINVAL);
	assert_int_equal(sl_tfields_option(&t, "col\x1bor=y", &e), -EINVAL);
	assert_null(strchr(e.msg, 0x1b));
	assert_int_equal(sl_tfields_add(&t, "tcp.srcprot", &e), -ENOENT);
	assert_non_null(strstr(e.msg, "did you mean tcp.srcport?"));
	assert_int_equal(sl_tfields_add(&t, "tcp.srcport", &e), 0);
	assert_int_equal(t.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_graph),
		cmocka_unit_test(test_row_limit),
		cmocka_unit_test(test_tfields_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
