#!/usr/bin/env bats
# socklab lab -u: the exercise over UDP, checked claim by claim: the
# server's socket UNCONN and no LISTEN, the client's "connection" only on
# its own side and no packet before the name, two datagrams in the pcap
# (tshark counts them) and nothing else, the report in UDP's words.

bats_require_minimum_version 1.5.0

setup_file() {
	LABTMP=$(mktemp -d)
	export LABTMP
	"$SOCKLAB" lab -u --name carol --out "$LABTMP/v4" --no-images \
		>"$LABTMP/v4.out" 2>&1
	echo $? >"$LABTMP/v4.rc"
	"$SOCKLAB" lab -u -6 --name dave --out "$LABTMP/v6" --no-images \
		>"$LABTMP/v6.out" 2>&1
	echo $? >"$LABTMP/v6.rc"
}

teardown_file() {
	rm -rf "$LABTMP"
}

@test "lab -u (IPv4 and IPv6) verifies every step and exits 0" {
	cat "$LABTMP/v4.out" "$LABTMP/v6.out"
	[ "$(cat "$LABTMP/v4.rc")" -eq 0 ]
	[ "$(cat "$LABTMP/v6.rc")" -eq 0 ]
	grep -q '^all steps verified$' "$LABTMP/v4.out"
	grep -q "capturing 'udp port [0-9]* and host 127.0.0.1'" "$LABTMP/v4.out"
	grep -q "capturing 'udp port [0-9]* and ip6 host ::1'" "$LABTMP/v6.out"
	grep -q 'classic: netstat -uanp' "$LABTMP/v4.out"
}

@test "lab -u step 3: the server's socket is UNCONN, and no socket of the port LISTENs" {
	f=$LABTMP/v4/carol_listening.txt
	cat "$f"
	grep -qE '^\$ socklab sockets -u -p --port [0-9]+$' "$f"
	grep -qE '^udp +0 +0 +127\.0\.0\.1:[0-9]+ +0\.0\.0\.0:\* +UNCONN +[0-9]+/socklab' "$f"
	! grep -q 'LISTEN ' "$f"
	grep -q 'there is no LISTEN state in UDP' "$f"
}

@test "lab -u step 4: the client's socket is ESTABLISHED on its side only, and no packet crossed" {
	f=$LABTMP/v4/carol_established.txt
	cat "$f"
	grep -qE '^udp +0 +0 +127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:[0-9]+ +ESTABLISHED +[0-9]+/socklab' "$f"
	[ "$(grep -cE '^udp.* ESTABLISHED ' "$f")" -eq 1 ]
	grep -q 'the server.s socket stays UNCONN; the capture saw no packet: UDP has no handshake' "$f"
}

@test "lab -u steps 5 and 6: the name in one datagram, its reply in another, and nothing else in the pcap" {
	f=$LABTMP/v4/carol_message.txt
	grep -qE '^received "carol" from 127\.0\.0\.1:[0-9]+$' "$f"
	grep -qx 'Hello, carol!' "$f"
	grep -qx 'stopped: answered 1 datagram' "$f"
	command -v tshark >/dev/null || skip "no tshark"
	pcap=$LABTMP/v4/carol_packet.pcap
	[ "$(tshark -r "$pcap" 2>/dev/null | wc -l)" -eq 2 ]
	[ "$(tshark -r "$pcap" -Y tcp 2>/dev/null | wc -l)" -eq 0 ]
	[ "$(tshark -r "$pcap" -Y 'udp.payload == 63:61:72:6f:6c:0a' -T fields -e frame.number 2>/dev/null)" = 1 ]
	grep -q 'frame 1 the datagram that carries the name and the other its reply; nothing else crossed' \
		"$LABTMP/v4/carol_packet.txt"
	[ "$(tshark -r "$LABTMP/v6/dave_packet.pcap" -Y 'ipv6 && udp' 2>/dev/null | wc -l)" -eq 2 ]
}

@test "lab -u report: UDP's words, states as socklab names them, no TCP flags" {
	py() { python3 -I -S "$@"; }
	py - "$LABTMP/v4/carol_report.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert all(s["status"] == "ok" for s in j["steps"]), j["steps"]
pkts = [e for e in j["timeline"] if e["kind"] == "packet"] if "timeline" in j else []
socks = [e for e in j.get("timeline", []) if e["kind"] == "socket"]
assert len(pkts) == 2 and all(p["flags"] is None for p in pkts), pkts
assert pkts[0]["carries_name"] and pkts[1]["carries_reply"], pkts
assert any(s["state"] == "UNCONN" for s in socks), socks
assert not any(s["state"] in ("LISTEN", "CLOSE") for s in socks), socks
PY
	h=$LABTMP/v4/carol_report.html
	grep -q '<h2>The UDP datagrams</h2>' "$h"
	grep -q 'No handshake</strong>' "$h"
	grep -q 'UDP Len=6' "$h"
	! grep -q 'The TCP conversation' "$h"
}

@test "lab -u with the student's programs or --watch is a usage error" {
	run --separate-stderr "$SOCKLAB" lab -u --server 'true' --client 'true'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-u runs socklab's own UDP server and client"* ]]
	run --separate-stderr "$SOCKLAB" lab -u --watch
	[ "$status" -eq 2 ]
}
