#!/usr/bin/env bats
# dfilter.bats - display filters: the frames socklab selects must be the
# frames tshark selects.  tests/dfilter/EXPECTED holds tshark's answers for
# every filter of CONFORMANCE on every pcap of pcaps/ (recorded by
# gen-expected.sh: ~600 tshark runs take two minutes, too slow for every
# make check); a sample is re-checked against a live tshark when present.
# KNOWN_DIFFS lists the differences that come from the dissector, not the
# filter (IPv4 reassembly).

D="$BATS_TEST_DIRNAME/../dfilter"

setup_file() {
	[ -x "$SOCKLAB" ] || { echo "SOCKLAB not set" >&2; return 1; }
}

frames() {	# pcap filter -> "1,2,3" or "-" (in $got, no subshells)
	local l n
	got=
	mapfile -t out < <("$SOCKLAB" capture -r "$D/pcaps/$1" -Y "$2" 2>/dev/null)
	for l in "${out[@]}"; do
		l=${l#"${l%%[![:space:]]*}"}	# the summary's first column
		n=${l%%[[:space:]]*}
		got+=${got:+,}$n
	done
	got=${got:--}
}

load_known() {
	local pcap filter why
	declare -gA KNOWN=()
	while IFS=$'\t' read -r pcap filter why; do
		case $pcap in '#'* | '') continue ;; esac
		KNOWN["$pcap	$filter"]=$why
	done < "$D/KNOWN_DIFFS"
}

conform() {	# pcap
	local pcap filter want bad=0 n=0
	load_known
	while IFS=$'\t' read -r pcap filter want; do
		[ "$pcap" = "$1" ] || continue
		[ -n "${KNOWN["$pcap	$filter"]:-}" ] && continue
		frames "$pcap" "$filter"
		n=$((n + 1))
		if [ "$got" != "$want" ]; then
			echo "$pcap: $filter: tshark $want, socklab $got"
			bad=$((bad + 1))
		fi
	done < "$D/EXPECTED"
	echo "$1: $n filters, $bad differ"
	[ "$n" -ge 80 ] && [ "$bad" -eq 0 ]
}

@test "EXPECTED answers every CONFORMANCE filter on every pcap" {
	local p f n=0
	for p in "$D"/pcaps/*.pcap; do
		while IFS= read -r f; do
			case $f in '#'* | '') continue ;; esac
			n=$((n + 1))
			grep -qF -- "${p##*/}	$f	" "$D/EXPECTED" ||
				{ echo "missing: ${p##*/} $f (run gen-expected.sh)"; return 1; }
		done < "$D/CONFORMANCE"
	done
	[ "$n" -ge 320 ]
}

@test "conformance with tshark: IPv4 TCP (two conversations, a reset)" {
	conform tcp4.pcap
}

@test "conformance with tshark: IPv6 TCP (two conversations, a reset)" {
	conform tcp6.pcap
}

@test "conformance with tshark: UDP over IPv4 and IPv6, ICMP echo" {
	conform udp.pcap
}

@test "conformance with tshark: IPv4 fragments" {
	conform frag.pcap
}

@test "known differences (reassembly) still differ as recorded" {
	local pcap filter why want
	while IFS=$'\t' read -r pcap filter why; do
		case $pcap in '#'* | '') continue ;; esac
		want=$(awk -F '\t' -v p="$pcap" -v f="$filter" \
			'$1 == p && $2 == f { print $3 }' "$D/EXPECTED")
		frames "$pcap" "$filter"
		echo "$pcap: $filter: tshark $want, socklab $got ($why)"
		[ -n "$want" ] && [ "$got" != "$want" ]
	done < "$D/KNOWN_DIFFS"
}

@test "recorded answers still match a live tshark (sample)" {
	command -v tshark >/dev/null || skip "tshark not installed"
	local pcap filter want live i=0
	# every 97th line: a few filters across the pcaps, ~2 s of tshark
	while IFS=$'\t' read -r pcap filter want; do
		i=$((i + 1))
		[ $((i % 97)) -eq 0 ] || continue
		live=$(tshark -r "$D/pcaps/$pcap" -Y "$filter" -T fields \
			-e frame.number 2>/dev/null | paste -sd, -)
		echo "$pcap: $filter: recorded $want, live ${live:--}"
		[ "${live:--}" = "$want" ]
	done < <(grep -v '^#' "$D/EXPECTED")
}

@test "a bad field: three lines, caret under it, did-you-mean, exit 2" {
	run "$SOCKLAB" capture -r "$D/pcaps/tcp4.pcap" -Y 'ip.adr == 1'
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = 'socklab capture: bad display filter: "ip.adr == 1"' ]
	[ "${lines[1]}" = '                                      ^~~~~~' ]
	[ "${lines[2]}" = 'unknown field "ip.adr" — did you mean "ip.addr"?' ]
}

@test "a type error names the field's type and the value given" {
	run "$SOCKLAB" capture -r "$D/pcaps/tcp4.pcap" -Y 'ip.addr == 1 && tcp'
	[ "$status" -eq 2 ]
	[ "${lines[1]}" = '                                                 ^' ]
	[[ "${lines[2]}" == *'"1" is not an IPv4 address: ip.addr is an IPv4 address'* ]]
	run "$SOCKLAB" capture -r "$D/pcaps/tcp4.pcap" -Y 'tcp.port == "80"'
	[ "$status" -eq 2 ]
	[[ "${lines[2]}" == *'tcp.port is an unsigned integer, not a string'* ]]
}

@test "a capture filter given to -Y gets its display spelling" {
	run "$SOCKLAB" capture -r "$D/pcaps/tcp4.pcap" -Y 'host 127.0.0.1'
	[ "$status" -eq 2 ]
	[[ "${lines[2]}" == *"\"host 127.0.0.1\" is a capture filter (tcpdump syntax); the display filter is 'ip.addr==127.0.0.1'"* ]]
	run "$SOCKLAB" capture -r "$D/pcaps/tcp4.pcap" -Y 'tcp port 80'
	[ "$status" -eq 2 ]
	[[ "${lines[2]}" == *"the display filter is 'tcp.port==80'"* ]]
}

@test "syntax errors point at the spot" {
	run "$SOCKLAB" capture -r "$D/pcaps/tcp4.pcap" -Y '(tcp.port == 80'
	[ "$status" -eq 2 ]
	[ "${lines[1]}" = '                                      ^' ]
	[[ "${lines[2]}" == *'this "(" has no closing ")"'* ]]
	run "$SOCKLAB" capture -r "$D/pcaps/tcp4.pcap" -Y 'tcp.port == 80 &&'
	[ "$status" -eq 2 ]
	[[ "${lines[2]}" == *'unexpected end of filter'* ]]
}
