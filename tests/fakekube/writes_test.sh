#!/usr/bin/env bash
# Writes through fakekube over real HTTP with curl, on tests/scenarios/healthy: PATCH (merge
# semantics, resourceVersion precondition, 415/400/404/403), POST of events (201, listable, 409
# on a duplicate), DELETE with uid preconditions, faults on writes (verbs in the 403 message),
# the record's contentType and body, a reload discarding the writes, concurrent reads and
# writes, and --simulate-rollouts (with and without --rollout-delay-ms).
# Usage: writes_test.sh FAKEKUBE SCENARIO_DIR      exit 0 pass, 1 fail, 125 skipped (no curl/python3)
set -u

fakekube=${1:?usage: writes_test.sh FAKEKUBE SCENARIO_DIR}
scenario=${2:?usage: writes_test.sh FAKEKUBE SCENARIO_DIR}
token=writes-token-$$
. "$(dirname "$0")/http_test_lib.sh"

# check PYTHON_EXPR WHAT: the expression over the body parsed as `d` must be true.
check() {
  python3 - "$work/body" "$1" <<'PY' || fail "$2 (HTTP $code: $(head -c 400 "$work/body"))"
import json, re, sys, datetime
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

# value PYTHON_EXPR: prints the expression over the body.

istiod=/apis/apps/v1/namespaces/istio-system/deployments/istiod
smp=application/strategic-merge-patch+json
merge=application/merge-patch+json

# ---- A: writes without rollouts ------------------------------------------------------------------
cp -r "$scenario/bundle" "$work/a"
echo '[]' >"$work/faults.json"
start a "$work/a" --faults "$work/faults.json" --record "$work/record.jsonl"

# The bundle's objects carry no resourceVersion: a first patch without precondition gives one.
get "$istiod"
expect_code 200 "GET istiod"
check '"resourceVersion" not in d["metadata"]' "the bundle's istiod has no resourceVersion yet"
send PATCH "$istiod?fieldManager=meshdoctor" "$smp" '{"metadata":{"annotations":{"fk/first":"1"}}}'
expect_code 200 "PATCH without precondition"
check 'd["metadata"]["resourceVersion"].isdigit() and d["metadata"]["generation"] == 1' \
  "metadata-only patch: numeric resourceVersion, generation unchanged"
rv1=$(value 'd["metadata"]["resourceVersion"]')

# The playbook's patch with the right resourceVersion: applied, resourceVersion +1, generation +1.
restart='{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-27T10:00:00Z"}}}},"metadata":{"resourceVersion":"'$rv1'"}}'
send PATCH "$istiod?fieldManager=meshdoctor" "$smp" "$restart"
expect_code 200 "PATCH with the right resourceVersion"
check "d['metadata']['resourceVersion'] == str($rv1 + 1) and d['metadata']['generation'] == 2" \
  "resourceVersion $rv1 + 1 and generation 2 after a spec change"
get "$istiod"
check "d['metadata']['resourceVersion'] == str($rv1 + 1)" "GET after PATCH shows the bumped resourceVersion"
check 'd["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] == "2026-11-27T10:00:00Z"' \
  "GET after PATCH shows the restartedAt annotation"
check 'd["metadata"]["annotations"]["fk/first"] == "1" and d["spec"]["template"]["metadata"]["labels"]["app"] == "istiod"' \
  "merge kept the other keys"
check 'd["status"]["observedGeneration"] == 1' "without --simulate-rollouts no controller updates the status"

# A stale resourceVersion: 409 worded like the API server, the object untouched.
send PATCH "$istiod" "$smp" '{"metadata":{"resourceVersion":"'$rv1'","labels":{"stale":"yes"}}}'
expect_code 409 "PATCH with a stale resourceVersion"
check 'd["kind"] == "Status" and d["reason"] == "Conflict" and d["code"] == 409' "409 is a Conflict Status"
check 'd["message"] == "Operation cannot be fulfilled on deployments.apps \"istiod\": the object has been modified; please apply your changes to the latest version and try again"' \
  "409 message"
check 'd["details"] == {"name": "istiod", "group": "apps", "kind": "deployments"}' "409 details"
get "$istiod"
check "d['metadata']['resourceVersion'] == str($rv1 + 1) and 'stale' not in d['metadata']['labels']" \
  "the refused patch left the object untouched"

# Merge semantics: null deletes a key, arrays replace.
send PATCH "$istiod" "$merge" '{"metadata":{"labels":{"istio":null}},"spec":{"template":{"spec":{"containers":[{"name":"discovery","image":"x"}]}}}}'
expect_code 200 "merge patch"
check '"istio" not in d["metadata"]["labels"] and d["spec"]["template"]["spec"]["containers"] == [{"name": "discovery", "image": "x"}]' \
  "null deleted the label and the containers list was replaced"
send PATCH "$istiod" "$merge" '{"status":{"readyReplicas":0}}'
check 'd["status"]["readyReplicas"] == 1' "the main resource ignores status changes"
send PATCH "$istiod/status" "$merge" '{"status":{"readyReplicas":0}}'
expect_code 200 "PATCH of the status subresource"
check 'd["status"]["readyReplicas"] == 0' "the status subresource patches status"

# Refusals: content type, body, missing object, uncollected resource.
send PATCH "$istiod" application/json-patch+json '[{"op":"add","path":"/metadata/labels/x","value":"y"}]'
expect_code 415 "JSON patch"
check 'd["reason"] == "UnsupportedMediaType" and d["code"] == 415' "415 Status"
send PATCH "$istiod" application/apply-patch+yaml 'metadata: {}'
expect_code 415 "server-side apply"
send PATCH "$istiod" "$smp" '{"metadata": nope'
expect_code 400 "PATCH body that is not JSON"
check 'd["reason"] == "BadRequest" and "error decoding patch" in d["message"]' "400 names the decoding error"
send PATCH /apis/apps/v1/namespaces/istio-system/deployments/nope "$smp" '{"metadata":{}}'
expect_code 404 "PATCH of a missing deployment"
check 'd["message"] == "deployments.apps \"nope\" not found"' "404 message"
send PATCH /apis/apps/v1/namespaces/bookinfo/deployments/reviews-v2 "$smp" '{"metadata":{}}'
expect_code 403 "PATCH of a resource the bundle does not hold"
check '"cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"bookinfo\"" in d["message"]' "403 names verb patch"
send PUT "$istiod" application/json '{}'
expect_code 405 "PUT"

# POST events: accepted in a namespace whose events were never collected, then listed and got.
get /api/v1/namespaces/bookinfo/events
expect_code 403 "events of bookinfo before any POST (not collected)"
event='{"apiVersion":"v1","kind":"Event","metadata":{"name":"reviews-v2.fk1","namespace":"bookinfo"},"involvedObject":{"kind":"Deployment","name":"reviews-v2","namespace":"bookinfo"},"reason":"MeshdoctorRestart","message":"Restarted","type":"Normal","count":1}'
send POST /api/v1/namespaces/bookinfo/events application/json "$event"
expect_code 201 "POST event"
check 'd["metadata"]["name"] == "reviews-v2.fk1" and d["metadata"]["namespace"] == "bookinfo" and d["metadata"]["uid"] and d["metadata"]["resourceVersion"].isdigit()' \
  "created event has name, namespace, uid, resourceVersion"
check 're.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d["metadata"]["creationTimestamp"])' "creationTimestamp is RFC3339 UTC"
send POST /api/v1/namespaces/bookinfo/events application/json "$event"
expect_code 409 "POST of a duplicate event"
check 'd["reason"] == "AlreadyExists" and d["message"] == "events \"reviews-v2.fk1\" already exists"' "409 AlreadyExists"
send POST /api/v1/namespaces/bookinfo/events application/json '{"metadata":{"generateName":"gen."},"reason":"X"}'
expect_code 201 "POST event with generateName"
check 're.fullmatch(r"gen\.[a-z]{5}", d["metadata"]["name"]) and d["kind"] == "Event" and d["apiVersion"] == "v1"' \
  "generateName gives prefix + 5 lowercase chars, kind and apiVersion filled"
generated=$(value 'd["metadata"]["name"]')
get /api/v1/namespaces/bookinfo/events
expect_code 200 "events of bookinfo after POST"
check "sorted(i['metadata']['name'] for i in d['items']) == sorted(['reviews-v2.fk1', '$generated']) and d['kind'] == 'EventList'" \
  "both events listed"
get /api/v1/namespaces/bookinfo/events/reviews-v2.fk1
expect_code 200 "GET of the created event"
check 'd["reason"] == "MeshdoctorRestart"' "the event as posted"
send POST /apis/events.k8s.io/v1/namespaces/bookinfo/events application/json '{"metadata":{"name":"new-style"},"reason":"X","action":"Y"}'
expect_code 201 "POST events.k8s.io event"
get /apis/events.k8s.io/v1/namespaces/bookinfo/events
check '[i["metadata"]["name"] for i in d["items"]] == ["new-style"] and d["items"][0]["apiVersion"] == "events.k8s.io/v1"' \
  "events.k8s.io event listed"
send POST /api/v1/namespaces/bookinfo/configmaps application/json '{"metadata":{"name":"x"}}'
expect_code 403 "POST of a resource the bundle does not hold"
check '"cannot create resource \"configmaps\"" in d["message"]' "403 names verb create"
send POST /api/v1/namespaces/bookinfo/events application/json 'not json'
expect_code 400 "POST body that is not JSON"

# DELETE with a uid precondition.
pod=/api/v1/namespaces/bookinfo/pods/productpage-v1-54bb874995-7xk2p
uid=da37b20a-ef1b-5e06-bc7c-56c597c9d7be
send DELETE "$pod" application/json '{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"wrong-uid"}}'
expect_code 409 "DELETE with a wrong uid"
check "d['reason'] == 'Conflict' and d['message'].endswith('Precondition failed: UID in precondition: wrong-uid, UID in object meta: $uid')" \
  "409 names both uids"
get "$pod"
expect_code 200 "the pod survives a refused delete"
send DELETE "$pod" application/json '{"preconditions":{"resourceVersion":"999"}}'
expect_code 409 "DELETE with a wrong resourceVersion"
send DELETE "$pod" application/json '{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"'$uid'"}}'
expect_code 200 "DELETE with the right uid"
check "d['metadata']['uid'] == '$uid'" "DELETE answers the deleted pod"
get "$pod"
expect_code 404 "the deleted pod is gone"
get /api/v1/namespaces/bookinfo/pods
check '"productpage-v1-54bb874995-7xk2p" not in [i["metadata"]["name"] for i in d["items"]]' "the deleted pod is not listed"
send DELETE "$pod"
expect_code 404 "DELETE of a missing pod"
send DELETE /api/v1/namespaces/bookinfo/pods/details-v1-65cfcf56f9-dq2tw application/json '{"preconditions":'
expect_code 400 "DELETE with a body that is not JSON"

# Concurrent reads and writes: every answer complete and well-formed.
for i in $(seq 1 8); do
  curl -s -o "$work/conc-get-$i" -w '%{http_code}\n' -H "Authorization: Bearer $token" "$base/api/v1/pods" >"$work/conc-get-$i.code" &
  curl -s -o /dev/null -w '%{http_code}\n' -X PATCH -H "Authorization: Bearer $token" -H "Content-Type: $merge" \
    --data-binary '{"metadata":{"annotations":{"fk/concurrent-'$i'":"x"}}}' "$base$istiod" >"$work/conc-patch-$i.code" &
done
for i in $(seq 1 8); do
  for _ in $(seq 1 100); do [ -s "$work/conc-patch-$i.code" ] && [ -s "$work/conc-get-$i.code" ] && break; sleep 0.1; done
  [ "$(cat "$work/conc-patch-$i.code")" = 200 ] || fail "concurrent PATCH $i: $(cat "$work/conc-patch-$i.code")"
  [ "$(cat "$work/conc-get-$i.code")" = 200 ] || fail "concurrent GET $i: $(cat "$work/conc-get-$i.code")"
  python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['kind'] == 'PodList'" "$work/conc-get-$i" 2>/dev/null ||
    fail "concurrent GET $i did not give a PodList"
done
get "$istiod"
check 'all(d["metadata"]["annotations"].get("fk/concurrent-%d" % i) == "x" for i in range(1, 9))' "no concurrent write was lost"

# Faults on writes: the 403 names the verb of the method, the resource with its group.
cat >"$work/faults.json" <<'JSON'
[
  {"path": "/deployments/istiod$", "method": "PATCH", "status": 403},
  {"path": "/events$", "method": "POST", "status": 403},
  {"path": "/pods/details-v1-65cfcf56f9-dq2tw$", "method": "DELETE", "status": 403},
  {"path": "/deployments/istiod$", "method": "GET", "status": 409, "times": 1}
]
JSON
touch -d '+2 seconds' "$work/faults.json"
send PATCH "$istiod" "$smp" '{"metadata":{}}'
expect_code 403 "PATCH fault"
check 'd["message"] == "deployments.apps \"istiod\" is forbidden: User \"system:serviceaccount:meshdoctor:meshdoctor\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"istio-system\""' \
  "PATCH fault message"
send POST /api/v1/namespaces/bookinfo/events application/json '{"metadata":{"name":"z"}}'
expect_code 403 "POST fault"
check '"cannot create resource \"events\" in API group \"\" in the namespace \"bookinfo\"" in d["message"]' "POST fault names verb create"
send DELETE /api/v1/namespaces/bookinfo/pods/details-v1-65cfcf56f9-dq2tw
expect_code 403 "DELETE fault"
check 'd["message"].startswith("pods \"details-v1-65cfcf56f9-dq2tw\" is forbidden") and "cannot delete resource \"pods\"" in d["message"]' \
  "DELETE fault names verb delete"
get "$istiod"
expect_code 409 "409 fault on an object"
check 'd["reason"] == "Conflict" and d["details"]["name"] == "istiod"' "409 fault is a Conflict Status"
echo '[]' >"$work/faults.json"
touch -d '+4 seconds' "$work/faults.json"

# A reload (.reload marker) discards every write.
touch "$work/a/.reload"
get "$istiod"
check '"resourceVersion" not in d["metadata"] and "fk/first" not in d["metadata"].get("annotations", {})' \
  "after a reload the deployment is the bundle's again"
get /api/v1/namespaces/bookinfo/events
expect_code 403 "after a reload the posted events are gone (not collected again)"
get "$pod"
expect_code 200 "after a reload the deleted pod is back"

# The record: contentType on every line, body on every line but GETs.
kill "${pids[0]}" && wait "${pids[0]}" 2>/dev/null
pids=()
python3 - "$work/record.jsonl" "$restart" <<'PY' || fail "record lines lack contentType/body as expected"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
for l in lines:
    assert isinstance(l["contentType"], str), l
    assert ("body" in l) == (l["method"] != "GET"), l
    for key in ("method", "path", "query", "status", "ms", "authorization"):
        assert key in l, l
restart = [l for l in lines if l["method"] == "PATCH" and l["body"] == sys.argv[2]]
assert len(restart) == 1 and restart[0]["status"] == 200, restart
assert restart[0]["contentType"] == "application/strategic-merge-patch+json" and restart[0]["query"] == "fieldManager=meshdoctor"
assert any(l["method"] == "DELETE" and l["status"] == 409 and "wrong-uid" in l["body"] for l in lines)
assert any(l["method"] == "POST" and l["status"] == 201 and l["contentType"] == "application/json" for l in lines)
assert all(l["contentType"] == "" for l in lines if l["method"] == "GET")
PY

# ---- B: --simulate-rollouts ----------------------------------------------------------------------
# bookinfo gets Deployments (reviews-v2; details-v1, whose ReplicaSet object names another owner)
# so the ambient annotation and the ReplicaSet lookup are exercised.
cp -r "$scenario/bundle" "$work/b"
mkdir -p "$work/b/namespaces/bookinfo/apps"
cat >"$work/b/namespaces/bookinfo/apps/deployments.yaml" <<'YAML'
apiVersion: apps/v1
kind: DeploymentList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: reviews-v2, namespace: bookinfo, generation: 3, resourceVersion: "5000"}
  spec:
    replicas: 1
    selector: {matchLabels: {app: reviews, version: v2}}
    template: {metadata: {labels: {app: reviews, version: v2}}}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: details-v1, namespace: bookinfo, generation: 1}
  spec:
    replicas: 1
    template: {metadata: {labels: {app: details}}}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: waypoint, namespace: bookinfo, generation: 1}
  spec:
    replicas: 1
    template: {metadata: {labels: {gateway.networking.k8s.io/gateway-name: waypoint}}}
YAML
cat >"$work/b/namespaces/bookinfo/apps/replicasets.yaml" <<'YAML'
apiVersion: apps/v1
kind: ReplicaSetList
items:
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: details-v1-65cfcf56f9
    namespace: bookinfo
    ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: someone-else, controller: true}]
YAML
start b "$work/b" --simulate-rollouts
# The playbook's patch as it is sent for an object without a resourceVersion (the bundle's).
restart='{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-27T10:00:00Z"}}}}}'

get /api/v1/namespaces/istio-system/pods
check '[i["metadata"]["name"] for i in d["items"]] == ["istiod-6b8f9c7d5-mw2xq"]' "istio-system holds one istiod pod"
send PATCH "$istiod?fieldManager=meshdoctor" "$smp" "$restart"
expect_code 200 "PATCH istiod under --simulate-rollouts"
get /api/v1/namespaces/istio-system/pods
check 'len(d["items"]) == 1' "istiod still has one pod"
check 're.fullmatch(r"istiod-6b8f9c7d5-[a-z]{5}", d["items"][0]["metadata"]["name"]) and d["items"][0]["metadata"]["name"] != "istiod-6b8f9c7d5-mw2xq"' \
  "the new istiod pod has a new suffix"
check '(lambda p: p["metadata"]["uid"] != "cee61275-9a94-5582-a10e-1bca842cccfb" and p["metadata"]["ownerReferences"][0]["name"] == "istiod-6b8f9c7d5")(d["items"][0])' \
  "new uid, same ownerReferences"
check '(lambda p, now: abs((datetime.datetime.strptime(p["metadata"]["creationTimestamp"], "%Y-%m-%dT%H:%M:%SZ") - now).total_seconds()) < 120 and p["status"]["startTime"] == p["metadata"]["creationTimestamp"])(d["items"][0], datetime.datetime.utcnow())' \
  "creationTimestamp and startTime are now"
check '(lambda p: all(c["ready"] and c["restartCount"] == 0 and "lastState" not in c and c["state"] == {"running": {"startedAt": p["metadata"]["creationTimestamp"]}} for c in p["status"]["containerStatuses"]))(d["items"][0])' \
  "containers just started, ready, no restarts"
check '(lambda p: {c["type"]: c["status"] for c in p["status"]["conditions"]}["Ready"] == "True" and {c["type"]: c["status"] for c in p["status"]["conditions"]}["ContainersReady"] == "True")(d["items"][0])' \
  "pod conditions Ready and ContainersReady True"
check 'd["items"][0]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] == "2026-11-27T10:00:00Z" and "ambient.istio.io/redirection" not in d["items"][0]["metadata"]["annotations"]' \
  "the new pod carries the template's annotation, not enrolled (istio-system is not ambient)"
get "$istiod"
check 'd["status"]["observedGeneration"] == d["metadata"]["generation"] == 2 and d["status"]["updatedReplicas"] == 1 and d["status"]["readyReplicas"] == 1' \
  "the Deployment status reports the rollout done"
send PATCH "$istiod" "$smp" '{"metadata":{"labels":{"only":"metadata"}}}'
get /api/v1/namespaces/istio-system/pods
new_istiod=$(value 'd["items"][0]["metadata"]["name"]')
send PATCH "$istiod" "$smp" '{"metadata":{"labels":{"only":"again"}}}'
get /api/v1/namespaces/istio-system/pods
check "[i['metadata']['name'] for i in d['items']] == ['$new_istiod']" "a patch outside spec.template replaces no pod"

# bookinfo (ambient): reviews-v2's pod (no ReplicaSet object: the name prefix) is re-enrolled;
# reviews-v1/v3 are untouched; details-v1's ReplicaSet names another owner: not replaced.
get /api/v1/namespaces/bookinfo/pods
before=$(value '" ".join(sorted(i["metadata"]["name"] for i in d["items"]))')
send PATCH /apis/apps/v1/namespaces/bookinfo/deployments/reviews-v2 "$smp" \
  '{"metadata":{"resourceVersion":"5000"},"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"now"}}}}}'
expect_code 200 "PATCH reviews-v2 with its bundle resourceVersion"
check 'int(d["metadata"]["resourceVersion"]) > 5000 and d["metadata"]["generation"] == 4' "resourceVersion past 5000 (one counter for the cluster), generation 3 → 4"
get /api/v1/namespaces/bookinfo/pods
check '(lambda names: "reviews-v2-5b667bcbf8-gj7nz" not in names and len([n for n in names if re.fullmatch(r"reviews-v2-5b667bcbf8-[a-z]{5}", n)]) == 1 and "reviews-v1-598b896c9d-9zlxb" in names and "reviews-v3-564544b4d6-kw8pn" in names)([i["metadata"]["name"] for i in d["items"]])' \
  "only reviews-v2's pod was replaced"
check '[i for i in d["items"] if i["metadata"]["name"].startswith("reviews-v2-")][0]["metadata"]["annotations"]["ambient.istio.io/redirection"] == "enabled"' \
  "the new reviews-v2 pod is enrolled (bookinfo is ambient)"
send PATCH /apis/apps/v1/namespaces/bookinfo/deployments/details-v1 "$smp" '{"spec":{"template":{"metadata":{"annotations":{"x":"y"}}}}}'
expect_code 200 "PATCH details-v1"
get /api/v1/namespaces/bookinfo/pods
check '"details-v1-65cfcf56f9-dq2tw" in [i["metadata"]["name"] for i in d["items"]]' \
  "details-v1's pod is not replaced: its ReplicaSet belongs to another Deployment"
send PATCH /apis/apps/v1/namespaces/bookinfo/deployments/waypoint "$smp" '{"spec":{"template":{"metadata":{"annotations":{"x":"y"}}}}}'
get /api/v1/namespaces/bookinfo/pods
check '(lambda w: len(w) == 1 and w[0]["metadata"]["name"] != "waypoint-5f7c8b9d6b-qj4mm" and "ambient.istio.io/redirection" not in w[0]["metadata"].get("annotations", {}))([i for i in d["items"] if i["metadata"]["name"].startswith("waypoint-")])' \
  "the waypoint pod (dataplane-mode=none) is replaced and not enrolled"

# DaemonSet: every ztunnel pod replaced, readiness carried over to the new names.
send PATCH /apis/apps/v1/namespaces/ztunnel/daemonsets/ztunnel "$smp" "$restart"
expect_code 200 "PATCH the ztunnel DaemonSet"
get /api/v1/namespaces/ztunnel/pods
check 'len(d["items"]) == 3 and all(re.fullmatch(r"ztunnel-[a-z]{5}", i["metadata"]["name"]) for i in d["items"]) and not {"ztunnel-4xk2p", "ztunnel-9qzvd", "ztunnel-tm7bc"} & {i["metadata"]["name"] for i in d["items"]}' \
  "three new ztunnel pods"
check 'all(i["metadata"]["ownerReferences"][0]["kind"] == "DaemonSet" for i in d["items"])' "ztunnel pods keep their DaemonSet owner"
first_ztunnel=$(value 'd["items"][0]["metadata"]["name"]')
code=$(curl -s -o "$work/body" -w '%{http_code}' -H "Authorization: Bearer $token" \
  "$base/api/v1/namespaces/ztunnel/pods/$first_ztunnel:15021/proxy/healthz/ready")
expect_code 200 "readiness of a new ztunnel pod"
get /apis/apps/v1/namespaces/ztunnel/daemonsets/ztunnel
check 'd["status"]["observedGeneration"] == 2 and d["status"]["updatedNumberScheduled"] == 3 and d["status"]["numberReady"] == 3' \
  "the DaemonSet status reports the rollout done"

# ---- C: --rollout-delay-ms -----------------------------------------------------------------------
start c "$scenario/bundle" --simulate-rollouts --rollout-delay-ms 1500
send PATCH "$istiod" "$smp" "$restart"
expect_code 200 "PATCH istiod with a rollout delay"
get /api/v1/namespaces/istio-system/pods
check '(lambda p: {c["type"]: c["status"] for c in p["status"]["conditions"]}["Ready"] == "False" and not p["status"]["containerStatuses"][0]["ready"])(d["items"][0])' \
  "the new pod is NotReady during the delay"
get "$istiod"
check 'd["status"]["readyReplicas"] == 0 and d["status"]["unavailableReplicas"] == 1' "the Deployment counts the pod unavailable"
sleep 2
get /api/v1/namespaces/istio-system/pods
check '(lambda p: {c["type"]: c["status"] for c in p["status"]["conditions"]}["Ready"] == "True" and p["status"]["containerStatuses"][0]["ready"])(d["items"][0])' \
  "the new pod is Ready after the delay"
get "$istiod"
check 'd["status"]["readyReplicas"] == 1 and "unavailableReplicas" not in d["status"]' "the Deployment counts the pod ready"

if [ $failures -ne 0 ]; then
  echo "fakekube writes: $failures failure(s); fakekube stderr:" >&2
  cat "$work"/*.err >&2
  exit 1
fi
echo "ok fakekube writes"
