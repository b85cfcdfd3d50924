/* epoll-hello.c - the limit reference for bench-server.sh: a minimal
 * single-threaded epoll hello server on 127.0.0.1 (no logging, no limits,
 * no timeouts).  Usage: epoll-hello [PORT]; prints "port N" once listening.
 * Each descriptor owns a 256-byte slot of one static table for its partial
 * line, so memory per connection is what the kernel needs plus 256 B. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXFD 65536
static struct { unsigned short len; char buf[254]; } conns[MAXFD];

static void serve(int fd)
{
	char out[300];
	ssize_t n = read(fd, conns[fd].buf + conns[fd].len,
			 sizeof(conns[fd].buf) - conns[fd].len);
	char *p, *nl;

	if (n <= 0) {
		conns[fd].len = 0;
		close(fd);
		return;
	}
	conns[fd].len += (unsigned short)n;
	p = conns[fd].buf;
	while ((nl = memchr(p, '\n', (size_t)(conns[fd].buf + conns[fd].len - p)))) {
		int m = snprintf(out, sizeof(out), "Hello, %.*s!\n",
				 (int)(nl - p), p);
		if (write(fd, out, (size_t)m) < 0)
			break;
		p = nl + 1;
	}
	conns[fd].len = (unsigned short)(conns[fd].buf + conns[fd].len - p);
	memmove(conns[fd].buf, p, conns[fd].len);
	if (conns[fd].len == sizeof(conns[fd].buf)) {
		conns[fd].len = 0;
		close(fd);
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct epoll_event ev = { .events = EPOLLIN }, evs[256];
	socklen_t al = sizeof(a);
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int ep = epoll_create1(0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(argc > 1 ? (unsigned short)atoi(argv[1]) : 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 4096))
		return perror("listen"), 1;
	getsockname(lfd, (struct sockaddr *)&a, &al);
	printf("port %u\n", ntohs(a.sin_port));
	fflush(stdout);
	ev.data.fd = lfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	for (;;) {
		int n = epoll_wait(ep, evs, 256, -1);

		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd, c;

			if (fd != lfd) {
				serve(fd);
				continue;
			}
			while ((c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
				if (c >= MAXFD) {
					close(c);
					continue;
				}
				ev.data.fd = c;
				epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
			}
		}
	}
}
