#!/usr/bin/env bash
# check -o sarif is SARIF 2.1.0 valid against the OASIS schema (tests/data/sarif) and -o junit is
# well-formed JUnit XML, both saying what -o json says with the same exit code, on several
# scenarios; --output-file writes them; hostile log text stays valid; restart refuses both (64).
. "$(dirname "$0")/lib.sh"
require_bundle_reader

# A python3 with jsonschema: Debian's (python3-jsonschema) first, then the one on PATH.
py=""
for candidate in /usr/bin/python3 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import jsonschema' 2>/dev/null; then
    py=$candidate
    break
  fi
done
if [ -z "$py" ]; then
  echo "SKIP: no python3 with the jsonschema module (Debian: python3-jsonschema)" >&2
  exit 125
fi
validate=$src/tests/tools/validate_sarif.py

# compare JSON SARIF JUNIT STRICT: the SARIF and JUnit reports against the JSON report of the same
# run. Prints one line per mismatch.
compare() {
  "$py" - "$@" <<'PY'
import json, sys
import xml.etree.ElementTree as ET
report, sarif_path, junit_path, strict = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3], sys.argv[4] == "1"
problems = []
def bad(msg): problems.append(msg)
findings = report["findings"]
by_id = {f["id"]: f for f in findings}
roots = set(report["rootCauses"])

# SARIF: rules for every check, a result for every finding that did not pass.
run = json.load(open(sarif_path))["runs"][0]
rules = run["tool"]["driver"]["rules"]
if [r["id"] for r in rules] != [f["id"] for f in findings]:
    bad("rules %s != findings %s" % ([r["id"] for r in rules], [f["id"] for f in findings]))
for r in rules:
    f = by_id.get(r["id"], {})
    if r["name"] != f.get("name") or r["properties"]["category"] != f.get("category"):
        bad("rule %s: name/category differ from the JSON report" % r["id"])
    if r["shortDescription"]["text"] != f.get("title"):
        bad("rule %s: shortDescription is not the title" % r["id"])
want = [f["id"] for f in findings if f["status"] != "pass"]
got = [r["ruleId"] for r in run["results"]]
if got != want:
    bad("results %s, expected the non-pass findings %s" % (got, want))
expected_kind = {"fail": ("fail", "error"), "warn": ("fail", "warning"), "unknown": ("open", "none"),
                 "skipped": ("notApplicable", "none")}
prints = set()
for r in run["results"]:
    f = by_id[r["ruleId"]]
    if (r["kind"], r["level"]) != expected_kind[f["status"]]:
        bad("%s %s: kind/level %s/%s" % (f["id"], f["status"], r["kind"], r["level"]))
    if r["properties"]["rootCause"] != (f["id"] in roots):
        bad("%s: rootCause %s" % (f["id"], r["properties"]["rootCause"]))
    if r["properties"]["explainedBy"] != f["explainedBy"]:
        bad("%s: explainedBy %s != %s" % (f["id"], r["properties"]["explainedBy"], f["explainedBy"]))
    if not r["message"]["text"].startswith(f["message"]):
        bad("%s: message %r does not start with %r" % (f["id"], r["message"]["text"], f["message"]))
    prints.add(json.dumps(r["partialFingerprints"], sort_keys=True))
if len(prints) != len(run["results"]):
    bad("fingerprints are not unique per result")
summary = report["summary"]
if run["properties"]["summary"] != summary:
    bad("run summary %s != %s" % (run["properties"]["summary"], summary))

# JUnit: one testsuite per category, one testcase per finding.
root = ET.parse(junit_path).getroot()
if root.tag != "testsuites" or root.get("name") != "meshdoctor":
    bad("root element <%s name=%r>" % (root.tag, root.get("name")))
fails = summary["fail"] + (summary["warn"] if strict else 0)
counts = {"tests": len(findings), "failures": fails, "errors": summary["unknown"], "skipped": summary["skipped"]}
for k, v in counts.items():
    if root.get(k) != str(v):
        bad("testsuites %s=%s, expected %d" % (k, root.get(k), v))
categories = []
for f in findings:
    if f["category"] not in categories:
        categories.append(f["category"])
suites = root.findall("testsuite")
if [s.get("name") for s in suites] != categories:
    bad("testsuites %s, expected %s" % ([s.get("name") for s in suites], categories))
cases = []
for s in suites:
    tcs = s.findall("testcase")
    if s.get("tests") != str(len(tcs)):
        bad("testsuite %s: tests=%s for %d testcases" % (s.get("name"), s.get("tests"), len(tcs)))
    for tc in tcs:
        cases.append(tc)
        if tc.get("classname") != "meshdoctor." + s.get("name"):
            bad("testcase %s: classname %s" % (tc.get("name"), tc.get("classname")))
if [tc.get("name") for tc in cases] != ["%s %s" % (f["id"], f["name"]) for f in findings]:
    bad("testcase names differ from the findings")
for tc, f in zip(cases, findings):
    kids = [c.tag for c in tc]
    st = f["status"]
    want_kids = {"fail": ["failure"], "unknown": ["error"], "skipped": ["skipped"],
                 "warn": ["failure"] if strict else ["system-out"], "pass": ["system-out"]}[st]
    if kids != want_kids:
        bad("%s (%s): children %s, expected %s" % (f["id"], st, kids, want_kids))
        continue
    el = tc.find(want_kids[0])
    if want_kids[0] in ("failure", "error", "skipped") and el.get("message") != f["message"]:
        bad("%s: message %r != %r" % (f["id"], el.get("message"), f["message"]))
    if want_kids[0] == "failure" and f["fix"].splitlines() and f["fix"].splitlines()[0] not in (el.text or ""):
        bad("%s: the failure text lacks the fix" % f["id"])
for p in problems:
    print(p)
PY
}

# scenario NAME [EXTRA ARGS]: the three formats on one scenario bundle.
scenario() {
  local name=$1
  shift
  local dir=$src/tests/scenarios/$name
  local args=()
  while IFS= read -r a; do args+=("$a"); done < <("$py" -c 'import json,sys
for a in json.load(open(sys.argv[1])).get("args", []): print(a)' "$dir/expected.json")
  args+=("$@")
  local strict=0
  case " $* " in *" --strict "*) strict=1 ;; esac
  local tag=$name${1:+ $*}
  run check --bundle "$dir/bundle" -o json "${args[@]}"
  local json_rc=$rc
  cp "$work/out" "$work/report.json"
  run check --bundle "$dir/bundle" -o sarif "${args[@]}"
  [ "$rc" -eq "$json_rc" ] || fail "$tag: -o sarif exit $rc, -o json $json_rc"
  cp "$work/out" "$work/report.sarif"
  if ! "$py" "$validate" "$work/report.sarif" 2>"$work/validate.err"; then
    fail "$tag: SARIF not valid: $(head -c 800 "$work/validate.err")"
  fi
  "$py" -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["runs"][0]["invocations"][0]["exitCode"] != int(sys.argv[2]))' \
    "$work/report.sarif" "$json_rc" || fail "$tag: SARIF invocation exitCode is not $json_rc"
  run check --bundle "$dir/bundle" -o junit "${args[@]}"
  [ "$rc" -eq "$json_rc" ] || fail "$tag: -o junit exit $rc, -o json $json_rc"
  cp "$work/out" "$work/report.xml"
  compare "$work/report.json" "$work/report.sarif" "$work/report.xml" "$strict" >"$work/compare.out" 2>&1
  [ -s "$work/compare.out" ] && fail "$tag: $(head -c 1500 "$work/compare.out")"
  echo "$tag: exit $json_rc, SARIF valid, JUnit consistent" >&2
}

scenario healthy
scenario istiocni-not-ambient
scenario healthy-plain-inspect
scenario corrupt-and-missing
scenario waypoint-not-programmed
scenario off-mesh-labelled-ambient
scenario off-mesh-labelled-ambient --strict

# The bundle's read warnings become tool execution notifications.
run check --bundle "$src/tests/scenarios/corrupt-and-missing/bundle" -o sarif
"$py" - "$work/out" <<'PY' || fail "corrupt-and-missing: no toolExecutionNotifications for the read warnings"
import json, sys
inv = json.load(open(sys.argv[1]))["runs"][0]["invocations"][0]
notes = inv.get("toolExecutionNotifications", [])
sys.exit(0 if notes and all(n["level"] == "warning" and n["message"]["text"] for n in notes) else 1)
PY

# --output-file: the report goes to the file only, the exit code stays the verdict's.
bundle=$src/tests/scenarios/istiocni-not-ambient/bundle
for format in sarif junit; do
  run check --bundle "$bundle" -o "$format" --output-file "$work/file.$format"
  expect_rc 1 "-o $format --output-file"
  [ ! -s "$work/out" ] || fail "-o $format --output-file: stdout not empty"
  [ -s "$work/file.$format" ] || fail "-o $format --output-file: file not written"
done
"$py" "$validate" "$work/file.sarif" 2>"$work/validate.err" || fail "--output-file SARIF: $(cat "$work/validate.err")"
"$py" -c 'import sys, xml.etree.ElementTree as E; sys.exit(E.parse(sys.argv[1]).getroot().tag != "testsuites")' \
  "$work/file.junit" || fail "--output-file JUnit does not parse"

# Hostile bytes in a quoted log line (markup, quotes, control characters, invalid UTF-8): the
# SARIF stays valid UTF-8 JSON and the JUnit well-formed XML.
hostile=$work/hostile
cp -r "$bundle" "$hostile"
for log in "$hostile"/namespaces/ztunnel/pods/*/istio-proxy/istio-proxy/logs/current.log; do
  printf '2026-11-20T12:24:04.000000Z\twarn\tinpod::workloadmanager\tfailed to connect to the Istio CNI node agent over "/var/run/ztunnel/ztunnel.sock", is the node agent healthy? details: Os { code: 2, kind: NotFound, message: "<b>&amp; \x27q\x27 \x01\x1b[31m \xff\xfe \xc3 ]]> caf\xc3\xa9" }. retrying in 80ms\n' >>"$log"
done
run check --bundle "$hostile" -o json
hostile_rc=$rc
grep -q 'caf' "$work/out" || fail "hostile: the log line is not quoted in the evidence (test premise)"
run check --bundle "$hostile" -o sarif
[ "$rc" -eq "$hostile_rc" ] || fail "hostile: -o sarif exit $rc, -o json $hostile_rc"
"$py" "$validate" "$work/out" 2>"$work/validate.err" || fail "hostile SARIF: $(head -c 800 "$work/validate.err")"
run check --bundle "$hostile" -o junit
[ "$rc" -eq "$hostile_rc" ] || fail "hostile: -o junit exit $rc, -o json $hostile_rc"
"$py" - "$work/out" <<'PY' || fail "hostile JUnit"
import sys, xml.etree.ElementTree as ET
text = open(sys.argv[1], "rb").read().decode("utf-8")  # valid UTF-8 or this raises
root = ET.fromstring(text.encode("utf-8"))
bodies = "".join((e.text or "") + "".join(e.attrib.values()) for e in root.iter())
if "caf\u00e9" not in bodies or "\ufffd" not in bodies or "<b>&amp;" not in bodies:
    print("the hostile line is not in the report as expected", file=sys.stderr)
    sys.exit(1)
PY

# restart reports its plan as text, json, markdown or html: sarif and junit are usage errors.
for format in sarif junit; do
  run restart --bundle "$src/tests/scenarios/restart-stale-workloads/bundle" -o "$format"
  expect_rc 64 "restart -o $format"
  expect_err "-o sarif and -o junit are for check" "restart -o $format names the formats"
  [ ! -s "$work/out" ] || fail "restart -o $format: nothing on stdout"
done

finish
