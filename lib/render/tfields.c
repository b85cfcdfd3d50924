/* tfields.c - -T fields: the values of the -e fields, one line a packet,
 * laid out by -E's options and written as tshark 4.0 writes them (not as
 * -V does: hex at the field's width, booleans 1/0, bytes as bare hex,
 * protocols by their tree label) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/render.h"

void sl_tfields_init(struct sl_tfields *t)
{
	memset(t, 0, sizeof(*t));
	t->separator = '\t';
	t->aggregator = ',';
	t->occurrence = SL_OCC_ALL;
}

/* "/t" a tab, "/s" a space, any other "/x" a backslash (as tshark 4.0
 * reads it), else the first character; an empty value is refused. */
static int one_char(const char *v, char *out)
{
	if (!v[0])
		return -1;
	if (v[0] == '/')
		*out = v[1] == 't' ? '\t' : v[1] == 's' ? ' ' : '\\';
	else
		*out = v[0];
	return 0;
}

static int yes_no(const char *v, int *out)
{
	if ((v[0] == 'y' || v[0] == 'Y') && !v[1])
		*out = 1;
	else if ((v[0] == 'n' || v[0] == 'N') && !v[1])
		*out = 0;
	else
		return -1;
	return 0;
}

static int occurrence(const char *v, int *out)
{
	char *end;
	unsigned long n;

	if (!strcmp(v, "f"))
		*out = 1;
	else if (!strcmp(v, "l"))
		*out = SL_OCC_LAST;
	else if (!strcmp(v, "a"))
		*out = SL_OCC_ALL;
	else {
		if (v[0] < '1' || v[0] > '9')
			return -1;
		errno = 0;
		n = strtoul(v, &end, 10);
		if (*end || errno || n > SL_PKT_MAX_VALS)
			return -1;
		*out = (int)n;
	}
	return 0;
}

#define E_HELP "separator=/t|/s|C, aggregator=,|/s|C, header=y|n, " \
	       "quote=d|s|n, occurrence=f|l|a|N, bom=y|n"

int sl_tfields_option(struct sl_tfields *t, const char *opt, struct sl_err *e)
{
	const char *eq = strchr(opt, '=');
	char name[16], shown[64];
	size_t n = eq ? (size_t)(eq - opt) : 0;
	const char *v = eq ? eq + 1 : "";
	int bad;

	sl_escape(shown, sizeof(shown), opt, strlen(opt));
	if (!eq || n == 0 || n >= sizeof(name))
		return sl_err_set(e, -EINVAL, "-E \"%s\" is not NAME=VALUE: "
				  "give one of " E_HELP, shown);
	memcpy(name, opt, n);
	name[n] = '\0';
	if (!strcmp(name, "separator"))
		bad = one_char(v, &t->separator);
	else if (!strcmp(name, "aggregator"))
		bad = one_char(v, &t->aggregator);
	else if (!strcmp(name, "header"))
		bad = yes_no(v, &t->header);
	else if (!strcmp(name, "bom"))
		bad = yes_no(v, &t->bom);
	else if (!strcmp(name, "occurrence"))
		bad = occurrence(v, &t->occurrence);
	else if (!strcmp(name, "quote")) {
		bad = strlen(v) != 1 || !strchr("dsn", v[0]);
		if (!bad)
			t->quote = v[0] == 'd' ? '"' : v[0] == 's' ? '\'' : 0;
	} else {
		char nshown[sizeof(name) * SL_ESCAPE_MAX];

		/* the name is the user's bytes too: escaped */
		sl_escape(nshown, sizeof(nshown), name, n);
		return sl_err_set(e, -EINVAL, "-E \"%s\": no option \"%s\": "
				  "the options are " E_HELP, shown, nshown);
	}
	if (bad)
		return sl_err_set(e, -EINVAL, "-E \"%s\": that value does not "
				  "fit: the options are " E_HELP, shown);
	return 0;
}

int sl_tfields_add(struct sl_tfields *t, const char *name, struct sl_err *e)
{
	char shown[128];
	const char *hint;
	int id = sl_field_lookup(name);

	sl_escape(shown, sizeof(shown), name, strlen(name));
	if (id < 0) {
		hint = sl_field_suggest(name);
		return sl_err_set(e, -ENOENT, "-e \"%s\": no such field%s%s%s; "
				  "'socklab help fields' lists them", shown,
				  hint ? " (did you mean " : "", hint ? hint : "",
				  hint ? "?)" : "");
	}
	if (t->n == SL_TFIELDS_MAX)
		return sl_err_set(e, -E2BIG, "-e \"%s\": at most %d fields a "
				  "run: run twice for more", shown,
				  SL_TFIELDS_MAX);
	t->field[t->n++] = (uint16_t)id;
	return 0;
}

void sl_tfields_want(const struct sl_tfields *t, struct sl_fieldset *s)
{
	for (int i = 0; i < t->n; i++) {
		sl_fieldset_add(s, t->field[i]);
		/* a protocol's label reads its layer's addresses and ports */
		if (sl_fields[t->field[i]].type == SL_FT_PROTO) {
			static const int label[] = {
				SL_F_IP_SRC, SL_F_IP_DST, SL_F_IPV6_SRC,
				SL_F_IPV6_DST, SL_F_ETH_SRC, SL_F_ETH_DST,
				SL_F_TCP_SRCPORT, SL_F_TCP_DSTPORT, SL_F_TCP_SEQ,
				SL_F_TCP_LEN, SL_F_TCP_FLAGS, SL_F_TCP_ACK,
				SL_F_UDP_SRCPORT, SL_F_UDP_DSTPORT,
			};

			for (size_t k = 0; k < sizeof(label) / sizeof(label[0]); k++)
				sl_fieldset_add(s, label[k]);
			/* and its own fields (ARP's opcode, VLAN's ID …) */
			for (int k = 0; k < SL_F_COUNT; k++)
				if (sl_fields[k].proto == t->field[i])
					sl_fieldset_add(s, k);
		}
	}
}

int sl_tfields_header(const struct sl_tfields *t, struct sl_buf *b)
{
	int rc = t->bom ? sl_buf_puts(b, "\xef\xbb\xbf") : 0;

	if (!t->header)
		return rc;
	for (int i = 0; i < t->n && !rc; i++) {
		if (i)
			rc = sl_buf_putc(b, t->separator);
		rc = rc ? rc : sl_buf_puts(b, sl_fields[t->field[i]].name);
	}
	return rc ? rc : sl_buf_putc(b, '\n');
}

/* tshark writes a hex integer at its type's width (tcp.flags 0x0018, an
 * FT_UINT16, whatever its mask), not at the bytes it covers */
static int hex_value(struct sl_buf *b, const struct sl_field_def *d,
		     uint64_t u)
{
	unsigned bits = d->bits ? d->bits : 32;
	unsigned digits = bits <= 8 ? 2 : bits <= 16 ? 4 : bits <= 24 ? 6 :
			  bits <= 32 ? 8 : 16;

	/* by hand, not printf: it runs for every value of every packet */
	if (sl_buf_reserve(b, 2 + digits + 1) < 0)
		return -ENOMEM;
	b->data[b->len++] = '0';
	b->data[b->len++] = 'x';
	for (int i = (int)digits - 1; i >= 0; i--)
		b->data[b->len++] = sl_hex_digits[u >> (i * 4) & 15];
	b->data[b->len] = '\0';
	return 0;
}

/* "-1.000000001": seconds and nine digits, without printf. */
static int time_value(struct sl_buf *b, int64_t ns)
{
	uint64_t a = ns < 0 ? 0 - (uint64_t)ns : (uint64_t)ns;
	uint64_t frac = a % 1000000000;

	if (sl_buf_reserve(b, 1 + 20 + 1 + 9 + 1) < 0)
		return -ENOMEM;
	if (ns < 0)
		b->data[b->len++] = '-';
	b->len += sl_fmt_uint(b->data + b->len, a / 1000000000);
	b->data[b->len++] = '.';
	for (int i = 8; i >= 0; i--, frac /= 10)
		b->data[b->len + (size_t)i] = (char)('0' + frac % 10);
	b->len += 9;
	b->data[b->len] = '\0';
	return 0;
}

static uint64_t layer_uint(const struct sl_packet *p, uint8_t i, int field)
{
	const struct sl_fval *v = sl_pkt_get_in(p, i, field);

	return v ? v->v.u : 0;
}

static int hex_bytes(struct sl_buf *b, const uint8_t *s, size_t n)
{
	if (sl_buf_reserve(b, 2 * n + 1) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		b->data[b->len++] = sl_hex_digits[s[i] >> 4];
		b->data[b->len++] = sl_hex_digits[s[i] & 15];
	}
	b->data[b->len] = '\0';
	return 0;
}

/* The bytes a value covers (within what was captured). */
static int value_bytes(struct sl_buf *b, const struct sl_packet *p,
		       const struct sl_fval *v)
{
	uint32_t n;
	const uint8_t *src = sl_pkt_src(p, v, &n);

	if (v->off >= n)
		return 0;
	return hex_bytes(b, src + v->off, v->len < n - v->off ? v->len : n - v->off);
}

/*
 * tshark prints a protocol item by its label when the dissector wrote one
 * ("Internet Protocol Version 4, Src: …"), else by its abbreviation
 * ("icmp"); "data" and the SACK-permitted option as their bytes in hex.
 * The labels with more than the tree's header are added here; Ethernet's
 * vendor names (from Wireshark's manuf file) are not.
 */
static const uint16_t abbrev_only[] = {
	SL_F_NULL, SL_F_ICMP, SL_F_ICMPV6, SL_F_VXLAN, SL_F_IPV6_HOPOPTS,
	SL_F_IPV6_FRAGHDR, SL_F_IPV6_DSTOPTS, SL_F_TLS, SL_F_HTTP, SL_F_LLC,
	SL_F_PPP, SL_F_PPPOES, SL_F_PPPOED,
};

/* What tshark adds in brackets to a label: "(request)", "(query)",
 * "(Discover)", "(IP)", "(Segment Routing)"; NULL for nothing. */
static const char *label_detail(const struct sl_packet *p, uint8_t i,
				int proto)
{
	static const char *const dhcp[] = {
		NULL, "Discover", "Offer", "Request", "Decline", "ACK", "NAK",
		"Release", "Inform",
	};
	static const char *const arp[] = {
		NULL, "request", "reply", "reverse request", "reverse reply",
	};
	uint64_t v;

	switch (proto) {
	case SL_F_ARP:
		if (!sl_pkt_get_in(p, i, SL_F_ARP_OPCODE))
			return NULL;
		v = layer_uint(p, i, SL_F_ARP_OPCODE);
		if (layer_uint(p, i, SL_F_ARP_ISPROBE))
			return "ARP Probe";
		if (v == 1 && layer_uint(p, i, SL_F_ARP_ISGRATUITOUS))
			return "ARP Announcement";
		return v < 5 ? arp[v] : NULL;
	case SL_F_DNS:
		if (!sl_pkt_get_in(p, i, SL_F_DNS_FLAGS_RESPONSE))
			return NULL;
		return layer_uint(p, i, SL_F_DNS_FLAGS_RESPONSE) ? "response" : "query";
	case SL_F_DHCP:
		v = layer_uint(p, i, SL_F_DHCP_OPTION_DHCP);
		return v < 9 ? dhcp[v] : NULL;
	case SL_F_GRE:
		switch (layer_uint(p, i, SL_F_GRE_PROTO)) {
		case 0x0800: return "IP";
		case 0x86dd: return "IPv6";
		case 0x6558: return "Transparent Ethernet bridging";
		case 0x88be: return "ERSPAN";
		case 0x22eb: return "ERSPAN III";
		}
		return NULL;
	case SL_F_IPV6_ROUTING:
		return sl_pkt_get_in(p, i, SL_F_IPV6_ROUTING_TYPE) &&
		       layer_uint(p, i, SL_F_IPV6_ROUTING_TYPE) == 4 ?
		       "Segment Routing" : NULL;
	}
	return NULL;
}

/* An Ethernet address as tshark's label names it: "Broadcast", the
 * address itself for a locally administered one (no vendor has it), and
 * "00:00:00_00:00:00" for the OUI Wireshark's manuf file lists as
 * 00:00:00; a vendor's name ("CIMSYS_33:44:55") needs that file, which
 * socklab does not carry, so other addresses are written bare.  Then the
 * address in brackets. */
static int eth_name(struct sl_buf *b, const uint8_t *a)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	char s[18];
	int rc;

	sl_fmt_ether(s, a);
	if (!memcmp(a, bcast, 6))
		rc = sl_buf_puts(b, "Broadcast");
	else if (!a[0] && !a[1] && !a[2])
		rc = sl_buf_printf(b, "00:00:00_%s", s + 9);
	else
		rc = sl_buf_puts(b, s);
	return rc ? rc : sl_buf_printf(b, " (%s)", s);
}

static int eth_label(struct sl_buf *b, const struct sl_packet *p, uint8_t i)
{
	const struct sl_fval *src = sl_pkt_get_in(p, i, SL_F_ETH_SRC);
	const struct sl_fval *dst = sl_pkt_get_in(p, i, SL_F_ETH_DST);
	int rc;

	/* an 802.3 frame (a length, not a type): tshark's label, its
	 * trailing space included */
	if (sl_pkt_get_in(p, i, SL_F_ETH_LEN))
		return sl_buf_puts(b, "IEEE 802.3 Ethernet ");
	if (!src || !dst)
		return sl_buf_puts(b, sl_fields[SL_F_ETH].desc);
	rc = sl_buf_printf(b, "%s, Src: ", sl_fields[SL_F_ETH].desc);
	rc = rc ? rc : eth_name(b, src->v.bytes.p);
	rc = rc ? rc : sl_buf_puts(b, ", Dst: ");
	return rc ? rc : eth_name(b, dst->v.bytes.p);
}

static int proto_label(struct sl_buf *b, const struct sl_packet *p, uint8_t i)
{
	int proto = p->layers[i].proto;
	int rc;

	for (size_t k = 0; k < sizeof(abbrev_only) / sizeof(abbrev_only[0]); k++)
		if (abbrev_only[k] == proto)
			return sl_buf_puts(b, sl_fields[proto].name);
	/* an ARP packet the capture cut: tshark stops before its label */
	if (proto == SL_F_ARP && p->truncated && i + 1 == p->nlayers)
		return sl_buf_puts(b, sl_fields[proto].name);
	switch (proto) {
	case SL_F_ETH:
		return eth_label(b, p, i);
	case SL_F_SLL:
		return sl_buf_puts(b, p->linktype == SL_LINK_SLL2 ?
				   "Linux cooked capture v2" :
				   "Linux cooked capture v1");
	case SL_F_VLAN:
		return sl_buf_printf(b, "%s, PRI: %llu, DEI: %llu, ID: %llu",
			sl_fields[proto].desc,
			(unsigned long long)layer_uint(p, i, SL_F_VLAN_PRIORITY),
			(unsigned long long)layer_uint(p, i, SL_F_VLAN_DEI),
			(unsigned long long)layer_uint(p, i, SL_F_VLAN_ID));
	case SL_F_MPLS: {
		/* the reserved labels tshark names (RFC 3032) */
		static const char *const reserved[] = {
			" (IPv4 Explicit-Null)", " (Router Alert)",
			" (IPv6 Explicit-Null)", " (Implicit-Null)",
		};
		uint64_t label = layer_uint(p, i, SL_F_MPLS_LABEL);

		return sl_buf_printf(b, "%s, Label: %llu%s, Exp: %llu, S: %llu, "
			"TTL: %llu", sl_fields[proto].desc,
			(unsigned long long)label, label < 4 ? reserved[label] : "",
			(unsigned long long)layer_uint(p, i, SL_F_MPLS_EXP),
			(unsigned long long)layer_uint(p, i, SL_F_MPLS_BOTTOM),
			(unsigned long long)layer_uint(p, i, SL_F_MPLS_TTL));
	}
	case SL_F_GENEVE:
		return sl_buf_printf(b, "%s, VNI: 0x%06llx", sl_fields[proto].desc,
			(unsigned long long)layer_uint(p, i, SL_F_GENEVE_VNI));
	case SL_F_IEEE8021AD:
		return sl_buf_printf(b, "%s, ID: %llu", sl_fields[proto].desc,
			(unsigned long long)layer_uint(p, i, SL_F_IEEE8021AD_ID));
	default:
		break;
	}
	rc = sl_render_layer_label(b, p, &p->layers[i]);
	if (rc == 0 && proto == SL_F_ERSPAN) {
		uint64_t ver = layer_uint(p, i, SL_F_ERSPAN_VERSION);

		rc = sl_buf_puts(b, !sl_pkt_get_in(p, i, SL_F_ERSPAN_VERSION) ? " Type I" :
				 ver == 1 ? " Type II" : ver == 2 ? " Type III" : "");
	}
	if (rc == 0) {
		const char *what = label_detail(p, i, proto);

		if (what)
			rc = sl_buf_printf(b, " (%s)", what);
	}
	if (rc == 0 && proto == SL_F_NTP && sl_pkt_get_in(p, i, SL_F_NTP_FLAGS_MODE)) {
		static const char *const mode[] = {
			"reserved", "symmetric active", "symmetric passive",
			"client", "server", "broadcast", "control", "private",
		};

		rc = sl_buf_printf(b, " (NTP Version %llu, %s)",
			(unsigned long long)layer_uint(p, i, SL_F_NTP_FLAGS_VN),
			mode[layer_uint(p, i, SL_F_NTP_FLAGS_MODE) & 7]);
	}
	return rc;
}

/* The layer a protocol's value opens: its label; else tshark's FT_NONE
 * items (tls.record, tcp.analysis.*) print "1". */
static int proto_value(struct sl_buf *b, const struct sl_packet *p,
		       const struct sl_fval *v)
{
	uint16_t at = (uint16_t)(v - p->vals);

	if (v->field == SL_F_DATA || v->field == SL_F_TCP_OPTIONS_SACK_PERM)
		return value_bytes(b, p, v);
	for (uint8_t i = 0; i < p->nlayers; i++)
		if (p->layers[i].first_val == at)
			return proto_label(b, p, i);
	return sl_buf_putc(b, '1');
}

static int value(struct sl_buf *b, const struct sl_packet *p,
		 const struct sl_fval *v)
{
	const struct sl_field_def *d = &sl_fields[v->field];
	char s[SL_VALUE_MAX];
	int rc = 0;

	switch (d->type) {
	case SL_FT_PROTO:
		return proto_value(b, p, v);
	case SL_FT_UINT:
		if (d->hex)
			return hex_value(b, d, v->v.u);
		break;
	case SL_FT_BYTES:
		/* whole, not cut as the tree's */
		return hex_bytes(b, v->v.bytes.p, v->v.bytes.n);
	case SL_FT_STRING:
		return sl_buf_escape(b, v->v.bytes.p, v->v.bytes.n);
	case SL_FT_TIME:
		return time_value(b, v->v.ns);
	default:
		break;
	}
	rc = sl_buf_append(b, s, sl_render_value(s, v));
	return rc;
}

/* The values occurrence picks, joined by the aggregator. */
static int field_cell(const struct sl_tfields *t, struct sl_buf *b,
		      const struct sl_packet *p, int field)
{
	const struct sl_fval *v = sl_pkt_get(p, field), *pick = NULL;
	int k = 0, rc = 0, first = 1;

	if (!v)
		return 0;
	if (t->occurrence != SL_OCC_ALL) {
		for (; v; v = sl_pkt_next(p, v))
			if (t->occurrence == SL_OCC_LAST || ++k == t->occurrence)
				if ((pick = v) && t->occurrence != SL_OCC_LAST)
					break;
		if (!pick)
			return 0;
	}
	if (t->quote)
		rc = sl_buf_putc(b, t->quote);
	for (v = pick ? pick : v; v && !rc; v = pick ? NULL : sl_pkt_next(p, v)) {
		if (!first)
			rc = sl_buf_putc(b, t->aggregator);
		first = 0;
		rc = rc ? rc : value(b, p, v);
	}
	if (!rc && t->quote)
		rc = sl_buf_putc(b, t->quote);
	return rc;
}

int sl_tfields_line(const struct sl_tfields *t, struct sl_buf *b,
		    const struct sl_packet *p)
{
	int rc = 0;

	for (int i = 0; i < t->n && !rc; i++) {
		if (i)
			rc = sl_buf_putc(b, t->separator);
		rc = rc ? rc : field_cell(t, b, p, t->field[i]);
	}
	return rc ? -ENOMEM : sl_buf_putc(b, '\n');
}
