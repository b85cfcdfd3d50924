#!/usr/bin/env bats
# tfields.bats - capture -T fields -e … -E … against tshark 4.0's -T fields:
# every pcap of tests/captures/pcaps and tests/golden/pcaps with every
# registry field whose text socklab writes as tshark does
# (answers/tfields/tfields.fields), and -E's options; exact text, line by
# line, against the recorded answers (tfields-cases.sh lists the cases),
# which are re-checked against a live tshark where there is one.  A line
# may differ only where known-diff.tsv says so, and says why.

SOCKLAB=${SOCKLAB:-$BATS_TEST_DIRNAME/../../build/socklab}
ANS="$BATS_TEST_DIRNAME/../captures/answers/tfields"
CASES="$BATS_TEST_DIRNAME/tfields-cases.sh"
EPCAP="$BATS_TEST_DIRNAME/../golden/pcaps/eth.pcap"

setup() {
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP"
}

# compare CASE: socklab's lines against the answer; prints "lines equal"
compare() {
	"$CASES" run "$1" "$SOCKLAB" capture >"$TMP/$1.out" 2>"$TMP/$1.err"
	python3 - "$1" "$TMP/$1.out" "$ANS/$1.txt" "$ANS/known-diff.tsv" "$ANS/tfields.fields" <<'PY'
import sys
case, got, want, known, names = sys.argv[1:]
fields = [l.strip() for l in open(names) if l.strip()]
ok = {tuple(l.split('\t')[:3]) for l in open(known)
      if l.strip() and not l.startswith('#')}
g = open(got, encoding='utf-8', errors='replace').read().split('\n')
w = open(want, encoding='utf-8', errors='replace').read().split('\n')
if len(g) != len(w):
    print("%s: %d lines, tshark %d" % (case, len(g), len(w)))
    sys.exit(1)
bad = equal = n = 0
for i, (a, b) in enumerate(zip(g, w), 1):
    if not b:
        continue
    n += 1
    if a == b:
        equal += 1
        continue
    x, y = a.split('\t'), b.split('\t')
    for k in range(max(len(x), len(y))):
        u = x[k] if k < len(x) else None
        v = y[k] if k < len(y) else None
        name = fields[k] if case.startswith('all-') and k < len(fields) else str(k + 1)
        if u != v and (case, str(i), name) not in ok:
            bad += 1
            print("%s line %d %s: socklab %r, tshark %r" % (case, i, name, (u or '')[:80], (v or '')[:80]))
print("%s %d %d" % (case, n, equal))
sys.exit(1 if bad else 0)
PY
}

@test "-T fields: every field on every pcap equals tshark's -T fields, line by line" {
	total=0 equal=0
	for c in $("$CASES" list | cut -f1 | grep '^all-'); do
		run compare "$c"
		echo "$output" >&2
		[ "$status" -eq 0 ]
		set -- ${lines[-1]}
		total=$((total + $2)) equal=$((equal + $3))
	done
	echo "lines compared $total, equal $equal" >&2
	# 42 pcaps, 2000+ packets, 250 fields each
	[ "$total" -ge 2000 ]
	[ $((equal * 100)) -ge $((total * 85)) ]
}

@test "-T fields: -E header, separator, quote, occurrence, aggregator, bom; -Y and -c" {
	for c in header last first filter count bom; do
		run compare "$c"
		echo "$output" >&2
		[ "$status" -eq 0 ]
		set -- ${lines[-1]}
		[ "$2" -eq "$3" ]
	done
}

@test "-T fields: the known differences still differ (the list is not stale)" {
	for c in $(grep -v '^#' "$ANS/known-diff.tsv" | cut -f1 | sort -u); do
		"$CASES" run "$c" "$SOCKLAB" capture >"$TMP/$c.out" 2>/dev/null
	done
	python3 - "$TMP" "$ANS" <<'PY'
import sys
tmp, ans = sys.argv[1:]
fields = [l.strip() for l in open(ans + '/tfields.fields') if l.strip()]
stale = 0
for l in open(ans + '/known-diff.tsv'):
    if not l.strip() or l.startswith('#'):
        continue
    c, line, name = l.split('\t')[:3]
    k = fields.index(name) if c.startswith('all-') else int(name) - 1
    a = open('%s/%s.out' % (tmp, c), errors='replace').read().split('\n')[int(line) - 1].split('\t')
    b = open('%s/%s.txt' % (ans, c), errors='replace').read().split('\n')[int(line) - 1].split('\t')
    if (a[k] if k < len(a) else None) == (b[k] if k < len(b) else None):
        print('%s line %s %s now equals tshark: drop it from known-diff.tsv' % (c, line, name))
        stale += 1
sys.exit(1 if stale else 0)
PY
}

@test "-T fields: the recorded answers are tshark's (live)" {
	command -v tshark >/dev/null || skip "tshark not installed"
	for c in $("$CASES" list | cut -f1); do
		"$CASES" run "$c" tshark >"$TMP/live" 2>/dev/null
		diff -q "$ANS/$c.txt" "$TMP/live" >&2
	done
}

@test "-T fields: an unknown -e field is an error that says which name is near" {
	run "$SOCKLAB" capture -r "$EPCAP" -T fields -e ip.adr
	[ "$status" -eq 2 ]
	[[ "$output" == *'"ip.adr": no such field (did you mean ip.addr?)'* ]]
	[ "${#lines[@]}" -eq 1 ]
}

@test "-T: fields needs -e; -e needs -T fields; other words list what works" {
	run "$SOCKLAB" capture -r "$EPCAP" -T fields
	[ "$status" -eq 2 ]
	[[ "$output" == *"add -e FIELD"* ]]
	run "$SOCKLAB" capture -r "$EPCAP" -e ip.src
	[ "$status" -eq 2 ]
	[[ "$output" == *"add -T fields"* ]]
	run "$SOCKLAB" capture -r "$EPCAP" -T pdml
	[ "$status" -eq 2 ]
	[[ "$output" == *"-T text"*"-T fields"*"-T json"* ]]
	run "$SOCKLAB" capture -r "$EPCAP" -T fields -e ip.src -E quote=x
	[ "$status" -eq 2 ]
	[[ "$output" == *"quote=d|s|n"* ]]
	run "$SOCKLAB" capture -r "$EPCAP" -T fields -e ip.src -E colour=y
	[ "$status" -eq 2 ]
	[[ "$output" == *'no option "colour"'* ]]
}

@test "-T text is the summary, -T json is --json" {
	diff <("$SOCKLAB" capture -r "$EPCAP" -T text 2>/dev/null) <("$SOCKLAB" capture -r "$EPCAP" 2>/dev/null)
	diff <("$SOCKLAB" capture -r "$EPCAP" -T json 2>/dev/null) <("$SOCKLAB" capture -r "$EPCAP" --json 2>/dev/null)
	[ "$("$SOCKLAB" capture -r "$EPCAP" -T json 2>/dev/null | head -1 | cut -c1)" = "{" ]
}

@test "-T fields -E occurrence=N (socklab's: tshark 4.0 has f, l, a only) picks the Nth" {
	run "$SOCKLAB" capture -r "$EPCAP" -c 1 -T fields -E occurrence=2 -e tcp.port -e ip.addr
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf '59001\t127.0.0.1')" ]
	[ "$("$SOCKLAB" capture -r "$EPCAP" -c 1 -T fields -E occurrence=3 -e tcp.port 2>/dev/null)" = "" ]
}

@test "-T fields with -Y: a conversation's fields (relative seq) are right though only -e's and -Y's fields are dissected" {
	run "$SOCKLAB" capture -r "$EPCAP" -T fields -e ip.src -Y 'tcp.len > 0'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -ge 4 ]
	run "$SOCKLAB" capture -r "$EPCAP" -T fields -e tcp.stream -e tcp.seq -Y 'tcp.len > 0'
	[ "${lines[0]}" = "$(printf '0\t1')" ]
}

@test "-T fields live: a conversation made in a namespace, its lines equal tshark's of the pcap written beside them" {
	command -v unshare >/dev/null && unshare -n true 2>/dev/null || skip "no network namespaces here"
	command -v tshark >/dev/null || skip "tshark not installed"
	f="-e frame.number -e frame.time_relative -e ip.src -e ip.dst -e tcp.stream -e tcp.seq -e tcp.ack -e tcp.flags -e tcp.len -e tcp.payload -e tcp.options.mss_val -e tcp"
	cat >"$TMP/run.sh" <<SH
ip link set lo up
"$SOCKLAB" capture -i lo -f 'tcp port 5556' -w "$TMP/live.pcap" -P -T fields $f >"$TMP/lines" 2>"$TMP/err" &
pid=\$!
i=0
until grep -q Capturing "$TMP/err" 2>/dev/null; do
	i=\$((i + 1)); [ \$i -lt 200 ] || exit 3
	sleep 0.05
done
python3 -I -S - <<'PY'
import socket
srv = socket.socket()
srv.bind(("127.0.0.2", 5556))
srv.listen()
c = socket.create_connection(("127.0.0.2", 5556), source_address=("127.0.0.1", 0))
s, _ = srv.accept()
c.sendall(b"alice\n")
s.recv(100)
s.sendall(b"Hello, alice!\n")
c.recv(100)
c.close()
s.recv(100)
s.close()
PY
i=0
until [ "\$(wc -l <"$TMP/lines")" -ge 10 ]; do
	i=\$((i + 1)); [ \$i -lt 100 ] || break
	sleep 0.05
done
kill -INT \$pid
wait \$pid
SH
	timeout 60 unshare -n sh "$TMP/run.sh"
	# shellcheck disable=SC2086
	tshark -r "$TMP/live.pcap" -T fields $f >"$TMP/tshark" 2>/dev/null
	cat "$TMP/lines" >&2
	[ "$(wc -l <"$TMP/lines")" -ge 10 ]
	diff "$TMP/tshark" "$TMP/lines"
	grep -q "$(printf '\t')616c6963650a$(printf '\t')" "$TMP/lines"
}
