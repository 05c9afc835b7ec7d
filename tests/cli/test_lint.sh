#!/usr/bin/env bash
# lint: the good GitOps set passes every ML rule; each broken variant (tests/lint/broken/*, laid
# over the good set) makes exactly its rule fire at the file:line its `expected` lists; stdin,
# unparseable input (unknown, exit 2), unreadable paths (exit 3) and usage errors (64).
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is needed to read the JSON report" >&2; exit 125; }
fixtures=$src/tests/lint
findings="python3 $fixtures/lint_findings.py"

# overlay DIR VARIANT: the good set with the variant's manifests in place of the same names.
overlay() {
  rm -rf "$1" && mkdir -p "$1"
  cp "$fixtures"/good/*.yaml "$1"/
  [ -z "${2:-}" ] || cp "$2"/*.yaml "$1"/
}

# The good set: every rule evaluated and passing, exit 0, a manifests header.
run lint "$fixtures/good" -o json
expect_rc 0 "lint of the good set"
python3 - "$work/out" <<'EOF' || fail "good set: every one of the 15 rules passes"
import json, sys
d = json.load(open(sys.argv[1]))
ids = [f["id"] for f in d["findings"]]
assert ids == ["ML%03d" % i for i in range(1, 16)], ids
bad = [(f["id"], f["status"]) for f in d["findings"] if f["status"] != "pass"]
assert not bad, bad
assert all(f["evidence"] for f in d["findings"]), "a pass without evidence"
assert d["source"]["kind"] == "manifests", d["source"]
EOF
run lint "$fixtures/good" --no-color
expect_rc 0 "text report of the good set"
expect_out "manifests " "the header names the manifests"
expect_out "15 pass" "the summary counts 15 passing rules"

# Each broken variant: exactly the expected evidence, nothing else fires.
for variant in "$fixtures"/broken/*/; do
  name=$(basename "$variant")
  overlay "$work/set" "$variant"
  run lint "$work/set" -o json
  want=1
  grep -q ' fail ' "$variant/expected" || want=0
  expect_rc "$want" "$name: exit code"
  $findings "$work/out" "$work/set" | sort >"$work/got"
  sort "$variant/expected" >"$work/want"
  if ! diff -u "$work/want" "$work/got" >"$work/diff"; then
    fail "$name: findings differ from expected: $(cat "$work/diff")"
  fi
done

# A warning is not a failure unless --strict.
overlay "$work/set" "$fixtures/broken/ML002-cni-reconcile-iptables"
run lint "$work/set" --strict
expect_rc 1 "--strict turns the ML002 warning into exit 1"
run lint "$work/set" --exit-zero --only ML002
expect_rc 0 "--exit-zero"

# Standard input: a multi-document stream named stdin.
"$md" lint - -o json <"$fixtures/broken/ML001-istiocni-profile/11-mesh-sail.yaml" >"$work/out" 2>"$work/err"
rc=$?
expect_rc 1 "lint - reads standard input"
$findings "$work/out" . | grep -qx "ML001 fail stdin:12" || fail "stdin: ML001 at stdin:12"
"$md" lint - - </dev/null >"$work/out" 2>"$work/err"
rc=$?
expect_rc 64 "stdin given twice"

# Input that does not parse: every rule that found nothing is unknown, naming file:line:col.
overlay "$work/set"
printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [broken\n' >"$work/set/zz-broken.yaml"
run lint "$work/set" -o json
expect_rc 2 "an unparseable file makes the verdict incomplete"
python3 - "$work/out" "$work/set/zz-broken.yaml" <<'EOF' || fail "unparseable file: unknown with file:line:col"
import json, sys
d = json.load(open(sys.argv[1]))
assert all(f["status"] == "unknown" for f in d["findings"]), [(f["id"], f["status"]) for f in d["findings"]]
e = d["findings"][0]["evidence"][0]
assert e["source"].startswith(sys.argv[2] + ":"), e
assert e["detail"].startswith(sys.argv[2] + ":5:") or e["detail"].startswith(sys.argv[2] + ":4:"), e
EOF
cp "$fixtures"/broken/ML001-istiocni-profile/*.yaml "$work/set"/
run lint "$work/set" -o json
expect_rc 1 "a failure found in the readable files still fails"

# Options: off-mesh namespaces, --only/--skip, --output-file.
overlay "$work/set"
run lint "$work/set" -o json --off-mesh-namespaces bookinfo
expect_rc 1 "bookinfo configured off-mesh"
$findings "$work/out" "$work/set" | sort >"$work/got"
[ "$(cat "$work/got")" = "ML007 fail 20-bookinfo.yaml:8" ] || fail "off-mesh bookinfo: got $(cat "$work/got")"
run lint "$work/set" -o json --only ml001,ML006
expect_rc 0 "--only"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s={f["id"]:f["status"] for f in d["findings"]}; assert s["ML001"]=="pass" and s["ML006"]=="pass" and s["ML002"]=="skipped", s' \
  "$work/out" || fail "--only runs only the named rules"
run lint "$work/set" --only MD301
expect_rc 64 "an MD check is not a lint rule"
expect_err "MD301" "the unknown rule is named"
run lint "$work/set" -o json --output-file "$work/report.json"
expect_rc 0 "--output-file"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/report.json" || fail "--output-file holds the JSON report"

# Directories are read recursively; missing paths and empty directories cannot run.
mkdir -p "$work/nested/a/b" && cp "$fixtures"/good/*.yaml "$work/nested/a/b/"
run lint "$work/nested"
expect_rc 0 "nested directory"
run lint "$work/does-not-exist"
expect_rc 3 "missing path"
expect_err "does-not-exist" "the missing path is named"
mkdir -p "$work/empty"
run lint "$work/empty"
expect_rc 3 "a directory without manifests"
run lint
expect_rc 64 "lint without a path"

# The catalogue: explain and checks --lint know the rules.
run explain ML006
expect_rc 0 "explain ML006"
expect_out "sync-wave-order" "explain names the rule"
expect_out "argocd.argoproj.io/sync-wave" "explain shows the annotation to set"
run checks --lint
expect_rc 0 "checks --lint"
expect_out "ML015" "checks --lint lists the rules"

finish
