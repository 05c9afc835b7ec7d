#include "probe/extract.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "probe/extract_internal.hpp"

namespace meshdoctor::probe {
namespace {

using nlohmann::json;

struct Route {
  std::string_view group, kind;
  Extractor extract;
};

// Which extractor handles which API group and kind; anything else is not used by any check.
constexpr std::array k_routes = {
    Route{"operators.coreos.com", "Subscription", extract_subscription},
    Route{"operators.coreos.com", "InstallPlan", extract_install_plan},
    Route{"operators.coreos.com", "ClusterServiceVersion", extract_csv},
    Route{"apiextensions.k8s.io", "CustomResourceDefinition", extract_crd},
    Route{"sailoperator.io", "Istio", extract_sail_cr},
    Route{"sailoperator.io", "IstioCNI", extract_sail_cr},
    Route{"sailoperator.io", "ZTunnel", extract_sail_cr},
    Route{"apps", "DaemonSet", extract_daemonset},
    Route{"apps", "Deployment", extract_deployment},
    Route{"", "Pod", extract_pod},
    Route{"", "Namespace", extract_namespace},
    Route{"", "ConfigMap", extract_configmap},
    Route{"telemetry.istio.io", "Telemetry", extract_telemetry},
    Route{"monitoring.coreos.com", "PodMonitor", extract_pod_monitor},
    Route{"gateway.networking.k8s.io", "Gateway", extract_gateway},
    Route{"kiali.io", "Kiali", extract_kiali},
    Route{"rbac.authorization.k8s.io", "ClusterRoleBinding", extract_cluster_role_binding},
    Route{"config.openshift.io", "ClusterVersion", extract_cluster_version},
    Route{"operator.openshift.io", "Network", extract_network},
};

const Route* find_route(std::string_view group, std::string_view kind) {
  for (const auto& r : k_routes) {
    if (r.group == group && r.kind == kind) return &r;
  }
  return nullptr;
}

std::string string_at(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string group_of(const std::string& api_version) {
  const auto slash = api_version.find('/');
  return slash == std::string::npos ? "" : api_version.substr(0, slash);
}

bool extract(Facts& facts, const json& object, const Origin& origin) {
  if (!object.is_object()) return false;
  Meta meta;
  meta.origin = origin;
  meta.origin.api_version = string_at(object, "apiVersion");
  meta.group = group_of(meta.origin.api_version);
  meta.kind = string_at(object, "kind");
  const Route* route = find_route(meta.group, meta.kind);
  if (!route) return false;
  Fields fields(facts, meta.origin, meta.kind);
  meta.name = fields.str(object, {"metadata", "name"});
  if (meta.name.empty()) {
    fields.warn("metadata.name missing; object skipped");
    return false;
  }
  meta.ns = fields.str(object, {"metadata", "namespace"});
  meta.uid = fields.str(object, {"metadata", "uid"});
  Fields named(facts, meta.origin,
               meta.kind + " " + (meta.ns.empty() ? meta.name : meta.ns + "/" + meta.name));
  return route->extract(facts, object, meta, named);
}

}  // namespace

bool add_object(Facts& facts, const json& object, const Origin& origin) {
  try {
    return extract(facts, object, origin);
  } catch (const std::exception& e) {
    // The extractors check types before every access; this is the last guard of the contract.
    std::string where = origin.file.empty() ? "" : origin.file + ":" + std::to_string(origin.line) + ": ";
    facts.warnings.push_back(where + "object skipped: " + e.what());
    return false;
  }
}

}  // namespace meshdoctor::probe
