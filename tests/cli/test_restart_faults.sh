#!/usr/bin/env bash
# meshdoctor restart when the API server refuses: 409 and 403 on PATCH (exit 1, results conflict and
# forbidden naming the permission), an owner that cannot be read and MD504 unknown (exit 2).
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
