# chromium.bash - Debian's headless Chromium as the page tests run it:
# no network (Chromium's own background traffic off, every host
# unresolvable), a fresh profile, bounded in time.  Sourced by
# render-html.sh and html-metrics.sh.

# headless PROFILE_DIR ARGS...: runs Chromium with ARGS; its status
headless() {
	local browser profile=$1
	shift
	browser=$(command -v chromium || command -v chromium-browser || true)
	if [ -z "$browser" ]; then
		echo "chromium is not installed: run scripts/deps.sh check" >&2
		return 1
	fi
	# bounded: a page without scripts renders in well under a minute
	timeout 60 "$browser" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --disable-extensions \
		--disable-domain-reliability --no-default-browser-check \
		--host-resolver-rules='MAP * ~NOTFOUND' --hide-scrollbars \
		--user-data-dir="$profile" "$@"
}
