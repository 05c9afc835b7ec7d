#!/usr/bin/env bash
# prometheus.md603: MD603 against a real Prometheus. Serves static ztunnel/waypoint expositions
# over HTTP, starts two Prometheus servers scraping them every second, then checks that
#   1. ztunnel TCP series (labelled app="ztunnel" or pod="ztunnel-*") make MD603 pass, and the
#      waypoint's own istio_tcp_* series are not counted;
#   2. a ztunnel without TCP series makes MD603 fail, even with waypoint istio_tcp_* series around;
#   3. a Prometheus that is down makes MD603 unknown.
# `meshdoctor check --prometheus-url` is a live-cluster option (it needs an API server too), so
# this test drives the same probe and check code through prom_query_check.
# Usage: test_md603.sh PROM_QUERY_CHECK FIXTURE_DIR
# Exit 0 pass, 1 fail, 125 skipped (no prometheus or python3). PROMETHEUS=path overrides the binary.
set -u

check_bin=$1
fixtures=${2%/}
prometheus=${PROMETHEUS:-/usr/bin/prometheus}

if [ ! -x "$prometheus" ]; then
  echo "SKIP: $prometheus not found (scripts/install-deps.sh installs the prometheus package)" >&2
  exit 125
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "SKIP: python3 not found (serves the metrics and reads the query API)" >&2
  exit 125
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
# Every server also runs under `timeout`, so even a SIGKILLed test leaves nothing behind for long.
limit=90s

fail() {
  echo "FAIL: $*" >&2
  for log in "$work"/*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }; done
  exit 1
}

source "$(dirname "${BASH_SOURCE[0]}")/prom_lib.sh"






# Waits (30 s at most) until every target of a Prometheus has been scraped successfully.
wait_scraped() {
  local port=$1 targets=$2
  for _ in $(seq 60); do
    [ "$(query_value "http://127.0.0.1:$port" 'count(up == 1)')" = "$targets" ] && return 0
    sleep 0.5
  done
  fail "Prometheus on port $port did not scrape its $targets targets within 30 s"
}

# Runs prom_query_check and reports its output.
expect_md603() {
  local what=$1
  shift
  echo "== $what"
  "$check_bin" "$@" || fail "$what"
}

serve_fixtures

# Two ztunnels, labelled as the OSSM docs PodMonitor (app) and the upstream one (pod) do, plus a
# waypoint whose istio_tcp_* series must not be counted: 2 x 11 ztunnel series.
{
  job ztunnel-node-a ztunnel_metrics.txt app=ztunnel namespace=ztunnel pod=ztunnel-4xk2p
  job ztunnel/ztunnel-monitor ztunnel_metrics.txt namespace=ztunnel pod_name=ztunnel-9qv7c pod=ztunnel-9qv7c
  job shop/istio-waypoint-monitor waypoint_metrics.txt app=waypoint namespace=shop pod=waypoint-6d5f8c7b9-l2x4t
} >"$work/healthy.jobs"
start_prometheus healthy <"$work/healthy.jobs"

# A ztunnel that never got a workload from istio-cni, next to the same waypoint.
{
  job ztunnel-node-a ztunnel_idle_metrics.txt app=ztunnel namespace=ztunnel pod=ztunnel-4xk2p
  job shop/istio-waypoint-monitor waypoint_metrics.txt app=waypoint namespace=shop pod=waypoint-6d5f8c7b9-l2x4t
} >"$work/idle.jobs"
start_prometheus idle <"$work/idle.jobs"

wait_scraped "$healthy_port" 3
wait_scraped "$idle_port" 2

expect_md603 "ztunnel TCP series make MD603 pass (22 series, waypoint excluded)" \
  "http://127.0.0.1:$healthy_port" pass 22
expect_md603 "a ztunnel without TCP series makes MD603 fail" "http://127.0.0.1:$idle_port" fail 0
expect_md603 "a Prometheus that is down makes MD603 unknown" "http://127.0.0.1:$(free_port)" unknown

echo "PASS: prometheus.md603"
