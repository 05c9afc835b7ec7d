// The rules of `meshdoctor lint` (ML…): metadata only; lint/ implements them. Each rule finds in
// rendered GitOps manifests a fault that a live check (MD…) would find on the cluster after the
// sync; the fixes edit the chart, since Argo CD reverts a live `oc patch`.
#include "checks/catalogue.hpp"

namespace meshdoctor::checks {

namespace {

constexpr const char* k_docs_ambient =
    "https://github.com/openshift/openshift-docs/blob/main/modules/"
    "ossm-installing-istio-ambient-mode.adoc";
constexpr const char* k_docs_waves =
    "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/";
constexpr const char* k_docs_add = "https://istio.io/latest/docs/ambient/usage/add-workloads/";
constexpr const char* k_docs_waypoint = "https://istio.io/latest/docs/ambient/usage/waypoint/";
constexpr const char* k_docs_monitoring =
    "https://github.com/openshift/openshift-docs/blob/main/modules/"
    "ossm-config-openshift-monitoring-ambient-mode.adoc";
constexpr const char* k_docs_kiali =
    "https://github.com/istio-ecosystem/sail-operator/blob/main/docs/addons/observability.adoc";
constexpr const char* k_docs_channels =
    "https://docs.redhat.com/en/documentation/red_hat_openshift_service_mesh/3.2";

CheckInfo rule(const char* id,
               const char* name,
               Severity severity,
               const char* title,
               const char* symptom,
               const char* cause,
               const char* fix,
               const char* docs) {
  return CheckInfo{id, name, "lint", severity, {}, title, symptom, cause, fix, docs, {}};
}

std::vector<CheckInfo> sail_rules() {
  std::vector<CheckInfo> v;
  v.push_back(rule(
      "ML001", "istiocni-ambient-profile", Severity::fail,
      "every IstioCNI has spec.profile: ambient (and not spec.values.cni.ambient.enabled: false)",
      "after the sync, ztunnel pods stay 0/N ready logging \"failed to connect to the Istio CNI "
      "node "
      "agent\" (NotFound); Istio shows ZTunnelNotHealthy; no pod is enrolled",
      "without the ambient profile the CNI chart keeps cni.ambient.enabled=false, so the agent "
      "never "
      "serves /var/run/ztunnel/ztunnel.sock. Live check: MD301",
      "In the chart template of the IstioCNI named in the evidence:\n"
      "  spec:\n    namespace: istio-cni\n    profile: ambient\n"
      "and remove any spec.values.cni.ambient.enabled: false. Commit; after the sync:\n"
      "oc rollout status ds/istio-cni-node -n istio-cni",
      k_docs_ambient));
  v.push_back(rule(
      "ML002", "cni-reconcile-iptables", Severity::warn,
      "every IstioCNI sets spec.values.cni.ambient.reconcileIptablesOnStartup: true",
      "after an istio-cni upgrade or restart, enrolled pods keep stale in-pod iptables rules",
      "the chart default is false before Istio 1.29; Red Hat's ambient procedure sets it to true. "
      "Live check: MD302",
      "In the IstioCNI template:\n"
      "  spec:\n    values:\n      cni:\n        ambient:\n          reconcileIptablesOnStartup: "
      "true",
      k_docs_ambient));
  v.push_back(rule(
      "ML003", "istio-ambient-profile", Severity::fail,
      "every Istio has spec.profile: ambient (or openshift-ambient)",
      "istiod runs without ambient: no istio-waypoint GatewayClass, ztunnel gets no workloads, "
      "Istio may report ZTunnel or IstioCNI dependencies unhealthy",
      "the ambient profile sets values.profile=ambient, which turns on PILOT_ENABLE_AMBIENT in "
      "istiod. Live check: MD201",
      "In the Istio template:\n"
      "  spec:\n    namespace: istio-system\n    profile: ambient\n    values:\n      pilot:\n"
      "        trustedZtunnelNamespace: ztunnel",
      k_docs_ambient));
  v.push_back(rule(
      "ML004", "trusted-ztunnel-namespace", Severity::fail,
      "Istio sets spec.values.pilot.trustedZtunnelNamespace to the ZTunnel namespace",
      "ztunnel logs XDS client connection errors or certificate signing is refused: istiod trusts "
      "ztunnel of another namespace; traffic between ambient pods fails",
      "trustedZtunnelNamespace belongs under spec.values.pilot; anywhere else (e.g. top-level "
      "spec.values.trustedZtunnelNamespace) the Istio CRD prunes it. When unset, the OpenShift "
      "platform profile trusts kube-system, not the ZTunnel namespace (ztunnel by default). "
      "Live check: MD202",
      "In the Istio template, with the namespace of ZTunnel.spec.namespace:\n"
      "  spec:\n    values:\n      pilot:\n        trustedZtunnelNamespace: ztunnel\n"
      "and delete trustedZtunnelNamespace from any other place under spec. After the sync:\n"
      "oc get deploy istiod -n istio-system -o yaml | grep -A1 CA_TRUSTED_NODE_ACCOUNTS",
      k_docs_ambient));
  v.push_back(rule(
      "ML005", "sail-cr-name-default", Severity::fail, "IstioCNI and ZTunnel are named default",
      "Argo CD reports the IstioCNI or ZTunnel out of sync with a validation error; the CNI agent "
      "or "
      "ztunnel is never deployed",
      "the IstioCNI and ZTunnel CRDs validate `metadata.name must be 'default'` (one per cluster)",
      "In the template:\n  metadata:\n    name: default\n"
      "(ZTunnel.spec.targetRef names the Istio, whatever its name)",
      k_docs_ambient));
  return v;
}

std::vector<CheckInfo> gitops_rules() {
  std::vector<CheckInfo> v;
  v.push_back(rule(
      "ML006", "sync-wave-order", Severity::fail,
      "Argo CD sync waves create ambient in order: mesh namespaces and IstioCNI, then Istio and "
      "ZTunnel, then istio.io/dataplane-mode: ambient namespace labels, then waypoint Gateways",
      "right after a sync, application pods run unenrolled or fail with \"upstream connect "
      "error\"; "
      "waypoints stay unprogrammed until istiod runs; the first sync needs a retry",
      "Argo CD syncs a wave only after the earlier ones are healthy. Pods labelled ambient before "
      "ztunnel is ready start without redirection (MD504); a waypoint created before istiod runs "
      "in ambient mode has no GatewayClass; Istio waits for IstioCNI. A resource without the "
      "argocd.argoproj.io/sync-wave annotation is in wave 0",
      "Annotate each resource of the chart:\n"
      "  metadata:\n    annotations:\n      argocd.argoproj.io/sync-wave: \"1\"   # namespaces "
      "istio-system, istio-cni, ztunnel; IstioCNI\n"
      "      argocd.argoproj.io/sync-wave: \"2\"   # Istio, ZTunnel\n"
      "      argocd.argoproj.io/sync-wave: \"3\"   # namespaces labelled "
      "istio.io/dataplane-mode: ambient\n"
      "      argocd.argoproj.io/sync-wave: \"4\"   # waypoint Gateways\n"
      "Pods already started too early: meshdoctor restart --apply",
      k_docs_waves));
  v.push_back(rule(
      "ML007", "off-mesh-namespaces", Severity::fail,
      "off-mesh namespaces (--off-mesh-namespaces; default stackrox, industrial-edge-data-lake) "
      "are "
      "labelled istio.io/dataplane-mode: none",
      "components that must bypass the mesh (StackRox sensors, data-lake brokers) lose "
      "connectivity "
      "or are captured by ztunnel after a sync",
      "istio.io/dataplane-mode: ambient on an off-mesh namespace enrolls it (fail); without an "
      "explicit none, a later label or a mesh-wide selector can enroll it (warn). Live check: "
      "MD502",
      "In the Namespace template:\n"
      "  metadata:\n    labels:\n      istio.io/dataplane-mode: none",
      k_docs_add));
  return v;
}

std::vector<CheckInfo> waypoint_and_telemetry_rules() {
  std::vector<CheckInfo> v;
  v.push_back(rule(
      "ML008", "waypoint-listener", Severity::fail,
      "every istio-waypoint Gateway has the listener {name: mesh, port: 15008, protocol: HBONE}",
      "the waypoint Gateway is not Programmed (listener UnsupportedProtocol); L7 policies are not "
      "enforced",
      "istiod accepts a waypoint only with a single HBONE listener on 15008. Live check: MD701",
      "In the Gateway template (what istioctl waypoint generate prints):\n"
      "  spec:\n    gatewayClassName: istio-waypoint\n    listeners:\n    - name: mesh\n"
      "      port: 15008\n      protocol: HBONE",
      k_docs_waypoint));
  v.push_back(
      rule("ML009", "use-waypoint-target", Severity::fail,
           "every istio.io/use-waypoint label names an istio-waypoint Gateway of the manifests",
           "traffic of the labelled namespace, service or pods bypasses L7 policy; services show "
           "WaypointBound False",
           "the label names a Gateway that is not rendered (typo, other namespace without "
           "istio.io/use-waypoint-namespace, or a Gateway of another class). Live check: MD702",
           "Render the waypoint in the labelled namespace (name = label value):\n"
           "  apiVersion: gateway.networking.k8s.io/v1\n  kind: Gateway\n  metadata:\n"
           "    name: waypoint\n  spec:\n    gatewayClassName: istio-waypoint\n    listeners:\n"
           "    - name: mesh\n      port: 15008\n      protocol: HBONE\n"
           "or correct the label value (istio.io/use-waypoint-namespace for another namespace)",
           k_docs_waypoint));
  v.push_back(rule(
      "ML010", "telemetry-prometheus", Severity::fail,
      "a Telemetry in the Istio root namespace enables the prometheus provider mesh-wide",
      "no istio_tcp_* or istio_requests_total series in OpenShift monitoring; Kiali draws no "
      "traffic graph",
      "OSSM 3 does not enable the prometheus metrics provider by default; the Red Hat procedure "
      "creates a Telemetry in istio-system. Evaluated when the manifests hold the Istio CR. "
      "Live check: MD601",
      "Add to the control-plane chart:\n"
      "  apiVersion: telemetry.istio.io/v1\n  kind: Telemetry\n  metadata:\n"
      "    name: enable-prometheus-metrics\n    namespace: istio-system\n  spec:\n"
      "    metrics:\n    - providers:\n      - name: prometheus",
      k_docs_monitoring));
  v.push_back(rule(
      "ML011", "ztunnel-podmonitor", Severity::fail, "a PodMonitor exists in the ZTunnel namespace",
      "ztunnel targets are missing from Observe → Targets; istio_tcp_* metrics never reach "
      "Prometheus",
      "OpenShift user-workload monitoring ignores namespaceSelector, so the PodMonitor must live "
      "in "
      "the ztunnel namespace itself (metadata.namespace set). Evaluated when the manifests hold "
      "the "
      "ZTunnel CR. Live check: MD602",
      "Add the PodMonitor istio-ztunnel-monitor of the Red Hat procedure with\n"
      "  metadata:\n    name: istio-ztunnel-monitor\n    namespace: ztunnel\n"
      "(path /stats/prometheus; keep container istio-proxy and pods annotated "
      "prometheus.io/scrape)",
      k_docs_monitoring));
  return v;
}

std::vector<CheckInfo> kiali_and_olm_rules() {
  std::vector<CheckInfo> v;
  v.push_back(rule(
      "ML012", "kiali-prometheus-auth", Severity::fail,
      "Kiali sets spec.external_services.prometheus.auth.use_kiali_token: true and "
      "thanos_proxy.enabled: true",
      "Kiali shows \"Could not fetch metrics\" or an empty graph; Thanos Querier answers 401",
      "Thanos Querier needs the bearer token of Kiali's service account, and Kiali must know a "
      "Thanos "
      "proxy is in front (defaults: false). external_services mis-indented beside spec (a known "
      "doc copy) is ignored. Live check: MD802",
      "In the Kiali template:\n"
      "  spec:\n    external_services:\n      prometheus:\n        auth:\n"
      "          type: bearer\n          use_kiali_token: true\n        thanos_proxy:\n"
      "          enabled: true\n"
      "        url: https://thanos-querier.openshift-monitoring.svc.cluster.local:9091",
      k_docs_kiali));
  v.push_back(rule(
      "ML013", "kiali-monitoring-rbac", Severity::fail,
      "a ClusterRoleBinding grants ClusterRole cluster-monitoring-view to Kiali's service account",
      "Kiali graphs stay empty; its log shows 403 from thanos-querier",
      "Kiali's service account (<instance_name>-service-account, kiali-service-account by default, "
      "in the Kiali namespace) needs cluster-monitoring-view to query Thanos. Evaluated when the "
      "manifests hold a Kiali CR. Live check: MD801",
      "Add to the chart:\n"
      "  apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRoleBinding\n  metadata:\n"
      "    name: kiali-monitoring-rbac\n  roleRef:\n    apiGroup: rbac.authorization.k8s.io\n"
      "    kind: ClusterRole\n    name: cluster-monitoring-view\n  subjects:\n"
      "  - kind: ServiceAccount\n    name: kiali-service-account\n    namespace: istio-system",
      k_docs_kiali));
  v.push_back(rule("ML014", "operator-channel", Severity::fail,
                   "the servicemeshoperator3 Subscription (rendered, or in "
                   "clusterGroup.subscriptions of a value "
                   "file) is not on candidates or stable-3.0",
                   "no ZTunnel CRD or ztunnel after the sync; later the upgrade to GA blocks with "
                   "\"risk of data "
                   "loss updating istios.sailoperator.io\"",
                   "candidates holds only the OSSM 3.0 Tech Preview (v1alpha1 APIs, no ztunnel); "
                   "OSSM 3.0 has no "
                   "ambient support (3.1 or later needed). Live checks: MD102, MD103",
                   "In values-hub.yaml and every values-<spoke>.yaml:\n"
                   "  clusterGroup:\n    subscriptions:\n      servicemesh:\n        name: "
                   "servicemeshoperator3\n"
                   "        namespace: openshift-operators\n        channel: stable-3.2\n"
                   "        source: redhat-operators\n"
                   "A cluster already on candidates: meshdoctor explain MD103",
                   k_docs_channels));
  v.push_back(rule(
      "ML015", "channel-consistency", Severity::fail,
      "hub and spokes subscribe to servicemeshoperator3 on the same channel",
      "hub and spoke clusters run different OSSM and Istio versions; shared charts fail on some "
      "clusters (API fields, ZTunnel v1 vs v1alpha1)",
      "each Validated Patterns cluster group has its own value file; a channel changed in one "
      "(or left unset: the package default, stable) drifts from the others. The reference is the "
      "hub's choice, else the most common one. Live check: MD901",
      "Set the same channel in every value file:\n"
      "  clusterGroup:\n    subscriptions:\n      servicemesh:\n        name: "
      "servicemeshoperator3\n"
      "        channel: stable-3.2",
      "https://validatedpatterns.io/learn/clustergroup-in-values-files/"));
  return v;
}

std::vector<CheckInfo> all_rules() {
  std::vector<CheckInfo> out;
  for (auto* part :
       {&sail_rules, &gitops_rules, &waypoint_and_telemetry_rules, &kiali_and_olm_rules}) {
    for (auto& r : (*part)()) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

const std::vector<CheckInfo>& lint_catalogue() {
  static const std::vector<CheckInfo> k_rules = all_rules();
  return k_rules;
}

}  // namespace meshdoctor::checks
