/* verify-int.h - what the files of lib/verify share */
#ifndef SOCKLAB_VERIFY_INT_H
#define SOCKLAB_VERIFY_INT_H

#include "socklab/verify.h"

#define VFILE_MAX (64u << 20)		/* one file of a bundle */
#define VZIP_MAX (1024u << 20)		/* one ZIP */

/* The files of one folder (of the disk or of a ZIP), before they are
 * sorted into bundles. */
struct vfolder {
	char source[1024];		/* where it is, for the teacher */
	char base[256];			/* its own name: a hand-made bundle's */
	struct sl_vfile *files;
	size_t n, cap;
};

/* load.c */
void vfolder_init(struct vfolder *f, const char *source, const char *base);
void vfolder_release(struct vfolder *f);
/* Takes the bytes (n of them) as a file of the folder; 0 or -ENOMEM. */
int vfolder_add(struct vfolder *f, const char *name, size_t name_len,
		const void *data, size_t n);
/* The same, taking b's buffer over (b is left empty). */
int vfolder_take(struct vfolder *f, const char *name, struct sl_buf *b);

/* group.c: the folder's files into v's bundles (the folder is emptied). */
int vgroup(struct sl_verify *v, struct vfolder *f);

/* A file's SHA-256, computed once. */
const char *vsha(struct sl_vfile *f);
/* A bundle's file by its name, or NULL. */
const struct sl_vfile *vfind(const struct sl_vbundle *b, const char *name);
/* A bundle's file named NAME + suffix ("_report.json"), or NULL. */
const struct sl_vfile *vfind_own(const struct sl_vbundle *b,
				 const char *suffix);
/* Sets a mark (printf words); a worse mark than one already set wins. */
void vmark(struct sl_vbundle *b, int check, enum sl_mark m,
	   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* capture.c: what a bundle's capture holds */
#define VHANDSHAKES 16

struct vhandshake {
	char client[64], server[64];	/* "127.0.0.1:41116" */
	uint16_t cport, sport;
	uint32_t isn_c, isn_s;
	uint32_t frames[3];
	int64_t t_syn;
	int complete;
};

struct vcapture {
	int pcapng;
	char student[256], run_id[64], app[64];	/* its comments */
	uint32_t frames;
	int64_t first_ns, last_ns;
	struct vhandshake hs[VHANDSHAKES];
	size_t nhs;
	int chosen;			/* the handshake checked, -1 none */
	uint32_t name_frames[8];	/* the frames carrying NAME */
	size_t nname_frames;
	int arp;			/* ARP frames seen */
	char err[SL_ERR_MSG];		/* why it could not be read */
};

/* Reads the capture's bytes; name is searched in what clients sent.
 * 0, or a negative code with c->err filled. */
int vcapture_read(struct vcapture *c, const uint8_t *data, size_t n,
		  const char *name);

/* checks.c: one bundle */
void vcheck_bundle(struct sl_vbundle *b);
/* cross.c: what bundles share */
void vcheck_copies(struct sl_verify *v);

#endif
