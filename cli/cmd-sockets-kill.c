/* cmd-sockets-kill.c - socklab sockets -K: close the sockets the filters
 * choose, as ss -K does (SOCK_DESTROY, root), after listing them and
 * asking unless --yes; one line per socket says what became of it */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd-sockets.h"

enum outcome { CLOSED, GONE, FAILED };

static const char *const outcome_words[] = {
	[CLOSED] = "closed", [GONE] = "gone", [FAILED] = "failed",
};

/* "yes" or "y" on the terminal; anything else (or EOF) is no. */
static int confirmed(size_t n)
{
	char line[16];

	fprintf(stderr, "socklab " CMD ": close %s %zu socket%s? [y/N] ",
		n == 1 ? "this" : "these", n, n == 1 ? "" : "s");
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return 0;
	line[strcspn(line, "\r\n")] = '\0';
	return !strcmp(line, "y") || !strcmp(line, "Y") ||
	       !strcasecmp(line, "yes");
}

/* The line that says what became of one socket. */
static int report(struct sl_buf *b, const struct sl_sock *s, enum outcome o,
		  const struct sl_err *e, int json)
{
	char l[SL_SOCK_ADDRSTRLEN], r[SL_SOCK_ADDRSTRLEN];
	int rc;

	if (json) {
		rc = sl_buf_printf(b, "{\"result\":\"%s\",", outcome_words[o]);
		if (rc == 0)
			rc = sl_sock_json_keys(b, s);
		if (rc == 0 && o == FAILED && (rc = sl_buf_puts(b, ",\"error\":")) == 0)
			rc = sl_buf_json_str(b, e->msg, strlen(e->msg));
		return rc ? rc : sl_buf_puts(b, "}\n");
	}
	sl_sock_addr_format(&s->local, l, sizeof(l));
	sl_sock_addr_format(&s->remote, r, sizeof(r));
	rc = sl_buf_printf(b, "%s %s ", o == GONE ? "already gone:" :
			   o == CLOSED ? "closed" : "not closed:",
			   sl_sock_proto_name(s));
	if (rc == 0)
		rc = sl_buf_escape(b, l, strlen(l));
	if (rc == 0)
		rc = sl_buf_putc(b, ' ');
	if (rc == 0)
		rc = sl_buf_escape(b, r, strlen(r));
	if (rc == 0)
		rc = sl_buf_printf(b, " %s%s\n", sl_sock_state_name(s),
				   o == GONE ? " (the other end's reset may have closed it)" : "");
	return rc;
}

/* Closes every row; the exit status. */
static int close_all(const struct sockets_cli *c, const struct sl_sock_list *l)
{
	struct sl_buf b = SL_BUF_INIT;
	size_t failed = 0;
	int rc = 0;

	for (size_t i = 0; i < l->n && rc == 0; i++) {
		struct sl_err e;
		int k = sl_diag_destroy(&l->v[i], &e);
		enum outcome o = k == 0 ? CLOSED : k == -ENOENT ? GONE : FAILED;

		sl_buf_reset(&b);
		if ((rc = report(&b, &l->v[i], o, &e, c->json)) == 0)
			rc = sl_write_all(STDOUT_FILENO, b.data, b.len);
		if (o != FAILED)
			continue;
		failed++;
		if (!c->json)
			cli_error(CMD, "%s", e.msg);
		/* without the privilege, every other one fails alike */
		if (k == -EPERM || k == -EACCES || k == -EOPNOTSUPP)
			break;
	}
	sl_buf_release(&b);
	return rc < 0 || failed ? EXIT_FAIL : EXIT_OK;
}

static int show(const struct sockets_cli *c, const struct sl_sock_list *l)
{
	struct sl_buf b = SL_BUF_INIT;
	unsigned flags = sockets_flags(c) | SL_TABLE_OWNERS;
	int rc = 0;

	if (c->json)
		for (size_t i = 0; i < l->n && rc == 0; i++)
			rc = sl_render_sock_json(&b, &l->v[i], flags);
	else
		rc = sl_render_sockets(&b, l, flags, geteuid());
	if (rc == 0)
		rc = sl_write_all(STDOUT_FILENO, b.data, b.len);
	sl_buf_release(&b);
	return rc;
}

int sockets_kill(const struct sockets_cli *c)
{
	struct sl_sock_list l;
	struct sl_err e;
	int rc;

	sl_sock_list_init(&l);
	if ((rc = sockets_read(c, sockets_push, &l)))
		goto out;
	sl_diag_owners(&l, &e);
	if (!l.n) {
		cli_error(CMD, "no socket matches: nothing to close");
		goto out;
	}
	if ((rc = show(c, &l)) < 0) {
		rc = EXIT_FAIL;
		goto out;
	}
	if (!c->yes && !isatty(STDIN_FILENO)) {
		rc = cli_usage_error(CMD, "-K asks before it closes sockets, and standard input is not a terminal: add --yes to close them without asking");
		goto out;
	}
	if (!c->yes && !confirmed(l.n)) {
		cli_error(CMD, "nothing closed");
		goto out;
	}
	rc = close_all(c, &l);
out:
	sl_sock_list_release(&l);
	return rc;
}
