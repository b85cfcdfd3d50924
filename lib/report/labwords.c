/* labwords.c - what the lab's renderers share: what TCP states mean, the
 * time line in time order, times relative to the start of the run */
#include <errno.h>
#include <stdlib.h>

#include "report-int.h"
#include "socklab/diag.h"

/* What a student should take from each state (names: sl_tcp_state_name). */
struct state_words {
	int state;
	const char *lesson;
};

static const struct state_words states[] = {
	{ SL_TCP_LISTEN, "the socket waits for connections; the kernel "
	  "completes handshakes on its own and queues them until the "
	  "program calls accept()" },
	{ SL_TCP_SYN_SENT, "connect() sent a SYN and waits for the SYN-ACK" },
	{ SL_TCP_SYN_RECV, "a SYN arrived and was answered; waiting for the "
	  "last ACK of the handshake" },
	{ SL_TCP_NEW_SYN_RECV, "a SYN arrived and was answered; waiting for "
	  "the last ACK of the handshake" },
	{ SL_TCP_ESTABLISHED, "the connection is open and bytes may flow "
	  "both ways; on the server this happens in the kernel, before "
	  "accept() returns" },
	{ SL_TCP_FIN_WAIT1, "this side closed first and sent a FIN; waiting "
	  "for its ACK" },
	{ SL_TCP_FIN_WAIT2, "our FIN was acknowledged; waiting for the "
	  "peer's FIN" },
	{ SL_TCP_CLOSE_WAIT, "the peer closed (its FIN arrived); this "
	  "program still has to call close()" },
	{ SL_TCP_LAST_ACK, "closed after the peer; waiting for the ACK of "
	  "our FIN" },
	{ SL_TCP_CLOSING, "both sides closed at once; waiting for the ACK "
	  "of our FIN" },
	{ SL_TCP_TIME_WAIT, "the side that closed first keeps the "
	  "connection's address pair for 60 s on Linux, so late packets "
	  "cannot confuse a new connection" },
	{ SL_TCP_CLOSE, "the socket is closed" },
};

static const struct state_words *find_state(int state)
{
	for (size_t i = 0; i < SL_ARRAY_SIZE(states); i++)
		if (states[i].state == state)
			return &states[i];
	return NULL;
}

const char *sl_lab_state_lesson(int state)
{
	const struct state_words *w = find_state(state);

	return w ? w->lesson : NULL;
}

const char *sl_lab_state_name(const struct sl_tl_event *ev, int state)
{
	if (ev->udp && state == SL_TCP_CLOSE)
		return "UNCONN";
	return sl_tcp_state_name(state);
}

const char *sl_lab_udp_state_lesson(int state)
{
	if (state == SL_TCP_CLOSE)
		return "an unconnected UDP socket: it takes datagrams from anyone and answers each to its sender";
	if (state == SL_TCP_ESTABLISHED)
		return "a connected UDP socket: its kernel remembers the peer, but no packet said so to the other side";
	return NULL;
}

struct order_key {
	int64_t t;
	size_t i;
};

static int order_cmp(const void *a, const void *b)
{
	const struct order_key *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;	/* stable */
}

size_t *sl_lab_order(const struct sl_lab *lab, size_t *n)
{
	struct order_key *k;
	size_t *v, *idx = NULL;

	*n = lab->tl.n;
	if (*n == 0)
		return NULL;
	k = calloc(*n, sizeof(*k));
	v = calloc(*n, sizeof(*v));
	if (!k || !v)
		goto out;	/* NULL with *n > 0: out of memory */
	for (size_t i = 0; i < *n; i++) {
		k[i].t = lab->tl.v[i].t_ns;
		k[i].i = i;
	}
	qsort(k, *n, sizeof(*k), order_cmp);
	for (size_t i = 0; i < *n; i++)
		v[i] = k[i].i;
	idx = v;
	v = NULL;
out:
	free(k);
	free(v);
	return idx;
}

int sl_lab_ms(struct sl_buf *b, const struct sl_lab *lab, int64_t t_ns)
{
	int64_t d = t_ns - lab->t0_ns;
	uint64_t u = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;

	return sl_buf_printf(b, "%s%llu.%03llu", d < 0 ? "-" : "",
			     (unsigned long long)(u / 1000000),
			     (unsigned long long)(u / 1000 % 1000));
}
