#!/bin/sh
# tfields-cases.sh MODE TOOL... - the -T fields cases of tfields.bats, one a
# line: "NAME<TAB>PCAP<TAB>ARGS"; MODE list prints them, MODE run NAME runs
# TOOL (tshark, or socklab capture) on that case.  The pcaps: every one of
# tests/captures/pcaps and tests/golden/pcaps with every registry field
# whose text socklab writes as tshark (tfields.fields); then -E's options.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
ans=$here/tests/captures/answers/tfields
cases() {
	for p in "$here"/tests/captures/pcaps/*.pcap "$here"/tests/golden/pcaps/*.pcap; do
		printf '%s\t%s\t%s\n' "all-$(basename "$p" .pcap)" "$p" "@fields"
	done
	g=$here/tests/golden/pcaps/eth.pcap
	printf 'header\t%s\t%s\n' "$g" "-E header=y -E separator=, -E quote=d -e frame.number -e ip.src -e ip.addr -e tcp.flags -e frame.time_relative -e tcp.payload"
	printf 'last\t%s\t%s\n' "$g" "-E occurrence=l -E aggregator=/s -E separator=/s -e ip.addr -e eth.addr -e tcp.port"
	printf 'first\t%s\t%s\n' "$g" "-E occurrence=f -E quote=s -e ipv6.addr -e tcp.port -e tcp.flags.syn"
	printf 'filter\t%s\t%s\n' "$g" "-Y tcp.len>0 -e frame.number -e tcp.stream -e tcp.seq -e tcp.len -e tcp.flags"
	printf 'count\t%s\t%s\n' "$g" "-c 5 -e frame.number -e tcp.flags.ack -e tcp.ack"
	printf 'bom\t%s\t%s\n' "$here/tests/captures/pcaps/apps.pcap" "-E bom=y -E header=y -E separator=/x -e dns.qry.name -e udp.payload -e dns"
}
case $1 in
list) cases ;;
run)
	name=$2; shift 2
	line=$(cases | awk -F '\t' -v n="$name" '$1 == n')
	pcap=$(printf '%s' "$line" | cut -f2)
	args=$(printf '%s' "$line" | cut -f3)
	if [ "$args" = "@fields" ]; then
		args=$(sed 's/^/-e /' "$ans/tfields.fields" | tr '\n' ' ')
	fi
	# shellcheck disable=SC2086
	"$@" -r "$pcap" -T fields $args ;;
esac
