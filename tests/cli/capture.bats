#!/usr/bin/env bats
# socklab capture: live loopback capture checked with tcpdump and tshark,
# files written by tcpdump and tshark read back, and per-packet fields
# compared with tshark (the oracle) on every link type.

FIELDS="ip.src ip.dst ip.dsfield.dscp ip.dsfield.ecn ipv6.src tcp.srcport tcp.dstport tcp.flags tcp.seq tcp.ack tcp.len tcp.stream udp.length frame.len"
PCAPS="$BATS_TEST_DIRNAME/../golden/pcaps"

setup() {
	TMP=$(mktemp -d)
	PIDS=()
}

teardown() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}

# wait_at_least N CMD...: until CMD prints a number >= N (bounded: 100
# polls of 0.05 s, then it fails)
wait_at_least() {
	local n=$1 _
	shift
	for _ in $(seq 100); do
		[ "$("$@")" -ge "$n" ] && return 0
		sleep 0.05	# poll step; the loop is the bound
	done
	echo "timed out waiting for $n from: $*" >&2
	return 1
}

pcap_packets() {	# FILE: packets tcpdump reads from it
	tcpdump -r "$1" -n 2>/dev/null | wc -l
}

file_lines() {	# FILE
	wc -l <"$1"
}

# waits (bounded) until file $1 contains regex $2
wait_for() {
	for _ in $(seq 100); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.05	# poll step; the loop is the bound
	done
	echo "timed out waiting for '$2' in $1" >&2
	cat "$1" >&2
	return 1
}

start_server() {
	"$SOCKLAB" server -p 0 >"$TMP/server.out" 2>&1 &
	PIDS+=($!)
	wait_for "$TMP/server.out" 'listening on'
	PORT=$(grep -oE '127\.0\.0\.1:[0-9]+' "$TMP/server.out" | head -1 | cut -d: -f2)
}

# starts a capture in the background; waits until it is ready
start_capture() {
	"$SOCKLAB" capture "$@" >"$TMP/cap.out" 2>"$TMP/cap.err" &
	CAP=$!
	PIDS+=($CAP)
	wait_for "$TMP/cap.err" "^Capturing on"
}

# tshark's defaults (ip.defragment and ipv6.defragment on), as socklab
compare_fields() {	# pcap
	tshark -r "$1" \
		-T fields $(printf -- '-e %s ' $FIELDS) >"$TMP/tshark.txt" 2>/dev/null
	"$SOCKLAB" capture -r "$1" --json 2>/dev/null |
		python3 "$BATS_TEST_DIRNAME/capture-fields.py" $FIELDS >"$TMP/ours.txt"
	diff "$TMP/tshark.txt" "$TMP/ours.txt"
}

@test "capture -w records a real server/client exchange that tcpdump and tshark open" {
	start_server
	start_capture -w "$TMP/x.pcap" -f "tcp port $PORT"
	run "$SOCKLAB" client -p "$PORT" alice
	[ "$status" -eq 0 ]
	[[ "$output" == *"Hello, alice!"* ]]
	# the FIN/ACK exchange ends the conversation: wait for all of it
	wait_at_least 10 pcap_packets "$TMP/x.pcap"
	kill -INT "$CAP"
	wait "$CAP"
	grep -q "packets seen" "$TMP/cap.err"
	n_tcpdump=$(tcpdump -r "$TMP/x.pcap" -n 2>/dev/null | wc -l)
	n_tshark=$(tshark -r "$TMP/x.pcap" 2>/dev/null | wc -l)
	n_ours=$("$SOCKLAB" capture -r "$TMP/x.pcap" 2>/dev/null | wc -l)
	[ "$n_tcpdump" -ge 10 ]
	[ "$n_tcpdump" -eq "$n_tshark" ]
	[ "$n_ours" -eq "$n_tshark" ]
	grep -q "written" "$TMP/cap.err"
	tshark -r "$TMP/x.pcap" -Y 'tcp.payload contains "alice"' 2>/dev/null | grep -q .
	tcpdump -r "$TMP/x.pcap" -A 2>/dev/null | grep -q alice
	compare_fields "$TMP/x.pcap"
}

@test "SIGTERM and -c leave a complete pcap" {
	start_server
	start_capture -w "$TMP/t.pcap" -f "tcp port $PORT" -c 3
	"$SOCKLAB" client -p "$PORT" bob >/dev/null
	for _ in $(seq 100); do kill -0 "$CAP" 2>/dev/null || break; sleep 0.05; done	# poll, bound: 100 steps
	wait "$CAP"
	[ "$(tcpdump -r "$TMP/t.pcap" -n 2>/dev/null | wc -l)" -eq 3 ]
	start_capture -w "$TMP/u.pcap" -f "tcp port $PORT"
	"$SOCKLAB" client -p "$PORT" carol >/dev/null
	wait_at_least 10 pcap_packets "$TMP/u.pcap"
	kill -TERM "$CAP"
	wait "$CAP"
	run tshark -r "$TMP/u.pcap"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -ge 10 ]
}

@test "packets sent just before Ctrl-C are in the file (the last batch is drained)" {
	PORT=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	send='import socket, sys; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); [s.sendto(b"last%d" % i, ("127.0.0.1", int(sys.argv[1]))) for i in range(3)]'
	start_capture -w "$TMP/last.pcap" -f "udp port $PORT"
	python3 -c "$send" "$PORT"
	kill -INT "$CAP"
	wait "$CAP"
	[ "$(pcap_packets "$TMP/last.pcap")" -eq 3 ]
	grep -q "3 packets seen, 3 shown, 3 written" "$TMP/cap.err"
}

@test "live -Y on a port still reassembles fragments (the kernel filter lets every fragment through)" {
	PORT=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	start_capture -Y "udp.port == $PORT"
	python3 -I "$BATS_TEST_DIRNAME/peers/fragments.py" "$PORT"
	wait_at_least 2 file_lines "$TMP/cap.out"
	kill -INT "$CAP"
	wait "$CAP"
	cat "$TMP/cap.out" "$TMP/cap.err" >&2
	grep -qE "127\.0\.0\.1 → 127\.0\.0\.1 +UDP 74 40000 → $PORT Len=64" "$TMP/cap.out"
	grep -qE "::1 → ::1 +UDP 102 40000 → $PORT Len=64" "$TMP/cap.out"
	# the kernel filter compiled: no fall-back to filtering in user space
	! grep -q "Kernel filter failed" "$TMP/cap.err"
	grep -q "^4 packets seen, 2 shown" "$TMP/cap.err"
}

@test "live summary lines match tshark's reading of the same packets" {
	start_server
	start_capture -f "tcp port $PORT" -w "$TMP/s.pcap" -P
	"$SOCKLAB" client -p "$PORT" dave >/dev/null
	wait_at_least 10 file_lines "$TMP/cap.out"
	kill -INT "$CAP"
	wait "$CAP"
	tshark -r "$TMP/s.pcap" 2>/dev/null >"$TMP/ts.txt"
	diff "$TMP/ts.txt" "$TMP/cap.out"
}

@test "reads a pcap written by tcpdump and a pcapng written by tshark" {
	start_server
	tcpdump -i lo -U -w "$TMP/td.pcap" "tcp port $PORT" 2>"$TMP/td.err" &
	TD=$!
	PIDS+=($TD)
	wait_for "$TMP/td.err" 'listening on'
	"$SOCKLAB" client -p "$PORT" erin >/dev/null
	wait_at_least 10 pcap_packets "$TMP/td.pcap"
	kill -INT "$TD"
	wait "$TD" || true
	compare_fields "$TMP/td.pcap"
	tshark -r "$TMP/td.pcap" -F pcapng -w "$TMP/td.pcapng" 2>/dev/null
	run "$SOCKLAB" capture -r "$TMP/td.pcapng"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -ge 10 ]
	diff <(tshark -r "$TMP/td.pcapng" 2>/dev/null) <("$SOCKLAB" capture -r "$TMP/td.pcapng" 2>/dev/null)
	compare_fields "$TMP/td.pcapng"
}

@test "fields equal tshark's on every link type and on truncated captures" {
	for f in eth sll sll2 null loop raw snap64; do
		echo "# $f" >&2
		compare_fields "$PCAPS/$f.pcap"
	done
}

@test "malformed packets are marked at their layer and never crash" {
	run "$SOCKLAB" capture -r "$PCAPS/malformed.pcap"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -ge 9 ]
	[[ "$output" == *"[Malformed Packet: bad TCP header length]"* ]]
	run "$SOCKLAB" capture -r "$PCAPS/malformed.pcap" --json
	[ "$status" -eq 0 ]
	echo "$output" | grep -v '^[0-9]* packets\? seen' | python3 -c 'import sys, json; [json.loads(l) for l in sys.stdin]'
}

@test "without CAP_NET_RAW: one line with the setcap command, exit 1" {
	cp "$SOCKLAB" "$TMP/socklab"
	chmod 755 "$TMP" "$TMP/socklab"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$TMP/socklab" capture -c 1
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == "socklab capture: cannot capture on lo: permission denied (needs CAP_NET_RAW): sudo setcap cap_net_raw,cap_net_admin=eip $TMP/socklab"* ]]
}

@test "-Z drops root once the capture is open" {
	start_server
	start_capture -Z nobody -f "tcp port $PORT" -c 1
	"$SOCKLAB" client -p "$PORT" frank >/dev/null
	wait "$CAP"
	[ "$(stat -c %U /proc/self)" = root ]
	[ "$(wc -l <"$TMP/cap.out")" -eq 1 ]
}

@test "a write error (disk full) is reported, exit 1" {
	run "$SOCKLAB" capture -r "$PCAPS/eth.pcap" -w /dev/full
	[ "$status" -eq 1 ]
	[[ "$output" == *'cannot write "/dev/full": No space left on device'* ]]
}

@test "missing file, bad filters and options" {
	run "$SOCKLAB" capture -r "$TMP/none.pcap"
	[ "$status" -eq 1 ]
	[[ "$output" == *"none.pcap"* ]]
	run "$SOCKLAB" capture -r "$PCAPS/eth.pcap" -f 'ip.addr==127.0.0.1'
	[ "$status" -eq 2 ]
	[[ "$output" == *"is a display filter (Wireshark syntax); use -Y 'ip.addr==127.0.0.1'"* ]]
	run "$SOCKLAB" capture -r "$PCAPS/eth.pcap" -f 'tcp port'
	[ "$status" -eq 2 ]
	run "$SOCKLAB" capture -r "$PCAPS/eth.pcap" -Y 'ip.adr == 1'
	[ "$status" -eq 2 ]
	[[ "$output" == *"^"* ]]
	run "$SOCKLAB" capture --bogus
	[ "$status" -eq 2 ]
	run "$SOCKLAB" capture -c 0
	[ "$status" -eq 2 ]
}

@test "-Y and -f select packets; the end summary counts them" {
	run "$SOCKLAB" capture -r "$PCAPS/eth.pcap" -Y 'udp' -q
	[ "$status" -eq 0 ]
	want=$(tshark -r "$PCAPS/eth.pcap" -Y udp 2>/dev/null | wc -l)
	[[ "$output" == *"packets seen, $want shown"* ]]
	run "$SOCKLAB" capture -r "$PCAPS/eth.pcap" -f 'arp'
	[ "$status" -eq 0 ]
	[[ "$output" == *"Who has 10.0.0.2? Tell 10.0.0.1"* ]]
}

@test "on any, the outgoing copy of loopback packets is dropped" {
	start_server
	start_capture -i any -f "tcp port $PORT" -w "$TMP/any.pcap"
	"$SOCKLAB" client -p "$PORT" gina >/dev/null
	wait_at_least 10 pcap_packets "$TMP/any.pcap"
	kill -INT "$CAP"
	wait "$CAP"
	n=$(tcpdump -r "$TMP/any.pcap" -n 2>/dev/null | wc -l)
	# each of the 10 packets once (libpcap 1.10 already drops the
	# outgoing copy on loopback; socklab drops it where libpcap does not)
	[ "$n" -eq 10 ]
}

@test "IP fragments are reassembled as tshark does by default" {
	# frag.pcap (tests/golden/mkpcaps.py): IPv4 UDP/TCP/ICMP and IPv6 UDP
	# datagrams in fragments, in and out of order, an overlap with other
	# bytes, a duplicate and a missing piece
	local f="$PCAPS/frag.pcap"
	diff <(tshark -r "$f" 2>/dev/null) \
		<("$SOCKLAB" capture -r "$f" 2>/dev/null)
	FIELDS="$FIELDS ip.flags.mf ip.proto udp.srcport udp.dstport udp.payload tcp.payload icmp.type icmp.seq ipv6.fraghdr.offset ipv6.fraghdr.more ipv6.dstopts.nxt _ws.malformed"
	compare_fields "$f"
	# -x: the frame, then the reassembled datagram as a second source
	diff <(tshark -r "$f" -x 2>/dev/null) \
		<("$SOCKLAB" capture -r "$f" -x 2>/dev/null |
		  grep -vE '^ +[0-9]+ +[0-9]+\.[0-9]+ ')
	# filters over the reassembled bytes, printed and count-only (no
	# slice of "tcp" itself: tshark's summary mode gives the TCP layer the
	# segment's length, its -V and -T fields the header's, which socklab
	# takes)
	for y in 'udp' 'not udp' 'udp.length > 8' 'udp contains "alice"' \
		 'udp.payload contains "carol"' 'tcp.len == 48' 'icmp' \
		 'udp[0:2] == 13:88' 'tcp.payload[0:3] == "bob"' 'ip.flags.mf == 1'; do
		echo "# $y" >&2
		diff <(tshark -r "$f" -Y "$y" 2>/dev/null) \
			<("$SOCKLAB" capture -r "$f" -Y "$y" 2>/dev/null)
		want=$(tshark -r "$f" -Y "$y" 2>/dev/null | wc -l)
		run "$SOCKLAB" capture -r "$f" -Y "$y" -q
		[[ "$output" == *"packets seen, $want shown"* ]]
	done
}
