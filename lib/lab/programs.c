/* programs.c - the student's programs as the lab sees them: which end of
 * the connection is theirs, what they printed, how they are stopped, and
 * the code they are made of */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include "lab-int.h"

#define CODE_FILE_MAX (1 << 20)	/* a source file larger is not a lab's */
#define CODE_FILES 16

void lab_comm(pid_t pid, char *out, size_t outlen)
{
	char path[64];
	FILE *f;

	out[0] = '\0';
	if (pid <= 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if (!(f = fopen(path, "re")))
		return;
	if (fgets(out, (int)outlen, f))
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

static int has_inode(const uint64_t *v, size_t n, uint64_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* The client process that holds inode, and its program name. */
static pid_t holder_of(const pid_t *tree, size_t nt, uint64_t inode)
{
	uint64_t in[LAB_INODES_MAX];

	for (size_t t = 0; t < nt; t++) {
		size_t ni = sl_proc_socket_inodes(&tree[t], 1, in, LAB_INODES_MAX);

		if (has_inode(in, ni, inode))
			return tree[t];
	}
	return 0;
}

static const struct sl_sock *server_end(const struct sl_sock_list *l,
					const struct sl_sock *c)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].state == SL_TCP_ESTABLISHED &&
		    !memcmp(&l->v[i].remote.ss, &c->local.ss,
			    sizeof(c->local.ss)))
			return &l->v[i];
	return NULL;
}

int established_pair(struct run *r)
{
	struct sl_lab *lab = r->lab;
	const struct sl_sock_list *l = &r->smp.now;
	pid_t tree[LAB_TREE_MAX];
	uint64_t in[LAB_INODES_MAX];
	size_t nt = sl_proc_tree(r->cli.pid, tree, LAB_TREE_MAX);
	size_t ni = sl_proc_socket_inodes(tree, nt, in, LAB_INODES_MAX);

	for (size_t i = 0; i < l->n; i++) {
		const struct sl_sock *c = &l->v[i];

		/* the client's end: one its processes hold, or (--watch, the
		 * programs not ours) any that reaches the port */
		if (c->state != SL_TCP_ESTABLISHED || !c->inode ||
		    (r->cli.pid && !has_inode(in, ni, c->inode)) ||
		    sl_addr_port((const struct sockaddr *)&c->remote.ss) != lab->port ||
		    !server_end(l, c))
			continue;
		sl_sock_addr_format(&c->local, lab->client_addr,
				    sizeof(lab->client_addr));
		sl_sock_addr_format(&server_end(l, c)->local, lab->server_addr,
				    sizeof(lab->server_addr));
		lab->client_pid = r->cli.pid ? holder_of(tree, nt, c->inode) :
					       c->pid;
		if (c->pid)
			snprintf(lab->client_program, sizeof(lab->client_program),
				 "%s", c->program);
		else
			lab_comm(lab->client_pid, lab->client_program,
				 sizeof(lab->client_program));
		/* 2: the server has accepted it (its end has an owner) */
		return server_end(l, c)->inode ? 2 : 1;
	}
	return 0;
}

void lab_program_waits(pid_t root, char *out, size_t n)
{
	pid_t tree[LAB_TREE_MAX];
	size_t nt = sl_proc_tree(root, tree, LAB_TREE_MAX);
	pid_t leaf = nt ? tree[nt - 1] : root;
	char comm[64], blocked[200];

	lab_comm(leaf, comm, sizeof(comm));
	lab_blocked_in(leaf, blocked, sizeof(blocked));
	snprintf(out, n, "%s (pid %d): %s", comm[0] ? comm : "its process",
		 (int)leaf, blocked);
}

int lab_any_address(const struct sl_sock *s)
{
	const struct sockaddr *sa = (const struct sockaddr *)&s->local.ss;

	if (sa->sa_family == AF_INET)
		return ((const struct sockaddr_in *)sa)->sin_addr.s_addr == 0;
	return !memcmp(&((const struct sockaddr_in6 *)sa)->sin6_addr,
		       &in6addr_any, 16);
}

/* What the assignment asks of the port and the address, said. */
void lab_judge_listener(struct sl_lab *lab, const struct sl_sock *s)
{
	char where[SL_ADDRSTRLEN];
	int first = sl_unprivileged_port_start();

	sl_sock_addr_format(&s->local, where, sizeof(where));
	if (lab->port < first)
		sl_lab_note(lab, SL_NOTE_WARN,
			"port %u is a privileged port (below %d on this system): the server needed root for it, and the assignment asks for a port above 59000 (e.g. 59123)",
			lab->port, first);
	else if (lab->port <= 59000)
		sl_lab_note(lab, SL_NOTE_WARN,
			"port %u is at or below 59000: the assignment asks for a port above 59000 (e.g. 59123)",
			lab->port);
	if (lab_any_address(s))
		sl_lab_note(lab, SL_NOTE_WARN,
			"the server listens on %s, every address of this machine: other computers on its networks can connect to it too; bind to 127.0.0.1 (or ::1) for the lab",
			where);
}

/* The handshake to the server's port on the time line, when the socket
 * table never showed it: "frames 1, 2 and 3". */
int lab_handshake(const struct sl_lab *lab, uint32_t f[3])
{
	int have = 0;

	for (size_t i = 0; i < lab->tl.n && have < 3; i++) {
		const struct sl_tl_event *ev = &lab->tl.v[i];
		unsigned want = have == 0 ? 0x02 : have == 1 ? 0x12 : 0x10;

		if (ev->kind == SL_TL_PACKET && (ev->flags & 0x17) == want &&
		    ev->from_client == (have != 1))
			f[have++] = ev->frame;
	}
	return have == 3;
}


/* The handshake was seen, and the connection is over (both FINs, or a
 * reset): a client the table may have missed is gone. */
int lab_handshake_closed(const struct sl_lab *lab)
{
	uint32_t hs[3];
	int fins = 0;

	if (!lab_handshake(lab, hs))
		return 0;
	for (size_t i = 0; i < lab->tl.n; i++) {
		const struct sl_tl_event *ev = &lab->tl.v[i];

		if (ev->kind == SL_TL_PACKET && (ev->flags & 0x04))
			return 1;
		fins += ev->kind == SL_TL_PACKET && (ev->flags & 0x01);
	}
	return fins >= 2;
}

int lab_name_sent(struct run *r)
{
	uint32_t f[SL_NAME_FRAMES];
	size_t n;
	const char *name = r->lab->o.name;

	return lab_streams_find(&r->cap.sent, name, strlen(name), f, &n,
				SL_NAME_FRAMES) != NULL;
}

int established_in_packets(struct run *r, const uint32_t hs[3])
{
	struct sl_lab *lab = r->lab;

	sockets_table_text(r, &lab->steps[SL_STEP_ESTABLISHED].text);
	step_show(lab, SL_STEP_ESTABLISHED, 0);
	sl_lab_note(lab, SL_NOTE_INFO,
		"ESTABLISHED was seen only in packets: the client connected and closed between two looks at the socket table; frames %u, %u and %u are the handshake that made both ends ESTABLISHED",
		hs[0], hs[1], hs[2]);
	return step_end(lab, SL_STEP_ESTABLISHED, SL_STEP_OK,
		"seen only in packets: the handshake (frames %u, %u, %u) made both ends ESTABLISHED, but the socket table was never read while they were",
		hs[0], hs[1], hs[2]);
}

int lab_no_wait(struct run *r)
{
	(void)r;
	return 0;
}

void lab_stop_programs(struct run *r)
{
	child_stop(&r->cli, 500);
	child_stop(&r->srv, 500);
}

/* Each line of b escaped, under a heading; nothing when b is empty. */
static void put_stream(struct sl_buf *out, const char *heading,
		       const struct sl_buf *b)
{
	size_t i = 0;

	if (!b->len)
		return;
	sl_buf_printf(out, "%s\n", heading);
	while (i < b->len) {
		const char *nl = memchr(b->data + i, '\n', b->len - i);
		size_t n = nl ? (size_t)(nl - (b->data + i)) : b->len - i;

		sl_buf_puts(out, "  ");
		sl_buf_escape_text(out, b->data + i, n);
		sl_buf_puts(out, nl ? "\n" : "  (no newline at the end)\n");
		i += n + 1;
	}
}

static void put_program(struct sl_buf *out, const char *who, const char *cmd,
			const struct child *c)
{
	char head[96];

	sl_buf_printf(out, "%s$ %s\n", who, cmd);
	snprintf(head, sizeof(head), "  its standard output:");
	put_stream(out, head, &c->out);
	snprintf(head, sizeof(head), "  its standard error:");
	put_stream(out, head, &c->err);
	if (!c->out.len && !c->err.len)
		sl_buf_puts(out, "  (it printed nothing)\n");
	if (!c->running && c->pid)
		sl_buf_printf(out, "  (%s)\n", lab_exit_words(c->status));
}

void lab_collect_outputs(struct run *r)
{
	struct sl_lab *lab = r->lab;

	sl_buf_reset(&lab->outputs);
	if (r->cli.pid)
		put_program(&lab->outputs, "client", lab->o.client_cmd, &r->cli);
	if (r->srv.pid)
		put_program(&lab->outputs, "server", lab->o.server_cmd, &r->srv);
}

/* ---- NAME_code.txt ---- */

/* The words of a command that name files ("python3 server.py 59123"
 * names server.py); quotes are honoured, nothing is expanded. */
static size_t command_files(const char *cmd, const char *cwd,
			    char words[][512], size_t max)
{
	size_t n = 0;

	while (*cmd && n < max) {
		char *w = words[n];
		size_t k = 0;
		char q = 0;
		struct stat st;

		while (*cmd == ' ' || *cmd == '\t')
			cmd++;
		for (; *cmd && (q || (*cmd != ' ' && *cmd != '\t')); cmd++) {
			if (!q && (*cmd == '\'' || *cmd == '"'))
				q = *cmd;
			else if (q && *cmd == q)
				q = 0;
			else if (k < 511)
				w[k++] = *cmd;
		}
		w[k] = '\0';
		/* --watch: a relative name is the program's, in its folder */
		if (k && w[0] != '/' && cwd && cwd[0]) {
			char rel[256];

			snprintf(rel, sizeof(rel), "%.255s", w);
			snprintf(w, 512, "%.250s/%s", cwd, rel);
		}
		if (k && stat(w, &st) == 0 && S_ISREG(st.st_mode))
			n++;
	}
	return n;
}

/* A file that is source text: no NUL byte, as compilers' input. */
static int is_text(const char *p, size_t n)
{
	return memchr(p, '\0', n) == NULL;
}

/* The source beside a compiled program ("./server" -> server.c). */
static int source_of(const char *bin, char *out, size_t n)
{
	static const char *const ext[] = { ".c", ".cc", ".cpp", ".rs", ".go",
					   ".java" };
	struct stat st;

	for (size_t i = 0; i < SL_ARRAY_SIZE(ext); i++) {
		snprintf(out, n, "%s%s", bin, ext[i]);
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode))
			return 1;
	}
	return 0;
}

static int read_whole(const char *path, struct sl_buf *b, struct sl_err *e)
{
	FILE *f = fopen(path, "rb");
	char tmp[8192];
	size_t k;

	if (!f)
		return sl_err_set(e, -errno, "cannot read \"%s\" for NAME_code.txt: %s; check the --code paths",
				  path, strerror(errno));
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0 && b->len < CODE_FILE_MAX)
		sl_buf_append(b, tmp, k);
	fclose(f);
	return 0;
}

static void put_numbered(struct sl_buf *out, const struct sl_buf *b)
{
	size_t i = 0, line = 1;

	while (i < b->len) {
		const char *nl = memchr(b->data + i, '\n', b->len - i);
		size_t n = nl ? (size_t)(nl - (b->data + i)) : b->len - i;

		sl_buf_printf(out, "%5zu  ", line++);
		sl_buf_escape_text(out, b->data + i, n);
		sl_buf_putc(out, '\n');
		i += n + 1;
	}
}

static size_t count_lines(const struct sl_buf *b)
{
	size_t n = 0;

	for (size_t i = 0; i < b->len; i++)
		n += b->data[i] == '\n';
	return n + (b->len && b->data[b->len - 1] != '\n');
}

static int add_file(struct sl_lab *lab, const char *path, const char *why,
		    struct sl_err *e)
{
	struct sl_buf b = SL_BUF_INIT;
	char hash[SL_SHA256_HEX], src[560];
	int rc = read_whole(path, &b, e);

	if (rc < 0)
		goto out;
	if (!is_text(b.data ? b.data : "", b.len)) {
		if (source_of(path, src, sizeof(src))) {
			rc = add_file(lab, src, path, e);
			goto out;
		}
		sl_buf_printf(&lab->code, "==> %s: a compiled program, and no source beside it (give it with --code FILE)\n\n",
			      path);
		goto out;
	}
	sl_sha256_of(b.data, b.len, hash);
	sl_buf_printf(&lab->code, "==> %s  (SHA-256 %s, %zu lines%s%s)\n", path,
		      hash, count_lines(&b), why ? ", the source of " : "",
		      why ? why : "");
	put_numbered(&lab->code, &b);
	sl_buf_putc(&lab->code, '\n');
out:
	sl_buf_release(&b);
	return rc;
}

int lab_collect_code(struct sl_lab *lab, struct sl_err *e)
{
	char words[CODE_FILES][512];
	const char *cmds[2] = { lab->server_cmdline, lab->client_cmdline };
	const char *cwds[2] = { lab->server_cwd, lab->client_cwd };
	int rc = 0;

	sl_buf_reset(&lab->code);
	for (size_t i = 0; i < lab->o.ncode_files && rc == 0; i++)
		rc = add_file(lab, lab->o.code_files[i], NULL, e);
	if (lab->o.ncode_files)
		return rc;
	for (int c = 0; c < 2 && rc == 0; c++) {
		size_t n = command_files(cmds[c], cwds[c], words, CODE_FILES);

		for (size_t i = 0; i < n && rc == 0; i++)
			rc = add_file(lab, words[i], NULL, e);
	}
	if (rc == 0 && !lab->code.len)
		sl_buf_puts(&lab->code, "(no file of the programs was found in their command lines: give them with --code FILE...)\n");
	return rc;
}
