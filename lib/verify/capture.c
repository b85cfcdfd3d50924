/* capture.c - what a bundle's capture holds: the comments socklab wrote
 * into its pcapng header, every TCP handshake (client and server ends,
 * both initial sequence numbers), the frames whose payload from the
 * client carries the student's name, and the time the capture spans */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/bytestream.h"
#include "socklab/capture.h"
#include "socklab/render.h"
#include "verify-int.h"

enum { FIN = 1, SYN = 2, RST = 4, ACK = 16 };

static int comment(unsigned code, const uint8_t *v, size_t n, void *arg)
{
	struct vcapture *c = arg;
	static const char student[] = "student: ", run[] = "run: ";

	if (code == 4)
		snprintf(c->app, sizeof(c->app), "%.*s", (int)n, (const char *)v);
	if (code != 1)
		return 0;
	if (n > sizeof(student) - 1 && !memcmp(v, student, sizeof(student) - 1))
		snprintf(c->student, sizeof(c->student), "%.*s",
			 (int)(n - sizeof(student) + 1),
			 (const char *)v + sizeof(student) - 1);
	if (n > sizeof(run) - 1 && !memcmp(v, run, sizeof(run) - 1))
		snprintf(c->run_id, sizeof(c->run_id), "%.*s",
			 (int)(n - sizeof(run) + 1),
			 (const char *)v + sizeof(run) - 1);
	return 0;
}

static void ends(const struct sl_packet *p, char *src, char *dst, size_t n)
{
	const struct sl_fval *s = sl_pkt_get(p, SL_F_IP_SRC);
	const struct sl_fval *d = sl_pkt_get(p, SL_F_IP_DST);
	char a[48] = "?", b[48] = "?";
	unsigned sp = (unsigned)sl_pkt_uint(p, SL_F_TCP_SRCPORT, 0);
	unsigned dp = (unsigned)sl_pkt_uint(p, SL_F_TCP_DSTPORT, 0);

	if (s && d) {
		sl_fmt_ipv4(a, (uint32_t)s->v.u);
		sl_fmt_ipv4(b, (uint32_t)d->v.u);
		snprintf(src, n, "%s:%u", a, sp);
		snprintf(dst, n, "%s:%u", b, dp);
		return;
	}
	s = sl_pkt_get(p, SL_F_IPV6_SRC);
	d = sl_pkt_get(p, SL_F_IPV6_DST);
	if (s && d) {
		sl_fmt_ipv6(a, s->v.bytes.p);
		sl_fmt_ipv6(b, d->v.bytes.p);
	}
	snprintf(src, n, "[%s]:%u", a, sp);
	snprintf(dst, n, "[%s]:%u", b, dp);
}

/* A handshake of the capture, followed from its SYN on. */
static void track(struct vcapture *c, const struct sl_packet *p)
{
	unsigned f = (unsigned)sl_pkt_uint(p, SL_F_TCP_FLAGS, 0);
	uint32_t seq = (uint32_t)sl_pkt_uint(p, SL_F_TCP_SEQ_RAW, 0);
	uint32_t ack = (uint32_t)sl_pkt_uint(p, SL_F_TCP_ACK_RAW, 0);
	uint16_t sp = (uint16_t)sl_pkt_uint(p, SL_F_TCP_SRCPORT, 0);
	uint16_t dp = (uint16_t)sl_pkt_uint(p, SL_F_TCP_DSTPORT, 0);
	char src[64], dst[64];

	ends(p, src, dst, sizeof(src));
	if ((f & (SYN | ACK)) == SYN && c->nhs < VHANDSHAKES) {
		struct vhandshake *h = &c->hs[c->nhs++];

		memset(h, 0, sizeof(*h));
		snprintf(h->client, sizeof(h->client), "%s", src);
		snprintf(h->server, sizeof(h->server), "%s", dst);
		h->cport = sp;
		h->sport = dp;
		h->isn_c = seq;
		h->frames[0] = (uint32_t)p->number;
		h->t_syn = p->ts_ns;
		return;
	}
	for (size_t i = 0; i < c->nhs; i++) {
		struct vhandshake *h = &c->hs[i];

		if (h->complete)
			continue;
		if ((f & (SYN | ACK)) == (SYN | ACK) && !strcmp(src, h->server) &&
		    !strcmp(dst, h->client) && ack == h->isn_c + 1) {
			h->isn_s = seq;
			h->frames[1] = (uint32_t)p->number;
		} else if ((f & (SYN | ACK | RST)) == ACK && h->frames[1] &&
			   !strcmp(src, h->client) && !strcmp(dst, h->server) &&
			   ack == h->isn_s + 1) {
			h->frames[2] = (uint32_t)p->number;
			h->complete = 1;
		}
	}
}

/* One pass over the capture: handshakes, or (port set) what clients sent
 * to port into sent. */
struct pass {
	struct vcapture *c;
	uint16_t port;
	struct sl_bytestreams *sent;
};

static int pass_frame(struct sl_packet *p, void *arg)
{
	struct pass *ps = arg;
	struct vcapture *c = ps->c;

	if (p->number == 1)
		c->first_ns = p->ts_ns;
	c->last_ns = p->ts_ns;
	c->frames = (uint32_t)p->number;
	if (ps->port) {
		sl_bytestreams_packet(ps->sent, NULL, ps->port, p);
		return 0;
	}
	c->arp += sl_pkt_has(p, SL_F_ARP);
	if (sl_pkt_has(p, SL_F_TCP))
		track(c, p);
	return 0;
}

static int pass(struct vcapture *c, const uint8_t *data, size_t n,
		uint16_t port, struct sl_bytestreams *sent)
{
	struct sl_capture_opts o = { .data = data, .data_len = n };
	struct pass ps = { c, port, sent };
	struct sl_capture_walk w = { NULL, pass_frame, &ps, 0, 0 };
	struct sl_err e;
	int rc = sl_capture_walk(&o, &w, &e);

	if (rc < 0)
		snprintf(c->err, sizeof(c->err), "%s", e.msg);
	return rc;
}

/* The frames carrying name in what clients sent to port; how many. */
static size_t find_name(struct vcapture *c, const uint8_t *data, size_t n,
			uint16_t port, const char *name)
{
	struct sl_bytestreams sent;
	size_t k = 0;

	sl_bytestreams_init(&sent);
	if (pass(c, data, n, port, &sent) == 0)
		sl_bytestreams_find(&sent, name, strlen(name), c->name_frames,
				    &k, SL_ARRAY_SIZE(c->name_frames), NULL);
	sl_bytestreams_release(&sent);
	c->nname_frames = k;
	return k;
}

/* The handshake to check: the first whose client sent the name, else the
 * first complete one to a port above 59000, else the first complete. */
static void choose(struct vcapture *c, const uint8_t *data, size_t n,
		   const char *name)
{
	int above = -1, any = -1;

	c->chosen = -1;
	for (size_t i = 0; i < c->nhs; i++) {
		if (!c->hs[i].complete)
			continue;
		if (any < 0)
			any = (int)i;
		if (above < 0 && c->hs[i].sport > 59000)
			above = (int)i;
		if (name && *name && find_name(c, data, n, c->hs[i].sport, name)) {
			c->chosen = (int)i;
			return;
		}
	}
	c->chosen = above >= 0 ? above : any;
	c->nname_frames = 0;
}

int vcapture_read(struct vcapture *c, const uint8_t *data, size_t n,
		  const char *name)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->chosen = -1;
	c->pcapng = sl_pcapng_shb_options(data, n, comment, c) == 0;
	if ((rc = pass(c, data, n, 0, NULL)) < 0)
		return rc;
	choose(c, data, n, name);
	return 0;
}
