/*
 * client.c - the lab's TCP client.
 *
 * It connects to the server on this machine ("localhost": ::1 or
 * 127.0.0.1, whichever answers), sends your login name as one line and
 * prints the server's answer.
 *
 *     make                     (or: cc -o client client.c)
 *     ./client [PORT [NAME]]   (59123 and your login name by default)
 */
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Your login name: $USER, else the password database. */
static const char *login_name(void)
{
	const char *name = getenv("USER");
	struct passwd *pw;

	if (name && *name)
		return name;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "student";
}

/* Tries every address of localhost in turn; the connected socket or -1. */
static int connect_localhost(const char *port)
{
	struct addrinfo hints, *list, *ai;
	int fd = -1, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;	/* IPv6 or IPv4 */
	hints.ai_socktype = SOCK_STREAM;	/* TCP */
	rc = getaddrinfo("localhost", port, &hints, &list);
	if (rc != 0) {
		fprintf(stderr, "localhost: %s\n", gai_strerror(rc));
		return -1;
	}
	for (ai = list; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(list);
	if (fd < 0)
		fprintf(stderr, "cannot connect to localhost port %s: is the server running?\n",
			port);
	return fd;
}

int main(int argc, char *argv[])
{
	const char *port = argc > 1 ? argv[1] : "59123";
	const char *name = argc > 2 ? argv[2] : login_name();
	char line[256], answer[512];
	size_t len = 0;
	ssize_t n;
	int fd = connect_localhost(port);

	if (fd < 0)
		return 1;
	snprintf(line, sizeof(line), "%s\n", name);	/* one line: the name */
	if (send(fd, line, strlen(line), 0) < 0) {
		perror("send");
		return 1;
	}
	/* the answer is one line too: read until its '\n' (or the end) */
	while (len < sizeof(answer) - 1 &&
	       (n = recv(fd, answer + len, sizeof(answer) - 1 - len, 0)) > 0) {
		len += (size_t)n;
		if (memchr(answer, '\n', len))
			break;
	}
	answer[len] = '\0';
	printf("%s", answer);
	close(fd);
	return len > 0 ? 0 : 1;
}
