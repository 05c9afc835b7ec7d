#!/usr/bin/env bash
# check --post-on change --state-configmap against fakekube: two runs of the same verdict post
# once (the ConfigMap remembers the fingerprint), another failure posts again, healthy posts
# "resolved" naming what was failing; an unreadable state ConfigMap only warns.
#
# fakekube discards its writes when the bundle is reloaded (a scenario switch), unlike a real
# cluster: the test saves the state ConfigMap before each switch and creates it again after.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"
. "$(dirname "$0")/post_lib.sh"

scenarios=$src/tests/scenarios
state=openshift-monitoring/meshdoctor-post-state
cm_path=/api/v1/namespaces/openshift-monitoring/configmaps

ln -s "$scenarios/istiocni-not-ambient/bundle" "$work/live-bundle"
start_fakekube fk "$work/live-bundle"
api="http://127.0.0.1:$port"
start_receiver change
post_args=(--kubeconfig "$work/fk.kubeconfig" --post "$hook" --post-on change --state-configmap "$state" -vv)

# kube METHOD PATH [BODY]: a request to fakekube as the test user; prints the body.
kube() {
  python3 - "$api" "tok-fk" "$@" <<'PY'
import sys, urllib.request, urllib.error
api, token, method, path = sys.argv[1:5]
body = sys.argv[5].encode() if len(sys.argv) > 5 else None
req = urllib.request.Request(api + path, data=body, method=method,
                             headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
try:
    print(urllib.request.urlopen(req).read().decode())
except urllib.error.HTTPError as e:
    print(e.read().decode())
    sys.exit(1)
PY
}

cm_field() {  # cm_field KEY: data.KEY of the state ConfigMap
  kube GET "$cm_path/meshdoctor-post-state" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][sys.argv[1]])' "$1"
}

# switch SCENARIO: re-point the bundle, reload fakekube, and put the state ConfigMap back as a
# real cluster would have kept it.
switch() {
  local saved
  saved=$(kube GET "$cm_path/meshdoctor-post-state" | python3 -c '
import json, sys
cm = json.load(sys.stdin)
meta = cm["metadata"]
cm["metadata"] = {k: meta[k] for k in ("name", "namespace", "labels") if k in meta}
print(json.dumps(cm))')
  ln -s "$scenarios/$1/bundle" "$work/live-bundle.new" && mv -T "$work/live-bundle.new" "$work/live-bundle"
  for p in $fk_pids; do kill -HUP "$p"; done
  sleep 0.3
  kube POST "$cm_path" "$saved" >/dev/null || fail "re-creating the state ConfigMap after $1"
}

# 1. First run: nothing posted before → post; the ConfigMap is created (POST).
run check "${post_args[@]}"
expect_rc 1 "first run"
expect_posts change 1 "first run posts"
expect_query change 0 'b["post"]["kind"] == "report" and "MD301" in b["rootCauses"]' "first post"
python3 - "$work/fk.jsonl" "$cm_path" <<'PY' || fail "the state ConfigMap is created with POST"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if any(r["method"] == "POST" and r["path"] == sys.argv[2] and r["status"] == 201 for r in recs) else 1)
PY
fp1=$(cm_field fingerprint)
[ ${#fp1} -eq 64 ] || fail "the ConfigMap holds a sha256 fingerprint: '$fp1'"
case ",$(cm_field failing)," in *,MD301,*) ;; *) fail "the ConfigMap lists what fails" ;; esac
[ -n "$(cm_field postedAt)" ] || fail "the ConfigMap says when it posted"

# 2. The same verdict: nothing posted.
run check "${post_args[@]}"
expect_rc 1 "second run"
expect_posts change 1 "an unchanged verdict is not posted again"
expect_err "unchanged since last post" "-v says why"
expect_no_secret "change"

# 3. Another failure: posted again, and the ConfigMap is merge-patched.
switch wrong-trusted-ztunnel-ns
run check "${post_args[@]}"
expect_rc 1 "another failure"
expect_posts change 2 "a changed verdict is posted"
expect_query change -1 'b["post"]["kind"] == "report" and b["rootCauses"] == ["MD202"]' "the new root cause"
python3 - "$work/fk.jsonl" "$cm_path/meshdoctor-post-state" <<'PY' || fail "the state is written with a merge patch carrying the resourceVersion"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
ok = [r for r in recs if r["method"] == "PATCH" and r["path"] == sys.argv[2] and r["status"] == 200
      and r["contentType"] == "application/merge-patch+json"
      and json.loads(r["body"])["metadata"]["resourceVersion"]]
sys.exit(0 if ok else 1)
PY
[ "$(cm_field fingerprint)" != "$fp1" ] || fail "the new fingerprint is stored"
run check "${post_args[@]}"
expect_posts change 2 "the new verdict, unchanged, is not posted again"

# 4. Healthy: "resolved", naming what was failing.
switch healthy
run check "${post_args[@]}"
expect_rc 0 "healthy"
expect_posts change 3 "a cleared failure is posted"
expect_query change -1 'b["post"]["kind"] == "resolved" and "MD202" in b["post"]["previouslyFailing"]' "resolved post"
[ -z "$(cm_field failing)" ] || fail "nothing is failing in the stored state"
run check "${post_args[@]}"
expect_posts change 3 "healthy again is not posted"

# Slack and Teams say "RESOLVED" too (a fresh state name, seeded as failing).
kube POST "$cm_path" '{"metadata":{"name":"seeded"},"data":{"fingerprint":"0","failing":"MD301,MD304"}}' >/dev/null
start_receiver chat
run check --kubeconfig "$work/fk.kubeconfig" --post "$hook" --post-on change --state-configmap openshift-monitoring/seeded --post-format slack
expect_query chat -1 '"RESOLVED" in b["blocks"][0]["text"]["text"] and "MD301, MD304" in t' "slack resolved"

# A state ConfigMap that cannot be read (configmaps of istio-system were not collected: 403):
# a warning, the post still happens (in-memory state), the exit code stays.
switch istiocni-not-ambient
start_receiver nostate
run check --kubeconfig "$work/fk.kubeconfig" --post "$hook" --post-on change --state-configmap istio-system/meshdoctor-post-state
expect_rc 1 "unreadable state"
expect_posts nostate 1 "posted without the state"
expect_err "cannot read the post state ConfigMap istio-system/meshdoctor-post-state" "a warning names the ConfigMap"
expect_err "cannot write the post state ConfigMap" "the write is refused too"

finish
