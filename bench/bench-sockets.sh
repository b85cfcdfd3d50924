#!/usr/bin/env bash
# bench-sockets.sh SECTION.md - listing 10,000 established loopback TCP
# sockets (5,000 pairs held by bench/sockholder.py): `socklab sockets`
# against `ss -tan` and `netstat -tan`, with -p against `ss -tanp` and
# `netstat -tanp`, with -i (tcp_info under each row) against `ss -tani`
# (medians, min-max, ratios to ss); and `sockets --stats` (the kernel's
# counters, a history file read and written) beside `nstat -az`.  Also measured beside
# them: reading /proc/net/tcp{,6} alone, the start-up of the full binary,
# and `sockets` built alone (bench/sockets-main.c, libmnl only) to show
# what the start-up costs.  The machine is shared: every command is timed
# in ROUNDS hyperfine rounds, all commands in each round and in a rotated
# order, so a load that comes and goes falls on all of them alike.  Every
# socket opened is reset on exit (SO_LINGER 0), so no TIME_WAIT is left.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench/sockets.md}
work=$(dirname "$out")/sockets
mkdir -p "$work" "$(dirname "$out")"
socklab=${SOCKLAB:-build/socklab}
pairs=${PAIRS:-5000}
runs=${RUNS:-15}
rounds=${ROUNDS:-3}
lib=$(dirname "$socklab")/libsocklab.a

for t in hyperfine ss netstat nstat python3; do
	command -v "$t" >/dev/null || { echo "bench-sockets: $t is missing" >&2; exit 1; }
done
[ -x "$socklab" ] && [ -f "$lib" ] || { echo "bench-sockets: build first (make)" >&2; exit 1; }
lean=$work/sockets-lean
${CC:-cc} -O2 -std=c17 -D_GNU_SOURCE -Iinclude -Icli -o "$lean" \
	bench/sockets-main.c cli/cmd-sockets*.c cli/opt.c cli/reflex.c cli/color.c "$lib" -lmnl -lm

tw() { ss -Htan state time-wait | wc -l; }
# old TIME_WAIT sockets inflate every lister alike; wait (bounded) for them
for _ in $(seq 60); do [ "$(tw)" -lt 500 ] && break; sleep 1; done

. bench/holder.sh
trap holder_stop EXIT
holder_start bench-sockets "$work" "$pairs"
total=$(ss -Htan | wc -l)
tws=$(tw)
# the sets agree before anything is timed, and -i has an internals line
# under every row but TIME_WAIT's (which has none)
"$socklab" sockets --json | wc -l >"$work/count"
"$socklab" sockets -i | grep -c $'^\t ' >"$work/info-lines"

export SOCKLAB_STATS_HISTORY=$work/stats-history
names=("socklab sockets" "ss -tan" "netstat -tan" "socklab sockets -p"
	"ss -tanp" "netstat -tanp" "socklab sockets -i" "ss -tani"
	"socklab sockets --stats" "nstat -az" "read /proc/net/tcp{,6}"
	"sockets, lean build" "sockets -p, lean build"
	"socklab version (start-up)" "ss -V (start-up)")
cmds=("$socklab sockets" "ss -tan" "netstat -tan" "$socklab sockets -p"
	"ss -tanp" "netstat -tanp" "$socklab sockets -i" "ss -tani"
	"$socklab sockets --stats" "nstat -az"
	"cat /proc/net/tcp /proc/net/tcp6" "$lean" "$lean -p"
	"$socklab version" "ss -V")
per=$(( (runs + rounds - 1) / rounds ))
: >"$work/hyperfine.log"
for ((r = 0; r < rounds; r++)); do
	args=()
	for ((k = 0; k < ${#names[@]}; k++)); do
		i=$(( (k + r * 3) % ${#names[@]} ))
		args+=(-n "${names[i]}" "${cmds[i]}")
	done
	hyperfine -N --warmup 2 --runs "$per" --export-json "$work/h$r.json" \
		"${args[@]}" >>"$work/hyperfine.log" 2>&1
done

nlibs=$(ldd "$socklab" | grep -c '=>' || true)
python3 - "$work" "$rounds" "$out" "$pairs" "$total" "$tws" "$(cat "$work/count")" "$nlibs" "$(cat "$work/info-lines")" <<'PY'
import json, statistics as st, sys
work, rounds, out, pairs, total, tws, listed, nlibs, info = sys.argv[1:]
rounds = int(rounds)
res, per_round = {}, []
for r in range(rounds):
    got = {x["command"]: x["times"] for x in json.load(open("%s/h%d.json" % (work, r)))["results"]}
    per_round.append({k: st.median(v) for k, v in got.items()})
    for k, v in got.items():
        res.setdefault(k, []).extend(v)
res = {k: sorted(v) for k, v in res.items()}
med = {k: st.median(v) * 1000 for k, v in res.items()}
def spread(name, anchor):
    rs = sorted(p[name] / p[anchor] for p in per_round)
    return "%.2f-%.2fx" % (rs[0], rs[-1])
def row(name, anchor=None):
    t = res[name]
    ratio = "%.2fx" % (med[name] / med[anchor]) if anchor else "-"
    return "| %s | %.1f | %.1f-%.1f | %s |\n" % (name, med[name], t[0] * 1000, t[-1] * 1000, ratio)
with open(out, "w") as f:
    f.write("## Socket listing: %s established loopback pairs\n\n" % pairs)
    f.write("%s TCP sockets on the machine while timed (%s in TIME_WAIT); "
            "`socklab sockets --json` listed %s. hyperfine, %d runs each after "
            "2 warm-ups per round, in %d rounds of every command (rotated order); "
            "output to /dev/null.\n\n"
            % (total, tws, listed, len(res["ss -tan"]), rounds))
    f.write("| command | median ms | min-max ms | vs ss |\n|---|---|---|---|\n")
    for n in ("socklab sockets", "ss -tan", "netstat -tan"):
        f.write(row(n, "ss -tan"))
    for n in ("socklab sockets -p", "ss -tanp", "netstat -tanp"):
        f.write(row(n, "ss -tanp"))
    for n in ("socklab sockets -i", "ss -tani"):
        f.write(row(n, "ss -tani"))
    f.write(row("socklab sockets --stats"))
    f.write(row("nstat -az"))
    f.write(row("read /proc/net/tcp{,6}", "ss -tan"))
    f.write(row("sockets, lean build", "ss -tan"))
    f.write(row("sockets -p, lean build", "ss -tanp"))
    f.write(row("socklab version (start-up)"))
    f.write(row("ss -V (start-up)"))
    f.write("\nRatio of the medians within each round: sockets %s, "
            "sockets -p %s, sockets -i %s.\n" % (spread("socklab sockets", "ss -tan"),
                                  spread("socklab sockets -p", "ss -tanp"),
                                  spread("socklab sockets -i", "ss -tani")))
    f.write("\n`sockets -i` printed an internals line under %s rows. `--stats` "
            "reads /proc/net/snmp, netstat and snmp6, compares with its "
            "history file and writes it again, every run; `nstat -az` reads "
            "the same files and keeps its own history.\n" % info)
    f.write("\nTarget: at most 0.80x ss, plain, with -p and with -i; --stats "
            "under 20 ms. The lean build is "
            "the same `sockets` code linked with libmnl alone "
            "(bench/sockets-main.c): the gap to the full binary is the "
            "start-up of the %s shared libraries it loads (libpcap's "
            "dependencies), see `socklab version`.\n" % nlibs)
with open(out[:-3] + ".target", "w") as t:
    for name, anchor in (("socklab sockets", "ss -tan"), ("socklab sockets -p", "ss -tanp"),
                         ("socklab sockets -i", "ss -tani")):
        r = med[name] / med[anchor]
        t.write("| `%s` vs `%s` | <= 0.8x | %.2fx | %s |\n" % (name, anchor, r, "met" if r <= 0.8 else "missed"))
    s = med["socklab sockets --stats"]
    t.write("| `socklab sockets --stats` (nstat -az: %.1f ms) | < 20 ms | %.1f ms | %s |\n"
            % (med["nstat -az"], s, "met" if s < 20 else "missed"))
PY
cat "$out"
