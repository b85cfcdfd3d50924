/* client.c - the C tutorial client: connect to 127.0.0.1, send the name
 * with a newline, print the answer.
 *
 * build: cc -o client client.c
 * usage: ./client [PORT [NAME]] */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int port = argc > 1 ? atoi(argv[1]) : 59123;
	const char *name = argc > 2 ? argv[2] : getenv("USER");
	struct sockaddr_in addr;
	char line[256], answer[1024];
	ssize_t n;
	int fd;

	if (!name)
		name = "student";
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons(port);
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("connect");
		return 1;
	}
	snprintf(line, sizeof(line), "%s\n", name);
	send(fd, line, strlen(line), 0);
	n = recv(fd, answer, sizeof(answer) - 1, 0);
	if (n > 0) {
		answer[n] = '\0';
		printf("%s", answer);
	}
	close(fd);
	return 0;
}
