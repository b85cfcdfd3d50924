/* tap-int.h - what the taps share: the addresses of a packet's layers,
 * a hash index over an array of entries, UDP stream numbers, tshark's
 * ways of writing sizes and addresses. */
#ifndef SOCKLAB_TAP_INT_H
#define SOCKLAB_TAP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "socklab/tap.h"

/* One end of a conversation: an address of a layer (IPv4, IPv6 or
 * Ethernet) and, for TCP and UDP, a port. */
enum { TAP_AF_NONE, TAP_AF_IP4, TAP_AF_IP6, TAP_AF_ETH };
struct tap_addr {
	uint8_t fam;
	uint8_t a[16];
	uint16_t port;
};

int tap_addr_eq(const struct tap_addr *x, const struct tap_addr *y);
/* The ends of p's n-th layer l (from 0: a tunnel has several, each
 * tapped as tshark does): 1 with *src and *dst filled, 0 when p has no
 * such layer.  What an ICMP error quotes is not the packet's own (tshark
 * taps it not either). */
int tap_ends(const struct sl_packet *p, enum sl_tap_layer l, int n,
	     struct tap_addr *src, struct tap_addr *dst);
/* Index of the first layer of proto in p, or -1. */
int tap_layer(const struct sl_packet *p, int proto);
/* Adds what tap_ends reads for l. */
void tap_ends_fields(enum sl_tap_layer l, struct sl_fieldset *s);

/* "127.0.0.1", "::1", "02:00:00:00:00:01" ("Broadcast", "IPv6mcast_16"
 * as tshark names them); with brackets for IPv6 when asked (follow's
 * "[::1]:40001"). */
int tap_put_addr(struct sl_buf *b, const struct tap_addr *a, int brackets);
/* base64 of n bytes */
int tap_put_base64(struct sl_buf *b, const uint8_t *p, size_t n);

/* An open-addressing index into an array of entries the caller owns:
 * slots hold entry numbers + 1. */
struct tap_index {
	uint32_t *slot;
	size_t cap;		/* a power of two, or 0 */
	size_t n;
};
typedef int (*tap_eq_fn)(const void *ctx, uint32_t entry, const void *key);
/* The entry with key (eq decides), or -1; *where is the slot to
 * tap_index_put into when it is not there. */
int64_t tap_index_find(const struct tap_index *x, uint64_t hash,
		       tap_eq_fn eq, const void *ctx, const void *key,
		       size_t *where);
/* Records entry at where (from the find just before); grows the index
 * (rehash) through rehash(ctx, entry) when it fills.  0 or -ENOMEM. */
int tap_index_put(struct tap_index *x, size_t where, uint32_t entry,
		  uint64_t (*rehash)(const void *ctx, uint32_t entry),
		  const void *ctx);
void tap_index_free(struct tap_index *x);
uint64_t tap_hash(const void *p, size_t n, uint64_t h);
/* Room for one more element of size elem in the array *v of n used and
 * *cap allocated (doubled, first when empty): 0 or -ENOMEM, *v then
 * untouched. */
int tap_grow(void *v, uint32_t n, uint32_t *cap, size_t elem, uint32_t first);
/* tshark's order of a report's n rows (size bytes each, from rows):
 * most frames first, ties in the order first seen; a row's frames are
 * the sum of its two uint64_t counts at offsets tx and rx.  *ord gets
 * the indices in that order (the caller frees it).  0 or -ENOMEM. */
int tap_rank(const void *rows, uint32_t n, size_t size, size_t tx, size_t rx,
	     uint32_t **ord);
/* A report's table, as conv and endpoints write it: the n rows in
 * tap_rank's order, each by row, the output flushed as it grows.  0,
 * -ENOMEM or the flush's code. */
typedef int (*tap_row_fn)(struct sl_buf *out, const struct sl_tap *t,
			  const void *row);
int tap_rows(struct sl_tap *t, struct sl_buf *out, const void *rows,
	     uint32_t n, size_t size, size_t tx, size_t rx, tap_row_fn row);
/* The layer as tshark's titles name it ("IPv4 Conversations"). */
const char *tap_layer_title(enum sl_tap_layer l);
/* The rule above and below tshark's -z conv and endpoints tables. */
extern const char tap_bar[];

/* UDP streams numbered as tshark's udp.stream: one per address and port
 * pair (either way), in the order first seen. */
struct tap_udp {
	struct tap_addr (*ends)[2];
	uint32_t n, cap;
	struct tap_index idx;
};
/* The stream of a datagram from a to b: >= 0, or -ENOMEM. */
int64_t tap_udp_stream(struct tap_udp *u, const struct tap_addr *a,
		       const struct tap_addr *b);
void tap_udp_free(struct tap_udp *u);

/* The taps, each with its own state behind these. */
struct tap_ops {
	void (*fields)(const struct sl_tap *t, struct sl_fieldset *s);
	int (*packet)(struct sl_tap *t, const struct sl_packet *p);
	int (*report)(struct sl_tap *t, struct sl_buf *out);
	void (*free)(struct sl_tap *t);
};
struct sl_tap {
	const struct tap_ops *ops;
	struct sl_tap_opts o;
	void *state;
	sl_tap_flush_fn flush;	/* while a report is written */
	void *flush_arg;
};
/* After a report's row: out handed to the caller's flush once it holds
 * 64 KiB.  0 or its code. */
int tap_row_done(struct sl_tap *t, struct sl_buf *out);
int tap_conv_init(struct sl_tap *t);
int tap_endpoints_init(struct sl_tap *t);
int tap_follow_init(struct sl_tap *t);
int tap_expert_init(struct sl_tap *t);

#endif
