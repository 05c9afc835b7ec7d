#!/usr/bin/env bash
# Runs one scenario: `meshdoctor check --bundle <scenario>/bundle -o json [args]` and compares the JSON
# report and exit code with <scenario>/expected.json (format: tests/scenarios/README.md).
# Usage: run_scenario.sh BINARY SCENARIO_DIR      exit 0 match, 1 mismatch, 125 skipped (no python3)
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 BINARY SCENARIO_DIR" >&2
  exit 2
fi
binary=$1
dir=${2%/}

if ! command -v python3 >/dev/null 2>&1; then
  echo "SKIP: python3 not found (needed to compare the JSON report)" >&2
  exit 125
fi
if [ ! -x "$binary" ]; then
  echo "FAIL: $binary is not an executable" >&2
  exit 1
fi
if [ ! -f "$dir/expected.json" ]; then
  echo "FAIL: $dir/expected.json missing" >&2
  exit 1
fi

# BUILD/test-output/scenario.<name>, kept for secrets.suite_grep (tests/secrets/secrets.sh).
. "$(dirname "$0")/../secrets/secrets.sh"
work=$(scratch_dir "$binary" "scenario.$(basename "$dir")")
trap 'scratch_done "$work"' EXIT

# Extra CLI arguments from expected.json ("args"), one per line.
if ! python3 -c 'import json,sys
for a in json.load(open(sys.argv[1])).get("args", []): print(a)' "$dir/expected.json" >"$work/args"; then
  echo "FAIL: $dir/expected.json is not valid JSON" >&2
  exit 1
fi
args=()
while IFS= read -r line; do args+=("$line"); done <"$work/args"

"$binary" check --bundle "$dir/bundle" -o json "${args[@]}" >"$work/stdout" 2>"$work/stderr" </dev/null
echo $? >"$work/rc"

python3 - "$dir" "$work" <<'PY'
import json
import os
import sys

scenario_dir, work = sys.argv[1], sys.argv[2]
name = os.path.basename(scenario_dir)
exp = json.load(open(os.path.join(scenario_dir, "expected.json")))
rc = int(open(os.path.join(work, "rc")).read().strip())
stdout = open(os.path.join(work, "stdout"), "rb").read().decode("utf-8", "replace")
stderr = open(os.path.join(work, "stderr"), "rb").read().decode("utf-8", "replace")
problems = []


def tail(text, n=25):
    lines = text.rstrip("\n").split("\n")
    return "\n".join("    " + l for l in lines[-n:])


try:
    report = json.loads(stdout)
except ValueError as e:
    print("FAIL %s: stdout is not one JSON document (%s); exit code %d" % (name, e, rc))
    print("  stdout (first 600 chars):\n" + tail(stdout[:600]))
    print("  stderr (last lines):\n" + tail(stderr))
    sys.exit(1)

if not isinstance(report, dict):
    print("FAIL %s: JSON report is not an object" % name)
    sys.exit(1)

if report.get("schemaVersion") != "meshdoctor/v1":
    problems.append('schemaVersion is %r, want "meshdoctor/v1"' % report.get("schemaVersion"))

findings = report.get("findings") or []
by_id = {}
for f in findings:
    fid = f.get("id")
    if fid in by_id:
        problems.append("finding %s appears twice" % fid)
    by_id[fid] = f


def status(fid):
    f = by_id.get(fid)
    return f.get("status") if f else None


if rc != exp["exitCode"]:
    problems.append("exit code: expected %d, actual %d" % (exp["exitCode"], rc))

actual_roots = report.get("rootCauses") or []
want_roots = sorted(exp.get("rootCauses", []))
if sorted(actual_roots) != want_roots:
    missing = sorted(set(want_roots) - set(actual_roots))
    extra = sorted(set(actual_roots) - set(want_roots))
    msg = "rootCauses: expected %s, actual %s" % (want_roots, sorted(actual_roots))
    if missing:
        msg += "; missing %s" % missing
    if extra:
        msg += "; unexpected %s" % ", ".join("%s (%s)" % (i, (by_id.get(i) or {}).get("message") or
                                                         (by_id.get(i) or {}).get("title", "")) for i in extra)
    problems.append(msg)

status_rows = []
for fid, want in sorted(exp.get("statuses", {}).items()):
    got = status(fid)
    if got != want:
        f = by_id.get(fid) or {}
        why = f.get("message") or f.get("title") or ""
        ev = "; ".join("%s: %s" % (e.get("source", ""), e.get("detail", "")) for e in (f.get("evidence") or [])[:2])
        status_rows.append("    %-6s expected %-8s actual %-8s %s%s" % (
            fid, want, got or "(absent)", why, (" [" + ev + "]") if ev else ""))
if status_rows:
    problems.append("statuses differ:\n" + "\n".join(status_rows))

for fid, wants in sorted(exp.get("explainedBy", {}).items()):
    got = (by_id.get(fid) or {}).get("explainedBy") or []
    missing = [w for w in wants if w not in got]
    if missing:
        problems.append("explainedBy %s: expected to contain %s, actual %s (status %s)" % (
            fid, wants, got, status(fid)))


def object_keys(fid):
    return {"%s/%s" % (o.get("namespace", ""), o.get("name", "")) for o in ((by_id.get(fid) or {}).get("objects") or [])}


for fid, wants in sorted(exp.get("objects", {}).items()):
    got = object_keys(fid)
    missing = [w for w in wants if w not in got]
    if missing:
        problems.append("objects %s: missing %s; listed %s" % (fid, missing, sorted(got)))
for fid, unwanted in sorted(exp.get("objectsExcluded", {}).items()):
    got = object_keys(fid)
    wrong = [w for w in unwanted if w in got]
    if wrong:
        problems.append("objects %s: must not list %s" % (fid, wrong))

if exp.get("warningsContain"):
    texts = [str(w) for w in (report.get("warnings") or [])]
    for f in findings:
        for e in f.get("evidence") or []:
            texts.append("%s %s" % (e.get("source", ""), e.get("detail", "")))
    for needle in exp["warningsContain"]:
        if not any(needle in t for t in texts):
            problems.append("no warning or evidence detail contains %r (warnings: %s)" % (
                needle, report.get("warnings")))

if "collectedAt" in exp:
    got = str(report.get("collectedAt") or "")
    if not got.startswith(exp["collectedAt"]):
        problems.append("collectedAt: expected %s..., actual %r" % (exp["collectedAt"], got))

# Decision-tree invariants (DESIGN.md §1.4) on the actual report.
for f in findings:
    fid = f.get("id")
    if f.get("status") == "fail" and fid not in actual_roots and not f.get("explainedBy"):
        problems.append("invariant: %s fails, is not a root cause, and has empty explainedBy" % fid)
    if fid in actual_roots and f.get("status") != "fail":
        problems.append("invariant: root cause %s has status %s" % (fid, f.get("status")))
    for up in f.get("explainedBy") or []:
        if status(up) != "fail":
            problems.append("invariant: %s explainedBy %s, whose status is %s" % (fid, up, status(up)))
for rid in actual_roots:
    if rid not in by_id:
        problems.append("invariant: root cause %s has no finding" % rid)

if problems:
    print("FAIL %s (exit %d)" % (name, rc))
    for p in problems:
        print("  - " + p)
    print("  all findings: " + " ".join("%s=%s" % (f.get("id"), f.get("status")) for f in findings))
    if stderr.strip():
        print("  stderr (last lines):\n" + tail(stderr, 12))
    sys.exit(1)
print("ok %s (exit %d, root causes %s)" % (name, rc, sorted(actual_roots) or "none"))
PY
