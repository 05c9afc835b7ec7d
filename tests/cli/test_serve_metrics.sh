#!/usr/bin/env bash
# meshdoctor serve against fakekube: the metrics of a healthy cluster; the same cluster broken
# (bundle re-pointed, SIGHUP) within a few runs; every API request failing (fault file): runs
# counted as errors while the last good values stay served; the reports; a clean SIGTERM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"
. "$(dirname "$0")/serve_lib.sh"

healthy=$src/tests/scenarios/healthy/bundle
broken=$src/tests/scenarios/istiocni-not-ambient/bundle

ln -s "$healthy" "$work/bundle"
start_fakekube srv "$work/bundle" --faults "$work/faults.json"
fk_pid=${fk_pids##* }
start_serve srv --kubeconfig "$work/srv.kubeconfig" --interval 2s --jitter 0 --timeout 5s --request-timeout 2s -vv

# Up at once; ready after the first run.
[ "$(curl -s "$serve_url/healthz")" = ok ] || fail "/healthz answers ok"
eventually 20 is_ready || fail "/readyz is 200 after the first run"

# The healthy cluster.
scrape "$work/m1" || fail "/metrics answers"
case $(content_type /metrics) in
  "text/plain; version=0.0.4"*) ;;
  *) fail "/metrics content type: $(content_type /metrics)" ;;
esac
[ "$(metric "$work/m1" meshdoctor_check_status id=MD301 name=istiocni-profile category=cni)" = 0 ] ||
  fail "healthy: MD301 passes (0)"
[ "$(metric "$work/m1" meshdoctor_check_status id=MD305)" = 4 ] || fail "healthy: MD305 skipped (4) off-node"
grep -E '^meshdoctor_root_cause\{.*\} 1$' "$work/m1" && fail "healthy: no root cause at 1"
ready=$(metric "$work/m1" meshdoctor_ztunnel_ready_pods)
desired=$(metric "$work/m1" meshdoctor_ztunnel_desired_pods)
[ "$ready" = "$desired" ] && [ "$ready" != none ] && [ "$ready" != 0 ] ||
  fail "healthy: ztunnel ready ($ready) == desired ($desired)"
[ "$(sample_count "$work/m1" meshdoctor_check_status)" -ge 30 ] || fail "one check_status series per check"
[ "$(sample_count "$work/m1")" -lt 200 ] || fail "series count bounded: $(sample_count "$work/m1") samples"
[ "$(metric "$work/m1" meshdoctor_build_info)" = 1 ] || fail "build_info exported"
[ "$(metric "$work/m1" meshdoctor_run_errors_total)" = 0 ] || fail "healthy: no run errors"
requests=$(metric "$work/m1" meshdoctor_api_requests_last_run)
[ "$requests" != none ] && [ "${requests%.*}" -gt 0 ] || fail "api_requests_last_run > 0 ($requests)"
grep -q "schemaVersion" "$work/m1" && fail "metrics are not the report"

# Break the cluster: IstioCNI not ambient. MD301 fails and is the root cause within a few runs.
between_runs || fail "runs go on"
ln -s "$broken" "$work/bundle.new" && mv -T "$work/bundle.new" "$work/bundle"
kill -HUP "$fk_pid"
md301_fails() { scrape "$work/m2" && [ "$(metric "$work/m2" meshdoctor_check_status id=MD301)" = 2 ]; }
eventually 20 md301_fails || fail "broken: MD301 goes to 2"
[ "$(metric "$work/m2" meshdoctor_root_cause id=MD301)" = 1 ] || fail "broken: root_cause{id=MD301} 1"
[ "$(sample_count "$work/m2")" -lt 200 ] || fail "broken: series count bounded"

curl -sf "$serve_url/report.json" >"$work/report.json" || fail "/report.json answers"
[ "$(content_type /report.json)" = application/json ] || fail "/report.json content type"
[ "$(json_query "$work/report.json" 'r["schemaVersion"]')" = meshdoctor/v1 ] || fail "/report.json schemaVersion"
[ "$(json_query "$work/report.json" '"MD301" in r["rootCauses"]')" = True ] || fail "/report.json root cause MD301"
case $(content_type /report.md) in text/markdown*) ;; *) fail "/report.md content type" ;; esac
curl -sf "$serve_url/report.md" | grep -q MD301 || fail "/report.md names MD301"
case $(content_type /) in "text/html; charset=utf-8") ;; *) fail "/ content type: $(content_type /)" ;; esac
curl -sf "$serve_url/" | grep -qi "<html" || fail "/ is an HTML page"

# Every API request fails: runs are errors, the last good result stays.
errors_before=$(metric "$work/m2" meshdoctor_run_errors_total)
between_runs || fail "runs go on"
echo '[{"path": ".*", "status": 500}]' >"$work/faults.json"
errors_grew() {
  scrape "$work/m3" && [ "$(metric "$work/m3" meshdoctor_run_errors_total)" != "$errors_before" ]
}
eventually 30 errors_grew || fail "faults: run_errors_total increases (still $errors_before)"
[ "$(metric "$work/m3" meshdoctor_check_status id=MD301)" = 2 ] || fail "faults: MD301 keeps its last value (2)"
[ "$(metric "$work/m3" meshdoctor_root_cause id=MD301)" = 1 ] || fail "faults: root cause kept"
[ "$(metric "$work/m3" meshdoctor_check_status id=MD101)" = 0 ] || fail "faults: MD101 keeps pass, not unknown"
[ "$(http_code /readyz)" = 200 ] || fail "faults: /readyz stays 200"
[ "$(http_code /report.json)" = 200 ] || fail "faults: /report.json still served"
[ "$(curl -s "$serve_url/healthz")" = ok ] || fail "faults: /healthz ok"
grep -q "run failed" "$work/srv.serve.err" || fail "faults: the failed run is logged"
kill -0 "$serve_pid" 2>/dev/null || fail "faults: the daemon keeps running"

# SIGTERM: exit 0 within 5 s, even with a run in progress.
stop_serve
[ "$stop_rc" = 0 ] || fail "SIGTERM: exit $stop_rc, expected 0"
[ "$stop_seconds" -lt 5 ] || fail "SIGTERM: stopped in ${stop_seconds}s"

finish
