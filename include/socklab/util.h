/*
 * util.h - the small pieces every socklab module shares: a growable byte
 * buffer, value-to-name tables, escaping for each audience, display
 * width, numbers as text and the error record.  Nothing here prints or
 * exits.
 *
 * The one error idiom of lib/ (every module follows it):
 *
 * - Return values.  A function that can fail returns 0 (or a count, a
 *   length, a descriptor: something >= 0) on success and a negative
 *   errno-style code on failure (-ENOMEM, -EINVAL, -errno of the failed
 *   call), never -1 and never a positive errno; callbacks that report a
 *   failure are handed the same negative code.  errno is never left to
 *   carry meaning.  A function that cannot fail returns void or a value.
 * - The error record.  Where the caller needs words, the function takes a
 *   struct sl_err *e last, fills it with sl_err_set (code and "what went
 *   wrong: why, and what to do") and returns the same code.  e may be
 *   NULL when the caller wants only the code.  Only cli/ prints it.
 * - Constructors.  An object the caller owns through a pointer is made by
 *   int sl_x_new(struct sl_x **out, ..., struct sl_err *e) (or
 *   sl_x_open for one that holds a file or a socket) and ended by
 *   sl_x_free(x) (sl_x_close), which takes NULL.  On failure *out is NULL
 *   and nothing stays allocated.
 * - Ownership in the name.  For a struct the caller embeds: sl_x_init
 *   (sets it empty, allocates nothing), sl_x_release (frees what it
 *   holds; the struct may be used again after sl_x_init), sl_x_detach
 *   (hands the contents over to the caller, who frees them, and leaves x
 *   empty); sl_x_free frees contents and struct.
 * - Cleanup after a partial failure.  Until the first allocation a
 *   function may return at once; after it, every failure sets rc and
 *   jumps to one label, out:, which releases what was taken in reverse
 *   order (the release functions accept what was never set up), so no
 *   failure path frees by hand.
 */
#ifndef SOCKLAB_UTIL_H
#define SOCKLAB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define SL_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- growable buffer (buf.c) ----
 * data is always NUL-terminated when cap > 0, so text users may read it
 * as a C string; len never counts that terminator. */
struct sl_buf {
	char *data;
	size_t len;
	size_t cap;
};

#define SL_BUF_INIT { NULL, 0, 0 }

void sl_buf_init(struct sl_buf *b);
/* Makes room for at least extra more bytes; -ENOMEM on failure. */
int sl_buf_reserve(struct sl_buf *b, size_t extra);
int sl_buf_append(struct sl_buf *b, const void *p, size_t n);
int sl_buf_puts(struct sl_buf *b, const char *s);
int sl_buf_putc(struct sl_buf *b, char c);
int sl_buf_printf(struct sl_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sl_buf_vprintf(struct sl_buf *b, const char *fmt, va_list ap);
/* Drops the first n bytes (n > len drops everything). */
void sl_buf_consume(struct sl_buf *b, size_t n);
void sl_buf_reset(struct sl_buf *b);
/* Frees the contents; the struct may be reused after sl_buf_init. */
void sl_buf_release(struct sl_buf *b);
/* Hands the data over to the caller (who frees it) and empties b. */
char *sl_buf_detach(struct sl_buf *b, size_t *len);

/* ---- value to name tables (tok.c) ---- */
struct sl_tok {
	int value;
	const char *name;
};

/* Name of value in a table ending with {0, NULL}; dflt when absent. */
const char *sl_tok_name(const struct sl_tok *t, int value, const char *dflt);
/* Value of name (case-insensitive); -1 when absent. */
int sl_tok_value(const struct sl_tok *t, const char *name);

/* ---- text from outside: one rule for every audience (escape.c) ----
 * Every character is text or dangerous, and the terminal, text, JSON and
 * HTML escapers below share that one decision (sl_utf8_char).  Dangerous:
 * C0 controls and DEL, C1 controls (U+0080-U+009F: U+009B is a CSI to
 * some terminals), the bidi embeddings, overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069: they reorder what the reader sees) and
 * every byte that does not belong to valid UTF-8 (overlong forms,
 * surrogates, past U+10FFFF, a sequence cut short by the end of the
 * bytes).  Everything else is valid UTF-8 text and passes as it is, so a
 * name in any script shows as typed.  A dangerous code point is written
 * \uHHHH ("\u202e", "\u009b") by all of them; a dangerous byte (a control,
 * or one that is not UTF-8) \xHH to the terminal and in HTML, \u00HH in
 * JSON.  Output never holds invalid UTF-8 nor a control or bidi
 * character (but the newlines and tabs the HTML and text forms keep), so
 * a peer can neither steer the user's terminal nor forge a log line nor
 * hide text in a page. */

enum {
	SL_CHAR_TEXT,		/* shown as it is */
	SL_CHAR_CONTROL,	/* a control or bidi character: escaped */
	SL_CHAR_INVALID,	/* one byte that is not UTF-8: escaped */
};

/* Reads the character at s (n > 0 bytes): its class (SL_CHAR_*), its
 * length in bytes in *len (1 for an invalid byte) and its code point in
 * *cp (the byte itself when invalid). */
int sl_utf8_char(const void *s, size_t n, uint32_t *cp, size_t *len);
/* Where to cut n bytes of s to at most max: before the UTF-8 sequence
 * that max would split, else at max (so a cut never makes an escape). */
size_t sl_utf8_cut(const void *s, size_t n, size_t max);

/* The terminal form: '\\' and '"' are backslashed, \n \r \t get their C
 * escapes, text passes as it is.  SL_ESCAPE_MAX bounds the output per
 * input byte. */
#define SL_ESCAPE_MAX 4
/* Writes the escape of n bytes into dst (always NUL-terminated when
 * dstlen > 0), whole escapes and characters only; returns the length
 * the full escape needs, like snprintf. */
size_t sl_escape(char *dst, size_t dstlen, const void *src, size_t n);
int sl_buf_escape(struct sl_buf *b, const void *src, size_t n);
/* Terminal columns sl_escape's output for these bytes takes. */
size_t sl_escape_width(const void *src, size_t n);
/* A block of text to be read as it is (a program's output, source code):
 * as sl_buf_escape, but quotes, backslashes and tabs stay themselves, so
 * it is not unambiguous, only safe.  0 or -ENOMEM. */
int sl_buf_escape_text(struct sl_buf *b, const void *src, size_t n);
/* A JSON string literal, quotes included: '"' '\\' \n \r \t escaped, the
 * other dangerous characters as above. */
int sl_buf_json_str(struct sl_buf *b, const void *src, size_t n);
/* HTML and XML text or attribute values: & < > " ' become entities, \n
 * and \t stay (for <pre>), the other dangerous characters as above (as
 * visible text: a character reference would bring them back). */
int sl_buf_html(struct sl_buf *b, const void *src, size_t n);
/* The same for a C string; NULL appends nothing. */
int sl_buf_html_str(struct sl_buf *b, const char *s);

/* ---- display width (width.c) ---- */
/* Columns a terminal gives cp: 0 for combining marks and zero-width
 * characters, 2 for East Asian wide and fullwidth ones, else 1. */
int sl_char_width(uint32_t cp);
/* Columns of n bytes of escaped text (what a padded cell must count). */
size_t sl_text_width(const char *s, size_t n);

/* ---- shell words (shell.c) ----
 * s as one word a POSIX shell reads back as s: as it is when it holds
 * nothing the shell gives a meaning to, else in single quotes; bytes the
 * terminal must not see are escaped as sl_buf_escape does (so a word with
 * a control character is shown, not typed back).  0 or -ENOMEM. */
int sl_buf_shell_word(struct sl_buf *b, const char *s);

/* ---- error record (err.c) ----
 * lib functions fill one of these where words are needed; the CLI prints
 * "socklab CMD: " followed by msg. */
#define SL_ERR_MSG 512

struct sl_err {
	int code;		/* negative errno-style code, 0 when clear */
	char msg[SL_ERR_MSG];	/* "what went wrong: why, and what to do" */
	/* the address the error is about ("cannot listen on …"), so a caller
	 * can act on it without reading msg; ss_family 0 when none */
	struct sockaddr_storage where;
};

void sl_err_clear(struct sl_err *e);
/* Sets the record (e may be NULL; where is cleared) and returns code,
 * which must be < 0. */
int sl_err_set(struct sl_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Records the address the error is about (e may be NULL); returns code. */
int sl_err_where(struct sl_err *e, int code, const struct sockaddr *sa,
		 size_t salen);

/* ---- numbers (num.c) ---- */
/* Parses a whole decimal unsigned number in [min, max]; -EINVAL or -ERANGE. */
int sl_parse_uint(const char *s, unsigned long min, unsigned long max,
		  unsigned long *out);
/* Parses seconds as a decimal number ("2", "0.5") in [0, max]; -EINVAL. */
int sl_parse_seconds(const char *s, double max, double *out);
/* The value of one hex digit (either case), -1 for any other char. */
int sl_hexval(int c);
/* CLOCK_MONOTONIC in milliseconds and in nanoseconds. */
uint64_t sl_now_ms(void);
uint64_t sl_now_ns(void);

/* ---- numbers and addresses as text (fmt.c) ----
 * No stdio, no inet_ntop: tables and the capture summary write tens of
 * thousands of these.  Each writes a NUL after the text and returns its
 * length. */
extern const char sl_hex_digits[17];		/* "0123456789abcdef" */
size_t sl_fmt_uint(char *out, uint64_t u);		/* out >= 21 */
/* "a.b.c.d" */
size_t sl_fmt_ipv4(char *out, uint32_t host_order);	/* out >= 16 */
/* As glibc's inet_ntop (RFC 5952, "::ffff:a.b.c.d"), 16 bytes at a. */
size_t sl_fmt_ipv6(char *out, const uint8_t *a);	/* out >= 46 */

/* ---- whole files (file.c) ---- */
/* Appends path's bytes to b until its end or max bytes (SIZE_MAX: all),
 * despite short reads and EINTR: for /proc files, which have no size.
 * 0 or -errno. */
int sl_read_file(const char *path, size_t max, struct sl_buf *b);
/* Writes all n bytes despite short writes and EINTR; 0 or -errno. */
int sl_write_all(int fd, const void *data, size_t n);
/* Writes path through a temporary file beside it and a rename, so a
 * half-written file never remains; 0, or -errno with words in e. */
int sl_write_file(const char *path, const void *data, size_t n,
		  struct sl_err *e);

/* ---- reading JSON (json.c) ----
 * One value parsed into a tree of nodes held in one array (node 0 is the
 * root); strings are decoded to UTF-8 and NUL-terminated (they may hold
 * NUL themselves: use the lengths).  Bounded: at most SL_JSON_MAX_NODES
 * values, 64 levels deep. */
#define SL_JSON_MAX_NODES (1u << 20)

enum sl_json_type { SL_JSON_NULL, SL_JSON_FALSE, SL_JSON_TRUE, SL_JSON_NUMBER,
		    SL_JSON_STRING, SL_JSON_ARRAY, SL_JSON_OBJECT };

struct sl_json_node {
	uint8_t type;		/* enum sl_json_type */
	uint8_t has_key;	/* a member of an object */
	uint32_t key, key_len;	/* the member's name, in strings */
	uint32_t str, str_len;	/* STRING: the text, in strings */
	uint32_t child, count;	/* ARRAY, OBJECT: first child, how many */
	uint32_t next;		/* the next sibling; 0 for none */
	double num;		/* NUMBER */
};

struct sl_json {
	struct sl_json_node *v;
	size_t n, cap;
	struct sl_buf strings;
};

void sl_json_init(struct sl_json *j);
void sl_json_release(struct sl_json *j);
/* Parses text (one value, whitespace around it allowed) into j, which may
 * hold an earlier document (it is replaced).  0, or -EINVAL (e says at
 * which byte and why), -E2BIG or -ENOMEM. */
int sl_json_parse(struct sl_json *j, const char *text, size_t n,
		  struct sl_err *e);
const struct sl_json_node *sl_json_root(const struct sl_json *j);
/* An array's or object's first child, and a child's next sibling; NULL
 * past the end. */
const struct sl_json_node *sl_json_first(const struct sl_json *j,
					 const struct sl_json_node *v);
const struct sl_json_node *sl_json_next(const struct sl_json *j,
					const struct sl_json_node *v);
/* The member of obj named key (the first when repeated), or NULL. */
const struct sl_json_node *sl_json_member(const struct sl_json *j,
					  const struct sl_json_node *obj,
					  const char *key);
/* A string's text and length; NULL when v is not a string. */
const char *sl_json_str(const struct sl_json *j, const struct sl_json_node *v,
			size_t *len);
/* A member's name; NULL when v is not an object's member. */
const char *sl_json_key(const struct sl_json *j, const struct sl_json_node *v,
			size_t *len);
/* A whole number in [0, max]; -EINVAL otherwise. */
int sl_json_uint(const struct sl_json_node *v, uint64_t max, uint64_t *out);

/* ---- SHA-256 (sha256.c) ---- */
#define SL_SHA256_HEX 65	/* 64 hex digits and a NUL */

struct sl_sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t fill;
};

void sl_sha256_init(struct sl_sha256 *c);
void sl_sha256_update(struct sl_sha256 *c, const void *data, size_t n);
/* The digest in lowercase hex; c is used up. */
void sl_sha256_hex(struct sl_sha256 *c, char out[SL_SHA256_HEX]);
void sl_sha256_of(const void *data, size_t n, char out[SL_SHA256_HEX]);

#endif
