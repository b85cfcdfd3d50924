/* classic.c - what the real netstat (net-tools) or ss shows at the moment
 * the lab reads the socket table, under its own command line, beside
 * socklab's view: the tool the assignment names, run while the client is
 * held (or, for socklab's own pair, while it waits), so both read the
 * same sockets; a student's program the lab does not hold may have moved
 * on meanwhile, and the words say so */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab-int.h"

#define TOOL_MS 2000		/* netstat walks /proc: bounded all the same */
#define TOOL_MAX (32u << 20)	/* its output, at most */

static const char *const dirs[] = { "/usr/bin", "/bin", "/usr/sbin", "/sbin" };

/* The tool's path when it is installed (the usual places, not $PATH: the
 * student's PATH may hold anything). */
static int find_tool(const char *name, char *out, size_t n)
{
	for (size_t i = 0; i < SL_ARRAY_SIZE(dirs); i++) {
		snprintf(out, n, "%s/%s", dirs[i], name);
		if (access(out, X_OK) == 0)
			return 1;
	}
	return 0;
}

/* Its whole output: netstat lists every socket of the machine, which on
 * a busy one is megabytes, past what a child's output buffer keeps. */
static int run_tool(char *const argv[], struct sl_buf *out)
{
	int p[2], status, rc = 0;
	uint64_t end = sl_now_ms() + TOOL_MS;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		dup2(null, 0);
		dup2(p[1], 1);
		dup2(null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		struct pollfd pf = { p[0], POLLIN, 0 };
		int left = (int)(end - sl_now_ms());
		ssize_t n;

		if (left <= 0 || poll(&pf, 1, left) <= 0 || out->len > TOOL_MAX ||
		    sl_buf_reserve(out, 65536) < 0) {
			rc = -1;
			break;
		}
		if ((n = read(p[0], out->data + out->len, 65536)) <= 0)
			break;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
	}
	close(p[0]);
	if (rc < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return rc == 0 && WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

/* The header and the lines naming the port (":59001 " at either end);
 * every line when port is 0.  Each line escaped on its own. */
static void port_lines(const struct sl_buf *in, uint16_t port,
		       struct sl_buf *out)
{
	char needle[16];
	const char *p = in->data, *end = p + in->len;
	int first = 1;

	snprintf(needle, sizeof(needle), ":%u ", port);
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (!port || (first && memmem(p, n, "Local", 5)) ||
		    memmem(p, n, needle, strlen(needle))) {
			sl_buf_escape_text(out, p, n);
			sl_buf_putc(out, '\n');
		}
		first = first && !memmem(p, n, "Local", 5);
		p += n + 1;
	}
}

static void one_view(struct run *r, struct sl_buf *out, int still,
		     const char *prompt);

void lab_classic_view(struct run *r, struct sl_buf *out, int still)
{
	static const char *const prompts[2] = { "server host", "client host" };

	if (!r->hosts) {
		one_view(r, out, still, "");
		return;
	}
	/* each host's own netstat: the program run inside its namespace */
	for (int i = 0; i < 2; i++) {
		lab_host_enter(r, i);
		one_view(r, out, still, prompts[i]);
		lab_host_enter(r, -1);
	}
}

static void one_view(struct run *r, struct sl_buf *out, int still,
		     const char *prompt)
{
	const char *when = still ? "at the same moment" :
			   "run right after socklab's read";
	struct sl_lab *lab = r->lab;
	char path[64], filter[64], port[8];
	struct sl_buf raw = SL_BUF_INIT;

	if (!lab->port)
		return;
	snprintf(port, sizeof(port), "%u", lab->port);
	if (find_tool("netstat", path, sizeof(path))) {
		char *argv[] = { path, "-tanp", NULL };

		if (run_tool(argv, &raw) == 0) {
			sl_buf_printf(out, "\n%s$ netstat -tanp   (its lines of port %s, %s)\n",
				      prompt, port, when);
			port_lines(&raw, lab->port, out);
		}
	} else if (find_tool("ss", path, sizeof(path))) {
		char *argv[] = { path, "-tanp", filter, NULL };

		snprintf(filter, sizeof(filter), "( sport = :%s or dport = :%s )",
			 port, port);
		if (run_tool(argv, &raw) == 0) {
			sl_buf_printf(out, "\n%s$ ss -tanp '%s'   (%s)\n",
				      prompt, filter, when);
			port_lines(&raw, 0, out);
		}
	}
	sl_buf_release(&raw);
}
