#!/usr/bin/env bash
# html-metrics.sh HTML [WIDTH] - lays a local HTML page out in Debian's
# headless Chromium, WIDTH px wide (default 390, a phone), and prints what
# a reader of that screen gets, one "key value" line each:
#   viewport W          the layout width Chromium used
#   page_width W        the page's full width (> viewport: it scrolls sideways)
#   sideways N          boxes whose content is wider than they are
#   sideways_box T.C    one line per such box (tag.class)
#   svg_time_px P       the smallest rendered size of the SVG's times (text.t)
#   svg_text_px P       the smallest rendered size of any SVG text
# A copy of the page gets the measuring script; the page itself is never
# changed.  No network.  Exit 1 when Chromium could not run.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 HTML [WIDTH]" >&2
	exit 2
fi
[ -f "$1" ] || { echo "$0: no such file: $1" >&2; exit 1; }
width=${2:-390}
. "$(dirname "$0")/chromium.bash"	# headless()
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$1" "$work/page.html" "$width" <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
probe = r"""<script>
(function () {
  var out = [], px = function (list) {
    var m = Infinity;
    list.forEach(function (t) {
      var fs = parseFloat(getComputedStyle(t).fontSize);
      var ctm = t.getScreenCTM();
      if (ctm) m = Math.min(m, fs * Math.hypot(ctm.a, ctm.b));
    });
    return m === Infinity ? "none" : m.toFixed(2);
  };
  out.push("viewport " + document.documentElement.clientWidth);
  out.push("page_width " + document.documentElement.scrollWidth);
  var wide = [];
  document.querySelectorAll("body *").forEach(function (e) {
    var ox = getComputedStyle(e).overflowX;
    if ((ox === "auto" || ox === "scroll") && e.scrollWidth > e.clientWidth + 1)
      wide.push(e.tagName.toLowerCase() + "." + (e.className.baseVal !== undefined ? e.className.baseVal : e.className));
  });
  out.push("sideways " + wide.length);
  wide.forEach(function (w) { out.push("sideways_box " + w); });
  out.push("svg_time_px " + px(Array.from(document.querySelectorAll("svg text.t"))));
  out.push("svg_text_px " + px(Array.from(document.querySelectorAll("svg text"))));
  var top = window.parent.document;
  var pre = top.createElement("pre");
  pre.id = "socklab-metrics";
  pre.textContent = "\n" + out.join("\n") + "\n";
  top.body.appendChild(pre);
})();
</script>"""
i = page.rfind("</body>")
page = page[:i] + probe + page[i:] if i >= 0 else page + probe
open(sys.argv[2], "w", encoding="utf-8").write(page)
# headless Chromium lays a top-level page out at least 500 px wide: the
# page goes into a frame of the width asked for
open(sys.argv[2].replace("page.html", "frame.html"), "w").write(
    '<!DOCTYPE html><html><body style="margin:0"><iframe src="page.html" '
    'style="border:0;width:%spx;height:2000px"></iframe></body></html>'
    % sys.argv[3])
PY
url=$(python3 -c 'import pathlib, sys
print(pathlib.Path(sys.argv[1]).resolve().as_uri())' "$work/frame.html")
if ! headless "$work/profile" --window-size=800,2000 \
	--allow-file-access-from-files --virtual-time-budget=10000 \
	--dump-dom "$url" >"$work/dom" 2>"$work/log"; then
	echo "$0: chromium could not lay out $1:" >&2
	cat "$work/log" >&2
	exit 1
fi
python3 - "$work/dom" <<'PY'
import html, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<pre id="socklab-metrics">(.*?)</pre>', dom, re.S)
if not m:
    sys.exit("the measuring script did not run")
print(html.unescape(m.group(1)).strip())
PY
