# Scratch directories the suite-wide secret grep can read, and the secrets a test hands out.
# Sourced by tests/cli/lib.sh, tests/scenarios/run_*.sh and tests/prometheus/test_md603_cli.sh;
# tests/secrets/scratch.py is the same for Python. tests/secrets/README.md has the whole picture.
#
# A test run from a build tree (the binary's folder holds CTestTestfile.cmake) works in
# BUILD/test-output/<CTest name>, emptied when the test starts and kept when it ends, so that
# secrets.suite_grep finds every report, bundle, log and record the test left there. Elsewhere
# it gets a temporary directory, removed at exit, as before.

# scratch_dir BINARY TEST_NAME: creates the scratch directory and prints its path.
scratch_dir() {
  local build name=$2 dir
  build=$(cd "$(dirname "$1")" 2>/dev/null && pwd)
  if [ -n "$name" ] && [ -n "$build" ] && [ -f "$build/CTestTestfile.cmake" ]; then
    dir=$build/test-output/$name
    chmod -R u+w "$dir" 2>/dev/null
    rm -rf "$dir"
    if mkdir -p "$dir/.secrets" 2>/dev/null; then
      : >"$dir/.secrets/kept"
      echo "$dir"
      return
    fi
  fi
  mktemp -d
}

# scratch_done DIR: what the EXIT trap does with the scratch directory: kept ones stay
# (writable, so the next run can empty them), temporary ones go.
scratch_done() {
  chmod -R u+rwX "$1" 2>/dev/null
  [ -e "$1/.secrets/kept" ] || rm -rf "$1"
}

# secret_value VALUE...: a secret this test hands to meshdoctor (token, webhook URL secret, key
# line). secrets.suite_grep fails when one shows up anywhere but in a secret_file. Values shorter
# than 6 characters cannot be told apart from ordinary text and are not grepped.
secret_value() {
  mkdir -p "$work/.secrets"
  printf '%s\n' "$@" >>"$work/.secrets/values"
}

# secret_file FILE...: an input that holds secrets on purpose (an exec plugin, a URL file, a
# receiver's record). Kubeconfigs and PEM files are recognised by their first line and need not
# be named.
secret_file() {
  local f
  mkdir -p "$work/.secrets"
  for f in "$@"; do printf '%s\n' "${f#"$work"/}" >>"$work/.secrets/files"; done
}
