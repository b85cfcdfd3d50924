/* source.c - frames from libpcap: a live capture (immediate mode, a large
 * buffer, BPF in the kernel) or a pcap/pcapng file */
#include <errno.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture-int.h"
#include "socklab/dissect.h"

#define DEFAULT_SNAPLEN 262144
#define DEFAULT_BUFFER (32 << 20)
/* a flood written to a file: the ring of tcpdump -B 65536 (measured: the
 * sender keeps tcpdump's rate with it, not with 32 MiB) */
#define BATCH_BUFFER (64 << 20)

struct sl_capture {
	pcap_t *p;
	int live;
	int any;		/* the "any" device: skip loopback echoes */
	int linktype;		/* SL_LINK_* */
	int ts_digits;
	uint64_t duplicates;
	char *read_buffer;	/* the file's stdio buffer, freed after it */
	/* a classic pcap file read by pcapfile.c: p is then a dead handle
	 * (for compiling filters and for the -w header) */
	struct cap_file *file;
	struct bpf_program prog;	/* -f over such a file */
	int have_prog;
	volatile sig_atomic_t broken;	/* sl_capture_break on a file */
};

/* libpcap's DLT_ values (as this platform numbers them) to file link
 * types, which are what the dissector speaks. */
static int link_of(int dlt)
{
	switch (dlt) {
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
	case DLT_IPV6:
#endif
	case 101:
		return SL_LINK_RAW;
	default:
		return dlt;	/* NULL, EN10MB, LOOP, SLL, SLL2 agree */
	}
}

static uint32_t rd32(const unsigned char *b, int swap)
{
	return swap ? (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 |
		      (uint32_t)b[1] << 8 | b[0] :
		      (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		      (uint32_t)b[2] << 8 | b[3];
}

/* pcapng: the first interface's if_tsresol option (default 6 digits) */
static int pcapng_digits(const unsigned char *b, size_t n)
{
	int le = n >= 12 && b[8] == 0x4d;	/* byte-order magic 1a2b3c4d */
	uint32_t shb = n >= 8 ? rd32(b + 4, le) : 0, idb, o;

	if (shb < 12 || shb + 20 > n || rd32(b + shb, le) != 1)
		return 6;
	idb = rd32(b + shb + 4, le);
	if (idb > n - shb)
		return 6;
	for (o = shb + 16; o + 4 <= shb + idb - 4;) {
		unsigned code = le ? b[o] | b[o + 1] << 8 : b[o] << 8 | b[o + 1];
		unsigned len = le ? b[o + 2] | b[o + 3] << 8 :
			       b[o + 2] << 8 | b[o + 3];

		if (code == 0)
			break;
		if (code == 9 && len >= 1 && o + 4 < n)
			return b[o + 4] < 128 ? b[o + 4] : 9;
		o += 4 + ((len + 3) & ~3u);
	}
	return 6;
}

/* The fraction digits tshark prints for a file starting with m (n
 * bytes): 9 for a nanosecond pcap, 6 for a microsecond one, what the
 * interface says in a pcapng. */
static int digits_of(const unsigned char *m, size_t n)
{
	if (n < 4)
		return 6;
	if ((m[0] == 0xa1 && m[1] == 0xb2 && m[2] == 0x3c && m[3] == 0x4d) ||
	    (m[0] == 0x4d && m[1] == 0x3c && m[2] == 0xb2 && m[3] == 0xa1))
		return 9;
	if (m[0] == 0x0a && m[1] == 0x0d && m[2] == 0x0d && m[3] == 0x0a) {
		int d = pcapng_digits(m, n);

		return d == 9 ? 9 : 6;
	}
	return 6;
}

static int file_digits(const char *path)
{
	unsigned char m[1024] = { 0 };
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return 6;
	n = fread(m, 1, sizeof(m), f);
	fclose(f);
	return digits_of(m, n);
}

static int set_filter(struct sl_capture *c, const char *bpf, struct sl_err *e)
{
	struct bpf_program prog;
	int rc;

	if (!bpf || !*bpf)
		return 0;
	if (pcap_compile(c->p, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) < 0)
		return sl_err_set(e, -EINVAL, "bad capture filter \"%s\": %s",
				  bpf, pcap_geterr(c->p));
	if (c->file) {			/* run by sl_capture_next */
		if (c->have_prog)
			pcap_freecode(&c->prog);
		c->prog = prog;
		c->have_prog = 1;
		return 0;
	}
	rc = pcap_setfilter(c->p, &prog);
	pcap_freecode(&prog);
	if (rc < 0)
		return sl_err_set(e, -EIO, "cannot install the capture filter: %s",
				  pcap_geterr(c->p));
	return 0;
}

int sl_capture_set_filter(struct sl_capture *c, const char *bpf,
			  struct sl_err *e)
{
	return set_filter(c, bpf, e);
}

/* A classic pcap file through pcapfile.c: 0, 1 when it is not one, or an
 * error. */
static int open_classic(struct sl_capture *c, const char *path,
			struct sl_err *e)
{
	struct cap_file_info info;
	int rc = cap_file_open(&c->file, path, &info, e);

	if (rc)
		return rc;
	c->p = pcap_open_dead_with_tstamp_precision(
		info.linktype == SL_LINK_RAW ? DLT_RAW : info.linktype,
		(int)info.snaplen, PCAP_TSTAMP_PRECISION_NANO);
	if (!c->p)
		return sl_err_set(e, -ENOMEM, "out of memory");
	c->ts_digits = file_digits(path);
	return 0;
}

static int open_file(struct sl_capture *c, const char *path,
		     struct sl_err *e)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	int rc = open_classic(c, path, e);

	if (rc <= 0)
		return rc;
	/* stdin, or a file fopen refuses, is left to libpcap, whose error
	 * text names the file */
	FILE *f = strcmp(path, "-") == 0 ? NULL :
		  cap_fopen_buffered(path, "rb", &c->read_buffer);

	if (f) {
		c->p = pcap_fopen_offline_with_tstamp_precision(f,
				PCAP_TSTAMP_PRECISION_NANO, eb);
		if (!c->p)
			fclose(f);
	} else {
		c->p = pcap_open_offline_with_tstamp_precision(path,
				PCAP_TSTAMP_PRECISION_NANO, eb);
	}
	if (!c->p) {
		int code = errno == ENOENT ? -ENOENT : -EIO;

		return sl_err_set(e, code, "cannot read \"%s\": %s", path, eb);
	}
	c->ts_digits = file_digits(path);
	return 0;
}

/* A file's bytes in memory (an entry of a ZIP a teacher was handed). */
static int open_mem(struct sl_capture *c, const struct sl_capture_opts *o,
		    struct sl_err *e)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	FILE *f = o->data_len ? fmemopen((void *)o->data, o->data_len, "rb") :
		  NULL;

	if (!f)
		return sl_err_set(e, -EIO, "cannot read the capture: %s",
				  o->data_len ? strerror(errno) : "it is empty");
	c->p = pcap_fopen_offline_with_tstamp_precision(f,
			PCAP_TSTAMP_PRECISION_NANO, eb);
	if (!c->p) {
		fclose(f);
		return sl_err_set(e, -EIO, "cannot read the capture: %s", eb);
	}
	c->ts_digits = digits_of(o->data, o->data_len < 1024 ?
				 o->data_len : 1024);
	return 0;
}

static int activate_error(struct sl_capture *c, const char *iface, int rc,
			  const char *exe, struct sl_err *e)
{
	switch (rc) {
	case PCAP_ERROR_PERM_DENIED:
		return sl_err_set(e, -EPERM,
			"cannot capture on %s: permission denied (needs "
			"CAP_NET_RAW): sudo setcap cap_net_raw,cap_net_admin=eip "
			"%s — or run with sudo, or read a file with -r", iface,
			exe ? exe : "socklab");
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return sl_err_set(e, -ENOENT,
			"cannot capture on %s: no such device: 'ip link' lists "
			"the devices (lo is loopback, any is all)", iface);
	default:
		return sl_err_set(e, -EIO, "cannot capture on %s: %s", iface,
				  pcap_geterr(c->p));
	}
}

static int open_live(struct sl_capture *c, const struct sl_capture_opts *o,
		     const char *exe, struct sl_err *e)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	const char *iface = o->iface ? o->iface : "lo";
	int rc;

	c->p = pcap_create(iface, eb);
	if (!c->p)
		return sl_err_set(e, -EIO, "cannot capture on %s: %s", iface, eb);
	c->live = 1;
	c->any = strcmp(iface, "any") == 0;
	c->ts_digits = 9;
	pcap_set_snaplen(c->p, o->snaplen > 0 ? o->snaplen : DEFAULT_SNAPLEN);
	pcap_set_promisc(c->p, 0);
	if (o->batch)
		pcap_set_timeout(c->p, SL_CAPTURE_BATCH_MS);
	else
		pcap_set_immediate_mode(c->p, 1);
	pcap_set_buffer_size(c->p, o->buffer_bytes > 0 ? o->buffer_bytes :
			     o->batch ? BATCH_BUFFER : DEFAULT_BUFFER);
	pcap_set_tstamp_precision(c->p, PCAP_TSTAMP_PRECISION_NANO);
	rc = pcap_activate(c->p);
	if (rc < 0)
		return activate_error(c, iface, rc, exe, e);
	if (pcap_setnonblock(c->p, 1, eb) < 0)
		return sl_err_set(e, -EIO, "cannot capture on %s: %s", iface, eb);
	return 0;
}

int sl_capture_open(struct sl_capture **out, const struct sl_capture_opts *o,
		    const char *exe_path, struct sl_err *e)
{
	struct sl_capture *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c)
		return sl_err_set(e, -ENOMEM, "out of memory");
	rc = o->file ? open_file(c, o->file, e) :
	     o->data ? open_mem(c, o, e) : open_live(c, o, exe_path, e);
	if (rc < 0)
		goto out;
	c->linktype = link_of(pcap_datalink(c->p));
	rc = set_filter(c, o->bpf, e);
	if (rc < 0)
		goto out;
	*out = c;
	return 0;
out:
	sl_capture_close(c);
	return rc;
}

void sl_capture_close(struct sl_capture *c)
{
	if (!c)
		return;
	if (c->have_prog)
		pcap_freecode(&c->prog);
	cap_file_close(c->file);
	if (c->p)
		pcap_close(c->p);
	free(c->read_buffer);
	free(c);
}

int sl_capture_linktype(const struct sl_capture *c)
{
	return c->linktype;
}

int sl_capture_is_live(const struct sl_capture *c)
{
	return c->live;
}

int sl_capture_ts_digits(const struct sl_capture *c)
{
	return c->ts_digits;
}

int sl_capture_fd(const struct sl_capture *c)
{
	return c->live ? pcap_get_selectable_fd(c->p) : -1;
}

/* On "any", Linux hands a loopback packet over twice, once as it leaves
 * (PACKET_OUTGOING) and once as it arrives; keep the arrival, as libpcap
 * does on "lo" itself. */
static int loopback_echo(const struct sl_capture *c, const uint8_t *d,
			 uint32_t caplen)
{
	enum { OUTGOING = 4, ARPHRD_LOOPBACK = 772 };

	if (!c->any)
		return 0;
	if (c->linktype == SL_LINK_SLL && caplen >= 16)
		return (d[0] << 8 | d[1]) == OUTGOING &&
		       (d[2] << 8 | d[3]) == ARPHRD_LOOPBACK;
	if (c->linktype == SL_LINK_SLL2 && caplen >= 20)
		return d[10] == OUTGOING &&
		       (d[8] << 8 | d[9]) == ARPHRD_LOOPBACK;
	return 0;
}

static int next_classic(struct sl_capture *c, struct sl_frame *f,
			struct sl_err *e)
{
	int rc;

	do {
		if (c->broken)
			return -ENODATA;
		rc = cap_file_next(c->file, f, e);
	} while (rc == 1 && c->have_prog &&
		 !bpf_filter(c->prog.bf_insns, f->data, f->len, f->caplen));
	return rc;
}

int sl_capture_next(struct sl_capture *c, struct sl_frame *f,
		    struct sl_err *e)
{
	struct pcap_pkthdr *h;
	const u_char *d;
	int rc;

	if (c->file)
		return next_classic(c, f, e);
	for (;;) {
		rc = pcap_next_ex(c->p, &h, &d);
		if (rc == 0)
			return 0;
		if (rc == PCAP_ERROR_BREAK)
			return c->live ? 0 : -ENODATA;
		if (rc < 0)
			return sl_err_set(e, -EIO, "cannot read packets: %s",
					  pcap_geterr(c->p));
		if (!loopback_echo(c, d, h->caplen))
			break;
		c->duplicates++;
	}
	/* a file's time stamp is any 32 or 64 bits: saturate, never overflow */
	if (__builtin_mul_overflow((int64_t)h->ts.tv_sec, 1000000000,
				   &f->ts_ns) ||
	    __builtin_add_overflow(f->ts_ns, (int64_t)h->ts.tv_usec,
				   &f->ts_ns))
		f->ts_ns = h->ts.tv_sec < 0 ? INT64_MIN : INT64_MAX;
	f->caplen = h->caplen;
	f->len = h->len;
	f->data = d;
	return 1;
}

void sl_capture_break(struct sl_capture *c)
{
	c->broken = 1;
	pcap_breakloop(c->p);
}

int sl_capture_stats(struct sl_capture *c, struct sl_capture_stats *s)
{
	struct pcap_stat ps;

	memset(s, 0, sizeof(*s));
	s->duplicates = c->duplicates;
	if (!c->live)
		return 0;
	if (pcap_stats(c->p, &ps) < 0)
		return -EIO;
	s->received = ps.ps_recv;
	s->dropped = ps.ps_drop;
	s->if_dropped = ps.ps_ifdrop;
	return 0;
}

pcap_t *sl_capture_pcap_(const struct sl_capture *c)
{
	return c->p;
}
