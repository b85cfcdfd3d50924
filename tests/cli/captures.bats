#!/usr/bin/env bats
# captures.bats - the differential against tshark 4.0 (default
# preferences): every field socklab registers, frame by frame, on every
# pcap the tests hold (tests/captures/fields.py over the answers
# tests/captures/answers.sh recorded), the recorded answers re-checked
# against a live tshark, and the crafted pcaps rebuilt byte for byte.

CAP="$BATS_TEST_DIRNAME/../captures"

setup() {
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP"
}

@test "every registered field equals tshark's, frame by frame, on every pcap (differences only as KNOWN says)" {
	run python3 "$CAP/fields.py"
	echo "$output" | tail -n 40 >&2
	[ "$status" -eq 0 ]
	[[ "$output" == *"0 (pcap, field) differences outside KNOWN"* ]]
}

@test "the answers cover every field of the registry and every pcap of the tests" {
	"$SOCKLAB" help fields | cut -f1 | sort >"$TMP/registry"
	cut -f1 "$CAP/answers/fields.tsv" | sort >"$TMP/answered"
	comm -23 "$TMP/registry" "$TMP/answered" >"$TMP/missing"
	[ ! -s "$TMP/missing" ] || { cat "$TMP/missing" >&2; false; }
	! grep -q 'MISSING$' "$CAP/answers/fields.tsv"
	for p in "$CAP"/../{golden,dfilter,captures}/pcaps/*.pcap; do
		d=${p%/pcaps/*}
		[ -f "$CAP/answers/${d##*/}/${p##*/}.jsonl" ] || { echo "no answers for $p" >&2; false; }
	done
}

@test "the recorded answers are tshark's (live re-check of a sample)" {
	command -v tshark >/dev/null || skip "tshark not installed"
	mapfile -t names < <(awk -F '\t' '$2 != "MISSING" { print $1 }' "$CAP/answers/fields.tsv")
	args=()
	for f in "${names[@]}"; do args+=(-e "$f"); done
	for rel in captures/gre.pcap captures/apps.pcap golden/eth.pcap; do
		tshark -r "$CAP/../${rel%%/*}/pcaps/${rel#*/}" -T json "${args[@]}" 2>/dev/null |
			python3 -c '
import json, sys
for pkt in json.load(sys.stdin):
    print(json.dumps(pkt["_source"]["layers"], sort_keys=True,
                     separators=(",", ":"), ensure_ascii=True))' >"$TMP/live"
		diff "$CAP/answers/$rel.jsonl" "$TMP/live"
	done
}

@test "mkpcaps.py rebuilds the committed crafted pcaps byte for byte" {
	/usr/bin/python3 -c 'import scapy' 2>/dev/null || skip "python3-scapy not installed"
	/usr/bin/python3 "$CAP/mkpcaps.py" "$TMP" 2>/dev/null
	n=0
	for f in "$TMP"/*.pcap; do
		cmp "$f" "$CAP/pcaps/${f##*/}"
		n=$((n + 1))
	done
	[ "$n" -ge 10 ]
}

@test "filters.tsv holds what the seeded generator writes (filters.py check)" {
	run python3 "$CAP/filters.py" check
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[ "$(grep -vc '^#' "$CAP/filters.tsv")" -ge 3000 ]
}

@test "the recorded filter answers are tshark -Y's (live re-check of a sample)" {
	command -v tshark >/dev/null || skip "tshark not installed"
	# every 300th filter tshark accepts: a dozen tshark runs
	n=0
	while IFS=$'\t' read -r rel filter want; do
		live=$(tshark -r "$CAP/../${rel%%/*}/pcaps/${rel#*/}" -Y "$filter" \
			-T fields -e frame.number 2>/dev/null | paste -sd, -)
		[ "${live:--}" = "$want" ] || { echo "$rel: $filter: recorded $want, tshark ${live:--}" >&2; false; }
		n=$((n + 1))
	done < <(grep -v '^#' "$CAP/filters.tsv" | awk -F '\t' '$3 != "!"' | awk 'NR % 300 == 1')
	[ "$n" -ge 10 ]
}
