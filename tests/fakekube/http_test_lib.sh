# Shared by the fakekube HTTP tests (writes_test.sh, watch_test.sh), sourced after they set
# $fakekube and $token: a scratch dir, servers stopped on exit, and curl helpers.
for tool in curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not found" >&2; exit 125; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# start NAME BUNDLE [FAKEKUBE ARGS...]: serves BUNDLE, sets $base and $server_pid.
start() {
  local name=$1 bundle=$2
  shift 2
  "$fakekube" --bundle "$bundle" --port 0 --token "$token" --ready-file "$work/$name.ready" "$@" \
    >"$work/$name.out" 2>"$work/$name.err" &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 1 100); do
    [ -s "$work/$name.ready" ] && break
    sleep 0.1
  done
  local port
  port=$(awk '/^PORT /{print $2}' "$work/$name.ready" 2>/dev/null)
  [ -n "$port" ] || { echo "FAIL: fakekube $name did not start: $(cat "$work/$name.err")" >&2; exit 1; }
  base="http://127.0.0.1:$port"
}

# send METHOD PATH [CONTENT_TYPE [BODY]]: body in $work/body, status in $code.
send() {
  local args=(-s -o "$work/body" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $token")
  [ -n "${3:-}" ] && args+=(-H "Content-Type: $3")
  [ -n "${4:-}" ] && args+=(--data-binary "$4")
  code=$(curl "${args[@]}" "$base$2")
}
get() { send GET "$1"; }
expect_code() { [ "$code" = "$1" ] || fail "$2: HTTP $code, expected $1 ($(head -c 400 "$work/body"))"; }
value() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$work/body"; }
