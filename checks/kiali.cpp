// Kiali checks MD801–MD803: Kiali may read OpenShift monitoring (RBAC), is configured for the
// Thanos querier with its own token, and has ztunnel metrics to draw a traffic graph from.
#include "checks/catalogue.hpp"
#include "checks/check_util.hpp"

namespace meshdoctor::checks {

namespace {

using probe::Facts;
using probe::Kiali;

const char* k_role = "cluster-monitoring-view";
const char* k_kiali_sa = "kiali-service-account";
const char* k_thanos_url = "https://thanos-querier.openshift-monitoring.svc.cluster.local:9091";
const char* k_docs_kiali =
    "https://github.com/istio-ecosystem/sail-operator/blob/main/docs/addons/observability.adoc";

std::string kiali_source(const Kiali& k) {
  return object_source(k.origin.api_version.empty() ? "kiali.io/v1alpha1" : k.origin.api_version,
                       "Kiali", k.ns, k.name, k.origin);
}

// Unknown/skipped when the Kiali CRs cannot be read or there are none; nullopt to go on.
std::optional<Finding> kiali_precondition(const std::string& id, const Facts& facts) {
  if (!facts.kialis.source.ok())
    return unknown_from_source(id, "kiali.io Kiali list", facts.kialis.source);
  if (facts.kialis.items.empty()) return make_finding(id, Status::skipped, "Kiali not installed");
  return std::nullopt;
}

// ---- MD801 ------------------------------------------------------------------------------------

// The binding granting cluster-monitoring-view to the Kiali service account in ns, if any.
const probe::ClusterRoleBinding* monitoring_binding(const Facts& facts, const std::string& ns) {
  for (const auto& b : facts.cluster_role_bindings.items) {
    if (b.role_kind != "ClusterRole" || b.role_name != k_role) continue;
    for (const auto& s : b.subjects) {
      if (s.kind == "ServiceAccount" && s.name == k_kiali_sa && s.ns == ns) return &b;
    }
  }
  return nullptr;
}

std::string binding_fix(const std::string& ns) {
  return "oc apply -f - <<'EOF'\n"
         "apiVersion: rbac.authorization.k8s.io/v1\n"
         "kind: ClusterRoleBinding\n"
         "metadata:\n"
         "  name: kiali-monitoring-rbac" +
         (ns == "istio-system" ? std::string() : "-" + ns) +
         "\n"
         "roleRef:\n"
         "  apiGroup: rbac.authorization.k8s.io\n"
         "  kind: ClusterRole\n"
         "  name: cluster-monitoring-view\n"
         "subjects:\n"
         "- kind: ServiceAccount\n"
         "  name: kiali-service-account\n"
         "  namespace: " +
         ns +
         "\n"
         "EOF\n";
}

Finding run_monitoring_rbac(const Facts& facts, const CheckContext&) {
  if (auto pre = kiali_precondition("MD801", facts)) return *pre;
  const auto& crbs = facts.cluster_role_bindings;
  if (!crbs.source.ok())
    return unknown_from_source("MD801", "ClusterRoleBinding list", crbs.source);
  Finding f = make_finding("MD801", Status::pass, "");
  for (const auto& k : facts.kialis.items) {
    std::string sa = k.ns + "/" + k_kiali_sa;
    if (const auto* b = monitoring_binding(facts, k.ns)) {
      f.evidence.push_back({object_source("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "",
                                          b->name, b->origin),
                            "grants ClusterRole cluster-monitoring-view to ServiceAccount " + sa});
      continue;
    }
    f.status = Status::fail;
    f.objects.push_back({"ServiceAccount", k.ns, k_kiali_sa});
    f.evidence.push_back({"rbac.authorization.k8s.io ClusterRoleBinding list",
                          "no binding of cluster-monitoring-view to ServiceAccount " + sa + " (" +
                              std::to_string(crbs.items.size()) +
                              " cluster-monitoring-view binding(s) read)"});
    f.fix += binding_fix(k.ns);
  }
  f.message = f.status == Status::pass
                  ? "kiali-service-account may read cluster monitoring"
                  : "kiali-service-account is not bound to cluster-monitoring-view";
  return f;
}

// ---- MD802 ------------------------------------------------------------------------------------

std::string flag_text(const std::optional<bool>& b) {
  return b ? (*b ? "true" : "false") : "not set (default false)";
}

// Adds one evidence line per field; returns whether the Kiali is configured for Thanos.
bool check_auth(const Kiali& k, Finding& f) {
  bool ok = k.prometheus_auth_type == "bearer" && k.use_kiali_token == true &&
            k.thanos_proxy_enabled == true;
  std::string src = kiali_source(k);
  f.evidence.push_back(
      {src, "spec.external_services.prometheus.auth.type: " +
                (k.prometheus_auth_type.empty() ? std::string("not set (default none)")
                                                : k.prometheus_auth_type) +
                " (bearer expected)"});
  f.evidence.push_back({src, "spec.external_services.prometheus.auth.use_kiali_token: " +
                                 flag_text(k.use_kiali_token)});
  f.evidence.push_back({src, "spec.external_services.prometheus.thanos_proxy.enabled: " +
                                 flag_text(k.thanos_proxy_enabled)});
  f.evidence.push_back(
      {src,
       "spec.external_services.prometheus.url: " +
           (k.prometheus_url.empty()
                ? std::string("not set (Kiali assumes prometheus in the control-plane namespace)")
                : k.prometheus_url)});
  return ok;
}

std::string auth_fix(const Kiali& k) {
  return "oc patch kiali " + k.name + " -n " + k.ns +
         " --type merge -p '{\"spec\":{\"external_services\":"
         "{\"prometheus\":{\"auth\":{\"type\":\"bearer\",\"use_kiali_token\":true},"
         "\"thanos_proxy\":{\"enabled\":true},\"url\":\"" +
         k_thanos_url + "\"}}}}'\n";
}

Finding run_prometheus_auth(const Facts& facts, const CheckContext&) {
  if (auto pre = kiali_precondition("MD802", facts)) return *pre;
  Finding f = make_finding("MD802", Status::pass, "");
  std::vector<std::string> bad;
  for (const auto& k : facts.kialis.items) {
    if (check_auth(k, f)) continue;
    bad.push_back(k.ns + "/" + k.name);
    f.objects.push_back({"Kiali", k.ns, k.name});
    f.fix += auth_fix(k);
  }
  f.status = bad.empty() ? Status::pass : Status::fail;
  f.message = bad.empty() ? "Kiali uses its token against the Thanos querier"
                          : "Kiali " + bad.front() +
                                " is not configured for the Thanos querier with its own token";
  return f;
}

// ---- MD803 ------------------------------------------------------------------------------------

Finding run_traffic_graph(const Facts& facts, const CheckContext& ctx) {
  if (auto pre = kiali_precondition("MD803", facts)) return *pre;
  if (!facts.prometheus.source.ok()) {
    Finding f = unknown_from_source("MD803", "Prometheus query results", facts.prometheus.source);
    f.message =
        "no Prometheus reachable / not in a plain inspect bundle: cannot tell whether Kiali has "
        "data";
    return f;
  }
  int series = 0, queries = 0;
  for (const auto& q : facts.prometheus.items) {
    if (q.query.find("istio_tcp_") == std::string::npos) continue;
    ++queries;
    series += q.series;
  }
  if (queries == 0)
    return make_finding("MD803", Status::unknown,
                        "no istio_tcp_* query was run against Prometheus");
  Finding f = make_finding("MD803", Status::pass, "");
  f.evidence.push_back({"Prometheus istio_tcp_* queries", std::to_string(series) + " series"});
  Finding rbac = run_monitoring_rbac(facts, ctx), auth = run_prometheus_auth(facts, ctx);
  f.evidence.push_back(
      {"MD801 kiali-monitoring-rbac", std::string(to_string(rbac.status)) + ": " + rbac.message});
  f.evidence.push_back(
      {"MD802 kiali-prometheus-auth", std::string(to_string(auth.status)) + ": " + auth.message});
  if (series == 0) {
    f.status = Status::fail;
    f.message = "no istio_tcp_* series: Kiali has no ztunnel traffic to draw";
  } else if (rbac.status == Status::fail || auth.status == Status::fail) {
    f.status = Status::fail;
    f.message = "ztunnel metrics exist but Kiali cannot read them from the Thanos querier";
  } else if (rbac.status == Status::unknown || auth.status == Status::unknown) {
    f.status = Status::unknown;
    f.message = "ztunnel metrics exist; Kiali's access to them could not be verified";
  } else {
    f.message = "ztunnel metrics exist and Kiali is configured to read them";
  }
  return f;
}

}  // namespace

std::vector<CheckInfo> kiali_checks() {
  std::vector<CheckInfo> v;
  v.push_back(
      {"MD801",
       "kiali-monitoring-rbac",
       "kiali",
       Severity::fail,
       {},
       "A ClusterRoleBinding grants cluster-monitoring-view to kiali-service-account",
       "Kiali shows 'Could not fetch metrics' / empty graphs; Thanos querier answers 403 to Kiali",
       "The Kiali service account is not allowed to query OpenShift monitoring (Thanos querier)",
       "oc adm policy add-cluster-role-to-user cluster-monitoring-view -z kiali-service-account -n "
       "<kiali namespace>",
       k_docs_kiali,
       run_monitoring_rbac});
  v.push_back(
      {"MD802",
       "kiali-prometheus-auth",
       "kiali",
       Severity::fail,
       {},
       "The Kiali CR uses its token (bearer) against the Thanos querier with thanos_proxy enabled",
       "Kiali graphs and metrics are empty although Prometheus has the data",
       "Kiali defaults to auth.type none and an in-mesh Prometheus; OpenShift monitoring needs the "
       "Thanos "
       "querier URL, auth.type bearer with use_kiali_token: true, and thanos_proxy.enabled: true",
       std::string(
           "oc patch kiali <name> -n <namespace> --type merge -p '{\"spec\":{\"external_services\":"
           "{\"prometheus\":{\"auth\":{\"type\":\"bearer\",\"use_kiali_token\":true},"
           "\"thanos_proxy\":{\"enabled\":true},\"url\":\"") +
           k_thanos_url + "\"}}}}'",
       k_docs_kiali,
       run_prometheus_auth});
  v.push_back({"MD803",
               "kiali-traffic-graph",
               "kiali",
               Severity::fail,
               {"MD603", "MD801", "MD802"},
               "Kiali can draw a traffic graph (ztunnel metrics exist and Kiali may read them)",
               "The Kiali traffic graph is empty for ambient workloads",
               "No istio_tcp_* metrics reach Prometheus, or Kiali cannot query the Thanos querier",
               "Fix the upstream findings (MD603 metrics, MD801 RBAC, MD802 Kiali CR), then reload "
               "the Kiali graph",
               k_docs_kiali,
               run_traffic_graph});
  return v;
}

}  // namespace meshdoctor::checks
