#!/usr/bin/env bats
# The shell completions make install puts in place: loaded into bash (and
# zsh when it is there) and asked, as the shell asks them, for commands,
# options and -Y field names, which must be what the binary itself knows.

REPO="$BATS_TEST_DIRNAME/../.."

setup() {
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP"
}

complete_bash() {	# WORD...: the candidates for the last word, one a line
	bash --norc --noprofile -c '. "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _socklab
printf "%s\n" "${COMPREPLY[@]}"' _ "$TMP/root/usr/share/bash-completion/completions/socklab" "$SOCKLAB" "$@"
}

complete_zsh() {	# WORD...: the same in zsh, compadd and compset stood in for
	zsh -f -c '
compadd() {
	local -a l; if [[ $1 == -a ]]; then l=(${(P)2}); else l=("$@"); fi
	local x; for x in $l; do [[ $x == $PREFIX* ]] && print -r -- "$IPREFIX$x"; done
}
compset() { [[ $1 == -P ]] && { IPREFIX=${(M)PREFIX##$~2}; PREFIX=${PREFIX#$IPREFIX} }; return 0 }
_files() { print -r -- "(files)" }
file=$1; shift
words=("$@"); CURRENT=$#; PREFIX=${words[CURRENT]}; IPREFIX=
source $file' _ "$TMP/root/usr/share/zsh/site-functions/_socklab" "$SOCKLAB" "$@"
}

install_copy() {
	local build
	build=$(dirname "$SOCKLAB")
	# -o: the binary under test is installed as it is, never rebuilt
	make -s -C "$REPO" install DESTDIR="$TMP/root" PREFIX=/usr \
		BUILD="$build" -o "$build/socklab" >/dev/null
	[ -f "$TMP/root/usr/share/bash-completion/completions/socklab" ]
	[ -f "$TMP/root/usr/share/zsh/site-functions/_socklab" ]
}

@test "make install puts the bash and zsh completions where the shells look" {
	install_copy
	[ -x "$TMP/root/usr/bin/socklab" ]
	[ -f "$TMP/root/usr/share/man/man1/socklab.1" ]
	bash -n "$TMP/root/usr/share/bash-completion/completions/socklab"
	! command -v zsh >/dev/null || zsh -n "$TMP/root/usr/share/zsh/site-functions/_socklab"
}

@test "bash: commands, options, -Y fields, states" {
	install_copy
	[ "$(complete_bash ca)" = capture ]
	[ "$(complete_bash s | sort | tr '\n' ' ')" = "server sockets " ]
	[ "$(complete_bash client --ti)" = --timeout ]
	complete_bash capture -Y '' | sort >"$TMP/fields"
	"$SOCKLAB" help fields | cut -f1 | sort | diff - "$TMP/fields"
	[ "$(complete_bash capture -Y tcp.srcp)" = tcp.srcport ]
	# the field after the filter typed so far
	complete_bash capture -Y 'ip.addr==127.0.0.1 && tcp.fl' | grep -qx 'ip.addr==127.0.0.1 && tcp.flags.syn'
	[ "$(complete_bash sockets --state TIME)" = TIME_WAIT ]
	[ "$(complete_bash help fi)" = fields ]
	[ "$(complete_bash lab --no-c)" = --no-capture ]
	[ "$(complete_bash sockets --color '' | tr '\n' ' ')" = "never always auto " ]
}

@test "zsh: commands, options, -Y fields" {
	command -v zsh >/dev/null || skip "zsh is not installed (scripts/deps.sh check installs it)"
	install_copy
	[ "$(complete_zsh ca)" = capture ]
	[ "$(complete_zsh client --ti)" = --timeout ]
	complete_zsh capture -Y '' | sort >"$TMP/fields"
	"$SOCKLAB" help fields | cut -f1 | sort | diff - "$TMP/fields"
	complete_zsh capture -Y 'ip.addr==127.0.0.1 && tcp.fl' | grep -qx 'ip.addr==127.0.0.1 && tcp.flags.syn'
	[ "$(complete_zsh capture -r x)" = "(files)" ]
}
