/* waiting.c - what a program is doing, in words: how it exited, and what
 * a program that hangs waits for (the system call it sits in) */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "lab-int.h"

const char *lab_exit_words(int status)
{
	static _Thread_local char buf[48];

	if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, sizeof(buf), "exit status %d", WEXITSTATUS(status));
	return buf;
}

static const struct {
	long nr;
	const char *words;
} calls[] = {
#ifdef __NR_accept
	{ __NR_accept, "it is blocked in accept(), waiting for a client to connect" },
#endif
	{ __NR_accept4, "it is blocked in accept(), waiting for a client to connect" },
	{ __NR_connect, "it is blocked in connect(), waiting for the server to answer the SYN" },
	{ __NR_recvfrom, "it is blocked in recv(), waiting for bytes the other side never sent" },
	{ __NR_recvmsg, "it is blocked in recvmsg(), waiting for bytes the other side never sent" },
	{ __NR_read, "it is blocked in read(), waiting for input (the other side sent nothing more, or it reads the terminal)" },
	{ __NR_sendto, "it is blocked in send(): the other side does not read, and the buffers are full" },
	{ __NR_write, "it is blocked in write(): the other side does not read, and the buffers are full" },
	{ __NR_epoll_wait, "it waits in epoll_wait() for its sockets to become ready" },
	{ __NR_epoll_pwait, "it waits in epoll_wait() for its sockets to become ready" },
#ifdef __NR_poll
	{ __NR_poll, "it waits in poll() for its sockets to become ready" },
#endif
	{ __NR_ppoll, "it waits in poll() for its sockets to become ready" },
#ifdef __NR_select
	{ __NR_select, "it waits in select() for its sockets to become ready" },
#endif
	{ __NR_pselect6, "it waits in select() for its sockets to become ready" },
	{ __NR_wait4, "it waits for a child process to exit" },
	{ __NR_clock_nanosleep, "it is sleeping" },
	{ __NR_nanosleep, "it is sleeping" },
	{ __NR_futex, "it waits on a lock or another thread" },
};

void lab_blocked_in(pid_t pid, char *out, size_t n)
{
	char path[64];
	long nr = -1;
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	if (!(f = fopen(path, "re"))) {
		snprintf(out, n, "what it waits on could not be read (/proc/%d/syscall)", (int)pid);
		return;
	}
	if (fscanf(f, "%ld", &nr) != 1)
		nr = -1;
	fclose(f);
	if (nr < 0) {
		snprintf(out, n, "it is running, not waiting in a system call");
		return;
	}
	for (size_t i = 0; i < SL_ARRAY_SIZE(calls); i++)
		if (calls[i].nr == nr) {
			snprintf(out, n, "%s", calls[i].words);
			return;
		}
	snprintf(out, n, "it waits in system call %ld", nr);
}
