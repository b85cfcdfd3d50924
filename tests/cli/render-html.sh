#!/usr/bin/env bash
# render-html.sh HTML OUT.png [WIDTH [HEIGHT]]
# Renders a local HTML file to a PNG with Debian's headless Chromium, the
# way a phone (412 px wide by default) would show it.  No network: the page
# must be self-contained, and Chromium's own background traffic is off.
# Exit 0 when OUT.png was written, 1 otherwise (Chromium's output shown).
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 4 ]; then
	echo "usage: $0 HTML OUT.png [WIDTH [HEIGHT]]" >&2
	exit 2
fi
[ -f "$1" ] || { echo "$0: no such file: $1" >&2; exit 1; }
# a file: URL with the path percent-encoded (spaces, '#', '?' in names)
url=$(python3 -c 'import pathlib, sys
print(pathlib.Path(sys.argv[1]).resolve().as_uri())' "$1")
out=$(realpath -m -- "$2")
width=${3:-412}
height=${4:-2000}
. "$(dirname "$0")/chromium.bash"	# headless()
profile=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$profile" "$log"' EXIT
rm -f "$out"
if ! headless "$profile" --screenshot="$out" --window-size="$width,$height" \
	"$url" >"$log" 2>&1 || [ ! -s "$out" ]; then
	echo "$0: chromium could not render $1:" >&2
	cat "$log" >&2
	exit 1
fi
