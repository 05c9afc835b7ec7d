# Helpers for the `meshdoctor serve` tests (sourced after lib.sh and live_lib.sh): start the
# daemon on a free loopback port, read its metrics, poll until a condition holds.

if ! "$md" serve --help 2>/dev/null | grep -q -- --listen; then
  echo "SKIP: meshdoctor serve is not available yet" >&2
  exit 125
fi
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl needed" >&2; exit 125; }

# start_serve NAME ARGS...: runs serve with ARGS on 127.0.0.1:0; sets $serve_pid and $serve_url.
# The pid joins $fk_pids, so live_lib.sh's EXIT trap stops it (SIGTERM) like fakekube.
start_serve() {
  local name=$1
  shift
  "$md" serve --listen 127.0.0.1:0 --ready-file "$work/$name.serve.ready" "$@" \
    >"$work/$name.serve.out" 2>"$work/$name.serve.err" </dev/null &
  serve_pid=$!
  fk_pids="$serve_pid $fk_pids"
  local port
  port=$(ready_port "$work/$name.serve.ready" LISTEN)
  [ -n "$port" ] || { echo "FAIL: serve did not start: $(cat "$work/$name.serve.err")" >&2; exit 1; }
  grep -qx "LISTEN $port" "$work/$name.serve.out" || fail "serve prints LISTEN $port on stdout"
  serve_url=http://127.0.0.1:$port
}

# http_code PATH: the status code of GET PATH.
http_code() { curl -s -o /dev/null -w '%{http_code}' "$serve_url$1"; }

# content_type PATH: the Content-Type of GET PATH.
content_type() { curl -s -o /dev/null -w '%{content_type}' "$serve_url$1"; }

# is_ready: /readyz answers 200 (a run has completed).
is_ready() { [ "$(http_code /readyz)" = 200 ]; }

# scrape FILE: saves /metrics.
scrape() { curl -sf "$serve_url/metrics" >"$1"; }

# metric FILE NAME [LABEL=VALUE...]: the value of the one series of NAME whose labels include
# these; "none" when there is none, "many" when several match.
metric() {
  python3 - "$@" <<'PY'
import re, sys
path, name, want = sys.argv[1], sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$')
found = []
for line in open(path):
    m = line_re.match(line.strip())
    if not m or m.group(1) != name:
        continue
    labels = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
    if all(labels.get(k) == v for k, v in want.items()):
        found.append(m.group(3))
print(found[0] if len(found) == 1 else ("none" if not found else "many"))
PY
}

# sample_count FILE [NAME]: the number of sample lines (of NAME, when given).
sample_count() {
  if [ $# -gt 1 ]; then grep -c "^$2[{ ]" "$1"; else grep -vc '^#' "$1"; fi
}

# eventually SECONDS COMMAND...: runs COMMAND every 0.2 s until it succeeds or the time is up.
# COMMAND is a function or program: its arguments are expanded once, before the first try.
eventually() {
  local limit=$1
  shift
  local end=$(($(date +%s) + limit))
  while [ "$(date +%s)" -lt "$end" ]; do
    "$@" && return 0
    sleep 0.2
  done
  "$@"
}

# runs_now: meshdoctor_runs_total (good and failed runs) as served now.
runs_now() { curl -s "$serve_url/metrics" | awk '/^meshdoctor_runs_total /{print $2}'; }

# between_runs: returns just after a run has ended, so that a change to the cluster made now
# lands before the next run starts rather than in the middle of one (which would give a run
# that read half of each state). Start serve with --interval 2s --jitter 0: a run against
# fakekube takes about half a second, which leaves a second and a half.
between_runs() {
  local before now
  before=$(runs_now)
  for _ in $(seq 1 400); do
    now=$(runs_now)
    [ -n "$now" ] && [ "$now" != "$before" ] && return 0
    sleep 0.05
  done
  return 1
}

# stop_serve: SIGTERM; sets $stop_rc and $stop_seconds (exit status and how long it took).
stop_serve() {
  local start
  start=$(date +%s%N)
  kill -TERM "$serve_pid"
  for _ in $(seq 1 100); do
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.1
  done
  stop_seconds=$(( ($(date +%s%N) - start) / 1000000000 ))
  if kill -0 "$serve_pid" 2>/dev/null; then
    stop_rc=timeout
    kill -KILL "$serve_pid"
  fi
  wait "$serve_pid"
  local rc=$?
  [ "${stop_rc:-}" = timeout ] || stop_rc=$rc
}
