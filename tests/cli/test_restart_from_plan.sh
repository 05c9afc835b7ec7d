#!/usr/bin/env bash
# meshdoctor restart --from-plan: a reviewed plan file is applied as is; a workload changed since the
# plan is refused without a request (changed-since-plan, exit 1); unusable plan files exit 3.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"

. "$(dirname "$0")/restart_lib.sh"

# e. A reviewed plan is applied as is; a workload changed since the plan is refused, unsent.
start_fakekube fp "$bundle"
kc=$work/fp.kubeconfig
run restart --kubeconfig "$kc" --plan-file "$work/plan.json" -o json
expect_rc 0 "dry-run writing the plan file"
[ -s "$work/plan.json" ] || fail "--plan-file wrote no file"

# Someone changes cart (a label) behind meshdoctor's back: its resourceVersion moves.
code=$(curl -sS -o "$work/cart.json" -w '%{http_code}' -X PATCH -H "Authorization: Bearer tok-fp" \
  -H "Content-Type: application/merge-patch+json" --data '{"metadata":{"labels":{"touched-by":"someone-else"}}}' \
  "http://127.0.0.1:$port/apis/apps/v1/namespaces/shop/deployments/cart")
[ "$code" = 200 ] || fail "merge patch of cart through fakekube: HTTP $code $(head -c 300 "$work/cart.json")"

n=$(mark fp)
run restart --kubeconfig "$kc" --from-plan "$work/plan.json" --apply --yes -o json
expect_rc 1 "--from-plan --apply with cart changed since the plan"
since fp "$n" "$work/fp-apply.jsonl"
rcheck "--from-plan --apply" "$work/out" "$work/fp-apply.jsonl" <<'PY'
f = load(W + "/plan.json")
entries = {key(e): e for e in f.get("entries") or []}
if (rem.get("fromPlan"), rem.get("mode")) != (True, "apply"):
    bad("fromPlan/mode %r/%r, want true/apply" % (rem.get("fromPlan"), rem.get("mode")))
cart = A.get("shop/Deployment/cart") or {}
if cart.get("result") != "changed-since-plan":
    bad("cart result %r, want changed-since-plan" % cart.get("result"))
if cart.get("httpStatus") not in (0, None):
    bad("cart httpStatus %r: nothing may be sent for it" % cart.get("httpStatus"))
for k in RESTARTS[:3]:
    if (A.get(k) or {}).get("result") != "restarted":
        bad("%s result %r, want restarted" % (k, (A.get(k) or {}).get("result")))
if patched() != sorted(RESTARTS[:3]) or len(patches) != 3:
    bad("PATCHes %s, want details-v1, reviews-v2, ledger (none for cart)" % wsum(patches))
for q in patches:
    k = PATH_KEY.get(q.get("path"))
    b = body(q)
    rv = (b.get("metadata") or {}).get("resourceVersion") if isinstance(b, dict) else None
    if k in entries and rv != entries[k].get("resourceVersion"):
        bad("PATCH %s precondition %r, the plan file says %r" % (k, rv, entries[k].get("resourceVersion")))
if events() != {k: 1 for k in RESTARTS[:3]}:
    bad("Events %s, want one each for the three restarted" % events())
other = [q for q in writes if q.get("method") not in ("PATCH", "POST")]
if other:
    bad("unexpected writes: %s" % wsum(other))
summary = rem.get("summary") or {}
if (summary.get("applied"), summary.get("failed")) != (3, 1):
    bad("summary applied/failed %r/%r, want 3/1" % (summary.get("applied"), summary.get("failed")))
PY
rcheck "only the curl patched cart" - "$work/fp.jsonl" <<'PY'
cart = [q for q in writes if q.get("path") == API["shop/Deployment/cart"]]
if len(cart) != 1 or not (cart[0].get("contentType") or "").startswith("application/merge-patch+json"):
    bad("writes to cart: %s; want only the test's merge patch" % [(q.get("method"), q.get("contentType")) for q in cart])
PY

# Plan files that must not be applied: exit 3, the file named, nothing written.
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
plan = json.load(open(w + "/plan.json"))
json.dump(dict(plan, schemaVersion="meshdoctor/restart-plan/v0"), open(w + "/bad-schema-plan.json", "w"))
json.dump(dict(plan, cluster=dict(plan.get("cluster") or {}, server="https://api.other.example.com:6443")),
          open(w + "/other-cluster-plan.json", "w"))
open(w + "/truncated-plan.json", "w").write(json.dumps(plan)[:200])
PY
for bad_plan in bad-schema-plan.json other-cluster-plan.json truncated-plan.json missing-plan.json; do
  n=$(mark fp)
  run restart --kubeconfig "$kc" --from-plan "$work/$bad_plan" --apply --yes -o json
  expect_rc 3 "--from-plan $bad_plan"
  cat "$work/out" "$work/err" | grep -qF "$bad_plan" || fail "--from-plan $bad_plan: the message names the file"
  since fp "$n" "$work/bad.jsonl"
  rcheck "--from-plan $bad_plan writes nothing" - "$work/bad.jsonl" <<'PY'
if writes:
    bad("writes: %s" % wsum(writes))
PY
done

finish
