#!/usr/bin/env bash
# Exit codes of check on a tiny bundle (MD301 fails): 1, or 0 with --exit-zero; all formats.
. "$(dirname "$0")/lib.sh"
require_bundle_reader

bundle=$work/bundle
make_cni_bundle "$bundle"

run check --bundle "$bundle"
expect_rc 1 "failing bundle"
expect_out "ROOT CAUSE" "text report leads with the root cause"
expect_out "MD301" "text report names MD301"
tail -n 1 "$work/out" | grep -q "exit 1" || fail "summary line ends the text report"
LC_ALL=C LANG=C "$md" check --bundle "$bundle" >"$work/ascii" 2>/dev/null
if LC_ALL=C grep -q '[^ -~]' "$work/ascii"; then fail "non-TTY, C locale: ASCII only"; fi

run check --bundle "$bundle" --exit-zero
expect_rc 0 "--exit-zero"
expect_out "MD301" "--exit-zero still reports"

run check --bundle "$bundle" --only MD301
expect_rc 1 "--only MD301"

run check --bundle "$bundle" --skip MD301,MD302 --only MD301,MD302
expect_rc 0 "everything selected is skipped"

run check --bundle "$bundle" -o markdown
expect_rc 1 "markdown"
expect_out "# meshdoctor: FAIL" "markdown heading"
expect_out "| MD301 |" "markdown table"

run check --bundle "$bundle" -o json
expect_rc 1 "json"
if command -v python3 >/dev/null 2>&1; then
  python3 - "$work/out" <<'PY' || fail "json report has every finding and MD301 as root cause"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schemaVersion"] == "meshdoctor/v1"
assert "MD301" in d["rootCauses"]
assert len(d["findings"]) >= 30
PY
fi

finish
