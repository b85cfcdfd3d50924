/* cmd-sockets.h - what the files of `socklab sockets` share: its options,
 * the table reader, and each mode's entry (the listing and its options
 * in cmd-sockets.c, --watch, --stats and -s, -K in files of their own) */
#ifndef SOCKLAB_CMD_SOCKETS_H
#define SOCKLAB_CMD_SOCKETS_H

#include "cli.h"
#include "socklab/diag.h"
#include "socklab/render.h"

#define CMD "sockets"

struct sockets_cli {
	unsigned protos, families;
	uint32_t states;	/* from --state; 0 when none given */
	int listening, procs, json, all;
	int watch, summary, stats, kill, yes;
	unsigned show;		/* SL_TABLE_INFO | _TIMERS | _MEM | _EXT */
	double interval;	/* --watch, --stats S */
	uint16_t port;
	enum sl_diag_source source;
};

/* The table flags the options ask for. */
unsigned sockets_flags(const struct sockets_cli *c);
/* Every socket the options ask for, to fn one at a time; 0, a runtime
 * failure printed, or -EPIPE when fn found the reader gone (| head). */
int sockets_read(const struct sockets_cli *c, sl_sock_fn fn, void *arg);
/* An sl_sock_fn that appends to the sl_sock_list arg. */
int sockets_push(const struct sl_sock *s, void *arg);
/* "2026-12-02T14:03:27.118+01:00" (json) or "14:03:27.118", local time */
void sockets_stamp(char *out, size_t outlen, int json);

int sockets_watch(const struct sockets_cli *c);
int sockets_stats(const struct sockets_cli *c);
int sockets_summary(const struct sockets_cli *c);
int sockets_kill(const struct sockets_cli *c);

#endif
