#!/usr/bin/env bash
# record.sh [SOCKLAB] - re-records the pcaps of real kernel traffic in
# tests/captures/pcaps/ (root: network namespaces): two namespaces joined
# by a veth pair (198.18.0.1 server, 198.18.0.2 client), and over it
#   veth.pcap      ARP, ICMP and ICMPv6 (neighbour discovery) pings, the
#                  socklab hello over TCP, IPv4 and IPv6
#   bridge.pcap    the same pings through a kernel bridge
#   vxlan.pcap     a kernel VXLAN device (VNI 42, udp 4789) over the veth:
#                  ping and the hello inside
#   services.pcap  DNS (dig against services.py), HTTP (curl against
#                  python3 -m http.server), TLS (openssl s_client with SNI
#                  against openssl s_server), DHCP and NTP (services.py)
# Then mkpcaps.py crafts what the kernel cannot make, and answers.sh
# records tshark's answers for every pcap the tests hold.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
socklab=${1:-$here/../../build/socklab}
out=$here/pcaps
mkdir -p "$out"
ns=slcap$$
S="ip netns exec $ns-s" C="ip netns exec $ns-c"
tmp=$(mktemp -d)
pids=()

cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	ip netns del "$ns-s" 2>/dev/null || true
	ip netns del "$ns-c" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

wait_for() {	# FILE REGEX: bounded, 100 polls of 0.05 s
	for _ in $(seq 100); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.05	# poll step; the loop is the bound
	done
	echo "record.sh: timed out waiting for '$2' in $1" >&2
	return 1
}

ip netns add "$ns-s"
ip netns add "$ns-c"
ip link add v-s netns "$ns-s" type veth peer name v-c netns "$ns-c"
$S ip link set lo up
$C ip link set lo up
$S ip link set v-s address 02:00:00:00:00:01
$C ip link set v-c address 02:00:00:00:00:02
$S ip addr add 198.18.0.1/24 dev v-s
$C ip addr add 198.18.0.2/24 dev v-c
$S ip addr add 2001:db8::1/64 dev v-s nodad
$C ip addr add 2001:db8::2/64 dev v-c nodad
$S ip link set v-s up
$C ip link set v-c up

capture() {	# DEV FILE: tcpdump in the server's namespace until stop
	$S tcpdump -i "$1" -n --immediate-mode -U -s 0 -w "$2" \
		2>"$tmp/tcpdump.err" &
	cap=$!
	pids+=("$cap")
	wait_for "$tmp/tcpdump.err" 'listening on'
}

stop() {	# FILE: once the file stops growing (bounded: 40 polls)
	local last=-1 size
	for _ in $(seq 40); do
		size=$(stat -c %s "$1")
		[ "$size" = "$last" ] && break
		last=$size
		sleep 0.1	# poll step; the loop is the bound
	done
	kill -INT "$cap"
	wait "$cap" || true
	echo "${1##*/}: $(tcpdump -r "$1" 2>/dev/null | wc -l) packets"
}

hello() {	# ADDR PORT NAME: the socklab hello from the client side
	$S "$socklab" server -b "$1" -p "$2" --once >"$tmp/server.out" 2>&1 &
	pids+=($!)
	wait_for "$tmp/server.out" 'listening on'
	$C "$socklab" client -H "$1" -p "$2" "$3" >/dev/null
}

# ---- veth: ARP, pings, the hello
capture v-s "$out/veth.pcap"
$C ping -c 2 -i 0.2 198.18.0.1 >/dev/null
$C ping -6 -c 2 -i 0.2 2001:db8::1 >/dev/null
hello 198.18.0.1 59001 alice
hello 2001:db8::1 59002 bob
stop "$out/veth.pcap"

# ---- a bridge in the server's namespace, the veth one of its ports
$S ip link add br0 type bridge
$S ip link set br0 address 02:00:00:00:00:10
$S ip addr flush dev v-s
$S ip link set v-s master br0
$S ip addr add 198.18.0.1/24 dev br0
$S ip link set br0 up
capture br0 "$out/bridge.pcap"
$C ping -c 2 -i 0.2 198.18.0.1 >/dev/null
hello 198.18.0.1 59003 carol
stop "$out/bridge.pcap"
$S ip link set v-s nomaster
$S ip link del br0
$S ip addr add 198.18.0.1/24 dev v-s

# ---- VXLAN over the veth
$S ip link add vx0 type vxlan id 42 local 198.18.0.1 remote 198.18.0.2 \
	dstport 4789 dev v-s
$C ip link add vx0 type vxlan id 42 local 198.18.0.2 remote 198.18.0.1 \
	dstport 4789 dev v-c
$S ip link set vx0 address 02:00:00:00:01:01
$C ip link set vx0 address 02:00:00:00:01:02
$S ip addr add 198.19.0.1/24 dev vx0
$C ip addr add 198.19.0.2/24 dev vx0
$S ip link set vx0 up
$C ip link set vx0 up
capture v-s "$out/vxlan-kernel.pcap"
$C ping -c 2 -i 0.2 198.19.0.1 >/dev/null
hello 198.19.0.1 59004 dave
stop "$out/vxlan-kernel.pcap"

# ---- services
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=www.example.test \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 1 2>/dev/null
mkdir "$tmp/www"
echo "hello from the lab" >"$tmp/www/index.html"
capture v-s "$out/services.pcap"
$S python3 "$here/services.py" dns-server 198.18.0.1 53 3 >"$tmp/dns.out" &
pids+=($!)
wait_for "$tmp/dns.out" ready
$C dig +tries=1 +time=2 @198.18.0.1 www.example.test A >/dev/null
$C dig +tries=1 +time=2 @198.18.0.1 example.test AAAA >/dev/null
$C dig +tries=1 +time=2 @198.18.0.1 nothing.example.test A >/dev/null
(cd "$tmp/www" && exec $S python3 -m http.server 80 --bind 198.18.0.1) \
	>"$tmp/http.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
	$C curl -s -o /dev/null http://198.18.0.1/ && break
	sleep 0.05	# poll step until the server listens; bounded
done
$C curl -s -o /dev/null -A "curl/7.88.1" http://198.18.0.1/index.html
$C curl -s -o /dev/null http://198.18.0.1/missing
$S openssl s_server -accept 443 -cert "$tmp/cert.pem" -key "$tmp/key.pem" \
	-www -quiet >"$tmp/tls.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
	$S ss -ltn | grep -q ':443 ' && break
	sleep 0.05	# poll step until s_server listens; bounded
done
$C openssl s_client -connect 198.18.0.1:443 -servername www.example.test \
	</dev/null >/dev/null 2>&1 || true
$C openssl s_client -connect 198.18.0.1:443 -tls1_2 \
	-servername tls12.example.test </dev/null >/dev/null 2>&1 || true
$S python3 "$here/services.py" dhcp-server v-s 2 >"$tmp/dhcp.out" &
pids+=($!)
wait_for "$tmp/dhcp.out" ready
$C python3 "$here/services.py" dhcp-client v-c 02:00:00:00:00:02 >/dev/null
$S python3 "$here/services.py" ntp-server 198.18.0.1 1 >"$tmp/ntp.out" &
pids+=($!)
wait_for "$tmp/ntp.out" ready
$C python3 "$here/services.py" ntp-client 198.18.0.1 >/dev/null
stop "$out/services.pcap"
