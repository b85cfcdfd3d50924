/* netns.c - two network namespaces joined by a veth pair, addressed and
 * up, through rtnetlink: RTM_NEWLINK (kind veth, the peer created in the
 * other namespace), RTM_NEWADDR, RTM_NEWLINK with IFF_UP */
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "socklab/netns.h"

#define NL_BUF 8192

/* One request, its acknowledgement read: 0 or the kernel's -errno. */
static int talk(struct nlmsghdr *nlh)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	char buf[NL_BUF];
	int rc = -EIO;
	ssize_t n;

	if (!nl)
		return -errno;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = (unsigned)time(NULL);
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		rc = -errno;
		goto out;
	}
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n >= (ssize_t)sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *r = (const struct nlmsghdr *)buf;

		if (r->nlmsg_type == NLMSG_ERROR &&
		    mnl_nlmsg_get_payload_len(r) >= sizeof(struct nlmsgerr))
			rc = ((const struct nlmsgerr *)mnl_nlmsg_get_payload(r))->error;
	}
out:
	mnl_socket_close(nl);
	return rc;
}

/* The veth pair: name here, its peer (same name) in the namespace peer. */
static int make_veth(const char *name, int peer)
{
	char buf[NL_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nlattr *info, *data, *pinfo;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	pinfo = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer);
	mnl_attr_nest_end(nlh, pinfo);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return talk(nlh);
}

static int add_addr(const char *ifname, const char *addr, int prefix)
{
	char buf[NL_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	struct in_addr a;
	unsigned idx = if_nametoindex(ifname);

	if (!idx || inet_pton(AF_INET, addr, &a) != 1)
		return -ENODEV;
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_index = idx;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(a), &a);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(a), &a);
	return talk(nlh);
}

/* An interface up, and its hardware address into mac. */
static int link_up(const char *ifname, unsigned char mac[6])
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		rc = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (rc == 0 && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		rc = -errno;
	if (rc == 0 && mac && ioctl(fd, SIOCGIFHWADDR, &ifr) == 0)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return rc;
}

/* A new namespace with its loopback up: its descriptor. */
static int new_ns(int orig)
{
	int fd;

	if (setns(orig, CLONE_NEWNET) < 0 || unshare(CLONE_NEWNET) < 0)
		return -errno;
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	link_up("lo", NULL);
	return fd;
}

static int setup(struct sl_hosts *h)
{
	int rc;

	for (int i = 0; i < 2; i++)
		if ((h->ns[i] = new_ns(h->orig)) < 0)
			return h->ns[i];
	/* from the client's side: its eth0 here, the peer in the server's */
	if ((rc = make_veth(h->ifname, h->ns[0])) < 0 ||
	    (rc = add_addr(h->ifname, h->addr[1], 24)) < 0 ||
	    (rc = link_up(h->ifname, h->mac[1])) < 0)
		return rc;
	if (setns(h->ns[0], CLONE_NEWNET) < 0)
		return -errno;
	if ((rc = add_addr(h->ifname, h->addr[0], 24)) < 0)
		return rc;
	return link_up(h->ifname, h->mac[0]);
}

int sl_hosts_make(struct sl_hosts *h, struct sl_err *e)
{
	int rc;

	memset(h, 0, sizeof(*h));
	h->ns[0] = h->ns[1] = -1;
	snprintf(h->addr[0], sizeof(h->addr[0]), "198.18.0.1");
	snprintf(h->addr[1], sizeof(h->addr[1]), "198.18.0.2");
	snprintf(h->ifname, sizeof(h->ifname), "eth0");
	h->orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (h->orig < 0)
		return sl_err_set(e, -errno, "cannot open this process's network namespace (/proc/self/ns/net): %s; is /proc mounted?",
				  strerror(errno));
	rc = setup(h);
	setns(h->orig, CLONE_NEWNET);
	if (rc == -EPERM)
		return sl_err_set(e, rc, "two hosts need two network namespaces, which need root (CAP_SYS_ADMIN): run it with sudo");
	if (rc < 0)
		return sl_err_set(e, rc, "cannot make the two hosts (network namespaces joined by a veth pair): %s",
				  strerror(-rc));
	return 0;
}

int sl_hosts_enter(const struct sl_hosts *h, int i)
{
	int fd = i < 0 ? h->orig : h->ns[i];

	return setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
}

void sl_hosts_release(struct sl_hosts *h)
{
	if (h->orig >= 0)
		setns(h->orig, CLONE_NEWNET);
	for (int i = 0; i < 2; i++)
		if (h->ns[i] >= 0)
			close(h->ns[i]);
	if (h->orig > 0)
		close(h->orig);
	h->ns[0] = h->ns[1] = h->orig = -1;
}
