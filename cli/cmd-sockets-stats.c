/* cmd-sockets-stats.c - socklab sockets --stats [S] and -s: the kernel's
 * TCP and UDP counters with the change since the last look, as nstat
 * keeps them (a history file per user), each said in words; and the
 * socket totals ss -s prints, with what each means */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd-sockets.h"

/* A history larger than this is not one socklab wrote. */
#define HISTORY_MAX (1 << 20)

struct stats {
	const struct sockets_cli *c;
	struct sl_counters now, before;
	int64_t since_ms;		/* since the counters in before; -1: boot */
	char header[160];		/* this namespace's history line */
	char path[512];
	struct sl_buf out;
};

static uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Where the history lives: $SOCKLAB_STATS_HISTORY, else the runtime
 * folder, else /tmp (as nstat's /tmp/.nstat.uUID). */
static void history_path(struct stats *st)
{
	const char *p = getenv("SOCKLAB_STATS_HISTORY");
	const char *run = getenv("XDG_RUNTIME_DIR");
	int n;

	if (p && *p)
		n = snprintf(st->path, sizeof(st->path), "%s", p);
	else if (run && *run)
		n = snprintf(st->path, sizeof(st->path), "%s/socklab-stats", run);
	else
		n = snprintf(st->path, sizeof(st->path), "/tmp/.socklab-stats.u%u",
			     (unsigned)geteuid());
	if (n < 0 || (size_t)n >= sizeof(st->path))
		st->path[0] = '\0';
}

/* "#socklab-stats netns:4026531840 boot:UUID ms:": counters of another
 * namespace or boot are no base for a change. */
static void history_header(struct stats *st)
{
	char boot[64] = "";
	struct stat ns;
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, boot, sizeof(boot) - 1) : -1;

	if (fd >= 0)
		close(fd);
	boot[n > 0 ? strcspn(boot, "\n") : 0] = '\0';
	if (stat("/proc/self/ns/net", &ns) < 0)
		ns.st_ino = 0;
	snprintf(st->header, sizeof(st->header),
		 "#socklab-stats netns:%llu boot:%.40s ms:",
		 (unsigned long long)ns.st_ino, boot);
}

/* The user's own regular file, read whole; 0 or -1. */
static int read_own(const char *path, struct sl_buf *b)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat sb;
	ssize_t n;
	int rc = -1;

	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_uid == geteuid() && sb.st_size < HISTORY_MAX &&
	    sl_buf_reserve(b, (size_t)sb.st_size + 1) == 0) {
		n = read(fd, b->data, (size_t)sb.st_size);
		if (n == sb.st_size) {
			b->len = (size_t)n;
			b->data[n] = '\0';
			rc = 0;
		}
	}
	close(fd);
	return rc;
}

/* The last sample of this namespace and boot, if the history has one. */
static void history_read(struct stats *st)
{
	struct sl_buf b = SL_BUF_INIT;
	size_t hn = strlen(st->header);
	unsigned long ms;
	char num[24];
	size_t k;

	st->since_ms = -1;
	if (!st->path[0] || read_own(st->path, &b) < 0 || b.len <= hn ||
	    memcmp(b.data, st->header, hn))
		goto out;
	k = strspn(b.data + hn, "0123456789");
	if (!k || k >= sizeof(num) || b.data[hn + k] != '\n')
		goto out;
	memcpy(num, b.data + hn, k);
	num[k] = '\0';
	if (sl_parse_uint(num, 0, ULONG_MAX, &ms) < 0 || ms > wall_ms())
		goto out;
	if (sl_counters_parse(b.data, b.len, &st->before) > 0)
		st->since_ms = (int64_t)(wall_ms() - ms);
out:
	sl_buf_release(&b);
}

/* The counters now, for the next --stats; a failure costs only that. */
static void history_write(struct stats *st)
{
	struct sl_buf b = SL_BUF_INIT;
	struct sl_err e;
	int rc;

	if (!st->path[0])
		return;
	rc = sl_buf_printf(&b, "%s%" PRIu64 "\n", st->header, wall_ms());
	for (size_t i = 0; i < st->now.n && rc == 0; i++)
		rc = sl_buf_printf(&b, "%s %" PRIu64 "\n", st->now.v[i].name,
				   st->now.v[i].value);
	if (rc == 0 && sl_write_file(st->path, b.data, b.len, &e) < 0)
		cli_error(CMD, "%s; the next --stats counts from boot", e.msg);
	sl_buf_release(&b);
}

/* ---- the table ---- */

static const char *words_of(const char *name)
{
	size_t n;
	const struct sl_counter_doc *d = sl_counter_docs(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(d[i].name, name))
			return d[i].words;
	return "";
}

static int is_gauge(const char *name)
{
	size_t n;
	const struct sl_counter_doc *d = sl_counter_docs(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(d[i].name, name))
			return d[i].gauge;
	return 0;
}

/* One counter: text row or JSON object.  since < 0: the change is the
 * count since boot (none for a level). */
static int put_counter(struct stats *st, const struct sl_counter *k,
		       int64_t change, int known, const char *when)
{
	struct sl_buf *b = &st->out;
	char name[SL_COUNTER_NAME * SL_ESCAPE_MAX], ch[24] = "-";
	const char *w = words_of(k->name);

	sl_escape(name, sizeof(name), k->name, strlen(k->name));
	if (known)
		snprintf(ch, sizeof(ch), "%+" PRId64, change);
	if (st->c->json) {
		int rc = sl_buf_printf(b, "{\"time\":\"%s\",\"counter\":", when);

		if (rc == 0)
			rc = sl_buf_json_str(b, k->name, strlen(k->name));
		if (rc == 0)
			rc = sl_buf_printf(b, ",\"value\":%" PRIu64 ",\"change\":%s,",
					   k->value, known ? ch + (ch[0] == '+') : "null");
		if (rc == 0)
			rc = st->since_ms < 0
				? sl_buf_puts(b, "\"since_ms\":null")
				: sl_buf_printf(b, "\"since_ms\":%" PRId64, st->since_ms);
		if (rc == 0)
			rc = sl_buf_puts(b, ",\"meaning\":");
		if (rc == 0)
			rc = sl_buf_json_str(b, w, strlen(w));
		return rc ? rc : sl_buf_puts(b, "}\n");
	}
	if (when[0])
		return sl_buf_printf(b, "%s  %-28s %14" PRIu64 " %10s  %s\n",
				     when, name, k->value, ch, w);
	return sl_buf_printf(b, "%-28s %14" PRIu64 " %10s  %s\n", name,
			     k->value, ch, w);
}

/* The change of k since before: *known 0 for a level with no base. */
static int64_t change_of(const struct stats *st, const struct sl_counter *k,
			 int *known)
{
	const struct sl_counter *o = sl_counters_find(&st->before, k->name);

	*known = 1;
	if (o)
		return (int64_t)(k->value - o->value);
	if (st->since_ms >= 0)
		return (int64_t)k->value;	/* new since: all of it */
	*known = !is_gauge(k->name);
	return (int64_t)k->value;
}

/* Every counter shown (changed: only those that moved). */
static int put_counters(struct stats *st, const char *when, int changed)
{
	size_t n;
	const struct sl_counter_doc *d = sl_counter_docs(&n);
	int rc = 0, known;

	if (st->c->all) {
		for (size_t i = 0; i < st->now.n && rc == 0; i++) {
			int64_t ch = change_of(st, &st->now.v[i], &known);

			if (!changed || ch)
				rc = put_counter(st, &st->now.v[i], ch, known, when);
		}
		return rc;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct sl_counter *k = sl_counters_find(&st->now, d[i].name);
		int64_t ch;

		if (!k)
			continue;	/* an older kernel without it */
		ch = change_of(st, k, &known);
		if (!changed || ch)
			rc = put_counter(st, k, ch, known, when);
	}
	return rc;
}

static int put_heading(struct stats *st)
{
	int rc;

	if (st->c->json)
		return 0;
	if (st->since_ms < 0)
		rc = sl_buf_puts(&st->out, "The kernel's TCP and UDP counters in this network namespace; Change is since boot (no earlier --stats here).\n");
	else
		rc = sl_buf_printf(&st->out, "The kernel's TCP and UDP counters in this network namespace; Change is since the last --stats, %.1f s ago.\n",
				   (double)st->since_ms / 1000.0);
	return rc ? rc : sl_buf_printf(&st->out, "%-28s %14s %10s  %s\n", "Counter",
				       "Value", "Change", "Meaning");
}

static int flush(struct stats *st)
{
	int rc = sl_write_all(STDOUT_FILENO, st->out.data, st->out.len);

	sl_buf_reset(&st->out);
	return rc;
}

/* Every S seconds: what moved, until a signal. */
static int stats_loop(struct stats *st)
{
	struct pollfd p = { .fd = cli_stop_fd(), .events = POLLIN };
	int ms = (int)(st->c->interval * 1000.0 + 0.5), rc = 0;
	struct sl_err e;
	char when[48];

	while (rc == 0) {
		int w = poll(&p, 1, ms);

		if (w != 0 && (w > 0 || errno != EINTR))
			break;
		sl_counters_release(&st->before);
		st->before = st->now;
		sl_counters_init(&st->now);
		st->since_ms = ms;
		if (sl_counters_read(&st->now, &e) < 0) {
			rc = cli_fail(CMD, &e);
			break;
		}
		sockets_stamp(when, sizeof(when), st->c->json);
		rc = put_counters(st, when, 1);
		if (rc == 0)
			rc = flush(st);
		history_write(st);
	}
	if (p.fd >= 0)
		close(p.fd);
	return rc;
}

int sockets_stats(const struct sockets_cli *c)
{
	struct stats st = { .c = c, .out = SL_BUF_INIT };
	struct sl_err e;
	char when[48] = "";
	int rc;

	sl_counters_init(&st.now);
	sl_counters_init(&st.before);
	history_path(&st);
	history_header(&st);
	if (sl_counters_read(&st.now, &e) < 0) {
		rc = cli_fail(CMD, &e);
		goto out;
	}
	history_read(&st);
	if (c->json)
		sockets_stamp(when, sizeof(when), 1);
	rc = put_heading(&st);
	if (rc == 0)
		rc = put_counters(&st, when, 0);
	if (rc == 0)
		rc = flush(&st);
	history_write(&st);
	if (rc == 0 && c->interval > 0)
		rc = stats_loop(&st);
	if (rc == -EPIPE) {
		rc = 0;
	} else if (rc < 0) {
		cli_error(CMD, "cannot write the counters: %s", strerror(-rc));
		rc = EXIT_FAIL;
	}
out:
	sl_buf_release(&st.out);
	sl_counters_release(&st.now);
	sl_counters_release(&st.before);
	return rc;
}

/* ---- -s: the totals of ss -s ---- */

static int summary_json(struct sl_buf *b, const struct sl_sockstat *s)
{
	return sl_buf_printf(b,
		"{\"total\":%u,\"tcp\":{\"total\":%u,\"estab\":%u,\"closed\":%d,"
		"\"orphaned\":%u,\"timewait\":%u},\"transport\":{"
		"\"raw\":{\"total\":%u,\"ip\":%u,\"ipv6\":%u},"
		"\"udp\":{\"total\":%u,\"ip\":%u,\"ipv6\":%u},"
		"\"tcp\":{\"total\":%u,\"ip\":%u,\"ipv6\":%u},"
		"\"inet\":{\"total\":%u,\"ip\":%u,\"ipv6\":%u},"
		"\"frag\":{\"total\":%u,\"ip\":%u,\"ipv6\":%u}}}\n",
		s->sockets, s->tcp_alloc + s->tcp_tw, s->tcp_estab,
		(int)(s->tcp_alloc - (s->tcp_inuse + s->tcp6_inuse - s->tcp_tw)),
		s->tcp_orphan, s->tcp_tw,
		s->raw_inuse + s->raw6_inuse, s->raw_inuse, s->raw6_inuse,
		s->udp_inuse + s->udp6_inuse, s->udp_inuse, s->udp6_inuse,
		s->tcp_inuse + s->tcp6_inuse, s->tcp_inuse, s->tcp6_inuse,
		s->raw_inuse + s->udp_inuse + s->tcp_inuse + s->raw6_inuse +
		s->udp6_inuse + s->tcp6_inuse,
		s->raw_inuse + s->udp_inuse + s->tcp_inuse,
		s->raw6_inuse + s->udp6_inuse + s->tcp6_inuse,
		s->frag_inuse + s->frag6_inuse, s->frag_inuse, s->frag6_inuse);
}

/* "RAW\t  0         0         0        " as ss prints it */
static int summary_row(struct sl_buf *b, const char *name, uint32_t v4,
		       uint32_t v6)
{
	return sl_buf_printf(b, "%s\t  %-9u %-9u %-9u\n", name, v4 + v6, v4, v6);
}

static int summary_text(struct sl_buf *b, const struct sl_sockstat *s)
{
	uint32_t in4 = s->raw_inuse + s->udp_inuse + s->tcp_inuse;
	uint32_t in6 = s->raw6_inuse + s->udp6_inuse + s->tcp6_inuse;
	int rc = sl_buf_printf(b, "Total: %u\nTCP:   %u (estab %u, closed %d, orphaned %u, timewait %u)\n\n"
			       "Transport Total     IP        IPv6\n",
			       s->sockets, s->tcp_alloc + s->tcp_tw, s->tcp_estab,
			       (int)(s->tcp_alloc - (s->tcp_inuse + s->tcp6_inuse - s->tcp_tw)),
			       s->tcp_orphan, s->tcp_tw);

	if (rc == 0)
		rc = summary_row(b, "RAW", s->raw_inuse, s->raw6_inuse);
	if (rc == 0)
		rc = summary_row(b, "UDP", s->udp_inuse, s->udp6_inuse);
	if (rc == 0)
		rc = summary_row(b, "TCP", s->tcp_inuse, s->tcp6_inuse);
	if (rc == 0)
		rc = summary_row(b, "INET", in4, in6);
	if (rc == 0)
		rc = summary_row(b, "FRAG", s->frag_inuse, s->frag6_inuse);
	if (rc == 0)
		rc = sl_buf_puts(b, "\n"
			"Total: every socket of this network namespace (TCP, UDP, unix, netlink ...).\n"
			"estab: TCP connections ESTABLISHED or CLOSE_WAIT now.\n"
			"closed: TCP sockets in no table: made and not yet bound or connected, or\n"
			"  ended and still open in their program; computed as ss does, from the\n"
			"  kernel's allocated sockets minus those it lists, so TIME_WAIT sockets,\n"
			"  which the kernel counts apart, land here too.\n"
			"orphaned: closed by their program, still finishing in the kernel (FIN_WAIT1,\n"
			"  LAST_ACK, CLOSING ...).\n"
			"timewait: connections waiting out TIME_WAIT; their programs are done with them.\n"
			"The transport rows count sockets in the kernel's tables (TCP: listening or\n"
			"connected) per family; FRAG counts IP datagrams waiting for their fragments.\n"
			"TCP's first number, closed and orphaned come from counts the kernel keeps for\n"
			"the whole machine; the other numbers are this network namespace's.\n");
	return rc;
}

int sockets_summary(const struct sockets_cli *c)
{
	struct sl_sockstat s;
	struct sl_buf b = SL_BUF_INIT;
	struct sl_err e;
	int rc;

	if (sl_sockstat_read(&s, &e) < 0)
		return cli_fail(CMD, &e);
	rc = c->json ? summary_json(&b, &s) : summary_text(&b, &s);
	if (rc == 0)
		rc = sl_write_all(STDOUT_FILENO, b.data, b.len);
	sl_buf_release(&b);
	if (rc < 0 && rc != -EPIPE) {
		cli_error(CMD, "cannot write the summary: %s", strerror(-rc));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
