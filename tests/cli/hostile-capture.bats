#!/usr/bin/env bats
# socklab capture under hostile input and faults: truncated and
# corrupted pcap/pcapng files with every header field at its limits
# (tests/hostile/pcapmut.py, files in tests/hostile/pcaps/), the largest
# loopback packet under the largest snaplen, a full disk (a small tmpfs in
# a private mount namespace), SIGINT/SIGTERM at random moments, and -Z
# nobody leaving no uid 0 and no capability behind.

bats_require_minimum_version 1.5.0
load helpers
load ../hostile/tmpfs

HOSTILE="$BATS_TEST_DIRNAME/../hostile"
MUT="$HOSTILE/pcaps"

# capture_bg ARGS...: "$SOCKLAB" capture in the background until it says
# "Capturing on"; sets CAP (its PID); output in $TMP/cap.out, cap.err
capture_bg() {
	"$SOCKLAB" capture "$@" >"$TMP/cap.out" 2>"$TMP/cap.err" &
	CAP=$!
	PIDS+=("$CAP")
	wait_for_line "$TMP/cap.err" '^Capturing on' 10
}

# packets tcpdump reads from FILE (-# numbers each packet's first line)
tcpdump_count() {	# FILE
	tcpdump -# -n -r "$1" 2>/dev/null | grep -cE '^ *[0-9]+  ' || true
}

# packets socklab says it saw, from its end-of-run line on stderr
seen_count() {	# STDERR-FILE
	sed -n 's/^\([0-9]*\) packets\{0,1\} seen.*/\1/p' "$1"
}

@test "pcapmut.py regenerates exactly the committed mutated files" {
	py "$HOSTILE/pcapmut.py" "$TMP/gen"
	diff -r "$TMP/gen" "$MUT"
	[ "$(ls "$MUT" | wc -l)" -ge 100 ]
}

@test "every truncated or corrupted file: exit 0 or 1 (never a crash), as many packets as tcpdump, a reason on exit 1" {
	local f name rc n t bad=0
	for f in "$MUT"/*; do
		name=${f##*/}
		rc=0
		timeout -k 2 20 "$SOCKLAB" capture -r "$f" \
			>"$TMP/out" 2>"$TMP/err" || rc=$?
		if [ "$rc" -gt 1 ]; then
			echo "$name: exit $rc: $(cat "$TMP/err")" >&2
			bad=$((bad + 1))
			continue
		fi
		no_control_bytes "$TMP/out" || bad=$((bad + 1))
		no_control_bytes "$TMP/err" || bad=$((bad + 1))
		# exit 1: one "socklab capture:" line; an error opening the
		# file names it (a read error later says "cannot read packets")
		if [ "$rc" -eq 1 ] &&
		   ! grep -qE "^socklab capture: cannot (read \".*/$name\"|read packets): " "$TMP/err"; then
			echo "$name: exit 1 without the reason: $(cat "$TMP/err")" >&2
			bad=$((bad + 1))
		fi
		# libpcap reads both: the counts agree, unless tcpdump
		# refuses a link type it has no printer for
		tcpdump -n -r "$f" >/dev/null 2>"$TMP/tcpdump.err" || true
		grep -q 'unknown data link type' "$TMP/tcpdump.err" && continue
		n=$(seen_count "$TMP/err")
		t=$(tcpdump_count "$f")
		if [ "${n:-0}" != "$t" ]; then
			echo "$name: socklab saw ${n:-0} packets, tcpdump $t" >&2
			bad=$((bad + 1))
		fi
	done
	[ "$bad" -eq 0 ]
}

@test "every mutated file through -V -x and --json: no crash, no raw control byte, JSON stays valid" {
	local f rc bad=0
	for f in "$MUT"/*; do
		rc=0
		timeout -k 2 20 "$SOCKLAB" capture -V -x -r "$f" \
			>"$TMP/out" 2>"$TMP/err" || rc=$?
		[ "$rc" -le 1 ] || { echo "${f##*/} -V -x: exit $rc" >&2; bad=$((bad + 1)); }
		no_control_bytes "$TMP/out" || bad=$((bad + 1))
		rc=0
		timeout -k 2 20 "$SOCKLAB" capture --json -r "$f" \
			>"$TMP/json" 2>"$TMP/err" || rc=$?
		[ "$rc" -le 1 ] || { echo "${f##*/} --json: exit $rc" >&2; bad=$((bad + 1)); }
		py -c 'import json, sys
for line in open(sys.argv[1], "rb"):
    json.loads(line)' "$TMP/json" || { echo "${f##*/}: bad JSON" >&2; bad=$((bad + 1)); }
	done
	[ "$bad" -eq 0 ]
}

@test "mutated files rewritten with -w (extreme time stamps, lengths) are read back whole by tcpdump" {
	local f name n t bad=0
	for f in "$MUT"/pcap-rec-* "$MUT"/ng-epb-ts-* "$MUT"/ng-idb-tsresol-*; do
		name=${f##*/}
		"$SOCKLAB" capture -q -r "$f" -w "$TMP/re.pcap" \
			>/dev/null 2>"$TMP/err" || true
		n=$(seen_count "$TMP/err")
		[ -s "$TMP/re.pcap" ] || continue
		if ! tcpdump -n -r "$TMP/re.pcap" >/dev/null 2>"$TMP/tcpdump.err"; then
			echo "$name: tcpdump cannot read the copy: $(cat "$TMP/tcpdump.err")" >&2
			bad=$((bad + 1))
		fi
		t=$(tcpdump_count "$TMP/re.pcap")
		if [ "${n:-0}" != "$t" ]; then
			echo "$name: socklab saw ${n:-0}, the copy holds $t" >&2
			bad=$((bad + 1))
		fi
		rm -f "$TMP/re.pcap"
	done
	[ "$bad" -eq 0 ]
}

@test "snaplen larger than any packet: a 65535-byte loopback datagram is captured and written whole" {
	local port
	port=$(free_port)
	capture_bg -i lo -f "udp port $port" -c 1 -w "$TMP/big.pcap" --json
	py "$PEERS/udp.py" "$port" 0.05 65507 >/dev/null
	wait_exit "$CAP" 10
	[ "$STATUS" -eq 0 ]
	# 65507 + 8 (UDP) + 20 (IPv4) + 14 (Ethernet)
	grep -q '"frame.len": *65549' "$TMP/cap.out"
	run tcpdump -n -r "$TMP/big.pcap"
	[[ "$output" == *"UDP, length 65507"* ]]
	# caplen == len in the record header: nothing was cut
	py -c 'import struct, sys
d = open(sys.argv[1], "rb").read()
caplen, length = struct.unpack("<II", d[24 + 8:24 + 16])
assert caplen == length == 65549, (caplen, length)' "$TMP/big.pcap"
	# and the file form: the largest snaplen, the largest packet
	run "$SOCKLAB" capture -r "$MUT/pcap-big-packet.pcap" --json
	[ "$status" -eq 0 ]
	[[ "$output" == *'"frame.len": 65549'* ]] || [[ "$output" == *'"frame.len":65549'* ]]
}

@test "a full disk (64 KiB tmpfs): the error is reported, exit 1, the packets already written are readable" {
	local why
	why=$(small_disk_reason)
	[ -z "$why" ] || skip "$why"
	# 400 packets of ~1 KB: far more than the disk holds
	py - "$TMP/many.pcap" <<'PY'
import struct, sys
frame = b"\x00" * 12 + b"\x08\x00" + bytes([0x45, 0, 0x03, 0xe8]) + \
    b"\x00" * 4 + bytes([64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1]) + \
    b"\x00" * (1000 - 20)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
    for i in range(400):
        f.write(struct.pack("<IIII", 1700000000 + i, 0, len(frame), len(frame)))
        f.write(frame)
PY
	run --separate-stderr on_small_disk 64k "$TMP/disk" '
		"$1" capture -q -r "$2" -w "$3/out.pcap"
		echo "status $?"
		ls -l "$3/out.pcap" >&2
		tcpdump -# -n -r "$3/out.pcap" 2>&1 | grep -cE "^ *[0-9]+  "
		tcpdump -n -r "$3/out.pcap" >/dev/null 2>"$3/../tcpdump.err"
		echo "tcpdump $?"' "$SOCKLAB" "$TMP/many.pcap" "$TMP/disk"
	echo "out: $output" >&2
	echo "err: $stderr" >&2
	cat "$TMP/tcpdump.err" >&2 || true
	[ "${lines[0]}" = "status 1" ]
	[[ "$stderr" == *'cannot write "'*'/out.pcap": No space left on device'* ]]
	# the packets before the full disk are there, and tcpdump reads them
	[ "${lines[1]}" -ge 30 ]
	[ "${lines[1]}" -lt 400 ]
}

@test "SIGINT and SIGTERM at random moments during a busy capture: the file is always readable by tcpdump" {
	local port seed i sig d n bad=0
	port=$(free_port)
	seed=${HOSTILE_SEED:-$((RANDOM))}
	echo "seed $seed (HOSTILE_SEED=$seed to replay)" >&2
	RANDOM=$seed
	# traffic for the whole test (bound: 30 s)
	"${PY:-python3}" -I -S "$PEERS/udp.py" "$port" 30 >/dev/null &
	PIDS+=("$!")
	for i in $(seq 16); do
		sig=INT
		[ $((i % 2)) -eq 0 ] && sig=TERM
		rm -f "$TMP/sig.pcap"
		capture_bg -i lo -f "udp port $port" -w "$TMP/sig.pcap"
		# the random moment: 0 to 300 ms into the capture (bound: 0.3 s)
		d=$((RANDOM % 300))
		sleep "0.$(printf '%03d' "$d")"
		kill -"$sig" "$CAP"
		wait_exit "$CAP" 10
		n=$(tcpdump_count "$TMP/sig.pcap")
		echo "round $i: SIG$sig after $d ms: exit $STATUS, $n packets" >&2
		if [ "$STATUS" -ne 0 ] || ! tcpdump -n -r "$TMP/sig.pcap" >/dev/null 2>"$TMP/td.err"; then
			cat "$TMP/cap.err" "$TMP/td.err" >&2
			bad=$((bad + 1))
		fi
	done
	[ "$bad" -eq 0 ]
}

# the background child has become socklab (bash's fork, which would
# inherit bats' signal traps, has exec'd)
is_socklab() {	# PID
	[ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$(readlink -f "$SOCKLAB")" ]
}

@test "a signal while the capture is still opening leaves no unreadable file behind" {
	local i d bad=0
	seed=${HOSTILE_SEED:-$((RANDOM))}
	echo "seed $seed (HOSTILE_SEED=$seed to replay)" >&2
	RANDOM=$seed
	for i in $(seq 8); do
		rm -f "$TMP/early.pcap"
		"$SOCKLAB" capture -i lo -f "udp port 9" -w "$TMP/early.pcap" \
			>/dev/null 2>"$TMP/err" &
		CAP=$!
		PIDS+=("$CAP")
		wait_until 5 is_socklab "$CAP" || gone "$CAP"
		# a random moment in its first 100 ms (bound: 0.1 s)
		d=$((RANDOM % 100))
		sleep "0.$(printf '%03d' "$d")"
		kill -TERM "$CAP"
		wait_exit "$CAP" 10
		if [ -e "$TMP/early.pcap" ] && ! tcpdump -n -r "$TMP/early.pcap" >/dev/null 2>&1; then
			echo "round $i ($d ms): exit $STATUS, $(wc -c <"$TMP/early.pcap") bytes tcpdump cannot read" >&2
			bad=$((bad + 1))
		fi
	done
	[ "$bad" -eq 0 ]
}

@test "-Z nobody: once the capture is open the process has uid/gid nobody, no groups and no capabilities" {
	local port st
	port=$(free_port)
	capture_bg -Z nobody -i lo -f "udp port $port" -c 1 -w "$TMP/z.pcap"
	wait_until 5 grep -q '^Uid:[[:space:]]*65534[[:space:]]' "/proc/$CAP/status"
	st=$(cat "/proc/$CAP/status")
	echo "$st" | grep -E '^(Uid|Gid|Groups|Cap)' >&2
	grep -qE '^Uid:\s+65534\s+65534\s+65534\s+65534$' <<<"$st"
	grep -qE '^Gid:\s+65534\s+65534\s+65534\s+65534$' <<<"$st"
	grep -qE '^Groups:\s*(65534\s*)?$' <<<"$st"
	grep -qE '^CapInh:\s+0+$' <<<"$st"
	grep -qE '^CapPrm:\s+0+$' <<<"$st"
	grep -qE '^CapEff:\s+0+$' <<<"$st"
	grep -qE '^CapAmb:\s+0+$' <<<"$st"
	# it still captures with what it opened as root
	py "$PEERS/udp.py" "$port" 0.05 >/dev/null
	wait_exit "$CAP" 10
	[ "$STATUS" -eq 0 ]
	[ "$(tcpdump_count "$TMP/z.pcap")" -eq 1 ]
}
