/* pcapfile.c - classic pcap files (version 2.4, micro- or nanosecond
 * magic, either byte order) read in large blocks: records are handed out
 * in place, without libpcap's copy of each one, and a record longer than
 * the file's snaplen keeps every byte it stores (tshark's frame.cap_len),
 * where libpcap cuts it.  Which records are accepted is libpcap's rule
 * (a capture length past 262144 is an error), so both count the same
 * packets.  Everything else (pcapng, other versions, the modified
 * format, stdin, link types socklab does not dissect) is left to libpcap. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture-int.h"
#include "socklab/dissect.h"

#define BLOCK (1u << 20)		/* bytes read at once */
#define MAX_CAPLEN 262144u		/* libpcap's bound for these links */
#define CAP (BLOCK + MAX_CAPLEN + 16)	/* a block and one whole record */

struct cap_file {
	int fd;
	int swap, nsec;
	uint8_t *buf;			/* BLOCK + MAX_CAPLEN + 16 bytes */
	size_t have, pos;		/* bytes in buf, the next record */
	int eof;
};

static uint32_t rd32(const uint8_t *b, int swap)
{
	uint32_t v;

	memcpy(&v, b, 4);	/* the writer's order: ours, or swapped */
	return swap ? __builtin_bswap32(v) : v;
}

static uint16_t rd16(const uint8_t *b, int swap)
{
	uint16_t v;

	memcpy(&v, b, 2);
	return swap ? __builtin_bswap16(v) : v;
}

/* The link types this reader takes (the dissector's). */
static int known_link(uint32_t lt)
{
	switch (lt) {
	case SL_LINK_NULL: case SL_LINK_ETHERNET: case SL_LINK_RAW:
	case SL_LINK_PPP:
	case SL_LINK_LOOP: case SL_LINK_SLL: case SL_LINK_SLL2:
		return 1;
	default:
		return 0;
	}
}

/* Reads until buf holds at least want bytes from pos on (or the end). */
static int fill(struct cap_file *f, size_t want, struct sl_err *e)
{
	if (f->have - f->pos >= want || f->eof)
		return 0;
	memmove(f->buf, f->buf + f->pos, f->have - f->pos);
	f->have -= f->pos;
	f->pos = 0;
	while (f->have < want && !f->eof) {
		ssize_t n = read(f->fd, f->buf + f->have, CAP - f->have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sl_err_set(e, -EIO, "cannot read packets: %s",
					  strerror(errno));
		f->eof = n == 0;
		f->have += (size_t)n;
	}
	return 0;
}

int cap_file_open(struct cap_file **out, const char *path,
		  struct cap_file_info *info, struct sl_err *e)
{
	struct cap_file *f;
	uint8_t h[24];
	uint32_t magic, lt;
	ssize_t n;
	int fd;

	*out = NULL;
	if (!strcmp(path, "-") || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 1;		/* libpcap names the file in its error */
	n = read(fd, h, sizeof(h));
	memcpy(&magic, h, 4);
	if (n != (ssize_t)sizeof(h)) {
		close(fd);
		return 1;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		close(fd);
		return sl_err_set(e, -ENOMEM, "out of memory");
	}
	f->fd = fd;
	f->swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	f->nsec = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
	lt = rd32(h + 20, f->swap);
	if (!f->swap && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d)
		goto not_mine;
	if (rd16(h + 4, f->swap) != 2 || rd16(h + 6, f->swap) != 4 ||
	    !known_link(lt))
		goto not_mine;
	if (!(f->buf = malloc(CAP))) {
		cap_file_close(f);
		return sl_err_set(e, -ENOMEM, "out of memory");
	}
	info->linktype = (int)lt;
	info->snaplen = rd32(h + 16, f->swap);
	if (info->snaplen == 0 || info->snaplen > MAX_CAPLEN)
		info->snaplen = MAX_CAPLEN;	/* as libpcap takes it */
	*out = f;
	return 0;
not_mine:
	cap_file_close(f);
	return 1;
}

int cap_file_next(struct cap_file *f, struct sl_frame *fr, struct sl_err *e)
{
	const uint8_t *h;
	uint32_t caplen;
	int64_t sec, frac;

	if (fill(f, 16, e) < 0)
		return e->code;
	if (f->have == f->pos)
		return -ENODATA;
	if (f->have - f->pos < 16)
		return sl_err_set(e, -EIO, "cannot read packets: truncated dump "
				  "file; tried to read 16 header bytes, only "
				  "got %zu", f->have - f->pos);
	h = f->buf + f->pos;
	caplen = rd32(h + 8, f->swap);
	if (caplen > MAX_CAPLEN)
		return sl_err_set(e, -EIO, "cannot read packets: invalid packet "
				  "capture length %u, bigger than maximum of "
				  "%u", caplen, MAX_CAPLEN);
	if (fill(f, 16 + (size_t)caplen, e) < 0)
		return e->code;
	h = f->buf + f->pos;
	if (f->have - f->pos < 16 + (size_t)caplen)
		return sl_err_set(e, -EIO, "cannot read packets: truncated dump "
				  "file; tried to read %u captured bytes, only "
				  "got %zu", caplen, f->have - f->pos - 16);
	/* signed 32 bits each, as libpcap and tshark read them */
	sec = (int32_t)rd32(h, f->swap);
	frac = (int32_t)rd32(h + 4, f->swap);
	/* as libpcap's nanosecond view of the file: a fraction of any
	 * size, never normalised */
	fr->ts_ns = sec * 1000000000 + frac * (f->nsec ? 1 : 1000);
	fr->caplen = caplen;
	fr->len = rd32(h + 12, f->swap);
	fr->data = h + 16;
	f->pos += 16 + (size_t)caplen;
	return 1;
}

void cap_file_close(struct cap_file *f)
{
	if (!f)
		return;
	close(f->fd);
	free(f->buf);
	free(f);
}
