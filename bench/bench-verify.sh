#!/usr/bin/env bash
# bench-verify.sh SECTION.md - `socklab lab --verify` over a class of 30
# bundles made by the lab (each with its capture, images and hashes),
# wall time with hyperfine (a warm-up, then 5 runs), beside the anchor: the
# same checks with the classic tools, per bundle `sha256sum -c` of its list
# and tshark finding the name in its capture (what a teacher would run by
# hand).  Target: 30 bundles under 3 s.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench/verify.md}
work=build/bench/verify
socklab=${SOCKLAB:-build/socklab}
runs=${RUNS:-5}
n=${BUNDLES:-30}
rm -rf "$work"
mkdir -p "$work/class"
: >"$work/cpu"

made=0
for i in $(seq -w 1 "$n"); do
	if "$socklab" lab --name "s$i" --out "$work/class/s$i" >/dev/null 2>&1; then
		made=$((made + 1))
	fi
done
# the anchor: per bundle, its hashes and the name in its capture
cat >"$work/by-hand.sh" <<'SH'
for d in "$1"/*/; do
	name=$(basename "$d")
	(cd "$d" && sha256sum -c --quiet "${name}_sha256sums.txt")
	tshark -r "$d/${name}_packet.pcapng" -Y "tcp.payload contains \"$name\"" -T fields -e frame.number >/dev/null
done
SH
hyperfine --style basic --warmup 1 --runs "$runs" -i \
	--export-json "$work/times.json" \
	-n "socklab lab --verify ($n bundles)" "$socklab lab --verify $work/class" \
	-n "socklab lab --verify --csv" "$socklab lab --verify $work/class --csv" \
	-n "by hand: sha256sum -c and tshark per bundle" "bash $work/by-hand.sh $work/class" \
	>"$work/hyperfine.out" 2>&1

# CPU time (user + sys) of --verify, as the machine's load inflates wall
# time: it checks the bundles on every core
for _ in 1 2 3; do
	/usr/bin/time -f "%U %S" -a -o "$work/cpu" "$socklab" lab --verify "$work/class" >/dev/null || true
done

python3 - "$work/times.json" "$out" "$runs" "$n" "$made" "$work/cpu" "$(nproc)" <<'PY'
import json, statistics as st, sys
res = json.load(open(sys.argv[1]))["results"]
runs, n, made = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
cpu = [sum(map(float, l.split())) for l in open(sys.argv[6]) if l.strip()]
with open(sys.argv[2], "w") as f:
    f.write("## Checking a class: `socklab lab --verify` of %d bundles\n\n" % n)
    f.write("%d of %d bundles made by `socklab lab --name sNN` (capture, 5 images, hashes). Wall time\n"
            "with hyperfine (1 warm-up, %s runs), median (min-max). The anchor does less: it checks\n"
            "the hashes and finds the name, where --verify also reads the snapshots, draws every image\n"
            "again and compares the bundles with each other.\n\n" % (made, n, runs))
    f.write("| command | wall time | per bundle | vs the anchor |\n|---|---|---|---|\n")
    anchor = st.median(res[-1]["times"])
    for r in res:
        m = st.median(r["times"])
        f.write("| %s | %.3f s (%.3f-%.3f) | %.1f ms | %.2fx |\n" % (
            r["command"], m, min(r["times"]), max(r["times"]), 1000 * m / n, m / anchor))
    m = st.median(res[0]["times"])
    f.write("\nCPU time of `lab --verify` (user + sys, /usr/bin/time, 3 runs): %.3f s median (%.3f-%.3f),\n"
            "spread over the %s cores (the bundles are checked in parallel).\n"
            % (st.median(cpu), min(cpu), max(cpu), sys.argv[7]))
    f.write("\nTarget: 30 bundles under 3 s: %s (%.3f s).\n" % ("met" if m < 3 else "NOT met", m))
with open(sys.argv[2][:-3] + ".target", "w") as f:
    m = st.median(res[0]["times"])
    f.write("| `lab --verify` of %d bundles | < 3 s | %.3f s | %s |\n" % (n, m, "met" if m < 3 else "missed"))
PY
cat "$out"
