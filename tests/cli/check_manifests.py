#!/usr/bin/env python3
"""Structural checks of deploy/ for tests/cli/test_deploy_manifests.sh.

usage: check_manifests.py SOURCE_DIR RENDERED_YAML|-

RENDERED_YAML is `kubectl kustomize SOURCE_DIR/deploy`; with "-" (no kubectl) the files that
deploy/kustomization.yaml lists are read as they are. Prints one "FAIL: ..." line per problem and
exits 1 if there was any; needs PyYAML (exit 125 without it).
"""
import json
import os
import re
import sys

try:
    import yaml
except ImportError:
    print("SKIP: PyYAML is not installed (Debian: python3-yaml)", file=sys.stderr)
    sys.exit(125)

SRC = sys.argv[1]
RENDERED = sys.argv[2]
DEPLOY = os.path.join(SRC, "deploy")
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def read(path):
    with open(os.path.join(SRC, path), encoding="utf-8") as f:
        return f.read()


# The metrics meshdoctor exports; rules and dashboards may use these and nothing else.
METRICS = {
    "meshdoctor_check_status", "meshdoctor_root_cause", "meshdoctor_ambient_pods",
    "meshdoctor_ztunnel_ready_pods", "meshdoctor_ztunnel_desired_pods",
    "meshdoctor_last_run_timestamp_seconds", "meshdoctor_run_duration_seconds",
    "meshdoctor_run_errors_total", "meshdoctor_runs_total", "meshdoctor_api_requests_last_run",
    "meshdoctor_remediations_total", "meshdoctor_build_info", "meshdoctor_ztunnel_socket_state",
}
WRITE_VERBS = {"create", "update", "patch", "delete", "deletecollection", "escalate", "bind",
               "impersonate", "*"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "SecurityContextConstraints"}
NS = "meshdoctor"

# ---- (a) every YAML file under deploy/ parses; the dashboard JSON parses ----
yaml_files, json_files = [], []
for root, _, names in os.walk(DEPLOY):
    for n in names:
        p = os.path.join(root, n)
        if n.endswith((".yaml", ".yml")):
            yaml_files.append(p)
        elif n.endswith(".json"):
            json_files.append(p)
if len(yaml_files) < 5:
    fail(f"only {len(yaml_files)} YAML files under deploy/")
for p in sorted(yaml_files):
    try:
        docs = [d for d in yaml.safe_load_all(open(p, encoding="utf-8")) if d is not None]
        if not docs:
            fail(f"{p}: no YAML document")
    except yaml.YAMLError as e:
        fail(f"{p}: does not parse as YAML: {e}")
dashboards = {}
for p in sorted(json_files):
    try:
        dashboards[p] = json.load(open(p, encoding="utf-8"))
    except ValueError as e:
        fail(f"{p}: does not parse as JSON: {e}")
dashboard_path = os.path.join(DEPLOY, "grafana", "meshdoctor-dashboard.json")
if dashboard_path not in dashboards:
    fail("deploy/grafana/meshdoctor-dashboard.json is missing or unreadable")

# ---- the objects: rendered by kustomize, or the listed files as they are ----
kustomization = yaml.safe_load(read("deploy/kustomization.yaml"))
if RENDERED == "-":
    objects = []
    for r in kustomization.get("resources", []):
        objects += [d for d in yaml.safe_load_all(open(os.path.join(DEPLOY, r), encoding="utf-8")) if d]
    rendered = False
else:
    objects = [d for d in yaml.safe_load_all(open(RENDERED, encoding="utf-8")) if d]
    rendered = True


def key(o):
    return (o.get("kind"), o.get("metadata", {}).get("name"))


by_key = {}
for o in objects:
    if key(o) in by_key:
        fail(f"{key(o)[0]} {key(o)[1]} is defined twice")
    by_key[key(o)] = o


def obj(kind, name):
    o = by_key.get((kind, name))
    if o is None:
        fail(f"no {kind} {name} in the manifests")
        return {}
    return o


# ---- (b) the expected kinds and names, in the right namespaces ----
expected = {
    ("Namespace", "meshdoctor"),
    ("ServiceAccount", "meshdoctor"), ("ServiceAccount", "meshdoctor-node"),
    ("ClusterRole", "meshdoctor-readonly"), ("ClusterRoleBinding", "meshdoctor-readonly"),
    ("ClusterRole", "meshdoctor-watch"), ("ClusterRoleBinding", "meshdoctor-watch"),
    ("ClusterRoleBinding", "meshdoctor-monitoring-view"),
    ("ClusterRoleBinding", "meshdoctor-node-readonly"),
    ("ClusterRole", "meshdoctor-restart"), ("ClusterRole", "meshdoctor-restart-bare-pods"),
    ("Role", "meshdoctor-report-state"), ("RoleBinding", "meshdoctor-report-state"),
    ("Role", "meshdoctor-node-scc"), ("RoleBinding", "meshdoctor-node-scc"),
    ("SecurityContextConstraints", "meshdoctor-node"),
    ("CronJob", "meshdoctor-report"),
    ("Deployment", "meshdoctor"), ("Service", "meshdoctor"), ("ServiceMonitor", "meshdoctor"),
    ("DaemonSet", "meshdoctor-node"), ("PodMonitor", "meshdoctor-node"),
    ("PrometheusRule", "meshdoctor"),
}
if rendered:
    expected.add(("ConfigMap", "meshdoctor-dashboard"))
for k in sorted(expected - set(by_key)):
    fail(f"rendered manifests lack {k[0]} {k[1]}")
for k in sorted(set(by_key) - expected):
    fail(f"unexpected object {k[0]} {k[1]} (add it to the expected list if intended)")
for o in objects:
    ns = o.get("metadata", {}).get("namespace")
    kind, name = key(o)
    if kind in CLUSTER_SCOPED and ns:
        fail(f"cluster-scoped {kind} {name} carries namespace {ns}")
    if kind not in CLUSTER_SCOPED and ns != NS:
        fail(f"{kind} {name} is in namespace {ns!r}, expected {NS}")

# ---- workloads: pod templates and containers ----
WORKLOADS = {("CronJob", "meshdoctor-report"), ("Deployment", "meshdoctor"),
             ("DaemonSet", "meshdoctor-node")}


def pod_spec(o):
    if o.get("kind") == "CronJob":
        return o["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return o.get("spec", {}).get("template", {}).get("spec", {})


def containers(spec):
    return spec.get("initContainers", []) + spec.get("containers", [])


images = kustomization.get("images", [])
if len(images) != 1:
    fail(f"kustomization.yaml should set the image once (images: has {len(images)} entries)")
elif rendered:
    want = f"{images[0].get('newName', images[0]['name'])}:{images[0]['newTag']}"
    for k in WORKLOADS:
        for c in containers(pod_spec(obj(*k))):
            if c.get("image") != want:
                fail(f"{k[0]} {k[1]} container {c.get('name')} image {c.get('image')}, expected {want}")


def args_of(k):
    cs = pod_spec(obj(*k)).get("containers", [])
    return cs[0].get("args", []) if cs else []


def has_sequence(args, seq):
    return any(args[i:i + len(seq)] == seq for i in range(len(args)))


# CronJob: the report every 15 minutes, one at a time, bounded, webhook URL from an optional Secret.
cj = obj("CronJob", "meshdoctor-report")
if cj:
    s = cj["spec"]
    if s.get("schedule") != "*/15 * * * *":
        fail(f"CronJob schedule {s.get('schedule')!r}, expected every 15 minutes")
    if s.get("concurrencyPolicy") != "Forbid":
        fail("CronJob concurrencyPolicy is not Forbid")
    for f in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        if not isinstance(s.get(f), int):
            fail(f"CronJob has no {f}")
    deadline = s["jobTemplate"]["spec"].get("activeDeadlineSeconds")
    if not isinstance(deadline, int) or not 0 < deadline < 900:
        fail(f"CronJob activeDeadlineSeconds {deadline!r}: must be set and shorter than the 15 min period")
    a = args_of(("CronJob", "meshdoctor-report"))
    for seq in (["check"], ["--post-on", "change"], ["--post-url-file", "/etc/meshdoctor/webhook/url"],
                ["--state-configmap", "meshdoctor/meshdoctor-report-state"], ["--exit-zero"]):
        if not has_sequence(a, seq):
            fail(f"CronJob args {a} lack {' '.join(seq)}")
    if a[:1] != ["check"]:
        fail(f"CronJob args must start with check: {a}")
    spec = pod_spec(cj)
    if spec.get("serviceAccountName") != "meshdoctor":
        fail("CronJob does not run as ServiceAccount meshdoctor")
    secret_vols = [v for v in spec.get("volumes", []) if "secret" in v]
    ok = False
    for v in secret_vols:
        sec = v["secret"]
        keys = [i.get("key") for i in sec.get("items", [])] or ["url"]
        mounts = [m for c in spec["containers"] for m in c.get("volumeMounts", []) if m["name"] == v["name"]]
        if (sec.get("secretName") == "meshdoctor-webhook" and sec.get("optional") is True and "url" in keys
                and any(m["mountPath"] == "/etc/meshdoctor/webhook" and m.get("readOnly") for m in mounts)):
            ok = True
    if not ok:
        fail("CronJob must mount Secret meshdoctor-webhook (key url, optional: true) read-only at /etc/meshdoctor/webhook")

# Deployment: the daemon, probed, with resources.
dep = obj("Deployment", "meshdoctor")
if dep:
    a = args_of(("Deployment", "meshdoctor"))
    if a[:5] != ["serve", "--listen", ":9090", "--interval", "60s"]:
        fail(f"Deployment args {a}: expected serve --listen :9090 --interval 60s")
    if "--watch" not in a:
        fail(f"Deployment args {a}: expected --watch (the daemon keeps its lists current from watches)")
    c = pod_spec(dep)["containers"][0]
    if c.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/readyz":
        fail("Deployment readinessProbe is not GET /readyz")
    if c.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/healthz":
        fail("Deployment livenessProbe is not GET /healthz")
    if not any(p.get("containerPort") == 9090 and p.get("name") == "metrics" for p in c.get("ports", [])):
        fail("Deployment container does not expose containerPort 9090 named metrics")
for k in WORKLOADS:
    for c in containers(pod_spec(obj(*k))):
        r = c.get("resources", {})
        if not r.get("requests") or not r.get("limits") or "memory" not in r.get("limits", {}):
            fail(f"{k[0]} {k[1]} container {c.get('name')} lacks resource requests or a memory limit")

svc = obj("Service", "meshdoctor")
if svc and not any(p.get("port") == 9090 and p.get("name") == "metrics" for p in svc["spec"].get("ports", [])):
    fail("Service meshdoctor has no port 9090 named metrics")
sm = obj("ServiceMonitor", "meshdoctor")
if sm:
    if sm.get("apiVersion") != "monitoring.coreos.com/v1":
        fail(f"ServiceMonitor apiVersion {sm.get('apiVersion')}")
    eps = sm["spec"].get("endpoints", [])
    if not any(e.get("port") == "metrics" and e.get("interval") == "60s" for e in eps):
        fail("ServiceMonitor has no endpoint port metrics with interval 60s")
    sel = sm["spec"].get("selector", {}).get("matchLabels", {})
    if svc and not sel.items() <= svc["metadata"].get("labels", {}).items():
        fail("ServiceMonitor selector does not match Service meshdoctor's labels")
    if dep and svc and not svc["spec"]["selector"].items() <= dep["spec"]["template"]["metadata"]["labels"].items():
        fail("Service meshdoctor does not select the Deployment's pods")

# DaemonSet: the socket probe on every node.
ds = obj("DaemonSet", "meshdoctor-node")
ds_text = read("deploy/node/daemonset.yaml")
if ds:
    a = args_of(("DaemonSet", "meshdoctor-node"))
    if not (a[:1] == ["serve"] and "--node-local" in a and has_sequence(a, ["--listen", ":9091"])):
        fail(f"DaemonSet args {a}: expected serve --node-local --listen :9091")
    spec = pod_spec(ds)
    if spec.get("serviceAccountName") != "meshdoctor-node":
        fail("DaemonSet does not run as ServiceAccount meshdoctor-node")
    for f in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(f):
            fail(f"DaemonSet sets {f}")
    effects = {t.get("effect") for t in spec.get("tolerations", []) if t.get("operator") == "Exists" and not t.get("key")}
    if not {"NoSchedule", "NoExecute"} <= effects:
        fail("DaemonSet does not tolerate every NoSchedule and NoExecute taint (as ztunnel does)")
    host_vols = {v["name"]: v["hostPath"] for v in spec.get("volumes", []) if "hostPath" in v}
    if [h.get("path") for h in host_vols.values()] != ["/var/run/ztunnel"]:
        fail(f"DaemonSet hostPath volumes {host_vols}: exactly /var/run/ztunnel expected")
    for c in containers(spec):
        for m in c.get("volumeMounts", []):
            if m["name"] in host_vols and not (m.get("readOnly") is True and m["mountPath"] == "/var/run/ztunnel"):
                fail(f"DaemonSet mounts hostPath {m['name']} at {m['mountPath']} without readOnly: true")
    for word in ("SCC", "hostPath", "SOCK_SEQPACKET", "runAsUser", "SELinux"):
        if word not in ds_text:
            fail(f"deploy/node/daemonset.yaml's SCC notes do not mention {word}")

# The node SCC: hostPath and nothing privileged; usable by meshdoctor-node only.
scc = obj("SecurityContextConstraints", "meshdoctor-node")
if scc:
    if scc.get("apiVersion") != "security.openshift.io/v1":
        fail(f"SCC apiVersion {scc.get('apiVersion')}")
    want = {"allowHostDirVolumePlugin": True, "allowPrivilegedContainer": False,
            "allowPrivilegeEscalation": False, "allowHostNetwork": False, "allowHostPID": False,
            "allowHostIPC": False, "allowHostPorts": False, "readOnlyRootFilesystem": True}
    for f, v in want.items():
        if scc.get(f) is not v:
            fail(f"SCC meshdoctor-node {f} is {scc.get(f)!r}, expected {v}")
    if scc.get("requiredDropCapabilities") != ["ALL"] or scc.get("allowedCapabilities"):
        fail("SCC meshdoctor-node must drop ALL capabilities and allow none")
    if scc.get("users") or scc.get("groups"):
        fail("SCC meshdoctor-node grants itself to users/groups; use RBAC `use` instead")
    extra = set(scc.get("volumes", [])) - {"hostPath", "emptyDir", "projected", "configMap", "secret", "downwardAPI"}
    if extra or "hostPath" not in scc.get("volumes", []):
        fail(f"SCC meshdoctor-node volumes {scc.get('volumes')}: hostPath plus restricted-v2's only")
    if ds:
        uid = pod_spec(ds).get("securityContext", {}).get("runAsUser")
        ru = scc.get("runAsUser", {})
        if ru.get("type") != "MustRunAs" or ru.get("uid") != uid:
            fail(f"SCC runAsUser {ru} does not pin the DaemonSet's runAsUser {uid}")
role = obj("Role", "meshdoctor-node-scc")
if role and role.get("rules") != [{"apiGroups": ["security.openshift.io"], "resources": ["securitycontextconstraints"],
                                   "resourceNames": ["meshdoctor-node"], "verbs": ["use"]}]:
    fail(f"Role meshdoctor-node-scc must grant only `use` of SCC meshdoctor-node: {role.get('rules')}")

# ---- (c) the read-only ClusterRole: derived from the probe sources, and nothing else ----


def derive_reads():
    """(group, resource, verb, name or None) that a live check requests, read from probe/."""
    d = set()
    res = read("probe/live_resources.cpp")
    for g, r in re.findall(r'list_of\("([^"]*)",\s*"[^"]*",\s*"([^"]+)"', res):
        d.add((g, r, "list", None))
    for g, r, name in re.findall(r'object_of\("([^"]*)",\s*"[^"]*",\s*"([^"]+)",\s*"[^"]*",\s*"([^"]*)"\)', res):
        if name:
            d.add((g, r, "get", name))
        elif r == "customresourcedefinitions":
            m = re.search(r'for \(const char\* crd : \{([^}]*)\}\)', res)
            suffix = re.search(r'std::string\(crd\) \+ "([^"]+)"', res)
            if not m or not suffix:
                fail("cannot find the CRD names in probe/live_resources.cpp; update check_manifests.py")
                continue
            for crd in re.findall(r'"([^"]+)"', m.group(1)):
                d.add((g, r, "get", crd + suffix.group(1)))
        else:
            fail(f"probe/live_resources.cpp gets {r} without a name; update check_manifests.py")
    for g, r in re.findall(r't\.resource = \{"([^"]*)", "([^"]+)", (?:true|false)\}', res):
        d.add((g, r, "list", None))
    work = read("probe/live_workloads.cpp")
    for g, r in re.findall(r'namespaced\("([^"]*)",\s*"([^"]+)"', work):
        d.add((g, r, "list", None))
    if re.search(r'"/pods/"\s*\+[^;]*"/log\?', read("probe/live_logs.cpp")):
        d.add(("", "pods/log", "get", None))
    else:
        fail("cannot find the pods/log request in probe/live_logs.cpp; update check_manifests.py")
    extras = read("probe/live_extras.cpp")
    if '"/pods/"' in extras and re.search(r'"\d+/proxy/', extras):
        d.add(("", "pods/proxy", "get", None))
    else:
        fail("cannot find the pods/proxy requests in probe/live_extras.cpp; update check_manifests.py")
    for _ns, name in re.findall(r'/namespaces/([^/"]+)/services/([^/"]+)/proxy', read("probe/prometheus.cpp")):
        d.add(("", "services/proxy", "get", name))
    return d


derived = derive_reads()
for must in (("", "namespaces", "list", None), ("", "pods", "list", None), ("", "pods/log", "get", None),
             ("sailoperator.io", "istiocnis", "list", None),
             ("", "services/proxy", "get", "https:thanos-querier:9091")):
    if must not in derived:
        fail(f"deriving the reads from probe/ no longer finds {must}; update check_manifests.py")

ro = obj("ClusterRole", "meshdoctor-readonly")
granted = set()
for rule in ro.get("rules", []):
    for field in ("apiGroups", "resources", "verbs", "resourceNames"):
        if "*" in rule.get(field, []):
            fail(f"meshdoctor-readonly uses a wildcard in {field}: {rule}")
    if rule.get("nonResourceURLs"):
        fail(f"meshdoctor-readonly grants nonResourceURLs: {rule}")
    for v in rule.get("verbs", []):
        if v in WRITE_VERBS:
            fail(f"meshdoctor-readonly grants write verb {v!r} on {rule.get('resources')}")
        elif v not in ("get", "list"):
            fail(f"meshdoctor-readonly grants {v!r} on {rule.get('resources')}; the collector only gets and lists")
    for r in rule.get("resources", []):
        if r.split("/")[0] == "secrets":
            fail(f"meshdoctor-readonly grants access to {r}")
    for g in rule.get("apiGroups", []):
        for r in rule.get("resources", []):
            for v in rule.get("verbs", []):
                for n in rule.get("resourceNames") or [None]:
                    granted.add((g, r, v, n))


def show(t):
    g, r, v, n = t
    return f"{v} {r}{'.' + g if g else ''}" + (f" {n}" if n else "")


for t in sorted(derived, key=str):
    if t not in granted and (t[0], t[1], t[2], None) not in granted:
        fail(f"meshdoctor-readonly lacks `{show(t)}`, which a live check requests (probe/)")
for t in sorted(granted, key=str):
    needed = t in derived if t[3] else any(d[:3] == t[:3] and d[3] is None for d in derived)
    if not needed:
        named = sorted(d[3] for d in derived if d[:3] == t[:3] and d[3])
        extra = f" (the sources read only {', '.join(named)})" if named else ""
        fail(f"meshdoctor-readonly grants `{show(t)}`, which no live check requests{extra}")

# The watch ClusterRole (serve --watch): `watch` on every collection a run lists, `list` and
# `watch` by name on every object it gets by name; nothing else.
watch_role = obj("ClusterRole", "meshdoctor-watch")
watch_granted = set()
for rule in watch_role.get("rules", []):
    for g in rule.get("apiGroups", []):
        for r in rule.get("resources", []):
            for v in rule.get("verbs", []):
                for n in rule.get("resourceNames") or [None]:
                    watch_granted.add((g, r, v, n))
watch_wanted = set()
for g, r, v, n in derived:
    if "/" in r:
        continue  # subresources (pods/log, pods/proxy, services/proxy) are not watched
    if v == "list":
        watch_wanted.add((g, r, "watch", None))
    elif v == "get" and n:
        watch_wanted |= {(g, r, "list", n), (g, r, "watch", n)}
if watch_role:
    for t in sorted(watch_wanted - watch_granted, key=str):
        fail(f"meshdoctor-watch lacks `{show(t)}`, which serve --watch requests")
    for t in sorted(watch_granted - watch_wanted, key=str):
        fail(f"meshdoctor-watch grants `{show(t)}`, which serve --watch does not request")
else:
    fail("ClusterRole meshdoctor-watch (deploy/rbac/watch.yaml) is missing")

# Bindings: what is bound, to whom; the restart roles are not bound.
ALLOWED_BINDINGS = {
    ("ClusterRoleBinding", "meshdoctor-readonly"): ("ClusterRole", "meshdoctor-readonly", "meshdoctor"),
    ("ClusterRoleBinding", "meshdoctor-watch"): ("ClusterRole", "meshdoctor-watch", "meshdoctor"),
    ("ClusterRoleBinding", "meshdoctor-node-readonly"): ("ClusterRole", "meshdoctor-readonly", "meshdoctor-node"),
    ("ClusterRoleBinding", "meshdoctor-monitoring-view"): ("ClusterRole", "cluster-monitoring-view", "meshdoctor"),
    ("RoleBinding", "meshdoctor-report-state"): ("Role", "meshdoctor-report-state", "meshdoctor"),
    ("RoleBinding", "meshdoctor-node-scc"): ("Role", "meshdoctor-node-scc", "meshdoctor-node"),
}
for o in objects:
    if o.get("kind") not in ("ClusterRoleBinding", "RoleBinding"):
        continue
    ref = o.get("roleRef", {})
    if ref.get("name", "").startswith("meshdoctor-restart"):
        fail(f"{key(o)[0]} {key(o)[1]} binds {ref.get('name')}; the restart roles must not be bound by default")
    want = ALLOWED_BINDINGS.get(key(o))
    subjects = [(s.get("kind"), s.get("namespace"), s.get("name")) for s in o.get("subjects", [])]
    if not want or (ref.get("kind"), ref.get("name")) != want[:2] or subjects != [("ServiceAccount", NS, want[2])]:
        fail(f"{key(o)[0]} {key(o)[1]} binds {ref.get('kind')} {ref.get('name')} to {subjects}; not an expected binding")

state = obj("Role", "meshdoctor-report-state")
state_rules = sorted((tuple(r.get("apiGroups", [])), tuple(r.get("resources", [])), tuple(sorted(r.get("verbs", []))),
                      tuple(r.get("resourceNames", []))) for r in state.get("rules", []))
want_state = sorted([(("",), ("configmaps",), ("get", "patch"), ("meshdoctor-report-state",)),
                     (("",), ("configmaps",), ("create",), ())])
if state and state_rules != want_state:
    fail(f"Role meshdoctor-report-state rules {state_rules}, expected {want_state}")

# ---- (d) the restart ClusterRoles: exactly the documented verbs ----


def rule_set(o):
    return {(g, r, v) for rule in o.get("rules", []) for g in rule.get("apiGroups", [])
            for r in rule.get("resources", []) for v in rule.get("verbs", [])}


restart_want = {("apps", "replicasets", "get"), ("", "namespaces", "get"),
                ("apps", "deployments", "get"), ("apps", "deployments", "patch"),
                ("apps", "statefulsets", "get"), ("apps", "statefulsets", "patch"),
                ("apps", "daemonsets", "get"), ("apps", "daemonsets", "patch"),
                ("", "events", "create"), ("", "pods", "list")}
restart = obj("ClusterRole", "meshdoctor-restart")
if restart:
    got = rule_set(restart)
    for t in sorted(got - restart_want):
        fail(f"meshdoctor-restart grants undocumented {t[2]} {t[1]} (group {t[0]!r})")
    for t in sorted(restart_want - got):
        fail(f"meshdoctor-restart lacks documented {t[2]} {t[1]} (group {t[0]!r})")
bare = obj("ClusterRole", "meshdoctor-restart-bare-pods")
if bare and rule_set(bare) != {("", "pods", "delete")}:
    fail(f"meshdoctor-restart-bare-pods must grant only delete pods: {sorted(rule_set(bare))}")

# ---- (e) Containerfile: multi-stage, Debian bookworm, final USER non-root ----
cf = read("deploy/Containerfile")
lines = [l.strip() for l in cf.splitlines() if l.strip() and not l.strip().startswith("#")]
froms = [l for l in lines if l.upper().startswith("FROM ")]
if len(froms) < 2:
    fail(f"Containerfile is not multi-stage ({len(froms)} FROM line(s))")
for f in froms:
    if "debian:bookworm-slim" not in f:
        fail(f"Containerfile stage not on debian:bookworm-slim: {f}")
if froms and " AS " not in froms[0].upper():
    fail("Containerfile's build stage is not named (FROM … AS build)")
final = lines[lines.index(froms[-1]):] if froms else []
users = [l.split(None, 1)[1] for l in final if l.upper().startswith("USER ")]
if not users:
    fail("Containerfile's final stage sets no USER (would run as root)")
else:
    u = users[-1].split(":")[0]
    if u in ("0", "root") or not u.isdigit():
        fail(f"Containerfile's final USER is {users[-1]!r}: must be a numeric non-root UID")
if not any(l.upper().startswith("COPY --FROM=") and "/usr/local/bin/meshdoctor" in l for l in final):
    fail("Containerfile's final stage does not copy /usr/local/bin/meshdoctor from the build stage")
if not any(re.fullmatch(r'ENTRYPOINT \[\s*"(/usr/local/bin/)?meshdoctor"\s*\]', l) for l in final):
    fail("Containerfile's ENTRYPOINT is not [\"meshdoctor\"]")
if "-DMESHDOCTOR_TESTS=OFF" not in cf:
    fail("Containerfile does not build with -DMESHDOCTOR_TESTS=OFF")
if any(re.search(r"-dev\b", l) for l in final):
    fail("Containerfile's final stage installs -dev packages")

# ---- (f) container security: non-root, no escalation, nothing added ----
for k in WORKLOADS:
    o = obj(*k)
    if not o:
        continue
    spec = pod_spec(o)
    psc = spec.get("securityContext", {})
    for c in containers(spec):
        sc = c.get("securityContext", {})
        where = f"{k[0]} {k[1]} container {c.get('name')}"
        if sc.get("allowPrivilegeEscalation") is not False:
            fail(f"{where}: allowPrivilegeEscalation is not false")
        if sc.get("privileged"):
            fail(f"{where}: privileged")
        if sc.get("readOnlyRootFilesystem") is not True:
            fail(f"{where}: readOnlyRootFilesystem is not true")
        caps = sc.get("capabilities", {})
        if caps.get("drop") != ["ALL"] or caps.get("add"):
            fail(f"{where}: capabilities must drop ALL and add none ({caps})")
        seccomp = sc.get("seccompProfile", psc.get("seccompProfile", {})).get("type")
        if seccomp != "RuntimeDefault":
            fail(f"{where}: seccompProfile is {seccomp!r}, expected RuntimeDefault")
        non_root = sc.get("runAsNonRoot", psc.get("runAsNonRoot"))
        uid = sc.get("runAsUser", psc.get("runAsUser"))
        if k == ("DaemonSet", "meshdoctor-node"):
            # Root without capabilities, justified by the SCC notes in deploy/node/daemonset.yaml.
            if uid != 0 or non_root is not False:
                fail(f"{where}: the SCC notes justify runAsUser 0; the pod says runAsUser={uid}, runAsNonRoot={non_root}")
        elif non_root is not True or uid == 0:
            fail(f"{where}: runAsNonRoot is not true (runAsUser {uid})")

# ---- (g) metric names in the PrometheusRule and the dashboard ----
pr = obj("PrometheusRule", "meshdoctor")
rules = [r for g in pr.get("spec", {}).get("groups", []) for r in g.get("rules", [])]
alerts = {r.get("alert"): r for r in rules if r.get("alert")}
for name in ("ZTunnelNotHealthy", "MeshdoctorRootCause", "MeshdoctorRunsFailing"):
    if name not in alerts:
        fail(f"PrometheusRule lacks alert {name}")
if "ZTunnelNotHealthy" in alerts:
    e = alerts["ZTunnelNotHealthy"]
    if e.get("for") != "10m" or not all(m in e["expr"] for m in (
            "meshdoctor_ztunnel_ready_pods", "meshdoctor_ztunnel_desired_pods", 'id="MD402"')):
        fail(f"ZTunnelNotHealthy must compare ready with desired pods or MD402 failing, for 10m: {e}")
if "MeshdoctorRootCause" in alerts:
    e = alerts["MeshdoctorRootCause"]
    ann = e.get("annotations", {})
    if e.get("for") != "5m" or "meshdoctor_root_cause" not in e["expr"]:
        fail(f"MeshdoctorRootCause must alert on meshdoctor_root_cause for 5m: {e}")
    if "{{ $labels.id }}" not in ann.get("summary", "") or not ann.get("description"):
        fail("MeshdoctorRootCause summary must name {{ $labels.id }} and have a description")
    if not re.fullmatch(r"https://\S+#\{\{ \$labels\.id \| toLower \}\}", ann.get("runbook_url", "")):
        fail(f"MeshdoctorRootCause runbook_url {ann.get('runbook_url')!r} is not a per-check anchor")
if "MeshdoctorRunsFailing" in alerts and "increase(meshdoctor_run_errors_total[15m]) > 3" not in alerts["MeshdoctorRunsFailing"]["expr"]:
    fail("MeshdoctorRunsFailing must fire on increase(meshdoctor_run_errors_total[15m]) > 3")
bases = {re.sub(r"#.*", "", a.get("annotations", {}).get("runbook_url", "")) for a in alerts.values()}
if len(bases) != 1 or not next(iter(bases)).startswith("https://"):
    fail(f"alerts' runbook_url must share one catalogue page: {sorted(bases)}")
for a in alerts.values():
    if not a.get("annotations", {}).get("summary") or not a.get("labels", {}).get("severity"):
        fail(f"alert {a.get('alert')} lacks a summary or a severity")

metric_re = re.compile(r"\bmeshdoctor_[a-z0-9_]+")
rule_text = json.dumps(pr.get("spec", {}))
exprs = [t.get("expr", "") for d in dashboards.values() for p in d.get("panels", []) for t in p.get("targets", [])]
for where, text in (("PrometheusRule", rule_text), ("dashboard", "\n".join(exprs))):
    used = set(metric_re.findall(text))
    if not used:
        fail(f"the {where} uses no meshdoctor metric")
    for m in sorted(used - METRICS):
        fail(f"the {where} uses {m}, which meshdoctor does not export")
dash = dashboards.get(dashboard_path, {})
dash_used = set(metric_re.findall("\n".join(exprs)))
for m in ("meshdoctor_check_status", "meshdoctor_root_cause", "meshdoctor_ambient_pods",
          "meshdoctor_ztunnel_ready_pods", "meshdoctor_ztunnel_desired_pods",
          "meshdoctor_run_duration_seconds", "meshdoctor_run_errors_total", "meshdoctor_api_requests_last_run"):
    if m not in dash_used:
        fail(f"the dashboard has no panel on {m}")
if dash and not any(p.get("type") == "table" and "meshdoctor_check_status" in json.dumps(p) for p in dash.get("panels", [])):
    fail("the dashboard shows check statuses, but not as a table")
if rendered:
    cm = obj("ConfigMap", "meshdoctor-dashboard")
    if cm:
        if cm.get("metadata", {}).get("labels", {}).get("grafana_dashboard") != "1":
            fail("ConfigMap meshdoctor-dashboard is not labelled grafana_dashboard: \"1\"")
        try:
            if json.loads(cm.get("data", {}).get("meshdoctor-dashboard.json", "")) != dash:
                fail("ConfigMap meshdoctor-dashboard does not hold deploy/grafana/meshdoctor-dashboard.json")
        except ValueError:
            fail("ConfigMap meshdoctor-dashboard's meshdoctor-dashboard.json is not JSON")

sys.exit(1 if failures else 0)
