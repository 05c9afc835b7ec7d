#!/usr/bin/env bash
# 401 is exit 3 with the login hint; an unreachable server is exit 3 naming the server.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"

start_fakekube auth "$src/tests/scenarios/healthy/bundle"
write_kubeconfig "$work/wrong.kubeconfig" "http://127.0.0.1:$port" "not-the-token"
run check --kubeconfig "$work/wrong.kubeconfig" -vv
expect_rc 3 "wrong token"
expect_err "authentication failed: log in again (oc login) or check the token" "401 hint"
[ ! -s "$work/out" ] || fail "401: nothing on stdout"
grep -q "not-the-token" "$work/err" && fail "the token is never printed"

run collect --kubeconfig "$work/wrong.kubeconfig" --output "$work/bundle-401"
expect_rc 3 "collect with a wrong token"
[ ! -e "$work/bundle-401" ] || fail "collect leaves no bundle behind on 401"
ls "$work" | grep -q "bundle-401.tmp" && fail "collect removes its temporary directory"

# A port nobody listens on (fakekube's, after it is gone).
write_kubeconfig "$work/closed.kubeconfig" "http://127.0.0.1:1" "x"
run check --kubeconfig "$work/closed.kubeconfig" --timeout 5s
expect_rc 3 "cannot connect"
expect_err "127.0.0.1:1" "cannot connect names the server"

run check --kubeconfig "$work/no-such-kubeconfig"
expect_rc 3 "missing kubeconfig"

finish
