#!/usr/bin/env bash
# meshdoctor restart, dry-run and selection (tests/scenarios/restart-stale-workloads served by fakekube):
# the full plan with every guard, plan order, the plan file, text/markdown/--output-file, --namespace,
# --exclude-namespace, --off-mesh-namespaces, usage errors (64) and could-not-run (3).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"

. "$(dirname "$0")/restart_lib.sh"

start_fakekube plan "$bundle"
kc=$work/plan.kubeconfig

# a. dry-run (the default): the full plan, nothing written, the plan file.
run restart --kubeconfig "$kc" -o json --plan-file "$work/plan.json"
expect_rc 0 "dry-run"
cp "$work/out" "$work/dry.json"
rcheck "dry-run report" "$work/dry.json" <<'PY'
if r.get("schemaVersion") != "meshdoctor/v1":
    bad("schemaVersion %r, want meshdoctor/v1" % r.get("schemaVersion"))
st = {f.get("id"): f.get("status") for f in r.get("findings") or []}
if st.get("MD504") != "fail":
    bad("finding MD504 is %r, want fail" % st.get("MD504"))
for k, v in (("playbook", "restart-stale-workloads"), ("mode", "dry-run"), ("fromPlan", False), ("maxRestarts", 10)):
    if rem.get(k) != v:
        bad("remediation.%s = %r, want %r" % (k, rem.get(k), v))
want = {k: ("restart", "") for k in RESTARTS}
want.update({"bookinfo/Pod/debug-shell": ("skip", "bare-pod"), "shop/Deployment/checkout": ("skip", "paused"),
             "shop/Deployment/legacy-api": ("skip", "opted-out"),
             "payments/Deployment/fraud": ("skip", "already-restarted"),
             "payments/Job/settle-29377300": ("skip", "job-owned"),
             "stackrox/Deployment/sensor": ("skip", "excluded-namespace")})
got = {k: (e.get("action"), e.get("guard") or "") for k, e in P.items()}
if "payments/CronJob/settle" in got and "payments/Job/settle-29377300" not in got:  # either owner is fine
    got["payments/Job/settle-29377300"] = got.pop("payments/CronJob/settle")
for k in sorted(set(want) | set(got)):
    if want.get(k) != got.get(k):
        bad("plan %s: (action, guard) %s, want %s" % (k, got.get(k, "absent"), want.get(k, "absent")))
if len(plan) != len(P):
    bad("plan lists a workload twice: %s" % [key(e) for e in plan])
order = [key(e) for e in plan if e.get("action") == "restart"]
if order != RESTARTS:
    bad("restarts in the order %s, want %s" % (order, RESTARTS))
sk = lambda e: (e.get("namespace") or "", e.get("kind") or "", e.get("name") or "")
if [sk(e) for e in plan] != sorted(sk(e) for e in plan):
    bad("plan not ordered by namespace, kind, name: %s" % [key(e) for e in plan])
summary = rem.get("summary") or {}
for k, v in (("restart", 4), ("delete", 0), ("skip", 6), ("defer", 0), ("applied", 0), ("failed", 0)):
    if summary.get(k) != v:
        bad("summary.%s = %r, want %d" % (k, summary.get(k), v))
if applied:
    bad("a dry-run applied %s" % show(applied))
if rem.get("verify") is not None:
    bad("verify is %s without --wait, want null" % show(rem.get("verify")))
pods = {"bookinfo/Deployment/details-v1": {"details-v1-65cfcf56f9-dq2tw", "details-v1-65cfcf56f9-m4wq8"},
        "bookinfo/Deployment/reviews-v2": {"reviews-v2-5b667bcbf8-gj7nz"},
        "payments/StatefulSet/ledger": {"ledger-0"}, "shop/Deployment/cart": {"cart-7d9c6b8f5-q2kzv"}}
window = (dt.datetime(2026, 11, 20, 11, 45, 3, tzinfo=dt.timezone.utc),
          dt.datetime(2026, 11, 20, 11, 46, 35, tzinfo=dt.timezone.utc))
for k in RESTARTS:
    e = P.get(k) or {}
    ns, kind, name = k.split("/")
    if e.get("apiPath") != API[k]:
        bad("%s apiPath %r, want %r" % (k, e.get("apiPath"), API[k]))
    cmd = "oc rollout restart %s/%s -n %s" % (kind.lower(), name, ns)
    if e.get("command") != cmd:
        bad("%s command %r, want %r" % (k, e.get("command"), cmd))
    if e.get("checks") != ["MD504"]:
        bad("%s checks %r, want ['MD504']" % (k, e.get("checks")))
    if not e.get("reason"):
        bad("%s has no reason" % k)
    m = kget("plan", API[k]).get("metadata") or {}
    if (e.get("uid"), e.get("resourceVersion")) != (m.get("uid"), m.get("resourceVersion")):
        bad("%s uid/resourceVersion %r/%r, the object has %r/%r"
            % (k, e.get("uid"), e.get("resourceVersion"), m.get("uid"), m.get("resourceVersion")))
    names = {p.get("name") for p in e.get("pods") or []}
    if names != pods[k] or len(e.get("pods") or []) != len(pods[k]):
        bad("%s pods %s, want %s" % (k, sorted(names), sorted(pods[k])))
    for p in e.get("pods") or []:
        if (p.get("namespace"), p.get("node"), p.get("check"), p.get("ztunnelPod")) != (
                ns, "worker-1.ocp.example.com", "MD504", "ztunnel-9qzvd"):
            bad("%s pod %s: namespace/node/check/ztunnelPod wrong" % (k, show(p)))
        start, ready = when(p.get("podStart")), when(p.get("ztunnelReadyAt"))
        if ready != window[1]:
            bad("%s pod %s ztunnelReadyAt %r, want 2026-11-20T11:46:35Z" % (k, p.get("name"), p.get("ztunnelReadyAt")))
        if not start or not window[0] <= start < window[1]:
            bad("%s pod %s podStart %r is not in 11:45:03..11:46:35" % (k, p.get("name"), p.get("podStart")))
        if not p.get("detail"):
            bad("%s pod %s has no detail" % (k, p.get("name")))
for k, e in P.items():
    if e.get("action") == "skip" and not e.get("reason"):
        bad("%s skipped (%s) without a reason" % (k, e.get("guard")))
PY

[ -s "$work/plan.json" ] || fail "dry-run --plan-file wrote no file"
rcheck "plan file" "$work/dry.json" <<'PY'
f = load(W + "/plan.json")
if f.get("schemaVersion") != "meshdoctor/restart-plan/v1":
    bad("schemaVersion %r, want meshdoctor/restart-plan/v1" % f.get("schemaVersion"))
if not when(f.get("createdAt")):
    bad("createdAt %r is not RFC3339" % f.get("createdAt"))
port = open(W + "/plan.ready").read().split()[1]
c = f.get("cluster") or {}
if (c.get("server"), c.get("context")) != ("http://127.0.0.1:" + port, "fake"):
    bad("cluster %s, want server http://127.0.0.1:%s context fake" % (show(c), port))
if f.get("maxRestarts") != 10:
    bad("maxRestarts %r, want 10" % f.get("maxRestarts"))
ents = f.get("entries") or []
if [key(e) for e in ents] != [key(e) for e in plan]:
    bad("entries %s differ from the report's plan %s" % ([key(e) for e in ents], [key(e) for e in plan]))
for e in ents:
    p = P.get(key(e)) or {}
    for fld in ("uid", "resourceVersion", "apiPath", "command", "action", "guard", "reason", "checks"):
        if e.get(fld) != p.get(fld):
            bad("entry %s: %s %r in the file, %r in the report" % (key(e), fld, e.get(fld), p.get(fld)))
PY

run restart --kubeconfig "$kc" -o text --no-color
expect_rc 0 "dry-run, text"
grep -qiE 'dry[- ]run' "$work/out" || fail "the text report says it is a dry-run"
grep -qiE 'nothing (was |has been |is )?(written|changed|applied|patched|modified|restarted)|no changes' "$work/out" ||
  fail "the text report says nothing was written"
for w in details-v1 reviews-v2 ledger cart already-restarted bare-pod; do expect_out "$w" "the text report names $w"; done
grep -q $'\e\[' "$work/out" && fail "--no-color: no ANSI escapes"

run restart --kubeconfig "$kc" -o json --output-file "$work/report.json"
expect_rc 0 "dry-run, --output-file"
[ -s "$work/out" ] && fail "--output-file: the report goes to the file, not stdout"
rcheck "--output-file" "$work/report.json" <<'PY'
if [key(e) for e in plan] != [key(e) for e in load(W + "/dry.json").get("remediation", {}).get("plan", [])]:
    bad("the report file's plan differs from stdout's")
PY

run restart --kubeconfig "$kc" -o markdown
expect_rc 0 "dry-run, markdown"
expect_out "details-v1" "the markdown report names details-v1"

# f. namespace filters (dry-run here; one apply below).
run restart --kubeconfig "$kc" -o json --namespace shop --namespace bookinfo
expect_rc 0 "--namespace shop --namespace bookinfo"
rcheck "--namespace shop --namespace bookinfo" "$work/out" <<'PY'
want = ["bookinfo/Deployment/details-v1", "bookinfo/Deployment/reviews-v2", "shop/Deployment/cart"]
got = [key(e) for e in plan if e.get("action") == "restart"]
if got != want:
    bad("restarts %s, want %s" % (got, want))
for k, e in P.items():
    if e.get("namespace") not in ("shop", "bookinfo") and (e.get("action"), e.get("guard")) != ("skip", "namespace-filter"):
        bad("%s is %s/%s; other namespaces must be absent or skipped namespace-filter" % (k, e.get("action"), e.get("guard")))
for k, g in (("shop/Deployment/checkout", "paused"), ("shop/Deployment/legacy-api", "opted-out")):
    if (P.get(k) or {}).get("guard") != g:
        bad("%s guard %r, want %s" % (k, (P.get(k) or {}).get("guard"), g))
PY

run restart --kubeconfig "$kc" -o json --exclude-namespace payments
expect_rc 0 "--exclude-namespace payments"
rcheck "--exclude-namespace payments" "$work/out" <<'PY'
e = P.get("payments/StatefulSet/ledger") or {}
if (e.get("action"), e.get("guard")) != ("skip", "excluded-namespace"):
    bad("ledger is %s/%s, want skip/excluded-namespace" % (e.get("action"), e.get("guard")))
got = [key(e) for e in plan if e.get("action") == "restart"]
if got != [k for k in RESTARTS if not k.startswith("payments/")]:
    bad("restarts %s" % got)
PY

run restart --kubeconfig "$kc" -o json --off-mesh-namespaces payments
expect_rc 0 "--off-mesh-namespaces payments"
rcheck "--off-mesh-namespaces payments (stackrox no longer off-mesh)" "$work/out" <<'PY'
for k, want in (("payments/StatefulSet/ledger", ("skip", "excluded-namespace")),
                ("stackrox/Deployment/sensor", ("restart", ""))):
    e = P.get(k) or {}
    if (e.get("action"), e.get("guard") or "") != want:
        bad("%s is %s/%s, want %s/%s" % (k, e.get("action"), e.get("guard"), *want))
PY

# h. usage errors (64) and could-not-run (3).
run restart --kubeconfig "$kc" --yes
expect_rc 64 "--yes without --apply"
run restart --apply --yes --bundle "$bundle"
expect_rc 64 "--apply with --bundle"
run restart --kubeconfig "$kc" --max-restarts many
expect_rc 64 "--max-restarts needs a number"
run restart --kubeconfig "$kc" -o yaml
expect_rc 64 "-o yaml is not a restart format"
run restart --kubeconfig "$kc" --context no-such-context
expect_rc 3 "--context that the kubeconfig lacks"
write_kubeconfig "$work/badtoken.kubeconfig" "http://127.0.0.1:$port" "not-the-token"
run restart --kubeconfig "$work/badtoken.kubeconfig" --apply --yes
expect_rc 3 "401 from the API server"
write_kubeconfig "$work/down.kubeconfig" "http://127.0.0.1:1" "tok-plan"
run restart --kubeconfig "$work/down.kubeconfig" --timeout 5s --apply --yes
expect_rc 3 "API server unreachable"

rcheck "nothing was written by the runs above" - "$work/plan.jsonl" <<'PY'
if writes:
    bad("requests that write: %s" % wsum(writes))
PY

# f. --namespace with --apply: only cart is patched.
start_fakekube shop "$bundle"
run restart --kubeconfig "$work/shop.kubeconfig" --apply --yes --namespace shop -o json
expect_rc 0 "--apply --yes --namespace shop"
rcheck "--apply --yes --namespace shop" "$work/out" "$work/shop.jsonl" <<'PY'
if patched() != ["shop/Deployment/cart"]:
    bad("PATCHes %s, want only cart" % wsum(patches))
if events() != {"shop/Deployment/cart": 1}:
    bad("events %s, want one for cart" % events())
other = [q for q in writes if q.get("method") not in ("PATCH", "POST")]
if other:
    bad("unexpected writes: %s" % wsum(other))
if (A.get("shop/Deployment/cart") or {}).get("result") != "restarted" or len(applied) != 1:
    bad("applied %s, want cart restarted only" % show(applied))
PY

finish
