/* sample.c - the lab's port in the kernel's socket table, as it changes */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "socklab/render.h"
#include "lab-int.h"

/* Sampling faster than this only costs CPU: loopback states last longer. */
#define SAMPLE_MS 2

void sampler_init(struct sampler *s, unsigned families)
{
	memset(s, 0, sizeof(*s));
	sl_sock_list_init(&s->now);
	sl_sock_list_init(&s->before);
	s->families = families;
	s->every_ms = SAMPLE_MS;
}

void sampler_release(struct sampler *s)
{
	sl_sock_list_release(&s->now);
	sl_sock_list_release(&s->before);
}

/* Family, address and port only: padding bytes of the sockaddr may differ
 * between two dumps of the same socket. */
static int same_endpoint(const struct sl_endpoint *a, const struct sl_endpoint *b)
{
	const struct sockaddr *sa = (const struct sockaddr *)&a->ss;
	const struct sockaddr *sb = (const struct sockaddr *)&b->ss;

	if (sa->sa_family != sb->sa_family || sl_addr_port(sa) != sl_addr_port(sb))
		return 0;
	if (sa->sa_family == AF_INET)
		return ((const struct sockaddr_in *)sa)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)sb)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)sa)->sin6_addr,
		       &((const struct sockaddr_in6 *)sb)->sin6_addr, 16);
}

static int same_ends(const struct sl_sock *a, const struct sl_sock *b)
{
	return same_endpoint(&a->local, &b->local) &&
	       same_endpoint(&a->remote, &b->remote);
}

static const struct sl_sock *find(const struct sl_sock_list *l,
				  const struct sl_sock *k)
{
	for (size_t i = 0; i < l->n; i++)
		if (same_ends(&l->v[i], k))
			return &l->v[i];
	return NULL;
}

/* Which end of the lab a socket is: the server's port is local to it. */
static int side(const struct sl_lab *lab, const struct sl_sock *s)
{
	if (lab->server_pid && s->pid == lab->server_pid)
		return 0;
	if (lab->client_pid && s->pid == lab->client_pid)
		return 1;
	return sl_addr_port((const struct sockaddr *)&s->local.ss) == lab->port ?
		0 : 1;
}

/* A state as socklab sockets prints it: an unconnected UDP socket is
 * UNCONN, not CLOSE. */
static const char *state_word(const struct sl_sock *s, int state)
{
	struct sl_sock t = *s;

	t.state = state;
	return sl_sock_state_name(&t);
}

static void record(struct sl_lab *lab, const struct sl_sock *s, int prev,
		   int state, int64_t t)
{
	struct sl_tl_event ev = { .kind = SL_TL_SOCKET };
	const char *who;

	ev.t_ns = t;
	ev.state = state;
	ev.prev_state = prev;
	ev.pid = s->pid;
	ev.owner = side(lab, s);
	ev.udp = s->proto == IPPROTO_UDP;
	memcpy(ev.program, s->program, sizeof(ev.program) < sizeof(s->program) ?
	       sizeof(ev.program) : sizeof(s->program));
	ev.program[sizeof(ev.program) - 1] = '\0';
	sl_addr_format((const struct sockaddr *)&s->local.ss, ev.local,
		       sizeof(ev.local));
	sl_addr_format((const struct sockaddr *)&s->remote.ss, ev.remote,
		       sizeof(ev.remote));
	who = ev.owner == 0 ? "server" : "client";
	if (!prev)
		snprintf(ev.text, sizeof(ev.text), "%s socket %s %s", who,
			 ev.local, state_word(s, state));
	else if (!state)
		snprintf(ev.text, sizeof(ev.text), "%s socket %s gone (was %s)",
			 who, ev.local, state_word(s, prev));
	else
		snprintf(ev.text, sizeof(ev.text), "%s socket %s %s -> %s", who,
			 ev.local, state_word(s, prev), state_word(s, state));
	sl_timeline_add(&lab->tl, &ev);
}

/* Keeps the owners of rows that were already known, so the /proc walk
 * runs only when a new socket appears. */
static int carry_owners(struct sl_sock_list *now, const struct sl_sock_list *old)
{
	int unknown = 0;

	for (size_t i = 0; i < now->n; i++) {
		const struct sl_sock *o = find(old, &now->v[i]);

		if (o && o->inode == now->v[i].inode && o->pid) {
			now->v[i].pid = o->pid;
			memcpy(now->v[i].program, o->program,
			       sizeof(now->v[i].program));
		} else if (now->v[i].inode) {
			unknown = 1;
		}
	}
	return unknown;
}

int sampler_tick(struct sl_lab *lab, struct sampler *s)
{
	struct sl_diag_query q = {
		.protos = lab->o.udp ? SL_DIAG_UDP : SL_DIAG_TCP,
		.families = s->families,
		.states = SL_STATES_ALL, .port = lab->port,
	};
	struct sl_sock_list next;
	uint64_t now_ms = sl_now_ms();
	int64_t t;
	struct sl_err e;
	int rc;

	if (!lab->port || now_ms - s->last_ms < s->every_ms)
		return 0;
	s->last_ms = now_ms;
	sl_sock_list_init(&next);
	rc = sl_diag_list(&q, &next, &e);
	/* after the dump: with many sockets it takes a while, and a change it
	 * shows may have happened at any point of it, never after */
	t = lab_now_ns();
	if (rc < 0) {
		sl_sock_list_release(&next);
		return rc;
	}
	if (carry_owners(&next, &s->now))
		sl_diag_owners(&next, &e);
	if (!s->started) {
		/* the first look at the port: remnants of an earlier run (its
		 * TIME_WAIT) stay off this run's time line */
		s->started = 1;
		for (size_t i = 0; i < next.n; i++)
			if (next.v[i].state == SL_TCP_TIME_WAIT)
				sl_sock_list_push(&s->before, &next.v[i]);
	}
	for (size_t i = 0; i < next.n; i++) {
		const struct sl_sock *o = find(&s->now, &next.v[i]);

		if (find(&s->before, &next.v[i]))
			continue;
		if (!o || o->state != next.v[i].state)
			record(lab, &next.v[i], o ? o->state : 0,
			       next.v[i].state, t);
	}
	for (size_t i = 0; i < s->now.n; i++)
		if (!find(&next, &s->now.v[i]) && !find(&s->before, &s->now.v[i]))
			record(lab, &s->now.v[i], s->now.v[i].state, 0, t);
	sl_sock_list_release(&s->now);
	s->now = next;
	return 0;
}

int sampler_force(struct sl_lab *lab, struct sampler *s)
{
	s->last_ms = 0;
	return sampler_tick(lab, s);
}

int sampler_table(const struct sampler *s, struct sl_buf *out)
{
	return sl_render_sockets(out, &s->now, SL_TABLE_OWNERS, geteuid());
}
