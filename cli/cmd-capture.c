/* cmd-capture.c - socklab capture: live capture on loopback or a pcap
 * file in, tshark-style summaries, -V, -x or --json out, pcap written */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture-hint.h"
#include "capture-out.h"
#include "capture-taps.h"
#include "cli.h"
#include "socklab/capture.h"
#include "socklab/dfilter.h"
#include "socklab/dissect.h"
#include "socklab/render.h"

#define CMD "capture"

static const char usage[] =
	"usage: socklab capture [-i IFACE] [-f CAPTURE_FILTER] [-Y DISPLAY_FILTER]\n"
	"                       [-w FILE] [-r FILE] [-c N] [--duration S] [-V] [-x]\n"
	"                       [--json] [-q] [-P] [-Z USER] [--conv [LAYER]]\n"
	"                       [--endpoints [LAYER]] [--follow [tcp|udp][,N]]\n"
	"                       [--expert] [-z SPEC] [--flow]\n"
	"                       [-T text|fields|json] [-e FIELD]... [-E OPT=VALUE]...\n"
	"\n"
	"Captures packets (libpcap) on IFACE, or reads a pcap/pcapng file, and shows\n"
	"one line per packet as tshark does.\n"
	"\n"
	"  -i, --interface IFACE  capture on IFACE (default lo; any = every device)\n"
	"  -r, --read FILE        read packets from FILE instead (pcap or pcapng)\n"
	"  -f, --capture-filter F capture filter, tcpdump syntax ('tcp port 59001')\n"
	"  -Y, --display-filter F display filter, Wireshark syntax ('ip.addr==127.0.0.1')\n"
	"  -w, --write FILE       write the packets that pass both filters to FILE (pcap);\n"
	"                         the file is complete after Ctrl-C, SIGTERM, -c, --duration\n"
	"  -c, --count N          stop after N packets passed both filters\n"
	"      --duration S       stop after S seconds\n"
	"  -V, --verbose          the layered detail of each packet\n"
	"  -x, --hex              the bytes of each packet, hex and ASCII\n"
	"      --json             one JSON object per packet, keys are field names\n"
	"  -T text|fields|json    the output: summary lines (default), the -e fields\n"
	"                         (as tshark -T fields), or --json's lines\n"
	"  -e FIELD               a field -T fields prints (repeat it: one column each)\n"
	"  -E OPT=VALUE           -T fields' layout, as tshark's: separator=/t|/s|C,\n"
	"                         aggregator=,|/s|C, header=y|n, quote=d|s|n,\n"
	"                         occurrence=f|l|a|N, bom=y|n\n"
	"      --flow             at the end, the flow graph of each TCP conversation\n"
	"                         (as tshark -z flow,tcp,standard)\n"
	"  -q, --quiet            no per-packet output\n"
	"  -P, --print            print packets even while writing with -w\n"
	"  -Z, --user USER        drop root privileges to USER once capture is open\n"
	"  -n                     accepted for tcpdump/tshark habits (never resolves)\n"
	"  -D, --list-interfaces  list the interfaces to capture on, as tshark -D\n"
	"      --conv [LAYER]     conversations, as tshark -z conv: LAYER tcp (default),\n"
	"                         udp, ip, ipv6 or eth\n"
	"      --endpoints [LAYER] endpoints, as tshark -z endpoints\n"
	"      --follow [tcp|udp][,N] the data of stream N (every stream without N) as\n"
	"                         tshark -z follow,tcp,ascii,N; with -x in hex\n"
	"      --expert           findings by severity (tshark -z expert), then in words\n"
	"  -z SPEC                tshark's spellings: conv,L endpoints,L expert\n"
	"                         follow,tcp|udp,ascii|hex,N flow,tcp,standard\n"
	"                         (reports print at the end; packets only with -P or -V;\n"
	"                         --json makes them JSON, one object a line)\n"
	"  -h, --help             this help\n"
	"\n"
	"TCP is analysed as Wireshark does when a filter, field or report asks:\n"
	"-Y tcp.analysis.flags finds retransmissions, lost segments, duplicate ACKs,\n"
	"zero windows and keep-alives (-Y 'tcp.analysis.ack_rtt > 0.2', -e\n"
	"tcp.analysis.bytes_in_flight ...); the summary marks them as tshark does\n"
	"([TCP Retransmission], [TCP Dup ACK 12#1]) and -V explains them.\n"
	"\n"
	"At the end, on stderr: packets seen, shown, written, dropped by the kernel.\n"
	"SIGUSR1 flushes the file. Exit status: 0 ok, 1 failure (no permission, unreadable\n"
	"file, write error, nothing captured), 2 usage error (bad option or filter).\n";

struct capture_cli {
	struct sl_capture_opts src;
	const char *dfilter;
	const char *wfile;
	const char *user;
	unsigned long count;
	double duration;
	int verbose, hex, json, quiet, print;
	struct capture_taps taps;	/* --conv, --follow, -z … */
	int flow;			/* --flow, -z flow,tcp,standard */
	struct capture_out out;	/* -T fields, --flow */
};

struct run {
	struct capture_cli *o;
	struct sl_capture *cap;
	struct sl_sink *sink;
	struct sl_dfilter *filter;
	struct sl_stream_table *streams;
	struct sl_packet *pkt;
	const struct sl_fieldset *want;	/* what to dissect; NULL: all */
	struct sl_fieldset filter_fields;
	struct sl_buf out;
	struct sl_buf bpf;	/* dfilter push-down: -f AND -Y's equivalent */
	struct hint hint;	/* the co-pilot, while nothing has matched */
	int pushed;		/* -Y runs in the kernel too */
	int ts_digits;
	int color;		/* TCP flags coloured (a terminal) */
	int counter;		/* live "Packets: N" on stderr */
	struct sl_frame_seq frames;	/* numbers the packets seen */
	uint64_t shown;
	int failed;
	struct sl_err err;
};

/* Set from signal handlers: the only mutable state besides the table. */
static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t flush_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void on_flush(int sig)
{
	(void)sig;
	flush_requested = 1;
}

enum { OPT_JSON = 256, OPT_DURATION, OPT_CONV, OPT_ENDPOINTS, OPT_FOLLOW,
       OPT_EXPERT, OPT_FLOW };

static const struct option long_opts[] = {
	{ "interface", required_argument, NULL, 'i' },
	{ "read", required_argument, NULL, 'r' },
	{ "capture-filter", required_argument, NULL, 'f' },
	{ "display-filter", required_argument, NULL, 'Y' },
	{ "write", required_argument, NULL, 'w' },
	{ "count", required_argument, NULL, 'c' },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "verbose", no_argument, NULL, 'V' },
	{ "hex", no_argument, NULL, 'x' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "flow", no_argument, NULL, OPT_FLOW },
	{ "quiet", no_argument, NULL, 'q' },
	{ "print", no_argument, NULL, 'P' },
	{ "user", required_argument, NULL, 'Z' },
	{ "list-interfaces", no_argument, NULL, 'D' },
	{ "help", no_argument, NULL, 'h' },
	{ "conv", optional_argument, NULL, OPT_CONV },
	{ "endpoints", optional_argument, NULL, OPT_ENDPOINTS },
	{ "follow", optional_argument, NULL, OPT_FOLLOW },
	{ "expert", no_argument, NULL, OPT_EXPERT },
	{ NULL, 0, NULL, 0 }
};

/* -D: every device libpcap can open, numbered as tshark -D numbers them. */
static int list_interfaces(void)
{
	struct sl_capture_dev *v;
	struct sl_err e;
	size_t n;

	if (sl_capture_devices(&v, &n, &e) < 0)
		return cli_fail(CMD, &e);
	for (size_t i = 0; i < n; i++) {
		const char *d = v[i].desc[0] ? v[i].desc : v[i].loopback ? "Loopback" : "";

		printf("%zu. %s%s%s%s\n", i + 1, v[i].name, *d ? " (" : "", d, *d ? ")" : "");
	}
	free(v);
	return -1;
}

/* Words after the options: a filter typed as tcpdump takes it (bare, at
 * the end), in either dialect; the right spelling is given. */
static int bare_filter(int n, char **w)
{
	struct sl_buf text = SL_BUF_INIT, shown = SL_BUF_INIT;
	struct sl_err e;
	int rc;

	for (int i = 0; i < n; i++)
		sl_buf_printf(&text, "%s%s", i ? " " : "", w[i]);
	sl_buf_escape(&shown, text.data, text.len);
	if (sl_dfilter_is_display_syntax(text.data, NULL) == 1)
		rc = cli_usage_error(CMD, "\"%s\" is a display filter (Wireshark syntax): give it with -Y: socklab capture -Y '%s'",
				     shown.data, shown.data);
	else if (sl_capture_filter_check(text.data, &e) == 0)
		rc = cli_usage_error(CMD, "\"%s\" is a capture filter: socklab takes it after -f (tcpdump takes it bare): socklab capture -f '%s'",
				     shown.data, shown.data);
	else
		rc = cli_usage_error(CMD, "unexpected argument \"%s\" (a filter goes after -f or -Y, in quotes)",
				     shown.data);
	sl_buf_release(&text);
	sl_buf_release(&shown);
	return rc;
}

static int parse_args(struct capture_cli *c, int argc, char **argv)
{
	int opt, rc;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":i:r:f:Y:w:c:VxqPZ:nDhz:T:e:E:",
				  long_opts, NULL)) != -1) {
		switch (opt) {
		case 'i': c->src.iface = optarg; break;
		case 'r': c->src.file = optarg; break;
		case 'f': c->src.bpf = optarg; break;
		case 'Y': c->dfilter = optarg; break;
		case 'w': c->wfile = optarg; break;
		case 'c':
			if ((rc = cli_opt_uint(CMD, "-c", optarg, 1, ULONG_MAX,
					       &c->count)))
				return rc;
			break;
		case OPT_DURATION:
			if ((rc = cli_opt_seconds(CMD, "--duration", optarg,
						  31536000, &c->duration)))
				return rc;
			if (c->duration <= 0)
				return cli_usage_error(CMD,
					"--duration must be more than 0 seconds");
			break;
		case 'V': c->verbose = 1; break;
		case 'x': c->hex = 1; break;
		case OPT_JSON: c->json = 1; break;
		case 'q': c->quiet = 1; break;
		case 'P': c->print = 1; break;
		case 'Z': c->user = optarg; break;
		case 'n': break;
		case 'T': case 'e': case 'E':
			if ((rc = capture_out_opt(&c->out, opt, optarg)))
				return rc;
			break;
		case OPT_FLOW: c->flow = 1; break;
		case 'z':
		case OPT_CONV:
		case OPT_ENDPOINTS:
		case OPT_FOLLOW:
		case OPT_EXPERT:
			if ((rc = capture_taps_option(&c->taps, opt == 'z' ? TAPOPT_Z :
						      opt - OPT_CONV + TAPOPT_CONV,
						      optarg, argc, argv, &optind,
						      &c->flow)))
				return rc;
			break;
		case 'D':
			return list_interfaces();
		case 'h':
			fputs(usage, stdout);
			return -1;
		case ':':
			return cli_usage_error(CMD, "%s needs a value",
					       argv[optind - 1]);
		default:
			return cli_bad_option(CMD, optopt, argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bare_filter(argc - optind, argv + optind);
	if ((rc = capture_out_check(&c->out, c->flow)))
		return rc;
	c->json |= c->out.json;
	if (c->src.file && c->src.iface)
		return cli_usage_error(CMD, "-r reads a file, -i captures live: "
				       "give one of them");
	return 0;
}

/*
 * The -Y hook: compiles the display filter (NULL when none).  A filter in
 * capture syntax gets the co-pilot's hint: the two dialects are the
 * commonest mix-up.  0 or EXIT_USAGE.
 */
static int capture_filter_compile(const char *text, struct sl_dfilter **out)
{
	struct sl_err e;
	struct sl_buf b = SL_BUF_INIT;
	int col = -1, len = 0, rc;

	*out = NULL;
	if (!text)
		return 0;
	rc = sl_dfilter_compile(out, text, &col, &len, &e);
	if (rc == 0)
		return 0;
	if (rc == -ENOMEM) {
		cli_error(CMD, "out of memory");
		return EXIT_FAIL;
	}
	fflush(stdout);
	if (sl_dfilter_format_error(&b, "socklab " CMD ": ", text, e.msg, col,
				    len) == 0)
		fputs(b.data, stderr);
	sl_buf_release(&b);
	return EXIT_USAGE;
}

/* -f that libpcap rejected: maybe it is a display filter, given in the
 * wrong place. */
static int bad_capture_filter(const struct capture_cli *c,
			      const struct sl_err *e)
{
	struct sl_buf b = SL_BUF_INIT;
	char shown[256];
	const char *f = c->src.bpf;

	sl_escape(shown, sizeof(shown), f, strlen(f));
	if (sl_dfilter_is_display_syntax(f, &b) == 1) {
		cli_error(CMD, "-f: \"%s\" is a display filter (Wireshark syntax); "
			  "use -Y '%s'%s%s%s", shown, shown,
			  b.len ? " or the capture filter -f '" : "",
			  b.len ? b.data : "", b.len ? "'" : "");
		sl_buf_release(&b);
		return EXIT_USAGE;
	}
	sl_buf_release(&b);
	cli_error(CMD, "%s: see 'man pcap-filter' for the syntax", e->msg);
	return EXIT_USAGE;
}

static int drop_privileges(const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (!pw) {
		cli_error(CMD, "cannot drop privileges: no user \"%s\": give an "
			  "existing user to -Z (e.g. nobody)", user);
		return EXIT_USAGE;
	}
	if (setgroups(0, NULL) < 0 && errno != EPERM)
		goto fail;
	if (setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0)
		goto fail;
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		errno = EPERM;
		goto fail;
	}
	return 0;
fail:
	cli_error(CMD, "cannot drop privileges to \"%s\": %s: run as root or "
		  "leave out -Z", user, strerror(errno));
	return EXIT_FAIL;
}

static int want_packets(const struct capture_cli *o)
{
	/* --flow's graph is drawn from every packet, whatever else is quiet */
	if (o->flow)
		return 1;
	if (capture_taps_quiet(&o->taps, o->print, o->verbose, o->hex))
		return 0;
	return !o->quiet && (!o->wfile || o->print || o->verbose || o->hex ||
			     o->json);
}

static int print_packet(struct run *r)
{
	struct capture_cli *o = r->o;
	struct sl_packet *p = r->pkt;
	char line[SL_SUMMARY_MAX];
	int rc;

	if (!want_packets(o))
		return 0;
	if ((rc = capture_out_packet(&o->out, p, stdout)))
		return rc < 0 ? rc : 0;
	if (o->json) {
		sl_buf_reset(&r->out);
		if (sl_render_json(&r->out, p) < 0)
			return -ENOMEM;
		return cli_write(stdout, r->out.data, r->out.len);
	}
	if (!o->verbose || o->hex) {
		size_t n = sl_render_summary(line, p, r->ts_digits);
		char tinted[SL_SUMMARY_MAX + 16];

		if (r->color)
			n = cli_color_flags(line, n, tinted, sizeof(tinted));
		if (!o->verbose &&
		    fwrite(r->color ? tinted : line, 1, n, stdout) != n)
			return -errno;
	}
	if (!o->verbose && !o->hex)
		return 0;
	sl_buf_reset(&r->out);
	if ((o->verbose && sl_render_tree(&r->out, p, r->ts_digits) < 0) ||
	    (o->hex && sl_render_hex(&r->out, p) < 0))
		return -ENOMEM;
	return cli_write(stdout, r->out.data, r->out.len);
}

/* One frame: dissect, filter, write, print.  0, or <0 to stop with an
 * error already in r->err (or -EPIPE when stdout went away). */
static int handle(struct run *r, const struct sl_frame *f)
{
	struct sl_packet *p = r->pkt;
	int rc;

	sl_packet_frame(p, &r->frames, f->ts_ns, f->data, f->caplen, f->len);
	/* only a display filter or a printer needs the fields: writing a
	 * flood to a file stays a copy */
	if (r->filter || want_packets(r->o) || r->o->taps.n) {
		/* until something matches, the co-pilot counts what passes by */
		int tally = r->filter && !r->shown && r->hint.tally;

		sl_dissect_fields(p, r->streams, tally && r->want ? &r->hint.fields
							      : r->want);
		if (r->filter && !sl_dfilter_match(r->filter, p)) {
			if (tally)
				hint_miss(&r->hint, p);
			return 0;
		}
	}
	if (!r->shown)
		hint_matched(&r->hint);
	r->shown++;
	if (r->o->taps.n && (rc = capture_taps_packet(&r->o->taps, p)) < 0)
		return sl_err_set(&r->err, rc, "out of memory for the reports: "
				  "narrow the capture with -Y or -c");
	if (r->sink && (rc = sl_sink_write(r->sink, f, &r->err)) < 0)
		return rc;
	rc = print_packet(r);
	if (rc < 0)
		return rc;
	if (r->o->count && r->shown >= r->o->count)
		stop_requested = 1;
	return 0;
}

static void show_counter(struct run *r, int final)
{
	struct sl_capture_stats st;

	if (!r->counter)
		return;
	sl_capture_stats(r->cap, &st);
	fprintf(stderr, "\rPackets: %llu written, %llu dropped%s",
		(unsigned long long)sl_sink_count(r->sink),
		(unsigned long long)st.dropped, final ? "\n" : "");
}

static int flush_all(struct run *r)
{
	flush_requested = 0;
	if (fflush(stdout) == EOF)
		return -errno;
	if (r->sink && sl_sink_flush(r->sink, &r->err) < 0)
		return r->err.code;
	return 0;
}

static int read_file(struct run *r)
{
	struct sl_frame f;
	int rc;

	/* nothing shown: the packets need only the fields -Y reads (open_all
	 * gathered them) */
	if (r->filter && !want_packets(r->o))
		r->want = &r->filter_fields;
	if (r->o->taps.n && !want_packets(r->o))
		r->want = &r->o->taps.fields;
	/* -T fields and --flow: what open_all gathered */
	if (r->o->out.fields || r->o->flow)
		r->want = r->o->taps.n ? &r->o->taps.fields : &r->filter_fields;
	while (!stop_requested) {
		rc = sl_capture_next(r->cap, &f, &r->err);
		if (rc == -ENODATA)
			return 0;
		if (rc < 0)
			return rc;
		if ((rc = handle(r, &f)) < 0)
			return rc;
	}
	return 0;
}

static int64_t now_ms(void)
{
	return (int64_t)sl_now_ms();
}

/* Every frame the kernel has handed over: 1 if any, 0 if none, <0 error */
static int drain(struct run *r)
{
	struct sl_frame f;
	int rc = 0, got = 0;

	while (!stop_requested &&
	       (rc = sl_capture_next(r->cap, &f, &r->err)) == 1) {
		got = 1;
		if ((rc = handle(r, &f)) < 0)
			return rc;
	}
	return rc < 0 && rc != -ENODATA ? rc : got;
}

/*
 * A batch still open in the kernel when the run ends holds the last
 * packets before Ctrl-C or --duration: wait one batch period for it (and
 * no longer, so a flood cannot keep the run alive).  A -c stop has all it
 * wanted.
 */
static int drain_last_batch(struct run *r, struct pollfd *pfd)
{
	int64_t until = now_ms() + SL_CAPTURE_BATCH_MS + 20;
	int rc = 0, left;

	if (!r->o->src.batch || (r->o->count && r->shown >= r->o->count))
		return 0;
	stop_requested = 0;
	while (rc >= 0 && (left = (int)(until - now_ms())) > 0 &&
	       !stop_requested) {
		if (poll(pfd, 1, left) > 0)
			rc = drain(r);
	}
	return rc < 0 ? rc : 0;
}

static int read_live(struct run *r)
{
	struct pollfd pfd = { .fd = sl_capture_fd(r->cap), .events = POLLIN };
	int64_t deadline = r->o->duration > 0 ?
		now_ms() + (int64_t)(r->o->duration * 1000) : -1;
	int64_t next_counter = 0;
	int64_t last_flush = now_ms();
	int dirty = 0, n, rc = 0;

	while (!stop_requested) {
		/* with frames pending, a 10 ms lull counts as idle */
		int wait = dirty ? 10 : 200;

		if (deadline >= 0) {
			int64_t left = deadline - now_ms();

			if (left <= 0)
				break;
			if (left < wait)
				wait = (int)left;
		}
		n = poll(&pfd, 1, wait);
		if (n < 0 && errno != EINTR)
			return sl_err_set(&r->err, -errno, "poll: %s",
					  strerror(errno));
		if ((rc = drain(r)) < 0)
			return rc;
		dirty |= rc;
		/* idle (or busy for 250 ms): what arrived is on disk and on
		 * screen now; a flood is not flushed packet by packet */
		if ((dirty && (n == 0 || now_ms() - last_flush >= 250)) ||
		    flush_requested) {
			if ((rc = flush_all(r)) < 0)
				return rc;
			dirty = 0;
			last_flush = now_ms();
		}
		hint_poll(&r->hint);
		if (r->counter && now_ms() >= next_counter) {
			show_counter(r, 0);
			next_counter = now_ms() + 250;
		}
	}
	return drain_last_batch(r, &pfd);
}

static void summary(struct run *r)
{
	struct sl_capture_stats st = { 0 };

	show_counter(r, 1);
	sl_capture_stats(r->cap, &st);
	fflush(stdout);
	fprintf(stderr, "%llu packet%s seen, %llu shown, %llu written, "
		"%llu dropped by the kernel",
		(unsigned long long)r->frames.frames,
		r->frames.frames == 1 ? "" : "s",
		(unsigned long long)r->shown,
		(unsigned long long)sl_sink_count(r->sink),
		(unsigned long long)st.dropped);
	if (st.duplicates)
		fprintf(stderr, " (%llu duplicate loopback copies dropped)",
			(unsigned long long)st.duplicates);
	fputc('\n', stderr);
}

static void signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_flush;
	sigaction(SIGUSR1, &sa, NULL);
}

/* Every IP fragment reaches the display filter: a port or an IPv6 protocol
 * is in the first fragment only (or not even there, behind the IPv6
 * fragment header), and the datagram is reassembled from all of them.
 * IPv6 passes whenever an extension header comes first, as the fragment
 * header may follow it ("ip6 protochain" loops, which Linux refuses). */
#define FRAGMENTS "(ip[6:2] & 0x3fff != 0) or (ip6 and (ip6[6] == 44 or " \
		  "ip6[6] == 0 or ip6[6] == 43 or ip6[6] == 60))"

/* Every frame whose inner headers the dissector reaches and BPF's "ip
 * host", "tcp port" do not see: VLAN tags, MPLS, PPPoE sessions, 802.3
 * frames (LLC), IP in IP, GRE, VXLAN and Geneve, and ICMP errors (the
 * header they quote holds addresses and ports too).  ("vlan" and "mpls"
 * would shift the offsets of what follows them in the expression.) */
#define INNER "ether proto 0x8100 or ether proto 0x88a8 or " \
	      "ether proto 0x9100 or ether proto 0x8847 or " \
	      "ether proto 0x8848 or ether proto 0x8864 or " \
	      "ether[12:2] <= 1500 or ip proto 4 or ip proto 41 or " \
	      "ip proto 47 or ip6 proto 4 or ip6 proto 41 or ip6 proto 47 or " \
	      "udp port 4789 or udp port 6081 or icmp[0] == 3 or " \
	      "icmp[0] == 4 or icmp[0] == 5 or icmp[0] == 11 or " \
	      "icmp[0] == 12 or (icmp6 and ip6[40] < 5)"

/*
 * A live capture also hands the kernel the capture-filter
 * equivalent of -Y (AND-ed with -f), so fewer packets are copied; the
 * display filter still decides.  Only whole-conversation terms are pushed
 * (ip.addr, tcp.port, protocols: see sl_dfilter_to_bpf).  Files are read
 * whole, so frame numbers stay those of the file; nor does BPF run over a
 * file before dissecting: libpcap's interpreter took as long as the
 * dissector reading only the filter's fields (33 against 36 ns a packet
 * for ip.addr==127.0.0.1 && tcp.len > 0 on bench/genpcap.c's pcap), before
 * the guard that would keep it exact (tunnels, VLAN tags, ICMP-quoted
 * headers and malformed headers let through).  IP fragments always
 * pass (FRAGMENTS), and so does every frame whose inner headers the
 * dissector reads (INNER).  If the combined filter fails, -f alone is opened so
 * its own error is reported.
 */
static int open_pushed_down(struct run *r, const char *exe)
{
	struct capture_cli *o = r->o;
	const char *user = o->src.bpf;
	int rc;

	if (r->filter && !o->src.file &&
	    (!user || sl_buf_printf(&r->bpf, "(%s) and ", user) == 0) &&
	    sl_buf_puts(&r->bpf, "((") == 0 &&
	    sl_dfilter_to_bpf(r->filter, &r->bpf) > 0 &&
	    sl_buf_puts(&r->bpf, ") or " FRAGMENTS " or " INNER ")") == 0) {
		o->src.bpf = r->bpf.data;
		rc = sl_capture_open(&r->cap, &o->src, exe, &r->err);
		o->src.bpf = user;
		r->pushed = rc == 0;
		if (rc != -EINVAL)
			return rc;
	}
	return sl_capture_open(&r->cap, &o->src, exe, &r->err);
}

static int open_all(struct run *r)
{
	struct capture_cli *o = r->o;
	char exe[PATH_MAX];
	int rc;

	if (!realpath("/proc/self/exe", exe))
		snprintf(exe, sizeof(exe), "socklab");
	if ((rc = capture_filter_compile(o->dfilter, &r->filter)))
		return rc;
	/* as tcpdump: immediate mode only for lines a person watches.  A file
	 * or a pipe may lag up to SL_CAPTURE_BATCH_MS, and then the kernel
	 * fills variable-sized blocks instead of snaplen-sized slots, so a
	 * flood fits in the buffer (the live loop still flushes when idle) */
	o->src.batch = !want_packets(o) || !isatty(STDOUT_FILENO);
	rc = open_pushed_down(r, exe);
	if (rc == -EINVAL)
		return bad_capture_filter(o, &r->err);
	if (rc < 0)
		return cli_fail(CMD, &r->err);
	r->ts_digits = sl_capture_ts_digits(r->cap);
	r->frames.linktype = sl_capture_linktype(r->cap);
	r->color = cli_use_color(stdout);
	if (o->wfile && sl_sink_open(&r->sink, r->cap, o->wfile, &r->err) < 0)
		return cli_fail(CMD, &r->err);
	if (o->user && (rc = drop_privileges(o->user)))
		return rc;
	r->pkt = malloc(sizeof(*r->pkt));
	if (sl_stream_table_new(&r->streams, &r->err) < 0 || !r->pkt) {
		cli_error(CMD, "out of memory");
		return EXIT_FAIL;
	}
	r->counter = o->wfile && strcmp(o->wfile, "-") != 0 && !o->quiet &&
		     sl_capture_is_live(r->cap) && isatty(STDERR_FILENO);
	if (r->filter)
		sl_dfilter_fields(r->filter, &r->filter_fields);
	/* -T fields and --flow dissect only what they, -Y and the taps read */
	capture_out_want(&o->out, o->flow, &r->filter_fields);
	if ((rc = capture_taps_start(&o->taps, o->json, o->hex, o->dfilter,
				     &r->filter_fields)))
		return rc;
	if (o->out.fields || o->flow)
		r->want = o->taps.n ? &o->taps.fields : &r->filter_fields;
	/* the co-pilot's packets feed the taps too: they need its fields */
	if ((r->filter || sl_capture_is_live(r->cap)) &&
	    hint_start(&r->hint, sl_capture_is_live(r->cap) ?
			(o->src.iface ? o->src.iface : "lo") : NULL,
		       r->pushed || o->src.bpf, o->taps.n ? &o->taps.fields :
		       &r->filter_fields) < 0) {
		cli_error(CMD, "out of memory");
		return EXIT_FAIL;
	}
	return 0;
}

static void close_all(struct run *r)
{
	sl_capture_close(r->cap);
	sl_dfilter_free(r->filter);
	sl_stream_table_free(r->streams);
	free(r->pkt);
	sl_buf_release(&r->out);
	sl_buf_release(&r->bpf);
	hint_end(&r->hint);
	capture_taps_free(&r->o->taps);
}

static int run_capture(struct run *r)
{
	int rc;

	/* before the -w file exists: a signal while opening must end the run
	 * through the same path (header flushed), not kill it mid-way */
	signals();
	if ((rc = open_all(r)))
		return rc;
	if (sl_capture_is_live(r->cap) && !r->o->quiet)
		fprintf(stderr, "Capturing on '%s'\n",
			r->o->src.iface ? r->o->src.iface : "lo");
	rc = capture_out_start(&r->o->out, stdout, r->ts_digits);
	if (rc == 0)
		rc = sl_capture_is_live(r->cap) ? read_live(r) : read_file(r);
	if (rc == 0 && r->o->taps.n)
		rc = capture_taps_report(&r->o->taps, stdout);
	if (rc == 0)
		rc = capture_out_end(&r->o->out, stdout);
	if (rc == 0)
		rc = flush_all(r);
	if (rc == -EPIPE)
		rc = 0;		/* the reader went away (| head): not ours */
	summary(r);
	if (r->sink && sl_sink_close(r->sink, &r->err) < 0 && rc == 0)
		rc = r->err.code;
	r->sink = NULL;
	if (rc < 0) {
		if (!r->err.msg[0])
			sl_err_set(&r->err, rc, "cannot write the output: %s",
				   strerror(-rc));
		return cli_fail(CMD, &r->err);
	}
	hint_report(&r->hint, r->o->dfilter, r->o->src.bpf, r->filter,
		    r->frames.frames, r->shown);
	return sl_capture_is_live(r->cap) && r->frames.frames == 0 ?
		EXIT_FAIL : EXIT_OK;
}

int cmd_capture(int argc, char **argv)
{
	static char outbuf[1 << 16];
	struct capture_cli o;
	struct run r;
	int rc;

	memset(&o, 0, sizeof(o));
	capture_out_init(&o.out);
	rc = parse_args(&o, argc, argv);
	if (rc) {
		capture_out_release(&o.out);
		return rc < 0 ? EXIT_OK : rc;
	}
	memset(&r, 0, sizeof(r));
	r.o = &o;
	sl_buf_init(&r.out);
	/* a pipe or file gets big writes; the live loop flushes when idle */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	rc = run_capture(&r);
	if (r.sink)
		sl_sink_close(r.sink, NULL);
	fflush(stdout);
	close_all(&r);
	capture_out_release(&o.out);
	return rc;
}
