#!/usr/bin/env bash
# meshdoctor restart --apply --yes against fakekube (scenario restart-stale-workloads): exactly the four
# PATCHes kubectl rollout restart would send (body, content type, fieldManager, resourceVersion
# precondition), one Event each, the applied[] records; a second run restarts nothing; --max-restarts;
# --delete-bare-pods.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"

. "$(dirname "$0")/restart_lib.sh"

# b. --apply --yes: four PATCHes exactly as `kubectl rollout restart` sends them, four Events.
start_fakekube apply "$bundle"
rcheck "reading the workloads before the apply" - <<'PY'
json.dump({k: kget("apply", API[k]).get("metadata") or {} for k in RESTARTS}, open(W + "/before.json", "w"))
PY
run restart --kubeconfig "$work/apply.kubeconfig" --apply --yes -o json -vv
expect_rc 0 "--apply --yes"
cp "$work/out" "$work/apply.json"
rcheck "--apply --yes" "$work/apply.json" "$work/apply.jsonl" <<'PY'
before = load(W + "/before.json")
now = dt.datetime.now(dt.timezone.utc)
if rem.get("mode") != "apply":
    bad("mode %r, want apply" % rem.get("mode"))
if patched() != sorted(RESTARTS) or len(patches) != 4:
    bad("PATCHes: %s; want one each to %s" % (wsum(patches), sorted(API.values())))
other = [q for q in writes if q.get("method") not in ("PATCH", "POST")]
if other:
    bad("unexpected writes (no DELETE/PUT): %s" % wsum(other))
stamps = {}
for q in patches:
    k = PATH_KEY.get(q.get("path"), q.get("path"))
    if q.get("status") != 200:
        bad("PATCH %s answered %s" % (q.get("path"), q.get("status")))
    if "fieldManager=meshdoctor" not in (q.get("query") or "").split("&"):
        bad("PATCH %s query %r lacks fieldManager=meshdoctor" % (q.get("path"), q.get("query")))
    ct = (q.get("contentType") or "").split(";")[0].strip()
    if ct != "application/strategic-merge-patch+json":
        bad("PATCH %s Content-Type %r, want application/strategic-merge-patch+json" % (q.get("path"), q.get("contentType")))
    b = body(q)
    try:
        stamp = b["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"]
    except (KeyError, TypeError):
        stamp = None
    rv = (before.get(k) or {}).get("resourceVersion")
    want = {"metadata": {"resourceVersion": rv},
            "spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}}}
    if b != want:
        bad("PATCH %s body %s, want exactly %s" % (k, show(b), show(want)))
    t = when(stamp)
    if not t or not stamp.endswith("Z") or abs((now - t).total_seconds()) > 300:
        bad("PATCH %s restartedAt %r: want RFC3339 UTC (Z) within 5 minutes of now" % (k, stamp))
    stamps[k] = stamp
ev = events()
if ev != {k: 1 for k in RESTARTS}:
    bad("Events per workload %s, want one for each of %s" % (ev, RESTARTS))
if sorted(A) != sorted(RESTARTS) or len(applied) != 4:
    bad("applied lists %s, want %s" % ([key(a) for a in applied], RESTARTS))
for k in RESTARTS:
    a = A.get(k) or {}
    if (a.get("action"), a.get("result"), a.get("httpStatus"), a.get("event")) != ("restart", "restarted", 200, "recorded"):
        bad("applied %s: action/result/httpStatus/event %r/%r/%r/%r, want restart/restarted/200/recorded"
            % (k, a.get("action"), a.get("result"), a.get("httpStatus"), a.get("event")))
    rv_before, rv_after = a.get("resourceVersionBefore"), a.get("resourceVersionAfter")
    if rv_before != (before.get(k) or {}).get("resourceVersion") or not rv_after or rv_after == rv_before:
        bad("applied %s: resourceVersionBefore %r (object had %r), resourceVersionAfter %r"
            % (k, rv_before, (before.get(k) or {}).get("resourceVersion"), rv_after))
    if a.get("restartedAt") != stamps.get(k):
        bad("applied %s: restartedAt %r, the PATCH sent %r" % (k, a.get("restartedAt"), stamps.get(k)))
    if not when(a.get("at")):
        bad("applied %s: at %r is not RFC3339" % (k, a.get("at")))
    o = kget("apply", API[k])
    ann = ((o.get("spec") or {}).get("template") or {}).get("metadata", {}).get("annotations") or {}
    if ann.get("kubectl.kubernetes.io/restartedAt") != stamps.get(k) or not stamps.get(k):
        bad("GET %s after the apply: restartedAt %r, want %r" % (API[k], ann.get("kubectl.kubernetes.io/restartedAt"), stamps.get(k)))
    if (o.get("metadata") or {}).get("resourceVersion") != rv_after:
        bad("GET %s after the apply: resourceVersion %r, applied says %r" % (API[k], (o.get("metadata") or {}).get("resourceVersion"), rv_after))
summary = rem.get("summary") or {}
for k, v in (("restart", 4), ("skip", 6), ("defer", 0), ("delete", 0), ("applied", 4), ("failed", 0)):
    if summary.get(k) != v:
        bad("summary.%s = %r, want %d" % (k, summary.get(k), v))
PY

# Run again on the patched cluster (the pods did not change): the four are now already restarted
# (restartedAt = now, after the fixture's ztunnel Ready time; not so on a clock set before it).
if [ "$(date +%s)" -gt "$(date -d 2026-11-20T11:46:35Z +%s)" ]; then
  n=$(mark apply)
  run restart --kubeconfig "$work/apply.kubeconfig" --apply --yes -o json
  expect_rc 0 "a second --apply --yes"
  since apply "$n" "$work/again.jsonl"
  rcheck "a second --apply --yes restarts nothing" "$work/out" "$work/again.jsonl" <<'PY'
if writes:
    bad("writes: %s" % wsum(writes))
for k in RESTARTS:
    e = P.get(k) or {}
    if (e.get("action"), e.get("guard")) != ("skip", "already-restarted"):
        bad("%s is %s/%s, want skip/already-restarted" % (k, e.get("action"), e.get("guard")))
PY
fi

# c. --max-restarts 2: the first two in plan order are patched, ledger and cart deferred.
start_fakekube budget "$bundle"
run restart --kubeconfig "$work/budget.kubeconfig" --apply --yes --max-restarts 2 -o json --plan-file "$work/budget-plan.json"
expect_rc 0 "--apply --yes --max-restarts 2"
rcheck "--max-restarts 2" "$work/out" "$work/budget.jsonl" <<'PY'
first, rest = RESTARTS[:2], RESTARTS[2:]
if patched() != sorted(first) or len(patches) != 2:
    bad("PATCHes %s, want details-v1 and reviews-v2 only" % wsum(patches))
if events() != {k: 1 for k in first}:
    bad("Events %s, want one for each of %s" % (events(), first))
for k in first:
    if (P.get(k) or {}).get("action") != "restart" or (A.get(k) or {}).get("result") != "restarted":
        bad("%s: action %r result %r, want restart/restarted" % (k, (P.get(k) or {}).get("action"), (A.get(k) or {}).get("result")))
for k in rest:
    e = P.get(k) or {}
    if (e.get("action"), e.get("guard")) != ("defer", "budget"):
        bad("%s is %s/%s, want defer/budget" % (k, e.get("action"), e.get("guard")))
    if k in A:
        bad("%s was deferred but appears in applied: %s" % (k, show(A[k])))
summary = rem.get("summary") or {}
for k, v in (("restart", 2), ("defer", 2), ("applied", 2), ("failed", 0)):
    if summary.get(k) != v:
        bad("summary.%s = %r, want %d" % (k, summary.get(k), v))
if rem.get("maxRestarts") != 2:
    bad("maxRestarts %r, want 2" % rem.get("maxRestarts"))
f = load(W + "/budget-plan.json")
if f.get("maxRestarts") != 2 or [(key(e), e.get("action")) for e in f.get("entries") or []] != [(key(e), e.get("action")) for e in plan]:
    bad("--plan-file with --apply: maxRestarts %r, entries %s; want 2 and the report's plan"
        % (f.get("maxRestarts"), [(key(e), e.get("action")) for e in f.get("entries") or []]))
PY

# --delete-bare-pods: the bare pod is deleted with a UID precondition (and an Event), the rest as before.
start_fakekube bare "$bundle"
run restart --kubeconfig "$work/bare.kubeconfig" --apply --yes --delete-bare-pods -o json
expect_rc 0 "--apply --yes --delete-bare-pods"
rcheck "--delete-bare-pods" "$work/out" "$work/bare.jsonl" <<'PY'
e = P.get("bookinfo/Pod/debug-shell") or {}
if (e.get("action"), e.get("guard") or "") != ("delete", ""):
    bad("debug-shell is %s/%s, want delete" % (e.get("action"), e.get("guard")))
deletes = [q for q in writes if q.get("method") == "DELETE"]
if [q.get("path") for q in deletes] != ["/api/v1/namespaces/bookinfo/pods/debug-shell"] or deletes[0].get("status") != 200:
    bad("DELETEs %s, want one of /api/v1/namespaces/bookinfo/pods/debug-shell" % wsum(deletes))
else:
    b = body(deletes[0]) if isinstance(body(deletes[0]), dict) else {}
    if (b.get("preconditions") or {}).get("uid") != e.get("uid") or not e.get("uid"):
        bad("DELETE preconditions %s, want uid %r" % (show(b.get("preconditions")), e.get("uid")))
if patched() != sorted(RESTARTS):
    bad("PATCHes %s" % wsum(patches))
a = A.get("bookinfo/Pod/debug-shell") or {}
if (a.get("action"), a.get("result")) != ("delete", "deleted"):
    bad("applied debug-shell %s, want delete/deleted" % show(a))
if events() != dict({k: 1 for k in RESTARTS}, **{"bookinfo/Pod/debug-shell": 1}):
    bad("Events %s, want one per restarted workload and one for the deleted pod" % events())
summary = rem.get("summary") or {}
if (summary.get("restart"), summary.get("delete"), summary.get("applied"), summary.get("failed")) != (4, 1, 5, 0):
    bad("summary %s, want restart 4, delete 1, applied 5, failed 0" % show(summary))
PY

finish
