#!/usr/bin/env bats
# socklab lab: the whole exercise, checked file by file and claim by claim
# against tshark, python3's json, djpeg and headless Chromium.

setup_file() {
	LABTMP=$(mktemp -d)
	export LABTMP
	# One IPv4 and one IPv6 run serve every test that only reads evidence.
	"$SOCKLAB" lab --name alice --out "$LABTMP/v4" >"$LABTMP/v4.out" 2>&1
	echo $? >"$LABTMP/v4.rc"
	"$SOCKLAB" lab -6 --name bob --out "$LABTMP/v6" >"$LABTMP/v6.out" 2>&1
	echo $? >"$LABTMP/v6.rc"
}

teardown_file() {
	rm -rf "$LABTMP"
}

json() {	# FILE PYTHON-EXPRESSION over j: prints its value
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

@test "lab (IPv4) verifies every step and exits 0" {
	cat "$LABTMP/v4.out"
	[ "$(cat "$LABTMP/v4.rc")" -eq 0 ]
	grep -q '^all steps verified$' "$LABTMP/v4.out"
	for n in 1 2 3 4 5 6; do grep -q "^\[$n/6\]" "$LABTMP/v4.out"; done
	grep -q 'classic: netstat' "$LABTMP/v4.out"
	grep -q 'classic: Wireshark.*ip.addr==127.0.0.1' "$LABTMP/v4.out"
}

@test "lab writes every evidence file with NAME in its name" {
	d=$LABTMP/v4
	for f in alice_listening.txt alice_established.txt alice_message.txt \
		alice_packet.txt alice_listening.jpeg alice_established.jpeg \
		alice_message.jpeg alice_packet.jpeg alice_packet.pcap \
		alice_code.txt alice_report.json alice_report.html; do
		[ -s "$d/$f" ] || { echo "missing or empty: $f"; false; }
	done
	# no temporary file left behind
	[ -z "$(ls "$d" | grep -v -E '^alice_')" ]
}

@test "step files show what netstat would: LISTEN then both ends ESTABLISHED" {
	d=$LABTMP/v4
	grep -E 'tcp +[0-9]+ +[0-9]+ +127\.0\.0\.1:[0-9]+ +0\.0\.0\.0:\* +LISTEN +[0-9]+/socklab' "$d/alice_listening.txt"
	[ "$(grep -cE ' ESTABLISHED +[0-9]+/socklab' "$d/alice_established.txt")" -eq 2 ]
	grep -q '^verified: ' "$d/alice_listening.txt"
	grep -q '^verified: ' "$d/alice_established.txt"
}

@test "the server received exactly the name and the client got the reply" {
	d=$LABTMP/v4
	grep -E '^received "alice" from 127\.0\.0\.1:[0-9]+$' "$d/alice_message.txt"
	grep -qx 'Hello, alice!' "$d/alice_message.txt"
}

@test "tshark finds the name in the pcap, in the frame report.json names" {
	d=$LABTMP/v4
	frames=$(tshark -r "$d/alice_packet.pcap" -Y 'tcp.payload contains "alice"' -T fields -e frame.number)
	[ -n "$frames" ]
	first=$(echo "$frames" | head -n 1)
	[ "$(json "$d/alice_report.json" 'j["pcap"]["name_frame"]')" -eq "$first" ]
	total=$(tshark -r "$d/alice_packet.pcap" -T fields -e frame.number | wc -l)
	[ "$(json "$d/alice_report.json" 'j["pcap"]["packets"]')" -eq "$total" ]
	# the whole conversation: handshake and both FINs
	[ "$(tshark -r "$d/alice_packet.pcap" -Y 'tcp.flags.syn==1' | wc -l)" -eq 2 ]
	[ "$(tshark -r "$d/alice_packet.pcap" -Y 'tcp.flags.fin==1' | wc -l)" -eq 2 ]
	# tcpdump opens it too
	tcpdump -r "$d/alice_packet.pcap" -n 2>/dev/null | grep -q 'Flags \[S\]'
}

# The text under each "$ socklab …" line, up to the next "$ " line, the
# next "server$"/"client$" line or the verdict.
section() {	# FILE N: the output of the N-th command shown in FILE
	awk -v n="$2" '
		/^(\$ |client\$ |server\$ )socklab / { k++; inside = (k == n); next }
		/^(verified|FAILED|skipped): / || /^The packet that carries/ { inside = 0 }
		inside' "$1"
}

@test "the packet step's text is byte for byte what the commands it shows print" {
	f=$LABTMP/v4/alice_packet.txt
	n=0
	while IFS= read -r cmd; do
		n=$((n + 1))
		(cd "$LABTMP" && eval "\"\$SOCKLAB\"${cmd#\$ socklab}" 2>/dev/null) >"$LABTMP/cmd.out"
		section "$f" "$n" | sed -e '${/^$/d}' >"$LABTMP/file.out"
		sed -e '${/^$/d}' "$LABTMP/cmd.out" >"$LABTMP/cmd.trim"
		diff "$LABTMP/cmd.trim" "$LABTMP/file.out"
	done < <(grep '^\$ socklab capture -r ' "$f")
	[ "$n" -eq 2 ]
}

# In a network namespace of its own, nothing but the lab and the test use
# the port: the commands the step files show, run again after the lab,
# must print the same table and log (pids and ephemeral ports aside).
@test "the sockets and message steps print what the commands they show print" {
	unshare -n true 2>/dev/null || skip "no network namespaces here"
	run unshare -n bash -c '
		ip link set lo up
		"$SOCKLAB" lab --name carol -p 59001 --no-capture --no-images \
			--out "$LABTMP/ns" >/dev/null 2>&1 || exit 3
		"$SOCKLAB" server -p 59001 --once >"$LABTMP/srv.out" 2>&1 &
		s=$!
		for i in $(seq 200); do
			"$SOCKLAB" sockets -l --port 59001 | grep -q LISTEN && break
			sleep 0.02
		done
		"$SOCKLAB" sockets -p --port 59001 | grep -E "^Proto|LISTEN" >"$LABTMP/listen.cmd"
		"$SOCKLAB" client -H 127.0.0.1 -p 59001 carol >"$LABTMP/cli.out" 2>&1
		wait $s'
	[ "$status" -eq 0 ]
	d=$LABTMP/ns
	norm() { sed -E 's/[0-9]+\/socklab/PID\/socklab/; s/127\.0\.0\.1:[0-9]{5}( |$|\))/127.0.0.1:EPH\1/g; s/ +/ /g'; }
	section "$d/carol_listening.txt" 1 | grep -E '^Proto|LISTEN' | norm >"$LABTMP/a"
	norm <"$LABTMP/listen.cmd" >"$LABTMP/b"
	diff "$LABTMP/b" "$LABTMP/a"
	head -1 "$LABTMP/a" | grep -q 'PID/Program +Notes\|PID/Program Notes'
	section "$d/carol_message.txt" 1 | norm >"$LABTMP/a"
	norm <"$LABTMP/cli.out" >"$LABTMP/b"
	diff "$LABTMP/b" "$LABTMP/a"
	section "$d/carol_message.txt" 2 | norm >"$LABTMP/a"
	norm <"$LABTMP/srv.out" >"$LABTMP/b"
	diff "$LABTMP/b" "$LABTMP/a"
}

@test "report.json parses and agrees with the pcap and the processes" {
	d=$LABTMP/v4
	[ "$(json "$d/alice_report.json" 'j["name"]')" = alice ]
	[ "$(json "$d/alice_report.json" 'j["verified"]')" = True ]
	[ "$(json "$d/alice_report.json" '",".join(s["status"] for s in j["steps"])')" = "ok,ok,ok,ok,ok,ok" ]
	[ "$(json "$d/alice_report.json" 'j["display_filter"]')" = "ip.addr==127.0.0.1" ]
	# the time line holds the states and the packets that caused them
	states=$(json "$d/alice_report.json" '" ".join(e["state"] for e in j["timeline"] if e["kind"]=="socket")')
	[[ $states == *LISTEN* ]]
	[[ $states == *ESTABLISHED* ]]
	[[ $states == *TIME_WAIT* ]]
	[ "$(json "$d/alice_report.json" 'sum(1 for e in j["timeline"] if e["kind"]=="packet" and e["carries_name"])')" -eq 1 ]
	# every packet of the pcap is on the time line, in capture order
	[ "$(json "$d/alice_report.json" 'sum(1 for e in j["timeline"] if e["kind"]=="packet")')" -eq "$(json "$d/alice_report.json" 'j["pcap"]["packets"]')" ]
	# the pids are the real, separate processes
	sp=$(json "$d/alice_report.json" 'j["server"]["pid"]')
	cp=$(json "$d/alice_report.json" 'j["client"]["pid"]')
	[ "$sp" -gt 0 ] && [ "$cp" -gt 0 ] && [ "$sp" -ne "$cp" ]
	grep -q "$sp/socklab" "$d/alice_listening.txt"
}

@test "the .jpeg images decode and have the size of a terminal" {
	for f in "$LABTMP"/v4/*.jpeg; do
		djpeg -pnm "$f" >"$LABTMP/img.pnm"
		read -r w h < <(sed -n 2p "$LABTMP/img.pnm")
		[ "$w" -ge 200 ] && [ "$h" -ge 60 ]
	done
}

@test "report.html is self-contained and carries the flow diagram" {
	h=$LABTMP/v4/alice_report.html
	! grep -qiE 'https?://|src="//|href="//|<link|@import|<script src' "$h"
	grep -q '<svg' "$h"
	grep -q 'alice' "$h"
	grep -q 'TIME_WAIT' "$h"
}

@test "report.html renders in headless Chromium to a non-blank page" {
	command -v chromium >/dev/null || skip "chromium is not installed (scripts/deps.sh installs it)"
	bash "$BATS_TEST_DIRNAME/render-html.sh" "$LABTMP/v4/alice_report.html" "$LABTMP/report.png"
	run python3 "$BATS_TEST_DIRNAME/png-check.py" "$LABTMP/report.png"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "code file holds the server and client sources" {
	grep -q '==== cli/cmd-server.c ====' "$LABTMP/v4/alice_code.txt"
	grep -q '==== cli/cmd-client.c ====' "$LABTMP/v4/alice_code.txt"
	grep -q 'accept4' "$LABTMP/v4/alice_code.txt"
}

@test "lab -6 runs over ::1 with the ipv6.addr filter" {
	cat "$LABTMP/v6.out"
	[ "$(cat "$LABTMP/v6.rc")" -eq 0 ]
	d=$LABTMP/v6
	grep -q 'ipv6.addr==::1' "$LABTMP/v6.out"
	[ -n "$(tshark -r "$d/bob_packet.pcap" -Y 'ipv6.addr==::1 && tcp.payload contains "bob"' -T fields -e frame.number)" ]
	grep -E '^received "bob" from \[::1\]:[0-9]+$' "$d/bob_message.txt"
	[ "$(json "$d/bob_report.json" 'j["family"]')" = ipv6 ]
}

unpriv() {	# runs the binary as nobody, with no capabilities
	local bin=$LABTMP/nobody/socklab
	mkdir -p "$LABTMP/nobody/out"
	cp "$SOCKLAB" "$bin"
	chmod 755 "$LABTMP" "$LABTMP/nobody" "$bin"
	chown -R 65534:65534 "$LABTMP/nobody/out"
	cd "$LABTMP/nobody"
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all env -u ASAN_OPTIONS -u UBSAN_OPTIONS \
		"$bin" lab --name carol --out "$LABTMP/nobody/out" "$@"
}

@test "without capture privilege every other step runs; capture is skipped, exit 1" {
	run unpriv --no-images
	echo "$output"
	[ "$status" -eq 1 ]
	d=$LABTMP/nobody/out
	[ "$(json "$d/carol_report.json" 'j["steps"][0]["status"]')" = skipped ]
	json "$d/carol_report.json" 'j["steps"][0]["detail"]' | grep -q 'setcap cap_net_raw'
	[ "$(json "$d/carol_report.json" '",".join(s["status"] for s in j["steps"][1:5])')" = "ok,ok,ok,ok" ]
	grep -qx 'Hello, carol!' "$d/carol_message.txt"
	[ ! -e "$d/carol_packet.pcap" ]
}

@test "with --no-capture the skipped capture is not a failure" {
	run unpriv --no-images --no-capture
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "lab usage errors exit 2" {
	run "$SOCKLAB" lab --name ''
	[ "$status" -eq 2 ]
	run "$SOCKLAB" lab -4 -6
	[ "$status" -eq 2 ]
	run "$SOCKLAB" lab -p 0
	[ "$status" -eq 2 ]
	run "$SOCKLAB" lab --bogus
	[ "$status" -eq 2 ]
	run "$SOCKLAB" lab --help
	[ "$status" -eq 0 ]
	[[ $output == *"NAME_packet.pcap"* ]]
	[[ $output == *"NAME_report.html"* ]]
}
