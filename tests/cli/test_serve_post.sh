#!/usr/bin/env bash
# serve --post --post-on change: one poster for the daemon's lifetime, so runs with the same
# verdict post once (remembered in memory, no ConfigMap), the fixed cluster posts "resolved", and
# failed runs post nothing. The webhook URL never shows in the daemon's output.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"
. "$(dirname "$0")/post_lib.sh"
. "$(dirname "$0")/serve_lib.sh"

scenarios=$src/tests/scenarios
ln -s "$scenarios/istiocni-not-ambient/bundle" "$work/bundle"
start_fakekube srv "$work/bundle" --faults "$work/faults.json"
fk_pid=${fk_pids##* }
start_receiver hook
start_serve srv --kubeconfig "$work/srv.kubeconfig" --interval 2s --jitter 0 --timeout 5s --request-timeout 2s \
  --post "$hook" --post-on change -vv

# metric_at_least NAME N: NAME (a counter without labels) has reached N.
metric_at_least() {
  scrape "$work/m" || return 1
  local v
  v=$(metric "$work/m" "$1")
  [ "$v" != none ] && [ "${v%.*}" -ge "$2" ]
}

eventually 20 metric_at_least meshdoctor_runs_total 3 || fail "three runs"
expect_posts hook 1 "the same verdict over three runs posts once"
expect_query hook 0 'b["post"]["kind"] == "report" and "MD301" in b["rootCauses"]' "the first post is the report"

# Fixed: the next run posts "resolved", naming what was failing.
between_runs || fail "runs go on"
ln -s "$scenarios/healthy/bundle" "$work/bundle.new" && mv -T "$work/bundle.new" "$work/bundle"
kill -HUP "$fk_pid"
two_posts() { [ "$(posts hook)" -ge 2 ]; }
eventually 20 two_posts || fail "the fixed cluster posts"
expect_posts hook 2 "one post for the fix"
expect_query hook -1 'b["post"]["kind"] == "resolved" and "MD301" in b["post"]["previouslyFailing"]' "resolved post"

# Failed runs: nothing to post.
scrape "$work/m0"
errors=$(metric "$work/m0" meshdoctor_run_errors_total)
between_runs || fail "runs go on"
echo '[{"path": ".*", "status": 500}]' >"$work/faults.json"
eventually 30 metric_at_least meshdoctor_run_errors_total $((${errors%.*} + 1)) || fail "a run fails"
expect_posts hook 2 "a failed run posts nothing"

grep -q SECRETTOKEN "$work/srv.serve.out" "$work/srv.serve.err" && fail "the webhook URL is never printed"
stop_serve
[ "$stop_rc" = 0 ] || fail "SIGTERM: exit $stop_rc"

finish
