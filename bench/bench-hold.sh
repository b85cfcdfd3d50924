#!/usr/bin/env bash
# bench-hold.sh SECTION.md - memory per idle connection: `socklab bench
# --hold 10000 --rate 2000 --duration 10` opens 10,000 connections paced at
# 2,000/s, each with half a name line sent, holds them 10 s, then completes
# every line and checks the replies.  Server VmRSS while held minus VmRSS
# before, divided by the connections held; socklab server beside the
# minimal C epoll server (3 repetitions each) and the Python servers (one).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench/hold.md}
work=build/bench/hold
reps=${REPS:-3}
k=${HOLD:-10000}
secs=${HOLD_S:-10}
SOCKLAB_ARGS="--max-conn $((k + 100)) --idle-timeout $((secs * 3))"
. bench/hello-servers.sh

rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# measure NAME REP: one held run; appends "NAME REP held rss0 rss1 result"
measure() {
	local r=$work/$1.$2.json b i rss0 rss1=""
	start "$1"
	"$socklab" bench -H 127.0.0.1 -p "$SPORT" -n 200 -c 8 >/dev/null 2>&1 || true
	rss0=$(rss_kb "$SPID")
	"$socklab" bench -H 127.0.0.1 -p "$SPORT" --hold "$k" --rate 2000 \
		--duration "$secs" --timeout 10 --json >"$r" 2>/dev/null &
	b=$!
	pids+=("$b")
	# the opening takes k/2000 s; bounded at that plus 30 s
	for i in $(seq $(((k / 2000 + 30) * 20))); do
		grep -q '"event":"holding"' "$r" && { rss1=$(rss_kb "$SPID"); break; }
		kill -0 "$b" 2>/dev/null || break
		sleep 0.05	# poll step; bounded by the loop count
	done
	wait "$b" || true	# the bench bounds itself: hold + timeout
	stop
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$rss0" "${rss1:-0}" \
		"$(tail -n 1 "$r")" >>"$work/rows"
	echo "hold $1 rep $2 done" >&2
}

: >"$work/rows"
for rep in $(seq "$reps"); do
	measure epoll "$rep"
	measure socklab-file "$rep"
done
measure asyncio 1
measure threading 1

python3 - "$work/rows" "$out" "$k" "$secs" <<'PY'
import json, statistics as st, sys
rows, out, k, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
names = {
    "epoll": "minimal C epoll server (256-byte slot per descriptor)",
    "socklab-file": "socklab server (log to a file)",
    "asyncio": "Python asyncio streams",
    "threading": "Python socketserver.ThreadingTCPServer",
}
data = {}
for line in open(rows):
    s, rep, rss0, rss1, res = line.rstrip("\n").split("\t", 4)
    o = json.loads(res)
    d = data.setdefault(s, {"per": [], "held": [], "ok": [], "rss1": []})
    held = o["held"]
    d["per"].append((int(rss1) - int(rss0)) * 1024 / held if held and int(rss1) else float("nan"))
    d["held"].append(held)
    d["ok"].append(o["ok"])
    d["rss1"].append(int(rss1) / 1024)

def mm(v, fmt="%.0f"):
    return (fmt + " (" + fmt + "-" + fmt + ")") % (st.median(v), min(v), max(v))

ref = st.median(data["epoll"]["per"])
with open(out, "w") as f:
    f.write("## Held idle connections: server memory per connection\n\n")
    f.write("`socklab bench --hold %d --rate 2000 --duration %s --timeout 10`: %d connections opened at\n"
            "2,000/s, each with half a name line sent, held %s s, then completed and checked. Server\n"
            "VmRSS while held minus VmRSS before (after 200 warm-up exchanges), per connection held.\n"
            "The kernel's own memory per socket (~4 KB) is the same for every server and not counted.\n\n"
            % (k, secs, k, secs))
    f.write("| server | runs | held | bytes per connection | vs C epoll | server VmRSS while held | replies ok after the hold |\n")
    f.write("|---|---|---|---|---|---|---|\n")
    for s in names:
        if s not in data:
            continue
        d = data[s]
        f.write("| %s | %d | %d | %s | %.2fx | %.1f MiB | %d of %d |\n" % (
            names[s], len(d["per"]), min(d["held"]), mm(d["per"]),
            st.median(d["per"]) / ref, st.median(d["rss1"]), min(d["ok"]), k))
    if "socklab-file" in data:
        f.write("\nTarget: socklab at most 2x the C epoll server's bytes per connection: %.2fx.\n"
                % (st.median(data["socklab-file"]["per"]) / ref))
        r = st.median(data["socklab-file"]["per"]) / ref
        with open(out[:-3] + ".target", "w") as t:
            t.write("| memory per idle held connection vs the C epoll server | <= 2x | %.2fx (%.0f B) | %s |\n"
                    % (r, st.median(data["socklab-file"]["per"]), "met" if r <= 2 else "missed"))
PY
cat "$out"
