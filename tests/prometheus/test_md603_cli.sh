#!/usr/bin/env bash
# prometheus.md603_cli: MD603 end to end through `meshdoctor check` against a real Prometheus.
# Serves the static ztunnel expositions over HTTP, starts real Prometheus servers scraping them
# every second, serves a scenario bundle with fakekube --prometheus-upstream, then checks:
#   1. healthy + ztunnel TCP series: MD603 passes both through the API server's service proxy
#      to thanos-querier (the OpenShift default) and with --prometheus-url; the evidence names
#      the series count Prometheus returned (22, not the bundle's prometheus.json answer);
#   2. istiocni-not-ambient + an idle ztunnel (no istio_tcp_* series): MD603 fails, explained by
#      MD402, with MD301 among the root causes;
#   3. the Prometheus killed: MD603 is unknown (through the service proxy and directly).
# fakekube forwards every Prometheus query to --prometheus-upstream when that is given (a bundle's
# meshdoctor/prometheus.json is only the fallback), so the scenario bundles are served as they are.
# Usage: test_md603_cli.sh MESHDOCTOR FAKEKUBE FIXTURE_DIR SCENARIOS_DIR
# Exit 0 pass, 1 fail, 125 skipped (no prometheus, python3 or curl). PROMETHEUS=path overrides.
set -u

md=$1
fakekube=$2
fixtures=${3%/}
scenarios=${4%/}
prometheus=${PROMETHEUS:-/usr/bin/prometheus}

if [ ! -x "$prometheus" ]; then
  echo "SKIP: $prometheus not found (scripts/install-deps.sh installs the prometheus package)" >&2
  exit 125
fi
for tool in python3 curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool not found" >&2
    exit 125
  fi
done

# BUILD/test-output/prometheus.md603_cli, kept for secrets.suite_grep (tests/secrets/secrets.sh).
. "$(dirname "${BASH_SOURCE[0]}")/../secrets/secrets.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../cli/kubeconfig_lib.sh"
work=$(scratch_dir "$md" prometheus.md603_cli)
pids=()
cleanup() {
  local pid left=""
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      left="$left $pid"
      kill -KILL "$pid" 2>/dev/null
    fi
  done
  rm -f "$work/meshdoctor" "$work/fakekube"   # the snapshots (inputs, 200 MB)
  scratch_done "$work"
  if [ -n "$left" ]; then
    echo "FAIL: processes left running after cleanup:$left" >&2
    exit 1
  fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
# Every server also runs under `timeout`, so even a SIGKILLed test leaves nothing behind for long.
limit=90s

fail() {
  echo "FAIL: $*" >&2
  for log in "$work"/*.log "$work"/*.err; do
    [ -s "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
  done
  exit 1
}

source "$(dirname "${BASH_SOURCE[0]}")/prom_lib.sh"






# wait_series PORT TARGETS PROMQL VALUE: waits (30 s at most) until every target was scraped and
# PROMQL answers VALUE ("" = empty vector).
wait_series() {
  local port=$1 targets=$2 promql=$3 want=$4
  for _ in $(seq 60); do
    if [ "$(query_value "http://127.0.0.1:$port" 'count(up == 1)')" = "$targets" ] &&
       [ "$(query_value "http://127.0.0.1:$port" "$promql")" = "$want" ]; then
      return 0
    fi
    sleep 0.5
  done
  fail "Prometheus on port $port: $targets targets up and $promql = '$want' not reached within 30 s"
}

# start_fakekube NAME BUNDLE PROM_PORT: serves BUNDLE with token tok-NAME, forwarding Prometheus
# queries to 127.0.0.1:PROM_PORT; writes $work/NAME.kubeconfig.
start_fakekube() {
  local name=$1 bundle=$2 prom_port=$3 port
  secret_value "tok-$name"
  timeout "$limit" "$fakekube" --bundle "$bundle" --port 0 --token "tok-$name" \
    --record "$work/$name.jsonl" --ready-file "$work/$name.ready" \
    --prometheus-upstream "http://127.0.0.1:$prom_port" >"$work/$name-fk.log" 2>"$work/$name-fk.err" </dev/null &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$work/$name.ready" ] && break; sleep 0.1; done
  port=$(awk '/^PORT /{print $2}' "$work/$name.ready" 2>/dev/null)
  [ -n "$port" ] || fail "fakekube $name did not start"
  kubeconfig_file "$work/$name.kubeconfig" "{server: \"http://127.0.0.1:$port\"}" "{token: \"tok-$name\"}"
}

# check OUT ARGS...: runs `meshdoctor check ARGS -o json` into $work/OUT.json (rc in $rc).
check() {
  local out=$1
  shift
  timeout 30 "$md" check "$@" -o json >"$work/$out.json" 2>"$work/$out.err"
  rc=$?
  python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$work/$out.json" 2>/dev/null ||
    fail "$out: meshdoctor check (exit $rc) printed no JSON report"
}

# q OUT EXPR: evaluates a Python expression over report `r` (st(id) = status, ex(id) = explainedBy,
# chain(a, b) = b explains a directly or transitively, md = MD603 finding, ev = its evidence text).
q() {
  python3 - "$work/$1.json" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
by = {f["id"]: f for f in r.get("findings", [])}
st = lambda i: (by.get(i) or {}).get("status")
md = by.get("MD603") or {}
ex = lambda i: (by.get(i) or {}).get("explainedBy") or []
def chain(a, b, seen=()):  # b is reachable from a through explainedBy
    return a == b or any(chain(c, b, seen + (a,)) for c in ex(a) if c not in seen)
ev = " | ".join("%s: %s" % (e.get("source", ""), e.get("detail", "")) for e in md.get("evidence") or [])
print(eval(sys.argv[2]))
PY
}

expect() {  # expect OUT EXPR WHAT
  [ "$(q "$1" "$2")" = True ] || {
    echo "--- MD603 in $1: $(q "$1" '{k: md.get(k) for k in ("status", "message", "evidence", "explainedBy")}')" >&2
    echo "--- rootCauses: $(q "$1" 'r["rootCauses"]')" >&2
    fail "$1: $3"
  }
  echo "ok: $1: $3"
}

# The thanos-querier service-proxy query path was requested with the token and answered 200/other.
proxied() {  # proxied NAME STATUS
  python3 - "$work/$1.jsonl" "$2" <<'PY'
import json, sys
want = int(sys.argv[2])
hits = [json.loads(l) for l in open(sys.argv[1]) if "services/https:thanos-querier:9091/proxy/api/v1/query" in l]
sys.exit(0 if hits and all(h["status"] == want and h["authorization"] for h in hits) else 1)
PY
}

# snapshot SRC NAME: runs the binary under test from a copy in $work, so a rebuild that relinks
# SRC while the test runs (another build sharing the tree) cannot make it vanish mid-test.
snapshot() {
  local src=$1 dst=$work/$2
  for _ in $(seq 20); do
    if [ -x "$src" ] && [ -s "$src" ] && cp "$src" "$dst" 2>/dev/null && "$dst" --help >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  fail "$src is not a runnable binary"
}

# proxy_queries NAME: how many thanos-querier service-proxy queries fakekube NAME answered.
proxy_queries() {
  grep -c 'services/https:thanos-querier:9091/proxy/api/v1/query' "$work/$1.jsonl"
}

start=$SECONDS
snapshot "$md" meshdoctor && md=$work/meshdoctor
snapshot "$fakekube" fakekube && fakekube=$work/fakekube
serve_fixtures
curl -fsS "http://127.0.0.1:$http_port/ztunnel_metrics.txt" | grep -q '^istio_tcp_' ||
  fail "the fixture HTTP server does not serve ztunnel_metrics.txt"

# Two ztunnels, labelled as the OSSM docs PodMonitor (app) and the upstream one (pod) do, plus a
# waypoint whose istio_tcp_* series must not be counted: 2 x 11 ztunnel series.
{
  job ztunnel-node-a ztunnel_metrics.txt app=ztunnel namespace=ztunnel pod=ztunnel-4xk2p
  job ztunnel/ztunnel-monitor ztunnel_metrics.txt namespace=ztunnel pod_name=ztunnel-9qv7c pod=ztunnel-9qv7c
  job shop/istio-waypoint-monitor waypoint_metrics.txt app=waypoint namespace=shop pod=waypoint-6d5f8c7b9-l2x4t
} >"$work/healthy.jobs"
start_prometheus healthy_prom <"$work/healthy.jobs"
# A ztunnel that never got a workload from istio-cni (only istio_build), next to the same waypoint.
{
  job ztunnel-node-a ztunnel_idle_metrics.txt app=ztunnel namespace=ztunnel pod=ztunnel-4xk2p
  job shop/istio-waypoint-monitor waypoint_metrics.txt app=waypoint namespace=shop pod=waypoint-6d5f8c7b9-l2x4t
} >"$work/idle.jobs"
start_prometheus idle_prom <"$work/idle.jobs"

ztunnel_tcp='count({__name__=~"istio_tcp_.+",app="ztunnel"} or {__name__=~"istio_tcp_.+",pod=~"ztunnel-.+"})'
wait_series "$healthy_prom_port" 3 "$ztunnel_tcp" 22
wait_series "$idle_prom_port" 2 'count(istio_build{app="ztunnel"})' 1
wait_series "$idle_prom_port" 2 "$ztunnel_tcp" ""
echo "ok: both Prometheus servers scraped their targets ($((SECONDS - start)) s)"

# 1. healthy: MD603 passes through the service proxy (OpenShift default) and with --prometheus-url.
start_fakekube healthy "$scenarios/healthy/bundle" "$healthy_prom_port"
check healthy-proxy --kubeconfig "$work/healthy.kubeconfig"
expect healthy-proxy 'r["source"]["kind"] == "live"' "a live run"
expect healthy-proxy 'st("MD603") == "pass"' "MD603 passes through the thanos-querier service proxy"
expect healthy-proxy '"22 series" in ev and "istio_tcp_" in ev' "MD603 evidence names the 22 series real Prometheus returned"
expect healthy-proxy '"22" in md.get("message", "")' "MD603 message names the series count"
proxied healthy 200 || fail "healthy-proxy: no authorized 200 query on the thanos-querier service proxy"
echo "ok: healthy-proxy: queries went through the thanos-querier service proxy with the token"

proxy_before=$(proxy_queries healthy)
check healthy-direct --kubeconfig "$work/healthy.kubeconfig" --prometheus-url "http://127.0.0.1:$healthy_prom_port"
expect healthy-direct 'st("MD603") == "pass"' "MD603 passes with --prometheus-url"
expect healthy-direct '"22 series" in ev' "MD603 evidence names the 22 series"
[ "$(proxy_queries healthy)" = "$proxy_before" ] ||
  fail "healthy-direct: --prometheus-url still queried the thanos-querier service proxy"
echo "ok: healthy-direct: --prometheus-url bypasses the API server"

# 2. istiocni-not-ambient + idle ztunnel: MD603 fails, explained by the chain MD301 → … → MD402.
start_fakekube cni "$scenarios/istiocni-not-ambient/bundle" "$idle_prom_port"
for mode in proxy direct; do
  if [ "$mode" = proxy ]; then
    check cni-$mode --kubeconfig "$work/cni.kubeconfig"
  else
    check cni-$mode --kubeconfig "$work/cni.kubeconfig" --prometheus-url "http://127.0.0.1:$idle_prom_port"
  fi
  [ "$rc" -eq 1 ] || fail "cni-$mode: exit $rc, expected 1 (failures found)"
  expect cni-$mode 'st("MD603") == "fail"' "MD603 fails without istio_tcp_* series"
  expect cni-$mode '"0 series" in ev' "MD603 evidence names 0 series"
  expect cni-$mode '"MD402" in (md.get("explainedBy") or [])' "MD603 is explained by MD402"
  expect cni-$mode '"MD301" in r["rootCauses"] and "MD603" not in r["rootCauses"]' "MD301 is a root cause, MD603 is not"
  expect cni-$mode '"MD402" in ex("MD603") and chain("MD402", "MD301")' "MD603 is explained, through MD402, by MD301"
done

# 3. Prometheus down: MD603 is unknown, never pass or fail.
kill "$healthy_prom_pid" "$idle_prom_pid" 2>/dev/null
wait "$healthy_prom_pid" "$idle_prom_pid" 2>/dev/null
curl -fsS --max-time 2 "http://127.0.0.1:$healthy_prom_port/-/ready" >/dev/null 2>&1 && fail "Prometheus still answers after kill"
check healthy-down-proxy --kubeconfig "$work/healthy.kubeconfig"
expect healthy-down-proxy 'st("MD603") == "unknown"' "MD603 unknown when Prometheus behind the service proxy is down"
check healthy-down-direct --kubeconfig "$work/healthy.kubeconfig" --prometheus-url "http://127.0.0.1:$healthy_prom_port"
expect healthy-down-direct 'st("MD603") == "unknown"' "MD603 unknown when --prometheus-url is down"
check cni-down --kubeconfig "$work/cni.kubeconfig"
expect cni-down 'st("MD603") == "unknown"' "MD603 unknown (not fail) in istiocni-not-ambient when Prometheus is down"
expect cni-down '"MD301" in r["rootCauses"]' "MD301 still a root cause"

echo "PASS: prometheus.md603_cli ($((SECONDS - start)) s)"
