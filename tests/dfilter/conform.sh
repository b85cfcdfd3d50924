#!/usr/bin/env bash
# conform.sh SOCKLAB PCAP [--known] - runs every recorded filter of
# EXPECTED for PCAP through "SOCKLAB capture -r PCAP -Y FILTER" and compares
# the frame numbers with tshark's.  Prints each difference; exit 1 if any
# (or fewer than 80 filters).  --known: checks instead that every line of
# KNOWN_DIFFS for PCAP still differs as recorded.  Called by dfilter.bats
# (a plain script: bats' per-command tracing would make it 6x slower).
set -uo pipefail
socklab=$1 pcap=$2 mode=${3:-}
d=$(cd "$(dirname "$0")" && pwd)

frames() {	# filter -> $got: "1,2,3" or "-"
	local l n out
	got=
	mapfile -t out < <("$socklab" capture -r "$d/pcaps/$pcap" -Y "$1" 2>/dev/null)
	for l in "${out[@]}"; do
		l=${l#"${l%%[![:space:]]*}"}	# the summary's first column
		n=${l%%[[:space:]]*}
		got+=${got:+,}$n
	done
	got=${got:--}
}

declare -A known=() want=()
while IFS=$'\t' read -r p f why; do
	[ "$p" = "$pcap" ] && known["$f"]=$why
done < "$d/KNOWN_DIFFS"
bad=0 n=0
if [ "$mode" = --known ]; then
	while IFS=$'\t' read -r p f w; do
		[ "$p" = "$pcap" ] && want["$f"]=$w
	done < "$d/EXPECTED"
	for f in "${!known[@]}"; do
		frames "$f"
		n=$((n + 1))
		echo "$pcap: $f: tshark ${want[$f]:-?}, socklab $got (${known[$f]})"
		if [ -z "${want[$f]:-}" ] || [ "$got" = "${want[$f]}" ]; then
			echo "  ^ no longer differs: remove it from KNOWN_DIFFS"
			bad=$((bad + 1))
		fi
	done
	exit $((bad > 0))
fi
while IFS=$'\t' read -r p f w; do
	[ "$p" = "$pcap" ] || continue
	[ -n "${known[$f]:-}" ] && continue
	frames "$f"
	n=$((n + 1))
	if [ "$got" != "$w" ]; then
		echo "$pcap: $f: tshark $w, socklab $got"
		bad=$((bad + 1))
	fi
done < "$d/EXPECTED"
echo "$pcap: $n filters compared with tshark, $bad differ, ${#known[@]} known differences skipped"
[ "$n" -ge 80 ] && [ "$bad" -eq 0 ]
