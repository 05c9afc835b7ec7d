#!/usr/bin/env bash
# Smoke test of fakekube over real HTTP with curl, on one scenario bundle (tests/scenarios/healthy):
# pagination, selectors, logs, the readiness proxy, 401, faults (403, 410 on continue, hot reload),
# bundle reload (.reload marker), and the request record (which must never hold the token).
# Usage: smoke_test.sh FAKEKUBE SCENARIO_DIR      exit 0 pass, 1 fail, 125 skipped (no curl/python3)
set -u

fakekube=${1:?usage: smoke_test.sh FAKEKUBE SCENARIO_DIR}
scenario=${2:?usage: smoke_test.sh FAKEKUBE SCENARIO_DIR}
for tool in curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not found" >&2; exit 125; }
done

work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

token=smoke-token-$$
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# The bundle is served through a symlink to a private copy, so the test can touch .reload.
cp -r "$scenario/bundle" "$work/bundle"
echo '[]' >"$work/faults.json"
"$fakekube" --bundle "$work/bundle" --port 0 --token "$token" --faults "$work/faults.json" \
  --record "$work/record.jsonl" --ready-file "$work/ready" >"$work/stdout" 2>"$work/stderr" &
pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/ready" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
port=$(awk '/^PORT /{print $2}' "$work/ready" 2>/dev/null)
if [ -z "$port" ]; then
  echo "FAIL: fakekube did not report a port; stderr: $(cat "$work/stderr")" >&2
  exit 1
fi
base="http://127.0.0.1:$port"
grep -q "^PORT $port\$" "$work/stdout" || fail "stdout lacks 'PORT $port'"

# get PATH [CURL ARGS...]: body in $work/body, status in $code.
get() {
  local path=$1
  shift
  code=$(curl -s -o "$work/body" -w '%{http_code}' -H "Authorization: Bearer $token" "$@" "$base$path")
}

# json EXPR: evaluates a Python expression over the body parsed as `d`.
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$work/body"; }

expect_code() { [ "$code" = "$1" ] || fail "$2: HTTP $code, expected $1 ($(head -c 300 "$work/body"))"; }

# Pagination: limit=2, follow continue to the end, no duplicates, same set as one unpaged list.
get "/api/v1/namespaces/bookinfo/pods"
expect_code 200 "unpaged pod list"
all=$(json '" ".join(sorted(i["metadata"]["name"] for i in d["items"]))')
get "/api/v1/namespaces/bookinfo/pods?limit=2"
expect_code 200 "first page"
[ "$(json 'len(d["items"])')" = 2 ] || fail "first page does not hold 2 items"
[ "$(json 'd["kind"]')" = PodList ] || fail "list kind is not PodList"
first_continue=$(json 'd["metadata"].get("continue","")')
[ -n "$first_continue" ] || fail "first page has no continue token"
names=$(json '" ".join(i["metadata"]["name"] for i in d["items"])')
next=$first_continue
pages=1
while [ -n "$next" ] && [ $pages -lt 50 ]; do
  get "/api/v1/namespaces/bookinfo/pods?limit=2&continue=$next"
  expect_code 200 "page $((pages + 1))"
  names="$names $(json '" ".join(i["metadata"]["name"] for i in d["items"])')"
  next=$(json 'd["metadata"].get("continue","")')
  pages=$((pages + 1))
done
paged=$(echo "$names" | tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//')
[ "$paged" = "$all" ] || fail "paged list ($paged) differs from the unpaged one ($all)"
[ $pages -ge 2 ] || fail "pagination gave a single page"

# Label and field selectors.
get "/api/v1/namespaces/bookinfo/pods" -G --data-urlencode "labelSelector=app=reviews,version!=v1"
expect_code 200 "label selector"
sel=$(json '" ".join(sorted(i["metadata"]["labels"]["version"] for i in d["items"]))')
[ "$sel" = "v2 v3" ] || fail "labelSelector app=reviews,version!=v1 gave versions '$sel'"
get "/api/v1/pods" -G --data-urlencode "labelSelector=app in (ratings,details)"
[ "$(json 'len(d["items"])')" = 2 ] || fail "set-based selector did not give 2 pods"
get "/api/v1/namespaces/ztunnel/pods" -G --data-urlencode "fieldSelector=spec.nodeName=worker-1.ocp.example.com"
[ "$(json 'len(d["items"])')" = 1 ] || fail "fieldSelector spec.nodeName did not give 1 ztunnel pod"

# Logs: tailLines and limitBytes.
get "/api/v1/namespaces/ztunnel/pods/ztunnel-4xk2p/log?container=istio-proxy&tailLines=2"
expect_code 200 "log tailLines"
log_file="$work/bundle/namespaces/ztunnel/pods/ztunnel-4xk2p/istio-proxy/istio-proxy/logs/current.log"
tail -n 2 "$log_file" | cmp -s - "$work/body" || fail "tailLines=2 is not the file's last 2 lines"
get "/api/v1/namespaces/ztunnel/pods/ztunnel-4xk2p/log?container=istio-proxy&limitBytes=10"
[ "$(wc -c <"$work/body")" -eq 10 ] || fail "limitBytes=10 did not give 10 bytes"
get "/api/v1/namespaces/ztunnel/pods/ztunnel-4xk2p/log?container=istio-proxy&previous=true"
expect_code 404 "missing previous log"

# Readiness through the pod proxy; an unknown pod has no endpoints.
get "/api/v1/namespaces/ztunnel/pods/ztunnel-4xk2p:15021/proxy/healthz/ready"
expect_code 200 "readiness proxy"
grep -q ready "$work/body" || fail "readiness body lacks 'ready'"
get "/api/v1/namespaces/ztunnel/pods/ztunnel-nope:15021/proxy/healthz/ready"
expect_code 503 "readiness of an unknown pod"

# A resource the bundle never collected is forbidden; a missing object is 404; no token is 401.
get "/apis/example.com/v1/widgets"
expect_code 403 "uncollected resource"
get "/api/v1/namespaces/bookinfo/pods/no-such-pod"
expect_code 404 "missing pod"
code=$(curl -s -o "$work/body" -w '%{http_code}' "$base/api/v1/pods")
expect_code 401 "request without token"

# Faults, hot-reloaded: a 403 on pods in bookinfo, and a 410 on continue.
cat >"$work/faults.json" <<'JSON'
[
  {"path": "^/api/v1/namespaces/bookinfo/pods$", "status": 403},
  {"path": "^/api/v1/namespaces/ztunnel/pods$", "onContinue": true}
]
JSON
touch -d '+2 seconds' "$work/faults.json"  # a new mtime even within the same second
get "/api/v1/namespaces/bookinfo/pods"
expect_code 403 "403 fault"
[ "$(json 'd["reason"]')" = Forbidden ] || fail "403 fault body is not a Forbidden Status"
json 'd["message"]' | grep -q 'cannot list resource "pods" in API group "" in the namespace "bookinfo"' ||
  fail "403 message is not worded like the API server's: $(json 'd["message"]')"
get "/api/v1/namespaces/ztunnel/pods?limit=1"
expect_code 200 "first page under the continue fault"
get "/api/v1/namespaces/ztunnel/pods?limit=1&continue=$(json 'd["metadata"]["continue"]')"
expect_code 410 "410 on continue"
[ "$(json 'd["reason"]')" = Expired ] || fail "410 body is not an Expired Status"

# Bundle reload through the .reload marker: an old continue token expires (410).
echo '[]' >"$work/faults.json"
touch -d '+4 seconds' "$work/faults.json"
get "/api/v1/namespaces/bookinfo/pods?limit=2"
old_continue=$(json 'd["metadata"]["continue"]')
touch "$work/bundle/.reload"
get "/api/v1/namespaces/bookinfo/pods?limit=2&continue=$old_continue"
expect_code 410 "continue token after a bundle reload"

# The record: one JSON line per request, the Authorization header noted, its value never.
kill "$pid" && wait "$pid" 2>/dev/null
pid=""
grep -q "$token" "$work/record.jsonl" && fail "the record holds the bearer token"
python3 - "$work/record.jsonl" <<'PY' || fail "record lines are not as expected"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) >= 20, len(lines)
for l in lines:
    fields = {"method", "path", "query", "status", "ms", "authorization", "contentType"}
    assert set(l) == (fields if l["method"] == "GET" else fields | {"body"}), l
assert any(l["status"] == 401 and not l["authorization"] for l in lines)
assert any(l["status"] == 410 and "continue=" in l["query"] for l in lines)
PY

if [ $failures -ne 0 ]; then
  echo "fakekube smoke: $failures failure(s); fakekube stderr:" >&2
  cat "$work/stderr" >&2
  exit 1
fi
echo "ok fakekube smoke ($pages pages, port $port)"
