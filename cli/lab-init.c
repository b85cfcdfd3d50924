/* lab-init.c - socklab lab --init DIR: writes a server and a client that
 * follow the assignment, for the student to run, read and change; never
 * over a file that is already there */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* What to type next, per language. */
static const struct {
	const char *lang;
	const char *next;
} next_steps[] = {
	{ "python", "socklab lab --server 'python3 server.py' --client 'python3 client.py'" },
	{ "c", "make && socklab lab --server ./server --client ./client" },
};

static void path_of(struct sl_buf *b, const char *dir, const char *name)
{
	size_t n = strlen(dir);

	sl_buf_reset(b);
	sl_buf_puts(b, dir);
	if (n && dir[n - 1] != '/')
		sl_buf_putc(b, '/');
	sl_buf_puts(b, name);
}

static void put_shown(struct sl_buf *b, const char *s)
{
	sl_buf_escape(b, s, strlen(s));
}

/* mkdir -p: each missing folder of dir, in turn. */
static int make_dirs(const char *dir)
{
	struct sl_buf b = SL_BUF_INIT;
	int rc = 0;

	sl_buf_puts(&b, dir);
	for (size_t i = 1; i <= b.len && rc == 0; i++) {
		char keep = b.data[i];

		if (keep != '/' && keep != '\0')
			continue;
		b.data[i] = '\0';
		if (mkdir(b.data, 0777) < 0 && errno != EEXIST)
			rc = -errno;
		b.data[i] = keep;
	}
	sl_buf_release(&b);
	return rc;
}

/* The starter files of lang that are in dir already, listed in b as
 * "a, b and c". */
static size_t existing(const char *dir, const char *lang, struct sl_buf *b)
{
	struct sl_buf path = SL_BUF_INIT, last = SL_BUF_INIT;
	size_t n = 0;
	struct stat st;

	for (const struct cli_starter *s = cli_starters; s->lang; s++) {
		if (strcmp(s->lang, lang))
			continue;
		path_of(&path, dir, s->name);
		if (lstat(path.data, &st) < 0)
			continue;
		if (n++) {
			sl_buf_puts(b, n > 2 ? ", " : "");
			sl_buf_append(b, last.data, last.len);
		}
		sl_buf_reset(&last);
		put_shown(&last, path.data);
	}
	if (n)
		sl_buf_printf(b, "%s%s", n > 1 ? " and " : "", last.data);
	sl_buf_release(&path);
	sl_buf_release(&last);
	return n;
}

/* Writes one new file (O_EXCL: never over another); 0 or -errno. */
static int write_new(const char *path, const struct cli_starter *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		      (mode_t)s->mode);
	int rc;

	if (fd < 0)
		return -errno;
	rc = sl_write_all(fd, s->data, s->len);
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc < 0)
		unlink(path);
	return rc;
}

/* Every file of lang, or none: what was written goes when one fails. */
static int write_all(const char *dir, const char *lang, struct sl_buf *done)
{
	struct sl_buf path = SL_BUF_INIT;
	const struct cli_starter *s;
	int rc = 0;

	for (s = cli_starters; s->lang; s++) {
		if (strcmp(s->lang, lang))
			continue;
		path_of(&path, dir, s->name);
		if ((rc = write_new(path.data, s)) < 0)
			break;
		sl_buf_puts(done, done->len ? " " : "");
		put_shown(done, path.data);
	}
	if (rc < 0) {
		cli_error("lab", "cannot write \"%s\": %s; check that the folder is writable",
			  path.data, strerror(-rc));
		for (const struct cli_starter *w = cli_starters; w < s; w++)
			if (!strcmp(w->lang, lang)) {
				path_of(&path, dir, w->name);
				unlink(path.data);
			}
	}
	sl_buf_release(&path);
	return rc;
}

static const char *next_step(const char *lang)
{
	for (size_t i = 0; i < SL_ARRAY_SIZE(next_steps); i++)
		if (!strcmp(next_steps[i].lang, lang))
			return next_steps[i].next;
	return NULL;
}

int cli_lab_init(const struct cli_lab_init *a)
{
	const char *lang = a->lang ? a->lang : "python";
	struct sl_buf b = SL_BUF_INIT;
	size_t n;
	int rc;

	if (!a->dir)
		return cli_usage_error("lab", "--lang goes with --init DIR");
	if (!next_step(lang)) {
		put_shown(&b, lang);
		rc = cli_usage_error("lab", "unknown language \"%s\" for --lang: python or c",
				     b.data);
		sl_buf_release(&b);
		return rc;
	}
	if ((n = existing(a->dir, lang, &b))) {
		cli_error("lab", "%s already there: --init never writes over a file; move %s away or choose another folder",
			  b.data, n > 1 ? "them" : "it");
		sl_buf_release(&b);
		return EXIT_FAIL;
	}
	if ((rc = make_dirs(a->dir)) < 0) {
		put_shown(&b, a->dir);
		cli_error("lab", "cannot create the folder \"%s\": %s", b.data,
			  strerror(-rc));
		sl_buf_release(&b);
		return EXIT_FAIL;
	}
	rc = write_all(a->dir, lang, &b);
	if (rc == 0) {
		printf("wrote %s\n", b.data);
		sl_buf_reset(&b);
		sl_buf_shell_word(&b, a->dir);
		printf("next: cd %s && %s\n", b.data, next_step(lang));
		printf("(README.md there tells more; socklab check -- SERVER probes the server)\n");
	}
	sl_buf_release(&b);
	return rc < 0 ? EXIT_FAIL : EXIT_OK;
}
