/* run.c - the probes in order, each followed (where it may have harmed
 * the server) by a plain client that asks whether the server still
 * serves; a server that ended makes the rest say they could not run */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "check-int.h"

typedef void (*probe_fn)(struct ck *c, struct sl_probe *p);

static const struct {
	const char *id;
	probe_fn run;
	int follow;		/* a plain exchange after it: still serving? */
	const char *what;	/* what it does, for a probe that cannot run */
} probes[] = {
	{ "start", ck_probe_start, 0, "start the server and find its port" },
	{ "port", ck_probe_port, 0, "compare its port with the assignment's" },
	{ "address", ck_probe_address, 0, "look at the addresses it listens on" },
	{ "hello", ck_probe_hello, 1, "send the name and read the answer" },
	{ "two-names", ck_probe_two_names, 1, "send two names in one segment" },
	{ "split", ck_probe_split, 1, "send the name in two segments" },
	{ "families", ck_probe_families, 1, "send the name to 127.0.0.1 and to ::1" },
	{ "concurrent", ck_probe_crowd, 1, "connect 20 clients at once" },
	{ "silent", ck_probe_silent, 1, "connect a client that sends nothing, then another" },
	/* these two ask it themselves: surviving is all they test */
	{ "close-early", ck_probe_close_early, 0, "send the name and close without reading" },
	{ "reset", ck_probe_reset, 0, "reset a connection the server accepted" },
};

/* What to change when the server died of what a client did. */
static const char *death_fix(const struct ck_server *s)
{
	if (WIFSIGNALED(s->status) && WTERMSIG(s->status) == SIGPIPE)
		return "ignore SIGPIPE (signal(SIGPIPE, SIG_IGN)) or send with MSG_NOSIGNAL, and treat a failed send as the end of that client only";
	if (ck_has(&s->err, "Traceback") || ck_has(&s->err, "Error"))
		return "catch the errors of each client (python: try/except OSError around its recv and sendall) so that one client cannot stop the server";
	return "run the server in a terminal, do what this probe did, and mend the error it shows";
}

/* The server ended; the probe p saw it happen.  1 when it was a clean
 * end by itself (status 0). */
static int ended(struct ck *c, struct sl_probe *p)
{
	const struct ck_server *s = &c->srv;
	int clean = WIFEXITED(s->status) && WEXITSTATUS(s->status) == 0;

	c->gone = 1;
	snprintf(c->sum->ended, sizeof(c->sum->ended), "%s", s->ended);
	sl_buf_printf(&c->gone_why, "the server had ended (it %s) after the %s probe",
		      s->ended, p->id);
	if (clean)
		return 1;
	sl_buf_printf(&p->saw, "%sthen the server %s", p->saw.len ? "; " : "",
		      s->ended);
	if (s->err.len) {
		sl_buf_puts(&p->saw, ", the last line of its stderr: ");
		ck_server_last_err(s, &p->saw);
	}
	ck_verdict(p, SL_FAIL, death_fix(s), NULL);
	return 0;
}

int ck_still_serves(struct ck *c, struct sl_probe *p)
{
	const char *name = c->o->name;
	struct sl_buf line = SL_BUF_INIT;
	const char *seg[1];
	struct ck_conn k;
	int rc, ok;

	sl_buf_printf(&line, "%s\n", name);
	seg[0] = line.data;
	ck_conn_init(&k);
	rc = ck_exchange(c, &k, &c->ep, seg, 1, &name, 1);
	ck_server_pump(&c->srv);
	ok = rc == 0 && (k.in.len || (k.eof && !k.err)) && c->srv.running;
	if (!ok && rc != -EINTR && !ck_server_wait_exit(c, c->o->timeout_ms)) {
		if (!ck_stopped(c)) {
			sl_buf_puts(&p->saw, p->saw.len ? "; then a new client "
							: "then a new client ");
			if (rc < 0)
				sl_buf_printf(&p->saw, "could not connect: %s",
					      sl_errno_words(-rc));
			else
				ck_put_outcome(&p->saw, &k);
			ck_verdict(p, SL_FAIL, "after what this probe did, the server must still serve new clients", NULL);
			c->gone = 1;
			sl_buf_printf(&c->gone_why, "the server stopped serving after the %s probe",
				      p->id);
		}
	} else if (!ok && rc != -EINTR && ended(c, p)) {
		c->oneshot = 1;
	}
	ck_conn_release(&k);
	sl_buf_release(&line);
	return ok;
}

static void emit(struct ck *c, struct sl_probe *p)
{
	c->sum->count[p->verdict]++;
	c->o->report(p, c->o->arg);
	ck_probe_release(p);
}

/* The note of a server that ended by itself, status 0. */
static void emit_oneshot(struct ck *c, const char *after)
{
	struct sl_probe p;

	ck_probe_init(&p, "one-shot");
	sl_buf_printf(&p.did, "watched the server after the %s probe", after);
	ck_verdict(&p, SL_NOTE, "loop around accept() (while True: conn, addr = s.accept() ...) so that the server takes every client",
		   "it %s by itself after %u client%s: it serves one client (or a few) and ends",
		   c->srv.ended, c->served, c->served == 1 ? "" : "s");
	emit(c, &p);
	c->oneshot = 0;
}

static void skip(struct ck *c, size_t i)
{
	struct sl_probe p;

	ck_probe_init(&p, probes[i].id);
	sl_buf_puts(&p.did, probes[i].what);
	ck_verdict(&p, SL_SKIP, NULL, "could not run: %s", c->gone_why.data);
	emit(c, &p);
}

/* A second name for the two-names probe: one that neither holds NAME
 * nor is held in it. */
static const char *other_name(const char *name)
{
	static const char *const names[] = { "bob", "carol", "dave", "x-other-x" };

	for (size_t i = 0; i + 1 < SL_ARRAY_SIZE(names); i++)
		if (!strstr(names[i], name) && !strstr(name, names[i]))
			return names[i];
	return names[SL_ARRAY_SIZE(names) - 1];
}

int sl_check_run(const struct sl_check_opts *o, struct sl_check_summary *sum,
		 struct sl_err *e)
{
	struct ck c = { .o = o, .sum = sum, .e = e };

	memset(sum, 0, sizeof(*sum));
	sl_err_clear(e);
	ck_server_init(&c.srv);
	sl_sock_list_init(&c.listeners);
	sl_buf_init(&c.greeting);
	sl_buf_init(&c.gone_why);
	c.other = other_name(o->name);
	for (size_t i = 0; i < SL_ARRAY_SIZE(probes) && !c.fatal; i++) {
		struct sl_probe p;

		if (c.gone) {
			skip(&c, i);
			continue;
		}
		uint64_t t0 = sl_now_ms();

		ck_probe_init(&p, probes[i].id);
		probes[i].run(&c, &p);
		if (probes[i].follow && !c.gone && !c.fatal)
			ck_still_serves(&c, &p);
		if (c.fatal) {
			ck_probe_release(&p);
			break;
		}
		p.ms = sl_now_ms() - t0;
		emit(&c, &p);
		if (c.oneshot)
			emit_oneshot(&c, probes[i].id);
	}
	ck_server_release(&c.srv);
	sl_sock_list_release(&c.listeners);
	sl_buf_release(&c.greeting);
	sl_buf_release(&c.gone_why);
	return c.fatal;
}
