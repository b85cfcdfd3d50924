/* analysis.c - TCP sequence analysis, with tshark 4.0's rules (its
 * tcp_analyze_sequence_number, default preferences): per direction the
 * highest sequence number seen, the last ACK and window, the duplicate ACK
 * count, and the segments not yet acknowledged; per stream the timestamps,
 * the initial RTT and the completeness.
 *
 * Bounded state: tshark keeps up to 10,000 unacknowledged segments per
 * direction in a list; here a ring per direction that grows from 4 to
 * ANA_RING as segments wait (a short conversation needs a few).  When it
 * is full the oldest one is folded into one span (its frame forgotten):
 * the "acks frame" and RTT of an ACK that acknowledges exactly a folded
 * segment are lost, and bytes in flight, exact otherwise, count a hole (a
 * segment the capture never saw) inside the span once the span's lower
 * part is acknowledged.  A stream costs at most ANA_BYTES (asserted
 * below; ~6.6 KB with both rings full, ~0.45 KB for a short
 * conversation): 100,000 streams analysed cost 45 MB (short ones), and
 * 660 MB only if every one had 256 segments waiting at once,
 * allocated only for streams seen while a SEQ field is wanted (the
 * conversation table's 72 bytes a slot come on top, at a load of at most
 * one half). */
#include <stdlib.h>
#include <string.h>

#include "dissect-int.h"

enum { TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_PUSH = 0x08,
       TH_ACK = 0x10 };

struct ana_seg {
	uint32_t seq, nextseq;	/* raw */
	uint32_t frame;
	int64_t ts;
};

/* the ring's first room, inside the state: most conversations never
 * wait for more, and need no allocation of their own */
#define ANA_SMALL 4

struct ana_dir {
	uint32_t nextseq;	/* raw; 0: none yet (as tshark) */
	uint32_t nextseqframe;
	int64_t nextseqtime;
	uint32_t maxseqtobeacked;
	uint32_t lastack;
	int64_t lastacktime;
	uint32_t lastnondupack;
	uint32_t dupacknum;
	uint32_t window;	/* raw, as the segment carries it */
	uint32_t lastsegflags;
	uint32_t push_bytes_sent;
	uint8_t push_set_last;
	uint8_t valid_bif;
	uint8_t not_first_ack;	/* an ACK without SYN was sent */
	uint8_t nsegs;		/* in the ring, oldest at head */
	uint8_t head;
	uint8_t cap;		/* the ring's room: 4, 8 ... ANA_RING */
	/* (nsegs, head and cap are bytes: ANA_RING is at most 128) */
	uint8_t span_used;	/* the folded span holds segments */
	uint8_t nsack;		/* the SACK blocks of its last segment */
	uint32_t sack_le[4], sack_re[4];
	uint32_t span_seq, span_nextseq;
	struct ana_seg *seg;	/* small[] at first, then grown on the heap
				 * as segments wait, up to ANA_RING */
	struct ana_seg small[ANA_SMALL];	/* a short conversation's */
};

struct dis_ana {
	struct ana_dir dir[2];
	int64_t ts_first, ts_prev;
	int64_t ts_mru_syn;
	int64_t first_rtt;	/* 0: not known */
	uint8_t have_first, have_syn;
	uint8_t completeness;
};

_Static_assert(ANA_RING <= 128, "the ring's counts are bytes");
_Static_assert(sizeof(struct dis_ana) + 2 * ANA_RING * sizeof(struct ana_seg)
	       <= ANA_BYTES,
	       "the analysis state outgrew what docs/socklab.1 states");

static void ana_init(struct dis_ana *a)
{
	for (int i = 0; i < 2; i++) {
		a->dir[i].seg = a->dir[i].small;
		a->dir[i].cap = ANA_SMALL;
		a->dir[i].valid_bif = 1;
	}
}

struct dis_ana *dis_ana_new(void)
{
	struct dis_ana *a = malloc(sizeof(*a));

	if (a) {
		memset(a, 0, sizeof(*a));
		ana_init(a);
	}
	return a;
}

void dis_ana_reset(struct dis_ana *a)
{
	for (int i = 0; i < 2; i++)
		if (a->dir[i].seg != a->dir[i].small)
			free(a->dir[i].seg);
	memset(a, 0, sizeof(*a));
	ana_init(a);
}

void dis_ana_free(struct dis_ana *a)
{
	if (!a)
		return;
	for (int i = 0; i < 2; i++)
		if (a->dir[i].seg != a->dir[i].small)
			free(a->dir[i].seg);
	free(a);
}

void dis_ana_reused(struct dis_ana *a)
{
	a->completeness = ANA_C_SYN;
}

/* a - b, saturated: time stamps from a file can be anything */
static int64_t ts_sub(int64_t a, int64_t b)
{
	int64_t d;

	if (__builtin_sub_overflow(a, b, &d))
		d = a < b ? INT64_MIN : INT64_MAX;
	return d;
}

/* How long since t0, as tshark reckons it (unsigned: time going back
 * is a long time) */
static uint64_t since(int64_t ts, int64_t t0)
{
	int64_t d = ts_sub(ts, t0);

	return d < 0 ? UINT64_MAX : (uint64_t)d;
}

static int gt_seq(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static int lt_seq(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static int le_seq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

static struct ana_seg *ring_at(struct ana_dir *d, unsigned i)
{
	return &d->seg[(d->head + i) & (d->cap - 1u)];	/* cap: 2^k */
}

/* Twice the room, the waiting segments in order from 0; 0, or -1 at
 * ANA_RING or out of memory (the caller folds instead). */
static int ring_grow(struct ana_dir *d)
{
	unsigned cap = d->cap * 2u;
	struct ana_seg *v;

	if (cap > ANA_RING || !(v = malloc(cap * sizeof(*v))))
		return -1;
	for (unsigned i = 0; i < d->nsegs; i++)
		v[i] = *ring_at(d, i);
	if (d->seg != d->small)
		free(d->seg);
	d->seg = v;
	d->cap = (uint8_t)cap;
	d->head = 0;
	return 0;
}

/* A sent segment: into the ring, the oldest folded when it is full. */
static void ring_add(struct ana_dir *d, uint32_t seq, uint32_t nextseq,
		     uint32_t frame, int64_t ts)
{
	struct ana_seg *s;

	if (d->nsegs == d->cap && ring_grow(d) < 0) {
		s = ring_at(d, 0);
		if (!d->span_used) {
			d->span_seq = s->seq;
			d->span_nextseq = s->nextseq;
			d->span_used = 1;
		} else {
			if (lt_seq(s->seq, d->span_seq))
				d->span_seq = s->seq;
			if (gt_seq(s->nextseq, d->span_nextseq))
				d->span_nextseq = s->nextseq;
		}
		d->head = (uint8_t)((d->head + 1) & (d->cap - 1u));
		d->nsegs--;
	}
	s = ring_at(d, d->nsegs++);
	s->seq = seq;
	s->nextseq = nextseq;
	s->frame = frame;
	s->ts = ts;
}

/* What ack acknowledges in d (the other direction's segments): those it
 * covers leave, one it cuts starts at ack; the oldest it ends exactly is
 * the acked frame (tshark's list is newest first, its last match wins). */
static void ring_ack(struct ana_dir *d, uint32_t ack, int64_t ts,
		     struct dis_ana_out *o)
{
	unsigned keep = 0, n = d->nsegs;
	int matched = 0;

	for (unsigned i = 0; i < n; i++) {
		struct ana_seg s = *ring_at(d, i);

		if (ack == s.nextseq) {
			if (!matched) {
				o->acks_frame = s.frame;
				o->ack_rtt = ts_sub(ts, s.ts);
				o->has_ta = 1;
				matched = 1;
			}
			continue;
		}
		if (gt_seq(ack, s.seq) && le_seq(ack, s.nextseq))
			s.seq = ack;
		else if (!gt_seq(s.nextseq, ack))
			continue;	/* old: acknowledged */
		*ring_at(d, keep++) = s;
	}
	d->nsegs = (uint8_t)keep;
	if (d->span_used) {
		if (!gt_seq(d->span_nextseq, ack))
			d->span_used = 0;
		else if (gt_seq(ack, d->span_seq))
			d->span_seq = ack;
	}
}

/* From the lowest sequence number not acknowledged to the highest sent,
 * relative to base (as tshark compares them). */
static uint32_t in_flight_of(struct ana_dir *fw, uint32_t base)
{
	uint32_t lo, last;

	if (fw->nsegs) {
		lo = ring_at(fw, fw->nsegs - 1)->seq - base;
		last = ring_at(fw, fw->nsegs - 1)->nextseq - base;
	} else {
		lo = fw->span_seq - base;
		last = fw->span_nextseq - base;
	}
	for (unsigned k = 0; k < fw->nsegs; k++) {
		struct ana_seg *g = ring_at(fw, k);

		if (g->nextseq - base > last)
			last = g->nextseq - base;
		if (g->seq - base < lo)
			lo = g->seq - base;
	}
	if (fw->span_used) {
		if (fw->span_nextseq - base > last)
			last = fw->span_nextseq - base;
		if (fw->span_seq - base < lo)
			lo = fw->span_seq - base;
	}
	return last - lo;
}

void dis_analyze(struct dis_ana *a, int i, const struct dis_tcp_seg *s,
		 uint32_t base, int rev_shift, uint32_t frame, int64_t ts,
		 struct dis_ana_out *o)
{
	struct ana_dir *fw = &a->dir[i], *rv = &a->dir[!i];
	uint32_t seq = s->seq, ack = s->ack, seglen = s->seglen;
	uint32_t win = s->win, nextseq;
	unsigned fl = s->flags;
	int sfr = (fl & (TH_SYN | TH_FIN | TH_RST)) != 0;
	uint32_t *f = &o->flags;

	memset(o, 0, sizeof(*o));
	/* the stream's timestamps, completeness and initial RTT */
	int first = !a->have_first;

	if (first) {
		a->have_first = 1;
		a->ts_first = a->ts_prev = ts;
	}
	o->rel = ts_sub(ts, a->ts_first);
	o->delta = ts_sub(ts, a->ts_prev);
	a->ts_prev = ts;
	if ((fl & (TH_SYN | TH_ACK)) == TH_SYN) {
		a->ts_mru_syn = ts;
		a->have_syn = 1;
	}
	if ((fl & (TH_SYN | TH_ACK)) == TH_ACK && a->have_syn &&
	    a->first_rtt == 0)
		a->first_rtt = ts_sub(ts, a->ts_mru_syn);
	/* tshark shows what the stream's earlier frames made; of its first
	 * frame only a SYN counts */
	o->completeness = a->completeness;
	if (first) {
		if ((fl & (TH_SYN | TH_ACK)) == TH_SYN)
			a->completeness |= ANA_C_SYN;
	} else {
		/* a segment with data counts as data, not as an ACK */
		if (fl & TH_SYN)
			a->completeness |= fl & TH_ACK ? ANA_C_SYNACK :
				ANA_C_SYN;
		else if (seglen > 0)
			a->completeness |= ANA_C_DATA;
		else if (fl & TH_ACK)
			a->completeness |= ANA_C_ACK;
		if (fl & TH_FIN)
			a->completeness |= ANA_C_FIN;
		if (fl & TH_RST)
			a->completeness |= ANA_C_RST;
	}
	o->first_rtt = a->first_rtt;
	if ((fl & (TH_SYN | TH_ACK)) == TH_ACK)
		fw->not_first_ack = 1;

	if (fl & TH_ACK)
		rv->valid_bif = 1;
	if (seglen == 1 && seq == fw->nextseq && rv->window == 0) {
		*f |= ANA_ZERO_WINDOW_PROBE;
		goto finished_fwd;
	}
	if (win == 0 && !sfr)
		*f |= ANA_ZERO_WINDOW;
	if (fw->nextseq && gt_seq(seq, fw->nextseq) && !(fl & TH_RST)) {
		*f |= ANA_LOST_SEGMENT;
		fw->valid_bif = 0;
	}
	if (seglen <= 1 && seq == fw->nextseq - 1 &&
	    !(fl & (TH_SYN | TH_FIN | TH_RST)))
		*f |= ANA_KEEP_ALIVE;
	if (seglen == 0 && win && win != fw->window && seq == fw->nextseq &&
	    ack == fw->lastack && !sfr)
		*f |= ANA_WINDOW_UPDATE;
	if (seglen > 0 && rev_shift != -1 && !sfr) {
		int sh = rev_shift < 0 || !rv->not_first_ack ? 0 : rev_shift;

		if (seq + seglen == rv->lastack + (rv->window << sh))
			*f |= ANA_WINDOW_FULL;
	}
	if (seglen == 0 && win && win == fw->window && seq == fw->nextseq &&
	    ack == fw->lastack && (rv->lastsegflags & ANA_KEEP_ALIVE) &&
	    !sfr) {
		*f |= ANA_KEEP_ALIVE_ACK;
		goto finished_fwd;
	}
	if (seglen == 0 && win == 0 && win == fw->window &&
	    seq == fw->nextseq &&
	    (ack == fw->lastack || ack == fw->lastack + 1) &&
	    (rv->lastsegflags & ANA_ZERO_WINDOW_PROBE) && !sfr) {
		*f |= ANA_ZERO_WINDOW_PROBE_ACK;
		/* the receiver took the probe's byte after all */
		if (ack == fw->lastack + 1) {
			rv->nextseq = ack;
			rv->maxseqtobeacked = ack;
		}
		goto finished_fwd;
	}
	if (seglen == 0 && win && win == fw->window && seq == fw->nextseq &&
	    ack == fw->lastack && !sfr) {
		fw->dupacknum++;
		*f |= ANA_DUPLICATE_ACK;
		o->dupack_num = fw->dupacknum;
		o->dupack_frame = fw->lastnondupack;
	}
finished_fwd:
	if (ack != fw->lastack) {
		fw->lastnondupack = frame;
		fw->dupacknum = 0;
	}
	if (rv->maxseqtobeacked && gt_seq(ack, rv->maxseqtobeacked) &&
	    (fl & TH_ACK)) {
		*f |= ANA_ACK_LOST_SEGMENT;
		rv->maxseqtobeacked = rv->nextseq;
	}
	if ((seglen > 0 || (fl & (TH_SYN | TH_FIN))) &&
	    !(*f & ANA_KEEP_ALIVE)) {
		int not_adv = fw->nextseq && lt_seq(seq, fw->nextseq);
		int64_t ooo = a->first_rtt ? a->first_rtt : 3000000;

		/* already acknowledged: spurious, whatever else it is */
		if (seglen > 0 && rv->lastack &&
		    le_seq(seq + seglen, rv->lastack))
			*f |= ANA_SPURIOUS_RETRANSMISSION;
		else if (not_adv && rv->dupacknum >= 2 && rv->lastack == seq &&
			 since(ts, rv->lastacktime) < 20000000)
			*f |= ANA_FAST_RETRANSMISSION;
		else if (not_adv && since(ts, fw->nextseqtime) < (uint64_t)ooo &&
			 fw->nextseq != seq + seglen +
			 !!(fl & (TH_SYN | TH_FIN)))
			*f |= ANA_OUT_OF_ORDER;
		else if (not_adv)
			*f |= ANA_RETRANSMISSION;
	}
	nextseq = seq + seglen;
	if (seglen || (fl & (TH_SYN | TH_FIN))) {
		if (fl & (TH_SYN | TH_FIN))
			nextseq++;
		ring_add(fw, seq, nextseq, frame, ts);
	}
	if ((gt_seq(nextseq, fw->nextseq) || !fw->nextseq) &&
	    !(*f & ANA_ZERO_WINDOW_PROBE)) {
		fw->nextseq = nextseq;
		fw->nextseqframe = frame;
		fw->nextseqtime = ts;
	}
	if ((seq == fw->maxseqtobeacked || !fw->maxseqtobeacked) &&
	    !(*f & ANA_ZERO_WINDOW_PROBE))
		fw->maxseqtobeacked = fw->nextseq;
	fw->window = win;
	fw->nsack = s->nsack;
	for (unsigned k = 0; k < s->nsack; k++) {
		fw->sack_le[k] = s->sack_le[k];
		fw->sack_re[k] = s->sack_re[k];
	}
	fw->lastack = ack;
	fw->lastacktime = ts;
	fw->lastsegflags = *f;
	ring_ack(rv, ack, ts, o);
	/* bytes in flight: from the lowest unacknowledged byte to the
	 * highest sent, counted from the base as tshark does, while the
	 * sender's data is contiguous; the bytes since the last PSH count
	 * on then, and show with the bytes in flight only (as tshark) */
	if (seglen && fw->valid_bif) {
		uint32_t push, in_flight = in_flight_of(fw, base);

		if (fl & TH_PUSH) {
			push = fw->push_set_last ? seglen :
			       fw->push_bytes_sent + seglen;
			fw->push_set_last = 1;
		} else if (fw->push_set_last) {
			push = seglen;
			fw->push_set_last = 0;
		} else {
			push = fw->push_bytes_sent + seglen;
		}
		fw->push_bytes_sent = push;
		o->has_ta = 1;
		/* what the other side's last segment SACKed is not in
		 * flight, nor is a FIN */
		for (unsigned k = 0; k < rv->nsack; k++)
			in_flight -= rv->sack_re[k] - rv->sack_le[k];
		if (fl & TH_FIN)
			in_flight--;
		if (in_flight > 0 && in_flight < 2000000000) {
			o->bytes_in_flight = in_flight;
			o->push_bytes_sent = push;
		}
	}
	if (*f)
		o->has_ta = 1;
}
