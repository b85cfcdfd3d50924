# why-ns.bash - sourced inside a network namespace that a why.bats test
# made (unshare -n, lo up): peers, waits and the rules of a scenario.
# Every background process is killed on exit; every wait is bounded.

trap 'rc=$?; kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; exit $rc' EXIT

# ns_peer MODE ARGS...: peers/listen.py in the background; sets P (port)
ns_peer() {
	local out
	out=$(mktemp)
	"$PY" -I -S "$PEERS/listen.py" "$@" --ttl 20 >"$out" &
	for _ in $(seq 500); do
		P=$(sed -n 's/^port //p' "$out")
		[ -n "$P" ] && break
		sleep 0.02
	done
	rm -f "$out"
	[ -n "$P" ]
}

# ns_server ARGS...: socklab server in the background, waits for LISTEN
ns_server() {
	local out
	out=$(mktemp)
	"$SOCKLAB" server "$@" >"$out" 2>&1 &
	for _ in $(seq 500); do
		grep -q '^listening on' "$out" && break
		sleep 0.02
	done
	grep -q '^listening on' "$out"
}

# ns_nft_in VERB...: a base chain on the input hook with one rule
ns_nft_in() {
	nft add table inet sltest
	nft add chain inet sltest in '{ type filter hook input priority 0; }'
	nft add rule inet sltest in "$@"
}

# ns_veth: a veth pair inside this namespace, 198.18.0.1/24 here and
# 198.18.0.2/24 in a child namespace (pid in CHILD), which stands for
# "another host"; run commands there with ns_there CMD...
ns_veth() {
	unshare -n sleep 30 &
	CHILD=$!
	for _ in $(seq 250); do
		[ "$(readlink /proc/$CHILD/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
		sleep 0.02
	done
	ip link add sl0 type veth peer name sl1 netns "$CHILD"
	ip addr add 198.18.0.1/24 dev sl0
	ip link set sl0 up
	ns_there ip addr add 198.18.0.2/24 dev sl1
	ns_there ip link set sl1 up
	ns_there ip link set lo up
}

ns_there() {
	nsenter -t "$CHILD" -n "$@"
}
