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

/* A LISTEN row's queue: the kernel refuses the next connection once
 * more than the backlog wait (sk_acceptq_is_full). */
static int listen_words(const struct sl_sock *s, char *out, size_t outlen)
{
	if (s->rqueue && s->rqueue > s->wqueue)
		return snprintf(out, outlen, "%u waiting to be accepted, backlog %u: the queue is full, new connections wait or are dropped until the server calls accept()",
				s->rqueue, s->wqueue);
	if (s->rqueue)
		return snprintf(out, outlen, "%u waiting to be accepted, backlog %u",
				s->rqueue, s->wqueue);
	return s->wqueue ? snprintf(out, outlen, "backlog %u", s->wqueue) : 0;
}

/* Bytes in a connection's queues, in words. */
static int queue_words(const struct sl_sock *s, char *out, size_t outlen)
{
	const char *unread = s->proto == IPPROTO_UDP
		? "bytes of buffer hold datagrams not yet read"
		: "bytes received, not yet read by its program";
	const char *unsent = s->proto == IPPROTO_UDP ? "bytes not yet sent"
		: s->proto == IPPROTO_TCP ? "bytes sent, not yet acknowledged"
		: "bytes sent, not yet read by the peer";

	if (!(s->has & SL_HAS_QUEUES) || (!s->rqueue && !s->wqueue))
		return 0;
	if (s->rqueue && s->wqueue)
		return snprintf(out, outlen, "%u %s; %u %s", s->rqueue, unread,
				s->wqueue, unsent);
	if (s->rqueue)
		return snprintf(out, outlen, "%u %s", s->rqueue, unread);
	return snprintf(out, outlen, "%u %s", s->wqueue, unsent);
}

/* What a TCP row without its own words is: no inode means no process
 * holds it (yet, or any more). */
static const char *tcp_words(const struct sl_sock *s)
{
	if (s->inode || s->state == SL_TCP_LISTEN)
		return NULL;
	if (s->state == SL_TCP_ESTABLISHED || s->state == SL_TCP_CLOSE_WAIT)
		return "not yet accepted";
	if (s->state != SL_TCP_SYN_RECV && s->state != SL_TCP_SYN_SENT)
		return "closed by its program";
	return NULL;
}

/* Words for what the numbers mean: a LISTEN row's queue, the bytes a
 * connection has not read or had acknowledged, a TIME_WAIT row's time
 * left, a row no process holds. */
static size_t note(const struct sl_sock *s, char *out, size_t outlen)
{
	const char *w = s->proto == IPPROTO_TCP ? tcp_words(s) : NULL;
	int n = 0, k;

	out[0] = '\0';
	if (s->state == SL_TCP_LISTEN)
		n = listen_words(s, out, outlen);
	else if (s->proto == IPPROTO_TCP && s->state == SL_TCP_TIME_WAIT)
		n = snprintf(out, outlen, "%u s left",
			     (s->expires_ms + 999) / 1000);
	else if (w)
		n = snprintf(out, outlen, "%s", w);
	if (n < 0 || (size_t)n >= outlen)
		n = n < 0 ? 0 : (int)outlen - 1;
	if (s->state != SL_TCP_LISTEN && s->state != SL_TCP_TIME_WAIT &&
	    (size_t)n + 2 < outlen &&
	    (k = queue_words(s, out + n + (n ? 2 : 0),
			     outlen - (size_t)n - 2)) > 0) {
		if (n)
			memcpy(out + n, "; ", 2);
		n += k + (n ? 2 : 0);
	}
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

#define ADDR_CELL (SL_SOCK_ADDRSTRLEN * SL_ESCAPE_MAX)
#define NOTE_CELL 256
#define QUEUE_CELL 12
#define MORE_CELL 1536
/* an end: its address, escaped, and for unix " INODE" */
#define END_CELL (ADDR_CELL + 24)
/* the most one row adds to the text */
#define ROW_TEXT (2 * END_CELL + SL_OWNER_CELL + NOTE_CELL + \
		  2 * QUEUE_CELL + MORE_CELL)

/* A link-local IPv6 address, written with its interface's name, or a
 * unix name: text that is not all our own digits and punctuation. */
static int scoped(const struct sl_endpoint *ep)
{
	const struct sockaddr_in6 *s6 = (const void *)&ep->ss;

	return (ep->ss.ss_family == AF_INET6 && s6->sin6_scope_id) ||
	       ep->ss.ss_family == AF_UNIX;
}

/* An address cell; digits, dots, colons and brackets are safe, only an
 * interface name after '%' and a unix path need escaping. */
static size_t addr_cell(const struct sl_endpoint *ep, char *out)
{
	char tmp[SL_SOCK_ADDRSTRLEN];
	size_t n;

	if (!scoped(ep))
		return (size_t)sl_sock_addr_format(ep, out, ADDR_CELL + 1);
	n = (size_t)sl_sock_addr_format(ep, tmp, sizeof(tmp));
	n = n < sizeof(tmp) ? n : sizeof(tmp) - 1;
	n = sl_escape(out, ADDR_CELL + 1, tmp, n);
	return n < ADDR_CELL ? n : ADDR_CELL;
}

/* An end's cell (END_CELL bytes at most); a unix end as ss shows it: its
 * name (or "*") and its inode, the peer's inode for the remote end, which
 * ties the two ends together. */
static size_t end_cell(const struct sl_sock *s, int remote, char *out)
{
	size_t n;

	if (s->local.ss.ss_family != AF_UNIX)
		return addr_cell(remote ? &s->remote : &s->local, out);
	n = addr_cell(remote ? &s->remote : &s->local, out);
	out[n++] = ' ';
	return n + sl_fmt_uint(out + n, remote ? s->peer_inode : s->inode);
}

void sl_sock_table_init(struct sl_sock_table *t, unsigned flags)
{
	/* the headers' widths are the least */
	static const size_t least[SL_TCELL_N] = { 13, 15, 5, 11, 0, 6, 6, 0 };

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

/* "4096", or "-" where the source does not say */
static size_t queue_cell(const struct sl_sock *s, uint32_t v, char *out)
{
	if (!(s->has & SL_HAS_QUEUES)) {
		out[0] = '-';
		return 1;
	}
	return sl_fmt_uint(out, v);
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
	p += cell(t, r, SL_TCELL_LOCAL, p, end_cell(s, 0, p),
		  !scoped(&s->local));
	p += cell(t, r, SL_TCELL_REMOTE, p, end_cell(s, 1, p),
		  !scoped(&s->remote));
	cell(t, r, SL_TCELL_STATE, r->state, strlen(r->state), 1);
	p += cell(t, r, SL_TCELL_OWNER, p, t->flags & SL_TABLE_OWNERS ?
		  sl_render_sock_owner(s, p, SL_OWNER_CELL) : 0, 0);
	p += cell(t, r, SL_TCELL_NOTE, p, note(s, p, NOTE_CELL), 1);
	p += cell(t, r, SL_TCELL_RQ, p, queue_cell(s, s->rqueue, p), 1);
	p += cell(t, r, SL_TCELL_SQ, p, queue_cell(s, s->wqueue, p), 1);
	/* the line under the row is not a column: no width to keep */
	r->len[SL_TCELL_MORE] = t->flags & SL_TABLE_MORE ?
		(uint16_t)sl_render_sock_more(s, t->flags, p, MORE_CELL) : 0;
	r->cols[SL_TCELL_MORE] = r->len[SL_TCELL_MORE];
	p += r->len[SL_TCELL_MORE];
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

/* A number right-aligned in its column, then the gap. */
static void put_right(struct sl_buf *b, const char *s, size_t n, size_t width)
{
	memset(b->data + b->len, ' ', width - n);
	b->len += width - n;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	memset(b->data + b->len, ' ', 2);
	b->len += 2;
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

	return sl_buf_printf(out, "%-5s  %*s  %*s  %-*s  %-*s  %-*s%s%-*s  Notes\n",
			     "Proto", (int)w[SL_TCELL_RQ], "Recv-Q",
			     (int)w[SL_TCELL_SQ], "Send-Q",
			     (int)w[SL_TCELL_LOCAL], "Local Address",
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
	/* the state's words are not in the text */
	const char *q = p + r->len[SL_TCELL_LOCAL] + r->len[SL_TCELL_REMOTE] +
			r->len[SL_TCELL_OWNER] + r->len[SL_TCELL_NOTE];

	put_cell(out, r->proto, strlen(r->proto), strlen(r->proto), 5, 0);
	put_right(out, q, r->len[SL_TCELL_RQ], w[SL_TCELL_RQ]);
	q += r->len[SL_TCELL_RQ];
	put_right(out, q, r->len[SL_TCELL_SQ], w[SL_TCELL_SQ]);
	q += r->len[SL_TCELL_SQ];
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
	if (r->len[SL_TCELL_MORE]) {
		/* under the row, indented as ss indents it */
		memcpy(out->data + out->len, "\t ", 2);
		out->len += 2;
		memcpy(out->data + out->len, q, r->len[SL_TCELL_MORE]);
		out->len += r->len[SL_TCELL_MORE];
		out->data[out->len++] = '\n';
	}
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
		      w[SL_TCELL_RQ] + w[SL_TCELL_SQ] + 20 + SGR_ROOM + ROW_TEXT;
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

/* The JSON form: the change's keys, then the row's. */
static int change_json(struct sl_buf *b, const char *when, char mark,
		       const struct sl_sock_pair *p, int first,
		       unsigned flags)
{
	const struct sl_sock *s = p->cur ? p->cur : p->old;
	int rc;

	rc = sl_buf_printf(b, "{\"time\":\"%s\",\"change\":\"%c\",\"from\":",
			   when, mark);
	if (rc == 0 && p->change == SL_CHG_STATE && !first)
		rc = sl_buf_printf(b, "\"%s\",", sl_sock_state_name(p->old));
	else if (rc == 0)
		rc = sl_buf_puts(b, "null,");
	if (rc == 0)
		rc = sl_sock_json_keys(b, s);
	if (rc == 0)
		rc = sl_render_sock_more_json(b, s, flags);
	if (rc == 0 && (flags & SL_TABLE_NOTICE))
		rc = sl_buf_puts(b, ",\"notice\":true");
	return rc ? rc : sl_buf_puts(b, "}\n");
}

/* -i -o -m -e under a change line, as under a table row */
static int change_more(struct sl_buf *b, const struct sl_sock *s,
		       unsigned flags)
{
	char more[MORE_CELL];
	size_t n = sl_render_sock_more(s, flags, more, sizeof(more));
	int rc = 0;

	if (n && (rc = sl_buf_puts(b, "\t ")) == 0 &&
	    (rc = sl_buf_append(b, more, n)) == 0)
		rc = sl_buf_putc(b, '\n');
	return rc;
}

int sl_render_sock_change(struct sl_buf *b, const char *when,
			  const struct sl_sock_pair *p, int first,
			  unsigned flags)
{
	static const char marks[] = { '=', '+', '~', '-' };
	const struct sl_sock *s = p->cur ? p->cur : p->old;
	char mark = first ? '=' : marks[p->change];
	char local[END_CELL], remote[END_CELL], own[SL_OWNER_CELL];
	size_t ln, rn;
	int rc;

	if (flags & SL_TABLE_JSON)
		return change_json(b, when, mark, p, first, flags);
	ln = end_cell(s, 0, local);
	rn = end_cell(s, 1, remote);
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
		rc = sl_buf_append(b, local, ln);
	if (rc == 0)
		rc = sl_buf_putc(b, ' ');
	if (rc == 0)
		rc = sl_buf_append(b, remote, rn);
	if (rc == 0 && (flags & SL_TABLE_OWNERS)) {
		sl_render_sock_owner(s, own, sizeof(own));
		rc = sl_buf_printf(b, " %s", own);
	}
	if (rc == 0 && (flags & SL_TABLE_NOTICE))
		rc = sl_buf_puts(b, " (lived between two samples: seen only by the kernel's notice of its end)");
	if (rc == 0)
		rc = sl_buf_putc(b, '\n');
	return rc == 0 && (flags & SL_TABLE_MORE) ? change_more(b, s, flags) : rc;
}
