#!/usr/bin/env bats
# UDP and nc habits: socklab server -u answers each datagram over
# 127.0.0.1 and ::1 (socklab's client and python3 peers), its log lines
# escaped and bounded, its --json events; socklab client -u sends one
# datagram and waits for the answer, says why when none comes; server
# -l/-k as nc users type them; the client's HOST:PORT, [v6]:PORT and
# NAME from standard input.  Every wait is bounded; everything started
# is killed by PID in teardown.

bats_require_minimum_version 1.5.0
load helpers

# udp_peer HOST PORT DATA [TIMEOUT]: one datagram from a python3 socket,
# the answer printed as "FROM|REPLY" (Python's repr of the bytes)
udp_peer() {
	py - "$@" <<'PY'
import socket, sys
host, port, data = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode("latin-1")
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.settimeout(float(sys.argv[4]) if len(sys.argv) > 4 else 5)
s.sendto(data.decode("unicode_escape").encode("latin-1"), (host, port))
reply, frm = s.recvfrom(70000)
print("%s|%r" % (frm[0], reply))
PY
}

# udp_server_peer MODE: a python3 UDP socket on 127.0.0.1 that answers
# MODE ("silent": nothing, else that text); sets UPEER and UPORT
udp_server_peer() {
	"${PY:-python3}" -I -S -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print("port", s.getsockname()[1], flush=True)
s.settimeout(30)
while True:
    data, peer = s.recvfrom(65536)
    if sys.argv[1] != "silent":
        s.sendto(sys.argv[1].encode(), peer)
' "$1" >"$TMP/upeer.out" 2>&1 &
	UPEER=$!
	PIDS+=("$UPEER")
	wait_for_line "$TMP/upeer.out" '^port [0-9]+$' 20
	UPORT=$(sed -n 's/^port //p' "$TMP/upeer.out")
}

# --- server -u ---------------------------------------------------------------

@test "server -u: each datagram over 127.0.0.1 and ::1 gets Hello, NAME! from the address it went to; one log line each" {
	start_server -u -p 0
	[ "$(head -n 1 "$TMP/srv.out")" = "listening on 127.0.0.1:$PORT and [::1]:$PORT (UDP)" ]
	run udp_peer 127.0.0.1 "$PORT" 'carol\n'
	[ "$output" = "127.0.0.1|b'Hello, carol!\\n'" ]
	run udp_peer ::1 "$PORT" 'dave'
	[ "$output" = "::1|b'Hello, dave!\\n'" ]
	run udp_peer 127.0.0.1 "$PORT" 'a\r\nb\n'
	[ "$output" = "127.0.0.1|b'Hello, a!\\nHello, b!\\n'" ]
	run udp_peer ::1 "$PORT" ''
	[ "$output" = "::1|b'ERR empty name\\n'" ]
	wait_for_line "$TMP/srv.out" '^answered \[::1\]:[0-9]+ "ERR empty name"$'
	grep -qE '^received "carol" from 127\.0\.0\.1:[0-9]+$' "$TMP/srv.out"
	grep -qE '^received "dave" from \[::1\]:[0-9]+$' "$TMP/srv.out"
	grep -qE '^received "b" from 127\.0\.0\.1:[0-9]+$' "$TMP/srv.out"
	! grep -q '^accepted\|^closed' "$TMP/srv.out"
	stop_server INT
	[ "$STATUS" -eq 0 ]
	[ "$(tail -n 1 "$TMP/srv.out")" = "stopped: answered 4 datagrams" ]
}

@test "server -u: a hostile datagram is answered, its log line escaped and bounded" {
	start_server -u -p 0 --max-line 16
	run udp_peer 127.0.0.1 "$PORT" 'ev\x1b[2Jil\x00\xff\n'
	[ "$output" = "127.0.0.1|b'Hello, ev\\x1b[2Jil\\x00\\xff!\\n'" ]
	# 60,000 bytes: over --max-line, one error back, one short log line
	run udp_peer 127.0.0.1 "$PORT" "$(printf 'x%.0s' $(seq 60000))"
	[ "$output" = "127.0.0.1|b'ERR line too long (max 16 bytes)\\n'" ]
	wait_for_line "$TMP/srv.out" '^answered 127\.0\.0\.1:[0-9]+ "ERR line too long \(max 16 bytes\)"$'
	grep -qF 'received "ev\x1b[2Jil\x00\xff" from 127.0.0.1:' "$TMP/srv.out"
	no_control_bytes "$TMP/srv.out"
	[ "$(awk '{ if (length($0) > 120) n++ } END { print n + 0 }' "$TMP/srv.out")" -eq 0 ]
}

@test "server -u --json: listening, received and stopped records with proto udp" {
	start_server -u -p 0 --json
	udp_peer ::1 "$PORT" 'erin' >/dev/null
	wait_for_text "$TMP/srv.out" '"name":"erin"'
	stop_server TERM
	py - "$TMP/srv.out" "$PORT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
port = sys.argv[2]
assert rows[0] == {"event": "listening", "addresses": ["127.0.0.1:" + port, "[::1]:" + port],
                   "proto": "udp"}, rows[0]
r = rows[1]
assert r["event"] == "received" and r["name"] == "erin" and r["local"] == "[::1]:" + port, r
assert r["peer"].startswith("[::1]:"), r
assert rows[-1] == {"event": "stopped", "datagrams": 1, "unsent": 0, "proto": "udp"}, rows[-1]
PY
}

@test "server -u --once: exits after the first datagram it answered" {
	start_server -u -p 0 --once
	run socklab_client -u -p "$PORT" frank
	[ "$output" = "Hello, frank!" ]
	wait_exit "$SRV" 5
	[ "$STATUS" -eq 0 ]
}

@test "server -u -b 0.0.0.0 in its own namespace: the answer leaves from the address the datagram went to" {
	[ "$(id -u)" -eq 0 ] || skip "needs root for a network namespace"
	unshare -n sh -c 'ip link set lo up && exec "$0" server -u -b 0.0.0.0 -p 0' \
		"$SOCKLAB" >"$TMP/srv.out" 2>"$TMP/srv.err" &
	SRV=$!
	PIDS+=("$SRV")
	wait_for_line "$TMP/srv.out" '^listening on 0\.0\.0\.0:[0-9]+ \(UDP\)$'
	PORT=$(first_port "$TMP/srv.out")
	# a connected socket (as nc -u and socklab's client use) takes only
	# a reply from the very address it sent to
	run nsenter -t "$SRV" -n "$SOCKLAB" client -u 127.0.0.2:"$PORT" gina
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, gina!" ]
	run nsenter -t "$SRV" -n "${PY:-python3}" -I -S -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"hal\n", ("127.0.0.3", int(sys.argv[1])))
print(s.recvfrom(100))' "$PORT"
	[ "$output" = "(b'Hello, hal!\\n', ('127.0.0.3', $PORT))" ]
	grep -qE '^received "hal" from 127\.0\.0\.1:[0-9]+$' "$TMP/srv.out"
}

@test "server -u: --max-conn and --idle-timeout mean nothing there (usage error); -l and -k as nc has them" {
	run --separate-stderr "$SOCKLAB" server -u --max-conn 3
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--max-conn and --idle-timeout mean nothing with -u: UDP has no connections"* ]]
	run --separate-stderr "$SOCKLAB" server -u --idle-timeout 3
	[ "$status" -eq 2 ]
	# nc -lk PORT, nc -l -k -p PORT
	start_server -lk -p 0
	run socklab_client -p "$PORT" ivan
	[ "$output" = "Hello, ivan!" ]
	stop_server
	start_server -l -k -u -p 0
	run socklab_client -u -p "$PORT" judy
	[ "$output" = "Hello, judy!" ]
}

# --- client -u ---------------------------------------------------------------

# socklab_client ARGS...: the client, stderr kept apart
socklab_client() {
	"$SOCKLAB" client "$@" 2>"$TMP/cl.err"
}

@test "client -u: both families, -4 and -6, HOST:PORT and [v6]:PORT, --json" {
	start_server -u -p 0
	run --separate-stderr "$SOCKLAB" client -u -p "$PORT" alice
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, alice!" ]
	[ -z "$stderr" ]
	run --separate-stderr "$SOCKLAB" client -u -4 -p "$PORT" bob
	[ "$output" = "Hello, bob!" ]
	wait_for_line "$TMP/srv.out" '^received "bob" from 127\.0\.0\.1:'
	run --separate-stderr "$SOCKLAB" client -u -6 -p "$PORT" carol
	[ "$output" = "Hello, carol!" ]
	wait_for_line "$TMP/srv.out" '^received "carol" from \[::1\]:'
	run --separate-stderr "$SOCKLAB" client -u "127.0.0.1:$PORT" dave
	[ "$output" = "Hello, dave!" ]
	run --separate-stderr "$SOCKLAB" client -u "[::1]:$PORT" erin
	[ "$output" = "Hello, erin!" ]
	run --separate-stderr "$SOCKLAB" client -u --json -H "127.0.0.1:$PORT" fay
	py -c 'import json, sys
o = json.loads(sys.argv[1])
assert list(o) == ["event", "local", "remote", "reply", "rtt_ms"], o
assert o["reply"] == "Hello, fay!" and o["remote"] == "127.0.0.1:" + sys.argv[2], o' "$output" "$PORT"
}

@test "client -u: nothing listens -> exit 1, port unreachable; localhost tries ::1 then 127.0.0.1" {
	local p
	p=$(free_port)
	run --separate-stderr "$SOCKLAB" client -u -H 127.0.0.1 -p "$p" alice
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "socklab client: nothing listens on UDP 127.0.0.1:$p: the kernel answered port unreachable (ICMP) — start \"socklab server -u -p $p\"" ]
	run --separate-stderr "$SOCKLAB" client -u -p "$p" alice
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "socklab client: UDP [::1]:$p refused (port unreachable), trying 127.0.0.1:$p" ]
	# a server on 127.0.0.1 only: the second address answers
	udp_server_peer 'Hello, alice!'
	run --separate-stderr "$SOCKLAB" client -u -p "$UPORT" alice
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, alice!" ]
	[ "$stderr" = "socklab client: UDP [::1]:$UPORT refused (port unreachable), trying 127.0.0.1:$UPORT" ]
}

@test "client -u -w 0.5 against a peer that never answers -> exit 1 after 0.5 s, says why UDP cannot tell" {
	udp_server_peer silent
	local t0=$(now_ms)
	run --separate-stderr "$SOCKLAB" client -u -w 0.5 -H 127.0.0.1 -p "$UPORT" alice
	[ "$status" -eq 1 ]
	[ $(($(now_ms) - t0)) -lt 4000 ]
	[[ "$stderr" == "socklab client: 1 datagram got no reply within 0.5 s from UDP 127.0.0.1:$UPORT: UDP has no handshake"* ]]
}

@test "client -u: an ERR reply exits 1, quoted; hostile reply bytes are printed escaped" {
	udp_server_peer 'ERR server busy'
	run --separate-stderr "$SOCKLAB" client -u -H 127.0.0.1 -p "$UPORT" alice
	[ "$status" -eq 1 ]
	[ "$stderr" = 'socklab client: the server refused: "ERR server busy"' ]
	kill "$UPEER"
	udp_server_peer $'Hi \x1b[2J\n'
	"$SOCKLAB" client -u -H 127.0.0.1 -p "$UPORT" alice >"$TMP/o.txt"
	[ "$(cat "$TMP/o.txt")" = 'Hi \x1b[2J' ]
	no_control_bytes "$TMP/o.txt"
}

@test "client -u -i: a datagram per line of stdin, every reply printed, exit 0 once all are answered" {
	start_server -u -p 0
	run --separate-stderr "$SOCKLAB" client -u -i -p "$PORT" < <(printf 'a\nb\nc')
	[ "$status" -eq 0 ]
	[ "$output" = $'Hello, a!\nHello, b!\nHello, c!' ]
	# ::1 first: the lines went there, none was refused
	[ "$(grep -c '^received ".*" from \[::1\]' "$TMP/srv.out")" -eq 3 ]
}

# --- NAME from standard input, HOST:PORT over TCP --------------------------

@test "client: NAME from standard input when it is not a terminal; HOST:PORT as nc users type it" {
	start_server -p 0
	run --separate-stderr bash -c "echo carol | '$SOCKLAB' client localhost $PORT"
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, carol!" ]
	run --separate-stderr bash -c "printf 'dave\r\n' | '$SOCKLAB' client 127.0.0.1:$PORT"
	[ "$output" = "Hello, dave!" ]
	run --separate-stderr bash -c "printf 'erin\nfay\n' | '$SOCKLAB' client '[::1]:$PORT'"
	[ "$output" = "Hello, erin!" ]
	[ "$stderr" = "socklab client: standard input has more than its first line: only that line is sent as NAME; use -i to send every line" ]
	# NAME given: stdin is not read; stdin empty: the login name
	run --separate-stderr bash -c "echo nobody | '$SOCKLAB' client -p $PORT gina"
	[ "$output" = "Hello, gina!" ]
	USER=zed run --separate-stderr "$SOCKLAB" client -p "$PORT" </dev/null
	[ "$output" = "Hello, zed!" ]
	run --separate-stderr bash -c "echo hal | '$SOCKLAB' client -u localhost $PORT"
	[ "$status" -eq 1 ]	# a TCP server: nothing on UDP
	[[ "$stderr" == *"nothing listens on UDP 127.0.0.1:$PORT"* ]]
}

@test "client: HOST:PORT with -p, a bad port, a silent stdin are errors that say so" {
	run --separate-stderr "$SOCKLAB" client -H localhost:5 -p 6 x
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"the port is given twice"* ]]
	run --separate-stderr "$SOCKLAB" client localhost:70000 x
	[ "$status" -eq 2 ]
	[[ "$stderr" == *'bad port "70000"'* ]]
	run --separate-stderr "$SOCKLAB" client -p 5 localhost:6
	[ "$status" -eq 2 ]
	run --separate-stderr "$SOCKLAB" client -u --hold 1 x
	[ "$status" -eq 2 ]
	# stdin open, nothing written: the timeout says what is awaited
	mkfifo "$TMP/in"
	exec 8<>"$TMP/in"
	run --separate-stderr "$SOCKLAB" client -w 0.3 -p 9 <"$TMP/in"
	exec 8>&-
	[ "$status" -eq 1 ]
	[[ "$stderr" == "socklab client: no NAME arrived on standard input within 0.3 s"* ]]
}
