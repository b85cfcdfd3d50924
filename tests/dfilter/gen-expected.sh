#!/usr/bin/env bash
# gen-expected.sh - records tshark's answer for every filter of CONFORMANCE
# on every pcap of pcaps/ into EXPECTED, so the conformance test need not
# start tshark ~600 times.  Run it after changing CONFORMANCE or the pcaps
# (make golden-update runs it too).  Lines of EXPECTED:
#   PCAP <tab> FILTER <tab> FRAMES    (FRAMES: 1,2,5 or - for none)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v tshark >/dev/null || { echo "gen-expected.sh: tshark is needed" >&2; exit 1; }

one() {	# pcap filter
	local frames
	if ! frames=$(tshark -r "$here/pcaps/$1" -Y "$2" -T fields \
			-e frame.number 2>/dev/null); then
		echo "gen-expected.sh: tshark rejects filter: $2" >&2
		printf '%s\t%s\t!\n' "$1" "$2"
		return 0
	fi
	frames=$(printf '%s' "$frames" | paste -sd, -)
	printf '%s\t%s\t%s\n' "$1" "$2" "${frames:--}"
}
export -f one
export here

{
	echo "# recorded by gen-expected.sh with $(tshark -v 2>/dev/null | head -n 1)"
	for p in "$here"/pcaps/*.pcap; do
		grep -v -e '^#' -e '^$' "$here/CONFORMANCE" |
			while IFS= read -r f; do printf '%s\0%s\0' "${p##*/}" "$f"; done
	done | xargs -0 -n 2 -P "$(nproc)" bash -c 'one "$0" "$1"' | sort -s -t "	" -k1,1
} >"$here/EXPECTED.tmp"
mv "$here/EXPECTED.tmp" "$here/EXPECTED"
if grep -q '	!$' "$here/EXPECTED"; then
	echo "gen-expected.sh: remove the filters tshark rejects from CONFORMANCE" >&2
	exit 1
fi
echo "EXPECTED: $(grep -vc '^#' "$here/EXPECTED") answers"
