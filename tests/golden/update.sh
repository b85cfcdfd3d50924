#!/usr/bin/env bash
# update.sh [SOCKLAB] - regenerates tests/golden/expected/ from TESTLIST
# (make golden-update).  Review the diff before committing it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
socklab=${1:-$here/../../build/socklab}
grep -vE '^(#|\s*$)' "$here/TESTLIST" | while read -r name pcap out opts; do
	# shellcheck disable=SC2086
	"$socklab" capture -r "$here/pcaps/$pcap" $opts >"$here/expected/$out" 2>/dev/null
	echo "updated $name -> expected/$out"
done
