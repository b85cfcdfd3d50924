#!/usr/bin/env bash
# mkpcaps.sh - re-records the conformance pcaps in tests/dfilter/pcaps/ from
# real loopback traffic (traffic.py), each inside a private network
# namespace so no other traffic gets in.  Needs root (unshare -n, tcpdump).
# After running it, regenerate the recorded tshark answers: gen-expected.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/pcaps
mkdir -p "$out"

record() {	# kind [mtu]
	local kind=$1 mtu=${2:-}
	unshare -n bash -s "$kind" "$out/$kind.pcap" "$here/traffic.py" \
		"$mtu" <<'INNER'
set -euo pipefail
kind=$1 file=$2 traffic=$3 mtu=$4
ip link set lo up
[ -n "$mtu" ] && ip link set lo mtu "$mtu"
err=$(mktemp)
tcpdump -i lo --immediate-mode -U -s 0 -w "$file" 2>"$err" &
pid=$!
for _ in $(seq 100); do
	grep -q 'listening on' "$err" && break
	sleep 0.05	# poll step, bound: 100 polls
done
python3 "$traffic" "$kind"
# the last packets are on their way to the file: wait until it stops growing
last=-1
for _ in $(seq 40); do
	size=$(stat -c %s "$file")
	[ "$size" = "$last" ] && break
	last=$size
	sleep 0.1	# poll step, bound: 40 polls until the size settles
done
kill -INT "$pid"
wait "$pid" || true
rm -f "$err"
INNER
	echo "$kind: $(tcpdump -r "$out/$kind.pcap" 2>/dev/null | wc -l) packets"
}

record tcp4
record tcp6
record udp
record frag 1280
