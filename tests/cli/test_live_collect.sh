#!/usr/bin/env bash
# collect writes a bundle whose offline check equals the live check; it refuses to overwrite a
# non-empty directory without --force and never leaves a temporary directory behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"

for scenario in istiocni-not-ambient stale-pods-one-node; do
  start_fakekube "$scenario" "$src/tests/scenarios/$scenario/bundle"
  kc=$work/$scenario.kubeconfig
  run collect --kubeconfig "$kc" --output "$work/$scenario-out" -vv
  expect_rc 0 "$scenario: collect"
  [ -f "$work/$scenario-out/meshdoctor/collection.json" ] || fail "$scenario: collection.json written"
  run check --kubeconfig "$kc" -o json
  live_rc=$rc
  cp "$work/out" "$work/live.json"
  run check --bundle "$work/$scenario-out" -o json
  [ "$rc" -eq "$live_rc" ] || fail "$scenario: collected bundle exit $rc, live $live_rc"
  same_diagnosis "$work/live.json" "$work/out" || fail "$scenario: collected bundle diagnosis differs from live"
done

out=$work/istiocni-not-ambient-out
grep -rq '"managedFields"' "$out" && fail "managedFields stripped"
grep -rqi '"kind": *"Secret"' "$out" && fail "no Secret written"
grep -rq "tok-istiocni-not-ambient" "$out" && fail "the token is never written"

kc=$work/istiocni-not-ambient.kubeconfig
run collect --kubeconfig "$kc" --output "$out"
expect_rc 3 "existing non-empty output without --force"
expect_err "--force" "the refusal mentions --force"
run collect --kubeconfig "$kc" --output "$out" --force
expect_rc 0 "--force replaces the bundle"
ls "$work" | grep -q "\.tmp-" && fail "no temporary directory left behind"

finish
