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

conform() {	# pcap [--known]
	run "$D/conform.sh" "$SOCKLAB" "$@"
	printf '%s\n' "${lines[@]}"
	[ "$status" -eq 0 ]
}

@test "EXPECTED answers every CONFORMANCE filter on every pcap" {
	run awk -F '\t' -v pcaps="$(cd "$D/pcaps" && echo *.pcap)" '
		FNR == NR { if ($0 !~ /^#/ && $0 != "") f[++n] = $0; next }
		!/^#/ { have[$1 "\t" $2] = 1 }
		END {
			np = split(pcaps, p, " ")
			for (i = 1; i <= np; i++)
				for (j = 1; j <= n; j++)
					if (!((p[i] "\t" f[j]) in have)) {
						print "missing: " p[i] " " f[j]
						bad = 1
					}
			print n " filters x " np " pcaps"
			exit bad || n < 80
		}' "$D/CONFORMANCE" "$D/EXPECTED"
	printf '%s\n' "${lines[@]}"
	[ "$status" -eq 0 ]
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
	conform frag.pcap --known
}

@test "recorded answers still match a live tshark (sample)" {
	command -v tshark >/dev/null || skip "tshark not installed"
	local pcap filter want live i=0
	# every 160th line: 4 filters across the pcaps, ~2 s of tshark
	while IFS=$'\t' read -r pcap filter want; do
		i=$((i + 1))
		[ $((i % 160)) -eq 0 ] || continue
		live=$(tshark -r "$D/pcaps/$pcap" -Y "$filter" -T fields \
			-e frame.number 2>/dev/null | paste -sd, -)
		echo "$pcap: $filter: recorded $want, live ${live:--}"
		[ "${live:--}" = "$want" ]
	done < <(grep -v '^#' "$D/EXPECTED")
}

bad() {	# filter: must be refused with exit 2 and three lines
	run "$SOCKLAB" capture -r "$D/pcaps/tcp4.pcap" -Y "$1"
	printf '%s\n' "${lines[@]}"
	[ "$status" -eq 2 ] && [ "${#lines[@]}" -ge 3 ]
}

@test "a bad field: three lines, caret under it, did-you-mean, exit 2" {
	bad 'ip.adr == 1'
	[ "${lines[0]}" = 'socklab capture: bad display filter: "ip.adr == 1"' ]
	[ "${lines[1]}" = '                                      ^~~~~~' ]
	[ "${lines[2]}" = "unknown field \"ip.adr\" — did you mean \"ip.addr\"? ('socklab help fields' lists every field)" ]
}

@test "a type error names the field's type and the value given" {
	bad 'ip.addr == 1 && tcp'
	[ "${lines[1]}" = '                                                 ^' ]
	[[ "${lines[2]}" == *'"1" is not an IPv4 address: ip.addr is an IPv4 address'* ]]
	bad 'tcp.port == "80"'
	[[ "${lines[2]}" == *'tcp.port is an unsigned integer, not a string'* ]]
}

@test "a capture filter given to -Y gets its display spelling" {
	bad 'host 127.0.0.1'
	[[ "${lines[2]}" == *"\"host 127.0.0.1\" is a capture filter (tcpdump syntax); the display filter is 'ip.addr==127.0.0.1'"* ]]
	bad 'tcp port 80'
	[[ "${lines[2]}" == *"the display filter is 'tcp.port==80'"* ]]
}

@test "syntax errors point at the spot" {
	bad '(tcp.port == 80'
	[ "${lines[1]}" = '                                      ^' ]
	[[ "${lines[2]}" == *'this "(" has no closing ")"'* ]]
	bad 'tcp.port == 80 &&'
	[[ "${lines[2]}" == *'unexpected end of filter'* ]]
}

@test "docs/filter.md lists every registered field (scripts/fields-doc.sh --check)" {
	run "$BATS_TEST_DIRNAME/../../scripts/fields-doc.sh" --check "$SOCKLAB"
	echo "$output" | tail -n 20 >&2
	[ "$status" -eq 0 ]
	# each field of the registry is in the document
	while IFS=$'\t' read -r name _; do
		grep -qF "| \`$name\` |" "$BATS_TEST_DIRNAME/../../docs/filter.md" ||
			{ echo "missing: $name" >&2; false; }
	done < <("$SOCKLAB" help fields)
}
