#!/usr/bin/env bash
# Live parity for one scenario: serves <scenario>/bundle with fakekube (tests/fakekube) and checks
# that `meshdoctor check --kubeconfig <fake> -o json [args]` diagnoses it exactly as
# `meshdoctor check --bundle <scenario>/bundle -o json [args]` does: same exit code, same root
# causes, same status for every finding (MD305, node-local by nature, excepted). Prints the
# differences and the API errors fakekube answered. Args come from expected.json ("args").
# Usage: run_live.sh BINARY FAKEKUBE SCENARIO_DIR
#   exit 0 same diagnosis, 1 different (or fakekube failed), 125 skipped (no python3, or the
#   binary has no live mode yet: `check --help` lacks --kubeconfig)
set -u

if [ $# -ne 3 ]; then
  echo "usage: $0 BINARY FAKEKUBE SCENARIO_DIR" >&2
  exit 2
fi
binary=$1
fakekube=$2
dir=${3%/}
name=$(basename "$dir")

if ! command -v python3 >/dev/null 2>&1; then
  echo "SKIP: python3 not found (needed to compare the JSON reports)" >&2
  exit 125
fi
for exe in "$binary" "$fakekube"; do
  [ -x "$exe" ] || { echo "FAIL: $exe is not an executable" >&2; exit 1; }
done
if ! "$binary" check --help 2>/dev/null | grep -q -- '--kubeconfig'; then
  echo "SKIP: $binary check has no --kubeconfig (live mode not built yet)" >&2
  exit 125
fi

# BUILD/test-output/live.<scenario>, kept for secrets.suite_grep (tests/secrets/secrets.sh).
. "$(dirname "$0")/../secrets/secrets.sh"
work=$(scratch_dir "$binary" "live.$name")
fk_pid=""
cleanup() {
  if [ -n "$fk_pid" ]; then
    kill "$fk_pid" 2>/dev/null
    wait "$fk_pid" 2>/dev/null
  fi
  scratch_done "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Extra CLI arguments from expected.json ("args"), one per line.
if ! python3 -c 'import json,sys
for a in json.load(open(sys.argv[1])).get("args", []): print(a)' "$dir/expected.json" >"$work/args"; then
  echo "FAIL: $dir/expected.json is not valid JSON" >&2
  exit 1
fi
args=()
while IFS= read -r line; do args+=("$line"); done <"$work/args"

# Start fakekube on a free port and wait (10 s at most) for its PORT line.
token="tok-live-$$-$RANDOM"
secret_value "$token"
"$fakekube" --bundle "$dir/bundle" --port 0 --token "$token" --record "$work/requests.jsonl" \
  --ready-file "$work/ready" >"$work/fk.out" 2>"$work/fk.err" </dev/null &
fk_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/ready" ] && break
  kill -0 "$fk_pid" 2>/dev/null || break
  sleep 0.1
done
port=$(awk '/^PORT /{print $2}' "$work/ready" 2>/dev/null)
if [ -z "$port" ]; then
  echo "FAIL $name: fakekube did not start; its stderr:" >&2
  sed 's/^/    /' "$work/fk.err" >&2
  exit 1
fi

cat >"$work/kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: fakekube
  cluster:
    server: http://127.0.0.1:$port
contexts:
- name: fakekube
  context:
    cluster: fakekube
    user: fakekube
current-context: fakekube
users:
- name: fakekube
  user:
    token: $token
YAML

# At -vv: the debug log, with the token in play, is grepped by secrets.suite_grep.
env -u KUBECONFIG "$binary" check --kubeconfig "$work/kubeconfig" -vv -o json "${args[@]}" \
  >"$work/live.json" 2>"$work/live.err" </dev/null
echo $? >"$work/live.rc"
"$binary" check --bundle "$dir/bundle" -o json "${args[@]}" >"$work/offline.json" 2>"$work/offline.err" </dev/null
echo $? >"$work/offline.rc"

python3 - "$name" "$work" <<'PY'
import json
import os
import sys

name, work = sys.argv[1], sys.argv[2]
# Findings whose evidence exists only on a node or only offline; their status may differ.
EXEMPT = {"MD305"}


def read(path):
    return open(os.path.join(work, path), "rb").read().decode("utf-8", "replace")


def tail(text, n=15):
    lines = text.rstrip("\n").split("\n")
    return "\n".join("    " + l for l in lines[-n:])


def report(which):
    text = read(which + ".json")
    try:
        doc = json.loads(text)
        if isinstance(doc, dict):
            return doc
    except ValueError:
        pass
    print("FAIL %s: %s stdout is not a JSON report (exit %s)" % (name, which, read(which + ".rc").strip()))
    print("  stdout (first 600 chars):\n" + tail(text[:600]))
    print("  stderr:\n" + tail(read(which + ".err")))
    sys.exit(1)


live, offline = report("live"), report("offline")
live_rc, offline_rc = int(read("live.rc")), int(read("offline.rc"))
problems = []
if live_rc != offline_rc:
    problems.append("exit code: offline %d, live %d" % (offline_rc, live_rc))

roots = lambda r: sorted(r.get("rootCauses") or [])
if roots(live) != roots(offline):
    problems.append("rootCauses: offline %s, live %s" % (roots(offline), roots(live)))

by_id = lambda r: {f.get("id"): f for f in (r.get("findings") or [])}
lf, of = by_id(live), by_id(offline)
rows = []
for fid in sorted(set(lf) | set(of)):
    if fid in EXEMPT:
        continue
    a, b = of.get(fid) or {}, lf.get(fid) or {}
    if a.get("status") != b.get("status"):
        why = lambda f: (f.get("message") or f.get("title") or "")[:110]
        ev = "; ".join("%s: %s" % (e.get("source", ""), e.get("detail", "")) for e in (b.get("evidence") or [])[:2])
        rows.append("    %-6s offline %-8s live %-8s live says: %s%s" % (
            fid, a.get("status") or "(absent)", b.get("status") or "(absent)", why(b),
            (" [" + ev[:160] + "]") if ev else ""))
if rows:
    problems.append("statuses differ:\n" + "\n".join(rows))

if problems:
    print("FAIL %s (offline exit %d, live exit %d)" % (name, offline_rc, live_rc))
    for p in problems:
        print("  - " + p)
    errors = []
    for line in read("requests.jsonl").splitlines():
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if r.get("status", 0) >= 400:
            errors.append("    %d %s %s%s" % (r["status"], r["method"], r["path"], ("?" + r["query"]) if r["query"] else ""))
    if errors:
        print("  fakekube answered errors (by design, 403 = not in the bundle):\n" + "\n".join(errors[:40]))
    if read("live.err").strip():
        print("  live stderr:\n" + tail(read("live.err")))
    sys.exit(1)
print("ok %s live == offline (exit %d, root causes %s)" % (name, live_rc, roots(live) or "none"))
PY
