#!/usr/bin/env bash
# check on a fleet: three test API servers (healthy, istiocni-not-ambient, and a healthy copy whose
# servicemeshoperator3 Subscription is on stable-3.1 / v3.1.4) behind one kubeconfig with the
# contexts hub, east and west. Per-cluster results, MD901 naming west, the worst exit code, the
# grouped text report, --all-contexts, an unreachable context, and clusters read in parallel.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"

scenarios=$src/tests/scenarios
healthy=$scenarios/healthy/bundle
cni=$scenarios/istiocni-not-ambient/bundle

# west: the healthy cluster on the previous channel, with its CSV renamed to match.
west=$work/west
cp -r "$healthy" "$west"
chmod -R u+w "$west"
olm=$west/namespaces/openshift-operators/operators.coreos.com
sed -i -e 's/servicemeshoperator3\.v3\.2\.1/servicemeshoperator3.v3.1.4/g' -e 's/channel: stable-3\.2/channel: stable-3.1/' \
  -e 's/version: 3\.2\.1/version: 3.1.4/' "$olm"/*.yaml
grep -q "channel: stable-3.1" "$olm/subscriptions.yaml" || { echo "FAIL: west copy not edited" >&2; exit 1; }

# fleet_query FILE EXPR: a Python expression over the fleet report `r`; c(name) = that cluster,
# st(name) = its diagnosis status, fl(id) = a fleet finding, fid(name, id) = a finding of a cluster.
fleet_query() {
  python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = lambda n: next(x for x in r["clusters"] if x["name"] == n)
st = lambda n: (c(n)["diagnosis"] or {}).get("summary", {}).get("status")
fl = lambda i: next(f for f in r["fleet"]["findings"] if f["id"] == i)
fid = lambda n, i: next(f for f in c(n)["diagnosis"]["findings"] if f["id"] == i)
print(eval(sys.argv[2]))
PY
}

# kubeconfig_entries FILE NAME=SERVER=TOKEN...: one kubeconfig, a context per cluster (the
# first is current).
kubeconfig_entries() {
  local file=$1 clusters="" contexts="" users=""
  shift
  for spec in "$@"; do
    IFS='=' read -r name server token <<<"$spec"
    clusters+="- name: $name"$'\n'"  cluster: {server: \"$server\"}"$'\n'
    contexts+="- name: $name"$'\n'"  context: {cluster: $name, user: $name}"$'\n'
    users+="- name: $name"$'\n'"  user: {token: \"$token\"}"$'\n'
  done
  printf 'apiVersion: v1\nkind: Config\nclusters:\n%scontexts:\n%scurrent-context: %s\nusers:\n%s' \
    "$clusters" "$contexts" "${2%%=*}" "$users" >"$file"
}

start_fakekube hub "$healthy"
hub_port=$port
start_fakekube east "$cni"
east_port=$port
start_fakekube west "$west"
west_port=$port
kc=$work/fleet.kubeconfig
kubeconfig_entries "$kc" "hub=http://127.0.0.1:$hub_port=tok-hub" "east=http://127.0.0.1:$east_port=tok-east" \
  "west=http://127.0.0.1:$west_port=tok-west"

# Single-context runs are what they always were: the meshdoctor/v1 report, MD901 skipped.
run check --kubeconfig "$kc" --context west -o json
expect_rc 0 "west alone is healthy"
cp "$work/out" "$work/west-alone.json"
[ "$(json_query "$work/out" 'r["schemaVersion"]')" = meshdoctor/v1 ] || fail "one context: meshdoctor/v1 report"
[ "$(json_query "$work/out" 'by["MD901"]["message"]')" = "single cluster: nothing to compare" ] ||
  fail "one context: MD901 skipped, nothing to compare"
run check --kubeconfig "$kc" --context east -o json
expect_rc 1 "east alone fails"
cp "$work/out" "$work/east-alone.json"

# The fleet in JSON: one diagnosis per cluster, MD901 naming west, the worst exit code.
run check --kubeconfig "$kc" --context hub --context east --context west -o json
expect_rc 1 "fleet: east fails and MD901 fails"
cp "$work/out" "$work/fleet.json"
j=$work/fleet.json
[ "$(fleet_query "$j" 'r["schemaVersion"]')" = meshdoctor/fleet/v1 ] || fail "fleet schema"
[ "$(fleet_query "$j" '[x["name"] for x in r["clusters"]]')" = "['hub', 'east', 'west']" ] ||
  fail "clusters in the order given: $(fleet_query "$j" '[x["name"] for x in r["clusters"]]')"
[ "$(fleet_query "$j" '(st("hub"), st("east"), st("west"))')" = "('pass', 'fail', 'pass')" ] ||
  fail "per-cluster statuses: $(fleet_query "$j" '(st("hub"), st("east"), st("west"))')"
[ "$(fleet_query "$j" '[c(n)["exitCode"] for n in ("hub", "east", "west")]')" = "[0, 1, 0]" ] ||
  fail "per-cluster exit codes"
[ "$(fleet_query "$j" '"MD301" in c("east")["diagnosis"]["rootCauses"]')" = True ] || fail "east root cause MD301"
[ "$(fleet_query "$j" 'c("east")["diagnosis"]["source"]')" = "{'kind': 'live', 'context': 'east'}" ] ||
  fail "east diagnosis names its context"
[ "$(fleet_query "$j" '(c("west")["channel"], c("west")["csv"], c("hub")["channel"])')" = \
  "('stable-3.1', 'servicemeshoperator3.v3.1.4', 'stable-3.2')" ] || fail "channel and CSV per cluster"
[ "$(fleet_query "$j" 'fl("MD901")["status"]')" = fail ] || fail "MD901 fails"
fleet_query "$j" 'fl("MD901")["message"]' | grep -qF "west on stable-3.1 (servicemeshoperator3.v3.1.4) while hub, east are on stable-3.2" ||
  fail "MD901 names west: $(fleet_query "$j" 'fl("MD901")["message"]')"
fleet_query "$j" 'fl("MD901")["fix"]' | grep -qF "oc --context west patch subscription servicemeshoperator3 -n openshift-operators --type merge -p '{\"spec\":{\"channel\":\"stable-3.2\"}}'" ||
  fail "MD901 fix moves west to the majority channel: $(fleet_query "$j" 'fl("MD901")["fix"]')"
[ "$(fleet_query "$j" 'len(fl("MD901")["evidence"])')" = 3 ] || fail "MD901 evidence: one line per cluster"
[ "$(fleet_query "$j" 'fid("hub", "MD901")["status"]')" = skipped ] || fail "a cluster's own MD901 stays skipped"
fleet_query "$j" 'fid("hub", "MD901")["message"]' | grep -q "see the fleet findings" || fail "a cluster's MD901 points at the fleet"
[ "$(fleet_query "$j" 'r["exitCode"]')" = 1 ] || fail "fleet exitCode 1"
for n in east west; do
  fleet_query "$j" "json.dumps(c('$n')['diagnosis'])" >"$work/$n-in-fleet.json"
done
same_diagnosis "$work/east-in-fleet.json" "$work/east-alone.json" || fail "east: the same diagnosis in a fleet as alone"
python3 - "$work/west-in-fleet.json" "$work/west-alone.json" <<'PY' || fail "west: only MD901's message differs from a run alone"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
st = lambda r: {f["id"]: f["status"] for f in r["findings"]}
sys.exit(0 if st(a) == st(b) and a["summary"] == b["summary"] else 1)
PY

# Text: grouped by cluster in the order given, then the fleet table and MD901.
run check --kubeconfig "$kc" --context hub --context east --context west --no-color
expect_rc 1 "fleet text"
order=$(grep -o '^CLUSTER .*' "$work/out" | awk '{print $3}' | tr '\n' ' ')
[ "$order" = "hub east west " ] || fail "text: one CLUSTER block per cluster in order (got '$order')"
expect_out "FLEET SUMMARY" "text: fleet summary table"
grep -E '^  west +PASS +- +stable-3\.1 +servicemeshoperator3\.v3\.1\.4 +0$' "$work/out" >/dev/null ||
  fail "text: table row for west"
grep -E '^  east +FAIL +MD301[, A-Z0-9]* +stable-3\.2 ' "$work/out" >/dev/null || fail "text: table row for east"
expect_out "FLEET       XX MD901 channel-consistency" "text: the fleet finding"
expect_out "ROOT CAUSE  XX MD301 istiocni-profile" "text: east's root cause in full"
[ "$(tail -n 1 "$work/out")" = "FAIL - 3 clusters: 2 pass, 1 fail - MD901 fail - exit 1" ] ||
  fail "text: fleet summary line ($(tail -n 1 "$work/out"))"

# Markdown: grouped as well.
run check --kubeconfig "$kc" --context hub --context east --context west -o markdown
expect_rc 1 "fleet markdown"
expect_out "# meshdoctor fleet: FAIL (3 clusters)" "markdown verdict"
expect_out "| west | pass | - | stable-3.1 | servicemeshoperator3.v3.1.4 | 0 |" "markdown table row"
expect_out "## Cluster east" "markdown cluster section"

# --all-contexts: every context of the kubeconfig (sorted by name).
run check --kubeconfig "$kc" --all-contexts -o json
expect_rc 1 "--all-contexts"
[ "$(fleet_query "$work/out" '[x["name"] for x in r["clusters"]]')" = "['east', 'hub', 'west']" ] ||
  fail "--all-contexts reads every context"
[ "$(fleet_query "$work/out" 'fl("MD901")["status"]')" = fail ] || fail "--all-contexts: MD901 fails"

# Without west the channels agree: MD901 passes with evidence, east's failure alone sets exit 1.
run check --kubeconfig "$kc" --context hub --context east -o json
expect_rc 1 "hub and east"
[ "$(fleet_query "$work/out" 'fl("MD901")["status"]')" = pass ] || fail "hub and east: MD901 passes"
fleet_query "$work/out" 'fl("MD901")["evidence"]' | grep -q "stable-3.2" || fail "MD901 pass lists the channels"

# An unreachable context: exit 3 for it, the others still diagnosed, MD901 unknown.
kubeconfig_entries "$work/gone.kubeconfig" "hub=http://127.0.0.1:$hub_port=tok-hub" \
  "east=http://127.0.0.1:$east_port=tok-east" "gone=http://127.0.0.1:1=tok-gone"
run check --kubeconfig "$work/gone.kubeconfig" --all-contexts --timeout 20s -o json
expect_rc 3 "a context cannot be reached"
[ "$(fleet_query "$work/out" '(c("gone")["exitCode"], c("gone")["diagnosis"])')" = "(3, None)" ] ||
  fail "gone: exit 3 without a diagnosis"
fleet_query "$work/out" 'c("gone")["error"]' | grep -q "cannot connect to http://127.0.0.1:1" ||
  fail "gone: the error names the server ($(fleet_query "$work/out" 'c("gone")["error"]'))"
[ "$(fleet_query "$work/out" '(st("hub"), st("east"))')" = "('pass', 'fail')" ] || fail "the others still diagnosed"
[ "$(fleet_query "$work/out" 'fl("MD901")["status"]')" = unknown ] || fail "MD901 unknown when a cluster is unread"
run check --kubeconfig "$work/gone.kubeconfig" --all-contexts --timeout 20s --no-color
expect_rc 3 "unreachable, text"
expect_out "could not be read" "text names the unreadable cluster"
run check --kubeconfig "$work/gone.kubeconfig" --all-contexts --timeout 20s --exit-zero -o json
expect_rc 3 "--exit-zero still exits 3 when a cluster cannot be read"

# A context the kubeconfig lacks is that cluster's error, not the fleet's.
run check --kubeconfig "$kc" --context hub --context nosuch -o json
expect_rc 3 "unknown context"
fleet_query "$work/out" 'c("nosuch")["error"]' | grep -q 'context "nosuch" not found' || fail "unknown context named"
[ "$(fleet_query "$work/out" 'st("hub")')" = pass ] || fail "hub diagnosed beside an unknown context"

# Usage errors (64) before anything is read.
run check --kubeconfig "$kc" --context hub --context hub
expect_rc 64 "a context twice"
run check --kubeconfig "$kc" --context hub --context east -o html
expect_rc 64 "html fleet"
expect_err "text, json or markdown" "html fleet: the formats are named"
run check --kubeconfig "$kc" --all-contexts --context hub
expect_rc 64 "--all-contexts with --context"
run check --bundle "$healthy" --bundle "$cni" --context hub
expect_rc 64 "bundles and contexts mixed"

# Bundles (must-gathers of a hub and its spokes): named by the shortest distinct path ending,
# the same verdicts as live, and the fix names the cluster in a comment (no context to use).
run check --bundle "$healthy" --bundle "$cni" --bundle "$west" -o json
expect_rc 1 "bundle fleet"
[ "$(fleet_query "$work/out" '[x["name"] for x in r["clusters"]]')" = "['healthy/bundle', 'istiocni-not-ambient/bundle', 'west']" ] ||
  fail "bundle names: $(fleet_query "$work/out" '[x["name"] for x in r["clusters"]]')"
[ "$(fleet_query "$work/out" '[c(n)["diagnosis"]["summary"]["status"] for n in ("healthy/bundle", "istiocni-not-ambient/bundle", "west")]')" = \
  "$(fleet_query "$j" '[st(n) for n in ("hub", "east", "west")]')" ] || fail "bundle fleet: the same statuses as live"
fleet_query "$work/out" 'fl("MD901")["fix"]' | grep -qF "oc patch subscription servicemeshoperator3 -n openshift-operators" ||
  fail "bundle fleet: MD901 fix"
fleet_query "$work/out" 'fl("MD901")["fix"]' | grep -qF "# on cluster west" || fail "bundle fleet: the fix names west"

# Exit codes over the fleet as DESIGN §4 reads them: 2 only when nothing fails anywhere.
plain=$scenarios/healthy-plain-inspect/bundle
run check --bundle "$healthy" --bundle "$plain" -o json
expect_rc 2 "healthy + incomplete bundle"
[ "$(fleet_query "$work/out" '[c(n)["exitCode"] for n in ("healthy/bundle", "healthy-plain-inspect/bundle")]')" = "[0, 2]" ] ||
  fail "per-cluster exit codes 0 and 2"
run check --bundle "$plain" --bundle "$cni"
expect_rc 1 "incomplete + failing bundle: a failure anywhere is exit 1"
run check --bundle "$healthy" --bundle "$work/no-such-bundle" -o json
expect_rc 3 "a missing bundle"
fleet_query "$work/out" 'c("no-such-bundle")["error"]' | grep -qF "$work/no-such-bundle" || fail "the missing bundle's path is named"

# In parallel: every server answers the Subscription list after 2 s; the fleet takes about one
# cluster's time, not the sum.
echo '[{"path": "/subscriptions$", "delayMs": 2000}]' >"$work/slow.json"
slow=()
for spec in "hub=$healthy" "east=$cni" "west=$west"; do
  start_fakekube "slow-${spec%%=*}" "${spec#*=}" --faults "$work/slow.json"
  slow+=("${spec%%=*}=http://127.0.0.1:$port=tok-slow-${spec%%=*}")
done
kubeconfig_entries "$work/slow.kubeconfig" "${slow[@]}"
t0=$(date +%s%N)
run check --kubeconfig "$work/slow.kubeconfig" --all-contexts -o json
wall_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_rc 1 "slow fleet"
sum_ms=$(fleet_query "$work/out" 'sum(c(n)["diagnosis"]["durationMs"] for n in ("hub", "east", "west"))')
min_ms=$(fleet_query "$work/out" 'min(c(n)["diagnosis"]["durationMs"] for n in ("hub", "east", "west"))')
echo "parallel: wall ${wall_ms} ms, clusters ${sum_ms} ms in sum, slowest floor ${min_ms} ms" >&2
[ "$min_ms" -ge 2000 ] || fail "each cluster waited for its delayed Subscription list ($min_ms ms)"
[ $((wall_ms * 10)) -lt $((sum_ms * 6)) ] || fail "clusters read in parallel: wall $wall_ms ms vs $sum_ms ms in sum"

finish
