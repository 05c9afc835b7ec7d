#pragma once
// Internals shared by the per-area extractors (extract_*.cpp); see extract.hpp for the contract.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "probe/extract_fields.hpp"
#include "probe/facts.hpp"

namespace meshdoctor::probe {

// Identity of the object being extracted.
struct Meta {
  std::string group;  // "" for the core group
  std::string kind, ns, name, uid;
  Origin origin;      // with api_version filled in
};

// Each returns true when the object was used.
using Extractor = bool (*)(Facts&, const nlohmann::json&, const Meta&, Fields&);

bool extract_subscription(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_install_plan(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_csv(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_crd(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_sail_cr(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_daemonset(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_deployment(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_pod(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_namespace(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_configmap(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_telemetry(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_pod_monitor(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_gateway(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_kiali(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_cluster_role_binding(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_cluster_version(Facts&, const nlohmann::json&, const Meta&, Fields&);
bool extract_network(Facts&, const nlohmann::json&, const Meta&, Fields&);

// The fields each extractor reads, as FieldFilter text (probe/object_filter.hpp), defined next to
// it: large inputs are parsed keeping only these, so a field an extractor starts to read must be
// added to its list (tests/unit/test_probe_object_filter.cpp compares filtered and whole reads).
extern const std::string_view k_subscription_fields, k_install_plan_fields, k_csv_fields, k_crd_fields,
    k_sail_cr_fields, k_daemonset_fields, k_deployment_fields, k_pod_fields, k_namespace_fields,
    k_configmap_fields, k_telemetry_fields, k_pod_monitor_fields, k_gateway_fields, k_kiali_fields,
    k_cluster_role_binding_fields, k_cluster_version_fields, k_network_fields;

}  // namespace meshdoctor::probe
