/* proc.c - start the server and the client as real processes */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <linux/close_range.h>
#include <unistd.h>

#include "proc.h"

extern char **environ;

void child_init(struct child *c)
{
	memset(c, 0, sizeof(*c));
	c->in_fd = c->out_fd = c->err_fd = -1;
	sl_buf_init(&c->out);
	sl_buf_init(&c->err);
	trap_init(&c->trap);
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
}

int child_spawn(struct child *c, char *const argv[], struct sl_err *e)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	int rc;

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 ||
	    pipe2(err, O_CLOEXEC) < 0) {
		rc = -errno;
		goto fail;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	rc = -posix_spawn(&c->pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc < 0)
		goto fail;
	close(in[0]);
	close(out[1]);
	close(err[1]);
	c->in_fd = in[1];
	c->out_fd = out[0];
	c->err_fd = err[0];
	fcntl(c->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(c->err_fd, F_SETFL, O_NONBLOCK);
	c->running = 1;
	return 0;
fail:
	close_pair(in);
	close_pair(out);
	close_pair(err);
	return sl_err_set(e, rc, "cannot start %s: %s", argv[0], strerror(-rc));
}

/* The child side of child_spawn_shell; never returns. */
static void exec_shell(const char *cmd, const struct child_opts *o,
		       int in, int out, int err, int sock)
{
	static const char msg[] = "socklab lab: cannot run /bin/sh\n";

	if (o->group)
		setpgid(0, 0);
	if (o->unbuffered) {
		setenv("PYTHONUNBUFFERED", "1", 1);
		setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
	}
	dup2(in, 0);
	dup2(out, 1);
	dup2(err, 2);
	/* the lab's own descriptors (the capture, the pcap being written)
	 * are none of the program's business */
	close_range(3, ~0u, CLOSE_RANGE_CLOEXEC);
	signal(SIGPIPE, SIG_DFL);
	{
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
	}
	if (sock >= 0)
		trap_child_setup(sock);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(127);
	_exit(127);
}

int child_spawn_shell(struct child *c, const char *cmd,
		      const struct child_opts *o, struct sl_err *e)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int sp[2] = { -1, -1 };
	int rc = 0;

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 ||
	    pipe2(err, O_CLOEXEC) < 0 ||
	    (o->hold && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0)) {
		rc = -errno;
		goto out;
	}
	c->pid = fork();
	if (c->pid < 0) {
		rc = -errno;
		goto out;
	}
	if (c->pid == 0)
		exec_shell(cmd, o, in[0], out[1], err[1], sp[1]);
	if (o->group)
		setpgid(c->pid, c->pid);	/* no race with the child's own */
	c->group = o->group;
	c->in_fd = in[1];
	c->out_fd = out[0];
	c->err_fd = err[0];
	in[1] = out[0] = err[0] = -1;
	fcntl(c->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(c->err_fd, F_SETFL, O_NONBLOCK);
	c->running = 1;
	if (o->hold) {
		struct sl_err te;

		close(sp[1]);
		sp[1] = -1;
		trap_receive(&c->trap, sp[0], 2000, &te);
	}
out:
	close_pair(in);
	close_pair(out);
	close_pair(err);
	close_pair(sp);
	if (rc < 0)
		return sl_err_set(e, rc, "cannot start \"%s\": %s", cmd,
				  strerror(-rc));
	return 0;
}

static void drain(int *fd, struct sl_buf *b)
{
	char tmp[4096];

	while (*fd >= 0) {
		ssize_t r = read(*fd, tmp, sizeof(tmp));

		if (r > 0) {
			if (b->len + (size_t)r <= CHILD_OUT_MAX)
				sl_buf_append(b, tmp, (size_t)r);
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		close(*fd);
		*fd = -1;
	}
}

void child_pump(struct child *c)
{
	drain(&c->out_fd, &c->out);
	drain(&c->err_fd, &c->err);
	if (c->running && waitpid(c->pid, &c->status, WNOHANG) == c->pid) {
		c->running = 0;
		/* what it wrote just before exiting is still in the pipes */
		drain(&c->out_fd, &c->out);
		drain(&c->err_fd, &c->err);
	}
}

int child_write(struct child *c, const char *p, size_t n)
{
	while (n && c->in_fd >= 0) {
		ssize_t w = write(c->in_fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return n ? -EPIPE : 0;
}

void child_close_stdin(struct child *c)
{
	if (c->in_fd >= 0)
		close(c->in_fd);
	c->in_fd = -1;
}

/* Lets every held call go on: a stopping program must not wait on us. */
static void let_go(struct child *c)
{
	struct trap_call tc;

	while (trap_next(&c->trap, &tc) == 1)
		trap_continue(&c->trap, &tc);
}

static void signal_child(const struct child *c, int sig)
{
	if (c->group)
		kill(-c->pid, sig);
	else
		kill(c->pid, sig);
}

void child_stop(struct child *c, int grace_ms)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };

	if (c->running) {
		signal_child(c, SIGTERM);
		for (int waited = 0; c->running && waited < grace_ms; waited += 2) {
			let_go(c);
			nanosleep(&ts, NULL);
			child_pump(c);
		}
	}
	/* what it started (its group) goes too, held calls or not */
	if (c->group && c->pid > 0)
		kill(-c->pid, SIGKILL);
	if (c->running) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, &c->status, 0);
		c->running = 0;
	}
	child_pump(c);
}

void child_release(struct child *c)
{
	child_stop(c, 500);
	child_close_stdin(c);
	if (c->out_fd >= 0)
		close(c->out_fd);
	if (c->err_fd >= 0)
		close(c->err_fd);
	sl_buf_release(&c->out);
	sl_buf_release(&c->err);
	trap_release(&c->trap);
}
