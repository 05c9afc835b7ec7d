# Helpers for the live black-box tests (sourced after lib.sh): start fakekube on a bundle and
# write a kubeconfig for it. fakekube sits next to the binary: $(dirname BINARY)/tests/fakekube.

fakekube=$(dirname "$md")/tests/fakekube/fakekube
. "$(dirname "${BASH_SOURCE[0]}")/kubeconfig_lib.sh"
if [ ! -x "$fakekube" ]; then
  echo "SKIP: $fakekube not built" >&2
  exit 125
fi
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 needed" >&2; exit 125; }

fk_pids=""
trap 'for p in $fk_pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; scratch_done "$work"' EXIT

# start_fakekube NAME BUNDLE [fakekube args...]: serves BUNDLE with token "tok-NAME", records
# requests in $work/NAME.jsonl, writes $work/NAME.kubeconfig (right token) and sets $port.
start_fakekube() {
  local name=$1 bundle=$2
  shift 2
  secret_value "tok-$name"
  "$fakekube" --bundle "$bundle" --port 0 --token "tok-$name" --record "$work/$name.jsonl" \
    --ready-file "$work/$name.ready" "$@" >"$work/$name.fk.out" 2>"$work/$name.fk.err" </dev/null &
  local pid=$!
  fk_pids="$fk_pids $pid"
  port=$(ready_port "$work/$name.ready" PORT)
  [ -n "$port" ] || { echo "FAIL: fakekube did not start: $(cat "$work/$name.fk.err")" >&2; exit 1; }
  write_kubeconfig "$work/$name.kubeconfig" "http://127.0.0.1:$port" "tok-$name"
}

# start_fakekube_mtls NAME BUNDLE [fakekube args...]: like start_fakekube, but over HTTPS and
# authenticated by a client certificate instead of a token: makes a CA, a server and a client
# certificate in $work/NAME.pki, writes $work/NAME.kubeconfig with the CA and the client
# certificate and key as data, registers the key as a secret and sets $port. Skips without openssl.
start_fakekube_mtls() {
  local name=$1 bundle=$2 pki=$work/$1.pki
  shift 2
  command -v openssl >/dev/null 2>&1 || { echo "SKIP: openssl needed for client certificates" >&2; exit 125; }
  mkdir -p "$pki"
  local ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
  # shellcheck disable=SC2086
  (cd "$pki" &&
    openssl req -x509 $ec -keyout ca.key -out ca.crt -days 2 -subj /CN=fakekube-ca &&
    openssl req $ec -keyout server.key -out server.csr -subj /CN=127.0.0.1 &&
    echo "subjectAltName=IP:127.0.0.1" >server.ext &&
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out server.crt \
      -extfile server.ext &&
    openssl req $ec -keyout client.key -out client.csr -subj /CN=meshdoctor &&
    echo "extendedKeyUsage=clientAuth" >client.ext &&
    openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out client.crt \
      -extfile client.ext) >"$pki/openssl.log" 2>&1 ||
    { echo "FAIL: openssl: $(tail -n 3 "$pki/openssl.log")" >&2; exit 1; }
  "$fakekube" --bundle "$bundle" --port 0 --tls-cert "$pki/server.crt" --tls-key "$pki/server.key" \
    --client-ca "$pki/ca.crt" --record "$work/$name.jsonl" --ready-file "$work/$name.ready" "$@" \
    >"$work/$name.fk.out" 2>"$work/$name.fk.err" </dev/null &
  fk_pids="$fk_pids $!"
  port=$(ready_port "$work/$name.ready" PORT)
  [ -n "$port" ] || { echo "FAIL: fakekube did not start: $(cat "$work/$name.fk.err")" >&2; exit 1; }
  local key_data
  key_data=$(base64 -w0 <"$pki/client.key")
  # shellcheck disable=SC2046
  secret_value "$key_data" $(grep -v -- ----- "$pki/client.key")
  kubeconfig_file "$work/$name.kubeconfig" \
    "{server: \"https://127.0.0.1:$port\", certificate-authority-data: \"$(base64 -w0 <"$pki/ca.crt")\"}" \
    "{client-certificate-data: \"$(base64 -w0 <"$pki/client.crt")\", client-key-data: \"$key_data\"}"
}

write_kubeconfig() {  # write_kubeconfig FILE SERVER TOKEN
  secret_value "$3"
  kubeconfig_file "$1" "{server: \"$2\"}" "{token: \"$3\"}"
}

# json_query FILE EXPR: evaluates a Python expression over the JSON report `r`
# (helpers: st(id) = status, ev(id) = evidence text) and prints the result.
json_query() {
  python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
by = {f["id"]: f for f in r.get("findings", [])}
st = lambda i: (by.get(i) or {}).get("status")
ev = lambda i: " | ".join("%s: %s" % (e.get("source", ""), e.get("detail", "")) for e in (by.get(i) or {}).get("evidence") or [])
print(eval(sys.argv[2]))
PY
}

# same_diagnosis A.json B.json: same root causes and per-finding statuses (MD305 excepted).
same_diagnosis() {
  python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
st = lambda r: {f["id"]: f["status"] for f in r["findings"] if f["id"] != "MD305"}
diff = [(k, v, st(b).get(k)) for k, v in st(a).items() if st(b).get(k) != v]
if sorted(a["rootCauses"]) != sorted(b["rootCauses"]) or diff:
    print("roots %s vs %s; statuses differ: %s" % (a["rootCauses"], b["rootCauses"], diff))
    sys.exit(1)
PY
}
