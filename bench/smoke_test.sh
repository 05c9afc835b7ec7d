#!/usr/bin/env bash
# The scale benchmark at a tiny scale: the generator is deterministic and its clusters diagnose
# as built (healthy; stale and un-enrolled pods named exactly), fakekube pages through them with
# continue tokens and answers kubectl's discovery, and bench/run.sh prints its table.
#   smoke_test.sh MESHDOCTOR FAKEKUBE      (FAKEKUBE must be DIR/tests/fakekube/fakekube of MESHDOCTOR's DIR)
set -euo pipefail
md=$1 fk=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v python3 >/dev/null || { echo "SKIP: python3 needed" >&2; exit 125; }
command -v curl >/dev/null || { echo "SKIP: curl needed" >&2; exit 125; }
/usr/bin/time -v true >/dev/null 2>&1 || { echo "SKIP: GNU time needed by bench/run.sh (Debian package time)" >&2; exit 125; }

work=$(mktemp -d)
fk_pid=""
trap '[ -z "$fk_pid" ] || { kill "$fk_pid" 2>/dev/null; wait "$fk_pid" 2>/dev/null; }; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
gen() { python3 "$here/gen_bundle.py" "$@" 2>/dev/null; }

# Deterministic: the same arguments write the same bytes; another seed does not.
gen --pods 300 --nodes 4 --seed 7 --out "$work/a"
gen --pods 300 --nodes 4 --seed 7 --out "$work/b"
gen --pods 300 --nodes 4 --seed 8 --out "$work/c"
diff -r "$work/a" "$work/b" >/dev/null || fail "two runs with seed 7 differ"
! diff -r "$work/a" "$work/c" >/dev/null || fail "seeds 7 and 8 wrote the same bundle"
python3 "$here/gen_bundle.py" --pods 10 --nodes 4 --out "$work/x" 2>/dev/null && fail "too few pods for the nodes was accepted"

# report FILE EXPR: a Python expression over the report r (st(id) = status, objs(id) = "ns/name" set).
report() {
  python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
by = {f["id"]: f for f in r["findings"]}
st = lambda i: by[i]["status"]
objs = lambda i: {o.get("namespace", "") + "/" + o["name"] for o in by[i].get("objects", [])}
print(eval(sys.argv[2]))
PY
}

# Healthy: nothing fails.
set +e
"$md" check --bundle "$work/a" -o json >"$work/healthy.json" 2>"$work/healthy.err"
rc=$?
set -e
[ "$rc" = 0 ] || fail "healthy bundle: exit $rc, roots $(report "$work/healthy.json" 'r["rootCauses"]')"
[ -s "$work/healthy.err" ] && fail "healthy bundle: warnings: $(head -3 "$work/healthy.err")"

# Stale and un-enrolled pods: MD504 names exactly the generated stale pods, MD503 the others.
gen --pods 600 --nodes 6 --seed 3 --stale-fraction 0.05 --unenrolled-fraction 0.05 --out "$work/s"
set +e
"$md" check --bundle "$work/s" -o json >"$work/stale.json" 2>/dev/null
rc=$?
set -e
[ "$rc" = 1 ] || fail "stale bundle: exit $rc, expected 1"
python3 - "$work/stale.json" "$work/s/generated.json" <<'PY' || fail "stale bundle: diagnosis differs from what was generated"
import json, sys
r, m = (json.load(open(p)) for p in sys.argv[1:3])
by = {f["id"]: f for f in r["findings"]}
objs = lambda i: sorted(o["namespace"] + "/" + o["name"] for o in by[i].get("objects", []))
assert sorted(r["rootCauses"]) == ["MD503", "MD504"], r["rootCauses"]
assert m["stale"] > 0 and objs("MD504") == sorted(m["stalePods"]), (objs("MD504"), m["stalePods"])
assert len(objs("MD503")) == m["pending"] + m["unannotated"] > 0, (len(objs("MD503")), m)
PY

# fakekube serves it: the live check agrees, pages follow continue tokens, discovery is kubectl's.
"$fk" --bundle "$work/s" --port 0 --ready-file "$work/fk.ready" >/dev/null 2>"$work/fk.err" &
fk_pid=$!
for _ in $(seq 300); do [ -s "$work/fk.ready" ] && break; sleep 0.1; done
[ -s "$work/fk.ready" ] || fail "fakekube did not start: $(cat "$work/fk.err")"
server=http://127.0.0.1:$(awk '{print $2}' "$work/fk.ready")
cat >"$work/kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters: [{name: s, cluster: {server: "$server"}}]
contexts: [{name: s, context: {cluster: s, user: s}}]
current-context: s
users: [{name: s, user: {}}]
YAML
set +e
"$md" check --kubeconfig "$work/kubeconfig" -o json >"$work/live.json" 2>/dev/null
rc=$?
set -e
[ "$rc" = 1 ] || fail "live check of the stale bundle: exit $rc"
[ "$(report "$work/live.json" 'sorted(r["rootCauses"]), sorted(objs("MD504"))')" = \
  "$(report "$work/stale.json" 'sorted(r["rootCauses"]), sorted(objs("MD504"))')" ] || fail "live and offline diagnoses differ"

python3 - "$server" 600 <<'PY' || fail "paging through fakekube"
import json, sys, urllib.parse, urllib.request
server, pods = sys.argv[1], int(sys.argv[2])
def page_through(path, **query):
    names, token, pages = [], "", 0
    while True:
        q = dict(query, limit=7, **({"continue": token} if token else {}))
        d = json.load(urllib.request.urlopen(server + path + "?" + urllib.parse.urlencode(q)))
        names += [i["metadata"]["namespace"] + "/" + i["metadata"]["name"] for i in d["items"]]
        pages += 1
        token = d["metadata"].get("continue", "")
        if token and not query and path == "/api/v1/pods":
            assert d["metadata"]["remainingItemCount"] == pods - len(names), d["metadata"]
        if not token:
            return names, pages
every, pages = page_through("/api/v1/pods")
assert len(every) == pods and len(set(every)) == pods and pages >= pods // 7, (len(every), pages)
assert every == sorted(every), "pages are not in (namespace, name) order"
unpaged = json.load(urllib.request.urlopen(server + "/api/v1/pods"))["items"]
assert len(unpaged) == pods
ns = every[-1].split("/")[0]
in_ns, _ = page_through("/api/v1/namespaces/%s/pods" % ns)
assert in_ns == [n for n in every if n.startswith(ns + "/")], ns
agents, _ = page_through("/api/v1/pods", labelSelector="app=ztunnel")
assert len(agents) == 6 and all(n.startswith("ztunnel/") for n in agents), agents
resources = json.load(urllib.request.urlopen(server + "/api/v1"))["resources"]
po = next(r for r in resources if r["name"] == "pods")
assert po["singularName"] == "pod" and po["shortNames"] == ["po"] and "list" in po["verbs"], po
PY

if command -v kubectl >/dev/null; then
  kc=(kubectl --kubeconfig "$work/kubeconfig" --cache-dir "$work/kube-cache")
  n=$("${kc[@]}" get pods -A -o name --chunk-size 50 | wc -l)
  [ "$n" = 600 ] || fail "kubectl get pods -A -o name listed $n pods, expected 600"
  "${kc[@]}" get po -n ztunnel -o json | python3 -c "import json,sys; assert len(json.load(sys.stdin)['items']) == 6" ||
    fail "kubectl get po -n ztunnel -o json"
fi
kill "$fk_pid"; wait "$fk_pid" 2>/dev/null || true; fk_pid=""

# The harness: one table with every row, the pod count confirmed by kubectl when present.
build=$(dirname "$md")
[ "$(cd "$(dirname "$fk")" && pwd)" = "$(cd "$build/tests/fakekube" && pwd)" ] || fail "$fk is not in $build/tests/fakekube"
"$here/run.sh" --pods 300 --nodes 4 --runs 3 --no-build --no-warmup --build-dir "$build" --cache-dir "$work/cache" \
  >"$work/table.md" 2>"$work/run.err" || fail "run.sh: $(tail -5 "$work/run.err")"
for row in "live check: wall" "live check: peak RSS" "live check: API requests" "transfer floor" \
           "offline check --bundle: YAML read" "ratio live / kubectl -o json" "serve --watch"; do
  grep -q "^| $row" "$work/table.md" || fail "the table has no row '$row': $(cat "$work/table.md")"
done
[ "$(grep -c '^|' "$work/table.md")" -ge 14 ] || fail "the table is short: $(cat "$work/table.md")"
grep -q "exit 0, roots none" "$work/table.md" || fail "the benchmark's checks did not diagnose a healthy cluster"
if command -v kubectl >/dev/null; then
  grep -q "300 names (= --pods)" "$work/table.md" || fail "kubectl row: $(grep 'o name' "$work/table.md")"
fi
echo "ok bench smoke"
