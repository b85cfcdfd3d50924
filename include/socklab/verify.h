/*
 * verify.h - a teacher's check of handed-in evidence bundles (`socklab lab
 * --verify`): each bundle's files, its capture (a full handshake to a
 * port above 59000, a payload carrying the student's name, the comments
 * socklab wrote), the socket snapshots against the capture, the hashes
 * report.json and the _sha256sums.txt list hold, the images against
 * their text, the code; then what bundles share that they should not
 * (a capture, an initial sequence number, an ephemeral port, the code).
 * Bundles made by hand (a Wireshark capture and screenshots) get the
 * checks their capture allows; the rest is said to be not checkable.
 *
 * What a pass means, and never more: nothing was changed by accident or
 * taken from another bundle.  Anyone with socklab can make a bundle that
 * passes for any name.
 *
 * Contract: lib/verify reads files and ZIPs (stored entries; a deflated
 * entry is refused with the words to unpack it first) and never writes;
 * functions return 0 or a negative code with e filled.
 */
#ifndef SOCKLAB_VERIFY_H
#define SOCKLAB_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "socklab/util.h"

/* How a check came out, from good to bad (the verdict is the worst). */
enum sl_mark { SL_MARK_OK, SL_MARK_NA, SL_MARK_NOTE, SL_MARK_FAIL };

enum sl_vcheck {
	SL_VC_FILES,		/* every file there, named for the student */
	SL_VC_CAPTURE,		/* the capture parses, whose it says it is */
	SL_VC_HANDSHAKE,	/* SYN, SYN-ACK, ACK to a port above 59000 */
	SL_VC_NAME,		/* a payload from the client carries NAME */
	SL_VC_SOCKETS,		/* the snapshots agree with the capture */
	SL_VC_HASHES,		/* every file is what report.json says */
	SL_VC_IMAGES,		/* each image shows its text */
	SL_VC_CODE,		/* the student's code is there */
	SL_VC_COPIES,		/* nothing shared with another bundle */
	SL_VC_COUNT
};

#define SL_VWHY 600

struct sl_vmark {
	enum sl_mark mark;
	char why[SL_VWHY];	/* the reason, in words (UTF-8, unescaped) */
};

struct sl_vfile {
	char name[256];		/* its name in the folder */
	struct sl_buf data;
	char sha256[SL_SHA256_HEX];	/* once asked for, else "" */
};

#define SL_VFILES 64		/* files of one bundle */

struct sl_vbundle {
	char student[256];	/* NAME from report.json, else the folder's */
	char source[1024];	/* the folder or ZIP (and folder in it) */
	int handmade;		/* no report.json */
	struct sl_vfile *files;
	size_t nfiles;
	char stray[400];	/* files beside it named for nobody */
	struct sl_vmark marks[SL_VC_COUNT];
	enum sl_mark verdict;
	/* what is compared across bundles (empty or 0: unknown) */
	char pcap_sha[SL_SHA256_HEX], code_sha[SL_SHA256_HEX];
	char run_id[33];
	int have_handshake, own_code;
	uint32_t isn_client, isn_server;
	uint16_t client_port, server_port;
};

struct sl_verify {
	struct sl_vbundle *v;
	size_t n, cap;
};

void sl_verify_init(struct sl_verify *v);
void sl_verify_release(struct sl_verify *v);
/* Adds the bundles of a folder (its files, and each folder in it) or of
 * a ZIP (each folder in it); 0, or a negative code with e filled (no such
 * path, not a ZIP, a deflated entry, too large). */
int sl_verify_add(struct sl_verify *v, const char *path, struct sl_err *e);
/* Checks every bundle, then what they share. */
void sl_verify_run(struct sl_verify *v);
/* The worst verdict of all bundles. */
enum sl_mark sl_verify_worst(const struct sl_verify *v);

/* "ok", "n/a", "note", "FAIL"; and the check's short name ("files"). */
const char *sl_mark_name(enum sl_mark m);
const char *sl_vcheck_name(int check);

/* output.c: a table (a row per student, a column per check), then the
 * reason of every mark that is not ok; or CSV (RFC 4180), a row per
 * student with each check's mark and reason.  Names are escaped for a
 * terminal in the table, quoted (and kept from starting a spreadsheet
 * formula) in CSV.  0 or -ENOMEM. */
int sl_verify_table(struct sl_buf *out, const struct sl_verify *v);
int sl_verify_csv(struct sl_buf *out, const struct sl_verify *v);

/* ---- pure parts (unit tests and fuzzers drive them) ---- */

/* zip.c: a ZIP's entries, from its central directory.  data points into
 * the archive for a stored entry (checked against its CRC-32); NULL for a
 * compressed one (method says which). */
struct sl_zip_entry {
	const char *name;	/* not NUL-terminated: name_len bytes */
	size_t name_len;
	unsigned method;	/* 0 stored, 8 deflated … */
	uint32_t crc;
	const uint8_t *data;
	size_t size;		/* uncompressed */
};
typedef int (*sl_zip_fn)(const struct sl_zip_entry *z, void *arg);
/* Hands fn every entry (0 goes on, anything else stops and is returned);
 * 0, or -EINVAL (no ZIP), -EBADMSG (damaged: an entry past the end, a CRC
 * that does not match) or -ENOTSUP (ZIP64, encryption) with e filled. */
int sl_zip_each(const uint8_t *zip, size_t n, sl_zip_fn fn, void *arg,
		struct sl_err *e);
uint32_t sl_crc32(const void *p, size_t n);

/* sockets.c: the rows of a socket table as socklab, netstat or ss print
 * it, read back from a bundle's text: protocol, both ends, state. */
struct sl_vrow {
	char local[64], remote[64];
	char state[16];
	uint16_t lport, rport;	/* 0: "*" */
};
#define SL_VROWS 64
/* Rows found in text (at most max); how many. */
size_t sl_verify_rows(const char *text, size_t n, struct sl_vrow *rows,
		      size_t max);

/* reportjson.c: what a bundle's report.json says. */
#define SL_VSTEPS 8
struct sl_vreport {
	char student[256];
	char run_id[33];
	int64_t started_ns;
	uint16_t port;
	char filter[64];	/* display_filter */
	char scenario[32];	/* a scenario's bundle, else "" */
	int captured;		/* pcap.captured */
	int programs;		/* the student's programs (else socklab's) */
	uint32_t name_frames[8];
	size_t nname_frames;
	struct {
		char name[256];
		uint64_t bytes;
		char sha256[SL_SHA256_HEX];
	} files[32];
	size_t nfiles;
	struct {
		char key[32], title[160], status[16];
		double t_ms;
	} steps[SL_VSTEPS];
	size_t nsteps;
};
/* 0, or -EINVAL with e saying what is missing or malformed. */
int sl_verify_report(const char *json, size_t n, struct sl_vreport *r,
		     struct sl_err *e);

#endif
