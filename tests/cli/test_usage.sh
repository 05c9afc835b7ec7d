#!/usr/bin/env bash
# --version, --help, and usage errors (exit 64).
. "$(dirname "$0")/lib.sh"

run --version
expect_rc 0 "--version"
[ "$(cat "$work/out")" = "meshdoctor 0.1.0" ] || fail "--version prints 'meshdoctor 0.1.0'"

run --help
expect_rc 0 "--help"
expect_out "Istio ambient" "--help describes the tool"
expect_out "Examples:" "--help shows examples"
expect_out "check" "--help lists subcommands"

run check --help
expect_rc 0 "check --help"
expect_out "--bundle" "check --help lists --bundle"
expect_out "--exit-zero" "check --help lists --exit-zero"

run --no-such-flag
expect_rc 64 "unknown flag"
expect_err "meshdoctor: error:" "unknown flag message"

run check --bundle "$work" -o yaml
expect_rc 64 "unknown output format"

run
expect_rc 64 "no subcommand"

KUBECONFIG=$work/no-such-kubeconfig run check --kubeconfig "$work/no-such-kubeconfig"
expect_rc 3 "check without --bundle reads the live cluster: no kubeconfig is exit 3"

run collect
expect_rc 64 "collect without --output"

run check --bundle "$work" --only MD999
expect_rc 64 "unknown ID in --only"
expect_err "MD999" "unknown ID is named"

run check --bundle "$work" --skip MD301,BOGUS
expect_rc 64 "unknown ID in --skip"
expect_err "BOGUS" "unknown ID in --skip is named"

finish
