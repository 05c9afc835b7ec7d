// Waypoint checks MD701–MD703: waypoint Gateways are programmed, istio.io/use-waypoint labels
// point at existing waypoints, and L7 metrics arrive where waypoints exist.
#include <map>
#include <tuple>

#include "checks/catalogue.hpp"
#include "checks/check_util.hpp"

namespace meshdoctor::checks {

namespace {

using probe::Facts;
using probe::Gateway;

const char* k_waypoint_class = "istio-waypoint";
const char* k_docs_waypoint = "https://istio.io/latest/docs/ambient/usage/waypoint/";
const char* k_docs_troubleshoot =
    "https://istio.io/latest/docs/ambient/usage/troubleshoot-waypoint/";

std::string gateway_source(const Gateway& g) {
  return object_source(
      g.origin.api_version.empty() ? "gateway.networking.k8s.io/v1" : g.origin.api_version,
      "Gateway", g.ns, g.name, g.origin);
}

std::vector<const Gateway*> waypoints(const Facts& facts) {
  std::vector<const Gateway*> out;
  for (const auto& g : facts.gateways.items) {
    if (g.gateway_class == k_waypoint_class) out.push_back(&g);
  }
  return out;
}

// ---- MD701 ------------------------------------------------------------------------------------

// Empty when the listener is right; otherwise what is wrong with it.
std::string listener_problem(const Gateway& g) {
  for (const auto& l : g.listeners) {
    if (l.name != "mesh") continue;
    if (l.port == 15008 && l.protocol == "HBONE") return "";
    return "listener mesh is " + std::to_string(l.port) + "/" + l.protocol +
           ", expected 15008/HBONE";
  }
  return "no listener named mesh (expected mesh 15008 HBONE)";
}

// Empty when Programmed=True; otherwise the condition as evidence text.
std::string programmed_problem(const Gateway& g) {
  const auto* c = probe::find_condition(g.conditions, "Programmed");
  if (c && c->status == "True") return "";
  if (!c) {
    const auto* accepted = probe::find_condition(g.conditions, "Accepted");
    return "no Programmed condition" + (accepted ? "; " + format_condition(*accepted)
                                                 : std::string(" (no controller processed it)"));
  }
  return format_condition(*c);
}

Finding run_waypoints_programmed(const Facts& facts, const CheckContext&) {
  if (!facts.gateways.source.ok())
    return unknown_from_source("MD701", "Gateway list", facts.gateways.source);
  auto wps = waypoints(facts);
  if (wps.empty()) return make_finding("MD701", Status::skipped, "no waypoints");
  Finding f = make_finding("MD701", Status::pass, "");
  int bad = 0;
  for (const auto* g : wps) {
    std::string listener = listener_problem(*g), programmed = programmed_problem(*g);
    if (listener.empty() && programmed.empty()) {
      const auto* c = probe::find_condition(g->conditions, "Programmed");
      f.evidence.push_back(
          {gateway_source(*g), "listener mesh 15008/HBONE; " + format_condition(*c)});
      continue;
    }
    ++bad;
    f.objects.push_back({"Gateway", g->ns, g->name});
    std::string detail = listener;
    if (!programmed.empty()) detail += (detail.empty() ? "" : "; ") + programmed;
    f.evidence.push_back({gateway_source(*g), detail});
    f.fix += "oc get gateway " + g->name + " -n " + g->ns + " -o yaml\n";
  }
  if (bad == 0) {
    f.message = "all " + std::to_string(wps.size()) + " waypoint(s) are programmed";
    return f;
  }
  f.status = Status::fail;
  f.message =
      std::to_string(bad) + " of " + std::to_string(wps.size()) + " waypoint(s) not programmed";
  f.fix +=
      "Fix the listener to {name: mesh, port: 15008, protocol: HBONE} (istioctl waypoint generate "
      "shows the expected shape); AddressNotUsable means the waypoint Service does not exist yet: "
      "check istiod logs and the waypoint Deployment in that namespace.";
  return f;
}

// ---- MD702 ------------------------------------------------------------------------------------

// One distinct use of istio.io/use-waypoint (pods of one namespace with the same value grouped).
struct WaypointUse {
  std::string target_ns, target;
  std::string holder;  // "Namespace bookinfo" or "3 pod(s) in bookinfo, e.g. reviews-v1-abc"
  ObjectRef object;
  int pods = 0;
};

bool opted_out(const std::string& v) { return v == "none" || v == "#none"; }

void namespace_uses(const Facts& facts, std::vector<WaypointUse>& uses) {
  for (const auto& ns : facts.namespaces.items) {
    auto it = ns.labels.find("istio.io/use-waypoint");
    if (it == ns.labels.end() || opted_out(it->second)) continue;
    auto other = ns.labels.find("istio.io/use-waypoint-namespace");
    uses.push_back({other == ns.labels.end() ? ns.name : other->second,
                    it->second,
                    object_source("v1", "Namespace", "", ns.name, ns.origin),
                    {"Namespace", "", ns.name},
                    0});
  }
}

void pod_uses(const Facts& facts, std::vector<WaypointUse>& uses) {
  std::map<std::tuple<std::string, std::string, std::string>, WaypointUse> grouped;
  for (const auto& p : facts.pods.items) {
    if (!p.use_waypoint || opted_out(*p.use_waypoint)) continue;
    std::string target_ns = p.use_waypoint_namespace.value_or(p.ns);
    auto& u = grouped[{p.ns, target_ns, *p.use_waypoint}];
    if (u.pods++ == 0) u = {target_ns, *p.use_waypoint, "", {"Pod", p.ns, p.name}, 1};
    u.holder = std::to_string(u.pods) + " pod(s) in " + p.ns + ", e.g. " + u.object.name;
  }
  for (auto& [key, u] : grouped) uses.push_back(std::move(u));
}

// Empty when the use names an existing waypoint; otherwise why not.
std::string target_problem(const Facts& facts, const WaypointUse& u) {
  for (const auto& g : facts.gateways.items) {
    if (g.ns != u.target_ns || g.name != u.target) continue;
    if (g.gateway_class == k_waypoint_class) return "";
    return "Gateway " + u.target_ns + "/" + u.target + " has gatewayClassName " + g.gateway_class +
           ", not istio-waypoint";
  }
  return "no waypoint Gateway " + u.target_ns + "/" + u.target;
}

Finding run_use_waypoint_targets(const Facts& facts, const CheckContext&) {
  if (!facts.gateways.source.ok())
    return unknown_from_source("MD702", "Gateway list", facts.gateways.source);
  if (!facts.namespaces.source.ok())
    return unknown_from_source("MD702", "namespaces", facts.namespaces.source);
  std::vector<WaypointUse> uses;
  namespace_uses(facts, uses);
  if (facts.pods.source.ok()) pod_uses(facts, uses);
  if (uses.empty()) {
    if (!facts.pods.source.ok())
      return unknown_from_source("MD702", "workload pods (pod labels)", facts.pods.source);
    return make_finding("MD702", Status::skipped, "no istio.io/use-waypoint labels");
  }
  Finding f = make_finding("MD702", Status::pass, "");
  int missing = 0;
  for (const auto& u : uses) {
    std::string problem = target_problem(facts, u);
    std::string label = "istio.io/use-waypoint=" + u.target;
    f.evidence.push_back({u.holder, label + (problem.empty() ? " → waypoint " + u.target_ns + "/" +
                                                                   u.target + " exists"
                                                             : ": " + problem)});
    if (problem.empty()) continue;
    ++missing;
    f.objects.push_back(u.object);
  }
  f.status = missing ? Status::fail : Status::pass;
  f.message =
      missing ? std::to_string(missing) + " istio.io/use-waypoint label(s) name a missing waypoint"
              : "all " + std::to_string(uses.size()) +
                    " istio.io/use-waypoint label(s) name existing waypoints";
  if (!missing && !facts.pods.source.ok()) {
    f.status = Status::unknown;
    f.message = "namespace labels name existing waypoints; pod labels were not collected";
  }
  return f;
}

// ---- MD703 ------------------------------------------------------------------------------------

Finding run_l7_metrics(const Facts& facts, const CheckContext&) {
  if (!facts.gateways.source.ok())
    return unknown_from_source("MD703", "Gateway list", facts.gateways.source);
  auto wps = waypoints(facts);
  if (wps.empty()) return make_finding("MD703", Status::skipped, "no waypoints");
  if (!facts.prometheus.source.ok()) {
    Finding f = unknown_from_source("MD703", "Prometheus query results", facts.prometheus.source);
    f.message = "no Prometheus reachable / not in a plain inspect bundle";
    return f;
  }
  Finding f = make_finding("MD703", Status::unknown,
                           "no istio_requests_total query was run against Prometheus");
  int series = 0, queries = 0;
  for (const auto& q : facts.prometheus.items) {
    if (q.query.find("istio_requests_total") == std::string::npos) continue;
    ++queries;
    series += q.series;
    f.evidence.push_back({"Prometheus query " + q.query, std::to_string(q.series) + " series"});
  }
  if (queries == 0) return f;
  f.status = series > 0 ? Status::pass : Status::warn;
  f.message = series > 0
                  ? "Prometheus returns " + std::to_string(series) + " istio_requests_total series"
                  : "no istio_requests_total series although " + std::to_string(wps.size()) +
                        " waypoint(s) exist";
  if (series == 0) {
    f.fix =
        "Add a PodMonitor istio-waypoint-monitor in each namespace with a waypoint (same shape as "
        "the "
        "ztunnel PodMonitor); check that traffic actually goes through the waypoint "
        "(istio.io/use-waypoint)";
  }
  return f;
}

}  // namespace

std::vector<CheckInfo> waypoint_checks() {
  std::vector<CheckInfo> v;
  v.push_back({"MD701",
               "waypoints-programmed",
               "waypoints",
               Severity::fail,
               {"MD201"},
               "Every istio-waypoint Gateway has listener mesh 15008 HBONE and Programmed=True",
               "L7 policies and routes are not applied; istioctl waypoint status shows the "
               "waypoint not programmed",
               "The waypoint Gateway has a wrong listener (UnsupportedProtocol), or istiod could "
               "not create its "
               "Service/Deployment (AddressNotUsable), or istiod runs without ambient waypoints "
               "(no controller)",
               "oc get gateway <name> -n <namespace> -o yaml; recreate it with istioctl waypoint "
               "apply -n <namespace> "
               "or a Gateway with gatewayClassName istio-waypoint and listener {name: mesh, port: "
               "15008, protocol: HBONE}",
               k_docs_troubleshoot,
               run_waypoints_programmed});
  v.push_back(
      {"MD702",
       "use-waypoint-targets",
       "waypoints",
       Severity::fail,
       {},
       "Every istio.io/use-waypoint label names an existing waypoint",
       "Traffic to the labelled services/pods skips L7 processing; HTTPRoutes and L7 policies have "
       "no effect",
       "The label names a waypoint that does not exist in that namespace (or in "
       "istio.io/use-waypoint-namespace)",
       "Create the waypoint: istioctl waypoint apply -n <namespace> --name <waypoint>, or fix the "
       "label: "
       "oc label namespace <namespace> istio.io/use-waypoint=<existing waypoint> --overwrite",
       k_docs_waypoint,
       run_use_waypoint_targets});
  v.push_back({"MD703",
               "l7-metrics",
               "waypoints",
               Severity::warn,
               {"MD701", "MD603"},
               "istio_requests_total is present where waypoints exist",
               "No request-level (L7) metrics in dashboards or Kiali for services behind waypoints",
               "Waypoint proxies are not scraped (no PodMonitor in their namespace) or no traffic "
               "is routed "
               "through them",
               "oc apply a PodMonitor istio-waypoint-monitor in each namespace that has a waypoint",
               "https://docs.redhat.com/en/documentation/red_hat_openshift_service_mesh/latest/"
               "html/observability/"
               "metrics-and-service-mesh",
               run_l7_metrics});
  return v;
}

}  // namespace meshdoctor::checks
