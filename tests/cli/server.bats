#!/usr/bin/env bats
# socklab server: the contract of the manual ("SERVER" and the
# common conventions), driven over loopback by python3 peers
# (peers/talk.py) and by socklab's own client.  Every port is picked at run
# time (-p 0, read back from the "listening on" line); every wait is
# bounded; every process started here is killed by PID in teardown.

bats_require_minimum_version 1.5.0
load helpers

# the local address talk.py printed for connection N ("1 local ADDR")
local_of() {	# N
	sed -n "s/^$1 local //p" <<<"$output"
}

# converse HOST STEP...: talk.py's connection 1 (connect and local come
# first) must succeed; then waits for the server's closed line for it.
# Sets A, the client's address; lines[0] is the "1 local" line.
converse() {
	local host=$1
	shift
	run talk "$host" "$PORT" connect local "$@"
	[ "$status" -eq 0 ]
	A=$(local_of 1)
	wait_for_text "$TMP/srv.out" "closed $A "
}

# 0 when $1 (seconds, decimal) lies in [$2, $3]
between() {
	awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }'
}

# --- start-up and listening ------------------------------------------------

@test "server -p 0: first stdout line lists 127.0.0.1 and ::1 on the port it got" {
	start_server -p 0
	[ "$PORT" -gt 0 ]
	[ "$(head -n 1 "$TMP/srv.out")" = "listening on 127.0.0.1:$PORT and [::1]:$PORT" ]
	# the kernel agrees: two listening sockets, one per family
	run ss -Htln "( sport = :$PORT )"
	[[ "$output" == *"127.0.0.1:$PORT"* ]]
	[[ "$output" == *"[::1]:$PORT"* ]]
	[ "${#lines[@]}" -eq 2 ]
	[ ! -s "$TMP/srv.err" ]
}

@test "server -b 127.0.0.1: one address in the listening line, no IPv6 socket" {
	start_server -p 0 -b 127.0.0.1
	[ "$(head -n 1 "$TMP/srv.out")" = "listening on 127.0.0.1:$PORT" ]
	run ss -Htln "( sport = :$PORT )"
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"127.0.0.1:$PORT"* ]]
}

@test "server -b '[::1]:PORT': the port given with the address" {
	local p
	p=$(free_port)
	start_server -b "[::1]:$p"
	[ "$PORT" = "$p" ]
	[ "$(head -n 1 "$TMP/srv.out")" = "listening on [::1]:$p" ]
	run "$SOCKLAB" client -H ::1 -p "$p" alice
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, alice!" ]
}

@test "server -b repeated: every address in one and-joined line, in order" {
	start_server -p 0 -b 127.0.0.1 -b ::1
	run head -n 1 "$TMP/srv.out"
	[[ "$output" =~ ^listening\ on\ 127\.0\.0\.1:([0-9]+)\ and\ \[::1\]:([0-9]+)$ ]]
}

@test "server -b ADDR:PORT keeps its own port when -p is also given" {
	# usage: "ADDR may carry a port: [::1]:59002"; -p is for binds without one
	local p
	p=$(free_port)
	start_server -p 0 -b 127.0.0.1 -b "[::1]:$p"
	run head -n 1 "$TMP/srv.out"
	[[ "$output" =~ ^listening\ on\ 127\.0\.0\.1:[0-9]+\ and\ \[::1\]:$p$ ]]
}

@test "server PORT as a positional argument, and nc's -l is accepted" {
	start_server -l 0
	[ "$(head -n 1 "$TMP/srv.out")" = "listening on 127.0.0.1:$PORT and [::1]:$PORT" ]
}

# --- the protocol and the log lines ----------------------------------------

@test "server: one line, exact accepted / received / closed log lines" {
	start_server -p 0
	converse 127.0.0.1 send:'alice\n' line shut eof
	[ "${lines[1]}" = '1< Hello, alice!\n' ]
	[ "${lines[2]}" = '1< EOF' ]
	grep -qxF "accepted $A -> 127.0.0.1:$PORT" "$TMP/srv.out"
	grep -qxF "received \"alice\" from $A" "$TMP/srv.out"
	grep -qxF "closed $A (1 line, 6 bytes in, 14 out)" "$TMP/srv.out"
}

@test "server: several lines on one connection, plural in the closed line" {
	start_server -p 0
	converse ::1 send:'alice\nbob\n' line line send:'carol\n' line shut eof
	[ "${lines[1]}" = '1< Hello, alice!\n' ]
	[ "${lines[2]}" = '1< Hello, bob!\n' ]
	[ "${lines[3]}" = '1< Hello, carol!\n' ]
	[ "${lines[4]}" = '1< EOF' ]
	[[ "$A" == "[::1]:"* ]]
	grep -qxF "accepted $A -> [::1]:$PORT" "$TMP/srv.out"
	grep -qxF "received \"bob\" from $A" "$TMP/srv.out"
	# 16 bytes in; 14 + 12 + 14 out
	grep -qxF "closed $A (3 lines, 16 bytes in, 40 out)" "$TMP/srv.out"
}

@test "server: a line split over two and three writes is reassembled; the log counts the reads" {
	start_server -p 0
	converse 127.0.0.1 'logged:accepted {} ->' \
		send:al drained send:'ice\n' line \
		send:b drained send:o drained send:'b\n' line shut eof
	[ "${lines[1]}" = '1< Hello, alice!\n' ]
	[ "${lines[2]}" = '1< Hello, bob!\n' ]
	grep -qxF "received \"alice\" from $A (2 reads)" "$TMP/srv.out"
	grep -qxF "received \"bob\" from $A (3 reads)" "$TMP/srv.out"
}

@test "server: CRLF line ends are stripped from the name" {
	start_server -p 0
	converse 127.0.0.1 send:'alice\r\n' line send:'bob\r' shut eof
	[ "${lines[1]}" = '1< Hello, alice!\n' ]
	[ "${lines[2]}" = '1< Hello, bob!\n' ]
	grep -qxF "received \"alice\" from $A" "$TMP/srv.out"
	grep -qxF "received \"bob\" from $A" "$TMP/srv.out"
}

@test "server: an empty line gets ERR empty name and the connection stays usable" {
	start_server -p 0
	run talk 127.0.0.1 "$PORT" connect send:'\n' line send:'\r\n' line \
		send:'bob\n' line shut eof
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '1< ERR empty name\n' ]
	[ "${lines[1]}" = '1< ERR empty name\n' ]
	[ "${lines[2]}" = '1< Hello, bob!\n' ]
	[ "${lines[3]}" = '1< EOF' ]
}

@test "server: a final line without newline before EOF (half close) still gets its reply" {
	start_server -p 0
	converse 127.0.0.1 send:'alice\nbob' shut eof
	[ "${lines[1]}" = '1< Hello, alice!\nHello, bob!\n' ]
	[ "${lines[2]}" = '1< EOF' ]
	grep -qxF "closed $A (2 lines, 9 bytes in, 26 out)" "$TMP/srv.out"
}

@test "server: 256 bytes pass, 257 get ERR line too long (max 256 bytes) and the close; others unharmed" {
	local ok long
	ok=$(printf '%0256d' 0)
	long=$(printf '%0257d' 0)
	start_server -p 0
	run talk 127.0.0.1 "$PORT" 1@connect '1@logged:accepted {} ->' \
		1@send:"$ok\\n" 1@line \
		2@connect 2@send:"$long\\n" 2@line 2@eof \
		1@send:'bob\n' 1@line
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "1< Hello, $ok!\\n" ]
	[ "${lines[1]}" = '2< ERR line too long (max 256 bytes)\n' ]
	[ "${lines[2]}" = '2< EOF' ]
	[ "${lines[3]}" = '1< Hello, bob!\n' ]
	kill -0 "$SRV"
}

@test "server: a long line without any newline is cut at the bound, answered, then closed" {
	# 4 KiB and no end in sight: the server need not wait for a newline
	start_server -p 0
	run talk 127.0.0.1 "$PORT" connect send:"$(printf '%04096d' 0)" eof
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '1< ERR line too long (max 256 bytes)\n' ]
	[ "${lines[1]}" = '1< EOF' ]
}

@test "server --max-line 10: 10 bytes pass, 11 are too long" {
	start_server -p 0 --max-line 10
	run talk 127.0.0.1 "$PORT" 1@connect 1@send:'abcdefghij\n' 1@line \
		2@connect 2@send:'abcdefghijk\n' 2@line 2@eof
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '1< Hello, abcdefghij!\n' ]
	[ "${lines[1]}" = '2< ERR line too long (max 10 bytes)\n' ]
	[ "${lines[2]}" = '2< EOF' ]
}

@test "server --max-conn 2: the third client gets ERR server busy and is closed; the first two are served" {
	start_server -p 0 --max-conn 2
	run talk 127.0.0.1 "$PORT" 1@connect '1@logged:accepted {} ->' \
		2@connect '2@logged:accepted {} ->' 3@connect 3@local 3@eof \
		1@send:'a\n' 1@line 2@send:'b\n' 2@line
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = '3< ERR server busy\n' ]
	[ "${lines[2]}" = '3< EOF' ]
	[ "${lines[3]}" = '1< Hello, a!\n' ]
	[ "${lines[4]}" = '2< Hello, b!\n' ]
	c=$(sed -n 's/^3 local //p' <<<"$output")
	# the refused client is never "accepted" in the log
	[ "$(grep -cF "accepted $c " "$TMP/srv.out")" -eq 0 ]
	# a slot frees when a client leaves
	wait_for_count "$TMP/srv.out" '^closed ' 2
	run "$SOCKLAB" client -p "$PORT" carol
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, carol!" ]
}

@test "server --idle-timeout 0.5 closes a silent client after half a second" {
	start_server -p 0 --idle-timeout 0.5
	converse 127.0.0.1 eof elapsed
	[ "${lines[1]}" = '1< EOF' ]
	t=$(sed -n 's/^1 elapsed //p' <<<"$output")
	between "$t" 0.45 3
	grep -F "closed $A (0 lines, 0 bytes in, 0 out" "$TMP/srv.out" | grep -q idle
	kill -0 "$SRV"
}

@test "server: names are escaped in the log; no raw control byte reaches stdout" {
	start_server -p 0
	converse 127.0.0.1 send:'\x1bevil"\n' line \
		send:'a\\b\tc\x07\xff\n' line send:'x\ry\n' line shut eof
	# the protocol echoes the bytes; only the log must be safe
	[ "${lines[1]}" = '1< Hello, \x1bevil"!\n' ]
	grep -qxF 'received "\x1bevil\"" from '"$A" "$TMP/srv.out"
	grep -qxF 'received "a\\b\tc\x07\xff" from '"$A" "$TMP/srv.out"
	grep -qxF 'received "x\ry" from '"$A" "$TMP/srv.out"
	no_control_bytes "$TMP/srv.out"
}

@test "server: stdout is flushed promptly into a pipe while it runs" {
	mkfifo "$TMP/fifo"
	cat "$TMP/fifo" >"$TMP/pipe.out" &
	PIDS+=($!)
	"$SOCKLAB" server -p 0 >"$TMP/fifo" 2>"$TMP/srv.err" &
	SRV=$!
	PIDS+=("$SRV")
	wait_for_line "$TMP/pipe.out" '^listening on '
	PORT=$(first_port "$TMP/pipe.out")
	run "$SOCKLAB" client -p "$PORT" alice
	[ "$status" -eq 0 ]
	wait_for_line "$TMP/pipe.out" '^received "alice" from '
	wait_for_line "$TMP/pipe.out" '^closed '
	# still running: the lines came from flushing, not from exiting
	kill -0 "$SRV"
}

@test "server --once exits 0 after the first client disconnects" {
	start_server -p 0 --once
	run "$SOCKLAB" client -p "$PORT" alice
	[ "$status" -eq 0 ]
	wait_exit "$SRV" 5
	[ "$STATUS" -eq 0 ]
	grep -q '^received "alice" from ' "$TMP/srv.out"
	grep -q '^closed ' "$TMP/srv.out"
	tail -n 1 "$TMP/srv.out" | grep -q '^stopped: '
	run ss -Htln "( sport = :$PORT )"
	[ -z "$output" ]
}

# stop_test SIGNAL: a connected client is closed, the summary printed, exit 0
stop_test() {
	start_server -p 0
	talk_bg "$TMP/talk.out" 127.0.0.1 "$PORT" connect local \
		send:'alice\n' line eof
	wait_for_line "$TMP/srv.out" '^received "alice" from '
	stop_server "$1"
	[ "$STATUS" -eq 0 ]
	wait_exit "$TALK" 5
	[ "$STATUS" -eq 0 ]
	grep -qxF '1< EOF' "$TMP/talk.out"
	a=$(sed -n 's/^1 local //p' "$TMP/talk.out")
	grep -qF "closed $a (1 line, 6 bytes in, 14 out" "$TMP/srv.out"
	run tail -n 1 "$TMP/srv.out"
	[[ "$output" =~ ^stopped:\ .*1\ client ]]
	[ "$(count_lines "$TMP/srv.out" '^stopped: ')" -eq 1 ]
}

@test "server: SIGINT closes clients, prints the stopped: summary, exits 0" {
	stop_test INT
}

@test "server: SIGTERM closes clients, prints the stopped: summary, exits 0" {
	stop_test TERM
}

@test "server: a client that sends and resets (RST) without reading does not harm it" {
	start_server -p 0
	converse 127.0.0.1 flood:2000 rst
	kill -0 "$SRV"
	run "$SOCKLAB" client -p "$PORT" alice
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, alice!" ]
}

@test "server: a client that resets after its reply is logged as a reset (RST)" {
	start_server -p 0
	converse 127.0.0.1 send:'alice\n' line rst
	grep -F "closed $A (1 line, 6 bytes in, 14 out" "$TMP/srv.out" | grep -q RST
}

@test "server: a client with half a line does not hold up the others" {
	start_server -p 0
	run talk 127.0.0.1 "$PORT" 1@connect 1@send:al 1@drained \
		2@connect 2@send:'bob\n' 2@line 1@send:'ice\n' 1@line
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '2< Hello, bob!\n' ]
	[ "${lines[1]}" = '1< Hello, alice!\n' ]
}

@test "server: restarts at once on a port whose connections are in TIME_WAIT" {
	# the idle timeout makes the server close first: TIME_WAIT is its own
	start_server -p 0 --idle-timeout 0.2 --once
	run talk 127.0.0.1 "$PORT" connect eof
	[ "$status" -eq 0 ]
	wait_exit "$SRV" 5
	[ "$STATUS" -eq 0 ]
	time_wait() {
		[ -n "$(ss -Htn state time-wait "( sport = :$PORT )")" ]
	}
	wait_until 5 time_wait
	local old=$PORT
	start_server -p "$old"
	[ "$(head -n 1 "$TMP/srv.out")" = "listening on 127.0.0.1:$old and [::1]:$old" ]
}

@test "server: SIGPIPE cannot kill it (clients close before their replies, many times)" {
	start_server -p 0 --json
	# with unread replies queued, each close is a RST; the server is still
	# writing the rest of its replies when it arrives
	local steps=()
	for i in $(seq 10); do
		steps+=(connect flood:3000 close connect flood:3000 rst)
	done
	talk 127.0.0.1 "$PORT" "${steps[@]}"
	wait_for_count "$TMP/srv.out" '"event":"closed"' 20
	kill -0 "$SRV"
	run "$SOCKLAB" client -p "$PORT" alice
	[ "$status" -eq 0 ]
	stop_server TERM
	[ "$STATUS" -eq 0 ]
	py "$PEERS/ndjson.py" "$TMP/srv.out" >/dev/null
}

@test "server --json: valid NDJSON, one object per event, with the documented keys" {
	start_server -p 0 --json
	run talk 127.0.0.1 "$PORT" connect local send:'alice\n' line \
		send:'\x1bevil"\n' line shut eof
	[ "$status" -eq 0 ]
	a=$(local_of 1)
	wait_for_line "$TMP/srv.out" '"event":"closed"'
	stop_server TERM
	[ "$STATUS" -eq 0 ]
	no_control_bytes "$TMP/srv.out"
	run py "$PEERS/ndjson.py" "$TMP/srv.out"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "listening addresses=[\"127.0.0.1:$PORT\", \"[::1]:$PORT\"]" ]
	# the key sets are pinned: event + these, sorted
	[ "${lines[1]}" = "accepted local=\"127.0.0.1:$PORT\" peer=\"$a\"" ]
	[ "${lines[2]}" = "received name=\"alice\" peer=\"$a\" reads=1" ]
	[ "${lines[3]}" = 'received name="\u001bevil\"" peer="'"$a"'" reads=1' ]
	[ "${lines[4]}" = "closed bytes_in=13 bytes_out=29 lines=2 peer=\"$a\"" ]
	[ "${lines[5]}" = "stopped clients=1 refused=0" ]
	[ "${#lines[@]}" -eq 6 ]
}

@test "server defaults in a private network namespace: port 59001; -b 0.0.0.0 -b :: log real local addresses" {
	unshare -n -m true 2>/dev/null || skip "unshare -n -m is not permitted here"
	# the namespace has its own 59001 and its own /etc/hosts (which lies)
	printf '198.18.0.1 localhost\n' >"$TMP/hosts"
	run --separate-stderr unshare -n -m bash -c '
		set -e
		source "$1/helpers.bash"
		TMP=$2 SOCKLAB=$3 PIDS=()
		trap "kill \${PIDS[*]} 2>/dev/null || true" EXIT
		ip link set lo up
		mount --bind "$TMP/hosts" /etc/hosts
		getent hosts localhost | grep -q 198.18.0.1
		"$SOCKLAB" server >"$TMP/d.out" 2>&1 &
		PIDS+=($!)
		wait_for_line "$TMP/d.out" "^listening on "
		head -n 1 "$TMP/d.out"
		# localhost is loopback whatever /etc/hosts says; port 59001
		"$SOCKLAB" client alice
		kill ${PIDS[0]}
		wait_exit ${PIDS[0]} 5
		"$SOCKLAB" server -b 0.0.0.0 -b :: >"$TMP/w.out" 2>&1 &
		PIDS+=($!)
		wait_for_line "$TMP/w.out" "^listening on "
		head -n 1 "$TMP/w.out"
		"$SOCKLAB" client -4 bob
		"$SOCKLAB" client -6 carol
		wait_for_count "$TMP/w.out" "^closed " 2
		grep "^accepted " "$TMP/w.out"
	' _ "$BATS_TEST_DIRNAME" "$TMP" "$SOCKLAB"
	echo "$output"
	echo "$stderr"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "listening on 127.0.0.1:59001 and [::1]:59001" ]
	[ "${lines[1]}" = "Hello, alice!" ]
	[ "${lines[2]}" = "listening on 0.0.0.0:59001 and [::]:59001" ]
	[ "${lines[3]}" = "Hello, bob!" ]
	[ "${lines[4]}" = "Hello, carol!" ]
	[[ "${lines[5]}" =~ ^accepted\ 127\.0\.0\.1:[0-9]+\ -\>\ 127\.0\.0\.1:59001$ ]]
	[[ "${lines[6]}" =~ ^accepted\ \[::1\]:[0-9]+\ -\>\ \[::1\]:59001$ ]]
}

# --- start-up errors --------------------------------------------------------

# in_use_test [-6]: a python3 listener holds the port on one family
in_use_test() {
	start_peer hold "$@"
	run --separate-stderr "$SOCKLAB" server -p "$PEER_PORT"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "socklab server: "* ]]
	[[ "$stderr" == *"port $PEER_PORT "*"in use"* ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
	# the holder, from the kernel's socket table: "in use by pid 4242 (python3)"
	[[ "$stderr" == *"in use by pid $PEER"* ]]
	[[ "$stderr" == *python3* ]]
	[[ "$stderr" == *"kill $PEER"* ]]
}

@test "server: port in use (IPv4 holder) -> exit 1, the message names the port" {
	in_use_test
}

@test "server: port in use (IPv6 holder) -> exit 1, the message names the port" {
	in_use_test -6
}

@test "server: a privileged port as an unprivileged user -> exit 1, says privileged and suggests 59001" {
	local first
	first=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null || echo 1024)
	[ "$first" -gt 80 ] || skip "ip_unprivileged_port_start is $first: port 80 is not privileged here"
	if [ "$(id -u)" -eq 0 ]; then
		command -v setpriv >/dev/null || skip "setpriv is missing: cannot drop root"
		# nobody must be able to run the binary: a copy in a 755 folder
		chmod 755 "$TMP"
		install -m 755 "$SOCKLAB" "$TMP/socklab"
		run --separate-stderr setpriv --reuid=65534 --regid=65534 \
			--clear-groups "$TMP/socklab" server -p 80
	else
		run --separate-stderr "$SOCKLAB" server -p 80
	fi
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "socklab server: "* ]]
	[[ "$stderr" == *privileged* ]]
	[[ "$stderr" == *59001* ]]
	[[ "$stderr" == *CAP_NET_BIND_SERVICE* ]]
	# the real threshold, read from the kernel
	[[ "$stderr" == *"port 80 is a privileged port (< $first on this system)"* ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
}

@test "server: bad ports (abc, 70000, -1, empty) are usage errors, exit 2" {
	for p in abc 70000 -1 "" 1.5; do
		run --separate-stderr "$SOCKLAB" server -p "$p"
		[ "$status" -eq 2 ]
		[[ "$stderr" == "socklab server: bad port"* ]]
		run --separate-stderr "$SOCKLAB" server --port="$p"
		[ "$status" -eq 2 ]
	done
	run --separate-stderr "$SOCKLAB" server 70000
	[ "$status" -eq 2 ]
	[[ "$stderr" == *'bad port "70000"'* ]]
}

@test "server: bad option values and extra arguments are usage errors, exit 2" {
	for args in "--max-conn 0" "--max-conn x" "--max-line 0" \
		"--idle-timeout -1" "--idle-timeout soon" "-b nowhere" \
		"-b 127.0.0.1:99999" "-p 0 5" "5 6"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$SOCKLAB" server $args
		echo "args: $args -> $status: $stderr"
		[ "$status" -eq 2 ]
		[[ "$stderr" == "socklab server: "*"see 'socklab server --help'" ]]
		[ -z "$output" ]
	done
}

@test "server: unknown option or missing value -> exit 2 with one line on stderr" {
	run --separate-stderr "$SOCKLAB" server --nope
	[ "$status" -eq 2 ]
	[[ "$stderr" == *'"--nope"'* ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
	run --separate-stderr "$SOCKLAB" server -Z
	[ "$status" -eq 2 ]
	[[ "$stderr" == "socklab server: "* ]]
	run --separate-stderr "$SOCKLAB" server -p
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-p needs a value"* ]]
}

# --- help and the command dispatcher ---------------------------------------

@test "server --help and -h: exit 0, usage on stdout" {
	run --separate-stderr "$SOCKLAB" server --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: socklab server "* ]]
	[[ "$output" == *--max-conn* && "$output" == *--idle-timeout* ]]
	[[ "$output" == *--max-line* && "$output" == *--once* && "$output" == *--json* ]]
	[ -z "$stderr" ]
	help=$output
	run "$SOCKLAB" server -h
	[ "$status" -eq 0 ]
	[ "$output" = "$help" ]
}

@test "socklab help server prints the same usage as server --help" {
	run "$SOCKLAB" server --help
	help=$output
	run --separate-stderr "$SOCKLAB" help server
	[ "$status" -eq 0 ]
	[ "$output" = "$help" ]
	run --separate-stderr "$SOCKLAB" help nosuchcmd
	[ "$status" -eq 2 ]
	[[ "$stderr" == *nosuchcmd* ]]
}

@test "socklab --version prints the version, exit 0" {
	run --separate-stderr "$SOCKLAB" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^socklab\ [0-9]+\.[0-9]+\.[0-9]+ ]]
	run "$SOCKLAB" version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^socklab\ [0-9]+\.[0-9]+\.[0-9]+ ]]
}

@test "socklab --help lists the commands, exit 0; socklab alone prints usage on stderr, exit 2" {
	run --separate-stderr "$SOCKLAB" --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: socklab "* ]]
	[[ "$output" == *server* && "$output" == *client* ]]
	run --separate-stderr "$SOCKLAB"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == "usage: socklab "* ]]
}

@test "socklab nosuchcmd -> exit 2, the unknown word escaped in the message" {
	run --separate-stderr "$SOCKLAB" nosuchcmd
	[ "$status" -eq 2 ]
	[[ "$stderr" == 'socklab: unknown command "nosuchcmd"'* ]]
	run --separate-stderr "$SOCKLAB" $'bad\x1bword'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *'"bad\x1bword"'* ]]
}
