# tmpfs.bash - a small disk for full-disk tests, private to one command.
#
# small_disk_reason: empty when a tmpfs can be mounted in a private mount
# namespace here (root, unshare -m); otherwise why not (a skip reason).
small_disk_reason() {
	command -v unshare >/dev/null || { echo "unshare is not installed"; return; }
	mkdir -p "$TMP/probe"
	unshare -m --propagation private \
		sh -c 'mount -t tmpfs -o size=16k tmpfs "$0"' "$TMP/probe" \
		2>/dev/null ||
		echo "cannot mount a tmpfs in a private mount namespace (needs root and unshare -m)"
}

# on_small_disk SIZE DIR SCRIPT [ARGS...]: mounts a tmpfs of SIZE on DIR in
# a private mount namespace and runs the bash SCRIPT there (with ARGS as
# $1...); the mount vanishes with the namespace, even if the test dies.
on_small_disk() {
	local size=$1 dir=$2 script=$3
	shift 3
	mkdir -p "$dir"
	unshare -m --propagation private bash -c \
		'mount -t tmpfs -o "size=$1" tmpfs "$2" || exit 97
		 script=$3; shift 3; eval "$script"' _ "$size" "$dir" "$script" "$@"
}
