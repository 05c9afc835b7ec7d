# Helpers for the tests/cli/test_restart_*.sh scripts (sourced after lib.sh and live_lib.sh).
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
