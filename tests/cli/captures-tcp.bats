#!/usr/bin/env bats
# captures-tcp.bats - the TCP trouble pcaps (tests/captures/pcaps/tcp-*.pcap,
# record-tcp.sh and mkpcaps.py) hold the trouble each is named for, as
# tshark's recorded answers say; tshark's -z reports (answers/z,
# answers-z.sh) cover them and the golden pcaps and are re-checked against
# a live tshark; tunrelay.py reorders and duplicates without corrupting.

CAP="$BATS_TEST_DIRNAME/../captures"

setup() {
	TMP=$(mktemp -d)
	NS=
	PIDS=()
}

teardown() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [ -n "$NS" ]; then
		ip netns del "$NS-a" 2>/dev/null || true
		ip netns del "$NS-b" 2>/dev/null || true
	fi
	rm -rf "$TMP"
}

@test "each tcp-*.pcap holds the trouble it is named for (tshark's recorded answers)" {
	run python3 - "$CAP" <<'PY'
import json, sys
cap = sys.argv[1]
# pcap: [(field, at least this many frames)]; minimums, not the counts of
# one recording: record-tcp.sh's loss is random
want = {
    "tcp-loss": [("tcp.analysis.retransmission", 3), ("tcp.analysis.duplicate_ack", 3), ("tcp.options.sack_le", 3)],
    "tcp-lost": [("tcp.analysis.lost_segment", 3), ("tcp.analysis.duplicate_ack", 3)],
    "tcp-delay": [("tcp.analysis.ack_rtt>=0.02", 5)],
    "tcp-reorder": [("tcp.analysis.out_of_order", 2), ("tcp.analysis.spurious_retransmission", 2), ("tcp.analysis.duplicate_ack", 2)],
    "tcp-zerowin": [("tcp.analysis.zero_window", 3), ("tcp.analysis.window_full", 1), ("tcp.analysis.window_update", 1), ("tcp.analysis.keep_alive", 2)],
    "tcp-keepalive": [("tcp.analysis.keep_alive", 3), ("tcp.analysis.keep_alive_ack", 3)],
    "tcp-reset": [("tcp.flags.reset=1", 2)],
    "tcp-udp": [("udp.stream=2", 2)],
    "tcp-ipv6": [("ipv6.src", 20), ("tcp.len>0", 10)],
    "tcp-spurious": [("tcp.analysis.spurious_retransmission", 1), ("tcp.analysis.retransmission", 1)],
    "tcp-midstream": [("tcp.analysis.ack_lost_segment", 1), ("tcp.analysis.lost_segment", 1)],
    "tcp-ooo": [("tcp.analysis.out_of_order", 1), ("tcp.analysis.retransmission", 1)],
    "tcp-portreuse": [("tcp.analysis.reused_ports", 1), ("tcp.stream=1", 5)],
    "tcp-winupdate": [("tcp.analysis.window_update", 1)],
    "tcp-zwprobe": [("tcp.analysis.zero_window_probe", 3), ("tcp.analysis.zero_window_probe_ack", 3), ("tcp.analysis.window_full", 1)],
    "tcp-kaack": [("tcp.analysis.keep_alive", 3), ("tcp.analysis.keep_alive_ack", 3)],
}
def match(layers, cond):
    for op in (">=", ">", "="):
        if op in cond:
            name, v = cond.split(op)
            vals = layers.get(name, [])
            if op == "=":
                return any(x == v for x in vals)
            return any(float(x) > float(v) if op == ">" else float(x) >= float(v) for x in vals)
    return cond in layers
bad = 0
for name, conds in sorted(want.items()):
    frames = [json.loads(l) for l in open("%s/answers/captures/%s.pcap.jsonl" % (cap, name))]
    for cond, least in conds:
        n = sum(match(f, cond) for f in frames)
        if n < least:
            print("%s.pcap: %d frames with %s, wanted at least %d" % (name, n, cond, least))
            bad += 1
sys.exit(1 if bad else 0)
PY
	echo "$output" >&2
	[ "$status" -eq 0 ]
}

@test "answers/z holds tshark's -z reports for the golden and every tcp-*.pcap" {
	n=0
	for p in "$CAP"/../golden/pcaps/*.pcap "$CAP"/pcaps/tcp-*.pcap; do
		d=$CAP/answers/z/${p##*/}
		for r in conv-tcp conv-udp conv-ip endpoints-tcp endpoints-udp \
			endpoints-ip expert flow-tcp; do
			# tshark writes no expert report for a pcap without findings
			[ -f "$d/$r.txt" ] || { echo "no $d/$r.txt" >&2; false; }
		done
		n=$((n + 1))
	done
	[ "$n" -ge 25 ]
	[ -s "$CAP/answers/z/tcp-loss.pcap/expert.txt" ]
	[ -s "$CAP/answers/z/tcp-loss.pcap/flow-tcp.txt" ]
	# every stream followed: tcp-reset.pcap has two, tcp-udp.pcap three
	[ -s "$CAP/answers/z/tcp-reset.pcap/follow-tcp-ascii-1.txt" ]
	[ -s "$CAP/answers/z/tcp-reset.pcap/follow-tcp-hex-1.txt" ]
	[ -s "$CAP/answers/z/tcp-udp.pcap/follow-udp-ascii-2.txt" ]
	grep -q 'SOCKLAB TEST LINE 00039' "$CAP/answers/z/tcp-ipv6.pcap/follow-tcp-ascii-0.txt"
	grep -q '^# z/ recorded by answers-z.sh with TShark' "$CAP/answers/VERSION"
}

@test "the recorded -z reports are tshark's (live re-check of a sample)" {
	command -v tshark >/dev/null || skip "tshark not installed"
	ZDIR=$TMP/z "$CAP/answers-z.sh" "$CAP/pcaps/tcp-kaack.pcap" \
		"$CAP/pcaps/tcp-udp.pcap"
	for p in tcp-kaack.pcap tcp-udp.pcap; do
		diff -r "$TMP/z/$p" "$CAP/answers/z/$p"
	done
}

@test "tunrelay.py swaps and duplicates data segments between two namespaces, every byte delivered" {
	[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
	[ -c /dev/net/tun ] || skip "no /dev/net/tun"
	NS=sltun$$
	ip netns add "$NS-a"
	ip netns add "$NS-b"
	python3 "$CAP/tunrelay.py" "$NS-a" tun-a "$NS-b" tun-b --limit 30 \
		>"$TMP/relay.out" 2>&1 &
	PIDS+=($!)
	relay=$!
	for _ in $(seq 100); do
		grep -q ready "$TMP/relay.out" && break
		sleep 0.05	# poll step; the loop is the bound
	done
	grep -q ready "$TMP/relay.out"
	ip -n "$NS-a" link set tun-a up
	ip -n "$NS-b" link set tun-b up
	ip -n "$NS-a" addr add 198.18.2.2 peer 198.18.2.1 dev tun-a
	ip -n "$NS-b" addr add 198.18.2.1 peer 198.18.2.2 dev tun-b
	ip netns exec "$NS-b" python3 "$CAP/tcppeer.py" server 198.18.2.1 5009 \
		>"$TMP/server.out" 2>&1 &
	PIDS+=($!)
	srv=$!
	for _ in $(seq 100); do
		grep -q listening "$TMP/server.out" && break
		sleep 0.05	# poll step; the loop is the bound
	done
	ip netns exec "$NS-a" python3 "$CAP/tcppeer.py" client 198.18.2.1 5009 \
		--lines 300
	wait "$srv"
	kill "$relay"
	wait "$relay" || true
	cat "$TMP/relay.out" >&2
	# 300 lines of 69 bytes, all of them, whatever the relay did
	grep -q 'done 20700 bytes' "$TMP/server.out"
	swapped=$(sed -n 's/.* \([0-9]*\) swapped.*/\1/p' "$TMP/relay.out")
	dup=$(sed -n 's/.* \([0-9]*\) duplicated.*/\1/p' "$TMP/relay.out")
	[ "$swapped" -ge 3 ]
	[ "$dup" -ge 2 ]
}
