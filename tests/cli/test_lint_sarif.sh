#!/usr/bin/env bash
# lint -o sarif / -o junit: the reports of broken fixtures are valid SARIF 2.1.0 (against the
# vendored schema) whose results carry each hit's file and line as a region, and parseable JUnit.
. "$(dirname "$0")/lib.sh"

validator=$src/tests/tools/validate_sarif.py
fixtures=$src/tests/lint
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is needed" >&2; exit 125; }
[ -f "$validator" ] || { echo "SKIP: tests/tools/validate_sarif.py is missing" >&2; exit 125; }
python3 -c 'import jsonschema' 2>/dev/null || { echo "SKIP: python3-jsonschema is not installed" >&2; exit 125; }

overlay() {  # overlay DIR [VARIANT]: the good set with the variant's files in place
  rm -rf "$1" && mkdir -p "$1"
  cp "$fixtures"/good/*.yaml "$1"/
  [ -z "${2:-}" ] || cp "$2"/*.yaml "$1"/
}

# regions SARIF: "<ruleId> <kind> <level> <file name>:<startLine>" per result, sorted.
regions() {
  python3 - "$1" <<'EOF'
import json, os, sys
run = json.load(open(sys.argv[1]))["runs"][0]
out = []
for r in run.get("results", []):
    locs = [l["physicalLocation"] for l in r.get("locations", []) if "physicalLocation" in l]
    where = "-"
    if locs:
        uri = locs[0]["artifactLocation"]["uri"]
        where = "%s:%s" % (os.path.basename(uri), locs[0].get("region", {}).get("startLine", "?"))
    out.append("%s %s %s %s" % (r["ruleId"], r["kind"], r["level"], where))
print("\n".join(sorted(out)))
EOF
}

# check_sarif NAME VARIANT WANT-EXIT EXPECTED-REGIONS
check_sarif() {
  overlay "$work/set" "$2"
  run lint "$work/set" -o sarif
  expect_rc "$3" "$1: exit code"
  cp "$work/out" "$work/$1.sarif"
  python3 "$validator" "$work/$1.sarif" 2>"$work/validate.err" || fail "$1: SARIF invalid: $(head -5 "$work/validate.err")"
  got=$(regions "$work/$1.sarif" | grep -v ' notApplicable ' || true)
  [ "$got" = "$4" ] || fail "$1: SARIF results
got:
$got
want:
$4"
}

check_sarif good "" 0 ""
check_sarif ML006 "$fixtures/broken/ML006-sync-wave-order" 1 "ML006 fail error 20-bookinfo.yaml:11"
check_sarif ML004 "$fixtures/broken/ML004-trusted-ztunnel-namespace" 1 \
  "ML004 fail error 11-mesh-sail.yaml:31
ML004 fail error 11-mesh-sail.yaml:32"
check_sarif ML002 "$fixtures/broken/ML002-cni-reconcile-iptables" 0 "ML002 fail warning 11-mesh-sail.yaml:9"
check_sarif ML014 "$fixtures/broken/ML014-operator-channel" 1 \
  "ML014 fail error 00-ossm-operator.yaml:11
ML014 fail error values-factory.yaml:14
ML014 fail error values-hub.yaml:20"

# An unparseable file: every rule is an open result pointing at the parse error.
overlay "$work/set"
printf 'kind: Namespace\nmetadata:\n  name: [x\n' >"$work/set/zz-broken.yaml"
run lint "$work/set" -o sarif
expect_rc 2 "unparseable input: exit 2"
cp "$work/out" "$work/open.sarif"
python3 "$validator" "$work/open.sarif" 2>"$work/validate.err" || fail "unparseable: SARIF invalid: $(head -5 "$work/validate.err")"
[ "$(regions "$work/open.sarif" | grep -c '^ML0[0-9][0-9] open none zz-broken.yaml:[0-9]')" = 15 ] ||
  fail "unparseable: 15 open results at zz-broken.yaml: $(regions "$work/open.sarif" | head -3)"

# JUnit: one testsuite "lint" with one testcase per rule; the failing rule has a <failure>.
overlay "$work/set" "$fixtures/broken/ML006-sync-wave-order"
run lint "$work/set" -o junit
expect_rc 1 "junit: exit code"
python3 - "$work/out" <<'EOF' || fail "lint -o junit is JUnit XML with ML006 failing"
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall(".//testcase")
assert len(cases) == 15, len(cases)
failed = [c.get("name") for c in cases if c.find("failure") is not None]
assert failed == ["ML006 sync-wave-order"], failed
body = cases[5].find("failure").text or ""
assert "20-bookinfo.yaml:11" in body, body
EOF

finish
