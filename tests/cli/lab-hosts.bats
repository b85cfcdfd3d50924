#!/usr/bin/env bats
# socklab lab --hosts 2: the server on one host, the client on another
# (network namespaces joined by a veth pair, 198.18.0.1 and 198.18.0.2),
# the capture on the server host's eth0: ARP and real Ethernet addresses,
# each host's own socket table.  Without root: every step skipped, why.

setup_file() {
	H=$BATS_FILE_TMPDIR
	export H
	if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then
		"$SOCKLAB" lab --hosts 2 --name alice --out "$H/e" >"$H/out" 2>&1
		echo $? >"$H/rc"
	fi
}

need_root() {
	[ -s "$H/rc" ] || skip "two hosts need root and network namespaces"
}

json() {	# FILE EXPRESSION over j
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

tf() {	# tshark fields of the capture: FILTER FIELD...
	local f=$1
	shift
	tshark -r "$H/e/alice_packet.pcapng" -Y "$f" -T fields $(printf -- '-e %s ' "$@")
}

@test "two hosts: every step verified, over 198.18.0.2 -> 198.18.0.1" {
	need_root
	cat "$H/out"
	[ "$(cat "$H/rc")" -eq 0 ]
	grep -q 'verified: capturing .tcp port 59001 or arp. on eth0' "$H/out"
	[ "$(tf 'tcp.flags.syn==1 && tcp.flags.ack==0' ip.src ip.dst tcp.dstport)" = "$(printf '198.18.0.2\t198.18.0.1\t59001')" ]
	grep -qE '^received "alice" from 198\.18\.0\.2:[0-9]+$' "$H/e/alice_message.txt"
}

@test "ARP and real Ethernet addresses: the client asks, the server answers, the SYN goes to the answer" {
	need_root
	[ "$(tf 'arp.opcode==1' arp.src.proto_ipv4 arp.dst.proto_ipv4)" = "$(printf '198.18.0.2\t198.18.0.1')" ]
	read -r server_mac < <(tf 'arp.opcode==2' arp.src.hw_mac)
	read -r client_mac < <(tf 'arp.opcode==1' arp.src.hw_mac)
	[[ $server_mac =~ ^([0-9a-f]{2}:){5}[0-9a-f]{2}$ ]] && [ "$server_mac" != 00:00:00:00:00:00 ]
	[ "$server_mac" != "$client_mac" ]
	[ "$(tf 'tcp.flags.syn==1 && tcp.flags.ack==0' eth.src eth.dst)" = "$(printf '%s\t%s' "$client_mac" "$server_mac")" ]
	# the report names both hosts' addresses as the capture saw them
	json "$H/e/alice_report.json" '" ".join(n["text"] for n in j["notes"])' | grep -q "198.18.0.1 (eth0 $server_mac)"
	json "$H/e/alice_report.json" '" ".join(n["text"] for n in j["notes"])' | grep -q "198.18.0.2 (eth0 $client_mac)"
	grep -q 'Who has 198.18.0.1? Tell 198.18.0.2' "$H/e/alice_report.html"
}

@test "each host's socket table, read inside that host" {
	need_root
	l=$H/e/alice_listening.txt
	grep -q '^server host\$ socklab sockets -p --port 59001   (on 198.18.0.1)$' "$l"
	sed -n '/^server host\$ socklab sockets/,/^$/p' "$l" | grep -qE 'tcp +[0-9]+ +[0-9]+ +198\.18\.0\.1:59001 +0\.0\.0\.0:\* +LISTEN +[0-9]+/socklab'
	# the client host has nothing on the port before the client starts
	[ "$(sed -n '/^client host\$ socklab sockets/,/^$/p' "$l" | grep -c '^tcp')" -eq 0 ]
	e=$H/e/alice_established.txt
	sed -n '/^server host\$ socklab sockets/,/^$/p' "$e" | grep -qE 'tcp +[0-9]+ +[0-9]+ +198\.18\.0\.1:59001 +198\.18\.0\.2:[0-9]+ +ESTABLISHED'
	sed -n '/^client host\$ socklab sockets/,/^$/p' "$e" | grep -qE 'tcp +[0-9]+ +[0-9]+ +198\.18\.0\.2:[0-9]+ +198\.18\.0\.1:59001 +ESTABLISHED'
	! sed -n '/^client host\$ socklab sockets/,/^$/p' "$e" | grep -q LISTEN
}

@test "the two-host bundle passes lab --verify" {
	need_root
	run "$SOCKLAB" lab --verify "$H/e"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ ${lines[1]} =~ ^alice\ +ok\ +ok\ +ok\ +ok\ +ok\ +ok\ +ok ]]
}

@test "without root: every step skipped with the reason, exit 1" {
	t=$(mktemp -d)
	chmod 755 "$t"
	cp "$SOCKLAB" "$t/socklab"
	mkdir -p "$t/n"
	chown 65534:65534 "$t/n"
	run setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all env -u ASAN_OPTIONS -u UBSAN_OPTIONS \
		"$t/socklab" lab --hosts 2 --name bob --out "$t/n" --no-images
	echo "$output"
	cp "$t/n/bob_report.json" "$H/bob_report.json"
	rm -rf "$t"
	[ "$status" -eq 1 ]
	[[ $output == *"skipped: two hosts need two network namespaces, which need root (CAP_SYS_ADMIN): run it with sudo"* ]]
	[ "$(json "$H/bob_report.json" '",".join(s["status"] for s in j["steps"])')" = "skipped,skipped,skipped,skipped,skipped,skipped" ]
}

@test "--hosts with --server, or another count, is a usage error" {
	run "$SOCKLAB" lab --hosts 3
	[ "$status" -eq 2 ]
	run "$SOCKLAB" lab --hosts 2 --server 'x' --client 'y'
	[ "$status" -eq 2 ]
}
