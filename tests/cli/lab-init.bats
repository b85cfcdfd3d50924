#!/usr/bin/env bats
# socklab lab --init: the starter programs are written as they are in
# starters/, never over a file, and they work: the python pair and the C
# pair (compiled here with the strict flags) talk to each other and the
# servers pass every probe of socklab check, in a namespace of their own.

bats_require_minimum_version 1.5.0
load helpers

STARTERS="$BATS_TEST_DIRNAME/../../starters"

# check_in_netns OUT COMMAND...: socklab check --json of COMMAND in a new
# network namespace; OUT holds the records, STATUS its exit status
check_in_netns() {
	local out=$1
	shift
	STATUS=0
	timeout -k 5 120 unshare -n sh -c 'ip link set lo up && exec "$@"' sh \
		"$SOCKLAB" check --json --timeout 2 --name alice -- "$@" \
		>"$out" 2>"$out.err" || STATUS=$?
	cat "$out" "$out.err"
}

# verdicts FILE: "probe=verdict ..." of the NDJSON records
verdicts() {
	py -c 'import json, sys
print(" ".join(r["probe"] + "=" + r["verdict"] for r in map(json.loads, open(sys.argv[1]))))' "$1"
}

# run_pair SERVER CLIENT: the two programs (shell words) talk in a
# namespace of their own; srv.out, cli.out and cli.rc in $TMP
run_pair() {
	cat >"$TMP/pair.sh" <<EOF
ip link set lo up
$1 >"$TMP/srv.out" 2>&1 &
srv=\$!
for i in \$(seq 200); do grep -q '^listening' "$TMP/srv.out" && break; sleep 0.05; done
$2 59123 alice >"$TMP/cli.out" 2>&1
echo \$? >"$TMP/cli.rc"
kill \$srv
EOF
	timeout -k 5 60 unshare -n sh "$TMP/pair.sh"
	cat "$TMP/srv.out" "$TMP/cli.out"
	[ "$(cat "$TMP/cli.rc")" -eq 0 ]
	grep -x 'Hello, alice!' "$TMP/cli.out"
}

ALL_PASS="start=pass port=pass address=pass hello=pass two-names=pass split=pass families=pass concurrent=pass silent=pass close-early=pass reset=pass summary=pass"

@test "lab --init DIR writes the python starters as they are in starters/python, and what to run next" {
	run "$SOCKLAB" lab --init "$TMP/mine"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "wrote $TMP/mine/README.md $TMP/mine/client.py $TMP/mine/server.py" ]
	[ "${lines[1]}" = "next: cd $TMP/mine && socklab lab --server 'python3 server.py' --client 'python3 client.py'" ]
	for f in server.py client.py README.md; do
		cmp "$STARTERS/python/$f" "$TMP/mine/$f"
	done
	[ "$(stat -c %a "$TMP/mine/server.py")" = 755 ]
	[ "$(stat -c %a "$TMP/mine/README.md")" = 644 ]
	[ "$(ls "$TMP/mine" | wc -l)" -eq 3 ]
	grep -F "socklab lab --server 'python3 server.py' --client 'python3 client.py'" "$TMP/mine/README.md"
}

@test "lab --init creates the folders that are missing" {
	run "$SOCKLAB" lab --init "$TMP/a/b/c" --lang c
	[ "$status" -eq 0 ]
	[ -f "$TMP/a/b/c/server.c" ]
	[ -f "$TMP/a/b/c/Makefile" ]
}

@test "lab --init never writes over a file: it names the ones there, exit 1, nothing written" {
	mkdir "$TMP/mine"
	echo "my own work" >"$TMP/mine/server.py"
	echo "notes" >"$TMP/mine/README.md"
	run "$SOCKLAB" lab --init "$TMP/mine"
	[ "$status" -eq 1 ]
	[ "$output" = "socklab lab: $TMP/mine/README.md and $TMP/mine/server.py already there: --init never writes over a file; move them away or choose another folder" ]
	[ "$(cat "$TMP/mine/server.py")" = "my own work" ]
	[ ! -e "$TMP/mine/client.py" ]
}

@test "lab --init: bad --lang and --lang without --init are usage errors" {
	run "$SOCKLAB" lab --init "$TMP/x" --lang rust
	[ "$status" -eq 2 ]
	[[ "$output" == *'unknown language "rust" for --lang: python or c'* ]]
	[ ! -e "$TMP/x" ]
	run "$SOCKLAB" lab --lang c
	[ "$status" -eq 2 ]
	[[ "$output" == *"--lang goes with --init DIR"* ]]
}

@test "the python starters talk to each other: the client's name printed by the server, Hello back" {
	"$SOCKLAB" lab --init "$TMP/py" >/dev/null
	run_pair "'$PY' '$TMP/py/server.py'" "'$PY' '$TMP/py/client.py'"
	grep -E "^received 'alice' from (127\.0\.0\.1|::1) port [0-9]+$" "$TMP/srv.out"
}

@test "the python starter server passes every probe of socklab check" {
	"$SOCKLAB" lab --init "$TMP/py" >/dev/null
	check_in_netns "$TMP/check.json" "$PY" "$TMP/py/server.py"
	[ "$STATUS" -eq 0 ]
	[ "$(verdicts "$TMP/check.json")" = "$ALL_PASS" ]
}

@test "the C starters build warning-free with cc and with their Makefile, and talk to each other" {
	"$SOCKLAB" lab --init "$TMP/c" --lang c >/dev/null
	cc -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -o "$TMP/server" "$TMP/c/server.c"
	cc -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -o "$TMP/client" "$TMP/c/client.c"
	make -s -C "$TMP/c"
	[ -x "$TMP/c/server" ] && [ -x "$TMP/c/client" ]
	run_pair "'$TMP/c/server'" "'$TMP/c/client'"
	grep -x 'received "alice"' "$TMP/srv.out"
}

@test "the C starter server passes every probe of socklab check" {
	"$SOCKLAB" lab --init "$TMP/c" --lang c >/dev/null
	make -s -C "$TMP/c"
	check_in_netns "$TMP/check.json" "$TMP/c/server"
	[ "$STATUS" -eq 0 ]
	[ "$(verdicts "$TMP/check.json")" = "$ALL_PASS" ]
}

# lab_in_netns DIR SERVER CLIENT: socklab lab --server/--client run from
# DIR in a namespace of its own, as user alice (the starters' clients send
# the login name); the evidence in $TMP/ev, the narration in $TMP/lab.out
lab_in_netns() {
	STATUS=0
	(cd "$1" && USER=alice LOGNAME=alice timeout -k 5 120 \
		unshare -n sh -c 'ip link set lo up && exec "$@"' sh \
		"$SOCKLAB" lab --server "$2" --client "$3" --name alice \
		--out "$TMP/ev" --no-images) >"$TMP/lab.out" 2>&1 || STATUS=$?
	cat "$TMP/lab.out"
}

@test "the python starters run through socklab lab --server/--client: every step verified" {
	"$SOCKLAB" lab --init "$TMP/py" >/dev/null
	lab_in_netns "$TMP/py" "$PY server.py" "$PY client.py"
	[ "$STATUS" -eq 0 ]
	grep -qx 'all steps verified' "$TMP/lab.out"
	grep -E '127\.0\.0\.1:59123 +0\.0\.0\.0:\* +LISTEN +[0-9]+/python3' "$TMP/ev/alice_listening.txt"
	grep -F "received 'alice' from" "$TMP/ev/alice_message.txt"
	# the student's own files are handed in, not socklab's
	grep -F 'server.py' "$TMP/ev/alice_code.txt"
	grep -F 'def handle(self):' "$TMP/ev/alice_code.txt"
}

@test "the C starters run through socklab lab --server/--client: every step verified" {
	"$SOCKLAB" lab --init "$TMP/c" --lang c >/dev/null
	make -s -C "$TMP/c"
	lab_in_netns "$TMP/c" ./server ./client
	[ "$STATUS" -eq 0 ]
	grep -qx 'all steps verified' "$TMP/lab.out"
	grep -E '127\.0\.0\.1:59123 +0\.0\.0\.0:\* +LISTEN +[0-9]+/server' "$TMP/ev/alice_listening.txt"
	grep -F 'received "alice"' "$TMP/ev/alice_message.txt"
}
