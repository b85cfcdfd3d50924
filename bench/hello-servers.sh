# hello-servers.sh - sourced by bench-server.sh and bench-hold.sh: builds
# the C anchors, starts a hello server by name on a free loopback port,
# and kills what it started by PID on exit.
#   start NAME    sets SPID and SPORT; NAME is socklab-file, socklab-null,
#                 epoll, asyncio, threading or socat; SOCKLAB_ARGS are
#                 extra options for socklab server
#   stop          stops the server started last
work=${work:?}
anchors=build/bench-anchors
socklab=${SOCKLAB:-build/socklab}
SOCKLAB_ARGS=${SOCKLAB_ARGS:-}
mkdir -p "$work" "$anchors"
ulimit -n "$(ulimit -Hn)"
for a in epoll-hello epoll-load; do
	cc -O2 -o "$anchors/$a" "bench/anchors/$a.c"
done

pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_port FILE: the port a server printed ("port N" or socklab's
# "listening on 127.0.0.1:N ..."), once something listens on it
wait_port() {
	local p="" i
	for i in $(seq 200); do
		p=$(head -n 1 "$1" 2>/dev/null | grep -oE '(port |1:)[0-9]+' |
			grep -oE '[0-9]+$' || true)
		[ -n "$p" ] && ss -Htln "( sport = :$p )" | grep -q . && break
		sleep 0.05	# poll step; bounded by the loop count (10 s)
	done
	[ -n "$p" ] || { echo "no port in $1" >&2; return 1; }
	echo "$p"
}

start() {
	local log=$work/$1.log port
	case $1 in
	socklab-file)
		# shellcheck disable=SC2086
		"$socklab" server -p 0 -b 127.0.0.1 $SOCKLAB_ARGS >"$log" \
			2>"$work/$1.err" & ;;
	socklab-null)
		port=$(free_port)
		echo "port $port" >"$log"
		# shellcheck disable=SC2086
		"$socklab" server -p "$port" -b 127.0.0.1 $SOCKLAB_ARGS \
			>/dev/null 2>"$work/$1.err" & ;;
	epoll)
		"$anchors/epoll-hello" >"$log" & ;;
	asyncio)
		python3 bench/anchors/asyncio_server.py >"$log" 2>"$work/$1.err" & ;;
	threading)
		python3 bench/anchors/threading_server.py >"$log" 2>"$work/$1.err" & ;;
	socat)
		port=$(free_port)
		echo "port $port" >"$log"
		sh bench/anchors/socat-hello.sh "$port" >/dev/null 2>&1 & ;;
	esac
	SPID=$!
	pids+=("$SPID")
	SPORT=$(wait_port "$log")
}

stop() {
	kill "$SPID" 2>/dev/null || true
	wait "$SPID" 2>/dev/null || true
}
