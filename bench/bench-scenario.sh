#!/usr/bin/env bash
# bench-scenario.sh SECTION.md - each `socklab lab --scenario NAME`, wall
# time with hyperfine (1 warm-up, 3 runs), beside the anchor: the plain
# `socklab lab --no-images` run in the same run (the same capture, sampler
# and report).  Target: each under 5 s, but where the kernel's own timers
# set the pace (backlog: the SYN retransmission, 1 s; zero-window: the
# persist timer's probes).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench/scenario.md}
work=build/bench/scenario
socklab=${SOCKLAB:-build/socklab}
runs=${RUNS:-3}
mkdir -p "$work"
names=$("$socklab" lab --scenario list | awk '/^  [a-z]/ {print $1}')

args=(-n "anchor: socklab lab --no-images" "$socklab lab --name bench --out $work/lab --no-images")
for s in $names; do
	args+=(-n "$s" "$socklab lab --scenario $s --name bench --out $work/$s --no-images")
done
hyperfine --style basic --warmup 1 --runs "$runs" -i \
	--export-json "$work/times.json" "${args[@]}" >"$work/hyperfine.out" 2>&1

python3 - "$work/times.json" "$out" "$runs" "$( [ "$(id -u)" -eq 0 ] && echo netns || echo loopback)" <<'PY'
import json, statistics as st, sys
res = json.load(open(sys.argv[1]))["results"]
paced = {"backlog": "the SYN retransmission timer (1 s)",
         "zero-window": "the persist timer (zero-window probes)",
         "half-close": "the 400 ms the lab waits to show both sides waiting"}
with open(sys.argv[2], "w") as f:
    f.write("## Scenarios: `socklab lab --scenario NAME`\n\n")
    f.write("Wall time with hyperfine (1 warm-up, %s runs), median (min-max), each %s, beside\n"
            "the plain lab in the same run; failed runs are counted.\n\n" % (sys.argv[3],
            "in a network namespace of its own" if sys.argv[4] == "netns" else "on this loopback"))
    f.write("| scenario | wall time | vs the lab | failed runs | paced by |\n|---|---|---|---|---|\n")
    anchor = st.median(res[0]["times"])
    worst = 0
    for r in res:
        m = st.median(r["times"])
        name = r["command"]
        bad = sum(1 for c in r["exit_codes"] if c)
        if not name.startswith("anchor"):
            worst = max(worst, m)
        f.write("| %s | %.3f s (%.3f-%.3f) | %.2fx | %d of %d | %s |\n" % (
            name, m, min(r["times"]), max(r["times"]), m / anchor, bad, len(r["times"]),
            paced.get(name, "-")))
    f.write("\nTarget: each scenario under 5 s: %s (slowest %.3f s).\n" % ("met" if worst < 5 else "NOT met", worst))
with open(sys.argv[2][:-3] + ".target", "w") as f:
    f.write("| each `lab --scenario` | < 5 s | slowest %.3f s | %s |\n" % (worst, "met" if worst < 5 else "missed"))
PY
cat "$out"
