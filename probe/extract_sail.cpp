// Sail operator CRs: Istio, IstioCNI, ZTunnel (sailoperator.io v1 and v1alpha1 share the fields
// meshdoctor reads; v1 ZTunnel drops spec.profile and 3.4 adds spec.targetRef).
#include <nlohmann/json.hpp>

#include "probe/extract_internal.hpp"

namespace meshdoctor::probe {
namespace {

using nlohmann::json;

// spec.namespace defaults of the CRDs (SAIL-OSSM3-FACTS).
std::string default_namespace(const std::string& kind) {
  if (kind == "Istio") return "istio-system";
  if (kind == "IstioCNI") return "istio-cni";
  return "ztunnel";
}

void read_istio(SailCr& cr, const json& o, Fields& f) {
  cr.update_strategy = f.opt_str(o, {"spec", "updateStrategy", "type"});
  cr.pilot_trusted_ztunnel_namespace =
      f.opt_str(o, {"spec", "values", "pilot", "trustedZtunnelNamespace"});
  cr.toplevel_trusted_ztunnel_namespace =
      f.opt_str(o, {"spec", "values", "trustedZtunnelNamespace"});
  // Env values are strings in the API, but a hand-written `true` arrives as a YAML boolean.
  const json* env = f.at(o, {"spec", "values", "pilot", "env", "PILOT_ENABLE_AMBIENT"});
  if (env && env->is_boolean()) cr.pilot_env_enable_ambient = env->get<bool>() ? "true" : "false";
  else cr.pilot_env_enable_ambient = f.opt_str(o, {"spec", "values", "pilot", "env", "PILOT_ENABLE_AMBIENT"});
}

void read_istio_cni(SailCr& cr, const json& o, Fields& f) {
  cr.cni_ambient_enabled = f.opt_bool(o, {"spec", "values", "cni", "ambient", "enabled"});
  cr.reconcile_iptables_on_startup =
      f.opt_bool(o, {"spec", "values", "cni", "ambient", "reconcileIptablesOnStartup"});
  cr.cni_exclude_namespaces = f.strings(o, {"spec", "values", "cni", "excludeNamespaces"});
}

void read_ztunnel(SailCr& cr, const json& o, Fields& f) {
  cr.target_ref_kind = f.str(o, {"spec", "targetRef", "kind"});
  cr.target_ref_name = f.str(o, {"spec", "targetRef", "name"});
}

}  // namespace

const std::string_view k_sail_cr_fields =
    "spec{namespace profile version updateStrategy{type} targetRef{kind name} "
    "values{profile global{platform} trustedZtunnelNamespace "
    "pilot{trustedZtunnelNamespace env{PILOT_ENABLE_AMBIENT}} "
    "cni{excludeNamespaces ambient{enabled reconcileIptablesOnStartup}}}} "
    "status{state conditions[type status reason message lastTransitionTime]}";

bool extract_sail_cr(Facts& facts, const json& o, const Meta& m, Fields& f) {
  SailCr cr;
  cr.kind = m.kind;
  cr.api_version = m.origin.api_version;
  cr.name = m.name;
  cr.target_namespace = f.str(o, {"spec", "namespace"});
  if (cr.target_namespace.empty()) cr.target_namespace = default_namespace(m.kind);
  cr.profile = f.str(o, {"spec", "profile"});
  cr.values_profile = f.str(o, {"spec", "values", "profile"});
  cr.version = f.str(o, {"spec", "version"});
  cr.platform = f.str(o, {"spec", "values", "global", "platform"});
  cr.state = f.str(o, {"status", "state"});
  cr.conditions = f.conditions(o, {"status", "conditions"});
  cr.origin = m.origin;
  if (m.kind == "Istio") {
    read_istio(cr, o, f);
    facts.istios.items.push_back(std::move(cr));
  } else if (m.kind == "IstioCNI") {
    read_istio_cni(cr, o, f);
    facts.istio_cnis.items.push_back(std::move(cr));
  } else {
    read_ztunnel(cr, o, f);
    facts.ztunnels.items.push_back(std::move(cr));
  }
  return true;
}

}  // namespace meshdoctor::probe
