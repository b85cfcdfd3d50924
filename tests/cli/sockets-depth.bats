#!/usr/bin/env bats
# socklab sockets in depth: Recv-Q/Send-Q, -i -o -m -e, -x, -s, --stats,
# -K and --watch for short-lived sockets, each against ss or nstat taken
# on the same sockets at the same moment.  Where counters or the whole
# table must be exact, the test runs in a network namespace of its own
# (unshare -n, held by a sleeping process that nsenter joins), so other
# suites running at the same time cannot move them.  Every wait is
# bounded; everything started is killed by PID in teardown.

bats_require_minimum_version 1.5.0
load helpers

eval "helpers_$(declare -f teardown)"

teardown() {
	exec 7>&- 2>/dev/null || true
	helpers_teardown
}

# netns: a network namespace of our own, lo up; NS is the PID holding it
netns() {
	[ "$(id -u)" -eq 0 ] || skip "needs root for a network namespace"
	unshare -n sh -c 'ip link set lo up && echo up && exec sleep 300' \
		>"$TMP/ns.out" 2>&1 &
	NS=$!
	PIDS+=("$NS")
	wait_for_line "$TMP/ns.out" '^up$'
}

# inns CMD...: CMD in that namespace (in the background, call nsenter
# itself: $! of a function is a subshell's, not the command's)
inns() {
	nsenter -t "$NS" -n "$@"
}

# depth MODE: tests/cli/peers/depth.py MODE (in the namespace when NS is
# set), its stdin our fd 7; sets PEER and P (its port) or D (its folder)
depth() {
	local pre=()
	[ -n "${NS:-}" ] && pre=(nsenter -t "$NS" -n)
	mkfifo "$TMP/ctl"
	"${pre[@]}" "${PY:-python3}" -I -S "$PEERS/depth.py" "$1" \
		<"$TMP/ctl" >"$TMP/depth.out" 2>"$TMP/depth.err" &
	PEER=$!
	PIDS+=("$PEER")
	exec 7>"$TMP/ctl"
	wait_for_line "$TMP/depth.out" '^ready$' 20 ||
		{ cat "$TMP/depth.err" >&2; return 1; }
	P=$(sed -n 's/^port //p' "$TMP/depth.out")
	D=$(sed -n 's/^dir //p' "$TMP/depth.out")
}

tell() {
	echo "$1" >&7
	wait_for_line "$TMP/depth.out" "^done $1\$"
}

# queues JSON-FILE: "local remote state recv_q send_q" lines, sorted
queues() {
	py -c 'import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    print(o["local"], o["remote"], o["state"], o["recv_q"], o["send_q"])' "$1" | sort
}

# ss_queues SS-OPTIONS FILTER...: the same from ss -H
ss_queues() {
	local opt=$1
	shift
	ss "-H$opt" "$@" | awk '{
		st = $1; sub(/ESTAB/, "ESTABLISHED", st); sub(/-/, "_", st)
		a = $4; b = $5; if (b ~ /^\*:/) b = "[::]:" substr(b, 3)
		print a, b, st, $2, $3 }' | sort
}

# --- Recv-Q and Send-Q -------------------------------------------------

@test "a server that never reads: Recv-Q grows with what the client sends, as ss shows it" {
	depth noread
	local want
	for n in 3000 7000; do
		tell "send $n"
		want=$((want + n))
		# loopback delivers at once; wait (bounded) until ss agrees too
		wait_until 5 sh -c "ss -Htn 'sport = :$P' | grep -q '^ESTAB *$want '"
		"$SOCKLAB" sockets --json --port "$P" >"$TMP/sl.json"
		queues "$TMP/sl.json" >"$TMP/sl.q"
		ss_queues tan "( sport = :$P or dport = :$P )" >"$TMP/ss.q"
		diff -u "$TMP/ss.q" "$TMP/sl.q"
		grep -q " ESTABLISHED $want 0\$" "$TMP/sl.q"
	done
	run --separate-stderr "$SOCKLAB" sockets --port "$P" --state established
	[ "$status" -eq 0 ]
	grep -qE "^tcp +$want +0 +127\.0\.0\.1:$P +127\.0\.0\.1:[0-9]+ +ESTABLISHED +$want bytes received, not yet read by its program$" <<<"$output"
}

@test "a listener with backlog 1 that never accepts: LISTEN 2 1 as ss, the queue full in words, ListenOverflows counted as nstat counts it" {
	netns
	depth backlog
	inns "$SOCKLAB" sockets --json -l >"$TMP/sl.json"
	queues "$TMP/sl.json" >"$TMP/sl.q"
	inns ss -Htln | awk '{ print $4, $5, $1, $2, $3 }' >"$TMP/ss.q"
	diff -u "$TMP/ss.q" "$TMP/sl.q"
	grep -q "^127.0.0.1:$P 0.0.0.0:\* LISTEN 2 1\$" "$TMP/sl.q"
	run --separate-stderr inns "$SOCKLAB" sockets -l
	grep -qE "^tcp +2 +1 +127\.0\.0\.1:$P .* LISTEN +2 waiting to be accepted, backlog 1: the queue is full, new connections wait or are dropped until the server calls accept\(\)$" <<<"$output"
	# one more SYN: dropped, and counted
	export SOCKLAB_STATS_HISTORY=$TMP/hist
	inns "$SOCKLAB" sockets --stats >/dev/null
	inns nstat -az >/dev/null	# nstat's own history: from here
	tell connect
	wait_until 5 sh -c "nsenter -t $NS -n nstat -az TcpExtListenOverflows | grep -qE 'TcpExtListenOverflows +[1-9]'"
	inns nstat -az >"$TMP/nstat.txt"
	inns "$SOCKLAB" sockets --stats --json >"$TMP/stats.json"
	py - "$TMP/nstat.txt" "$TMP/stats.json" <<'PY'
import json, sys
nstat = {}
for l in open(sys.argv[1]):
    f = l.split()
    if len(f) >= 2 and f[1].isdigit():
        nstat[f[0]] = int(f[1])
rows = [json.loads(l) for l in open(sys.argv[2])]
assert rows, "no counters"
for o in rows:
    assert list(o) == ["time", "counter", "value", "change", "since_ms", "meaning"], o
    # nothing else runs in this namespace: the same counters, exactly
    # (the SYN retransmits of the dropped connection aside)
    if o["counter"] in nstat and "Retrans" not in o["counter"] \
            and o["counter"] not in ("TcpOutSegs", "TcpInSegs", "TcpExtListenOverflows",
                                     "TcpExtListenDrops", "TcpExtTCPTimeouts"):
        assert o["value"] == nstat[o["counter"]], (o, nstat[o["counter"]])
by = {o["counter"]: o for o in rows}
assert by["TcpExtListenOverflows"]["change"] >= 1, by["TcpExtListenOverflows"]
assert by["TcpExtListenOverflows"]["value"] >= nstat["TcpExtListenOverflows"]
assert by["TcpExtListenDrops"]["change"] >= 1
assert by["TcpActiveOpens"]["change"] == 1, by["TcpActiveOpens"]
assert "accept queue was full" in by["TcpExtListenOverflows"]["meaning"]
PY
}

# --- -i -o -m -e against ss ------------------------------------------------

@test "sockets -i -o -m -e: the line under each row says what ss -tnioem says" {
	depth pair
	ss -Htnioem "( sport = :$P or dport = :$P )" >"$TMP/ss.txt"
	"$SOCKLAB" sockets -ioem --port "$P" --state established >"$TMP/sl.txt"
	py - "$TMP/ss.txt" "$TMP/sl.txt" <<'PY'
import re, sys
def rows(path, ss):
    """local port -> {key: value} of the row and the line under it"""
    out, cur = {}, None
    for l in open(path):
        if not l.startswith("\t"):
            f = l.split()
            if not f or f[0] in ("Proto",):
                continue
            local = f[3] if ss else f[3]
            cur = out.setdefault(local, {})
            text = l
        else:
            text = l
        for m in re.finditer(r"(\w+):\(([^)]*)\)|(\w+):([\w./,]+)", text):
            if m.group(1):
                cur[m.group(1)] = m.group(2)
            else:
                cur[m.group(3)] = m.group(4)
        for w in ("ts", "sack"):
            if re.search(r"\s%s\s" % w, text):
                cur[w] = "yes"
    return out
ss, sl = rows(sys.argv[1], True), rows(sys.argv[2], False)
assert len(ss) == 2 and ss.keys() == sl.keys(), (ss.keys(), sl.keys())
stable = ["ino", "sk", "skmem", "ts", "sack", "wscale", "rto", "mss", "pmtu",
          "rcvmss", "advmss", "cwnd", "bytes_acked", "bytes_received",
          "segs_out", "segs_in", "rcv_space", "rcv_ssthresh", "snd_wnd"]
for port in ss:
    a, b = ss[port], sl[port]
    for k in stable:
        assert a.get(k) == b.get(k), (port, k, a.get(k), b.get(k))
    # the keepalive timer: ss's time left and ours are taken apart
    if "timer" in a:
        ka, kb = a["timer"].split(","), b["timer"].split(",")
        assert ka[0] == kb[0] == "keepalive", (ka, kb)
        assert ka[1][:3] == kb[1][:3], (ka, kb)
    else:
        assert "timer" not in b
PY
}

@test "sockets --json -i -o -m -e: the members, null where the kernel says nothing" {
	depth pair
	"$SOCKLAB" sockets --json -ioem --port "$P" >"$TMP/sl.json"
	py - "$TMP/sl.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 3, rows
for o in rows:
    assert list(o)[-4:] == ["cookie", "timer", "skmem", "tcp_info"], list(o)
    assert isinstance(o["cookie"], int)
    assert set(o["skmem"]) == {"rmem_alloc", "rcvbuf", "wmem_alloc", "sndbuf",
        "fwd_alloc", "wmem_queued", "optmem", "backlog", "drops"}
    t = o["tcp_info"]
    assert t["cwnd"] > 0 and t["cong"], t
    if o["state"] == "ESTABLISHED":
        assert t["rtt_ms"] > 0 and t["rto_ms"] >= 200 and t["mss"] > 0, t
keep = [o for o in rows if o["timer"]]
assert len(keep) == 1 and keep[0]["timer"]["kind"] == "keepalive", keep
assert 7000000 < keep[0]["timer"]["expires_ms"] <= 7200000
PY
}

# --- unix sockets --------------------------------------------------------

@test "sockets -x: the namespace's unix sockets as ss -xa lists them, with names, inodes, peers and queues" {
	netns
	depth unix
	inns ss -Hxa | awk '{ print $1, $2, $3, $4, $5, $6, $8 }' | sort >"$TMP/ss.rows"
	inns "$SOCKLAB" sockets -x --json >"$TMP/sl.json"
	py -c 'import json, sys
names = {"LISTEN": "LISTEN", "ESTABLISHED": "ESTAB", "UNCONN": "UNCONN"}
for l in open(sys.argv[1]):
    o = json.loads(l)
    print(o["proto"], names[o["state"]], o["recv_q"], o["send_q"], o["local"],
          o["inode"], o["peer_inode"])' "$TMP/sl.json" | sort >"$TMP/sl.rows"
	[ "$(wc -l <"$TMP/sl.rows")" -eq 5 ]
	diff -u "$TMP/ss.rows" "$TMP/sl.rows"
	local ino
	ino=$(sed -n 's/^ino accepted //p' "$TMP/depth.out")
	grep -qE "^u_str ESTAB 3 0 $D/lab.sock $ino [0-9]+\$" "$TMP/sl.rows"
	grep -q "^u_dgr UNCONN 0 0 @sl-abstract-$PEER " "$TMP/sl.rows"
	# the table: the peer's name and inode in the Foreign Address column
	run --separate-stderr inns "$SOCKLAB" sockets -x -p
	grep -qE "^u_str +0 +[0-9]+ +\* [0-9]+ +$D/lab\.sock $ino +ESTABLISHED +$PEER/python" <<<"$output"
	grep -qE "^u_str +0 +4 +$D/lab\.sock [0-9]+ +\* 0 +LISTEN +$PEER/python[^ ]* +backlog 4$" <<<"$output"
	# -l: listening and unconnected ones, as ss -lx
	run --separate-stderr inns "$SOCKLAB" sockets -x -l --json
	[ "${#lines[@]}" -eq "$(inns ss -Hxl | wc -l)" ]
	# /proc/net/unix knows the same sockets, without queues
	inns "$SOCKLAB" sockets -x --json --source proc >"$TMP/proc.json"
	[ "$(grep -c '"recv_q":null' "$TMP/proc.json")" -eq 5 ]
}

# --- -s --------------------------------------------------------------------

@test "sockets -s: the totals ss -s prints, line for line, then what they mean" {
	netns
	depth backlog
	# TCP's first numbers are the whole machine's: other suites move them,
	# so ss and socklab are taken until one pair agrees (bounded)
	local try
	for try in 1 2 3 4 5 6 7 8; do
		inns ss -s >"$TMP/ss.txt"
		inns "$SOCKLAB" sockets -s >"$TMP/sl.txt"
		head -n "$(wc -l <"$TMP/ss.txt")" "$TMP/sl.txt" >"$TMP/sl.head"
		cmp -s "$TMP/ss.txt" "$TMP/sl.head" && break
	done
	diff -u "$TMP/ss.txt" "$TMP/sl.head"
	grep -q '^TCP:   [0-9]* (estab 4, ' "$TMP/sl.txt"
	grep -q '^TCP	  5         5         0 ' "$TMP/sl.txt"
	grep -q '^orphaned: closed by their program' "$TMP/sl.txt"
	run --separate-stderr inns "$SOCKLAB" sockets -s --json
	py -c 'import json, sys
o = json.loads(sys.argv[1])
assert o["tcp"]["estab"] == 4 and o["transport"]["tcp"] == {"total": 5, "ip": 5, "ipv6": 0}, o' "$output"
}

# --- --stats ---------------------------------------------------------------

@test "sockets --stats: changes since the last look, as nstat; a history of another namespace counts from boot" {
	netns
	export SOCKLAB_STATS_HISTORY=$TMP/hist
	# a history written in the machine's own namespace is no base here
	"$SOCKLAB" sockets --stats >/dev/null
	run --separate-stderr inns "$SOCKLAB" sockets --stats
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"Change is since boot (no earlier --stats here)." ]]
	[[ "${lines[1]}" =~ ^Counter\ +Value\ +Change\ +Meaning$ ]]
	grep -qE '^TcpCurrEstab +0 +- +connections ESTABLISHED or CLOSE_WAIT right now' <<<"$output"
	depth pair
	run --separate-stderr inns "$SOCKLAB" sockets --stats
	[[ "${lines[0]}" == *"Change is since the last --stats, "*" s ago." ]]
	grep -qE '^TcpActiveOpens +1 +\+1 +connections this machine opened' <<<"$output"
	grep -qE '^TcpPassiveOpens +1 +\+1 ' <<<"$output"
	grep -qE '^TcpCurrEstab +2 +\+2 ' <<<"$output"
	# -a: every counter of the kernel, as nstat -a has them
	run --separate-stderr inns "$SOCKLAB" sockets --stats -a
	[ "${#lines[@]}" -gt 100 ]
	[ "$(grep -cE '^(TcpExt|IpExt|Udp6?|Tcp)[A-Za-z0-9]+ ' <<<"$output")" -gt 100 ]
}

@test "sockets --stats 0.05: each change printed as it happens, with the time" {
	netns
	depth short
	export SOCKLAB_STATS_HISTORY=$TMP/hist
	nsenter -t "$NS" -n "$SOCKLAB" sockets --stats 0.05 >"$TMP/st.out" 2>"$TMP/st.err" &
	local st=$!
	PIDS+=("$st")
	wait_for_line "$TMP/st.out" '^Counter '
	tell "connect 10"
	wait_for_line "$TMP/st.out" '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}  TcpActiveOpens +[0-9]+ +\+1  connections this machine opened'
	kill -INT "$st"
	wait_exit "$st" 5
	[ "$STATUS" -eq 0 ]
	[ ! -s "$TMP/st.err" ]
}

# --- -K --------------------------------------------------------------------

@test "sockets -K: lists, asks (refuses without a terminal), closes with --yes; the program sees its connection aborted" {
	netns
	depth pair
	run --separate-stderr inns "$SOCKLAB" sockets -K --port "$P" --state established
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-K asks before it closes sockets, and standard input is not a terminal: add --yes"* ]]
	[ "$(inns ss -Htn state established | wc -l)" -eq 2 ]
	run --separate-stderr inns "$SOCKLAB" sockets -K --yes --port "$P" --state established
	[ "$status" -eq 0 ]
	grep -qE '^tcp +0 +0 +127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:[0-9]+ +ESTABLISHED' <<<"$output"
	grep -qE "^closed tcp 127\.0\.0\.1:[0-9]+ 127\.0\.0\.1:[0-9]+ ESTABLISHED\$" <<<"$output"
	# the first close resets the other end, or the second closes it
	[ "$(grep -cE '^(closed|already gone:) ' <<<"$output")" -eq 2 ]
	[ "$(inns ss -Htn state established | wc -l)" -eq 0 ]
	# the listener is left alone: --state chose
	[ "$(inns ss -Htln | wc -l)" -eq 1 ]
	# no privilege: one clear line, exit 1
	command -v setpriv >/dev/null || return 0
	run --separate-stderr inns setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SOCKLAB" sockets -K -y -l --port "$P"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"closing another program's socket needs CAP_NET_ADMIN; run with sudo"* ]]
	[ "$(inns ss -Htln | wc -l)" -eq 1 ]
}

@test "sockets -K --json: the rows, then one result per socket" {
	netns
	depth backlog
	run --separate-stderr inns "$SOCKLAB" sockets -K -y --json -l
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == '{"proto":"tcp","local":"127.0.0.1:'"$P"'","remote":"0.0.0.0:*","state":"LISTEN","recv_q":2,"send_q":1,'* ]]
	[[ "${lines[1]}" == '{"result":"closed","proto":"tcp","local":"127.0.0.1:'"$P"'",'* ]]
	[ "$(inns ss -Htln | wc -l)" -eq 0 ]
}

# --- --watch -----------------------------------------------------------------

@test "sockets --watch (0.1 s by default): a connection that lives 200 ms is seen appearing and going" {
	netns
	depth short
	nsenter -t "$NS" -n "$SOCKLAB" sockets --watch --json >"$TMP/w.out" 2>"$TMP/w.err" &
	local w=$!
	PIDS+=("$w")
	wait_for_text "$TMP/w.out" '"state":"LISTEN"'
	tell "connect 200"
	local ends="\"local\":\"127\\.0\\.0\\.1:[0-9]+\",\"remote\":\"127\\.0\\.0\\.1:$P\""
	wait_for_line "$TMP/w.out" "\"change\":\"\\+\",\"from\":null,\"proto\":\"tcp\",$ends,\"state\":\"ESTABLISHED\""
	wait_for_line "$TMP/w.out" "\"change\":\"~\",\"from\":\"ESTABLISHED\",\"proto\":\"tcp\",$ends,\"state\":\"(FIN_WAIT[12]|TIME_WAIT)\""
	wait_for_line "$TMP/w.out" "\"change\":\"-\",\"from\":null,\"proto\":\"tcp\",\"local\":\"127\\.0\\.0\\.1:$P\",\"remote\":\"127\\.0\\.0\\.1:[0-9]+\""
	kill -TERM "$w"
	wait_exit "$w" 5
	[ "$STATUS" -eq 0 ]
	[ ! -s "$TMP/w.err" ]
	py - "$TMP/w.out" <<'PY'
import json, re, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    # ISO 8601 with the date and the offset
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d", o["time"]), o
PY
}

@test "sockets --watch 10: a connection shorter than the interval is still seen going, by the kernel's notice" {
	netns
	depth short
	nsenter -t "$NS" -n "$SOCKLAB" sockets --watch 10 >"$TMP/w.out" 2>"$TMP/w.err" &
	local w=$!
	PIDS+=("$w")
	wait_for_line "$TMP/w.out" "= LISTEN tcp 127\\.0\\.0\\.1:$P "
	tell "connect 5"
	# the server end lived and died between two samples
	wait_for_line "$TMP/w.out" "^[0-9:.]{12} - CLOSE tcp 127\\.0\\.0\\.1:$P 127\\.0\\.0\\.1:[0-9]+ \\(lived between two samples: seen only by the kernel's notice of its end\\)\$"
	# the notice brought the next sample forward: TIME_WAIT seen at once
	wait_for_line "$TMP/w.out" "^[0-9:.]{12} \\+ TIME_WAIT tcp 127\\.0\\.0\\.1:[0-9]+ 127\\.0\\.0\\.1:$P\$" 3
	kill -INT "$w"
	wait_exit "$w" 5
	[ "$STATUS" -eq 0 ]
}

# --- usage -----------------------------------------------------------------

@test "sockets: -K without a filter, two modes, --yes alone, -K -x are usage errors" {
	run --separate-stderr "$SOCKLAB" sockets -K
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-K closes every socket it lists: choose them with --port, --state or -l"* ]]
	run --separate-stderr "$SOCKLAB" sockets --watch -s
	[ "$status" -eq 2 ]
	run --separate-stderr "$SOCKLAB" sockets --yes
	[ "$status" -eq 2 ]
	run --separate-stderr "$SOCKLAB" sockets -K -x -l
	[ "$status" -eq 2 ]
	run --separate-stderr "$SOCKLAB" sockets --stats 0
	[ "$status" -eq 2 ]
	run "$SOCKLAB" sockets --help
	[[ "$output" == *"Recv-Q is what arrived and the program has not read"* ]]
}
