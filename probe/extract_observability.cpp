// Telemetry, PodMonitors, Gateways (waypoints) and the Kiali CR.
#include <nlohmann/json.hpp>

#include "probe/extract_internal.hpp"

namespace meshdoctor::probe {

using nlohmann::json;

const std::string_view k_telemetry_fields =
    "spec{selector targetRef targetRefs metrics[providers[name]]}";

bool extract_telemetry(Facts& facts, const json& o, const Meta& m, Fields& f) {
  Telemetry t;
  t.ns = m.ns;
  t.name = m.name;
  for (const json* metric : f.objects(o, {"spec", "metrics"})) {
    for (const json* provider : f.objects(*metric, {"providers"})) {
      const std::string name = f.str(*provider, {"name"});
      if (!name.empty()) t.metrics_providers.push_back(name);
    }
  }
  t.has_selector_or_target = f.at(o, {"spec", "selector"}) || f.at(o, {"spec", "targetRef"}) ||
                             f.at(o, {"spec", "targetRefs"});
  t.origin = m.origin;
  facts.telemetries.items.push_back(std::move(t));
  return true;
}

const std::string_view k_pod_monitor_fields =
    "";

bool extract_pod_monitor(Facts& facts, const json&, const Meta& m, Fields&) {
  facts.pod_monitors.items.push_back({m.ns, m.name, m.origin});
  return true;
}

const std::string_view k_gateway_fields =
    "metadata{labels<istio.io/waypoint-for>} spec{gatewayClassName listeners[name protocol port]} "
    "status{conditions[type status reason message lastTransitionTime]}";

bool extract_gateway(Facts& facts, const json& o, const Meta& m, Fields& f) {
  Gateway g;
  g.ns = m.ns;
  g.name = m.name;
  g.gateway_class = f.str(o, {"spec", "gatewayClassName"});
  const auto labels = f.string_map(o, {"metadata", "labels"});
  if (auto it = labels.find("istio.io/waypoint-for"); it != labels.end()) g.waypoint_for = it->second;
  for (const json* l : f.objects(o, {"spec", "listeners"})) {
    g.listeners.push_back({f.str(*l, {"name"}), f.str(*l, {"protocol"}), f.integer(*l, {"port"})});
  }
  g.conditions = f.conditions(o, {"status", "conditions"});
  g.origin = m.origin;
  facts.gateways.items.push_back(std::move(g));
  return true;
}

const std::string_view k_kiali_fields =
    "spec{external_services{prometheus{url auth{type use_kiali_token} thanos_proxy{enabled}}}}";

bool extract_kiali(Facts& facts, const json& o, const Meta& m, Fields& f) {
  Kiali k;
  k.ns = m.ns;
  k.name = m.name;
  const json* prom = f.at(o, {"spec", "external_services", "prometheus"});
  if (prom) {
    k.prometheus_auth_type = f.str(*prom, {"auth", "type"});
    k.use_kiali_token = f.opt_bool(*prom, {"auth", "use_kiali_token"});
    k.thanos_proxy_enabled = f.opt_bool(*prom, {"thanos_proxy", "enabled"});
    k.prometheus_url = f.str(*prom, {"url"});
  }
  k.origin = m.origin;
  facts.kialis.items.push_back(std::move(k));
  return true;
}

}  // namespace meshdoctor::probe
