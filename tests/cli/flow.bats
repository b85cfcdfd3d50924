#!/usr/bin/env bats
# flow.bats - capture --flow against tshark 4.0's -q -z flow,tcp,standard:
# on every pcap of tests/captures/pcaps and tests/golden/pcaps the same
# packets in the same order, each with the same time, direction, frame
# label and comment (flow-compare.py), against answers recorded in
# tests/captures/answers/flow (re-checked live where tshark is); the
# analysis marks are the summary line's; the graph fits the terminal.

SOCKLAB=${SOCKLAB:-$BATS_TEST_DIRNAME/../../build/socklab}
TESTS="$BATS_TEST_DIRNAME/.."
ANS="$TESTS/captures/answers/flow"
CMP="$BATS_TEST_DIRNAME/flow-compare.py"

setup() {
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP"
}

pcap_of() {	# answers/flow/golden-eth.txt -> tests/golden/pcaps/eth.pcap
	local n=${1##*/}
	n=${n%.txt}
	echo "$TESTS/${n%%-*}/pcaps/${n#*-}.pcap"
}

@test "--flow: every pcap's rows equal tshark's -z flow,tcp,standard (time, direction, label, comment)" {
	rows=0 k=0
	for a in "$ANS"/*.txt; do
		"$SOCKLAB" capture -r "$(pcap_of "$a")" --flow >"$TMP/s" 2>/dev/null
		n=${a##*/}
		run python3 "$CMP" "$TMP/s" "$a" $(awk -F '\t' -v c="${n%.txt}" '$1 == c { print $2 }' "$ANS/known-diff.tsv")
		[ "$status" -eq 0 ] || { echo "${a##*/}: $output" >&2; false; }
		set -- ${lines[-1]}
		rows=$((rows + $2)) k=$((k + 1))
	done
	echo "$k pcaps, $rows rows equal" >&2
	[ "$k" -ge 40 ]
	[ "$rows" -ge 1400 ]
}

@test "--flow: the recorded answers are tshark's (live)" {
	command -v tshark >/dev/null || skip "tshark not installed"
	for a in "$ANS"/*.txt; do
		tshark -q -r "$(pcap_of "$a")" -z flow,tcp,standard >"$TMP/live" 2>/dev/null
		diff -q "$a" "$TMP/live" >&2
	done
}

@test "--flow: the comparison fails on a wrong row (it can fail)" {
	a="$ANS/golden-eth.txt"
	"$SOCKLAB" capture -r "$(pcap_of "$a")" --flow 2>/dev/null |
		sed 's/Seq = 1 Ack = 7$/Seq = 1 Ack = 8/' >"$TMP/s"
	run python3 "$CMP" "$TMP/s" "$a"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Ack = 8"* ]]
}

@test "--flow: a conversation a graph, its ends as lanes, each arrow pointing from its sender" {
	run "$SOCKLAB" capture -r "$TESTS/golden/pcaps/eth.pcap" --flow
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "TCP stream 0: 127.0.0.1:40000 and 127.0.0.1:59001, 9 packets" ]]
	[[ "$output" == *"TCP stream 1: [::1]:40001 and [::1]:59001, 9 packets"* ]]
	[[ "${lines[2]}" =~ ^\ +1\ \ 0\.000000\ \ \|-+\ SYN\ -+\>\|\ \ Seq\ =\ 0$ ]]
	[[ "${lines[3]}" =~ ^\ +2\ \ 0\.250017\ \ \|\<-+\ SYN,\ ACK\ -+\|\ \ Seq\ =\ 0\ Ack\ =\ 1$ ]]
	# no summary lines: the graph only
	! grep -q ' → ' <<<"$output"
}

@test "--flow: the analysis marks are those the summary line's Info starts with" {
	n=0
	for p in tcp-loss tcp-zerowin tcp-keepalive tcp-spurious tcp-ooo tcp-portreuse tcp-winupdate; do
		f="$TESTS/captures/pcaps/$p.pcap"
		"$SOCKLAB" capture -r "$f" --flow 2>/dev/null |
			sed -n 's/^ *\([0-9][0-9]*\)  .*|  Seq = [^[]*  \(\[.*\]\)$/\1 \2/p' | sort -n >"$TMP/flow"
		"$SOCKLAB" capture -r "$f" -Y tcp.analysis.flags 2>/dev/null |
			sed -n 's/^ *\([0-9][0-9]*\) .* TCP [0-9]* \(\[TCP .*\]\) [0-9]* → .*/\1 \2/p' | sort -n >"$TMP/info"
		[ -s "$TMP/flow" ] || { echo "$p: no marks" >&2; false; }
		diff "$TMP/info" "$TMP/flow"
		n=$((n + $(wc -l <"$TMP/flow")))
	done
	echo "$n marked rows" >&2
	grep -q 'TCP Dup ACK' <("$SOCKLAB" capture -r "$TESTS/captures/pcaps/tcp-loss.pcap" --flow 2>/dev/null)
}

@test "--flow: -Y and -c pick the rows" {
	run "$SOCKLAB" capture -r "$TESTS/golden/pcaps/eth.pcap" --flow -Y 'tcp.len > 0'
	[ "$status" -eq 0 ]
	[ "$(grep -c ' - Len: ' <<<"$output")" -eq "$(grep -c '^ *[0-9]*  [0-9]*\.' <<<"$output")" ]
	run "$SOCKLAB" capture -r "$TESTS/golden/pcaps/eth.pcap" --flow -c 2
	[ "$(grep -c '^ *[0-9]*  [0-9]*\.' <<<"$output")" -eq 2 ]
	run "$SOCKLAB" capture -r "$TESTS/captures/pcaps/arp.pcap" --flow
	[ "$status" -eq 0 ]
	[[ "$output" == *"No TCP packets"* ]]
}

@test "--flow: in a narrow terminal the arrows shrink to fit its columns" {
	command -v script >/dev/null || skip "script(1) not installed"
	f="$TESTS/captures/pcaps/tcp-ipv6.pcap"
	for cols in 50 70; do
		script -qc "stty cols $cols; '$SOCKLAB' capture -r '$f' --flow -c 8 2>/dev/null" /dev/null |
			tr -d '\r' | grep '|' >"$TMP/out"
		[ -s "$TMP/out" ]
		# the arrows fit, with room left for the comment as far as it goes
		awk -v c="$cols" '{ i = index($0, "|  "); if (i > c) exit 1 }' "$TMP/out"
	done
	# a pipe: no limit, the whole label
	"$SOCKLAB" capture -r "$f" --flow -c 8 2>/dev/null | grep -q 'ACK - Len: '
}

@test "--flow goes with neither -T fields nor --json" {
	run "$SOCKLAB" capture -r "$TESTS/golden/pcaps/eth.pcap" --flow -T fields -e ip.src
	[ "$status" -eq 2 ]
	[[ "$output" == *"--flow draws a graph of its own"* ]]
}

@test "--flow: the lab report's diagram says what --flow says of the lab's pcap, arrow by arrow" {
	command -v unshare >/dev/null || skip "unshare not installed"
	unshare -n true 2>/dev/null || skip "no network namespaces here"
	timeout 60 unshare -n sh -c "ip link set lo up && '$SOCKLAB' lab --name alice --out '$TMP/lab' --no-images" >"$TMP/lab.log" 2>&1 ||
		{ cat "$TMP/lab.log" >&2; false; }
	# the diagram's label of each arrow, with its direction (x2 > x1: to the server)
	python3 - "$TMP/lab/alice_report.html" >"$TMP/svg" <<'PY'
import re, sys
h = open(sys.argv[1], encoding='utf-8').read()
for g in re.findall(r'<g class="pkt[^"]*">(.*?)</g>', h, re.S):
    t = re.findall(r'<text x="\d+" y="\d+" text-anchor="middle"[^>]*>([^<]*)</text>', g)[0]
    x1, x2 = map(int, re.search(r'<line x1="(\d+)" y1="\d+" x2="(\d+)"', g).groups())
    print(('>' if x2 > x1 else '<') + ' ' + t)
PY
	"$SOCKLAB" capture -r "$TMP/lab/alice_packet.pcapng" --flow 2>/dev/null |
		sed -n 's/^ *[0-9][0-9]*  [0-9.]*  |\(<*\)-* \(.*[^ ]\) -*>*|  \(.*\)$/\1 \2  \3/p' |
		sed 's/^< /< /; s/^ \([^<]\)/> \1/; s/^\([^<>]\)/> \1/' >"$TMP/flow"
	cat "$TMP/svg" "$TMP/flow" >&2
	[ "$(wc -l <"$TMP/svg")" -ge 9 ]
	diff "$TMP/svg" "$TMP/flow"
}

@test "--flow live: a conversation made in a namespace, drawn as tshark draws the pcap written beside it" {
	command -v unshare >/dev/null && unshare -n true 2>/dev/null || skip "no network namespaces here"
	command -v tshark >/dev/null || skip "tshark not installed"
	cat >"$TMP/run.sh" <<SH
ip link set lo up
"$SOCKLAB" capture -i lo -f 'tcp port 5555' -w "$TMP/live.pcap" --flow >"$TMP/flow" 2>"$TMP/err" &
pid=\$!
i=0
until grep -q Capturing "$TMP/err"; do
	i=\$((i + 1)); [ \$i -lt 200 ] || exit 3
	sleep 0.05
done
python3 -I -S - <<'PY'
import socket
srv = socket.socket()
srv.bind(("127.0.0.2", 5555))
srv.listen()
# two addresses: tshark 4.0's standard flow of a single address (both
# ends 127.0.0.1) draws no row, only GLib warnings
c = socket.create_connection(("127.0.0.2", 5555), source_address=("127.0.0.1", 0))
s, _ = srv.accept()
c.sendall(b"alice\n")
s.recv(100)
s.sendall(b"Hello, alice!\n")
c.recv(100)
c.close()
s.recv(100)
s.close()
PY
# until the last FIN's ACK is written (the file grows to 10 packets or so)
i=0
until [ "\$(tshark -r "$TMP/live.pcap" 2>/dev/null | wc -l)" -ge 10 ]; do
	i=\$((i + 1)); [ \$i -lt 100 ] || break
	sleep 0.05
done
kill -INT \$pid
wait \$pid
SH
	timeout 60 unshare -n sh "$TMP/run.sh"
	tshark -q -r "$TMP/live.pcap" -z flow,tcp,standard >"$TMP/tshark" 2>/dev/null
	cat "$TMP/flow" >&2
	run python3 "$CMP" "$TMP/flow" "$TMP/tshark"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	set -- ${lines[-1]}
	[ "$2" -ge 9 ]
	grep -q 'PSH, ACK - Len: 6 ' "$TMP/flow"
	grep -q 'PSH, ACK - Len: 14 ' "$TMP/flow"
}
