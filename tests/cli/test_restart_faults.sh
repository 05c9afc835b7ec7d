#!/usr/bin/env bash
# meshdoctor restart when the API server refuses: 409 and 403 on PATCH (exit 1, results conflict and
# forbidden naming the permission), an owner that cannot be read and MD504 unknown (exit 2).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"

. "$(dirname "$0")/restart_lib.sh"

# d. A 409 on reviews-v2 and a 403 on cart: both reported, the other two restarted, exit 1.
cat >"$work/faults.json" <<'JSON'
[{"path": "^/apis/apps/v1/namespaces/bookinfo/deployments/reviews-v2$", "method": "PATCH", "status": 409},
 {"path": "^/apis/apps/v1/namespaces/shop/deployments/cart$", "method": "PATCH", "status": 403}]
JSON
start_fakekube faults "$bundle" --faults "$work/faults.json"
run restart --kubeconfig "$work/faults.kubeconfig" --apply --yes -o json
expect_rc 1 "a 409 and a 403 on PATCH"
rcheck "409 and 403 on PATCH" "$work/out" "$work/faults.jsonl" <<'PY'
want = {"bookinfo/Deployment/details-v1": ("restarted", 200), "bookinfo/Deployment/reviews-v2": ("conflict", 409),
        "payments/StatefulSet/ledger": ("restarted", 200), "shop/Deployment/cart": ("forbidden", 403)}
for k, (result, status) in want.items():
    a = A.get(k) or {}
    if (a.get("result"), a.get("httpStatus")) != (result, status):
        bad("applied %s: result %r httpStatus %r, want %s %d" % (k, a.get("result"), a.get("httpStatus"), result, status))
detail = ((A.get("shop/Deployment/cart") or {}).get("detail") or "").lower()
if "patch" not in detail or "deployments" not in detail:
    bad("cart's detail %r does not name the missing permission (patch deployments)" % detail)
if not (A.get("bookinfo/Deployment/reviews-v2") or {}).get("detail"):
    bad("the conflict has no detail")
ok = [PATH_KEY.get(q.get("path")) for q in patches if q.get("status") == 200]
if sorted(ok) != ["bookinfo/Deployment/details-v1", "payments/StatefulSet/ledger"]:
    bad("successful PATCHes %s, want details-v1 and ledger" % wsum(patches))
if events() != {"bookinfo/Deployment/details-v1": 1, "payments/StatefulSet/ledger": 1}:
    bad("Events %s, want one each for the two restarted workloads only" % events())
other = [q for q in writes if q.get("method") not in ("PATCH", "POST")]
if other:
    bad("unexpected writes: %s" % wsum(other))
summary = rem.get("summary") or {}
if (summary.get("applied"), summary.get("failed")) != (2, 2):
    bad("summary applied/failed %r/%r, want 2/2" % (summary.get("applied"), summary.get("failed")))
PY

# Exit 2: an owner that cannot be read makes the plan incomplete (guard lookup-failed).
echo '[{"path": "^/apis/apps/v1/namespaces/shop/", "method": "GET", "status": 403}]' >"$work/noapps.json"
start_fakekube noapps "$bundle" --faults "$work/noapps.json"
run restart --kubeconfig "$work/noapps.kubeconfig" -o json
expect_rc 2 "dry-run with shop's apps objects forbidden"
rcheck "owner lookup forbidden in shop" "$work/out" "$work/noapps.jsonl" <<'PY'
got = [key(e) for e in plan if e.get("action") == "restart"]
if got != [k for k in RESTARTS if not k.startswith("shop/")]:
    bad("restarts %s, want the three outside shop" % got)
shop = [e for e in plan if e.get("namespace") == "shop"]
if not any(e.get("guard") == "lookup-failed" for e in shop):
    bad("no shop entry with guard lookup-failed: %s" % [(key(e), e.get("action"), e.get("guard")) for e in shop])
if any(e.get("action") == "restart" for e in shop):
    bad("a shop workload is restarted although its owner could not be read")
if writes:
    bad("a dry-run wrote: %s" % wsum(writes))
PY

# Exit 2: ztunnel pods unreadable -> MD504 unknown -> nothing planned, nothing written even with --apply.
echo '[{"path": "^/api/v1/namespaces/ztunnel/pods$", "status": 403}]' >"$work/nozt.json"
start_fakekube nozt "$bundle" --faults "$work/nozt.json"
run restart --kubeconfig "$work/nozt.kubeconfig" --apply --yes -o json
expect_rc 2 "--apply --yes with MD504 unknown"
rcheck "MD504 unknown" "$work/out" "$work/nozt.jsonl" <<'PY'
st = {f.get("id"): f.get("status") for f in r.get("findings") or []}
if st.get("MD504") != "unknown":
    bad("MD504 is %r, want unknown" % st.get("MD504"))
if any(e.get("action") in ("restart", "delete") for e in plan):
    bad("restarts planned although MD504 is unknown: %s" % [key(e) for e in plan if e.get("action") == "restart"])
if writes:
    bad("writes: %s" % wsum(writes))
if not rem.get("notes"):
    bad("no note says why nothing was planned")
PY

finish
