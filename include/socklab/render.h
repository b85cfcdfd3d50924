/*
 * render.h - printers of dissected packets: the tshark-style summary line,
 * the layered detail tree (-V), the hex and ASCII dump (-x) and NDJSON
 * keyed by display-filter field names (--json).
 *
 * Contract: printers read only the packet's field table (and its bytes for
 * the hex dump); nothing is re-parsed.  Anything that came off the wire
 * and is shown as text is escaped.  The summary writes into a caller's
 * buffer (the hot path: no allocation, no stdio); the others append to an
 * sl_buf and return 0 or -ENOMEM.
 */
#ifndef SOCKLAB_RENDER_H
#define SOCKLAB_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "socklab/diag.h"
#include "socklab/net.h"
#include "socklab/dissect.h"
#include "socklab/serve.h"
#include "socklab/util.h"

/* Called after each row written; 0 or a negative code to stop. */
typedef int (*sl_render_flush_fn)(struct sl_buf *out, void *arg);

/* Longest summary line written (longer Info text is cut). */
#define SL_SUMMARY_MAX 1024

/*
 * "    3 0.000112000    127.0.0.1 → 127.0.0.1    TCP 72 54321 → 59001
 * [PSH, ACK] Seq=1 Ack=1 Win=512 Len=6" and a newline, into out (at
 * least SL_SUMMARY_MAX bytes); returns the length.  ts_digits: 6 or 9
 * digits after the decimal point, as the source's time stamps carry.
 */
size_t sl_render_summary(char *out, const struct sl_packet *p, int ts_digits);
/* The Info column alone (no newline); returns the length, out >= 512. */
size_t sl_render_info(char *out, size_t cap, const struct sl_packet *p);
/* The Protocol column: the top layer's short name ("TCP", "ARP"). */
const char *sl_render_protocol(const struct sl_packet *p);

/* text.c: the layered tree, as tshark -V (one header line per layer, its
 * fields indented below), ending with an empty line. */
int sl_render_tree(struct sl_buf *b, const struct sl_packet *p,
		   int ts_digits);
/* text.c: the TCP layer l's analysis marks as the Info column starts
 * with them, each followed by a space ("[TCP Dup ACK 12#1] "), NUL
 * ended in out (cap bytes, cut to fit); returns the length. */
size_t sl_render_tcp_marks(char *out, size_t cap, const struct sl_packet *p,
			   const struct sl_layer *l);
/* The fields those marks read, added to s. */
void sl_render_tcp_marks_fields(struct sl_fieldset *s);
/* text.c: the hex dump, as tshark -x: "0000  45 00 … 16 bytes   E..." */
int sl_render_hex(struct sl_buf *b, const struct sl_packet *p);

/* text.c: a layer's header line of the tree ("Internet Protocol Version
 * 4, Src: 192.0.2.1, Dst: 192.0.2.53"), without the newline: what tshark
 * -T fields writes for a protocol field. */
int sl_render_layer_label(struct sl_buf *b, const struct sl_packet *p,
			  const struct sl_layer *l);

/* ---- tfields.c: -T fields -e FIELD -E OPTION, as tshark 4.0 ----
 * One line a packet: each -e field's values (those occurrence picks)
 * joined by the aggregator, the fields by the separator, an absent field
 * empty (no quotes); numbers as tshark -T fields writes them (hex at the
 * field type's width, booleans 1/0, bytes as bare hex, times with 9
 * digits, a protocol by its tree label). */
#define SL_TFIELDS_MAX 512
enum { SL_OCC_ALL = 0, SL_OCC_LAST = -1 };	/* else the Nth, from 1 */
struct sl_tfields {
	uint16_t field[SL_TFIELDS_MAX];
	int n;
	char separator, aggregator;	/* '\t' and ',' */
	char quote;			/* 0, '"' or '\'' */
	int header, bom;
	int occurrence;			/* SL_OCC_* or N */
};
void sl_tfields_init(struct sl_tfields *t);
/* One -E NAME=VALUE (separator, aggregator, header, quote, occurrence,
 * bom): 0 or -EINVAL with words in e. */
int sl_tfields_option(struct sl_tfields *t, const char *opt,
		      struct sl_err *e);
/* One -e NAME: 0, -ENOENT (unknown: the words say which name is near)
 * or -E2BIG. */
int sl_tfields_add(struct sl_tfields *t, const char *name, struct sl_err *e);
/* Adds to s what the lines read (so only that is dissected). */
void sl_tfields_want(const struct sl_tfields *t, struct sl_fieldset *s);
/* The BOM and the header line (-E bom=y, header=y), else nothing. */
int sl_tfields_header(const struct sl_tfields *t, struct sl_buf *b);
/* p's line, newline included: 0 or -ENOMEM. */
int sl_tfields_line(const struct sl_tfields *t, struct sl_buf *b,
		    const struct sl_packet *p);

/* ---- flow.c: the flow graph's model (capture --flow, tshark -z
 * flow,tcp,standard), one row a TCP packet; flowtext.c draws it in the
 * terminal, lib/report/svg.c labels the lab's arrows with the same words.
 * Rows are kept until the end (a conversation's graph is drawn whole):
 * SL_FLOW_MAX_ROWS at most (some 90 bytes each), the rest counted in
 * left_out. */
#define SL_TCP_FLAG_ACK 0x10
#define SL_FLOW_MAX_ROWS 200000
#define SL_FLOW_TEXT_MAX 256
#define SL_FLOW_END_MAX 64		/* "[v6 address]:port" */
/* "SYN, ACK", "PSH, ACK - Len: 6" ("<None>" without flags): tshark's
 * frame label; returns the length (< cap). */
size_t sl_flow_label(char *out, size_t cap, unsigned flags, uint32_t len);
/* "Seq = 1 Ack = 7" (no Ack without the ACK flag): tshark's comment. */
size_t sl_flow_comment(char *out, size_t cap, unsigned flags, uint32_t seq,
		       uint32_t ack);
/* "[TCP Retransmission] [TCP Dup ACK 12#1]": the tcp.analysis.* marks of
 * p's last TCP layer as tshark's Info prefixes them ("" when none). */
size_t sl_flow_marks(char *out, size_t cap, const struct sl_packet *p);
/* Adds to s the fields a row reads. */
void sl_flow_fields(struct sl_fieldset *s);

struct sl_flow_row {
	uint64_t frame;
	int64_t rel_ns;			/* since the first frame */
	uint32_t stream;		/* tcp.stream */
	uint32_t text;			/* label, comment, marks in f->text */
	uint8_t from_b;			/* sent by the second end (right lane) */
};
struct sl_flow_conv {
	char a[SL_FLOW_END_MAX], b[SL_FLOW_END_MAX];	/* a sent first */
	uint32_t rows;
};
struct sl_flow {
	struct sl_flow_row *row;
	size_t nrows, caprows, max_rows;
	struct sl_flow_conv *conv;	/* by tcp.stream */
	size_t nconv, capconv;
	uint64_t left_out;		/* TCP packets past max_rows */
	int ts_digits;			/* 6 (the default) or 9: the source's */
	struct sl_buf text;
};
/* max_rows 0: SL_FLOW_MAX_ROWS */
void sl_flow_init(struct sl_flow *f, size_t max_rows);
void sl_flow_release(struct sl_flow *f);
/* p's row when p is TCP (dissected with sl_flow_fields' fields): 1, 0
 * (not TCP, or past max_rows) or -ENOMEM. */
int sl_flow_add(struct sl_flow *f, const struct sl_packet *p);
void sl_flow_row_text(const struct sl_flow *f, const struct sl_flow_row *r,
		      const char **label, const char **comment,
		      const char **marks);
/* flowtext.c: every conversation's graph, one after the other in
 * tcp.stream order, appended to b; flush (may be NULL) is called after
 * each graph to write b away.  width: the terminal's columns (0: no
 * limit), the arrows narrow to fit it.  0, -ENOMEM or flush's code. */
int sl_flow_text(struct sl_buf *b, const struct sl_flow *f, unsigned width,
		 sl_render_flush_fn flush, void *arg);

/* json.c: one JSON object and a newline; keys are field names in
 * dissection order, a repeated field (ip.addr) an array. */
int sl_render_json(struct sl_buf *b, const struct sl_packet *p);

/* fmt.c: one value as text, as the tree and JSON print it (without
 * quotes); returns the length, out >= SL_VALUE_MAX.  Bytes are hex
 * (cut to 64 bytes with "…" after). */
#define SL_VALUE_MAX 200
size_t sl_render_value(char *out, const struct sl_fval *v);
/* "00:1b:21:3a:4f:5e"; sl_fmt_uint and the IP writers are in util.h */
size_t sl_fmt_ether(char *out, const uint8_t *a);	/* out >= 18 */

/* ---- sockets.c: the socket table, as `socklab sockets` prints it ----
 * The table is aligned, so rows are kept (as text only) until the last:
 * sl_sock_table_add takes them one by one (it is an sl_sock_fn, for
 * sl_diag_each), sl_sock_table_write writes the header and every row. */
enum {
	SL_TABLE_OWNERS = 1,	/* the PID/Program column (-p) */
	SL_TABLE_JSON = 2,	/* change lines as NDJSON (--watch --json) */
	SL_TABLE_COLOR = 4,	/* states in colour (SGR), for a terminal */
	SL_TABLE_INFO = 8,	/* -i: tcp_info under each row */
	SL_TABLE_TIMERS = 16,	/* -o: the timer */
	SL_TABLE_MEM = 32,	/* -m: skmem */
	SL_TABLE_EXT = 64,	/* -e: uid, inode, cookie */
	SL_TABLE_NOTICE = 128,	/* a change line from a destroy notice */
};
#define SL_TABLE_MORE (SL_TABLE_INFO | SL_TABLE_TIMERS | SL_TABLE_MEM | \
		       SL_TABLE_EXT)

/* The cells of a row that vary in width, in this order in the text
 * (MORE: the line under the row that -i -o -m -e ask for). */
enum { SL_TCELL_LOCAL, SL_TCELL_REMOTE, SL_TCELL_STATE, SL_TCELL_OWNER,
       SL_TCELL_NOTE, SL_TCELL_RQ, SL_TCELL_SQ, SL_TCELL_MORE, SL_TCELL_N };

/* "4242/python3" at its longest, escaped */
#define SL_OWNER_CELL (SL_PROGRAM_MAX * SL_ESCAPE_MAX + 16)

struct sl_sock_trow {
	const char *proto, *state;
	size_t off;			/* where its cells' text starts */
	uint16_t len[SL_TCELL_N];	/* bytes */
	uint16_t cols[SL_TCELL_N];	/* terminal columns */
};

struct sl_sock_table {
	unsigned flags;
	struct sl_sock_trow *v;
	size_t n, cap;
	struct sl_buf text;
	size_t w[SL_TCELL_N];		/* column widths so far, in columns */
};


void sl_sock_table_init(struct sl_sock_table *t, unsigned flags);
/* arg is the struct sl_sock_table; 0 or -ENOMEM. */
int sl_sock_table_add(const struct sl_sock *s, void *arg);
/* The header and every row appended to out; flush (may be NULL) may write
 * out away between rows.  0, -ENOMEM or flush's code. */
int sl_sock_table_write(const struct sl_sock_table *t, struct sl_buf *out,
			sl_render_flush_fn flush, void *arg);
void sl_sock_table_release(struct sl_sock_table *t);
/* Rows whose owner another user's process hides from self_uid (0 sees
 * all). */
size_t sl_render_hidden_owners(const struct sl_sock_list *l,
			       uint32_t self_uid);
/* The footer that says so ("3 sockets belong to processes of other
 * users; run with sudo …"); nothing when hidden is 0. */
int sl_render_hidden_note(struct sl_buf *out, size_t hidden);
/* A whole listing of l: the table, and with SL_TABLE_OWNERS the footer. */
int sl_render_sockets(struct sl_buf *out, const struct sl_sock_list *l,
		      unsigned flags, uint32_t self_uid);
/* "4242/python3" (escaped) or "-"; returns the length (< outlen). */
size_t sl_render_sock_owner(const struct sl_sock *s, char *out,
			    size_t outlen);
/* One --watch line: "14:03:27.118 + ESTABLISHED tcp LOCAL REMOTE [owner]"
 * (first: the snapshot's "=" lines), or its NDJSON with SL_TABLE_JSON;
 * with SL_TABLE_NOTICE the words (or "notice":true) that say no sample
 * saw the socket, only the kernel's notice of its end. */
int sl_render_sock_change(struct sl_buf *b, const char *when,
			  const struct sl_sock_pair *p, int first,
			  unsigned flags);

/* ---- sockinfo.c: what -i -o -m -e add to a row ---- */
/* The line ss prints under a row for the SL_TABLE_MORE flags in flags, in
 * ss's order and words ("timer:(keepalive,1min59sec,0) uid:0 ino:123
 * sk:3f skmem:(r0,rb131072,...) ts sack cubic wscale:7,7 rto:204
 * rtt:0.05/0.025 ..."), into out; returns its length (< outlen), 0 when
 * there is nothing to say. */
size_t sl_render_sock_more(const struct sl_sock *s, unsigned flags,
			   char *out, size_t outlen);
/* The same as JSON members, each after a comma: "cookie", "timer"
 * {kind expires_ms retrans}, "skmem" {...}, "tcp_info" {...}; null where
 * the kernel gave nothing. */
int sl_render_sock_more_json(struct sl_buf *b, const struct sl_sock *s,
			     unsigned flags);
/* One NDJSON row: sl_sock_json's keys and those members. */
int sl_render_sock_json(struct sl_buf *b, const struct sl_sock *s,
			unsigned flags);
/* "retransmit", "keepalive", "timewait", "persist" */
const char *sl_render_timer_name(int timer);

/* ---- server.c: the server's event lines ----
 * The text is the log `socklab server` prints ("received \"alice\" from
 * 127.0.0.1:54321"), the JSON its --json line; both end with a newline.
 * 0 or -ENOMEM. */
int sl_render_srv_text(struct sl_buf *b, const struct sl_srv_event *e);
int sl_render_srv_json(struct sl_buf *b, const struct sl_srv_event *e);

/* One --json line read back: ev is the event, its pointers into the
 * record (valid until the next parse or the release). */
struct sl_srv_record {
	struct sl_srv_event ev;
	struct sl_endpoint peer, local;
	struct sl_endpoint eps[SL_SERVE_MAX_BINDS];
	struct sl_buf data;		/* the name; a reply with its newline */
	char reason[SL_ERR_MSG];
	struct sl_json json;
};

void sl_srv_record_init(struct sl_srv_record *r);
void sl_srv_record_release(struct sl_srv_record *r);
/* Parses one line (without its newline) that sl_render_srv_json wrote;
 * 0, -EINVAL (not such a line) or -ENOMEM, with words in e. */
int sl_srv_record_parse(struct sl_srv_record *r, const char *line, size_t n,
			struct sl_err *e);

/* ---- client.c: the client's output ---- */
/* A line from the server as the client prints it: escaped, a newline. */
int sl_render_client_text(struct sl_buf *b, const void *line, size_t n);

/* One --json record: "connected", "reply" (key "reply") or "received"
 * (key "line", -i); rtt_ms < 0 leaves it out. */
struct sl_client_event {
	const char *event;
	const char *local, *remote;	/* "127.0.0.1:54321" */
	const char *key;		/* NULL: no data */
	const void *data;
	size_t len;
	double rtt_ms;
};
int sl_render_client_json(struct sl_buf *b, const struct sl_client_event *ev);

/* A record read back; data points into json (the reply or the line, raw
 * bytes), valid until the next parse. */
struct sl_client_record {
	char event[16];
	char local[SL_ADDRSTRLEN], remote[SL_ADDRSTRLEN];
	const char *data;
	size_t len;
	struct sl_json json;
};
/* r->json must be sl_json_init'ed (and released by the caller). */
int sl_client_record_parse(struct sl_client_record *r, const char *line,
			   size_t n, struct sl_err *e);

#endif
