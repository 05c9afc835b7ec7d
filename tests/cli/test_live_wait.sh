#!/usr/bin/env bash
# check --wait: a cluster (or bundle) fixed mid-wait ends with exit 0; a wait that times out
# exits with the last run's code.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"

scenarios=$src/tests/scenarios
broken=$scenarios/istiocni-not-ambient/bundle
healthy=$scenarios/healthy/bundle

# flip LINK TARGET after SECONDS: atomically re-points the symlink.
flip_later() {
  (sleep "$3"; ln -s "$2" "$1.new" && mv -T "$1.new" "$1") &
}

ln -s "$broken" "$work/live-bundle"
start_fakekube wait "$work/live-bundle"
flip_later "$work/live-bundle" "$healthy" 2
start=$(date +%s)
run check --kubeconfig "$work/wait.kubeconfig" --wait 20s --interval 1s
expect_rc 0 "live --wait ends healthy after the fix"
[ $(( $(date +%s) - start )) -lt 15 ] || fail "live --wait stops as soon as nothing fails"

ln -s "$broken" "$work/offline-bundle"
flip_later "$work/offline-bundle" "$healthy" 2
run check --bundle "$work/offline-bundle" --wait 20s --interval 1s
expect_rc 0 "bundle --wait re-reads the bundle"

start=$(date +%s)
run check --bundle "$broken" --wait 2s --interval 1s
expect_rc 1 "--wait that times out exits with the last run's code"
[ $(( $(date +%s) - start )) -ge 2 ] || fail "--wait waits for the time given"
expect_out "MD301" "the last run's report is printed"

run check --bundle "$broken" --wait 2s --interval 1s --exit-zero
expect_rc 0 "--exit-zero still applies"

run check --bundle "$broken" --wait soon
expect_rc 64 "--wait needs a duration"

finish
