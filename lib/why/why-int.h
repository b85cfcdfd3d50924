/* why-int.h - what the files of lib/why share and nobody else sees */
#ifndef SOCKLAB_WHY_INT_H
#define SOCKLAB_WHY_INT_H

#include "socklab/why.h"

/* Capabilities asked about (linux/capability.h numbers). */
enum { SL_CAP_NET_ADMIN = 12, SL_CAP_NET_RAW = 13, SL_CAP_SYS_ADMIN = 21 };

/* util.c */
/* Same family and address (ports and scopes aside). */
int sl_why_same_addr(const struct sl_endpoint *a, const struct sl_endpoint *b);
/* The raw address bytes of ep (4 or 16) and their length. */
const uint8_t *sl_why_addr_bytes(const struct sl_endpoint *ep, size_t *n);
/* 1 when the effective set holds cap. */
int sl_why_have_cap(int cap);

/* nla.c: netlink attributes, every length checked against its container */
struct nlattr;
/* Fills tb[type] (type <= max, NLA_TYPE_MASK applied) with the attributes
 * of [p, p+len); later duplicates win.  Returns how many were valid. */
int sl_nla_index(const void *p, size_t len, const struct nlattr **tb,
		 unsigned max);
/* The same for the payload of a (NULL: every slot empty). */
int sl_nla_nested(const struct nlattr *a, const struct nlattr **tb,
		  unsigned max);
const void *sl_nla_data(const struct nlattr *a, size_t *n);
/* A big-endian u32 / u64 attribute; dflt when absent or short. */
uint32_t sl_nla_be32(const struct nlattr *a, uint32_t dflt);
uint64_t sl_nla_be64(const struct nlattr *a, uint64_t dflt);
/* A string attribute into out (always terminated; "" when absent). */
void sl_nla_str(const struct nlattr *a, char *out, size_t outlen);

/* nftexpr.c: one rule's expressions (the NFTA_RULE_EXPRESSIONS payload)
 * run over pkt as the kernel would at hook (-1: any), into r (match,
 * verdict, text) */
void sl_nft_rule_eval(const void *exprs, size_t len,
		      const struct sl_fw_packet *pkt, int nfproto, int hook,
		      struct sl_fw_rule *r);

/* nft.c / ipt.c: read the rules held against pkt; 0 or -errno */
int sl_nft_read(const struct sl_fw_packet *pkt, struct sl_fw_rules *out,
		size_t *nrules);
int sl_ipt_read(int family, const struct sl_fw_packet *pkt,
		struct sl_fw_rules *out, size_t *nrules);

/* resolve.c: w->a from w->o.host (w->resolve_err on failure); 0 or -ENOMEM */
int sl_why_resolve(struct sl_why *w);
/* attempt.c: one address, at most timeout_ms */
void sl_why_attempt(struct sl_why *w, struct sl_why_addr *a);
/* firewall.c: the packet the attempt to a sends */
void sl_why_fw_packet(const struct sl_why_addr *a, struct sl_fw_packet *p);
/* firewall.c: grows the lists; 0 or -ENOMEM */
struct sl_fw_rule *sl_fw_rule_new(struct sl_fw_rules *l);
struct sl_fw_chain *sl_fw_chain_new(struct sl_fw_rules *l);

#endif
