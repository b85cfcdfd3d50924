/* backend.h - what ev.c needs from a readiness backend (ev_epoll.c) */
#ifndef SOCKLAB_EV_BACKEND_H
#define SOCKLAB_EV_BACKEND_H

struct ev_backend;

struct ev_ready {
	int fd;
	unsigned events;	/* SL_EV_* */
};

/* 0 or a negative errno; *out NULL on failure */
int ev_backend_new(struct ev_backend **out);
void ev_backend_free(struct ev_backend *b);
/* had: events registered before (0 = new fd), want: events now (0 = remove) */
int ev_backend_set(struct ev_backend *b, int fd, unsigned had, unsigned want);
/* Waits up to timeout_ms (-1 forever); fills out[0..max); returns count or
 * a negative errno (-EINTR is returned as 0). */
int ev_backend_wait(struct ev_backend *b, struct ev_ready *out, int max,
		    int timeout_ms);

#endif
