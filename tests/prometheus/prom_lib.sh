# Shared by the real-Prometheus tests (test_md603.sh, test_md603_cli.sh). The caller defines
# work (temp dir), fixtures (this folder), limit (timeout for servers), prometheus (binary),
# pids (array of started processes, killed by its cleanup) and fail().

# A loopback TCP port that was free a moment ago.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Serves $work/www on a loopback port written to $work/http.port.
serve_fixtures() {
  mkdir -p "$work/www"
  cp "$fixtures"/ztunnel_metrics.txt "$fixtures"/ztunnel_idle_metrics.txt \
     "$fixtures"/waypoint_metrics.txt "$work/www/"
  timeout "$limit" python3 - "$work/www" "$work/http.port" >"$work/http.log" 2>&1 <<'PY' &
import functools, http.server, os, sys
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=sys.argv[1]))
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
PY
  pids+=($!)
  for _ in $(seq 50); do [ -s "$work/http.port" ] && break; sleep 0.1; done
  [ -s "$work/http.port" ] || fail "the fixture HTTP server did not start"
  http_port=$(cat "$work/http.port")
}

# One scrape job: name, metrics file, then label=value pairs added by relabeling (the way a
# PodMonitor's relabelings add app/pod/namespace).
job() {
  local name=$1 file=$2
  shift 2
  printf '  - job_name: %s\n    metrics_path: /%s\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n    relabel_configs:\n' \
    "$name" "$file" "$http_port"
  for pair in "$@"; do
    printf '      - target_label: %s\n        replacement: %s\n' "${pair%%=*}" "${pair#*=}"
  done
}

# start_prometheus NAME < jobs: starts Prometheus on a free port; sets NAME_port and NAME_pid.
start_prometheus() {
  local name=$1 port
  { printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n'; cat; } >"$work/$name.yml"
  port=$(free_port)
  timeout "$limit" "$prometheus" --config.file="$work/$name.yml" --storage.tsdb.path="$work/$name-data" \
    --web.listen-address="127.0.0.1:$port" >"$work/$name.log" 2>&1 &
  pids+=($!)
  eval "${name}_port=$port ${name}_pid=$!"
}

# The value of an instant query's single sample ("" when empty or unreachable).
query_value() {
  python3 - "$1" "$2" <<'PY' 2>/dev/null
import json, sys, urllib.parse, urllib.request
url = sys.argv[1] + "/api/v1/query?" + urllib.parse.urlencode({"query": sys.argv[2]})
result = json.load(urllib.request.urlopen(url, timeout=2))["data"]["result"]
print(result[0]["value"][1] if result else "")
PY
}
