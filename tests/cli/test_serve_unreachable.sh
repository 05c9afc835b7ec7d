#!/usr/bin/env bash
# meshdoctor serve never exits on a failed run: with the API server unreachable it keeps serving
# (/healthz ok, /readyz and the reports 503, run errors counted). Bad flags are usage errors (64);
# a port already taken is exit 3.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"
. "$(dirname "$0")/serve_lib.sh"

closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
write_kubeconfig "$work/down.kubeconfig" "http://127.0.0.1:$closed" tok
start_serve down --kubeconfig "$work/down.kubeconfig" --interval 1s --jitter 0
two_errors() {
  scrape "$work/m" && [ "$(metric "$work/m" meshdoctor_run_errors_total)" != none ] &&
    [ "$(metric "$work/m" meshdoctor_run_errors_total)" -ge 2 ] 2>/dev/null
}
eventually 20 two_errors || fail "unreachable: run_errors_total counts every failed run"
kill -0 "$serve_pid" 2>/dev/null || fail "unreachable: the daemon keeps running"
[ "$(curl -s "$serve_url/healthz")" = ok ] || fail "unreachable: /healthz ok"
[ "$(http_code /readyz)" = 503 ] || fail "unreachable: /readyz 503 before any good run"
for path in /report.json /report.md /; do
  [ "$(http_code "$path")" = 503 ] || fail "unreachable: $path 503 before any good run"
done
[ "$(sample_count "$work/m" meshdoctor_check_status)" = 0 ] || fail "unreachable: no check status without a run"
[ "$(metric "$work/m" meshdoctor_runs_total)" = "$(metric "$work/m" meshdoctor_run_errors_total)" ] ||
  fail "unreachable: every run is an error"
grep -q "cannot connect to http://127.0.0.1:$closed" "$work/down.serve.err" || fail "unreachable: the error is logged"

# The same port twice: the second daemon cannot listen (exit 3, naming the address).
port=${serve_url##*:}
timeout 10 "$md" serve --kubeconfig "$work/down.kubeconfig" --listen "127.0.0.1:$port" >"$work/out" 2>"$work/err" </dev/null
rc=$?
expect_rc 3 "port in use"
expect_err "127.0.0.1:$port" "port in use: the address is named"

stop_serve
[ "$stop_rc" = 0 ] || fail "SIGTERM: exit $stop_rc"

run serve --listen nowhere
expect_rc 64 "--listen without a port"
run serve --interval 0s
expect_rc 64 "--interval must be positive"
run serve --jitter 1.5
expect_rc 64 "--jitter is a fraction below 1"

finish
