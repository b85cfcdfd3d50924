/* diff.c - what changed between two socket snapshots: new sockets, state
 * changes and sockets gone, for sockets --watch */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/diag.h"

/* family, address bytes and port of an endpoint, comparable with memcmp */
struct ep_key {
	uint8_t fam;
	uint8_t addr[16];
	uint8_t port[2];
};

static void ep_key(const struct sl_endpoint *ep, struct ep_key *k)
{
	memset(k, 0, sizeof(*k));
	k->fam = (uint8_t)ep->ss.ss_family;
	if (ep->ss.ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)&ep->ss;

		memcpy(k->addr, &s4->sin_addr, 4);
		memcpy(k->port, &s4->sin_port, 2);
	} else if (ep->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)&ep->ss;

		memcpy(k->addr, &s6->sin6_addr, 16);
		memcpy(k->port, &s6->sin6_port, 2);
	}
}

/* The socket's identity without its inode: protocol, local, remote (a
 * unix socket: its inode). */
static int cmp_tuple(const struct sl_sock *a, const struct sl_sock *b)
{
	struct ep_key ka, kb;
	int c;

	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	/* a unix socket has no address to tell it by, but its inode */
	if (a->local.ss.ss_family == AF_UNIX &&
	    b->local.ss.ss_family == AF_UNIX)
		return a->inode < b->inode ? -1 : a->inode > b->inode;
	ep_key(&a->local, &ka);
	ep_key(&b->local, &kb);
	if ((c = memcmp(&ka, &kb, sizeof(ka))))
		return c;
	ep_key(&a->remote, &ka);
	ep_key(&b->remote, &kb);
	return memcmp(&ka, &kb, sizeof(ka));
}

static int cmp_sock(const void *pa, const void *pb)
{
	const struct sl_sock *a = pa, *b = pb;
	int c = cmp_tuple(a, b);

	if (c)
		return c;
	return a->inode < b->inode ? -1 : a->inode > b->inode;
}

void sl_sock_list_sort(struct sl_sock_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_sock);
}

static void pair(struct sl_sock_pair *p, const struct sl_sock *o,
		 struct sl_sock *c)
{
	p->old = o;
	p->cur = c;
	if (!o)
		p->change = SL_CHG_NEW;
	else if (!c)
		p->change = SL_CHG_GONE;
	else
		p->change = o->state == c->state ? SL_CHG_SAME : SL_CHG_STATE;
	/* the same socket keeps its owner: no /proc walk needed for it */
	if (o && c && !c->pid && o->pid && o->inode == c->inode) {
		c->pid = o->pid;
		memcpy(c->program, o->program, sizeof(c->program));
	}
}

/* Pairs one group of rows sharing a tuple: equal inodes first, then the
 * rest in order (a socket that became TIME_WAIT lost its inode). */
static size_t pair_group(const struct sl_sock *o, size_t no,
			 struct sl_sock *c, size_t nc,
			 struct sl_sock_pair *out, char *used_o, char *used_c)
{
	size_t k = 0, j = 0;

	memset(used_o, 0, no);
	memset(used_c, 0, nc);
	for (size_t i = 0; i < no; i++)
		for (j = 0; j < nc; j++)
			if (!used_c[j] && o[i].inode == c[j].inode) {
				pair(&out[k++], &o[i], &c[j]);
				used_o[i] = used_c[j] = 1;
				break;
			}
	j = 0;
	for (size_t i = 0; i < no; i++) {
		if (used_o[i])
			continue;
		while (j < nc && used_c[j])
			j++;
		pair(&out[k++], &o[i], j < nc ? &c[j] : NULL);
		if (j < nc)
			used_c[j] = 1;
	}
	for (j = 0; j < nc; j++)
		if (!used_c[j])
			pair(&out[k++], NULL, &c[j]);
	return k;
}

int sl_sock_diff(const struct sl_sock_list *old, struct sl_sock_list *cur,
		 struct sl_sock_pair **pairs)
{
	size_t i = 0, j = 0, k = 0, max = old->n + cur->n;
	struct sl_sock_pair *v = malloc((max ? max : 1) * sizeof(*v));
	char *used = malloc(max ? max : 1);
	int rc = -ENOMEM;

	if (!v || !used)
		goto out;
	while (i < old->n || j < cur->n) {
		size_t i2 = i, j2 = j;
		int c;

		if (i == old->n)
			c = 1;
		else if (j == cur->n)
			c = -1;
		else
			c = cmp_tuple(&old->v[i], &cur->v[j]);
		while (c <= 0 && i2 < old->n &&
		       !cmp_tuple(&old->v[i], &old->v[i2]))
			i2++;
		while (c >= 0 && j2 < cur->n &&
		       !cmp_tuple(&cur->v[j], &cur->v[j2]))
			j2++;
		k += pair_group(old->v + i, i2 - i, cur->v + j, j2 - j,
				v + k, used, used + (i2 - i));
		i = i2;
		j = j2;
	}
	*pairs = v;
	v = NULL;
	rc = (int)k;
out:
	free(used);
	free(v);
	return rc;
}
