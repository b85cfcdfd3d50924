/* server.c - the C tutorial server: socket, bind, listen, then accept one
 * client after another; read its name once, print it, answer
 * "Hello, NAME" and close.
 *
 * build: cc -o server server.c
 * usage: ./server [PORT] */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int port = argc > 1 ? atoi(argv[1]) : 59123;
	int server_fd, client_fd, opt = 1;
	struct sockaddr_in addr;
	char buffer[1024], reply[1100];
	ssize_t n;

	server_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (server_fd < 0) {
		perror("socket");
		return 1;
	}
	/* lets the server restart at once after a stop */
	setsockopt(server_fd, SOL_SOCKET, SO_REUSEADDR, &opt, sizeof(opt));
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);	/* 127.0.0.1 */
	addr.sin_port = htons(port);
	if (bind(server_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("bind");
		return 1;
	}
	if (listen(server_fd, 5) < 0) {
		perror("listen");
		return 1;
	}
	printf("listening on port %d\n", port);
	fflush(stdout);
	for (;;) {
		client_fd = accept(server_fd, NULL, NULL);
		if (client_fd < 0) {
			perror("accept");
			continue;
		}
		n = read(client_fd, buffer, sizeof(buffer) - 1);
		if (n > 0) {
			buffer[n] = '\0';
			buffer[strcspn(buffer, "\r\n")] = '\0';
			printf("received: %s\n", buffer);
			fflush(stdout);
			snprintf(reply, sizeof(reply), "Hello, %s\n", buffer);
			write(client_fd, reply, strlen(reply));
		}
		close(client_fd);
	}
}
