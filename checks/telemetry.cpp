// Telemetry checks MD601–MD604: the objects and settings that make ztunnel's istio_tcp_* metrics
// reach OpenShift user-workload monitoring, and whether Prometheus actually has them.
#include <algorithm>

#include "checks/catalogue.hpp"
#include "checks/check_util.hpp"

namespace meshdoctor::checks {

namespace {

using probe::Facts;

const char* k_docs_metrics =
    "https://docs.redhat.com/en/documentation/red_hat_openshift_service_mesh/latest/html/"
    "observability/"
    "metrics-and-service-mesh";

std::string telemetry_source(const probe::Telemetry& t) {
  return object_source(
      t.origin.api_version.empty() ? "telemetry.istio.io/v1" : t.origin.api_version, "Telemetry",
      t.ns, t.name, t.origin);
}

// spec.namespace of the first CR of a Sail kind (defaults already applied by the probe).
std::string target_namespace(const probe::Section<probe::SailCr>& crs,
                             const std::string& fallback) {
  for (const auto& cr : crs.items) {
    if (!cr.target_namespace.empty()) return cr.target_namespace;
  }
  return fallback;
}

bool has_prometheus(const probe::Telemetry& t) {
  const auto& p = t.metrics_providers;
  return std::find(p.begin(), p.end(), "prometheus") != p.end();
}

std::string providers_text(const probe::Telemetry& t) {
  if (t.metrics_providers.empty()) return "no metrics providers";
  std::string out = "metrics providers [";
  for (size_t i = 0; i < t.metrics_providers.size(); ++i)
    out += (i ? ", " : "") + t.metrics_providers[i];
  return out + "]";
}

// ---- MD601 ------------------------------------------------------------------------------------

std::string telemetry_fix(const std::string& ns) {
  return "oc apply -f - <<'EOF'\n"
         "apiVersion: telemetry.istio.io/v1\n"
         "kind: Telemetry\n"
         "metadata:\n"
         "  name: enable-prometheus-metrics\n"
         "  namespace: " +
         ns +
         "\n"
         "spec:\n"
         "  metrics:\n"
         "  - providers:\n"
         "    - name: prometheus\n"
         "EOF";
}

// The mesh-wide Telemetry that enables prometheus, preferring the seed name mesh-default.
const probe::Telemetry* mesh_prometheus_telemetry(const Facts& facts, const std::string& ns) {
  const probe::Telemetry* found = nullptr;
  for (const auto& t : facts.telemetries.items) {
    if (t.ns != ns || t.has_selector_or_target || !has_prometheus(t)) continue;
    if (!found || t.name == "mesh-default") found = &t;
  }
  return found;
}

Finding run_telemetry_prometheus(const Facts& facts, const CheckContext&) {
  if (!facts.telemetries.source.ok()) {
    return unknown_from_source("MD601", "telemetry.istio.io Telemetry list",
                               facts.telemetries.source);
  }
  std::string ns = target_namespace(facts.istios, "istio-system");
  if (const auto* t = mesh_prometheus_telemetry(facts, ns)) {
    Finding f = make_finding(
        "MD601", Status::pass,
        "Telemetry " + ns + "/" + t->name + " enables the prometheus provider mesh-wide");
    f.evidence.push_back(
        {telemetry_source(*t), providers_text(*t) + ", no selector or targetRefs"});
    return f;
  }
  Finding f =
      make_finding("MD601", Status::fail,
                   "no mesh-wide Telemetry in " + ns + " enables the prometheus metrics provider");
  for (const auto& t : facts.telemetries.items) {
    if (t.ns != ns) continue;
    f.evidence.push_back(
        {telemetry_source(t),
         providers_text(t) + (t.has_selector_or_target ? ", scoped by selector/targetRefs" : "")});
  }
  if (f.evidence.empty()) {
    f.evidence.push_back({"telemetry.istio.io Telemetry list", "no Telemetry in namespace " + ns});
  }
  f.fix = telemetry_fix(ns);
  return f;
}

// ---- MD602 ------------------------------------------------------------------------------------

std::string podmonitor_fix(const std::string& ns) {
  return "oc apply -f - <<'EOF'\n"
         "apiVersion: monitoring.coreos.com/v1\n"
         "kind: PodMonitor\n"
         "metadata:\n"
         "  name: istio-ztunnel-monitor\n"
         "  namespace: " +
         ns +
         "\n"
         "spec:\n"
         "  selector:\n"
         "    matchExpressions:\n"
         "    - key: istio-prometheus-ignore\n"
         "      operator: DoesNotExist\n"
         "  podMetricsEndpoints:\n"
         "  - path: /stats/prometheus\n"
         "    interval: 30s\n"
         "    relabelings:\n"
         "    - action: keep\n"
         "      sourceLabels: [__meta_kubernetes_pod_container_name]\n"
         "      regex: \"istio-proxy\"\n"
         "    - action: keep\n"
         "      sourceLabels: [__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape]\n"
         "    - action: replace\n"
         "      regex: (\\d+);((([0-9]+?)(\\.|$)){4})\n"
         "      replacement: '$2:$1'\n"
         "      sourceLabels:\n"
         "      - __meta_kubernetes_pod_annotation_prometheus_io_port\n"
         "      - __meta_kubernetes_pod_ip\n"
         "      targetLabel: __address__\n"
         "EOF\n"
         "(IPv6 clusters: add the IPv6 address rewrite from the OSSM 3 ambient monitoring docs.)";
}

Finding run_ztunnel_podmonitor(const Facts& facts, const CheckContext&) {
  if (!facts.pod_monitors.source.ok()) {
    return unknown_from_source("MD602", "monitoring.coreos.com PodMonitor list",
                               facts.pod_monitors.source);
  }
  std::string ns = target_namespace(facts.ztunnels, "ztunnel");
  Finding f = make_finding("MD602", Status::pass, "");
  for (const auto& pm : facts.pod_monitors.items) {
    if (pm.ns != ns) continue;
    f.evidence.push_back(
        {object_source("monitoring.coreos.com/v1", "PodMonitor", ns, pm.name, pm.origin),
         "exists in the ztunnel namespace"});
  }
  if (!f.evidence.empty()) {
    f.message = std::to_string(f.evidence.size()) + " PodMonitor(s) in ztunnel namespace " + ns;
    return f;
  }
  f.status = Status::fail;
  f.message = "no PodMonitor in ztunnel namespace " + ns + ": ztunnel metrics are not scraped";
  f.evidence.push_back(
      {"monitoring.coreos.com PodMonitor list",
       "none in namespace " + ns + " (" + std::to_string(facts.pod_monitors.items.size()) +
           " PodMonitor(s) in other namespaces)" +
           (facts.ztunnels.items.empty() ? "; no ZTunnel CR read, assumed namespace ztunnel"
                                         : "")});
  f.fix = podmonitor_fix(ns);
  return f;
}

// ---- MD603 ------------------------------------------------------------------------------------

Finding run_istio_tcp_metrics(const Facts& facts, const CheckContext&) {
  if (!facts.prometheus.source.ok()) {
    Finding f = unknown_from_source("MD603", "Prometheus query results", facts.prometheus.source);
    f.message = "no Prometheus reachable / not in a plain inspect bundle";
    return f;
  }
  Finding f =
      make_finding("MD603", Status::unknown, "no istio_tcp_* query was run against Prometheus");
  int series = 0, queries = 0;
  for (const auto& q : facts.prometheus.items) {
    if (q.query.find("istio_tcp_") == std::string::npos) continue;
    ++queries;
    series += q.series;
    f.evidence.push_back({"Prometheus query " + q.query, std::to_string(q.series) + " series"});
  }
  if (queries == 0) return f;
  f.status = series > 0 ? Status::pass : Status::fail;
  f.message = series > 0
                  ? "Prometheus returns " + std::to_string(series) + " istio_tcp_* series"
                  : "Prometheus returns no istio_tcp_* series: ztunnel metrics are not collected";
  return f;
}

// ---- MD604 ------------------------------------------------------------------------------------

std::string cm_source(const probe::MonitoringConfig& mc) {
  return object_source("v1", "ConfigMap", "openshift-monitoring", "cluster-monitoring-config",
                       mc.origin);
}

Finding run_user_workload_monitoring(const Facts& facts, const CheckContext&) {
  const auto& mc = facts.monitoring_config;
  const std::string source = "v1 ConfigMap openshift-monitoring/cluster-monitoring-config";
  if (!mc.source.ok()) return unknown_from_source("MD604", source, mc.source);
  if (facts.cluster_version.source.ok() && !facts.cluster_version.value) {
    return make_finding("MD604", Status::skipped, "not an OpenShift cluster (no ClusterVersion)");
  }
  Finding f = make_finding("MD604", Status::fail, "");
  if (!mc.value) {
    f.message =
        "ConfigMap cluster-monitoring-config does not exist: user-workload monitoring is off";
    f.evidence.push_back({source, "not found"});
    f.fix =
        "oc apply -f - <<'EOF'\n"
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata:\n"
        "  name: cluster-monitoring-config\n"
        "  namespace: openshift-monitoring\n"
        "data:\n"
        "  config.yaml: |\n"
        "    enableUserWorkload: true\n"
        "EOF";
  } else if (!mc.value->enable_user_workload) {
    f.message = "enableUserWorkload is not set in cluster-monitoring-config (default false)";
    f.evidence.push_back({cm_source(*mc.value), "data[config.yaml] has no enableUserWorkload"});
  } else {
    bool on = *mc.value->enable_user_workload;
    f.status = on ? Status::pass : Status::fail;
    f.message = on ? "user-workload monitoring is enabled" : "enableUserWorkload is false";
    f.evidence.push_back(
        {cm_source(*mc.value),
         std::string("data[config.yaml] enableUserWorkload: ") + (on ? "true" : "false")});
  }
  return f;
}

}  // namespace

std::vector<CheckInfo> telemetry_checks() {
  std::vector<CheckInfo> v;
  v.push_back({"MD601",
               "telemetry-prometheus",
               "telemetry",
               Severity::fail,
               {"MD201"},
               "A mesh-wide Telemetry in istio-system enables the prometheus metrics provider",
               "No Istio metrics in OpenShift monitoring or Kiali",
               "Without a Telemetry selecting the prometheus provider the mesh does not export "
               "standard metrics "
               "as the OSSM 3 monitoring setup expects",
               "oc apply a Telemetry enable-prometheus-metrics in istio-system with "
               "spec.metrics[].providers "
               "[{name: prometheus}]",
               k_docs_metrics,
               run_telemetry_prometheus});
  v.push_back({"MD602",
               "ztunnel-podmonitor",
               "telemetry",
               Severity::fail,
               {},
               "A PodMonitor scrapes ztunnel in the ztunnel namespace",
               "istio_tcp_* metrics are missing; Kiali shows no traffic for ambient workloads",
               "OpenShift user-workload monitoring ignores namespaceSelector, so ztunnel is only "
               "scraped by a "
               "PodMonitor in its own namespace",
               "oc apply a PodMonitor istio-ztunnel-monitor in the ztunnel namespace (path "
               "/stats/prometheus, "
               "container istio-proxy)",
               k_docs_metrics,
               run_ztunnel_podmonitor});
  v.push_back({"MD603",
               "istio-tcp-metrics",
               "telemetry",
               Severity::fail,
               {"MD402", "MD602", "MD601"},
               "Prometheus returns istio_tcp_* series from ztunnel",
               "Dashboards and the Kiali traffic graph are empty for ambient workloads",
               "ztunnel is not running/ready, not scraped (no PodMonitor), or the prometheus "
               "provider is not "
               "enabled; with ztunnel only, L4 istio_tcp_* metrics are all there is",
               "Fix the upstream findings, then check Observe → Targets for the ztunnel monitor "
               "(new targets can take up to 5 minutes to appear)",
               k_docs_metrics,
               run_istio_tcp_metrics});
  v.push_back(
      {"MD604",
       "user-workload-monitoring",
       "telemetry",
       Severity::fail,
       {},
       "cluster-monitoring-config has enableUserWorkload: true",
       "PodMonitors and ServiceMonitors in mesh namespaces are ignored; no mesh metrics in Observe",
       "User-workload monitoring is disabled, so Prometheus does not scrape user namespaces",
       "oc -n openshift-monitoring edit configmap cluster-monitoring-config and set "
       "enableUserWorkload: true in data.config.yaml (keep its other settings); if the ConfigMap "
       "does "
       "not exist, create it with only that line",
       "https://docs.redhat.com/en/documentation/openshift_container_platform/latest/html/"
       "monitoring/"
       "configuring-user-workload-monitoring",
       run_user_workload_monitoring});
  return v;
}

}  // namespace meshdoctor::checks
