#!/usr/bin/env bash
# meshdoctor serve --watch against fakekube: after the first run a run over an unchanged cluster
# sends at most 10 requests (counted by the server) and diagnoses exactly what a fresh
# `meshdoctor check` does; a change (IstioCNI loses the ambient profile) reaches the next runs
# through the watch, without listing again; a reload of the server (every watch gets 410 Expired)
# makes the next run list again and diagnose the new cluster; the per-node evidence of unchanged
# pods (logs, readiness, metrics) is not read again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"
. "$(dirname "$0")/serve_lib.sh"

"$md" serve --help | grep -q -- --watch || fail "serve --help shows --watch"
fk_help=$("$fakekube" --help 2>&1)
case $fk_help in *--bookmark-interval-ms*) ;; *) echo "SKIP: fakekube serves no watches" >&2; exit 125 ;; esac

healthy=$src/tests/scenarios/healthy/bundle
broken=$src/tests/scenarios/istiocni-not-ambient/bundle
ln -s "$healthy" "$work/bundle"
start_fakekube w "$work/bundle" --bookmark-interval-ms 300
fk_pid=${fk_pids##* }
fk_url=http://127.0.0.1:$port
records() { wc -l <"$work/w.jsonl"; }

start_serve w --kubeconfig "$work/w.kubeconfig" --watch --interval 2s --jitter 0 --evidence-max-age 1h -v
eventually 30 is_ready || fail "/readyz is 200 after the first run"

# Requests of whole runs: from the end of one run to the end of the next.
requests_of_next_run() {
  between_runs || fail "runs go on"
  local before
  before=$(records)
  between_runs || fail "runs go on"
  echo $(($(records) - before))
}
first_run_requests=$(grep -c . "$work/w.jsonl")
steady=$(requests_of_next_run)
[ "$steady" -le 10 ] || fail "an unchanged run sends <= 10 requests, sent $steady (first run: $first_run_requests)"
scrape "$work/m1" || fail "/metrics answers"
last=$(metric "$work/m1" meshdoctor_api_requests_last_run)
[ "${last%.*}" -le 10 ] || fail "meshdoctor_api_requests_last_run <= 10 with --watch ($last)"
grep -q 'watch cache: .* lists (.* watched)' "$work/w.serve.err" || fail "serve -v logs the watch cache per run"

# Per-node evidence of unchanged pods is reused: no container log and no pod proxy read.
pod_reads_after() { tail -n +"$(($1 + 1))" "$work/w.jsonl" | grep -cE '"path":"/api/v1/namespaces/[^"]*/pods/[^"]*(/log|/proxy/)'; }
between_runs || fail "runs go on"
mark=$(records)
between_runs || fail "runs go on"
[ "$(pod_reads_after "$mark")" = 0 ] || fail "an unchanged run reads no container log and no pod proxy"
[ "$first_run_requests" -gt 20 ] || fail "the first run lists and reads the node agents ($first_run_requests requests)"

# The same diagnosis as a fresh check of the same server.
run check --kubeconfig "$work/w.kubeconfig" -o json
cp "$work/out" "$work/check1.json"
curl -sf "$serve_url/report.json" >"$work/serve1.json" || fail "/report.json answers"
why=$(same_diagnosis "$work/check1.json" "$work/serve1.json") || fail "serve --watch diagnoses what check does: $why"
[ "$(json_query "$work/serve1.json" 'st("MD301")')" = pass ] || fail "healthy: MD301 passes"

# A change arrives through the watch: the IstioCNI loses its profile.
between_runs || fail "runs go on"
curl -sf -X PATCH -H "Authorization: Bearer tok-w" -H 'Content-Type: application/merge-patch+json' \
  --data '{"spec":{"profile":null}}' "$fk_url/apis/sailoperator.io/v1/istiocnis/default" >/dev/null ||
  fail "PATCH the IstioCNI"
lists_before=$(grep -c '"query":"limit=' "$work/w.jsonl")
md301_fails() {
  curl -sf "$serve_url/report.json" >"$work/serve2.json" && [ "$(json_query "$work/serve2.json" 'st("MD301")')" = fail ]
}
eventually 20 md301_fails || fail "the IstioCNI change reaches serve --watch: MD301 fails"
lists_after=$(grep -c '"query":"limit=' "$work/w.jsonl")
[ "$lists_after" = "$lists_before" ] || fail "a change is applied from the watch, not by listing again ($lists_before -> $lists_after lists)"
run check --kubeconfig "$work/w.kubeconfig" -o json
cp "$work/out" "$work/check2.json"
curl -sf "$serve_url/report.json" >"$work/serve2.json"
why=$(same_diagnosis "$work/check2.json" "$work/serve2.json") || fail "after the change: same diagnosis as check: $why"

# A reload expires every watch (410): the next runs list again and see the other cluster.
between_runs || fail "runs go on"
rm "$work/bundle" && ln -s "$broken" "$work/bundle"
kill -HUP "$fk_pid"
reloaded() {
  curl -sf "$serve_url/report.json" >"$work/serve3.json" && run check --kubeconfig "$work/w.kubeconfig" -o json &&
    cp "$work/out" "$work/check3.json" && same_diagnosis "$work/check3.json" "$work/serve3.json" >/dev/null &&
    [ "$(json_query "$work/serve3.json" '"MD301" in r["rootCauses"]')" = True ]
}
reload_mark=$(records)
eventually 30 reloaded || fail "after a reload (410 on every watch) serve --watch diagnoses the new cluster"
[ "$(pod_reads_after "$reload_mark")" -gt 0 ] || fail "after a relist the node agents' logs and proxies are read again"
grep -q 'resourceVersion expired' "$work/w.serve.err" || fail "the expired watches are logged"
[ "$(grep -c '"query":"limit=' "$work/w.jsonl")" -gt "$lists_after" ] || fail "after 410 the lists are read again"
again=$(requests_of_next_run)
[ "$again" -le 10 ] || fail "after the relist, an unchanged run sends <= 10 requests again, sent $again"

# SIGTERM ends the daemon and its watches within 5 s.
stop_serve
[ "$stop_rc" = 0 ] || fail "SIGTERM: exit $stop_rc, expected 0"
[ "$stop_seconds" -le 5 ] || fail "SIGTERM took $stop_seconds s"
finish
