#!/usr/bin/env bash
# Live check through fakekube: healthy gives the offline exit code; istiocni-not-ambient gives
# root cause MD301 and the same diagnosis as offline.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"

scenarios=$src/tests/scenarios

start_fakekube healthy "$scenarios/healthy/bundle"
run check --kubeconfig "$work/healthy.kubeconfig" -o json
live_rc=$rc
cp "$work/out" "$work/healthy-live.json"
run check --bundle "$scenarios/healthy/bundle" -o json
[ "$live_rc" -eq "$rc" ] || fail "healthy: live exit $live_rc, offline $rc"
same_diagnosis "$work/healthy-live.json" "$work/out" || fail "healthy: live and offline diagnoses differ"

start_fakekube cni "$scenarios/istiocni-not-ambient/bundle"
run check --kubeconfig "$work/cni.kubeconfig" -o json
expect_rc 1 "istiocni-not-ambient live"
[ "$(json_query "$work/out" '"MD301" in r["rootCauses"]')" = True ] || fail "live root cause MD301"
[ "$(json_query "$work/out" 'r["source"]["kind"]')" = live ] || fail "source kind is live"
cp "$work/out" "$work/cni-live.json"
run check --bundle "$scenarios/istiocni-not-ambient/bundle" -o json
same_diagnosis "$work/cni-live.json" "$work/out" || fail "istiocni-not-ambient: live and offline differ"

# Text output on a live run names the root cause and stays quiet on a non-TTY stderr.
run check --kubeconfig "$work/cni.kubeconfig"
expect_rc 1 "text live"
expect_out "MD301" "text report names MD301"
[ ! -s "$work/err" ] || fail "no progress output when stderr is not a TTY"

finish
