#!/usr/bin/env bats
# copilot.bats - the filter co-pilot of socklab capture (a -Y that matched
# nothing, a live run that captured nothing, a filter in the other dialect
# or typed bare, an unknown field), the interface list (-D), the field
# list (help fields), other tools' options (reflex.c) and mistyped
# commands.  Live runs happen in a network namespace of their own.

bats_require_minimum_version 1.5.0
load helpers

P4=$BATS_TEST_DIRNAME/../dfilter/pcaps/tcp4.pcap

# live_with_traffic ARGS...: socklab capture ARGS for 1.5 s on lo in a
# network namespace of its own, while one IPv4 connection attempt crosses
# it; the capture's stderr in $stderr
live_with_traffic() {
	unshare -n true 2>/dev/null || skip "unshare -n is not permitted here"
	run --separate-stderr unshare -n bash -c 'ip link set lo up
		"$0" capture --duration 1.5 "${@:2}" >/dev/null 2>"$1/err" &
		c=$!
		for _ in $(seq 200); do grep -q "^Capturing" "$1/err" 2>/dev/null && break; sleep 0.02; done
		"$0" why --no-capture -4 127.0.0.1 59001 >/dev/null || true
		wait $c; cat "$1/err" >&2' "$SOCKLAB" "$TMP" "$@"
}
P6=$BATS_TEST_DIRNAME/../dfilter/pcaps/tcp6.pcap

@test "capture -r: -Y ipv6 on IPv4 packets -> 0 of N matched, all IPv4 between A and B, try ip.addr" {
	run --separate-stderr "$SOCKLAB" capture -r "$P4" -Y 'ipv6.addr==::1' -q
	[ "$status" -eq 0 ]
	[[ "${stderr_lines[1]}" == "socklab capture: 0 of 22 packets matched ipv6.addr==::1: all 22 are IPv4 between 127.0.0.1 and 127.0.0.1 (22 TCP; ports "*") — try ip.addr==127.0.0.1" ]]
	# the suggestion does match
	run --separate-stderr "$SOCKLAB" capture -r "$P4" -Y 'ip.addr==127.0.0.1' -q
	[[ "$stderr" == "22 packets seen, 22 shown"* ]]
}

@test "capture -r: the reverse (ip.addr on IPv6) and a port nobody used -> the busiest server port" {
	run --separate-stderr "$SOCKLAB" capture -r "$P6" -Y 'ip.addr==127.0.0.1'
	[[ "$stderr" == *"all 22 are IPv6 between ::1 and ::1"*" — try ipv6.addr==::1" ]]
	run --separate-stderr "$SOCKLAB" capture -r "$P4" -Y 'tcp.port==80'
	[[ "$stderr" =~ —\ try\ tcp\.port==([0-9]+)$ ]]
	run --separate-stderr "$SOCKLAB" capture -r "$P4" -Y "tcp.port==${BASH_REMATCH[1]}" -q
	[[ "$stderr" != "22 packets seen, 0 shown"* ]]
}

@test "capture -r: a filter that matches says nothing more" {
	run --separate-stderr "$SOCKLAB" capture -r "$P4" -Y 'tcp' -q
	[ "${#stderr_lines[@]}" -eq 1 ]
}

@test "capture live, nothing sent: the interface carried nothing, no filter is to blame" {
	unshare -n true 2>/dev/null || skip "unshare -n is not permitted here"
	run --separate-stderr unshare -n sh -c 'ip link set lo up; exec "$0" capture --duration 0.5 -Y "ip.addr==127.0.0.1" -q' "$SOCKLAB"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"socklab capture: nothing captured on lo: lo carried no packet at all during the capture, so no filter is to blame; start the traffic while capturing, or capture where it goes (-i any; 'socklab capture -D' lists the interfaces)"* ]]
}

@test "capture live, IPv4 traffic, -Y ipv6 (pushed into the kernel): carried N, none passed, what they were, try" {
	live_with_traffic -Y 'ipv6.addr==::1'
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"socklab capture: nothing captured on lo: it carried "*" packets, none passed -Y 'ipv6.addr==::1'; of the first "*": all "*" are IPv4 between 127.0.0.1 and 127.0.0.1 ("*" TCP; ports "*"59001"*") — try ip.addr==127.0.0.1"* ]]
}

@test "capture live with -f that rejects everything: the capture filter is named" {
	live_with_traffic -f udp
	[[ "$stderr" == *"nothing captured on lo: it carried "*" packets, none passed the capture filter -f 'udp'; of the first "*": all "*" are IPv4"* ]]
}

@test "capture: a filter typed bare, in either dialect, gets its spelling; -f/-Y mix-ups too" {
	run --separate-stderr "$SOCKLAB" capture tcp port 80
	[ "$status" -eq 2 ]
	[[ "$stderr" == "socklab capture: \"tcp port 80\" is a capture filter: socklab takes it after -f (tcpdump takes it bare): socklab capture -f 'tcp port 80'"* ]]
	run --separate-stderr "$SOCKLAB" capture 'ip.addr==127.0.0.1'
	[ "$status" -eq 2 ]
	[[ "$stderr" == "socklab capture: \"ip.addr==127.0.0.1\" is a display filter (Wireshark syntax): give it with -Y: socklab capture -Y 'ip.addr==127.0.0.1'"* ]]
	run --separate-stderr "$SOCKLAB" capture -r "$P4" -f 'ip.addr==127.0.0.1'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-f: \"ip.addr==127.0.0.1\" is a display filter (Wireshark syntax); use -Y 'ip.addr==127.0.0.1' or the capture filter -f 'ip host 127.0.0.1'"* ]]
	run --separate-stderr "$SOCKLAB" capture -r "$P4" -Y 'host 127.0.0.1'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"\"host 127.0.0.1\" is a capture filter (tcpdump syntax); the display filter is 'ip.addr==127.0.0.1'"* ]]
}

@test "capture: an unknown field names the closest ones and help fields, which lists the registry" {
	run --separate-stderr "$SOCKLAB" capture -r "$P4" -Y 'tcp.prot == 80'
	[ "$status" -eq 2 ]
	[ "${stderr_lines[2]}" = "unknown field \"tcp.prot\" — did you mean \"tcp.port\"? Close too: tcp.payload ('socklab help fields' lists every field)" ]
	run "$SOCKLAB" help fields
	[ "$status" -eq 0 ]
	# every field of the registry, one line each, the suggested ones too
	[[ "$output" == *$'\ntcp.port\tunsigned\t'* ]]
	[[ "$output" == *$'\ntcp.payload\tbytes\t'* ]]
}

@test "capture -D lists the interfaces as tshark -D, lo among them" {
	run "$SOCKLAB" capture -D
	[ "$status" -eq 0 ]
	[[ "$output" =~ (^|$'\n')[0-9]+\.\ lo\ \(Loopback\) ]]
	[[ "${lines[0]}" == "1. "* ]]
}

@test "other tools' options get socklab's spelling, exit 2; real options still win" {
	run --separate-stderr "$SOCKLAB" capture -A
	[ "$status" -eq 2 ]
	[[ "$stderr" == "socklab capture: -A is tcpdump's payload-as-ASCII: socklab shows the bytes with -x (hex and ASCII) or the layers with -V; see 'socklab capture --help'" ]]
	run --separate-stderr "$SOCKLAB" capture -X -r "$P4"
	[[ "$stderr" == *"-X is tcpdump's hex and ASCII dump: socklab spells it -x"* ]]
	run --separate-stderr "$SOCKLAB" capture -s 0
	[[ "$stderr" == *"-s sets tcpdump's snapshot length"* ]]
	run --separate-stderr "$SOCKLAB" client -z localhost 59001
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-z is nc's port probe: 'socklab why HOST PORT'"* ]]
	run --separate-stderr "$SOCKLAB" client -N
	[[ "$stderr" == *"-N is nc's shutdown at end of input"* ]]
	run --separate-stderr "$SOCKLAB" server -q 1
	[[ "$stderr" == *"-q is nc's linger"* ]]
	run --separate-stderr "$SOCKLAB" sockets -E
	[[ "$stderr" == *"-E is ss's event stream: socklab spells it --watch"* ]]
	# -K is sockets' own (ss -K's kill): its own usage, no reflex message
	run --separate-stderr "$SOCKLAB" sockets -K
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-K closes every socket it lists"* ]]
	# -x is capture's own: no reflex message
	run --separate-stderr "$SOCKLAB" capture -r "$P4" -x -c 1
	[ "$status" -eq 0 ]
	# an option nobody has is still unknown
	run --separate-stderr "$SOCKLAB" capture -W
	[[ "$stderr" == "socklab capture: option -W needs a value or is unknown"* ]]
}

@test "a mistyped or borrowed command name: did you mean" {
	run --separate-stderr "$SOCKLAB" netstat -a
	[ "$status" -eq 2 ]
	[ "$stderr" = "socklab: unknown command \"netstat\": did you mean 'socklab sockets'? ('socklab --help' lists them all)" ]
	run --separate-stderr "$SOCKLAB" captrue
	[[ "$stderr" == *"did you mean 'socklab capture'?"* ]]
	run --separate-stderr "$SOCKLAB" tcpdump
	[[ "$stderr" == *"did you mean 'socklab capture'?"* ]]
	run --separate-stderr "$SOCKLAB" qwerty
	[ "$stderr" = "socklab: unknown command \"qwerty\": see 'socklab --help' for the list" ]
}
