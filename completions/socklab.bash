# bash completion for socklab: commands, each command's options and the
# display-filter fields after -Y, all asked of socklab itself (its --help
# texts and `socklab help fields`), so they never fall behind the binary.
# Installed by `make install`; load it by hand with `. completions/socklab.bash`.

_socklab_commands() {	# PROG
	"$1" --help 2>/dev/null | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p'
}

_socklab_options() {	# PROG CMD: the options its help's table lists
	"$1" "$2" --help 2>/dev/null | sed -n 's/^  *\(-[^ ].*\)/\1/p' |
		sed 's/   .*//' | grep -oE -- '(^|[ ,])--?[a-zA-Z0-9][-a-zA-Z0-9]*' |
		tr -d ' ,' | sort -u
}

_socklab() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local prog=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]} tok pre
	COMPREPLY=()
	if [ "$COMP_CWORD" -eq 1 ]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_socklab_commands "$prog") --help --version --color" -- "$cur")
		return
	fi
	case $prev in
	-Y|--display-filter)
		# the field being typed, after whatever the filter holds before it
		tok=${cur##*[!a-z0-9_.]}
		pre=${cur%"$tok"}
		mapfile -t COMPREPLY < <(compgen -P "$pre" -W "$("$prog" help fields 2>/dev/null | cut -f1)" -- "$tok")
		return ;;
	-e)
		# capture -T fields -e FIELD
		[ "$cmd" = capture ] &&
			mapfile -t COMPREPLY < <(compgen -W "$("$prog" help fields 2>/dev/null | cut -f1)" -- "$cur")
		return ;;
	-T)
		[ "$cmd" = capture ] && mapfile -t COMPREPLY < <(compgen -W "text fields json" -- "$cur")
		return ;;
	-r|-w|--out|--read|--write)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return ;;
	-i|--interface)
		mapfile -t COMPREPLY < <(compgen -W "$(ls /sys/class/net 2>/dev/null) any" -- "$cur")
		return ;;
	--state)
		mapfile -t COMPREPLY < <(compgen -W "LISTEN ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK CLOSING" -- "$cur")
		return ;;
	--color)
		mapfile -t COMPREPLY < <(compgen -W "never always auto" -- "$cur")
		return ;;
	esac
	if [ "$cmd" = help ]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_socklab_commands "$prog") fields" -- "$cur")
	elif [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_socklab_options "$prog" "$cmd") --color" -- "$cur")
	fi
}

complete -o default -F _socklab socklab
