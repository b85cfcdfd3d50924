#!/usr/bin/env bats
# socklab server under abuse: slowloris, floods past --max-conn,
# descriptor exhaustion, resets mid-line, binary garbage, clients that
# never read, half-closed clients.  Each scenario is driven by a python3
# peer (tests/cli/peers/) against "$SOCKLAB server -p 0" on loopback; after
# each one a normal client must be served promptly and the server's RSS
# must stay bounded.  Every wait is bounded, every process killed by PID.

bats_require_minimum_version 1.5.0
load helpers

# Under ASan, freed memory sits in a quarantine (256 MB by default) that
# would read as growth: keep it small.  Harmless for a plain build.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16"

# growth allowed over the RSS measured right after start-up
RSS_SLACK_KB=$((48 * 1024))

rss_kb() {	# PID
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# CPU time (user + system) of PID in milliseconds
cpu_ms() {	# PID
	local hz
	hz=$(getconf CLK_TCK)
	awk -v hz="$hz" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' \
		"/proc/$1/stat"
}

# hostile_server ARGS...: start_server, then note its RSS baseline
hostile_server() {
	start_server -p 0 "$@"
	RSS0=$(rss_kb "$SRV")
}

# limited_server NOFILE ARGS...: the server under "ulimit -n NOFILE" (exec
# keeps the PID); same variables as start_server
limited_server() {
	local n=$1
	shift
	bash -c 'ulimit -n "$1" && shift && exec "$@"' _ "$n" \
		"$SOCKLAB" server -p 0 "$@" >"$TMP/srv.out" 2>"$TMP/srv.err" &
	SRV=$!
	PIDS+=("$SRV")
	wait_for_line "$TMP/srv.out" '^listening on ' ||
		{ cat "$TMP/srv.err" >&2; return 1; }
	PORT=$(first_port "$TMP/srv.out")
	RSS0=$(rss_kb "$SRV")
}

# peer SCRIPT ARGS...: a peer in the foreground (run), stdout in $output
peer() {
	local script=$1
	shift
	run --separate-stderr timeout -k 2 60 "${PY:-python3}" -I -S \
		"$PEERS/$script" "$@"
	echo "$script: status $status, $output $stderr" >&2
}

# peer_bg OUT SCRIPT ARGS...: a peer in the background; sets BG (its PID)
peer_bg() {
	local out=$1 script=$2
	shift 2
	"${PY:-python3}" -I -S "$PEERS/$script" "$@" >"$out" 2>&1 &
	BG=$!
	PIDS+=("$BG")
}

# served_within MS NAME: a normal client is answered within MS ms
served_within() {
	local t0 ms
	t0=$(now_ms)
	run --separate-stderr "$SOCKLAB" client -p "$PORT" --timeout 5 "$2"
	ms=$(($(now_ms) - t0))
	echo "client $2: status $status in $ms ms: $output $stderr" >&2
	[ "$status" -eq 0 ] && [ "$output" = "Hello, $2!" ] && [ "$ms" -le "$1" ]
}

# still_healthy: after a scenario the server is alive, serves a normal
# client within 2 s and its RSS grew by less than RSS_SLACK_KB
still_healthy() {
	local rss
	if gone "$SRV"; then
		echo "the server has exited" >&2
		return 1
	fi
	served_within 2000 after
	rss=$(rss_kb "$SRV")
	echo "RSS ${RSS0} kB at start, ${rss} kB now" >&2
	[ "$rss" -le $((RSS0 + RSS_SLACK_KB)) ]
}

# no server socket left in STATE (ss state name) on $PORT
none_in_state() {	# STATE
	[ -z "$(ss -Htn state "$1" "( sport = :$PORT )")" ]
}

# the server's end of each connection has unread bytes: it stopped reading
stopped_reading() {	# N
	[ "$(ss -Htn state established "( sport = :$PORT )" |
		awk '$1 > 0' | wc -l)" -ge "$1" ]
}

# the server's CPU time does not move over one poll step (it is idle)
cpu_settled() {
	local a
	a=$(cpu_ms "$SRV")
	sleep 0.2	# the sampling interval; bound: wait_until's TIMEOUT
	[ "$(cpu_ms "$SRV")" -le $((a + 10)) ]
}

@test "slowloris: 200 connections at a byte a second, others answered within 1 s, every byte kept" {
	hostile_server
	peer_bg "$TMP/slow.out" slowloris.py 127.0.0.1 "$PORT" 200 3
	wait_for_text "$TMP/slow.out" "ready 200" 10
	# normal clients while the attack lasts (bound: the peer's 3 s)
	local n=0
	while ! gone "$BG"; do
		served_within 1000 "n$n"
		n=$((n + 1))
	done
	[ "$n" -ge 3 ]
	wait_exit "$BG" 10
	cat "$TMP/slow.out" >&2
	[ "$STATUS" -eq 0 ]
	grep -qx "served 200 of 200" "$TMP/slow.out"
	grep -q "received \"sss\" from " "$TMP/srv.out"
	still_healthy
}

@test "flood past --max-conn 50: 1000 extras told ERR server busy, none of the 50 admitted dropped" {
	hostile_server --max-conn 50
	peer flood.py 127.0.0.1 "$PORT" 50 1000
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "admitted 50" ]
	[ "${lines[1]}" = "busy 1000" ]
	[ "${lines[2]}" = "kept 50" ]
	wait_for_count "$TMP/srv.out" '^refused .*: server busy' 1000
	# the 50 admitted ones each logged two names and no early close
	[ "$(count_lines "$TMP/srv.out" '^received "b[0-9]+"')" -eq 50 ]
	wait_for_count "$TMP/srv.out" '^closed .*\(2 lines, ' 50
	[ "$(count_lines "$TMP/srv.out" '^closed .*\(2 lines, [0-9]+ bytes in, [0-9]+ out\)$')" -eq 50 ]
	still_healthy
}

@test "descriptor exhaustion (ulimit -n 32): refused with a reason, no spin, serves again once descriptors free up" {
	limited_server 32
	peer_bg "$TMP/hold.out" crowd.py hold 127.0.0.1 "$PORT" 80 2
	wait_for_line "$TMP/hold.out" '^open [0-9]+$' 10
	local c0 c1
	c0=$(cpu_ms "$SRV")
	wait_for_line "$TMP/srv.err" 'out of file descriptors' 5
	# the peer holds its connections 2 s: the server must not spin on
	# the connections it cannot accept (a spinning loop burns ~2000 ms)
	wait_for_line "$TMP/hold.out" '^closed [0-9]+$' 10
	c1=$(cpu_ms "$SRV")
	echo "server CPU while out of descriptors: $((c1 - c0)) ms in 2 s" >&2
	[ $((c1 - c0)) -le 400 ]
	grep -qE '^refused .*: out of file descriptors \(raise ulimit -n\)$' "$TMP/srv.out"
	wait_exit "$BG" 5
	# descriptors are free again: every client is served
	wait_until 5 none_in_state established
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		served_within 2000 "back$i"
	done
	still_healthy
}

@test "1000 connections reset (SO_LINGER 0) in the middle of a line: all closed, nothing leaks" {
	hostile_server
	peer crowd.py rst 127.0.0.1 "$PORT" 1000
	[ "$status" -eq 0 ]
	[ "$output" = "reset 1000" ]
	wait_until 10 none_in_state established
	# every accepted connection was closed again
	local acc
	acc=$(count_lines "$TMP/srv.out" '^accepted ')
	wait_for_count "$TMP/srv.out" '^closed ' "$acc"
	[ "$acc" -ge 900 ]
	[ "$(count_lines "$TMP/srv.out" '^closed .*reset by the client \(RST\)')" -ge 900 ]
	still_healthy
	[ ! -s "$TMP/srv.err" ]
}

@test "random binary garbage and overlong lines: answered or cut at the bound, log escaped, nobody hangs" {
	hostile_server
	peer garbage.py 127.0.0.1 "$PORT" 60 8
	[ "$status" -eq 0 ]
	[[ "$output" == "done 60, "*", hung 0" ]]
	grep -q 'ERR line too long (max 256 bytes)' "$TMP/srv.out"
	grep -q '^received "alice"' "$TMP/srv.out"
	still_healthy
	stop_server
	[ "$STATUS" -eq 0 ]
	no_control_bytes "$TMP/srv.out"
	no_control_bytes "$TMP/srv.err"
}

@test "random binary garbage with --json: every log line stays one valid JSON object" {
	hostile_server --json
	peer garbage.py 127.0.0.1 "$PORT" 24 9
	[ "$status" -eq 0 ]
	still_healthy
	stop_server
	py "$PEERS/ndjson.py" "$TMP/srv.out" >/dev/null
}

@test "clients that never read: the server stops reading them, stays idle, bounded, and serves others" {
	hostile_server
	peer_bg "$TMP/noread.out" noread.py 127.0.0.1 "$PORT" 10 alice "$TMP/release"
	wait_for_line "$TMP/noread.out" '^stalled 10, ' 30
	cat "$TMP/noread.out" >&2
	# backpressure: their bytes wait in the kernel, unread by the server
	wait_until 10 stopped_reading 10
	# and it does not spin on them
	wait_until 10 cpu_settled
	still_healthy
	touch "$TMP/release"
	wait_exit "$BG" 10
	wait_until 10 none_in_state established
	still_healthy
}

# queues FROM TO: "RECV-Q SEND-Q" of the socket from port FROM to port TO
queues() {
	ss -Htn state established "( sport = :$1 and dport = :$2 )" |
		awk '{ print $1, $2 }'
}

@test "a client pipelining 200,000 names without reading: the server holds 64 KiB of replies and its capped kernel buffer, serves others, then sends every reply in order" {
	hostile_server
	peer_bg "$TMP/pipe.out" pipeline.py 127.0.0.1 "$PORT" 200000 "$TMP/go"
	wait_for_line "$TMP/pipe.out" '^stalled ' 30
	local sent cport answered inq recvq sendq held rss
	read -r _ _ sent _ _ _ cport <"$TMP/pipe.out"
	# idle, the server has flushed its log: one line per name answered
	wait_until 10 cpu_settled
	answered=$(count_lines "$TMP/srv.out" '^received "n[0-9]{6}" ')
	read -r recvq sendq < <(queues "$PORT" "$cport")
	read -r inq _ < <(queues "$cport" "$PORT")
	rss=$(rss_kb "$SRV")
	# each reply is 16 bytes: what neither the peer's receive queue nor
	# the kernel's send queue holds is the server's own backlog
	held=$((answered * 16 - inq - sendq))
	echo "peer sent $sent B; server answered $answered names: the peer holds $inq B unread, the server's kernel $sendq B (Recv-Q $recvq), its backlog $held B; RSS ${RSS0} -> ${rss} kB" >&2
	ss -Htnm state established "( sport = :$PORT and dport = :$cport )" >&2
	[ "$answered" -lt 200000 ]
	[ "$recvq" -gt 0 ]		# it stopped reading the rest
	[ "$held" -ge 0 ] && [ "$held" -le 65536 ]
	# SO_SNDBUF 64 KiB, doubled by the kernel, plus the segment it starts
	[ "$sendq" -le $((192 * 1024)) ]
	[ "$rss" -le $((RSS0 + RSS_SLACK_KB)) ]
	# under ASan (its quarantine and shadow) only the loose bound holds
	if ! grep -qa __asan "$SOCKLAB"; then
		[ "$rss" -le $((RSS0 + 2048)) ]
	fi
	# others are served meanwhile
	served_within 2000 other
	touch "$TMP/go"
	wait_exit "$BG" 40
	cat "$TMP/pipe.out" >&2
	[ "$STATUS" -eq 0 ]
	grep -qx 'replies 200000 of 200000, in order' "$TMP/pipe.out"
	wait_for_line "$TMP/srv.out" "^closed 127\.0\.0\.1:$cport \(200000 lines, 1600000 bytes in, 3200000 out\)$"
	still_healthy
}

@test "half-closed clients: 200 get their reply (with or without a newline) then EOF, no CLOSE_WAIT left" {
	hostile_server
	peer crowd.py half 127.0.0.1 "$PORT" 200
	[ "$status" -eq 0 ]
	[ "$output" = "served 200 of 200" ]
	wait_until 5 none_in_state close-wait
	wait_until 5 none_in_state established
	still_healthy
}
