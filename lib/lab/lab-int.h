/* lab-int.h - what the files of lib/lab share */
#ifndef SOCKLAB_LAB_INT_H
#define SOCKLAB_LAB_INT_H

#include "socklab/capture.h"
#include "socklab/dfilter.h"
#include "socklab/diag.h"
#include "socklab/dissect.h"
#include "socklab/lab.h"

/* the live capture, written to NAME_packet.pcap as it goes */
struct labcap {
	struct sl_capture *cap;
	struct sl_sink *sink;
	struct sl_dfilter *df;
	struct sl_stream_table *streams;
	struct sl_packet *pkt;
	struct sl_frame_seq frames;	/* numbers the packets seen */
	uint32_t shown;
	int ts_digits;
	int write_failed;
	struct sl_err err;
};

/* the socket table, sampled as it changes */
struct sampler {
	struct sl_sock_list now;
	struct sl_sock_list before;	/* left from earlier runs: not this lab's */
	int started;
	uint64_t last_ms;
	unsigned families;
};

/* packets.c */
int labcap_open(struct sl_lab *lab, struct labcap *lc, struct sl_err *e);
void labcap_pump(struct sl_lab *lab, struct labcap *lc);
int labcap_finish(struct sl_lab *lab, struct labcap *lc, struct sl_err *e);
void labcap_release(struct labcap *lc);
/* Re-reads the pcap: 0 when it holds the same frames and the NAME packet. */
int labcap_verify_file(struct sl_lab *lab, struct sl_buf *summary,
		       struct sl_err *e);
/* A packet's time line event from its dissected fields. */
void labcap_event(struct sl_lab *lab, const struct sl_packet *p,
		  struct sl_tl_event *ev);

/* sample.c */
void sampler_init(struct sampler *s, unsigned families);
/* Lists the lab's port now; records every change on the time line. */
int sampler_tick(struct sl_lab *lab, struct sampler *s);
void sampler_release(struct sampler *s);
/* A netstat-style table of the current rows (for the step texts). */
void sampler_table(const struct sampler *s, struct sl_buf *out);

/* lab.c */
int64_t lab_now_ns(void);
void lab_say(struct sl_lab *lab, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
