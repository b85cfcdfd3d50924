# helpers.bash - shared by the server and client suites: temporary files,
# processes killed by PID, bounded waits, free ports, the python3 peers.
#
# Every wait here is a poll with a deadline; nothing sleeps a fixed time.

PEERS="$BATS_TEST_DIRNAME/peers"

# the bounded waits: now_ms, wait_until, wait_grep, wait_for_line/_text
source "${BASH_SOURCE[0]%/*}/wait.bash"

# The interpreter behind python3, resolved once per file (a pyenv shim
# costs ~100 ms a call); peers run with -I -S: stdlib only.
setup_file() {
	PY=$(python3 -c 'import sys; print(sys.executable)')
	export PY
}

py() {
	"${PY:-python3}" -I -S "$@"
}

# Every test: a private directory and the PIDs to kill in teardown.
setup() {
	TMP=$(mktemp -d)
	PIDS=()
}

teardown() {
	local p
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do
		wait_gone "$p" 3 || kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$TMP"
}

# count_lines FILE REGEX: how many lines match (0 when none)
count_lines() {
	grep -cE -- "$2" "$1" 2>/dev/null || true
}

has_count() {	# FILE REGEX N
	[ "$(count_lines "$1" "$2")" -ge "$3" ]
}

# wait_for_count FILE REGEX N [TIMEOUT]: until N lines match
wait_for_count() {
	wait_until "${4:-5}" has_count "$1" "$2" "$3" && return 0
	echo "timed out waiting for $3 lines /$2/ in $1:" >&2
	cat -v "$1" >&2
	return 1
}

# gone PID: the process has exited (a zombie counts: only wait reaps it)
gone() {
	! kill -0 "$1" 2>/dev/null ||
		[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

# wait_gone PID [TIMEOUT]: until the process has exited (bounded)
wait_gone() {
	wait_until "${2:-5}" gone "$1"
}

# wait_exit PID [TIMEOUT]: waits (bounded) for a child and sets STATUS to
# its exit status; fails when it is still running after TIMEOUT.
wait_exit() {
	STATUS=
	if ! wait_gone "$1" "${2:-5}"; then
		echo "process $1 still runs after ${2:-5}s" >&2
		return 1
	fi
	STATUS=0
	wait "$1" || STATUS=$?
	forget_pid "$1"
}

# client_open_stdin PORT: `client -i` in the background (CL) on a fifo whose
# writing end the test holds as fd 8, so its stdin stays open until the
# test writes (printf ... >&8) or closes it (exec 8>&-); out and err in
# $TMP/out and $TMP/err
client_open_stdin() {
	mkfifo "$TMP/in"
	exec 8<>"$TMP/in"
	"$SOCKLAB" client -i -H 127.0.0.1 -p "$1" <"$TMP/in" \
		>"$TMP/out" 2>"$TMP/err" 8<&- &
	CL=$!
	PIDS+=("$CL")
}

# forget_pid PID: a reaped child leaves PIDS, so teardown cannot signal
# a stranger who got its number
forget_pid() {
	local keep=() p
	for p in "${PIDS[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	PIDS=("${keep[@]}")
}

# free_port: a TCP port nothing listens on right now (the kernel's pick)
free_port() {
	py -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# start_server ARGS...: "$SOCKLAB" server ARGS in the background, stdout
# in $TMP/srv.out, stderr in $TMP/srv.err; waits for its first line and
# sets SRV (its PID) and PORT (read from the "listening on" line).
start_server() {
	"$SOCKLAB" server "$@" >"$TMP/srv.out" 2>"$TMP/srv.err" &
	SRV=$!
	PIDS+=("$SRV")
	wait_for_line "$TMP/srv.out" '^(listening on |\{"event":"listening")' ||
		{ cat "$TMP/srv.err" >&2; return 1; }
	PORT=$(first_port "$TMP/srv.out")
	[ -n "$PORT" ]
}

# first_port FILE: the port of the first address of FILE's first line
# ("listening on 127.0.0.1:P and ..." or its JSON form)
first_port() {
	head -n 1 "$1" | grep -oE '([0-9]|\]):[0-9]+' | head -n 1 | sed 's/.*://'
}

# stop_server [SIGNAL]: signals the server and waits (bounded) for it;
# STATUS is its exit status.
stop_server() {
	kill -"${1:-TERM}" "$SRV"
	wait_exit "$SRV" 5
}

# start_peer MODE ARGS...: tests/cli/peers/listen.py in the background;
# sets PEER (PID) and PEER_PORT.
start_peer() {
	# not through py(): $! must be python's own PID, not a subshell's
	"${PY:-python3}" -I -S "$PEERS/listen.py" "$@" \
		>"$TMP/peer.out" 2>"$TMP/peer.err" &
	PEER=$!
	PIDS+=("$PEER")
	# a loaded machine can take seconds to start python: a wide bound
	wait_for_line "$TMP/peer.out" '^port [0-9]+$' 20 ||
		{ cat "$TMP/peer.err" >&2; return 1; }
	PEER_PORT=$(sed -n 's/^port //p' "$TMP/peer.out")
}

# talk HOST PORT STEP...: the scripted client (peers/talk.py); the server's
# log is $TMP/srv.out for its logged: steps.
talk() {
	TALK_LOG="$TMP/srv.out" py "$PEERS/talk.py" "$@"
}

# talk_bg OUT HOST PORT STEP...: talk in the background, output in OUT;
# sets TALK (its PID, python's own)
talk_bg() {
	local out=$1
	shift
	TALK_LOG="$TMP/srv.out" "${PY:-python3}" -I -S "$PEERS/talk.py" "$@" \
		>"$out" &
	TALK=$!
	PIDS+=("$TALK")
}

# no_control_bytes FILE: no byte below 0x20 (but newline) and no DEL
no_control_bytes() {
	py - "$1" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
bad = [i for i, c in enumerate(data) if (c < 0x20 and c != 0x0A) or c == 0x7F]
if bad:
    sys.exit("raw control byte 0x%02x at offset %d" % (data[bad[0]], bad[0]))
PY
}
