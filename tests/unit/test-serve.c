/* test-serve.c - the constructors' contract (0 or a negative code, *out
 * NULL and nothing left allocated or open on failure; LeakSanitizer and
 * valgrind see the rest) and the dial callback's negative errno */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "socklab/ev.h"
#include "socklab/net.h"
#include "socklab/serve.h"

/* Descriptors this process holds: a failed constructor leaves none. */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* A TCP socket on 127.0.0.1 (listening or not); its port in *port. */
static int tcp_socket(int listening, uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	if (listening)
		assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static void bind_to(struct sl_server_opts *o, uint16_t port)
{
	struct in_addr lo = { htonl(INADDR_LOOPBACK) };

	sl_addr_make(&o->binds[0], AF_INET, &lo, port);
	o->nbinds = 1;
}

static void test_ev_new(void **state)
{
	struct sl_ev *ev = (struct sl_ev *)&ev;	/* not NULL before */
	struct sl_err e;

	(void)state;
	sl_err_clear(&e);
	assert_int_equal(sl_ev_new(&ev, &e), 0);
	assert_non_null(ev);
	assert_true(sl_ev_timer(ev, 10, NULL, NULL) > 0);
	sl_ev_free(ev);
	sl_ev_free(NULL);
}

static void test_server_bad_option(void **state)
{
	struct sl_server *s = (struct sl_server *)&s;
	struct sl_server_opts o;
	struct sl_err e;

	(void)state;
	sl_server_opts_init(&o);
	o.max_line = 0;
	assert_int_equal(sl_server_new(&s, &o, &e), -EINVAL);
	assert_null(s);
	assert_int_equal(e.code, -EINVAL);
	assert_non_null(strstr(e.msg, "--max-line"));
}

/* Failing after the loop and the buffers were made: all of it undone. */
static void test_server_port_in_use(void **state)
{
	struct sl_server *s = (struct sl_server *)&s;
	struct sl_server_opts o;
	struct sl_err e;
	uint16_t port;
	int held = tcp_socket(1, &port), before;

	(void)state;
	sl_server_opts_init(&o);
	bind_to(&o, port);
	before = open_fds();
	assert_int_equal(sl_server_new(&s, &o, &e), -EADDRINUSE);
	assert_null(s);
	assert_int_equal(e.code, -EADDRINUSE);
	assert_int_equal(open_fds(), before);
	close(held);
}

static void test_server_new_and_free(void **state)
{
	const struct sl_endpoint *eps;
	struct sl_server *s = NULL;
	struct sl_server_opts o;
	struct sl_err e;
	int before = open_fds();

	(void)state;
	sl_server_opts_init(&o);
	bind_to(&o, 0);
	assert_int_equal(sl_server_new(&s, &o, &e), 0);
	assert_non_null(s);
	assert_int_equal(sl_server_listeners(s, &eps), 1);
	assert_true(sl_addr_port((const struct sockaddr *)&eps[0].ss) > 0);
	sl_server_free(s);
	assert_int_equal(open_fds(), before);
}

struct dial_seen {
	int calls, err, last_next_null;
};

static void on_fail(const struct sl_endpoint *ep, int err,
		    const struct sl_endpoint *next, void *arg)
{
	struct dial_seen *d = arg;

	(void)ep;
	d->calls++;
	d->err = err;
	d->last_next_null = next == NULL;
}

/* Two closed ports: each failure reported as -ECONNREFUSED, as sl_dial
 * itself returns it. */
static void test_dial_reports_negative_errno(void **state)
{
	struct in_addr lo = { htonl(INADDR_LOOPBACK) };
	struct sl_endpoint v[2];
	struct sl_addrlist l = { v, 2 };
	struct dial_seen d = { 0, 0, 0 };
	uint16_t p1, p2;
	int a = tcp_socket(0, &p1), b = tcp_socket(0, &p2);

	(void)state;
	sl_addr_make(&v[0], AF_INET, &lo, p1);
	sl_addr_make(&v[1], AF_INET, &lo, p2);
	assert_int_equal(sl_dial(&l, 1000, on_fail, &d), -ECONNREFUSED);
	assert_int_equal(d.calls, 2);
	assert_int_equal(d.err, -ECONNREFUSED);
	assert_true(d.last_next_null);
	close(a);
	close(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ev_new),
		cmocka_unit_test(test_server_bad_option),
		cmocka_unit_test(test_server_port_in_use),
		cmocka_unit_test(test_server_new_and_free),
		cmocka_unit_test(test_dial_reports_negative_errno),
	};

	return cmocka_run_group_tests_name("serve", tests, NULL, NULL);
}
