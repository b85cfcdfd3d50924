/* hosts.c - lab --hosts 2: socklab's server on one host and its client
 * on another, two network namespaces joined by a veth pair (198.18.0.1
 * and 198.18.0.2); the capture on the server host's Ethernet interface
 * sees ARP and real Ethernet addresses, and each host's socket table is
 * read inside it.  Without the privilege every step is skipped with the
 * reason. */
#include <stdio.h>
#include <string.h>

#include "lab-int.h"

void lab_host_enter(const struct run *r, int i)
{
	if (r->hosts)
		sl_hosts_enter(r->hosts, i);
}

void lab_hosts_tables(struct run *r, struct sl_buf *out)
{
	static const char *const who[2] = { "server", "client" };

	for (int i = 0; i < 2; i++) {
		sl_buf_printf(out, "%s%s host$ socklab sockets -p --port %u   (on %s)\n",
			      i ? "\n" : "", who[i], r->lab->port,
			      r->hosts->addr[i]);
		sampler_table_host(&r->smp, i, out);
	}
}

static void mac_text(const unsigned char *m, char *out, size_t n)
{
	snprintf(out, n, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
}

static void names(struct run *r, const struct sl_hosts *h)
{
	struct sl_lab *lab = r->lab;
	char pcap[256];

	lab->port = lab->o.port ? lab->o.port : 59001;
	snprintf(r->port_text, sizeof(r->port_text), "%u", lab->port);
	snprintf(r->host, sizeof(r->host), "%s", h->addr[0]);
	snprintf(r->bind, sizeof(r->bind), "%s", h->addr[0]);
	snprintf(lab->iface, sizeof(lab->iface), "%s", h->ifname);
	snprintf(lab->server_addr, sizeof(lab->server_addr), "%s:%u",
		 h->addr[0], lab->port);
	snprintf(lab->filter, sizeof(lab->filter), "ip.addr==%s || arp",
		 h->addr[0]);
	snprintf(lab->bpf, sizeof(lab->bpf), "tcp port %u or arp", lab->port);
	lab_set_pcap_path(lab);
	sl_lab_file_name(lab, "_packet.pcapng", pcap, sizeof(pcap));
	lab->steps[SL_STEP_CAPTURE].title =
		"Start a capture on the server host's Ethernet interface";
	for (int i = 0; i < SL_STEP_COUNT; i++) {
		char *cl = lab->steps[i].classic_text;
		size_t n = sizeof(lab->steps[i].classic_text);

		if (i == SL_STEP_CAPTURE)
			snprintf(cl, n, "Wireshark on the server host: capture on %s, display filter %s",
				 h->ifname, lab->filter);
		else if (i == SL_STEP_LISTEN || i == SL_STEP_ESTABLISHED)
			snprintf(cl, n, "netstat -tanp | grep %u   (on each host)",
				 lab->port);
		else if (i == SL_STEP_PACKET)
			snprintf(cl, n, "Wireshark: File > Open %s, filter %s",
				 pcap, lab->filter);
		else
			snprintf(cl, n, "%s", i == SL_STEP_SERVER ?
				 "python3 server.py on the server host" :
				 "python3 client.py on the client host");
		lab->steps[i].classic = cl;
	}
}

static void skip_all(struct sl_lab *lab, const char *why)
{
	lab->capture_skipped = 1;
	for (int i = 0; i < SL_STEP_COUNT; i++)
		step_end(lab, i, SL_STEP_SKIPPED, "%s", why);
	lab->exit_status = 1;
}

int lab_run_hosts(struct run *r, struct sl_err *e)
{
	struct sl_lab *lab = r->lab;
	struct sl_hosts h;
	char mac[2][24];
	int rc;

	(void)e;
	if ((rc = sl_hosts_make(&h, e)) < 0) {
		lab_say(lab, "      two hosts: %s", e->msg);
		skip_all(lab, e->msg);
		sl_hosts_release(&h);
		return 0;
	}
	r->hosts = &h;
	names(r, &h);
	mac_text(h.mac[0], mac[0], sizeof(mac[0]));
	mac_text(h.mac[1], mac[1], sizeof(mac[1]));
	sl_lab_note(lab, SL_NOTE_INFO,
		    "two hosts on this machine: the server's %s (%s %s) and the client's %s (%s %s), network namespaces joined by a veth pair; the capture is on the server host's %s, so ARP and the Ethernet addresses are real",
		    h.addr[0], h.ifname, mac[0], h.addr[1], h.ifname, mac[1],
		    h.ifname);
	sampler_init(&r->smp, SL_DIAG_V4);
	r->smp.hosts = &h;
	lab_host_enter(r, 0);
	step_capture(r);
	lab_host_enter(r, -1);
	sampler_tick(lab, &r->smp);
	if (step_server(r) == 0 && step_listen(r) == 0 &&
	    step_established(r) == 0)
		step_message(r);
	lab_finish_steps(r);
	/* the capture and the children are released by the run, after
	 * this; the namespaces go with their last descriptor */
	child_stop(&r->srv, 200);
	child_stop(&r->cli, 200);
	labcap_release(&r->cap);
	r->capturing = 0;
	r->hosts = NULL;
	r->smp.hosts = NULL;
	sl_hosts_release(&h);
	return 0;
}
