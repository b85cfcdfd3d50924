/* hello.c - what the server makes of names: one name and its answer, two
 * names in one segment, one name split over two segments */
#include <errno.h>
#include <string.h>

#include "check-int.h"

/* How long the server may take to print the name after answering. */
#define PRINT_WAIT_MS 300

static void put_sent(struct ck *c, struct sl_probe *p, const char *what,
		     const char *bytes)
{
	char addr[SL_ADDRSTRLEN];

	sl_addr_format((const struct sockaddr *)&c->ep.ss, addr, sizeof(addr));
	sl_buf_printf(&p->did, "connected to %s and sent %s ", addr, what);
	ck_put_bytes(&p->did, bytes, strlen(bytes));
}

/* The answers that say nothing about names: no connection, a reset, a
 * close or silence.  1 when judged here. */
static int judge_silence(struct sl_probe *p, const struct ck_conn *k, int rc)
{
	if (rc < 0) {
		ck_verdict(p, SL_FAIL, "the server must accept connections on the port it listens on",
			   "could not connect: %s", sl_errno_words(-rc));
		return 1;
	}
	if (k->in.len)
		return 0;
	ck_put_outcome(&p->saw, k);
	if (k->err == -ECONNRESET)
		ck_verdict(p, SL_FAIL, "read the client's line, answer it, then close; a close with unread bytes left, or a crash, sends a reset",
			   NULL);
	else if (k->eof)
		ck_verdict(p, SL_NOTE, "answer before closing (e.g. Hello, NAME): the client then shows that the server read its name",
			   NULL);
	else
		ck_verdict(p, SL_FAIL, "answer as soon as the name's line has arrived; a server that waits for more than the client sends leaves both waiting",
			   NULL);
	return 1;
}

/* The greeting before the name in the answer ("Hello, "), learnt once. */
static void learn_greeting(struct ck *c, const struct ck_conn *k)
{
	const char *name = c->o->name;
	const char *at = memmem(k->in.data, k->in.len, name, strlen(name));
	const char *from = at;

	while (from > k->in.data && from[-1] != '\n')
		from--;
	sl_buf_reset(&c->greeting);
	sl_buf_append(&c->greeting, from, (size_t)(at - from));
}

/* "; the server printed ..." from its stdout since mark. */
static void put_printed(struct ck *c, struct sl_probe *p, uint64_t mark)
{
	uint64_t deadline = sl_now_ms() + PRINT_WAIT_MS;
	struct sl_buf line = SL_BUF_INIT;

	while (!ck_server_printed(&c->srv, mark, c->o->name, &line) &&
	       ck_poll(c, -1, 0, sl_now_ms() + 10) >= 0 &&
	       sl_now_ms() < deadline)
		;
	if (line.len)
		sl_buf_printf(&p->saw, "; the server printed %s", line.data);
	else
		sl_buf_printf(&p->saw, "; the server printed nothing holding the name (within %d ms)",
			      PRINT_WAIT_MS);
	sl_buf_release(&line);
}

void ck_probe_hello(struct ck *c, struct sl_probe *p)
{
	const char *name = c->o->name;
	struct sl_buf line = SL_BUF_INIT;
	uint64_t mark = c->srv.out_total;
	const char *seg[1];
	struct ck_conn k;
	int rc;

	sl_buf_printf(&line, "%s\n", name);
	seg[0] = line.data;
	put_sent(c, p, "the name", line.data);
	ck_conn_init(&k);
	rc = ck_exchange(c, &k, &c->ep, seg, 1, &name, 1);
	ck_probe_exchange(p, line.data, line.len, &k);
	if (rc != -EINTR && !judge_silence(p, &k, rc)) {
		ck_put_outcome(&p->saw, &k);
		sl_buf_printf(&p->saw, " after %llu ms",
			      (unsigned long long)(sl_now_ms() - k.t0));
		if (!ck_has(&k.in, name))
			ck_verdict(p, SL_NOTE, "answer with the name the client sent (Hello, NAME), so the client shows the server read it",
				   ", an answer without the name");
		else if (k.half_closed)
			ck_verdict(p, SL_NOTE, "answer once the name's line has arrived: reading to the end of the stream leaves a client that waits for the answer waiting for ever",
				   NULL);
		else
			p->verdict = SL_PASS;
		if (ck_has(&k.in, name)) {
			learn_greeting(c, &k);
			c->named = 1;
		}
		c->shut_first = k.half_closed;
	}
	if (rc >= 0)
		put_printed(c, p, mark);
	ck_conn_release(&k);
	sl_buf_release(&line);
}

/* How many times the greeting learnt from hello starts a name in the
 * answer: one per answered name. */
static size_t greeted(const struct ck *c, const struct sl_buf *in,
		      const char *name)
{
	struct sl_buf g = SL_BUF_INIT;
	size_t n = 0;

	sl_buf_append(&g, c->greeting.data, c->greeting.len);
	sl_buf_puts(&g, name);
	n = ck_has(in, g.data);
	sl_buf_release(&g);
	return n;
}

void ck_probe_two_names(struct ck *c, struct sl_probe *p)
{
	const char *want[2] = { c->o->name, c->other };
	struct sl_buf line = SL_BUF_INIT;
	const char *seg[1];
	struct ck_conn k;
	int rc;

	sl_buf_printf(&line, "%s\n%s\n", want[0], want[1]);
	seg[0] = line.data;
	put_sent(c, p, "two names in one segment", line.data);
	ck_conn_init(&k);
	rc = ck_exchange(c, &k, &c->ep, seg, 1, want, 2);
	ck_probe_exchange(p, line.data, line.len, &k);
	if (rc != -EINTR && !judge_silence(p, &k, rc)) {
		ck_put_outcome(&p->saw, &k);
		if (!ck_has(&k.in, want[1]))
			ck_verdict(p, SL_NOTE, "none needed when each client sends one name; to answer every line, read line by line (python: for line in conn.makefile(); C: read until each '\\n')",
				   ": only the first name was answered, the server reads one message a connection");
		else if (c->greeting.len && !(greeted(c, &k.in, want[0]) &&
					      greeted(c, &k.in, want[1])))
			ck_verdict(p, SL_NOTE, "cut what arrives at each newline: TCP keeps no message boundaries, so one recv() may hold two names, or half of one",
				   ": both names in one answer, the server took one recv() for one name");
		else
			ck_verdict(p, SL_PASS, NULL, ": each name answered");
	}
	ck_conn_release(&k);
	sl_buf_release(&line);
}

void ck_probe_split(struct ck *c, struct sl_probe *p)
{
	const char *name = c->o->name;
	size_t half = strlen(name) / 2;
	struct sl_buf a = SL_BUF_INIT, b = SL_BUF_INIT;
	const char *seg[2];
	struct ck_conn k;
	int rc;

	if (!half) {
		sl_buf_puts(&p->did, "split the name in two");
		ck_verdict(p, SL_SKIP, NULL, "could not run: a one-letter name cannot be split");
		return;
	}
	sl_buf_append(&a, name, half);
	sl_buf_printf(&b, "%s\n", name + half);
	seg[0] = a.data;
	seg[1] = b.data;
	put_sent(c, p, "the name in two segments", a.data);
	sl_buf_printf(&p->did, " and, %d ms later, ", CK_SPLIT_PAUSE_MS);
	ck_put_bytes(&p->did, b.data, b.len);
	ck_conn_init(&k);
	rc = ck_exchange(c, &k, &c->ep, seg, 2, &name, 1);
	sl_buf_append(&a, b.data, b.len);
	ck_probe_exchange(p, a.data, a.len, &k);
	if (rc != -EINTR && !judge_silence(p, &k, rc)) {
		ck_put_outcome(&p->saw, &k);
		if (ck_has(&k.in, name))
			ck_verdict(p, SL_PASS, NULL, ": the name came back whole");
		else
			ck_verdict(p, SL_NOTE, "read until the newline (python: conn.makefile().readline(); C: read() in a loop until '\\n'): TCP may deliver a name in pieces",
				   ": the server answered the first piece as if it were the whole name");
	}
	ck_conn_release(&k);
	sl_buf_release(&a);
	sl_buf_release(&b);
}
