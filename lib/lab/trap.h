/* trap.h - holding a program at its socket system calls (trap.c) */
#ifndef SOCKLAB_LAB_TRAP_H
#define SOCKLAB_LAB_TRAP_H

#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "socklab/util.h"

/* The socket that hands the notification fd over: a number a program is
 * unlikely to use for its own sockets (calls on it are not held). */
#define TRAP_FD 1021

enum trap_kind { TRAP_BIND, TRAP_CONNECT, TRAP_SEND, TRAP_CLOSE,
		 TRAP_SHUTDOWN, TRAP_EXIT };

struct trap {
	int fd;			/* the notification fd; -1 when not held */
	void *req, *resp;
	size_t req_size, resp_size;
	uint64_t calls;		/* calls held so far */
};

/* A call the program waits in until trap_continue. */
struct trap_call {
	uint64_t id;
	pid_t pid;		/* the thread that made it */
	enum trap_kind kind;
	int fd;			/* its first argument (not for TRAP_EXIT) */
	uint64_t inode;		/* the socket's inode; 0: fd is no socket */
	struct sockaddr_storage addr;	/* bind/connect: the address */
};

/* In the child between fork and exec: installs the filter and hands the
 * notification fd over sock (or says it could not). */
void trap_child_setup(int sock);
void trap_init(struct trap *t);
/* In the parent: takes the fd the child handed over.  0; -ENOSYS when the
 * kernel cannot hold calls (the program then runs without), -EIO. */
int trap_receive(struct trap *t, int sock, int timeout_ms, struct sl_err *e);
/* A held call, without waiting: 1, 0 when none, or a negative errno. */
int trap_next(struct trap *t, struct trap_call *c);
/* Lets the call go on, as the program made it. */
void trap_continue(struct trap *t, const struct trap_call *c);
/* Stops holding: from now on every call the filter names fails with
 * ENOSYS, so release only once the program is gone. */
void trap_release(struct trap *t);

#endif
