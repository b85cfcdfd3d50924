/* state.c - socket lists, TCP state names as netstat prints them, and the
 * query test every source applies to its rows */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "socklab/diag.h"

/* netstat's spelling first (sl_tok_name finds it), then what ss and
 * people type.  Names are compared without '-' and '_', in any case. */
static const struct sl_tok tcp_states[] = {
	{ SL_TCP_ESTABLISHED, "ESTABLISHED" },
	{ SL_TCP_SYN_SENT, "SYN_SENT" },
	{ SL_TCP_SYN_RECV, "SYN_RECV" },
	{ SL_TCP_FIN_WAIT1, "FIN_WAIT1" },
	{ SL_TCP_FIN_WAIT2, "FIN_WAIT2" },
	{ SL_TCP_TIME_WAIT, "TIME_WAIT" },
	{ SL_TCP_CLOSE, "CLOSE" },
	{ SL_TCP_CLOSE_WAIT, "CLOSE_WAIT" },
	{ SL_TCP_LAST_ACK, "LAST_ACK" },
	{ SL_TCP_LISTEN, "LISTEN" },
	{ SL_TCP_CLOSING, "CLOSING" },
	{ SL_TCP_NEW_SYN_RECV, "SYN_RECV" },
	{ SL_TCP_ESTABLISHED, "ESTAB" },
	{ SL_TCP_SYN_RECV, "SYNRECEIVED" },
	{ SL_TCP_CLOSE, "CLOSED" },
	{ SL_TCP_CLOSE, "UNCONN" },
	{ SL_TCP_LISTEN, "LISTENING" },
	{ 0, NULL }
};

void sl_sock_list_init(struct sl_sock_list *l)
{
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

void sl_sock_list_release(struct sl_sock_list *l)
{
	free(l->v);
	sl_sock_list_init(l);
}

int sl_sock_list_push(struct sl_sock_list *l, const struct sl_sock *s)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 64;
		struct sl_sock *v;

		if (ncap > SIZE_MAX / sizeof(*v))
			return -ENOMEM;
		v = realloc(l->v, ncap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = ncap;
	}
	l->v[l->n++] = *s;
	return 0;
}

const char *sl_tcp_state_name(int state)
{
	return sl_tok_name(tcp_states, state, "UNKNOWN");
}

/* "time-wait" -> "TIMEWAIT"; 0 when it does not fit */
static int squash(const char *name, char *out, size_t outlen)
{
	size_t n = 0;

	for (; *name; name++) {
		if (*name == '-' || *name == '_')
			continue;
		if (n + 1 >= outlen)
			return 0;
		out[n++] = *name;
	}
	out[n] = '\0';
	return 1;
}

int sl_tcp_state_value(const char *name)
{
	char want[24], have[24];

	if (!squash(name, want, sizeof(want)))
		return -1;
	for (const struct sl_tok *t = tcp_states; t->name; t++)
		if (squash(t->name, have, sizeof(have)) &&
		    strcasecmp(have, want) == 0)
			return t->value;
	return -1;
}

const char *sl_sock_state_name(const struct sl_sock *s)
{
	if ((s->proto == IPPROTO_UDP || s->local.ss.ss_family == AF_UNIX) &&
	    s->state == SL_TCP_CLOSE)
		return "UNCONN";
	return sl_tcp_state_name(s->state);
}

static const struct sl_tok unix_types[] = {
	{ SOCK_STREAM, "u_str" },
	{ SOCK_DGRAM, "u_dgr" },
	{ SOCK_SEQPACKET, "u_seq" },
	{ 0, NULL }
};

const char *sl_sock_proto_name(const struct sl_sock *s)
{
	int v6 = s->local.ss.ss_family == AF_INET6;

	if (s->local.ss.ss_family == AF_UNIX)
		return sl_tok_name(unix_types, s->type, "u_???");

	if (s->proto == IPPROTO_UDP)
		return v6 ? "udp6" : "udp";
	return v6 ? "tcp6" : "tcp";
}

int sl_diag_match(const struct sl_diag_query *q, const struct sl_sock *s)
{
	unsigned protos = q->protos ? q->protos : SL_DIAG_TCP;
	unsigned fams = q->families ? q->families : SL_DIAG_V4 | SL_DIAG_V6;
	uint32_t states = q->states ? q->states : SL_STATES_ALL;
	int state = s->state;
	unsigned fam = s->local.ss.ss_family == AF_INET6 ? SL_DIAG_V6
							  : SL_DIAG_V4;
	unsigned proto = s->proto == IPPROTO_UDP ? SL_DIAG_UDP : SL_DIAG_TCP;

	if (s->local.ss.ss_family == AF_UNIX) {
		/* no family to choose, no port to match */
		proto = SL_DIAG_UNIX;
		fam = fams;
		if (q->port)
			return 0;
	}
	if (state == SL_TCP_NEW_SYN_RECV)
		state = SL_TCP_SYN_RECV;
	if (!(protos & proto) || !(fams & fam))
		return 0;
	if (state < 0 || state >= 32 || !(states & SL_STATE_BIT(state)))
		return 0;
	if (q->port &&
	    sl_addr_port((const struct sockaddr *)&s->local.ss) != q->port &&
	    sl_addr_port((const struct sockaddr *)&s->remote.ss) != q->port)
		return 0;
	return 1;
}
