/* tcpopt.c - the -V tree's TCP options, as tshark shows them: one
 * "Options: (N bytes), …" line, then per option a "TCP Option - …" title
 * with its kind (named as tshark names every kind), length and values */
#include <stdio.h>

#include "render-int.h"

/* Every option kind tshark names: the name of tcp.option_kind's value,
 * the title of the option's subtree ("TCP Option - …") and its name in
 * the "Options:" line (NULL: not listed there).  An option without a
 * title, and any kind not here, is "Unknown" ("Unknown (0x2a)" in that
 * line), as tshark has them. */
static const struct kind {
	uint8_t kind;
	const char *name, *title, *list;
} kinds[] = {
	{ 0, "End of Option List", "End of Option List (EOL)", "End of Option List (EOL)" },
	{ 1, "No-Operation", "No-Operation (NOP)", "No-Operation (NOP)" },
	{ 2, "Maximum Segment Size", "Maximum segment size", "Maximum segment size" },
	{ 3, "Window Scale", "Window scale", "Window scale" },
	{ 4, "SACK Permitted", "SACK permitted", "SACK permitted" },
	{ 5, "SACK", "SACK", "SACK" },
	{ 6, "Echo", "Echo", "Echo" },
	{ 7, "Echo Reply", "Echo", "Echo reply" },
	{ 8, "Time Stamp Option", "Timestamps", "Timestamps" },
	{ 9, "Partial Order Connection Permitted", NULL, NULL },
	{ 10, "Partial Order Service Profile", NULL, NULL },
	{ 11, "CC", "CC", "CC" },
	{ 12, "CC.NEW", "CC", "CC.NEW" },
	{ 13, "CC.ECHO", "CC", "CC.ECHO" },
	{ 14, "TCP Alternate Checksum Request", NULL, NULL },
	{ 15, "TCP Alternate Checksum Data", NULL, NULL },
	{ 16, "Skeeter", NULL, NULL },
	{ 17, "Bubba", NULL, NULL },
	{ 18, "Trailer Checksum Option", NULL, NULL },
	{ 19, "MD5 Signature Option", "TCP MD5 signature", "TCP MD5 signature" },
	{ 20, "SCPS Capabilities", "SCPS capabilities", "SCPS capabilities" },
	{ 21, "Selective Negative Acknowledgements",
	  "Selective Negative Acknowledgment",
	  "Selective Negative Acknowledgment" },
	{ 22, "Record Boundaries", "SCPS record boundary", "SCPS record boundary" },
	{ 23, "Corruption experienced", "SCPS corruption experienced",
	  "SCPS corruption experienced" },
	{ 24, "SNAP", NULL, NULL },
	{ 25, "Unassigned", NULL, NULL },
	{ 26, "TCP Compression Filter", NULL, NULL },
	{ 27, "Quick-Start Response", "Quick-Start", "Quick-Start" },
	{ 28, "User Timeout Option", "User Timeout", "User Timeout" },
	{ 29, "The TCP Authentication Option", "TCP AO", "TCP AO" },
	{ 30, "Multipath TCP", "Multipath Transmission Control Protocol", "MPTCP" },
	{ 34, "TCP Fast Open Cookie", "TCP Fast Open", "TCP Fast Open" },
	{ 76, "Riverbed Probe", "Riverbed Probe", NULL },
	{ 78, "Riverbed Transparency", "Riverbed Transparency", "Riverbed Transparency" },
	{ 172, "Accurate ECN Order 0", "Accurate ECN", "Accurate ECN" },
	{ 174, "Accurate ECN Order 1", "Accurate ECN", "Accurate ECN" },
	{ 253, "RFC3692-style Experiment 1", "Experimental", "Experimental" },
	{ 254, "RFC3692-style Experiment 2", "Experimental", "Experimental" },
};

static const struct kind unknown = { 0, "Unknown", NULL, NULL };

static const struct kind *kind_of(unsigned k)
{
	for (size_t i = 0; i < SL_ARRAY_SIZE(kinds); i++)
		if (kinds[i].kind == k)
			return &kinds[i];
	return &unknown;
}

static const char *title_of(unsigned k)
{
	const struct kind *d = kind_of(k);

	return d->title ? d->title : "Unknown";
}

/* The experiment identifiers tshark knows (RFC 6994), in the title of
 * options 253 and 254. */
static const struct sl_tok exids[] = {
	{ 0x00ac, "TCP ACK Rate Request" }, { 0x0348, "Host ID" },
	{ 0x0a0d, "Autonomous System Compensation" },
	{ 0x0ca0, "Capability Option" }, { 0x0ed0, "Extended Data Offset" },
	{ 0x454e, "Encryption Negotiation" }, { 0x5323, "Service Number" },
	{ 0x75ec, "Timestamp Interval" }, { 0xacc0, "Accurate ECN - Order 0" },
	{ 0xacc1, "Accurate ECN - Order 1" }, { 0xacce, "Accurate ECN" },
	{ 0xe2d4, "Shared Memory communications over RMDA protocol" },
	{ 0xf989, "Fast Open" }, { 0xf990, "Low Latency" }, { 0, NULL },
};

/* Multipath TCP's subtypes (the high nibble of its third byte). */
static const struct sl_tok mptcp_subtypes[] = {
	{ 0, "Multipath Capable" }, { 1, "Join Connection" },
	{ 2, "Data Sequence Signal" }, { 3, "Add Address" },
	{ 4, "Remove Address" }, { 5, "Change Subflow Priority" },
	{ 6, "TCP Fallback" }, { 7, "Fast Close" }, { 8, "TCP Reset" },
	{ 0, NULL },
};

/* The values the walk records inside an option (after its kind). */
static int option_value(int field)
{
	switch (field) {
	case SL_F_TCP_OPTIONS_MSS_VAL:
	case SL_F_TCP_OPTIONS_WSCALE_SHIFT:
	case SL_F_TCP_OPTIONS_WSCALE_MULTIPLIER:
	case SL_F_TCP_OPTIONS_SACK_PERM:
	case SL_F_TCP_OPTIONS_SACK_COUNT:
	case SL_F_TCP_OPTIONS_SACK_LE:
	case SL_F_TCP_OPTIONS_SACK_RE:
	case SL_F_TCP_OPTIONS_TIMESTAMP_TSVAL:
	case SL_F_TCP_OPTIONS_TIMESTAMP_TSECR:
		return 1;
	default:
		return 0;
	}
}

/* One option as the walk saw it: its kind, its length byte (0 when the
 * capture ends first), whether all its bytes were captured, and its
 * values [v, end). */
struct opt {
	unsigned kind, len;
	int whole;
	int past_end;		/* its length runs past the header's end */
	const uint8_t *bytes;	/* at the kind; len bytes when whole */
	const struct sl_fval *v, *end;
};

/* The header the options are in: where it ends in the packet's bytes. */
struct hdr {
	const struct sl_packet *p;
	uint32_t end;
};

static void opt_at(struct opt *o, const struct hdr *h,
		   const struct sl_fval *kind, const struct sl_fval *last)
{
	uint32_t n;
	const uint8_t *src = sl_pkt_src(h->p, kind, &n);

	o->kind = (unsigned)kind->v.u;
	o->bytes = src + kind->off;
	o->len = o->kind <= 1 ? 1 : kind->off + 1 < n ? src[kind->off + 1] : 0;
	o->past_end = kind->off + o->len > h->end;
	o->whole = o->len > 0 && o->len <= n - kind->off && !o->past_end;
	o->v = kind + 1;
	for (o->end = o->v; o->end < last && option_value(o->end->field);)
		o->end++;
}

/* An option's value of field, as the walk recorded it (0 when absent). */
static unsigned long long val(const struct opt *o, int field)
{
	for (const struct sl_fval *v = o->v; v < o->end; v++)
		if (v->field == field)
			return v->v.u;
	return 0;
}

static uint32_t be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

/* ": 65495 bytes", ": TSval 1, TSecr 0" … where tshark adds one. */
static int title_detail(struct sl_buf *b, const struct opt *o)
{
	int rc = 0;

	if (!o->whole)
		return 0;
	switch (o->kind) {
	case 2:
		if (o->len == 4)
			return sl_buf_printf(b, ": %llu bytes",
					     val(o, SL_F_TCP_OPTIONS_MSS_VAL));
		break;
	case 3:
		if (o->len == 3)
			return sl_buf_printf(b, ": %llu (multiply by %llu)",
				val(o, SL_F_TCP_OPTIONS_WSCALE_SHIFT),
				val(o, SL_F_TCP_OPTIONS_WSCALE_MULTIPLIER));
		break;
	case 5:
		for (const struct sl_fval *v = o->v; v < o->end && !rc; v++)
			if (v->field == SL_F_TCP_OPTIONS_SACK_LE ||
			    v->field == SL_F_TCP_OPTIONS_SACK_RE)
				rc = sl_buf_printf(b, v->field ==
					SL_F_TCP_OPTIONS_SACK_LE ? " %llu" :
					"-%llu", (unsigned long long)v->v.u);
		return rc;
	case 6:
	case 7:
		if (o->len == 6)
			return sl_buf_printf(b, ": %u",
					     (unsigned)be32(o->bytes + 2));
		break;
	case 253:
	case 254:
		if (o->len >= 4)
			return sl_buf_printf(b, ": %s", sl_tok_name(exids,
					     o->bytes[2] << 8 | o->bytes[3],
					     "Unknown"));
		break;
	case 30:
		if (o->len >= 3)
			return sl_buf_printf(b, ": %s", sl_tok_name(mptcp_subtypes,
					     o->bytes[2] >> 4, "Unknown"));
		break;
	case 8:
		if (o->len == 10)
			return sl_buf_printf(b, ": TSval %llu, TSecr %llu",
				val(o, SL_F_TCP_OPTIONS_TIMESTAMP_TSVAL),
				val(o, SL_F_TCP_OPTIONS_TIMESTAMP_TSECR));
		break;
	}
	return 0;
}

/* "    Options: (20 bytes), Maximum segment size, SACK permitted, …":
 * the options captured whole */
static int summary(struct sl_buf *b, const struct hdr *h, unsigned bytes,
		   const struct sl_fval *v, const struct sl_fval *end)
{
	int rc = sl_buf_printf(b, "    Options: (%u bytes)", bytes);
	struct opt o;

	for (; v < end && !rc; v++) {
		if (v->field != SL_F_TCP_OPTION_KIND)
			continue;
		opt_at(&o, h, v, end);
		if (!o.whole)
			continue;
		if (!kind_of(o.kind)->title)
			rc = sl_buf_printf(b, ", Unknown (0x%02x)", o.kind);
		else if (kind_of(o.kind)->list)
			rc = sl_buf_printf(b, ", %s", kind_of(o.kind)->list);
	}
	return rc ? rc : sl_buf_putc(b, '\n');
}

static int one_option(struct sl_buf *b, const struct opt *o,
		      int (*line)(struct sl_buf *, const struct sl_fval *,
				  const char *))
{
	int sack_perm = o->kind == 4 && o->v < o->end &&
			o->v->field == SL_F_TCP_OPTIONS_SACK_PERM;
	const char *title = title_of(o->kind);
	int rc;

	if (o->past_end)
		return sl_buf_printf(b, "        %s (option length = %u bytes "
				     "says option goes past end of options)\n",
				     title, o->len);
	/* Multipath TCP's subtree is titled as its own protocol */
	rc = sl_buf_printf(b, "        %s%s", o->kind == 30 ? "" :
			   "TCP Option - ", title);

	rc = rc ? rc : title_detail(b, o);
	/* the option's own field is the option: its name goes on the title */
	if (!rc && sack_perm)
		rc = sl_buf_printf(b, "  [%s]", sl_fields[o->v->field].name);
	rc = rc ? rc : sl_buf_printf(b, "\n            Kind: %s (%u)  [%s]\n",
				     kind_of(o->kind)->name, o->kind,
				     sl_fields[SL_F_TCP_OPTION_KIND].name);
	if (!rc && o->kind > 1 && o->len > 0)
		rc = sl_buf_printf(b, "            Length: %u\n", o->len);
	for (const struct sl_fval *v = o->v + sack_perm; v < o->end && !rc; v++)
		rc = line(b, v, "            ");
	return rc;
}

const struct sl_fval *sl_render_tcp_options(struct sl_buf *b,
	const struct sl_packet *p, const struct sl_layer *l, unsigned hdr_len,
	const struct sl_fval *v, const struct sl_fval *end,
	int (*line)(struct sl_buf *, const struct sl_fval *, const char *))
{
	struct hdr h = { p, l->off + hdr_len };
	struct opt o;

	if (summary(b, &h, hdr_len > 20 ? hdr_len - 20 : 0, v, end) < 0)
		return NULL;
	while (v < end && v->field == SL_F_TCP_OPTION_KIND) {
		opt_at(&o, &h, v, end);
		if (one_option(b, &o, line) < 0)
			return NULL;
		v = o.end;
	}
	return v;
}
