/* load.c - the bundles a teacher names: a folder (its files, and each
 * folder in it: one per student is the usual hand-in) or a ZIP (each
 * folder in it), read whole into memory, bounded */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "verify-int.h"

#define FOLDER_FILES 256	/* files of one folder */
#define ZIP_FOLDERS 512		/* folders of one ZIP */

void vfolder_init(struct vfolder *f, const char *source, const char *base)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->source, sizeof(f->source), "%s", source);
	snprintf(f->base, sizeof(f->base), "%s", base);
}

void vfolder_release(struct vfolder *f)
{
	for (size_t i = 0; i < f->n; i++)
		sl_buf_release(&f->files[i].data);
	free(f->files);
	f->files = NULL;
	f->n = f->cap = 0;
}

/* Room for one more file: its slot, or NULL. */
static struct sl_vfile *slot(struct vfolder *f)
{
	struct sl_vfile *v;

	if (f->n == FOLDER_FILES)
		return NULL;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;

		if (!(v = realloc(f->files, cap * sizeof(*v))))
			return NULL;
		f->files = v;
		f->cap = cap;
	}
	v = &f->files[f->n];
	memset(v, 0, sizeof(*v));
	return v;
}

int vfolder_add(struct vfolder *f, const char *name, size_t name_len,
		const void *data, size_t n)
{
	struct sl_vfile *v = slot(f);

	if (!v)
		return -E2BIG;
	snprintf(v->name, sizeof(v->name), "%.*s",
		 (int)(name_len < 255 ? name_len : 255), name);
	sl_buf_init(&v->data);
	if (sl_buf_append(&v->data, data ? data : "", n) < 0)
		return -ENOMEM;
	f->n++;
	return 0;
}

int vfolder_take(struct vfolder *f, const char *name, struct sl_buf *b)
{
	struct sl_vfile *v = slot(f);

	if (!v)
		return -E2BIG;
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->data = *b;
	sl_buf_init(b);
	if (!v->data.data && sl_buf_reserve(&v->data, 1) < 0)
		return -ENOMEM;
	f->n++;
	return 0;
}

/* The last part of a path ("evidence/alice" -> "alice"), without ".zip". */
static void base_of(const char *path, size_t n, char *out, size_t outlen)
{
	while (n > 1 && path[n - 1] == '/')
		n--;
	const char *s = memrchr(path, '/', n);
	size_t k;

	s = s ? s + 1 : path;
	k = n - (size_t)(s - path);
	if (k > 4 && !memcmp(s + k - 4, ".zip", 4))
		k -= 4;
	snprintf(out, outlen, "%.*s", (int)k, s);
}

static int read_into(struct vfolder *f, const char *path, const char *name,
		     struct sl_err *e)
{
	struct sl_buf b = SL_BUF_INIT;
	struct stat st;
	int rc;

	/* the whole file in one buffer, not one grown a read at a time */
	if (stat(path, &st) == 0 && st.st_size > 0 && st.st_size <= VFILE_MAX)
		sl_buf_reserve(&b, (size_t)st.st_size + 1);
	rc = sl_read_file(path, VFILE_MAX + 1, &b);

	if (rc == 0 && b.len > VFILE_MAX)
		rc = sl_err_set(e, -EFBIG, "%s is larger than %u MiB: not a bundle's file",
				path, VFILE_MAX >> 20);
	else if (rc < 0)
		sl_err_set(e, rc, "cannot read %s: %s", path, strerror(-rc));
	else if ((rc = vfolder_take(f, name, &b)) < 0)
		sl_err_set(e, rc, "%s: more than %d files in one folder, or out of memory",
			   f->source, FOLDER_FILES);
	sl_buf_release(&b);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of a folder, sorted (the same order on every machine). */
static int list_dir(const char *path, char ***names, size_t *n,
		    struct sl_err *e)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (!d)
		return sl_err_set(e, -errno, "cannot open the folder %s: %s",
				  path, strerror(errno));
	while ((de = readdir(d)) && *n < FOLDER_FILES * 2) {
		if (de->d_name[0] == '.')
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 32) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
		}
		if (!(v[*n] = strdup(de->d_name)))
			break;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), by_name);
	*names = v;
	return 0;
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int add_dir(struct sl_verify *v, const char *path, int depth,
		   struct sl_err *e);

/* One entry of a folder: a file of it, or (one level down) a folder of
 * its own. */
static int add_entry(struct sl_verify *v, struct vfolder *f, const char *dir,
		     const char *name, int depth, struct sl_err *e)
{
	char path[4096];
	struct stat st;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return 0;
	if (stat(path, &st) < 0)
		return 0;
	if (S_ISDIR(st.st_mode))
		return depth == 0 ? add_dir(v, path, 1, e) : 0;
	if (!S_ISREG(st.st_mode))
		return 0;
	return read_into(f, path, name, e);
}

static int add_dir(struct sl_verify *v, const char *path, int depth,
		   struct sl_err *e)
{
	struct vfolder f;
	char base[256], **names = NULL;
	size_t n;
	int rc;

	if ((rc = list_dir(path, &names, &n, e)) < 0)
		return rc;
	base_of(path, strlen(path), base, sizeof(base));
	vfolder_init(&f, path, base);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = add_entry(v, &f, path, names[i], depth, e);
	free_names(names, n);
	if (rc == 0 && f.n && (rc = vgroup(v, &f)) < 0)
		sl_err_set(e, rc, "out of memory");
	vfolder_release(&f);
	return rc;
}

/* ---- ZIP ---- */

struct zipread {
	const char *path;
	struct vfolder f[ZIP_FOLDERS];
	size_t n;
	struct sl_err *e;
};

/* The folder of the ZIP an entry lies in ("alice/" of "alice/x.txt"). */
static struct vfolder *zip_folder(struct zipread *z, const char *dir,
				  size_t dlen)
{
	char src[1024], base[256];

	for (size_t i = 0; i < z->n; i++) {
		const char *s = strchr(z->f[i].source, ':');

		if (s && strlen(s + 1) == dlen && !memcmp(s + 1, dir, dlen))
			return &z->f[i];
	}
	if (z->n == ZIP_FOLDERS)
		return NULL;
	snprintf(src, sizeof(src), "%s:%.*s", z->path, (int)dlen, dir);
	if (dlen)
		base_of(dir, dlen, base, sizeof(base));
	else
		base_of(z->path, strlen(z->path), base, sizeof(base));
	vfolder_init(&z->f[z->n], src, base);
	return &z->f[z->n++];
}

static int zip_entry(const struct sl_zip_entry *ze, void *arg)
{
	struct zipread *z = arg;
	const char *slash = memrchr(ze->name, '/', ze->name_len);
	size_t dlen = slash ? (size_t)(slash - ze->name) + 1 : 0;
	struct vfolder *f;

	if (dlen == ze->name_len || memchr(ze->name, '\0', ze->name_len))
		return 0;		/* a folder's own entry */
	if (ze->method != 0)
		return sl_err_set(z->e, -ENOTSUP,
			"%s: %.*s is compressed (deflate), and socklab reads only stored ZIP entries: unpack the ZIP (unzip %s) and give the folder, or zip with -0",
			z->path, (int)(ze->name_len > 100 ? 100 : ze->name_len),
			ze->name, z->path);
	if (!(f = zip_folder(z, ze->name, dlen)))
		return sl_err_set(z->e, -E2BIG, "%s: more than %d folders",
				  z->path, ZIP_FOLDERS);
	if (vfolder_add(f, ze->name + dlen, ze->name_len - dlen, ze->data,
			ze->size) < 0)
		return sl_err_set(z->e, -E2BIG, "%s: more than %d files in one folder, or out of memory",
				  z->path, FOLDER_FILES);
	return 0;
}

static int add_zip(struct sl_verify *v, const char *path, struct sl_err *e)
{
	struct sl_buf b = SL_BUF_INIT;
	struct zipread *z = calloc(1, sizeof(*z));
	int rc;

	if (!z)
		return sl_err_set(e, -ENOMEM, "out of memory");
	z->path = path;
	z->e = e;
	rc = sl_read_file(path, VZIP_MAX + 1, &b);
	if (rc < 0)
		sl_err_set(e, rc, "cannot read %s: %s", path, strerror(-rc));
	else if (b.len > VZIP_MAX)
		rc = sl_err_set(e, -EFBIG, "%s is larger than %u MiB", path,
				VZIP_MAX >> 20);
	else if ((rc = sl_zip_each((const uint8_t *)b.data, b.len, zip_entry, z,
				   e)) < 0 && !strstr(e->msg, path)) {
		char msg[SL_ERR_MSG];

		snprintf(msg, sizeof(msg), "%s", e->msg);
		sl_err_set(e, rc, "%s: %s", path, msg);
	}
	for (size_t i = 0; i < z->n; i++) {
		if (rc == 0 && z->f[i].n && (rc = vgroup(v, &z->f[i])) < 0)
			sl_err_set(e, rc, "out of memory");
		vfolder_release(&z->f[i]);
	}
	sl_buf_release(&b);
	free(z);
	return rc;
}

int sl_verify_add(struct sl_verify *v, const char *path, struct sl_err *e)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return sl_err_set(e, -errno, "cannot read %s: %s", path,
				  strerror(errno));
	if (S_ISDIR(st.st_mode))
		return add_dir(v, path, 0, e);
	if (S_ISREG(st.st_mode))
		return add_zip(v, path, e);
	return sl_err_set(e, -EINVAL, "%s is neither a folder nor a ZIP file", path);
}
