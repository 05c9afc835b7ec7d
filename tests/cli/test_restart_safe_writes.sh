#!/usr/bin/env bash
# Safe writes under faults: a 500, a 429 and an answer that comes after the request timeout on
# three PATCHes. Each write is sent exactly once (never retried blindly), the budget holds, the
# audit record says what the server did (or that the outcome is unknown), and the others proceed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"
. "$(dirname "$0")/restart_lib.sh"

cat >"$work/faults.json" <<'JSON'
[{"path": "^/apis/apps/v1/namespaces/bookinfo/deployments/details-v1$", "method": "PATCH", "status": 500},
 {"path": "^/apis/apps/v1/namespaces/bookinfo/deployments/reviews-v2$", "method": "PATCH", "status": 429, "retryAfter": 1},
 {"path": "^/apis/apps/v1/namespaces/payments/statefulsets/ledger$", "method": "PATCH", "delayMs": 4000}]
JSON
start_fakekube safe "$bundle" --faults "$work/faults.json"
start=$(date +%s)
run restart --kubeconfig "$work/safe.kubeconfig" --apply --yes --request-timeout 2s --max-restarts 3 -o json
took=$(($(date +%s) - start))
expect_rc 1 "500, 429 and a late answer on PATCH"
[ "$took" -le 30 ] || fail "took ${took}s: not bounded"
rcheck "one attempt per write, budget held, audit matches" "$work/out" "$work/safe.jsonl" <<'PY'
from collections import Counter
sent = Counter(PATH_KEY.get(q.get("path"), q.get("path")) for q in patches)
for k, n in sent.items():
    if n != 1: bad("%s was PATCHed %d times: a write must never be retried blindly" % (k, n))
if sum(sent.values()) > 3: bad("%d PATCHes with --max-restarts 3" % sum(sent.values()))
if "shop/Deployment/cart" in sent: bad("cart was patched beyond the budget")
if (P.get("shop/Deployment/cart") or {}).get("action") != "defer": bad("cart is not deferred")
want = {"bookinfo/Deployment/details-v1": "error", "bookinfo/Deployment/reviews-v2": "error",
        "payments/StatefulSet/ledger": "error"}
for k, result in want.items():
    a = A.get(k) or {}
    if a.get("result") != result: bad("applied %s: result %r, want %r" % (k, a.get("result"), result))
late = (A.get("payments/StatefulSet/ledger") or {}).get("detail") or ""
if "may have been applied" not in late: bad("the timed-out PATCH's detail %r does not say the outcome is unknown" % late)
if not any("500" in ((A.get("bookinfo/Deployment/details-v1") or {}).get("detail") or "") for _ in [0]):
    bad("details-v1's detail does not carry the 500")
if events(): bad("Events recorded for failed restarts: %s" % events())
PY

exit $((failures > 0))
