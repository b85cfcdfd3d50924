#!/usr/bin/env bats
# socklab client against hostile servers, the cases client.bats
# does not already hold: a server that closes (or resets) before the client
# even sends, one that trickles an endless line (the overall --timeout
# must hold even though bytes keep coming), random binary replies, and -i
# when the server goes away while stdin stays open.  Covered elsewhere:
# client.bats has the endless line (65536-byte bound), the silent server
# (-w 0.5), the read-then-close and read-then-RST servers.

bats_require_minimum_version 1.5.0
load helpers

# rude_peer MODE: tests/cli/peers/rude.py in the background; sets PEER
# (python's own PID) and PEER_PORT
rude_peer() {
	"${PY:-python3}" -I -S "$PEERS/rude.py" "$@" \
		>"$TMP/peer.out" 2>"$TMP/peer.err" &
	PEER=$!
	PIDS+=("$PEER")
	wait_for_line "$TMP/peer.out" '^port [0-9]+$' ||
		{ cat "$TMP/peer.err" >&2; return 1; }
	PEER_PORT=$(sed -n 's/^port //p' "$TMP/peer.out")
}

# timed_run CMD...: run --separate-stderr CMD; MS is how long it took
timed_run() {
	local t0
	t0=$(now_ms)
	run --separate-stderr "$@"
	MS=$(($(now_ms) - t0))
}

# turned_away ROUNDS: the client against $PEER_PORT, ROUNDS times: each
# time exit 1 (never a signal such as SIGPIPE), nothing on stdout, one line
# on stderr saying the server closed or reset, within 3 s
turned_away() {
	local i
	for i in $(seq "$1"); do
		timed_run "$SOCKLAB" client -H 127.0.0.1 -p "$PEER_PORT" alice
		echo "round $i: $status in $MS ms: $stderr" >&2
		[ "$status" -eq 1 ]
		[ -z "$output" ]
		[ "${#stderr_lines[@]}" -eq 1 ]
		[[ "$stderr" == "socklab client: "*@(closed|reset|RST)* ]]
		[ "$MS" -le 3000 ]
	done
}

@test "client: a server that closes at once (before we send), 20 times -> exit 1 each time, one line, never SIGPIPE" {
	rude_peer closenow
	turned_away 20
}

@test "client: a server that resets at once, 10 times -> exit 1, one line naming the reset or the close" {
	rude_peer rstnow
	turned_away 10
}

@test "client --timeout 0.5 against a server trickling an endless line: the deadline holds although bytes keep coming" {
	rude_peer trickle
	timed_run "$SOCKLAB" client --timeout 0.5 -H 127.0.0.1 -p "$PEER_PORT" alice
	echo "$status in $MS ms: $stderr" >&2
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "socklab client: no reply within 0.5 s from 127.0.0.1:$PEER_PORT"* ]]
	[ "$MS" -ge 400 ] && [ "$MS" -le 3000 ]
}

@test "client: a random binary reply is printed escaped, in text and in --json" {
	rude_peer binary
	"$SOCKLAB" client -H 127.0.0.1 -p "$PEER_PORT" alice \
		>"$TMP/out" 2>"$TMP/err" || true
	no_control_bytes "$TMP/out"
	no_control_bytes "$TMP/err"
	[ -s "$TMP/out" ] || [ -s "$TMP/err" ]
	"$SOCKLAB" client --json -H 127.0.0.1 -p "$PEER_PORT" alice \
		>"$TMP/json" 2>"$TMP/err" || true
	no_control_bytes "$TMP/json"
	if [ -s "$TMP/json" ]; then
		py -c 'import json, sys
for line in open(sys.argv[1], "rb"):
    json.loads(line)' "$TMP/json"
	fi
}

@test "client -i: the server closes at once while stdin stays open -> the client ends without waiting for stdin" {
	rude_peer closenow
	# a writer that never writes keeps the client's stdin open
	client_open_stdin "$PEER_PORT"
	wait_exit "$CL" 5 || { exec 8>&-; cat "$TMP/err" >&2; false; }
	exec 8>&-
	cat "$TMP/err" >&2
	# -i ends like nc when the server closes: status 0 (nothing was
	# asked that went unanswered) or 1, never a signal
	[ "$STATUS" -le 1 ]
	[ "$(wc -l <"$TMP/err")" -eq 1 ]
	grep -qE 'closed|reset' "$TMP/err"
}
