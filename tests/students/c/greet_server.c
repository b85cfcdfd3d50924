/* greet_server.c - a C server that builds its answer in three writes:
 * "Hello, ", the name, "!\n".  It does nothing about SIGPIPE, so a client
 * that leaves before the answer kills it: the second write to a closed
 * connection raises SIGPIPE, whose default is to end the process.
 *
 * build: cc -o greet_server greet_server.c
 * usage: ./greet_server [PORT] */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int port = argc > 1 ? atoi(argv[1]) : 59123;
	struct sockaddr_in addr = { 0 };
	char name[256];
	int s, c, yes = 1;
	ssize_t n;

	s = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
	addr.sin_family = AF_INET;
	addr.sin_port = htons(port);
	addr.sin_addr.s_addr = inet_addr("127.0.0.1");
	if (bind(s, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(s, 10) < 0) {
		perror("bind/listen");
		return 1;
	}
	while ((c = accept(s, NULL, NULL)) >= 0) {
		n = recv(c, name, sizeof(name) - 1, 0);
		if (n > 0) {
			name[n] = '\0';
			name[strcspn(name, "\r\n")] = '\0';
			printf("got %s\n", name);
			fflush(stdout);
			write(c, "Hello, ", 7);
			write(c, name, strlen(name));
			write(c, "!\n", 2);
		}
		close(c);
	}
	return 0;
}
