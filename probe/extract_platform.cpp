// OpenShift platform objects: monitoring config, ClusterVersion, the cluster Network operator
// config, and the RBAC binding Kiali needs for Thanos.
#include <nlohmann/json.hpp>

#include "probe/extract_internal.hpp"
#include "probe/yaml_stream.hpp"

namespace meshdoctor::probe {

using nlohmann::json;

const std::string_view k_configmap_fields =
    "data{config.yaml}";

bool extract_configmap(Facts& facts, const json& o, const Meta& m, Fields& f) {
  if (m.name != "cluster-monitoring-config" || m.ns != "openshift-monitoring") return false;
  MonitoringConfig c;
  c.origin = m.origin;
  if (auto text = f.opt_str(o, {"data", "config.yaml"})) {
    auto parsed = yaml_top_level_bool(*text, "enableUserWorkload", m.origin.file + " data[config.yaml]");
    if (parsed) c.enable_user_workload = *parsed;
    else f.warn(parsed.error().message);
  }
  facts.monitoring_config.value = std::move(c);
  return true;
}

namespace {

// The newest Completed entry of status.history (by completionTime, else list order).
std::string completed_history_version(const json& o, Fields& f) {
  std::string best;
  std::optional<Micros> best_time;
  for (const json* h : f.objects(o, {"status", "history"})) {
    if (f.str(*h, {"state"}) != "Completed") continue;
    const auto t = f.time(*h, {"completionTime"});
    if (best.empty() || (t && (!best_time || *t > *best_time))) {
      best = f.str(*h, {"version"});
      best_time = t;
    }
  }
  return best;
}

}  // namespace

const std::string_view k_cluster_version_fields =
    "spec{channel} status{desired{version} history[state completionTime version]}";

bool extract_cluster_version(Facts& facts, const json& o, const Meta& m, Fields& f) {
  ClusterVersion v;
  v.version = f.str(o, {"status", "desired", "version"});
  if (v.version.empty()) v.version = completed_history_version(o, f);
  v.channel = f.str(o, {"spec", "channel"});
  v.origin = m.origin;
  facts.cluster_version.value = std::move(v);
  return true;
}

const std::string_view k_network_fields =
    "spec{defaultNetwork{type ovnKubernetesConfig{gatewayConfig{routingViaHost}}}}";

bool extract_network(Facts& facts, const json& o, const Meta& m, Fields& f) {
  if (m.name != "cluster") return false;
  NetworkOperator n;
  n.network_type = f.str(o, {"spec", "defaultNetwork", "type"});
  n.routing_via_host = f.opt_bool(
      o, {"spec", "defaultNetwork", "ovnKubernetesConfig", "gatewayConfig", "routingViaHost"});
  n.origin = m.origin;
  facts.network.value = std::move(n);
  return true;
}

const std::string_view k_cluster_role_binding_fields =
    "roleRef{name kind} subjects[kind name namespace]";

bool extract_cluster_role_binding(Facts& facts, const json& o, const Meta& m, Fields& f) {
  if (f.str(o, {"roleRef", "name"}) != "cluster-monitoring-view") return false;
  ClusterRoleBinding b;
  b.name = m.name;
  b.role_kind = f.str(o, {"roleRef", "kind"});
  b.role_name = "cluster-monitoring-view";
  for (const json* s : f.objects(o, {"subjects"})) {
    b.subjects.push_back({f.str(*s, {"kind"}), f.str(*s, {"name"}), f.str(*s, {"namespace"})});
  }
  b.origin = m.origin;
  facts.cluster_role_bindings.items.push_back(std::move(b));
  return true;
}

}  // namespace meshdoctor::probe
