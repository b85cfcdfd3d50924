/* fields.c - the registry's table (sl_fields[], from fields.h), the
 * protocols' short names, and lookups by name (exact, and closest for
 * "did you mean") */
#include <string.h>

#include "socklab/dissect.h"
#include "socklab/util.h"

#define FIELD_DEF(a, id, name, type, proto, flags, desc) \
	[SL_F_##id] = { name, SL_FIELD_TYPE_##type, desc, \
			SL_FIELD_FLAGS_##flags & SL_FIELD_FLAGS_HEX, SL_F_##proto, \
			SL_FIELD_BITS_##type },
const struct sl_field_def sl_fields[SL_F_COUNT] = {
	SL_FIELDS(FIELD_DEF, 0)
};
#undef FIELD_DEF

static const struct sl_tok proto_short[] = {
	{ SL_F_FRAME, "Frame" }, { SL_F_ETH, "Ethernet" }, { SL_F_SLL, "SLL" },
	{ SL_F_NULL, "NULL" }, { SL_F_ARP, "ARP" }, { SL_F_IP, "IPv4" },
	{ SL_F_IPV6, "IPv6" }, { SL_F_IPV6_HOPOPTS, "IPv6" },
	{ SL_F_IPV6_ROUTING, "IPv6" }, { SL_F_IPV6_FRAGHDR, "IPv6" },
	{ SL_F_IPV6_DSTOPTS, "IPv6" }, { SL_F_TCP, "TCP" }, { SL_F_UDP, "UDP" },
	{ SL_F_ICMP, "ICMP" }, { SL_F_ICMPV6, "ICMPv6" }, { SL_F_DATA, "Data" },
	{ SL_F_MALFORMED, "Malformed" }, { SL_F_VLAN, "VLAN" },
	{ SL_F_IEEE8021AD, "IEEE 802.1ad" }, { SL_F_LLC, "LLC" },
	{ SL_F_MPLS, "MPLS" }, { SL_F_PPP, "PPP" }, { SL_F_PPPOED, "PPPoED" },
	{ SL_F_PPPOES, "PPPoES" }, { SL_F_GRE, "GRE" },
	{ SL_F_ERSPAN, "ERSPAN" }, { SL_F_VXLAN, "VXLAN" },
	{ SL_F_GENEVE, "Geneve" }, { SL_F_DNS, "DNS" }, { SL_F_HTTP, "HTTP" },
	{ SL_F_TLS, "TLS" }, { SL_F_DHCP, "DHCP" }, { SL_F_NTP, "NTP" },
	{ 0, NULL },
};

const char *sl_proto_short(int field)
{
	if (field < 0 || field >= SL_F_COUNT)
		return "?";
	return sl_tok_name(proto_short, field, sl_fields[field].name);
}

int sl_field_lookup(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < SL_F_COUNT; i++)
		if (sl_fields[i].name && strcmp(sl_fields[i].name, name) == 0)
			return i;
	return -1;
}

#define SUGGEST_MAX 64

/* Levenshtein distance with transpositions counted as one edit (optimal
 * string alignment); names longer than SUGGEST_MAX count as far away. */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned d[3][SUGGEST_MAX + 1];

	if (la > SUGGEST_MAX || lb > SUGGEST_MAX)
		return ~0u;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned *cur = d[i % 3], *prev = d[(i - 1) % 3];
		unsigned *prev2 = d[(i + 1) % 3];

		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned v = prev[j] + 1;

			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
	}
	return d[la % 3][lb];
}

const char *sl_field_suggest(const char *name)
{
	const char *best = NULL;
	unsigned best_d = ~0u, limit;
	size_t n;

	if (!name || !*name)
		return NULL;
	n = strlen(name);
	/* a third of the name, at least one edit and at most three */
	limit = (unsigned)(n / 3);
	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	for (int i = 0; i < SL_F_COUNT; i++) {
		const char *f = sl_fields[i].name;
		unsigned d;

		if (!f || f[0] == '_')
			continue;
		d = edit_distance(name, f);
		/* a tie goes to the first name in byte order, wherever the
		 * registry lists it */
		if (d < best_d || (d == best_d && best && strcmp(f, best) < 0)) {
			best_d = d;
			best = f;
		}
	}
	return best_d <= limit ? best : NULL;
}
