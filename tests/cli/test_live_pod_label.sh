#!/usr/bin/env bash
# A pod that opts into ambient with its own label in a namespace that is not labelled must be seen
# live as well as offline: left unenrolled, it fails MD503 both ways (never a live false pass).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"

bundle=$work/podlabel
cp -r "$src/tests/scenarios/healthy/bundle" "$bundle"
mkdir -p "$bundle/namespaces/payments/core"
cat >"$bundle/namespaces/payments/payments.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    kubernetes.io/metadata.name: payments
status:
  phase: Active
YAML
cat >"$bundle/namespaces/payments/core/pods.yaml" <<'YAML'
apiVersion: v1
kind: PodList
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: ledger-7d9f8c6b5-q2w3e
    namespace: payments
    uid: 5f0c9a1e-7b2d-4c3e-9f8a-1b2c3d4e5f60
    creationTimestamp: "2026-11-20T10:00:00Z"
    labels:
      app: ledger
      istio.io/dataplane-mode: ambient
    ownerReferences:
    - apiVersion: apps/v1
      kind: ReplicaSet
      name: ledger-7d9f8c6b5
      controller: true
      uid: 6a1b2c3d-0000-4000-8000-000000000001
  spec:
    nodeName: worker-0.ocp.example.com
    containers:
    - name: ledger
      image: registry.example.com/ledger:1
  status:
    phase: Running
    startTime: "2026-11-20T10:00:01Z"
    conditions:
    - type: Ready
      status: "True"
      lastTransitionTime: "2026-11-20T10:00:09Z"
    containerStatuses:
    - name: ledger
      ready: true
      restartCount: 0
      state:
        running:
          startedAt: "2026-11-20T10:00:05Z"
YAML

run check --bundle "$bundle" -o json
expect_rc 1 "offline: the unenrolled pod fails"
[ "$(json_query "$work/out" '[f["status"] for f in r["findings"] if f["id"] == "MD503"][0]')" = fail ] ||
  fail "offline: MD503 fails for payments/ledger"
cp "$work/out" "$work/offline.json"

start_fakekube podlabel "$bundle"
run check --kubeconfig "$work/podlabel.kubeconfig" -o json
expect_rc 1 "live: the unenrolled pod fails"
[ "$(json_query "$work/out" '[f["status"] for f in r["findings"] if f["id"] == "MD503"][0]')" = fail ] ||
  fail "live: MD503 fails for payments/ledger (pod label in an unlabelled namespace)"
[ "$(json_query "$work/out" 'any(o["name"] == "ledger-7d9f8c6b5-q2w3e" for f in r["findings"] if f["id"] == "MD503" for o in f["objects"])')" = True ] ||
  fail "live: MD503 lists the ledger pod"
same_diagnosis "$work/out" "$work/offline.json" || fail "live and offline diagnoses differ"
finish
