#!/usr/bin/env bash
# bench-why.sh SECTION.md - `socklab why localhost PORT` against a socklab
# server that answers (no timeout involved) while 10,000 established
# loopback sockets are open (5,000 pairs held by bench/sockholder.py),
# beside `ss -tanp` and `ss -tan` timed in the same rounds.  why runs every
# check: resolve, the sockets on the port and their owners, the route,
# the attempt with its capture (as root) and the probe line, the queues
# and limits.  Target: under 300 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench/why.md}
work=$(dirname "$out")/why
mkdir -p "$work" "$(dirname "$out")"
socklab=${SOCKLAB:-build/socklab}
pairs=${PAIRS:-5000}
runs=${RUNS:-15}
rounds=${ROUNDS:-3}

for t in hyperfine ss python3; do
	command -v "$t" >/dev/null || { echo "bench-why: $t is missing" >&2; exit 1; }
done
[ -x "$socklab" ] || { echo "bench-why: build first (make)" >&2; exit 1; }

. bench/holder.sh
server=
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	holder_stop
}
trap cleanup EXIT
holder_start bench-why "$work" "$pairs"
"$socklab" server -p 0 >"$work/server.out" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q '^listening on' "$work/server.out" && break; sleep 0.05; done
port=$(head -n 1 "$work/server.out" | grep -oE ':[0-9]+' | head -n 1 | tr -d :)
[ -n "$port" ] || { echo "bench-why: the server did not start" >&2; exit 1; }
total=$(ss -Htan | wc -l)
# the verdict must be "works" before anything is timed
"$socklab" why localhost "$port" >"$work/why.out" || { cat "$work/why.out" >&2; exit 1; }
grep -q '^verdict: .* works' "$work/why.out"

names=("socklab why localhost P" "socklab why --no-capture" "ss -tanp" "ss -tan")
cmds=("$socklab why localhost $port" "$socklab why --no-capture localhost $port"
	"ss -tanp" "ss -tan")
per=$(( (runs + rounds - 1) / rounds ))
: >"$work/hyperfine.log"
for ((r = 0; r < rounds; r++)); do
	args=()
	for ((k = 0; k < ${#names[@]}; k++)); do
		i=$(( (k + r) % ${#names[@]} ))
		args+=(-n "${names[i]}" "${cmds[i]}")
	done
	hyperfine -N --warmup 2 --runs "$per" --export-json "$work/h$r.json" \
		"${args[@]}" >>"$work/hyperfine.log" 2>&1
done

python3 - "$work" "$rounds" "$out" "$pairs" "$total" "$(id -u)" <<'PY'
import json, statistics as st, sys
work, rounds, out, pairs, total, uid = sys.argv[1:]
rounds = int(rounds)
res = {}
for r in range(rounds):
    for x in json.load(open("%s/h%d.json" % (work, r)))["results"]:
        res.setdefault(x["command"], []).extend(x["times"])
res = {k: sorted(v) for k, v in res.items()}
med = {k: st.median(v) * 1000 for k, v in res.items()}
def row(name, anchor):
    t = res[name]
    return "| %s | %.1f | %.1f-%.1f | %.2fx |\n" % (
        name, med[name], t[0] * 1000, t[-1] * 1000, med[name] / med[anchor])
with open(out, "w") as f:
    f.write("## socklab why with %s established loopback pairs\n\n" % pairs)
    f.write("%s TCP sockets on the machine while timed; a socklab server "
            "answers on the port, so no timeout is involved. Run as %s "
            "(the attempt is %s). hyperfine, %d runs each after 2 warm-ups "
            "per round, in %d rounds of every command (rotated order).\n\n"
            % (total, "root" if uid == "0" else "uid " + uid,
               "captured on lo" if uid == "0" else "not captured",
               len(res["ss -tanp"]), rounds))
    f.write("| command | median ms | min-max ms | vs ss -tanp |\n|---|---|---|---|\n")
    for n in ("socklab why localhost P", "socklab why --no-capture", "ss -tanp", "ss -tan"):
        f.write(row(n, "ss -tanp"))
    f.write("\nTarget: `socklab why localhost P` under 300 ms with 10,000 "
            "sockets open. On this path why reads the socket table once "
            "(a second time only when no reply comes, for the server's end) "
            "and looks up the owners of the port's sockets alone, where "
            "`ss -tanp` looks up every socket's owner; the capture of the "
            "attempt costs the difference between the first two rows.\n")
m = med["socklab why localhost P"]
with open(out[:-3] + ".target", "w") as t:
    t.write("| `socklab why localhost P`, 10,000 sockets open | < 300 ms | %.0f ms (ss -tanp %.0f ms) | %s |\n"
            % (m, med["ss -tanp"], "met" if m < 300 else "missed"))
PY
cat "$out"
