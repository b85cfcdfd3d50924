#!/usr/bin/env bats
# socklab check: every student-style server of tests/students through the
# probes, each in a network namespace of its own (so the fixtures keep
# their port 59123 whatever else runs on this machine), the verdicts and
# fixes asserted from the NDJSON records and, for two runs, the text.

bats_require_minimum_version 1.5.0
load helpers

STUDENTS="$BATS_TEST_DIRNAME/../students"

# run_check NAME [--text] COMMAND...: socklab check in its own namespace,
# in the background; NAME.out, NAME.err and NAME.rc in $CK
run_check() {
	local name=$1 fmt=--json
	shift
	if [ "$1" = --text ]; then
		fmt=
		shift
	fi
	(
		rc=0
		timeout -k 5 120 unshare -n sh -c 'ip link set lo up && exec "$@"' \
			sh "$SOCKLAB" check $fmt --timeout 2 --name alice -- "$@" \
			>"$CK/$name.out" 2>"$CK/$name.err" || rc=$?
		echo $rc >"$CK/$name.rc"
	) &
}

# A port held inside the namespace, then the hello server on it.
in_use_script() {
	cat <<EOF
ip link set lo up
"$PY" -c 'import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 59123))
s.listen()
print("held", flush=True)
time.sleep(60)' >"$CK/holder.out" &
holder=\$!
echo \$holder >"$CK/holder.pid"
for i in \$(seq 200); do grep -q held "$CK/holder.out" && break; sleep 0.05; done
"$SOCKLAB" check --json --timeout 2 --name alice -- "$PY" "$STUDENTS/python/hello_server.py" 59123 \
	>"$CK/inuse.out" 2>"$CK/inuse.err"
echo \$? >"$CK/inuse.rc"
kill \$holder
EOF
}

setup_file() {
	PY=$(python3 -c 'import sys; print(sys.executable)')
	CK=$(mktemp -d)
	export PY CK
	local s=$STUDENTS/python
	cc -o "$CK/server" "$STUDENTS/c/server.c"
	cc -o "$CK/greet_server" "$STUDENTS/c/greet_server.c"
	printf '%s\n' 'import socket' 's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)' \
		's.bind(("127.0.0.1", 59123))' 'while True: s.recvfrom(100)' >"$CK/udp_server.py"
	printf '%s\n' 'import socket' 's = socket.socket()' \
		's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)' \
		's.bind(("127.0.0.1", 59123))' 's.listen()' 'while True:' \
		'    c, a = s.accept()' '    c.recv(100)' \
		'    c.sendall(b"\x1b[31mHello, alice\x07\r\n\x9b2J")' '    c.close()' \
		>"$CK/ctl_server.py"
	run_check threaded "$PY" "$s/threaded_server.py"
	run_check hello "$PY" "$s/hello_server.py"
	run_check print_close "$PY" "$s/print_close_server.py"
	run_check oneshot "$PY" "$s/oneshot_server.py"
	run_check v6 "$PY" "$s/v6_server.py"
	run_check any "$PY" "$s/any_server.py"
	run_check typo "$PY" "$s/bind_typo_server.py"
	run_check c "$CK/server"
	run_check greet --text "$CK/greet_server"
	run_check low "$PY" "$s/threaded_server.py" 58000
	run_check priv "$PY" "$s/threaded_server.py" 80
	run_check udp "$PY" "$CK/udp_server.py"
	run_check sh --text "$PY $s/threaded_server.py"
	run_check ctl --text "$PY" "$CK/ctl_server.py"
	if command -v node >/dev/null; then
		run_check node node "$STUDENTS/node/server.js"
	fi
	in_use_script | timeout -k 5 120 unshare -n sh &
	wait
}

teardown_file() {
	rm -rf "$CK"
}

# rec NAME PROBE FIELD: that field of the record of PROBE in NAME.out
rec() {
	"$PY" - "$CK/$1.out" "$2" "$3" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["probe"] == sys.argv[2]:
        v = r[sys.argv[3]]
        print("null" if v is None else v)
        break
else:
    sys.exit("no record for probe " + sys.argv[2])
PY
}

# verdicts NAME: "probe=verdict" for every record, in order
verdicts() {
	"$PY" -c 'import json, sys
print(" ".join(r["probe"] + "=" + r["verdict"] for r in map(json.loads, open(sys.argv[1]))))' "$CK/$1.out"
}

show() {	# NAME: the run, for a failing test's log
	echo "rc=$(cat "$CK/$1.rc")"
	cat "$CK/$1.out" "$CK/$1.err"
}

@test "check: a robust server (threads, lines, both families) passes every probe, exit 0" {
	show threaded
	[ "$(cat "$CK/threaded.rc")" -eq 0 ]
	[ "$(verdicts threaded)" = "start=pass port=pass address=pass hello=pass two-names=pass split=pass families=pass concurrent=pass silent=pass close-early=pass reset=pass summary=pass" ]
	[ "$(rec threaded hello answer)" = "Hello, alice!" ]
	[ "$(rec threaded summary passed)" -eq 11 ]
	[ "$(rec threaded summary port)" -eq 59123 ]
	rec threaded hello saw | grep -F "the server printed \"127.0.0.1 says 'alice'\""
	rec threaded start saw | grep -E 'listening on 127\.0\.0\.1:59123 \(pid [0-9]+ python3\) and \[::1\]:59123'
}

@test "check: the tutorial loop: one recv, IPv4 only, one at a time, dies on a reset" {
	show hello
	[ "$(cat "$CK/hello.rc")" -eq 1 ]
	[ "$(rec hello hello verdict)" = pass ]
	[ "$(rec hello hello answer)" = "Hello, alice" ]
	[ "$(rec hello two-names verdict)" = note ]
	rec hello two-names saw | grep -F 'both names in one answer'
	[ "$(rec hello split verdict)" = note ]
	rec hello split saw | grep -F 'got "Hello, al\n"'
	rec hello split fix | grep -F 'read until the newline'
	[ "$(rec hello families verdict)" = note ]
	rec hello families saw | grep -F '[::1]:59123 refused: IPv4 (127.0.0.1) only'
	rec hello families fix | grep -F 'listen on ::1 as well'
	[ "$(rec hello concurrent verdict)" = pass ]
	[ "$(rec hello silent verdict)" = note ]
	rec hello silent saw | grep -F 'serves one client at a time'
	rec hello silent fix | grep -F 'conn.settimeout'
	[ "$(rec hello close-early verdict)" = pass ]
	[ "$(rec hello reset verdict)" = fail ]
	rec hello reset saw | grep -F 'then the server exited with status 1'
	rec hello reset saw | grep -F 'ConnectionResetError: [Errno 104] Connection reset by peer'
	rec hello reset fix | grep -F 'try/except OSError'
	[ "$(rec hello summary ended)" = "exited with status 1" ]
}

@test "check: a server that prints and closes without answering is a one-shot, and the rest could not run" {
	show print_close
	[ "$(cat "$CK/print_close.rc")" -eq 0 ]
	[ "$(rec print_close hello verdict)" = note ]
	rec print_close hello saw | grep -F 'closed the connection without answering'
	rec print_close hello saw | grep -F "the server printed \"received b'alice\\\\n' from"
	[ "$(rec print_close one-shot verdict)" = note ]
	rec print_close one-shot saw | grep -F 'exited with status 0 by itself after 1 client'
	rec print_close one-shot fix | grep -F 'loop around accept()'
	[ "$(rec print_close summary skipped)" -eq 7 ]
	rec print_close reset saw | grep -F 'could not run: the server had ended (it exited with status 0) after the hello probe'
}

@test "check: a one-shot server that answers: hello passes, one-shot is a note, exit 0" {
	show oneshot
	[ "$(cat "$CK/oneshot.rc")" -eq 0 ]
	[ "$(verdicts oneshot)" = "start=pass port=pass address=pass hello=pass one-shot=note two-names=skip split=skip families=skip concurrent=skip silent=skip close-early=skip reset=skip summary=pass" ]
	# $(...) drops the newline the answer ends with
	[ "$(rec oneshot hello answer)" = "Hello, alice" ]
}

@test "check: a server on ::1 only is probed there, and the families note says so" {
	show v6
	rec v6 start saw | grep -E 'listening on \[::1\]:59123 \(pid'
	rec v6 hello did | grep -F 'connected to [::1]:59123'
	[ "$(rec v6 hello verdict)" = pass ]
	[ "$(rec v6 families verdict)" = note ]
	rec v6 families saw | grep -F '127.0.0.1:59123 refused'
	rec v6 families saw | grep -F 'IPv6 (::1) only'
	rec v6 families fix | grep -F 'listen on 127.0.0.1 as well'
	# listen(5): twenty clients at once overflow its accept queue
	rec v6 concurrent saw | grep -F '20 of 20 answered'
}

@test "check: a server bound to 0.0.0.0 is reachable from the network: a note with the fix" {
	show any
	[ "$(cat "$CK/any.rc")" -eq 0 ]
	rec any start saw | grep -F 'listening on 0.0.0.0:59123'
	[ "$(rec any address verdict)" = note ]
	rec any address saw | grep -F 'other machines on the network can connect'
	rec any address fix | grep -F 'bind to 127.0.0.1'
	rec any hello did | grep -F 'connected to 127.0.0.1:59123'
	[ "$(rec any reset verdict)" = pass ]
}

@test "check: a server that exits at once: its traceback, and the rest could not run" {
	show typo
	[ "$(cat "$CK/typo.rc")" -eq 1 ]
	[ "$(rec typo start verdict)" = fail ]
	rec typo start saw | grep -F 'exited with status 1'
	rec typo start saw | grep -F 'before listening'
	rec typo start saw | grep -F 'TypeError: socket.bind() takes exactly one argument (2 given)'
	[ "$(rec typo summary skipped)" -eq 10 ]
	[ "$(rec typo summary port)" = null ]
}

@test "check: a port in use: the server's traceback and the holder's pid" {
	show inuse
	[ "$(cat "$CK/inuse.rc")" -eq 1 ]
	holder=$(cat "$CK/holder.pid")
	[ "$(rec inuse start verdict)" = fail ]
	rec inuse start saw | grep -F 'Address already in use'
	rec inuse start saw | grep -E "port 59123 is held by pid [0-9]+ \(python3\), LISTEN on 127\.0\.0\.1:59123"
	rec inuse start fix | grep -E 'stop the program that holds the port \(kill [0-9]+\)'
	# the holder named is the one python this test started (or its child)
	rec inuse start fix | grep -F "kill $holder)"
}

@test "check: the C tutorial server, compiled here: one read per client, a backlog of 5" {
	show c
	[ "$(cat "$CK/c.rc")" -eq 0 ]
	rec c start saw | grep -E 'listening on 127\.0\.0\.1:59123 \(pid [0-9]+ server\)'
	[ "$(rec c hello answer)" = "Hello, alice" ]
	rec c hello saw | grep -F 'the server printed "received: alice"'
	[ "$(rec c two-names verdict)" = note ]
	rec c two-names saw | grep -F 'only the first name was answered'
	[ "$(rec c split verdict)" = note ]
	rec c concurrent saw | grep -F '20 of 20 answered'
	[ "$(rec c close-early verdict)" = pass ]
	[ "$(rec c reset verdict)" = pass ]
}

@test "check: a C server that writes its answer in pieces dies of SIGPIPE: the signal and the fix" {
	show greet
	[ "$(cat "$CK/greet.rc")" -eq 1 ]
	grep -E '^PASS hello +connected to 127\.0\.0\.1:59123 and sent the name "alice\\n" — got "Hello, alice!\\n"' "$CK/greet.out"
	grep -F 'FAIL close-early sent the name and closed at once, without reading the answer — then the server was killed by signal 13 (SIGPIPE, Broken pipe); fix: ignore SIGPIPE (signal(SIGPIPE, SIG_IGN))' "$CK/greet.out"
	grep -F 'SKIP reset       reset a connection the server accepted — could not run: the server had ended (it was killed by signal 13 (SIGPIPE, Broken pipe)) after the close-early probe' "$CK/greet.out"
	tail -n 1 "$CK/greet.out" | grep -E '^[0-9]+ passed, [0-9]+ notes?, 1 failed, 1 could not run: the server \(pid [0-9]+\) on 127\.0\.0\.1:59123, which was killed by signal 13'
}

@test "check: ports against the assignment: 58000 is not above 59000, 80 is privileged" {
	show low
	show priv
	[ "$(cat "$CK/low.rc")" -eq 1 ]
	[ "$(rec low port verdict)" = fail ]
	rec low port saw | grep -F 'port 58000 is not above 59000, against the assignment'
	rec low port fix | grep -F 'above 59000, e.g. 59123'
	[ "$(rec low hello verdict)" = pass ]
	[ "$(cat "$CK/priv.rc")" -eq 1 ]
	[ "$(rec priv port verdict)" = fail ]
	rec priv port saw | grep -F 'port 80 is a privileged port'
}

@test "check: a UDP server never listens: it says what socket it has instead" {
	show udp
	[ "$(cat "$CK/udp.rc")" -eq 1 ]
	rec udp start saw | grep -F 'listens on no TCP port; it has a UDP socket on 127.0.0.1:59123 instead'
	rec udp start fix | grep -F 'SOCK_STREAM'
}

@test "check: one word with spaces runs through sh -c; the listener is found in its process tree" {
	show sh
	[ "$(cat "$CK/sh.rc")" -eq 0 ]
	[ "$(grep -c '^PASS ' "$CK/sh.out")" -eq 11 ]
	[ "$(wc -l <"$CK/sh.out")" -eq 12 ]
	# the shell is the pid started; python, a child or itself, listens
	grep -E '^PASS start +started .* \(pid [0-9]+, a process group of its own\) — listening on 127\.0\.0\.1:59123 \(pid [0-9]+ python3\)' "$CK/sh.out"
	tail -n 1 "$CK/sh.out" | grep -E '^11 passed, 0 notes, 0 failed, 0 could not run: the server \(pid [0-9]+\) on 127\.0\.0\.1:59123$'
}

@test "check: what the server sends reaches the terminal escaped" {
	show ctl
	no_control_bytes "$CK/ctl.out"
	grep -F 'got "\x1b[31mHello, alice\x07\r\n\x9b2J"' "$CK/ctl.out"
}

@test "check: the node server (when node is installed): a data event taken as a name" {
	command -v node >/dev/null || skip "node is not installed"
	show node
	[ "$(rec node hello verdict)" = pass ]
	[ "$(rec node split verdict)" = note ]
	[ "$(rec node split answer)" = "Hello, al
Hello, ice" ]
	[ "$(rec node silent verdict)" = pass ]
	[ "$(rec node reset verdict)" = pass ]
}

@test "check: Ctrl-C stops the check and the server with it" {
	unshare -n sh -c 'ip link set lo up && exec "$@"' sh "$SOCKLAB" check --json \
		--timeout 5 --name alice -- "$PY" "$STUDENTS/python/hello_server.py" \
		>"$TMP/out" 2>"$TMP/err" &
	CHK=$!
	PIDS+=("$CHK")
	# the silent probe waits 5 s on this server: time enough to stop it
	wait_for_text "$TMP/out" '"probe":"concurrent"' 30
	srv=$(sed -n 's/.*"probe":"start".*(pid \([0-9]*\), a process group.*/\1/p' "$TMP/out")
	[ -n "$srv" ]
	kill -0 "$srv"
	kill -INT "$CHK"
	wait_exit "$CHK" 10
	cat "$TMP/err"
	[ "$STATUS" -eq 1 ]
	grep -F 'socklab check: stopped before the end' "$TMP/err"
	wait_gone "$srv" 5
}

@test "check: usage errors exit 2 with a pointer to --help" {
	run "$SOCKLAB" check
	[ "$status" -eq 2 ]
	[[ "$output" == *"no server command: give it after --"* ]]
	run "$SOCKLAB" check --timeout soon -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad value \"soon\" for --timeout"*"see 'socklab check --help'"* ]]
	run "$SOCKLAB" check --name "" -- true
	[ "$status" -eq 2 ]
	run "$SOCKLAB" check --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: socklab check [--name NAME] [--json] [--timeout S] -- SERVER_COMMAND..."* ]]
	run "$SOCKLAB" help check
	[ "$status" -eq 0 ]
}

@test "check: a command that does not exist is a failed start, said in words" {
	run "$SOCKLAB" check --json -- ./no-such-server
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == *'"verdict":"fail"'*'cannot start \"./no-such-server\": no such program'* ]]
}
