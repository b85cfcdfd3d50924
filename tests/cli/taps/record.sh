#!/bin/sh
# record.sh - tshark's -z answers for tests/cli/taps.bats: every line of
# LIST (a pcap under tests/, a -z spelling) run through tshark 4.0, its
# output kept in expected/.  Run from the repository's top after adding
# a line; needs tshark.
set -eu
dir=$(dirname "$0")
command -v tshark >/dev/null || { echo "record.sh: tshark is needed" >&2; exit 1; }
grep -v '^#' "$dir/LIST" | while IFS='	' read -r pcap z; do
	[ -n "$pcap" ] || continue
	name=$(basename "$pcap" .pcap).$(echo "$z" | tr ',' '_').txt
	tshark -q -r "tests/$pcap" -z "$z" >"$dir/expected/$name" 2>/dev/null
done
