#!/usr/bin/env python3
"""Writes a synthetic OSSM 3.2 ambient cluster of any size as an `oc adm inspect` bundle.

    python3 bench/gen_bundle.py --pods 20000 --nodes 200 --seed 1 --out /tmp/bundle
    python3 bench/gen_bundle.py --pods 150000 --nodes 2000 --stale-fraction 0.001 --out DIR

The bundle follows DESIGN.md §5 and is what both `meshdoctor check --bundle DIR` and
`fakekube --bundle DIR` read:

* the control plane of tests/scenarios/healthy (Sail CRs Istio/IstioCNI/ZTunnel with the ambient
  profile, CRDs, Subscription/InstallPlan/CSV, istiod, Telemetry, Kiali, monitoring config,
  ClusterRoleBindings, ClusterVersion, Network, the off-mesh `stackrox`), copied as is;
* N nodes, each with one ztunnel and one istio-cni-node pod, their DaemonSets (N/N ready), the
  containers' logs, `meshdoctor/ztunnel-readiness.json` and `meshdoctor/collection.json`;
* a few hundred application namespaces (most labelled `istio.io/dataplane-mode: ambient`, some
  `none`, some unlabelled with a workload that opts in by pod label), each with a PodList
  `namespaces/<ns>/core/pods.yaml` of Deployment, StatefulSet and Job pods as the API server
  returns them (~3 KB of YAML each: owner references, annotations with
  `ambient.istio.io/redirection`, probes, resources, volumes, full status);
* one namespace with a programmed waypoint Gateway, its pod and a PodMonitor.

`--pods M` counts every pod of the cluster (node agents, istiod and stackrox included), so
`kubectl get pods -A -o name | wc -l` prints M. `--stale-fraction F` makes about F of the ambient
pods start while their node's ztunnel was restarting and not yet Ready (MD504 fails, naming them;
the nodes they sit on rebooted at 11:45); `--unenrolled-fraction U` leaves about U of them
without the redirection annotation or `pending` (MD503 fails). With both 0 the cluster is healthy.
The same seed writes the same bytes. `generated.json` at the top of DIR records what was made.
"""
import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
HEALTHY = os.path.join(REPO, "tests", "scenarios", "healthy", "bundle")

# Copied from the healthy scenario: everything but the node agents and the application pods.
COPIED = ["cluster-scoped-resources", "namespaces/istio-system", "namespaces/openshift-operators",
          "namespaces/openshift-monitoring", "namespaces/stackrox", "meshdoctor/prometheus.json"]
FIXED_PODS = 3  # istiod in istio-system, two stackrox pods

COLLECTED_AT = "2026-11-20T12:30:00Z"
ZT_CREATED = "2026-11-19T08:01:00Z"
CNI_CREATED = "2026-11-19T07:59:58Z"
REBOOT_AT = "2026-11-20T11:45:00Z"        # rebooted nodes (only with --stale-fraction > 0)
ZT_RESTART = "2026-11-20T11:45:03Z"       # ztunnel container back on a rebooted node
ZT_READY_AFTER_REBOOT = "2026-11-20T11:46:35Z"
ISTIO_VERSION = "1.27.3"
CNI_IMAGE = "registry.redhat.io/openshift-service-mesh/istio-cni-rhel9:" + ISTIO_VERSION
ZT_IMAGE = "registry.redhat.io/openshift-service-mesh/istio-ztunnel-rhel9:" + ISTIO_VERSION
PROXY_IMAGE = "registry.redhat.io/openshift-service-mesh/istio-proxyv2-rhel9:" + ISTIO_VERSION
LIST_TAIL = 'kind: %s\nmetadata:\n  resourceVersion: "48213107"\n'
SUFFIX = "bcdfghjklmnpqrstvwxz2456789"
APPS = ["cart", "checkout", "catalog", "payments", "orders", "inventory", "shipping", "frontend",
        "search", "recommend", "reviews", "ratings", "details", "auth", "users", "notify", "billing",
        "ledger", "edge", "worker", "scheduler", "reports", "media", "pricing", "quotes", "session"]
TEAMS = ["shop", "bank", "media", "iot", "data", "ops", "web", "api", "ml", "crm", "erp", "hr"]


# ---- time --------------------------------------------------------------------------------------

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def secs(ts):
    return (dt.datetime.fromisoformat(ts.replace("Z", "+00:00")) - EPOCH).total_seconds()


def rfc(t):
    return (EPOCH + dt.timedelta(seconds=int(t))).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc_micros(t):
    return (EPOCH + dt.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# ---- templates ---------------------------------------------------------------------------------
# Block YAML as `oc adm inspect` writes it (keys sorted, list items at their key's indent). An item
# of a List starts with "- " and every further line is indented by two spaces.

APP_POD = """\
- apiVersion: v1
  kind: Pod
  metadata:
    annotations:
{redirection}      k8s.ovn.org/pod-networks: '{{"default":{{"ip_addresses":["{ip}/23"],"mac_address":"{mac}","gateway_ips":["{gw}"],"role":"primary"}}}}'
      openshift.io/scc: restricted-v2
      seccomp.security.alpha.kubernetes.io/pod: runtime/default
    creationTimestamp: "{created}"
    generateName: {generate_name}
    labels:
      app: {app}
{extra_labels}      version: v1
    name: {name}
    namespace: {ns}
    ownerReferences:
    - apiVersion: {owner_api}
      blockOwnerDeletion: true
      controller: true
      kind: {owner_kind}
      name: {owner}
      uid: {owner_uid}
    resourceVersion: "{rv}"
    uid: {uid}
  spec:
    containers:
    - image: {image}
      imagePullPolicy: IfNotPresent
      name: {app}
      ports:
      - containerPort: 8080
        name: http
        protocol: TCP
      resources:
        limits:
          cpu: 500m
          memory: 512Mi
        requests:
          cpu: 100m
          memory: 128Mi
      volumeMounts:
      - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
        name: kube-api-access-{vol}
        readOnly: true
    dnsPolicy: ClusterFirst
    enableServiceLinks: true
    nodeName: {node}
    restartPolicy: {restart_policy}
    schedulerName: default-scheduler
    securityContext:
      fsGroup: 1000710000
      seccompProfile:
        type: RuntimeDefault
    serviceAccount: {app}
    serviceAccountName: {app}
    terminationGracePeriodSeconds: 30
    volumes:
    - name: kube-api-access-{vol}
      projected:
        defaultMode: 420
        sources:
        - serviceAccountToken:
            expirationSeconds: 3607
            path: token
        - configMap:
            items:
            - key: ca.crt
              path: ca.crt
            name: kube-root-ca.crt
  status:
    conditions:
    - lastTransitionTime: "{scheduled}"
      status: "True"
      type: Initialized
{ready_conditions}    - lastTransitionTime: "{created}"
      status: "True"
      type: PodScheduled
    containerStatuses:
    - containerID: cri-o://{container_id}
      image: {image}
      imageID: {image_id}
{last_state}      name: {app}
      ready: {ready}
      restartCount: {restarts}
      started: {started}
      state:
{state}    hostIP: {host_ip}
    phase: {phase}
    podIP: {ip}
    qosClass: Burstable
    startTime: "{scheduled}"
"""

READY_CONDITIONS = """\
    - lastTransitionTime: "{t}"
      status: "{s}"
      type: Ready
    - lastTransitionTime: "{t}"
      status: "{s}"
      type: ContainersReady
"""

NOT_READY_CONDITIONS = """\
    - lastTransitionTime: "{t}"
      reason: PodCompleted
      status: "False"
      type: Ready
    - lastTransitionTime: "{t}"
      reason: PodCompleted
      status: "False"
      type: ContainersReady
"""

AGENT_POD = """\
- apiVersion: v1
  kind: Pod
  metadata:
    annotations:
      openshift.io/scc: privileged
      prometheus.io/port: "{prom_port}"
      prometheus.io/scrape: "true"
      sidecar.istio.io/inject: "false"
    creationTimestamp: "{created}"
    generateName: {ds}-
    labels:
{labels}    name: {name}
    namespace: {ns}
    ownerReferences:
    - apiVersion: apps/v1
      blockOwnerDeletion: true
      controller: true
      kind: DaemonSet
      name: {ds}
      uid: {ds_uid}
    uid: {uid}
  spec:
    containers:
    - image: {image}
      name: {container}
{host_network}    nodeName: {node}
    restartPolicy: Always
    serviceAccountName: {ds_sa}
  status:
    conditions:
    - lastTransitionTime: "{initialized}"
      status: "True"
      type: Initialized
    - lastTransitionTime: "{ready_at}"
      status: "True"
      type: Ready
    - lastTransitionTime: "{ready_at}"
      status: "True"
      type: ContainersReady
    - lastTransitionTime: "{created}"
      status: "True"
      type: PodScheduled
    containerStatuses:
    - image: {image}
{last_state}      name: {container}
      ready: true
      restartCount: {restarts}
      started: true
      state:
        running:
          startedAt: "{started}"
    phase: Running
    podIP: {ip}
    startTime: "{initialized}"
"""

DAEMONSET = """\
---
apiVersion: apps/v1
items:
- apiVersion: apps/v1
  kind: DaemonSet
  metadata:
    annotations:
      deprecated.daemonset.template.generation: "1"
    creationTimestamp: "2026-11-19T07:59:58Z"
    generation: 1
    labels:
      {label}
    name: {name}
    namespace: {ns}
    uid: {uid}
  spec:
    selector:
      matchLabels:
        {label}
    updateStrategy:
      rollingUpdate:
        maxUnavailable: 1
      type: RollingUpdate
  status:
    currentNumberScheduled: {n}
    desiredNumberScheduled: {n}
    numberAvailable: {n}
    numberMisscheduled: 0
    numberReady: {n}
    observedGeneration: 1
    updatedNumberScheduled: {n}
kind: DaemonSetList
metadata:
  resourceVersion: "48213107"
"""

NAMESPACE = """\
apiVersion: v1
kind: Namespace
metadata:
  annotations:
    openshift.io/sa.scc.mcs: s0:c27,c4
    openshift.io/sa.scc.uid-range: 1000710000/10000
  creationTimestamp: "2026-11-18T10:00:00Z"
  labels:
{labels}    kubernetes.io/metadata.name: {name}
  name: {name}
  uid: {uid}
spec:
  finalizers:
  - kubernetes
status:
  phase: Active
"""

PODMONITOR = """\
---
apiVersion: monitoring.coreos.com/v1
items:
- apiVersion: monitoring.coreos.com/v1
  kind: PodMonitor
  metadata:
    creationTimestamp: "2026-11-19T08:06:00Z"
    generation: 1
    name: {name}
    namespace: {ns}
    uid: {uid}
  spec:
    podMetricsEndpoints:
    - interval: 30s
      path: /stats/prometheus
      relabelings:
      - action: keep
        regex: istio-proxy
        sourceLabels:
        - __meta_kubernetes_pod_container_name
      - action: keep
        sourceLabels:
        - __meta_kubernetes_pod_annotationpresent_prometheus_io_scrape
    selector:
      matchExpressions:
      - key: istio-prometheus-ignore
        operator: DoesNotExist
kind: PodMonitorList
metadata:
  resourceVersion: "48213107"
"""

WAYPOINT_GATEWAY = """\
---
apiVersion: gateway.networking.k8s.io/v1
items:
- apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  metadata:
    creationTimestamp: "2026-11-19T09:20:00Z"
    generation: 1
    labels:
      istio.io/waypoint-for: service
    name: waypoint
    namespace: {ns}
    uid: {uid}
  spec:
    gatewayClassName: istio-waypoint
    listeners:
    - allowedRoutes:
        namespaces:
          from: Same
      name: mesh
      port: 15008
      protocol: HBONE
  status:
    conditions:
    - lastTransitionTime: "2026-11-19T09:20:01Z"
      message: Resource accepted
      observedGeneration: 1
      reason: Accepted
      status: "True"
      type: Accepted
    - lastTransitionTime: "2026-11-19T09:20:14Z"
      message: Resource programmed, assigned to service(s) waypoint.{ns}.svc.cluster.local:15008
      observedGeneration: 1
      reason: Programmed
      status: "True"
      type: Programmed
kind: GatewayList
metadata:
  resourceVersion: "48213107"
"""

ZT_CONFIG = ("proxy: true\ndnsProxy: true\nxdsAddress: https://istiod.istio-system.svc:15012\n"
             "caAddress: https://istiod.istio-system.svc:15012\nproxyMode: Shared\ninpodEnabled: true\n"
             "inpodUds: /var/run/ztunnel/ztunnel.sock\ninpodPortReuse: true\ninpodMark: 1337")

CNI_CONFIG = """MountedCNINetDir: /host/etc/cni/net.d
CNIConfName: istio-cni.conf
ChainedCNIPlugin: false
CNIAgentRunDir: /var/run/istio-cni
IstioOwnedCNIConfigFilename: 
IstioOwnedCNIConfig: false
PluginLogLevel: info
KubeconfigMode: 0600
KubeCAFile: 
SkipTLSVerify: false
ExcludeNamespaces: kube-system
PodNamespace: istio-cni
K8sServiceProtocol: 
K8sServiceHost: 172.30.0.1
K8sServicePort: 443
K8sNodeName: {node}
CNIBinSourceDir: /opt/cni/bin
CNIBinTargetDirs: /host/opt/cni/bin
MonitoringPort: 15014
ZtunnelUDSAddress: /var/run/ztunnel/ztunnel.sock
AmbientEnabled: true
AmbientEnablementSelector: - podSelector:
    matchLabels:
      istio.io/dataplane-mode: ambient
- namespaceSelector:
    matchLabels:
      istio.io/dataplane-mode: ambient
  podSelector:
    matchExpressions:
    - key: istio.io/dataplane-mode
      operator: NotIn
      values:
      - none
AmbientDNSCapture: true
AmbientIPv6: true
AmbientDisableSafeUpgrade: false
AmbientReconcilePodRulesOnStartup: true
NativeNftables: false
"""


# ---- the model ---------------------------------------------------------------------------------

class Gen:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)

    # deterministic identifiers
    def uid(self):
        h = "%032x" % self.rng.getrandbits(128)
        return "%s-%s-4%s-a%s-%s" % (h[0:8], h[8:12], h[13:16], h[17:20], h[20:32])

    def suffix(self, n=5):
        return "".join(self.rng.choice(SUFFIX) for _ in range(n))

    def unique_name(self, prefix, used):
        """prefix + a random suffix no earlier call with the same `used` set returned."""
        name = prefix + self.suffix()
        while name in used:
            name = prefix + self.suffix()
        used.add(name)
        return name

    def hexid(self, bits=256):
        return "%0*x" % (bits // 4, self.rng.getrandbits(bits))

    def write(self, rel, text):
        path = os.path.join(self.args.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(text.encode())


def yaml_str(text):
    """A generated name as a YAML string: quoted when it would read as a number."""
    return '"%s"' % text if text.isdigit() else text


def node_name(i):
    return "worker-%d.ocp.example.com" % i


def host_ip(i):
    return "192.168.%d.%d" % (10 + i // 250, 10 + i % 250)


def pod_ip(node_i, k):
    return "10.%d.%d.%d" % (128 + node_i // 128, (node_i % 128) * 2 + (k // 250) % 2, 2 + k % 250)


# ---- node agents ---------------------------------------------------------------------------------

def agent_pod(g, *, ds, ns, name, node_i, created, started, ready_at, restarts, image, container, labels,
              prom_port, host_network, sa, ds_uid):
    last_state = "      lastState: {}\n"
    if restarts:
        last_state = ("      lastState:\n        terminated:\n          exitCode: 255\n"
                      '          finishedAt: "%s"\n          reason: Unknown\n          startedAt: "%s"\n'
                      % (rfc(secs(REBOOT_AT) - 2), rfc(secs(created) + 3)))
    lab = "".join("      %s: %s\n" % kv for kv in labels)
    return AGENT_POD.format(
        prom_port=prom_port, created=rfc(secs(created)), ds=ds, labels=lab, name=name, ns=ns, ds_uid=ds_uid,
        uid=g.uid(), image=image, container=container,
        host_network="    hostNetwork: true\n" if host_network else "", node=node_name(node_i), ds_sa=sa,
        initialized=rfc(secs(created) + 1), ready_at=rfc(ready_at), last_state=last_state, restarts=restarts,
        started=rfc(started), ip=host_ip(node_i) if host_network else pod_ip(node_i, 1))


def cni_log(node, start):
    T = lambda s: rfc_micros(start + s)  # noqa: E731
    lines = [
        "%s\tinfo\tcni-agent\tCNI version: %s-3f1c9d2a7b6e-Clean" % (T(0.1), ISTIO_VERSION),
        "%s\tinfo\tcni-agent\tCNI logging level: info" % T(0.1),
        "%s\tinfo\tcni-agent\tCNI install configuration: \n%s" % (T(0.1), CNI_CONFIG.format(node=node)),
        "%s\tinfo\tcni-agent\tStarting ambient node agent with inpod redirect mode on socket "
        "/var/run/istio-cni/pluginevent.sock" % T(0.2),
        "%s\tinfo\tcni-agent\tCNI ambient server starting" % T(0.23),
        "%s\tinfo\tcni-agent\tinpod reconcile mode enabled" % T(0.24),
        "%s\tinfo\tcni-agent\tCNI ambient server kubeclient started" % T(0.33),
        "%s\tinfo\tcni-agent\tCNI ambient server marking ready" % T(0.35),
        "%s\tinfo\tcni-agent\tAmbient node agent started, starting installer..." % T(0.36),
        "%s\tinfo\tcni-agent\tCopied istio-cni to /host/opt/cni/bin" % T(0.40),
        "%s\tinfo\tcni-agent\tinitialization complete, watching node CNI dir" % T(0.41),
    ]
    return "\n".join(lines) + "\n"


def ztunnel_log(start, ready_after):
    T = lambda s: rfc_micros(start + s)  # noqa: E731
    return "\n".join([
        '%s\tinfo\tztunnel\tversion: version.BuildInfo{Version:"%s", GitRevision:"0c3e1b9d4f2a", '
        'RustVersion:"1.88.0", BuildProfile:"release", BuildStatus:"Clean", IstioVersion:"%s", '
        'CryptoProvider:"openssl"}' % (T(0.001), ISTIO_VERSION, ISTIO_VERSION),
        "%s\tinfo\tztunnel\trunning with config: %s" % (T(0.0015), ZT_CONFIG),
        '%s\tinfo\thyper_util\tlistener established\taddress=[::]:15021 component="readiness"' % T(0.013),
        '%s\tinfo\thyper_util\tlistener established\taddress=[::]:15020 component="stats"' % T(0.0135),
        "%s\tinfo\tapp\tshared proxy mode - in-pod mode enabled" % T(0.0136),
        "%s\tinfo\treadiness\tTask 'proxy' complete (12.5ms), still awaiting 2 tasks" % T(0.0138),
        "%s\tinfo\txds::client:xds{id=1}\tStream established" % T(0.033),
        "%s\tinfo\treadiness\tTask 'state manager' complete (%.1fs), still awaiting 1 tasks"
        % (T(ready_after - 0.01), ready_after - 0.01),
        "%s\tinfo\tinpod::workloadmanager\thandling new stream" % T(0.052),
        "%s\tinfo\tinpod::statemanager\treceived snapshot sent" % T(0.061),
        "%s\tinfo\treadiness\tTask 'workload proxy manager' complete (%.1fs), marking server ready"
        % (T(ready_after), ready_after),
    ]) + "\n"


def write_agents(g, nodes, rebooted):
    """ztunnel and istio-cni-node: DaemonSets, one pod per node, logs, readiness answers."""
    zt_pods, cni_pods, readiness = [], [], []
    zt_ds_uid, cni_ds_uid = g.uid(), g.uid()
    zt_labels = [("app", "ztunnel"), ("app.kubernetes.io/name", "ztunnel"), ("controller-revision-hash", "7b9c5d8f6d"),
                 ("istio.io/dataplane-mode", "none"), ("pod-template-generation", '"1"'),
                 ("sidecar.istio.io/inject", '"false"')]
    cni_labels = [("controller-revision-hash", "6f9d8c7b54"), ("istio.io/dataplane-mode", "none"),
                  ("k8s-app", "istio-cni-node"), ("pod-template-generation", '"1"'),
                  ("sidecar.istio.io/inject", '"false"')]
    zt_ready_at = {}
    used = set()
    for i in range(nodes):
        node = node_name(i)
        zt_name, cni_name = g.unique_name("ztunnel-", used), g.unique_name("istio-cni-node-", used)
        zt_created, cni_created = secs(ZT_CREATED) + i % 60, secs(CNI_CREATED) + i % 60
        if i in rebooted:
            zt_start, zt_ready, zt_restarts = secs(ZT_RESTART), secs(ZT_READY_AFTER_REBOOT), 1
            cni_start, cni_ready, cni_restarts = secs(REBOOT_AT) + 20, secs(REBOOT_AT) + 40, 1
        else:
            zt_start, zt_ready, zt_restarts = zt_created + 3, zt_created + 9, 0
            cni_start, cni_ready, cni_restarts = cni_created + 5, cni_created + 23, 0
        zt_ready_at[i] = zt_ready
        zt_pods.append(agent_pod(
            g, ds="ztunnel", ns="ztunnel", name=zt_name, node_i=i, created=rfc(zt_created), started=zt_start,
            ready_at=zt_ready, restarts=zt_restarts, image=ZT_IMAGE, container="istio-proxy", labels=zt_labels,
            prom_port=15020, host_network=False, sa="ztunnel", ds_uid=zt_ds_uid))
        cni_pods.append(agent_pod(
            g, ds="istio-cni-node", ns="istio-cni", name=cni_name, node_i=i, created=rfc(cni_created),
            started=cni_start, ready_at=cni_ready, restarts=cni_restarts, image=CNI_IMAGE, container="install-cni",
            labels=cni_labels, prom_port=15014, host_network=True, sa="istio-cni", ds_uid=cni_ds_uid))
        g.write("namespaces/ztunnel/pods/%s/istio-proxy/istio-proxy/logs/current.log" % zt_name,
                ztunnel_log(zt_start, zt_ready - zt_start))
        g.write("namespaces/istio-cni/pods/%s/install-cni/install-cni/logs/current.log" % cni_name,
                cni_log(node, cni_start))
        readiness.append({"namespace": "ztunnel", "pod": zt_name, "node": node, "status": 200, "body": "ready\n"})
    for ns, pods, ds, label, uid_ in [("ztunnel", zt_pods, "ztunnel", "app: ztunnel", zt_ds_uid),
                                      ("istio-cni", cni_pods, "istio-cni-node", "k8s-app: istio-cni-node", cni_ds_uid)]:
        g.write("namespaces/%s/%s.yaml" % (ns, ns), NAMESPACE.format(
            labels="    istio.io/dataplane-mode: none\n", name=ns, uid=g.uid()))
        g.write("namespaces/%s/apps/daemonsets.yaml" % ns, DAEMONSET.format(label=label, name=ds, ns=ns, uid=uid_, n=nodes))
        g.write("namespaces/%s/core/pods.yaml" % ns, "---\napiVersion: v1\nitems:\n" + "".join(pods) + LIST_TAIL % "PodList")
    g.write("namespaces/ztunnel/monitoring.coreos.com/podmonitors.yaml",
            PODMONITOR.format(name="istio-ztunnel-monitor", ns="ztunnel", uid=g.uid()))
    g.write("meshdoctor/ztunnel-readiness.json", json.dumps(readiness, indent=2) + "\n")
    return zt_ready_at


# ---- application namespaces ----------------------------------------------------------------------

def plan_namespaces(g, app_pods):
    """(name, mode) per application namespace: mode ambient, none, or unlabelled ("")."""
    count = max(3, min(400, app_pods // 60))
    out = []
    for k in range(count):
        name = "%s-%03d" % (TEAMS[k % len(TEAMS)], k)
        roll = g.rng.random()
        mode = "ambient" if k == 0 or roll < 0.9 else ("none" if roll < 0.95 else "")
        out.append((name, mode))
    return out


def workloads_for(g, ns, n_pods):
    """(kind, name, pod names) summing to n_pods: mostly Deployments, some StatefulSets and Jobs."""
    out = []
    left = n_pods
    apps = list(APPS)
    g.rng.shuffle(apps)
    k = 0
    while left > 0:
        base = apps[k % len(apps)] + ("" if k < len(apps) else "-%d" % (k // len(apps)))
        k += 1
        roll = g.rng.random()
        size = min(left, g.rng.randint(1, 12))
        if roll < 0.05:
            name = "%s-migrate-%d" % (base, 29377000 + g.rng.randint(0, 999))
            out.append(("Job", base, name, [name + "-" + g.suffix()]))
            left -= 1
        elif roll < 0.15:
            out.append(("StatefulSet", base, base, ["%s-%d" % (base, r) for r in range(size)]))
            left -= size
        else:
            rs = "%s-%s" % (base, g.suffix(10))
            used = set()
            out.append(("ReplicaSet", base, rs, [g.unique_name(rs + "-", used) for _ in range(size)]))
            left -= size
    return out


def app_pod(g, *, ns, app, kind, owner, name, node_i, k, created, started, ready_at, restarts,
            redirection, extra_labels, phase="Running", image=None):
    image = image or "registry.example.com/%s/%s:2.%d.%d" % (ns.split("-")[0], app, len(app) % 7, len(name) % 5)
    if phase == "Succeeded":
        ready = "false"
        conditions = NOT_READY_CONDITIONS.format(t=rfc(started + 60))
        state = ('        terminated:\n          containerID: cri-o://%s\n          exitCode: 0\n'
                 '          finishedAt: "%s"\n          reason: Completed\n          startedAt: "%s"\n'
                 % (g.hexid(), rfc(started + 60), rfc(started)))
        last_state = "      lastState: {}\n"
        started_flag = "false"
    else:
        ready = "true"
        conditions = READY_CONDITIONS.format(t=rfc(ready_at), s="True")
        state = '        running:\n          startedAt: "%s"\n' % rfc(started)
        started_flag = "true"
        last_state = "      lastState: {}\n"
        if restarts:
            last_state = ("      lastState:\n        terminated:\n          containerID: cri-o://%s\n"
                          '          exitCode: 255\n          finishedAt: "%s"\n          reason: Unknown\n'
                          '          startedAt: "%s"\n' % (g.hexid(), rfc(secs(REBOOT_AT) - 2), rfc(created + 4)))
    mac_tail = k % 65536
    ip = pod_ip(node_i, k)
    return APP_POD.format(
        redirection=("      ambient.istio.io/redirection: %s\n" % redirection) if redirection else "",
        ip=ip, mac="0a:58:0a:%02x:%02x:%02x" % (node_i % 256, mac_tail // 256, mac_tail % 256),
        gw=ip.rsplit(".", 1)[0] + ".1", created=rfc(created), generate_name=name[: name.rfind("-") + 1],
        app=app, extra_labels=extra_labels, name=name, ns=ns,
        owner_api="batch/v1" if kind == "Job" else "apps/v1", owner_kind=kind, owner=owner,
        owner_uid=g.uid(), rv=48000000 + g.rng.randint(0, 213107), uid=g.uid(), image=image,
        vol=g.suffix(), node=node_name(node_i), restart_policy="Never" if kind == "Job" else "Always",
        scheduled=rfc(created + 1), ready_conditions=conditions, container_id=g.hexid(),
        image_id="registry.example.com/%s/%s@sha256:%s" % (ns.split("-")[0], app, g.hexid()),
        last_state=last_state, ready=ready, restarts=restarts, started=started_flag, state=state,
        host_ip=host_ip(node_i), phase=phase)


def write_apps(g, app_pods, nodes, zt_ready_at, rebooted):
    """Application namespaces and their pods; returns what was made, for generated.json."""
    a = g.args
    plan = plan_namespaces(g, app_pods)
    per_ns = [app_pods // len(plan) + (1 if k < app_pods % len(plan) else 0) for k in range(len(plan))]
    counts = {"ambient": 0, "stale": 0, "unannotated": 0, "pending": 0, "jobs": 0}
    stale_names = []
    rebooted_list = sorted(rebooted)
    waypoint_ns = plan[0][0]
    k_global = 0
    for (ns, mode), n_pods in zip(plan, per_ns):
        labels = ""
        if mode:
            labels += "    istio.io/dataplane-mode: %s\n" % mode
        if ns == waypoint_ns:
            labels += "    istio.io/use-waypoint: waypoint\n"
        g.write("namespaces/%s/%s.yaml" % (ns, ns), NAMESPACE.format(labels=labels, name=ns, uid=g.uid()))
        items = []
        workloads = workloads_for(g, ns, n_pods - (1 if ns == waypoint_ns else 0))
        # A namespace that is not labelled still has one workload that opts in with its own label.
        opt_in = workloads[0][1] if mode == "" else None
        for kind, app, owner, names in workloads:
            extra = ""
            if kind == "ReplicaSet":
                extra = "      pod-template-hash: %s\n" % yaml_str(owner.rsplit("-", 1)[1])
            elif kind == "StatefulSet":
                extra = "      controller-revision-hash: %s-%s\n" % (owner, g.suffix(10))
            pod_mode = mode
            if app == opt_in:
                extra = "      istio.io/dataplane-mode: ambient\n" + extra
                pod_mode = "ambient"
            for name in names:
                k_global += 1
                node_i = g.rng.randrange(nodes)
                created = secs("2026-11-19T09:00:00Z") + g.rng.randint(0, 26 * 3600)
                if g.rng.random() < 0.1:  # running since before the mesh: handed over by the CNI snapshot
                    created = secs("2026-11-18T12:00:00Z") + g.rng.randint(0, 12 * 3600)
                started, restarts = created + 4, 0
                redirection = "enabled" if pod_mode == "ambient" and kind != "Job" else None
                if kind == "Job":
                    counts["jobs"] += 1
                    items.append(app_pod(g, ns=ns, app=app, kind=kind, owner=owner, name=name,
                                         node_i=node_i, k=k_global, created=created, started=started,
                                         ready_at=started + 6, restarts=0, redirection=None, extra_labels=
                                         "      batch.kubernetes.io/job-name: %s\n      job-name: %s\n" % (owner, owner),
                                         phase="Succeeded"))
                    continue
                if redirection:
                    counts["ambient"] += 1
                    roll = g.rng.random()
                    if roll < a.stale_fraction and rebooted_list:
                        # Restarted by the node reboot while ztunnel was not Ready yet.
                        node_i = rebooted_list[g.rng.randrange(len(rebooted_list))]
                        started = secs(ZT_RESTART) + 2 + g.rng.randint(0, int(zt_ready_at[node_i] - secs(ZT_RESTART)) - 4)
                        restarts = 1
                        counts["stale"] += 1
                        stale_names.append(ns + "/" + name)
                    elif roll < a.stale_fraction + a.unenrolled_fraction:
                        redirection = "pending" if g.rng.random() < 0.5 else None
                        counts["pending" if redirection else "unannotated"] += 1
                    elif node_i in rebooted and started >= secs(ZT_RESTART):
                        started, restarts = zt_ready_at[node_i] + 30 + g.rng.randint(0, 600), 1
                items.append(app_pod(g, ns=ns, app=app, kind=kind, owner=owner, name=name,
                                     node_i=node_i, k=k_global, created=created, started=started,
                                     ready_at=started + 6, restarts=restarts, redirection=redirection,
                                     extra_labels=extra))
        if ns == waypoint_ns:
            items.append(app_pod(g, ns=ns, app="waypoint", kind="ReplicaSet", owner="waypoint-5f7c8b9d6b",
                                 name="waypoint-5f7c8b9d6b-" + g.suffix(), node_i=0, k=0,
                                 created=secs("2026-11-19T09:20:05Z"), started=secs("2026-11-19T09:20:09Z"),
                                 ready_at=secs("2026-11-19T09:20:13Z"), restarts=0, redirection=None,
                                 extra_labels="      gateway.networking.k8s.io/gateway-name: waypoint\n"
                                              "      istio.io/dataplane-mode: none\n", image=PROXY_IMAGE))
            g.write("namespaces/%s/gateway.networking.k8s.io/gateways.yaml" % ns, WAYPOINT_GATEWAY.format(ns=ns, uid=g.uid()))
            g.write("namespaces/%s/monitoring.coreos.com/podmonitors.yaml" % ns,
                    PODMONITOR.format(name="istio-waypoint-monitor", ns=ns, uid=g.uid()))
        g.write("namespaces/%s/core/pods.yaml" % ns,
                "---\napiVersion: v1\nitems:\n" + "".join(items) + LIST_TAIL % "PodList")
    counts["namespaces"] = len(plan)
    counts["ambientNamespaces"] = sum(1 for _, m in plan if m == "ambient")
    return counts, stale_names


# ---- main ------------------------------------------------------------------------------------------

def copy_fixed(out):
    for rel in COPIED:
        src, dst = os.path.join(HEALTHY, rel), os.path.join(out, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.isdir(src):
            shutil.copytree(src, dst)
        else:
            shutil.copyfile(src, dst)


def yaml_bytes_under(root):
    total = 0
    for dirpath, _, files in os.walk(root):
        total += sum(os.path.getsize(os.path.join(dirpath, f)) for f in files if f.endswith((".yaml", ".yml")))
    return total


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pods", type=int, required=True, help="pods in the whole cluster (node agents included)")
    p.add_argument("--nodes", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--stale-fraction", type=float, default=0.0,
                   help="fraction of ambient pods started while their node's ztunnel was not Ready (MD504)")
    p.add_argument("--unenrolled-fraction", type=float, default=0.0,
                   help="fraction of ambient pods without, or with a pending, redirection annotation (MD503)")
    p.add_argument("--out", required=True, help="bundle directory to write (replaced if it exists)")
    a = p.parse_args(argv)
    if a.nodes < 1:
        p.error("--nodes must be at least 1")
    if a.pods < 2 * a.nodes + FIXED_PODS + 3:
        p.error("--pods must be at least 2 x nodes + %d (the node agents, istiod, stackrox and 3 app pods)"
                % (FIXED_PODS + 3))
    for name in ("stale_fraction", "unenrolled_fraction"):
        if not 0.0 <= getattr(a, name) <= 1.0:
            p.error("--%s must be within [0, 1]" % name.replace("_", "-"))
    if a.stale_fraction + a.unenrolled_fraction > 1.0:
        p.error("--stale-fraction + --unenrolled-fraction must not exceed 1")
    return a


def main(argv):
    a = parse_args(argv)
    if not os.path.isdir(HEALTHY):
        sys.exit("gen_bundle: %s is missing (the control plane objects are copied from it)" % HEALTHY)
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    os.makedirs(a.out)
    g = Gen(a)
    copy_fixed(a.out)
    # Nodes that rebooted at 11:45: only when stale pods are asked for (they need a ztunnel restart).
    rebooted = set()
    if a.stale_fraction > 0:
        rebooted = set(g.rng.sample(range(a.nodes), max(1, a.nodes // 20)))
    zt_ready_at = write_agents(g, a.nodes, rebooted)
    app_pods = a.pods - 2 * a.nodes - FIXED_PODS
    counts, stale = write_apps(g, app_pods, a.nodes, zt_ready_at, rebooted)
    collected = ["apiextensions.k8s.io/customresourcedefinitions", "config.openshift.io/clusterversions",
                 "operator.openshift.io/networks", "rbac.authorization.k8s.io/clusterrolebindings",
                 "sailoperator.io/istios", "sailoperator.io/istiocnis", "sailoperator.io/ztunnels"]
    g.write("meshdoctor/collection.json", json.dumps({"collectedAt": COLLECTED_AT, "collected": collected}, indent=2) + "\n")
    manifest = {"generator": "bench/gen_bundle.py", "pods": a.pods, "nodes": a.nodes, "seed": a.seed,
                "staleFraction": a.stale_fraction, "unenrolledFraction": a.unenrolled_fraction,
                "appPods": app_pods, "rebootedNodes": sorted(node_name(i) for i in rebooted),
                "yamlBytes": yaml_bytes_under(a.out), "stalePods": stale, **counts}
    with open(os.path.join(a.out, "generated.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print("gen_bundle: %d pods (%d ambient, %d stale, %d pending, %d unannotated) on %d nodes in %d namespaces, "
          "%.1f MB of YAML -> %s" % (a.pods, counts["ambient"], counts["stale"], counts["pending"],
                                     counts["unannotated"], a.nodes, counts["namespaces"],
                                     manifest["yamlBytes"] / 1e6, a.out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
