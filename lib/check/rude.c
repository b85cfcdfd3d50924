/* rude.c - clients that misbehave as real ones do: one that connects and
 * says nothing, one that leaves before its answer, one that resets the
 * connection the server has just accepted */
#include <errno.h>
#include <string.h>

#include "check-int.h"

void ck_probe_silent(struct ck *c, struct sl_probe *p)
{
	const char *name = c->o->name;
	struct sl_buf line = SL_BUF_INIT;
	struct ck_conn quiet, next;
	uint64_t left;
	int rc;

	sl_buf_printf(&line, "%s\n", name);
	sl_buf_puts(&p->did, "connected a client that sends nothing, then a second one that sends the name");
	ck_conn_init(&quiet);
	ck_conn_init(&next);
	rc = ck_conn_open(c, &quiet, &c->ep);
	if (rc == 0)
		rc = ck_conn_open(c, &next, &c->ep);
	if (rc == 0)
		rc = ck_conn_send(c, &next, line.data, line.len);
	if (rc == 0)
		rc = ck_conn_wait_answer(c, &next, &name, 1);
	if (rc > 0 || (rc == 0 && (next.eof || next.err))) {
		/* served (answered, or closed as this server does) at once */
		int bad = next.err && !next.in.len;

		ck_put_outcome(&p->saw, &next);
		ck_verdict(p, bad ? SL_FAIL : SL_PASS,
			   bad ? "serve each client on its own, so a silent one cannot hold up the others" : NULL,
			   " for the second client while the silent one stayed connected");
	} else if (rc == 0) {
		/* nothing yet: does the second get its answer once the
		 * silent one leaves? */
		ck_conn_close(&quiet, 0);
		left = sl_now_ms();
		rc = ck_conn_answer(c, &next, &name, 1);
		if (rc >= 0 && next.in.len)
			ck_verdict(p, SL_NOTE, "give each connection a time limit (python: conn.settimeout(5); C: SO_RCVTIMEO) or serve each client in a thread",
				   "the second client got nothing for %d ms while the silent one stayed connected, and its answer %llu ms after the silent one left: the server serves one client at a time and waits for the silent one",
				   c->o->timeout_ms,
				   (unsigned long long)(sl_now_ms() - left));
		else if (rc >= 0) {
			ck_put_outcome(&p->saw, &next);
			ck_verdict(p, SL_FAIL, "serve each client on its own, so a silent one cannot hold up the others",
				   " for the second client, even after the silent one left");
		}
	} else if (rc != -EINTR) {
		ck_verdict(p, SL_FAIL, "the server must accept connections on the port it listens on",
			   "could not connect: %s", sl_errno_words(-rc));
	}
	ck_conn_release(&quiet);
	ck_conn_release(&next);
	sl_buf_release(&line);
}

/* The verdict of a probe that is only about surviving. */
static void survived(struct ck *c, struct sl_probe *p)
{
	if (ck_still_serves(c, p))
		ck_verdict(p, SL_PASS, NULL, "the next client was answered: the server carried on");
}

void ck_probe_close_early(struct ck *c, struct sl_probe *p)
{
	struct sl_buf line = SL_BUF_INIT;
	struct ck_conn k;

	sl_buf_printf(&line, "%s\n", c->o->name);
	sl_buf_puts(&p->did, "sent the name and closed at once, without reading the answer");
	ck_conn_init(&k);
	if (ck_conn_open(c, &k, &c->ep) == 0 &&
	    ck_conn_send_close(c, &k, line.data, line.len) == 0) {
		survived(c, p);
	} else if (!ck_stopped(c)) {
		ck_verdict(p, SL_FAIL, "the server must accept connections on the port it listens on",
			   "could not connect or send: %s", sl_errno_words(-k.err));
	}
	ck_conn_release(&k);
	sl_buf_release(&line);
}

void ck_probe_reset(struct ck *c, struct sl_probe *p)
{
	struct ck_conn k;
	int rc;

	sl_buf_puts(&p->did, "connected, waited for the server to accept, then reset the connection before a word (SO_LINGER 0 and close: a RST)");
	ck_conn_init(&k);
	rc = ck_conn_open(c, &k, &c->ep);
	if (rc == 0 && (rc = ck_conn_accepted(c, &k)) >= 0) {
		if (!rc)
			sl_buf_printf(&p->saw, "not accepted within %d ms, reset in the accept queue; ",
				      c->o->timeout_ms);
		ck_conn_close(&k, 1);
		survived(c, p);
	} else if (!ck_stopped(c)) {
		ck_verdict(p, SL_FAIL, "the server must accept connections on the port it listens on",
			   "could not connect: %s", sl_errno_words(-k.err));
	}
	ck_conn_release(&k);
}
