#!/usr/bin/env bash
# deploy/: every manifest parses, `kubectl kustomize deploy` renders the expected objects, the
# read-only ClusterRole grants exactly what probe/ reads (no writes, no Secrets), the restart
# roles only their documented verbs and are not bound, the Containerfile is multi-stage and ends
# non-root, containers run without privileges (the node DaemonSet's root is justified by its SCC
# notes), and the PrometheusRule and dashboard use only metrics meshdoctor exports.
# The checks themselves are in check_manifests.py. The binary ($1) is not used.
. "$(dirname "$0")/lib.sh"

here=$(cd "$(dirname "$0")" && pwd)

if ! command -v python3 >/dev/null 2>&1; then
  echo "SKIP: python3 is not installed" >&2
  exit 125
fi

# (b) kustomize renders; without kubectl the structural checks still run on the listed files.
rendered=-
if command -v kubectl >/dev/null 2>&1; then
  if kubectl kustomize "$src/deploy" >"$work/rendered.yaml" 2>"$work/err"; then
    rendered=$work/rendered.yaml
  else
    fail "kubectl kustomize $src/deploy failed"
  fi
fi

python3 "$here/check_manifests.py" "$src" "$rendered"
checked=$?
case $checked in
  0) ;;
  125) [ "$failures" -gt 0 ] && finish
       exit 125 ;;  # PyYAML missing (it said so)
  *) echo "FAIL: check_manifests.py exited $checked (its FAIL lines are above)" >&2
     failures=$((failures + 1)) ;;
esac

if [ "$failures" -eq 0 ] && ! command -v kubectl >/dev/null 2>&1; then
  echo "SKIP: kubectl is not installed: the manifests were checked as files, kustomize did not render them" >&2
  exit 125
fi
finish
