#!/usr/bin/env bats
# socklab client: the contract of the manual ("CLIENT" and the common
# conventions), against socklab's own server and against python3 peers that
# misbehave on purpose (peers/listen.py).  Ports are picked at run time,
# waits are bounded, everything started here is killed by PID in teardown.

bats_require_minimum_version 1.5.0
load helpers

# 0 when $1 (milliseconds) lies in [$2, $3]
ms_between() {
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

# timed_run CMD...: run --separate-stderr CMD; MS is how long it took
timed_run() {
	local t0
	t0=$(now_ms)
	run --separate-stderr "$@"
	MS=$(($(now_ms) - t0))
}

# --- talking to socklab server ----------------------------------------------

@test "client -p PORT alice prints Hello, alice! and exits 0" {
	start_server -p 0
	run --separate-stderr "$SOCKLAB" client -p "$PORT" alice
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, alice!" ]
	[ -z "$stderr" ]
	wait_for_line "$TMP/srv.out" '^received "alice" from '
}

@test "client: NAME defaults to the login name (USER)" {
	start_server -p 0
	USER=zed run --separate-stderr "$SOCKLAB" client -p "$PORT"
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, zed!" ]
	wait_for_line "$TMP/srv.out" '^received "zed" from '
}

@test "client: options may follow NAME" {
	start_server -p 0
	run --separate-stderr "$SOCKLAB" client alice -p "$PORT" -4
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, alice!" ]
	wait_for_line "$TMP/srv.out" '^accepted 127\.0\.0\.1:[0-9]+ -> '
}

@test "client HOST PORT and HOST PORT NAME (nc style)" {
	start_server -p 0
	USER=zed run --separate-stderr "$SOCKLAB" client 127.0.0.1 "$PORT"
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, zed!" ]
	run --separate-stderr "$SOCKLAB" client ::1 "$PORT" bob
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, bob!" ]
	run --separate-stderr "$SOCKLAB" client localhost "$PORT" carol
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, carol!" ]
	wait_for_count "$TMP/srv.out" '^closed ' 3
	grep -qE '^accepted 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:'"$PORT"'$' "$TMP/srv.out"
	grep -qE '^accepted \[::1\]:[0-9]+ -> \[::1\]:'"$PORT"'$' "$TMP/srv.out"
	grep -qE '^received "zed" from 127\.0\.0\.1:' "$TMP/srv.out"
	grep -qE '^received "bob" from \[::1\]:' "$TMP/srv.out"
}

@test "client -H 127.0.0.1, -H ::1, -4, -6, -H localhost: the address each one reaches" {
	start_server -p 0
	check() {	# expected-remote ARGS...
		local want=$1
		shift
		run --separate-stderr "$SOCKLAB" client --json -p "$PORT" "$@" x
		echo "$* -> $status $output $stderr"
		[ "$status" -eq 0 ]
		[[ "$output" == *"\"remote\":\"$want\""* ]]
	}
	check "127.0.0.1:$PORT" -H 127.0.0.1
	check "[::1]:$PORT" -H ::1
	check "127.0.0.1:$PORT" -4
	check "[::1]:$PORT" -6
	# localhost: ::1 first, then 127.0.0.1 (RFC 6761, whatever /etc/hosts says)
	check "[::1]:$PORT" -H localhost
	check "127.0.0.1:$PORT" -H localhost -4
}

@test "client: every address is tried in order; a refused one is reported (server on 127.0.0.1 only)" {
	start_server -p 0 -b 127.0.0.1
	run --separate-stderr "$SOCKLAB" client -p "$PORT" alice
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, alice!" ]
	[ "$stderr" = "socklab client: [::1]:$PORT refused, trying 127.0.0.1:$PORT" ]
}

@test "client: server on ::1 only: the default connects at once, -4 is refused" {
	start_server -p 0 -b ::1
	run --separate-stderr "$SOCKLAB" client -p "$PORT" alice
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, alice!" ]
	[ -z "$stderr" ]
	run --separate-stderr "$SOCKLAB" client -4 -p "$PORT" alice
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	# the kernel's socket table shows who does listen, and on which family
	[[ "$stderr" == *"connection refused on 127.0.0.1:$PORT: a server listens on [::1]:$PORT (pid $SRV socklab, user "*") only, IPv6; use -6 or -H ::1"* ]]
}

@test "client -6 against a server on 127.0.0.1 only: exit 1, names [::1]:PORT" {
	start_server -p 0 -b 127.0.0.1
	run --separate-stderr "$SOCKLAB" client -6 -p "$PORT" alice
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *"refused"*"[::1]:$PORT"* ]]
	# who listens, in which family, what to do
	[[ "$stderr" == *"listens on 127.0.0.1:$PORT"* ]]
	[[ "$stderr" == *"pid $SRV"* ]]
	[[ "$stderr" == *"-4"* ]]
}

@test "client: nothing listens -> exit 1, connection refused, how to start the server" {
	local p
	p=$(free_port)
	run --separate-stderr "$SOCKLAB" client -H 127.0.0.1 -p "$p" alice
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "socklab client: connection refused on 127.0.0.1:$p: nothing listens on port $p (no address, either family); start the server: socklab server -p $p"* ]]
	# localhost: both addresses refuse; the last says what to do
	run --separate-stderr "$SOCKLAB" client -p "$p" alice
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "socklab client: [::1]:$p refused, trying 127.0.0.1:$p" ]
	[[ "${stderr_lines[1]}" == "socklab client: connection refused on [::1]:$p: nothing listens on port $p (no address, either family); start the server: socklab server -p $p"* ]]
}

@test "client --hold 1: the connection is ESTABLISHED while it holds, then it sends and exits 0" {
	start_server -p 0
	local t0
	t0=$(now_ms)
	"$SOCKLAB" client --hold 1 -p "$PORT" alice >"$TMP/cl.out" 2>"$TMP/cl.err" &
	CL=$!
	PIDS+=("$CL")
	wait_for_line "$TMP/srv.out" '^accepted '
	run ss -Htn state established "( dport = :$PORT )"
	[ "${#lines[@]}" -eq 1 ]
	# held: nothing sent yet
	[ "$(count_lines "$TMP/srv.out" '^received ')" -eq 0 ]
	kill -0 "$CL"
	wait_exit "$CL" 5
	MS=$(($(now_ms) - t0))
	[ "$STATUS" -eq 0 ]
	[ "$(cat "$TMP/cl.out")" = "Hello, alice!" ]
	grep -q 'holding 1 s' "$TMP/cl.err"
	ms_between "$MS" 900 4000
}

@test "client --hold longer than the server's idle timeout: exit 1, says the server closed it" {
	start_server -p 0 --idle-timeout 0.3
	timed_run "$SOCKLAB" client --hold 3 -p "$PORT" alice
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *"closed the connection while we held it"* ]]
	ms_between "$MS" 200 2500
}

@test "client -i: stdin lines go out, replies come back, exit 0 after the half close" {
	start_server -p 0
	run --separate-stderr "$SOCKLAB" client -i -p "$PORT" < <(printf 'a\nb\n')
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Hello, a!" ]
	[ "${lines[1]}" = "Hello, b!" ]
	[ "${#lines[@]}" -eq 2 ]
	wait_for_line "$TMP/srv.out" '^closed .*\(2 lines, 4 bytes in, 20 out\)$'
	[ "$(count_lines "$TMP/srv.out" '^accepted ')" -eq 1 ]
}

@test "client -i: a last line without newline is still answered" {
	start_server -p 0
	run --separate-stderr "$SOCKLAB" client -i -p "$PORT" < <(printf 'a\nb')
	[ "$status" -eq 0 ]
	[ "$output" = $'Hello, a!\nHello, b!' ]
}

@test "client --json: one JSON object with event local remote reply rtt_ms" {
	start_server -p 0
	run --separate-stderr "$SOCKLAB" client --json -p "$PORT" alice
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	printf '%s\n' "$output" >"$TMP/c.json"
	run py "$PEERS/ndjson.py" "$TMP/c.json"
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^reply\ local=\"\[::1\]:[0-9]+\"\ remote=\"\[::1\]:$PORT\"\ reply=\"Hello,\ alice!\"\ rtt_ms=[0-9]+(\.[0-9]+)?$ ]]
}

@test "client --hold --json: a connected record, then the reply record" {
	start_server -p 0
	run --separate-stderr "$SOCKLAB" client --hold 0.1 --json -H ::1 -p "$PORT" alice
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$TMP/c.json"
	run py "$PEERS/ndjson.py" "$TMP/c.json"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^connected\ local=\"\[::1\]:[0-9]+\"\ remote=\"\[::1\]:$PORT\"$ ]]
	[[ "${lines[1]}" == 'reply '*'reply="Hello, alice!" rtt_ms='* ]]
	[ "${#lines[@]}" -eq 2 ]
}

@test "client -i --json: every reply line is a record" {
	start_server -p 0
	run --separate-stderr "$SOCKLAB" client -i --json -4 -p "$PORT" < <(printf 'a\nb\n')
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$TMP/c.json"
	run py "$PEERS/ndjson.py" "$TMP/c.json"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^received\ line=\"Hello,\ a!\"\ local=\"127\.0\.0\.1:[0-9]+\"\ remote=\"127\.0\.0\.1:$PORT\"$ ]]
	[[ "${lines[1]}" == 'received line="Hello, b!" '* ]]
	[ "${#lines[@]}" -eq 2 ]
}

@test "client -v says where it connected from and to (on stderr)" {
	start_server -p 0
	run --separate-stderr "$SOCKLAB" client -v -H 127.0.0.1 -p "$PORT" alice
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, alice!" ]
	[[ "$stderr" =~ ^socklab\ client:\ connected\ to\ 127\.0\.0\.1:$PORT\ from\ 127\.0\.0\.1:[0-9]+$ ]]
}

@test "client: a busy socklab server (--max-conn 1) -> exit 1, the ERR reply quoted" {
	start_server -p 0 --max-conn 1
	talk_bg "$TMP/talk.out" 127.0.0.1 "$PORT" connect 'logged:accepted {} ->' eof
	wait_for_line "$TMP/srv.out" '^accepted '
	expect_busy -p "$PORT"
}

# expect_busy ARGS...: the client fails with the server's ERR quoted
expect_busy() {
	run --separate-stderr "$SOCKLAB" client "$@" alice
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = 'socklab client: the server refused: "ERR server busy"' ]
}

# --- misbehaving peers ----------------------------------------------------

@test "client: a peer replying ERR server busy -> exit 1, the reply quoted" {
	start_peer 'reply:ERR server busy\n'
	expect_busy -H 127.0.0.1 -p "$PEER_PORT"
}

@test "client: hostile reply bytes are printed escaped (text, JSON, -i, ERR)" {
	start_peer 'reply:Hello, \x1b[2J!\n'
	run --separate-stderr "$SOCKLAB" client -H 127.0.0.1 -p "$PEER_PORT" alice
	[ "$status" -eq 0 ]
	[ "$output" = 'Hello, \x1b[2J!' ]
	"$SOCKLAB" client -H 127.0.0.1 -p "$PEER_PORT" alice >"$TMP/raw.out"
	no_control_bytes "$TMP/raw.out"
	"$SOCKLAB" client --json -H 127.0.0.1 -p "$PEER_PORT" alice >"$TMP/c.json"
	no_control_bytes "$TMP/c.json"
	run py "$PEERS/ndjson.py" "$TMP/c.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *'reply="Hello, \u001b[2J!"'* ]]
	"$SOCKLAB" client -i -H 127.0.0.1 -p "$PEER_PORT" >"$TMP/i.out" < <(printf 'x\n')
	[ "$(cat "$TMP/i.out")" = 'Hello, \x1b[2J!' ]
	kill "$PEER"
	wait_exit "$PEER" 5
	start_peer 'reply:ERR \x1b]0;pwned\x07\n'
	"$SOCKLAB" client -H 127.0.0.1 -p "$PEER_PORT" alice 2>"$TMP/err.out" || true
	no_control_bytes "$TMP/err.out"
	grep -qF 'the server refused: "ERR \x1b]0;pwned\x07"' "$TMP/err.out"
}

@test "client -w 0.5 against a peer that accepts and never answers -> exit 1, no reply within" {
	start_peer silent
	# -w: nc's spelling of --timeout
	timed_run "$SOCKLAB" client -w 0.5 -H 127.0.0.1 -p "$PEER_PORT" alice
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "socklab client: no reply within 0.5 s from 127.0.0.1:$PEER_PORT"* ]]
	ms_between "$MS" 400 3000
}

@test "client --timeout 0.5: connect timeout when SYNs are dropped (full accept queue)" {
	# a listener with backlog 0 whose queue holds one unaccepted connection:
	# Linux drops further SYNs, exactly as a firewall would
	start_peer full
	timed_run "$SOCKLAB" client --timeout 0.5 -H 127.0.0.1 -p "$PEER_PORT" alice
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "socklab client: timed out after 0.5 s connecting to 127.0.0.1:$PEER_PORT"* ]]
	ms_between "$MS" 400 3000
}

@test "client --timeout 0.5: connect timeout behind a DROP rule in a network namespace" {
	local fw="nft add table inet sltest && nft add chain inet sltest in '{ type filter hook input priority 0; }' && nft add rule inet sltest in tcp dport 59001 drop"
	command -v nft >/dev/null || skip "nft is not installed (scripts/deps.sh installs it): cannot drop SYNs in a namespace"
	unshare -n true 2>/dev/null || skip "unshare -n is not permitted here"
	run --separate-stderr unshare -n sh -c "ip link set lo up && $fw && exec \"\$0\" client --timeout 0.5 -H 127.0.0.1 -p 59001 alice" "$SOCKLAB"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"timed out after 0.5 s connecting to 127.0.0.1:59001: the SYNs got no answer: a firewall drops them"* ]]
	[[ "$stderr" == *'rule "tcp dport 59001 drop" (nftables: table inet sltest chain in, handle '*'); delete the rule: nft delete rule inet sltest in handle '* ]]
}

@test "client: a server that reads and closes without replying -> exit 1, closed before replying" {
	start_peer readclose
	run --separate-stderr "$SOCKLAB" client -H 127.0.0.1 -p "$PEER_PORT" alice
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "socklab client: the server closed the connection before replying (sent 6 bytes, read 0)" ]
}

@test "client: a server that resets the connection -> exit 1, says RST" {
	start_peer rst
	run --separate-stderr "$SOCKLAB" client -H 127.0.0.1 -p "$PEER_PORT" alice
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *"reset the connection (RST)"* ]]
}

@test "client: an endless line without newline -> stops at its bound, says so, exit 1" {
	start_peer endless
	timed_run "$SOCKLAB" client -H 127.0.0.1 -p "$PEER_PORT" alice
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *"passed 65536 bytes without a newline"* ]]
	ms_between "$MS" 0 3000
	run --separate-stderr "$SOCKLAB" client -i -H 127.0.0.1 -p "$PEER_PORT" </dev/null
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"passed 65536 bytes without a newline"* ]]
}

# start_closer N: peers/closer.py (answers N lines, then closes) in the
# background; sets PEER (PID) and PEER_PORT
start_closer() {
	"${PY:-python3}" -I -S "$PEERS/closer.py" "$1" >"$TMP/peer.out" \
		2>"$TMP/peer.err" &
	PEER=$!
	PIDS+=("$PEER")
	wait_for_line "$TMP/peer.out" '^port [0-9]+$' 20 ||
		{ cat "$TMP/peer.err" >&2; return 1; }
	PEER_PORT=$(sed -n 's/^port //p' "$TMP/peer.out")
}

@test "client -i: the server closes after one reply while stdin stays open -> exit 1, says what happened and why" {
	start_closer 1
	# the test holds the writing end: stdin stays open, more may come
	client_open_stdin "$PEER_PORT"
	printf 'a\n' >&8
	wait_exit "$CL" 5 || { exec 8>&-; cat "$TMP/err" >&2; false; }
	exec 8>&-
	cat "$TMP/err" >&2
	[ "$STATUS" -eq 1 ]
	[ "$(cat "$TMP/out")" = "Hello, a!" ]
	[ "$(wc -l <"$TMP/err")" -eq 1 ]
	grep -qF "socklab client: 127.0.0.1:$PEER_PORT closed the connection before the end of our input (1 line sent, 1 reply read): " "$TMP/err"
	grep -qF -- '--idle-timeout' "$TMP/err"
	grep -qF 'reconnect' "$TMP/err"
}

@test "client -i: the server closes after 1 of 3 lines, though stdin was all sent -> exit 1, 1 reply to 3 lines" {
	start_closer 1
	printf 'a\nb\nc' >"$TMP/in"
	run --separate-stderr "$SOCKLAB" client -i -H 127.0.0.1 -p "$PEER_PORT" <"$TMP/in"
	echo "$status: $output / $stderr"
	[ "$status" -eq 1 ]
	[ "$output" = "Hello, a!" ]
	# the last line counts though it has no newline: the server answers it
	[[ "$stderr" == "socklab client: 127.0.0.1:$PEER_PORT closed the connection after 1 reply to our 3 lines: "*"(its log says why)"* ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
}

@test "client: unknown host -> exit 1, unknown host" {
	run --separate-stderr "$SOCKLAB" client -H nosuchhost.invalid -p 59001 alice
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == 'socklab client: unknown host "nosuchhost.invalid"'* ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
}

# --- usage errors ---------------------------------------------------------

@test "client -p 0 and other bad ports -> exit 2" {
	run --separate-stderr "$SOCKLAB" client -p 0 alice
	[ "$status" -eq 2 ]
	[[ "$stderr" == 'socklab client: bad port "0"'* ]]
	run --separate-stderr "$SOCKLAB" client localhost 0
	[ "$status" -eq 2 ]
	for p in abc 70000 -1 ""; do
		run --separate-stderr "$SOCKLAB" client -p "$p" alice
		[ "$status" -eq 2 ]
		[[ "$stderr" == "socklab client: bad port"* ]]
	done
}

@test "client: conflicting or malformed arguments -> exit 2 with a pointer to --help" {
	for args in "-4 -6" "--timeout 0" "--timeout abc" "--hold soon" \
		"-i alice" "a b c d" "-H ::1 localhost 59001" "-p 5 localhost 59001" \
		"--nope" "-Z" "-p"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$SOCKLAB" client $args
		echo "args: $args -> $status: $stderr"
		[ "$status" -eq 2 ]
		[[ "$stderr" == "socklab client: "*"see 'socklab client --help'" ]]
		[ "${#stderr_lines[@]}" -eq 1 ]
		[ -z "$output" ]
	done
}

@test "client --help, -h and socklab help client: exit 0, the usage" {
	run --separate-stderr "$SOCKLAB" client --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: socklab client "* ]]
	[[ "$output" == *--timeout* && "$output" == *--hold* && "$output" == *--json* ]]
	[ -z "$stderr" ]
	help=$output
	run "$SOCKLAB" client -h
	[ "$output" = "$help" ]
	run "$SOCKLAB" help client
	[ "$status" -eq 0 ]
	[ "$output" = "$help" ]
}
