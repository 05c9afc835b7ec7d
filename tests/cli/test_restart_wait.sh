#!/usr/bin/env bash
# meshdoctor restart --apply --wait: with fakekube --simulate-rollouts the restarted workloads are verified
# (new pods Ready and enrolled; MD504 passes afterwards once nothing else is stale; exit 0); without
# rollouts --wait times out (exit 1).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"

. "$(dirname "$0")/restart_lib.sh"

# g. --wait with fakekube simulating the rollouts: the four restarted workloads are verified (new pods
# Ready and enrolled). MD504 still fails afterwards: the pods of the workloads the playbook skips on
# purpose are still stale; a follow-up check lists exactly those.
# The simulated pods start "now": on a clock before the fixture's ztunnel Ready time they would be stale.
if [ "$(date +%s)" -le "$(date -d 2026-11-20T11:46:35Z +%s)" ]; then
  echo "SKIP: the clock is before the scenario's ztunnel Ready time (2026-11-20T11:46:35Z)" >&2
  exit 125
fi
SKIPPED_STALE="bookinfo/debug-shell shop/checkout-5f6b7c9d8-t7mxr shop/legacy-api-6b9f8d7c4-z5lpw
payments/fraud-84c7d9b6f5-hx4rt payments/settle-29377300-m6q2d stackrox/sensor-6d9f7c8b4-x2x9p"
export SKIPPED_STALE
start_fakekube wait "$bundle" --simulate-rollouts
start=$(date +%s)
run restart --kubeconfig "$work/wait.kubeconfig" --apply --yes --wait 60s -o json
expect_rc 0 "--apply --yes --wait 60s with rollouts"
[ $(($(date +%s) - start)) -lt 30 ] || fail "--wait returns as soon as the rollouts are done"
rcheck "--wait, rollouts done" "$work/out" "$work/wait.jsonl" <<'PY'
v = rem.get("verify")
if not isinstance(v, dict):
    bad("verify is %s, want an object" % show(v))
    v = {}
if v.get("completed") is not True:
    bad("verify.completed %r, want true" % v.get("completed"))
if not isinstance(v.get("waitedMs"), int) or not 0 <= v["waitedMs"] < 60000:
    bad("verify.waitedMs %r" % v.get("waitedMs"))
ws = {key(w): w for w in v.get("workloads") or []}
if sorted(ws) != sorted(RESTARTS):
    bad("verify.workloads %s, want %s" % (sorted(ws), sorted(RESTARTS)))
replicas = {"bookinfo/Deployment/details-v1": 2, "bookinfo/Deployment/reviews-v2": 1,
            "payments/StatefulSet/ledger": 2, "shop/Deployment/cart": 2}
for k, w in ws.items():
    got = (w.get("done"), w.get("desired"), w.get("ready"), w.get("enrolled"), w.get("oldPods"))
    want = (True, replicas.get(k), replicas.get(k), replicas.get(k), 0)
    if got != want:
        bad("verify %s done/desired/ready/enrolled/oldPods %s, want %s (%s)" % (k, got, want, w.get("detail")))
before, after = (v.get("before") or {}).get("MD504"), (v.get("after") or {}).get("MD504")
if (before, after) != ("fail", "fail"):
    bad("MD504 before %r after %r, want fail and still fail (the skipped workloads' pods)" % (before, after))
if any((a.get("result") != "restarted") for a in applied) or len(applied) != 4:
    bad("applied %s" % [(key(a), a.get("result")) for a in applied])
PY
run check --kubeconfig "$work/wait.kubeconfig" -o json
rcheck "check after the restart lists only the skipped workloads' pods" "$work/out" <<'PY'
md504 = [f for f in r.get("findings") or [] if f.get("id") == "MD504"]
got = sorted("%s/%s" % (o.get("namespace"), o.get("name")) for o in (md504[0].get("objects") if md504 else []) or [])
if got != sorted(os.environ["SKIPPED_STALE"].split()):
    bad("MD504 lists %s, want %s" % (got, sorted(os.environ["SKIPPED_STALE"].split())))
PY

# Once those pods are dealt with by hand (deleted here), the same run ends with MD504 passing.
start_fakekube clean "$bundle" --simulate-rollouts
for p in $SKIPPED_STALE; do
  code=$(curl -sS -o "$work/del.json" -w '%{http_code}' -X DELETE -H "Authorization: Bearer tok-clean" \
    "http://127.0.0.1:$port/api/v1/namespaces/${p%%/*}/pods/${p#*/}")
  [ "$code" = 200 ] || fail "DELETE pod $p through fakekube: HTTP $code $(head -c 300 "$work/del.json")"
done
run restart --kubeconfig "$work/clean.kubeconfig" --apply --yes --wait 60s -o json
expect_rc 0 "--apply --yes --wait 60s, nothing else stale"
rcheck "--wait, MD504 passes afterwards" "$work/out" <<'PY'
v = rem.get("verify") if isinstance(rem.get("verify"), dict) else {}
if v.get("completed") is not True:
    bad("verify.completed %r, want true" % v.get("completed"))
if (v.get("before") or {}).get("MD504") != "fail" or (v.get("after") or {}).get("MD504") != "pass":
    bad("MD504 before %r after %r, want fail then pass" % ((v.get("before") or {}).get("MD504"), (v.get("after") or {}).get("MD504")))
if sorted(key(a) for a in applied if a.get("result") == "restarted") != sorted(RESTARTS):
    bad("applied %s" % [(key(a), a.get("result")) for a in applied])
PY

# --wait that times out (no rollout happens): exit 1, not completed, the old pods still there.
start_fakekube stuck "$bundle"
start=$(date +%s)
run restart --kubeconfig "$work/stuck.kubeconfig" --apply --yes --wait 3s -o json
expect_rc 1 "--wait 3s without rollouts times out"
elapsed=$(($(date +%s) - start))
[ "$elapsed" -ge 3 ] && [ "$elapsed" -lt 20 ] || fail "--wait 3s took ${elapsed}s"
rcheck "--wait timed out" "$work/out" "$work/stuck.jsonl" <<'PY'
v = rem.get("verify") if isinstance(rem.get("verify"), dict) else {}
if v.get("completed") is not False:
    bad("verify.completed %r, want false" % v.get("completed"))
ws = {key(w): w for w in v.get("workloads") or []}
for k in RESTARTS:
    w = ws.get(k) or {}
    if w.get("done") is not False or not w.get("oldPods"):
        bad("verify %s: %s; want done false with old pods left" % (k, show(w)))
if (v.get("after") or {}).get("MD504") != "fail":
    bad("MD504 after %r, want fail (the stale pods are still there)" % (v.get("after") or {}).get("MD504"))
if len(patches) != 4:
    bad("PATCHes %s, want 4" % wsum(patches))
PY

finish
