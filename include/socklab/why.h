/*
 * why.h - "why can't my client reach my server?": the facts behind
 * `socklab why HOST PORT` and the client's failure verdict.  One file per
 * check in lib/why/: resolve.c (every address a name gives and where from),
 * listeners.c (who listens on the port, here and in other network
 * namespaces), route.c (the kernel's route to an address, rtnetlink),
 * attempt.c (one connection per address, classified from the socket, its
 * error queue and, when permitted, a capture), firewall.c with nft.c and
 * ipt.c (the nftables and iptables rules that would meet the attempt,
 * read through netlink and getsockopt), queues.c (/proc/net/netstat and
 * the queues of both ends), leftovers.c (TIME_WAIT, port limits,
 * descriptors), verdict.c (the one verdict the facts point at).
 *
 * Contract: nothing here prints or exits.  Every check records what it
 * observed, or that it could not look and why (an errno in its `err`), so
 * the words can say "not checked: needs CAP_NET_ADMIN" instead of
 * pretending.  Strings that came from other processes or from the network
 * (command lines, rule names) are kept raw: the caller escapes them.
 */
#ifndef SOCKLAB_WHY_H
#define SOCKLAB_WHY_H

#include <stddef.h>
#include <stdint.h>

#include "socklab/diag.h"
#include "socklab/net.h"
#include "socklab/util.h"

/* ---- resolve.c ---- */
enum sl_why_from {
	SL_FROM_LITERAL,	/* HOST was an address */
	SL_FROM_LOCALHOST,	/* the localhost rule (RFC 6761) */
	SL_FROM_HOSTS,		/* a line of /etc/hosts */
	SL_FROM_DNS,		/* the resolver (DNS or another NSS source) */
};

/* What /etc/hosts says about a name: up to 8 addresses, in file order. */
struct sl_hosts_match {
	size_t n;
	struct sl_endpoint v[8];
};

/* Pure: the addresses text (an /etc/hosts file) gives name, port set to
 * port; returns how many (also in m->n). */
int sl_hosts_lookup(const char *text, size_t len, const char *name,
		    uint16_t port, struct sl_hosts_match *m);

/* ---- route.c ---- */
struct sl_why_route {
	int err;		/* 0 looked up; -errno when the kernel refused */
	int type;		/* RTN_UNICAST, RTN_LOCAL, RTN_UNREACHABLE … */
	char dev[32];		/* output device ("lo") */
	int has_gw, has_src;
	struct sl_endpoint gw;	/* next hop, when not on the link */
	struct sl_endpoint src;	/* the source address the kernel picks */
};

/* Pure: decodes an RTM_NEWROUTE reply (or NLMSG_ERROR) of len bytes; the
 * device stays an index in *ifindex for the caller to name.  0, or the
 * kernel's negative errno, or -EBADMSG. */
int sl_route_decode(const void *buf, size_t len, struct sl_why_route *r,
		    int *ifindex);
/* `ip route get ADDR` through rtnetlink; fills r (r->err on failure). */
int sl_route_get(const struct sl_endpoint *dst, struct sl_why_route *r);

/* ---- attempt.c ---- */
enum sl_why_result {
	SL_ATT_NONE,		/* not tried */
	SL_ATT_CONNECTED,	/* the handshake completed */
	SL_ATT_REFUSED,		/* RST (or ICMP port unreachable) */
	SL_ATT_TIMEOUT,		/* SYNs without an answer */
	SL_ATT_ICMP,		/* an ICMP error other than port unreachable */
	SL_ATT_NOROUTE,		/* no route: failed before any packet */
	SL_ATT_BLOCKED,		/* a local rule refused to send (EPERM) */
	SL_ATT_OTHER,		/* another errno */
};

struct sl_why_attempt {
	enum sl_why_result result;
	int err;		/* the connect's errno (positive), 0 connected */
	double ms;		/* how long the connect took */
	unsigned syns;		/* SYNs sent (1 + retransmissions) */
	/* the ICMP error the socket's error queue held (IP_RECVERR) */
	int icmp;		/* 4 (ICMP) or 6 (ICMPv6) when one was read */
	int icmp_type, icmp_code;
	struct sl_endpoint icmp_from;
	/* the capture during the attempt */
	int cap_err;		/* 0 captured; -EPERM, -ENOENT … when not */
	char cap_dev[32];
	unsigned cap_syn, cap_synack, cap_rst, cap_icmp;
	/* once connected: the probe line and what became of it */
	struct sl_endpoint local;	/* our end */
	size_t sent;			/* bytes of the probe line sent */
	int replied;			/* a whole reply line arrived */
	char reply[128];		/* its first bytes, raw */
	size_t reply_len;
	int closed;			/* the server closed (or reset) first */
	int peer_seen;			/* the server's end was found */
	int accepted;			/* it has a descriptor (accept() ran) */
	uint32_t peer_rq;		/* the server's unread bytes */
	uint32_t our_sq;		/* our bytes not yet acknowledged */
	int peer_pid;			/* who holds the server's end */
	int listen_seen;		/* the listener, at that moment: */
	uint32_t listen_rq, listen_wq;	/* waiting to be accepted, backlog */
};

/* ---- listeners.c ---- */
struct sl_why_holder {
	struct sl_sock s;	/* the socket (LISTEN: rqueue = waiting,
				 * wqueue = backlog) with pid/program */
	char cmdline[160];	/* raw, NULs as spaces; "" unknown */
	char user[33];		/* login name of s.uid, or "" */
	uint64_t netns;		/* its network namespace's inode (0 unknown) */
	int other_netns;	/* 1: not ours (a container) */
	int fds, fd_limit;	/* descriptors open and its soft limit, -1 unknown */
};

struct sl_why_socks {
	struct sl_why_holder *v;
	size_t n, cap;
	int err;		/* the table could not be read: -errno */
	int hidden;		/* sockets whose owner we may not see */
	int netns_err;		/* other namespaces not searched: -errno */
	unsigned netns_seen;	/* other namespaces searched */
};

/* Every TCP socket whose local port is port (LISTEN, TIME_WAIT, the
 * server ends of connections), with owners, in this namespace and, when
 * permitted (CAP_SYS_ADMIN), in every other one a process lives in. */
int sl_why_socks_read(uint16_t port, int search_others,
		      struct sl_why_socks *out);
void sl_why_socks_release(struct sl_why_socks *s);

/* ---- queues.c ---- */
struct sl_netstat {
	int err;			/* -errno when unreadable */
	uint64_t listen_overflows;	/* TcpExt ListenOverflows */
	uint64_t listen_drops;		/* TcpExt ListenDrops */
};

/* Pure: the TcpExt counters from /proc/net/netstat text; 0 or -ENOENT. */
int sl_netstat_parse(const char *text, size_t len, struct sl_netstat *n);
void sl_netstat_read(struct sl_netstat *n);

/* ---- leftovers.c ---- */
struct sl_why_limits {
	int unpriv_start;		/* ip_unprivileged_port_start */
	int eph_lo, eph_hi;		/* ip_local_port_range, 0 unknown */
	int fds, fd_limit;		/* ours */
};

/* Pure: "32768\t60999\n" -> lo, hi; 0 or -EINVAL. */
int sl_port_range_parse(const char *text, size_t len, int *lo, int *hi);
/* Pure: the soft "Max open files" of a /proc/PID/limits text, -1 when
 * unlimited or absent. */
int sl_limits_nofile(const char *text, size_t len);
/* Descriptors pid has open and its soft limit (-1 when unknown). */
void sl_proc_fds(int pid, int *fds, int *limit);
void sl_why_limits_read(struct sl_why_limits *l);

/* ---- firewall.c, nft.c, ipt.c ---- */
enum sl_fw_verdict {
	SL_FW_CONTINUE,		/* counter, log: on to the next rule */
	SL_FW_ACCEPT,
	SL_FW_DROP,
	SL_FW_REJECT,
	SL_FW_JUMP,
	SL_FW_GOTO,
	SL_FW_RETURN,
};

enum sl_fw_match { SL_FW_NO, SL_FW_MAYBE, SL_FW_YES };

/* The packet a rule is held against: the attempt's first SYN. */
struct sl_fw_packet {
	int family;			/* AF_INET or AF_INET6 */
	uint8_t saddr[16], daddr[16];	/* network order */
	uint16_t sport, dport;		/* 0 sport: any */
	char iif[16], oif[16];		/* "" unknown */
	int local;			/* delivered to this machine */
};

/* One rule, decoded and already held against the packet. */
struct sl_fw_rule {
	int backend;			/* 'n' nftables, 'i' iptables legacy */
	int family;			/* AF_INET, AF_INET6, AF_UNSPEC (inet) */
	char table[32], chain[32];
	uint64_t handle;		/* nft handle; iptables: 1-based index */
	enum sl_fw_match match;
	enum sl_fw_verdict verdict;
	char target[32];		/* jump/goto chain */
	char reject[40];		/* "icmp port-unreachable", "tcp reset" */
	char text[200];			/* the rule in its tool's words */
	char unknown[64];		/* what could not be decided */
};

struct sl_fw_chain {
	int backend, family;
	char table[32], chain[32];
	int hook;			/* NF_INET_*, -1 for a regular chain */
	int prio;
	int policy_drop;
};

struct sl_fw_rules {
	struct sl_fw_rule *r;
	size_t nr, capr;
	struct sl_fw_chain *c;
	size_t nc, capc;
};

/* The rule or policy that decides the packet's fate in one base chain. */
struct sl_fw_hit {
	const struct sl_fw_rule *rule;	/* NULL: the chain's policy */
	const struct sl_fw_chain *base;
	enum sl_fw_match match;		/* YES: it drops; MAYBE: it may */
};

struct sl_firewall {
	int nft_err;		/* 0 read; -EPERM, -EPROTONOSUPPORT … */
	int ipt_err, ip6t_err;	/* legacy iptables: 0 read, -ENOENT none */
	size_t nft_rules, ipt_rules;
	struct sl_fw_rules rules;
	struct sl_fw_hit hits[8];
	size_t nhits;
};

/* Pure decoders (fuzz targets drive them): one recv() worth of an
 * NFT_MSG_GETCHAIN or NFT_MSG_GETRULE dump, rules held against pkt.
 * SL_SOCKDIAG_MORE / _DONE or a negative errno. */
int sl_nft_decode(const void *buf, size_t len,
		  const struct sl_fw_packet *pkt, struct sl_fw_rules *out);
/* An IPT_SO_GET_ENTRIES / IP6T_SO_GET_ENTRIES blob of one table, with the
 * hook offsets of its IPT_SO_GET_INFO; 0 or -EBADMSG. */
struct sl_ipt_info {
	char table[32];
	unsigned valid_hooks;
	uint32_t hook_entry[5], underflow[5];	/* NF_INET_NUMHOOKS */
};
int sl_ipt_decode(const void *blob, size_t size, int family,
		  const struct sl_ipt_info *info,
		  const struct sl_fw_packet *pkt, struct sl_fw_rules *out);
/* Reads both rule sets, holds them against pkt and finds, for each base
 * chain the packet passes, the rule or policy that drops or rejects it. */
void sl_firewall_read(struct sl_firewall *fw, const struct sl_fw_packet *pkt);
/* Pure: the hits of rules already decoded. */
void sl_firewall_walk(struct sl_firewall *fw, const struct sl_fw_packet *pkt);
void sl_firewall_release(struct sl_firewall *fw);

/* ---- the whole diagnosis (why.c) ---- */
enum sl_why_verdict {
	SL_V_OK,		/* connected and answered */
	SL_V_OK_FALLBACK,	/* answered, but only after an address failed */
	SL_V_CONNECTED,		/* connected (no line sent) */
	SL_V_RESOLVE,		/* the name does not resolve */
	SL_V_NO_LISTENER,	/* refused, nobody listens on the port */
	SL_V_PRIVILEGED,	/* nobody listens, and the port needs privilege */
	SL_V_WRONG_FAMILY,	/* refused: listens on the other family only */
	SL_V_WRONG_ADDRESS,	/* refused: listens on other addresses only */
	SL_V_OTHER_NETNS,	/* listens only in another network namespace */
	SL_V_FW_REJECT,		/* a rule rejects (ICMP or RST) */
	SL_V_FW_DROP,		/* timed out: a rule here drops the SYNs */
	SL_V_FW_OUTPUT,		/* a local rule refused to send (EPERM) */
	SL_V_DROPPED,		/* timed out, no rule here: the path or host */
	SL_V_ICMP,		/* an ICMP unreachable from the path */
	SL_V_NO_ROUTE,		/* no route to the address */
	SL_V_BACKLOG,		/* the accept queue is full */
	SL_V_NOT_ACCEPTED,	/* connected, but the server never accept()s */
	SL_V_NOT_READ,		/* accepted, the line sits unread */
	SL_V_NO_ANSWER,		/* read, never answered */
	SL_V_CLOSED,		/* the server closed without answering */
	SL_V_SEND_STUCK,	/* our bytes are not acknowledged */
	SL_V_OTHER,
};

struct sl_why_opts {
	const char *host;
	uint16_t port;
	int family;		/* AF_UNSPEC, AF_INET, AF_INET6 */
	int timeout_ms;		/* per address */
	const char *line;	/* probe line sent once connected; NULL none */
	int no_capture;		/* never try to capture */
};

struct sl_why_addr {
	struct sl_endpoint ep;
	enum sl_why_from from;
	struct sl_why_route route;
	struct sl_why_attempt att;
	struct sl_firewall fw;		/* read when the attempt failed */
};

struct sl_why {
	struct sl_why_opts o;
	struct sl_err resolve_err;	/* code 0 when HOST resolved */
	struct sl_why_addr *a;
	size_t n;
	struct sl_why_socks socks;	/* before the attempts */
	struct sl_netstat ns_before, ns_after;
	struct sl_why_limits lim;
	uint32_t self_uid;
	int privileged_cap;		/* CAP_NET_RAW held */
	int privileged_admin;		/* CAP_NET_ADMIN held */
	/* the verdict */
	enum sl_why_verdict verdict;
	enum sl_why_verdict vfail;	/* OK_FALLBACK: what failed first */
	size_t vaddr;			/* the address it is about */
	const struct sl_why_holder *vholder; /* the listener it names */
};

/* Runs every check: resolve, sockets, routes, the attempts (each for at
 * most o->timeout_ms), firewall where an attempt failed, queues and
 * limits; then the verdict.  0, or -ENOMEM. */
int sl_why_run(struct sl_why *w, const struct sl_why_opts *o);
/* The client's path: the attempts already made (att.result/err/ms set by
 * the caller for each of w->a after sl_why_prepare), the facts the
 * verdict needs are gathered without a second attempt. */
int sl_why_prepare(struct sl_why *w, const struct sl_why_opts *o);
void sl_why_after(struct sl_why *w);
void sl_why_release(struct sl_why *w);

/* verdict.c (pure over the facts) */
void sl_why_decide(struct sl_why *w);
/* 1 when the attempt's ICMP error is "port unreachable" (v4 or v6). */
int sl_why_icmp_port_unreach(const struct sl_why_attempt *t);
/* Classifies a connect errno as the attempt does (client's path). */
enum sl_why_result sl_why_classify(int err);
/* The listeners on port in this namespace / in others, and whether one
 * accepts addr (its address is addr's, or the wildcard of its family). */
int sl_why_listens_on(const struct sl_why_holder *h,
		      const struct sl_endpoint *addr);

#endif
