/* proc.h - child processes of the lab, with their output collected */
#ifndef SOCKLAB_LAB_PROC_H
#define SOCKLAB_LAB_PROC_H

#include <sys/types.h>

#include "socklab/util.h"
#include "trap.h"

/* Output past this is dropped (a runaway child cannot exhaust memory). */
#define CHILD_OUT_MAX (256 * 1024)

struct child {
	pid_t pid;		/* 0 when not started; stays set after exit */
	int in_fd;		/* its stdin (write end), -1 when closed */
	int out_fd, err_fd;	/* its stdout / stderr (read ends), -1 at EOF */
	struct sl_buf out, err;
	int running;
	int status;		/* wait status once !running */
	int group;		/* it leads a process group of its own */
	struct trap trap;	/* its socket calls, when held */
};

/* How a student's command starts. */
struct child_opts {
	int group;		/* a process group of its own (to stop it all) */
	int hold;		/* hold its socket calls (trap.c) */
	int unbuffered;		/* ask interpreters to write output at once */
};

void child_init(struct child *c);
/* Starts argv[0] with argv; stdin, stdout and stderr are pipes. */
int child_spawn(struct child *c, char *const argv[], struct sl_err *e);
/* Starts "/bin/sh -c cmd" as o says.  When o->hold is set but the kernel
 * cannot hold calls, it starts anyway and c->trap.fd stays -1. */
int child_spawn_shell(struct child *c, const char *cmd,
		      const struct child_opts *o, struct sl_err *e);
/* Reads what the child wrote; reaps it if it exited. Non-blocking. */
void child_pump(struct child *c);
/* Sends bytes to its stdin; closing stdin is child_close_stdin. */
int child_write(struct child *c, const char *p, size_t n);
void child_close_stdin(struct child *c);
/* SIGTERM (to its whole group when it has one), then SIGKILL after
 * grace_ms; reaps it.  Calls it makes while stopping are let go. */
void child_stop(struct child *c, int grace_ms);
void child_release(struct child *c);

#endif
