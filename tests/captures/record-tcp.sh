#!/usr/bin/env bash
# record-tcp.sh [OUTDIR] - records the pcaps of real kernel TCP (and UDP)
# trouble in tests/captures/pcaps/tcp-*.pcap (root: network namespaces;
# tcpdump, nft, tc, python3; tshark only to wait until the trouble has
# happened).  Two namespaces joined by a veth pair (198.18.0.1 server,
# 198.18.0.2 client, 2001:db8::1/::2; clients with an MSS of 536 so that
# a few kilobytes of text make many segments), the capture on the server's
# side (v-s) unless said:
#   tcp-loss.pcap      one transfer through a router namespace (198.18.4.2
#                      -> 198.18.5.2) where nft drops 1 in 20 of the
#                      client's data segments, a tbf (8 Mbit/s) making RTTs
#                      of milliseconds; captured on the client (c-r), the
#                      sender, before the drop: retransmissions, long runs
#                      of dup ACKs with SACK, window updates
#   tcp-lost.pcap      the same transfer captured on the server (s-r), the
#                      receiver, after the drop: previous segments not
#                      captured, dup ACKs, the (fast) retransmissions that
#                      fill the holes
#   tcp-delay.pcap     a tbf qdisc (1 Mbit/s) on both sides: real RTTs,
#                      bytes in flight
#   tcp-zerowin.pcap   a receiver with a 4 KB buffer that reads nothing
#                      until it has advertised a zero window 3 times:
#                      window full, zero window, the sender's probes and
#                      their ACKs, then the window update.  Linux probes
#                      with snd_una - 1 and no data, which tshark 4.0 calls
#                      keep-alives; its 1-byte zero_window_probe is crafted
#                      (mkpcaps.py tcp-zwprobe.pcap)
#   tcp-keepalive.pcap TCP_KEEPIDLE=1 TCP_KEEPINTVL=1 on an idle connection:
#                      keep-alives and their ACKs
#   tcp-reset.pcap     a server closing with SO_LINGER 0 mid-stream (RST),
#                      then a SYN to a closed port (RST,ACK)
#   tcp-udp.pcap       three UDP echo exchanges of text (udp.stream 0-2)
#   tcp-ipv6.pcap      a TCP echo conversation over IPv6
#   tcp-reorder.pcap   a third pair of devices, TUN, joined by tunrelay.py,
#                      which swaps every 7th and duplicates every 11th data
#                      segment of the client's: out-of-order segments,
#                      duplicates, D-SACK (captured on the server's TUN: raw
#                      IP link type)
# The crafted TCP cases (spurious retransmission, mid-stream start,
# port reuse, ...) are mkpcaps.py's; answers.sh and answers-z.sh then
# record tshark.  The loss is random: a re-run writes other pcaps of the
# same kinds (tests/cli/captures-tcp.bats checks the kinds).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/pcaps}
mkdir -p "$out"
ns=sltcp$$
S="ip netns exec $ns-s" C="ip netns exec $ns-c"
peer="python3 $here/tcppeer.py"
tmp=$(mktemp -d)
pids=()
cap=

cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	ip netns del "$ns-s" 2>/dev/null || true
	ip netns del "$ns-c" 2>/dev/null || true
	ip netns del "$ns-r" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

wait_for() {	# FILE REGEX: bounded, 200 polls of 0.05 s
	for _ in $(seq 200); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.05	# poll step; the loop is the bound
	done
	echo "record-tcp.sh: timed out waiting for '$2' in $1" >&2
	return 1
}

wait_count() {	# PCAP FILTER N: until tshark sees N frames match (bounded: 20 s)
	local k
	for _ in $(seq 100); do
		k=$(tshark -r "$1" -Y "$2" 2>/dev/null | wc -l)
		[ "$k" -ge "$3" ] && return 0
		sleep 0.2	# poll step; the loop is the bound
	done
	echo "record-tcp.sh: $1 has $k frames of '$2' after 20 s, wanted $3" >&2
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
# one wire segment a packet: no TSO super-packets in the capture (this
# machine has no ethtool; the kernel then segments in software)
$S ip link set v-s gso_max_segs 1
$C ip link set v-c gso_max_segs 1
$S ip link set v-s up
$C ip link set v-c up
# neighbours known beforehand: no ARP or ND in the TCP pcaps
$S ip neigh replace 198.18.0.2 lladdr 02:00:00:00:00:02 dev v-s
$C ip neigh replace 198.18.0.1 lladdr 02:00:00:00:00:01 dev v-c
$S ip -6 neigh replace 2001:db8::2 lladdr 02:00:00:00:00:02 dev v-s
$C ip -6 neigh replace 2001:db8::1 lladdr 02:00:00:00:00:01 dev v-c

capture_in() {	# NS DEV FILE [FILTER]: tcpdump in namespace NS ("$S"...) until stop
	local err=$tmp/tcpdump.${3##*/}.err
	$1 tcpdump -i "$2" -n --immediate-mode -B 16384 -U -s 0 -w "$3" ${4:+"$4"} \
		2>"$err" &
	cap=$!
	pids+=("$cap")
	wait_for "$err" 'listening on'
}

capture() {	# DEV FILE [FILTER]: in the server's namespace
	capture_in "$S" "$@"
}

stop() {	# FILE [PID]: once the file stops growing (bounded: 40 polls)
	local last=-1 size pid=${2:-$cap}
	for _ in $(seq 40); do
		size=$(stat -c %s "$1")
		[ "$size" = "$last" ] && break
		last=$size
		sleep 0.1	# poll step; the loop is the bound
	done
	kill -INT "$pid"
	wait "$pid" || true
	echo "${1##*/}: $(tcpdump -r "$1" 2>/dev/null | wc -l) packets, $(stat -c %s "$1") bytes; $(grep -h "dropped by" "$tmp/tcpdump.${1##*/}.err" | tr "\n" " ")"
}

serve() {	# ADDR PORT ARGS...: a tcppeer.py server, waited on until it listens
	local log=$tmp/server.$2
	$S $peer server "$@" >"$log" 2>&1 &
	pids+=($!)
	srv=$!
	wait_for "$log" listening
}

finish() {	# wait for the last server (bounded by its own timeout)
	wait "$srv" || { echo "record-tcp.sh: server failed:" >&2; cat "$tmp"/server.* >&2; return 1; }
}

# ---- loss, one transfer seen from both ends.  A drop in the sender's own
# output hook is no loss (TCP sees the error and sends again at once), so
# the drop is in a router namespace between the two, with a token bucket
# (8 Mbit/s) on its way to the server for RTTs of milliseconds:
# client 198.18.4.2 - 198.18.4.1 router 198.18.5.1 - 198.18.5.2 server
ip netns add "$ns-r"
R="ip netns exec $ns-r"
ip link add c-r netns "$ns-c" type veth peer name r-c netns "$ns-r"
ip link add s-r netns "$ns-s" type veth peer name r-s netns "$ns-r"
for l in "$C c-r 198.18.4.2" "$R r-c 198.18.4.1" "$R r-s 198.18.5.1" "$S s-r 198.18.5.2"; do
	set -- $l
	"${@:1:4}" ip link set "$5" gso_max_segs 1 up
	"${@:1:4}" ip addr add "$6/24" dev "$5"
done
$R ip link set lo up
$R sysctl -qw net.ipv4.ip_forward=1
$C ip route add 198.18.5.0/24 via 198.18.4.1
$S ip route add 198.18.4.0/24 via 198.18.5.1
$R tc qdisc add dev r-s root tbf rate 8mbit burst 3000 latency 200ms
$R nft -f - <<'EOF2'
table inet loss {
	chain through {
		type filter hook forward priority 0;
		tcp dport 5001 tcp flags & (syn | fin | rst) == 0 ip length > 100 numgen random mod 20 == 0 drop
	}
}
EOF2
$C $peer closed 198.18.5.2 5999 >/dev/null	# neighbours resolved before the capture
capture_in "$C" c-r "$out/tcp-loss.pcap" "tcp port 5001"
cap_c=$cap
capture_in "$S" s-r "$out/tcp-lost.pcap" "tcp port 5001"
cap_s=$cap
serve 198.18.5.2 5001
$C $peer client 198.18.5.2 5001 --lines 1600
finish
stop "$out/tcp-loss.pcap" "$cap_c"
stop "$out/tcp-lost.pcap" "$cap_s"

# ---- delay: a token bucket each way, the queue makes the RTT
$C tc qdisc add dev v-c root tbf rate 1mbit burst 1600 latency 400ms
$S tc qdisc add dev v-s root tbf rate 1mbit burst 1600 latency 400ms
capture v-s "$out/tcp-delay.pcap" "tcp port 5003"
serve 198.18.0.1 5003 --echo
$C $peer client 198.18.0.1 5003 --lines 300
finish
stop "$out/tcp-delay.pcap"
$C tc qdisc del dev v-c root
$S tc qdisc del dev v-s root

# ---- a receiver that stops reading
capture v-s "$out/tcp-zerowin.pcap" "tcp port 5004"
serve 198.18.0.1 5004 --rcvbuf 4096 --hold "$tmp/read"
$C $peer client 198.18.0.1 5004 --lines 400 &
cli=$!
pids+=("$cli")
wait_count "$out/tcp-zerowin.pcap" tcp.analysis.zero_window 3
touch "$tmp/read"
wait "$cli"
finish
stop "$out/tcp-zerowin.pcap"

# ---- keep-alives on an idle connection
capture v-s "$out/tcp-keepalive.pcap" "tcp port 5005"
serve 198.18.0.1 5005 --echo
$C $peer client 198.18.0.1 5005 --keepalive "$tmp/ka" &
cli=$!
pids+=("$cli")
wait_count "$out/tcp-keepalive.pcap" tcp.analysis.keep_alive 3
touch "$tmp/ka"
wait "$cli"
finish
stop "$out/tcp-keepalive.pcap"

# ---- a reset mid-stream, a SYN to a closed port
capture v-s "$out/tcp-reset.pcap" "tcp port 5006 or tcp port 5999"
serve 198.18.0.1 5006 --reset-after 1500
$C $peer client 198.18.0.1 5006 --lines 200 --expect-reset >/dev/null
finish
$C $peer closed 198.18.0.1 5999 >/dev/null
stop "$out/tcp-reset.pcap"

# ---- UDP exchanges: three client sockets, three streams
capture v-s "$out/tcp-udp.pcap" "udp port 5007"
$S $peer udp-server 198.18.0.1 5007 9 >"$tmp/udp.out" 2>&1 &
srv=$!
pids+=("$srv")
wait_for "$tmp/udp.out" listening
for _ in 1 2 3; do $C $peer udp-client 198.18.0.1 5007 3; done
wait "$srv"
stop "$out/tcp-udp.pcap"

# ---- TCP over IPv6
capture v-s "$out/tcp-ipv6.pcap" "tcp port 5008"
serve 2001:db8::1 5008 --echo
$C $peer client 2001:db8::1 5008 --lines 40
finish
stop "$out/tcp-ipv6.pcap"

# ---- reordering and duplication through the userspace relay
python3 "$here/tunrelay.py" "$ns-c" tun-c "$ns-s" tun-s >"$tmp/relay.out" 2>&1 &
relay=$!
pids+=("$relay")
wait_for "$tmp/relay.out" ready
$S ip link set tun-s up
$C ip link set tun-c up
$S ip addr add 198.18.2.1 peer 198.18.2.2 dev tun-s
$C ip addr add 198.18.2.2 peer 198.18.2.1 dev tun-c
capture tun-s "$out/tcp-reorder.pcap" "tcp port 5009"
serve 198.18.2.1 5009
$C $peer client 198.18.2.1 5009 --lines 600
finish
stop "$out/tcp-reorder.pcap"
kill "$relay"
wait "$relay" || true
cat "$tmp/relay.out"
