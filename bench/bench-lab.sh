#!/usr/bin/env bash
# bench-lab.sh SECTION.md - the whole `socklab lab --name NAME --out DIR`
# run, wall time with hyperfine (a warm-up, then 5 runs), beside the same
# run without images and without capture, to show where the time goes.
# Target: under 2 s.  When this build has no lab, the section says so.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench/lab.md}
work=build/bench/lab
mkdir -p "$work"
socklab=${SOCKLAB:-build/socklab}
runs=${RUNS:-5}

if ! "$socklab" lab --help >/dev/null 2>&1; then
	{
		echo "## The whole lab"
		echo
		echo "Not measured: this build has no \`socklab lab\` yet (\`$socklab lab --help\` failed)."
	} >"$out"
	cat "$out"
	exit 0
fi

lab="$socklab lab --name bench --out $work/evidence"
# failed runs are kept apart (exit codes in the JSON), not timed as if done
hyperfine --style basic --warmup 1 --runs "$runs" -i \
	--export-json "$work/times.json" \
	-n "socklab lab" "$lab" \
	-n "socklab lab --no-images" "$lab --no-images" \
	-n "socklab lab --no-capture --no-images" "$lab --no-capture --no-images" \
	>"$work/hyperfine.out" 2>&1

python3 - "$work/times.json" "$out" "$runs" <<'PY'
import json, statistics as st, sys
res = json.load(open(sys.argv[1]))["results"]
def ok_times(r):
    return [t for t, c in zip(r["times"], r["exit_codes"]) if c == 0]
with open(sys.argv[2], "w") as f:
    f.write("## The whole lab: `socklab lab --name bench --out DIR`\n\n")
    f.write("Wall time with hyperfine (1 warm-up, %s runs), median (min-max) of the runs that\n"
            "exited 0; failed runs are counted, not timed:\n\n" % sys.argv[3])
    f.write("| command | wall time | vs the whole lab | failed runs |\n|---|---|---|---|\n")
    full = ok_times(res[0])
    for r in res:
        t = ok_times(r)
        bad = len(r["times"]) - len(t)
        if not t:
            f.write("| %s | - | - | %d of %d |\n" % (r["command"], bad, len(r["times"])))
            continue
        f.write("| %s | %.3f s (%.3f-%.3f) | %s | %d of %d |\n" % (
            r["command"], st.median(t), min(t), max(t),
            "%.2fx" % (st.median(t) / st.median(full)) if full else "-",
            bad, len(r["times"])))
    if full:
        m = st.median(full)
        f.write("\nTarget: the whole lab under 2 s: %s (%.3f s).\n" % ("met" if m < 2 else "NOT met", m))
    else:
        f.write("\nTarget: the whole lab under 2 s: not measured, every run failed.\n")
with open(sys.argv[2][:-3] + ".target", "w") as f:
    m = st.median(full) if full else float("nan")
    f.write("| the whole `socklab lab` | < 2 s | %s | %s |\n" % ("%.3f s" % m if full else "every run failed",
            "met" if full and m < 2 else "missed"))
PY
cat "$out"
