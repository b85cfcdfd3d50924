#!/usr/bin/env bash
# deps.sh [PROFILE...] - installs what socklab needs on Debian/Ubuntu, for
# one purpose at a time (default: lab):
#   lab    build socklab and run the lab: a C compiler, make, the libraries
#   check  lab + what `make check` runs beside it (bats, cmocka, tshark,
#          tcpdump, valgrind, chromium, zsh, node …), and the npm package
#          the browser test drives chromium with (tests/browser, npm ci)
#   bench  lab + the anchors and tools `make bench` measures against
#   fuzz   lab + clang and its libFuzzer runtime (`make fuzz`)
# Quiet when everything is there: then it needs no root.  When something
# is missing it installs it as root or through sudo without a password, and
# otherwise prints the one `sudo apt-get install …` line to ask for and
# exits 1.  SL_DEPS_ROOT=DIR looks for the packages under DIR instead of /
# (what a chroot lacks) and then only reports, never installs.
set -euo pipefail
root=${SL_DEPS_ROOT:-}

# package -> a file (or glob) that proves it is installed
declare -A probe=(
	[gcc]=/usr/bin/gcc
	[make]=/usr/bin/make
	[libc6-dev]=/usr/include/stdio.h
	[pkg-config]=/usr/bin/pkg-config
	[libpcap-dev]=/usr/include/pcap/pcap.h
	[libmnl-dev]=/usr/include/libmnl/libmnl.h
	[libpcre2-dev]=/usr/include/pcre2.h
	[libgd3]='/usr/lib/*/libgd.so.3'
	[libgd-dev]=/usr/include/gd.h
	[libcmocka-dev]=/usr/include/cmocka.h
	[bats]=/usr/bin/bats
	[clang]=/usr/bin/clang
	[tcpdump]=/usr/bin/tcpdump
	[tshark]=/usr/bin/tshark
	[iproute2]=/usr/bin/ss
	[python3]=/usr/bin/python3
	[python3-scapy]=/usr/lib/python3/dist-packages/scapy
	[net-tools]=/usr/bin/netstat
	[hyperfine]=/usr/bin/hyperfine
	[libjpeg-turbo-progs]=/usr/bin/djpeg
	[valgrind]=/usr/bin/valgrind
	[socat]=/usr/bin/socat
	[libcap2-bin]=/usr/sbin/setcap
	[procps]=/usr/bin/pgrep
	[chromium]=/usr/bin/chromium
	[nftables]=/usr/sbin/nft
	[iptables]=/usr/sbin/iptables-legacy
	[zsh]=/usr/bin/zsh
	[nodejs]=/usr/bin/node
	[npm]=/usr/bin/npm
)

# The lab links libpcap and libmnl and opens libgd (images) at run time:
# it needs their headers and libgd3 alone, not libgd-dev's 37 packages.
lab=(gcc make libc6-dev pkg-config libpcap-dev libmnl-dev libpcre2-dev libgd3)
check=(libgd-dev libcmocka-dev bats tcpdump tshark iproute2 python3
	python3-scapy net-tools libjpeg-turbo-progs valgrind libcap2-bin procps
	nftables iptables chromium zsh nodejs npm)
bench=(tcpdump tshark iproute2 python3 net-tools hyperfine socat procps)
fuzz=(clang)

have() {	# PACKAGE: its probe file exists
	compgen -G "$root${probe[$1]}" >/dev/null
}

have_fuzzer_runtime() {
	compgen -G "$root/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" \
		>/dev/null
}

# Debian names clang's fuzzer runtime after the clang version
fuzzer_pkg() {
	local ver
	ver=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p')
	echo "libclang-rt-${ver:-14}-dev"
}

profiles=("${@:-lab}")
want=("${lab[@]}")
for p in "${profiles[@]}"; do
	case $p in
	lab) ;;
	check) want+=("${check[@]}") ;;
	bench) want+=("${bench[@]}") ;;
	fuzz) want+=("${fuzz[@]}") ;;
	*)
		echo "scripts/deps.sh: unknown profile \"$p\": use lab, check, bench or fuzz" >&2
		exit 2 ;;
	esac
done

missing=()
for pkg in "${want[@]}"; do
	have "$pkg" || [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
done
need_fuzzer=0
[[ " ${profiles[*]} " == *" fuzz "* ]] && ! have_fuzzer_runtime && need_fuzzer=1
[ $need_fuzzer -eq 1 ] && have clang && missing+=("$(fuzzer_pkg)")

# The browser test's client (playwright-core, test-only; it drives Debian's
# chromium and downloads no browser): as tests/browser/package-lock.json
# pins it.  Needs no root; only when node and npm are there.
npm_deps() {
	local dir
	dir="$(dirname "$0")/../tests/browser"
	[[ " ${profiles[*]} " == *" check "* ]] || return 0
	[ -d "$dir/node_modules/playwright-core" ] && return 0
	[ -z "$root" ] && command -v npm >/dev/null 2>&1 || return 0
	echo "scripts/deps.sh: npm ci in tests/browser (playwright-core, test-only)"
	npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
}

if [ ${#missing[@]} -eq 0 ] && [ $need_fuzzer -eq 0 ]; then
	npm_deps
	exit 0
fi

what="make ${profiles[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
	echo "scripts/deps.sh: $what needs ${missing[*]}: this is not a Debian/Ubuntu system (no apt-get); install their equivalents by hand" >&2
	exit 1
fi
sudo=
if [ "$(id -u)" -ne 0 ]; then
	if [ -z "$root" ] && command -v sudo >/dev/null 2>&1 &&
		sudo -n true 2>/dev/null; then
		sudo=sudo
	else
		echo "scripts/deps.sh: $what needs packages that are not installed, and installing them needs root: ask for (or run) sudo apt-get install ${missing[*]}" >&2
		exit 1
	fi
fi
if [ -n "$root" ]; then
	echo "scripts/deps.sh: $what needs, under $root: ${missing[*]}" >&2
	exit 1
fi

echo "scripts/deps.sh: installing for $what: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer it so the install never blocks
echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# clang itself was missing: its version names the runtime only now
if [ $need_fuzzer -eq 1 ] && ! have_fuzzer_runtime; then
	$sudo apt-get install -y -qq --no-install-recommends "$(fuzzer_pkg)" >/dev/null
fi
npm_deps
echo "scripts/deps.sh: done"
