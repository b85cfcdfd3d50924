/* sockets.c - socket table rows read back from a bundle's text, as
 * socklab sockets prints them (Proto Local Foreign State …), as netstat
 * -tan does (Proto Recv-Q Send-Q Local Foreign State …) and as ss -tan
 * does (State Recv-Q Send-Q Local Peer …) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/verify.h"

#define WORDS 8

/* The line's first words (at most WORDS, each cut at 63 bytes). */
static size_t words(const char *p, size_t n, char w[WORDS][64])
{
	size_t k = 0, i = 0;

	while (i < n && k < WORDS) {
		size_t s;

		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		s = i;
		while (i < n && p[i] != ' ' && p[i] != '\t')
			i++;
		if (i > s)
			snprintf(w[k++], 64, "%.*s", (int)(i - s), p + s);
	}
	return k;
}

static int digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* "127.0.0.1:59001", "[::1]:59001", "*:*" -> the port (0 for "*"). */
static int port_of(const char *a, uint16_t *port)
{
	const char *c = strrchr(a, ':');
	unsigned long p;

	if (!c || c == a)
		return -1;
	if (!strcmp(c + 1, "*")) {
		*port = 0;
		return 0;
	}
	if (!digits(c + 1) || (p = strtoul(c + 1, NULL, 10)) > 65535)
		return -1;
	*port = (uint16_t)p;
	return 0;
}

/* ss names states its own way */
static const char *state_name(const char *s)
{
	static const char *const ss[][2] = {
		{ "ESTAB", "ESTABLISHED" }, { "TIME-WAIT", "TIME_WAIT" },
		{ "SYN-SENT", "SYN_SENT" }, { "SYN-RECV", "SYN_RECV" },
		{ "FIN-WAIT-1", "FIN_WAIT1" }, { "FIN-WAIT-2", "FIN_WAIT2" },
		{ "CLOSE-WAIT", "CLOSE_WAIT" }, { "LAST-ACK", "LAST_ACK" },
		{ "UNCONN", "CLOSE" },
	};

	for (size_t i = 0; i < SL_ARRAY_SIZE(ss); i++)
		if (!strcmp(s, ss[i][0]))
			return ss[i][1];
	return s;
}

static int row(char w[WORDS][64], size_t k, struct sl_vrow *r)
{
	size_t at;
	const char *state;

	if (!strcmp(w[0], "tcp") || !strcmp(w[0], "tcp6")) {
		/* netstat puts the queues first */
		at = k >= 6 && digits(w[1]) && digits(w[2]) ? 3 : 1;
		if (k < at + 3)
			return -1;
		state = w[at + 2];
	} else if (k >= 5 && digits(w[1]) && digits(w[2])) {
		at = 3;			/* ss: the state first */
		state = w[0];
	} else {
		return -1;
	}
	if (port_of(w[at], &r->lport) < 0 || port_of(w[at + 1], &r->rport) < 0)
		return -1;
	snprintf(r->local, sizeof(r->local), "%.63s", w[at]);
	snprintf(r->remote, sizeof(r->remote), "%.63s", w[at + 1]);
	snprintf(r->state, sizeof(r->state), "%.15s", state_name(state));
	return 0;
}

size_t sl_verify_rows(const char *text, size_t n, struct sl_vrow *rows,
		      size_t max)
{
	size_t k = 0, i = 0;

	while (i < n && k < max) {
		const char *p = text + i, *nl = memchr(p, '\n', n - i);
		size_t len = nl ? (size_t)(nl - p) : n - i;
		char w[WORDS][64];
		size_t nw = words(p, len, w);

		if (nw >= 4 && row(w, nw, &rows[k]) == 0)
			k++;
		i += len + 1;
	}
	return k;
}
