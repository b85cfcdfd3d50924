/* gre.c - GRE (checksum, key and sequence number as the flags say) and
 * what it carries: an EtherType's protocol, an Ethernet frame (transparent
 * bridging), or ERSPAN I, II and III mirrors of one */
#include "dissect-int.h"

enum { GRE_C = 0x8000, GRE_R = 0x4000, GRE_K = 0x2000, GRE_S = 0x1000,
       PROTO_TEB = 0x6558, PROTO_ERSPAN = 0x88be, PROTO_ERSPAN3 = 0x22eb };

/* ERSPAN: type I (no header, no sequence number in GRE), II (8 bytes),
 * III (12, and 8 more when the O bit asks for the platform part). */
static int erspan(struct dis *d, unsigned proto, int seq, uint32_t off,
		  uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	uint32_t hl;

	if (dis_layer(d, SL_F_ERSPAN, off, 0) < 0)
		return -1;
	if (proto == PROTO_ERSPAN && !seq)	/* type I */
		return dis_eth(d, off, end);
	if (end - off < 4)
		return dis_short(d, SL_F_ERSPAN, "ERSPAN header cut short");
	if (dis_uint(d, SL_F_ERSPAN_VERSION, off, 2, b[0] >> 4) < 0 ||
	    dis_uint(d, SL_F_ERSPAN_VLAN, off, 2, dis_be16(b) & 0xfff) < 0 ||
	    dis_uint(d, SL_F_ERSPAN_SPANID, off + 2, 2,
		     dis_be16(b + 2) & 0x3ff) < 0)
		return -1;
	hl = proto == PROTO_ERSPAN ? 8 : 12;
	if (proto == PROTO_ERSPAN3 && end - off >= 12 && (b[11] & 1))
		hl += 8;		/* the platform-specific subheader */
	dis_layer_len(d, hl);
	if (end - off < hl)
		return dis_short(d, SL_F_ERSPAN, "ERSPAN header cut short");
	return dis_eth(d, off + hl, end);
}

int dis_gre(struct dis *d, uint32_t off, uint32_t end)
{
	const uint8_t *b = d->p->data + off;
	unsigned fl, proto;
	uint32_t at = 4;

	if (dis_layer(d, SL_F_GRE, off, 4) < 0)
		return -1;
	if (end - off < 4)
		return dis_short(d, SL_F_GRE, "GRE header cut short");
	fl = dis_be16(b);
	proto = dis_be16(b + 2);
	if (dis_uint(d, SL_F_GRE_FLAGS_AND_VERSION, off, 2, fl) < 0 ||
	    dis_uint(d, SL_F_GRE_PROTO, off + 2, 2, proto) < 0)
		return -1;
	if (fl & (GRE_C | GRE_R)) {	/* checksum and offset */
		if (end - off < at + 4)
			return dis_short(d, SL_F_GRE, "GRE checksum cut short");
		if ((fl & GRE_C) && dis_uint(d, SL_F_GRE_CHECKSUM, off + at, 2,
					     dis_be16(b + at)) < 0)
			return -1;
		at += 4;
	}
	if (fl & GRE_K) {
		if (end - off < at + 4)
			return dis_short(d, SL_F_GRE, "GRE key cut short");
		if (dis_uint(d, SL_F_GRE_KEY, off + at, 4, dis_be32(b + at)) < 0)
			return -1;
		at += 4;
	}
	if (fl & GRE_S) {
		if (end - off < at + 4)
			return dis_short(d, SL_F_GRE, "GRE sequence number cut "
					 "short");
		if (dis_uint(d, SL_F_GRE_SEQUENCE_NUMBER, off + at, 4,
			     dis_be32(b + at)) < 0)
			return -1;
		at += 4;
	}
	dis_layer_len(d, at);
	if (fl & GRE_R) {		/* source routes: not dissected */
		dis_data(d, off + at, end);
		return 0;
	}
	if (proto == PROTO_TEB)
		return dis_eth(d, off + at, end);
	if (proto == PROTO_ERSPAN || proto == PROTO_ERSPAN3)
		return erspan(d, proto, fl & GRE_S, off + at, end);
	return dis_ethertype(d, proto, off + at, end);
}
