#!/usr/bin/env bash
# meshdoctor serve --node-local: the ZDS socket probe's outcome as meshdoctor_ztunnel_socket_state
# (1 for the current state, 0 for the others) and MD305 checked instead of skipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"
. "$(dirname "$0")/serve_lib.sh"

start_fakekube node "$src/tests/scenarios/healthy/bundle"
start_serve node --kubeconfig "$work/node.kubeconfig" --interval 1s --node-local --socket /nonexistent/ztunnel.sock
eventually 20 is_ready || fail "/readyz is 200 after the first run"
scrape "$work/m" || fail "/metrics answers"
[ "$(metric "$work/m" meshdoctor_ztunnel_socket_state state=absent)" = 1 ] || fail "socket_state{state=absent} 1"
for state in accepted refused not-a-socket error; do
  [ "$(metric "$work/m" meshdoctor_ztunnel_socket_state state=$state)" = 0 ] || fail "socket_state{state=$state} 0"
done
[ "$(grep -c '^meshdoctor_ztunnel_socket_state{.*} 1$' "$work/m")" = 1 ] || fail "exactly one socket state at 1"
md305=$(metric "$work/m" meshdoctor_check_status id=MD305)
[ "$md305" != 4 ] && [ "$md305" != none ] || fail "MD305 is checked on a node (status $md305)"

# Off the node, no socket series at all.
stop_serve
[ "$stop_rc" = 0 ] || fail "SIGTERM: exit $stop_rc"
start_serve cluster --kubeconfig "$work/node.kubeconfig" --interval 1s
eventually 20 is_ready || fail "cluster mode: ready"
scrape "$work/m2"
[ "$(sample_count "$work/m2" meshdoctor_ztunnel_socket_state)" = 0 ] || fail "no socket_state without --node-local"

finish
