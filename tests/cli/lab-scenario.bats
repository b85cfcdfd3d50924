#!/usr/bin/env bats
# socklab lab --scenario: each classic failure reproduced, its symptom,
# socket states, packets and diagnosis asserted, the capture re-read by
# tshark; as root each runs in a network namespace of its own.

bats_require_minimum_version 1.5.0

setup() {
	TMP=$(mktemp -d)
	chmod 755 "$TMP"
}

teardown() {
	rm -rf "$TMP"
}

scenario() {	# NAME: runs it into $TMP/e, output in $output
	run "$SOCKLAB" lab --scenario "$1" --name alice --out "$TMP/e" --no-images
	echo "$output"
	P=$TMP/e/alice_$1
}

json() {	# FILE EXPRESSION over j
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# tshark's count of frames matching a display filter in the scenario's capture
frames() {
	tshark -r "${P}_packet.pcapng" -Y "$1" 2>/dev/null | wc -l
}

all_verified() {
	[ "$status" -eq 0 ]
	[[ $output == *"in a network namespace of its own"* ]] || [ "$(id -u)" -ne 0 ]
	[ "$(json "${P}_report.json" '",".join(s["status"] for s in j["steps"])')" = "ok,ok,ok,ok,ok,ok" ]
	[ "$(json "${P}_report.json" 'j["scenario"]')" = "$1" ]
	for k in symptom states packets diagnosis fix; do [ -s "${P}_$k.txt" ]; done
}

@test "scenario list, and an unknown one" {
	run "$SOCKLAB" lab --scenario list
	[ "$status" -eq 0 ]
	for s in refused ipv6-mismatch timewait backlog rst zero-window partial-line half-close; do
		[[ $output == *"  $s "* ]]
	done
	run "$SOCKLAB" lab --scenario nope
	[ "$status" -eq 2 ]
	[[ $output == *'no scenario "nope"'* ]]
}

@test "refused: ECONNREFUSED, nothing listens, SYN answered by RST" {
	scenario refused
	all_verified refused
	grep -q '= -1 ECONNREFUSED (Connection refused)' "${P}_symptom.txt"
	! grep -q LISTEN <(sed -n '/^\$ socklab sockets/,/^$/p' "${P}_states.txt")
	grep -q 'nobody listens on port 59001' "${P}_packets.txt"
	[ "$(frames 'tcp.flags.reset==1 && tcp.srcport==59001')" -eq 1 ]
	grep -q 'is an answer' "${P}_diagnosis.txt"
	grep -q 'the same connect() succeeds' "${P}_fix.txt"
}

@test "ipv6-mismatch: refused on ::1 while 127.0.0.1 listens" {
	scenario ipv6-mismatch
	all_verified ipv6-mismatch
	grep -q 'connect(\[::1\]:59001)' "${P}_symptom.txt"
	grep -qE 'tcp +[0-9]+ +[0-9]+ +127\.0\.0\.1:59001 +0\.0\.0\.0:\* +LISTEN' "${P}_states.txt"
	! grep -qE 'tcp6 .*LISTEN' "${P}_states.txt"
	[ "$(frames 'ipv6 && tcp.flags.reset==1')" -eq 2 ]	# the symptom, and the fix's first try
	[ "$(frames 'ip && tcp.flags.syn==1 && tcp.flags.ack==1')" -eq 1 ]
	grep -q 'two families' "${P}_diagnosis.txt"
}

@test "timewait: EADDRINUSE on restart, TIME_WAIT holds the port, SO_REUSEADDR in both runs binds" {
	scenario timewait
	all_verified timewait
	grep -q 'EADDRINUSE (Address already in use)' "${P}_symptom.txt"
	grep -qE 'tcp +[0-9]+ +[0-9]+ +127\.0\.0\.1:59001 +127\.0\.0\.1:[0-9]+ +TIME_WAIT +- +(59|60) s left' "${P}_states.txt"
	grep -q 'both must have it' "${P}_states.txt"
	# the server (port 59001) sent the first FIN
	first_fin=$(tshark -r "${P}_packet.pcapng" -Y 'tcp.flags.fin==1' -T fields -e tcp.srcport | head -1)
	[ "$first_fin" -eq 59001 ]
	grep -qE 'TIME_WAIT.*60 s on Linux' "${P}_diagnosis.txt"
	grep -qE 'tcp +[0-9]+ +[0-9]+ +127\.0\.0\.1:59002 +0\.0\.0\.0:\* +LISTEN' "${P}_fix.txt"
	grep -qE 'tcp +[0-9]+ +[0-9]+ +127\.0\.0\.1:59002 .*TIME_WAIT' "${P}_fix.txt"
}

@test "backlog: the queue full, the third SYN dropped and sent again about 1 s later" {
	scenario backlog
	all_verified backlog
	grep -q 'client 3: connect() still waiting' "${P}_symptom.txt"
	grep -q '2 waiting to be accepted, backlog 1' "${P}_states.txt"
	grep -qE 'SYN_SENT' "${P}_states.txt"
	grep -qE '[1-9][0-9]* accept-queue overflows' "${P}_states.txt"
	# tshark sees the same SYN twice from one port, ~1 s apart
	python3 - "${P}_packet.pcapng" <<'PY'
import subprocess, sys
out = subprocess.run(["tshark", "-r", sys.argv[1], "-Y", "tcp.flags.syn==1 && tcp.flags.ack==0",
                      "-T", "fields", "-e", "tcp.srcport", "-e", "frame.time_relative"],
                     capture_output=True, text=True).stdout.split("\n")
seen = {}
for line in filter(None, out):
    port, t = line.split("\t")
    seen.setdefault(port, []).append(float(t))
again = [v for v in seen.values() if len(v) > 1]
assert again and 0.8 < again[0][1] - again[0][0] < 2.0, seen
PY
	grep -q 'drops new SYNs' "${P}_diagnosis.txt"
}

@test "rst: SO_LINGER 0 sends RST, the client's recv() gets ECONNRESET" {
	scenario rst
	all_verified rst
	grep -q 'ECONNRESET (Connection reset by peer)' "${P}_symptom.txt"
	[ "$(frames 'tcp.flags.reset==1 && tcp.srcport==59001')" -eq 1 ]
	# no TIME_WAIT after the abort, one after the fix's orderly close
	! grep -q TIME_WAIT <(sed -n '/after the server/,$p' "${P}_states.txt")
	grep -q 'RST instead of FIN' "${P}_report.json"
	grep -q 'recv() = 0' "${P}_fix.txt"
}

@test "zero-window: the receiver stops reading, window 0, probes, then the window opens" {
	scenario zero-window
	all_verified zero-window
	grep -qE 'then EAGAIN' "${P}_symptom.txt"
	grep -qE "client's socket: [0-9]+ bytes received but not read \(Recv-Q\), [1-9][0-9]* bytes not yet sent" "${P}_states.txt"
	[ "$(frames 'tcp.analysis.zero_window')" -ge 1 ]
	[ "$(frames 'tcp.analysis.zero_window_probe || tcp.analysis.keep_alive')" -ge 1 ]
	[ "$(frames 'tcp.analysis.window_update')" -ge 1 ]
	grep -q 'flow control' "${P}_diagnosis.txt"
}

@test "partial-line: two sends in one recv(), one send in three, the framer cuts whole lines" {
	scenario partial-line
	all_verified partial-line
	grep -qF 'recv(fd, buf, 1024) = 10: "alice\nbob\n"' "${P}_symptom.txt"
	[ "$(grep -c 'recv(fd, buf, 1024) = ' "${P}_symptom.txt")" -eq 4 ]
	[ "$(frames 'tcp.srcport!=59001 && tcp.len==6')" -eq 1 ]
	[ "$(frames 'tcp.srcport!=59001 && tcp.len==4')" -eq 1 ]
	grep -qF 'line 1: "alice" (5 bytes)' "${P}_fix.txt"
	grep -qF 'line 3: "xxxxxxxxxxxxxxxxxxxx"… (2999 bytes)' "${P}_fix.txt"
	grep -q 'byte stream' "${P}_diagnosis.txt"
}

@test "half-close: both wait, then shutdown(SHUT_WR): FIN_WAIT2 and CLOSE_WAIT, the reply after the FIN" {
	scenario half-close
	all_verified half-close
	grep -q 'still waiting after 400 ms' "${P}_symptom.txt"
	grep -qE 'CLOSE_WAIT' "${P}_states.txt"
	grep -qE 'FIN_WAIT2' "${P}_states.txt"
	fin=$(tshark -r "${P}_packet.pcapng" -Y 'tcp.flags.fin==1 && tcp.dstport==59001' -T fields -e frame.number)
	data=$(tshark -r "${P}_packet.pcapng" -Y 'tcp.len>0 && tcp.srcport==59001' -T fields -e frame.number)
	[ "$data" -gt "$fin" ]
	grep -q 'recv() = 14' "${P}_fix.txt"
}

@test "without root: on this loopback, a free port, no capture (said so)" {
	cp "$SOCKLAB" "$TMP/socklab"
	mkdir "$TMP/e"
	chown 65534:65534 "$TMP/e"
	run setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all env -u ASAN_OPTIONS -u UBSAN_OPTIONS \
		"$TMP/socklab" lab --scenario refused --name bob --out "$TMP/e" --no-images
	echo "$output"
	[[ $output == *"on this machine's loopback (a network namespace of its own needs root)"* ]]
	[[ $output == *"skipped: no capture (step 1 was skipped)"* ]]
	[ "$(json "$TMP/e/bob_refused_report.json" '",".join(s["status"] for s in j["steps"])')" = "skipped,ok,ok,skipped,ok,ok" ]
}
