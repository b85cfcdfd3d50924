#!/usr/bin/env bats
# capture: TCP's sequence analysis (tcp.analysis.*, the Info prefixes, the
# -V subtrees) on real traffic made here, inside a network namespace: a
# receiver that stops reading (window full, zero window, the probes and
# their ACKs), checked against tshark where it is installed; and the Info
# prefixes against tshark's summary on every recorded TCP pcap.

load helpers

CAPTURES="$BATS_TEST_DIRNAME/../captures"
PEER="$CAPTURES/tcppeer.py"

have_tshark() {
	command -v tshark >/dev/null 2>&1
}

# The frames of PCAP where FILTER holds, one number a line.
frames() {
	"$SOCKLAB" capture -r "$1" -Y "$2" --json 2>/dev/null |
		py -c 'import json,sys
for l in sys.stdin: print(json.loads(l)["frame.number"])'
}

tshark_frames() {
	tshark -r "$1" -Y "$2" -T fields -e frame.number 2>/dev/null
}

# A receiver with a 4 KB buffer that reads nothing until the capture has
# seen three zero windows, recorded on lo of a fresh namespace by socklab
# itself into $TMP/zw.pcap.
record_zero_window() {
	unshare -n true 2>/dev/null || skip "unshare -n is not permitted here"
	cat >"$TMP/run.sh" <<'EOF'
set -eu
ip link set lo up
"$SOCKLAB" capture -i lo -w "$TMP/zw.pcap" 2>"$TMP/cap.err" &
cap=$!
for _ in $(seq 100); do	# bounded: 10 s
	grep -q Capturing "$TMP/cap.err" && break
	sleep 0.1	# poll step; the loop is the bound
done
"$PY" -I -S "$PEER" server 127.0.0.1 5004 --rcvbuf 4096 --hold "$TMP/read" \
	>"$TMP/srv.log" 2>&1 &
srv=$!
for _ in $(seq 100); do
	grep -q listening "$TMP/srv.log" && break
	sleep 0.1	# poll step; the loop is the bound
done
"$PY" -I -S "$PEER" client 127.0.0.1 5004 --lines 400 >"$TMP/cli.log" 2>&1 &
cli=$!
for _ in $(seq 200); do	# bounded: 20 s
	n=$("$SOCKLAB" capture -r "$TMP/zw.pcap" -Y tcp.analysis.zero_window -q \
		2>&1 | sed -n 's/.* \([0-9]*\) shown.*/\1/p')
	[ "${n:-0}" -ge 3 ] && break
	sleep 0.1	# poll step; the loop is the bound
done
touch "$TMP/read"
wait "$cli"
wait "$srv"
# the capture is written as it goes; stop it once the file stops growing
last=-1
for _ in $(seq 40); do
	size=$(stat -c %s "$TMP/zw.pcap")
	[ "$size" = "$last" ] && break
	last=$size
	sleep 0.1	# poll step; the loop is the bound
done
kill -INT "$cap"
wait "$cap" || true
EOF
	TMP=$TMP SOCKLAB=$SOCKLAB PY=${PY:-python3} PEER=$PEER \
		timeout -k 5 90 unshare -n bash "$TMP/run.sh"
	[ -s "$TMP/zw.pcap" ]
}

@test "a receiver that stops reading: window full, zero window, its probes and their ACKs, as tshark flags them" {
	record_zero_window
	run frames "$TMP/zw.pcap" tcp.analysis.zero_window
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c .)" -ge 3 ]
	run frames "$TMP/zw.pcap" tcp.analysis.window_full
	[ "$(echo "$output" | grep -c .)" -ge 1 ]
	# the Info column says it in tshark's words
	run "$SOCKLAB" capture -r "$TMP/zw.pcap"
	[[ "$output" == *"[TCP ZeroWindow] "* ]]
	[[ "$output" == *"[TCP Window Full] "* ]]
	have_tshark || skip "tshark is not installed: the live comparison is left out"
	for f in zero_window window_full zero_window_probe zero_window_probe_ack \
		 window_update duplicate_ack retransmission keep_alive \
		 lost_segment ack_lost_segment out_of_order; do
		[ "$(frames "$TMP/zw.pcap" "tcp.analysis.$f")" = \
		  "$(tshark_frames "$TMP/zw.pcap" "tcp.analysis.$f")" ] ||
			{ echo "tcp.analysis.$f: socklab $(frames "$TMP/zw.pcap" "tcp.analysis.$f" | tr '\n' ' ')" \
			       "tshark $(tshark_frames "$TMP/zw.pcap" "tcp.analysis.$f" | tr '\n' ' ')"; false; }
	done
	# and the numbers of every frame
	run py - "$SOCKLAB" "$TMP/zw.pcap" <<'PY'
import json, subprocess, sys
sl, pcap = sys.argv[1], sys.argv[2]
names = ["tcp.analysis.bytes_in_flight", "tcp.analysis.push_bytes_sent",
         "tcp.analysis.acks_frame", "tcp.analysis.duplicate_ack_num",
         "tcp.completeness", "tcp.stream"]
args = ["tshark", "-r", pcap, "-T", "fields", "-e", "frame.number"]
for f in names:
    args += ["-e", f]
t = subprocess.run(args, capture_output=True, text=True).stdout.splitlines()
o = subprocess.run([sl, "capture", "-r", pcap, "--json"], capture_output=True,
                   text=True).stdout.splitlines()
bad = 0
for tl, ol in zip(t, o):
    tv = tl.split("\t")
    ov = json.loads(ol)
    for k, f in enumerate(names):
        a = tv[k + 1]
        b = ov.get(f)
        b = "" if b is None else str(b)
        if a != b:
            bad += 1
            print("frame", tv[0], f, "tshark", repr(a), "socklab", repr(b))
print(len(t), "frames,", bad, "differences")
sys.exit(1 if bad or len(t) != len(o) else 0)
PY
	echo "$output" | tail -4
	[ "$status" -eq 0 ]
}

@test "the Info prefixes are tshark's, in its order, on every recorded TCP pcap" {
	have_tshark || skip "tshark is not installed"
	local n=0
	for p in "$CAPTURES"/pcaps/tcp-*.pcap "$BATS_TEST_DIRNAME"/../golden/pcaps/eth.pcap; do
		# the run of [TCP …] marks that opens each Info (tshark's TCP
		# reassembly marks, which socklab does not make, left out)
		prefixes() {
			sed -E 's/^ *([0-9]+) .* (TCP|HTTP|TLSv1\.[23]|DNS) [0-9]+ /\1 /' |
				grep -oE '^[0-9]+ (\[TCP [^]]*\] )*' |
				sed 's/\[TCP segment of a reassembled PDU\] //'
		}
		diff <(tshark -r "$p" 2>/dev/null | prefixes) \
		     <("$SOCKLAB" capture -r "$p" 2>/dev/null | prefixes) ||
			{ echo "in ${p##*/}"; false; }
		n=$((n + 1))
	done
	[ "$n" -ge 10 ]
}

@test "the flags and numbers on the recorded pcaps, without tshark: what its answers say" {
	# the answers answers.sh recorded from tshark, frame by frame
	run py - "$SOCKLAB" "$CAPTURES" <<'EOF'
import json, subprocess, sys
sl, cap = sys.argv[1], sys.argv[2]
names = ["tcp.analysis.%s" % f for f in (
    "retransmission", "fast_retransmission", "spurious_retransmission",
    "out_of_order", "lost_segment", "ack_lost_segment", "duplicate_ack_num",
    "duplicate_ack_frame", "zero_window", "zero_window_probe",
    "zero_window_probe_ack", "window_full", "window_update", "keep_alive",
    "keep_alive_ack", "acks_frame", "bytes_in_flight", "push_bytes_sent")]
bad = n = 0
for pcap in ("tcp-loss", "tcp-zerowin", "tcp-kaack", "tcp-spurious", "tcp-ooo",
             "tcp-winupdate", "tcp-zwprobe", "tcp-reorder", "tcp-portreuse"):
    theirs = [json.loads(l) for l in open("%s/answers/captures/%s.pcap.jsonl" % (cap, pcap))]
    out = subprocess.run([sl, "capture", "-r", "%s/pcaps/%s.pcap" % (cap, pcap), "--json"],
                         capture_output=True, text=True).stdout.splitlines()
    ours = [json.loads(l) for l in out]
    for t, o in zip(theirs, ours):
        for f in names:
            a = [int(x) for x in t.get(f, [])] if not f.endswith(("sion", "order", "segment", "window", "probe", "ack", "full", "update", "alive")) else len(t.get(f, [])) > 0
            b = o.get(f)
            b = ([] if b is None else [int(x) for x in (b if isinstance(b, list) else [b])]) if not isinstance(a, bool) else b is not None
            n += 1
            if a != b:
                bad += 1
                print(pcap, t["frame.number"], f, a, b)
print("%d of %d agree" % (n - bad, n))
sys.exit(1 if bad else 0)
EOF
	echo "$output" | tail -5
	[ "$status" -eq 0 ]
}

@test "-V shows the [Timestamps] and [SEQ/ACK analysis] subtrees" {
	run "$SOCKLAB" capture -r "$CAPTURES/pcaps/tcp-zwprobe.pcap" -V
	[ "$status" -eq 0 ]
	[[ "$output" == *$'    [Timestamps]\n        [Time since first frame in this TCP stream: '* ]]
	[[ "$output" == *$'    [SEQ/ACK analysis]\n'* ]]
	[[ "$output" == *$'        [TCP Analysis Flags]\n            [Expert Info (Warning/Sequence): TCP window specified by the receiver is now completely full]\n                [TCP window specified by the receiver is now completely full]  [tcp.analysis.window_full]\n                [Severity level: Warning]\n                [Group: Sequence]\n'* ]]
	[[ "$output" == *$'        [Bytes in flight: '* ]]
}

@test "-Y tcp.analysis.flags -q counts tshark's frames" {
	run "$SOCKLAB" capture -r "$CAPTURES/pcaps/tcp-loss.pcap" -Y tcp.analysis.flags -q
	[ "$status" -eq 0 ]
	local n
	n=$(echo "$output" | sed -n 's/.* \([0-9]*\) shown.*/\1/p')
	[ "$n" -gt 0 ]
	if have_tshark; then
		[ "$n" -eq "$(tshark -r "$CAPTURES/pcaps/tcp-loss.pcap" -Y tcp.analysis.flags 2>/dev/null | wc -l)" ]
	fi
}
