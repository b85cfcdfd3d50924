/* pcapng.c - the pcapng blocks the lab writes (libpcap writes only pcap):
 * a section header with comments (who, which run, which program), one
 * interface description, an enhanced packet block per frame; and the
 * section header's options read back from a file's first bytes.
 *
 * Every block is built whole in memory and written with one fwrite, so a
 * file flushed at any moment holds only whole blocks (pcapng readers stop
 * cleanly at the end of the last one).  Host byte order, as the format
 * allows: the byte-order magic tells readers which. */
#include <errno.h>
#include <string.h>

#include "capture-int.h"

enum {
	BT_SHB = 0x0a0d0d0a, BT_IDB = 1, BT_EPB = 6,
	BYTE_ORDER_MAGIC = 0x1a2b3c4d,
	OPT_END = 0, OPT_COMMENT = 1,
	SHB_USERAPPL = 4,
	IF_NAME = 2, IF_TSRESOL = 9,
	OPT_MAX = 0xffff,	/* an option's length is 16 bits */
};

/* The builders reserve a block's whole size first: after that no append
 * can fail, so a block is either whole in b or not there at all. */
static void put32(struct sl_buf *b, uint32_t v)
{
	sl_buf_append(b, &v, 4);
}

static void put16(struct sl_buf *b, uint16_t v)
{
	sl_buf_append(b, &v, 2);
}

static void pad4(struct sl_buf *b, size_t at)
{
	static const char zero[4];

	sl_buf_append(b, zero, (4 - (b->len - at) % 4) % 4);
}

static size_t clip(size_t n)
{
	return n > OPT_MAX ? OPT_MAX : n;
}

/* Bytes an option takes, padding included. */
static size_t option_size(size_t n)
{
	return 4 + ((clip(n) + 3) & ~(size_t)3);
}

/* One option: code, length, value padded to 32 bits (cut at 65535). */
static void option(struct sl_buf *b, size_t at, uint16_t code, const void *v,
		   size_t n)
{
	n = clip(n);
	put16(b, code);
	put16(b, (uint16_t)n);
	sl_buf_append(b, v, n);
	pad4(b, at);
}

/* Starts a block at b->len: type and a length filled in by block_end. */
static size_t block_begin(struct sl_buf *b, uint32_t type)
{
	size_t at = b->len;

	put32(b, type);
	put32(b, 0);
	return at;
}

static void block_end(struct sl_buf *b, size_t at)
{
	uint32_t len;

	put32(b, 0);
	len = (uint32_t)(b->len - at);
	memcpy(b->data + at + 4, &len, 4);
	memcpy(b->data + b->len - 4, &len, 4);
}

static size_t shb_size(const struct sl_pcapng_info *info)
{
	size_t n = 28 + option_size(0);

	for (size_t i = 0; info->comments && info->comments[i]; i++)
		n += option_size(strlen(info->comments[i]));
	return n + (info->app ? option_size(strlen(info->app)) : 0);
}

int sl_pcapng_header(struct sl_buf *b, const struct sl_pcapng_info *info,
		     int linktype, uint32_t snaplen)
{
	uint64_t unknown = UINT64_MAX;	/* section length: not given */
	uint8_t ns = 9;			/* time stamps in nanoseconds */
	size_t idb = 20 + option_size(1) + option_size(0) +
		     (info->iface ? option_size(strlen(info->iface)) : 0);
	size_t at;

	if (sl_buf_reserve(b, shb_size(info) + idb) < 0)
		return -ENOMEM;
	at = block_begin(b, BT_SHB);
	put32(b, BYTE_ORDER_MAGIC);
	put16(b, 1);
	put16(b, 0);
	sl_buf_append(b, &unknown, 8);
	for (size_t i = 0; info->comments && info->comments[i]; i++)
		option(b, at, OPT_COMMENT, info->comments[i],
		       strlen(info->comments[i]));
	if (info->app)
		option(b, at, SHB_USERAPPL, info->app, strlen(info->app));
	option(b, at, OPT_END, NULL, 0);
	block_end(b, at);
	at = block_begin(b, BT_IDB);
	put16(b, (uint16_t)linktype);
	put16(b, 0);
	put32(b, snaplen);
	if (info->iface)
		option(b, at, IF_NAME, info->iface, strlen(info->iface));
	option(b, at, IF_TSRESOL, &ns, 1);
	option(b, at, OPT_END, NULL, 0);
	block_end(b, at);
	return 0;
}

int sl_pcapng_packet(struct sl_buf *b, const struct sl_frame *f)
{
	uint64_t ts = (uint64_t)f->ts_ns;
	size_t at;

	if (f->caplen > UINT32_MAX - 64 ||
	    sl_buf_reserve(b, 32 + (size_t)f->caplen + 3) < 0)
		return -ENOMEM;
	at = block_begin(b, BT_EPB);
	put32(b, 0);			/* interface 0 */
	put32(b, (uint32_t)(ts >> 32));
	put32(b, (uint32_t)ts);
	put32(b, f->caplen);
	put32(b, f->len);
	sl_buf_append(b, f->data, f->caplen);
	pad4(b, at);
	block_end(b, at);
	return 0;
}

/* ---- reading a section header back ---- */

static uint32_t get32(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static uint16_t get16(const uint8_t *p, int swap)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return swap ? __builtin_bswap16(v) : v;
}

int sl_pcapng_shb_options(const void *data, size_t n, sl_pcapng_opt_fn fn,
			  void *arg)
{
	const uint8_t *p = data;
	uint32_t len;
	size_t o;
	int swap, rc;

	if (n < 28 || get32(p, 0) != BT_SHB)
		return -EINVAL;
	if (get32(p + 8, 0) == BYTE_ORDER_MAGIC)
		swap = 0;
	else if (get32(p + 8, 1) == BYTE_ORDER_MAGIC)
		swap = 1;
	else
		return -EINVAL;
	len = get32(p + 4, swap);
	if (len < 28 || len % 4 || len > n || get32(p + len - 4, swap) != len)
		return -EBADMSG;
	/* options sit between the fixed 24 bytes and the trailing length */
	for (o = 24; o + 4 <= (size_t)len - 4;) {
		uint16_t code = get16(p + o, swap), olen = get16(p + o + 2, swap);

		if (code == OPT_END)
			return 0;
		if (o + 4 + olen > (size_t)len - 4)
			return -EBADMSG;
		if ((rc = fn(code, p + o + 4, olen, arg)) != 0)
			return rc;
		o += 4 + (((size_t)olen + 3) & ~(size_t)3);
	}
	return 0;
}
