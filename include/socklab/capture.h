/*
 * capture.h - packets in and out: source.c opens a live capture (libpcap,
 * immediate mode, a large kernel buffer, an optional BPF capture filter)
 * or a pcap/pcapng file and yields one frame at a time; sink.c writes
 * frames as a pcap file that stays complete whenever the caller stops.
 *
 * Contract: nothing here prints or exits.  Functions return 0 (or a
 * count) or a negative errno-style code and fill struct sl_err with
 * "what went wrong: why, and what to do".  Only this module links libpcap.
 */
#ifndef SOCKLAB_CAPTURE_H
#define SOCKLAB_CAPTURE_H

#include <stdint.h>

#include "socklab/util.h"

struct sl_capture_opts {
	const char *iface;	/* live capture on this device ("lo") … */
	const char *file;	/* … or read this file (pcap or pcapng) */
	const char *bpf;	/* capture filter, tcpdump syntax; NULL none */
	int snaplen;		/* 0: 262144 */
	int buffer_bytes;	/* kernel buffer; 0: 64 MiB batch, else 32 */
	/* 0: immediate mode (each packet at once, for live display);
	 * 1: batches of at most 50 ms (TPACKET_V3 blocks: for writing a
	 * flood to a file, where immediate mode's per-frame ring of
	 * snaplen-sized slots overflows) */
	int batch;
};

/* How long a batch may wait in the kernel before it is handed over. */
#define SL_CAPTURE_BATCH_MS 50

/* One frame, valid until the next sl_capture_next or close. */
struct sl_frame {
	int64_t ts_ns;		/* since the epoch */
	uint32_t caplen, len;
	const uint8_t *data;
};

struct sl_capture;

/*
 * Opens the source.  Errors: -EPERM when the process lacks CAP_NET_RAW
 * (e->msg says so, with the setcap line for exe_path when given), -ENOENT
 * for a missing device or file, -EINVAL for a capture filter libpcap
 * rejects (e->msg carries libpcap's words), -EIO otherwise.
 */
int sl_capture_open(struct sl_capture **out, const struct sl_capture_opts *o,
		    const char *exe_path, struct sl_err *e);
void sl_capture_close(struct sl_capture *c);

/* Replaces the capture filter (tcpdump syntax) of an open capture: once
 * the lab has learnt a program's port, say.  Frames the kernel queued
 * before may still follow.  0, -EINVAL for a filter libpcap rejects, or
 * -EIO. */
int sl_capture_set_filter(struct sl_capture *c, const char *bpf,
			  struct sl_err *e);
/* SL_LINK_* of the source. */
int sl_capture_linktype(const struct sl_capture *c);
/* 1 for a live capture, 0 for a file. */
int sl_capture_is_live(const struct sl_capture *c);
/* Digits of the time stamps' fraction: 6 (µs file) or 9 (ns). */
int sl_capture_ts_digits(const struct sl_capture *c);
/* A descriptor that becomes readable when live frames wait, or -1. */
int sl_capture_fd(const struct sl_capture *c);

/*
 * The next frame: 1 with *f filled, 0 when none is waiting (live, in
 * non-blocking mode), -ENODATA at the end of a file, other negative codes
 * on errors (e filled).  A live capture on "any" skips the outgoing copy
 * of each loopback packet (counted, see sl_capture_stats).
 */
int sl_capture_next(struct sl_capture *c, struct sl_frame *f,
		    struct sl_err *e);
/* Makes a blocked sl_capture_next return (async-signal-safe). */
void sl_capture_break(struct sl_capture *c);

struct sl_capture_stats {
	uint64_t received;	/* frames the kernel handed over */
	uint64_t dropped;	/* dropped by the kernel (buffer full) */
	uint64_t if_dropped;	/* dropped by the interface */
	uint64_t duplicates;	/* loopback outgoing copies skipped on any */
};
/* Kernel counters of a live capture (zeros for a file); 0 or -EIO. */
int sl_capture_stats(struct sl_capture *c, struct sl_capture_stats *s);

/* ---- devices.c ---- */
struct sl_capture_dev {
	char name[64];
	char desc[128];		/* libpcap's description, "" when none */
	int loopback, up, running;
};

/* Every device libpcap can open, as tshark -D lists them; *out is freed
 * by the caller.  0 or -EIO / -ENOMEM with e filled. */
int sl_capture_devices(struct sl_capture_dev **out, size_t *n,
		       struct sl_err *e);
/* Packets iface carried so far, from /proc/net/dev (this network
 * namespace's): received and sent, loopback counted once, "any" every
 * device.  0 or -errno (-ENOENT: no such device). */
int sl_iface_packets(const char *iface, uint64_t *packets);
/* 0 when libpcap compiles bpf (for an Ethernet link), else -EINVAL with
 * libpcap's words in e. */
int sl_capture_filter_check(const char *bpf, struct sl_err *e);
/* Pure: the same from the text of /proc/net/dev. */
int sl_procnetdev_packets(const char *text, size_t len, const char *iface,
			  uint64_t *packets);

/* ---- sink.c: pcap writer ---- */
struct sl_sink;

/* Creates path ("-" is stdout) for frames of c's link type, nanosecond
 * time stamps when ts_digits is 9. */
int sl_sink_open(struct sl_sink **out, const struct sl_capture *c,
		 const char *path, struct sl_err *e);
/* Appends one frame; a write error (disk full) is returned here or by the
 * next flush, never lost: -ENOSPC, -EIO … with e filled. */
int sl_sink_write(struct sl_sink *s, const struct sl_frame *f,
		  struct sl_err *e);
/* Pushes buffered frames to the file (safe to call often). */
int sl_sink_flush(struct sl_sink *s, struct sl_err *e);
/* Flushes and closes; the return says whether the file is complete. */
int sl_sink_close(struct sl_sink *s, struct sl_err *e);
/* Frames written (after a write error: those known to be in the file). */
uint64_t sl_sink_count(const struct sl_sink *s);

#endif
