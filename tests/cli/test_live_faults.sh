#!/usr/bin/env bash
# Degraded answers: 403 on pod logs makes the log checks unknown naming pods/log (MD301 still
# fails); 429 with Retry-After then success gives the normal diagnosis; a truncated pod list
# makes the checks reading pods unknown or error, never pass.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"

cni=$src/tests/scenarios/istiocni-not-ambient/bundle
run check --bundle "$cni" -o json
cp "$work/out" "$work/offline.json"

echo '[{"path": "/log$", "status": 403}]' >"$work/logs403.json"
start_fakekube logs "$cni" --faults "$work/logs403.json"
run check --kubeconfig "$work/logs.kubeconfig" -o json
[ "$(json_query "$work/out" 'st("MD301")')" = fail ] || fail "403 logs: MD301 still fails"
for id in MD304 MD403; do
  [ "$(json_query "$work/out" "st('$id')")" = unknown ] || fail "403 logs: $id unknown ($(json_query "$work/out" "st('$id')"))"
  json_query "$work/out" "ev('$id')" | grep -q "pods/log" || fail "403 logs: $id evidence names pods/log"
done

echo '[{"path": "/daemonsets$", "status": 429, "retryAfter": 1, "times": 2}]' >"$work/429.json"
start_fakekube throttled "$cni" --faults "$work/429.json"
run check --kubeconfig "$work/throttled.kubeconfig" -o json
expect_rc 1 "429 then success"
same_diagnosis "$work/out" "$work/offline.json" || fail "429 then success: same diagnosis as offline"
grep -q '"status": *429' "$work/throttled.jsonl" || fail "fakekube answered 429 at least once"

healthy=$src/tests/scenarios/healthy/bundle
echo '[{"path": "^/api/v1/namespaces/bookinfo/pods$", "truncate": true}]' >"$work/trunc.json"
start_fakekube trunc "$healthy" --faults "$work/trunc.json"
run check --kubeconfig "$work/trunc.kubeconfig" -o json
[ "$rc" -ne 0 ] || fail "truncated pod list: never exit 0"
for id in MD503 MD504; do
  s=$(json_query "$work/out" "st('$id')")
  case $s in unknown|error) ;; *) fail "truncated pod list: $id is $s, expected unknown" ;; esac
done

finish
