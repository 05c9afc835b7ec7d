#!/usr/bin/env bash
# The interactive side of the restart playbook and its check --fix shortcut: on a terminal,
# --apply asks first and writes nothing unless the answer is "yes"; check --fix shows the
# dry-run plan under the diagnosis (bundle and live) and never writes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/live_lib.sh"
. "$(dirname "$0")/restart_lib.sh"
command -v script >/dev/null 2>&1 || { echo "SKIP: script(1) needed for a pseudo-terminal" >&2; exit 125; }

start_fakekube tty "$bundle"
kc=$work/tty.kubeconfig

# on_tty ANSWER ARGS...: runs meshdoctor on a pseudo-terminal, typing ANSWER at the prompt.
on_tty() {
  local answer=$1
  shift
  printf '%s\n' "$answer" | script -qec "$(printf '%q ' "$md" "$@")" /dev/null >"$work/out" 2>&1
  rc=$?
}

# "no" at the prompt: exit 1, nothing written, the question named the cluster.
on_tty no restart --kubeconfig "$kc" --apply --no-color
expect_rc 1 "declined on a terminal"
grep -q "Type 'yes' to continue" "$work/out" || fail "no confirmation question on a terminal"
grep -q "nothing was written" "$work/out" || fail "declining does not say nothing was written"
rcheck "declined: no write sent" - "$work/tty.jsonl" <<'PY'
if writes: bad("writes after answering no: " + wsum(writes))
PY

# "yes": the four restarts happen.
before=$(mark tty)
on_tty yes restart --kubeconfig "$kc" --apply --no-color
expect_rc 0 "confirmed on a terminal"
since tty "$before" "$work/yes.jsonl"
rcheck "confirmed: the four restarts" - "$work/yes.jsonl" <<'PY'
if patched() != sorted(RESTARTS): bad("patched %s, want %s" % (patched(), sorted(RESTARTS)))
PY

# check --fix on the bundle: diagnosis first, then the plan; JSON carries it in remediation.plan.
run check --bundle "$bundle" --fix --no-color
expect_rc 1 "check --fix keeps the check's exit code"
grep -n "MD504" "$work/out" | head -1 | grep -q . || fail "check --fix: no diagnosis"
grep -q "^REMEDIATION" "$work/out" || fail "check --fix: no remediation section"
grep -q "oc rollout restart deployment/cart -n shop" "$work/out" || fail "check --fix: cart's command missing"
run check --bundle "$bundle" --fix -o json
rcheck "check --fix -o json" "$work/out" - <<'PY'
got = sorted(k for k, e in P.items() if e.get("action") == "restart")
if got != sorted(RESTARTS): bad("restart entries %s, want %s" % (got, sorted(RESTARTS)))
if rem.get("mode") != "dry-run": bad("mode %r" % rem.get("mode"))
if applied: bad("applied in a dry-run: %s" % show(applied))
PY

# check --fix live: the same plan from GETs only.
start_fakekube fix "$bundle"
run check --kubeconfig "$work/fix.kubeconfig" --fix -o json
expect_rc 1 "live check --fix"
rcheck "live check --fix: dry-run only" "$work/out" "$work/fix.jsonl" <<'PY'
got = sorted(k for k, e in P.items() if e.get("action") == "restart")
if got != sorted(RESTARTS): bad("restart entries %s, want %s" % (got, sorted(RESTARTS)))
if writes: bad("check --fix wrote: " + wsum(writes))
PY

exit $((failures > 0))
