#!/usr/bin/env bash
# The HTML report in a real browser: headless Chromium loads `check -o html` of the
# stale-pods-one-node scenario, the DOM must hold the root causes, MD504, the timeline SVG and
# the stale pod names; desktop and phone screenshots land in <build>/artifacts/ for a human to
# look at. When `meshdoctor serve` exists, the page it serves at / must say the same.
. "$(dirname "$0")/lib.sh"

chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then
  echo "SKIP: chromium not installed (scripts/install-deps.sh installs it)" >&2
  exit 125
fi
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 needed to read the DOM" >&2; exit 125; }

artifacts="$(cd "$(dirname "$md")" && pwd)/artifacts"
mkdir -p "$artifacts"
bundle=$src/tests/scenarios/stale-pods-one-node/bundle
stale_pods="details-v1-65cfcf56f9-dq2tw reviews-v2-5b667bcbf8-gj7nz details-v1-65cfcf56f9-m4wq8"
mkdir -p "$work/home"

# browse ARGS...: headless Chromium with a private profile, bounded in time.
browse() {
  HOME="$work/home" timeout -k 5 40 "$chrome" --headless --no-sandbox --disable-gpu \
    --no-first-run --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$work/profile" \
    "$@" 2>>"$work/chrome.err"
}

# check_dom FILE WHAT: the rendered DOM has the sections, MD504, an <svg> inside #timeline with
# a row per node, and every stale pod name.
check_dom() {
  local why
  if ! why=$(python3 - "$1" $stale_pods <<'PY'
import sys
from html.parser import HTMLParser
dom = open(sys.argv[1], encoding="utf-8").read()

class Walk(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.ids, self.svg_in_timeline, self.rows = [], set(), 0, 0
        self.timeline_text = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in ("meta", "br", "hr", "img", "input", "link", "path", "line", "rect", "circle"):
            self.stack.append((tag, a.get("id")))
        if a.get("id"): self.ids.add(a["id"])
        inside = any(i == "timeline" for _, i in self.stack)
        if inside and tag == "svg" and "timeline" in (a.get("class") or ""): self.svg_in_timeline += 1
        if inside and tag == "g" and "node-row" in (a.get("class") or ""): self.rows += 1
    def handle_endtag(self, tag):
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                del self.stack[k:]
                break
    def handle_data(self, data):
        if any(i == "timeline" for _, i in self.stack): self.timeline_text.append(data)

w = Walk()
w.feed(dom)
why = []
if "root-causes" not in w.ids: why.append("no #root-causes")
if "findings" not in w.ids: why.append("no #findings")
if dom.find('id="root-causes"') > dom.find('id="findings"'): why.append("root causes not first")
if "root-MD504" not in w.ids or "MD504" not in dom: why.append("MD504 is not a root cause")
if w.svg_in_timeline != 1: why.append("%d timeline <svg> in #timeline" % w.svg_in_timeline)
if w.rows != 3: why.append("%d node rows, expected 3" % w.rows)
text = "".join(w.timeline_text)
for pod in sys.argv[2:]:
    if pod not in text: why.append("stale pod %s not in #timeline" % pod)
if "<script" in dom: why.append("a <script> element")
print("; ".join(why))
sys.exit(1 if why else 0)
PY
  ); then
    fail "$2: $why"
  fi
}

# check_png FILE: a real PNG, not a blank page.
check_png() {
  [ -s "$1" ] || { fail "no screenshot $1: $(tail -c 400 "$work/chrome.err")"; return; }
  local size sig
  size=$(stat -c %s "$1")
  sig=$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')
  [ "$sig" = "89504e470d0a1a0a" ] || fail "$1 is not a PNG (signature $sig)"
  [ "$size" -gt 10240 ] || fail "$1 is only $size bytes"
}

# 1. The page from a bundle, written to a file as a CronJob would.
page=$artifacts/html-report.html
rm -f "$page" "$artifacts/html-report.png" "$artifacts/html-report-phone.png"
run check --bundle "$bundle" -o html --output-file "$page"
expect_rc 1 "check -o html of stale-pods-one-node"
[ -s "$page" ] || { fail "no page written"; finish; }

browse --dump-dom "file://$page" >"$work/dom.html"
[ -s "$work/dom.html" ] || fail "chromium dumped no DOM: $(tail -c 400 "$work/chrome.err")"
check_dom "$work/dom.html" "file page"

# 2. What a human looks at: desktop and phone widths.
browse --screenshot="$artifacts/html-report.png" --window-size=1280,2400 "file://$page" >/dev/null
check_png "$artifacts/html-report.png"
browse --screenshot="$artifacts/html-report-phone.png" --window-size=390,2000 "file://$page" >/dev/null
check_png "$artifacts/html-report-phone.png"

# 3. The same page served by `meshdoctor serve` at /, against the test API server.
if ! "$md" serve --help 2>/dev/null | grep -q -- "--listen"; then
  echo "SKIP (sub-step): meshdoctor serve has no --listen yet; the served page was not loaded" >&2
elif [ ! -x "$(dirname "$md")/tests/fakekube/fakekube" ]; then
  echo "SKIP (sub-step): fakekube not built; the served page was not loaded" >&2
else
  . "$(dirname "$0")/live_lib.sh"
  start_fakekube html "$bundle"
  "$md" serve --kubeconfig "$work/html.kubeconfig" --interval 1s --listen 127.0.0.1:0 \
    --ready-file "$work/serve.ready" >"$work/serve.out" 2>"$work/serve.err" </dev/null &
  serve_pid=$!
  fk_pids="$fk_pids $serve_pid"
  serve_port=""
  for _ in $(seq 1 150); do
    serve_port=$(cat "$work/serve.ready" "$work/serve.out" 2>/dev/null |
                 sed -n 's/.*LISTEN[^0-9]*\([0-9.]*:\)\{0,1\}\([0-9][0-9]*\).*/\2/p' | head -n 1)
    [ -n "$serve_port" ] && break
    sleep 0.1
  done
  if [ -z "$serve_port" ]; then
    fail "serve did not report LISTEN: $(head -c 400 "$work/serve.err")"
  else
    # The first diagnosis may still be running: wait until / answers with the report.
    for _ in $(seq 1 100); do
      curl -fsS "http://127.0.0.1:$serve_port/" -o "$work/served.html" 2>/dev/null &&
        grep -q 'id="root-causes"' "$work/served.html" && break
      sleep 0.2
    done
    browse --dump-dom "http://127.0.0.1:$serve_port/" >"$work/served-dom.html"
    check_dom "$work/served-dom.html" "served page"
  fi
  kill "$serve_pid" 2>/dev/null
  wait "$serve_pid" 2>/dev/null
fi

finish
