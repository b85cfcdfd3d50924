/* devices.c - the interfaces a capture can open (tshark -D), and how many
 * packets an interface carried, from its kernel counters */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/capture.h"

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

int sl_capture_devices(struct sl_capture_dev **out, size_t *n,
		       struct sl_err *e)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_if_t *all = NULL, *d;
	struct sl_capture_dev *v;
	size_t k = 0, count = 0;

	*out = NULL;
	*n = 0;
	if (pcap_findalldevs(&all, errbuf) < 0)
		return sl_err_set(e, -EIO, "cannot list the interfaces: %s", errbuf);
	for (d = all; d; d = d->next)
		count++;
	v = calloc(count ? count : 1, sizeof(*v));
	if (!v) {
		pcap_freealldevs(all);
		return sl_err_set(e, -ENOMEM, "out of memory");
	}
	for (d = all; d; d = d->next, k++) {
		copy(v[k].name, sizeof(v[k].name), d->name);
		copy(v[k].desc, sizeof(v[k].desc), d->description);
		v[k].loopback = !!(d->flags & PCAP_IF_LOOPBACK);
		v[k].up = !!(d->flags & PCAP_IF_UP);
		v[k].running = !!(d->flags & PCAP_IF_RUNNING);
	}
	pcap_freealldevs(all);
	*out = v;
	*n = count;
	return 0;
}

/* One "  lo: 1 2 3 ..." line: received packets are the 2nd number, sent
 * the 10th.  1 when the line is iface's (or any device for "any"). */
static int dev_line(const char *p, const char *end, const char *iface,
		    uint64_t *packets)
{
	const char *colon = memchr(p, ':', (size_t)(end - p)), *name = p;
	uint64_t v[10] = { 0 };
	int k = 0;

	if (!colon)
		return 0;
	while (name < colon && *name == ' ')
		name++;
	if (strcmp(iface, "any") && ((size_t)(colon - name) != strlen(iface) ||
				     memcmp(name, iface, (size_t)(colon - name))))
		return 0;
	for (p = colon + 1; p < end && k < 10; k++) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end || *p < '0' || *p > '9')
			return 0;
		while (p < end && *p >= '0' && *p <= '9')
			v[k] = v[k] * 10 + (uint64_t)(*p++ - '0');
	}
	if (k < 10)
		return 0;
	/* loopback hands each packet in once: its received count says all */
	*packets += v[1] + ((size_t)(colon - name) == 2 && !memcmp(name, "lo", 2) ? 0 : v[9]);
	return 1;
}

int sl_procnetdev_packets(const char *text, size_t len, const char *iface,
			  uint64_t *packets)
{
	const char *p = text, *end = text + len;
	int found = 0;

	*packets = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		found |= dev_line(p, eol, iface, packets);
		p = eol + 1;
	}
	return found ? 0 : -ENOENT;
}

int sl_iface_packets(const char *iface, uint64_t *packets)
{
	struct sl_buf b = SL_BUF_INIT;
	int rc;

	/* /proc/net is this network namespace's; /sys/class/net is the one
	 * sysfs was mounted in */
	*packets = 0;
	rc = sl_read_file("/proc/net/dev", 1 << 20, &b);
	if (rc == 0)
		rc = sl_procnetdev_packets(b.data ? b.data : "", b.len, iface,
					   packets);
	sl_buf_release(&b);
	return rc;
}

int sl_capture_filter_check(const char *bpf, struct sl_err *e)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 262144);
	struct bpf_program prog;
	int rc = 0;

	if (!p)
		return sl_err_set(e, -ENOMEM, "out of memory");
	if (pcap_compile(p, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) < 0)
		rc = sl_err_set(e, -EINVAL, "%s", pcap_geterr(p));
	else
		pcap_freecode(&prog);
	pcap_close(p);
	return rc;
}
