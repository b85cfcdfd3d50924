/* cmd-client.c - socklab client: connect, send NAME, print the reply */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "socklab/diag.h"
#include "socklab/line.h"
#include "socklab/net.h"
#include "socklab/render.h"
#include "socklab/why.h"
#include "why-words.h"

/* A reply longer than this without a newline is not a socklab server's. */
#define REPLY_MAX (64 * 1024)

static const char usage[] =
	"usage: socklab client [-u] [-H HOST] [-p PORT] [-4|-6] [--timeout S] [--hold S]\n"
	"                      [-i] [--json] [-v] [NAME | HOST PORT [NAME] | HOST:PORT [NAME]]\n"
	"\n"
	"Connects to a socklab server, sends NAME as one line and prints the reply.\n"
	"\n"
	"  -H, --host HOST      server name or address (default localhost = ::1 and\n"
	"                       127.0.0.1, each tried in turn); HOST:PORT and\n"
	"                       [v6]:PORT carry the port too\n"
	"  -p, --port PORT      server port (default 59001)\n"
	"  -4, -6               IPv4 only / IPv6 only\n"
	"  -w, --timeout S      give up connecting or waiting for the reply after S\n"
	"                       seconds (default 5)\n"
	"      --hold S         stay connected S seconds before sending (to see the\n"
	"                       ESTABLISHED state with socklab sockets or netstat -a)\n"
	"  -i, --interactive    send each line typed on stdin, print each reply; the\n"
	"                       end of stdin (Ctrl-D) half-closes the connection\n"
	"      --json           print records as JSON (NDJSON)\n"
	"  -u, --udp            UDP: send NAME as one datagram and wait --timeout for\n"
	"                       the one that answers it (-i: a datagram per line)\n"
	"  -v, --verbose        say where it connected from and to\n"
	"  -h, --help           this help\n"
	"\n"
	"NAME defaults to the first line of standard input when it is not a terminal\n"
	"(echo carol | socklab client), else to your login name. Positional forms,\n"
	"as with nc:\n"
	"  socklab client alice | socklab client HOST PORT [NAME] |\n"
	"  socklab client HOST:PORT [NAME] | socklab client [::1]:PORT [NAME]\n"
	"Exit status: 0 when the reply arrived (-i: every line answered, then the\n"
	"server closed after the end of stdin), 1 on failure, 2 on a usage error.\n";

struct client_cli {
	const char *host;
	char hostbuf[256];	/* HOST out of "HOST:PORT" */
	struct sl_buf stdin_name;	/* NAME read from standard input */
	int udp;
	uint16_t port;
	int family;
	double timeout_s;
	double hold_s;
	int interactive;
	int json;
	int verbose;
	const char *name;
	int fd;
	struct sl_endpoint local, remote;
	char laddr[SL_ADDRSTRLEN], raddr[SL_ADDRSTRLEN];
	/* -i: the lines sent, the reply lines read and the last of them */
	size_t lines_out, replies;
	int line_open;		/* bytes sent after the last newline */
	struct sl_buf last;
};

enum { OPT_HOLD = 256, OPT_JSON };

static const struct option long_opts[] = {
	{ "host", required_argument, NULL, 'H' },
	{ "port", required_argument, NULL, 'p' },
	{ "timeout", required_argument, NULL, 'w' },
	{ "hold", required_argument, NULL, OPT_HOLD },
	{ "interactive", no_argument, NULL, 'i' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "verbose", no_argument, NULL, 'v' },
	{ "udp", no_argument, NULL, 'u' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int timeout_ms(const struct client_cli *c)
{
	return (int)(c->timeout_s * 1000.0 + 0.5);
}

/* "HOST:PORT" or "[v6]:PORT" into host and port: 1 when it had a port,
 * 0 when not (host then unchanged, unless it is -H's: then without its
 * brackets), or -EXIT_USAGE printed. */
static int take_hostport(struct client_cli *c, const char *arg, int is_host)
{
	char host[sizeof(c->hostbuf)];
	struct sl_err e;
	uint16_t port;
	int rc = sl_hostport_split(arg, host, sizeof(host), &port, &e);

	if (rc < 0)
		return -cli_usage_error("client", "%s", e.msg);
	if (rc == 1)
		c->port = port;
	if (rc == 1 || is_host) {
		memcpy(c->hostbuf, host, sizeof(host));
		c->host = c->hostbuf;
	}
	return rc;
}

static int parse_positionals(struct client_cli *c, int n, char **args,
			     int port_given, int host_given)
{
	char probe[sizeof(c->hostbuf)];
	int rc, hp = 0;

	if (n > 3)
		return cli_usage_error("client", "too many arguments");
	if (n >= 1 && n <= 2 && (host_given || port_given) &&
	    sl_hostport_split(args[0], probe, sizeof(probe), &(uint16_t){ 0 },
			      NULL) == 1)
		return cli_usage_error("client",
			"give HOST and PORT either as options or as arguments, not both");
	if (n >= 1 && n <= 2 && (hp = take_hostport(c, args[0], 0)) < 0)
		return -hp;
	if (hp) {			/* HOST:PORT [NAME] */
		c->name = n == 2 ? args[1] : NULL;
		return 0;
	}
	if (n == 1) {
		c->name = args[0];
	} else if (n == 2 || n == 3) {
		if (host_given || port_given)
			return cli_usage_error("client",
				"give HOST and PORT either as options or as arguments, not both");
		c->host = args[0];
		if ((rc = cli_opt_port("client", args[1], 0, &c->port)))
			return rc;
		if (n == 3)
			c->name = args[2];
	}
	return 0;
}

static int parse_args(struct client_cli *c, int argc, char **argv)
{
	int opt, rc, port_given = 0, host_given = 0, host_port = 0;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":H:p:46w:ivuh", long_opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'H':
			/* -H HOST:PORT is -H HOST -p PORT; -H [::1] is ::1 */
			if ((rc = take_hostport(c, optarg, 1)) < 0)
				return -rc;
			host_port |= rc;
			host_given = 1;
			break;
		case 'p':
			if ((rc = cli_opt_port("client", optarg, 0, &c->port)))
				return rc;
			port_given = 1;
			break;
		case '4': c->family = c->family == AF_INET6 ? -1 : AF_INET; break;
		case '6': c->family = c->family == AF_INET ? -1 : AF_INET6; break;
		case 'w':
			if ((rc = cli_opt_seconds("client", "--timeout", optarg,
						  86400, &c->timeout_s)))
				return rc;
			if (c->timeout_s <= 0)
				return cli_usage_error("client",
					"--timeout must be more than 0 seconds");
			break;
		case OPT_HOLD:
			if ((rc = cli_opt_seconds("client", "--hold", optarg,
						  86400, &c->hold_s)))
				return rc;
			break;
		case 'i': c->interactive = 1; break;
		case 'u': c->udp = 1; break;
		case OPT_JSON: c->json = 1; break;
		case 'v': c->verbose = 1; break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		case ':':
			return cli_usage_error("client", "%s needs a value",
					       argv[optind - 1]);
		default:
			return cli_bad_option("client", optopt, argv[optind - 1]);
		}
	}
	if (c->family < 0)
		return cli_usage_error("client", "-4 and -6 exclude each other");
	if (host_port && port_given)
		return cli_usage_error("client",
			"the port is given twice: in -H HOST:PORT and with -p; keep one");
	port_given |= host_port;
	rc = parse_positionals(c, argc - optind, argv + optind, port_given,
			       host_given);
	if (rc)
		return rc;
	if (c->name && c->interactive)
		return cli_usage_error("client",
			"NAME and -i exclude each other: in -i mode the lines come from stdin");
	if (c->name && memchr(c->name, '\n', strlen(c->name)))
		return cli_usage_error("client",
			"NAME must be one line: it is sent followed by a newline");
	if (c->udp && c->hold_s > 0)
		return cli_usage_error("client",
			"--hold means nothing with -u: UDP has no connection to hold");
	return 0;
}

/* What became of each address tried: its errno, for the verdict. */
struct dial_log {
	const struct sl_addrlist *l;
	int *errs;
};

static void on_dial_fail(const struct sl_endpoint *ep, int err,
			 const struct sl_endpoint *next, void *arg)
{
	struct dial_log *d = arg;
	char a[SL_ADDRSTRLEN], b[SL_ADDRSTRLEN];

	/* the record keeps the errno as why's attempts do: positive */
	for (size_t i = 0; i < d->l->n; i++)
		if (&d->l->v[i] == ep)
			d->errs[i] = -err;
	if (!next)
		return;
	sl_addr_format((const struct sockaddr *)&ep->ss, a, sizeof(a));
	sl_addr_format((const struct sockaddr *)&next->ss, b, sizeof(b));
	cli_error("client", "%s %s, trying %s", a, sl_errno_words(err), b);
}

/* The short form of `socklab why`: the same facts (who listens, in which
 * family and namespace, the firewall rule, the queues) and verdict, from
 * the attempts already made; only the failure path pays for it. */
static int report_dial_failure(const struct client_cli *c,
			       const struct sl_addrlist *l, const int *errs)
{
	struct sl_why_opts o = {
		.host = c->host, .port = c->port, .family = c->family,
		.timeout_ms = timeout_ms(c), .no_capture = 1,
	};
	struct sl_buf b = SL_BUF_INIT, fix = SL_BUF_INIT;
	struct sl_why w;

	if (sl_why_prepare(&w, &o) < 0) {
		cli_error("client", "cannot connect: out of memory");
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < w.n && i < l->n; i++) {
		struct sl_why_attempt *t = &w.a[i].att;

		t->err = errs[i];
		t->result = errs[i] ? sl_why_classify(errs[i]) : SL_ATT_NONE;
		t->ms = errs[i] == ETIMEDOUT ? timeout_ms(c) : 0;
	}
	sl_why_after(&w);
	cli_why_words(&w, &b, &fix);
	cli_error("client", "%s; %s", b.data ? b.data : "", fix.data ? fix.data : "");
	sl_buf_release(&b);
	sl_buf_release(&fix);
	sl_why_release(&w);
	return EXIT_FAIL;
}

/* HOST's addresses into l; 0, or an exit status printed. */
static int resolve(const struct client_cli *c, struct sl_addrlist *l)
{
	struct sl_err e;

	if (sl_resolve(c->host, c->port, c->family ? c->family : AF_UNSPEC, l,
		       &e) == 0)
		return 0;
	/* an address of the other family than -4/-6: a usage error */
	return e.code == -EAFNOSUPPORT ? cli_usage_error("client", "%s", e.msg)
				       : cli_fail("client", &e);
}

static int connect_server(struct client_cli *c)
{
	struct sl_addrlist l;
	struct dial_log d = { &l, NULL };
	int fd;

	if ((fd = resolve(c, &l)))
		return fd;
	if (!(d.errs = calloc(l.n ? l.n : 1, sizeof(*d.errs)))) {
		sl_addrlist_release(&l);
		cli_error("client", "out of memory");
		return EXIT_FAIL;
	}
	fd = sl_dial(&l, timeout_ms(c), on_dial_fail, &d);
	if (fd < 0)
		report_dial_failure(c, &l, d.errs);
	free(d.errs);
	sl_addrlist_release(&l);
	if (fd < 0)
		return EXIT_FAIL;
	c->fd = fd;
	sl_sock_local(fd, &c->local);
	sl_sock_peer(fd, &c->remote);
	sl_addr_format((struct sockaddr *)&c->local.ss, c->laddr, sizeof(c->laddr));
	sl_addr_format((struct sockaddr *)&c->remote.ss, c->raddr, sizeof(c->raddr));
	return 0;
}

static void print_record(const struct client_cli *c, const char *event,
			 const char *key, const char *val, size_t n,
			 double ms)
{
	struct sl_client_event ev = { event, c->laddr, c->raddr, key, val, n,
				      ms };
	struct sl_buf b = SL_BUF_INIT;

	sl_render_client_json(&b, &ev);
	fwrite(b.data, 1, b.len, stdout);
	fflush(stdout);
	sl_buf_release(&b);
}

/* A line from the network as the client prints it. */
static void print_line(const char *p, size_t n)
{
	struct sl_buf b = SL_BUF_INIT;

	sl_render_client_text(&b, p, n);
	fwrite(b.data, 1, b.len, stdout);
	fflush(stdout);
	sl_buf_release(&b);
}

static int hold(struct client_cli *c)
{
	char probe;
	int rc;

	cli_error("client",
		"connected to %s from %s; holding %g s before sending (look: socklab sockets --port %u)",
		c->raddr, c->laddr, c->hold_s, c->port);
	if (c->json)
		print_record(c, "connected", NULL, NULL, 0, -1);
	rc = sl_wait_fd(c->fd, POLLIN, (int)(c->hold_s * 1000.0 + 0.5));
	if (rc > 0 && recv(c->fd, &probe, 1, MSG_PEEK | MSG_DONTWAIT) <= 0) {
		cli_error("client",
			"the server closed the connection while we held it (after %g s at most): its idle timeout may be shorter than --hold",
			c->hold_s);
		return EXIT_FAIL;
	}
	return 0;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads one reply line into b (without its newline); 0, or an exit code. */
static int read_reply(struct client_cli *c, struct sl_buf *b, size_t sent)
{
	uint64_t end = sl_now_ms() + (uint64_t)timeout_ms(c);
	char *nl = NULL;

	while (!nl) {
		uint64_t now = sl_now_ms();
		int rc = sl_wait_fd(c->fd, POLLIN, now >= end ? 0 : (int)(end - now));
		ssize_t r;

		if (rc == 0) {
			cli_error("client",
				"no reply within %g s from %s: the server accepted the connection but did not answer a whole line (%zu bytes read); is it a socklab server? wait longer with --timeout",
				c->timeout_s, c->raddr, b->len);
			return EXIT_FAIL;
		}
		if (sl_buf_reserve(b, 4096) < 0)
			return EXIT_FAIL;
		r = recv(c->fd, b->data + b->len, 4096, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			cli_error("client",
				"the server %s before replying (sent %zu bytes, read %zu)",
				errno == ECONNRESET ? "reset the connection (RST)" :
				sl_errno_words(errno), sent, b->len);
			return EXIT_FAIL;
		}
		if (r == 0) {
			cli_error("client",
				"the server closed the connection before replying (sent %zu bytes, read %zu)",
				sent, b->len);
			return EXIT_FAIL;
		}
		nl = memchr(b->data + b->len, '\n', (size_t)r);
		b->len += (size_t)r;
		if (!nl && b->len > REPLY_MAX) {
			cli_error("client",
				"the reply passed %d bytes without a newline: %s is not a socklab server, stopping",
				REPLY_MAX, c->raddr);
			return EXIT_FAIL;
		}
	}
	b->len = (size_t)(nl - b->data);
	if (b->len && b->data[b->len - 1] == '\r')
		b->len--;
	return 0;
}

static int say_hello(struct client_cli *c)
{
	struct sl_buf msg = SL_BUF_INIT, reply = SL_BUF_INIT;
	uint64_t t0;
	int rc;

	sl_buf_printf(&msg, "%s\n", c->name);
	t0 = sl_now_ns();
	if ((rc = send_all(c->fd, msg.data, msg.len)) < 0) {
		cli_error("client", "cannot send to %s: %s", c->raddr,
			  sl_errno_words(-rc));
		rc = EXIT_FAIL;
		goto out;
	}
	rc = read_reply(c, &reply, msg.len);
	if (rc)
		goto out;
	if (c->json)
		print_record(c, "reply", "reply", reply.data, reply.len,
			     (double)(sl_now_ns() - t0) / 1e6);
	if (reply.len >= 4 && !memcmp(reply.data, "ERR ", 4)) {
		struct sl_buf shown = SL_BUF_INIT;

		sl_buf_escape(&shown, reply.data, reply.len);
		cli_error("client", "the server refused: \"%s\"", shown.data);
		sl_buf_release(&shown);
		rc = EXIT_FAIL;
		goto out;
	}
	if (!c->json)
		print_line(reply.data, reply.len);
out:
	sl_buf_release(&msg);
	sl_buf_release(&reply);
	return rc;
}

/* Prints every complete line of b; keeps the rest. */
static void print_lines(struct client_cli *c, struct sl_buf *b, int final)
{
	char *nl = NULL;

	/* an empty buffer has no data pointer: memchr must not see NULL */
	while ((b->len && (nl = memchr(b->data, '\n', b->len))) ||
	       (final && b->len)) {
		size_t n = nl ? (size_t)(nl - b->data) : b->len;

		if (c->json)
			print_record(c, "received", "line", b->data, n, -1);
		else
			print_line(b->data, n);
		c->replies++;
		sl_buf_reset(&c->last);
		/* the start of the line, for an error to quote it */
		sl_buf_append(&c->last, b->data, sl_utf8_cut(b->data, n, 80));
		sl_buf_consume(b, nl ? n + 1 : n);
	}
}

/* Sends a chunk of stdin, counting its lines; 0 or a negative errno. */
static int send_input(struct client_cli *c, const char *p, size_t n)
{
	int rc = send_all(c->fd, p, n);

	if (rc < 0)
		return rc;
	for (const char *q = p; (q = memchr(q, '\n', n - (size_t)(q - p)));
	     q++)
		c->lines_out++;
	c->line_open = p[n - 1] != '\n';
	return 0;
}

/* The server ended the connection before our end of input, or before it
 * had answered every line: say so, with what it may mean; exit status. */
static int closed_early(struct client_cli *c, int input_open)
{
	struct sl_buf why = SL_BUF_INIT;

	if (c->last.len >= 4 && !memcmp(c->last.data, "ERR ", 4)) {
		sl_buf_puts(&why, ", right after its reply \"");
		sl_buf_escape(&why, c->last.data, c->last.len);
		sl_buf_putc(&why, '"');
	}
	if (input_open)
		cli_error("client",
			"%s closed the connection before the end of our input (%zu line%s sent, %zu repl%s read)%s: a socklab server does so on its --idle-timeout, after a line over its --max-line or when it stops, and its log says which; reconnect to send the rest",
			c->raddr, c->lines_out, c->lines_out == 1 ? "" : "s",
			c->replies, c->replies == 1 ? "y" : "ies",
			why.len ? why.data : "");
	else
		cli_error("client",
			"%s closed the connection after %zu repl%s to our %zu line%s%s: a socklab server answers every line before it closes, so it stopped early (its log says why) or is not a socklab server",
			c->raddr, c->replies, c->replies == 1 ? "y" : "ies",
			c->lines_out, c->lines_out == 1 ? "" : "s",
			why.len ? why.data : "");
	sl_buf_release(&why);
	return EXIT_FAIL;
}

static int interactive(struct client_cli *c)
{
	struct pollfd p[2] = { { .fd = 0, .events = POLLIN },
			       { .fd = c->fd, .events = POLLIN } };
	struct sl_buf in = SL_BUF_INIT;
	char buf[4096];
	int rc = EXIT_OK;

	if (c->verbose || c->json)
		cli_error("client", "connected to %s from %s; type lines, Ctrl-D to finish",
			  c->raddr, c->laddr);
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = EXIT_FAIL;
			break;
		}
		if (p[0].revents) {
			ssize_t r = read(0, buf, sizeof(buf));

			if (r <= 0) {
				/* half close: the server still answers what it got */
				shutdown(c->fd, SHUT_WR);
				p[0].fd = -1;
				/* it answers a last line without newline too */
				c->lines_out += (size_t)c->line_open;
			} else if (send_input(c, buf, (size_t)r) < 0) {
				/* what it answered before closing is shown first */
				while ((r = recv(c->fd, buf, sizeof(buf),
						 MSG_DONTWAIT)) > 0 &&
				       in.len + (size_t)r <= REPLY_MAX) {
					sl_buf_append(&in, buf, (size_t)r);
					print_lines(c, &in, 0);
				}
				print_lines(c, &in, 1);
				rc = closed_early(c, 1);
				break;
			}
		}
		if (p[1].revents) {
			ssize_t r = recv(c->fd, buf, sizeof(buf), 0);

			if (r <= 0) {
				print_lines(c, &in, 1);
				if (r < 0) {
					cli_error("client", "the connection to %s failed: %s",
						  c->raddr, sl_errno_words(errno));
					rc = EXIT_FAIL;
				} else if (p[0].fd >= 0 ||
					   c->replies < c->lines_out) {
					rc = closed_early(c, p[0].fd >= 0);
				}
				break;
			}
			if (in.len + (size_t)r > REPLY_MAX) {
				cli_error("client", "a line from %s passed %d bytes without a newline; stopping",
					  c->raddr, REPLY_MAX);
				rc = EXIT_FAIL;
				break;
			}
			sl_buf_append(&in, buf, (size_t)r);
			print_lines(c, &in, 0);
		}
	}
	sl_buf_release(&in);
	sl_buf_release(&c->last);
	return rc;
}

/* ---- NAME from standard input ---- */

/* Reads the first line of a standard input that is not a terminal, as
 * NAME (echo carol | socklab client); nothing at all (</dev/null) leaves
 * the login name.  0, or an exit status printed. */
static int name_from_stdin(struct client_cli *c)
{
	struct sl_buf *b = &c->stdin_name;
	uint64_t end = sl_now_ms() + (uint64_t)timeout_ms(c);
	char *nl = NULL;
	ssize_t r = 1;

	if (isatty(STDIN_FILENO))
		return 0;
	while (!nl && r > 0) {
		uint64_t now = sl_now_ms();
		int w = sl_wait_fd(STDIN_FILENO, POLLIN,
				   now >= end ? 0 : (int)(end - now));

		if (w == 0) {
			cli_error("client", "no NAME arrived on standard input within %g s (it is not a terminal, so NAME is read from it): give NAME as an argument, or run with </dev/null to send your login name",
				  c->timeout_s);
			return EXIT_FAIL;
		}
		if (b->len > SL_MAX_LINE_LIMIT || sl_buf_reserve(b, 4096) < 0)
			return cli_usage_error("client",
				"the NAME on standard input has no newline within %u bytes",
				SL_MAX_LINE_LIMIT);
		r = read(STDIN_FILENO, b->data + b->len, 4096);
		if (r < 0 && errno == EINTR)
			r = 1;
		else if (r > 0) {
			nl = memchr(b->data + b->len, '\n', (size_t)r);
			b->len += (size_t)r;
		}
	}
	if (r < 0) {
		cli_error("client", "cannot read NAME from standard input: %s",
			  strerror(errno));
		return EXIT_FAIL;
	}
	if (!nl && !b->len)
		return 0;		/* empty input: the login name */
	if (nl && (size_t)(nl - b->data) + 1 < b->len)
		cli_error("client", "standard input has more than its first line: only that line is sent as NAME; use -i to send every line");
	b->len = nl ? (size_t)(nl - b->data) : b->len;
	if (b->len && b->data[b->len - 1] == '\r')
		b->len--;
	b->data[b->len] = '\0';
	if (memchr(b->data, '\0', b->len))
		return cli_usage_error("client", "the NAME on standard input holds a NUL byte");
	c->name = b->data;
	return 0;
}

/* ---- UDP: a datagram out, one back ---- */

/* Prints the lines of a reply datagram; EXIT_FAIL when the server sent
 * an error, else 0. */
static int udp_print(struct client_cli *c, const char *p, size_t n,
		     double ms)
{
	int rc = 0;

	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) : n;
		size_t shown = len && p[len - 1] == '\r' ? len - 1 : len;

		if (c->json)
			print_record(c, "reply", "reply", p, shown, ms);
		if (shown >= 4 && !memcmp(p, "ERR ", 4)) {
			struct sl_buf q = SL_BUF_INIT;

			sl_buf_escape(&q, p, shown);
			cli_error("client", "the server refused: \"%s\"", q.data);
			sl_buf_release(&q);
			rc = EXIT_FAIL;
		} else if (!c->json) {
			print_line(p, shown);
		}
		c->replies++;
		p += nl ? len + 1 : len;
		n -= nl ? len + 1 : len;
	}
	return rc;
}

/* Waits for one datagram on c->fd until end (ms); its length, 0 on
 * timeout, or -errno (-ECONNREFUSED: port unreachable). */
static ssize_t udp_wait(struct client_cli *c, char *buf, size_t cap,
			uint64_t end)
{
	for (;;) {
		uint64_t now = sl_now_ms();
		int w = sl_wait_fd(c->fd, POLLIN, now >= end ? 0 : (int)(end - now));
		ssize_t r;

		if (w <= 0)
			return w;
		r = recv(c->fd, buf, cap, MSG_DONTWAIT);
		if (r >= 0)
			return r;
		if (errno != EINTR && errno != EAGAIN)
			return -errno;
	}
}

/* The socket for address ep, its words filled in; 0 or -errno. */
static int udp_open(struct client_cli *c, const struct sl_endpoint *ep)
{
	struct sl_err e;

	if (c->fd >= 0)
		close(c->fd);
	c->remote = *ep;
	sl_addr_format((struct sockaddr *)&ep->ss, c->raddr, sizeof(c->raddr));
	c->fd = sl_connect_udp(ep, &e);
	if (c->fd < 0)
		return c->fd;
	sl_sock_local(c->fd, &c->local);
	sl_addr_format((struct sockaddr *)&c->local.ss, c->laddr, sizeof(c->laddr));
	return 0;
}

static int udp_refused(const struct client_cli *c)
{
	cli_error("client",
		"nothing listens on UDP %s: the kernel answered port unreachable (ICMP) — start \"socklab server -u -p %u\"",
		c->raddr, c->port);
	return EXIT_FAIL;
}

static int udp_silent(const struct client_cli *c, size_t missing)
{
	cli_error("client",
		"%zu datagram%s got no reply within %g s from UDP %s: UDP has no handshake and no retransmission, so a lost datagram, a firewall that drops it and a server that does not answer look alike (a closed port on this machine would have answered port unreachable); check the server, or wait longer with --timeout",
		missing, missing == 1 ? "" : "s", c->timeout_s, c->raddr);
	return EXIT_FAIL;
}

static int send_failed(const struct client_cli *c, int err)
{
	cli_error("client", "cannot send to UDP %s: %s", c->raddr,
		  sl_errno_words(err));
	return EXIT_FAIL;
}

/* Sends msg to ep and waits for the answer: -ECONNREFUSED when ep
 * refuses (the next address may be tried), else an exit status. */
static int udp_try(struct client_cli *c, const struct sl_endpoint *ep,
		   const struct sl_buf *msg, char *buf, size_t cap)
{
	uint64_t t0 = sl_now_ns();
	ssize_t r = udp_open(c, ep);

	if (r == 0 && send(c->fd, msg->data, msg->len, 0) < 0)
		r = -errno;
	if (r == -ECONNREFUSED)
		return (int)r;
	if (r < 0)
		return send_failed(c, (int)-r);
	if (c->verbose)
		cli_error("client", "sent %zu bytes to UDP %s from %s",
			  msg->len, c->raddr, c->laddr);
	r = udp_wait(c, buf, cap, sl_now_ms() + (uint64_t)timeout_ms(c));
	if (r == -ECONNREFUSED)
		return (int)r;
	if (r == 0)
		return udp_silent(c, 1);
	if (r < 0) {
		cli_error("client", "no reply from UDP %s: %s", c->raddr,
			  sl_errno_words((int)-r));
		return EXIT_FAIL;
	}
	return udp_print(c, buf, (size_t)r, (double)(sl_now_ns() - t0) / 1e6);
}

/* "[::1]:59001 refused, trying 127.0.0.1:59001" */
static void udp_next(const struct client_cli *c, const struct sl_endpoint *ep)
{
	char next[SL_ADDRSTRLEN];

	sl_addr_format((const struct sockaddr *)&ep->ss, next, sizeof(next));
	cli_error("client", "UDP %s refused (port unreachable), trying %s",
		  c->raddr, next);
}

static int udp_hello(struct client_cli *c, const struct sl_addrlist *l)
{
	struct sl_buf msg = SL_BUF_INIT;
	char *buf = malloc(SL_DATAGRAM_MAX + 1);
	int rc = EXIT_FAIL;

	if (!buf)
		goto out;
	sl_buf_printf(&msg, "%s\n", c->name);
	for (size_t i = 0; i < l->n; i++) {
		rc = udp_try(c, &l->v[i], &msg, buf, SL_DATAGRAM_MAX + 1);
		if (rc != -ECONNREFUSED)
			break;
		if (i + 1 < l->n)
			udp_next(c, &l->v[i + 1]);
		else
			rc = udp_refused(c);
	}
out:
	free(buf);
	sl_buf_release(&msg);
	return rc;
}

/* -u -i: every line of stdin goes out as one datagram.  The lines sent
 * before the first reply are kept (up to a datagram's worth), so a
 * refusal on one address (::1) sends them again to the next. */
struct udp_session {
	const struct sl_addrlist *l;
	size_t at;			/* the address in use */
	struct sl_buf in;		/* a line not yet complete */
	struct sl_buf early;		/* lines sent before any reply */
	uint64_t last_ms;		/* when the last datagram went */
};

static int udp_send_line(struct client_cli *c, struct udp_session *u,
			 const char *p, size_t n)
{
	if (send(c->fd, p, n, 0) < 0 && errno != ECONNREFUSED)
		return send_failed(c, errno);
	if (!c->replies && u->early.len + n <= SL_DATAGRAM_MAX)
		sl_buf_append(&u->early, p, n);
	c->lines_out++;
	u->last_ms = sl_now_ms();
	return 0;
}

/* Sends the complete lines of u->in (all of it when final). */
static int udp_send_lines(struct client_cli *c, struct udp_session *u,
			  int final)
{
	char *nl;
	int rc = 0;

	while (rc == 0 && u->in.len &&
	       ((nl = memchr(u->in.data, '\n', u->in.len)) || final)) {
		size_t n = nl ? (size_t)(nl - u->in.data) + 1 : u->in.len;

		if (n > SL_DATAGRAM_MAX) {
			cli_error("client", "a line of %zu bytes does not fit in one datagram (%d bytes at most)",
				  n, SL_DATAGRAM_MAX);
			return EXIT_FAIL;
		}
		rc = udp_send_line(c, u, u->in.data, n);
		sl_buf_consume(&u->in, n);
	}
	return rc;
}

/* Port unreachable: before any reply, the next address gets the lines
 * again; after one, the server went away. */
static int udp_reroute(struct client_cli *c, struct udp_session *u)
{
	const char *p = u->early.data;
	size_t n = u->early.len;
	int rc;

	if (c->replies || u->at + 1 >= u->l->n)
		return udp_refused(c);
	udp_next(c, &u->l->v[u->at + 1]);
	if ((rc = udp_open(c, &u->l->v[++u->at])) < 0)
		return send_failed(c, -rc);
	c->lines_out = 0;
	u->early.len = 0;
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) + 1 : n;

		if ((rc = udp_send_line(c, u, p, k)))
			return rc;
		p += k;
		n -= k;
	}
	return 0;
}

/* One turn of the loop: 1 to go on, else 0 or an exit status + 1. */
static int udp_turn(struct client_cli *c, struct udp_session *u,
		    struct pollfd *p, char *buf)
{
	int rc, wait_ms = -1;

	if (p[0].fd < 0) {		/* input over: wait for the replies */
		uint64_t end = u->last_ms + (uint64_t)timeout_ms(c), now = sl_now_ms();

		if (c->replies >= c->lines_out)
			return 1 + EXIT_OK;
		if (now >= end)
			return 1 + udp_silent(c, c->lines_out - c->replies);
		wait_ms = (int)(end - now);
	}
	p[1].fd = c->fd;
	if (poll(p, 2, wait_ms) < 0)
		return errno == EINTR ? 0 : 1 + EXIT_FAIL;
	if (p[1].revents) {
		ssize_t r = recv(c->fd, buf, SL_DATAGRAM_MAX + 1, MSG_DONTWAIT);

		if (r < 0 && errno == ECONNREFUSED)
			return (rc = udp_reroute(c, u)) ? 1 + rc : 0;
		if (r > 0)
			udp_print(c, buf, (size_t)r, -1);
	}
	if (p[0].fd >= 0 && p[0].revents) {
		ssize_t r = read(0, buf, 4096);

		if (r > 0 && sl_buf_append(&u->in, buf, (size_t)r) < 0)
			return 1 + EXIT_FAIL;
		if (r <= 0)
			p[0].fd = -1;
		if ((rc = udp_send_lines(c, u, r <= 0)))
			return 1 + rc;
	}
	return 0;
}

static int udp_interactive(struct client_cli *c, const struct sl_addrlist *l)
{
	struct pollfd p[2] = { { .fd = 0, .events = POLLIN },
			       { .fd = -1, .events = POLLIN } };
	struct udp_session u = { l, 0, SL_BUF_INIT, SL_BUF_INIT, 0 };
	char *buf = malloc(SL_DATAGRAM_MAX + 1);
	int rc = 0;

	if (!buf || (rc = udp_open(c, &l->v[0])) < 0) {
		free(buf);
		return buf ? send_failed(c, -rc) : EXIT_FAIL;
	}
	if (c->verbose || c->json)
		cli_error("client", "sending datagrams to UDP %s from %s; type lines, Ctrl-D to finish",
			  c->raddr, c->laddr);
	while ((rc = udp_turn(c, &u, p, buf)) == 0)
		;
	free(buf);
	sl_buf_release(&u.in);
	sl_buf_release(&u.early);
	return rc - 1;
}

static int udp_client(struct client_cli *c)
{
	struct sl_addrlist l;
	int rc;

	if ((rc = resolve(c, &l)))
		return rc;
	rc = c->interactive ? udp_interactive(c, &l) : udp_hello(c, &l);
	sl_addrlist_release(&l);
	if (c->fd >= 0)
		close(c->fd);
	return rc;
}

int cmd_client(int argc, char **argv)
{
	struct client_cli c = {
		.host = "localhost", .port = SL_DEFAULT_PORT, .timeout_s = 5.0,
		.fd = -1,
	};
	int rc = parse_args(&c, argc, argv);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if (!c.name && !c.interactive && (rc = name_from_stdin(&c)))
		goto out;
	if (!c.name)
		c.name = cli_login_name();
	if (c.udp) {
		rc = udp_client(&c);
		goto out;
	}
	rc = connect_server(&c);
	if (rc)
		goto out;
	if (c.verbose && !c.hold_s)
		cli_error("client", "connected to %s from %s", c.raddr, c.laddr);
	if (c.hold_s > 0 && (rc = hold(&c))) {
		close(c.fd);
		goto out;
	}
	rc = c.interactive ? interactive(&c) : say_hello(&c);
	close(c.fd);
out:
	sl_buf_release(&c.stdin_name);
	return rc;
}
