/* route.c - `ip route get ADDR` through rtnetlink: the device, next hop,
 * source address and route type the kernel would use */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "why-int.h"

/* One attribute of the route message: where it sends, and from where. */
static void route_attr(const struct nlattr *a, int family,
		       struct sl_why_route *r, int *ifindex)
{
	size_t alen = family == AF_INET6 ? 16 : 4;
	uint16_t plen = mnl_attr_get_payload_len(a);

	switch (mnl_attr_get_type(a)) {
	case RTA_OIF:
		if (plen >= 4)
			memcpy(ifindex, mnl_attr_get_payload(a), 4);
		break;
	case RTA_GATEWAY:
		if (plen >= alen) {
			sl_addr_make(&r->gw, family, mnl_attr_get_payload(a), 0);
			r->has_gw = 1;
		}
		break;
	case RTA_PREFSRC:
		if (plen >= alen) {
			sl_addr_make(&r->src, family, mnl_attr_get_payload(a), 0);
			r->has_src = 1;
		}
		break;
	default:
		break;
	}
}

int sl_route_decode(const void *buf, size_t len, struct sl_why_route *r,
		    int *ifindex)
{
	const struct nlmsghdr *nlh = buf;
	const struct rtmsg *rtm;
	size_t off;

	*ifindex = 0;
	if (len < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) ||
	    nlh->nlmsg_len > len)
		return -EBADMSG;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		int code = 0;

		if (nlh->nlmsg_len >= sizeof(*nlh) + sizeof(code))
			memcpy(&code, mnl_nlmsg_get_payload(nlh), sizeof(code));
		return code < 0 ? code : -EBADMSG;
	}
	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return -EBADMSG;
	rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return -EBADMSG;
	r->type = rtm->rtm_type;
	off = sizeof(*nlh) + MNL_ALIGN(sizeof(*rtm));
	/* attributes walked by hand: each length checked against the rest */
	while (off + sizeof(struct nlattr) <= nlh->nlmsg_len) {
		const struct nlattr *a = (const void *)((const char *)buf + off);

		if (a->nla_len < sizeof(*a) || a->nla_len > nlh->nlmsg_len - off)
			break;
		route_attr(a, rtm->rtm_family, r, ifindex);
		off += MNL_ALIGN(a->nla_len);
	}
	return 0;
}

static int route_request(struct mnl_socket *nl, const struct sl_endpoint *dst,
			 uint32_t seq)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	int fam = dst->ss.ss_family;

	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)fam;
	rtm->rtm_dst_len = fam == AF_INET6 ? 128 : 32;
	if (fam == AF_INET6)
		mnl_attr_put(nlh, RTA_DST, 16,
			     &((const struct sockaddr_in6 *)&dst->ss)->sin6_addr);
	else
		mnl_attr_put(nlh, RTA_DST, 4,
			     &((const struct sockaddr_in *)&dst->ss)->sin_addr);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

int sl_route_get(const struct sl_endpoint *dst, struct sl_why_route *r)
{
	char buf[8192] __attribute__((aligned(8)));
	struct mnl_socket *nl;
	uint32_t seq = (uint32_t)time(NULL);
	int ifindex = 0, rc;
	ssize_t n;

	memset(r, 0, sizeof(*r));
	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl)
		return r->err = -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		goto out;
	}
	if ((rc = route_request(nl, dst, seq)) < 0)
		goto out;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	rc = n < 0 ? -errno : sl_route_decode(buf, (size_t)n, r, &ifindex);
	if (rc == 0 && ifindex > 0 && !if_indextoname((unsigned)ifindex, r->dev))
		snprintf(r->dev, sizeof(r->dev), "if%d", ifindex);
out:
	mnl_socket_close(nl);
	return r->err = rc;
}
