/* bpf.c - between the two dialects: the capture-filter (BPF) equivalent of
 * a display filter, and the display equivalent of a capture filter typed
 * where a display filter belongs */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dfilter-int.h"

/* Protocols by presence: display name -> BPF primitive. */
static const struct {
	int field;
	const char *bpf;
} protos[] = {
	{ SL_F_TCP, "tcp" }, { SL_F_UDP, "udp" }, { SL_F_ICMP, "icmp" },
	{ SL_F_ICMPV6, "icmp6" }, { SL_F_IP, "ip" }, { SL_F_IPV6, "ip6" },
	{ SL_F_ARP, "arp" },
};

/* Address and port fields: BPF qualifiers.  sym: the field holds both ends
 * (ip.addr, tcp.port), so a capture filter on it keeps whole conversations
 * and the state built from them (tcp.stream, relative seq/ack) intact:
 * only these are pushed down to the kernel. */
static const struct {
	int field;
	uint8_t sym;
	const char *bpf;	/* "ip src host" … the value follows */
	const char *net;	/* the same with a prefix length or range */
} addrs[] = {
	{ SL_F_IP_ADDR, 1, "ip host", "ip net" },
	{ SL_F_IP_SRC, 0, "ip src host", "ip src net" },
	{ SL_F_IP_DST, 0, "ip dst host", "ip dst net" },
	{ SL_F_IPV6_ADDR, 1, "ip6 host", "ip6 net" },
	{ SL_F_IPV6_SRC, 0, "ip6 src host", "ip6 src net" },
	{ SL_F_IPV6_DST, 0, "ip6 dst host", "ip6 dst net" },
	{ SL_F_TCP_PORT, 1, "tcp port", "tcp portrange" },
	{ SL_F_TCP_SRCPORT, 0, "tcp src port", "tcp src portrange" },
	{ SL_F_TCP_DSTPORT, 0, "tcp dst port", "tcp dst portrange" },
	{ SL_F_UDP_PORT, 1, "udp port", "udp portrange" },
	{ SL_F_UDP_SRCPORT, 0, "udp src port", "udp src portrange" },
	{ SL_F_UDP_DSTPORT, 0, "udp dst port", "udp dst portrange" },
};

/* lib/dissect follows IPv6 extension headers (hop-by-hop 0, routing 43,
 * fragment 44, destination options 60) to TCP/UDP/ICMPv6; BPF's "tcp"
 * and "port" look at the fixed header's next-header only.  For the kernel
 * such packets are let through, so the capture filter stays a superset. */
#define IP6_EXT "(ip6 and (ip6[6] == 0 or ip6[6] == 43 or ip6[6] == 44 or ip6[6] == 60))"

/* What a translation is for: the kernel (a superset, conversations kept
 * whole) or a suggestion shown to the user (exact, every field). */
struct mode {
	int kernel;
};

static int put_const(struct sl_buf *out, const struct df_node *n,
		     const struct df_const *k, const char *qual,
		     const char *net)
{
	char a[INET6_ADDRSTRLEN];
	uint32_t v4;

	switch (n->cls) {
	case C_IPV4:
		v4 = htonl((uint32_t)k->u);
		inet_ntop(AF_INET, &v4, a, sizeof(a));
		if (k->bits == 32)
			return sl_buf_printf(out, "%s %s", qual, a);
		return sl_buf_printf(out, "%s %s/%u", net, a, k->bits);
	case C_IPV6:
		inet_ntop(AF_INET6, k->p, a, sizeof(a));
		if (k->bits == 128)
			return sl_buf_printf(out, "%s %s", qual, a);
		return sl_buf_printf(out, "%s %s/%u", net, a, k->bits);
	default:
		return sl_buf_printf(out, "%s %" PRIu64, qual, k->u);
	}
}

/* An exact equivalent of one comparison, or 0. */
static int cmp_bpf(const struct df_node *n, struct sl_buf *out,
		   const struct mode *m)
{
	size_t i, j;
	int rc = 0, guard;

	if (!n->simple || n->lhs.how != H_VALUE || n->rhs_field || n->all ||
	    (n->op != OP_EQ && n->op != OP_IN))
		return 0;
	for (i = 0; i < SL_ARRAY_SIZE(addrs); i++)
		if (addrs[i].field == n->lhs.field)
			break;
	if (i == SL_ARRAY_SIZE(addrs) || (m->kernel && !addrs[i].sym))
		return 0;
	if (n->cls == C_UINT && n->c.u > 65535)
		return 0;
	guard = m->kernel && n->cls == C_UINT;
	if (guard && (rc = sl_buf_putc(out, '(')) < 0)
		return rc;
	if (n->op == OP_EQ) {
		rc = put_const(out, n, &n->c, addrs[i].bpf, addrs[i].net);
		if (!rc && guard)
			rc = sl_buf_puts(out, " or " IP6_EXT ")");
		return rc < 0 ? rc : 1;
	}
	for (j = 0; j < n->nset; j++)
		if (n->hi[j].u > 65535 ||
		    (n->cls != C_UINT && n->hi[j].u != n->lo[j].u))
			return 0;
	rc = sl_buf_putc(out, '(');
	for (j = 0; !rc && j < n->nset; j++) {
		if (j)
			rc = sl_buf_puts(out, " or ");
		if (!rc && n->cls == C_UINT && n->lo[j].u != n->hi[j].u)
			rc = sl_buf_printf(out, "%s %" PRIu64 "-%" PRIu64,
					   addrs[i].net, n->lo[j].u,
					   n->hi[j].u);
		else if (!rc)
			rc = put_const(out, n, &n->lo[j], addrs[i].bpf,
				       addrs[i].net);
	}
	if (!rc)
		rc = sl_buf_putc(out, ')');
	if (!rc && guard)
		rc = sl_buf_puts(out, " or " IP6_EXT ")");
	return rc < 0 ? rc : 1;
}

/* 1 and the BPF text when n has an exact equivalent, 0 when not. */
static int exact_bpf(const struct df_node *n, struct sl_buf *out,
		     const struct mode *m)
{
	size_t mark = out->len;
	int rc;

	switch (n->kind) {
	case N_EXISTS:
		for (size_t i = 0; i < SL_ARRAY_SIZE(protos); i++)
			if (protos[i].field == n->lhs.field) {
				int guard = m->kernel && (n->lhs.field == SL_F_TCP ||
					n->lhs.field == SL_F_UDP ||
					n->lhs.field == SL_F_ICMPV6);

				rc = sl_buf_printf(out, guard ? "(%s or " IP6_EXT ")"
						   : "%s", protos[i].bpf);
				return rc < 0 ? rc : 1;
			}
		return 0;
	case N_CMP:
		rc = cmp_bpf(n, out, m);
		break;
	case N_AND:
	case N_OR:
		rc = sl_buf_putc(out, '(');
		if (!rc)
			rc = exact_bpf(n->a, out, m);
		if (rc == 1)
			rc = sl_buf_puts(out, n->kind == N_AND ? ") and ("
							      : ") or (");
		if (!rc)
			rc = exact_bpf(n->b, out, m);
		if (rc == 1)
			rc = sl_buf_putc(out, ')') < 0 ? -ENOMEM : 1;
		break;
	default:
		return 0;
	}
	if (rc <= 0) {
		out->len = mark;	/* drop the half-written text */
		if (out->cap)
			out->data[mark] = '\0';
	}
	return rc;
}

/* The AND of the conjuncts of n that translate; *whole stays 1 while every
 * one did. */
static int conjuncts(const struct df_node *n, struct sl_buf *out, int *whole,
		     const struct mode *m)
{
	int rc, ra;
	size_t mark;

	if (n->kind == N_AND) {
		if ((ra = conjuncts(n->a, out, whole, m)) < 0)
			return ra;
		if (ra && (rc = sl_buf_puts(out, " and ")) < 0)
			return rc;
		mark = out->len;
		if ((rc = conjuncts(n->b, out, whole, m)) < 0)
			return rc;
		if (!rc && ra) {		/* drop the dangling " and " */
			out->len = mark - 5;
			out->data[out->len] = '\0';
		}
		return ra || rc;
	}
	if (n->kind == N_TRUE)
		return 0;
	rc = exact_bpf(n, out, m);
	if (rc == 0)
		*whole = 0;
	return rc;
}

static int to_bpf(const struct sl_dfilter *f, struct sl_buf *out,
		  const struct mode *m)
{
	int whole = 1, rc;
	size_t mark = out->len;

	if (!f || f->root->kind == N_TRUE)
		return 0;
	rc = conjuncts(f->root, out, &whole, m);
	if (rc < 0) {
		out->len = mark;
		if (out->cap)
			out->data[mark] = '\0';
		return rc;
	}
	return rc == 0 ? 0 : whole ? 2 : 1;
}

int sl_dfilter_to_bpf(const struct sl_dfilter *f, struct sl_buf *out)
{
	static const struct mode kernel = { 1 };

	return to_bpf(f, out, &kernel);
}

/* ---- a capture filter typed as a display filter ---- */

static const char *const bpf_words[] = {
	"host", "net", "port", "portrange", "src", "dst", "ether", "less",
	"greater", "proto", "vlan", "gateway", "broadcast", "multicast",
};

static int is_bpf_word(const struct df_token *t)
{
	if (t->type != T_WORD)
		return 0;
	for (size_t i = 0; i < SL_ARRAY_SIZE(bpf_words); i++)
		if (strlen(bpf_words[i]) == t->n &&
		    !strncmp(bpf_words[i], t->text, t->n))
			return 1;
	return 0;
}

/* One primitive "[tcp|udp|ip|ip6] [src|dst] host|net|port VALUE" (or a
 * protocol alone) from words w[*i…] into out; -1 when it is not one. */
static int translate_prim(char **w, size_t nw, size_t *i, struct sl_buf *out)
{
	static const char *const simple[][2] = {
		{ "tcp", "tcp" }, { "udp", "udp" }, { "icmp", "icmp" },
		{ "ip", "ip" }, { "ip6", "ipv6" }, { "arp", "arp" },
		{ "icmp6", "icmpv6" },
	};
	const char *proto = NULL, *dir = NULL, *type, *val;

	if (*i < nw && (!strcmp(w[*i], "tcp") || !strcmp(w[*i], "udp") ||
			!strcmp(w[*i], "ip") || !strcmp(w[*i], "ip6"))) {
		if (*i + 1 >= nw || (strcmp(w[*i + 1], "src") &&
				     strcmp(w[*i + 1], "dst") &&
				     strcmp(w[*i + 1], "host") &&
				     strcmp(w[*i + 1], "net") &&
				     strcmp(w[*i + 1], "port"))) {
			for (size_t k = 0; k < SL_ARRAY_SIZE(simple); k++)
				if (!strcmp(w[*i], simple[k][0]))
					return sl_buf_puts(out, simple[k][1]),
					       (*i)++, 0;
		}
		proto = w[(*i)++];
	} else if (*i < nw) {
		for (size_t k = 0; k < SL_ARRAY_SIZE(simple); k++)
			if (!strcmp(w[*i], simple[k][0]))
				return sl_buf_puts(out, simple[k][1]), (*i)++,
				       0;
	}
	if (*i < nw && (!strcmp(w[*i], "src") || !strcmp(w[*i], "dst")))
		dir = w[(*i)++];
	if (*i + 1 >= nw)
		return -1;
	type = w[(*i)++];
	val = w[(*i)++];
	if (!strcmp(type, "host") || !strcmp(type, "net")) {
		const char *fam = strchr(val, ':') ? "ipv6" : "ip";

		if (proto && (strcmp(proto, "ip") && strcmp(proto, "ip6")))
			return -1;
		if (proto && !strcmp(proto, "ip6") != (fam[2] == 'v'))
			return -1;
		return sl_buf_printf(out, "%s.%s==%s", fam,
				     dir ? dir : "addr", val) < 0 ? -1 : 0;
	}
	if (!strcmp(type, "port")) {
		const char *f = !dir ? "port" : !strcmp(dir, "src") ? "srcport"
								    : "dstport";

		for (const char *c = val; *c; c++)
			if (!isdigit((unsigned char)*c))
				return -1;
		if (proto && strcmp(proto, "ip") && strcmp(proto, "ip6"))
			return sl_buf_printf(out, "%s.%s==%s", proto, f, val);
		return sl_buf_printf(out, "(tcp.%s==%s || udp.%s==%s)", f, val,
				     f, val);
	}
	return -1;
}

/* "host 127.0.0.1 and port 80" -> "ip.addr==127.0.0.1 && (tcp.port==80 ||
 * udp.port==80)"; 0 or -1 when the text is beyond these simple cases. */
static int translate(const char *text, struct sl_buf *out)
{
	char buf[512], *w[64], *save = NULL, *tok;
	size_t nw = 0, i = 0, o = 0;

	/* space out the parentheses so they come out as words */
	for (const char *s = text; *s && o + 3 < sizeof(buf); s++) {
		if (*s == '(' || *s == ')') {
			buf[o++] = ' ';
			buf[o++] = *s;
			buf[o++] = ' ';
		} else {
			buf[o++] = *s;
		}
	}
	if (o + 3 >= sizeof(buf))
		return -1;
	buf[o] = '\0';
	for (tok = strtok_r(buf, " \t\n", &save); tok && nw < SL_ARRAY_SIZE(w);
	     tok = strtok_r(NULL, " \t\n", &save))
		w[nw++] = tok;
	if (tok)
		return -1;
	while (i < nw) {
		const char *s = w[i];

		if (out->len && sl_buf_putc(out, ' ') < 0)
			return -1;
		if (!strcmp(s, "and") || !strcmp(s, "&&"))
			s = "&&";
		else if (!strcmp(s, "or") || !strcmp(s, "||"))
			s = "||";
		else if (!strcmp(s, "not") || !strcmp(s, "!"))
			s = "!";
		else if (strcmp(s, "(") && strcmp(s, ")"))
			s = NULL;
		if (s) {
			i++;
			if (sl_buf_puts(out, s) < 0)
				return -1;
		} else if (translate_prim(w, nw, &i, out) < 0) {
			return -1;
		}
	}
	return 0;
}

int df_capture_syntax_hint(struct df_ctx *c, const struct df_tokens *t)
{
	struct sl_buf d = SL_BUF_INIT;
	char shown[160];
	size_t i;

	for (i = 0; i + 1 < t->n; i++)
		if (is_bpf_word(&t->v[i]) && t->v[i + 1].type == T_WORD &&
		    df_keyword(t->v[i + 1].text, t->v[i + 1].n) == T_WORD)
			break;
	if (i + 1 >= t->n)
		return 0;
	sl_escape(shown, sizeof(shown), c->text, strlen(c->text));
	if (translate(c->text, &d) == 0 && d.len)
		sl_err_set(c->e, -EINVAL,
			   "\"%s\" is a capture filter (tcpdump syntax); the display filter is '%s'",
			   shown, d.data);
	else
		sl_err_set(c->e, -EINVAL,
			   "\"%s\" is a capture filter (tcpdump syntax): give it with -f, or write a display filter such as 'ip.addr==127.0.0.1 && tcp.port==80'",
			   shown);
	sl_buf_release(&d);
	return 1;
}

int sl_dfilter_is_display_syntax(const char *text, struct sl_buf *out)
{
	struct sl_dfilter *f;
	int display = 0;

	if (sl_dfilter_compile(&f, text, NULL, NULL, NULL) < 0)
		return 0;
	for (const char *s = text; *s && !display; s++)
		display = strchr("=!&|~<>[", *s) != NULL ||
			  (*s == '.' && isalpha((unsigned char)s[1]));
	if (display && out) {
		struct sl_buf b = SL_BUF_INIT;

		static const struct mode shown = { 0 };

		if (to_bpf(f, &b, &shown) == 2 && sl_buf_puts(out, b.data) < 0)
			display = -ENOMEM;
		sl_buf_release(&b);
	}
	sl_dfilter_free(f);
	return display;
}
