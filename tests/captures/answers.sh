#!/usr/bin/env bash
# answers.sh [SOCKLAB] - records tshark's answers (default preferences) for
# every pcap the tests hold, so that the differential (fields.py) and the
# filter conformance (filters.py) need no tshark: for each pcap, one line
# per frame of every compared field's values, in answers/DIR/NAME.jsonl
# (DIR: the tests/ folder the pcap lives in).  The compared fields are
# socklab's registry (socklab help fields) and FIELDS; fields.tsv
# gets tshark's type of each (MISSING: a name tshark does not know).  Then
# the generated filters: filters.py record.  Run after changing a pcap, the
# registry or FIELDS; the -z reports in answers/z are answers-z.sh's (kept
# here as they are).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tests=$(cd "$here/.." && pwd)
socklab=${1:-$here/../../build/socklab}
command -v tshark >/dev/null || { echo "answers.sh: tshark is needed" >&2; exit 1; }
ans=$here/answers
rm -rf "$ans.tmp"
mkdir -p "$ans.tmp"

{ "$socklab" help fields | cut -f1; grep -v '^#' "$here/FIELDS" | tr ' ' '\n'; } |
	grep -v '^$' | awk '!seen[$0]++' >"$ans.tmp/names"
tshark -G fields 2>/dev/null | awk -F '\t' '
	FNR == NR { want[$1] = 1; order[++n] = $1; next }
	$1 == "P" { t[$3] = "FT_PROTOCOL" }
	$1 == "F" { t[$3] = $4 }
	END { for (i = 1; i <= n; i++) print order[i] "\t" (order[i] in t ? t[order[i]] : "MISSING") }
' "$ans.tmp/names" - >"$ans.tmp/fields.tsv"
mapfile -t names < <(awk -F '\t' '$2 != "MISSING" { print $1 }' "$ans.tmp/fields.tsv")
args=()
for f in "${names[@]}"; do args+=(-e "$f"); done

n=0
while IFS= read -r pcap; do
	rel=${pcap#"$tests"/}		# golden/pcaps/eth.pcap
	dir=${rel%%/*}
	mkdir -p "$ans.tmp/$dir"
	dst=$ans.tmp/$dir/${rel##*/}.jsonl
	if ! tshark -r "$pcap" -T json "${args[@]}" >"$ans.tmp/out.json" 2>/dev/null; then
		# tshark reads none or part of it: those pcaps are the
		# hostile suite's, not the differential's
		echo "answers.sh: tshark cannot read ${rel}: skipped" >&2
		continue
	fi
	python3 - "$ans.tmp/out.json" >"$dst" <<'PY'
import json, sys
for pkt in json.load(open(sys.argv[1])):
    print(json.dumps(pkt["_source"]["layers"], sort_keys=True,
                     separators=(",", ":"), ensure_ascii=True))
PY
	n=$((n + 1))
done < <(find "$tests/golden/pcaps" "$tests/dfilter/pcaps" "$tests/captures/pcaps" \
	"$tests/hostile/pcaps" -type f \( -name '*.pcap' -o -name '*.pcapng' \) | sort)
rm -f "$ans.tmp/out.json" "$ans.tmp/names"
echo "# recorded by answers.sh with $(tshark -v 2>/dev/null | head -n 1)" >"$ans.tmp/VERSION"
# the -z reports are answers-z.sh's: kept, with their VERSION line
if [ -d "$ans/z" ]; then
	mv "$ans/z" "$ans.tmp/z"
	grep '^# z/ ' "$ans/VERSION" >>"$ans.tmp/VERSION" || true
fi
rm -rf "$ans"
mv "$ans.tmp" "$ans"
echo "answers.sh: $n pcaps, $(wc -l <"$ans/fields.tsv") fields"
