/* zip.c - a ZIP archive's entries, read from its central directory (the
 * end record found from the back, as unzip does): stored entries are
 * handed over as they lie in the archive, checked against their CRC-32;
 * compressed ones are named with their method and no data, since socklab
 * has no inflater.  Every offset and length is checked against the
 * archive's size before it is used. */
#include <errno.h>
#include <string.h>

#include "socklab/verify.h"

enum {
	EOCD_SIG = 0x06054b50, CDH_SIG = 0x02014b50, LFH_SIG = 0x04034b50,
	EOCD_LEN = 22, CDH_LEN = 46, LFH_LEN = 30,
	FLAG_ENCRYPTED = 1,
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t sl_crc32(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t c = 0xffffffffu;

	/* bit by bit: a ZIP of a class is a few MB, read once */
	while (n--) {
		c ^= *b++;
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

/* The end of central directory record: the last signature that leaves
 * room for the record and its comment. */
static const uint8_t *find_eocd(const uint8_t *z, size_t n)
{
	size_t lo = n > EOCD_LEN + 0xffff ? n - EOCD_LEN - 0xffff : 0;

	if (n < EOCD_LEN)
		return NULL;
	for (size_t i = n - EOCD_LEN + 1; i-- > lo;)
		if (le32(z + i) == EOCD_SIG &&
		    i + EOCD_LEN + le16(z + i + 20) == n)
			return z + i;
	return NULL;
}

/* The entry whose central header is at c (room for CDH_LEN checked). */
static int entry(const uint8_t *z, size_t n, const uint8_t *c, size_t left,
		 struct sl_zip_entry *out, size_t *used, struct sl_err *e)
{
	size_t nlen = le16(c + 28), xlen = le16(c + 30), clen = le16(c + 32);
	uint32_t csize = le32(c + 20), usize = le32(c + 24), lho = le32(c + 42);
	size_t data;

	if (le32(c) != CDH_SIG || CDH_LEN + nlen + xlen + clen > left)
		return sl_err_set(e, -EBADMSG, "the ZIP's central directory is damaged");
	if (csize == 0xffffffffu || usize == 0xffffffffu || lho == 0xffffffffu)
		return sl_err_set(e, -ENOTSUP, "the ZIP is a ZIP64 archive, which socklab cannot read: unpack it and give the folder");
	if (le16(c + 8) & FLAG_ENCRYPTED)
		return sl_err_set(e, -ENOTSUP, "the ZIP is encrypted: unpack it and give the folder");
	*used = CDH_LEN + nlen + xlen + clen;
	memset(out, 0, sizeof(*out));
	out->name = (const char *)c + CDH_LEN;
	out->name_len = nlen;
	out->method = le16(c + 10);
	out->crc = le32(c + 16);
	out->size = usize;
	if ((size_t)lho + LFH_LEN > n || le32(z + lho) != LFH_SIG)
		return sl_err_set(e, -EBADMSG, "the ZIP's entry %.*s is damaged",
				  (int)(nlen > 100 ? 100 : nlen), out->name);
	data = (size_t)lho + LFH_LEN + le16(z + lho + 26) + le16(z + lho + 28);
	if (data > n || csize > n - data)
		return sl_err_set(e, -EBADMSG, "the ZIP's entry %.*s runs past its end",
				  (int)(nlen > 100 ? 100 : nlen), out->name);
	if (out->method != 0)
		return 0;
	if (csize != usize || sl_crc32(z + data, csize) != out->crc)
		return sl_err_set(e, -EBADMSG, "the ZIP's entry %.*s does not match its CRC-32: the archive is damaged",
				  (int)(nlen > 100 ? 100 : nlen), out->name);
	out->data = z + data;
	return 0;
}

int sl_zip_each(const uint8_t *z, size_t n, sl_zip_fn fn, void *arg,
		struct sl_err *e)
{
	const uint8_t *end = find_eocd(z, n);
	size_t count, off, size;
	int rc;

	if (!end)
		return sl_err_set(e, -EINVAL, "not a ZIP archive (no end of central directory)");
	count = le16(end + 10);
	size = le32(end + 12);
	off = le32(end + 16);
	if (count == 0xffff || off == 0xffffffffu)
		return sl_err_set(e, -ENOTSUP, "the ZIP is a ZIP64 archive, which socklab cannot read: unpack it and give the folder");
	if (off > (size_t)(end - z) || size > (size_t)(end - z) - off)
		return sl_err_set(e, -EBADMSG, "the ZIP's central directory lies outside it");
	for (size_t i = 0; i < count; i++) {
		struct sl_zip_entry ze;
		size_t used = 0;

		if (size < CDH_LEN)
			return sl_err_set(e, -EBADMSG, "the ZIP's central directory is cut short");
		if ((rc = entry(z, n, z + off, size, &ze, &used, e)) < 0)
			return rc;
		if ((rc = fn(&ze, arg)) != 0)
			return rc;
		off += used;
		size -= used;
	}
	return 0;
}
