/* fuzz-topt.c - capture -T fields' option parsers (lib/render/tfields.c)
 * on arbitrary words: the input is lines, each an -e FIELD ("e…") or an
 * -E NAME=VALUE ("E…"), then the line is written for a fixed TCP packet.
 * Checked: every call returns 0 or a negative code with words that hold no
 * control byte (the input is escaped in them); the layout stays valid (a
 * separator and an aggregator that are not NUL, a known quote, occurrence
 * in range, at most SL_TFIELDS_MAX fields, each registered); the header
 * and the packet's line end with their only newline (values are escaped)
 * and have n - 1 separators when the separator is a tab. */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/render.h"

static const uint8_t frame[] = {
	/* Ethernet */
	0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0x08, 0x00,
	/* IPv4, 46 bytes, TCP, 127.0.0.1 → 127.0.0.1 */
	0x45, 0, 0, 46, 0, 1, 0x40, 0, 64, 6, 0, 0,
	127, 0, 0, 1, 127, 0, 0, 1,
	/* TCP 40000 → 59001, PSH ACK */
	0x9c, 0x40, 0xe6, 0x79, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 2, 0,
	0, 0, 0, 0,
	/* "a\tb\n\x1b" */
	'a', '\t', 'b', '\n', 0x1b, '!',
};

static void assert_clean(const char *s)
{
	for (; *s; s++)
		assert((unsigned char)*s >= 0x20 && *s != 0x7f);
}

static size_t count(const char *s, size_t n, char c)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sl_packet p;
	struct sl_tfields t;
	struct sl_buf b = SL_BUF_INIT;
	char word[512];
	size_t i = 0;

	sl_tfields_init(&t);
	while (i < size) {
		size_t j = i, n;
		struct sl_err e = { 0 };
		int rc;

		while (j < size && data[j] != '\n')
			j++;
		n = j - i < sizeof(word) - 1 ? j - i : sizeof(word) - 1;
		memcpy(word, data + i, n);
		word[n] = '\0';
		i = j + 1;
		if (n == 0 || strlen(word) == 0)
			continue;
		rc = word[0] == 'e' ? sl_tfields_add(&t, word + 1, &e) :
		     word[0] == 'E' ? sl_tfields_option(&t, word + 1, &e) : 0;
		assert(rc == 0 || rc == -EINVAL || rc == -ENOENT || rc == -E2BIG);
		if (rc) {
			assert(e.code == rc && e.msg[0]);
			assert_clean(e.msg);
		}
	}
	assert(t.separator && t.aggregator);
	assert(t.quote == 0 || t.quote == '"' || t.quote == '\'');
	assert(t.occurrence >= SL_OCC_LAST && t.occurrence <= SL_PKT_MAX_VALS);
	assert(t.n >= 0 && t.n <= SL_TFIELDS_MAX);
	for (int k = 0; k < t.n; k++)
		assert(t.field[k] < SL_F_COUNT);
	p.data = frame;
	p.caplen = p.len = sizeof(frame);
	p.linktype = SL_LINK_ETHERNET;
	p.number = 1;
	sl_dissect(&p, NULL);
	assert(sl_tfields_header(&t, &b) == 0);
	assert(sl_tfields_line(&t, &b, &p) == 0);
	assert(b.len > 0 && b.data[b.len - 1] == '\n');
	assert(memchr(b.data, '\0', b.len) == NULL);
	for (size_t k = 0; k < b.len; k++)
		assert((unsigned char)b.data[k] >= 0x20 || b.data[k] == '\t' ||
		       b.data[k] == '\n');
	if (t.separator == '\t' && !t.header && !t.bom) {
		assert(count(b.data, b.len, '\n') == 1);
		assert(count(b.data, b.len, '\t') == (size_t)(t.n ? t.n - 1 : 0));
	}
	sl_buf_release(&b);
	return 0;
}
