#!/usr/bin/env bash
# explain: the catalogue entry of one check, offline; unknown ID is a usage error.
. "$(dirname "$0")/lib.sh"

run explain MD301
expect_rc 0 "explain MD301"
expect_out "istiocni-profile" "explain names the check"
expect_out "fix" "explain shows a fix"
expect_out "oc patch istiocni default" "explain shows the oc command"
expect_out "upstream" "explain shows upstream"

run explain md301
expect_rc 0 "IDs are case-insensitive"

run explain MD999
expect_rc 64 "explain unknown ID"
expect_err "MD999" "unknown ID is named"
expect_err "meshdoctor checks" "message says how to see the catalogue"

run explain
expect_rc 64 "explain without ID"

run checks
expect_rc 0 "checks"
expect_out "MD301" "checks lists MD301"
expect_out "istiocni-profile" "checks lists names"

run checks -o json
expect_rc 0 "checks -o json"
if command -v python3 >/dev/null 2>&1; then
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(c["id"]=="MD301" for c in d["checks"])' \
    "$work/out" || fail "checks -o json is JSON listing MD301"
fi

finish
