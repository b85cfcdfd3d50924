/* test-verify.c - what lab --verify reads, on bytes made here: stored
 * ZIPs (and the refusals: deflated, damaged, cut), socket tables as
 * socklab, netstat and ss print them, report.json, the pcapng blocks
 * socklab writes read back, the image check against a changed text */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "socklab/capture.h"
#include "socklab/report.h"
#include "socklab/verify.h"

/* ---- a ZIP made by hand: local headers, central directory, end ---- */

static void le16(struct sl_buf *b, unsigned v)
{
	sl_buf_putc(b, (char)(v & 0xff));
	sl_buf_putc(b, (char)(v >> 8 & 0xff));
}

static void le32(struct sl_buf *b, uint32_t v)
{
	le16(b, v & 0xffff);
	le16(b, v >> 16);
}

struct zfile {
	const char *name, *data;
	unsigned method;
};

static void make_zip(struct sl_buf *z, const struct zfile *f, size_t n)
{
	struct sl_buf cd = SL_BUF_INIT;
	uint32_t offs[8];

	for (size_t i = 0; i < n; i++) {
		uint32_t crc = sl_crc32(f[i].data, strlen(f[i].data));

		offs[i] = (uint32_t)z->len;
		le32(z, 0x04034b50);
		le16(z, 20); le16(z, 0); le16(z, f[i].method);
		le16(z, 0); le16(z, 0);
		le32(z, crc); le32(z, (uint32_t)strlen(f[i].data));
		le32(z, (uint32_t)strlen(f[i].data));
		le16(z, (unsigned)strlen(f[i].name)); le16(z, 0);
		sl_buf_puts(z, f[i].name);
		sl_buf_puts(z, f[i].data);
		le32(&cd, 0x02014b50);
		le16(&cd, 20); le16(&cd, 20); le16(&cd, 0); le16(&cd, f[i].method);
		le16(&cd, 0); le16(&cd, 0);
		le32(&cd, crc); le32(&cd, (uint32_t)strlen(f[i].data));
		le32(&cd, (uint32_t)strlen(f[i].data));
		le16(&cd, (unsigned)strlen(f[i].name)); le16(&cd, 0); le16(&cd, 0);
		le16(&cd, 0); le16(&cd, 0); le32(&cd, 0); le32(&cd, offs[i]);
		sl_buf_puts(&cd, f[i].name);
	}
	uint32_t cd_off = (uint32_t)z->len;

	sl_buf_append(z, cd.data, cd.len);
	le32(z, 0x06054b50);
	le16(z, 0); le16(z, 0); le16(z, (unsigned)n); le16(z, (unsigned)n);
	le32(z, (uint32_t)cd.len); le32(z, cd_off); le16(z, 0);
	sl_buf_release(&cd);
}

struct got {
	char names[8][64];
	char data[8][64];
	size_t n;
};

static int collect(const struct sl_zip_entry *ze, void *arg)
{
	struct got *g = arg;

	snprintf(g->names[g->n], 64, "%.*s", (int)ze->name_len, ze->name);
	snprintf(g->data[g->n], 64, "%.*s", ze->data ? (int)ze->size : 0,
		 ze->data ? (const char *)ze->data : "");
	g->n++;
	return 0;
}

static void test_zip_stored(void **state)
{
	const struct zfile f[] = {
		{ "alice/alice_report.json", "{}", 0 },
		{ "alice/alice_code.txt", "==> x.py", 0 },
	};
	struct sl_buf z = SL_BUF_INIT;
	struct got g = { .n = 0 };
	struct sl_err e;

	(void)state;
	assert_int_equal(sl_crc32("123456789", 9), 0xcbf43926);
	make_zip(&z, f, 2);
	assert_int_equal(sl_zip_each((const uint8_t *)z.data, z.len, collect,
				     &g, &e), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.names[1], "alice/alice_code.txt");
	assert_string_equal(g.data[1], "==> x.py");
	/* a flipped byte of data: its CRC-32 says so */
	z.data[30 + strlen(f[0].name)] ^= 1;
	assert_int_equal(sl_zip_each((const uint8_t *)z.data, z.len, collect,
				     &g, &e), -EBADMSG);
	assert_non_null(strstr(e.msg, "CRC-32"));
	/* cut short: no end record */
	assert_int_equal(sl_zip_each((const uint8_t *)z.data, z.len - 3,
				     collect, &g, &e), -EINVAL);
	sl_buf_release(&z);
}

static void test_zip_deflated(void **state)
{
	const struct zfile f[] = { { "a.txt", "xx", 8 } };
	struct sl_buf z = SL_BUF_INIT;
	struct got g = { .n = 0 };
	struct sl_err e;

	(void)state;
	make_zip(&z, f, 1);
	/* the reader names the method and hands no data */
	assert_int_equal(sl_zip_each((const uint8_t *)z.data, z.len, collect,
				     &g, &e), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.data[0], "");
	sl_buf_release(&z);
}

static void test_rows(void **state)
{
	static const char text[] =
		"$ socklab sockets -p --port 59001\n"
		"Proto  Local Address    Foreign Address  State        PID/Program\n"
		"tcp    127.0.0.1:59001  0.0.0.0:*        LISTEN       42/socklab\n"
		"tcp6   [::1]:59001      [::1]:41234      ESTABLISHED  43/socklab\n"
		"$ netstat -tanp\n"
		"tcp        0      0 127.0.0.1:41116         127.0.0.1:59001         ESTABLISHED 44/socklab\n"
		"$ ss -tanp\n"
		"ESTAB 0 0 127.0.0.1:59001 127.0.0.1:41116 users:((\"socklab\",pid=42,fd=5))\n"
		"0000  45 00 00 3c 12 34                                 E..<.4\n"
		"verified: LISTEN on port 59001\n";
	struct sl_vrow r[8];
	size_t n = sl_verify_rows(text, sizeof(text) - 1, r, 8);

	(void)state;
	assert_int_equal(n, 4);
	assert_string_equal(r[0].state, "LISTEN");
	assert_int_equal(r[0].lport, 59001);
	assert_int_equal(r[0].rport, 0);
	assert_string_equal(r[1].local, "[::1]:59001");
	assert_int_equal(r[1].rport, 41234);
	assert_string_equal(r[2].state, "ESTABLISHED");
	assert_int_equal(r[2].lport, 41116);
	assert_string_equal(r[3].state, "ESTABLISHED");
	assert_int_equal(r[3].rport, 41116);
}

static void test_report(void **state)
{
	static const char json[] =
		"{\"name\":\"x\",\"student\":\"Zoë\",\"run_id\":\"00ff\","
		"\"started_ns\":1700000000000000000,\"port\":59001,"
		"\"pcap\":{\"captured\":true},\"programs\":null,"
		"\"name_frames\":[4,5],"
		"\"files\":[{\"name\":\"Zoë_code.txt\",\"bytes\":3,\"sha256\":"
		"\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"},"
		"{\"name\":\"bad\",\"bytes\":1,\"sha256\":\"xyz\"}],"
		"\"steps\":[{\"key\":\"listening\",\"title\":\"See it\",\"status\":\"ok\",\"t_ms\":12.5}]}";
	struct sl_vreport r;
	struct sl_err e;

	(void)state;
	assert_int_equal(sl_verify_report(json, sizeof(json) - 1, &r, &e), 0);
	assert_string_equal(r.student, "Zoë");
	assert_string_equal(r.run_id, "00ff");
	assert_int_equal(r.port, 59001);
	assert_true(r.captured);
	assert_false(r.programs);
	assert_int_equal(r.nname_frames, 2);
	assert_int_equal(r.nfiles, 1);		/* the bad hash is dropped */
	assert_int_equal(r.files[0].bytes, 3);
	assert_int_equal(r.nsteps, 1);
	assert_string_equal(r.steps[0].title, "See it");
	assert_true(r.steps[0].t_ms > 12.4 && r.steps[0].t_ms < 12.6);
	assert_true(r.started_ns > 1699999999000000000LL);
	assert_int_equal(sl_verify_report("{\"port\":1}", 10, &r, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "no student"));
	assert_int_equal(sl_verify_report("[", 1, &r, &e), -EINVAL);
}

/* ---- pcapng ---- */

struct opts {
	char v[4][64];
	unsigned code[4];
	size_t n;
};

static int opt(unsigned code, const uint8_t *v, size_t n, void *arg)
{
	struct opts *o = arg;

	if (o->n < 4) {
		o->code[o->n] = code;
		snprintf(o->v[o->n++], 64, "%.*s", (int)n, (const char *)v);
	}
	return 0;
}

static void test_pcapng(void **state)
{
	const char *comments[] = { "student: José", "run: abc", NULL };
	struct sl_pcapng_info info = { comments, "socklab test", "lo" };
	uint8_t frame[61] = { 0 };
	struct sl_frame f = { 1700000000123456789LL, 61, 61, frame };
	struct sl_buf b = SL_BUF_INIT;
	struct opts o = { .n = 0 };

	(void)state;
	assert_int_equal(sl_pcapng_header(&b, &info, 1, 262144), 0);
	assert_int_equal(sl_pcapng_packet(&b, &f), 0);
	assert_int_equal(b.len % 4, 0);
	assert_int_equal(sl_pcapng_shb_options(b.data, b.len, opt, &o), 0);
	assert_int_equal(o.n, 3);
	assert_string_equal(o.v[0], "student: José");
	assert_int_equal(o.code[2], 4);
	assert_string_equal(o.v[2], "socklab test");
	/* the trailing length must repeat the leading one */
	b.data[4] ^= 4;
	assert_int_equal(sl_pcapng_shb_options(b.data, b.len, opt, &o), -EBADMSG);
	assert_int_equal(sl_pcapng_shb_options("\xd4\xc3\xb2\xa1", 4, opt, &o),
			 -EINVAL);
	sl_buf_release(&b);
}

/* ---- images ---- */

static void test_image_check(void **state)
{
	static const char text[] = "tcp 127.0.0.1:59001 LISTEN\nverified: yes\n";
	char path[] = "/tmp/socklab-imgcheck-XXXXXX.jpeg";
	struct sl_buf jpeg = SL_BUF_INIT, other = SL_BUF_INIT;
	struct sl_image_check c;
	struct sl_err e;
	int fd = mkstemps(path, 5);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(sl_report_text_jpeg(text, sizeof(text) - 1, "t", path, &e), 0);
	assert_int_equal(sl_read_file(path, SIZE_MAX, &jpeg), 0);
	unlink(path);
	assert_int_equal(sl_report_text_jpeg_check(jpeg.data, jpeg.len, text,
		sizeof(text) - 1, "t", &c, &e), 1);
	assert_int_equal(c.worst, 0);
	/* one digit changed in the second line of text */
	sl_buf_puts(&other, text);
	other.data[strlen("tcp 127.0.0.1:5900")] = '2';
	other.data[strlen("tcp 127.0.0.1:59001 LISTEN\nverified: ")] = 'Y';
	assert_int_equal(sl_report_text_jpeg_check(jpeg.data, jpeg.len,
		other.data, other.len, "t", &c, &e), 0);
	assert_int_equal(c.line, 0);
	/* another title */
	assert_int_equal(sl_report_text_jpeg_check(jpeg.data, jpeg.len, text,
		sizeof(text) - 1, "T", &c, &e), 0);
	assert_int_equal(c.line, -1);
	/* not an image */
	assert_true(sl_report_text_jpeg_check("nope", 4, text, 3, "t", &c, &e) < 0);
	sl_buf_release(&jpeg);
	sl_buf_release(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zip_stored),
		cmocka_unit_test(test_zip_deflated),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_pcapng),
		cmocka_unit_test(test_image_check),
	};

	return cmocka_run_group_tests_name("verify", tests, NULL, NULL);
}
