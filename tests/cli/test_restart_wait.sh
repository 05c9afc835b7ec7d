#!/usr/bin/env bash
# meshdoctor restart --apply --wait: with fakekube --simulate-rollouts the restarted workloads are verified
# (new pods Ready and enrolled; MD504 passes afterwards once nothing else is stale; exit 0); without
# rollouts --wait times out (exit 1).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"

# ---- shared by the tests/cli/test_restart_*.sh scripts (kept identical in each) ----------------
# Skipped (125) until `meshdoctor restart` and fakekube's write support exist. (`meshdoctor
# restart --help` alone succeeds even now: CLI11 prints the main help for an unknown word.)
if ! "$md" restart --help 2>&1 | grep -q -- '--max-restarts'; then
  echo "SKIP: meshdoctor restart is not built yet" >&2
  exit 125
fi
if ! "$fakekube" --help 2>&1 | grep -q -- '--simulate-rollouts'; then
  echo "SKIP: fakekube has no write support yet" >&2
  exit 125
fi
bundle=$src/tests/scenarios/restart-stale-workloads/bundle

# rcheck WHAT REPORT|- [RECORD]: Python assertions (stdin) over the JSON report and the requests
# fakekube recorded; each bad(msg) becomes one line of a FAIL naming WHAT. In scope: r (report),
# rem (its remediation), plan, applied, P/A (entries by "ns/Kind/name"), reqs, writes (non-GET
# requests), body(q) (a request body parsed as JSON), when(s) (RFC3339 -> datetime or None),
# kget(NAME, PATH) (GET from fakekube NAME), load(FILE), W (the work dir), RESTARTS and API (the
# four workloads the scenario restarts, in plan order, and their API paths).
read -r -d '' RCHECK_PRELUDE <<'PY'
import datetime as dt, json, os, re, sys, urllib.request
problems = []
def bad(msg): problems.append(msg)
def load(path):
    try:
        return json.load(open(path))
    except Exception as e:
        bad("%s is not one JSON document: %s" % (path, e))
        return {}
r = load(sys.argv[1]) if sys.argv[1] != "-" else {}
rem = r.get("remediation") or {} if isinstance(r, dict) else {}
plan = rem.get("plan") or []
applied = rem.get("applied") or []
key = lambda e: "%s/%s/%s" % (e.get("namespace"), e.get("kind"), e.get("name"))
P = {key(e): e for e in plan}
A = {key(e): e for e in applied}
W = os.environ["WORK"]
reqs = [json.loads(l) for l in open(sys.argv[2]) if l.strip()] if sys.argv[2] != "-" else []
writes = [q for q in reqs if q.get("method") not in ("GET", "HEAD")]
def body(q):
    b = q.get("body")
    try:
        return json.loads(b) if isinstance(b, str) else b
    except ValueError:
        return b
def when(s):
    if not isinstance(s, str) or not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", s):
        return None
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
def kget(name, path):
    """GET from the fakekube started as NAME (with its token), as JSON."""
    port = open(os.path.join(os.environ["WORK"], name + ".ready")).read().split()[1]
    req = urllib.request.Request("http://127.0.0.1:%s%s" % (port, path), headers={"Authorization": "Bearer tok-" + name})
    try:
        return json.load(urllib.request.urlopen(req, timeout=10))
    except Exception as e:
        bad("GET %s from fakekube %s: %s" % (path, name, e))
        return {}
patches = [q for q in writes if q.get("method") == "PATCH"]
PATH_KEY = {}  # filled below from API
def patched():
    """Sorted workload keys (or paths) of the PATCHes sent."""
    return sorted(PATH_KEY.get(q.get("path"), q.get("path")) for q in patches)
def events():
    """{workload key: count} of the Event POSTs; malformed ones are reported."""
    out = {}
    for q in writes:
        if q.get("method") != "POST":
            continue
        m = re.fullmatch(r"/api/v1/namespaces/([^/]+)/events", q.get("path") or "")
        b = body(q) if isinstance(body(q), dict) else {}
        io = b.get("involvedObject") or {}
        k = "%s/%s/%s" % (io.get("namespace"), io.get("kind"), io.get("name"))
        if not m or m.group(1) != io.get("namespace"):
            bad("POST %s for %s: not the involved object's namespace events" % (q.get("path"), k))
        if q.get("status") not in (200, 201):
            bad("POST %s answered %s" % (q.get("path"), q.get("status")))
        want_api = "v1" if io.get("kind") == "Pod" else "apps/v1"
        if io.get("apiVersion") != want_api:
            bad("Event for %s: involvedObject.apiVersion %r, want %s" % (k, io.get("apiVersion"), want_api))
        if (b.get("reason"), b.get("type"), (b.get("source") or {}).get("component")) != ("MeshdoctorRestart", "Normal", "meshdoctor"):
            bad("Event for %s: reason/type/source.component %r/%r/%r, want MeshdoctorRestart/Normal/meshdoctor"
                % (k, b.get("reason"), b.get("type"), (b.get("source") or {}).get("component")))
        out[k] = out.get(k, 0) + 1
    return out
show = lambda x: json.dumps(x, sort_keys=True)[:300]
wsum = lambda ws: ", ".join("%s %s -> %s" % (q.get("method"), q.get("path"), q.get("status")) for q in ws) or "none"
RESTARTS = ["bookinfo/Deployment/details-v1", "bookinfo/Deployment/reviews-v2",
            "payments/StatefulSet/ledger", "shop/Deployment/cart"]
API = {"bookinfo/Deployment/details-v1": "/apis/apps/v1/namespaces/bookinfo/deployments/details-v1",
       "bookinfo/Deployment/reviews-v2": "/apis/apps/v1/namespaces/bookinfo/deployments/reviews-v2",
       "payments/StatefulSet/ledger": "/apis/apps/v1/namespaces/payments/statefulsets/ledger",
       "shop/Deployment/cart": "/apis/apps/v1/namespaces/shop/deployments/cart"}
PATH_KEY.update({v: k for k, v in API.items()})
PY
rcheck() {
  local what=$1 code
  code=$(cat)
  WORK=$work python3 -c "$RCHECK_PRELUDE
$code
for p in problems: print('  - ' + p)
sys.exit(1 if problems else 0)" "$2" "${3:--}" >"$work/rcheck.out" 2>&1 ||
    fail "$what:
$(cat "$work/rcheck.out")"
}
# mark NAME: how many requests fakekube NAME recorded so far; since NAME MARK FILE: the later ones.
mark() { wc -l 2>/dev/null <"$work/$1.jsonl" || echo 0; }
since() { tail -n +"$(($2 + 1))" "$work/$1.jsonl" >"$3"; }
# ---- end of the shared part ---------------------------------------------------------------------

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
