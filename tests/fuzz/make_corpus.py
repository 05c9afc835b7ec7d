#!/usr/bin/env python3
"""Rebuilds the seed corpus in tests/fuzz/corpus/<target>/ from the scenario bundles, the
reference samples (tests/data/reference, and /work/shared/reference when present) and the
hand-written edge cases below. Files are named by content SHA-1 (as libFuzzer names them), so
reruns are stable and duplicates collapse. Keeps each file < 100 KB and each target small.

  python3 tests/fuzz/make_corpus.py            # from the repository root
"""
import hashlib, json, os, pathlib, random, re, sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/fuzz/corpus"
MAX_FILE = 100 * 1024
MAX_PER_TARGET = 60  # real-world seeds per target; edge cases are always kept
REFS = [ROOT / "tests/data/reference", pathlib.Path("/work/shared/reference")]
rng = random.Random(1)  # deterministic sampling

corpus = {}


def add(target, data, edge=False):
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_FILE:
        data = data[:MAX_FILE]  # a truncated input is a fine seed too
    corpus.setdefault(target, ({}, {}))[0 if edge else 1][hashlib.sha1(data).hexdigest()] = data


def bundle_files(pattern):
    return sorted(p for p in (ROOT / "tests/scenarios").glob("*/bundle/**/" + pattern) if p.is_file())


def ref_files(pattern):
    seen, out = set(), []
    for d in REFS:
        for p in sorted(d.glob(pattern)) if d.is_dir() else []:
            if p.name not in seen:
                seen.add(p.name)
                out.append(p)
    return out


def sample(paths, n):
    paths = list(paths)
    return paths if len(paths) <= n else rng.sample(paths, n)


# ---- generic edge cases for every target -------------------------------------------------
GENERIC = [b"", b"\n", b"\r\n", b"\x00", b"\xff\xfe\xfd", b"\xc3\x28\xa0\xa1\xe2\x82",
           b"{", b"[", b"\"", b"# EOF\n", "é\u2028\U0001F600".encode(), b"\x00" * 64,
           b"a" * 4096, b"\n" * 2000]
TARGETS = ["fuzz_prom_text", "fuzz_log_scan", "fuzz_extract", "fuzz_yaml_stream", "fuzz_kubeconfig",
           "fuzz_rfc3339", "fuzz_plan_file", "fuzz_state_configmap", "fuzz_ztunnel_metrics", "fuzz_lint"]
for t in TARGETS:
    for g in GENERIC:
        add(t, g, edge=True)

# ---- Prometheus text / ztunnel metrics -----------------------------------------------------
prom_seeds = [p.read_bytes() for p in bundle_files("*.txt")] + \
             [p.read_bytes() for p in ref_files("ztunnel_metrics_sample.txt")]
PROM_EDGE = [
    "workload_manager_pending_proxy_count 3\n",
    "workload_manager_active_proxy_count{node=\"n1\"} 12 1700000000000\n",
    "m{a=\"x\\\"y\\\\z\\n\"} NaN\nm +Inf\nm -Inf\nm 1e308\nm 1e309\nm -0\nm 0x1p3\n",
    "m{a=\"unterminated} 1\n",
    "m{a=\"1\",a=\"2\"} 1\n",
    "m{,} 1\nm{a=} 1\n{a=\"b\"} 1\nm{a=\"b\"} \nm 1 2 3\n",
    "# HELP m help \\n text\n# TYPE m counter\nm_total 99999999999999999999999999999\n",
    "# TYPE istio_xds_connection_terminations counter\nistio_xds_connection_terminations_total{reason=\"Error\"} 5\n# EOF\nafter 1\n",
    "m 1 99999999999999999999999999\nm 1 -1.5e400\n",
    "m{" + ",".join('l%d="v"' % i for i in range(500)) + "} 1\n",
    "m{a=\"" + "\\" * 3001 + "\"} 1\n",
    "m 1\r\nm 2\r\n",
    "\tm   1  \n",
    "m\xa0 1\n",
    "m{a=\"\xff\xfe\"} 1\n",
]
for t in ["fuzz_prom_text", "fuzz_ztunnel_metrics"]:
    for s in prom_seeds:
        add(t, s)
        add(t, s[: len(s) // 2])  # truncated mid-line
    for e in PROM_EDGE:
        add(t, e.encode("utf-8", "surrogateescape") if isinstance(e, str) else e, edge=True)

# ---- logs -------------------------------------------------------------------------------
logs = bundle_files("*.log") + [p for p in bundle_files("*") if p.suffix == ".logs"]
seen = set()
for p in sample(logs, MAX_PER_TARGET) + ref_files("*.log"):
    data = p.read_bytes()
    add("fuzz_log_scan", data[:16 * 1024])
for e in [
    "2025-09-02T08:14:03.508102Z\tinfo\tcni\tAdded pod to mesh\n",
    "2025-09-02T08:14:03Z 2025-09-02T08:14:03.5Z\terror\tcni-plugin\tfailed\n",
    "{\"level\":\"error\",\"time\":\"2025-09-02T08:14:03Z\",\"msg\":\"x\",\"fields\":{\"a\":1}}\n",
    "2025-09-02T08:14:03Z {\"level\":\"warn\",\"msg\":\"" + "x" * 5000 + "\"}\n",
    "{\"msg\":\n{\"msg\":null}\n{\"msg\":[1,2]}\n{\"time\":12}\n[]\n\"str\"\n",
    "9999-99-99T99:99:99Z\twarn\txds\tno\n",
    "\t\t\t\n \n\r\n",
    "2025-09-02T08:14:03Z\xff\xfe\tinfo\n",
    "{" * 3000 + "\n",
    "[" * 3000 + "\n",
]:
    add("fuzz_log_scan", e.encode("utf-8", "surrogateescape"), edge=True)

# ---- RFC3339 ------------------------------------------------------------------------------
for e in ["2025-09-02T08:14:03Z", "2025-09-02T08:14:03.508102Z", "2025-09-02T10:14:03+02:00",
          "2025-09-02t08:14:03z", "2025-09-02T08:14:03.1234567890123Z", "0000-01-01T00:00:00Z",
          "9999-12-31T23:59:59.999999Z", "1970-01-01T00:00:00-23:59", "2024-02-29T00:00:00Z",
          "2023-02-29T00:00:00Z", "2025-13-01T00:00:00Z", "2025-09-02T24:00:00Z",
          "2025-09-02T23:59:60Z", "2025-09-02T08:14:03", "2025-09-02", "2025-09-02T08:14:03+25:00",
          "+2025-09-02T08:14:03Z", "2025-09-02T08:14:03.Z", "2025-09-02 08:14:03Z",
          "99999999999-01-01T00:00:00Z", "2025-09-02T08:14:03.999999999999999999999Z",
          "-001-01-01T00:00:00Z", "2025-09-02T08:14:03Z\x00", "2025-9-2T8:14:3Z"]:
    add("fuzz_rfc3339", e, edge=True)

# ---- kubeconfig --------------------------------------------------------------------------
KC = """apiVersion: v1
kind: Config
current-context: admin
clusters:
- name: c1
  cluster:
    server: https://api.example:6443
    insecure-skip-tls-verify: true
- name: c2
  cluster:
    server: https://[::1]:6443
    certificate-authority-data: LS0tLS1CRUdJTg==
    tls-server-name: api
users:
- name: u1
  user:
    token: sha256~abc
- name: u2
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: oc-login-helper
      args: [get-token, --x]
      env: [{name: A, value: b}]
- name: u3
  user:
    username: admin
    password: 12345
    client-certificate: rel/cert.pem
    client-key: /abs/key.pem
contexts:
- name: admin
  context: {cluster: c1, user: u1, namespace: istio-system}
- name: dev
  context: {cluster: c2, user: u2}
- name: basic
  context: {cluster: c1, user: u3}
"""
for e in [KC, KC.replace("current-context: admin", "current-context: missing"),
          KC.replace("user: u2}", "user: nobody}"), KC[: len(KC) // 2],
          json.dumps({"apiVersion": "v1", "kind": "Config", "current-context": "dev",
                      "clusters": [{"name": "c", "cluster": {"server": "https://h"}}],
                      "users": [{"name": "u", "user": {"token": 5}}],
                      "contexts": [{"name": "dev", "context": {"cluster": "c", "user": "u"}}]}),
          "clusters: 5\nusers: {a: b}\ncontexts: [1, [2], null]\ncurrent-context: [x]\n",
          "contexts:\n- name: dev\n  context: {cluster: ~, user: ~}\n",
          "current-context: dev\ncontexts:\n- name: dev\n  context: {cluster: c, user: u}\nclusters:\n- name: c\n  cluster: {server: 1e999}\nusers:\n- name: u\n  user: {exec: {command: ''}}\n",
          "a: &x [*x]\n", "a: &a [&b [&c [*a]]]\n", "!!binary AAAA\n", "%YAML 1.1\n---\n...\n---\n",
          "key: " + "[" * 2000 + "\n", "key: " + "{a: " * 1000 + "\n", "\t- x\n", "? [a]\n: b\n"]:
    add("fuzz_kubeconfig", e, edge=True)

# ---- YAML bundles and JSON objects -------------------------------------------------------
yamls = [p for p in bundle_files("*.yaml") if p.stat().st_size <= MAX_FILE]
jsons = [p for p in bundle_files("*.json") if p.stat().st_size <= MAX_FILE]
ref_docs = ref_files("*.yaml") + ref_files("*.json")
for p in sample(yamls, MAX_PER_TARGET) + sample(jsons, 10) + ref_docs:
    add("fuzz_yaml_stream", p.read_bytes())
YAML_EDGE = [
    "---\n---\n...\n", "apiVersion: v1\nkind: List\nitems:\n- {kind: Pod, apiVersion: v1, metadata: {name: p}}\n- 5\n- [1]\n",
    "kind: List\nitems: 7\n", "kind: PodList\nitems: []\n", "a: &x [*x]\n", "a: &a [&b [&c [*a]]]\n",
    "b: &anchor {k: v}\nc: *anchor\nd: *undefined\n", "x: !!binary aGVsbG8=\ny: !custom tag\n",
    "- " * 500 + "x\n", "[" * 3000, "{" * 3000, "a:\n" + "".join(" " * i + "a:\n" for i in range(1, 400)),
    "n: 123456789012345678901234567890\nf: 1e999\ng: -.inf\nh: .nan\no: 0o777\nx: 0x7fffffffffffffffff\n",
    "t: yes\nu: on\nv: ~\nw: null\nz: 2025-09-02T08:14:03Z\n",
    "enableUserWorkload: true\n", "enableUserWorkload: \"true\"\n", "enableUserWorkload: [true]\n",
    "? complex\n: key\n? [a, b]\n: c\n", "a: 'unterminated\n", "a: \"\\xff\\uD800\"\n",
    "\ufeffapiVersion: v1\n", "%YAML 1.2\n%TAG ! tag:x,2000:\n--- !foo\na: b\n",
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}\n{\"x\":1}\n",
    "a: |\n  literal\n  block\nb: >-\n  folded\n", "a:\tb\n", "\x00: \x01\n",
]
for e in YAML_EDGE:
    add("fuzz_yaml_stream", e.encode("utf-8", "surrogateescape"), edge=True)

# ---- lint: the rendered manifests and value files of tests/lint/ --------------------------
for p in sorted((ROOT / "tests/lint").rglob("*")):
    if p.is_file() and p.suffix in (".yaml", ".yml", ".json") and p.stat().st_size <= MAX_FILE:
        add("fuzz_lint", p.read_bytes())
for e in YAML_EDGE:
    add("fuzz_lint", e.encode("utf-8", "surrogateescape"), edge=True)
for e in ["metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: '99999999999999999999'\n",
          "kind: IstioCNI\nmetadata: {name: default}\nspec: {profile: [ambient]}\n",
          "clusterGroup:\n  subscriptions:\n    mesh: {name: servicemeshoperator3, channel: [x]}\n",
          "kind: Gateway\nspec:\n  listeners: {name: mesh}\n", "kind: Namespace\nmetadata: 5\n"]:
    add("fuzz_lint", e, edge=True)

# Objects for add_object: every document of the bundle YAML/JSON, as JSON.
try:
    import yaml
except ImportError:
    yaml = None
objects = []
if yaml is not None:
    class Loader(yaml.SafeLoader):
        pass
    # Timestamps stay strings (as libfyaml's typing in meshdoctor keeps them).
    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda l, n: l.construct_scalar(n))
    for p in yamls + [p for p in ref_docs if p.suffix == ".yaml"]:
        try:
            for doc in yaml.load_all(p.read_text(), Loader=Loader):
                items = doc.get("items") if isinstance(doc, dict) and isinstance(doc.get("items"), list) else [doc]
                objects.extend(o for o in items if isinstance(o, dict))
        except Exception:
            pass
for p in jsons + [p for p in ref_docs if p.suffix == ".json"]:
    try:
        doc = json.loads(p.read_text())
        items = doc.get("items") if isinstance(doc, dict) and isinstance(doc.get("items"), list) else [doc]
        objects.extend(o for o in items if isinstance(o, dict))
    except Exception:
        pass
by_kind = {}
for o in objects:
    by_kind.setdefault((str(o.get("apiVersion")), str(o.get("kind"))), []).append(o)
for key in sorted(by_kind):  # a few of every kind seen
    for o in sample(by_kind[key], 4):
        add("fuzz_extract", json.dumps(o, indent=1, default=str))
for e in [
    "{}", "[]", "null", "1", "\"Pod\"", "{\"kind\":5,\"apiVersion\":[]}",
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":7}}",
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"n\"},\"spec\":\"x\",\"status\":[1]}",
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"annotations\":{\"ambient.istio.io/redirection\":\"enabled\"},\"labels\":null,\"ownerReferences\":[{\"kind\":\"DaemonSet\",\"name\":\"ztunnel\"},5]},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"9999-99-99T00:00:00Z\"}],\"containerStatuses\":[{\"restartCount\":1e300,\"state\":{\"running\":{\"startedAt\":12}}}]}}",
    "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{\"name\":\"d\"},\"status\":{\"desiredNumberScheduled\":-9223372036854775809,\"numberReady\":18446744073709551616,\"numberAvailable\":1.5}}",
    "{\"apiVersion\":\"sailoperator.io/v1\",\"kind\":\"Istio\",\"metadata\":{\"name\":\"default\"},\"spec\":{\"version\":\"\",\"values\":{\"pilot\":{\"env\":{\"A\":true}}}},\"status\":{\"conditions\":\"x\"}}",
    "{\"apiVersion\":\"operators.coreos.com/v1alpha1\",\"kind\":\"Subscription\",\"metadata\":{\"name\":\"s\"},\"spec\":{\"channel\":null},\"status\":{\"currentCSV\":{},\"conditions\":[null,{}]}}",
    "{\"metadata\":{\"name\":\"\\u0000\\ud83d\\ude00\"}}",
    "{\"a\":" * 2000 + "1" + "}" * 2000, "[" * 5000 + "]" * 5000, "{\"a\":" * 100000,
    "{\"metadata\":{\"name\":\"n\"},\"x\":1e400}", "{\"metadata\":{\"name\":\"n\"},\"x\":-0.0}",
    "{\"metadata\":{\"name\":\"n\",\"creationTimestamp\":\"2025-09-02T08:14:03+99:99\"}}",
]:
    add("fuzz_extract", e, edge=True)

# ---- plan file -----------------------------------------------------------------------------
entry = {"kind": "Deployment", "namespace": "bookinfo", "name": "reviews-v1", "uid": "u-1",
         "resourceVersion": "123", "apiPath": "/apis/apps/v1/namespaces/bookinfo/deployments/reviews-v1",
         "command": "oc -n bookinfo rollout restart deployment/reviews-v1", "action": "restart",
         "guard": "", "reason": "pods started before ztunnel was ready", "checks": ["MD504"],
         "pods": [{"namespace": "bookinfo", "name": "reviews-v1-abc", "node": "n1", "check": "MD504",
                   "ztunnelPod": "ztunnel-4xk2p", "podStart": "2025-09-02T08:14:03Z",
                   "ztunnelReadyAt": "2025-09-02T08:15:03.5Z", "detail": "x"}]}
plan = {"schemaVersion": "meshdoctor/restart-plan/v1", "createdAt": "2026-11-20T12:30:00Z",
        "cluster": {"server": "https://api.x:6443", "context": "admin/api-x"}, "maxRestarts": 2,
        "entries": [entry,
                    dict(entry, action="delete", kind="Pod", name="p", apiPath="/api/v1/namespaces/b/pods/p"),
                    dict(entry, action="skip", guard="paused"), dict(entry, action="defer", guard="budget")]}
add("fuzz_plan_file", json.dumps(plan, indent=2) + "\n", edge=True)
for mutate in [lambda d: d.pop("schemaVersion"), lambda d: d.update(maxRestarts=-1),
               lambda d: d.update(maxRestarts=1e300), lambda d: d.update(maxRestarts=18446744073709551615),
               lambda d: d.update(entries={}), lambda d: d.update(cluster=[]),
               lambda d: d.update(createdAt="soon"), lambda d: d["entries"][0].update(action="reboot"),
               lambda d: d["entries"][0].pop("resourceVersion"), lambda d: d["entries"][1].pop("uid"),
               lambda d: d["entries"][0].update(pods=[1, None, {"podStart": 5}]),
               lambda d: d["entries"][0].update(checks="MD504"), lambda d: d.update(entries=[None, 1, "x"])]:
    d = json.loads(json.dumps(plan))
    mutate(d)
    add("fuzz_plan_file", json.dumps(d), edge=True)
for e in ["{\n  \"schemaVersion\": \"meshdoctor/restart-plan/v1\",\n  \"entries\": [,]\n}", "[1, 2]", "{}"]:
    add("fuzz_plan_file", e, edge=True)

# ---- state ConfigMap ---------------------------------------------------------------------
cm = {"apiVersion": "v1", "kind": "ConfigMap",
      "metadata": {"name": "meshdoctor-state", "namespace": "istio-system", "resourceVersion": "42"},
      "data": {"fingerprint": "0123abcd", "failing": "MD101,MD504", "postedAt": "2026-11-20T12:30:00Z",
               "kind": "report"}}
add("fuzz_state_configmap", json.dumps(cm), edge=True)
for mutate in [lambda d: d["data"].update(failing=""), lambda d: d["data"].update(failing=" , ,MD1,,"),
               lambda d: d["data"].update(fingerprint=""), lambda d: d["data"].update(fingerprint=5),
               # metadata="x" throws out of parse_state_configmap: kept in
               # tests/fuzz/regressions/fuzz_state_configmap/, not replayed (see README).
               lambda d: d.update(data=[]),
               lambda d: d["metadata"].update(resourceVersion=42), lambda d: d.pop("data")]:
    d = json.loads(json.dumps(cm))
    mutate(d)
    add("fuzz_state_configmap", json.dumps(d), edge=True)

# ---- write ---------------------------------------------------------------------------------
for target in TARGETS:
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    for old in d.iterdir():
        old.unlink()
    edge, real = corpus.get(target, ({}, {}))
    keep = dict(edge)
    for h in sorted(real)[: MAX_PER_TARGET * 2]:
        keep[h] = real[h]
    for h, data in keep.items():
        (d / h).write_bytes(data)
    print("%-22s %4d files %8d bytes" % (target, len(keep), sum(len(v) for v in keep.values())))
