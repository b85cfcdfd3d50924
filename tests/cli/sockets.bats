#!/usr/bin/env bats
# socklab sockets: the contract of the manual ("SOCKETS"), checked
# against ss taken at the same moment.  A python3 holder opens listeners,
# connections, a TIME_WAIT and UDP sockets on a port the kernel picks, so
# the rows compared are ours alone while other suites run; both sources
# (netlink and /proc/net) are compared.  Every wait is bounded; everything
# started here is killed by PID in teardown.

bats_require_minimum_version 1.5.0
load helpers

# keep the shared setup_file and teardown under other names, to extend them
eval "helpers_$(declare -f setup_file)"
eval "helpers_$(declare -f teardown)"

setup_file() {
	helpers_setup_file
	# the holder: FAMILIES (4, 6 or 46; with n, no connection is left in
	# the accept queue, so "connect" accepts its own), then commands on stdin:
	# connect, client-close, server-close; prints "port P", "ready" and
	# "done CMD".  --comm NAME renames the process first.
	cat >"$BATS_FILE_TMPDIR/hold.py" <<'PY'
import os, socket, sys, time
args = sys.argv[1:]
if args[0] == "--comm":
    with open("/proc/self/comm", "wb") as f:
        f.write(os.fsencode(args[1]))
    args = args[2:]
fams = [(socket.AF_INET, "127.0.0.1")] if "4" in args[0] else []
fams += [(socket.AF_INET6, "::1")] if "6" in args[0] else []
keep = []
port = 0
listeners = []
for fam, host in fams:
    l = socket.socket(fam)
    if fam == socket.AF_INET6:
        l.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    l.bind((host, port))
    port = l.getsockname()[1]
    l.listen(8)
    listeners.append((l, host))
for l, host in listeners:
    # one connection closed client first: the client end waits in TIME_WAIT
    c = socket.create_connection((host, port)); s, _ = l.accept()
    c.close(); s.recv(1); s.close()
    # two held open, and one the server never accepts
    for _ in range(2):
        c = socket.create_connection((host, port)); s, _ = l.accept()
        keep += [c, s]
    if "n" not in args[0]:
        keep.append(socket.create_connection((host, port)))
for fam, host in fams:
    u = socket.socket(fam, socket.SOCK_DGRAM); u.bind((host, port))
    v = socket.socket(fam, socket.SOCK_DGRAM); v.bind((host, 0))
    v.connect((host, port))
    keep += [u, v]
print("port", port, flush=True)
print("ready", flush=True)
cl = sv = None
for line in sys.stdin:
    cmd = line.strip()
    if cmd == "connect":
        l, host = listeners[0]
        cl = socket.create_connection((host, port)); sv, _ = l.accept()
    elif cmd == "client-close":
        cl.close()
    elif cmd == "server-close":
        sv.close()
    print("done", cmd, flush=True)
PY
	# rows of `socklab sockets --json` or of `ss -H...p` as sorted lines
	# "local remote STATE pid" (pid "-" when none; with ss, the lowest of
	# the pids that share the socket, as socklab reports the first one)
	cat >"$BATS_FILE_TMPDIR/rows.py" <<'PY'
import json, re, sys
ss_states = {"ESTAB": "ESTABLISHED", "SYN-SENT": "SYN_SENT",
             "SYN-RECV": "SYN_RECV", "FIN-WAIT-1": "FIN_WAIT1",
             "FIN-WAIT-2": "FIN_WAIT2", "TIME-WAIT": "TIME_WAIT",
             "CLOSE-WAIT": "CLOSE_WAIT", "LAST-ACK": "LAST_ACK",
             "LISTEN": "LISTEN", "CLOSING": "CLOSING", "UNCONN": "UNCONN",
             "CLOSED": "CLOSE"}
# ss writes the any address of a dual-stack socket as "*", socklab "[::]"
def addr(a):
    return "[::]" + a[1:] if a.startswith("*:") else a
kind, path = sys.argv[1], sys.argv[2]
with_pid = len(sys.argv) > 3
out = set()
for line in open(path):
    if not line.strip():
        continue
    if kind == "json":
        o = json.loads(line)
        row = [o["local"], o["remote"], o["state"], str(o["pid"] or "-")]
    else:
        f = line.split()
        if f[0] in ("tcp", "udp"):	# ss -tu adds a Netid column
            f = f[1:]
        pids = sorted(int(p) for p in re.findall(r"pid=(\d+)", line))
        row = [addr(f[3]), addr(f[4]), ss_states[f[0]],
               str(pids[0]) if pids else "-"]
    out.add(" ".join(row if with_pid else row[:3]))
print("\n".join(sorted(out)))
PY
}

teardown() {
	exec 7>&- 2>/dev/null || true
	helpers_teardown
}

# hold [--comm NAME] FAMILIES: starts the holder; sets HOLD (PID) and P
hold() {
	mkfifo "$TMP/ctl"
	"${PY:-python3}" -I -S "$BATS_FILE_TMPDIR/hold.py" "$@" \
		<"$TMP/ctl" >"$TMP/hold.out" 2>"$TMP/hold.err" 3>&- &
	HOLD=$!
	PIDS+=("$HOLD")
	exec 7>"$TMP/ctl"
	wait_for_line "$TMP/hold.out" '^ready$' 10 ||
		{ cat "$TMP/hold.err" >&2; return 1; }
	P=$(sed -n 's/^port //p' "$TMP/hold.out")
	[ -n "$P" ]
}

# tell CMD: a command to the holder, waiting until it is done
tell() {
	echo "$1" >&7
	wait_for_line "$TMP/hold.out" "^done $1\$"
}

rows() {	# json|ss FILE [pid]
	py "$BATS_FILE_TMPDIR/rows.py" "$@"
}

# same_rows SS_OPTS SOCKLAB_OPTS... : the port's rows by both tools
# ("local remote state pid") are the same set, and not empty
same_rows() {
	local ssopt=$1
	shift
	ss "-H$ssopt" "( sport = :$P or dport = :$P )" >"$TMP/ss.txt"
	"$SOCKLAB" sockets --json --port "$P" "$@" >"$TMP/sl.json"
	rows ss "$TMP/ss.txt" pid >"$TMP/ss.rows"
	rows json "$TMP/sl.json" pid >"$TMP/sl.rows"
	[ -s "$TMP/ss.rows" ]
	diff -u "$TMP/ss.rows" "$TMP/sl.rows"
}

# --- against ss, row for row ------------------------------------------------

@test "sockets -p: TCP over IPv4 and IPv6 equals ss -tanp, netlink source" {
	hold 46
	same_rows tanp -p --source netlink
	# every kind of row the holder made is there
	grep -q " LISTEN $HOLD\$" "$TMP/sl.rows"
	grep -q "^\[::1\]:$P \[::\]:\* LISTEN $HOLD\$" "$TMP/sl.rows"
	grep -q " TIME_WAIT -\$" "$TMP/sl.rows"
	grep -q " ESTABLISHED $HOLD\$" "$TMP/sl.rows"
	grep -q " ESTABLISHED -\$" "$TMP/sl.rows"	# not yet accepted
}

@test "sockets -p --source proc: the same rows from /proc/net" {
	hold 46
	same_rows tanp -p --source proc
	"$SOCKLAB" sockets --json --port "$P" -p --source netlink >"$TMP/nl.json"
	rows json "$TMP/nl.json" pid >"$TMP/nl.rows"
	diff -u "$TMP/nl.rows" "$TMP/sl.rows"
}

@test "sockets -u -p: UDP over both families equals ss -uanp, both sources" {
	hold 46
	same_rows uanp -u -p --source netlink
	grep -q "^127\.0\.0\.1:$P 0\.0\.0\.0:\* UNCONN $HOLD\$" "$TMP/sl.rows"
	grep -q "^\[::1\]:$P \[::\]:\* UNCONN $HOLD\$" "$TMP/sl.rows"
	grep -q " 127\.0\.0\.1:$P ESTABLISHED $HOLD\$" "$TMP/sl.rows"
	same_rows uanp -u -p --source proc
}

@test "sockets -t -u: both protocols; -4 and -6 keep one family" {
	hold 46
	same_rows tuanp -t -u -p
	same_rows tuanp4 -t -u -p -4
	! grep -q '\[' "$TMP/sl.rows"
	same_rows tuanp6 -t -u -p -6
	! grep -q '127\.0\.0\.1' "$TMP/sl.rows"
}

@test "sockets (no option): every TCP socket ss -tan lists, at the same moment" {
	# the whole table changes while other suites run: ss before and after;
	# what both saw must be listed, and nothing neither saw
	local try
	for try in 1 2 3 4 5; do
		ss -Htan >"$TMP/a.txt"
		"$SOCKLAB" sockets --json >"$TMP/sl.json"
		ss -Htan >"$TMP/c.txt"
		rows ss "$TMP/a.txt" >"$TMP/a.rows"
		rows ss "$TMP/c.txt" >"$TMP/c.rows"
		rows json "$TMP/sl.json" >"$TMP/sl.rows"
		if [ -z "$(comm -12 "$TMP/a.rows" "$TMP/c.rows" | comm -23 - "$TMP/sl.rows")" ] &&
		   [ -z "$(sort -u "$TMP/a.rows" "$TMP/c.rows" | comm -13 - "$TMP/sl.rows")" ]; then
			return 0
		fi
	done
	comm -3 "$TMP/a.rows" "$TMP/sl.rows" >&2
	return 1
}

# --- filters ----------------------------------------------------------------

@test "sockets -l: listening sockets only; -u -l: the unconnected UDP ones" {
	hold 46
	run --separate-stderr "$SOCKLAB" sockets -l --port "$P" --json
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "$(grep -c '"state":"LISTEN"' <<<"$output")" -eq 2 ]
	run --separate-stderr "$SOCKLAB" sockets -l -u --port "$P" --json
	[ "${#lines[@]}" -eq 2 ]
	[ "$(grep -c '"state":"UNCONN"' <<<"$output")" -eq 2 ]
}

@test "sockets --state: netstat and ss names, any case, lists with commas" {
	hold 4
	run --separate-stderr "$SOCKLAB" sockets -4 --state TIME_WAIT --port "$P" --json
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *'"state":"TIME_WAIT","recv_q":0,"send_q":0,"pid":null'* ]]
	run --separate-stderr "$SOCKLAB" sockets -4 --state time-wait --port "$P" --json
	[ "${#lines[@]}" -eq 1 ]
	# 2 held pairs and the one not accepted: 6 ends
	run --separate-stderr "$SOCKLAB" sockets -4 --state estab --port "$P" --json
	[ "${#lines[@]}" -eq 6 ]
	run --separate-stderr "$SOCKLAB" sockets -4 --state listen,Time-Wait --port "$P" --json
	[ "${#lines[@]}" -eq 2 ]
	run --separate-stderr "$SOCKLAB" sockets -4 --state listen --state established --port "$P" -a --json
	[ "${#lines[@]}" -eq 7 ]
}

@test "sockets --port matches either end" {
	hold 4
	local cport
	cport=$("$SOCKLAB" sockets --json --port "$P" --state estab |
		grep -oE "\"local\":\"127\.0\.0\.1:[0-9]+\",\"remote\":\"127\.0\.0\.1:$P\"" |
		head -n 1 | grep -oE ':[0-9]+' | head -n 1 | tr -d :)
	[ -n "$cport" ]
	run --separate-stderr "$SOCKLAB" sockets --port "$cport" --json
	[ "$status" -eq 0 ]
	# both ends of that connection (another suite may use the number too)
	grep -qF "\"local\":\"127.0.0.1:$cport\",\"remote\":\"127.0.0.1:$P\"" <<<"$output"
	grep -qF "\"local\":\"127.0.0.1:$P\",\"remote\":\"127.0.0.1:$cport\"" <<<"$output"
	[ "$(grep -cE ":$cport\"" <<<"$output")" -eq "${#lines[@]}" ]
}

# --- output -----------------------------------------------------------------

@test "sockets --json: one object per line, exactly the documented keys" {
	hold 46
	"$SOCKLAB" sockets --json -p -t -u --port "$P" >"$TMP/out.json"
	py - "$TMP/out.json" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) >= 10, lines
for l in lines:
    o = json.loads(l)
    assert list(o) == ["proto", "local", "remote", "state", "recv_q",
                       "send_q", "pid", "program", "uid", "inode"], o
    assert isinstance(o["recv_q"], int) and isinstance(o["send_q"], int)
    assert o["proto"] in ("tcp", "tcp6", "udp", "udp6")
    assert o["pid"] is None or isinstance(o["pid"], int)
    assert o["program"] is None or isinstance(o["program"], str)
    assert isinstance(o["uid"], int) and isinstance(o["inode"], int)
    if o["proto"].endswith("6"):
        assert o["local"].startswith("[::1]:"), o
PY
}

@test "sockets -p: an aligned netstat-like table, words for queues and timers" {
	hold 4
	run --separate-stderr "$SOCKLAB" sockets -p --port "$P"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "${lines[0]}" =~ ^Proto\ +Recv-Q\ +Send-Q\ +Local\ Address\ +Foreign\ Address\ +State\ +PID/Program\ +Notes$ ]]
	# every column starts where its header does
	local col
	col=$(awk 'NR == 1 { print index($0, "State") }' <<<"$output")
	[ "$(awk -v c="$col" 'NR > 1 && substr($0, c - 2, 2) != "  " { bad++ } END { print bad + 0 }' <<<"$output")" -eq 0 ]
	grep -qE "^tcp +1 +8 +127\.0\.0\.1:$P +0\.0\.0\.0:\* +LISTEN +$HOLD/python[0-9.]* +1 waiting to be accepted, backlog 8$" <<<"$output"
	grep -qE "^tcp +0 +0 +127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:$P +TIME_WAIT +- +[0-9]+ s left$" <<<"$output"
	grep -qE "^tcp +0 +0 +127\.0\.0\.1:$P +127\.0\.0\.1:[0-9]+ +ESTABLISHED +- +not yet accepted$" <<<"$output"
	# the numbers stand right-aligned under their headers, as netstat's
	col=$(awk 'NR == 1 { print index($0, "Send-Q") + 5 }' <<<"$output")
	[ "$(awk -v c="$col" 'NR > 1 && substr($0, c, 1) !~ /[0-9]/ { bad++ } END { print bad + 0 }' <<<"$output")" -eq 0 ]
}

@test "sockets -p: a program name with control bytes reaches the terminal escaped" {
	hold --comm $'ev\x1b[2Jil' 4
	"$SOCKLAB" sockets -p -l --port "$P" >"$TMP/out.txt"
	grep -qF "$HOLD/ev\\x1b[2Jil" "$TMP/out.txt"
	no_control_bytes "$TMP/out.txt"
	"$SOCKLAB" sockets -p -l --port "$P" --json >"$TMP/out.json"
	grep -qF '"program":"ev\u001b[2Jil"' "$TMP/out.json"
}

@test "sockets -p: a program name in any script shows as typed, and the columns still line up" {
	local name=$'Jos\u00e9\u2014\u65e5\u672c'	# José—日本: 14 bytes, 7 columns
	hold --comm "$name" 4
	"$SOCKLAB" sockets -p --port "$P" >"$TMP/out.txt"
	grep -qF "$HOLD/$name " "$TMP/out.txt"
	! grep -qF '\x' "$TMP/out.txt"
	# every cell starts at its header's column, counted in columns
	py - "$TMP/out.txt" <<'PY'
import re, sys, unicodedata
def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else
               0 if unicodedata.combining(c) else 1 for c in s)
def cells(l):
    """(start column, end column) of each cell"""
    return [(cols(l[:m.start()]), cols(l[:m.end()]))
            for m in re.finditer(r"(?:^|(?<=  ))\S.*?(?=  |$)", l)]
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
head = cells(lines[0])
assert len(head) == 8, lines[0]
named = [l for l in lines[1:] if "/Jos" in l]
assert named and any(len(cells(l)) == 8 for l in named), lines
for l in lines[1:]:
    c = cells(l)
    # Recv-Q and Send-Q end where their headers do, the rest start there
    assert [e for _, e in c[1:3]] == [e for _, e in head[1:3]], (l, c, head)
    assert {b for b, _ in c[:1] + c[3:]} <= {b for b, _ in head}, (l, c, head)
PY
	"$SOCKLAB" sockets -p --port "$P" --json >"$TMP/out.json"
	grep -qF "\"program\":\"$name\"" "$TMP/out.json"
}

@test "sockets -p as another user: '-' for hidden owners and one footer line" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to run as nobody"
	command -v setpriv >/dev/null || skip "no setpriv"
	hold 4
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SOCKLAB" sockets -p --port "$P"
	[ "$status" -eq 0 ]
	grep -qE "LISTEN +- +1 waiting" <<<"$output"
	[[ "${lines[-1]}" =~ ^[0-9]+\ sockets\ belong\ to\ processes\ of\ other\ users\;\ run\ with\ sudo\ to\ see\ their\ owners$ ]]
	# NDJSON stays clean: the footer goes to stderr
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SOCKLAB" sockets -p --port "$P" --json
	[ "$status" -eq 0 ]
	[[ "$output" != *belong* ]]
	[[ "$stderr" == *"run with sudo to see their owners"* ]]
}

# --- usage ------------------------------------------------------------------

@test "sockets: bad state, port, source or argument is a usage error (exit 2)" {
	run --separate-stderr "$SOCKLAB" sockets --state bogus
	[ "$status" -eq 2 ]
	[[ "$stderr" == "socklab sockets: unknown state \"bogus\": use one of LISTEN ESTABLISHED SYN_SENT"*"TIME_WAIT"*"UNCONN; see 'socklab sockets --help'" ]]
	run --separate-stderr "$SOCKLAB" sockets --port 0
	[ "$status" -eq 2 ]
	run --separate-stderr "$SOCKLAB" sockets --source carrier-pigeon
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"use auto, netlink or proc"* ]]
	run --separate-stderr "$SOCKLAB" sockets extra
	[ "$status" -eq 2 ]
	run --separate-stderr "$SOCKLAB" sockets --watch 0
	[ "$status" -eq 2 ]
	run --separate-stderr "$SOCKLAB" sockets -Q
	[ "$status" -eq 2 ]
	run "$SOCKLAB" sockets --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--watch [S]"* ]]
}

# --- --watch ----------------------------------------------------------------

@test "sockets --watch 0.05: a loopback connection from ESTABLISHED to TIME_WAIT" {
	hold 4n
	"$SOCKLAB" sockets --watch 0.05 -p --port "$P" >"$TMP/w.out" 2>"$TMP/w.err" 3>&- &
	local w=$!
	PIDS+=("$w")
	local t='^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} '
	wait_for_line "$TMP/w.out" "${t}= LISTEN tcp 127\.0\.0\.1:$P 0\.0\.0\.0:\* $HOLD/"
	tell connect
	wait_for_line "$TMP/w.out" "${t}\+ ESTABLISHED tcp 127\.0\.0\.1:[0-9]+ 127\.0\.0\.1:$P $HOLD/"
	local cport
	cport=$(grep -E "\+ ESTABLISHED tcp 127\.0\.0\.1:[0-9]+ 127\.0\.0\.1:$P " "$TMP/w.out" |
		grep -oE 'tcp 127\.0\.0\.1:[0-9]+' | cut -d: -f2)
	tell client-close
	wait_for_line "$TMP/w.out" "${t}~ ESTABLISHED -> FIN_WAIT[12] tcp 127\.0\.0\.1:$cport 127\.0\.0\.1:$P"
	wait_for_line "$TMP/w.out" "${t}~ ESTABLISHED -> CLOSE_WAIT tcp 127\.0\.0\.1:$P 127\.0\.0\.1:$cport $HOLD/"
	tell server-close
	wait_for_line "$TMP/w.out" "${t}~ FIN_WAIT[12] -> TIME_WAIT tcp 127\.0\.0\.1:$cport 127\.0\.0\.1:$P -"
	wait_for_line "$TMP/w.out" "${t}- (CLOSE_WAIT|LAST_ACK) tcp 127\.0\.0\.1:$P 127\.0\.0\.1:$cport"
	kill -INT "$w"
	wait_exit "$w" 5
	[ "$STATUS" -eq 0 ]
	[ ! -s "$TMP/w.err" ]
}

@test "sockets --watch --json: change records, SIGTERM ends with status 0" {
	hold 6
	"$SOCKLAB" sockets --watch 0.05 --json --port "$P" -l >"$TMP/w.out" 3>&- &
	local w=$!
	PIDS+=("$w")
	wait_for_text "$TMP/w.out" '"change":"=","from":null,"proto":"tcp6","local":"[::1]:'"$P"'","remote":"[::]:*","state":"LISTEN"'
	kill -TERM "$w"
	wait_exit "$w" 5
	[ "$STATUS" -eq 0 ]
	py - "$TMP/w.out" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    assert list(o)[:3] == ["time", "change", "from"], o
PY
}
