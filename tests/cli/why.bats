#!/usr/bin/env bats
# why.bats - socklab why: every verdict reproduced in a network namespace
# of its own (unshare -n, lo up; a veth pair with 198.18.0.0/15 for
# "another host"; nft and iptables rules inside), the verdict and the fix
# asserted; an unprivileged run says which checks it could not make.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	PY=$(python3 -c 'import sys; print(sys.executable)')
	export PY PEERS="$BATS_TEST_DIRNAME/peers"
	unshare -n -p -f --mount-proc true 2>/dev/null || export NO_NS=1
}

# in_ns SCRIPT: bash SCRIPT in a fresh network namespace, with
# tests/cli/why-ns.bash sourced; output and status as bats' run sets them.
# A pid namespace and /proc of its own too: why searches the namespaces of
# every process it sees, and the machine's other servers are not the test's
in_ns() {
	[ -z "${NO_NS:-}" ] || skip "unshare -n -p is not permitted here"
	run --separate-stderr timeout -k 5 60 unshare -n -p -f --mount-proc bash -c \
		"set -e; ip link set lo up; source '$BATS_TEST_DIRNAME/why-ns.bash'; $1"
}

need() {
	command -v "$1" >/dev/null || skip "$1 is not installed (scripts/deps.sh installs it)"
}

verdict() {	# the verdict line of the text output
	printf '%s\n' "$output" | sed -n 's/^verdict: //p'
}

fix() {
	printf '%s\n' "$output" | sed -n 's/^fix: *//p'
}

@test "why: nothing listens -> refused on both addresses, start the server" {
	in_ns '"$SOCKLAB" why --no-capture 59001'
	[ "$status" -eq 1 ]
	[[ "$output" == *"ok    name       localhost -> [::1]:59001, 127.0.0.1:59001 (from the localhost rule of RFC 6761"* ]]
	[[ "$output" == *"FAIL  listen     nothing listens on port 59001"* ]]
	[[ "$output" == *"FAIL  connect [::1]:59001 refused after"* ]]
	[ "$(verdict)" = "connection refused on [::1]:59001: nothing listens on port 59001 (no address, either family)" ]
	[ "$(fix)" = "start the server: socklab server -p 59001" ]
}

@test "why: a server that works -> ok, the reply, exit 0; -H/-p spell the same" {
	in_ns 'ns_server -p 59001; "$SOCKLAB" why --no-capture --name alice localhost 59001; "$SOCKLAB" why --no-capture -H 127.0.0.1 -p 59001 --name bob | tail -n 2'
	[ "$status" -eq 0 ]
	[[ "$output" == *'verdict: [::1]:59001 works: it answered "Hello, alice!"'* ]]
	[[ "$output" == *'verdict: 127.0.0.1:59001 works: it answered "Hello, bob!"'* ]]
	[[ "$output" == *"fix:     nothing to fix"* ]]
	[[ "$output" == *"ok    listen     127.0.0.1:59001 (pid "*" socklab, user "*"accept queue 0 of backlog"* ]]
}

@test "why: server on 127.0.0.1 only, ::1 tried first -> works after a fallback, names the trap" {
	in_ns 'ns_server -p 59001 -b 127.0.0.1; "$SOCKLAB" why --no-capture 59001'
	[ "$status" -eq 0 ]
	[[ "$(verdict)" == "works, but only after a failure: connection refused on [::1]:59001: a server listens on 127.0.0.1:59001 (pid "*" socklab, user "*") only, IPv4" ]]
	[[ "$(fix)" == "the client recovered by trying the next address; a client that tries only the first one fails: use -4 or -H 127.0.0.1, or make the server listen on ::1 too" ]]
}

@test "why -6 against a server on 127.0.0.1 only -> wrong family, exit 1" {
	in_ns 'ns_server -p 59001 -b 127.0.0.1; "$SOCKLAB" why --no-capture -6 localhost 59001'
	[ "$status" -eq 1 ]
	[[ "$(verdict)" == "connection refused on [::1]:59001: a server listens on 127.0.0.1:59001 (pid "*") only, IPv4" ]]
	[ "$(fix)" = "use -4 or -H 127.0.0.1, or make the server listen on ::1 too" ]
}

@test "why: server on loopback only, client uses the LAN address -> wrong address" {
	in_ns 'ns_veth; ns_server -p 59001 -b 127.0.0.1; "$SOCKLAB" why --no-capture 198.18.0.1 59001'
	[ "$status" -eq 1 ]
	[[ "$(verdict)" == "connection refused on 198.18.0.1:59001: a server listens on 127.0.0.1:59001 (pid "*") only (loopback), not on 198.18.0.1" ]]
	[ "$(fix)" = "connect to 127.0.0.1, or make the server listen on 198.18.0.1 too (socklab server -b 0.0.0.0)" ]
}

@test "why: the only listener is in another network namespace -> a container, nsenter or publish" {
	in_ns 'unshare -n bash -c "ip link set lo up; exec \"\$PY\" -I -S \"\$PEERS/listen.py\" hold --ttl 20" >"$BATS_TEST_TMPDIR/p" &
	       for _ in $(seq 500); do grep -q "^port" "$BATS_TEST_TMPDIR/p" && break; sleep 0.02; done
	       p=$(sed -n "s/^port //p" "$BATS_TEST_TMPDIR/p"); "$SOCKLAB" why --no-capture 127.0.0.1 "$p"'
	[ "$status" -eq 1 ]
	[[ "$(verdict)" == *": nothing listens in this network namespace; a server listens in another one (a container?): 127.0.0.1:"*" (pid "*" python3, user "*", network namespace net:["*"])" ]]
	[[ "$(fix)" == "connect from inside that namespace (sudo nsenter -t "*" -n socklab client ...), or publish the port to this one (docker run -p "* ]]
}

@test "why: nft drop on input -> timed out, SYNs counted, the rule named with its handle" {
	need nft
	in_ns 'ns_nft_in tcp dport 59001 drop; ns_server -p 59001 -b 127.0.0.1; "$SOCKLAB" why -w 1.5 127.0.0.1 59001'
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL  connect 127.0.0.1:59001 timed out after 15"*" ms: 2 SYNs sent (TCP_INFO), no answer; on lo: 2 SYN, 0 SYN-ACK, 0 RST, 0 ICMP"* ]]
	[[ "$(verdict)" == 'timed out after 1.5 s connecting to 127.0.0.1:59001: 2 SYNs got no answer: a firewall drops them — rule "tcp dport 59001 drop" (nftables: table inet sltest chain in, handle '*')' ]]
	[[ "$(fix)" == "delete the rule: nft delete rule inet sltest in handle "*" (or accept port 59001 before it)" ]]
}

@test "why: an accept rule before the drop lets the SYN through: no rule blamed" {
	need nft
	in_ns 'ns_nft_in iifname lo tcp dport 59001 accept; nft add rule inet sltest in tcp dport 59001 drop
	       ns_server -p 59001 -b 127.0.0.1; "$SOCKLAB" why --no-capture 127.0.0.1 59001'
	[ "$status" -eq 0 ]
	[[ "$output" == *"works"* ]]
}

@test "why: nft reject (icmpx port-unreachable) -> rejected by a rule, not a closed port" {
	need nft
	in_ns 'ns_nft_in tcp dport 59001 reject; "$SOCKLAB" why --no-capture 127.0.0.1 59001'
	[ "$status" -eq 1 ]
	[[ "$output" == *"error queue: ICMP port unreachable from 127.0.0.1"* ]]
	[[ "$(verdict)" == 'rejected: 127.0.0.1:59001 answered with ICMP port unreachable from 127.0.0.1: a firewall rejects the connection — rule "tcp dport 59001 reject with icmpx port-unreachable" (nftables: table inet sltest chain in, handle '*')' ]]
	[[ "$(fix)" == "delete the rule: nft delete rule inet sltest in handle "* ]]
}

@test "why: reject with tcp reset while a server listens -> the RST came from a rule" {
	need nft
	in_ns 'ns_nft_in tcp dport 59001 reject with tcp reset; ns_server -p 59001; "$SOCKLAB" why -4 127.0.0.1 59001'
	[ "$status" -eq 1 ]
	[[ "$output" == *"on lo: 1 SYN, 0 SYN-ACK, 1 RST, 0 ICMP"* ]]
	[[ "$(verdict)" == "rejected: 127.0.0.1:59001 answered with a RST although a server listens on 127.0.0.1:59001 (pid "*"): a firewall rejects the connection — rule \"tcp dport 59001 reject with tcp reset\""* ]]
}

@test "why: nft drop on output -> the SYNs never leave: timed out, the output rule named" {
	need nft
	in_ns 'nft add table inet sltest; nft add chain inet sltest out "{ type filter hook output priority 0; }"; nft add rule inet sltest out tcp dport 59001 drop
	       "$SOCKLAB" why --no-capture -w 1.2 127.0.0.1 59001'
	[ "$status" -eq 1 ]
	[[ "$(verdict)" == 'timed out after 1.2 s connecting to 127.0.0.1:59001: 2 SYNs got no answer: a firewall drops them — rule "tcp dport 59001 drop" (nftables: table inet sltest chain out, handle '*')' ]]
	[[ "$(fix)" == "delete the rule: nft delete rule inet sltest out handle "* ]]
}

@test "why: iptables (nft backend) DROP -> rule 1 of iptables chain INPUT, iptables -D" {
	need iptables
	in_ns 'iptables -A INPUT -p tcp --dport 59001 -j DROP; "$SOCKLAB" why --no-capture -w 0.5 127.0.0.1 59001'
	[ "$status" -eq 1 ]
	[[ "$(verdict)" == *': a firewall drops them — rule 1 of iptables chain INPUT (table filter): "tcp dport 59001 drop"' ]]
	[ "$(fix)" = "delete the rule: iptables -t filter -D INPUT 1 (or accept port 59001 before it)" ]
}

@test "why: legacy iptables REJECT admin-prohibited -> ICMP from the rule, iptables-legacy -D" {
	need iptables-legacy
	in_ns 'iptables-legacy -A INPUT -p tcp -m tcp --dport 59001 -j REJECT --reject-with icmp-admin-prohibited
	       "$SOCKLAB" why --no-capture 127.0.0.1 59001'
	[ "$status" -eq 1 ]
	[[ "$(verdict)" == 'rejected: 127.0.0.1:59001 answered with ICMP communication administratively prohibited from 127.0.0.1: a firewall rejects the connection — rule 1 of iptables-legacy chain INPUT (table filter): "-A INPUT -p tcp -m tcp --dport 59001 -j REJECT --reject-with icmp-admin-prohibited"' ]]
	[ "$(fix)" = "delete the rule: iptables-legacy -t filter -D INPUT 1 (or accept port 59001 before it)" ]
}

@test "why: legacy iptables policy DROP on INPUT -> the policy named, an accept rule offered" {
	need iptables-legacy
	in_ns 'iptables-legacy -P INPUT DROP; "$SOCKLAB" why --no-capture -w 0.5 127.0.0.1 59001'
	[ "$status" -eq 1 ]
	[[ "$(verdict)" == *"a firewall drops them — the policy DROP of chain INPUT (iptables-legacy, table filter)" ]]
	[ "$(fix)" = "let the port in: iptables-legacy -t filter -I INPUT -p tcp --dport 59001 -j ACCEPT" ]
}

@test "why: no route to the address -> no route, nothing sent" {
	in_ns '"$SOCKLAB" why --no-capture 198.18.7.7 59001'
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL  route      198.18.7.7: no route (Network is unreachable)"* ]]
	[[ "$(verdict)" == "no route to 198.18.7.7:59001: network unreachable" ]]
	[[ "$(fix)" == "check the address (ip route shows"* ]]
}

@test "why: another host (veth, 198.18.0.2) whose own firewall drops -> no rule here, the other host" {
	need nft
	in_ns 'ns_veth; ns_there nft add table inet t; ns_there nft add chain inet t in "{ type filter hook input priority 0; }"; ns_there nft add rule inet t in tcp dport 59001 drop
	       "$SOCKLAB" why -w 1.5 198.18.0.2 59001'
	[ "$status" -eq 1 ]
	[[ "$output" == *"ok    route      198.18.0.2: unicast dev sl0 src 198.18.0.1"* ]]
	[[ "$output" == *"on sl0: 2 SYN, 0 SYN-ACK, 0 RST, 0 ICMP"* ]]
	[ "$(verdict)" = "timed out after 1.5 s connecting to 198.18.0.2:59001: 2 SYNs got no answer (a closed port would refuse at once); no nftables or iptables rule here drops them — the other host or a firewall on the way drops them" ]
	[ "$(fix)" = "check that the host is up and that its firewall lets port 59001 in (run socklab why 127.0.0.1 59001 there)" ]
}

# The SYN queues behind some 4 KB the link (8 kbit/s, 1,600 bytes of burst)
# takes about 2.7 s to send: slow enough to show however long socklab
# takes to start on a loaded machine (a tbf bucket refilled in 0.4 s).
@test "why: a slow link (an htb queue filled ahead of the SYN) still works; the connect time shows the delay" {
	in_ns 'ns_veth; ns_there "$PY" -I -S "$PEERS/listen.py" "reply:Hello\\n" --host 198.18.0.2 --ttl 20 >"$BATS_TEST_TMPDIR/p" &
	       for _ in $(seq 500); do grep -q "^port" "$BATS_TEST_TMPDIR/p" && break; sleep 0.02; done
	       p=$(sed -n "s/^port //p" "$BATS_TEST_TMPDIR/p")
	       tc qdisc add dev sl0 root handle 1: htb default 1
	       tc class add dev sl0 parent 1: classid 1:1 htb rate 8kbit ceil 8kbit burst 1600 cburst 1600
	       "$PY" -I -S -c "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); [s.sendto(b\"x\" * 1400, (\"198.18.0.2\", 9)) for _ in range(3)]"
	       "$SOCKLAB" why --no-capture --json -w 5 198.18.0.2 "$p"'
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | py -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
att = [r for r in rows if r["check"].startswith("connect ")][0]
assert att["result"] == "connected", att
assert att["ms"] > 300, att
assert rows[-1]["verdict"] == "ok", rows[-1]
'
}

@test "why: backlog 1, never accepted, queue full -> accept queue full, ListenOverflows rising" {
	in_ns 'ns_peer full --backlog 1; "$SOCKLAB" why --no-capture -w 1.2 127.0.0.1 "$P"'
	[ "$status" -eq 1 ]
	[[ "$output" == *"accept queue 2 of backlog 1 (full)"* ]]
	[[ "$(verdict)" == "timed out after 1.2 s connecting to 127.0.0.1:"*": the accept queue of 127.0.0.1:"*" (pid "*" python3, user "*") is full: 2 connections wait, backlog 1; ListenOverflows +"*" during the attempt: the server does not call accept() (or not fast enough)" ]]
	[[ "$(verdict)" != *"ListenOverflows +0 "* ]]
	[ "$(fix)" = "make the server accept() in a loop (or with epoll), and listen with a larger backlog (listen(fd, 128))" ]
}

@test "why: connected but never accepted -> waits in the accept queue" {
	in_ns 'ns_peer hold; "$SOCKLAB" why --no-capture -w 0.5 127.0.0.1 "$P"'
	[ "$status" -eq 1 ]
	[[ "$(verdict)" == "connected to 127.0.0.1:"*", but the server never accepted: the connection waits in its accept queue (1 waiting, backlog 16)" ]]
	[ "$(fix)" = "the server must call accept() on its listening socket" ]
}

@test "why: accepted but never read -> the line sits in the server's Recv-Q" {
	in_ns 'ns_peer noread; "$SOCKLAB" why --no-capture -w 0.5 --name alice 127.0.0.1 "$P"'
	[ "$status" -eq 1 ]
	[[ "$(verdict)" == "the server accepted the connection but never read: our 6 bytes sit in its receive queue (Recv-Q 6), pid "* ]]
	[[ "$(fix)" == "the server must recv() from the socket accept() returned, and answer each line" ]]
}

@test "why: read but never answered, and closed without a reply" {
	in_ns 'ns_peer silent; "$SOCKLAB" why --no-capture -w 0.5 127.0.0.1 "$P"'
	[ "$status" -eq 1 ]
	[ "$(verdict)" = "the server read our line but sent no reply within 0.5 s" ]
	in_ns 'ns_peer readclose; "$SOCKLAB" why --no-capture -w 0.5 --name alice 127.0.0.1 "$P"'
	[ "$status" -eq 1 ]
	[ "$(verdict)" = "the server closed the connection without a reply (6 bytes sent, 0 read)" ]
}

@test "why: TIME_WAIT left by a server that closed first, then stopped -> an earlier run, start it" {
	in_ns 'ns_peer closefirst; "$PY" -I -S -c "import socket,sys; s=socket.create_connection((\"127.0.0.1\", int(sys.argv[1]))); s.recv(1); s.close()" "$P"
	       kill %1; wait %1 2>/dev/null || true
	       "$SOCKLAB" why --no-capture 127.0.0.1 "$P"'
	[ "$status" -eq 1 ]
	[[ "$(verdict)" == *": nothing listens on port "*" (no address, either family); 1 connection in TIME_WAIT ("*" s left) show an earlier run ended: its server is gone" ]]
	[[ "$output" == *"1 connection on port "*" in TIME_WAIT (kernel, "*" s left)"* ]]
}

@test "why: a privileged port nobody listens on -> the threshold read from the kernel" {
	in_ns '"$SOCKLAB" why --no-capture 127.0.0.1 80'
	[ "$status" -eq 1 ]
	[[ "$(verdict)" == "connection refused on 127.0.0.1:80: nothing listens on port 80, which is below ip_unprivileged_port_start ("*"): a server without root or CAP_NET_BIND_SERVICE cannot listen there" ]]
	[[ "$(fix)" == *"or use a port above 59000 (socklab server -p 59001)" ]]
}

@test "why unprivileged (nobody, no capabilities): says which checks it could not make and why" {
	need nft
	command -v setpriv >/dev/null || skip "setpriv is missing"
	in_ns 'ns_nft_in tcp dport 59001 drop
	       setpriv --reuid nobody --regid nogroup --clear-groups --inh-caps=-all --bounding-set=-all "$SOCKLAB" why -w 0.5 127.0.0.1 59001'
	[ "$status" -eq 1 ]
	[[ "$output" == *"not captured (needs CAP_NET_RAW): judged from the socket alone"* ]]
	[[ "$output" == *"skip  firewall   for 127.0.0.1:59001: nftables: not read (needs CAP_NET_ADMIN: run with sudo)"* ]]
	[[ "$output" == *"other network namespaces not searched (needs root: CAP_SYS_ADMIN)"* ]]
	[[ "$(verdict)" == *"(a closed port would refuse at once); socklab could not read this machine's firewall rules (needs CAP_NET_ADMIN: run with sudo to see which rule)" ]]
}

@test "why --json: one object per check with check, status, evidence; the verdict last with its key and fix" {
	in_ns 'ns_server -p 59001 -b ::1; "$SOCKLAB" why --no-capture --json -4 localhost 59001'
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" | py -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
names = [r["check"] for r in rows]
assert names == ["name", "listen", "route", "connect 127.0.0.1:59001", "firewall", "queues", "leftovers", "verdict"], names
for r in rows:
    assert {"check", "status", "evidence"} <= set(r), r
assert rows[3]["result"] == "refused" and rows[3]["errno"] == 111, rows[3]
v = rows[-1]
assert v["verdict"] == "wrong-family" and v["status"] == "FAIL", v
assert v["fix"].startswith("use -6 or -H ::1"), v
'
}

@test "why: usage errors exit 2; doctor is the same command; help" {
	run --separate-stderr "$SOCKLAB" why 1 2 3
	[ "$status" -eq 2 ]
	[[ "$stderr" == "socklab why: too many arguments: give [HOST] PORT; see 'socklab why --help'" ]]
	run --separate-stderr "$SOCKLAB" why -p 5 6
	[ "$status" -eq 2 ]
	run --separate-stderr "$SOCKLAB" why 0
	[ "$status" -eq 2 ]
	run "$SOCKLAB" doctor --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: socklab why "* ]]
}
