/*
 * server.c - the lab's TCP server.
 *
 * It listens on the loopback addresses only (127.0.0.1 for IPv4 and ::1
 * for IPv6), on a port above 59000 as the assignment asks, prints every
 * name a client sends and answers it with "Hello, NAME!".  Each client is
 * served by a child process of its own (fork), so a slow or silent client
 * never holds up the others.
 *
 *     make              (or: cc -o server server.c)
 *     ./server [PORT]   (PORT defaults to 59123; Ctrl-C stops it)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* One listening socket on addr: socket(), bind(), listen().  -1 on error. */
static int listen_on(int family, const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		inet_pton(AF_INET, addr, &sin->sin_addr);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &sin6->sin6_addr);
		len = sizeof(*sin6);
	}
	fd = socket(family, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	/* restart at once after Ctrl-C, without waiting for TIME_WAIT */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* IPv6 only on this socket, so 127.0.0.1 can have its own */
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 128) < 0) {
		fprintf(stderr, "cannot listen on %s port %d: %s\n", addr, port,
			strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Sends all of the n bytes: send() may take fewer than asked. */
static int send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = send(fd, p, n, 0);

		if (k < 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* One client, in its own process: every line it sends is a name. */
static void serve(int fd)
{
	struct timeval quiet = { 30, 0 };	/* a silent client is let go */
	char line[256], reply[300];
	size_t len = 0;
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &quiet, sizeof(quiet));
	/* TCP delivers a stream of bytes, not messages: a name may come in
	 * pieces, or two together.  Collect bytes until each '\n'. */
	while ((n = recv(fd, line + len, sizeof(line) - 1 - len, 0)) > 0) {
		char *nl;

		len += (size_t)n;
		line[len] = '\0';
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			if (nl > line && nl[-1] == '\r')
				nl[-1] = '\0';
			printf("received \"%s\"\n", line);
			fflush(stdout);
			snprintf(reply, sizeof(reply), "Hello, %s!\n", line);
			if (send_all(fd, reply, strlen(reply)) < 0)
				return;
			len -= (size_t)(nl + 1 - line);
			memmove(line, nl + 1, len + 1);
		}
		if (len == sizeof(line) - 1)	/* a line too long: give up */
			return;
	}
}

int main(int argc, char *argv[])
{
	int port = argc > 1 ? atoi(argv[1]) : 59123;
	struct pollfd fds[2];
	int nfds = 0;

	/* a client that leaves before its answer must not kill the server
	 * (SIGPIPE); children that end are reaped by the kernel (SIGCHLD) */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);
	fds[nfds].fd = listen_on(AF_INET, "127.0.0.1", port);
	if (fds[nfds].fd >= 0)
		nfds++;
	fds[nfds].fd = listen_on(AF_INET6, "::1", port);
	if (fds[nfds].fd >= 0)
		nfds++;
	if (nfds == 0)
		return 1;
	printf("listening on 127.0.0.1 and ::1, port %d\n", port);
	fflush(stdout);
	for (;;) {
		/* wait until one of the listening sockets has a client */
		for (int i = 0; i < nfds; i++)
			fds[i].events = POLLIN;
		if (poll(fds, (nfds_t)nfds, -1) < 0)
			continue;
		for (int i = 0; i < nfds; i++) {
			int client;

			if (!(fds[i].revents & POLLIN))
				continue;
			client = accept(fds[i].fd, NULL, NULL);
			if (client < 0)
				continue;
			if (fork() == 0) {	/* the child serves, then ends */
				close(fds[0].fd);
				if (nfds > 1)
					close(fds[1].fd);
				serve(client);
				close(client);
				_exit(0);
			}
			close(client);	/* the parent goes back to accept */
		}
	}
}
