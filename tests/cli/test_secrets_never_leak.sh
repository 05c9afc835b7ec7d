#!/usr/bin/env bash
# Secrets never leak: the bearer token (given directly and through an exec plugin), a client
# key, a Prometheus token file and a webhook URL's secret path must appear in no output of check,
# collect, restart, serve or a post, at the most verbose level: stdout, stderr, reports, plan
# files and collected bundles. (secrets.suite_grep greps these outputs again with the rest.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"
. "$(dirname "$0")/serve_lib.sh"

bundle=$src/tests/scenarios/restart-stale-workloads/bundle
secret_path=/services/T0LEAK/B0LEAK/HOOKs3cr3tPATH
start_fakekube zq9tokenx "$bundle"   # token "tok-zq9tokenx"
tok_port=$port
kc=$work/kc.yaml                      # a path without the token in it
cp "$work/zq9tokenx.kubeconfig" "$kc"
out=$work/outputs
mkdir -p "$out"

# The same token through an exec plugin (its output is a secret too).
cat >"$work/exec.sh" <<'SH'
#!/bin/sh
echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-zq9tokenx"}}'
SH
chmod +x "$work/exec.sh"
secret_file "$work/exec.sh"
sed '/token:/d' "$kc" >"$work/exec.kubeconfig"
cat >>"$work/exec.kubeconfig" <<YAML
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: $work/exec.sh
      interactiveMode: Never
YAML
python3 - "$work/exec.kubeconfig" <<'PY'
import sys, re
p = sys.argv[1]
s = open(p).read()
s = s.replace("  user: {token: \"tok-zq9tokenx\"}\n", "")
s = re.sub(r"users:\n- name: fake\n", "users:\n- name: fake\n  user:\n", s)
open(p, "w").write(s)
PY

# step NAME ARGS...: runs meshdoctor -vv with ARGS, keeping stdout and stderr under $out.
step() {
  local name=$1
  shift
  "$md" "$@" >"$out/$name.out" 2>"$out/$name.err" </dev/null
  echo "$name exit $?" >>"$out/exits"
}
port_free=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dead=http://127.0.0.1:$port_free$secret_path
echo "$dead" >"$work/url"
secret_file "$work/url"
# A client certificate instead of a token (HTTPS, the key in the kubeconfig as data), and a
# Prometheus token file (fakekube refuses it: the failed query is logged at -vv).
start_fakekube_mtls zq9mtls "$bundle"
printf 'tok-prom-zq9\n' >"$work/prom-token"
secret_value tok-prom-zq9
secret_file "$work/prom-token"
step check-json check --kubeconfig "$kc" -vv -o json
step check-exec check --kubeconfig "$work/exec.kubeconfig" -vv -o markdown
step check-html check --kubeconfig "$kc" -vv -o html --fix
step check-post check --kubeconfig "$kc" -vv --post "$dead" --post-format slack
step check-post-file check --kubeconfig "$kc" -vv --post-url-file "$work/url" --post-required
step collect collect --kubeconfig "$kc" -vv --output "$out/bundle"
step restart-plan restart --kubeconfig "$kc" -vv -o json --plan-file "$out/plan.json"
step restart-apply restart --kubeconfig "$kc" -vv --apply --yes -o json
step restart-from-plan restart --kubeconfig "$work/exec.kubeconfig" -vv --from-plan "$out/plan.json" --apply --yes
step check-mtls check --kubeconfig "$work/zq9mtls.kubeconfig" -vv -o json --post "$dead"
step collect-mtls collect --kubeconfig "$work/zq9mtls.kubeconfig" -vv --output "$out/bundle-mtls"
step restart-mtls restart --kubeconfig "$work/zq9mtls.kubeconfig" -vv -o json
step check-prom check --kubeconfig "$kc" -vv -o json --prometheus-url "http://127.0.0.1:$tok_port" \
  --prometheus-token-file "$work/prom-token"

# serve at -vv with a dead webhook: metrics, report and page must not carry them either.
start_serve daemon --kubeconfig "$kc" -vv --interval 1s --jitter 0 --post "$dead" --post-on always
eventually 30 is_ready || fail "serve never became ready"
for path in /metrics /report.json /report.md /; do
  curl -s "$serve_url$path" >"$out/serve$(echo "$path" | tr / _).body"
done
kill -TERM "$serve_pid" 2>/dev/null
wait "$serve_pid" 2>/dev/null
cp "$work/daemon.serve.out" "$work/daemon.serve.err" "$out/" 2>/dev/null

# Every step ran (a step that failed to start would make the grep below pass vacuously).
[ "$(wc -l <"$out/exits")" -eq 13 ] || fail "not every step ran: $(cat "$out/exits")"
grep -q "check-exec exit [12]" "$out/exits" || fail "the exec-plugin kubeconfig did not authenticate: $(cat "$out/exits")"
grep -q "check-mtls exit [12]" "$out/exits" || fail "the client-certificate kubeconfig did not authenticate: $(cat "$out/exits")"
[ -s "$out/bundle-mtls/meshdoctor/collection.json" ] || fail "collect with a client certificate wrote no bundle"
grep -q '"/api/v1/query".*"status": *401' "$work/zq9tokenx.jsonl" ||
  fail "the Prometheus query with the token file's token did not reach fakekube (401)"
grep -q "restart-apply exit 0" "$out/exits" || fail "restart --apply did not run: $(cat "$out/exits")"
[ -s "$out/bundle/meshdoctor/collection.json" ] || fail "collect wrote no bundle"
grep -q "http" "$out/check-post.err" || grep -q "127.0.0.1" "$out/check-post.err" || fail "the failed post was not reported"
for needle in zq9tokenx HOOKs3cr3tPATH T0LEAK tok-prom-zq9 "PRIVATE KEY" $(grep -v -- ----- "$work/zq9mtls.pki/client.key"); do
  if hits=$(grep -rlF -- "$needle" "$out" 2>/dev/null) && [ -n "$hits" ]; then
    fail "\"${needle:0:12}\" leaked into: $(echo "$hits" | sed "s#$out/##" | tr '\n' ' ')"
  fi
done
exit $((failures > 0))
