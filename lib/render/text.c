/* text.c - the summary line (tshark's default columns), the -V tree and
 * the -x hex dump */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "render-int.h"

/* A bounded writer: output past the end is dropped, never overflows. */
struct ob {
	char *p, *end;
};

static void put(struct ob *o, const char *s, size_t n)
{
	size_t room = (size_t)(o->end - o->p);

	if (n > room)
		n = room;
	memcpy(o->p, s, n);
	o->p += n;
}

static void puts_(struct ob *o, const char *s)
{
	put(o, s, strlen(s));
}

static void putu(struct ob *o, uint64_t u)
{
	char t[21];

	put(o, t, sl_fmt_uint(t, u));
}

static void pad(struct ob *o, size_t n)
{
	static const char sp[] = "                ";

	while (n > 0) {
		size_t k = n < sizeof(sp) - 1 ? n : sizeof(sp) - 1;

		put(o, sp, k);
		n -= k;
	}
}

/* s right-aligned in width (or left-aligned when left) */
static void col(struct ob *o, const char *s, size_t n, size_t width,
		int left)
{
	if (!left && n < width)
		pad(o, width - n);
	put(o, s, n);
	if (left && n < width)
		pad(o, width - n);
}

static uint64_t lu(const struct sl_packet *p, const struct sl_layer *l,
		   int field);

/* The layer whose Protocol and Info the summary shows: the last one that
 * is not bare Data. */
static const struct sl_layer *top_layer(const struct sl_packet *p)
{
	/* an ICMP error's quoted packet does not speak for the packet */
	for (int i = 1; i < p->nlayers; i++)
		if (p->layers[i].proto == SL_F_ICMP ||
		    p->layers[i].proto == SL_F_ICMPV6)
			return &p->layers[i];
	for (int i = p->nlayers - 1; i > 0; i--)
		if (p->layers[i].proto != SL_F_DATA)
			return &p->layers[i];
	return p->nlayers ? &p->layers[0] : NULL;
}

const char *sl_render_protocol(const struct sl_packet *p)
{
	const struct sl_layer *l = top_layer(p);

	if (l && l->proto == SL_F_TLS)
		return sl_render_tls_version(p, l);
	if (l && l->proto == SL_F_ARP && (lu(p, l, SL_F_ARP_OPCODE) == 3 ||
					  lu(p, l, SL_F_ARP_OPCODE) == 4))
		return "RARP";
	return l ? sl_proto_short(l->proto) : "";
}

/* The values of one layer: [first, last). */
static void layer_range(const struct sl_packet *p, const struct sl_layer *l,
			const struct sl_fval **first,
			const struct sl_fval **last)
{
	size_t i = (size_t)(l - p->layers);

	*first = &p->vals[l->first_val];
	*last = i + 1 < p->nlayers ? &p->vals[p->layers[i + 1].first_val] :
		&p->vals[p->nvals];
}

static const struct sl_fval *in_layer(const struct sl_packet *p,
				      const struct sl_layer *l, int field)
{
	return sl_pkt_get_in(p, (unsigned)(l - p->layers), field);
}

static uint64_t lu(const struct sl_packet *p, const struct sl_layer *l,
		   int field)
{
	const struct sl_fval *v = in_layer(p, l, field);

	return v ? v->v.u : 0;
}

static const struct sl_tok tcp_flag_names[] = {
	{ 0x001, "FIN" }, { 0x002, "SYN" }, { 0x004, "RST" }, { 0x008, "PSH" },
	{ 0x010, "ACK" }, { 0x020, "URG" }, { 0x040, "ECE" }, { 0x080, "CWR" },
	{ 0x100, "AE" }, { 0, NULL },
};

static void tcp_flags(struct ob *o, unsigned fl)
{
	int any = 0;

	put(o, "[", 1);
	for (const struct sl_tok *t = tcp_flag_names; t->name; t++) {
		if (!(fl & (unsigned)t->value))
			continue;
		if (any)
			put(o, ", ", 2);
		puts_(o, t->name);
		any = 1;
	}
	if (fl & 0xe00) {
		if (any)
			put(o, ", ", 2);
		puts_(o, "Reserved");
		any = 1;
	}
	if (!any)
		puts_(o, "<None>");
	put(o, "]", 1);
}

/* tshark's Info prefixes of the sequence analysis, in its order (it
 * prepends each in turn: the last it adds comes first) */
static const struct {
	uint16_t field;
	const char *text;
} tcp_prefixes[] = {
	{ SL_F_TCP_ANALYSIS_ZERO_WINDOW_PROBE_ACK, "[TCP ZeroWindowProbeAck] " },
	{ SL_F_TCP_ANALYSIS_ZERO_WINDOW, "[TCP ZeroWindow] " },
	{ SL_F_TCP_ANALYSIS_ZERO_WINDOW_PROBE, "[TCP ZeroWindowProbe] " },
	{ SL_F_TCP_ANALYSIS_DUPLICATE_ACK, NULL },	/* with its numbers */
	{ SL_F_TCP_ANALYSIS_KEEP_ALIVE_ACK, "[TCP Keep-Alive ACK] " },
	{ SL_F_TCP_ANALYSIS_KEEP_ALIVE, "[TCP Keep-Alive] " },
	{ SL_F_TCP_ANALYSIS_WINDOW_FULL, "[TCP Window Full] " },
	{ SL_F_TCP_ANALYSIS_WINDOW_UPDATE, "[TCP Window Update] " },
	{ SL_F_TCP_ANALYSIS_ACK_LOST_SEGMENT, "[TCP ACKed unseen segment] " },
	{ SL_F_TCP_ANALYSIS_LOST_SEGMENT,
	  "[TCP Previous segment not captured] " },
	{ SL_F_TCP_ANALYSIS_OUT_OF_ORDER, "[TCP Out-Of-Order] " },
	{ SL_F_TCP_ANALYSIS_FAST_RETRANSMISSION, "[TCP Fast Retransmission] " },
	{ SL_F_TCP_ANALYSIS_SPURIOUS_RETRANSMISSION,
	  "[TCP Spurious Retransmission] " },
	/* (a fast or spurious one is a retransmission too, named once) */
	{ SL_F_TCP_ANALYSIS_RETRANSMISSION, "[TCP Retransmission] " },
};

static void tcp_prefix(struct ob *o, const struct sl_packet *p,
		       const struct sl_layer *l)
{
	int named = 0;

	/* one look-up for the common packet: no flag at all */
	if (in_layer(p, l, SL_F_TCP_ANALYSIS_FLAGS))
		for (size_t i = 0; i < sizeof(tcp_prefixes) /
				       sizeof(tcp_prefixes[0]); i++) {
			int f = tcp_prefixes[i].field;

			if (!in_layer(p, l, f))
				continue;
			if (f == SL_F_TCP_ANALYSIS_FAST_RETRANSMISSION ||
			    f == SL_F_TCP_ANALYSIS_SPURIOUS_RETRANSMISSION)
				named = 1;
			if (f == SL_F_TCP_ANALYSIS_RETRANSMISSION && named)
				continue;
			if (tcp_prefixes[i].text) {
				puts_(o, tcp_prefixes[i].text);
				continue;
			}
			puts_(o, "[TCP Dup ACK ");
			putu(o, lu(p, l, SL_F_TCP_ANALYSIS_DUPLICATE_ACK_FRAME));
			put(o, "#", 1);
			putu(o, lu(p, l, SL_F_TCP_ANALYSIS_DUPLICATE_ACK_NUM));
			puts_(o, "] ");
		}
	if (in_layer(p, l, SL_F_TCP_ANALYSIS_REUSED_PORTS))
		puts_(o, "[TCP Port numbers reused] ");
}

size_t sl_render_tcp_marks(char *out, size_t cap, const struct sl_packet *p,
			   const struct sl_layer *l)
{
	struct ob o = { out, out + cap - 1 };

	if (!cap)
		return 0;
	tcp_prefix(&o, p, l);
	*o.p = '\0';
	return (size_t)(o.p - out);
}

void sl_render_tcp_marks_fields(struct sl_fieldset *s)
{
	for (size_t i = 0; i < sizeof(tcp_prefixes) / sizeof(tcp_prefixes[0]);
	     i++)
		sl_fieldset_add(s, tcp_prefixes[i].field);
	sl_fieldset_add(s, SL_F_TCP_ANALYSIS_FLAGS);
	sl_fieldset_add(s, SL_F_TCP_ANALYSIS_DUPLICATE_ACK_FRAME);
	sl_fieldset_add(s, SL_F_TCP_ANALYSIS_DUPLICATE_ACK_NUM);
	sl_fieldset_add(s, SL_F_TCP_ANALYSIS_REUSED_PORTS);
}

static void tcp_info(struct ob *o, const struct sl_packet *p,
		     const struct sl_layer *l)
{
	const struct sl_fval *v, *end;
	unsigned fl = (unsigned)lu(p, l, SL_F_TCP_FLAGS);

	tcp_prefix(o, p, l);
	putu(o, lu(p, l, SL_F_TCP_SRCPORT));
	puts_(o, " → ");
	putu(o, lu(p, l, SL_F_TCP_DSTPORT));
	if (!in_layer(p, l, SL_F_TCP_FLAGS))	/* cut after the ports */
		return;
	put(o, " ", 1);
	tcp_flags(o, fl);
	puts_(o, " Seq=");
	putu(o, lu(p, l, SL_F_TCP_SEQ));
	if (fl & 0x10) {
		puts_(o, " Ack=");
		putu(o, lu(p, l, SL_F_TCP_ACK));
	}
	puts_(o, " Win=");
	putu(o, lu(p, l, SL_F_TCP_WINDOW_SIZE));
	if (fl & 0x20) {
		puts_(o, " Urg=");
		putu(o, lu(p, l, SL_F_TCP_URGENT_POINTER));
	}
	puts_(o, " Len=");
	putu(o, lu(p, l, SL_F_TCP_LEN));
	layer_range(p, l, &v, &end);
	for (; v < end; v++) {
		const char *label = NULL;

		switch (v->field) {
		case SL_F_TCP_OPTIONS_MSS_VAL: label = " MSS="; break;
		case SL_F_TCP_OPTIONS_SACK_PERM: puts_(o, " SACK_PERM"); break;
		case SL_F_TCP_OPTIONS_TIMESTAMP_TSVAL: label = " TSval="; break;
		case SL_F_TCP_OPTIONS_TIMESTAMP_TSECR: label = " TSecr="; break;
		case SL_F_TCP_OPTIONS_WSCALE_MULTIPLIER: label = " WS="; break;
		case SL_F_TCP_OPTIONS_SACK_LE: label = " SLE="; break;
		case SL_F_TCP_OPTIONS_SACK_RE: label = " SRE="; break;
		default: break;
		}
		if (label) {
			puts_(o, label);
			putu(o, v->v.u);
		}
	}
}

static void udp_info(struct ob *o, const struct sl_packet *p,
		     const struct sl_layer *l)
{
	uint64_t ulen = lu(p, l, SL_F_UDP_LENGTH);

	putu(o, lu(p, l, SL_F_UDP_SRCPORT));
	puts_(o, " → ");
	putu(o, lu(p, l, SL_F_UDP_DSTPORT));
	puts_(o, " Len=");
	putu(o, ulen >= 8 ? ulen - 8 : 0);
	/* over IPv6 the checksum is mandatory */
	if (l > p->layers && in_layer(p, l, SL_F_UDP_CHECKSUM) &&
	    lu(p, l, SL_F_UDP_CHECKSUM) == 0 &&
	    (l[-1].proto == SL_F_IPV6 || l[-1].proto == SL_F_IPV6_HOPOPTS ||
	     l[-1].proto == SL_F_IPV6_ROUTING || l[-1].proto == SL_F_IPV6_DSTOPTS ||
	     l[-1].proto == SL_F_IPV6_FRAGHDR))
		puts_(o, " [ILLEGAL CHECKSUM (0)]");
}

static const struct sl_tok icmp_types[] = {
	{ 0, "Echo (ping) reply" }, { 3, "Destination unreachable" },
	{ 4, "Source quench" }, { 5, "Redirect" },
	{ 8, "Echo (ping) request" }, { 9, "Router advertisement" },
	{ 10, "Router solicitation" }, { 11, "Time-to-live exceeded" },
	{ 12, "Parameter problem" }, { 13, "Timestamp request" },
	{ 14, "Timestamp reply" }, { 0, NULL },
};

static const struct sl_tok icmp_unreach[] = {
	{ 0, "Network unreachable" }, { 1, "Host unreachable" },
	{ 2, "Protocol unreachable" }, { 3, "Port unreachable" },
	{ 4, "Fragmentation needed" }, { 13, "Communication administratively "
	"filtered" }, { 0, NULL },
};

static const struct sl_tok icmp6_types[] = {
	{ 1, "Destination Unreachable" }, { 2, "Packet Too Big" },
	{ 3, "Time Exceeded" }, { 4, "Parameter Problem" },
	{ 128, "Echo (ping) request" }, { 129, "Echo (ping) reply" },
	{ 133, "Router Solicitation" }, { 134, "Router Advertisement" },
	{ 135, "Neighbor Solicitation" }, { 136, "Neighbor Advertisement" },
	{ 143, "Multicast Listener Report Message v2" }, { 0, NULL },
};

static void hex16(struct ob *o, unsigned u)
{
	const char *h = sl_hex_digits;
	char t[6] = { '0', 'x', h[u >> 12 & 15], h[u >> 8 & 15], h[u >> 4 & 15],
		      h[u & 15] };

	put(o, t, 6);
}

static void hex16_bare(struct ob *o, unsigned u)
{
	char t[8];

	snprintf(t, sizeof(t), "%04x", u & 0xffff);
	put(o, t, 4);
}

/* the TTL or hop limit of the IP layer under l */
static uint64_t hop_limit(const struct sl_packet *p, const struct sl_layer *l)
{
	for (const struct sl_layer *k = l; k-- > p->layers;) {
		if (k->proto == SL_F_IP)
			return lu(p, k, SL_F_IP_TTL);
		if (k->proto == SL_F_IPV6)
			return lu(p, k, SL_F_IPV6_HLIM);
	}
	return 0;
}

static void icmp_info(struct ob *o, const struct sl_packet *p,
		      const struct sl_layer *l)
{
	unsigned type = (unsigned)lu(p, l, SL_F_ICMP_TYPE);
	unsigned code = (unsigned)lu(p, l, SL_F_ICMP_CODE);
	unsigned seq;

	if ((type == 0 || type == 8) && in_layer(p, l, SL_F_ICMP_SEQ)) {
		seq = (unsigned)lu(p, l, SL_F_ICMP_SEQ);
		puts_(o, type ? "Echo (ping) request  id=" :
		      "Echo (ping) reply    id=");
		hex16(o, (unsigned)lu(p, l, SL_F_ICMP_IDENT));
		puts_(o, ", seq=");
		putu(o, seq);
		put(o, "/", 1);
		putu(o, (seq & 0xff) << 8 | seq >> 8);
		puts_(o, ", ttl=");
		putu(o, hop_limit(p, l));
		return;
	}
	puts_(o, sl_tok_name(icmp_types, (int)type, "Unknown ICMP type"));
	if (type == 3) {
		puts_(o, " (");
		puts_(o, sl_tok_name(icmp_unreach, (int)code, "Unknown code"));
		puts_(o, ")");
	}
}

static void icmp6_info(struct ob *o, const struct sl_packet *p,
		       const struct sl_layer *l)
{
	unsigned type = (unsigned)lu(p, l, SL_F_ICMPV6_TYPE);

	const struct sl_fval *target = in_layer(p, l, SL_F_ICMPV6_ND_NS_TARGET);
	char t[48];

	puts_(o, sl_tok_name(icmp6_types, (int)type, "Unknown ICMPv6 type"));
	if (target) {
		puts_(o, " for ");
		put(o, t, sl_fmt_ipv6(t, target->v.bytes.p));
	}
	if ((type == 128 || type == 129) && in_layer(p, l, SL_F_ICMPV6_ECHO_SEQ)) {
		puts_(o, " id=");
		hex16(o, (unsigned)lu(p, l, SL_F_ICMPV6_ECHO_ID));
		puts_(o, ", seq=");
		putu(o, lu(p, l, SL_F_ICMPV6_ECHO_SEQ));
		puts_(o, ", hop limit=");
		putu(o, hop_limit(p, l));
	}
}

static void ipv4_of(struct ob *o, const struct sl_packet *p,
		    const struct sl_layer *l, int field)
{
	char t[16];

	put(o, t, sl_fmt_ipv4(t, (uint32_t)lu(p, l, field)));
}

static void arp_info(struct ob *o, const struct sl_packet *p,
		     const struct sl_layer *l)
{
	unsigned op = (unsigned)lu(p, l, SL_F_ARP_OPCODE);
	const struct sl_fval *mac = in_layer(p, l, SL_F_ARP_SRC_HW_MAC);
	char t[18];

	if (!mac) {
		puts_(o, "ARP opcode ");
		putu(o, op);
		return;
	}
	if (op == 1 && in_layer(p, l, SL_F_ARP_ISGRATUITOUS)) {
		puts_(o, "ARP Announcement for ");
		ipv4_of(o, p, l, SL_F_ARP_SRC_PROTO_IPV4);
	} else if (op == 1 && in_layer(p, l, SL_F_ARP_ISPROBE)) {
		puts_(o, "Who has ");
		ipv4_of(o, p, l, SL_F_ARP_DST_PROTO_IPV4);
		puts_(o, "? (ARP Probe)");
	} else if (op == 3 && in_layer(p, l, SL_F_ARP_DST_HW_MAC)) {
		puts_(o, "Who is ");
		put(o, t, sl_fmt_ether(t, in_layer(p, l,
				SL_F_ARP_DST_HW_MAC)->v.bytes.p));
		puts_(o, "? Tell ");
		put(o, t, sl_fmt_ether(t, mac->v.bytes.p));
	} else if (op == 4 && in_layer(p, l, SL_F_ARP_DST_HW_MAC)) {
		put(o, t, sl_fmt_ether(t, in_layer(p, l,
				SL_F_ARP_DST_HW_MAC)->v.bytes.p));
		puts_(o, " is at ");
		ipv4_of(o, p, l, SL_F_ARP_DST_PROTO_IPV4);
	} else if (op == 1) {
		puts_(o, "Who has ");
		ipv4_of(o, p, l, SL_F_ARP_DST_PROTO_IPV4);
		puts_(o, "? Tell ");
		ipv4_of(o, p, l, SL_F_ARP_SRC_PROTO_IPV4);
	} else if (op == 2) {
		ipv4_of(o, p, l, SL_F_ARP_SRC_PROTO_IPV4);
		puts_(o, " is at ");
		put(o, t, sl_fmt_ether(t, mac->v.bytes.p));
	} else {
		puts_(o, "ARP opcode ");
		putu(o, op);
	}
}

static const struct sl_tok ip_protos[] = {
	{ 1, "ICMP" }, { 6, "TCP" }, { 17, "UDP" }, { 58, "ICMPv6" },
	{ 0, NULL },
};

static void fragment_info(struct ob *o, const struct sl_packet *p,
			  const struct sl_layer *l)
{
	if (l->proto == SL_F_IP) {
		unsigned proto = (unsigned)lu(p, l, SL_F_IP_PROTO);

		puts_(o, "Fragmented IP protocol (proto=");
		puts_(o, sl_tok_name(ip_protos, (int)proto, "Unknown"));
		put(o, " ", 1);
		putu(o, proto);
		puts_(o, ", off=");
		putu(o, lu(p, l, SL_F_IP_FRAG_OFFSET) * 8);
		puts_(o, ", ID=");
		hex16_bare(o, (unsigned)lu(p, l, SL_F_IP_ID));
		put(o, ")", 1);
		return;
	}
	puts_(o, "IPv6 fragment (off=");
	putu(o, lu(p, l, SL_F_IPV6_FRAGHDR_OFFSET) * 8);
	puts_(o, lu(p, l, SL_F_IPV6_FRAGHDR_MORE) ? " more=y" : " more=n");
	puts_(o, " ident=");
	char t[12];
	snprintf(t, sizeof(t), "0x%08x",
		 (unsigned)lu(p, l, SL_F_IPV6_FRAGHDR_IDENT));
	puts_(o, t);
	puts_(o, " nxt=");
	putu(o, lu(p, l, SL_F_IPV6_FRAGHDR_NXT));
	put(o, ")", 1);
}

static void info(struct ob *o, const struct sl_packet *p)
{
	const struct sl_layer *l = top_layer(p);

	if (!l)
		return;
	switch (l->proto) {
	case SL_F_TCP: tcp_info(o, p, l); break;
	case SL_F_UDP: udp_info(o, p, l); break;
	case SL_F_ICMP: icmp_info(o, p, l); break;
	case SL_F_ICMPV6: icmp6_info(o, p, l); break;
	case SL_F_ARP: arp_info(o, p, l); break;
	case SL_F_VLAN:		/* a tag with nothing behind it */
		puts_(o, "PRI: ");
		putu(o, lu(p, l, SL_F_VLAN_PRIORITY));
		puts_(o, "  DEI: ");
		putu(o, lu(p, l, SL_F_VLAN_DEI));
		puts_(o, "  ID: ");
		putu(o, lu(p, l, SL_F_VLAN_ID));
		break;
	default:
		if (p->ip_fragment && (l->proto == SL_F_IP || l->proto == SL_F_DATA ||
				       l->proto == SL_F_IPV6_FRAGHDR)) {
			fragment_info(o, p, l);
			break;
		}
		if (o->end > o->p) {
			size_t n = sl_render_app_info(o->p,
						      (size_t)(o->end - o->p),
						      p, l);

			if (n) {
				o->p += n;
				break;
			}
		}
		puts_(o, sl_fields[l->proto].desc);
		break;
	}
	if (p->malformed) {
		puts_(o, " [Malformed Packet: ");
		puts_(o, p->malformed_why ? p->malformed_why : "?");
		put(o, "]", 1);
	} else if (p->truncated) {
		puts_(o, "[Packet size limited during capture]");
	}
}

size_t sl_render_info(char *out, size_t cap, const struct sl_packet *p)
{
	struct ob o = { out, out + cap - 1 };

	info(&o, p);
	*o.p = '\0';
	return (size_t)(o.p - out);
}

/* Source and Destination: the innermost IP layer's, else Ethernet's. */
static void addresses(const struct sl_packet *p, char *src, size_t *ns,
		      char *dst, size_t *nd)
{
	const struct sl_layer *top = top_layer(p);

	*ns = *nd = 0;
	src[0] = dst[0] = '\0';
	for (int i = top ? (int)(top - p->layers) : -1; i >= 0; i--) {
		const struct sl_layer *l = &p->layers[i];
		const struct sl_fval *s, *d;

		if (l->proto == SL_F_IP && (s = in_layer(p, l, SL_F_IP_SRC)) &&
		    (d = in_layer(p, l, SL_F_IP_DST))) {
			*ns = sl_fmt_ipv4(src, (uint32_t)s->v.u);
			*nd = sl_fmt_ipv4(dst, (uint32_t)d->v.u);
			return;
		}
		if (l->proto == SL_F_IPV6 &&
		    (s = in_layer(p, l, SL_F_IPV6_SRC)) &&
		    (d = in_layer(p, l, SL_F_IPV6_DST))) {
			*ns = sl_fmt_ipv6(src, s->v.bytes.p);
			*nd = sl_fmt_ipv6(dst, d->v.bytes.p);
			return;
		}
		if (l->proto == SL_F_ETH && (s = in_layer(p, l, SL_F_ETH_SRC)) &&
		    (d = in_layer(p, l, SL_F_ETH_DST))) {
			static const uint8_t bc[6] = { 0xff, 0xff, 0xff, 0xff,
						       0xff, 0xff };

			*ns = sl_fmt_ether(src, s->v.bytes.p);
			if (memcmp(d->v.bytes.p, bc, 6) == 0)
				*nd = (size_t)sprintf(dst, "Broadcast");
			else
				*nd = sl_fmt_ether(dst, d->v.bytes.p);
			return;
		}
	}
}

static size_t fmt_rel(char *out, int64_t ns, int digits)
{
	uint64_t a = ns < 0 ? 0 - (uint64_t)ns : (uint64_t)ns;
	uint64_t frac = a % 1000000000;
	size_t n = 0;

	if (ns < 0)
		out[n++] = '-';
	n += sl_fmt_uint(out + n, a / 1000000000);
	out[n++] = '.';
	if (digits == 6)
		frac /= 1000;
	for (int i = digits - 1; i >= 0; i--) {
		out[n + (size_t)i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	return n + (size_t)digits;
}

size_t sl_render_summary(char *out, const struct sl_packet *p, int ts_digits)
{
	struct ob o = { out, out + SL_SUMMARY_MAX - 2 };
	char t[48], src[48], dst[48];
	size_t n, ns, nd;
	int64_t rel;

	n = sl_fmt_uint(t, p->number);
	col(&o, t, n, 5, 0);
	put(&o, " ", 1);
	if (__builtin_sub_overflow(p->ts_ns, p->first_ns, &rel))
		rel = p->ts_ns < 0 ? INT64_MIN : INT64_MAX;
	n = fmt_rel(t, rel, ts_digits == 6 ? 6 : 9);
	col(&o, t, n, 10, 0);
	put(&o, " ", 1);
	addresses(p, src, &ns, dst, &nd);
	col(&o, src, ns, 12, 0);
	puts_(&o, " → ");
	col(&o, dst, nd, 12, 1);
	put(&o, " ", 1);
	puts_(&o, sl_render_protocol(p));
	put(&o, " ", 1);
	putu(&o, p->len);
	put(&o, " ", 1);
	info(&o, p);
	o.end++;
	put(&o, "\n", 1);
	*o.p = '\0';
	return (size_t)(o.p - out);
}

/* ---- -V ---- */

static int tree_header(struct sl_buf *b, const struct sl_packet *p,
		       const struct sl_layer *l)
{
	char s[48], d[48];
	size_t ns, nd;

	switch (l->proto) {
	case SL_F_FRAME:
		return sl_buf_printf(b, "Frame %llu: %u bytes on wire (%u bits), "
			"%u bytes captured (%u bits)\n",
			(unsigned long long)p->number, p->len, p->len * 8,
			p->caplen, p->caplen * 8);
	case SL_F_TCP:
		return sl_buf_printf(b, "%s, Src Port: %llu, Dst Port: %llu, "
			"Seq: %llu, Len: %llu\n", sl_fields[l->proto].desc,
			(unsigned long long)lu(p, l, SL_F_TCP_SRCPORT),
			(unsigned long long)lu(p, l, SL_F_TCP_DSTPORT),
			(unsigned long long)lu(p, l, SL_F_TCP_SEQ),
			(unsigned long long)lu(p, l, SL_F_TCP_LEN));
	case SL_F_UDP:
		return sl_buf_printf(b, "%s, Src Port: %llu, Dst Port: %llu\n",
			sl_fields[l->proto].desc,
			(unsigned long long)lu(p, l, SL_F_UDP_SRCPORT),
			(unsigned long long)lu(p, l, SL_F_UDP_DSTPORT));
	case SL_F_IP:
	case SL_F_IPV6:
	case SL_F_ETH: {
		const struct sl_fval *a, *c;
		int fs = l->proto == SL_F_IP ? SL_F_IP_SRC :
			 l->proto == SL_F_IPV6 ? SL_F_IPV6_SRC : SL_F_ETH_SRC;
		int fd = l->proto == SL_F_IP ? SL_F_IP_DST :
			 l->proto == SL_F_IPV6 ? SL_F_IPV6_DST : SL_F_ETH_DST;

		a = in_layer(p, l, fs);
		c = in_layer(p, l, fd);
		if (a && c) {
			ns = sl_render_value(s, a);
			nd = sl_render_value(d, c);
			return sl_buf_printf(b, "%s, Src: %.*s, Dst: %.*s\n",
				sl_fields[l->proto].desc, (int)ns, s, (int)nd, d);
		}
		break;
	}
	default:
		break;
	}
	return sl_buf_printf(b, "%s\n", sl_fields[l->proto].desc);
}

int sl_render_layer_label(struct sl_buf *b, const struct sl_packet *p,
			  const struct sl_layer *l)
{
	size_t at = b->len;
	int rc = tree_header(b, p, l);

	/* tshark's TCP label has the Ack when the flag is set: "Seq: 0,
	 * Ack: 1, Len: 0" */
	if (rc == 0 && l->proto == SL_F_TCP && (lu(p, l, SL_F_TCP_FLAGS) & 0x10)) {
		char *len = strstr(b->data + at, ", Len: ");
		char tail[32];

		if (len && (size_t)snprintf(tail, sizeof(tail), "%s", len) < sizeof(tail)) {
			b->len = (size_t)(len - b->data);
			rc = sl_buf_printf(b, ", Ack: %llu%s", (unsigned long long)
					   lu(p, l, SL_F_TCP_ACK), tail);
		}
	}
	if (rc == 0 && b->len && b->data[b->len - 1] == '\n')
		b->data[--b->len] = '\0';
	return rc;
}

/* the hidden "either end" fields Wireshark keeps out of its tree */
static int hidden(int field)
{
	return field == SL_F_IP_ADDR || field == SL_F_IPV6_ADDR ||
	       field == SL_F_ETH_ADDR || field == SL_F_TCP_PORT ||
	       field == SL_F_UDP_PORT || field == SL_F_MALFORMED;
}

/* "    Source Port: 40000  [tcp.srcport]" */
static int tree_line(struct sl_buf *b, const struct sl_fval *v,
		     const char *indent)
{
	const struct sl_field_def *d = &sl_fields[v->field];
	char val[SL_VALUE_MAX];
	size_t n = sl_render_value(val, v);

	if (d->type == SL_FT_BOOL)
		n = (size_t)snprintf(val, sizeof(val), "%s",
				     v->v.u ? "Set" : "Not set");
	if (d->type == SL_FT_TIME)
		strcat(val, " seconds"), n += 8;
	/* the field counts 8-byte units, the tree shows bytes (both as
	 * tshark) */
	if (v->field == SL_F_IP_FRAG_OFFSET)
		n = (size_t)snprintf(val, sizeof(val), "%llu",
				     (unsigned long long)v->v.u * 8);
	return sl_buf_printf(b, "%s%s: %.*s  [%s]\n", indent, d->desc, (int)n,
			     val, d->name);
}

/* The TCP analysis' subtrees, as tshark -V draws them: the header line
 * a field opens, and how deep its values go (0: not one of them; 1: the
 * subtree's marker, no line of its own; 3: a mark, drawn as tshark's
 * expert info). */
static int tcp_subtree(int field, const char **open)
{
	*open = NULL;
	switch (field) {
	case SL_F_TCP_TIME_RELATIVE:
		*open = "    [Timestamps]\n";
		return 2;
	case SL_F_TCP_ANALYSIS:
		*open = "    [SEQ/ACK analysis]\n";
		return 1;
	case SL_F_TCP_ANALYSIS_FLAGS:
		*open = "        [TCP Analysis Flags]\n";
		return 1;
	case SL_F_TCP_TIME_DELTA:
	case SL_F_TCP_ANALYSIS_ACKS_FRAME:
	case SL_F_TCP_ANALYSIS_ACK_RTT:
	case SL_F_TCP_ANALYSIS_INITIAL_RTT:
	case SL_F_TCP_ANALYSIS_BYTES_IN_FLIGHT:
	case SL_F_TCP_ANALYSIS_PUSH_BYTES_SENT:
	case SL_F_TCP_ANALYSIS_DUPLICATE_ACK_NUM:
	case SL_F_TCP_ANALYSIS_DUPLICATE_ACK_FRAME:
		return 2;
	default:
		if (field > SL_F_TCP_ANALYSIS_FLAGS &&
		    field <= SL_F_TCP_ANALYSIS_KEEP_ALIVE_ACK)
			return 3;
		return 0;
	}
}

/* tshark's severity of each mark (its expert infos, group Sequence) */
static const char *mark_severity(int field)
{
	switch (field) {
	case SL_F_TCP_ANALYSIS_OUT_OF_ORDER:
	case SL_F_TCP_ANALYSIS_LOST_SEGMENT:
	case SL_F_TCP_ANALYSIS_ACK_LOST_SEGMENT:
	case SL_F_TCP_ANALYSIS_ZERO_WINDOW:
	case SL_F_TCP_ANALYSIS_WINDOW_FULL:
		return "Warning";
	case SL_F_TCP_ANALYSIS_WINDOW_UPDATE:
		return "Chat";
	default:
		return "Note";
	}
}

/* A mark: "[Expert Info (Note/Sequence): TEXT]", then the mark itself,
 * its severity and group, one level deeper (a duplicate ACK's first mark
 * is a plain line, its expert info comes after its number and frame). */
static int tree_mark(struct sl_buf *b, const struct sl_fval *v)
{
	const struct sl_field_def *d = &sl_fields[v->field];
	const char *sev = mark_severity(v->field);
	char text[64];

	if (v->field == SL_F_TCP_ANALYSIS_DUPLICATE_ACK) {
		if (v[-1].field != SL_F_TCP_ANALYSIS_DUPLICATE_ACK_FRAME)
			return sl_buf_printf(b, "            [This is a TCP "
					     "duplicate ack]  [%s]\n", d->name);
		snprintf(text, sizeof(text), "Duplicate ACK (#%llu)",
			 (unsigned long long)v[-2].v.u);
	} else {
		snprintf(text, sizeof(text), "%s", d->desc);
	}
	return sl_buf_printf(b, "            [Expert Info (%s/Sequence): %s]\n"
			     "                [%s]  [%s]\n"
			     "                [Severity level: %s]\n"
			     "                [Group: Sequence]\n",
			     sev, text, text, d->name, sev);
}

/* tcp.completeness in tshark's words: its handshake's stages, then
 * complete (a handshake and its end) with or without data */
static const char *completeness_words(unsigned c)
{
	switch (c) {
	case 1: return "Incomplete, SYN_SENT";
	case 3: return "Incomplete, CLIENT_ESTABLISHED";
	case 7: return "Incomplete, ESTABLISHED";
	case 15: return "Incomplete, DATA";
	default:
		if ((c & 7) == 7 && (c & 0x30))
			return c & 8 ? "Complete, WITH_DATA" : "Complete, NO_DATA";
		return "Incomplete";
	}
}

static int tree_value(struct sl_buf *b, const struct sl_fval *v)
{
	const char *open;
	int depth = tcp_subtree(v->field, &open);

	if (v->field == SL_F_TCP_COMPLETENESS)
		return sl_buf_printf(b, "    [%s: %s (%u)]  [%s]\n",
				     sl_fields[v->field].desc,
				     completeness_words((unsigned)v->v.u),
				     (unsigned)v->v.u,
				     sl_fields[v->field].name) < 0 ? -ENOMEM : 0;

	if (open && sl_buf_printf(b, "%s", open) < 0)
		return -ENOMEM;
	switch (depth) {
	case 0:
		return tree_line(b, v, "    ") < 0 ? -ENOMEM : 0;
	case 1:			/* the subtree's marker itself */
		return 0;
	case 3:
		return tree_mark(b, v) < 0 ? -ENOMEM : 0;
	default: {		/* generated: in brackets, as tshark */
		char line[SL_VALUE_MAX + 160];
		struct sl_buf one = SL_BUF_INIT;
		int rc = tree_line(&one, v, "");

		if (rc >= 0) {
			/* "Desc: value  [name]\n" -> "[Desc: value]  [name]" */
			size_t n = one.len, k = n;

			while (k > 2 && !(one.data[k - 1] == '[' &&
					  one.data[k - 2] == ' ' &&
					  one.data[k - 3] == ' '))
				k--;
			if (k > 3 && n < sizeof(line))
				rc = sl_buf_printf(b, "        [%.*s]  %.*s",
						   (int)(k - 3), one.data,
						   (int)(n - k + 1),
						   one.data + k - 1);
			else
				rc = sl_buf_append(b, one.data, one.len);
		}
		sl_buf_release(&one);
		return rc < 0 ? -ENOMEM : 0;
	}
	}
}

static int tree_layer(struct sl_buf *b, const struct sl_packet *p,
		      const struct sl_layer *l)
{
	const struct sl_fval *v, *end;

	if (tree_header(b, p, l) < 0)
		return -ENOMEM;
	layer_range(p, l, &v, &end);
	for (v++; v < end;) {
		if (v->field == SL_F_TCP_OPTION_KIND) {
			v = sl_render_tcp_options(b, p, l, (unsigned)lu(p, l,
					SL_F_TCP_HDR_LEN), v, end, tree_line);
			if (!v)
				return -ENOMEM;
			continue;
		}
		if (!hidden(v->field) && tree_value(b, v) < 0)
			return -ENOMEM;
		v++;
	}
	return 0;
}

int sl_render_tree(struct sl_buf *b, const struct sl_packet *p,
		   int ts_digits)
{
	(void)ts_digits;
	for (uint8_t i = 0; i < p->nlayers; i++)
		if (tree_layer(b, p, &p->layers[i]) < 0)
			return -ENOMEM;
	if (p->malformed &&
	    sl_buf_printf(b, "[Malformed Packet: %s: %s]\n",
			  sl_proto_short(p->malformed_field),
			  p->malformed_why ? p->malformed_why : "?") < 0)
		return -ENOMEM;
	return sl_buf_putc(b, '\n');
}

/* ---- -x ---- */

static int hex_source(struct sl_buf *b, const uint8_t *data, uint32_t caplen)
{
	const char *h = sl_hex_digits;

	for (uint32_t off = 0; off < caplen; off += 16) {
		char line[80];
		size_t n = (size_t)snprintf(line, sizeof(line), "%04x  ", off);

		for (uint32_t i = 0; i < 16; i++) {
			if (off + i < caplen) {
				uint8_t c = data[off + i];

				line[n++] = h[c >> 4];
				line[n++] = h[c & 15];
			} else {
				line[n++] = ' ';
				line[n++] = ' ';
			}
			line[n++] = ' ';
		}
		line[n++] = ' ';
		line[n++] = ' ';
		for (uint32_t i = 0; i < 16 && off + i < caplen; i++) {
			uint8_t c = data[off + i];

			line[n++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
		}
		line[n++] = '\n';
		if (sl_buf_append(b, line, n) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* As tshark -x: a packet that completed a datagram has two data sources,
 * each under its title. */
int sl_render_hex(struct sl_buf *b, const struct sl_packet *p)
{
	if (p->reasm &&
	    (sl_buf_printf(b, "Frame (%u bytes):\n", (unsigned)p->caplen) < 0 ||
	     hex_source(b, p->data, p->caplen) < 0 ||
	     sl_buf_printf(b, "Reassembled IPv%u (%u bytes):\n",
			   (unsigned)p->reasm_family,
			   (unsigned)p->reasm_len) < 0))
		return -ENOMEM;
	if (hex_source(b, p->reasm ? p->reasm : p->data,
		       p->reasm ? p->reasm_len : p->caplen) < 0)
		return -ENOMEM;
	return sl_buf_putc(b, '\n');
}
