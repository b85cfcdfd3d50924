/* holder.c - who holds a port, in words: the clause behind the server's
 * "address in use" and the client's "refused" advice: a live holder told
 * apart from an earlier run's TIME_WAIT */
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "socklab/diag.h"

#define MAX_NAMED 4	/* pids or addresses named before "and N more" */

static int holds(const struct sl_sock *s, uint16_t port)
{
	return sl_addr_port((const struct sockaddr *)&s->local.ss) == port;
}

/* A port to suggest instead: the next one. */
static unsigned other_port(uint16_t port)
{
	return port < 65535 ? port + 1u : port - 1u;
}

/* The rows that tell the story: listeners if any, else live sockets. */
static int in_focus(const struct sl_sock *s, uint16_t port, int listeners)
{
	if (!holds(s, port) || s->state == SL_TCP_TIME_WAIT)
		return 0;
	return !listeners || s->state == SL_TCP_LISTEN;
}

/* "LISTEN on 127.0.0.1:59001 and [::1]:59001" for the focus rows */
static void put_where(struct sl_buf *out, const struct sl_sock_list *l,
		      uint16_t port, int listeners, const struct sl_sock *first)
{
	char addr[SL_ADDRSTRLEN], seen[MAX_NAMED][SL_ADDRSTRLEN];
	size_t named = 0, more = 0;

	sl_buf_printf(out, "%s on ", sl_sock_state_name(first));
	for (size_t i = 0; i < l->n; i++) {
		const struct sl_sock *s = &l->v[i];
		size_t k;

		if (!in_focus(s, port, listeners) || s->state != first->state)
			continue;
		sl_sock_addr_format(&s->local, addr, sizeof(addr));
		for (k = 0; k < named && strcmp(seen[k], addr); k++)
			;
		if (k < named)
			continue;
		if (named == MAX_NAMED) {
			more++;
			continue;
		}
		strcpy(seen[named], addr);
		sl_buf_printf(out, "%s", named ? " and " : "");
		sl_buf_escape(out, addr, strlen(addr));
		named++;
	}
	if (more)
		sl_buf_printf(out, " and %zu more", more);
}

/* "pid 4242 (python3) and pid 4243 (nc)"; the pids go to kill[] */
static size_t put_owners(struct sl_buf *out, const struct sl_sock_list *l,
			 uint16_t port, int listeners, int *kill)
{
	size_t named = 0, more = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct sl_sock *s = &l->v[i];
		size_t k;

		if (!in_focus(s, port, listeners) || s->pid <= 0)
			continue;
		for (k = 0; k < named && kill[k] != s->pid; k++)
			;
		if (k < named)
			continue;
		if (named == MAX_NAMED) {
			more++;
			continue;
		}
		kill[named] = s->pid;
		sl_buf_printf(out, "%spid %d (", named ? " and " : "", s->pid);
		sl_buf_escape(out, s->program,
			      strnlen(s->program, sizeof(s->program)));
		sl_buf_putc(out, ')');
		named++;
	}
	if (more)
		sl_buf_printf(out, " and %zu more processes", more);
	return named;
}

static void describe_live(const struct sl_sock_list *l, uint16_t port,
			  uint32_t self_uid, int listeners,
			  const struct sl_sock *first, struct sl_buf *out)
{
	int kill[MAX_NAMED];
	size_t owners, start = out->len;

	sl_buf_printf(out, "port %u is in use by ", port);
	owners = put_owners(out, l, port, listeners, kill);
	if (owners) {
		sl_buf_puts(out, ", ");
		put_where(out, l, port, listeners, first);
		sl_buf_printf(out, " — stop %s (kill",
			      owners > 1 ? "them" : "it");
		for (size_t k = 0; k < owners; k++)
			sl_buf_printf(out, " %d", kill[k]);
		sl_buf_printf(out, ") or use -p %u, or -p 0 for any free port",
			      other_port(port));
		return;
	}
	/* nobody named: say why instead */
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
	if (self_uid != 0 && first->uid != self_uid) {
		sl_buf_printf(out, "port %u is held by a process of another user (uid %u), ",
			      port, first->uid);
		put_where(out, l, port, listeners, first);
		sl_buf_printf(out, "; run with sudo to see which, or use -p %u, or -p 0 for any free port",
			      other_port(port));
		return;
	}
	sl_buf_printf(out, "port %u is in use, ", port);
	put_where(out, l, port, listeners, first);
	sl_buf_printf(out, ", by a process socklab cannot see (uid %u, perhaps in another container); use -p %u, or -p 0 for any free port",
		      first->uid, other_port(port));
}

static void describe_time_wait(const struct sl_sock_list *l, uint16_t port,
			       size_t held, struct sl_buf *out)
{
	uint32_t left = 0;

	for (size_t i = 0; i < l->n; i++)
		if (holds(&l->v[i], port) && l->v[i].expires_ms > left)
			left = l->v[i].expires_ms;
	/* the kernel keeps TIME_WAIT 60 s; an unknown timer says so */
	left = left ? (left + 999) / 1000 : 60;
	sl_buf_printf(out, "port %u is held only by %zu connection%s in TIME_WAIT (gone within %u s); your own server should set SO_REUSEADDR before bind()",
		      port, held, held == 1 ? "" : "s", left);
}

int sl_diag_describe_holders(const struct sl_sock_list *l, uint16_t port,
			     uint32_t self_uid, struct sl_buf *out)
{
	const struct sl_sock *first = NULL;
	size_t held = 0, live = 0;
	int listeners = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct sl_sock *s = &l->v[i];

		if (!holds(s, port))
			continue;
		held++;
		if (s->state == SL_TCP_TIME_WAIT)
			continue;
		live++;
		if (s->state == SL_TCP_LISTEN && !listeners) {
			listeners = 1;
			first = s;
		} else if (!first) {
			first = s;
		}
	}
	if (live)
		describe_live(l, port, self_uid, listeners, first, out);
	else if (held)
		describe_time_wait(l, port, held, out);
	return held > (size_t)INT32_MAX ? INT32_MAX : (int)held;
}

int sl_diag_describe_port(uint16_t port, int family_mask, struct sl_buf *out)
{
	struct sl_diag_query q = {
		.protos = SL_DIAG_TCP,
		.families = (unsigned)family_mask,
		.states = SL_STATES_ALL,
		.port = port,
		.source = SL_SRC_AUTO,
	};
	struct sl_sock_list l;
	struct sl_err e;
	int rc;

	sl_sock_list_init(&l);
	rc = sl_diag_list(&q, &l, &e);
	if (rc >= 0) {
		/* owners are a bonus: the rows stand without them */
		sl_diag_owners(&l, &e);
		rc = sl_diag_describe_holders(&l, port, (uint32_t)geteuid(),
					      out);
	}
	sl_sock_list_release(&l);
	return rc;
}
