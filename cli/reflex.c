/* reflex.c - what users of tcpdump, tshark, ss, netstat and nc type by
 * reflex, answered with socklab's spelling instead of "unknown option"
 * (socklab.c says "did you mean" for a mistyped command).  Only options a command does
 * not have reach this table (getopt takes the real ones first), so a
 * command that grows one of these options simply shadows its line here. */
#include <string.h>

#include "cli.h"

struct reflex {
	const char *cmd;	/* "capture"; NULL: every command */
	const char *opt;	/* "-A", "--count" */
	const char *words;	/* whose it is, and socklab's way */
};

static const struct reflex reflexes[] = {
	/* tcpdump and tshark habits on capture */
	{ "capture", "-A", "is tcpdump's payload-as-ASCII: socklab shows the bytes with -x (hex and ASCII) or the layers with -V" },
	{ "capture", "-X", "is tcpdump's hex and ASCII dump: socklab spells it -x" },
	{ "capture", "-s", "sets tcpdump's snapshot length: socklab always captures whole packets (262144 bytes, as -s 0)" },
	{ "capture", "-B", "sets tcpdump's buffer size: socklab sizes the kernel buffer itself (64 MiB when it writes a file)" },
	{ "capture", "-U", "is tcpdump's packet-buffered -w: socklab writes each packet as it comes and flushes when idle, on Ctrl-C and on SIGUSR1" },
	{ "capture", "-l", "is tcpdump's line buffering: socklab's output already is, on a terminal, and is flushed when idle" },
	{ "capture", "-Q", "picks tcpdump's direction: socklab shows every packet once (on any, loopback echoes are dropped); filter with -Y 'ip.src==ADDR'" },
	{ "capture", "-a", "is tshark's autostop: socklab spells it --duration S or -c N" },
	{ "capture", "-G", "is tshark's glossary: 'socklab help fields' lists the fields" },
	{ "capture", "-o", "sets a tshark preference: socklab has none (relative sequence numbers and reassembly are always on)" },
	{ "capture", "-t", "sets tshark's time format: socklab prints tshark's default (seconds since the first packet)" },
	{ "capture", "-F", "picks tshark's file format: socklab writes pcap, which Wireshark, tshark and tcpdump all read" },
	{ "capture", "-2", "is tshark's two-pass mode: socklab reassembles in one pass" },
	{ "capture", "-v", "is tshark's version (tcpdump's verbosity): 'socklab --version', or -V for every layer" },
	/* nc habits on client and server */
	{ "client", "-N", "is nc's shutdown at end of input: socklab client -i half-closes when stdin ends and still reads the replies" },
	{ "client", "-q", "is nc's linger after end of input: socklab client -i waits for the replies itself; --timeout S bounds a wait" },
	{ "client", "-z", "is nc's port probe: 'socklab why HOST PORT' connects and says what it found, and why" },
	{ "client", "-l", "makes nc listen: that is 'socklab server -p PORT'" },
	{ "client", "-k", "keeps nc listening: 'socklab server' serves every client until stopped" },
	{ "client", "-e", "makes nc run a program: socklab does not run programs for peers" },
	{ "client", "-c", "makes nc run a shell command: socklab does not run programs for peers" },
	{ "server", "-N", "is nc's shutdown at end of input: socklab server closes each connection when its client does" },
	{ "server", "-q", "is nc's linger: socklab server closes each connection when its client does (--idle-timeout S for silent ones)" },
	{ "server", "-z", "is nc's port probe: 'socklab why HOST PORT' probes a server" },
	{ "server", "-v", "is nc's verbosity: socklab server logs every event already (--json for records)" },
	{ "server", "-e", "makes nc run a program: socklab server answers Hello, NAME! itself" },
	{ "server", "-c", "makes nc run a shell command: socklab server answers Hello, NAME! itself" },
	/* ss and netstat habits on sockets */
	{ "sockets", "-r", "asks ss to resolve names: socklab shows numbers only" },
	{ "sockets", "-E", "is ss's event stream: socklab spells it --watch" },
	{ "sockets", "-c", "is netstat's continuous mode: socklab spells it --watch" },
	{ "sockets", "-N", "runs ss in a network namespace: ip netns exec NETNS socklab sockets" },
	{ "sockets", "-A", "picks ss's socket tables: socklab takes -t, -u, -l, --state S and --port N" },
	{ "sockets", "-f", "picks ss's family: socklab spells it -4 or -6" },
	{ "sockets", "-H", "drops ss's header: socklab --json gives one record per line, no header" },
	/* every command */
	{ NULL, "-j", "asks for JSON: socklab spells it --json" },
};

int cli_reflex(const char *cmd, const char *opt)
{
	for (size_t i = 0; i < SL_ARRAY_SIZE(reflexes); i++) {
		const struct reflex *r = &reflexes[i];

		if ((!r->cmd || !strcmp(r->cmd, cmd)) && !strcmp(r->opt, opt))
			return cli_usage_error(cmd, "%s %s", opt, r->words);
	}
	return 0;
}
