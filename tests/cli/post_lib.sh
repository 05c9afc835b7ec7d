# Helpers for the --post tests (sourced after lib.sh, and after live_lib.sh when used): a webhook
# receiver (post_receiver.py) per name, recording requests in $work/NAME.posts.jsonl.
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 needed" >&2; exit 125; }

receiver_pids=""
trap 'for p in $receiver_pids ${fk_pids:-}; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; scratch_done "$work"' EXIT

# A secret-looking webhook path: it must never show in meshdoctor's stdout or stderr.
hook_path=/services/T000/B000/SECRETTOKEN

# start_receiver NAME [post_receiver.py args...]: sets $hook (the URL) for that receiver.
start_receiver() {
  local name=$1
  shift
  : >"$work/$name.posts.jsonl"
  secret_file "$work/$name.posts.jsonl"   # the receiver records the URL path it was posted to
  python3 "$src/tests/cli/post_receiver.py" --ready-file "$work/$name.rready" \
    --record "$work/$name.posts.jsonl" "$@" 2>"$work/$name.receiver.err" </dev/null &
  receiver_pids="$receiver_pids $!"
  local p
  p=$(ready_port "$work/$name.rready" PORT)
  [ -n "$p" ] || { echo "FAIL: receiver did not start: $(cat "$work/$name.receiver.err")" >&2; exit 1; }
  hook="http://127.0.0.1:$p$hook_path"
}

posts() {  # posts NAME: how many requests the receiver got
  wc -l <"$work/$1.posts.jsonl" | tr -d ' '
}

# post_query NAME INDEX EXPR: evaluates EXPR over request INDEX (0-based, -1 = last):
# `r` is the record (time, path, contentType), `b` the parsed body, `t` the raw body.
post_query() {
  python3 - "$work/$1.posts.jsonl" "$2" "$3" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
r = lines[int(sys.argv[2])]
t = r["body"]
try:
    b = json.loads(t)
except ValueError:
    b = None
print(eval(sys.argv[3]))
PY
}

expect_posts() {  # expect_posts NAME N WHAT
  local n
  n=$(posts "$1")
  [ "$n" -eq "$2" ] || fail "$3: receiver got $n posts, expected $2"
}

expect_query() {  # expect_query NAME INDEX EXPR WHAT: EXPR must print True
  local got
  got=$(post_query "$1" "$2" "$3" 2>&1)
  [ "$got" = "True" ] || fail "$4: $3 is $got"
}

expect_no_secret() {  # expect_no_secret WHAT: the webhook path's token is not in stdout/stderr
  if grep -q SECRETTOKEN "$work/out" "$work/err"; then fail "$1: the webhook token leaked"; fi
}

closed_port() {  # a loopback port nobody listens on
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
