/* app.c - what a TCP or UDP payload is, by its ports as tshark's tables
 * have them (the lower port first): DNS, DHCP, NTP, HTTP, TLS, the UDP
 * tunnels; anything else is Data, as tshark shows it */
#include "dissect-int.h"
#include "socklab/util.h"

/* The largest port of both tables: most ports (ephemeral ones) are
 * above it, and are not looked for. */
#define APP_PORT_MAX 8443

struct app {
	uint16_t port;
	int (*dissect)(struct dis *d, uint32_t off, uint32_t end);
};

static const struct app udp_apps[] = {
	{ 53, dis_dns }, { 67, dis_dhcp }, { 68, dis_dhcp }, { 123, dis_ntp },
	{ 4789, dis_vxlan }, { 6081, dis_geneve }, { 5353, dis_dns },
};

/* tshark's default HTTP and TLS ports (http.tcp.port, tls's table) */
static const struct app tcp_apps[] = {
	{ 53, dis_dns_tcp }, { 80, dis_http }, { 443, dis_tls },
	{ 3128, dis_http }, { 8080, dis_http }, { 8088, dis_http },
	{ 465, dis_tls }, { 563, dis_tls }, { 636, dis_tls }, { 989, dis_tls },
	{ 990, dis_tls }, { 992, dis_tls }, { 993, dis_tls }, { 995, dis_tls },
	{ 5061, dis_tls }, { APP_PORT_MAX, dis_tls },
};

static const struct app *find(const struct app *t, size_t n, unsigned port)
{
	if (port > APP_PORT_MAX)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (t[i].port == port)
			return &t[i];
	return NULL;
}

static int dispatch(struct dis *d, const struct app *t, size_t n,
		    unsigned sport, unsigned dport, uint32_t off, uint32_t end)
{
	unsigned lo = sport < dport ? sport : dport;
	unsigned hi = sport < dport ? dport : sport;
	const struct app *a = find(t, n, lo);

	if (!a)
		a = find(t, n, hi);
	if (a)
		return a->dissect(d, off, end);
	dis_data(d, off, end);
	return 0;
}

int dis_udp_payload(struct dis *d, unsigned sport, unsigned dport,
		    uint32_t off, uint32_t end)
{
	if (end <= off)
		return 0;
	if (dis_bytes(d, SL_F_UDP_PAYLOAD, off, end - off) < 0)
		return -1;
	return dispatch(d, udp_apps, SL_ARRAY_SIZE(udp_apps), sport, dport,
			off, end);
}

int dis_tcp_payload(struct dis *d, unsigned sport, unsigned dport,
		    uint32_t off, uint32_t end)
{
	if (end <= off)
		return 0;
	if (dis_bytes(d, SL_F_TCP_PAYLOAD, off, end - off) < 0)
		return -1;
	return dispatch(d, tcp_apps, SL_ARRAY_SIZE(tcp_apps), sport, dport,
			off, end);
}
