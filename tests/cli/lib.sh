# Shared helpers for the black-box CLI tests (sourced, not run). Each test gets
# $1 = meshdoctor binary, $2 = project source dir; exit 0 pass, 1 fail, 125 skip.
set -u

md=${1:?usage: test.sh BINARY SOURCE_DIR}
src=${2:?usage: test.sh BINARY SOURCE_DIR}
failures=0
# The scratch dir is BUILD/test-output/cli.<test> in a build tree (kept for secrets.suite_grep,
# which greps every output of the suite for the secrets tests hand out), else a temp dir.
. "$src/tests/secrets/secrets.sh"
work=$(scratch_dir "$md" "cli.$(basename "$0" .sh)")
trap 'scratch_done "$work"' EXIT

# run ARGS...: runs meshdoctor, leaving $rc, $work/out, $work/err (and a copy of both in
# $work/runs/, so that every run's output stays for the secret grep).
run() {
  "$md" "$@" >"$work/out" 2>"$work/err" </dev/null
  rc=$?
  keep_run
}
keep_run() {
  mkdir -p "$work/runs"
  md_runs=$((${md_runs:-0} + 1))
  cp "$work/out" "$work/runs/$md_runs.out" 2>/dev/null
  cp "$work/err" "$work/runs/$md_runs.err" 2>/dev/null
}

# ready_port FILE KEYWORD: waits up to 10 s for a server's ready file ("KEYWORD <port>") and
# prints the port, or nothing when it did not come.
ready_port() {
  for _ in $(seq 1 100); do
    [ -s "$1" ] && break
    sleep 0.1
  done
  awk -v k="$2" '$1 == k {print $2}' "$1" 2>/dev/null
}

fail() {
  echo "FAIL: $*" >&2
  echo "  stdout: $(head -c 600 "$work/out" 2>/dev/null)" >&2
  echo "  stderr: $(head -c 600 "$work/err" 2>/dev/null)" >&2
  failures=$((failures + 1))
}

expect_rc() {  # expect_rc CODE WHAT
  [ "$rc" -eq "$1" ] || fail "$2: exit $rc, expected $1"
}

expect_out() {  # expect_out TEXT WHAT  (fixed string in stdout)
  grep -qF -- "$1" "$work/out" || fail "$2: stdout lacks '$1'"
}

expect_err() {  # expect_err TEXT WHAT  (fixed string in stderr)
  grep -qF -- "$1" "$work/err" || fail "$2: stderr lacks '$1'"
}

# A tiny inspect-layout bundle: one IstioCNI without a profile (MD301 fails).
make_cni_bundle() {  # make_cni_bundle DIR
  mkdir -p "$1/cluster-scoped-resources/sailoperator.io/istiocnis"
  cat >"$1/cluster-scoped-resources/sailoperator.io/istiocnis/default.yaml" <<'YAML'
apiVersion: sailoperator.io/v1
kind: IstioCNI
metadata:
  name: default
spec:
  namespace: istio-cni
  version: v1.26.2
YAML
}

# Skips (125) while the bundle reader is still a placeholder.
require_bundle_reader() {
  local dir=$work/probe-bundle
  make_cni_bundle "$dir"
  run check --bundle "$dir"
  if grep -q "bundle.unimplemented\|not implemented" "$work/err"; then
    echo "SKIP: the bundle reader is not implemented yet" >&2
    exit 125
  fi
}

finish() {
  if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  exit 0
}
