#!/usr/bin/env bats
# The listening and established steps record the real netstat's view (or
# ss's, where net-tools is missing) at the moment socklab reads the table,
# under its own command line: the same sockets in both.

setup() {
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP"
}

# rows FILE: "local remote state" of each socket row of socklab's table
# (the first section) and of the tool's (the section after its "$ " line),
# each sorted; prints "socklab" and "tool" blocks
compare() {	# FILE PORT
	python3 - "$1" "$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read().split("\n")
port = sys.argv[2]
sections, cur = {}, None
for line in text:
    if line.startswith("$ "):
        cur = line.split()[1]
        sections[cur] = []
        continue
    if cur and re.match(r"^(tcp6?|ESTAB|LISTEN|TIME-WAIT)\b", line):
        sections[cur].append(line.split())
def norm(addr):
    return addr.replace("[", "").replace("]", "").replace("0.0.0.0:*", "*").replace(":::*", "*").replace("::*", "*")
def rows(name, words):
    out = set()
    for w in words:
        if name == "socklab":
            local, remote, state = w[3], w[4], w[5]
        elif name == "netstat":
            local, remote, state = w[3], w[4], w[5]
        else:
            state, local, remote = {"ESTAB": "ESTABLISHED", "TIME-WAIT": "TIME_WAIT"}.get(w[0], w[0]), w[3], w[4]
        if state in ("ESTABLISHED", "LISTEN"):
            out.add((norm(local), norm(remote), state))
    return out
tool = "netstat" if "netstat" in sections else "ss"
a, b = rows("socklab", sections["socklab"]), rows(tool, sections[tool])
assert a and a == b, (a, b)
print(tool, len(a))
PY
}

@test "netstat's view beside socklab's, the same sockets at the same moment" {
	[ -x /usr/bin/netstat ] || [ -x /bin/netstat ] || skip "net-tools is not installed"
	unshare -n true 2>/dev/null || skip "no network namespaces here"
	run unshare -n bash -c 'ip link set lo up; "$SOCKLAB" lab --name alice --out "$1" --no-images' x "$TMP/e"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q '^\$ netstat -tanp   (its lines of port 59001, at the same moment)$' "$TMP/e/alice_listening.txt"
	run compare "$TMP/e/alice_listening.txt" 59001
	echo "$output"
	[ "$status" -eq 0 ] && [ "$output" = "netstat 2" ]
	run compare "$TMP/e/alice_established.txt" 59001
	echo "$output"
	[ "$status" -eq 0 ] && [ "$output" = "netstat 4" ]
}

@test "without net-tools: ss, under its own filter" {
	unshare -n -m true 2>/dev/null || skip "no namespaces here"
	run unshare -n -m bash -c 'ip link set lo up
		for f in /usr/bin/netstat /bin/netstat /usr/sbin/netstat /sbin/netstat; do
			[ -e "$f" ] && mount --bind /dev/null "$f"
		done
		"$SOCKLAB" lab --name bob --out "$1" --no-images' x "$TMP/e"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qF "\$ ss -tanp '( sport = :59001 or dport = :59001 )'   (at the same moment)" "$TMP/e/bob_established.txt"
	run compare "$TMP/e/bob_established.txt" 59001
	echo "$output"
	[ "$status" -eq 0 ] && [ "$output" = "ss 4" ]
}
