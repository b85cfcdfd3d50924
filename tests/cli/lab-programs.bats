#!/usr/bin/env bats
# socklab lab around the student's own programs (--server/--client, and
# --watch with the programs started by the test as a person would), each
# run in a network namespace of its own so ports are free and nothing else
# is captured.  Fixtures are written here in the shapes tutorials take.

# the waits, exported into the namespaces' shells
source "$BATS_TEST_DIRNAME/wait.bash"

setup_file() {
	unshare -n true 2>/dev/null || return 0
	F=$BATS_FILE_TMPDIR
	export F
	cat >"$F/server.py" <<'EOF'
# the tutorial's server: accept one client, print what it sent, close
import socket, sys
port = int(sys.argv[1])
host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
family = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
s.listen(1)
conn, addr = s.accept()
data = conn.recv(1024)
print("received:", data.decode())
conn.sendall(b"thanks\n")
conn.close()
EOF
	cat >"$F/client.py" <<'EOF'
# the tutorial's client: connect, send the name (no newline), exit at once
import socket, sys, time
port = int(sys.argv[1])
host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
msg = (sys.argv[3] if len(sys.argv) > 3 else "alice").encode()
family = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_STREAM)
s.connect((host, port))
if len(sys.argv) > 4:          # in two pieces, with a pause
    s.sendall(msg[:3]); time.sleep(0.3); s.sendall(msg[3:])
else:
    s.sendall(msg)
s.close()
EOF
	cat >"$F/holder.py" <<'EOF'
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
print("holding", flush=True); time.sleep(30)
EOF
	cat >"$F/server.c" <<'EOF'
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1, c;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(59124) };
	char buf[256];
	ssize_t n;

	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 5) < 0)
		return perror("bind"), 1;
	c = accept(s, NULL, NULL);
	n = read(c, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("got %s\n", buf);
	write(c, "Hello\n", 6);
	close(c);
	return 0;
}
EOF
	cat >"$F/client.c" <<'EOF'
#include <arpa/inet.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(59124) };
	char buf[64];

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		return 1;
	write(s, argv[1], strlen(argv[1]));
	read(s, buf, sizeof(buf));
	close(s);
	return 0;
}
EOF
}

need_ns() {
	unshare -n true 2>/dev/null || skip "no network namespaces here (needs root)"
}

# Runs a shell script in a namespace of its own with lo up, from $F.
in_ns() {
	unshare -n bash -c 'ip link set lo up && cd "$F" && eval "$1"' ns "$1"
}

lab() {	# OUT SERVER CLIENT [more lab options]
	local out=$1 srv=$2 cli=$3
	shift 3
	"$SOCKLAB" lab --server "$srv" --client "$cli" --out "$F/$out" --no-images "$@"
}
export -f lab

json() {	# FILE EXPRESSION over j
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

@test "python server and a client that sends the name without newline and exits at once: every step verified" {
	need_ns
	run in_ns 'lab py "python3 server.py 59123" "python3 client.py 59123" --name alice'
	echo "$output"
	[ "$status" -eq 0 ]
	d=$F/py
	# LISTEN and both ESTABLISHED ends, with the student's pids and program
	grep -E 'tcp +[0-9]+ +[0-9]+ +127\.0\.0\.1:59123 +0\.0\.0\.0:\* +LISTEN +[0-9]+/python3' "$d/alice_listening.txt"
	[ "$(sed -n '/^\$ socklab sockets/,/^$/p' "$d/alice_established.txt" | grep -cE ' ESTABLISHED +[0-9]+/python3')" -eq 2 ]
	grep -qE '^verified: client 127\.0\.0\.1:[0-9]+ \(pid [0-9]+, python3\) and server 127\.0\.0\.1:59123 \(pid [0-9]+\) are both ESTABLISHED' "$d/alice_established.txt"
	# netstat, run while the client was held, saw both ends too
	if grep -q '^\$ netstat -tanp .*at the same moment' "$d/alice_established.txt"; then
		[ "$(sed -n '/^\$ netstat -tanp/,/^verified/p' "$d/alice_established.txt" | grep -cE ' ESTABLISHED +[0-9]+/python3')" -eq 2 ]
	fi
	# what the programs printed
	grep -q 'received: alice' "$d/alice_message.txt"
	# the frame that tshark finds the name in is the one the lab names
	want=$(tshark -r "$d/alice_packet.pcapng" -Y 'tcp.payload contains "alice"' -T fields -e frame.number)
	[ -n "$want" ]
	[ "$(json "$d/alice_report.json" "j['name_frames']")" = "[$want]" ]
	grep -q "frame $want carries the name" "$d/alice_packet.txt"
	[ "$(json "$d/alice_report.json" "j['programs']['server_command']")" = "python3 server.py 59123" ]
	[ "$(json "$d/alice_report.json" "j['port']")" = 59123 ]
}

@test "the code handed in is the student's files, hashed and numbered" {
	need_ns
	[ -d "$F/py" ] || skip "needs the first test's run"
	c=$F/py/alice_code.txt
	for f in server.py client.py; do
		sum=$(sha256sum "$F/$f" | cut -d' ' -f1)
		lines=$(wc -l <"$F/$f")
		grep -q "^==> $f  (SHA-256 $sum, $lines lines)" "$c"
	done
	grep -qE '^ +1  # the tutorial.s server' "$c"
	! grep -q 'sl_server_run' "$c"
}

@test "a name sent in two segments is found across them, and both frames are named" {
	need_ns
	run in_ns 'lab split "python3 server.py 59123" "python3 client.py 59123 127.0.0.1 alice\\n split" --name alice'
	echo "$output"
	[ "$status" -eq 0 ]
	d=$F/split
	frames=$(json "$d/alice_report.json" "' '.join(map(str, j['name_frames']))")
	[ "$(echo $frames | wc -w)" -eq 2 ]
	grep -q 'the name was split over 2 packets\|The name was split over 2 packets' "$d/alice_packet.txt"
	# tshark agrees: those two payloads, in order, spell the name
	got=$(for f in $frames; do tshark -r "$d/alice_packet.pcapng" -Y "frame.number==$f" -T fields -e tcp.payload; done | tr -d '\n' | xxd -r -p)
	[[ "$got" == alice* ]]
}

@test "a UTF-8 name inside a longer message, over IPv6" {
	need_ns
	run in_ns 'lab v6 "python3 server.py 59123 ::1" "python3 client.py 59123 ::1 \"user: José\"" --name José'
	echo "$output"
	[ "$status" -eq 0 ]
	d=$F/v6
	grep -q "Y 'ipv6.addr==::1'" "$d/José_packet.txt"
	grep -E 'tcp6 +[0-9]+ +[0-9]+ +\[::1\]:59123 +\[::\]:\* +LISTEN' "$d/José_listening.txt"
}

@test "a server that exits at once because the port is held: its error and who holds the port" {
	need_ns
	run in_ns 'python3 holder.py 59123 >holder.out & wait_for_text holder.out holding || exit 11
		lab held "python3 server.py 59123" "python3 client.py 59123" --name alice; rc=$?; kill $!; exit $rc'
	echo "$output"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q 'Address already in use'
	echo "$output" | grep -E 'FAILED: the server exited: it could not bind 127\.0\.0\.1:59123 because port 59123 is in use by pid [0-9]+ \(python3\)'
}

@test "server on 127.0.0.1 only, client to ::1: the mismatch and the fix" {
	need_ns
	run in_ns 'lab mis "python3 server.py 59123" "python3 client.py 59123 ::1" --name alice'
	echo "$output"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q 'it connected to \[::1\]:59123, but the server listens on 127.0.0.1:59123 only'
	echo "$output" | grep -q 'connect to 127.0.0.1 in the client'
}

@test "a server on 0.0.0.0 and a port at or below 59000 are reported, not hidden" {
	need_ns
	run in_ns 'lab any "python3 server.py 8080 0.0.0.0" "python3 client.py 8080" --name alice'
	echo "$output"
	[ "$status" -eq 0 ]
	notes=$(json "$F/any/alice_report.json" "' | '.join(n['level'] + ': ' + n['text'] for n in j['notes'])")
	echo "$notes" | grep -q 'warning: port 8080 is at or below 59000'
	echo "$notes" | grep -q 'warning: the server listens on 0.0.0.0:8080, every address of this machine'
}

@test "a client that never sends the name: what it sent instead" {
	need_ns
	run in_ns 'lab noname "python3 server.py 59123" "python3 client.py 59123 127.0.0.1 hello" --name alice'
	echo "$output"
	[ "$status" -eq 1 ]
	echo "$output" | grep -q 'FAILED: the name never appeared in what the client sent; it sent "hello"'
}

@test "a program that hangs is bounded by --timeout and says what it waits on" {
	need_ns
	SECONDS=0
	run in_ns 'lab hang "sleep 31.25" "python3 client.py 59123" --name alice --timeout 1'
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$SECONDS" -lt 20 ]
	echo "$output" | grep -qE 'FAILED: the server did not listen within 1 s: sleep \(pid [0-9]+\): it is sleeping'
	! pgrep -f '^sleep 31.25$' >/dev/null || { pgrep -af '^sleep 31.25$'; false; }
}

@test "a C server and client, compiled from tutorial-style sources" {
	need_ns
	command -v cc >/dev/null || skip "no C compiler"
	cc -o "$F/server" "$F/server.c" 2>/dev/null && cc -o "$F/client" "$F/client.c" 2>/dev/null
	run in_ns 'lab c ./server "./client alice" --name alice'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -E 'LISTEN +[0-9]+/server' "$F/c/alice_listening.txt"
	# the binaries are not code: their sources beside them are
	grep -q '^==> ./server.c  (SHA-256 .*the source of ./server)' "$F/c/alice_code.txt"
}

@test "a node server and client, when node is installed" {
	need_ns
	command -v node >/dev/null || skip "node is not installed"
	cat >"$F/server.js" <<'EOF'
const net = require('net');
const srv = net.createServer((c) => {
  c.on('data', (d) => { console.log('got ' + d); c.end('Hello\n'); srv.close(); });
});
srv.listen(59125, '127.0.0.1');
EOF
	cat >"$F/client.js" <<'EOF'
const net = require('net');
const c = net.connect(59125, '127.0.0.1', () => { c.write('alice\n'); });
c.on('data', () => c.end());
EOF
	run in_ns 'lab node "node server.js" "node client.js" --name alice'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -E 'LISTEN +[0-9]+/node' "$F/node/alice_listening.txt"
}

@test "lab --watch: the programs started by hand, each piece saved as it is seen" {
	need_ns
	run in_ns '
		"$SOCKLAB" lab --watch --name alice --out "$F/w" --no-images >"$F/w.out" 2>&1 &
		lab=$!
		wait_for() { wait_for_line "$F/w.out" "$1" 10; }
		wait_for "waiting for a socket listening on a port above 59000" || exit 11
		python3 server.py 59123 >/dev/null &
		wait_for "saved .*alice_listening.txt" || exit 12
		wait_for "waiting for a client to connect to port 59123" || exit 13
		python3 client.py 59123
		wait $lab'
	cat "$F/w.out"
	[ "$status" -eq 0 ]
	for k in listening established message packet; do
		grep -q "saved $F/w/alice_$k.txt" "$F/w.out"
		[ -s "$F/w/alice_$k.txt" ]
	done
	grep -qE 'LISTEN on 59123 by pid [0-9]+ \(.*python3 server.py 59123\)' "$F/w.out"
	grep -q '"alice"' "$F/w/alice_message.txt"
	# the code comes from the server's command line and folder
	grep -q '^==> .*server.py  (SHA-256' "$F/w/alice_code.txt"
}

@test "lab --watch stopped with Ctrl-C keeps what it saw and says what is missing" {
	need_ns
	run in_ns '
		"$SOCKLAB" lab --watch --name alice --out "$F/wc" --no-images >"$F/wc.out" 2>&1 &
		lab=$!
		wait_for() { for i in $(seq 200); do grep -q "$1" "$F/wc.out" && return 0; sleep 0.05; done; return 1; }
		wait_for "waiting for a socket listening" || exit 11
		python3 server.py 59123 >/dev/null & srv=$!
		wait_for "waiting for a client to connect" || exit 12
		kill -INT $lab
		wait $lab; rc=$?; kill $srv; exit $rc'
	cat "$F/wc.out"
	[ "$status" -eq 1 ]
	[ -s "$F/wc/alice_listening.txt" ]
	grep -q 'LISTEN' "$F/wc/alice_listening.txt"
	grep -q 'skipped: no client connected to port 59123 while the lab watched: start yours' "$F/wc.out"
	[ "$(json "$F/wc/alice_report.json" "j['steps'][3]['status']")" = skipped ]
}

# The fixtures of tests/students, as real tutorial programs, through the
# lab: what each pair must give.
@test "the tutorial-shaped fixtures of tests/students through the lab" {
	need_ns
	S=$BATS_TEST_DIRNAME/../students/python
	while IFS='|' read -r srv cli rc want; do
		run in_ns "\"\$SOCKLAB\" lab --server 'python3 $S/$srv 59123' --client 'python3 $S/$cli 59123 alice' --name alice --out \"\$F/fx\" --no-images"
		[ "$status" -eq "$rc" ] || { echo "$srv + $cli: exit $status, wanted $rc"; echo "$output"; false; }
		echo "$output" | grep -qF -- "$want" || { echo "$srv + $cli: no \"$want\""; echo "$output"; false; }
	done <<'PAIRS'
print_close_server.py|bytes_client.py|0|are both ESTABLISHED
hello_server.py|user_line_client.py|0|the client sent the name
threaded_server.py|split_client.py|0|the name is split over 2
hello_server.py|nameless_client.py|1|it sent "hello server
hello_server.py|v6_client.py|1|but the server listens on 127.0.0.1:59123 only
v6_server.py|bytes_client.py|1|but the server listens on [::1]:59123 only
bind_typo_server.py|bytes_client.py|1|before it listened
PAIRS
}

@test "lab --server without --client, or --watch with --server, is a usage error" {
	run "$SOCKLAB" lab --server 'python3 s.py'
	[ "$status" -eq 2 ]
	echo "$output" | grep -q -- '--server needs --client too'
	run "$SOCKLAB" lab --watch --server 'python3 s.py' --client x
	[ "$status" -eq 2 ]
	run "$SOCKLAB" lab --server a --client b -p 59123
	[ "$status" -eq 2 ]
}
