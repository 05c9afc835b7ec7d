// The mesh's own workloads (istio-cni-node and ztunnel DaemonSets, istiod Deployments) and
// Namespaces.
#include <nlohmann/json.hpp>

#include "probe/extract_internal.hpp"

namespace meshdoctor::probe {

using nlohmann::json;

const std::string_view k_daemonset_fields =
    "status{desiredNumberScheduled currentNumberScheduled numberReady "
    "updatedNumberScheduled numberAvailable numberUnavailable}";

bool extract_daemonset(Facts& facts, const json& o, const Meta& m, Fields& f) {
  if (m.name != "istio-cni-node" && m.name != "ztunnel") return false;
  DaemonSet d;
  d.ns = m.ns;
  d.name = m.name;
  d.desired = f.integer(o, {"status", "desiredNumberScheduled"});
  d.current_scheduled = f.integer(o, {"status", "currentNumberScheduled"});
  d.ready = f.integer(o, {"status", "numberReady"});
  d.updated = f.integer(o, {"status", "updatedNumberScheduled"});
  d.available = f.integer(o, {"status", "numberAvailable"});
  d.unavailable = f.integer(o, {"status", "numberUnavailable"});
  d.unreadable = f.wrong_fields();
  d.origin = m.origin;
  facts.daemonsets.items.push_back(std::move(d));
  return true;
}

const std::string_view k_deployment_fields =
    "spec{replicas template{spec{containers[name env[name value]]}}} status{readyReplicas}";

// Only literal env values: valueFrom references cannot be resolved offline and are not the
// CA_TRUSTED_NODE_ACCOUNTS the chart writes.
static std::map<std::string, std::string> discovery_env(const json& o, Fields& f) {
  std::map<std::string, std::string> env;
  for (const json* c : f.objects(o, {"spec", "template", "spec", "containers"})) {
    if (f.str(*c, {"name"}) != "discovery") continue;
    for (const json* e : f.objects(*c, {"env"})) {
      const std::string name = f.str(*e, {"name"});
      auto value = f.opt_str(*e, {"value"});
      if (!name.empty() && value) env[name] = *value;
    }
  }
  return env;
}

bool extract_deployment(Facts& facts, const json& o, const Meta& m, Fields& f) {
  if (m.name != "istiod" && !m.name.starts_with("istiod-")) return false;
  Deployment d;
  d.ns = m.ns;
  d.name = m.name;
  d.env = discovery_env(o, f);
  d.replicas = f.integer(o, {"spec", "replicas"}, 1);  // the API default when omitted
  d.ready_replicas = f.integer(o, {"status", "readyReplicas"});
  d.origin = m.origin;
  facts.istiod.items.push_back(std::move(d));
  return true;
}

const std::string_view k_namespace_fields =
    "metadata{labels} status{phase}";

bool extract_namespace(Facts& facts, const json& o, const Meta& m, Fields& f) {
  Namespace n;
  n.name = m.name;
  n.labels = f.string_map(o, {"metadata", "labels"});
  n.phase = f.str(o, {"status", "phase"});
  n.origin = m.origin;
  facts.namespaces.items.push_back(std::move(n));
  return true;
}

}  // namespace meshdoctor::probe
