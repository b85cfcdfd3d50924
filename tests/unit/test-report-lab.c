/* test-report-lab.c - the lab's renderers on a lab built by hand: the
 * self-contained HTML page, the SVG flow diagram, terminal-like JPEGs */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>
#include <gd.h>
#include <gdfontl.h>

#include "socklab/diag.h"
#include "socklab/lab.h"
#include "socklab/report.h"
#include "../../lib/report/report-int.h"

#define HOSTILE "<script>alert(1)</script>&\"'"
#define HOSTILE_HTML "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;"
#define MS 1000000LL
#define T0 (1700000000LL * 1000000000LL)

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static struct sl_tl_event *add(struct sl_lab *lab, enum sl_tl_kind kind,
			       int64_t t_ms100)
{
	struct sl_tl_event *ev;

	if (lab->tl.n == lab->tl.cap) {
		lab->tl.cap = lab->tl.cap ? 2 * lab->tl.cap : 16;
		lab->tl.v = realloc(lab->tl.v, lab->tl.cap * sizeof(*ev));
		assert_non_null(lab->tl.v);
	}
	ev = &lab->tl.v[lab->tl.n++];
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->t_ns = T0 + t_ms100 * MS / 100;
	ev->owner = -1;
	return ev;
}

static void sock(struct sl_lab *lab, int64_t t, int owner, int prev,
		 int state)
{
	struct sl_tl_event *ev = add(lab, SL_TL_SOCKET, t);

	ev->owner = owner;
	ev->prev_state = prev;
	ev->state = state;
	ev->pid = owner ? 4243 : 4242;
	snprintf(ev->program, sizeof(ev->program), "socklab");
	snprintf(ev->local, sizeof(ev->local), owner ? "127.0.0.1:54321" :
		 "127.0.0.1:59001");
	snprintf(ev->remote, sizeof(ev->remote), owner ? "127.0.0.1:59001" :
		 state == SL_TCP_LISTEN ? "" : "127.0.0.1:54321");
}

static struct sl_tl_event *pkt(struct sl_lab *lab, int64_t t, int c2s,
			       unsigned flags, uint32_t seq, uint32_t ack,
			       uint32_t len)
{
	struct sl_tl_event *ev = add(lab, SL_TL_PACKET, t);
	uint32_t frame = 0;

	for (size_t i = 0; i < lab->tl.n; i++)
		frame += lab->tl.v[i].kind == SL_TL_PACKET;
	ev->frame = frame;
	ev->from_client = c2s;
	ev->flags = flags;
	ev->seq = seq;
	ev->ack = ack;
	ev->len = len;
	ev->wire_len = 66 + len;
	return ev;
}

/* SYN, SYN-ACK, ACK, PSH+ACK NAME, ACK, PSH+ACK reply, ACK, FIN... */
static void conversation(struct sl_lab *lab)
{
	uint32_t n = (uint32_t)strlen(lab->o.name) + 1, r = n + 9;

	sock(lab, 100, 0, 0, SL_TCP_LISTEN);
	pkt(lab, 1000, 1, 0x02, 0, 0, 0);
	pkt(lab, 1001, 0, 0x12, 0, 1, 0);
	pkt(lab, 1002, 1, 0x10, 1, 1, 0);
	sock(lab, 1003, 1, SL_TCP_SYN_SENT, SL_TCP_ESTABLISHED);
	sock(lab, 1004, 0, 0, SL_TCP_ESTABLISHED);
	pkt(lab, 2000, 1, 0x18, 1, 1, n)->carries_name = 1;
	pkt(lab, 2001, 0, 0x10, 1, 1 + n, 0);
	pkt(lab, 2100, 0, 0x18, 1, 1 + n, r)->carries_reply = 1;
	pkt(lab, 2101, 1, 0x10, 1 + n, 1 + r, 0);
	pkt(lab, 3000, 1, 0x11, 1 + n, 1 + r, 0);
	pkt(lab, 3001, 0, 0x11, 1 + r, 2 + n, 0);
	pkt(lab, 3002, 1, 0x10, 2 + n, 2 + r, 0);
	sock(lab, 3100, 1, SL_TCP_FIN_WAIT2, SL_TCP_TIME_WAIT);
	sock(lab, 3200, 0, SL_TCP_LAST_ACK, 0);
	/* out of order in the array: must come first in the page */
	snprintf(add(lab, SL_TL_PROCESS, 50)->text, SL_TL_TEXT,
		 "server <b>started</b> pid 4242");
}

static const char *const titles[SL_STEP_COUNT] = {
	"Capture on lo", "Start the server", "The server listens",
	"Both ends ESTABLISHED", "The name and the reply", "The packet",
};

static void make_lab(struct sl_lab *lab, const char *name, int packets)
{
	memset(lab, 0, sizeof(*lab));
	lab->o.name = name;
	lab->o.family = AF_INET;
	lab->t0_ns = T0;
	lab->port = 59001;
	snprintf(lab->server_addr, sizeof(lab->server_addr), "127.0.0.1:59001");
	snprintf(lab->client_addr, sizeof(lab->client_addr), "127.0.0.1:54321");
	snprintf(lab->filter, sizeof(lab->filter), "ip.addr==127.0.0.1");
	for (int i = 0; i < SL_STEP_COUNT; i++) {
		struct sl_lab_step *s = &lab->steps[i];

		s->status = SL_STEP_OK;
		s->key = "step";
		s->title = titles[i];
		s->classic = "netstat -a";
		sl_buf_init(&s->text);
		assert_int_equal(sl_buf_printf(&s->text, "step %d: %s\n\t"
					       "tab\n", i + 1, name), 0);
		s->t_ns = T0 + (i + 1) * 100 * MS;
	}
	sl_buf_init(&lab->reply);
	assert_int_equal(sl_buf_printf(&lab->reply, "Hello, %s!", name), 0);
	if (packets) {
		conversation(lab);
		lab->packets = 10;
		lab->name_frame = 4;
		snprintf(lab->pcap_path, sizeof(lab->pcap_path),
			 "/home/x/evidence/a_b_packet.pcap");
	}
}

static void free_lab(struct sl_lab *lab)
{
	for (int i = 0; i < SL_STEP_COUNT; i++)
		sl_buf_release(&lab->steps[i].text);
	sl_buf_release(&lab->reply);
	free(lab->tl.v);
}

static void assert_self_contained(const char *html)
{
	assert_null(strstr(html, "http:"));
	assert_null(strstr(html, "https:"));
	assert_null(strstr(html, "//"));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "@import"));
	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "@font-face"));
	/* one inline script at most: the step-through's keys and buttons */
	if (strstr(html, "<script"))
		assert_null(strstr(strstr(html, "<script") + 1, "<script"));
}

static void test_page(void **state)
{
	struct sl_lab lab;
	struct sl_buf b = SL_BUF_INIT;
	const char *proc, *syn, *name_row;

	(void)state;
	make_lab(&lab, HOSTILE, 1);
	assert_int_equal(sl_report_lab_html(&b, &lab), 0);
	assert_self_contained(b.data);
	assert_non_null(strstr(b.data, "<meta name=\"viewport\""));
	assert_non_null(strstr(b.data, "@media print"));
	assert_non_null(strstr(b.data, "All 6 steps verified."));
	assert_non_null(strstr(b.data, "<dd>10 (the name in frame 4)</dd>"));
	assert_non_null(strstr(b.data, "<dd>a_b_packet.pcap</dd>"));
	assert_true(count(b.data, HOSTILE_HTML) >= 6);
	assert_non_null(strstr(b.data, "<svg"));
	/* one arrow group per packet, the name's highlighted */
	assert_int_equal(count(b.data, "<g class=\"pkt"), 10);
	assert_int_equal(count(b.data, "<g class=\"pkt name\">"), 1);
	assert_non_null(strstr(strstr(b.data, "<g class=\"pkt name\">"),
			       HOSTILE_HTML));
	/* the time line: states beside packets, in time order */
	name_row = strstr(b.data, "<tr class=\"name\">");
	assert_non_null(name_row);
	assert_non_null(strstr(b.data, "FIN_WAIT2 &#8594; TIME_WAIT"));
	assert_non_null(strstr(b.data, "<strong>LISTEN</strong> (new)"));
	proc = strstr(b.data, "server &lt;b&gt;started&lt;/b&gt; pid 4242");
	syn = strstr(b.data, "#1 client &#8594; server [SYN]");
	assert_non_null(proc);
	assert_non_null(syn);
	assert_true(proc < syn && syn < name_row);
	assert_non_null(strstr(b.data, "Handshake 3/3"));
	assert_non_null(strstr(b.data, "The packets are in <code>"
			       "a_b_packet.pcap</code>, beside this page"));
	assert_non_null(strstr(b.data, "the client sent the first FIN, and "
			       "the client's socket is the one seen in "
			       "TIME_WAIT"));
	sl_buf_release(&b);
	free_lab(&lab);
}

static void test_failed_and_skipped(void **state)
{
	struct sl_lab lab;
	struct sl_buf b = SL_BUF_INIT;

	(void)state;
	make_lab(&lab, "alice", 0);
	lab.capture_skipped = 1;
	lab.steps[SL_STEP_CAPTURE].status = SL_STEP_SKIPPED;
	snprintf(lab.steps[SL_STEP_CAPTURE].why, 512, "cannot capture on lo:"
		 " permission denied (needs CAP_NET_RAW) <%s>", HOSTILE);
	lab.steps[SL_STEP_PACKET].status = SL_STEP_FAILED;
	snprintf(lab.steps[SL_STEP_PACKET].why, 512, "no packet carried it");
	assert_int_equal(sl_report_lab_html(&b, &lab), 0);
	assert_self_contained(b.data);
	assert_non_null(strstr(b.data, "4 of 6 steps verified, 1 failed, "
			       "1 skipped."));
	assert_non_null(strstr(b.data, "verdict fail"));
	assert_non_null(strstr(b.data, ">SKIPPED</span>"));
	assert_non_null(strstr(b.data, ">FAILED</span> no packet carried"));
	assert_non_null(strstr(b.data, "The packet capture was skipped"));
	assert_non_null(strstr(b.data, "CAP_NET_RAW) &lt;" HOSTILE_HTML));
	assert_null(strstr(b.data, "<g class=\"pkt"));
	assert_non_null(strstr(b.data, "No packets were captured in this run"));
	/* skipped on purpose (--no-capture): a warning, not a failure */
	lab.steps[SL_STEP_PACKET].status = SL_STEP_SKIPPED;
	lab.o.no_capture = 1;
	sl_buf_reset(&b);
	assert_int_equal(sl_report_lab_html(&b, &lab), 0);
	assert_non_null(strstr(b.data, "4 of 6 steps verified, 2 skipped."));
	assert_non_null(strstr(b.data, "verdict warn"));
	sl_buf_release(&b);
	free_lab(&lab);
}

static void test_svg_alone(void **state)
{
	struct sl_lab lab;
	struct sl_buf b = SL_BUF_INIT;

	(void)state;
	make_lab(&lab, "bob", 1);
	assert_int_equal(sl_report_lab_svg(&b, &lab), 0);
	assert_true(strncmp(b.data, "<svg ", 5) == 0);
	assert_non_null(strstr(b.data, "viewBox=\"0 0 440 "));
	/* the words of capture --flow (lib/render/flow.c) */
	assert_non_null(strstr(b.data, ">SYN, ACK  Seq = 0 Ack = 1</text>"));
	assert_non_null(strstr(b.data, ">PSH, ACK - Len: 4  Seq = 1 Ack = 1</text>"));
	assert_non_null(strstr(b.data, "&#8220;bob&#8221;"));
	assert_non_null(strstr(b.data, "&#8220;Hello, bob!&#8221;"));
	assert_non_null(strstr(b.data, ">TIME_WAIT</text>"));
	assert_non_null(strstr(b.data, "&#8594; closed</text>"));
	/* a listener's dot says which address; a connection's says its
	 * state, and a socket gone says what it was */
	assert_non_null(strstr(b.data, ">LISTEN 127.0.0.1:59001</text>"));
	assert_non_null(strstr(b.data, ">LAST_ACK &#8594; closed</text>"));
	assert_non_null(strstr(b.data, ">ESTABLISHED</text>"));
	/* every time in the times' column, in the larger font */
	assert_int_equal(count(b.data, "<text class=\"t\""), 10 + 5);
	assert_int_equal(count(b.data, "font-size=\"14\""), 10 + 5);
	assert_int_equal(count(b.data, "<polygon"), 10);
	assert_true(strcmp(b.data + b.len - 7, "</svg>\n") == 0);
	sl_buf_release(&b);
	free_lab(&lab);
}

static void test_escape(void **state)
{
	static const char in[] = "a\x01<b\xff\xe2\x86\x92\xc3\xa9\xed\xa0\x80"
				 "\xe2\x86\n\t";
	struct sl_buf b = SL_BUF_INIT;

	(void)state;
	assert_int_equal(sl_buf_html(&b, in, sizeof(in) - 1), 0);
	assert_string_equal(b.data, "a\\x01&lt;b\\xff\xe2\x86\x92\xc3\xa9"
			    "\\xed\\xa0\\x80\\xe2\\x86\n\t");
	sl_buf_release(&b);
}

/* Whatever the bytes, no markup gets through and the text stays UTF-8. */
static void test_escape_random(void **state)
{
	static const char *const ent[] = { "&amp;", "&lt;", "&gt;", "&quot;",
					   "&#39;" };
	unsigned char in[64];
	struct sl_buf b = SL_BUF_INIT;

	(void)state;
	srand(42);
	for (int round = 0; round < 5000; round++) {
		size_t n = (size_t)rand() % sizeof(in);

		for (size_t i = 0; i < n; i++)
			in[i] = (unsigned char)rand();
		sl_buf_reset(&b);
		assert_int_equal(sl_buf_html(&b, in, n), 0);
		for (size_t i = 0; i < b.len; i++) {
			unsigned char c = (unsigned char)b.data[i];
			size_t k, e, ok = 0;
			uint32_t cp;

			assert_null(strchr("<>\"'", c ? c : '!'));
			assert_true(c >= 0x20 || c == '\n' || c == '\t');
			if (c == '&') {
				for (e = 0; e < SL_ARRAY_SIZE(ent); e++)
					ok |= strncmp(b.data + i, ent[e],
						      strlen(ent[e])) == 0;
				assert_true(ok);
			} else if (c >= 0x80) {
				/* text, never a C1 or bidi character */
				assert_int_equal(sl_utf8_char(b.data + i,
							      b.len - i, &cp,
							      &k), SL_CHAR_TEXT);
				i += k - 1;
			}
		}
	}
	sl_buf_release(&b);
}

/* ---- images ---- */

static gdImagePtr load_jpeg(const char *path)
{
	FILE *f = fopen(path, "rb");
	gdImagePtr im;

	assert_non_null(f);
	im = gdImageCreateFromJpeg(f);
	fclose(f);
	assert_non_null(im);
	return im;
}

static int bright(gdImagePtr im, int x, int y)
{
	int c = gdImageGetTrueColorPixel(im, x, y);

	return (gdTrueColorGetRed(c) + gdTrueColorGetGreen(c) +
		gdTrueColorGetBlue(c)) / 3;
}

/* Light text on a dark background: many dark pixels, some light ones. */
static void assert_terminal_look(gdImagePtr im, int top)
{
	int light = 0, dark = 0;

	for (int y = top; y < gdImageSY(im); y++)
		for (int x = 0; x < gdImageSX(im); x++) {
			int v = bright(im, x, y);

			light += v > 150;
			dark += v < 60;
		}
	assert_true(light > 100);
	assert_true(dark > light * 3);
}

static char *tmpdir(void)
{
	char *d = strdup("/tmp/socklab-test-XXXXXX");

	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static void test_jpeg(void **state)
{
	static const char text[] = "socklab server: listening on "
				   "127.0.0.1:59001\n\tpid\t4242 \xe2\x86\x92 "
				   "ok \xc3\xa9\n";
	gdFontPtr f = gdFontGetLarge();
	char *dir = tmpdir(), path[256];
	struct sl_err e;
	gdImagePtr im;

	(void)state;
	snprintf(path, sizeof(path), "%s/alice_listening.jpeg", dir);
	sl_err_clear(&e);
	assert_int_equal(sl_report_text_jpeg(text, sizeof(text) - 1,
					     "alice_listening.txt", path, &e),
			 0);
	im = load_jpeg(path);
	/* 44 columns, 2 lines, 12 pixels of padding, a title bar */
	assert_int_equal(gdImageSX(im), 2 * 12 + 44 * f->w);
	assert_int_equal(gdImageSY(im), f->h + 12 + 2 * 12 + 2 * f->h);
	assert_terminal_look(im, f->h + 12);
	gdImageDestroy(im);
	/* written again in place, no temporary left behind */
	assert_int_equal(sl_report_text_jpeg("x", 1, NULL, path, &e), 0);
	im = load_jpeg(path);
	assert_int_equal(gdImageSX(im), 2 * 12 + 20 * f->w);
	assert_int_equal(gdImageSY(im), 2 * 12 + f->h);
	gdImageDestroy(im);
	assert_int_equal(entries(dir), 1);
	unlink(path);
	rmdir(dir);
	free(dir);
}

static void test_jpeg_capped(void **state)
{
	struct sl_buf t = SL_BUF_INIT;
	gdFontPtr f = gdFontGetLarge();
	char *dir = tmpdir(), path[256];
	struct sl_err e;
	gdImagePtr im;

	(void)state;
	for (int i = 0; i < 500; i++)
		assert_int_equal(sl_buf_printf(&t, "%04d %0300d\n", i, 0), 0);
	snprintf(path, sizeof(path), "%s/big.jpeg", dir);
	assert_int_equal(sl_report_text_jpeg(t.data, t.len, "big", path, &e),
			 0);
	im = load_jpeg(path);
	/* 200 columns, 400 lines and the "... (100 more lines)" one */
	assert_int_equal(gdImageSX(im), 2 * 12 + 200 * f->w);
	assert_int_equal(gdImageSY(im), f->h + 12 + 2 * 12 + 401 * f->h);
	gdImageDestroy(im);
	unlink(path);
	rmdir(dir);
	free(dir);
	sl_buf_release(&t);
}

/* report-int.h's image handle reads libgd's struct as gd.h lays it out */
static void test_gd_layout(void **state)
{
	typedef __typeof__(*(gd_image)0) mine;

	(void)state;
	assert_int_equal(offsetof(struct gdImageStruct, sx), offsetof(mine, sx));
	assert_int_equal(offsetof(struct gdImageStruct, sy), offsetof(mine, sy));
	assert_int_equal(offsetof(struct gdImageStruct, trueColor),
			 offsetof(mine, true_color));
	assert_int_equal(offsetof(struct gdImageStruct, tpixels),
			 offsetof(mine, tpixels));
}

static void test_jpeg_unwritable(void **state)
{
	struct sl_err e;

	(void)state;
	sl_err_clear(&e);
	assert_int_equal(sl_report_text_jpeg("hi\n", 3, "t",
					     "/proc/nope/x.jpeg", &e),
			 -ENOENT);
	assert_int_equal(e.code, -ENOENT);
	assert_non_null(strstr(e.msg, "\"/proc/nope/x.jpeg\""));
	assert_non_null(strstr(e.msg, strerror(ENOENT)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_failed_and_skipped),
		cmocka_unit_test(test_svg_alone),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_random),
		cmocka_unit_test(test_jpeg),
		cmocka_unit_test(test_jpeg_capped),
		cmocka_unit_test(test_jpeg_unwritable),
		cmocka_unit_test(test_gd_layout),
	};

	return cmocka_run_group_tests_name("report-lab", tests, NULL, NULL);
}
