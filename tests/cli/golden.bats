#!/usr/bin/env bats
# golden.bats - every printer of socklab capture against its recorded
# output: one test per line of tests/golden/TESTLIST ("name pcap expected
# options"), regenerated with `make golden-update`.

GOLDEN="$BATS_TEST_DIRNAME/../golden"

@test "golden outputs of the capture printers (TESTLIST)" {
	local failed=0 n=0
	while read -r name pcap out opts; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		if ! "$SOCKLAB" capture -r "$GOLDEN/pcaps/$pcap" $opts 2>/dev/null |
			diff -u "$GOLDEN/expected/$out" - >&2; then
			echo "# golden $name differs" >&2
			failed=$((failed + 1))
		fi
	done < <(grep -vE '^(#|\s*$)' "$GOLDEN/TESTLIST")
	[ "$n" -ge 10 ]
	[ "$failed" -eq 0 ]
}
