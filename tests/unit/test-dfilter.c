/* test-dfilter.c - the display filter: lexer, parser (precedence, error
 * columns), checker and evaluator on packets built by hand, BPF output */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "../../lib/dfilter/dfilter-int.h"
#include "socklab/dfilter.h"

/* ---- lexer ---- */

/* Lexes text into t; the caller releases a. */
static void lex(const char *text, struct df_arena *a, struct df_tokens *t)
{
	struct sl_err e;
	struct df_ctx c = { .arena = a, .text = text, .e = &e };

	if (df_lex(&c, t) < 0)
		fail_msg("%s: %s", text, e.msg);
}

static void test_lex_columns(void **state)
{
	static const char text[] =
		"ip.addr==127.0.0.1&&tcp.port in {80, 8000..8080} || !udp";
	static const struct { enum df_tok t; int col, len; } want[] = {
		{ T_WORD, 0, 7 }, { T_EQ, 7, 2 }, { T_WORD, 9, 9 },
		{ T_AND, 18, 2 }, { T_WORD, 20, 8 }, { T_IN, 29, 2 },
		{ T_LBRACE, 32, 1 }, { T_WORD, 33, 2 }, { T_COMMA, 35, 1 },
		{ T_WORD, 37, 4 }, { T_DOTDOT, 41, 2 }, { T_WORD, 43, 4 },
		{ T_RBRACE, 47, 1 }, { T_OR, 49, 2 }, { T_NOT, 52, 1 },
		{ T_WORD, 53, 3 }, { T_END, 56, 1 },
	};
	struct df_arena a = { 0 };
	struct df_tokens t;

	(void)state;
	lex(text, &a, &t);
	assert_int_equal(t.n, SL_ARRAY_SIZE(want));
	for (size_t i = 0; i < t.n; i++) {
		assert_int_equal(t.v[i].type, want[i].t);
		assert_int_equal(t.v[i].col, want[i].col);
		assert_int_equal(t.v[i].len, want[i].len);
	}
	df_arena_release(&a);
}

static void test_lex_spellings(void **state)
{
	static const struct { const char *s; enum df_tok t; } ops[] = {
		{ "==", T_EQ }, { "eq", T_EQ }, { "any_eq", T_EQ },
		{ "!=", T_NE }, { "ne", T_NE }, { "all_ne", T_NE },
		{ "===", T_ALL_EQ }, { "all_eq", T_ALL_EQ },
		{ "!==", T_ANY_NE }, { "~=", T_ANY_NE }, { "any_ne", T_ANY_NE },
		{ "<", T_LT }, { "lt", T_LT }, { ">", T_GT }, { "gt", T_GT },
		{ "<=", T_LE }, { "le", T_LE }, { ">=", T_GE }, { "ge", T_GE },
		{ "&&", T_AND }, { "and", T_AND }, { "||", T_OR },
		{ "or", T_OR }, { "!", T_NOT }, { "not", T_NOT },
		{ "~", T_MATCHES }, { "matches", T_MATCHES },
		{ "contains", T_CONTAINS }, { "&", T_BAND },
		{ "bitwise_and", T_BAND }, { "in", T_IN },
	};

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_SIZE(ops); i++) {
		struct df_arena a = { 0 };
		struct df_tokens t;

		lex(ops[i].s, &a, &t);
		assert_int_equal(t.n, 2);
		assert_int_equal(t.v[0].type, ops[i].t);
		df_arena_release(&a);
	}
}

static void test_lex_strings(void **state)
{
	static const char text[] =
		"\"a\\x41\\101\\n\\\"\\\\\" 'b' '\\x7f' r\"\\d+\"";
	struct df_arena a = { 0 };
	struct df_tokens t;

	(void)state;
	lex(text, &a, &t);
	assert_int_equal(t.v[0].type, T_STRING);
	assert_int_equal(t.v[0].n, 6);
	assert_memory_equal(t.v[0].text, "aAA\n\"\\", 6);
	assert_int_equal(t.v[1].type, T_CHAR);
	assert_int_equal(t.v[1].num, 'b');
	assert_int_equal(t.v[2].num, 0x7f);
	assert_int_equal(t.v[3].type, T_STRING);
	assert_int_equal(t.v[3].n, 3);
	assert_memory_equal(t.v[3].text, "\\d+", 3);
	df_arena_release(&a);
}

/* ---- parser ---- */

/* The tree as a string: (a || (b && c)) */
static void show(const struct df_ast *n, char *out, size_t cap)
{
	char l[256] = "", r[256] = "";

	switch (n->kind) {
	case A_AND:
	case A_OR:
		show(n->l, l, sizeof(l));
		show(n->r, r, sizeof(r));
		/* (the trees tested are short: truncation only shortens
		 * a failing test's message) */
		if (snprintf(out, cap, "(%s %s %s)", l,
			     n->kind == A_AND ? "&&" : "||", r) >= (int)cap)
			out[cap - 1] = '\0';
		break;
	case A_NOT:
		show(n->l, l, sizeof(l));
		snprintf(out, cap, "!%s", l);
		break;
	default:
		snprintf(out, cap, "%.*s", n->a->tok->len, n->a->tok->text);
		break;
	}
}

static void test_parse_precedence(void **state)
{
	static const char *const cases[][2] = {
		{ "a || b && c", "(a || (b && c))" },
		{ "a && b || c", "((a && b) || c)" },
		{ "!a && b", "(!a && b)" },
		{ "!(a || b)", "!(a || b)" },
		{ "not a or not b and c", "(!a || (!b && c))" },
		{ "a and b and c", "((a && b) && c)" },
		{ "!!a", "!!a" },
		{ "(a || b) && c", "((a || b) && c)" },
		{ "a == 1 || b != 2 && c", "(a || (b && c))" },
		{ "a not in {1} && b", "(!a && b)" },
	};

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_SIZE(cases); i++) {
		struct df_arena a = { 0 };
		struct sl_err e;
		struct df_ctx c = { .arena = &a, .text = cases[i][0], .e = &e };
		struct df_tokens t;
		struct df_ast *ast;
		char got[512];

		lex(cases[i][0], &a, &t);
		assert_int_equal(df_parse(&c, &t, &ast), 0);
		show(ast, got, sizeof(got));
		assert_string_equal(got, cases[i][1]);
		df_arena_release(&a);
	}
}

/* ---- errors: column, length, words ---- */

static void test_errors(void **state)
{
	static const struct {
		const char *f;
		int col, len;
		const char *msg;
	} cases[] = {
		{ "ip.adr == 1", 0, 6, "unknown field \"ip.adr\" — did you mean \"ip.addr\"?" },
		{ "ip.addr == 1", 11, 1, "is not an IPv4 address: ip.addr is an IPv4 address" },
		{ "ip.addr ==", 10, 1, "unexpected end of filter: expected a field or a value" },
		{ "(ip.addr == 1.2.3.4", 0, 1, "has no closing \")\"" },
		{ "ip.addr == 1.2.3.4)", 18, 1, "\")\" was unexpected" },
		{ "tcp.port == \"80\"", 12, 4, "tcp.port is an unsigned integer, not a string" },
		{ "tcp.port == 80 &&", 17, 1, "unexpected end of filter" },
		{ "ip.addr == 127.0.0.1/33", 11, 12, "prefix length" },
		{ "tcp.payload matches \"(\"", 20, 3, "bad regular expression" },
		{ "tcp.port > 1..2", 12, 2, "\"..\" was unexpected" },
		{ "tcp.port in {}", 13, 1, "\"}\" was unexpected" },
		{ "ip.proto == tcp", 12, 3, "cannot be compared" },
		{ "80 == tcp.port", 0, 2, "must be a field, not the value 80" },
		{ "tcp.port contains 80", 9, 8, "\"contains\" needs bytes" },
		{ "tcp.srcport[0] == 1", 0, 11, "cannot be sliced" },
		{ "tcp.payload == \"abc", 15, 4, "no closing quote" },
		{ "tcp.flags.syn == true", 17, 4, "is not a boolean" },
		{ "frame.time_relative > 1e-1", 22, 4, "is not a time in seconds" },
		{ "eth.src == 00:11", 11, 5, "is not a MAC address" },
		{ "tcp.port == 80 ^^ udp", 15, 2, "xor" },
		{ "tcp.port $ 80", 9, 1, "\"$\" is not allowed here" },
		{ "host 127.0.0.1", 5, 9, "capture filter (tcpdump syntax); the display filter is 'ip.addr==127.0.0.1'" },
		{ "port 80", 5, 2, "the display filter is '(tcp.port==80 || udp.port==80)'" },
		{ "tcp port 80", 4, 4, "the display filter is 'tcp.port==80'" },
		{ "src host ::1 and dst port 22", 4, 4, "'ipv6.src==::1 && (tcp.dstport==22 || udp.dstport==22)'" },
		{ "ether host 00:00:00:00:00:00", 6, 4, "capture filter (tcpdump syntax): give it with -f" },
		{ "len(tcp.payload)", 0, 3, "needs a comparison" },
		{ "nosuch(tcp) == 1", 0, 6, "unknown function" },
		{ "all tcp.port", 12, 1, "a comparison after" },
		{ "\"a\" == tcp.payload", 0, 3, "must be a field, not the value" },
		{ "tcp && 1", 7, 1, "1 is neither a field nor a protocol name" },
		{ "tcp.flags | 2", 10, 1, "(bitwise or) is not supported" },
		{ "ip.addr == localhost", 11, 9, "host names are not resolved" },
		{ "ip.src contains 7f", 7, 8, "slice it (ip.src[0:2] == c0:a8)" },
		{ "${foo} == 1", 0, 6, "unknown field \"foo\"" },
		{ "tcp.port#0 == 80", 8, 2, "layers count from 1" },
		{ "ip.ttl + 1 == 2 + 3", 16, 1, "arithmetic on two values: one side must be a field" },
		{ "tcp.flags.syn + 1 == 2", 14, 1, "needs numbers, and tcp.flags.syn is a boolean" },
		{ "upper(tcp.payload) == \"A\"", 0, 5, "upper() takes a text field" },
		{ "vals(tcp.port)", 0, 4, "unknown function \"vals\"" },
		{ "frame[0:0] == 00", 5, 5, "a length is positive" },
		{ "ip.flags.df == \"True\"", 15, 6, "\"Set\" or \"Not set\"" },
		{ "ip.proto == \"nosuch\"", 12, 8, "a name such as" },
	};

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_SIZE(cases); i++) {
		struct sl_err e;
		int col = -2, len = -2;
		/* not NULL before: a failed compile must set it to NULL */
		struct sl_dfilter *f = (struct sl_dfilter *)&e;
		int rc = sl_dfilter_compile(&f, cases[i].f, &col, &len, &e);

		if (f || col != cases[i].col || len != cases[i].len ||
		    !strstr(e.msg, cases[i].msg))
			print_error("filter %s: col %d len %d msg %s\n",
				    cases[i].f, col, len, f ? "(compiled)" : e.msg);
		assert_null(f);
		assert_int_equal(rc, -EINVAL);
		assert_int_equal(e.code, -EINVAL);
		assert_int_equal(col, cases[i].col);
		assert_int_equal(len, cases[i].len);
		assert_non_null(strstr(e.msg, cases[i].msg));
	}
}

/* Nesting is bounded: every stage recurses over it. */
static void test_depth(void **state)
{
	char deep[256], flat[256];
	struct sl_err e;
	struct sl_dfilter *f;
	int col, len;

	(void)state;
	memset(deep, '!', 120);
	strcpy(deep + 120, "tcp");
	assert_int_equal(sl_dfilter_compile(&f, deep, &col, &len, &e),
			 -EINVAL);
	assert_non_null(strstr(e.msg, "nests more than 100 levels"));
	memset(flat, '!', 90);
	strcpy(flat + 90, "tcp");
	assert_int_equal(sl_dfilter_compile(&f, flat, &col, &len, &e), 0);
	sl_dfilter_free(f);
}

static void test_format_error(void **state)
{
	struct sl_buf b = SL_BUF_INIT;

	(void)state;
	assert_int_equal(sl_dfilter_format_error(&b, "socklab capture: ",
			 "ip.adr == 1", "unknown field", 0, 6), 0);
	assert_string_equal(b.data,
		"socklab capture: bad display filter: \"ip.adr == 1\"\n"
		"                                      ^~~~~~\n"
		"unknown field\n");
	sl_buf_reset(&b);
	/* the caret follows the escaped text; the end of the filter too */
	assert_int_equal(sl_dfilter_format_error(&b, NULL, "\t==", "m", 3, 1),
			 0);
	assert_string_equal(b.data, "bad display filter: \"\\t==\"\n"
				    "                         ^\nm\n");
	sl_buf_release(&b);
}

/* ---- evaluation on packets built by hand ---- */

static uint8_t payload[] = "alice\n";
static uint8_t v6a[16] = { [15] = 1 };
static uint8_t mac0[6];

static struct sl_fval *put(struct sl_packet *p, int field, uint64_t u)
{
	struct sl_fval *v = &p->vals[p->nvals];
	uint8_t *link = &p->first[field];

	memset(v, 0, sizeof(*v));
	v->field = (uint16_t)field;
	v->v.u = u;
	while (*link != 0xff)		/* the field's chain: append */
		link = &p->next[*link];
	*link = (uint8_t)p->nvals;
	p->next[p->nvals++] = 0xff;
	return v;
}

static void put_bytes(struct sl_packet *p, int field, const uint8_t *b,
		      uint32_t n)
{
	struct sl_fval *v = put(p, field, 0);

	v->v.bytes.p = b;
	v->v.bytes.n = n;
	v->len = (uint16_t)n;
}

static void start(struct sl_packet *p, uint64_t number)
{
	memset(p, 0, sizeof(*p));
	memset(p->first, 0xff, sizeof(p->first));
	p->number = number;
	put(p, SL_F_FRAME, 0);
	put(p, SL_F_FRAME_NUMBER, number);
	put(p, SL_F_FRAME_TIME_RELATIVE, number * 250000000ull);
	put(p, SL_F_ETH, 0);
	put_bytes(p, SL_F_ETH_SRC, mac0, 6);
}

/* 127.0.0.1:40000 -> 127.0.0.1:80, TCP with payload "alice\n" */
static void tcp4(struct sl_packet *p)
{
	start(p, 1);
	put(p, SL_F_IP, 0);
	put(p, SL_F_IP_SRC, 0x7f000001);
	put(p, SL_F_IP_ADDR, 0x7f000001);
	put(p, SL_F_IP_DST, 0x7f000001);
	put(p, SL_F_IP_ADDR, 0x7f000001);
	put(p, SL_F_IP_TTL, 64);
	put(p, SL_F_TCP, 0);
	put(p, SL_F_TCP_SRCPORT, 40000);
	put(p, SL_F_TCP_PORT, 40000);
	put(p, SL_F_TCP_DSTPORT, 80);
	put(p, SL_F_TCP_PORT, 80);
	put(p, SL_F_TCP_LEN, 6);
	put(p, SL_F_TCP_FLAGS_SYN, 0);
	put(p, SL_F_TCP_FLAGS_ACK, 1);
	put_bytes(p, SL_F_TCP_PAYLOAD, payload, 6);
}

/* [::1]:5353 -> [::1]:53 UDP, no payload */
static void udp6(struct sl_packet *p)
{
	start(p, 3);
	put(p, SL_F_IPV6, 0);
	put_bytes(p, SL_F_IPV6_SRC, v6a, 16);
	put_bytes(p, SL_F_IPV6_ADDR, v6a, 16);
	put_bytes(p, SL_F_IPV6_DST, v6a, 16);
	put_bytes(p, SL_F_IPV6_ADDR, v6a, 16);
	put(p, SL_F_UDP, 0);
	put(p, SL_F_UDP_SRCPORT, 5353);
	put(p, SL_F_UDP_PORT, 5353);
	put(p, SL_F_UDP_DSTPORT, 53);
	put(p, SL_F_UDP_PORT, 53);
}

static int run(const char *text, const struct sl_packet *p)
{
	struct sl_err e;
	struct sl_dfilter *f;
	int r;

	if (sl_dfilter_compile(&f, text, NULL, NULL, &e) < 0)
		fail_msg("%s: %s", text, e.msg);
	r = sl_dfilter_match(f, p);
	sl_dfilter_free(f);
	return r;
}

static void test_eval(void **state)
{
	static const struct { const char *f; int tcp, udp; } cases[] = {
		{ "", 1, 1 },
		{ "   ", 1, 1 },
		{ "tcp", 1, 0 },
		{ "!tcp", 0, 1 },
		{ "ip.addr==127.0.0.1", 1, 0 },
		{ "ipv6.addr==::1", 0, 1 },
		{ "ipv6.addr == ::/127", 0, 1 },
		{ "ipv6.addr == ::2/127", 0, 0 },
		{ "ip.addr == 127.0.0.0/8", 1, 0 },
		{ "ip.addr == 128.0.0.0/1", 0, 0 },
		{ "ip.addr == 0.0.0.0/0", 1, 0 },
		/* Wireshark 4: != is "present and none equals" */
		{ "tcp.port != 80", 0, 0 },
		{ "tcp.port != 81", 1, 0 },
		{ "!(tcp.port == 80)", 0, 1 },
		{ "tcp.port ~= 80", 1, 0 },
		{ "tcp.port !== 80", 1, 0 },
		{ "tcp.port === 80", 0, 0 },
		{ "all tcp.port >= 80", 1, 0 },
		{ "all tcp.port > 80", 0, 0 },
		{ "any tcp.port > 80", 1, 0 },
		{ "udp.port != 80", 0, 1 },
		{ "tcp.port == 80 && tcp.len > 0", 1, 0 },
		{ "tcp.port in {443, 8000..8080}", 0, 0 },
		{ "tcp.port in {443, 1..80}", 1, 0 },
		{ "udp.port in {53}", 0, 1 },
		{ "udp.port not in {53}", 1, 0 },
		{ "tcp.flags.syn", 1, 0 },
		{ "tcp.flags.syn == 1", 0, 0 },
		{ "tcp.flags.ack == True", 1, 0 },
		{ "tcp.flags.ack == 2", 1, 0 },
		{ "tcp.payload contains \"alice\"", 1, 0 },
		{ "tcp.payload contains 61:6c", 1, 0 },
		{ "tcp.payload contains \"ALICE\"", 0, 0 },
		{ "tcp.payload matches \"^AL.CE\\n$\"", 1, 0 },
		{ "tcp.payload matches \"b\"", 0, 0 },
		{ "tcp.payload == \"alice\\n\"", 1, 0 },
		{ "tcp.payload > \"alic\"", 1, 0 },
		{ "tcp.payload[1:2] == \"li\"", 1, 0 },
		{ "tcp.payload[-1] == 0a", 1, 0 },
		{ "tcp.payload[2-3] == 69:63", 1, 0 },
		{ "tcp.payload[:1] == 'a'", 1, 0 },
		{ "tcp.payload[5:] == 0a", 1, 0 },
		{ "tcp.payload[6:] == 0a", 0, 0 },
		{ "len(tcp.payload) == 6", 1, 0 },
		{ "count(tcp.port) == 2", 1, 0 },
		{ "tcp.srcport > tcp.dstport", 1, 0 },
		{ "tcp.srcport == tcp.dstport", 0, 0 },
		{ "ip.src == ip.dst", 1, 0 },
		{ "tcp.len & 0x2", 1, 0 },
		{ "tcp.len & 0x1", 0, 0 },
		{ "ip.ttl == 0100", 1, 0 },
		{ "ip.ttl == 0x40", 1, 0 },
		{ "frame.number == 3", 0, 1 },
		{ "frame.time_relative > 0.5", 0, 1 },
		{ "frame.time_relative == 0.25", 1, 0 },
		{ "eth.src == 00:00:00:00:00:00", 1, 1 },
		{ "eth.src == 00-00-00-00-00-01", 0, 0 },
		{ "tcp || udp && udp.port == 1", 1, 0 },
		{ "(tcp || udp) && udp.port == 53", 0, 1 },
		{ "!tcp && !(udp.port == 1)", 0, 1 },
		{ "not tcp and udp.srcport eq 5353", 0, 1 },
		{ "ip.addr != 127.0.0.1", 0, 0 },
		{ "ip.addr != 127.0.0.2", 1, 0 },
		{ "all ip.addr == 127.0.0.0/8", 1, 0 },
		{ "all ip.addr == 127.0.0.2/32", 0, 0 },
		{ "tcp.len >= 6 && tcp.len <= 6 && tcp.len < 7", 1, 0 },
		{ "frame.time_relative <= 0.25", 1, 0 },
		{ "frame.time_relative >= 0.75", 0, 1 },
		{ "frame.time_relative > -0.5", 1, 1 },
		{ "frame.time_relative < -0.5", 0, 0 },
		{ "all udp.port < 5353", 0, 0 },
		{ "all udp.port <= 5353", 0, 1 },
	};
	struct sl_packet *t = test_malloc(sizeof(*t));
	struct sl_packet *u = test_malloc(sizeof(*u));

	(void)state;
	tcp4(t);
	udp6(u);
	for (size_t i = 0; i < SL_ARRAY_SIZE(cases); i++) {
		int rt = run(cases[i].f, t), ru = run(cases[i].f, u);

		if (rt != cases[i].tcp || ru != cases[i].udp)
			fail_msg("%s: tcp %d (want %d), udp %d (want %d)",
				 cases[i].f, rt, cases[i].tcp, ru,
				 cases[i].udp);
	}
	test_free(t);
	test_free(u);
}

/* The fields a filter reads: what sl_dissect_fields must fill. */
static void test_fields(void **state)
{
	static const struct { const char *f; int want[4]; } cases[] = {
		{ "", { -1 } },
		{ "ip.addr==127.0.0.1 && tcp.len > 0",
		  { SL_F_IP_ADDR, SL_F_TCP_LEN, -1 } },
		{ "!(tcp || udp.port == 53)", { SL_F_TCP, SL_F_UDP_PORT, -1 } },
		{ "tcp.srcport > tcp.dstport",
		  { SL_F_TCP_SRCPORT, SL_F_TCP_DSTPORT, -1 } },
		{ "len(tcp.payload) > 0 or count(ip.addr) == 2 or eth[0] == 0",
		  { SL_F_TCP_PAYLOAD, SL_F_IP_ADDR, SL_F_ETH, -1 } },
	};

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_SIZE(cases); i++) {
		struct sl_dfilter *f;
		struct sl_fieldset got = { { 0 } }, want = { { 0 } };

		assert_int_equal(sl_dfilter_compile(&f, cases[i].f, NULL, NULL,
						    NULL), 0);
		for (int j = 0; cases[i].want[j] >= 0; j++)
			sl_fieldset_add(&want, cases[i].want[j]);
		sl_dfilter_fields(f, &got);
		if (memcmp(&got, &want, sizeof(got)))
			fail_msg("%s: other fields", cases[i].f);
		sl_dfilter_free(f);
	}
}

/* ---- capture-filter equivalents ---- */

#define X6 "(ip6 and (ip6[6] == 0 or ip6[6] == 43 or ip6[6] == 44 or ip6[6] == 60))"

/* For the kernel: a superset that keeps conversations whole; each output
 * must compile in libpcap. */
static void test_bpf(void **state)
{
	static const struct { const char *f; int rc; const char *bpf; } cases[] = {
		{ "ip.addr==127.0.0.1", 2, "ip host 127.0.0.1" },
		{ "ipv6.addr==::1", 2, "ip6 host ::1" },
		{ "ip.addr == 10.0.0.0/8", 2, "ip net 10.0.0.0/8" },
		{ "ip.addr==127.0.0.1 && tcp.len > 0", 1, "ip host 127.0.0.1" },
		{ "tcp.len > 0 && tcp.port == 80", 1, "(tcp port 80 or " X6 ")" },
		{ "tcp.port == 80 || udp.port == 53", 2,
		  "((tcp port 80 or " X6 ")) or ((udp port 53 or " X6 "))" },
		{ "tcp && ip.addr == 1.2.3.4", 2,
		  "(tcp or " X6 ") and ip host 1.2.3.4" },
		{ "tcp.port in {80, 8000..8080}", 2,
		  "((tcp port 80 or tcp portrange 8000-8080) or " X6 ")" },
		{ "ip && arp || icmp", 2, "((ip) and (arp)) or (icmp)" },
		{ "ip.src == 1.2.3.4", 0, "" },	/* one direction only */
		{ "tcp.dstport == 80", 0, "" },
		{ "tcp.len > 0", 0, "" },
		{ "!tcp", 0, "" },
		{ "tcp.port != 80", 0, "" },
		{ "tcp.port == 80 || tcp.len > 0", 0, "" },
		{ "", 0, "" },
	};

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_SIZE(cases); i++) {
		struct sl_buf b = SL_BUF_INIT;
		struct sl_dfilter *f;
		struct bpf_program prog;
		int rc;

		assert_int_equal(sl_dfilter_compile(&f, cases[i].f, NULL, NULL,
						    NULL), 0);
		rc = sl_dfilter_to_bpf(f, &b);
		if (rc != cases[i].rc || strcmp(b.data ? b.data : "",
						cases[i].bpf))
			fail_msg("%s: %d \"%s\"", cases[i].f, rc,
				 b.data ? b.data : "");
		if (rc > 0) {
			pcap_t *pc = pcap_open_dead(DLT_EN10MB, 65535);

			assert_non_null(pc);
			assert_int_equal(pcap_compile(pc, &prog, b.data, 1,
					 PCAP_NETMASK_UNKNOWN), 0);
			pcap_freecode(&prog);
			pcap_close(pc);
		}
		sl_buf_release(&b);
		sl_dfilter_free(f);
	}
}

static void test_display_syntax(void **state)
{
	struct sl_buf b = SL_BUF_INIT;

	(void)state;
	assert_int_equal(sl_dfilter_is_display_syntax("ip.addr==127.0.0.1",
						      &b), 1);
	assert_string_equal(b.data, "ip host 127.0.0.1");
	sl_buf_reset(&b);
	/* a suggestion is exact and may name one direction */
	assert_int_equal(sl_dfilter_is_display_syntax(
			 "ip.src==1.2.3.4 && tcp.dstport==80", &b), 1);
	assert_string_equal(b.data, "ip src host 1.2.3.4 and tcp dst port 80");
	assert_int_equal(sl_dfilter_is_display_syntax("host 127.0.0.1", NULL),
			 0);
	assert_int_equal(sl_dfilter_is_display_syntax("tcp", NULL), 0);
	assert_int_equal(sl_dfilter_is_display_syntax("tcp.len > 0", NULL), 1);
	sl_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lex_columns),
		cmocka_unit_test(test_lex_spellings),
		cmocka_unit_test(test_lex_strings),
		cmocka_unit_test(test_parse_precedence),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_format_error),
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_bpf),
		cmocka_unit_test(test_display_syntax),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
