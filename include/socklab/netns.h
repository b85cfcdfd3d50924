/*
 * netns.h - two hosts on one machine: two network namespaces joined by a
 * veth pair, each with its loopback up and one Ethernet interface ("eth0")
 * with an address of 198.18.0.0/24 (RFC 2544's benchmarking range, never
 * routed), as the lab's `--hosts 2` puts a server on one and a client on
 * the other.  Built through rtnetlink (libmnl), no ip(8) needed.
 *
 * Contract: needs CAP_SYS_ADMIN (root): without it -EPERM with the words
 * to get it.  The process is back in its own namespace when a function
 * returns; the namespaces live while their descriptors (or a process in
 * them) do.
 */
#ifndef SOCKLAB_NETNS_H
#define SOCKLAB_NETNS_H

#include "socklab/util.h"

struct sl_hosts {
	int ns[2];		/* the namespaces: 0 server, 1 client */
	int orig;		/* the process's own */
	char addr[2][16];	/* "198.18.0.1", "198.18.0.2" */
	char ifname[16];	/* "eth0" in both */
	unsigned char mac[2][6];
};

/* Makes the two hosts; 0, or a negative code with e filled. */
int sl_hosts_make(struct sl_hosts *h, struct sl_err *e);
/* Moves the process into host i (0 or 1), or back home with -1. */
int sl_hosts_enter(const struct sl_hosts *h, int i);
void sl_hosts_release(struct sl_hosts *h);

#endif
