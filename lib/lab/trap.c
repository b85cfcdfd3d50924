/* trap.c - a student's program held for an instant at each system call
 * that changes its sockets (bind, connect, send, close, exit), so the lab
 * reads the kernel's socket table at that very moment: a client that
 * connects, sends and exits within a millisecond still shows both ends
 * ESTABLISHED.  Linux's seccomp user notification does it: the program
 * runs unchanged and unprivileged, each such call simply waits until the
 * lab lets it go on (the kernel then runs it as it would have). */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "trap.h"

#if defined(__x86_64__)
#define TRAP_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define TRAP_ARCH AUDIT_ARCH_AARCH64
#endif

#ifdef TRAP_ARCH

#define LD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define IS(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF)
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))

/* The calls held.  Calls on TRAP_FD (the socket that hands the
 * notification fd over, before exec) pass, or the hand-over would wait
 * for itself; other architectures' calls (a 32-bit program) pass too. */
static int install(void)
{
	struct sock_filter f[] = {
		LD(offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TRAP_ARCH, 1, 0),
		RET(SECCOMP_RET_ALLOW),
		LD(offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TRAP_FD, 0, 1),
		RET(SECCOMP_RET_ALLOW),
		LD(offsetof(struct seccomp_data, nr)),
		IS(__NR_bind), IS(__NR_connect), IS(__NR_sendto),
		IS(__NR_sendmsg), IS(__NR_sendmmsg), IS(__NR_write),
		IS(__NR_writev), IS(__NR_close), IS(__NR_shutdown),
		IS(__NR_exit_group),
		RET(SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { (unsigned short)SL_ARRAY_SIZE(f), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	return (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

static enum trap_kind kind_of(int nr)
{
	switch (nr) {
	case __NR_bind: return TRAP_BIND;
	case __NR_connect: return TRAP_CONNECT;
	case __NR_close: return TRAP_CLOSE;
	case __NR_shutdown: return TRAP_SHUTDOWN;
	case __NR_exit_group: return TRAP_EXIT;
	default: return TRAP_SEND;
	}
}
#else
static int install(void)
{
	return -ENOSYS;
}

static enum trap_kind kind_of(int nr)
{
	(void)nr;
	return TRAP_SEND;
}
#endif

/* One byte, with the fd as SCM_RIGHTS when fd >= 0 (none: no trap). */
static void hand_over(int sock, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte = fd >= 0 ? 'y' : 'n';
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *c;

		m.msg_control = u.buf;
		m.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	sendmsg(sock, &m, MSG_NOSIGNAL);
}

void trap_child_setup(int sock)
{
	int fd;

	if (dup3(sock, TRAP_FD, O_CLOEXEC) < 0)
		return;
	fd = install();
	hand_over(TRAP_FD, fd);
}

void trap_init(struct trap *t)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
}

int trap_receive(struct trap *t, int sock, int timeout_ms, struct sl_err *e)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct pollfd p = { sock, POLLIN, 0 };
	struct cmsghdr *c;

	if (poll(&p, 1, timeout_ms) <= 0 || recvmsg(sock, &m, MSG_CMSG_CLOEXEC) <= 0)
		return sl_err_set(e, -EIO, "the program did not start");
	c = CMSG_FIRSTHDR(&m);
	if (byte != 'y' || !c || c->cmsg_type != SCM_RIGHTS)
		return sl_err_set(e, -ENOSYS,
			"this kernel cannot hold a program at its socket calls (seccomp user notification)");
#ifdef TRAP_ARCH
	{
		struct seccomp_notif_sizes sz;

		memcpy(&t->fd, CMSG_DATA(c), sizeof(int));
		if (syscall(__NR_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0)
			goto nomem;
		t->req_size = sz.seccomp_notif;
		t->resp_size = sz.seccomp_notif_resp;
		t->req = calloc(1, t->req_size);
		t->resp = calloc(1, t->resp_size);
		if (!t->req || !t->resp)
			goto nomem;
	}
	return 0;
nomem:
	trap_release(t);
	return sl_err_set(e, -ENOMEM, "out of memory");
#else
	return sl_err_set(e, -ENOSYS, "no system call trap on this architecture");
#endif
}

/* "socket:[12345]" -> 12345; 0 when the fd is no socket. */
static uint64_t socket_inode(pid_t pid, int fd)
{
	char path[64], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 8 || memcmp(link, "socket:[", 8))
		return 0;
	link[n] = '\0';
	return strtoull(link + 8, NULL, 10);
}

/* bind's and connect's address, read from the program's memory. */
static void read_addr(struct trap_call *c, uint64_t ptr, uint64_t len)
{
	struct iovec local = { &c->addr, sizeof(c->addr) };
	struct iovec remote = { (void *)(uintptr_t)ptr, 0 };

	remote.iov_len = len < sizeof(c->addr) ? (size_t)len : sizeof(c->addr);
	memset(&c->addr, 0, sizeof(c->addr));
	local.iov_len = remote.iov_len;
	if (process_vm_readv(c->pid, &local, 1, &remote, 1, 0) !=
	    (ssize_t)remote.iov_len)
		memset(&c->addr, 0, sizeof(c->addr));
}

int trap_next(struct trap *t, struct trap_call *c)
{
#ifdef TRAP_ARCH
	struct seccomp_notif *req = t->req;
	struct pollfd p = { t->fd, POLLIN, 0 };

	/* the receive blocks whatever the fd's flags: ask first */
	if (t->fd < 0 || poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN))
		return 0;
	memset(req, 0, t->req_size);
	if (ioctl(t->fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
		if (errno == EAGAIN || errno == EINTR || errno == ENOENT)
			return 0;
		return -errno;
	}
	memset(c, 0, sizeof(*c));
	c->id = req->id;
	c->pid = (pid_t)req->pid;
	c->kind = kind_of(req->data.nr);
	c->fd = (int)req->data.args[0];
	if (c->kind != TRAP_EXIT)
		c->inode = socket_inode(c->pid, c->fd);
	if ((c->kind == TRAP_BIND || c->kind == TRAP_CONNECT) && c->inode)
		read_addr(c, req->data.args[1], req->data.args[2]);
	t->calls++;
	return 1;
#else
	(void)t;
	(void)c;
	return 0;
#endif
}

void trap_continue(struct trap *t, const struct trap_call *c)
{
#ifdef TRAP_ARCH
	struct seccomp_notif_resp *r = t->resp;

	memset(r, 0, t->resp_size);
	r->id = c->id;
	r->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	/* a call whose program died meanwhile is gone: nothing to answer */
	ioctl(t->fd, SECCOMP_IOCTL_NOTIF_SEND, r);
#else
	(void)t;
	(void)c;
#endif
}

void trap_release(struct trap *t)
{
	if (t->fd >= 0)
		close(t->fd);
	free(t->req);
	free(t->resp);
	trap_init(t);
}
