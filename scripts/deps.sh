#!/usr/bin/env bash
# Installs what socklab's build, tests and benchmarks need on Debian/Ubuntu.
# Idempotent: quiet when everything is present; names what it installs otherwise.
set -euo pipefail

# package name -> a file or command that proves it is installed
declare -A probe=(
	[build-essential]=/usr/bin/make
	[pkg-config]=/usr/bin/pkg-config
	[libpcap-dev]=/usr/include/pcap/pcap.h
	[libmnl-dev]=/usr/include/libmnl/libmnl.h
	[libpcre2-dev]=/usr/include/pcre2.h
	[libgd-dev]=/usr/include/gd.h
	[libcmocka-dev]=/usr/include/cmocka.h
	[bats]=/usr/bin/bats
	[clang]=/usr/bin/clang
	[libclang-rt-dev]=fuzzer
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
)

have_fuzzer_runtime() {
	ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
		>/dev/null 2>&1
}

missing=()
need_fuzzer=0
for pkg in "${!probe[@]}"; do
	p=${probe[$pkg]}
	if [ "$p" = fuzzer ]; then
		have_fuzzer_runtime || need_fuzzer=1
	elif [ ! -e "$p" ]; then
		missing+=("$pkg")
	fi
done

[ ${#missing[@]} -eq 0 ] && [ $need_fuzzer -eq 0 ] && exit 0

sudo=
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo=sudo
	else
		echo "scripts/deps.sh: missing packages: ${missing[*]}: not root and sudo needs a password, so run: sudo apt-get install ${missing[*]}" >&2
		exit 1
	fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "scripts/deps.sh: missing packages: ${missing[*]}: this is not a Debian/Ubuntu system (no apt-get); install their equivalents by hand" >&2
	exit 1
fi

# Debian names clang's fuzzer runtime after the clang version
fuzzer_pkg() {
	local ver
	ver=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p')
	echo "libclang-rt-${ver:-14}-dev"
}

[ $need_fuzzer -eq 1 ] && command -v clang >/dev/null 2>&1 && missing+=("$(fuzzer_pkg)")
echo "scripts/deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer it so the install never blocks
echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# clang itself was missing: its version names the runtime only now
if ! have_fuzzer_runtime; then
	$sudo apt-get install -y -qq --no-install-recommends "$(fuzzer_pkg)" >/dev/null
fi
echo "scripts/deps.sh: done"
