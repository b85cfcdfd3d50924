/* epoll-load.c - the reference load generator for bench-server.sh: the
 * hello exchange (connect, send "alice\n", read the reply, close) with C
 * connections in flight, on raw epoll, no latency bookkeeping.
 * Usage: epoll-load PORT N C; prints "N exchanges in S s: R/s, E errors". */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in to = { .sin_family = AF_INET };
static int ep;
static long started, done, errors, total;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void start(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int fd;

	while (started < total) {
		started++;
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		connect(fd, (struct sockaddr *)&to, sizeof(to));
		/* on loopback the handshake is over when connect returns */
		if (send(fd, "alice\n", 6, MSG_NOSIGNAL) == 6) {
			ev.data.fd = fd;
			epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
			return;
		}
		close(fd);
		errors++;
		done++;
	}
}

int main(int argc, char **argv)
{
	struct epoll_event evs[256];
	char buf[64];
	double t0;

	if (argc != 4)
		return fputs("usage: epoll-load PORT N C\n", stderr), 2;
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons((unsigned short)atoi(argv[1]));
	total = atol(argv[2]);
	ep = epoll_create1(0);
	t0 = now();
	for (int i = 0; i < atoi(argv[3]); i++)
		start();
	while (done < total) {
		int n = epoll_wait(ep, evs, 256, 5000);

		if (n <= 0)
			break;
		for (int i = 0; i < n; i++) {
			ssize_t r = recv(evs[i].data.fd, buf, sizeof(buf), 0);

			if (r < 0 && errno == EAGAIN)
				continue;
			if (r < 14 || memcmp(buf, "Hello, alice!\n", 14))
				errors++;
			close(evs[i].data.fd);
			done++;
			start();
		}
	}
	printf("%ld exchanges in %.3f s: %.0f/s, %ld errors\n", done,
	       now() - t0, (double)done / (now() - t0), errors);
	return errors != 0;
}
