#!/usr/bin/env bash
# A bundle that cannot be read is exit 3 with "meshdoctor: error: <message>" naming the path.
. "$(dirname "$0")/lib.sh"

missing=$work/no-such-bundle
run check --bundle "$missing"
expect_rc 3 "missing bundle"
expect_err "meshdoctor: error:" "missing bundle message prefix"
expect_err "$missing" "missing bundle message names the path"
[ ! -s "$work/out" ] || fail "missing bundle: nothing on stdout"

mkdir -p "$work/empty"
run check --bundle "$work/empty"
expect_rc 3 "empty bundle dir"
expect_err "$work/empty" "empty bundle message names the path"

run check --bundle "$missing" --exit-zero
expect_rc 3 "--exit-zero does not hide could-not-run"

finish
