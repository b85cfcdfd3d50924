#!/usr/bin/env bash
# answers-z.sh [PCAP...] - records tshark's -z outputs (default
# preferences), the answers socklab's --conv, --endpoints, --expert, --flow
# and --follow are compared with, so that the tests need no tshark:
# answers/z/NAME/ for each pcap NAME (default: tests/golden/pcaps/* and
# tests/captures/pcaps/tcp-*.pcap), one file a report, each `tshark -q -r
# PCAP -z REPORT` verbatim:
#   conv-tcp conv-udp conv-ip            -z conv,tcp|udp|ip
#   endpoints-tcp endpoints-udp endpoints-ip   -z endpoints,...
#   expert                               -z expert
#   flow-tcp                             -z flow,tcp,standard
#   follow-tcp-ascii-N follow-tcp-hex-N  -z follow,tcp,ascii|hex,N
#   follow-udp-ascii-N                   -z follow,udp,ascii,N
# with N every tcp.stream (udp.stream) the pcap holds, at most MAX_STREAMS
# (64) of each: the pcaps here hold fewer.  A line in answers/VERSION
# names the tshark.  Run after changing a pcap (answers.sh keeps z/).
# ZDIR=DIR writes the reports there instead, VERSION untouched (the
# live re-check of tests/cli/captures-tcp.bats).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tests=$(cd "$here/.." && pwd)
MAX_STREAMS=64
command -v tshark >/dev/null || { echo "answers-z.sh: tshark is needed" >&2; exit 1; }
z=${ZDIR:-$here/answers/z}
if [ $# -eq 0 ]; then
	set -- "$tests"/golden/pcaps/*.pcap* "$here"/pcaps/tcp-*.pcap
fi

streams() {	# PCAP FIELD: the stream numbers, at most MAX_STREAMS
	tshark -r "$1" -T fields -e "$2" 2>/dev/null | grep -E '^[0-9]+$' |
		sort -n -u | head -n "$MAX_STREAMS"
}

report() {	# PCAP OUT REPORT
	if ! tshark -q -r "$1" -z "$3" >"$2.tmp" 2>/dev/null; then
		echo "answers-z.sh: tshark -z $3 failed on ${1##*/}: skipped" >&2
		rm -f "$2.tmp"
		return 0
	fi
	mv "$2.tmp" "$2"
}

n=0 files=0
for pcap in "$@"; do
	[ -f "$pcap" ] || { echo "answers-z.sh: no file $pcap" >&2; exit 1; }
	name=${pcap##*/}
	d=$z/$name
	rm -rf "$d"
	mkdir -p "$d"
	for r in tcp udp ip; do
		report "$pcap" "$d/conv-$r.txt" "conv,$r"
		report "$pcap" "$d/endpoints-$r.txt" "endpoints,$r"
	done
	report "$pcap" "$d/expert.txt" expert
	report "$pcap" "$d/flow-tcp.txt" flow,tcp,standard
	for s in $(streams "$pcap" tcp.stream); do
		report "$pcap" "$d/follow-tcp-ascii-$s.txt" "follow,tcp,ascii,$s"
		report "$pcap" "$d/follow-tcp-hex-$s.txt" "follow,tcp,hex,$s"
	done
	for s in $(streams "$pcap" udp.stream); do
		report "$pcap" "$d/follow-udp-ascii-$s.txt" "follow,udp,ascii,$s"
	done
	n=$((n + 1))
	files=$((files + $(find "$d" -type f | wc -l)))
done
if [ -n "${ZDIR:-}" ]; then
	echo "answers-z.sh: $n pcaps, $files reports in $z"
	exit 0
fi
v=$here/answers/VERSION
line="# z/ recorded by answers-z.sh with $(tshark -v 2>/dev/null | head -n 1)"
{ grep -v '^# z/ ' "$v" 2>/dev/null || true; echo "$line"; } >"$v.tmp"
mv "$v.tmp" "$v"
echo "answers-z.sh: $n pcaps, $files reports in ${z#"$tests"/}"
