/* server.c - the server under test as a process group of its own: started
 * with the signals a shell would give it, its output collected, its end
 * told in words, and the whole tree stopped at the end */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "check-int.h"

extern char **environ;

void ck_server_init(struct ck_server *s)
{
	memset(s, 0, sizeof(*s));
	s->out_fd = s->err_fd = -1;
	sl_buf_init(&s->out);
	sl_buf_init(&s->err);
}

/* A pseudo-terminal for the server's stdout: C stdio and python write
 * each line at once to a terminal, so what it printed is seen as it
 * prints it.  Output processing off, so its newlines stay newlines. */
static int open_pty(int *master, int *slave)
{
	struct termios t;
	const char *name;

	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0)
		return -errno;
	if (grantpt(*master) < 0 || unlockpt(*master) < 0 ||
	    !(name = ptsname(*master)) ||
	    (*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		int err = errno;

		close(*master);
		return -err;
	}
	if (tcgetattr(*slave, &t) == 0) {
		t.c_oflag &= ~(tcflag_t)OPOST;
		t.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(*slave, TCSANOW, &t);
	}
	return 0;
}

/* Where stdout goes: the pty, or a pipe where no pty can be had. */
static int open_out(int *rd, int *wr)
{
	int p[2];

	if (open_pty(rd, wr) == 0)
		return 0;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	*rd = p[0];
	*wr = p[1];
	return 0;
}

/* socklab ignores SIGPIPE; the server must get the default a shell
 * gives, or a server that dies of SIGPIPE would seem to survive. */
static void spawn_attr(posix_spawnattr_t *a)
{
	static const int defaults[] = { SIGPIPE, SIGINT, SIGQUIT, SIGTERM,
					SIGHUP, SIGCHLD, SIGALRM, SIGUSR1,
					SIGUSR2 };
	sigset_t none, dfl;

	sigemptyset(&none);
	sigemptyset(&dfl);
	for (size_t i = 0; i < SL_ARRAY_SIZE(defaults); i++)
		sigaddset(&dfl, defaults[i]);
	posix_spawnattr_init(a);
	posix_spawnattr_setflags(a, POSIX_SPAWN_SETPGROUP |
				    POSIX_SPAWN_SETSIGDEF |
				    POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setpgroup(a, 0);
	posix_spawnattr_setsigdefault(a, &dfl);
	posix_spawnattr_setsigmask(a, &none);
}

static int spawn(struct ck_server *s, char *const argv[], int out, int err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t a;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawn_file_actions_adddup2(&fa, err, 2);
	spawn_attr(&a);
	rc = -posix_spawnp(&s->pid, argv[0], &fa, &a, argv, environ);
	posix_spawnattr_destroy(&a);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

int ck_server_start(struct ck_server *s, char *const argv[], struct sl_err *e)
{
	char *sh[] = { "/bin/sh", "-c", argv[0], NULL };
	int out_w = -1, ep[2] = { -1, -1 }, rc;
	char shown[200];

	/* one word with a space is a shell command line, as lab --server */
	if (!argv[1] && strpbrk(argv[0], " \t;|&<>$'\"*?"))
		argv = sh;
	rc = open_out(&s->out_fd, &out_w);
	if (rc == 0 && pipe2(ep, O_CLOEXEC) < 0)
		rc = -errno;
	if (rc == 0)
		rc = spawn(s, argv, out_w, ep[1]);
	if (rc == 0) {
		s->err_fd = ep[0];
		ep[0] = -1;
		s->running = 1;
		fcntl(s->out_fd, F_SETFL, O_NONBLOCK);
		fcntl(s->err_fd, F_SETFL, O_NONBLOCK);
	}
	if (out_w >= 0)
		close(out_w);
	if (ep[1] >= 0)
		close(ep[1]);
	if (ep[0] >= 0)
		close(ep[0]);
	if (rc == 0)
		return 0;
	if (s->out_fd >= 0)
		close(s->out_fd);
	s->out_fd = -1;
	sl_escape(shown, sizeof(shown), argv[0], strlen(argv[0]));
	if (rc == -ENOENT)
		return sl_err_set(e, rc, "cannot start \"%s\": no such program (not in PATH, and no such file); check its spelling, or give its path (./server)",
				  shown);
	if (rc == -EACCES)
		return sl_err_set(e, rc, "cannot start \"%s\": permission denied; is it executable (chmod +x), or should it run through its interpreter (python3 %s)?",
				  shown, shown);
	return sl_err_set(e, rc, "cannot start \"%s\": %s", shown, strerror(-rc));
}

/* Keeps the last CK_OUT_MAX bytes. */
static void drain(int *fd, struct sl_buf *b, uint64_t *total)
{
	char tmp[4096];

	while (*fd >= 0) {
		ssize_t r = read(*fd, tmp, sizeof(tmp));

		if (r > 0) {
			if (b->len + (size_t)r > CK_OUT_MAX)
				sl_buf_consume(b, b->len + (size_t)r - CK_OUT_MAX);
			sl_buf_append(b, tmp, (size_t)r);
			if (total)
				*total += (uint64_t)r;
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		/* 0, or EIO from a pty nobody holds open any more */
		close(*fd);
		*fd = -1;
	}
}

static void put_end(struct ck_server *s)
{
	int st = s->status;

	if (WIFEXITED(st)) {
		snprintf(s->ended, sizeof(s->ended), "exited with status %d",
			 WEXITSTATUS(st));
		return;
	}
	if (WIFSIGNALED(st)) {
		const char *abbr = sigabbrev_np(WTERMSIG(st));
		const char *what = sigdescr_np(WTERMSIG(st));

		snprintf(s->ended, sizeof(s->ended),
			 "was killed by signal %d (SIG%s, %s)", WTERMSIG(st),
			 abbr ? abbr : "?", what ? what : "unknown");
		return;
	}
	snprintf(s->ended, sizeof(s->ended), "ended (wait status %#x)", st);
}

void ck_server_pump(struct ck_server *s)
{
	drain(&s->out_fd, &s->out, &s->out_total);
	drain(&s->err_fd, &s->err, NULL);
	if (s->running && waitpid(s->pid, &s->status, WNOHANG) == s->pid) {
		s->running = 0;
		put_end(s);
		/* what it wrote just before its end is still in the pipes */
		drain(&s->out_fd, &s->out, &s->out_total);
		drain(&s->err_fd, &s->err, NULL);
	}
}

int ck_server_wait_exit(struct ck *c, int ms)
{
	uint64_t deadline = sl_now_ms() + (uint64_t)ms;

	while (c->srv.running && sl_now_ms() < deadline)
		if (ck_poll(c, -1, 0, sl_now_ms() + 10) < 0)
			break;
	return !c->srv.running;
}

static void signal_tree(const pid_t *tree, size_t n, pid_t group, int sig)
{
	kill(-group, sig);
	for (size_t i = 0; i < n; i++)
		kill(tree[i], sig);
}

void ck_server_stop(struct ck_server *s)
{
	struct timespec step = { 0, 5 * 1000 * 1000 };
	pid_t tree[SL_PROC_TREE_MAX];
	size_t n;

	if (!s->pid)
		return;
	/* the group, and any descendant that left it */
	n = s->running ? sl_proc_tree(s->pid, tree, SL_PROC_TREE_MAX) : 0;
	signal_tree(tree, n, s->pid, SIGTERM);
	for (int waited = 0; s->running && waited < 1000; waited += 5) {
		nanosleep(&step, NULL);
		ck_server_pump(s);
	}
	signal_tree(tree, n, s->pid, SIGKILL);
	if (s->running) {
		waitpid(s->pid, &s->status, 0);
		s->running = 0;
		put_end(s);
	}
	ck_server_pump(s);
}

void ck_server_release(struct ck_server *s)
{
	ck_server_stop(s);
	if (s->out_fd >= 0)
		close(s->out_fd);
	if (s->err_fd >= 0)
		close(s->err_fd);
	sl_buf_release(&s->out);
	sl_buf_release(&s->err);
}

/* The line of b that holds at, as [*start, *end). */
static void line_around(const struct sl_buf *b, size_t at, size_t *start,
			size_t *end)
{
	*start = at;
	while (*start > 0 && b->data[*start - 1] != '\n')
		(*start)--;
	*end = at;
	while (*end < b->len && b->data[*end] != '\n')
		(*end)++;
}

void ck_server_last_err(const struct ck_server *s, struct sl_buf *b)
{
	size_t end = s->err.len, start;

	while (end > 0 && (s->err.data[end - 1] == '\n' ||
			   s->err.data[end - 1] == '\r' ||
			   s->err.data[end - 1] == ' '))
		end--;
	if (!end)
		return;
	line_around(&s->err, end - 1, &start, &end);
	ck_put_bytes(b, s->err.data + start, end - start);
}

int ck_server_printed(const struct ck_server *s, uint64_t mark,
		      const char *text, struct sl_buf *b)
{
	uint64_t fresh = s->out_total - mark;
	size_t from, start, end;
	const char *hit;

	if (!fresh || !s->out.len)
		return 0;
	from = fresh >= s->out.len ? 0 : s->out.len - (size_t)fresh;
	hit = memmem(s->out.data + from, s->out.len - from, text,
		     strlen(text));
	if (!hit)
		return 0;
	line_around(&s->out, (size_t)(hit - s->out.data), &start, &end);
	if (start < from)
		start = from;
	while (end > start && s->out.data[end - 1] == '\r')
		end--;
	ck_put_bytes(b, s->out.data + start, end - start);
	return 1;
}
