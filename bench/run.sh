#!/usr/bin/env bash
# The scale benchmark (bench/README.md): a generated cluster served by fakekube, read by
# `meshdoctor check` live and offline, by kubectl and by plain curl; prints one Markdown table.
#
#   bench/run.sh [--pods M] [--nodes N] [--seed S] [--runs R] [--stale-fraction F]
#                [--unenrolled-fraction U] [--build-dir DIR] [--cache-dir DIR] [--no-build] [--no-warmup]
#
# Progress goes to stderr, the table to stdout. Every figure is the median of R runs (default 3,
# at least 3), after one warm-up run that is not counted (none with --no-warmup).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pods=20000 nodes=200 seed=1 runs=3 stale=0 unenrolled=0 no_build=0 first=0
build=${BENCH_BUILD_DIR:-$repo/build-bench}
cache=${BENCH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/meshdoctor-bench}

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

while [ $# -gt 0 ]; do
  case $1 in
    --pods) pods=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --stale-fraction) stale=$2; shift 2 ;;
    --unenrolled-fraction) unenrolled=$2; shift 2 ;;
    --build-dir) build=$2; shift 2 ;;
    --cache-dir) cache=$2; shift 2 ;;
    --no-build) no_build=1; shift ;;
    --no-warmup) first=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 64 ;;
  esac
done
for v in "$pods" "$nodes" "$seed" "$runs"; do
  [[ $v =~ ^[0-9]+$ ]] || { echo "bench: --pods, --nodes, --seed and --runs take whole numbers" >&2; exit 64; }
done
[ "$runs" -ge 3 ] || { echo "bench: --runs must be at least 3 (figures are medians)" >&2; exit 64; }

# The machine may be shared: everything below runs at a lower priority.
renice -n 10 -p $$ >/dev/null 2>&1 || true

command -v python3 >/dev/null || die "python3 is needed"
command -v curl >/dev/null || die "curl is needed"
[ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null || die "GNU time is needed for peak RSS (Debian package: time)"
have_kubectl=0
command -v kubectl >/dev/null && have_kubectl=1

# ---- build (Release) ---------------------------------------------------------------------------
md=$build/meshdoctor
fk=$build/tests/fakekube/fakekube
if [ "$no_build" = 0 ]; then
  if [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; then
    say "configuring $build (Release)"
    (cd "$repo" && cmake --preset default -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null)
  fi
  say "building meshdoctor and fakekube in $build"
  cmake --build "$build" -j2 --target meshdoctor fakekube >&2
fi
[ -x "$md" ] && [ -x "$fk" ] || die "$md or $fk is missing (build them, or drop --no-build)"

# ---- the bundle, cached by what makes it ---------------------------------------------------------
gen_hash=$(cat "$repo/bench/gen_bundle.py" | sha256sum | cut -c1-10)
bundle=$cache/p$pods-n$nodes-s$seed-f$stale-u$unenrolled-$gen_hash
if [ ! -f "$bundle/generated.json" ]; then
  say "generating $pods pods on $nodes nodes into $bundle"
  mkdir -p "$cache"
  rm -rf "$bundle.tmp"
  python3 "$repo/bench/gen_bundle.py" --pods "$pods" --nodes "$nodes" --seed "$seed" \
    --stale-fraction "$stale" --unenrolled-fraction "$unenrolled" --out "$bundle.tmp"
  rm -rf "$bundle" && mv "$bundle.tmp" "$bundle"
else
  say "reusing $bundle"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/meshdoctor-bench.XXXXXX")
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
stat_file=$work/stats.tsv   # name <TAB> run <TAB> value
: >"$stat_file"
note() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$stat_file"; }

# run_timed NAME OUT CMD...: runs CMD with stdout to OUT under GNU time; records NAME.wall (s),
# NAME.cpu (user + system s) and NAME.rss (MB) for this run. Sets $rc to CMD's exit code.
run_timed() {
  local name=$1 out=$2 t0 t1
  shift 2
  t0=$(now)
  set +e
  /usr/bin/time -v -o "$work/time.out" "$@" >"$out" 2>"$work/$name.err"
  rc=$?
  set -e
  t1=$(now)
  note "$name.wall" "$i" "$(python3 -c "print($t1 - $t0)")"
  note "$name.rss" "$i" "$(awk -F': ' '/Maximum resident set size/ {print $2 / 1024}' "$work/time.out")"
  note "$name.cpu" "$i" "$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/time.out")"
}

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- fakekube ------------------------------------------------------------------------------------
say "starting fakekube on the bundle"
t0=$(now)
"$fk" --bundle "$bundle" --port 0 --ready-file "$work/fk.ready" --record "$work/fk.jsonl" \
  >"$work/fk.out" 2>"$work/fk.err" </dev/null &
fk_pid=$!
pids="$pids $fk_pid"
while [ ! -s "$work/fk.ready" ]; do
  kill -0 "$fk_pid" 2>/dev/null || die "fakekube exited: $(tail -5 "$work/fk.err")"
  sleep 0.1
done
fk_load=$(python3 -c "print($(now) - $t0)")
fk_rss_loaded=$(awk '/VmHWM/ {print $2 / 1024}' "/proc/$fk_pid/status")
fk_cpu_loaded=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$fk_pid/stat")
port=$(awk '{print $2}' "$work/fk.ready")
server=http://127.0.0.1:$port
say "fakekube ready on $server after ${fk_load%.*} s"
cat >"$work/kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: bench
  cluster: {server: "$server"}
contexts:
- name: bench
  context: {cluster: bench, user: bench}
current-context: bench
users:
- name: bench
  user: {}
YAML
records() { wc -l <"$work/fk.jsonl"; }

# ---- live check ----------------------------------------------------------------------------------
say "live check x$runs"
for i in $(seq "$first" "$runs"); do
  before=$(records)
  run_timed live "$work/live.json" "$md" check --kubeconfig "$work/kubeconfig" -o json
  [ "$rc" -le 2 ] || die "live check failed (exit $rc): $(tail -5 "$work/live.err")"
  note live.requests "$i" $(( $(records) - before ))
  live_rc=$rc
  [ "$i" = 0 ] || sed -n "$((before + 1)),\$p" "$work/fk.jsonl" >"$work/live.$i.jsonl"
done

# ---- kubectl -------------------------------------------------------------------------------------
kubectl_names=""
if [ "$have_kubectl" = 1 ]; then
  kc=(kubectl --kubeconfig "$work/kubeconfig" --cache-dir "$work/kube-cache" --request-timeout 0)
  say "kubectl get pods -A -o json x$runs"
  for i in $(seq "$first" "$runs"); do
    run_timed kubectl_json /dev/null "${kc[@]}" get pods -A -o json
    [ "$rc" = 0 ] || die "kubectl -o json failed: $(tail -3 "$work/kubectl_json.err")"
  done
  say "kubectl get pods -A -o name x$runs"
  for i in $(seq "$first" "$runs"); do
    run_timed kubectl_name "$work/names.txt" "${kc[@]}" get pods -A -o name
    [ "$rc" = 0 ] || die "kubectl -o name failed: $(tail -3 "$work/kubectl_name.err")"
  done
  kubectl_names=$(wc -l <"$work/names.txt")
fi

# ---- transfer floor: the list pages the check read, fetched again by curl ------------------------
python3 - "$work/live.$runs.jsonl" "$server" "$work/curl.cfg" <<'PY'
import json, sys
records, server, cfg = sys.argv[1:4]
out = []
for line in open(records):
    r = json.loads(line)
    parts = r["path"].strip("/").split("/")
    rest = parts[2:] if parts[0] == "api" else parts[3:]
    is_list = len(rest) == 1 or (len(rest) == 3 and rest[0] == "namespaces")
    if r["method"] == "GET" and r["status"] == 200 and is_list:
        url = server + r["path"] + ("?" + r["query"] if r["query"] else "")
        out.append('url = "%s"\noutput = "/dev/null"\n' % url)
open(cfg, "w").write("".join(out))
print(len(out), file=open(cfg + ".count", "w"))
PY
floor_requests=$(cat "$work/curl.cfg.count")
say "transfer floor: $floor_requests list requests x$runs"
for i in $(seq "$first" "$runs"); do
  run_timed floor "$work/floor.sizes" curl -sS --fail -K "$work/curl.cfg" -w '%{size_download}\n'
  [ "$rc" = 0 ] || die "curl of the list pages failed: $(tail -3 "$work/floor.err")"
done
floor_mb=$(awk '{s += $1} END {printf "%.1f", s / 1e6}' "$work/floor.sizes")

# ---- offline check -------------------------------------------------------------------------------
say "offline check --bundle x$runs"
for i in $(seq "$first" "$runs"); do
  run_timed offline "$work/offline.json" "$md" check --bundle "$bundle" -o json
  [ "$rc" -le 2 ] || die "offline check failed (exit $rc): $(tail -5 "$work/offline.err")"
  offline_rc=$rc
done

# ---- serve --watch: requests of a run with no changes after the initial list --------------------
watch_state="not run: \`meshdoctor serve --help\` has no --watch"
if "$md" serve --help 2>/dev/null | grep -q -- '--watch'; then
  say "serve --watch: $runs runs after the initial one"
  "$md" serve --kubeconfig "$work/kubeconfig" --watch --interval 5s --jitter 0 --listen 127.0.0.1:0 \
    --ready-file "$work/serve.ready" >"$work/serve.out" 2>"$work/serve.err" </dev/null &
  serve_pid=$!
  pids="$pids $serve_pid"
  runs_total() {
    curl -s "http://127.0.0.1:$1/metrics" | awk '/^meshdoctor_runs_total/ {print int($2)}'
  }
  watch_state="serve --watch did not start: see its log"
  deadline=$(( $(date +%s) + 1800 ))
  while [ ! -s "$work/serve.ready" ] && kill -0 "$serve_pid" 2>/dev/null && [ "$(date +%s)" -lt $deadline ]; do sleep 0.2; done
  if [ -s "$work/serve.ready" ]; then
    sport=$(grep -o '[0-9]*' "$work/serve.ready" | tail -1)
    # Run 0 is the initial list; each later run is counted from the end of the one before.
    seen=0 watch_state=ok
    for i in $(seq 0 "$runs"); do
      while n=$(runs_total "$sport"); [ "${n:-0}" -le "$seen" ]; do
        [ "$(date +%s)" -lt $deadline ] || { watch_state="serve --watch: run $i did not finish in time"; break 2; }
        sleep 0.2
      done
      seen=$n
      [ "$i" = 0 ] || note watch.requests "$i" $(( $(records) - mark ))
      mark=$(records)
    done
  fi
  kill "$serve_pid" 2>/dev/null || true
fi

# ---- the table -----------------------------------------------------------------------------------
python3 - "$stat_file" "$bundle/generated.json" "$work/live.json" "$work/offline.json" <<PY
import json, statistics, sys
stats_file, manifest_file, live_file, offline_file = sys.argv[1:5]
runs = {}
for line in open(stats_file):
    name, run, value = line.rstrip("\n").split("\t")
    if run != "0":  # run 0 is the warm-up
        runs.setdefault(name, []).append(float(value))
med = lambda n: statistics.median(runs[n]) if n in runs else None
m = json.load(open(manifest_file))
pods, nodes = $pods, $nodes
big = pods >= 150000

def diag(path, rc):
    try:
        r = json.load(open(path))
    except Exception:
        return "no report"
    st = {f["id"]: f["status"] for f in r["findings"]}
    return "exit %s, roots %s, MD503 %s, MD504 %s" % (rc, ",".join(r["rootCauses"]) or "none", st.get("MD503"), st.get("MD504"))

rows = []
def fmt(v):
    return "%d" % v if float(v).is_integer() else "%.2f" % v if v < 100 else "%.0f" % v

def row(figure, value, unit, name=None, target=None, ok=None, notes=""):
    shown = "—" if value is None else fmt(value)
    each = ", ".join(fmt(v) for v in runs.get(name, [])) if name else ""
    result = "" if ok is None or value is None else ("PASS" if ok(value) else "MISS")
    rows.append("| %s | %s%s | %s | %s | %s | %s |" % (figure, shown, (" " + unit) if unit and value is not None else "",
                                                      each, target or "", result, notes))

live_wall, live_rss, live_req = med("live.wall"), med("live.rss"), med("live.requests")
kj, kn, floor = med("kubectl_json.wall"), med("kubectl_name.wall"), med("floor.wall")
off_wall, off_rss = med("offline.wall"), med("offline.rss")
yaml_mb = m["yamlBytes"] / 1e6

row("fakekube: load of the bundle", $fk_load, "s", notes="%.1f s CPU, peak RSS after load %.0f MB" % ($fk_cpu_loaded, $fk_rss_loaded))
row("live check: wall", live_wall, "s", "live.wall", notes="%s; %.2f s CPU" % (diag(live_file, "$live_rc"), med("live.cpu")))
row("live check: peak RSS", live_rss, "MB", "live.rss", "≤ %d MB" % (150 if big else 100),
    lambda v: v <= (150 if big else 100))
row("live check: API requests", live_req, "", "live.requests")
row("kubectl get pods -A -o json: wall", kj, "s", "kubectl_json.wall",
    notes="%.1f s CPU, peak RSS %.0f MB" % (med("kubectl_json.cpu"), med("kubectl_json.rss")) if kj else "kubectl not installed")
row("kubectl get pods -A -o name: wall", kn, "s", "kubectl_name.wall",
    notes=("%s names (%s); %.1f s CPU" % ("$kubectl_names", "= --pods" if "$kubectl_names" == str(pods) else "expected %d" % pods,
                                          med("kubectl_name.cpu")))
    if kn else "kubectl not installed")
row("transfer floor: curl of the check's list pages", floor, "s", "floor.wall",
    notes="$floor_requests requests, $floor_mb MB, one connection, in sequence; curl %.2f s CPU" % med("floor.cpu"))
row("offline check --bundle: wall", off_wall, "s", "offline.wall",
    notes="%s; %.2f s CPU" % (diag(offline_file, "$offline_rc"), med("offline.cpu")))
row("offline check --bundle: peak RSS", off_rss, "MB", "offline.rss", "≤ 200 MB", lambda v: v <= 200)
row("offline check --bundle: YAML read", yaml_mb / off_wall if off_wall else None, "MB/s", None, "≥ 60 MB/s",
    lambda v: v >= 60, "%.1f MB of YAML; %.0f MB/s of CPU time" % (yaml_mb, yaml_mb / med("offline.cpu")))
row("ratio live / kubectl -o json", live_wall / kj if kj else None, "", None, "≤ 0.1", lambda v: v <= 0.1)
row("ratio live / transfer floor", live_wall / floor if floor else None, "", None,
    "" if big else "≤ 3", None if big else (lambda v: v <= 3))
watch = med("watch.requests")
row("serve --watch: requests per unchanged run", watch, "", "watch.requests", "≤ 10", lambda v: v <= 10,
    "" if "$watch_state" == "ok" else "$watch_state")

print("meshdoctor scale benchmark: %d pods (%d ambient, %d stale, %d not enrolled) on %d nodes in %d namespaces, "
      "seed %d; medians of %d runs; load average %s at the start" % (
          pods, m["ambient"], m["stale"], m["pending"] + m["unannotated"], nodes, m["namespaces"], m["seed"],
          len(runs.get("live.wall", [])), "$load_at_start"))
print()
print("| figure | median | runs | target | result | notes |")
print("|---|---|---|---|---|---|")
print("\n".join(rows))
PY
