/* sockets.c - the socket table as `socklab sockets` prints it (aligned
 * columns, owners, notes in words, the footer about hidden owners) and
 * the --watch change lines; the lab's step texts are made here too, so
 * they are byte for byte what the command prints */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/render.h"

/* Words for what the numbers mean: a LISTEN row's queue, a TIME_WAIT
 * row's time left, a row no process holds. */
static size_t note(const struct sl_sock *s, char *out, size_t outlen)
{
	int n = 0;

	out[0] = '\0';
	if (s->proto != IPPROTO_TCP)
		return 0;
	if (s->state == SL_TCP_LISTEN && s->rqueue && s->wqueue)
		n = snprintf(out, outlen, "%u waiting to be accepted, backlog %u",
			     s->rqueue, s->wqueue);
	else if (s->state == SL_TCP_LISTEN && s->rqueue)
		n = snprintf(out, outlen, "%u waiting to be accepted",
			     s->rqueue);
	else if (s->state == SL_TCP_LISTEN && s->wqueue)
		n = snprintf(out, outlen, "backlog %u", s->wqueue);
	else if (s->state == SL_TCP_TIME_WAIT)
		n = snprintf(out, outlen, "%u s left",
			     (s->expires_ms + 999) / 1000);
	else if (s->inode || s->state == SL_TCP_LISTEN)
		n = 0;
	/* no inode: no process holds it (yet, or any more) */
	else if (s->state == SL_TCP_ESTABLISHED ||
		 s->state == SL_TCP_CLOSE_WAIT)
		n = snprintf(out, outlen, "not yet accepted");
	else if (s->state != SL_TCP_SYN_RECV && s->state != SL_TCP_SYN_SENT)
		n = snprintf(out, outlen, "closed by its program");
	if (n < 0)
		n = 0;
	return (size_t)n < outlen ? (size_t)n : outlen - 1;
}

size_t sl_render_sock_owner(const struct sl_sock *s, char *out, size_t outlen)
{
	size_t n;
	int k;

	if (s->pid <= 0)
		return (size_t)snprintf(out, outlen, "-");
	k = snprintf(out, outlen, "%d/", s->pid);
	n = (size_t)k;
	n += sl_escape(out + n, outlen - n, s->program,
		       strnlen(s->program, sizeof(s->program)));
	return n < outlen ? n : outlen - 1;
}

#define ADDR_CELL (SL_ADDRSTRLEN * SL_ESCAPE_MAX)
#define NOTE_CELL 96
/* the most one row adds to the text */
#define ROW_TEXT (2 * ADDR_CELL + SL_OWNER_CELL + NOTE_CELL)

/* A link-local IPv6 address, written with its interface's name. */
static int scoped(const struct sl_endpoint *ep)
{
	const struct sockaddr_in6 *s6 = (const void *)&ep->ss;

	return ep->ss.ss_family == AF_INET6 && s6->sin6_scope_id;
}

/* An address cell; digits, dots, colons and brackets are safe, only an
 * interface name after '%' needs escaping. */
static size_t addr_cell(const struct sl_endpoint *ep, char *out)
{
	char tmp[SL_ADDRSTRLEN];
	size_t n;

	if (!scoped(ep))
		return (size_t)sl_sock_addr_format(ep, out, ADDR_CELL + 1);
	n = (size_t)sl_sock_addr_format(ep, tmp, sizeof(tmp));
	n = n < sizeof(tmp) ? n : sizeof(tmp) - 1;
	n = sl_escape(out, ADDR_CELL + 1, tmp, n);
	return n < ADDR_CELL ? n : ADDR_CELL;
}

void sl_sock_table_init(struct sl_sock_table *t, unsigned flags)
{
	/* the headers' widths are the least */
	static const size_t least[SL_TCELL_N] = { 13, 15, 5, 11, 0 };

	memset(t, 0, sizeof(*t));
	t->flags = flags;
	sl_buf_init(&t->text);
	memcpy(t->w, least, sizeof(t->w));
}

void sl_sock_table_release(struct sl_sock_table *t)
{
	sl_buf_release(&t->text);
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

static int grow(struct sl_sock_table *t)
{
	size_t ncap = t->cap ? 2 * t->cap : 1024;
	struct sl_sock_trow *v;

	if (ncap > SIZE_MAX / sizeof(*v))
		return -ENOMEM;
	v = realloc(t->v, ncap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	t->v = v;
	t->cap = ncap;
	return 0;
}

/* Cell k of row r is the n bytes at p; returns n.  Widths are counted
 * in terminal columns, so a program name in any script lines up; ours is
 * a cell that holds only our own ASCII words and digits. */
static size_t cell(struct sl_sock_table *t, struct sl_sock_trow *r, int k,
		   const char *p, size_t n, int ours)
{
	r->len[k] = (uint16_t)n;
	r->cols[k] = ours ? (uint16_t)n : (uint16_t)sl_text_width(p, n);
	if (r->cols[k] > t->w[k])
		t->w[k] = r->cols[k];
	return n;
}

int sl_sock_table_add(const struct sl_sock *s, void *arg)
{
	struct sl_sock_table *t = arg;
	struct sl_sock_trow *r;
	char *p;

	if (t->n == t->cap && grow(t) < 0)
		return -ENOMEM;
	if (sl_buf_reserve(&t->text, ROW_TEXT + 1) < 0)
		return -ENOMEM;
	r = &t->v[t->n++];
	r->proto = sl_sock_proto_name(s);
	r->state = sl_sock_state_name(s);
	r->off = t->text.len;
	p = t->text.data + t->text.len;
	p += cell(t, r, SL_TCELL_LOCAL, p, addr_cell(&s->local, p),
		  !scoped(&s->local));
	p += cell(t, r, SL_TCELL_REMOTE, p, addr_cell(&s->remote, p),
		  !scoped(&s->remote));
	cell(t, r, SL_TCELL_STATE, r->state, strlen(r->state), 1);
	p += cell(t, r, SL_TCELL_OWNER, p, t->flags & SL_TABLE_OWNERS ?
		  sl_render_sock_owner(s, p, SL_OWNER_CELL) : 0, 0);
	p += cell(t, r, SL_TCELL_NOTE, p, note(s, p, NOTE_CELL), 1);
	t->text.len = (size_t)(p - t->text.data);
	return 0;
}

/* A state's colour on a terminal: open and established green, closing
 * yellow, CLOSE_WAIT (a program that has not closed its end) red. */
static const char *state_sgr(const char *state)
{
	static const struct {
		const char *state, *sgr;
	} sgr[] = {
		{ "LISTEN", "\033[36m" }, { "ESTABLISHED", "\033[32m" },
		{ "SYN_SENT", "\033[33m" }, { "SYN_RECV", "\033[33m" },
		{ "FIN_WAIT1", "\033[33m" }, { "FIN_WAIT2", "\033[33m" },
		{ "CLOSING", "\033[33m" }, { "LAST_ACK", "\033[33m" },
		{ "TIME_WAIT", "\033[35m" }, { "CLOSE_WAIT", "\033[31m" },
	};

	for (size_t i = 0; i < SL_ARRAY_SIZE(sgr); i++)
		if (!strcmp(state, sgr[i].state))
			return sgr[i].sgr;
	return NULL;
}

#define SGR_OFF "\033[0m"

/* Room a coloured cell takes beyond its text. */
enum { SGR_ROOM = 5 + sizeof(SGR_OFF) - 1 };

static void put_sgr(struct sl_buf *b, const char *sgr)
{
	size_t n = strlen(sgr);

	memcpy(b->data + b->len, sgr, n);
	b->len += n;
}

/* n bytes that take cols columns, padded to width and two spaces */
static void put_cell(struct sl_buf *b, const char *s, size_t n, size_t cols,
		     size_t width, int last)
{
	memcpy(b->data + b->len, s, n);
	b->len += n;
	if (last)
		return;
	memset(b->data + b->len, ' ', width - cols + 2);
	b->len += width - cols + 2;
}

/* Cell k of r, padded to its column. */
static void put_tcell(struct sl_buf *b, const struct sl_sock_table *t,
		      const struct sl_sock_trow *r, int k, const char *p,
		      int last)
{
	put_cell(b, p, r->len[k], r->cols[k], t->w[k], last);
}

static int put_header(const struct sl_sock_table *t, struct sl_buf *out)
{
	const size_t *w = t->w;
	int owners = (t->flags & SL_TABLE_OWNERS) != 0;

	return sl_buf_printf(out, "%-5s  %-*s  %-*s  %-*s%s%-*s  Notes\n",
			     "Proto", (int)w[SL_TCELL_LOCAL], "Local Address",
			     (int)w[SL_TCELL_REMOTE], "Foreign Address",
			     (int)w[SL_TCELL_STATE], "State",
			     owners ? "  " : "", owners ? (int)w[SL_TCELL_OWNER] : 0,
			     owners ? "PID/Program" : "");
}

static void put_row(const struct sl_sock_table *t,
		    const struct sl_sock_trow *r, struct sl_buf *out)
{
	const size_t *w = t->w;
	const char *p = t->text.data + r->off;
	int owners = (t->flags & SL_TABLE_OWNERS) != 0;
	int nn = r->len[SL_TCELL_NOTE] != 0;

	put_cell(out, r->proto, strlen(r->proto), strlen(r->proto), 5, 0);
	put_tcell(out, t, r, SL_TCELL_LOCAL, p, 0);
	p += r->len[SL_TCELL_LOCAL];
	put_tcell(out, t, r, SL_TCELL_REMOTE, p, 0);
	p += r->len[SL_TCELL_REMOTE];
	if ((t->flags & SL_TABLE_COLOR) && state_sgr(r->state)) {
		put_sgr(out, state_sgr(r->state));
		put_cell(out, r->state, r->len[SL_TCELL_STATE], 0, 0, 1);
		put_sgr(out, SGR_OFF);
		put_cell(out, "", 0, 0, w[SL_TCELL_STATE] -
			 r->cols[SL_TCELL_STATE], !owners && !nn);
	} else {
		put_tcell(out, t, r, SL_TCELL_STATE, r->state, !owners && !nn);
	}
	if (owners)
		put_tcell(out, t, r, SL_TCELL_OWNER, p, !nn);
	p += r->len[SL_TCELL_OWNER];
	if (nn)
		put_tcell(out, t, r, SL_TCELL_NOTE, p, 1);
	out->data[out->len++] = '\n';
	out->data[out->len] = '\0';
}

int sl_sock_table_write(const struct sl_sock_table *t, struct sl_buf *out,
			sl_render_flush_fn flush, void *arg)
{
	const size_t *w = t->w;
	/* a row: its columns, and the bytes its text has beyond them (a
	 * name in another script), which never pass the text itself */
	size_t most = 7 + w[SL_TCELL_LOCAL] + w[SL_TCELL_REMOTE] +
		      w[SL_TCELL_STATE] + w[SL_TCELL_OWNER] + w[SL_TCELL_NOTE] +
		      12 + SGR_ROOM + ROW_TEXT;
	int rc = put_header(t, out);

	for (size_t i = 0; i < t->n && rc == 0; i++) {
		if ((rc = sl_buf_reserve(out, most)) < 0)
			break;
		put_row(t, &t->v[i], out);
		if (flush)
			rc = flush(out, arg);
	}
	return rc;
}

size_t sl_render_hidden_owners(const struct sl_sock_list *l, uint32_t self_uid)
{
	size_t n = 0;

	if (self_uid == 0)
		return 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->v[i].inode && !l->v[i].pid && l->v[i].uid != self_uid;
	return n;
}

int sl_render_hidden_note(struct sl_buf *out, size_t hidden)
{
	if (!hidden)
		return 0;
	return sl_buf_printf(out, "%zu socket%s belong%s to processes of other users; run with sudo to see their owners\n",
			     hidden, hidden == 1 ? "" : "s",
			     hidden == 1 ? "s" : "");
}

int sl_render_sockets(struct sl_buf *out, const struct sl_sock_list *l,
		      unsigned flags, uint32_t self_uid)
{
	struct sl_sock_table t;
	int rc = 0;

	sl_sock_table_init(&t, flags);
	for (size_t i = 0; i < l->n && rc == 0; i++)
		rc = sl_sock_table_add(&l->v[i], &t);
	if (rc == 0)
		rc = sl_sock_table_write(&t, out, NULL, NULL);
	if (rc == 0 && (flags & SL_TABLE_OWNERS))
		rc = sl_render_hidden_note(out, sl_render_hidden_owners(l, self_uid));
	sl_sock_table_release(&t);
	return rc;
}

/* The JSON form: the row's own object, spliced in after the change's
 * keys. */
static int change_json(struct sl_buf *b, const char *when, char mark,
		       const struct sl_sock_pair *p, int first)
{
	const struct sl_sock *s = p->cur ? p->cur : p->old;
	size_t start = b->len;
	char *brace;
	int rc;

	rc = sl_buf_printf(b, "{\"time\":\"%s\",\"change\":\"%c\",\"from\":",
			   when, mark);
	if (rc == 0 && p->change == SL_CHG_STATE && !first)
		rc = sl_buf_printf(b, "\"%s\",", sl_sock_state_name(p->old));
	else if (rc == 0)
		rc = sl_buf_puts(b, "null,");
	if (rc == 0)
		rc = sl_sock_json(b, s);
	if (rc < 0)
		return rc;
	brace = strchr(b->data + start + 1, '{');
	memmove(brace, brace + 1, b->len - (size_t)(brace - b->data));
	b->len--;
	return 0;
}

int sl_render_sock_change(struct sl_buf *b, const char *when,
			  const struct sl_sock_pair *p, int first,
			  unsigned flags)
{
	static const char marks[] = { '=', '+', '~', '-' };
	const struct sl_sock *s = p->cur ? p->cur : p->old;
	char mark = first ? '=' : marks[p->change];
	char local[SL_ADDRSTRLEN], remote[SL_ADDRSTRLEN], own[SL_OWNER_CELL];
	int rc;

	if (flags & SL_TABLE_JSON)
		return change_json(b, when, mark, p, first);
	sl_sock_addr_format(&s->local, local, sizeof(local));
	sl_sock_addr_format(&s->remote, remote, sizeof(remote));
	rc = sl_buf_printf(b, "%s %c ", when, mark);
	if (rc == 0 && p->change == SL_CHG_STATE && !first)
		rc = sl_buf_printf(b, "%s -> ", sl_sock_state_name(p->old));
	if (rc == 0 && (flags & SL_TABLE_COLOR) &&
	    state_sgr(sl_sock_state_name(s)))
		rc = sl_buf_printf(b, "%s%s" SGR_OFF " %s ",
				   state_sgr(sl_sock_state_name(s)),
				   sl_sock_state_name(s), sl_sock_proto_name(s));
	else if (rc == 0)
		rc = sl_buf_printf(b, "%s %s ", sl_sock_state_name(s),
				   sl_sock_proto_name(s));
	if (rc == 0)
		rc = sl_buf_escape(b, local, strlen(local));
	if (rc == 0)
		rc = sl_buf_putc(b, ' ');
	if (rc == 0)
		rc = sl_buf_escape(b, remote, strlen(remote));
	if (rc == 0 && (flags & SL_TABLE_OWNERS)) {
		sl_render_sock_owner(s, own, sizeof(own));
		rc = sl_buf_printf(b, " %s", own);
	}
	if (rc == 0)
		rc = sl_buf_putc(b, '\n');
	return rc;
}
