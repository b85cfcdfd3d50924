#!/usr/bin/env bats
# taps.bats - capture's reports over a whole capture against tshark 4.0's
# -z: --conv, --endpoints, --follow, --expert and the -z spellings, on
# the tests' pcaps (answers recorded in taps/expected by taps/record.sh,
# re-checked live where tshark runs), on traffic made here in a network
# namespace, and the terminal's safety from what the network sent.

load helpers

T="$BATS_TEST_DIRNAME/taps"
TOP="$BATS_TEST_DIRNAME/../.."

# ours PCAP Z: socklab's report; expert's ends before its plain words
ours() {
	if [ "$2" = expert ]; then
		"$SOCKLAB" capture -r "$1" -z "$2" 2>/dev/null |
			awk '/^In plain words:/ { exit } { print }' | sed '${/^$/d}'
	else
		"$SOCKLAB" capture -r "$1" -z "$2" 2>/dev/null
	fi
}

name() {
	local b=${1##*/}
	echo "${b%.pcap}.${2//,/_}.txt"
}

# a pcap (Ethernet) of one TCP connection 10.0.0.1:40000 -> 10.0.0.2:80
# whose data are $1 (client) and $2 (server), hex-escaped for python
mkpcap() {
	py - "$TMP/t.pcap" "$1" "$2" <<'PY'
import struct, sys
out, c, s = sys.argv[1], sys.argv[2].encode('latin-1').decode('unicode_escape').encode('latin-1'), sys.argv[3].encode('latin-1').decode('unicode_escape').encode('latin-1')
def csum(b):
    if len(b) % 2: b += b'\0'
    t = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while t >> 16: t = (t & 0xffff) + (t >> 16)
    return ~t & 0xffff
def pkt(src, dst, sp, dp, seq, ack, fl, data=b''):
    tcp = struct.pack('!HHIIBBHHH', sp, dp, seq, ack, 5 << 4, fl, 65535, 0, 0) + data
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    ph = bytes(src) + bytes(dst) + struct.pack('!BBH', 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack('!H', csum(ph + tcp)) + tcp[18:]
    return b'\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00' + ip + tcp
A, B = [10, 0, 0, 1], [10, 0, 0, 2]
p = [pkt(A, B, 40000, 80, 100, 0, 0x02), pkt(B, A, 80, 40000, 500, 101, 0x12),
     pkt(A, B, 40000, 80, 101, 501, 0x10), pkt(A, B, 40000, 80, 101, 501, 0x18, c),
     # the same segment again: a retransmission follow shows once
     pkt(A, B, 40000, 80, 101, 501, 0x18, c),
     pkt(B, A, 80, 40000, 501, 101 + len(c), 0x18, s),
     pkt(A, B, 40000, 80, 101 + len(c), 501 + len(s), 0x11),
     pkt(B, A, 80, 40000, 501 + len(s), 102 + len(c), 0x11),
     pkt(A, B, 40000, 80, 102 + len(c), 502 + len(s), 0x10)]
with open(out, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, b in enumerate(p):
        f.write(struct.pack('<IIII', 1000 + i, 0, len(b), len(b)) + b)
PY
}

@test "the recorded answers: each report of LIST equals tshark's -z output" {
	local n=0 bad=0 pcap z
	while IFS=$'\t' read -r pcap z; do
		[[ -z "$pcap" || "$pcap" == \#* ]] && continue
		n=$((n + 1))
		if ! diff -u "$T/expected/$(name "$pcap" "$z")" \
			<(ours "$TOP/tests/$pcap" "$z") >"$TMP/d"; then
			echo "== $pcap -z $z" >&2
			head -n 20 "$TMP/d" >&2
			bad=$((bad + 1))
		fi
	done <"$T/LIST"
	echo "$n reports, $bad differ" >&2
	[ "$n" -ge 400 ]
	[ "$bad" -eq 0 ]
}

@test "the recorded answers are tshark's (live re-check of a sample, and of KNOWN's differences)" {
	command -v tshark >/dev/null || skip "tshark not installed"
	local i=0 pcap z
	while IFS=$'\t' read -r pcap z; do
		[[ -z "$pcap" || "$pcap" == \#* ]] && continue
		i=$((i + 1))
		[ $((i % 25)) -eq 1 ] || continue
		tshark -q -r "$TOP/tests/$pcap" -z "$z" 2>/dev/null >"$TMP/live"
		diff -u "$T/expected/$(name "$pcap" "$z")" "$TMP/live"
	done <"$T/LIST"
	# a difference KNOWN states is still one (else it belongs in LIST)
	while IFS=$'\t' read -r pcap z; do
		[[ -z "$pcap" || "$pcap" == \#* ]] && continue
		tshark -q -r "$TOP/tests/$pcap" -z "$z" 2>/dev/null >"$TMP/live"
		! diff -q "$TMP/live" <(ours "$TOP/tests/$pcap" "$z") >/dev/null ||
			{ echo "KNOWN but equal now: $pcap $z" >&2; false; }
	done < <(grep -v '^#' "$T/KNOWN" | head -n 8)
}

@test "traffic's recorded -z answers (answers/z: loss, reordering, zero window, keep-alive, resets …) are socklab's reports" {
	local n=0 bad=0 d f p b z
	for d in "$TOP"/tests/captures/answers/z/*/; do
		p=${d%/}; p=${p##*/}
		P="$TOP/tests/captures/pcaps/$p"
		[ -f "$P" ] || P="$TOP/tests/golden/pcaps/$p"
		for f in "$d"*.txt; do
			b=${f##*/}; b=${b%.txt}
			[[ "$b" == flow-* ]] && continue	# --flow's, not a tap
			z=${b//-/,}
			grep -qx "$p	$z" "$T/KNOWN-z" && continue
			n=$((n + 1))
			diff -u "$f" <(ours "$P" "$z") >"$TMP/d" ||
				{ echo "== $p -z $z" >&2; head -n 20 "$TMP/d" >&2; bad=$((bad + 1)); }
		done
	done
	echo "$n reports, $bad differ" >&2
	[ "$n" -ge 250 ]
	[ "$bad" -eq 0 ]
}

@test "the long options are the -z reports: --conv udp, --endpoints ip, --follow tcp,1, --follow -x, --expert" {
	P="$TOP/tests/golden/pcaps/eth.pcap"
	diff <("$SOCKLAB" capture -r "$P" --conv udp 2>/dev/null) <(ours "$P" conv,udp)
	diff <("$SOCKLAB" capture -r "$P" --conv 2>/dev/null) <(ours "$P" conv,tcp)
	diff <("$SOCKLAB" capture -r "$P" --conv=eth 2>/dev/null) <(ours "$P" conv,eth)
	diff <("$SOCKLAB" capture -r "$P" --endpoints ip 2>/dev/null) <(ours "$P" endpoints,ip)
	diff <("$SOCKLAB" capture -r "$P" --follow tcp,1 2>/dev/null) <(ours "$P" follow,tcp,ascii,1)
	diff <("$SOCKLAB" capture -r "$P" --follow 1 -x 2>/dev/null) <(ours "$P" follow,tcp,hex,1)
	diff <("$SOCKLAB" capture -r "$P" --follow udp,0 2>/dev/null) <(ours "$P" follow,udp,ascii,0)
	"$SOCKLAB" capture -r "$P" --expert >"$TMP/e" 2>/dev/null
	diff <(awk '/^In plain words:/ { exit } { print }' "$TMP/e" | sed '${/^$/d}') <(ours "$P" expert)
	# two reports at once, in the order asked
	"$SOCKLAB" capture -r "$P" --conv --endpoints >"$TMP/two" 2>/dev/null
	diff "$TMP/two" <(ours "$P" conv,tcp; ours "$P" endpoints,tcp)
}

@test "--follow without a stream: every stream in turn, numbered as tcp.stream" {
	P="$TOP/tests/golden/pcaps/eth.pcap"
	"$SOCKLAB" capture -r "$P" --follow >"$TMP/all" 2>/dev/null
	[ "$(grep -c '^Follow: tcp,ascii$' "$TMP/all")" -eq 5 ]
	for s in 0 1 2 3 4; do
		grep -qx "Filter: tcp.stream eq $s" "$TMP/all"
	done
	# stream 1's block is the one -z follow,tcp,ascii,1 prints
	awk '/^Filter: tcp.stream eq 1$/ { on = 1 } on { print } on && /^=+$/ { exit }' "$TMP/all" >"$TMP/one"
	diff "$TMP/one" <(ours "$P" follow,tcp,ascii,1 | sed -n '/^Filter:/,$p')
}

@test "a report alone prints no packet lines; -P adds them; the summary still counts every packet" {
	P="$TOP/tests/golden/pcaps/eth.pcap"
	"$SOCKLAB" capture -r "$P" --conv >"$TMP/q" 2>"$TMP/err"
	! grep -q ' → ' "$TMP/q"
	grep -q '^39 packets seen, 39 shown' "$TMP/err"
	"$SOCKLAB" capture -r "$P" --conv -P >"$TMP/p" 2>/dev/null
	[ "$(grep -c ' → ' "$TMP/p")" -eq 39 ]
	tail -n 10 "$TMP/p" | grep -q '^TCP Conversations$'
}

@test "-Y narrows the reports, whose title names the filter (tshark's -z conv,tcp,FILTER)" {
	P="$TOP/tests/golden/pcaps/eth.pcap"
	"$SOCKLAB" capture -r "$P" --conv -Y 'tcp.port == 7777' >"$TMP/f" 2>/dev/null
	grep -qx 'Filter:tcp.port == 7777' "$TMP/f"
	[ "$(grep -c '<->' "$TMP/f")" -eq 1 ]
	grep -q '127.0.0.1:41000  *<-> 127.0.0.1:7777  .* 3 223 bytes' "$TMP/f"
	if command -v tshark >/dev/null; then
		diff "$TMP/f" <(tshark -q -r "$P" -z 'conv,tcp,tcp.port == 7777' 2>/dev/null)
	fi
	# the title shows the filter escaped, quotes as typed
	"$SOCKLAB" capture -r "$P" --conv -Y $'tcp.port == 7777 || frame contains "\e[2J"' 2>/dev/null |
		sed -n 3p >"$TMP/t"
	grep -qxF 'Filter:tcp.port == 7777 || frame contains "\x1b[2J"' "$TMP/t"
}

@test "--follow: retransmitted data once, what the network sent never reaches a terminal raw" {
	mkpcap 'GET /\x1b[2J\x1b]0;pwned\x07 HTTP/1.0\r\n\r\n' 'ok\x9b31m\xe2\x80\xae\x00end\n'
	# to a pipe: tshark's text exactly (its '.' for every byte it does
	# not print, the carriage returns kept)
	"$SOCKLAB" capture -r "$TMP/t.pcap" --follow 0 >"$TMP/pipe" 2>/dev/null
	grep -qx '32' "$TMP/pipe"
	grep -qx $'\t14' "$TMP/pipe"
	[ "$(grep -c 'GET /' "$TMP/pipe")" -eq 1 ]
	grep -q 'GET /.\[2J.\]0;pwned. HTTP/1.0' "$TMP/pipe"
	grep -qx 'ok.31m....end' "$TMP/pipe"
	! LC_ALL=C grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\xff\x1b]' "$TMP/pipe"
	if command -v tshark >/dev/null; then
		diff "$TMP/pipe" <(tshark -q -r "$TMP/t.pcap" -z follow,tcp,ascii,0 2>/dev/null)
	fi
	# to a terminal: not even a carriage return
	script -qec "$SOCKLAB capture -r $TMP/t.pcap --follow 0 2>/dev/null" /dev/null \
		| tr -d '\r' >"$TMP/tty0"
	script -qec "$SOCKLAB capture -r $TMP/t.pcap --follow 0 2>/dev/null" /dev/null >"$TMP/tty"
	# the pty turns each \n into \r\n: every \r left is one of those
	[ "$(tr -cd '\r' <"$TMP/tty" | wc -c)" -eq "$(tr -cd '\n' <"$TMP/tty" | wc -c)" ]
	grep -q 'pwned. HTTP/1.0\.$' "$TMP/tty0"
	! LC_ALL=C grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\xff]' "$TMP/tty0"
}

@test "--follow --json: one object per chunk, the bytes as escaped text and base64 that decode to the payload" {
	mkpcap 'hello\x1b[31m\r\n' 'w\xffrld'
	"$SOCKLAB" capture -r "$TMP/t.pcap" --follow --json >"$TMP/j" 2>/dev/null
	py - "$TMP/j" <<'PY'
import base64, json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert rows[0] == {"follow": "tcp", "stream": 0, "node0": "10.0.0.1:40000", "node1": "10.0.0.2:80"}, rows[0]
data = [r for r in rows[1:]]
assert [(r["node"], r["frame"]) for r in data] == [(0, 4), (1, 6)], data
assert base64.b64decode(data[0]["base64"]) == b"hello\x1b[31m\r\n"
assert base64.b64decode(data[1]["base64"]) == b"w\xffrld"
assert data[0]["text"] == "hello\x1b[31m\r\n" and data[0]["len"] == 12
assert data[1]["from"] == "10.0.0.2:80" and data[1]["to"] == "10.0.0.1:40000"
PY
	# no raw control byte in the JSON either
	! LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$TMP/j"
	"$SOCKLAB" capture -r "$TMP/t.pcap" --follow --json -x 2>/dev/null | grep -q '"hex":"77ff726c64"'
}

@test "--conv --json: the table's numbers, tcp.stream, completeness named bit by bit" {
	P="$TOP/tests/golden/pcaps/eth.pcap"
	"$SOCKLAB" capture -r "$P" --conv --json >"$TMP/j" 2>/dev/null
	"$SOCKLAB" capture -r "$P" --conv >"$TMP/t" 2>/dev/null
	py - "$TMP/j" "$TMP/t" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
lines = [l for l in open(sys.argv[2]) if '<->' in l]
assert len(rows) == len(lines) == 5
for r, l in zip(rows, lines):
    w = l.split()
    assert w[0] == "%s:%d" % (r["a"], r["a_port"]) and w[2] == "%s:%d" % (r["b"], r["b_port"])
    assert int(w[3]) == r["frames_b_to_a"] and int(w[6]) == r["frames_a_to_b"]
    assert int(w[9]) == r["frames"] and int(w[4]) == r["bytes_b_to_a"]
    assert abs(float(w[12]) - r["rel_start"]) < 1e-9
s = {r["tcp.stream"]: r for r in rows}
assert s[0]["completeness_flags"] == ["SYN", "SYN-ACK", "ACK", "DATA", "FIN"] and s[0]["completeness"] == 31
# tshark's tcp.completeness at each stream's last frame
assert [s[i]["completeness"] for i in range(5)] == [31, 31, 8, 1, 0]
assert s[2]["completeness_flags"] == ["DATA"] and s[4]["completeness_flags"] == []
PY
	if command -v tshark >/dev/null; then
		tshark -r "$P" -Y tcp -T fields -e tcp.stream -e tcp.completeness 2>/dev/null |
			awk '{ last[$1] = $2 } END { for (s in last) print s, last[s] }' | sort >"$TMP/want"
		py -c 'import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l); print(r["tcp.stream"], r["completeness"])' "$TMP/j" | sort >"$TMP/got"
		diff "$TMP/want" "$TMP/got"
	fi
	"$SOCKLAB" capture -r "$P" --conv udp --json 2>/dev/null | head -n 1 | grep -q '"udp.stream":0,'
	"$SOCKLAB" capture -r "$P" --endpoints --json 2>/dev/null | head -n 1 |
		grep -q '"address":"127.0.0.1","port":40000,"frames":11,"bytes":678'
}

@test "--expert: tshark's tables, then plain words with the frames of each kind" {
	P="$TOP/tests/golden/pcaps/eth.pcap"
	"$SOCKLAB" capture -r "$P" --expert >"$TMP/e" 2>/dev/null
	grep -q '^Warns (6)$' "$TMP/e"
	grep -qx '  resets (RST): 1, frame 22: one side aborted the connection, or nothing listened on the port' "$TMP/e"
	grep -qx '  connection requests (SYN): 3, frames 1, 10, 21: a client asked to connect' "$TMP/e"
	grep -q '^  bad ICMP checksums: 5, frames 27, 28, 29, 30, 31: ' "$TMP/e"
	"$SOCKLAB" capture -r "$P" --expert --json >"$TMP/j" 2>/dev/null
	py - "$TMP/j" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
rst = [r for r in rows if r["summary"] == "Connection reset (RST)"]
assert rst == [{"severity": "Warning", "group": "Sequence", "protocol": "TCP", "summary": "Connection reset (RST)", "count": 1, "frames": [22], "frames_all": True}], rst
assert sum(r["count"] for r in rows if r["severity"] == "Chat") == 9
PY
	# nothing to say: nothing printed, as tshark
	[ -z "$("$SOCKLAB" capture -r "$TOP/tests/captures/pcaps/arp.pcap" --expert 2>/dev/null)" ]
}

@test "-z: what is not a report socklab makes is a usage error that lists what is" {
	P="$TOP/tests/golden/pcaps/eth.pcap"
	run "$SOCKLAB" capture -r "$P" -z io,stat,1
	[ "$status" -eq 2 ]
	[[ "$output" == *'-z io,stat,1: not a report socklab makes; accepted: conv,tcp|udp|ip|ipv6|eth, endpoints,'*'follow,tcp|udp,ascii|hex,N, expert, flow,tcp,standard'* ]]
	run "$SOCKLAB" capture -r "$P" -z follow,tcp,ascii
	[ "$status" -eq 2 ]
	[[ "$output" == *'the stream number is needed (-z follow,tcp,ascii,0'* ]]
	run "$SOCKLAB" capture -r "$P" -z 'conv,tcp,ip.addr==1.2.3.4'
	[ "$status" -eq 2 ]
	[[ "$output" == *'give it with -Y'* ]]
	run "$SOCKLAB" capture -r "$P" -z $'x\e[2J'
	[ "$status" -eq 2 ]
	[[ "$output" == *'-z x\x1b[2J: not a report'* ]]
	run "$SOCKLAB" capture -r "$P" --follow sctp
	[ "$status" -eq 2 ]
	run "$SOCKLAB" capture -r "$P" --conv=foo
	[ "$status" -eq 2 ]
	[[ "$output" == *'foo: not a layer: give tcp, udp, ip, ipv6 or eth'* ]]
	# tshark's flow graph spelling is taken (the graph is --flow's)
	run "$SOCKLAB" capture -r "$P" -q -z flow,tcp,standard
	[ "$status" -eq 0 ]
	run "$SOCKLAB" capture --help
	[[ "$output" == *'--follow [tcp|udp][,N]'* && "$output" == *'-z SPEC'* ]]
}

@test "live: traffic made in a network namespace, captured, reported as tshark reports it" {
	command -v unshare >/dev/null || skip "no unshare"
	unshare -rn true 2>/dev/null || unshare -n true 2>/dev/null || skip "no network namespaces here"
	cat >"$TMP/run.sh" <<EOF
set -e
ip link set lo up
"$SOCKLAB" capture -i lo -w "$TMP/live.pcap" -f 'tcp port 59101' -q 2>"$TMP/cap.err" &
cap=\$!
for i in \$(seq 100); do grep -q . "$TMP/cap.err" 2>/dev/null && break; sleep 0.05; done
"${PY:-python3}" - <<'PY'
import socket, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 59101)); s.listen(1)
def serve():
    c, _ = s.accept()
    while True:
        d = c.recv(65536)
        if not d: break
        c.sendall(d.upper())
    c.close()
t = threading.Thread(target=serve); t.start()
k = socket.create_connection(("127.0.0.1", 59101))
for i in range(20):
    k.sendall(b"line %d\n" % i); k.recv(100)
k.shutdown(socket.SHUT_WR); k.recv(100); k.close(); t.join()
PY
# the capture has seen the last ACK once the file holds 20 * 4 + 6 frames
for i in \$(seq 100); do
	n=\$("$SOCKLAB" capture -r "$TMP/live.pcap" -q 2>&1 | sed -n 's/ packets seen.*//p')
	[ "\${n:-0}" -ge 86 ] && break; sleep 0.05
done
kill -TERM \$cap; wait \$cap || true
EOF
	if unshare -rn true 2>/dev/null; then unshare -rn sh "$TMP/run.sh"; else unshare -n sh "$TMP/run.sh"; fi
	"$SOCKLAB" capture -r "$TMP/live.pcap" --conv >"$TMP/conv" 2>/dev/null
	grep -q '127.0.0.1:[0-9]* *<-> 127.0.0.1:59101 ' "$TMP/conv"
	"$SOCKLAB" capture -r "$TMP/live.pcap" --follow 0 >"$TMP/fol" 2>/dev/null
	grep -qx 'line 19' "$TMP/fol"
	grep -qx 'LINE 19' "$TMP/fol"
	command -v tshark >/dev/null || skip "tshark not installed: the report checked, not compared"
	for z in conv,tcp endpoints,tcp conv,ip follow,tcp,ascii,0 follow,tcp,hex,0; do
		diff <(ours "$TMP/live.pcap" $z) <(tshark -q -r "$TMP/live.pcap" -z $z 2>/dev/null)
	done
	diff <(ours "$TMP/live.pcap" expert) <(tshark -q -r "$TMP/live.pcap" -z expert 2>/dev/null)
}
