#!/usr/bin/env bash
# serve --fix: each run plans restart-stale-workloads in dry-run and counts the plan entries in
# meshdoctor_remediations_total{action, result="planned"}; the cluster only ever sees GETs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"
. "$(dirname "$0")/serve_lib.sh"

start_fakekube fix "$src/tests/scenarios/restart-stale-workloads/bundle"
start_serve fix --kubeconfig "$work/fix.kubeconfig" --interval 1s --fix
eventually 20 is_ready || fail "/readyz is 200 after the first run"
scrape "$work/m1"
runs1=$(metric "$work/m1" meshdoctor_runs_total)
planned1=$(metric "$work/m1" meshdoctor_remediations_total action=restart result=planned)
[ "$planned1" != none ] && [ "${planned1%.*}" -gt 0 ] || fail "restarts planned ($planned1)"
[ "$(metric "$work/m1" meshdoctor_root_cause id=MD504)" = 1 ] || fail "MD504 is the root cause"
curl -sf "$serve_url/report.json" >"$work/report.json"
[ "$(json_query "$work/report.json" 'len([e for e in r["remediation"]["plan"] if e["action"] == "restart"]) > 0')" = True ] ||
  fail "the report carries the plan"
[ "$(json_query "$work/report.json" 'r["remediation"]["applied"]')" = "[]" ] || fail "nothing applied"

# The counter adds each run's plan.
more_runs() { scrape "$work/m2" && [ "$(metric "$work/m2" meshdoctor_runs_total)" != "$runs1" ]; }
eventually 10 more_runs || fail "another run"
planned2=$(metric "$work/m2" meshdoctor_remediations_total action=restart result=planned)
[ "${planned2%.*}" -gt "${planned1%.*}" ] || fail "the planned counter grows per run ($planned1 → $planned2)"

stop_serve
[ "$stop_rc" = 0 ] || fail "SIGTERM: exit $stop_rc"
python3 - "$work/fix.jsonl" <<'PY' || fail "serve --fix sent only GETs"
import json, sys
methods = {json.loads(l)["method"] for l in open(sys.argv[1]) if l.strip()}
sys.exit(0 if methods == {"GET"} else 1)
PY

finish
