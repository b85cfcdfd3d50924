#!/usr/bin/env bats
# socklab bench: the load generator against a real `socklab server -p 0`
# and against python3 peers that misbehave on purpose (peers/listen.py).
# Ports are picked at run time; every wait is bounded; every process
# started here is killed by PID in teardown.

bats_require_minimum_version 1.5.0
load helpers

# jget FILE KEY[.KEY]: a value of the last JSON object of FILE
jget() {
	py - "$1" "$2" <<'PY'
import json, sys
obj = json.loads(open(sys.argv[1]).read().strip().split("\n")[-1])
for k in sys.argv[2].split("."):
    obj = obj[k]
print(obj)
PY
}

# bench_json OUT ARGS...: socklab bench --json, stdout in OUT, status in STATUS
bench_json() {
	local out=$1
	shift
	STATUS=0
	"$SOCKLAB" bench --json "$@" >"$out" 2>"$TMP/bench.err" || STATUS=$?
}

# established PORT: client-side ESTABLISHED sockets to PORT
established() {
	ss -Htn state established "( dport = :$1 )" | wc -l
}

@test "bench -n: the count is honoured and ok + errors add up to it" {
	start_server -p 0 --idle-timeout 0
	bench_json "$TMP/r" -H 127.0.0.1 -p "$PORT" -n 300 -c 16
	[ "$STATUS" -eq 0 ]
	[ "$(jget "$TMP/r" exchanges)" -eq 300 ]
	[ "$(jget "$TMP/r" ok)" -eq 300 ]
	for k in refused reset timeout wrong_reply closed local other; do
		[ "$(jget "$TMP/r" "errors.$k")" -eq 0 ]
	done
	[ "$(jget "$TMP/r" unfinished)" -eq 0 ]
	# the server saw exactly as many names
	wait_for_count "$TMP/srv.out" '^received "alice" from 127\.0\.0\.1:' 300
	wait_for_count "$TMP/srv.out" '^closed 127\.0\.0\.1:' 300
	[ "$(count_lines "$TMP/srv.out" '^received ')" -eq 300 ]
}

@test "bench text output: target, rate, latency percentiles, no errors" {
	start_server -p 0
	run "$SOCKLAB" bench -p "$PORT" -n 50 -c 4 --name bob
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^target\ +(127\.0\.0\.1|\[::1\]):$PORT,\ 4\ at\ a\ time,\ name\ \"bob\"$ ]]
	[[ "${lines[1]}" =~ ^exchanges\ +50\ in\ [0-9.]+\ s:\ [0-9]+/s\ \(50\ ok\)$ ]]
	[[ "${lines[2]}" =~ ^latency\ +p50\ [0-9.]+\ (us|ms),\ p90\ .*,\ p99\ .*,\ max\ [0-9.]+\ (us|ms)$ ]]
	[ "${lines[3]}" = "errors     none" ]
	wait_for_count "$TMP/srv.out" '^received "bob" from ' 50
}

@test "bench --duration: stops on time, with no count given" {
	start_server -p 0
	local t0 t1
	t0=$(now_ms)
	bench_json "$TMP/r" -H 127.0.0.1 -p "$PORT" -c 8 --duration 1
	t1=$(now_ms)
	[ "$STATUS" -eq 0 ]
	[ "$(jget "$TMP/r" ok)" -gt 0 ]
	[ $((t1 - t0)) -ge 1000 ]
	[ $((t1 - t0)) -lt 4000 ]
	py -c "import sys; s = float(sys.argv[1]); assert 0.9 <= s <= 1.5, s" \
		"$(jget "$TMP/r" seconds)"
}

@test "bench --duration against a silent peer: in-flight exchanges left unfinished" {
	start_peer silent --ttl 20
	local t0 t1
	t0=$(now_ms)
	bench_json "$TMP/r" -H 127.0.0.1 -p "$PEER_PORT" -c 3 --duration 0.5 --timeout 10
	t1=$(now_ms)
	[ $((t1 - t0)) -lt 3000 ]
	[ "$(jget "$TMP/r" unfinished)" -eq 3 ]
	[ "$(jget "$TMP/r" exchanges)" -eq 0 ]
	[ "$STATUS" -eq 1 ]
}

@test "bench: nothing listening is counted as refused, exit 1" {
	local p
	p=$(free_port)
	run --separate-stderr "$SOCKLAB" bench -H 127.0.0.1 -p "$p" -n 20 -c 4
	[ "$status" -eq 1 ]
	# the failure in the client's words, and no rate of refusals
	[ "$stderr" = "socklab bench: connection refused: nothing listens on 127.0.0.1:$p — start \"socklab server -p $p\"" ]
	[ -z "$output" ]
	bench_json "$TMP/r" -H 127.0.0.1 -p "$p" -n 7
	[ "$STATUS" -eq 1 ]
	[ "$(jget "$TMP/r" errors.refused)" -eq 7 ]
	[ "$(jget "$TMP/r" ok)" -eq 0 ]
	grep -q 'connection refused: nothing listens' "$TMP/bench.err"
}

@test "bench: a server that stops listening mid-run: results, then how many were refused" {
	start_server -p 0 --once
	run --separate-stderr "$SOCKLAB" bench -H 127.0.0.1 -p "$PORT" -n 20 -c 1
	echo "$output"; echo "$stderr"
	[ "$status" -eq 1 ]
	[[ "${lines[1]}" =~ ^exchanges\ +20\ in\ .*\([1-9][0-9]*\ ok\)$ ]]
	[[ "$stderr" =~ ^socklab\ bench:\ [0-9]+\ of\ 20\ connections\ to\ 127\.0\.0\.1:$PORT\ were\ refused:\ the\ server\ stopped\ listening ]]
}

@test "bench: a peer answering something else is counted as wrong_reply, shown escaped" {
	start_peer 'reply:Goodbye, \x1b[31malice\n' --ttl 20
	run "$SOCKLAB" bench -H 127.0.0.1 -p "$PEER_PORT" -n 5 -c 2
	[ "$status" -eq 1 ]
	[[ "$output" == *"errors     5 wrong_reply (first wrong reply: \"Goodbye, \\x1b[31malice\\n\")"* ]]
	echo "$output" >"$TMP/out"
	no_control_bytes "$TMP/out"
}

@test "bench: a peer that never answers is counted as timeout" {
	start_peer silent --ttl 20
	local t0 t1
	t0=$(now_ms)
	bench_json "$TMP/r" -H 127.0.0.1 -p "$PEER_PORT" -n 4 -c 4 --timeout 0.3
	t1=$(now_ms)
	[ "$STATUS" -eq 1 ]
	[ "$(jget "$TMP/r" errors.timeout)" -eq 4 ]
	[ "$(jget "$TMP/r" exchanges)" -eq 4 ]
	[ $((t1 - t0)) -lt 3000 ]
}

@test "bench: a reset and an early close are counted apart" {
	start_peer rst --ttl 20
	bench_json "$TMP/r" -H 127.0.0.1 -p "$PEER_PORT" -n 3 -c 1
	[ "$(jget "$TMP/r" errors.reset)" -eq 3 ]
	start_peer readclose --ttl 20
	bench_json "$TMP/r" -H 127.0.0.1 -p "$PEER_PORT" -n 3 -c 1
	[ "$(jget "$TMP/r" errors.closed)" -eq 3 ]
}

@test "bench --hold K: K connections open (ss), then completed and released" {
	start_server -p 0 --idle-timeout 0
	"$SOCKLAB" bench -H 127.0.0.1 -p "$PORT" --hold 150 --rate 2000 \
		--duration 3 --json >"$TMP/r" 2>"$TMP/bench.err" &
	local b=$!
	PIDS+=("$b")
	wait_for_line "$TMP/r" '"event":"holding"' 10
	[ "$(jget "$TMP/r" held)" -eq 150 ]
	[ "$(established "$PORT")" -eq 150 ]
	# half a line each: the server has received no name yet
	[ "$(count_lines "$TMP/srv.out" '^received ')" -eq 0 ]
	wait_exit "$b" 15
	[ "$STATUS" -eq 0 ]
	[ "$(jget "$TMP/r" ok)" -eq 150 ]
	[ "$(jget "$TMP/r" hold)" -eq 150 ]
	wait_until 5 test "$(established "$PORT")" -eq 0
	wait_for_count "$TMP/srv.out" '^received "alice" from ' 150
}

@test "bench --json: one object, stable keys" {
	start_server -p 0
	bench_json "$TMP/r" -H 127.0.0.1 -p "$PORT" -n 10
	[ "$STATUS" -eq 0 ]
	[ "$(wc -l <"$TMP/r")" -eq 1 ]
	run py - "$TMP/r" <<'PY'
import json, sys
o = json.loads(open(sys.argv[1]).read())
print(" ".join(sorted(o)))
print(" ".join(sorted(o["errors"])))
print(" ".join(sorted(o["latency_us"])))
PY
	[ "${lines[0]}" = "concurrency errors event exchanges held hold latency_us name ok rate seconds target unfinished" ]
	[ "${lines[1]}" = "closed local other refused reset timeout wrong_reply" ]
	[ "${lines[2]}" = "max mean p50 p90 p99" ]
}

@test "bench: usage errors exit 2 with one line" {
	local bad
	for bad in "-c 0" "-n 0" "-n x" "--hold 5 -n 5" "-p 0" "--duration 0" \
		"--timeout -1" "--bogus" "extra" "-4 -6" "--name="; do
		# shellcheck disable=SC2086
		run "$SOCKLAB" bench $bad
		[ "$status" -eq 2 ] || { echo "bench $bad -> $status: $output"; false; }
		[ "${#lines[@]}" -eq 1 ]
		[[ "$output" == "socklab bench: "* ]]
	done
	run "$SOCKLAB" bench --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: socklab bench "* ]]
	run "$SOCKLAB" help bench
	[ "$status" -eq 0 ]
}
