#!/usr/bin/env bash
# Watches through fakekube over real HTTP with curl, on tests/scenarios/healthy: a watch from a
# list's resourceVersion sees a PATCH as MODIFIED, resourceVersion "0" replays ADDED for every
# object, selectors turn label changes into ADDED/DELETED, DELETE and POST, bookmarks,
# timeoutSeconds, too old a resourceVersion (410 ERROR event), a reload ending open watches, bad
# parameters, faults, the record, --simulate-rollouts seen by a watch alone, 600 watches open at
# once while GETs answer, and SIGTERM ending open watches.
# Usage: watch_test.sh FAKEKUBE SCENARIO_DIR      exit 0 pass, 1 fail, 125 skipped (no curl/python3)
set -u

fakekube=${1:?usage: watch_test.sh FAKEKUBE SCENARIO_DIR}
scenario=${2:?usage: watch_test.sh FAKEKUBE SCENARIO_DIR}
token=watch-token-$$
. "$(dirname "$0")/http_test_lib.sh"
note() { echo "watch_test: $*"; }
merge() { send PATCH "$1" application/merge-patch+json "$2"; }

# watch NAME PATH_AND_QUERY [CURL ARGS...]: a watch in the background; its events in
# $work/NAME.events, the response headers in NAME.headers, curl's exit code (0 = the stream ended
# cleanly, with its terminating chunk) in NAME.rc once it ends.
watch() {
  local name=$1 target=$2
  shift 2
  ( curl -sN -D "$work/$name.headers" -o "$work/$name.events" -H "Authorization: Bearer $token" "$@" "$base$target"
    echo $? >"$work/$name.rc" ) &
  watch_pid=$!
  for _ in $(seq 1 50); do  # until the answer's headers are in: the watch is registered
    [ -s "$work/$name.headers" ] && break
    sleep 0.05
  done
}

# wait_lines NAME N [SECONDS]: waits until the watch has N lines (default 5 s).
wait_lines() {
  local deadline=$(( $(date +%s) + ${3:-5} ))
  while [ "$(wc -l <"$work/$1.events" 2>/dev/null || echo 0)" -lt "$2" ]; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.05
  done
}

# wait_end NAME [SECONDS]: waits until the watch's curl is done (default 5 s).
wait_end() {
  local deadline=$(( $(date +%s) + ${2:-5} ))
  while [ ! -s "$work/$1.rc" ]; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.05
  done
}

# events NAME PYTHON_EXPR MESSAGE: the expression over `ev` (the watch's events, parsed) must hold.
events() {
  python3 - "$work/$1.events" "$2" <<'PY' || fail "$3 (events: $(cut -c1-160 "$work/$1.events" | head -8 | tr '\n' '|'))"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
types = [e["type"] for e in ev]
name = lambda e: e["object"]["metadata"]["name"]
rv = lambda e: int(e["object"]["metadata"]["resourceVersion"])
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

list_rv() { get "$1"; value 'd["metadata"]["resourceVersion"]'; }

pods=/api/v1/namespaces/bookinfo/pods
smp=application/strategic-merge-patch+json

# ---- A: following writes ------------------------------------------------------------------------
cp -r "$scenario/bundle" "$work/a"
cat >"$work/faults.json" <<'JSON'
[
  {"path": "/configmaps$", "query": "watch=", "status": 410, "times": 1},
  {"path": "/configmaps$", "query": "watch=", "status": 500, "times": 1},
  {"path": "/apis/apps/v1/deployments$", "query": "watch=", "truncate": true}
]
JSON
start a "$work/a" --faults "$work/faults.json" --record "$work/a.jsonl" --bookmark-interval-ms 200

get "$pods"
expect_code 200 "pod list"
pod_names=$(value '" ".join(i["metadata"]["name"] for i in d["items"])')
first_pod=$(value 'd["items"][0]["metadata"]["name"]')
second_pod=$(value 'd["items"][1]["metadata"]["name"]')
rv0=$(value 'd["metadata"]["resourceVersion"]')
[[ "$rv0" =~ ^[1-9][0-9]*$ ]] || fail "a list's resourceVersion is a number ($rv0)"

# A list's resourceVersion, then a watch from it: the PATCH arrives as MODIFIED, at a larger one.
watch follow "$pods?watch=1&resourceVersion=$rv0&timeoutSeconds=10"
merge "$pods/$first_pod" '{"metadata":{"labels":{"watched":"yes"}}}'
expect_code 200 "PATCH a pod"
patched_rv=$(value 'd["metadata"]["resourceVersion"]')
wait_lines follow 1 || fail "the watch from the list's resourceVersion saw nothing of the PATCH"
events follow "types == ['MODIFIED'] and name(ev[0]) == '$first_pod' and rv(ev[0]) == $patched_rv > $rv0 and ev[0]['object']['metadata']['labels']['watched'] == 'yes'" \
  "PATCH seen as MODIFIED with the new object and a larger resourceVersion"
grep -qi '^HTTP/1.1 200' "$work/follow.headers" || fail "a watch answers 200"
grep -qi '^Content-Type: application/json' "$work/follow.headers" || fail "a watch is application/json"
grep -qi '^Transfer-Encoding: chunked' "$work/follow.headers" || fail "a watch is chunked"
[ "$(list_rv "$pods")" = "$patched_rv" ] || fail "a list after the PATCH reports the counter ($patched_rv)"
[ "$(list_rv /apis/apps/v1/deployments)" = "$patched_rv" ] || fail "every resource's list reports the same counter"

# resourceVersion 0: ADDED for every pod, in list order; timeoutSeconds=1 ends the stream cleanly.
start_s=$(date +%s%N)
watch replay "$pods?watch=true&resourceVersion=0&timeoutSeconds=1"
wait_end replay 5 || fail "timeoutSeconds=1 did not end the stream within 5 s"
elapsed_ms=$(( ($(date +%s%N) - start_s) / 1000000 ))
[ "$elapsed_ms" -ge 900 ] || fail "timeoutSeconds=1 ended the stream after only $elapsed_ms ms"
[ "$(cat "$work/replay.rc" 2>/dev/null)" = 0 ] || fail "the stream ended without its terminating chunk (curl $(cat "$work/replay.rc" 2>/dev/null))"
events replay "set(types) == {'ADDED'} and ' '.join(name(e) for e in ev) == '$pod_names'" \
  "resourceVersion=0 replays ADDED for every pod in list order"
events replay "[e['object']['metadata'].get('labels', {}).get('watched') for e in ev][0] == 'yes'" \
  "the replay shows the objects as written"
note "timeoutSeconds=1 ended the stream after $elapsed_ms ms"

# A client accepting gzip gets the events as they are written, uncompressed.
watch gzip "$pods?watch=1&resourceVersion=$rv0&timeoutSeconds=5" -H "Accept-Encoding: gzip"
merge "$pods/$first_pod" '{"metadata":{"annotations":{"fkw/gzip":"sent"}}}'
wait_lines gzip 2 2 || fail "a watch accepting gzip did not stream the PATCH at once"
grep -qi '^Content-Encoding' "$work/gzip.headers" && fail "a watch is not compressed"
events gzip "types == ['MODIFIED', 'MODIFIED'] and ev[1]['object']['metadata']['annotations']['fkw/gzip'] == 'sent'" \
  "a watch accepting gzip replays and follows uncompressed"

# No resourceVersion: the same initial ADDED events, namespace and field selector honoured.
watch field "/api/v1/pods?watch=1&fieldSelector=metadata.name%3D$second_pod&timeoutSeconds=1"
wait_end field 5 || fail "field-selector watch did not end"
events field "types == ['ADDED'] and name(ev[0]) == '$second_pod'" "fieldSelector watch across namespaces: one ADDED"

# Label selector: an object entering it is ADDED, changing inside it MODIFIED, leaving it DELETED
# (with its new state); a write outside it shows nothing.
watch sel "$pods?watch=1&labelSelector=fkw%3Don&resourceVersion=$(list_rv "$pods")&timeoutSeconds=10"
merge "$pods/$second_pod" '{"metadata":{"labels":{"fkw":"on"}}}'
merge "$pods/$second_pod" '{"metadata":{"annotations":{"fkw/note":"inside"}}}'
merge "$pods/$first_pod" '{"metadata":{"labels":{"unrelated":"change"}}}'
merge "$pods/$second_pod" '{"metadata":{"labels":{"fkw":"off"}}}'
wait_lines sel 3 || fail "the label-selector watch did not see three events"
sleep 0.3
events sel "types == ['ADDED', 'MODIFIED', 'DELETED'] and {name(e) for e in ev} == {'$second_pod'}" \
  "label PATCHes seen as ADDED, MODIFIED, DELETED"
events sel "ev[2]['object']['metadata']['labels']['fkw'] == 'off' and rv(ev[0]) < rv(ev[1]) < rv(ev[2])" \
  "DELETED by the selector carries the new object; resourceVersions grow"

# Bookmarks every --bookmark-interval-ms (200) with allowWatchBookmarks=true; none without.
current=$(list_rv "$pods")
watch marks "$pods?watch=1&resourceVersion=$current&allowWatchBookmarks=true&timeoutSeconds=2"
watch nomarks "$pods?watch=1&resourceVersion=$current&timeoutSeconds=2"
wait_end marks 5 && wait_end nomarks 5 || fail "bookmark watches did not end"
events marks "5 <= len(ev) <= 10 and set(types) == {'BOOKMARK'} and all(e['object'] == {'kind': 'Pod', 'apiVersion': 'v1', 'metadata': {'resourceVersion': '$current'}} for e in ev)" \
  "BOOKMARK events (kind Pod, apiVersion v1, the current resourceVersion) every 200 ms for 2 s"
events nomarks "ev == []" "no bookmarks without allowWatchBookmarks"
watch appsmarks "/apis/apps/v1/namespaces/istio-system/deployments?watch=1&resourceVersion=$current&allowWatchBookmarks=1&timeoutSeconds=1"
wait_end appsmarks 5 || fail "deployment bookmark watch did not end"
events appsmarks "ev and ev[0]['object']['kind'] == 'Deployment' and ev[0]['object']['apiVersion'] == 'apps/v1'" \
  "a Deployment bookmark names kind Deployment, apiVersion apps/v1"

# DELETE → DELETED with the object's last state; POST → ADDED.
watch del "$pods?watch=1&resourceVersion=$(list_rv "$pods")&timeoutSeconds=10"
send DELETE "$pods/$first_pod"
expect_code 200 "DELETE a pod"
deleted_rv=$(value 'd["metadata"]["resourceVersion"]')
wait_lines del 1 || fail "the watch did not see the DELETE"
events del "types == ['DELETED'] and name(ev[0]) == '$first_pod' and ev[0]['object']['metadata']['labels']['unrelated'] == 'change' and rv(ev[0]) == $deleted_rv" \
  "DELETE seen as DELETED with the last state, at the deletion's resourceVersion"
# (The bundle holds no events: the first POST makes them a collected resource, watchable.)
evpath=/api/v1/namespaces/bookinfo/events
send POST "$evpath" application/json '{"metadata":{"name":"fkw.0"},"reason":"First","message":"before the watch"}'
expect_code 201 "POST a first event"
watch posted "$evpath?watch=1&resourceVersion=$(list_rv "$evpath")&timeoutSeconds=10"
send POST "$evpath" application/json '{"metadata":{"name":"fkw.1"},"reason":"Watched","message":"seen"}'
expect_code 201 "POST an event"
wait_lines posted 1 || fail "the events watch did not see the POST"
events posted "types == ['ADDED'] and name(ev[0]) == 'fkw.1' and ev[0]['object']['reason'] == 'Watched'" "POST seen as ADDED"

# Refusals as for lists: 400 for a bad resourceVersion, timeoutSeconds or selector, 403 for a
# resource the bundle did not collect, 401 without the token.
get "$pods?watch=1&resourceVersion=abc"
expect_code 400 "watch with resourceVersion=abc"
[ "$(value 'd["kind"], d["reason"]')" = "Status BadRequest" ] || fail "a bad resourceVersion answers a BadRequest Status"
get "$pods?watch=1&timeoutSeconds=soon"
expect_code 400 "watch with timeoutSeconds=soon"
get "$pods?watch=1&labelSelector=a%20in%20b"
expect_code 400 "watch with a bad label selector"
get "/api/v1/services?watch=1"
expect_code 403 "watch of a resource the bundle did not collect"
value 'd["message"]' | grep -q 'cannot watch resource "services"' || fail "the 403 names the watch verb ($(value 'd["message"]'))"
code=$(curl -s -o "$work/body" -w '%{http_code}' "$base$pods?watch=1&timeoutSeconds=1")
expect_code 401 "watch without the token"

# Faults: a rule matching watch= answers 410, then 500, instead of the stream; truncate cuts the
# stream after the replay (no terminating chunk).
get "/api/v1/configmaps?watch=1&timeoutSeconds=1"
expect_code 410 "fault rule: 410 for a watch"
get "/api/v1/configmaps?watch=1&timeoutSeconds=1"
expect_code 500 "fault rule: 500 for a watch"
get "/api/v1/configmaps?watch=1&timeoutSeconds=1"
expect_code 200 "the fault rules used up: the watch streams"
watch cut "/apis/apps/v1/deployments?watch=1&timeoutSeconds=5"
wait_end cut 4 || fail "the truncated watch did not end at once"
[ "$(cat "$work/cut.rc" 2>/dev/null)" = 18 ] || fail "a truncated watch ends without its terminating chunk (curl $(cat "$work/cut.rc" 2>/dev/null), expected 18)"
events cut "ev and set(types) == {'ADDED'}" "a truncated watch still replays the objects first"

# Every watch is recorded once, when it starts, with status 200.
python3 - "$work/a.jsonl" <<'PY' || fail "the record holds each watch once, with status 200"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
w = [l for l in lines if "watch=" in l["query"]]
assert len([l for l in w if "watch=true&resourceVersion=0" in l["query"]]) == 1, "the replay watch is recorded once"
streams = [l for l in w if "timeoutSeconds=10" in l["query"]]
assert len(streams) == 4 and all(l["status"] == 200 for l in streams), "the four 10 s watches are recorded once each, 200"
assert [l["status"] for l in w if l["path"] == "/api/v1/configmaps"] == [410, 500, 200], "fault answers recorded"
PY

# A reload (.reload marker) ends an open watch with the 410 ERROR event; lists after it report a
# larger resourceVersion; a watch from before the reload is too old.
before_reload=$(list_rv "$pods")
watch reload "$pods?watch=1&resourceVersion=$before_reload&timeoutSeconds=30"
touch "$work/a/.reload"
wait_end reload 5 || fail "the reload did not end the open watch (no request made meanwhile)"
events reload "len(ev) == 1 and ev[0]['type'] == 'ERROR' and ev[0]['object']['code'] == 410 and ev[0]['object']['reason'] == 'Expired' and ev[0]['object']['kind'] == 'Status' and ev[0]['object']['message'].startswith('too old resource version: $before_reload (')" \
  "a reload ends an open watch with the 410 ERROR event"
after_reload=$(list_rv "$pods")
[ "$after_reload" -gt "$before_reload" ] || fail "the resourceVersion after a reload ($after_reload) is larger than before ($before_reload)"
watch stale "$pods?watch=1&resourceVersion=$before_reload&timeoutSeconds=5"
wait_end stale 3 || fail "a watch from before the reload did not end at once"
events stale "types == ['ERROR'] and ev[0]['object']['code'] == 410" "a watch from before the reload is too old"

# SIGHUP reloads too.
watch hup "$pods?watch=1&resourceVersion=$after_reload&timeoutSeconds=30"
kill -HUP "$server_pid"
wait_end hup 5 || fail "SIGHUP did not end the open watch"
events hup "types == ['ERROR'] and ev[0]['object']['code'] == 410" "SIGHUP ends an open watch with the 410 ERROR event"
[ "$(list_rv "$pods")" -gt "$after_reload" ] || fail "the resourceVersion grows across a SIGHUP reload"

# ---- B: a short history, a bundle with resourceVersions -----------------------------------------
cp -r "$scenario/bundle" "$work/b"
mkdir -p "$work/b/namespaces/bookinfo/apps"
cat >"$work/b/namespaces/bookinfo/apps/deployments.yaml" <<'YAML'
apiVersion: apps/v1
kind: DeploymentList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: reviews-v2, namespace: bookinfo, resourceVersion: "5000"}
  spec: {replicas: 1}
YAML
start b "$work/b" --watch-history 2

# The counter starts above the largest resourceVersion loaded; objects keep their own.
[ "$(list_rv "$pods")" = 5001 ] || fail "the counter starts above the bundle's largest resourceVersion 5000 ($(list_rv "$pods"))"
get /apis/apps/v1/namespaces/bookinfo/deployments/reviews-v2
[ "$(value 'd["metadata"]["resourceVersion"]')" = 5000 ] || fail "a bundle object keeps its resourceVersion"

rv=$(list_rv "$pods")
for i in 1 2 3; do merge "$pods/$first_pod" '{"metadata":{"labels":{"n":"'$i'"}}}'; done
watch old "$pods?watch=1&resourceVersion=$rv"
wait_end old 3 || fail "a watch from a dropped resourceVersion did not end at once"
grep -qi '^HTTP/1.1 200' "$work/old.headers" || fail "too old a resourceVersion still answers 200"
events old "len(ev) == 1 and ev[0] == {'type': 'ERROR', 'object': {'kind': 'Status', 'apiVersion': 'v1', 'metadata': {}, 'status': 'Failure', 'message': 'too old resource version: $rv ($((rv + 1)))', 'reason': 'Expired', 'code': 410}}" \
  "a watch older than --watch-history 2 after 3 writes gets the 410 ERROR event"
watch kept "$pods?watch=1&resourceVersion=$((rv + 1))&timeoutSeconds=1"
wait_end kept 5 || fail "the kept-history watch did not end"
events kept "types == ['MODIFIED', 'MODIFIED'] and [e['object']['metadata']['labels']['n'] for e in ev] == ['2', '3']" \
  "a watch from the oldest kept resourceVersion replays the two kept events"

# ---- C: rollouts seen by watches alone, 600 watches at once, SIGTERM ----------------------------
cp -r "$scenario/bundle" "$work/c"
start c "$work/c" --simulate-rollouts --rollout-delay-ms 300
c_pid=$server_pid

# A rollout, followed by watches only: the old pod DELETED, its replacement ADDED NotReady, then
# MODIFIED Ready once --rollout-delay-ms is over (no other request made); the Deployment
# MODIFIED twice (the PATCH, then the controller's status).
istiod=/apis/apps/v1/namespaces/istio-system/deployments/istiod
rv=$(list_rv /api/v1/namespaces/istio-system/pods)
watch rpods "/api/v1/namespaces/istio-system/pods?watch=1&resourceVersion=$rv&timeoutSeconds=10"
watch rdeploy "/apis/apps/v1/namespaces/istio-system/deployments?watch=1&resourceVersion=$rv&timeoutSeconds=10"
send PATCH "$istiod" "$smp" '{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-27T10:00:00Z"}}}}}'
expect_code 200 "PATCH istiod's template"
wait_lines rpods 3 || fail "the pod watch did not see the rollout and the pod turning Ready"
wait_lines rdeploy 2 || fail "the deployment watch did not see two changes"
ready='(lambda p: {c["type"]: c["status"] for c in p["status"]["conditions"]}["Ready"])'
events rpods "types[:3] == ['DELETED', 'ADDED', 'MODIFIED'] and name(ev[0]) == 'istiod-6b8f9c7d5-mw2xq' and name(ev[1]) == name(ev[2]) != name(ev[0]) and $ready(ev[1]['object']) == 'False' and $ready(ev[2]['object']) == 'True'" \
  "rollout: DELETED old pod, ADDED new pod NotReady, MODIFIED Ready"
events rdeploy "types[:2] == ['MODIFIED', 'MODIFIED'] and ev[0]['object']['metadata']['generation'] == 2 and ev[0]['object'].get('status', {}).get('observedGeneration') != 2" \
  "the Deployment's PATCH is seen before its status update"
events rdeploy "ev[1]['object']['status']['observedGeneration'] == ev[1]['object']['metadata']['generation'] == 2 and rv(ev[0]) < rv(ev[1])" \
  "the controller's status write follows as a second MODIFIED"

python3 - "$base" "$token" "$c_pid" <<'PY' || fail "600 concurrent watches"
import json, socket, subprocess, sys, time, urllib.parse
base, token, pid = sys.argv[1], sys.argv[2], sys.argv[3]
host, port = urllib.parse.urlparse(base).hostname, urllib.parse.urlparse(base).port
collections = ["/api/v1/pods", "/api/v1/namespaces", "/api/v1/configmaps", "/apis/apps/v1/deployments"] + \
    ["/api/v1/namespaces/%s/pods" % ns for ns in ("bookinfo", "istio-system", "ztunnel", "istio-cni")]

def threads():
    return int([l for l in open("/proc/%s/status" % pid) if l.startswith("Threads:")][0].split()[1])

def curl_ms(path, *args):
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}",
                          "-H", "Authorization: Bearer " + token, *args, base + path],
                         capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "200", "GET %s: HTTP %s" % (path, out[0])
    return float(out[1]) * 1000

def open_watches(n, rv):
    socks = []
    for i in range(n):
        s = socket.create_connection((host, port))
        path = collections[i % len(collections)]
        s.sendall(("GET %s?watch=1&resourceVersion=%s&timeoutSeconds=300 HTTP/1.1\r\nHost: x\r\n"
                   "Authorization: Bearer %s\r\n\r\n" % (path, rv, token)).encode())
        socks.append((s, path))
    for s, _ in socks:  # each answers its headers at once
        s.settimeout(10)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(4096)
            assert chunk, "a watch connection closed before its headers"
            head += chunk
        assert head.startswith(b"HTTP/1.1 200"), head[:100]
    return socks

get_rv = lambda: json.loads(subprocess.run(["curl", "-s", "-H", "Authorization: Bearer " + token, base + "/api/v1/pods"],
                                           capture_output=True, text=True, check=True).stdout)["metadata"]["resourceVersion"]
rv = get_rv()
t0 = time.time()
socks = open_watches(600, rv)
opened = time.time() - t0
grown = threads()
gets = [curl_ms("/api/v1/namespaces/bookinfo/pods") for _ in range(5)]
gets += [curl_ms("/api/v1/pods") for _ in range(5)]
print("watch_test: 600 watches opened in %.2f s; fakekube threads %d; GET with them open: max %.1f ms, median %.1f ms"
      % (opened, grown, max(gets), sorted(gets)[len(gets) // 2]))
assert max(gets) < 1000, "a GET took %.0f ms with 600 watches open" % max(gets)

# One PATCH reaches every pod watch (all namespaces, and bookinfo's).
pod = json.loads(subprocess.run(["curl", "-s", "-H", "Authorization: Bearer " + token, base + "/api/v1/namespaces/bookinfo/pods"],
                                capture_output=True, text=True, check=True).stdout)["items"][0]["metadata"]["name"]
t0 = time.time()
subprocess.run(["curl", "-s", "-o", "/dev/null", "-X", "PATCH", "-H", "Authorization: Bearer " + token,
                "-H", "Content-Type: application/merge-patch+json", "--data", '{"metadata":{"labels":{"fan":"out"}}}',
                base + "/api/v1/namespaces/bookinfo/pods/" + pod], check=True)
seen = 0
for s, path in socks:
    if path not in ("/api/v1/pods", "/api/v1/namespaces/bookinfo/pods"):
        continue
    data = b""
    while b'"MODIFIED"' not in data:
        chunk = s.recv(65536)
        assert chunk, "a pod watch closed before the PATCH's event"
        data += chunk
    seen += 1
print("watch_test: the PATCH reached all %d pod watches in %.0f ms" % (seen, (time.time() - t0) * 1000))
assert seen == 150

# Clients leaving are noticed: their threads serve the next 600 watches, the pool does not double.
for s, _ in socks:
    s.close()
time.sleep(2.5)
socks = open_watches(600, get_rv())
again = threads()
print("watch_test: after closing them and opening 600 more: %d threads" % again)
assert again < grown + 100, "threads of closed watches were not reused (%d, then %d)" % (grown, again)
for s, _ in socks:
    s.close()
PY

# SIGTERM with watches and an idle keep-alive connection open: the watches end cleanly (their
# terminating chunk) at once, and fakekube exits within a second.
python3 - "$base" "$token" "$c_pid" "$(list_rv "$pods")" <<'PY' || fail "SIGTERM with watches open"
import os, signal, socket, sys, time, urllib.parse
base, token, pid, rv = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
address = (urllib.parse.urlparse(base).hostname, urllib.parse.urlparse(base).port)

def connect(target):
    s = socket.create_connection(address)
    s.settimeout(5)
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n" % (target, token)).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(65536)
    assert head.startswith(b"HTTP/1.1 200"), head[:80]
    return s, head.split(b"\r\n\r\n", 1)[1]

idle, _ = connect("/version")  # answered, then left open (keep-alive)
watches = [connect("/api/v1/namespaces/bookinfo/pods?watch=1&resourceVersion=" + rv) for _ in range(3)]
t0 = time.time()
os.kill(pid, signal.SIGTERM)
for s, data in watches:
    while not data.endswith(b"0\r\n\r\n"):
        chunk = s.recv(65536)
        assert chunk, "a watch was cut on SIGTERM, without its terminating chunk"
        data += chunk
ended = time.time() - t0
while os.path.exists("/proc/%d" % pid) and open("/proc/%d/stat" % pid).read().split(")")[1].split()[0] != "Z":
    assert time.time() - t0 < 3, "fakekube still runs 3 s after SIGTERM"
    time.sleep(0.02)
exited = time.time() - t0
print("watch_test: SIGTERM with 3 watches and an idle connection open: watches ended after %.0f ms, exit after %.0f ms"
      % (ended * 1000, exited * 1000))
assert exited < 1.5, "SIGTERM took %.1f s" % exited
PY
wait "$c_pid"
c_rc=$?
[ "$c_rc" = 0 ] || fail "fakekube exited $c_rc after SIGTERM: $(tail -5 "$work/c.err")"

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "fakekube watch test: all checks passed"
