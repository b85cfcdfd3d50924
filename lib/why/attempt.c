/* attempt.c - one connection to one address, classified: connected,
 * refused, timed out (SYNs counted from TCP_INFO), an ICMP error (read from
 * the socket's error queue, IP_RECVERR), no route, blocked by a local rule;
 * with CAP_NET_RAW a capture on the route's device shows the packets; once
 * connected, a probe line shows whether the server accepts, reads, answers */
#include <errno.h>
#include <time.h>
#include <linux/errqueue.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "socklab/capture.h"
#include "socklab/dissect.h"
#include "why-int.h"

int sl_why_icmp_port_unreach(const struct sl_why_attempt *t)
{
	return (t->icmp == 4 && t->icmp_type == 3 && t->icmp_code == 3) ||
	       (t->icmp == 6 && t->icmp_type == 1 && t->icmp_code == 4);
}

/* ---- the capture beside the attempt ---- */

struct watch {
	struct sl_capture *cap;
	struct sl_packet *pkt;
};

static void watch_open(struct watch *wt, struct sl_why_addr *a, int on)
{
	struct sl_why_attempt *t = &a->att;
	struct sl_capture_opts o = { 0 };
	char host[SL_ADDRSTRLEN], bpf[200];
	struct sl_err e;

	wt->cap = NULL;
	wt->pkt = NULL;
	snprintf(t->cap_dev, sizeof(t->cap_dev), "%s",
		 a->route.type == RTN_LOCAL || !a->route.dev[0] ? "lo"
								: a->route.dev);
	if (!on) {
		t->cap_err = -ECANCELED;
		return;
	}
	sl_addr_format_host((const struct sockaddr *)&a->ep.ss, host,
			    sizeof(host));
	/* the ICMP error may come from a router, so every ICMP error passes
	 * (IPv4 unreachable, IPv6 types 1-4), and no other ICMP */
	snprintf(bpf, sizeof(bpf),
		 "(tcp and host %s and port %u) or (icmp and icmp[0] == 3) or "
		 "(icmp6 and ip6[40] < 5)", host,
		 sl_addr_port((const struct sockaddr *)&a->ep.ss));
	o.iface = t->cap_dev;
	o.bpf = bpf;
	o.snaplen = 256;
	o.buffer_bytes = 1 << 20;
	t->cap_err = sl_capture_open(&wt->cap, &o, NULL, &e);
	if (t->cap_err == 0 && !(wt->pkt = malloc(sizeof(*wt->pkt)))) {
		sl_capture_close(wt->cap);
		wt->cap = NULL;
		t->cap_err = -ENOMEM;
	}
	if (wt->pkt)
		sl_packet_reset(wt->pkt);
}

/* One captured frame counted against the attempt from our port. */
static void count_frame(struct sl_why_attempt *t, struct sl_packet *p,
			uint16_t ours)
{
	uint64_t sport, dport;

	if (sl_pkt_has(p, SL_F_ICMP) || sl_pkt_has(p, SL_F_ICMPV6)) {
		t->cap_icmp++;
		return;
	}
	sport = sl_pkt_uint(p, SL_F_TCP_SRCPORT, 0);
	dport = sl_pkt_uint(p, SL_F_TCP_DSTPORT, 0);
	if (sport == ours && sl_pkt_uint(p, SL_F_TCP_FLAGS_SYN, 0) &&
	    !sl_pkt_uint(p, SL_F_TCP_FLAGS_ACK, 0))
		t->cap_syn++;
	if (dport != ours)
		return;
	if (sl_pkt_uint(p, SL_F_TCP_FLAGS_SYN, 0) &&
	    sl_pkt_uint(p, SL_F_TCP_FLAGS_ACK, 0))
		t->cap_synack++;
	if (sl_pkt_uint(p, SL_F_TCP_FLAGS_RESET, 0))
		t->cap_rst++;
}

/* Every frame the kernel holds, waiting up to linger_ms for stragglers. */
static void watch_drain(struct watch *wt, struct sl_why_attempt *t,
			uint16_t ours, int linger_ms)
{
	struct pollfd pfd;
	struct sl_frame f;
	struct sl_err e;
	int got;

	if (!wt->cap)
		return;
	pfd.fd = sl_capture_fd(wt->cap);
	pfd.events = POLLIN;
	do {
		got = 0;
		while (sl_capture_next(wt->cap, &f, &e) == 1) {
			wt->pkt->linktype = sl_capture_linktype(wt->cap);
			wt->pkt->data = f.data;
			wt->pkt->caplen = f.caplen;
			wt->pkt->len = f.len;
			sl_dissect(wt->pkt, NULL);
			count_frame(t, wt->pkt, ours);
			got = 1;
		}
	} while ((got || linger_ms > 0) && pfd.fd >= 0 &&
		 poll(&pfd, 1, linger_ms) > 0);
}

static void watch_close(struct watch *wt)
{
	sl_capture_close(wt->cap);
	free(wt->pkt);
}

/* ---- the socket ---- */

/* The ICMP error queued on fd, if any (IP_RECVERR / IPV6_RECVERR). */
static void read_errqueue(int fd, struct sl_why_attempt *t)
{
	char ctl[512], data[64];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;

	if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		const struct sock_extended_err *ee;
		const struct sockaddr *off;

		if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
		      (c->cmsg_level == SOL_IPV6 &&
		       c->cmsg_type == IPV6_RECVERR)))
			continue;
		ee = (const void *)CMSG_DATA(c);
		if (ee->ee_origin != SO_EE_ORIGIN_ICMP &&
		    ee->ee_origin != SO_EE_ORIGIN_ICMP6)
			continue;
		t->icmp = ee->ee_origin == SO_EE_ORIGIN_ICMP6 ? 6 : 4;
		t->icmp_type = ee->ee_type;
		t->icmp_code = ee->ee_code;
		off = SO_EE_OFFENDER(ee);
		if (off->sa_family == AF_INET || off->sa_family == AF_INET6)
			sl_addr_make(&t->icmp_from, off->sa_family,
				     off->sa_family == AF_INET6 ?
				     (const void *)&((const struct sockaddr_in6 *)off)->sin6_addr :
				     (const void *)&((const struct sockaddr_in *)off)->sin_addr, 0);
	}
}

/* SYNs sent so far: the first one and its retransmissions. */
static unsigned syns_sent(int fd)
{
	struct tcp_info ti;
	socklen_t n = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &n) < 0)
		return 0;
	return 1u + (ti.tcpi_total_retrans > ti.tcpi_retransmits ?
		     ti.tcpi_total_retrans : ti.tcpi_retransmits);
}

enum sl_why_result sl_why_classify(int err)
{
	switch (err) {
	case 0: return SL_ATT_CONNECTED;
	case ECONNREFUSED: return SL_ATT_REFUSED;
	case ETIMEDOUT: return SL_ATT_TIMEOUT;
	case ENETUNREACH: return SL_ATT_NOROUTE;
	case EHOSTUNREACH: return SL_ATT_ICMP;
	case EPERM: return SL_ATT_BLOCKED;
	default: return SL_ATT_OTHER;
	}
}

/* A connect started on fd: its outcome within timeout_ms. */
static int finish_connect(int fd, int timeout_ms, struct sl_why_attempt *t)
{
	int rc = sl_wait_fd(fd, POLLOUT, timeout_ms);

	if (rc == 0) {
		t->syns = syns_sent(fd);
		return ETIMEDOUT;
	}
	if (rc < 0)
		return -rc;
	rc = sl_connect_result(fd);
	t->syns = syns_sent(fd);
	return -rc;
}

static int open_socket(const struct sl_endpoint *ep)
{
	int on = 1, fd, fam = ep->ss.ss_family;

	fd = socket(fam, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (fam == AF_INET6)
		setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &on, sizeof(on));
	else
		setsockopt(fd, SOL_IP, IP_RECVERR, &on, sizeof(on));
	return fd;
}

/* ---- once connected ---- */

/* The server's end of our connection, from sock_diag. */
static void find_peer_end(const struct sl_why_addr *a, struct sl_why_attempt *t)
{
	uint16_t port = sl_addr_port((const struct sockaddr *)&a->ep.ss);
	struct sl_diag_query q = { .protos = SL_DIAG_TCP, .port = port,
				   .families = a->ep.ss.ss_family == AF_INET6 ?
					       SL_DIAG_V6 : SL_DIAG_V4 };
	struct sl_sock_list l;
	struct sl_err e;

	sl_sock_list_init(&l);
	if (sl_diag_list(&q, &l, &e) >= 0) {
		for (size_t i = 0; i < l.n; i++) {
			const struct sl_sock *s = &l.v[i];

			if (s->state == SL_TCP_LISTEN &&
			    sl_addr_port((const struct sockaddr *)&s->local.ss) == port &&
			    (sl_why_same_addr(&s->local, &a->ep) || !t->listen_seen)) {
				t->listen_seen = 1;
				t->listen_rq = s->rqueue;
				t->listen_wq = s->wqueue;
			}
			if (sl_addr_port((const struct sockaddr *)&s->local.ss) != port ||
			    s->state == SL_TCP_LISTEN || t->peer_seen ||
			    s->remote.len != t->local.len ||
			    memcmp(&s->remote.ss, &t->local.ss, s->remote.len))
				continue;
			t->peer_seen = 1;
			t->accepted = s->inode != 0;
			t->peer_rq = s->rqueue;
			if (s->inode) {
				struct sl_sock_list one;

				sl_sock_list_init(&one);
				if (sl_sock_list_push(&one, s) == 0 &&
				    sl_diag_owners(&one, &e) > 0)
					t->peer_pid = one.v[0].pid;
				sl_sock_list_release(&one);
			}
		}
	}
	sl_sock_list_release(&l);
}

/* Sends the probe line and waits for one reply line. */
static void probe(int fd, const char *line, int timeout_ms,
		  struct sl_why_attempt *t)
{
	uint64_t end = sl_now_ms() + (uint64_t)timeout_ms;
	struct sl_buf msg = SL_BUF_INIT;
	ssize_t n;

	sl_buf_printf(&msg, "%s\n", line);
	n = send(fd, msg.data, msg.len, MSG_NOSIGNAL);
	t->sent = n > 0 ? (size_t)n : 0;
	sl_buf_release(&msg);
	while (!t->replied && !t->closed) {
		uint64_t now = sl_now_ms();
		int left = now >= end ? 0 : (int)(end - now);

		if (sl_wait_fd(fd, POLLIN, left) <= 0)
			break;
		n = recv(fd, t->reply + t->reply_len,
			 sizeof(t->reply) - t->reply_len, 0);
		if (n <= 0) {
			t->closed = 1;
			break;
		}
		t->reply_len += (size_t)n;
		t->replied = memchr(t->reply, '\n', t->reply_len) != NULL ||
			     t->reply_len == sizeof(t->reply);
	}
}

static void after_connect(struct sl_why *w, struct sl_why_addr *a, int fd)
{
	struct sl_why_attempt *t = &a->att;
	int outq = 0;

	sl_set_nonblock(fd, 1);
	if (w->o.line)
		probe(fd, w->o.line, w->o.timeout_ms, t);
	if (t->replied)
		return;
	if (ioctl(fd, SIOCOUTQ, &outq) == 0 && outq > 0)
		t->our_sq = (uint32_t)outq;
	find_peer_end(a, t);
}

void sl_why_attempt(struct sl_why *w, struct sl_why_addr *a)
{
	struct sl_why_attempt *t = &a->att;
	uint16_t ours;
	struct watch wt;
	uint64_t t0;
	int fd, err;

	watch_open(&wt, a, !w->o.no_capture);
	fd = open_socket(&a->ep);
	if (fd < 0) {
		t->err = -fd;
		t->result = sl_why_classify(t->err);
		watch_close(&wt);
		return;
	}
	t0 = sl_now_ns();
	if (connect(fd, (const struct sockaddr *)&a->ep.ss, a->ep.len) == 0)
		err = 0;
	else if (errno == EINPROGRESS)
		err = -2;
	else
		err = errno;
	sl_sock_local(fd, &t->local);
	if (err == -2)
		err = finish_connect(fd, w->o.timeout_ms, t);
	t->ms = (double)(sl_now_ns() - t0) / 1e6;
	t->err = err;
	read_errqueue(fd, t);
	t->result = sl_why_classify(err);
	if (t->icmp && err == ECONNREFUSED && !sl_why_icmp_port_unreach(t))
		t->result = SL_ATT_ICMP;
	ours = sl_addr_port((const struct sockaddr *)&t->local.ss);
	if (err == 0)
		after_connect(w, a, fd);
	watch_drain(&wt, t, ours, 15);
	watch_close(&wt);
	close(fd);
}
