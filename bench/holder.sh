# holder.sh - sourced by the benchmarks that need many sockets open:
# holder_start NAME WORK PAIRS runs bench/sockholder.py with PAIRS
# established loopback pairs, its stdin a fifo in WORK that this shell
# holds (fd 8), and waits (bounded) for its "ready"; holder_stop closes
# the fifo, so the holder resets every socket and exits, and reaps it.

holder=
holder_work=

holder_stop() {
	exec 8>&- 2>/dev/null || true
	if [ -n "$holder" ]; then
		for _ in $(seq 100); do kill -0 "$holder" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$holder" 2>/dev/null || true
		wait "$holder" 2>/dev/null || true
	fi
	[ -n "$holder_work" ] && rm -f "$holder_work/ctl"
	holder=
}

holder_start() {	# NAME WORK PAIRS
	holder_work=$2
	rm -f "$2/ctl"
	mkfifo "$2/ctl"
	python3 bench/sockholder.py "$3" <"$2/ctl" >"$2/holder.out" &
	holder=$!
	exec 8>"$2/ctl"
	for _ in $(seq 600); do
		grep -q '^ready' "$2/holder.out" && return 0
		kill -0 "$holder" 2>/dev/null || { echo "$1: holder died" >&2; exit 1; }
		sleep 0.1
	done
	echo "$1: holder not ready" >&2
	exit 1
}
