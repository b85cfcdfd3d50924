/* test-proctree.c - lib/diag's process trees: the /proc/PID/stat parser
 * (against a guard page), the tree of real forked processes (children,
 * grandchildren, not an orphan adopted elsewhere) and the sockets such a
 * tree holds */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "guard.h"

#include "socklab/diag.h"

static int parse(const char *text, int *ppid, int *pgrp)
{
	size_t n = strlen(text), maplen;
	void *map;
	const char *g = guarded(text, n, &map, &maplen);
	int rc = sl_proc_stat_parse(g, n, ppid, pgrp);

	munmap(map, maplen);
	return rc;
}

static void test_stat_parse(void **state)
{
	int ppid = -2, pgrp = -2;

	(void)state;
	assert_int_equal(parse("4242 (python3) S 17 4242 17 0 -1 4194560 95", &ppid, &pgrp), 0);
	assert_int_equal(ppid, 17);
	assert_int_equal(pgrp, 4242);
	/* comm holds ") S 1 1 " itself: the last ')' ends it */
	assert_int_equal(parse("9 (a) S 1 1 (b)) R 3 9 9 0", &ppid, &pgrp), 0);
	assert_int_equal(ppid, 3);
	assert_int_equal(pgrp, 9);
	/* a zombie, init's child */
	assert_int_equal(parse("77 (x) Z 1 77 ", &ppid, &pgrp), 0);
	assert_int_equal(ppid, 1);
	static const char *const bad[] = {
		"", "4242", "4242 (python3", "4242 (p) S", "4242 (p) S 17",
		"4242 (p) S 17 ", "4242 (p) S -1 2 ", "4242 (p) S 1x 2 ",
		"4242 (p)S 1 2 ", "4242 (p) S 1234567890 2 ", "4242 (p) S 1 2",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i], &ppid, &pgrp), -EINVAL);
}

/* A child in a group of its own that forks a grandchild, which forks a
 * great-grandchild; and, through a middle process that exits, an orphan
 * (adopted by this test, the subreaper: no longer a descendant).  Each
 * but the middle one writes its pid into fd, the orphan last. */
static void tell(int fd)
{
	pid_t pid = getpid();

	if (write(fd, &pid, sizeof(pid)) != sizeof(pid))
		_exit(1);
}

static void family(int fd)
{
	pid_t mid;

	setpgid(0, 0);
	if (fork() == 0) {
		if (fork() == 0) {
			tell(fd);
			pause();
			_exit(0);
		}
		tell(fd);
		pause();
		_exit(0);
	}
	if ((mid = fork()) == 0) {
		if (fork() == 0) {
			usleep(100 * 1000);	/* after its parent has gone */
			tell(fd);
			pause();
			_exit(0);
		}
		_exit(0);
	}
	waitpid(mid, NULL, 0);
	pause();
	_exit(0);
}

static void read_pid(int fd, pid_t *pid)
{
	assert_int_equal(read(fd, pid, sizeof(*pid)), (ssize_t)sizeof(*pid));
}

static int has(const pid_t *v, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == pid)
			return 1;
	return 0;
}

static void test_tree(void **state)
{
	pid_t root, a, b, orphan, v[SL_PROC_TREE_MAX];
	size_t n;
	int p[2];

	(void)state;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	assert_int_equal(pipe(p), 0);
	root = fork();
	assert_true(root >= 0);
	if (root == 0)
		family(p[1]);
	read_pid(p[0], &a);
	read_pid(p[0], &b);
	read_pid(p[0], &orphan);
	n = sl_proc_tree(root, v, SL_PROC_TREE_MAX);
	assert_int_equal(n, 3);
	assert_int_equal(v[0], root);
	assert_true(has(v, n, a) && has(v, n, b));
	assert_false(has(v, n, orphan));
	assert_false(has(v, n, getpid()));
	/* bounded by max */
	assert_int_equal(sl_proc_tree(root, v, 2), 2);
	assert_int_equal(v[0], root);
	kill(-root, SIGKILL);
	waitpid(root, NULL, 0);
	for (int i = 0; i < 5000 && (waitpid(-1, NULL, WNOHANG) > 0 ||
				      kill(a, 0) == 0 || kill(b, 0) == 0); i++)
		usleep(1000);
	assert_int_equal(sl_proc_tree(root, v, SL_PROC_TREE_MAX), 0);
	close(p[0]);
	close(p[1]);
}

/* A child that listens on 127.0.0.1:0 and tells its port; the parent's
 * own listener, inherited, it closes. */
static void listener(int fd, int inherited)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	uint16_t port;

	close(inherited);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&sin, len) < 0 ||
	    listen(s, 4) < 0 || getsockname(s, (struct sockaddr *)&sin, &len) < 0)
		_exit(1);
	port = ntohs(sin.sin_port);
	if (write(fd, &port, sizeof(port)) != sizeof(port))
		_exit(1);
	pause();
	_exit(0);
}

static void test_list_tree(void **state)
{
	struct sl_diag_query q = { SL_DIAG_TCP, SL_DIAG_V4 | SL_DIAG_V6,
				   SL_STATE_BIT(SL_TCP_LISTEN), 0, SL_SRC_AUTO, 0 };
	struct sl_sock_list l;
	struct sl_err e;
	uint16_t port;
	pid_t child;
	int p[2], mine;

	(void)state;
	/* a listener of this test itself: not the child's, never listed */
	mine = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(listen(mine, 1), 0);
	assert_int_equal(pipe(p), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		listener(p[1], mine);
	assert_int_equal(read(p[0], &port, sizeof(port)), (ssize_t)sizeof(port));
	sl_sock_list_init(&l);
	assert_int_equal(sl_diag_list_tree(&q, child, &l, &e), 1);
	assert_int_equal(l.v[0].pid, child);
	assert_int_equal(sl_addr_port((const struct sockaddr *)&l.v[0].local.ss), port);
	assert_true(l.v[0].program[0] != '\0');
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	/* a tree that is gone holds nothing, and leaves the list as it was */
	assert_int_equal(sl_diag_list_tree(&q, child, &l, &e), 0);
	assert_int_equal(l.n, 1);
	sl_sock_list_release(&l);
	close(mine);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_parse),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_list_tree),
	};

	return cmocka_run_group_tests_name("proctree", tests, NULL, NULL);
}
