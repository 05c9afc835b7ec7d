#include "probe/extract.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "probe/extract_internal.hpp"
#include "probe/object_filter.hpp"

namespace meshdoctor::probe {
namespace {

using nlohmann::json;

struct Route {
  std::string_view group, kind;
  Extractor extract;
  std::string_view fields;  // what `extract` reads, as FieldFilter text (probe/object_filter.hpp)
};

// Which extractor handles which API group and kind; anything else is not used by any check.
const std::array k_routes = {
    Route{"operators.coreos.com", "Subscription", extract_subscription, k_subscription_fields},
    Route{"operators.coreos.com", "InstallPlan", extract_install_plan, k_install_plan_fields},
    Route{"operators.coreos.com", "ClusterServiceVersion", extract_csv, k_csv_fields},
    Route{"apiextensions.k8s.io", "CustomResourceDefinition", extract_crd, k_crd_fields},
    Route{"sailoperator.io", "Istio", extract_sail_cr, k_sail_cr_fields},
    Route{"sailoperator.io", "IstioCNI", extract_sail_cr, k_sail_cr_fields},
    Route{"sailoperator.io", "ZTunnel", extract_sail_cr, k_sail_cr_fields},
    Route{"apps", "DaemonSet", extract_daemonset, k_daemonset_fields},
    Route{"apps", "Deployment", extract_deployment, k_deployment_fields},
    Route{"", "Pod", extract_pod, k_pod_fields},
    Route{"", "Namespace", extract_namespace, k_namespace_fields},
    Route{"", "ConfigMap", extract_configmap, k_configmap_fields},
    Route{"telemetry.istio.io", "Telemetry", extract_telemetry, k_telemetry_fields},
    Route{"monitoring.coreos.com", "PodMonitor", extract_pod_monitor, k_pod_monitor_fields},
    Route{"gateway.networking.k8s.io", "Gateway", extract_gateway, k_gateway_fields},
    Route{"kiali.io", "Kiali", extract_kiali, k_kiali_fields},
    Route{"rbac.authorization.k8s.io", "ClusterRoleBinding", extract_cluster_role_binding, k_cluster_role_binding_fields},
    Route{"config.openshift.io", "ClusterVersion", extract_cluster_version, k_cluster_version_fields},
    Route{"operator.openshift.io", "Network", extract_network, k_network_fields},
};

const Route* find_route(std::string_view group, std::string_view kind) {
  for (const auto& r : k_routes) {
    if (r.group == group && r.kind == kind) return &r;
  }
  return nullptr;
}

// What identifies any object: extract's routing and name, and ObjectDedupe's key.
constexpr std::string_view k_identity_fields = "apiVersion kind metadata{name namespace uid}";

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

struct Filters {
  const FieldFilter* identity;
  std::array<const FieldFilter*, k_routes.size()> by_route;
  const FieldFilter* any;
};

const Filters& filters() {
  static const Filters f = [] {
    Filters out;
    out.identity = &FieldFilter::parse(k_identity_fields);
    out.any = out.identity;
    for (std::size_t i = 0; i < k_routes.size(); ++i) {
      out.by_route[i] = &FieldFilter::merge(*out.identity, FieldFilter::parse(k_routes[i].fields));
      out.any = &FieldFilter::merge(*out.any, *out.by_route[i]);
    }
    return out;
  }();
  return f;
}

}  // namespace

const FieldFilter& filter_for_object(std::string_view api_version, std::string_view kind) {
  const auto slash = api_version.find('/');
  const std::string_view group = slash == std::string_view::npos ? "" : api_version.substr(0, slash);
  const Route* route = find_route(group, kind);
  return route ? *filters().by_route[static_cast<std::size_t>(route - k_routes.data())] : *filters().identity;
}

const FieldFilter& any_object_filter() { return *filters().any; }

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
