#!/usr/bin/env bash
# bench-server.sh SECTION.md - the hello exchange (connect, send "alice\n",
# read "Hello, alice!\n", close) against socklab server and its anchors in
# the same run: a minimal C epoll server (the limit reference), Python
# asyncio, Python socketserver.ThreadingTCPServer and socat fork.
# Per repetition and server: a warm-up, 20,000 exchanges at -c 64 (rate,
# server CPU per exchange from /proc/PID/stat), 200 sequential (latency).
# Then the load generators themselves: socklab bench against a minimal C
# epoll load generator, both on the C epoll server.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench/server.md}
work=build/bench/server
reps=${REPS:-3}
n=${EXCHANGES:-20000}
cap=${CAP_S:-5}		# a slow anchor stops after this many seconds
tck=$(getconf CLK_TCK)
. bench/hello-servers.sh

cpu_ticks() {	# PID: utime + stime + reaped children's (socat forks)
	awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat"
}

bench_json() {	# ARGS... -> one JSON line (exit 1 just means errors)
	"$socklab" bench -H 127.0.0.1 -p "$SPORT" --json "$@" 2>/dev/null || true
}

# timed CMD...: "CPU-SECONDS STDOUT" - the command's own user+sys time
timed() {
	python3 -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.4f" % (u.ru_utime + u.ru_stime), r.stdout.decode().strip())' "$@"
}

servers=(epoll socklab-file socklab-null asyncio threading socat)
: >"$work/rows"
: >"$work/gen"
for rep in $(seq "$reps"); do
	for s in "${servers[@]}"; do
		start "$s"
		bench_json -n 2000 -c 64 --duration 1 >/dev/null
		c0=$(cpu_ticks "$SPID")
		r64=$(bench_json -n "$n" -c 64 --duration "$cap")
		c1=$(cpu_ticks "$SPID")
		r1=$(bench_json -n 200 -c 1 --duration "$cap")
		if [ "$s" = epoll ]; then
			for _ in 1 2; do
				echo "socklab $(timed "$socklab" bench -H 127.0.0.1 \
					-p "$SPORT" --json -n "$n" -c 64 --duration "$cap")" >>"$work/gen"
				echo "epoll-load $(timed "$anchors/epoll-load" "$SPORT" "$n" 64)" >>"$work/gen"
			done
		fi
		stop
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$s" "$((c1 - c0))" \
			"$tck" "$r64" "$r1" >>"$work/rows"
		echo "rep $rep $s done" >&2
	done
done

python3 - "$work/rows" "$work/gen" "$out" "$n" "$cap" <<'PY'
import json, re, statistics as st, sys
rows, gen, out, n, cap = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
names = {
    "epoll": "minimal C epoll server (limit reference)",
    "socklab-file": "socklab server, log to a file",
    "socklab-null": "socklab server, log to /dev/null",
    "asyncio": "Python asyncio streams",
    "threading": "Python socketserver.ThreadingTCPServer",
    "socat": "socat fork (a shell per client)",
}
data = {}
for line in open(rows):
    rep, s, ticks, tck, r64, r1 = line.rstrip("\n").split("\t")
    a, b = json.loads(r64), json.loads(r1)
    done = a["exchanges"]
    d = data.setdefault(s, {"rate": [], "cpu": [], "p50": [], "p99": [], "c1p50": [], "c1p99": [], "err": [], "done": []})
    d["rate"].append(a["rate"])
    d["cpu"].append(int(ticks) * 1e6 / int(tck) / done if done else float("nan"))
    d["p50"].append(a["latency_us"]["p50"]); d["p99"].append(a["latency_us"]["p99"])
    d["c1p50"].append(b["latency_us"]["p50"]); d["c1p99"].append(b["latency_us"]["p99"])
    d["err"].append(sum(a["errors"].values()) + sum(b["errors"].values()))
    d["done"].append(done)

def mm(v, fmt="%.0f"):
    return (fmt + " (" + fmt + "-" + fmt + ")") % (st.median(v), min(v), max(v))

ref = data["epoll"]
rr, rc = st.median(ref["rate"]), st.median(ref["cpu"])
with open(out, "w") as f:
    reps = len(ref["rate"])
    f.write("## Hello exchange: socklab server beside its anchors\n\n")
    f.write("Each of %d repetitions starts every server afresh, warms it up (2,000 exchanges), then\n"
            "`socklab bench -H 127.0.0.1 -n %d -c 64 --duration %s` (rate; server CPU per\n"
            "exchange = utime+stime (+ reaped children) from /proc/PID/stat over the run, divided by the\n"
            "exchanges) and `socklab bench -n 200 -c 1` (sequential latency). Medians (min-max).\n"
            "A slow anchor stops at the %s s bound; its rate is what it managed until then.\n\n"
            % (reps, n, cap, cap))
    f.write("| server | exchanges/s at c=64 | vs C epoll | server CPU per exchange | vs C epoll | c=64 p50 / p99 | c=1 p50 / p99 | errors |\n")
    f.write("|---|---|---|---|---|---|---|---|\n")
    for s in names:
        if s not in data:
            continue
        d = data[s]
        f.write("| %s | %s | %.2fx | %s us | %.2fx | %.0f / %.0f us | %.0f / %.0f us | %d |\n" % (
            names[s], mm(d["rate"]), st.median(d["rate"]) / rr, mm(d["cpu"], "%.1f"),
            st.median(d["cpu"]) / rc, st.median(d["p50"]), st.median(d["p99"]),
            st.median(d["c1p50"]), st.median(d["c1p99"]), sum(d["err"])))
    g = {"socklab": [], "epoll-load": []}
    gc = {"socklab": [], "epoll-load": []}
    for line in open(gen):
        who, cpu, rest = line.split(" ", 2)
        if who == "socklab":
            o = json.loads(rest)
            rate, done = o["rate"], o["exchanges"]
        else:
            m = re.search(r"^(\d+) exchanges .*: (\d+)/s", rest)
            if not m:
                continue
            rate, done = float(m.group(2)), int(m.group(1))
        g[who].append(rate)
        gc[who].append(float(cpu) * 1e6 / done)
    f.write("\n### The load generator itself\n\n"
            "On the C epoll server, %d runs each of %d exchanges at c=64, alternating; the generator's\n"
            "own CPU (user+sys, from getrusage) per exchange:\n\n" % (len(g["socklab"]), n))
    f.write("| load generator | exchanges/s | vs C epoll generator | generator CPU per exchange |\n|---|---|---|---|\n")
    ge = st.median(g["epoll-load"])
    f.write("| minimal C epoll load generator (bench/anchors/epoll-load.c) | %s | 1.00x | %s us |\n"
            % (mm(g["epoll-load"]), mm(gc["epoll-load"], "%.1f")))
    f.write("| socklab bench | %s | %.2fx | %s us |\n" % (mm(g["socklab"]), st.median(g["socklab"]) / ge,
                                                      mm(gc["socklab"], "%.1f")))
    f.write("\nOn loopback the kernel runs most of the peer's TCP work in the sender's system call, so\n"
            "both sides' CPU per exchange is mostly kernel time; when the generator's exceeds the\n"
            "server's, the generator (one core of two) bounds exchanges/s and server CPU per exchange\n"
            "is the fairer comparison.\n")
    f.write("\n### Targets\n\n")
    for s, label in (("socklab-file", "log to a file"), ("socklab-null", "log to /dev/null")):
        if s not in data:
            continue
        d = data[s]
        f.write("- socklab server (%s): %.2fx the C epoll server's exchanges/s (target >= 0.9x), "
                "%.2fx its CPU per exchange (target <= 1.25x), %.1fx the threaded Python server's rate (target >= 10x)\n"
                % (label, st.median(d["rate"]) / rr, st.median(d["cpu"]) / rc,
                   st.median(d["rate"]) / st.median(data["threading"]["rate"])))
    th = data["threading"]
    f.write("- for scale, the C epoll reference itself: %.1fx the threaded Python server's rate, "
            "%.1fx less CPU per exchange; socklab server (log to a file): %.1fx less CPU per exchange\n"
            % (rr / st.median(th["rate"]), st.median(th["cpu"]) / rc,
               st.median(th["cpu"]) / st.median(data["socklab-file"]["cpu"])))
    f.write("- socklab bench: %.2fx the C epoll load generator's rate (target >= 1x)\n" % (st.median(g["socklab"]) / ge))
d = data["socklab-file"]
rate, cpu = st.median(d["rate"]) / rr, st.median(d["cpu"]) / rc
py = st.median(d["rate"]) / st.median(data["threading"]["rate"])
ref_py = rr / st.median(data["threading"]["rate"])
gen = st.median(g["socklab"]) / ge
with open(out[:-3] + ".target", "w") as t:
    t.write("| hello exchanges/s at c=64 vs the C epoll server | >= 0.9x | %.2fx | %s |\n" % (rate, "met" if rate >= 0.9 else "missed"))
    t.write("| server CPU per exchange vs the C epoll server | <= 1.25x | %.2fx | %s |\n" % (cpu, "met" if cpu <= 1.25 else "missed"))
    t.write("| hello exchanges/s vs the threaded Python server | >= 10x | %.1fx | %s |\n" % (py, "met" if py >= 10 else
            "missed: the C epoll reference itself reaches %.1fx on this machine" % ref_py))
    t.write("| socklab bench vs a C epoll load generator | >= 1.0x | %.2fx | %s |\n" % (gen, "met" if gen >= 1.0 else "missed"))
PY
cat "$out"
