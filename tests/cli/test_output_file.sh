#!/usr/bin/env bash
# --output-file writes atomically; an unwritable target is exit 3 and leaves nothing behind.
. "$(dirname "$0")/lib.sh"
require_bundle_reader

bundle=$work/bundle
make_cni_bundle "$bundle"

run check --bundle "$bundle" -o json --output-file "$work/report.json"
expect_rc 1 "report to a file keeps the verdict's exit code"
[ -s "$work/report.json" ] || fail "report file written"
[ ! -s "$work/out" ] || fail "nothing on stdout when writing a file"
grep -q '"schemaVersion": "meshdoctor/v1"' "$work/report.json" || fail "report file is the JSON report"

run check --bundle "$bundle" --output-file "$work/missing-dir/report.txt"
expect_rc 3 "missing directory"
expect_err "$work/missing-dir/report.txt" "error names the file"
[ ! -e "$work/missing-dir" ] || fail "missing directory not created"

mkdir "$work/ro"
chmod 555 "$work/ro"
if [ -w "$work/ro" ]; then
  echo "note: running as a user who can write read-only directories; skipping that part" >&2
else
  run check --bundle "$bundle" --output-file "$work/ro/report.txt"
  expect_rc 3 "read-only directory"
  [ -z "$(ls -A "$work/ro")" ] || fail "read-only directory: nothing left behind"
fi

finish
