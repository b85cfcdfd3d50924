#!/usr/bin/env bash
# build-configs.sh [JOBS] - builds the program, the unit tests and the fuzz
# replays in every configuration the README or a developer may use, each
# in its own build/configs/NAME (kept, so a later run rebuilds only what
# changed), and prints one TAP line per configuration: -Werror makes any
# warning a failure.  gcc's -Wmaybe-uninitialized and -Wformat-truncation
# differ with the optimisation level and the sanitizers, so each level is
# built.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-2}

configs=(
	"gcc-O0|gcc|-O0 -g|"
	"gcc-Og|gcc|-Og -g|"
	"gcc-O3|gcc|-O3|"
	"gcc-Os|gcc|-Os|"
	"gcc-asan-readme|gcc|-O1 -g|-fsanitize=address,undefined"
	"clang-O2|clang|-O2 -g|"
	"clang-asan|clang|-O1 -g|-fsanitize=address,undefined"
)
n=0
for c in "${configs[@]}"; do
	IFS='|' read -r name cc cflags san <<<"$c"
	n=$((n + 1))
	if ! command -v "$cc" >/dev/null; then
		echo "ok $n - $name # SKIP $cc not installed"
		continue
	fi
	out=build/configs/$name.log
	mkdir -p build/configs
	if make -s -j"$jobs" BUILD="build/configs/$name" CC="$cc" \
		CFLAGS="$cflags" SAN="$san" all unit replay >"$out" 2>&1; then
		echo "ok $n - warning-free build: CC=$cc CFLAGS='$cflags' SAN='$san'"
	else
		echo "not ok $n - build with warnings or errors: CC=$cc CFLAGS='$cflags' SAN='$san' (see $out)"
		grep -E 'error|warning' "$out" | head -n 5 | sed 's/^/# /'
	fi
done
echo "1..$n"
