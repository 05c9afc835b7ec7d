#!/usr/bin/env python3
"""Writes every meshdoctor scenario bundle (tests/scenarios/<name>/) and examples/demo-bundle.

One healthy OSSM 3.2.1 ambient cluster is built as plain objects; each scenario applies a few
mutations and the result is written in the `oc adm inspect` layout (DESIGN.md §5). Output is
deterministic: run it again and `git diff` shows only what you changed here.

    python3 tests/scenarios/make_fixtures.py            # rewrite all scenarios and the demo bundle
    python3 tests/scenarios/make_fixtures.py healthy    # only the named scenarios

Object shapes and strings come from /work/shared/reference (sample_*.yaml, *_logs.log, *-FACTS.md).
"""
import copy
import datetime as dt
import json
import os
import shutil
import sys
import uuid

sys.dont_write_bytecode = True  # keep __pycache__ out of tests/scenarios
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture_yaml as fy  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

COLLECTED_AT = "2026-11-20T12:30:00Z"
NODES = ["worker-0.ocp.example.com", "worker-1.ocp.example.com", "worker-2.ocp.example.com"]
ISTIO_VERSION = "1.27.3"
UID_NS = uuid.UUID("6f1c2b0e-2f0a-4e8f-9c1d-0b4f2b7a9e11")
MUST_GATHER_IMAGE = "quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-abc"

ALL_IDS = [
    "MD101", "MD102", "MD103", "MD104", "MD105", "MD201", "MD202", "MD203", "MD301", "MD302",
    "MD303", "MD304", "MD305", "MD401", "MD402", "MD403", "MD404", "MD405", "MD501", "MD502",
    "MD503", "MD504", "MD505", "MD601", "MD602", "MD603", "MD604", "MD701", "MD702", "MD703",
    "MD801", "MD802", "MD803", "MD901",
]


# ---- time helpers --------------------------------------------------------------------------

def parse(ts):
    return ts_parse(ts)


def ts_parse(ts):
    """Any RFC3339 form used in the fixtures (fraction, Z or +hh:mm offset) to an aware datetime."""
    return dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))


def at(base, seconds=0.0, micros=False):
    """RFC3339 UTC; with micros=True the log style 2026-11-19T08:00:04.102401Z."""
    t = ts_parse(base).astimezone(dt.timezone.utc) + dt.timedelta(seconds=seconds)
    if micros:
        return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def uid(*parts):
    return str(uuid.uuid5(UID_NS, "/".join(parts)))


def object_uid(kind, ns, name):
    """Distinct per kind: Istio, IstioCNI and ZTunnel are all named `default`."""
    return uid(kind, ns or "", name)


# ---- object builders ---------------------------------------------------------------------------

def meta(name, ns=None, labels=None, annotations=None, created="2026-11-18T10:00:00Z", **extra):
    m = {"name": name, "uid": uid(ns or "", name), "creationTimestamp": created}
    if ns:
        m["namespace"] = ns
    if labels:
        m["labels"] = dict(labels)
    if annotations:
        m["annotations"] = dict(annotations)
    m.update(extra)
    return m


def cond(ctype, status, when, reason=None, message=None):
    c = {"type": ctype, "status": status, "lastTransitionTime": when}
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
    return c


def namespace(name, labels=None, created="2026-11-18T10:00:00Z"):
    lab = {"kubernetes.io/metadata.name": name}
    lab.update(labels or {})
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": meta(name, labels=lab, created=created,
                             annotations={"openshift.io/sa.scc.mcs": "s0:c27,c4",
                                          "openshift.io/sa.scc.uid-range": "1000710000/10000"}),
            "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}


def container_status(name, image, started_at, ready=True, restarts=0, waiting=None, last=None,
                     terminated=None):
    cs = {"name": name, "image": image, "ready": ready, "restartCount": restarts, "started": waiting is None and terminated is None,
          "lastState": last or {}}
    if waiting:
        cs["state"] = {"waiting": waiting}
    elif terminated:
        cs["state"] = {"terminated": terminated}
    else:
        cs["state"] = {"running": {"startedAt": started_at}}
    return cs


def pod(ns, name, node, owner_kind, owner_name, *, created, started_at, ready_at=None,
        labels=None, annotations=None, containers=(("app", "registry.example.com/app:1.0"),),
        restarts=0, waiting=None, last=None, phase="Running", start_time=None, host_network=False,
        ip="10.128.0.10", sa="default", terminated=None, not_ready_since=None):
    """A pod as the API server returns it. ready_at None = not Ready (since not_ready_since)."""
    m = meta(name, ns, labels=labels, annotations=annotations, created=created)
    m["generateName"] = name[: name.rfind("-") + 1]
    m["ownerReferences"] = [{"apiVersion": "batch/v1" if owner_kind == "Job" else "apps/v1",
                             "kind": owner_kind, "name": owner_name, "uid": uid(ns, owner_name),
                             "controller": True, "blockOwnerDeletion": True}]
    spec = {"nodeName": node, "serviceAccountName": sa, "restartPolicy": "Never" if owner_kind == "Job" else "Always",
            "containers": [{"name": c, "image": img} for c, img in containers]}
    if host_network:
        spec["hostNetwork"] = True
    st_time = start_time or created
    ready = ready_at is not None
    if phase == "Succeeded":
        conds = [cond("Initialized", "True", st_time, reason="PodCompleted"),
                 cond("Ready", "False", terminated["finishedAt"], reason="PodCompleted"),
                 cond("ContainersReady", "False", terminated["finishedAt"], reason="PodCompleted"),
                 cond("PodScheduled", "True", created)]
    else:
        nr_when = not_ready_since or started_at
        conds = [cond("Initialized", "True", st_time),
                 cond("Ready", "True", ready_at) if ready else
                 cond("Ready", "False", nr_when, reason="ContainersNotReady",
                      message="containers with unready status: [%s]" % containers[0][0]),
                 cond("ContainersReady", "True", ready_at) if ready else
                 cond("ContainersReady", "False", nr_when, reason="ContainersNotReady",
                      message="containers with unready status: [%s]" % containers[0][0]),
                 cond("PodScheduled", "True", created)]
    statuses = [container_status(c, img, started_at, ready=ready, restarts=restarts, waiting=waiting,
                                 last=last, terminated=terminated) for c, img in containers]
    status = {"phase": phase, "conditions": conds, "containerStatuses": statuses, "podIP": ip, "startTime": st_time}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": m, "spec": spec, "status": status}


def daemonset(ns, name, desired, ready, labels, generation=1):
    st = {"currentNumberScheduled": desired, "desiredNumberScheduled": desired, "numberMisscheduled": 0,
          "numberReady": ready, "numberAvailable": ready, "observedGeneration": generation,
          "updatedNumberScheduled": desired}
    if desired - ready:
        st["numberUnavailable"] = desired - ready
    return {"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": meta(name, ns, labels=labels, created="2026-11-19T07:59:58Z", generation=generation,
                             annotations={"deprecated.daemonset.template.generation": str(generation)}),
            "spec": {"selector": {"matchLabels": dict(labels)},
                     "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}},
            "status": st}


# ---- logs ----------------------------------------------------------------------------------------

def logline(ts, level, scope, msg, kv=""):
    return "\t".join([ts, level, scope, msg] + ([kv] if kv else []))


def cni_dump(node, ambient=True, reconcile=True, v124=False):
    if v124:
        keys = [("MountedCNINetDir", "/host/etc/cni/net.d"), ("CNIConfName", "istio-cni.conf"),
                ("ChainedCNIPlugin", "false"), ("CNIAgentRunDir", "/var/run/istio-cni"),
                ("PluginLogLevel", "info"), ("KubeconfigMode", "0600"), ("KubeCAFile", ""),
                ("SkipTLSVerify", "false"), ("ExcludeNamespaces", "kube-system"),
                ("K8sServiceProtocol", ""), ("K8sServiceHost", "172.30.0.1"), ("K8sServicePort", "443"),
                ("K8sNodeName", node), ("CNIBinSourceDir", "/opt/cni/bin"),
                ("CNIBinTargetDirs", "/host/opt/cni/bin"), ("MonitoringPort", "15014"),
                ("ZtunnelUDSAddress", "/var/run/ztunnel/ztunnel.sock"),
                ("AmbientEnabled", "true" if ambient else "false"), ("AmbientDNSCapture", "false"),
                ("AmbientIPv6", "true"), ("AmbientRedirectTPROXY", "false")]
        return ["%s: %s" % kv for kv in keys] + [""]
    head = [("MountedCNINetDir", "/host/etc/cni/net.d"), ("CNIConfName", "istio-cni.conf"),
            ("ChainedCNIPlugin", "false"), ("CNIAgentRunDir", "/var/run/istio-cni"),
            ("IstioOwnedCNIConfigFilename", ""), ("IstioOwnedCNIConfig", "false"),
            ("PluginLogLevel", "info"), ("KubeconfigMode", "0600"), ("KubeCAFile", ""),
            ("SkipTLSVerify", "false"), ("ExcludeNamespaces", "kube-system"), ("PodNamespace", "istio-cni"),
            ("K8sServiceProtocol", ""), ("K8sServiceHost", "172.30.0.1"), ("K8sServicePort", "443"),
            ("K8sNodeName", node), ("CNIBinSourceDir", "/opt/cni/bin"),
            ("CNIBinTargetDirs", "/host/opt/cni/bin"), ("MonitoringPort", "15014"),
            ("ZtunnelUDSAddress", "/var/run/ztunnel/ztunnel.sock"),
            ("AmbientEnabled", "true" if ambient else "false")]
    lines = ["%s: %s" % kv for kv in head]
    lines += ["AmbientEnablementSelector: - podSelector:",
              "    matchLabels:",
              "      istio.io/dataplane-mode: ambient",
              "- namespaceSelector:",
              "    matchLabels:",
              "      istio.io/dataplane-mode: ambient",
              "  podSelector:",
              "    matchExpressions:",
              "    - key: istio.io/dataplane-mode",
              "      operator: NotIn",
              "      values:",
              "      - none",
              "AmbientDNSCapture: true", "AmbientIPv6: true", "AmbientDisableSafeUpgrade: false",
              "AmbientReconcilePodRulesOnStartup: %s" % ("true" if reconcile and ambient else "false"),
              "NativeNftables: false", ""]
    return lines


def cni_repair(node):
    return ["Enabled: true", "NodeName: " + node, "LabelKey: cni.istio.io/uninitialized",
            "LabelValue: true", "DeletePods: false", "LabelPods: false",
            "SidecarAnnotation: sidecar.istio.io/status", "InitContainerName: istio-validation",
            "InitTerminationMsg: ", "InitExitCode: 126", "LabelSelectors: ", "FieldSelectors: ",
            "NativeNftables: false", ""]


def cni_log(node, start, *, ambient=True, reconcile=True, snapshot=(), added=(), conn_at=None,
            v124=False, stop_after_start=False, ambient_namespaces=("bookinfo",),
            disabled_namespaces=("stackrox",)):
    """istio-cni-node install-cni log (reference sample_istio_cni_logs.log sections 1/2).

    snapshot: pods (name, uid, sa) handed to ztunnel when it connects; added: (time, name, uid, sa)
    pods added later. conn_at: seconds after start when ztunnel connects (None = never)."""
    T = lambda s: at(start, s, micros=True)  # noqa: E731
    out = []
    if not v124:
        out.append(logline(T(0.1), "info", "cni-agent", "CNI version: %s-3f1c9d2a7b6e-Clean" % ISTIO_VERSION))
    out.append(logline(T(0.1), "info", "cni-agent", "CNI logging level: info"))
    out.append(logline(T(0.1), "info", "cni-agent", "CNI install configuration: ") + "\n" +
               "\n".join(cni_dump(node, ambient, reconcile, v124)))
    out.append(logline(T(0.11), "info", "cni-agent", "CNI race repair configuration: ") + "\n" +
               "\n".join(cni_repair(node)))
    if ambient:
        out.append(logline(T(0.2), "info", "cni-agent", "Starting ambient node agent with inpod redirect mode on socket /var/run/istio-cni/pluginevent.sock"))
        out.append(logline(T(0.22), "info", "cni-agent", "starting listener for CNI plugin events at /var/run/istio-cni/pluginevent.sock"))
        out.append(logline(T(0.23), "info", "cni-agent", "CNI ambient server starting"))
        if reconcile:
            out.append(logline(T(0.24), "info", "cni-agent", "inpod reconcile mode enabled"))
        out.append(logline(T(0.33), "info", "cni-agent", "CNI ambient server kubeclient started"))
        for ns in ambient_namespaces:
            out.append(logline(T(0.34), "info", "cni-agent", "Namespace %s is enabled in ambient mesh" % ns))
        for ns in disabled_namespaces:
            out.append(logline(T(0.34), "info", "cni-agent", "Namespace %s is disabled from ambient mesh" % ns))
        out.append(logline(T(0.35), "info", "cni-agent", "CNI ambient server marking ready"))
        out.append(logline(T(0.36), "info", "cni-agent", "Ambient node agent started, starting installer..."))
    out.append(logline(T(0.40), "info", "cni-agent", "Copied istio-cni to /host/opt/cni/bin"))
    out.append(logline(T(0.41), "info", "cni-agent", "initialization complete, watching node CNI dir"))
    if stop_after_start:
        return "\n".join(out) + "\n"
    if ambient and conn_at is not None:
        conn = uid(node, start, "conn")
        out.append(logline(T(conn_at), "info", "cni-agent", "new ztunnel connected, total connected: 1", "conn_uuid=" + conn))
        out.append(logline(T(conn_at + 0.0004), "info", "cni-agent", "received hello from ztunnel", "conn_uuid=%s version=V1" % conn))
        for name, puid, sa in snapshot:
            out.append(logline(T(conn_at + 0.001), "info", "cni-agent", "sending pod to ztunnel as part of snapshot",
                               "conn_uuid=%s uid=%s name=%s namespace=bookinfo serviceAccount=%s" % (conn, puid, name, sa)))
        for when, name, puid, sa in added:
            out.append(logline(at(when, -0.9, micros=True), "info", "cni-agent", "adding pod to the mesh", "ns=bookinfo name=" + name))
            out.append(logline(at(when, -0.85, micros=True), "info", "cni-agent", "sending pod add to ztunnel",
                               "uid=%s name=%s namespace=bookinfo serviceAccount=%s conn_uuid=%s" % (puid, name, sa, conn)))
    return "\n".join(out) + "\n"


ZT_CONFIG = """proxy: true
dnsProxy: true
xdsAddress: https://istiod.istio-system.svc:15012
caAddress: https://istiod.istio-system.svc:15012
proxyMode: Shared
inpodEnabled: true
inpodUds: /var/run/ztunnel/ztunnel.sock
inpodPortReuse: true
inpodMark: 1337"""


def zt_start(start, ready_after=None, xds_at=0.033):
    """ztunnel startup through the xDS sync (reference sample_ztunnel_logs.log section 1)."""
    T = lambda s: at(start, s, micros=True)  # noqa: E731
    return [
        logline(T(0.001), "info", "ztunnel", 'version: version.BuildInfo{Version:"%s", GitRevision:"0c3e1b9d4f2a", RustVersion:"1.88.0", BuildProfile:"release", BuildStatus:"Clean", IstioVersion:"%s", CryptoProvider:"openssl"}' % (ISTIO_VERSION, ISTIO_VERSION)),
        logline(T(0.0015), "info", "ztunnel", "running with config: " + ZT_CONFIG),
        logline(T(0.013), "info", "hyper_util", "listener established", 'address=[::]:15021 component="readiness"'),
        logline(T(0.0134), "info", "hyper_util", "listener established", 'address=127.0.0.1:15000 component="admin"'),
        logline(T(0.0135), "info", "hyper_util", "listener established", 'address=[::]:15020 component="stats"'),
        logline(T(0.0136), "info", "app", "shared proxy mode - in-pod mode enabled"),
        logline(T(0.0137), "info", "readiness", "Task 'dns proxy' complete (12.4ms), still awaiting 3 tasks"),
        logline(T(0.0138), "info", "readiness", "Task 'proxy' complete (12.5ms), still awaiting 2 tasks"),
        logline(T(xds_at), "info", "xds::client:xds{id=1}", "Stream established"),
        logline(T(xds_at + 0.018), "info", "readiness", "Task 'state manager' complete (%s), still awaiting 1 tasks" % _dur(xds_at + 0.018)),
    ]


def _dur(seconds):
    return "%.1fms" % (seconds * 1000) if seconds < 1 else "%.1fs" % seconds


def zt_connected(start, conn_at, pods, later=()):
    """ZDS connected, snapshot received, marked ready; later pods received; a few access lines."""
    T = lambda s: at(start, s, micros=True)  # noqa: E731
    out = [logline(T(conn_at), "info", "inpod::workloadmanager", "handling new stream")]
    for name, puid, _sa in pods:
        out.append(logline(T(conn_at + 0.0006), "info", "inpod::statemanager", "pod received, starting proxy",
                           'uid="%s" name="%s" namespace="bookinfo"' % (puid, name)))
    out.append(logline(T(conn_at + 0.009), "info", "inpod::statemanager", "received snapshot sent"))
    out.append(logline(T(conn_at + 0.0091), "info", "readiness",
                       "Task 'workload proxy manager' complete (%s), marking server ready" % _dur(conn_at + 0.0091)))
    for when, name, puid, _sa in later:
        out.append(logline(at(when, -0.8, micros=True), "info", "inpod::statemanager", "pod received, starting proxy",
                           'uid="%s" name="%s" namespace="bookinfo"' % (puid, name)))
    return out


def access_lines(when, src, dst, n=2):
    out = []
    for i in range(n):
        out.append(logline(at(when, 37 * i, micros=True), "info", "access", "connection complete",
                           'src.addr=10.129.2.41:%d src.workload="%s" src.namespace="bookinfo" '
                           'src.identity="spiffe://cluster.local/ns/bookinfo/sa/bookinfo-%s" dst.addr=10.131.0.22:15008 '
                           'dst.hbone_addr="10.131.0.22:9080" dst.service="%s.bookinfo.svc.cluster.local" '
                           'dst.workload="%s" dst.namespace="bookinfo" '
                           'dst.identity="spiffe://cluster.local/ns/bookinfo/sa/bookinfo-%s" direction="outbound" '
                           'bytes_sent=%d bytes_recv=%d duration="%dms"'
                           % (40112 + i, src, src.split("-")[0], dst.split("-")[0], dst, dst.split("-")[0],
                              175 + i, 1180 + 3 * i, 2 + i)))
    return out


def zds_failures(start, first, kind, until):
    """The ZDS connect failure loop: 20ms doubling to the 15s cap, then every 15s until `until`."""
    detail = ('Os { code: 2, kind: NotFound, message: "No such file or directory" }' if kind == "NotFound"
              else 'Os { code: 111, kind: ConnectionRefused, message: "Connection refused" }')
    out = []
    t = first
    delay = 0.02
    end = (parse(until) - parse(start)).total_seconds()
    while t < end:
        label = ("%dms" % round(delay * 1000)) if delay < 1 else ("%gs" % round(delay, 3))
        out.append(logline(at(start, t, micros=True), "warn", "inpod::workloadmanager",
                           'failed to connect to the Istio CNI node agent over "/var/run/ztunnel/ztunnel.sock", '
                           "is the node agent healthy? details: %s. retrying in %s" % (detail, label)))
        t += delay
        delay = min(delay * 2, 15.0)
    return out


def to_json_lines(text, msg_key):
    """Re-renders a plain istio/ztunnel log as logAsJson lines (multi-line messages become one msg)."""
    records = []
    for line in text.rstrip("\n").split("\n"):
        parts = line.split("\t")
        if len(parts) >= 4 and parts[0][:4].isdigit() and "T" in parts[0][:11]:
            rec = {"level": parts[1], "time": parts[0], "scope": parts[2], msg_key: parts[3]}
            for kv in parts[4:]:
                k, _, v = kv.partition("=")
                rec[k] = v.strip('"')
            records.append(rec)
        elif records:
            records[-1][msg_key] += "\n" + line
    return "\n".join(json.dumps(r, separators=(",", ":")) for r in records) + "\n"


def with_kubelet_timestamps(text):
    """What `oc logs --timestamps` adds: each physical line prefixed with an RFC3339Nano time."""
    out = []
    stamp = None
    for line in text.rstrip("\n").split("\n"):
        head = line.split("\t", 1)[0]
        if head[:4].isdigit() and head.endswith("Z") and "T" in head:
            stamp = head[:-1] + "873Z"
        out.append((stamp or "2026-11-19T08:00:00.000000000Z") + " " + line)
    return "\n".join(out) + "\n"


# ---- the bundle model ---------------------------------------------------------------------------

class Bundle:
    """Objects keyed by their inspect path; rendered by write()."""

    def __init__(self):
        self.singles = {}     # path -> object (one YAML document)
        self.lists = {}       # path -> {"apiVersion", "kind", "items"}
        self.json_style = set()
        self.texts = {}       # path -> str (logs, timestamp files)
        self.raw = {}         # path -> bytes (deliberately broken files)
        self.extras = {}      # meshdoctor/<name> -> object (JSON)
        self.pod_dirs = set() # (ns, pod): also written as namespaces/<ns>/pods/<pod>/<pod>.yaml
        self.doc_start = True # inspect list files start with "---"

    # lists
    def list_path(self, ns, group, resource):
        return "namespaces/%s/%s/%s.yaml" % (ns, group, resource)

    def add_list(self, ns, group, resource, kind, api_version="v1", items=()):
        self.lists[self.list_path(ns, group, resource)] = {"apiVersion": api_version, "kind": kind, "items": list(items)}

    def items(self, ns, group, resource):
        return self.lists[self.list_path(ns, group, resource)]["items"]

    def pods(self, ns):
        return self.items(ns, "core", "pods")

    def pod(self, ns, prefix):
        for p in self.pods(ns):
            if p["metadata"]["name"].startswith(prefix):
                return p
        raise KeyError(ns + "/" + prefix)

    def remove_pod(self, ns, prefix):
        p = self.pod(ns, prefix)
        self.pods(ns).remove(p)
        self.pod_dirs.discard((ns, p["metadata"]["name"]))
        base = "namespaces/%s/pods/%s/" % (ns, p["metadata"]["name"])
        for k in [k for k in self.texts if k.startswith(base)]:
            del self.texts[k]
        return p

    # cluster-scoped
    def cluster(self, group, resource, name):
        return "cluster-scoped-resources/%s/%s/%s.yaml" % (group, resource, name)

    def sail(self, resource):
        return self.singles[self.cluster("sailoperator.io", resource, "default")]

    def log_path(self, ns, pod_name, container, previous=False):
        return "namespaces/%s/pods/%s/%s/%s/logs/%s.log" % (ns, pod_name, container, container,
                                                         "previous" if previous else "current")

    def _fix_uids(self):
        # Pod uids are made in pod() because logs quote them; every other kind gets a per-kind uid here.
        objs = list(self.singles.values())
        for lst in self.lists.values():
            objs += lst["items"]
        for o in objs:
            if o.get("kind") != "Pod" and "metadata" in o:
                m = o["metadata"]
                m["uid"] = object_uid(o["kind"], m.get("namespace"), m["name"])

    def write(self, root):
        if os.path.exists(root):
            shutil.rmtree(root)
        self._fix_uids()
        files = {}
        for path, obj in self.singles.items():
            files[path] = (fy.dump_json(obj) if path in self.json_style else fy.dump(obj)).encode()
        for path, lst in self.lists.items():
            doc = {"apiVersion": lst["apiVersion"], "items": lst["items"], "kind": lst["kind"],
                   "metadata": {"resourceVersion": "48213107"}}
            text = fy.dump_json(doc) if path in self.json_style else fy.dump(doc, self.doc_start)
            files[path] = text.encode()
        for ns, name in self.pod_dirs:
            files["namespaces/%s/pods/%s/%s.yaml" % (ns, name, name)] = fy.dump(self.pod(ns, name)).encode()
        for path, text in self.texts.items():
            files[path] = text.encode()
        for name, obj in self.extras.items():
            files["meshdoctor/" + name] = (json.dumps(obj, indent=2) + "\n").encode()
        files.update(self.raw)
        for path in sorted(files):
            full = os.path.join(root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(files[path])


# ---- the healthy cluster --------------------------------------------------------------------------

CNI_IMAGE = "registry.redhat.io/openshift-service-mesh/istio-cni-rhel9:1.27.3"
ZT_IMAGE = "registry.redhat.io/openshift-service-mesh/istio-ztunnel-rhel9:1.27.3"
PROXY_IMAGE = "registry.redhat.io/openshift-service-mesh/istio-proxyv2-rhel9:1.27.3"
PILOT_IMAGE = "registry.redhat.io/openshift-service-mesh/istio-pilot-rhel9:1.27.3"

CNI_PODS = ["istio-cni-node-2hbqx", "istio-cni-node-7lfnr", "istio-cni-node-xk0q9"]
ZT_PODS = ["ztunnel-4xk2p", "ztunnel-9qzvd", "ztunnel-tm7bc"]
CNI_START = "2026-11-19T07:59:58Z"
ZT_START = "2026-11-19T08:01:00Z"

# name, app, version, node index, container start, service account suffix
BOOKINFO = [
    ("productpage-v1-54bb874995-7xk2p", "productpage", "v1", 0, "2026-11-18T16:20:05Z"),  # before ztunnel existed
    ("details-v1-65cfcf56f9-dq2tw", "details", "v1", 1, "2026-11-19T09:12:40Z"),
    ("ratings-v1-6484c4d9bb-crjtt", "ratings", "v1", 2, "2026-11-19T09:12:41Z"),
    ("reviews-v1-598b896c9d-9zlxb", "reviews", "v1", 0, "2026-11-19T09:12:43Z"),
    ("reviews-v2-5b667bcbf8-gj7nz", "reviews", "v2", 1, "2026-11-19T09:12:44Z"),
    ("reviews-v3-564544b4d6-kw8pn", "reviews", "v3", 2, "2026-11-19T09:12:45Z"),
]


def bookinfo_pod(name, app, version, node_i, started, annotation="enabled", ip_last=40):
    rs = name[: name.rfind("-")]
    ann = {"openshift.io/scc": "restricted-v2"}
    if app == "productpage":
        ann["k8s.ovn.org/pod-networks"] = ('{"default":{"ip_addresses":["10.12%d.2.%d/23"],"mac_address":"0a:58:0a:81:02:29",'
                                           '"gateway_ips":["10.12%d.2.1"],"role":"primary"}}' % (8 + node_i, ip_last, 8 + node_i))
    if annotation:
        ann["ambient.istio.io/redirection"] = annotation
    created = at(started, -4)
    return pod("bookinfo", name, NODES[node_i], "ReplicaSet", rs, created=created, started_at=started,
               ready_at=at(started, 6), start_time=at(started, -3),
               labels={"app": app, "version": version, "pod-template-hash": rs.split("-")[-1]},
               annotations=ann, containers=((app, "quay.io/sail-dev/examples-bookinfo-%s-%s:1.20.3" % (app, version)),),
               ip="10.12%d.2.%d" % (8 + node_i, ip_last), sa="bookinfo-" + app)


def build_healthy():
    b = Bundle()
    # -- namespaces
    for ns, labels in [("istio-system", {}), ("istio-cni", {"istio.io/dataplane-mode": "none"}),
                       ("ztunnel", {"istio.io/dataplane-mode": "none"}),
                       ("bookinfo", {"istio.io/dataplane-mode": "ambient", "istio.io/use-waypoint": "waypoint"}),
                       ("stackrox", {"istio.io/dataplane-mode": "none"}),
                       ("openshift-operators", {"openshift.io/cluster-monitoring": "true"}),
                       ("openshift-monitoring", {"openshift.io/cluster-monitoring": "true"})]:
        b.singles["namespaces/%s/%s.yaml" % (ns, ns)] = namespace(ns, labels)

    # -- OLM
    b.add_list("openshift-operators", "operators.coreos.com", "subscriptions", "SubscriptionList",
               "operators.coreos.com/v1alpha1", [
                   subscription("servicemeshoperator3", "stable-3.2", "servicemeshoperator3.v3.2.1"),
                   subscription("kiali-ossm", "stable", "kiali-operator.v2.17.1")])
    b.add_list("openshift-operators", "operators.coreos.com", "installplans", "InstallPlanList",
               "operators.coreos.com/v1alpha1", [installplan("install-9k2lm", ["servicemeshoperator3.v3.2.1"], "Complete"),
                                                  installplan("install-r7w4d", ["kiali-operator.v2.17.1"], "Complete")])
    b.add_list("openshift-operators", "operators.coreos.com", "clusterserviceversions", "ClusterServiceVersionList",
               "operators.coreos.com/v1alpha1", [csv("servicemeshoperator3.v3.2.1", "3.2.1", "Succeeded"),
                                                  csv("kiali-operator.v2.17.1", "2.17.1", "Succeeded")])
    for name, versions, stored in [("istios", ["v1"], ["v1"]), ("istiocnis", ["v1"], ["v1"]),
                                   ("istiorevisions", ["v1"], ["v1"]), ("istiorevisiontags", ["v1"], ["v1"]),
                                   ("ztunnels", ["v1", "v1alpha1"], ["v1alpha1", "v1"])]:
        b.singles[b.cluster("apiextensions.k8s.io", "customresourcedefinitions", name + ".sailoperator.io")] = crd(name, versions, stored)

    # -- platform
    b.singles[b.cluster("config.openshift.io", "clusterversions", "version")] = clusterversion("4.20.8", "4.20.6")
    b.singles[b.cluster("operator.openshift.io", "networks", "cluster")] = network(True)

    # -- Sail CRs
    b.singles[b.cluster("sailoperator.io", "istios", "default")] = istio_cr()
    b.singles[b.cluster("sailoperator.io", "istiocnis", "default")] = istiocni_cr()
    b.singles[b.cluster("sailoperator.io", "ztunnels", "default")] = ztunnel_cr()

    # -- istiod
    b.add_list("istio-system", "apps", "deployments", "DeploymentList", "apps/v1", [istiod("ztunnel/ztunnel")])
    b.add_list("istio-system", "core", "pods", "PodList", "v1", [
        pod("istio-system", "istiod-6b8f9c7d5-mw2xq", NODES[0], "ReplicaSet", "istiod-6b8f9c7d5",
            created="2026-11-19T07:58:15Z", started_at="2026-11-19T07:58:22Z", ready_at="2026-11-19T07:58:40Z",
            labels={"app": "istiod", "istio": "pilot", "istio.io/rev": "default", "sidecar.istio.io/inject": "false"},
            containers=(("discovery", PILOT_IMAGE),), ip="10.128.2.14", sa="istiod")])
    b.add_list("istio-system", "telemetry.istio.io", "telemetries", "TelemetryList", "telemetry.istio.io/v1", [
        {"apiVersion": "telemetry.istio.io/v1", "kind": "Telemetry",
         "metadata": meta("enable-prometheus-metrics", "istio-system", created="2026-11-19T08:05:00Z", generation=1),
         "spec": {"metrics": [{"providers": [{"name": "prometheus"}]}]}}])
    b.add_list("istio-system", "kiali.io", "kialis", "KialiList", "kiali.io/v1alpha1", [kiali(True)])
    b.json_style.add(b.list_path("istio-system", "kiali.io", "kialis"))

    # -- istio-cni and ztunnel DaemonSets, pods and logs
    b.add_list("istio-cni", "apps", "daemonsets", "DaemonSetList", "apps/v1",
               [daemonset("istio-cni", "istio-cni-node", 3, 3, {"k8s-app": "istio-cni-node"})])
    b.add_list("ztunnel", "apps", "daemonsets", "DaemonSetList", "apps/v1",
               [daemonset("ztunnel", "ztunnel", 3, 3, {"app": "ztunnel"})])
    b.add_list("istio-cni", "core", "pods", "PodList")
    b.add_list("ztunnel", "core", "pods", "PodList")
    for i, node in enumerate(NODES):
        b.pods("istio-cni").append(cni_pod(i, created=at(CNI_START, i)))
        b.pods("ztunnel").append(zt_pod(i, created=at(ZT_START, i)))

    b.pod_dirs.add(("istio-cni", CNI_PODS[0]))  # inspect also writes pods/<pod>/<pod>.yaml: count once
    b.pod_dirs.add(("ztunnel", ZT_PODS[0]))

    # -- bookinfo
    b.add_list("bookinfo", "core", "pods", "PodList")
    for j, (name, app, version, node_i, started) in enumerate(BOOKINFO):
        b.pods("bookinfo").append(bookinfo_pod(name, app, version, node_i, started, ip_last=41 + j))
    b.pods("bookinfo").append(waypoint_pod())
    b.pods("bookinfo").append(pod(
        "bookinfo", "legacy-batch-7c9d8f6b5-abcde", NODES[2], "ReplicaSet", "legacy-batch-7c9d8f6b5",
        created="2026-11-19T09:30:00Z", started_at="2026-11-19T09:30:04Z", ready_at="2026-11-19T09:30:06Z",
        labels={"app": "legacy-batch", "istio.io/dataplane-mode": "none", "pod-template-hash": "7c9d8f6b5"},
        annotations={"openshift.io/scc": "restricted-v2"}, ip="10.130.2.23", sa="legacy-batch"))
    b.pods("bookinfo").append(pod(
        "bookinfo", "db-migrate-29377230-h8x2v", NODES[1], "Job", "db-migrate-29377230",
        created="2026-11-18T03:00:00Z", started_at="2026-11-18T03:00:04Z", phase="Succeeded",
        labels={"batch.kubernetes.io/job-name": "db-migrate-29377230", "job-name": "db-migrate-29377230"},
        annotations={"openshift.io/scc": "restricted-v2"}, ip="10.129.2.60", sa="default",
        containers=(("migrate", "quay.io/example/db-migrate:2.3"),),
        terminated={"exitCode": 0, "reason": "Completed", "startedAt": "2026-11-18T03:00:04Z",
                    "finishedAt": "2026-11-18T03:01:10Z"}))
    b.add_list("bookinfo", "gateway.networking.k8s.io", "gateways", "GatewayList",
               "gateway.networking.k8s.io/v1", [waypoint_gateway(True)])
    b.add_list("bookinfo", "monitoring.coreos.com", "podmonitors", "PodMonitorList", "monitoring.coreos.com/v1",
               [podmonitor("istio-waypoint-monitor", "bookinfo")])
    b.add_list("ztunnel", "monitoring.coreos.com", "podmonitors", "PodMonitorList", "monitoring.coreos.com/v1",
               [podmonitor("istio-ztunnel-monitor", "ztunnel")])

    # -- off-mesh namespace
    b.add_list("stackrox", "core", "pods", "List", "v1", [
        pod("stackrox", "sensor-6d9f7c8b4-x2x9p", NODES[1], "ReplicaSet", "sensor-6d9f7c8b4",
            created="2026-11-18T11:00:00Z", started_at="2026-11-18T11:00:09Z", ready_at="2026-11-18T11:00:31Z",
            labels={"app": "sensor", "pod-template-hash": "6d9f7c8b4"}, ip="10.129.2.77", sa="sensor",
            containers=(("sensor", "registry.redhat.io/advanced-cluster-security/rhacs-main-rhel8:4.8.2"),)),
        pod("stackrox", "admission-control-7f8c9d6b5-p4k7w", NODES[2], "ReplicaSet", "admission-control-7f8c9d6b5",
            created="2026-11-18T11:00:00Z", started_at="2026-11-18T11:00:11Z", ready_at="2026-11-18T11:00:29Z",
            labels={"app": "admission-control", "pod-template-hash": "7f8c9d6b5"}, ip="10.130.2.78",
            sa="admission-control",
            containers=(("admission-control", "registry.redhat.io/advanced-cluster-security/rhacs-main-rhel8:4.8.2"),))])
    b.json_style.add(b.list_path("stackrox", "core", "pods"))

    # -- monitoring and Kiali RBAC
    b.add_list("openshift-monitoring", "core", "configmaps", "ConfigMapList", "v1", [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("cluster-monitoring-config", "openshift-monitoring"),
         "data": {"config.yaml": "enableUserWorkload: true\n"}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("kube-root-ca.crt", "openshift-monitoring"),
         "data": {"ca.crt": "-----BEGIN CERTIFICATE-----\nMIIDMjCCAhqgAwIBAgIIZ2V0bWVzaGRvY3RvcjANBgkqhkiG9w0BAQsFADA3MRIw\n"
                            "EAYDVQQLEwlvcGVuc2hpZnQxITAfBgNVBAMTGGt1YmUtYXBpc2VydmVyLWxiLXNp\n"
                            "-----END CERTIFICATE-----\n"}}])
    b.singles[b.cluster("rbac.authorization.k8s.io", "clusterrolebindings", "kiali-monitoring-rbac")] = crb(
        "kiali-monitoring-rbac", "cluster-monitoring-view", "kiali-service-account", "istio-system")
    b.singles[b.cluster("rbac.authorization.k8s.io", "clusterrolebindings", "grafana-cluster-monitoring-view")] = crb(
        "grafana-cluster-monitoring-view", "cluster-monitoring-view", "grafana-serviceaccount", "observability")

    # -- logs
    for i, node in enumerate(NODES):
        write_node_logs(b, i)
    return b


def node_pods(b, i):
    """(name, uid, sa) of the ambient bookinfo pods on node i, and which started after ztunnel."""
    out = []
    for p in b.pods("bookinfo"):
        if p["spec"]["nodeName"] != NODES[i] or p["metadata"].get("annotations", {}).get("ambient.istio.io/redirection") != "enabled":
            continue
        started = p["status"]["containerStatuses"][0]["state"]["running"]["startedAt"]
        out.append((p["metadata"]["name"], p["metadata"]["uid"], p["spec"]["serviceAccountName"], started))
    return out


def write_node_logs(b, i, *, cni_start=None, zt_start_at=None, zt_conn=0.052, xds_at=0.033, **cni_kw):
    """Healthy istio-cni and ztunnel logs for node i (times in seconds after each container start)."""
    cni_start = cni_start or at(CNI_START, 5 + i)
    zt_s = zt_start_at or at(ZT_START, 3 + i)
    conn_time = parse(zt_s) + dt.timedelta(seconds=zt_conn)
    pods = node_pods(b, i)
    snap = [(n, u, s) for n, u, s, st in pods if ts_parse(st) < conn_time]
    later = [(st, n, u, s) for n, u, s, st in pods if ts_parse(st) >= conn_time]
    conn_secs = (parse(zt_s) - parse(cni_start)).total_seconds() + zt_conn
    b.texts[b.log_path("istio-cni", CNI_PODS[i], "install-cni")] = cni_log(
        NODES[i], cni_start, snapshot=snap, added=later, conn_at=conn_secs, **cni_kw)
    lines = zt_start(zt_s, xds_at=xds_at) + zt_connected(zt_s, zt_conn, snap, later)
    lines += access_lines("2026-11-20T12:2%d:10Z" % (4 + i), "productpage-v1-54bb874995-7xk2p", "ratings-v1-6484c4d9bb-crjtt")
    b.texts[b.log_path("ztunnel", ZT_PODS[i], "istio-proxy")] = "\n".join(lines) + "\n"


def cni_pod(i, created, started=None, ready_at=None, **kw):
    started = started or at(created, 5)
    ready_at = ready_at if ready_at is not None else at(created, 23)
    return pod("istio-cni", CNI_PODS[i], NODES[i], "DaemonSet", "istio-cni-node", created=created,
               started_at=started, ready_at=ready_at or None, start_time=at(created, 1),
               labels={"k8s-app": "istio-cni-node", "sidecar.istio.io/inject": "false",
                       "istio.io/dataplane-mode": "none", "controller-revision-hash": "6f9d8c7b54",
                       "pod-template-generation": "1"},
               annotations={"openshift.io/scc": "privileged", "prometheus.io/port": "15014",
                            "prometheus.io/scrape": "true", "sidecar.istio.io/inject": "false"},
               containers=(("install-cni", CNI_IMAGE),), host_network=True, ip="192.168.10.%d" % (11 + i),
               sa="istio-cni", **kw)


def zt_pod(i, created, started=None, ready_at=None, **kw):
    started = started or at(created, 3)
    ready_at = ready_at if ready_at is not None else at(created, 9)
    return pod("ztunnel", ZT_PODS[i], NODES[i], "DaemonSet", "ztunnel", created=created, started_at=started,
               ready_at=ready_at or None, start_time=at(created, 1),
               labels={"app": "ztunnel", "app.kubernetes.io/name": "ztunnel", "istio.io/dataplane-mode": "none",
                       "sidecar.istio.io/inject": "false", "controller-revision-hash": "7b9c5d8f6d",
                       "pod-template-generation": "1"},
               annotations={"openshift.io/scc": "privileged", "prometheus.io/port": "15020",
                            "prometheus.io/scrape": "true", "sidecar.istio.io/inject": "false"},
               containers=(("istio-proxy", ZT_IMAGE),), ip="10.12%d.2.5" % (8 + i), sa="ztunnel", **kw)


def waypoint_pod():
    return pod("bookinfo", "waypoint-5f7c8b9d6b-qj4mm", NODES[0], "ReplicaSet", "waypoint-5f7c8b9d6b",
               created="2026-11-19T09:20:05Z", started_at="2026-11-19T09:20:09Z", ready_at="2026-11-19T09:20:13Z",
               labels={"gateway.istio.io/managed": "istio.io-mesh-controller",
                       "gateway.networking.k8s.io/gateway-name": "waypoint", "istio.io/dataplane-mode": "none",
                       "sidecar.istio.io/inject": "false", "service.istio.io/canonical-name": "waypoint",
                       "pod-template-hash": "5f7c8b9d6b"},
               annotations={"openshift.io/scc": "restricted-v2", "prometheus.io/port": "15020",
                            "prometheus.io/scrape": "true", "prometheus.io/path": "/stats/prometheus"},
               containers=(("istio-proxy", PROXY_IMAGE),), ip="10.128.2.50", sa="waypoint")


def subscription(name, channel, installed, current=None, state="AtLatestKnown", extra_conditions=()):
    return {"apiVersion": "operators.coreos.com/v1alpha1", "kind": "Subscription",
            "metadata": meta(name, "openshift-operators", created="2026-11-18T10:01:02Z", generation=1,
                             labels={"operators.coreos.com/%s.openshift-operators" % name: ""}),
            "spec": {"channel": channel, "installPlanApproval": "Automatic", "name": name,
                     "source": "redhat-operators", "sourceNamespace": "openshift-marketplace"},
            "status": {"catalogHealth": [{"catalogSourceRef": {"apiVersion": "operators.coreos.com/v1alpha1",
                                                               "kind": "CatalogSource", "name": "redhat-operators",
                                                               "namespace": "openshift-marketplace"},
                                          "healthy": True, "lastUpdated": "2026-11-20T12:20:41Z"}],
                       "conditions": [cond("CatalogSourcesUnhealthy", "False", "2026-11-18T10:01:03Z",
                                           "AllCatalogSourcesHealthy", "all available catalogsources are healthy")]
                       + list(extra_conditions),
                       "currentCSV": current or installed, "installedCSV": installed,
                       "lastUpdated": "2026-11-20T12:20:41Z", "state": state}}


def installplan(name, csvs, phase, message=None, conditions=None, start="2026-11-18T10:01:05Z"):
    st = {"phase": phase, "startTime": start, "catalogSources": []}
    if message:
        st["message"] = message
    st["conditions"] = conditions if conditions is not None else [
        dict(cond("Installed", "True", at(start, 40)), lastUpdateTime=at(start, 40))]
    return {"apiVersion": "operators.coreos.com/v1alpha1", "kind": "InstallPlan",
            "metadata": meta(name, "openshift-operators", created=start, generation=1),
            "spec": {"approval": "Automatic", "approved": True, "clusterServiceVersionNames": csvs, "generation": 1},
            "status": st}


def csv(name, version, phase, reason=None, message=None, extra_status=None):
    reasons = {"Succeeded": ("InstallSucceeded", "install strategy completed with no errors")}
    r, m = reasons.get(phase, (reason, message))
    st = {"phase": phase, "reason": reason or r, "message": message or m,
          "lastTransitionTime": "2026-11-18T10:02:11Z", "lastUpdateTime": "2026-11-18T10:02:11Z"}
    st.update(extra_status or {})
    display = "Red Hat OpenShift Service Mesh 3" if name.startswith("servicemesh") else "Kiali Operator"
    return {"apiVersion": "operators.coreos.com/v1alpha1", "kind": "ClusterServiceVersion",
            "metadata": meta(name, "openshift-operators", created="2026-11-18T10:01:40Z",
                             labels={"olm.managed": "true"}),
            "spec": {"displayName": display, "version": version, "provider": {"name": "Red Hat, Inc."}},
            "status": st}


def crd(plural, versions, stored):
    kind = {"istios": "Istio", "istiocnis": "IstioCNI", "istiorevisions": "IstioRevision",
            "istiorevisiontags": "IstioRevisionTag", "ztunnels": "ZTunnel"}[plural]
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": meta(plural + ".sailoperator.io", created="2026-11-18T10:02:01Z",
                             labels={"olm.managed": "true",
                                     "operators.coreos.com/servicemeshoperator3.openshift-operators": ""}),
            "spec": {"group": "sailoperator.io", "scope": "Cluster",
                     "names": {"kind": kind, "listKind": kind + "List", "plural": plural, "singular": kind.lower(),
                               "categories": ["istio-io"]},
                     "versions": [{"name": v, "served": True, "storage": v == versions[0],
                                   **({"deprecated": True} if kind == "ZTunnel" and v == "v1alpha1" and len(versions) > 1 else {}),
                                   "schema": {"openAPIV3Schema": {"type": "object"}}} for v in versions]},
            "status": {"acceptedNames": {"kind": kind, "listKind": kind + "List", "plural": plural,
                                         "singular": kind.lower(), "categories": ["istio-io"]},
                       "conditions": [cond("Established", "True", "2026-11-18T10:02:01Z", "InitialNamesAccepted",
                                           "the initial names have been accepted")],
                       "storedVersions": stored}}


def clusterversion(version, previous):
    return {"apiVersion": "config.openshift.io/v1", "kind": "ClusterVersion",
            "metadata": meta("version", created="2026-03-02T08:11:40Z"),
            "spec": {"channel": "stable-" + ".".join(version.split(".")[:2]), "clusterID": uid("cluster")},
            "status": {"desired": {"version": version, "image": "quay.io/openshift-release-dev/ocp-release@sha256:" + "4e" * 32},
                       "history": [{"state": "Completed", "version": version, "startedTime": "2026-10-28T14:00:10Z",
                                    "completionTime": "2026-10-28T15:12:55Z", "verified": True},
                                   {"state": "Completed", "version": previous, "startedTime": "2026-09-30T14:00:10Z",
                                    "completionTime": "2026-09-30T15:03:12Z", "verified": True}],
                       "conditions": [cond("Available", "True", "2026-10-28T15:12:55Z", message="Done applying " + version),
                                      cond("Progressing", "False", "2026-10-28T15:12:55Z",
                                           message="Cluster version is " + version)]}}


def network(routing_via_host):
    gw = {"ipv4": {}, "ipv6": {}}
    if routing_via_host is not None:
        gw["routingViaHost"] = routing_via_host
    return {"apiVersion": "operator.openshift.io/v1", "kind": "Network",
            "metadata": meta("cluster", created="2026-03-02T08:11:40Z", generation=3),
            "spec": {"clusterNetwork": [{"cidr": "10.128.0.0/14", "hostPrefix": 23}],
                     "serviceNetwork": ["172.30.0.0/16"], "managementState": "Managed",
                     "defaultNetwork": {"type": "OVNKubernetes",
                                        "ovnKubernetesConfig": {"gatewayConfig": gw, "mtu": 1400,
                                                                "genevePort": 6081}}},
            "status": {"readyReplicas": 0}}


def istio_cr(*, api="sailoperator.io/v1", profile="ambient", values=None, deps=("True", None, None),
             version="v" + ISTIO_VERSION, with_deps=True, deps_when="2026-11-19T08:01:15Z"):
    spec = {"namespace": "istio-system", "updateStrategy": {"type": "InPlace",
                                                            "inactiveRevisionDeletionGracePeriodSeconds": 30},
            "version": version,
            "values": values if values is not None else {"pilot": {"trustedZtunnelNamespace": "ztunnel"}}}
    if profile:
        spec["profile"] = profile
    if not spec["values"]:
        del spec["values"]
    conds = [cond("Reconciled", "True", "2026-11-19T07:58:12Z"), cond("Ready", "True", "2026-11-19T07:58:41Z")]
    state = "Healthy"
    if with_deps:
        s, reason, msg = deps
        conds.append(cond("DependenciesHealthy", s, deps_when, reason, msg))
        if s != "True":
            state = reason
    return {"apiVersion": api, "kind": "Istio", "metadata": meta("default", created="2026-11-19T07:58:10Z", generation=1),
            "spec": spec,
            "status": {"observedGeneration": 1, "activeRevisionName": "default", "state": state,
                       "revisions": {"total": 1, "ready": 1, "inUse": 1}, "conditions": conds}}


def istiocni_cr(*, api="sailoperator.io/v1", profile="ambient", reconcile=True, ready=("True", None, None),
                version="v" + ISTIO_VERSION, ready_when="2026-11-19T08:00:22Z"):
    spec = {"namespace": "istio-cni", "version": version}
    if profile:
        spec["profile"] = profile
    if reconcile is not None:
        spec["values"] = {"cni": {"ambient": {"reconcileIptablesOnStartup": reconcile}}}
    s, reason, msg = ready
    return {"apiVersion": api, "kind": "IstioCNI", "metadata": meta("default", created="2026-11-19T07:58:58Z", generation=1),
            "spec": spec,
            "status": {"observedGeneration": 1, "state": "Healthy" if s == "True" else reason,
                       "conditions": [cond("Reconciled", "True", "2026-11-19T07:59:00Z"),
                                      cond("Ready", s, ready_when, reason, msg)]}}


def ztunnel_cr(*, ready=("True", None, None), when_false="2026-11-20T12:11:35Z"):
    s, reason, msg = ready
    return {"apiVersion": "sailoperator.io/v1", "kind": "ZTunnel",
            "metadata": meta("default", created="2026-11-19T08:00:57Z", generation=1),
            "spec": {"namespace": "ztunnel", "version": "v" + ISTIO_VERSION},
            "status": {"observedGeneration": 1, "state": "Healthy" if s == "True" else reason,
                       "conditions": [cond("Reconciled", "True", "2026-11-19T08:00:58Z"),
                                      cond("Ready", s, "2026-11-19T08:01:12Z" if s == "True" else when_false,
                                           reason, msg)]}}


def istiod(trusted, image=PILOT_IMAGE):
    env = [{"name": "REVISION", "value": "default"},
           {"name": "PILOT_CERT_PROVIDER", "value": "istiod"},
           {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
           {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}},
           {"name": "PILOT_ENABLE_AMBIENT", "value": "true"},
           {"name": "CA_TRUSTED_NODE_ACCOUNTS", "value": trusted},
           {"name": "ISTIOD_CUSTOM_HOST", "value": "istiod.istio-system.svc"}]
    if trusted is None:
        env = [e for e in env if e["name"] != "CA_TRUSTED_NODE_ACCOUNTS"]
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": meta("istiod", "istio-system", created="2026-11-19T07:58:14Z", generation=1,
                             labels={"app": "istiod", "istio": "pilot", "istio.io/rev": "default"}),
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "istiod", "istio.io/rev": "default"}},
                     "template": {"metadata": {"labels": {"app": "istiod", "istio": "pilot", "istio.io/rev": "default",
                                                          "sidecar.istio.io/inject": "false"}},
                                  "spec": {"serviceAccountName": "istiod",
                                           "containers": [{"name": "discovery", "image": image,
                                                           "args": ["discovery", "--monitoringAddr=:15014",
                                                                    "--log_output_level=default:info",
                                                                    "--domain", "cluster.local",
                                                                    "--keepaliveMaxServerConnectionAge", "30m"],
                                                           "env": env,
                                                           "ports": [{"containerPort": 15012, "name": "grpc-xds", "protocol": "TCP"},
                                                                     {"containerPort": 15014, "name": "http-monitoring", "protocol": "TCP"}]}]}}},
            "status": {"replicas": 1, "readyReplicas": 1, "availableReplicas": 1, "updatedReplicas": 1,
                       "observedGeneration": 1}}


def kiali(use_token, thanos=True):
    auth = {"type": "bearer"}
    if use_token is not None:
        auth["use_kiali_token"] = use_token
    return {"apiVersion": "kiali.io/v1alpha1", "kind": "Kiali",
            "metadata": meta("kiali", "istio-system", created="2026-11-19T08:10:00Z", generation=1),
            "spec": {"deployment": {"cluster_wide_access": True},
                     "external_services": {"prometheus": {"auth": auth, "thanos_proxy": {"enabled": thanos},
                                                          "url": "https://thanos-querier.openshift-monitoring.svc.cluster.local:9091"}}},
            "status": {"conditions": [{"type": "Successful", "status": "True", "reason": "Successful",
                                       "message": "", "lastTransitionTime": "2026-11-19T08:11:02Z"}]}}


def crb(name, role, sa, ns):
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": meta(name, created="2026-11-19T08:09:00Z"),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
            "subjects": [{"kind": "ServiceAccount", "name": sa, "namespace": ns}]}


def podmonitor(name, ns):
    return {"apiVersion": "monitoring.coreos.com/v1", "kind": "PodMonitor",
            "metadata": meta(name, ns, created="2026-11-19T08:06:00Z", generation=1),
            "spec": {"selector": {"matchExpressions": [{"key": "istio-prometheus-ignore", "operator": "DoesNotExist"}]},
                     "podMetricsEndpoints": [{"path": "/stats/prometheus", "interval": "30s", "relabelings": [
                         {"action": "keep", "sourceLabels": ["__meta_kubernetes_pod_container_name"], "regex": "istio-proxy"},
                         {"action": "keep", "sourceLabels": ["__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape"]},
                         {"action": "replace", "regex": "(\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})",
                          "replacement": "[$2]:$1", "targetLabel": "__address__",
                          "sourceLabels": ["__meta_kubernetes_pod_annotation_prometheus_io_port", "__meta_kubernetes_pod_ip"]},
                         {"action": "replace", "regex": "(\\d+);((([0-9]+?)(\\.|$)){4})", "replacement": "$2:$1",
                          "targetLabel": "__address__",
                          "sourceLabels": ["__meta_kubernetes_pod_annotation_prometheus_io_port", "__meta_kubernetes_pod_ip"]},
                         {"action": "replace", "sourceLabels": ["__meta_kubernetes_namespace"], "targetLabel": "namespace"},
                         {"action": "replace", "replacement": "mesh_id", "targetLabel": "mesh_id"}]}]}}


def waypoint_gateway(programmed):
    if programmed:
        conds = [cond("Accepted", "True", "2026-11-19T09:20:01Z", "Accepted", "Resource accepted"),
                 cond("Programmed", "True", "2026-11-19T09:20:14Z", "Programmed",
                      "Resource programmed, assigned to service(s) waypoint.bookinfo.svc.cluster.local:15008"),
                 cond("ResolvedRefs", "True", "2026-11-19T09:20:01Z", "ResolvedRefs", "All references resolved")]
    else:
        conds = [cond("Accepted", "True", "2026-11-19T09:20:01Z", "Accepted", "Resource accepted"),
                 cond("Programmed", "False", "2026-11-19T09:20:01Z", "AddressNotUsable",
                      'Failed to assign to any requested addresses: hostname "waypoint.bookinfo.svc.cluster.local" not found'),
                 cond("ResolvedRefs", "True", "2026-11-19T09:20:01Z", "ResolvedRefs", "All references resolved")]
    for c in conds:
        c["observedGeneration"] = 1
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": meta("waypoint", "bookinfo", created="2026-11-19T09:20:00Z", generation=1,
                             labels={"istio.io/waypoint-for": "service"}),
            "spec": {"gatewayClassName": "istio-waypoint",
                     "listeners": [{"name": "mesh", "port": 15008, "protocol": "HBONE",
                                    "allowedRoutes": {"namespaces": {"from": "Same"}}}]},
            "status": {"conditions": conds,
                       "listeners": [{"name": "mesh", "attachedRoutes": 0, "supportedKinds": [],
                                      "conditions": [cond("Accepted", "True", "2026-11-19T09:20:01Z", "Accepted", "No errors found")]}]}}


# ---- extras (what `meshdoctor collect` adds) -----------------------------------------------------

CLUSTER_SCOPED_COLLECTED = [
    "apiextensions.k8s.io/customresourcedefinitions", "config.openshift.io/clusterversions",
    "operator.openshift.io/networks", "rbac.authorization.k8s.io/clusterrolebindings",
    "sailoperator.io/istios", "sailoperator.io/istiocnis", "sailoperator.io/ztunnels",
]


def add_extras(b, readiness=True, tcp_series=12, l7_series=4, collected_at=COLLECTED_AT):
    b.extras["collection.json"] = {"collectedAt": collected_at, "collected": list(CLUSTER_SCOPED_COLLECTED)}
    if readiness:
        b.extras["ztunnel-readiness.json"] = [
            {"namespace": "ztunnel", "pod": p["metadata"]["name"], "node": p["spec"]["nodeName"],
             "status": 200, "body": "ready\n"} for p in b.pods("ztunnel")]
    if tcp_series is not None:
        b.extras["prometheus.json"] = [{"query": "sum(istio_tcp_received_bytes_total)", "series": tcp_series},
                                       {"query": "sum(istio_requests_total)", "series": l7_series}]



def ztunnel_scrape(active, pending=0, xds_errors=0):
    """A ztunnel 1.27 :15020/stats/prometheus body (OpenMetrics text), trimmed to the families MD404 reads."""
    lines = [
        "# HELP istio_build Istio component build info.",
        "# TYPE istio_build gauge",
        'istio_build{component="ztunnel",tag="1.27.3"} 1',
        "# HELP istio_xds_connection_terminations The total number of completed connections to xds server (unstable).",
        "# TYPE istio_xds_connection_terminations counter",
        'istio_xds_connection_terminations_total{reason="Reconnect"} 1',
    ]
    if xds_errors:
        lines.append('istio_xds_connection_terminations_total{reason="ConnectionError"} %d' % xds_errors)
    lines += [
        "# HELP workload_manager_active_proxy_count The total number current workloads with active proxies (unstable).",
        "# TYPE workload_manager_active_proxy_count gauge",
        "workload_manager_active_proxy_count %d" % active,
        "# HELP workload_manager_pending_proxy_count The total number current workloads with pending proxies (unstable).",
        "# TYPE workload_manager_pending_proxy_count gauge",
        "workload_manager_pending_proxy_count %d" % pending,
        "# HELP workload_manager_proxies_started The total number of proxies that were started (unstable).",
        "# TYPE workload_manager_proxies_started counter",
        "workload_manager_proxies_started_total %d" % active,
        "# EOF",
    ]
    return "\n".join(lines) + "\n"


def add_ztunnel_metrics(b, pending=0):
    """meshdoctor/ztunnel-metrics/<pod>.txt per ztunnel pod; active = the enrolled pods on its node."""
    for zt in b.pods("ztunnel"):
        node = zt["spec"]["nodeName"]
        active = sum(1 for p in b.pods("bookinfo") if p["spec"].get("nodeName") == node
                     and p["metadata"].get("annotations", {}).get("ambient.istio.io/redirection") == "enabled")
        b.texts["meshdoctor/ztunnel-metrics/%s.txt" % zt["metadata"]["name"]] = ztunnel_scrape(active, pending)


# ---- scenarios ------------------------------------------------------------------------------------

SCENARIOS = {}


def scenario(name):
    def register(fn):
        SCENARIOS[name] = fn
        return fn
    return register


def expected(exit_code, roots, statuses, **kw):
    e = {"exitCode": exit_code, "rootCauses": sorted(roots), "statuses": dict(sorted(statuses.items()))}
    for k in ("explainedBy", "objects", "objectsExcluded", "warningsContain", "args", "collectedAt"):
        if k in kw:
            e[k] = kw[k]
    return e


def all_pass(**overrides):
    st = {i: "pass" for i in ALL_IDS}
    st["MD305"] = "skipped"
    st["MD901"] = "skipped"
    st.update(overrides)
    return st


PLAIN_UNKNOWN = {"MD404": "unknown", "MD603": "unknown", "MD703": "unknown", "MD803": "unknown"}

CONV_EMPTY_LIST = ("Convention: a namespaced kind that was collected but has no objects is an empty List file "
                   "(e.g. `namespaces/ztunnel/monitoring.coreos.com/podmonitors.yaml` with `items: []`).")
CONV_COLLECTION = ("Convention: a cluster-scoped kind that was collected but has no objects is listed in "
                   "`meshdoctor/collection.json` `collected` (e.g. `sailoperator.io/ztunnels`) with no files "
                   "under `cluster-scoped-resources/sailoperator.io/ztunnels/`.")
CONV_PLAIN = ("Plain `oc adm inspect` bundle: no `meshdoctor/` folder, so the ztunnel readiness bodies and "
              "Prometheus results are missing (MD404, MD603, MD703, MD803 unknown) and MD305 is skipped.")
CONV_EXTRAS = ("Written by `meshdoctor collect`: the inspect layout plus `meshdoctor/collection.json`, "
               "`meshdoctor/ztunnel-readiness.json` and `meshdoctor/prometheus.json`.")


def healthy_readme_core():
    return """Healthy OSSM 3.2.1 ambient mesh on three workers: Subscription `servicemeshoperator3` on
`stable-3.2` with CSV `servicemeshoperator3.v3.2.1` Succeeded; OpenShift 4.20.8; OVN-Kubernetes
`routingViaHost: true`; `Istio/default` (profile ambient, Ready, DependenciesHealthy True,
`spec.values.pilot.trustedZtunnelNamespace: ztunnel`) with istiod env `CA_TRUSTED_NODE_ACCOUNTS=ztunnel/ztunnel`;
`IstioCNI/default` (profile ambient, `reconcileIptablesOnStartup: true`); `ZTunnel/default` (v1) Ready;
DaemonSets `istio-cni-node` and `ztunnel` 3/3 ready; CNI logs with `AmbientEnabled: true`; ztunnel logs that
connect to the node agent and mark the server ready; namespace `bookinfo` ambient with six app pods
`ambient.istio.io/redirection: enabled` (productpage started before the ztunnel pods existed and was handed over
by the CNI snapshot; the others started well after ztunnel was Ready), a waypoint pod, a pod labelled
`istio.io/dataplane-mode: none` and a completed Job pod (neither of the last three must be enrolled); Telemetry
`enable-prometheus-metrics`; PodMonitors in `ztunnel` and `bookinfo`; user-workload monitoring on; `stackrox`
labelled `istio.io/dataplane-mode=none`; waypoint Gateway Programmed and `bookinfo` labelled
`istio.io/use-waypoint=waypoint`; Kiali with `use_kiali_token` and `thanos_proxy`; ClusterRoleBinding
`kiali-monitoring-rbac` (plus an unrelated `cluster-monitoring-view` binding for Grafana).

The `ztunnels.sailoperator.io` CRD keeps `storedVersions: [v1alpha1, v1]` (upgraded from 3.2.0): MD103 must
ignore ztunnels. Some files are JSON-style (Kiali list, stackrox pods); the rest are block YAML as oc writes it
(sorted keys, `---` at the top of list files, long messages folded). ztunnel and istio-cni pods also appear as
`namespaces/<ns>/pods/<pod>/<pod>.yaml` besides the list (they must be counted once)."""


@scenario("healthy")
def sc_healthy():
    b = build_healthy()
    add_extras(b)
    add_ztunnel_metrics(b)
    readme = "# healthy\n\n" + healthy_readme_core() + "\n\n" + CONV_EXTRAS + """ It also holds
`meshdoctor/ztunnel-metrics/<pod>.txt`, each ztunnel pod's `:15020/stats/prometheus` scrape
(`workload_manager_pending_proxy_count 0`, one active proxy per enrolled pod on that node).

## Expected diagnosis

Every check passes except MD305 (skipped: not running on a node) and MD901 (skipped: a single cluster, nothing
to compare). Exit 0.
"""
    return b, expected(0, [], all_pass(), collectedAt="2026-11-20T12:30:00"), readme


@scenario("healthy-plain-inspect")
def sc_healthy_plain():
    b = build_healthy()
    readme = "# healthy-plain-inspect\n\nThe `healthy` cluster as a plain `oc adm inspect` bundle.\n\n" + \
        healthy_readme_core() + "\n\n" + CONV_PLAIN + """

## Expected diagnosis

No failure. MD404, MD603, MD703 and MD803 are unknown (no readiness bodies, no Prometheus), MD305 and MD901
skipped, everything else passes. Exit 2: the verdict is incomplete.
"""
    return b, expected(2, [], all_pass(**PLAIN_UNKNOWN)), readme


def istiocni_not_ambient_bundle():
    b = build_healthy()
    b.singles[b.cluster("sailoperator.io", "istiocnis", "default")] = istiocni_cr(profile=None)
    b.singles[b.cluster("sailoperator.io", "istios", "default")] = istio_cr(
        deps=("False", "ZTunnelNotHealthy", "ZTunnel resource status indicates that the component is not healthy"),
        deps_when="2026-11-19T08:01:04Z")
    b.singles[b.cluster("sailoperator.io", "ztunnels", "default")] = ztunnel_cr(
        ready=("False", "DaemonSetNotReady", "not all ztunnel pods are ready"), when_false="2026-11-19T08:01:02Z")
    b.items("ztunnel", "apps", "daemonsets")[0] = daemonset("ztunnel", "ztunnel", 3, 0, {"app": "ztunnel"})
    # The on-call engineer deleted the ztunnel pods at 12:24; the new ones never became Ready.
    b.pods("ztunnel").clear()
    for i in range(3):
        created = at("2026-11-20T12:24:00Z", i)
        b.pods("ztunnel").append(zt_pod(i, created=created, ready_at=""))
    for p in b.pods("bookinfo"):
        p["metadata"]["annotations"].pop("ambient.istio.io/redirection", None)
    b.items("ztunnel", "monitoring.coreos.com", "podmonitors").clear()
    for i, node in enumerate(NODES):
        b.texts[b.log_path("istio-cni", CNI_PODS[i], "install-cni")] = cni_log(node, at(CNI_START, 5 + i), ambient=False)
        start = at("2026-11-20T12:24:00Z", 3 + i)
        lines = zt_start(start) + zds_failures(start, 0.052, "NotFound", COLLECTED_AT)
        b.texts[b.log_path("ztunnel", ZT_PODS[i], "istio-proxy")] = "\n".join(lines) + "\n"
    return b


ISTIOCNI_NOT_AMBIENT_STORY = """`IstioCNI/default` was created without `spec.profile: ambient` (everything else follows the Red Hat
ambient guide). The istio-cni node agent therefore runs with `AmbientEnabled: false`: its DaemonSet is healthy
(3/3, IstioCNI Ready) but it never creates the ZDS socket `/var/run/ztunnel/ztunnel.sock`. Every ztunnel pod
logs `failed to connect to the Istio CNI node agent over "/var/run/ztunnel/ztunnel.sock", is the node agent
healthy? details: Os { code: 2, kind: NotFound, ... }` (backoff 20ms doubling to 15s, then every 15s) and never
becomes Ready: DaemonSet `ztunnel` 0/3, `ZTunnel/default` Ready=False `DaemonSetNotReady`, `Istio/default`
DependenciesHealthy=False `ZTunnelNotHealthy`. The ztunnel pods were deleted at 12:24 by someone hoping a
restart helps; the new ones fail the same way. No `bookinfo` pod carries `ambient.istio.io/redirection`.
Independently, nobody created the ztunnel PodMonitor (`namespaces/ztunnel/monitoring.coreos.com/podmonitors.yaml`
is an empty List)."""


@scenario("istiocni-not-ambient")
def sc_istiocni_not_ambient():
    b = istiocni_not_ambient_bundle()
    readme = "# istiocni-not-ambient\n\n" + ISTIOCNI_NOT_AMBIENT_STORY + "\n\n" + CONV_PLAIN + " " + CONV_EMPTY_LIST + """

## Expected diagnosis

Root causes: **MD301** (IstioCNI not in the ambient profile) and **MD602** (no ztunnel PodMonitor, unrelated).
MD301 explains MD304 (`AmbientEnabled: false`) and MD403 (ZDS `NotFound`); MD403 explains MD402 (ztunnel 0/3);
MD402 explains MD503 (pods not enrolled) and, with MD301, MD203 (Istio `ZTunnelNotHealthy`). The CNI DaemonSet
itself is fine (MD303 pass). MD404 is unknown (no readiness bodies in a plain inspect bundle), so it neither
explains nor clears MD402. MD401 (`ZTunnel/default` Ready=False `DaemonSetNotReady`) is not asserted; it must
not surface as an extra root cause (the DaemonSet symptom belongs to MD402). Exit 1.
"""
    st = {"MD101": "pass", "MD102": "pass", "MD103": "pass", "MD104": "pass", "MD105": "pass",
          "MD201": "pass", "MD202": "pass", "MD203": "fail", "MD301": "fail", "MD302": "pass",
          "MD303": "pass", "MD304": "fail", "MD402": "fail", "MD403": "fail", "MD404": "unknown",
          "MD405": "pass", "MD503": "fail", "MD601": "pass", "MD602": "fail", "MD603": "unknown",
          "MD604": "pass", "MD701": "pass", "MD702": "pass", "MD801": "pass", "MD802": "pass"}
    return b, expected(1, ["MD301", "MD602"], st, explainedBy={
        "MD304": ["MD301"], "MD403": ["MD301", "MD304"], "MD402": ["MD403"], "MD203": ["MD301", "MD402"],
        "MD503": ["MD402"]}), readme


@scenario("cni-daemonset-not-ready")
def sc_cni_ds_not_ready():
    b = build_healthy()
    crash = "2026-11-20T12:22:30Z"
    b.singles[b.cluster("sailoperator.io", "istiocnis", "default")] = istiocni_cr(
        ready=("False", "DaemonSetNotReady", "not all istio-cni-node pods are ready"), ready_when=at(crash, 1))
    b.singles[b.cluster("sailoperator.io", "ztunnels", "default")] = ztunnel_cr(
        ready=("False", "DaemonSetNotReady", "not all ztunnel pods are ready"), when_false=at(crash, 10))
    b.singles[b.cluster("sailoperator.io", "istios", "default")] = istio_cr(
        deps=("False", "IstioCNINotHealthy", "IstioCNI resource status indicates that the component is not healthy"),
        deps_when=at(crash, 12))
    b.items("istio-cni", "apps", "daemonsets")[0] = daemonset("istio-cni", "istio-cni-node", 3, 1, {"k8s-app": "istio-cni-node"})
    b.items("ztunnel", "apps", "daemonsets")[0] = daemonset("ztunnel", "ztunnel", 3, 1, {"app": "ztunnel"})
    for i in (1, 2):
        last_start = at("2026-11-20T12:27:40Z", 7 * i)
        cni = cni_pod(i, created=at(CNI_START, i), ready_at="", restarts=6 + i, not_ready_since=at(crash, 1),
                      waiting={"reason": "CrashLoopBackOff",
                               "message": "back-off 5m0s restarting failed container=install-cni pod=%s_istio-cni(%s)"
                                          % (CNI_PODS[i], uid("istio-cni", CNI_PODS[i]))},
                      last={"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": last_start,
                                           "finishedAt": at(last_start, 31)}})
        b.pods("istio-cni")[i] = cni
        b.texts[b.log_path("istio-cni", CNI_PODS[i], "install-cni")] = cni_log(
            NODES[i], at(last_start, 0.4), stop_after_start=True)
        zt = zt_pod(i, created=at(ZT_START, i), ready_at="", not_ready_since=at(crash, 1))
        b.pods("ztunnel")[i] = zt
        start = at(ZT_START, 3 + i)
        pods = node_pods(b, i)
        snap = [(n, u, s) for n, u, s, st in pods if ts_parse(st) < parse(start) + dt.timedelta(seconds=0.052)]
        later = [(st, n, u, s) for n, u, s, st in pods if ts_parse(st) >= parse(start) + dt.timedelta(seconds=0.052)]
        lines = zt_start(start) + zt_connected(start, 0.052, snap, later)
        lines.append(logline(at(crash, 0.2 * i, micros=True), "info", "inpod::workloadmanager", "process stream ended with eof"))
        lines += zds_failures(crash, 0.2 * i + 0.02, "ConnectionRefused", COLLECTED_AT)
        b.texts[b.log_path("ztunnel", ZT_PODS[i], "istio-proxy")] = "\n".join(lines) + "\n"
    # the previous (OOM-killed) run of one crashing agent
    b.texts[b.log_path("istio-cni", CNI_PODS[1], "install-cni", previous=True)] = cni_log(
        NODES[1], at("2026-11-20T12:22:01Z", 0.4), stop_after_start=True)
    readme = """# cni-daemonset-not-ready

`IstioCNI/default` is in the ambient profile, but the istio-cni node agent is OOM-killed on worker-1 and
worker-2 since 12:22:30 and sits in `CrashLoopBackOff` (restartCount 7 and 8, last state `OOMKilled`, exit
137): DaemonSet `istio-cni-node` 1/3 ready, `IstioCNI/default` Ready=False `DaemonSetNotReady` ("not all
istio-cni-node pods are ready"). Its logs still show `AmbientEnabled: true` (current and one previous.log).
The agent died without removing the ZDS socket, so the ztunnel pods on those nodes log `process stream ended
with eof` and then `... details: Os { code: 111, kind: ConnectionRefused, ... }` every 15s and are not Ready:
DaemonSet `ztunnel` 1/3, `ZTunnel/default` Ready=False, `Istio/default` DependenciesHealthy=False
`IstioCNINotHealthy` (the CNI is checked before ztunnel). Pods enrolled before the crash keep
`ambient.istio.io/redirection: enabled`.

""" + CONV_PLAIN + """

## Expected diagnosis

Root cause **MD303** (CNI DaemonSet not ready). MD303 explains MD403 (ZDS `ConnectionRefused`), which explains
MD402 (ztunnel 1/3); MD203 is explained by MD303 and MD402. MD301 and MD304 pass. MD503 passes (annotations
intact). MD401 and MD504 are not asserted (MD401 must not become an extra root cause). Exit 1.
"""
    st = {"MD101": "pass", "MD201": "pass", "MD203": "fail", "MD301": "pass", "MD303": "fail", "MD304": "pass",
          "MD402": "fail", "MD403": "fail", "MD503": "pass", "MD602": "pass"}
    return b, expected(1, ["MD303"], st, explainedBy={"MD403": ["MD303"], "MD402": ["MD403"],
                                                      "MD203": ["MD303", "MD402"]}), readme


RISK = ('risk of data loss updating "istios.sailoperator.io": new CRD removes version v1alpha1 that is listed '
        'as a stored version on the existing CRD')


def tech_preview_cluster(channel, blocked):
    """An OSSM 3.0.0-tp.2 cluster (Istio 1.24.1, v1alpha1 CRDs, no ZTunnel CRD) on OpenShift 4.19."""
    b = build_healthy()
    tp2 = "servicemeshoperator3.v3.0.0-tp.2"
    if blocked:
        sub = subscription("servicemeshoperator3", channel, tp2, current="servicemeshoperator3.v3.0.0",
                           state="UpgradePending",
                           extra_conditions=[cond("InstallPlanFailed", "True", "2026-11-20T09:02:05Z",
                                                  "InstallComponentFailed", RISK)])
        sub["status"]["installPlanRef"] = {"apiVersion": "operators.coreos.com/v1alpha1", "kind": "InstallPlan",
                                           "name": "install-7xk2q", "namespace": "openshift-operators",
                                           "resourceVersion": "1234567",
                                           "uid": object_uid("InstallPlan", "openshift-operators", "install-7xk2q")}
        sub["status"]["installPlanGeneration"] = 2
    else:
        sub = subscription("servicemeshoperator3", channel, tp2)
    b.items("openshift-operators", "operators.coreos.com", "subscriptions")[0] = sub
    plans = [installplan("install-5bq8n", [tp2], "Complete", start="2025-03-01T09:00:05Z")]
    csvs = [csv(tp2, "3.0.0-tp.2", "Succeeded")]
    if blocked:
        failed = installplan("install-7xk2q", ["servicemeshoperator3.v3.0.0"], "Failed", message=RISK,
                             start="2026-11-20T09:01:05Z",
                             conditions=[dict(cond("Installed", "False", "2026-11-20T09:02:05Z", "InstallComponentFailed", RISK),
                                              lastUpdateTime="2026-11-20T09:02:05Z")])
        failed["metadata"]["generation"] = 2
        failed["status"]["bundleLookups"] = [{"path": "registry.redhat.io/openshift-service-mesh/istio-sail-operator-bundle@sha256:" + "9c" * 32,
                                              "identifier": "servicemeshoperator3.v3.0.0", "replaces": "",
                                              "catalogSourceRef": {"name": "redhat-operators", "namespace": "openshift-marketplace"}}]
        plans.append(failed)
        csvs.append(csv("servicemeshoperator3.v3.0.0", "3.0.0", "Pending", reason="RequirementsNotMet",
                        message="one or more requirements couldn't be found",
                        extra_status={"requirementStatus": [{"group": "apiextensions.k8s.io", "version": "v1",
                                                             "kind": "CustomResourceDefinition",
                                                             "name": "istios.sailoperator.io", "status": "NotPresent",
                                                             "message": "CRD version not served"}]}))
    plans.append(installplan("install-r7w4d", ["kiali-operator.v2.17.1"], "Complete"))
    csvs.append(csv("kiali-operator.v2.17.1", "2.17.1", "Succeeded"))
    b.items("openshift-operators", "operators.coreos.com", "installplans")[:] = plans
    b.items("openshift-operators", "operators.coreos.com", "clusterserviceversions")[:] = csvs
    for name in ("istios", "istiocnis", "istiorevisions", "istiorevisiontags", "ztunnels"):
        del b.singles[b.cluster("apiextensions.k8s.io", "customresourcedefinitions", name + ".sailoperator.io")]
    for name in ("istios", "istiocnis", "istiorevisions", "istiorevisiontags"):
        b.singles[b.cluster("apiextensions.k8s.io", "customresourcedefinitions", name + ".sailoperator.io")] = crd(
            name, ["v1alpha1"], ["v1alpha1"])
    b.singles[b.cluster("config.openshift.io", "clusterversions", "version")] = clusterversion("4.19.12", "4.19.9")
    del b.singles[b.cluster("sailoperator.io", "ztunnels", "default")]
    for path in [p for p in list(b.singles) + list(b.lists) + list(b.texts) if p.startswith("namespaces/ztunnel/")]:
        for store in (b.singles, b.lists, b.texts):
            store.pop(path, None)
    b.pod_dirs = {d for d in b.pod_dirs if d[0] != "ztunnel"}
    for path in [p for p in b.lists if p.endswith("/podmonitors.yaml")]:
        del b.lists[path]
    b.items("bookinfo", "gateway.networking.k8s.io", "gateways").clear()
    b.remove_pod("bookinfo", "waypoint-")
    b.add_list("stackrox", "core", "pods", "List", "v1", b.pods("stackrox"))
    b.singles[b.cluster("sailoperator.io", "istiocnis", "default")] = istiocni_cr(
        api="sailoperator.io/v1alpha1", profile="ambient" if not blocked else None, reconcile=None, version="v1.24.1")
    b.singles[b.cluster("sailoperator.io", "istios", "default")] = istio_cr(
        api="sailoperator.io/v1alpha1", profile="ambient" if not blocked else None, with_deps=False, version="v1.24.1",
        values={"pilot": {"trustedZtunnelNamespace": "ztunnel"}} if not blocked else {})
    b.items("istio-system", "apps", "deployments")[0] = istiod(
        "ztunnel/ztunnel" if not blocked else "kube-system/ztunnel",
        image="registry.redhat.io/openshift-service-mesh-tech-preview/istio-pilot-rhel9:1.24.1")
    if blocked:
        env = b.items("istio-system", "apps", "deployments")[0]["spec"]["template"]["spec"]["containers"][0]["env"]
        env[:] = [e for e in env if e["name"] != "PILOT_ENABLE_AMBIENT"]
    ns = b.singles["namespaces/bookinfo/bookinfo.yaml"]["metadata"]["labels"]
    ns.pop("istio.io/dataplane-mode")
    ns.pop("istio.io/use-waypoint")
    if blocked:
        ns["istio-injection"] = "enabled"
    for p in b.pods("bookinfo"):
        p["metadata"].get("annotations", {}).pop("ambient.istio.io/redirection", None)
        if blocked and p["metadata"]["name"][:-17] in {n[:-17] for n, *_ in BOOKINFO}:
            p["metadata"]["annotations"]["sidecar.istio.io/status"] = (
                '{"initContainers":["istio-validation"],"containers":["istio-proxy"],"volumes":["workload-socket",'
                '"credential-socket","workload-certs","istio-envoy","istio-data","istio-podinfo","istio-token",'
                '"istiod-ca-cert"],"imagePullSecrets":null,"revision":"default"}')
            p["spec"]["containers"].append({"name": "istio-proxy", "image": "registry.redhat.io/openshift-service-mesh-tech-preview/istio-proxyv2-rhel9:1.24.1"})
            p["status"]["containerStatuses"].append(container_status(
                "istio-proxy", "registry.redhat.io/openshift-service-mesh-tech-preview/istio-proxyv2-rhel9:1.24.1",
                p["status"]["containerStatuses"][0]["state"]["running"]["startedAt"]))
    for i, node in enumerate(NODES):
        b.texts[b.log_path("istio-cni", CNI_PODS[i], "install-cni")] = cni_log(
            node, at(CNI_START, 5 + i), ambient=not blocked, v124=True, reconcile=False,
            ambient_namespaces=(), disabled_namespaces=("bookinfo", "stackrox"))
    b.extras["collection.json"] = {"collectedAt": COLLECTED_AT, "collected": list(CLUSTER_SCOPED_COLLECTED)}
    return b


@scenario("tp2-to-ga-blocked")
def sc_tp2_to_ga():
    b = tech_preview_cluster("stable", blocked=True)
    readme = """# tp2-to-ga-blocked

The cluster runs the OSSM 3 Tech Preview (`servicemeshoperator3.v3.0.0-tp.2`, Istio 1.24.1, sidecar mode in
`bookinfo`). Someone switched the Subscription from `candidates` to `stable`. OLM cannot update the
sailoperator CRDs: the TP CRDs store `v1alpha1` (`status.storedVersions: [v1alpha1]` on istios, istiocnis,
istiorevisions, istiorevisiontags) and the GA CRDs only have `v1`. InstallPlan `install-7xk2q` is `Failed` with
`risk of data loss updating "istios.sailoperator.io": new CRD removes version v1alpha1 that is listed as a stored
version on the existing CRD` (also on the Subscription's `InstallPlanFailed` condition, state `UpgradePending`);
CSV `servicemeshoperator3.v3.0.0` is `Pending` (`RequirementsNotMet`, "CRD version not served"); the tp.2 CSV
is still `Succeeded` and remains the installed CSV. The TP `Istio`/`IstioCNI` CRs are `sailoperator.io/v1alpha1`
without the ambient profile; no ZTunnel CRD exists, the `ztunnel` namespace does not exist (not in the bundle),
and no PodMonitor was ever created (no podmonitors files at all). OpenShift 4.19.12.

Convention: `meshdoctor/collection.json` lists `sailoperator.io/ztunnels` as collected (the kind has no
objects, its CRD is not installed). No readiness or Prometheus extras.

## Expected diagnosis

Root cause **MD103** (CRD stored-version block). MD101 **passes**: the Subscription exists and its installed
CSV (tp.2) is `Succeeded`; the blocked upgrade is reported by MD103, not by MD101 (DESIGN §3: MD101 looks at the
installed CSV). MD102 passes (`stable`). MD103 explains MD201 (Istio not ambient), MD301 (IstioCNI not ambient)
and MD401 (no ZTunnel); MD301 explains MD304 (`AmbientEnabled: false`). The ztunnel checks that need the
missing namespace (MD403, MD602) are unknown, never pass; MD402 may be unknown or skipped (no ZTunnel CR to
name its namespace). Exit 1.
"""
    st = {"MD101": "pass", "MD102": "pass", "MD103": "fail", "MD105": "pass", "MD201": "fail", "MD301": "fail",
          "MD303": "pass", "MD304": "fail", "MD401": "fail", "MD602": "unknown",
          "MD604": "pass", "MD801": "pass", "MD802": "pass"}
    return b, expected(1, ["MD103"], st, explainedBy={"MD201": ["MD103"], "MD301": ["MD103"], "MD401": ["MD103"],
                                                      "MD304": ["MD301"]}), readme


@scenario("candidates-channel")
def sc_candidates():
    b = tech_preview_cluster("candidates", blocked=False)
    readme = """# candidates-channel

The operator was installed from the `candidates` channel: CSV `servicemeshoperator3.v3.0.0-tp.2` (Tech
Preview, Istio 1.24.1) `Succeeded`, sailoperator CRDs `v1alpha1` only and no ZTunnel CRD. The user created
`Istio` and `IstioCNI` (`sailoperator.io/v1alpha1`, profile ambient; the CNI log shows `AmbientEnabled: true`
in the 1.24 format) but there is no ZTunnel at all: no `ztunnel` namespace, no ztunnel pods. `bookinfo` is not
labelled for ambient yet. OpenShift 4.19.12.

Convention: `meshdoctor/collection.json` lists `sailoperator.io/ztunnels` as collected with no objects. No
readiness or Prometheus extras; no PodMonitor files (never created).

## Expected diagnosis

**MD102** fails (`candidates` only carries the Tech Preview, which has no ztunnel). MD103 passes: the v1alpha1
stored versions are expected under the TP operator (the check is about a GA operator). **MD401** fails too
(ZTunnel/default does not exist) and is also a root cause, because the catalogue does not list MD102 upstream
of MD401; its fix is the same channel move. MD501 warns (no ambient namespace). Exit 1.
"""
    st = {"MD101": "pass", "MD102": "fail", "MD103": "pass", "MD201": "pass", "MD203": "pass", "MD301": "pass",
          "MD303": "pass", "MD304": "pass", "MD401": "fail", "MD501": "warn"}
    return b, expected(1, ["MD102", "MD401"], st), readme


STALE_T = "2026-11-20T11:45:00Z"  # worker-1 rebooted


@scenario("stale-pods-one-node")
def sc_stale_pods():
    b = build_healthy()
    T = STALE_T
    reboot = lambda started: {"terminated": {"exitCode": 255, "reason": "Unknown",  # noqa: E731
                                             "startedAt": started, "finishedAt": at(T, -2)}}
    b.pods("istio-cni")[1] = cni_pod(1, created=at(CNI_START, 1), started=at(T, 2), ready_at=at(T, 20), restarts=1,
                                     last=reboot(at(CNI_START, 6)))
    b.pods("ztunnel")[1] = zt_pod(1, created=at(ZT_START, 1), started=at(T, 3), ready_at="2026-11-20T11:46:35Z",
                                  restarts=1, last=reboot(at(ZT_START, 4)))

    def restarted(prefix, started, ready):
        p = b.pod("bookinfo", prefix)
        cs = p["status"]["containerStatuses"][0]
        old = cs["state"]["running"]["startedAt"]
        cs["state"] = {"running": {"startedAt": started}}
        cs["restartCount"] = 1
        cs["lastState"] = reboot(old)
        for c in p["status"]["conditions"]:
            if c["type"] in ("Ready", "ContainersReady"):
                c["lastTransitionTime"] = ready
        return p

    restarted("details-v1-65cfcf56f9-dq2tw", "2026-11-20T11:45:21.503Z", "2026-11-20T11:45:27Z")
    restarted("reviews-v2-5b667bcbf8-gj7nz", "2026-11-20T13:45:48+02:00", "2026-11-20T11:45:54Z")
    scaled = bookinfo_pod("details-v1-65cfcf56f9-m4wq8", "details", "v1", 1, "2026-11-20T11:46:10Z", ip_last=70)
    late = bookinfo_pod("productpage-v1-54bb874995-h2r9c", "productpage", "v1", 1, "2026-11-20T11:47:15.250000Z", ip_last=71)
    b.pods("bookinfo").extend([scaled, late])
    sensor = b.pod("stackrox", "sensor-")
    sensor["status"]["containerStatuses"][0]["state"] = {"running": {"startedAt": at(T, 25)}}
    sensor["status"]["containerStatuses"][0]["restartCount"] = 1
    write_node_logs(b, 1, cni_start=at(T, 2), zt_start_at=at(T, 3), zt_conn=86.0, xds_at=85.0)
    add_extras(b)
    readme = """# stale-pods-one-node

Healthy mesh, except that node worker-1 rebooted at 11:45:00. Its istio-cni agent was back at 11:45:20, but
its ztunnel pod (`ztunnel-9qzvd`, restartCount 1, container started 11:45:03) only became Ready at 11:46:35
(xDS took 85s; no error lines). Three ambient pods on worker-1 started inside that window and are stale
("upstream connect error"): `details-v1-65cfcf56f9-dq2tw` (restarted, `startedAt: 2026-11-20T11:45:21.503Z`),
`reviews-v2-5b667bcbf8-gj7nz` (restarted, `startedAt: 2026-11-20T13:45:48+02:00`, i.e. 11:45:48Z) and
`details-v1-65cfcf56f9-m4wq8` (new replica, `startedAt: 2026-11-20T11:46:10Z`). They carry
`ambient.istio.io/redirection: enabled` (the agent enrolled them once ztunnel connected).

Must NOT be listed: `productpage-v1-54bb874995-h2r9c` (started 11:47:15.25, after ztunnel was Ready),
`stackrox/sensor-6d9f7c8b4-x2x9p` (restarted in the window, but `stackrox` is `dataplane-mode=none`), pods on
other nodes, the completed Job pod. Timestamps mix whole seconds, fractions and a `+02:00` offset on purpose.

""" + CONV_EXTRAS + """ All ztunnel pods answer `ready` now; DaemonSet 3/3.

## Expected diagnosis

Root cause **MD504** only (its upstream MD402 passes), listing exactly the three stale pods. Exit 1.
"""
    st = all_pass(MD504="fail")
    return b, expected(1, ["MD504"], st, objects={"MD504": [
        "bookinfo/details-v1-65cfcf56f9-dq2tw", "bookinfo/reviews-v2-5b667bcbf8-gj7nz",
        "bookinfo/details-v1-65cfcf56f9-m4wq8"]},
        objectsExcluded={"MD504": ["bookinfo/productpage-v1-54bb874995-h2r9c", "stackrox/sensor-6d9f7c8b4-x2x9p",
                                   "bookinfo/productpage-v1-54bb874995-7xk2p", "bookinfo/ratings-v1-6484c4d9bb-crjtt",
                                   "bookinfo/db-migrate-29377230-h8x2v"]}), readme


# ---- restart-stale-workloads: the workload objects the restart playbook reads ----------------------

ZT_READY_W1 = "2026-11-20T11:46:35Z"  # ztunnel-9qzvd Ready again (stale-pods-one-node)
NODE_NET = {0: "10.128.2", 1: "10.129.2", 2: "10.130.2"}


def _pod_template(p, drop=("pod-template-hash", "controller-revision-hash", "statefulset.kubernetes.io/pod-name",
                           "apps.kubernetes.io/pod-index"), annotations=None):
    """spec.template of a workload, read back from one of its pods."""
    labels = {k: v for k, v in p["metadata"].get("labels", {}).items() if k not in drop}
    tmeta = {"labels": labels}
    if annotations:
        tmeta["annotations"] = dict(annotations)
    return {"metadata": tmeta,
            "spec": {"serviceAccountName": p["spec"]["serviceAccountName"],
                     "restartPolicy": p["spec"]["restartPolicy"],
                     "containers": copy.deepcopy(p["spec"]["containers"])}}


def _owner_ref(api_version, kind, ns, name):
    return {"apiVersion": api_version, "kind": kind, "name": name, "uid": object_uid(kind, ns, name),
            "controller": True, "blockOwnerDeletion": True}


def k8s_deployment(ns, name, template, selector, replicas, *, created, generation=1, revision=1,
                   rs_hash, annotations=None, labels=None, paused=False, owner=None):
    """A Deployment whose rollout has settled (observedGeneration == generation, all replicas updated)."""
    ann = {"deployment.kubernetes.io/revision": str(revision)}
    ann.update(annotations or {})
    m = meta(name, ns, labels=labels or template["metadata"]["labels"], annotations=ann, created=created,
             generation=generation)
    if owner:
        m["ownerReferences"] = [owner]
    spec = {"replicas": replicas, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
            "selector": {"matchLabels": dict(selector)},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": copy.deepcopy(template)}
    if paused:
        spec["paused"] = True
    rs = "%s-%s" % (name, rs_hash)
    progressing = (cond("Progressing", "Unknown", "2026-11-20T09:10:00Z", "DeploymentPaused", "Deployment is paused")
                   if paused else
                   cond("Progressing", "True", created, "NewReplicaSetAvailable",
                        'ReplicaSet "%s" has successfully progressed.' % rs))
    for c in (progressing,):
        c["lastUpdateTime"] = c["lastTransitionTime"]
    available = cond("Available", "True", created, "MinimumReplicasAvailable", "Deployment has minimum availability.")
    available["lastUpdateTime"] = created
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": m, "spec": spec,
            "status": {"observedGeneration": generation, "replicas": replicas, "updatedReplicas": replicas,
                       "readyReplicas": replicas, "availableReplicas": replicas,
                       "conditions": [available, progressing]}}


def k8s_replicaset(ns, deploy, rs_hash, template, selector, replicas, *, created, revision=1, generation=1):
    name = "%s-%s" % (deploy, rs_hash)
    tpl = copy.deepcopy(template)
    tpl["metadata"]["labels"]["pod-template-hash"] = rs_hash
    labels = dict(tpl["metadata"]["labels"])
    m = meta(name, ns, labels=labels, created=created, generation=generation,
             annotations={"deployment.kubernetes.io/desired-replicas": str(replicas),
                          "deployment.kubernetes.io/max-replicas": str(replicas + max(1, (replicas + 3) // 4)),
                          "deployment.kubernetes.io/revision": str(revision)})
    m["ownerReferences"] = [_owner_ref("apps/v1", "Deployment", ns, deploy)]
    sel = dict(selector)
    sel["pod-template-hash"] = rs_hash
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": m,
            "spec": {"replicas": replicas, "selector": {"matchLabels": sel}, "template": tpl},
            "status": {"observedGeneration": generation, "replicas": replicas, "fullyLabeledReplicas": replicas,
                       "readyReplicas": replicas, "availableReplicas": replicas}}


def add_deployment(b, ns, name, selector, *, created, rs_hashes=None, generation=1, annotations=None,
                   template_annotations=None, paused=False, replicas=None, owner=None):
    """Deployment + ReplicaSets from the pods already in b.pods(ns). rs_hashes: oldest first, the last
    one is current (older ones are scaled to 0)."""
    if rs_hashes is None:
        rs_hashes = sorted({p["metadata"]["ownerReferences"][0]["name"][len(name) + 1:] for p in b.pods(ns)
                            if p["metadata"].get("ownerReferences")
                            and p["metadata"]["ownerReferences"][0]["kind"] == "ReplicaSet"
                            and p["metadata"]["ownerReferences"][0]["name"].rsplit("-", 1)[0] == name})
    current = rs_hashes[-1]
    pods = [p for p in b.pods(ns) if (p["metadata"].get("ownerReferences") or [{}])[0].get("name") == name + "-" + current]
    if replicas is None:
        replicas = sum(1 for p in pods if p["status"]["phase"] == "Running")
    template = _pod_template(pods[0], annotations=template_annotations)
    revision = len(rs_hashes)
    dep_tpl = copy.deepcopy(template)
    b.items(ns, "apps", "deployments").append(k8s_deployment(
        ns, name, dep_tpl, selector, replicas, created=created, generation=generation, revision=revision,
        rs_hash=current, annotations=annotations, paused=paused, owner=owner))
    for rev, h in enumerate(rs_hashes, 1):
        tpl = copy.deepcopy(template)
        if rev < revision:  # an older template: without the later restart stamp
            tpl["metadata"].pop("annotations", None)
        b.items(ns, "apps", "replicasets").append(k8s_replicaset(
            ns, name, h, tpl, selector, replicas if h == current else 0, created=created if rev == 1 else
            pods[0]["metadata"]["creationTimestamp"], revision=rev))


def add_statefulset(b, ns, name, selector, revision_hash, *, created, generation=1):
    pods = [p for p in b.pods(ns) if (p["metadata"].get("ownerReferences") or [{}])[0].get("name") == name]
    n = len(pods)
    rev = "%s-%s" % (name, revision_hash)
    m = meta(name, ns, labels=dict(selector), created=created, generation=generation)
    b.items(ns, "apps", "statefulsets").append(
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": m,
         "spec": {"replicas": n, "serviceName": name, "podManagementPolicy": "OrderedReady",
                  "revisionHistoryLimit": 10, "selector": {"matchLabels": dict(selector)},
                  "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
                  "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
                  "template": _pod_template(pods[0])},
         "status": {"observedGeneration": generation, "replicas": n, "readyReplicas": n, "currentReplicas": n,
                    "updatedReplicas": n, "availableReplicas": n, "currentRevision": rev, "updateRevision": rev,
                    "collisionCount": 0}})


def job_labels(ns, job):
    ctrl = object_uid("Job", ns, job)
    return {"batch.kubernetes.io/controller-uid": ctrl, "batch.kubernetes.io/job-name": job,
            "controller-uid": ctrl, "job-name": job}


def k8s_cronjob(ns, name, schedule, template_pod, *, created):
    return {"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": meta(name, ns, created=created, generation=1),
            "spec": {"schedule": schedule, "concurrencyPolicy": "Forbid", "suspend": False,
                     "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                     "jobTemplate": {"spec": {"backoffLimit": 6, "template": _pod_template(
                         template_pod, drop=tuple(job_labels(ns, "x")))}}}}


def k8s_job(ns, name, cronjob, pod_obj, *, created, active=0, succeeded=0, failed=0, ready=0, completed_at=None):
    sel = {"batch.kubernetes.io/controller-uid": object_uid("Job", ns, name)}
    m = meta(name, ns, labels=job_labels(ns, name), created=created, generation=1)
    m["ownerReferences"] = [_owner_ref("batch/v1", "CronJob", ns, cronjob)]
    st = {"startTime": created, "active": active, "succeeded": succeeded, "failed": failed, "ready": ready,
          "terminating": 0, "uncountedTerminatedPods": {}}
    st = {k: v for k, v in st.items() if v != 0 or k in ("ready", "terminating")}
    if completed_at:
        st["completionTime"] = completed_at
        st["conditions"] = [dict(cond("SuccessCriteriaMet", "True", completed_at, "CompletionsReached",
                                      "Reached expected number of succeeded pods"), lastProbeTime=completed_at),
                            dict(cond("Complete", "True", completed_at, "CompletionsReached",
                                      "Reached expected number of succeeded pods"), lastProbeTime=completed_at)]
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": m,
            "spec": {"parallelism": 1, "completions": 1, "backoffLimit": 6, "completionMode": "NonIndexed",
                     "suspend": False, "manualSelector": False, "podReplacementPolicy": "TerminatingOrFailed",
                     "selector": {"matchLabels": sel}, "template": _pod_template(pod_obj, drop=())},
            "status": st}


def rebooted_pod(ns, name, node_i, owner_kind, owner_name, *, first_start, restart_at, labels, sa, image,
                 container="app", ip_last=100):
    """A pod that ran since first_start and whose container came back at restart_at after the reboot."""
    p = pod(ns, name, NODES[node_i], owner_kind, owner_name, created=at(first_start, -4), started_at=restart_at,
            ready_at=at(restart_at, 5), start_time=at(first_start, -3), labels=labels,
            annotations={"openshift.io/scc": "restricted-v2", "ambient.istio.io/redirection": "enabled"},
            containers=((container, image),), restarts=1, ip="%s.%d" % (NODE_NET[node_i], ip_last), sa=sa,
            last={"terminated": {"exitCode": 255, "reason": "Unknown", "startedAt": first_start,
                                 "finishedAt": at(STALE_T, -2)}})
    return p


def fresh_pod(ns, name, node_i, owner_kind, owner_name, *, started, labels, sa, image, container="app",
              ip_last=100, annotations=None):
    ann = {"openshift.io/scc": "restricted-v2", "ambient.istio.io/redirection": "enabled"}
    ann.update(annotations or {})
    return pod(ns, name, NODES[node_i], owner_kind, owner_name, created=at(started, -4), started_at=started,
               ready_at=at(started, 5), start_time=at(started, -3), labels=labels, annotations=ann,
               containers=((container, image),), ip="%s.%d" % (NODE_NET[node_i], ip_last), sa=sa)


def build_restart_stale():
    b, _, _ = sc_stale_pods()
    ambient = ("bookinfo", "payments", "shop", "stackrox")
    for ns in ("shop", "payments"):
        b.singles["namespaces/%s/%s.yaml" % (ns, ns)] = namespace(ns, {"istio.io/dataplane-mode": "ambient"},
                                                                  created="2026-11-19T10:00:00Z")
    b.singles["namespaces/stackrox/stackrox.yaml"]["metadata"]["labels"]["istio.io/dataplane-mode"] = "ambient"
    for p in b.pods("stackrox"):
        p["metadata"].setdefault("annotations", {})["ambient.istio.io/redirection"] = "enabled"

    # -- bookinfo: a bare debug pod started during the window
    debug = pod("bookinfo", "debug-shell", NODES[1], "", "", created="2026-11-20T11:45:40Z",
                started_at="2026-11-20T11:45:44Z", ready_at="2026-11-20T11:45:45Z",
                labels={"run": "debug-shell"},
                annotations={"openshift.io/scc": "restricted-v2", "ambient.istio.io/redirection": "enabled"},
                containers=(("debug-shell", "registry.redhat.io/rhel9/support-tools:latest"),),
                ip="10.129.2.90", sa="default")
    del debug["metadata"]["ownerReferences"]
    del debug["metadata"]["generateName"]
    b.pods("bookinfo").append(debug)

    # -- shop
    shop_img = "quay.io/example/shop-%s:3.4.1"
    b.add_list("shop", "core", "pods", "PodList")
    sp = b.pods("shop")
    sp.append(rebooted_pod("shop", "cart-7d9c6b8f5-q2kzv", 1, "ReplicaSet", "cart-7d9c6b8f5",
                           first_start="2026-11-19T10:05:12Z", restart_at="2026-11-20T11:45:33Z",
                           labels={"app": "cart", "pod-template-hash": "7d9c6b8f5"}, sa="cart",
                           image=shop_img % "cart", container="cart", ip_last=101))
    sp.append(fresh_pod("shop", "cart-7d9c6b8f5-w8nhx", 0, "ReplicaSet", "cart-7d9c6b8f5",
                        started="2026-11-19T10:05:14Z", labels={"app": "cart", "pod-template-hash": "7d9c6b8f5"},
                        sa="cart", image=shop_img % "cart", container="cart", ip_last=101))
    sp.append(rebooted_pod("shop", "checkout-5f6b7c9d8-t7mxr", 1, "ReplicaSet", "checkout-5f6b7c9d8",
                           first_start="2026-11-19T10:05:20Z", restart_at="2026-11-20T11:45:51Z",
                           labels={"app": "checkout", "pod-template-hash": "5f6b7c9d8"}, sa="checkout",
                           image=shop_img % "checkout", container="checkout", ip_last=102))
    sp.append(rebooted_pod("shop", "legacy-api-6b9f8d7c4-z5lpw", 1, "ReplicaSet", "legacy-api-6b9f8d7c4",
                           first_start="2026-11-19T10:05:25Z", restart_at="2026-11-20T11:46:02Z",
                           labels={"app": "legacy-api", "pod-template-hash": "6b9f8d7c4"}, sa="legacy-api",
                           image=shop_img % "legacy-api", container="legacy-api", ip_last=103))
    b.add_list("shop", "apps", "deployments", "DeploymentList", "apps/v1")
    b.add_list("shop", "apps", "replicasets", "ReplicaSetList", "apps/v1")
    add_deployment(b, "shop", "cart", {"app": "cart"}, created="2026-11-19T10:05:05Z")
    add_deployment(b, "shop", "checkout", {"app": "checkout"}, created="2026-11-19T10:05:10Z", generation=2,
                   paused=True)
    add_deployment(b, "shop", "legacy-api", {"app": "legacy-api"}, created="2026-11-19T10:05:15Z",
                   annotations={"meshdoctor.io/restart": "false"})

    # -- payments
    pay_img = "quay.io/example/payments-%s:1.9.0"
    b.add_list("payments", "core", "pods", "PodList")
    pp = b.pods("payments")
    ss_labels = lambda i: {"app": "ledger", "apps.kubernetes.io/pod-index": str(i),  # noqa: E731
                           "controller-revision-hash": "ledger-6f7b9d8c5",
                           "statefulset.kubernetes.io/pod-name": "ledger-%d" % i}
    pp.append(rebooted_pod("payments", "ledger-0", 1, "StatefulSet", "ledger", first_start="2026-11-19T10:06:02Z",
                           restart_at="2026-11-20T11:45:39Z", labels=ss_labels(0), sa="ledger",
                           image=pay_img % "ledger", container="ledger", ip_last=111))
    pp.append(fresh_pod("payments", "ledger-1", 2, "StatefulSet", "ledger", started="2026-11-19T10:06:31Z",
                        labels=ss_labels(1), sa="ledger", image=pay_img % "ledger", container="ledger", ip_last=111))
    fraud_old = rebooted_pod("payments", "fraud-84c7d9b6f5-hx4rt", 1, "ReplicaSet", "fraud-84c7d9b6f5",
                             first_start="2026-11-19T10:06:40Z", restart_at="2026-11-20T11:45:57Z",
                             labels={"app": "fraud", "pod-template-hash": "84c7d9b6f5"}, sa="fraud",
                             image=pay_img % "fraud", container="fraud", ip_last=112)
    pp.append(fraud_old)
    pp.append(fresh_pod("payments", "fraud-6d8f9b7c54-k9vzn", 0, "ReplicaSet", "fraud-6d8f9b7c54",
                        started="2026-11-20T11:50:06Z", labels={"app": "fraud", "pod-template-hash": "6d8f9b7c54"},
                        sa="fraud", image=pay_img % "fraud", container="fraud", ip_last=112))
    settle = pod("payments", "settle-29377300-m6q2d", NODES[1], "Job", "settle-29377300",
                 created="2026-11-20T11:45:30Z", started_at="2026-11-20T11:45:36Z", ready_at="2026-11-20T11:45:37Z",
                 labels=job_labels("payments", "settle-29377300"),
                 annotations={"openshift.io/scc": "restricted-v2", "ambient.istio.io/redirection": "enabled"},
                 containers=(("settle", pay_img % "settle"),), ip="10.129.2.113", sa="settle")
    pp.append(settle)
    b.add_list("payments", "apps", "deployments", "DeploymentList", "apps/v1")
    b.add_list("payments", "apps", "replicasets", "ReplicaSetList", "apps/v1")
    b.add_list("payments", "apps", "statefulsets", "StatefulSetList", "apps/v1")
    add_statefulset(b, "payments", "ledger", {"app": "ledger"}, "6f7b9d8c5", created="2026-11-19T10:06:00Z")
    add_deployment(b, "payments", "fraud", {"app": "fraud"}, created="2026-11-19T10:06:30Z",
                   rs_hashes=["84c7d9b6f5", "6d8f9b7c54"], generation=2,
                   template_annotations={"kubectl.kubernetes.io/restartedAt": "2026-11-20T11:50:00Z"})
    b.add_list("payments", "batch", "jobs", "JobList", "batch/v1", [
        k8s_job("payments", "settle-29377300", "settle", settle, created="2026-11-20T11:40:00Z", active=1, ready=1,
                failed=1)])
    b.add_list("payments", "batch", "cronjobs", "CronJobList", "batch/v1", [
        k8s_cronjob("payments", "settle", "*/20 * * * *", settle, created="2026-11-19T10:07:00Z")])

    # -- bookinfo workloads (every pod's owner), stackrox
    b.add_list("bookinfo", "apps", "deployments", "DeploymentList", "apps/v1")
    b.add_list("bookinfo", "apps", "replicasets", "ReplicaSetList", "apps/v1")
    for name, _app, _v, _n, _s in BOOKINFO:
        dep = name.rsplit("-", 2)[0]
        if any(d["metadata"]["name"] == dep for d in b.items("bookinfo", "apps", "deployments")):
            continue
        app, version = dep.rsplit("-", 1)
        add_deployment(b, "bookinfo", dep, {"app": app, "version": version}, created="2026-11-18T16:20:00Z"
                       if app == "productpage" else "2026-11-19T09:12:30Z",
                       generation=2 if app in ("productpage", "details") else 1)
    add_deployment(b, "bookinfo", "waypoint", {"gateway.networking.k8s.io/gateway-name": "waypoint"},
                   created="2026-11-19T09:20:02Z",
                   owner=dict(_owner_ref("gateway.networking.k8s.io/v1", "Gateway", "bookinfo", "waypoint")))
    add_deployment(b, "bookinfo", "legacy-batch", {"app": "legacy-batch"}, created="2026-11-19T09:29:55Z")
    migrate = b.pod("bookinfo", "db-migrate-")
    migrate["metadata"]["labels"] = job_labels("bookinfo", "db-migrate-29377230")
    b.add_list("bookinfo", "batch", "jobs", "JobList", "batch/v1", [
        k8s_job("bookinfo", "db-migrate-29377230", "db-migrate", migrate, created="2026-11-18T03:00:00Z",
                succeeded=1, completed_at="2026-11-18T03:01:12Z")])
    b.add_list("bookinfo", "batch", "cronjobs", "CronJobList", "batch/v1", [
        k8s_cronjob("bookinfo", "db-migrate", "0 3 * * *", migrate, created="2026-11-18T02:00:00Z")])
    b.add_list("stackrox", "apps", "deployments", "DeploymentList", "apps/v1")
    b.add_list("stackrox", "apps", "replicasets", "ReplicaSetList", "apps/v1")
    add_deployment(b, "stackrox", "sensor", {"app": "sensor"}, created="2026-11-18T10:59:55Z")
    add_deployment(b, "stackrox", "admission-control", {"app": "admission-control"}, created="2026-11-18T10:59:55Z")

    # -- istiod's ReplicaSet; the mesh's DaemonSets get their pod template too
    istiod_dep = b.items("istio-system", "apps", "deployments")[0]
    b.add_list("istio-system", "apps", "replicasets", "ReplicaSetList", "apps/v1", [k8s_replicaset(
        "istio-system", "istiod", "6b8f9c7d5", istiod_dep["spec"]["template"], istiod_dep["spec"]["selector"]["matchLabels"],
        1, created=istiod_dep["metadata"]["creationTimestamp"])])
    for ns, name, agent in (("istio-cni", "istio-cni-node", b.pods("istio-cni")[0]),
                            ("ztunnel", "ztunnel", b.pods("ztunnel")[0])):
        ds = b.items(ns, "apps", "daemonsets")[0]
        ds["spec"]["template"] = _pod_template(agent)
        ds["spec"]["template"]["spec"]["hostNetwork"] = agent["spec"].get("hostNetwork", False)

    # -- owner uids as the owners carry them; resourceVersions on every object
    for lst in b.lists.values():
        for o in lst["items"]:
            for ref in o.get("metadata", {}).get("ownerReferences", []):
                ref["uid"] = object_uid(ref["kind"], o["metadata"].get("namespace"), ref["name"])
    objs = [b.singles[k] for k in sorted(b.singles)]
    for k in sorted(b.lists):
        objs += b.lists[k]["items"]
    for i, o in enumerate(objs):
        if "metadata" in o:
            o["metadata"].setdefault("resourceVersion", str(47100000 + 1013 * i))

    for i in (0, 2):
        write_node_logs(b, i, ambient_namespaces=ambient, disabled_namespaces=())
    write_node_logs(b, 1, cni_start=at(STALE_T, 2), zt_start_at=at(STALE_T, 3), zt_conn=86.0, xds_at=85.0,
                    ambient_namespaces=ambient, disabled_namespaces=())
    add_extras(b)
    return b


RESTART_STALE_PODS = [
    "bookinfo/details-v1-65cfcf56f9-dq2tw", "bookinfo/details-v1-65cfcf56f9-m4wq8",
    "bookinfo/reviews-v2-5b667bcbf8-gj7nz", "bookinfo/debug-shell",
    "shop/cart-7d9c6b8f5-q2kzv", "shop/checkout-5f6b7c9d8-t7mxr", "shop/legacy-api-6b9f8d7c4-z5lpw",
    "payments/ledger-0", "payments/fraud-84c7d9b6f5-hx4rt", "payments/settle-29377300-m6q2d",
    "stackrox/sensor-6d9f7c8b4-x2x9p",
]


@scenario("restart-stale-workloads")
def sc_restart_stale():
    b = build_restart_stale()
    readme = """# restart-stale-workloads

The `stale-pods-one-node` story, with more workloads, for the `meshdoctor restart` playbook
(restart-stale-workloads, DESIGN §7) and its acceptance tests (`tests/cli/test_restart_*.sh`, which serve this
bundle with fakekube). Node worker-1 rebooted at 11:45:00; its ztunnel pod `ztunnel-9qzvd` (container
started 11:45:03) became Ready only at **11:46:35**. Every ambient pod on worker-1 whose latest container
start falls in 11:45:03..11:46:35 is stale. Namespaces `bookinfo`, `shop` and `payments` are labelled
`istio.io/dataplane-mode=ambient`; so is `stackrox`, which is off-mesh by policy (as in
`off-mesh-labelled-ambient`; the default off-mesh list names it). All stale pods carry
`ambient.istio.io/redirection: enabled`.

Unlike the other scenarios the bundle also holds the workload objects the playbook reads, in inspect layout:
`namespaces/<ns>/apps/{deployments,replicasets,statefulsets}.yaml`, `namespaces/<ns>/batch/{jobs,cronjobs}.yaml`
and `core/pods.yaml`, for every owner of every pod in `bookinfo`, `shop`, `payments` and `stackrox` (plus a pod
template on the istio-cni and ztunnel DaemonSets). Every object has a `uid` (`object_uid(kind, ns, name)`; the
pods' and ReplicaSets' controller `ownerReferences` carry the owner's uid) and a numeric `resourceVersion`;
workloads have `generation`, `spec.replicas`, `spec.selector.matchLabels`, a pod template and a settled status
(`observedGeneration == generation`, all replicas updated/ready/available, StatefulSet `currentRevision ==
updateRevision`).

## Cast (stale pods on worker-1, latest container start)

| namespace | pod (start) | owner | playbook |
|---|---|---|---|
| bookinfo | `details-v1-65cfcf56f9-dq2tw` (11:45:21.503), `details-v1-65cfcf56f9-m4wq8` (11:46:10) | Deployment `details-v1` | **restart** (one entry, 2 pods) |
| bookinfo | `reviews-v2-5b667bcbf8-gj7nz` (13:45:48+02:00) | Deployment `reviews-v2` | **restart** |
| bookinfo | `debug-shell` (11:45:44) | none (bare pod) | skip `bare-pod` |
| shop | `cart-7d9c6b8f5-q2kzv` (11:45:33; its sibling `cart-7d9c6b8f5-w8nhx` on worker-0 is fine) | Deployment `cart` | **restart** |
| shop | `checkout-5f6b7c9d8-t7mxr` (11:45:51) | Deployment `checkout`, `spec.paused: true` | skip `paused` |
| shop | `legacy-api-6b9f8d7c4-z5lpw` (11:46:02) | Deployment `legacy-api`, annotation `meshdoctor.io/restart: "false"` | skip `opted-out` |
| payments | `ledger-0` (11:45:39; `ledger-1` on worker-2 is fine) | StatefulSet `ledger` | **restart** |
| payments | `fraud-84c7d9b6f5-hx4rt` (11:45:57) | Deployment `fraud`, template `kubectl.kubernetes.io/restartedAt: "2026-11-20T11:50:00Z"` | skip `already-restarted` |
| payments | `settle-29377300-m6q2d` (11:45:36) | Job `settle-29377300` (owned by CronJob `settle`) | skip `job-owned` |
| stackrox | `sensor-6d9f7c8b4-x2x9p` (11:45:25) | Deployment `sensor` | skip `excluded-namespace` (off-mesh) |

`fraud` was restarted at 11:50, after ztunnel was Ready: its new ReplicaSet `fraud-6d8f9b7c54` runs
`fraud-6d8f9b7c54-k9vzn` on worker-0 and the old ReplicaSet is scaled to 0, but the collection still caught the
old pod (its deletion not yet visible). Restarting `fraud` again would be redundant.

Not stale, never listed: `productpage-v1-54bb874995-h2r9c` (worker-1, started 11:47:15.25, after Ready), pods
on other nodes, the completed Job pod `db-migrate-29377230-h8x2v`, the waypoint and `legacy-batch` pods
(`dataplane-mode=none`).

## Expected plan (`meshdoctor restart`)

Plan order is namespace, then kind, then name. Restarts: `bookinfo/Deployment/details-v1`,
`bookinfo/Deployment/reviews-v2`, `payments/StatefulSet/ledger`, `shop/Deployment/cart`. With
`--apply --yes` exactly four PATCHes (`/apis/apps/v1/namespaces/bookinfo/deployments/details-v1`,
`.../bookinfo/deployments/reviews-v2`, `.../shop/deployments/cart`, `.../payments/statefulsets/ledger`) and four
Events; with `--max-restarts 2` the first two are patched and `ledger` and `cart` are deferred (`budget`).

""" + CONV_EXTRAS + """ All ztunnel pods answer `ready` now; DaemonSet 3/3.

## Expected diagnosis

Root cause **MD504** only (its upstream MD402 passes), listing exactly the eleven stale pods above (the playbook,
not the check, decides what is restarted). MD502 **warns** (`stackrox` labelled ambient). MD503 passes (every
ambient pod is enrolled). Exit 1.
"""
    st = all_pass(MD504="fail", MD502="warn")
    return b, expected(1, ["MD504"], st, objects={"MD504": list(RESTART_STALE_PODS)},
                       objectsExcluded={"MD504": [
                           "bookinfo/productpage-v1-54bb874995-h2r9c", "bookinfo/productpage-v1-54bb874995-7xk2p",
                           "bookinfo/ratings-v1-6484c4d9bb-crjtt", "bookinfo/db-migrate-29377230-h8x2v",
                           "shop/cart-7d9c6b8f5-w8nhx", "payments/ledger-1", "payments/fraud-6d8f9b7c54-k9vzn",
                           "stackrox/admission-control-7f8c9d6b5-p4k7w",
                           "bookinfo/waypoint-5f7c8b9d6b-qj4mm", "bookinfo/legacy-batch-7c9d8f6b5-abcde"]}), readme


@scenario("pods-pending-unannotated")
def sc_pods_pending():
    b = build_healthy()
    b.pod("bookinfo", "reviews-v2-")["metadata"]["annotations"]["ambient.istio.io/redirection"] = "pending"
    b.pod("bookinfo", "ratings-v1-")["metadata"]["annotations"]["ambient.istio.io/redirection"] = "pending"
    b.pod("bookinfo", "details-v1-")["metadata"]["annotations"].pop("ambient.istio.io/redirection")
    for i in range(3):
        write_node_logs(b, i)
    add_extras(b)
    readme = """# pods-pending-unannotated

Healthy mesh (ztunnel 3/3 Ready, CNI ambient), but two `bookinfo` pods carry
`ambient.istio.io/redirection: pending` (`reviews-v2-5b667bcbf8-gj7nz` on worker-1, `ratings-v1-6484c4d9bb-crjtt`
on worker-2: in-pod rules applied, no ztunnel accepted them, traffic blackholed) and one has no annotation at
all (`details-v1-65cfcf56f9-dq2tw`, not enrolled). Not to be flagged: `legacy-batch-…` (pod label
`istio.io/dataplane-mode: none`), the waypoint pod (label `none`), the completed Job pod `db-migrate-…`
(not running), and the `stackrox` pods (namespace `none`).

""" + CONV_EXTRAS + """

## Expected diagnosis

Root cause **MD503** (its upstreams MD402 and MD303 pass), listing the three pods. Everything else passes.
Exit 1.
"""
    return b, expected(1, ["MD503"], all_pass(MD503="fail"), objects={"MD503": [
        "bookinfo/reviews-v2-5b667bcbf8-gj7nz", "bookinfo/ratings-v1-6484c4d9bb-crjtt",
        "bookinfo/details-v1-65cfcf56f9-dq2tw"]},
        objectsExcluded={"MD503": ["bookinfo/legacy-batch-7c9d8f6b5-abcde", "bookinfo/db-migrate-29377230-h8x2v",
                                   "bookinfo/waypoint-5f7c8b9d6b-qj4mm", "bookinfo/productpage-v1-54bb874995-7xk2p",
                                   "stackrox/sensor-6d9f7c8b4-x2x9p"]}), readme


@scenario("wrong-trusted-ztunnel-ns")
def sc_wrong_trusted():
    b = build_healthy()
    b.singles[b.cluster("sailoperator.io", "istios", "default")] = istio_cr(values={"trustedZtunnelNamespace": "ztunnel"})
    b.items("istio-system", "apps", "deployments")[0] = istiod("kube-system/ztunnel")
    add_extras(b)
    readme = """# wrong-trusted-ztunnel-ns

`Istio/default` sets `trustedZtunnelNamespace: ztunnel` at the top level of `spec.values` instead of
`spec.values.pilot.trustedZtunnelNamespace`. The Sail CRD has no such top-level field, so the API server prunes
it (a live object would not even show it; the fixture keeps it so the reader's handling of the pruned key is
exercised). The OpenShift platform profile then applies its default `kube-system`, and istiod runs with
`CA_TRUSTED_NODE_ACCOUNTS=kube-system/ztunnel` while ZTunnel runs in `ztunnel`: ztunnel cannot get workload
certificates (traffic breaks; readiness does not).

""" + CONV_EXTRAS + """

## Expected diagnosis

Root cause **MD202** (upstream MD201 passes). Everything else passes. Exit 1.
"""
    return b, expected(1, ["MD202"], all_pass(MD202="fail")), readme


@scenario("off-mesh-labelled-ambient")
def sc_off_mesh():
    b = build_healthy()
    b.singles["namespaces/stackrox/stackrox.yaml"]["metadata"]["labels"]["istio.io/dataplane-mode"] = "ambient"
    for p in b.pods("stackrox"):
        p["metadata"].setdefault("annotations", {})["ambient.istio.io/redirection"] = "enabled"
    for i in range(3):
        write_node_logs(b, i, ambient_namespaces=("bookinfo", "stackrox"), disabled_namespaces=())
    add_extras(b)
    readme = """# off-mesh-labelled-ambient

Healthy mesh, but the namespace `stackrox` (Red Hat Advanced Cluster Security, configured as off-mesh) is
labelled `istio.io/dataplane-mode=ambient`, and its pods were enrolled (`ambient.istio.io/redirection:
enabled`). Run with `--off-mesh-namespaces stackrox` (the default list contains it anyway).

""" + CONV_EXTRAS + """

## Expected diagnosis

MD502 **warn** (advisory), no failure, no root cause. With the collect extras nothing is unknown: exit 0
(without `--strict`). A plain inspect of the same cluster would exit 2.
"""
    return b, expected(0, [], all_pass(MD502="warn"), args=["--off-mesh-namespaces", "stackrox"]), readme


@scenario("waypoint-not-programmed")
def sc_waypoint():
    b = build_healthy()
    b.items("bookinfo", "gateway.networking.k8s.io", "gateways")[0] = waypoint_gateway(False)
    b.remove_pod("bookinfo", "waypoint-")
    add_extras(b, l7_series=0)
    readme = """# waypoint-not-programmed

Healthy ambient data plane, but the waypoint Gateway `bookinfo/waypoint` (`gatewayClassName: istio-waypoint`,
listener `mesh` 15008 `HBONE`) is `Programmed=False` reason `AddressNotUsable`: `Failed to assign to any
requested addresses: hostname "waypoint.bookinfo.svc.cluster.local" not found` (the waypoint Service/Deployment
were never rolled out; there is no waypoint pod). `bookinfo` still carries `istio.io/use-waypoint=waypoint`.
Prometheus has ztunnel TCP series but `istio_requests_total` returns 0 series.

""" + CONV_EXTRAS + """

## Expected diagnosis

Root cause **MD701**. MD702 passes (the label names a Gateway that exists). MD703 warns (no L7 metrics; advisory,
upstream MD701 fails). Exit 1.
"""
    return b, expected(1, ["MD701"], all_pass(MD701="fail", MD703="warn")), readme


@scenario("kiali-missing-rbac")
def sc_kiali():
    b = build_healthy()
    del b.singles[b.cluster("rbac.authorization.k8s.io", "clusterrolebindings", "kiali-monitoring-rbac")]
    b.items("istio-system", "kiali.io", "kialis")[0] = kiali(None)
    add_extras(b)
    readme = """# kiali-missing-rbac

Healthy mesh, but Kiali cannot query Thanos: there is no ClusterRoleBinding granting `cluster-monitoring-view`
to `istio-system/kiali-service-account` (the only `cluster-monitoring-view` binding is for
`observability/grafana-serviceaccount`), and the Kiali CR has `auth.type: bearer` without
`use_kiali_token: true` (`thanos_proxy.enabled: true` is set).

""" + CONV_EXTRAS + """

## Expected diagnosis

Root causes **MD801** and **MD802**. MD803 (upstream MD603, MD801, MD802) is not asserted; if it fails it is
explained by them. Everything else passes. Exit 1.
"""
    st = all_pass(MD801="fail", MD802="fail")
    del st["MD803"]
    return b, expected(1, ["MD801", "MD802"], st), readme


@scenario("must-gather-rooted")
def sc_must_gather():
    b = build_healthy()
    readme = """# must-gather-rooted

The `healthy` cluster as an `oc adm must-gather` directory: `bundle/` is the `must-gather.local.5538` folder.
The inspect layout sits one level down in the image folder
`""" + MUST_GATHER_IMAGE + """/`, which also holds the `timestamp` file
(`2026-11-20 12:30:01.123456789 +0000 UTC m=+0.045`, the Go time format must-gather writes). The root also has
a `must-gather.logs` file that is not part of the layout. The reader must find the image folder by itself.

""" + CONV_PLAIN + """

## Expected diagnosis

Same as `healthy-plain-inspect`: no failure; MD404, MD603, MD703, MD803 unknown; MD305, MD901 skipped; exit 2.
The collection time comes from the `timestamp` file (2026-11-20T12:30:01Z).
"""
    return b, expected(2, [], all_pass(**PLAIN_UNKNOWN), collectedAt="2026-11-20T12:30:01"), readme


@scenario("corrupt-and-missing")
def sc_corrupt():
    b = build_healthy()
    del b.lists[b.list_path("ztunnel", "apps", "daemonsets")]
    b.raw["namespaces/ztunnel/apps/daemonsets.yaml"] = (
        b"---\napiVersion: apps/v1\nitems: [\n- apiVersion: apps/v1\n  kind: DaemonSet\n  metadata: {name: ztunnel,"
        b" namespace: ztunnel\n  status:\n\tnumberReady: \x00\x01\xfe\xff 3\n  - [[\n")
    path = b.log_path("ztunnel", ZT_PODS[2], "istio-proxy")
    text = b.texts[path]
    cut = text.rindex("dst.service=") + 9
    b.texts[path] = text[:cut]
    for i in range(3):
        del b.texts[b.log_path("istio-cni", CNI_PODS[i], "install-cni")]
    cni = b.singles[b.cluster("sailoperator.io", "istiocnis", "default")]
    del cni["spec"]
    readme = """# corrupt-and-missing

The `healthy` cluster as a plain inspect bundle, damaged on purpose:

* `namespaces/ztunnel/apps/daemonsets.yaml` is not YAML (unbalanced `[`, a tab, NUL and 0xFE/0xFF bytes);
* the worker-2 ztunnel log (`ztunnel-tm7bc`) is cut in the middle of its last line, without a newline;
* the istio-cni-node log files are missing (no `pods/<pod>/install-cni/` folders at all);
* `IstioCNI/default` has no `spec` at all (only metadata and status).

""" + CONV_PLAIN + """

## Expected diagnosis

The run must not crash. The unreadable DaemonSet list makes MD402 unknown, and a warning (JSON `warnings` or an
evidence detail) names `namespaces/ztunnel/apps/daemonsets.yaml`. Missing CNI logs make MD304 unknown. The
IstioCNI without spec has no `profile: ambient`, so MD301 fails and is the only root cause. Exit 1 (never 0).
"""
    st = {"MD101": "pass", "MD201": "pass", "MD301": "fail", "MD304": "unknown", "MD402": "unknown",
          "MD404": "unknown"}
    return b, expected(1, ["MD301"], st, warningsContain=["ztunnel/apps/daemonsets.yaml"]), readme


@scenario("healthy-json-logs")
def sc_json_logs():
    b = build_healthy()
    cni = b.sail("istiocnis")
    cni["spec"]["values"]["global"] = {"logAsJson": True}
    b.sail("ztunnels")["spec"]["values"] = {"ztunnel": {"logAsJson": True}}
    for path in list(b.texts):
        if "/install-cni/" in path:
            b.texts[path] = to_json_lines(b.texts[path], "msg")
        elif "/istio-proxy/" in path:
            b.texts[path] = to_json_lines(b.texts[path], "message")
    add_extras(b)
    readme = """# healthy-json-logs

The `healthy` cluster with `global.logAsJson: true` on IstioCNI and `logAsJson: true` on ZTunnel: every log
line is a JSON object (`{"level":…,"time":…,"scope":…,"msg":…}` for istio-cni, `"message"` for ztunnel). The
CNI configuration dump is one `msg` string with `\\n` escapes, so `AmbientEnabled: true` appears inside it.

""" + CONV_EXTRAS + """

## Expected diagnosis

Same as `healthy`: exit 0, MD305 and MD901 skipped, everything else passes.
"""
    return b, expected(0, [], all_pass()), readme


@scenario("healthy-timestamped-logs")
def sc_ts_logs():
    b = build_healthy()
    for path in list(b.texts):
        if path.endswith(".log"):
            b.texts[path] = with_kubelet_timestamps(b.texts[path])
    add_extras(b)
    readme = """# healthy-timestamped-logs

The `healthy` cluster with logs as `oc logs --timestamps` returns them: every physical line, including the
continuation lines of the CNI configuration dump, starts with the kubelet's RFC3339Nano time and a space
(`2026-11-19T08:00:03.100000873Z 2026-11-19T08:00:03.100000Z<TAB>info<TAB>cni-agent<TAB>...`).

""" + CONV_EXTRAS + """

## Expected diagnosis

Same as `healthy`: exit 0.
"""
    return b, expected(0, [], all_pass()), readme


@scenario("ovn-routing-via-host-off")
def sc_ovn():
    b = build_healthy()
    b.singles[b.cluster("operator.openshift.io", "networks", "cluster")] = network(None)
    add_extras(b)
    readme = """# ovn-routing-via-host-off

Healthy mesh, but `networks.operator.openshift.io/cluster` has no `gatewayConfig.routingViaHost` (the default,
shared gateway mode). Ambient on OpenShift requires OVN-Kubernetes local gateway mode (`routingViaHost: true`);
without it kubelet probes to ambient pods can time out.

""" + CONV_EXTRAS + """

## Expected diagnosis

Root cause **MD105**. Everything else passes. Exit 1.
"""
    return b, expected(1, ["MD105"], all_pass(MD105="fail")), readme


# ---- writing ------------------------------------------------------------------------------------

def write_scenario(name):
    b, exp, readme = SCENARIOS[name]()
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    bundle = os.path.join(folder, "bundle")
    if name == "must-gather-rooted":
        b.write(os.path.join(bundle, MUST_GATHER_IMAGE))
        with open(os.path.join(bundle, MUST_GATHER_IMAGE, "timestamp"), "w") as f:
            f.write("2026-11-20 12:30:01.123456789 +0000 UTC m=+0.045\n")
        with open(os.path.join(bundle, "must-gather.logs"), "w") as f:
            f.write("[must-gather      ] OUT Using must-gather plug-in image: quay.io/openshift-release-dev/"
                    "ocp-v4.0-art-dev@sha256:abc\n[must-gather-8xk2p] POD 2026-11-20T12:30:01.045Z Gathering data "
                    "for ns/istio-system...\n")
    else:
        b.write(bundle)
    with open(os.path.join(folder, "expected.json"), "w") as f:
        f.write(json.dumps(exp, indent=2) + "\n")
    with open(os.path.join(folder, "README.md"), "w") as f:
        f.write(readme.rstrip("\n") + "\n")
    return b


def write_demo():
    demo = os.path.join(REPO, "examples", "demo-bundle")
    istiocni_not_ambient_bundle().write(demo)


def main(argv):
    names = argv or list(SCENARIOS)
    for name in names:
        if name == "demo":
            write_demo()
            continue
        if name not in SCENARIOS:
            sys.exit("unknown scenario %r (known: %s)" % (name, ", ".join(SCENARIOS)))
        write_scenario(name)
    if not argv:
        write_demo()


if __name__ == "__main__":
    main(sys.argv[1:])
