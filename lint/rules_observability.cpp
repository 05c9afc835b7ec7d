// Observability rules: ML010 a mesh-wide Telemetry enables the prometheus provider; ML011 a
// PodMonitor scrapes the ztunnel namespace; ML012 Kiali reads Thanos with its own token; ML013
// Kiali's service account is bound to cluster-monitoring-view. The first two apply to the set that
// holds the control plane (Istio, ZTunnel), the Kiali ones to the set that holds a Kiali CR.
#include "lint/rule_util.hpp"

namespace meshdoctor::lint {

using checks::Finding;
using checks::Status;

namespace {

bool enables_prometheus(const Node& telemetry) {
  const Node* metrics = find(telemetry, {"spec", "metrics"});
  if (!metrics || !metrics->is_sequence()) return false;
  for (const auto& m : metrics->items) {
    const Node* providers = m.get("providers");
    if (!providers || !providers->is_sequence()) continue;
    for (const auto& p : providers->items) {
      if (text_at(p, {"name"}) == "prometheus") return true;
    }
  }
  return false;
}

// A Telemetry limited to some workloads or to a waypoint does not make metrics mesh-wide.
bool is_scoped(const Node& telemetry) {
  return find(telemetry, {"spec", "selector"}) || find(telemetry, {"spec", "targetRef"}) ||
         find(telemetry, {"spec", "targetRefs"});
}

// The Kiali operator names the service account <spec.deployment.instance_name>-service-account.
std::string kiali_service_account(const Object& kiali) {
  auto instance = text_at(kiali.root(), {"spec", "deployment", "instance_name"});
  return (instance && !instance->empty() ? *instance : std::string("kiali")) + "-service-account";
}

bool binds_service_account(const Node& binding, const std::string& sa, const std::string& ns) {
  const Node* subjects = binding.get("subjects");
  if (!subjects || !subjects->is_sequence()) return false;
  for (const auto& s : subjects->items) {
    if (text_at(s, {"kind"}) != "ServiceAccount" || text_at(s, {"name"}) != sa) continue;
    const auto subject_ns = text_at(s, {"namespace"});
    if (ns.empty() || !subject_ns || *subject_ns == ns) return true;
  }
  return false;
}

// A rule that needs one good object: when none was found, the near misses are the problems
// (the fix goes there), or `fallback` when there is none at all.
Finding one_good_or_problems(Verdict& v,
                             bool found,
                             std::vector<checks::Evidence> near,
                             checks::Evidence fallback,
                             const std::string& pass_message,
                             const std::string& problem_message) {
  if (!found) {
    if (near.empty()) near.push_back(std::move(fallback));
    for (auto& e : near) v.problem(std::move(e));
  }
  return v.finish(pass_message, problem_message);
}

}  // namespace

// ---- ML010 telemetry-prometheus ----------------------------------------------------------------

Finding rule_telemetry(const ManifestSet& set, const LintContext&) {
  auto istios = set.objects("Istio", k_sail_group);
  if (istios.empty()) {
    return skipped("ML010", "no Istio in the manifests (the control plane is not in this set)");
  }
  const Object& istio = istios.front();
  const std::string root_ns = sail_target_namespace(istio);
  Verdict v("ML010");
  std::vector<checks::Evidence> near;
  bool found = false;
  for (const auto& t : set.objects("Telemetry", "telemetry.istio.io")) {
    if (!enables_prometheus(t.root())) {
      near.push_back(hit(t, nearest_line(t.root(), {"spec", "metrics"}),
                         "spec.metrics does not list the prometheus provider"));
    } else if (t.ns != root_ns) {
      near.push_back(hit(t, nearest_line(t.root(), {"metadata", "namespace"}),
                         "enables prometheus in namespace " + (t.ns.empty() ? "(not set)" : t.ns) +
                             ", not in the root namespace " + root_ns + " (mesh-wide)"));
    } else if (is_scoped(t.root())) {
      near.push_back(hit(t, t.doc->line, "enables prometheus only for its selector/targetRefs"));
    } else {
      found = true;
      v.ok(hit(t, t.doc->line, "enables the prometheus provider mesh-wide"));
    }
  }
  return one_good_or_problems(
      v, found, std::move(near),
      hit(istio, istio.doc->line,
          "no Telemetry in " + root_ns +
              " enables the prometheus provider; istio_tcp_* metrics are not produced"),
      "a mesh-wide Telemetry enables the prometheus provider",
      "no mesh-wide Telemetry enables the prometheus provider");
}

// ---- ML011 ztunnel-podmonitor ------------------------------------------------------------------

Finding rule_ztunnel_podmonitor(const ManifestSet& set, const LintContext&) {
  auto ztunnels = set.objects("ZTunnel", k_sail_group);
  if (ztunnels.empty()) return skipped("ML011", "no ZTunnel in the manifests");
  const Object& zt = ztunnels.front();
  const std::string ns = sail_target_namespace(zt);
  Verdict v("ML011");
  std::vector<checks::Evidence> near;
  bool found = false;
  for (const auto& pm : set.objects("PodMonitor", "monitoring.coreos.com")) {
    if (pm.ns == ns) {
      found = true;
      v.ok(hit(pm, pm.doc->line, "scrapes the ztunnel namespace " + ns));
    } else if (pm.name.find("ztunnel") != std::string::npos) {
      // Meant for ztunnel, but OpenShift monitoring only scrapes pods of its own namespace.
      near.push_back(hit(pm, nearest_line(pm.root(), {"metadata", "namespace"}),
                         "is in namespace " + (pm.ns.empty() ? std::string("(not set)") : pm.ns) +
                             ", not in the ztunnel namespace " + ns +
                             "; OpenShift monitoring ignores namespaceSelector"));
    }
  }
  return one_good_or_problems(
      v, found, std::move(near),
      hit(zt, nearest_line(zt.root(), {"spec", "namespace"}),
          "no PodMonitor in namespace " + ns +
              "; OpenShift monitoring ignores namespaceSelector, so ztunnel metrics are never "
              "scraped"),
      "a PodMonitor exists in the ztunnel namespace " + ns,
      "no PodMonitor in the ztunnel namespace " + ns);
}

// ---- ML012 kiali-prometheus-auth ---------------------------------------------------------------

Finding rule_kiali_auth(const ManifestSet& set, const LintContext&) {
  auto kialis = set.objects("Kiali", "kiali.io");
  if (kialis.empty()) return skipped("ML012", "no Kiali in the manifests");
  Verdict v("ML012");
  for (const auto& k : kialis) {
    const Node& r = k.root();
    if (const Entry* stray = r.entry("external_services")) {
      v.problem(hit(k, stray->line,
                    "external_services is at the top level of the object, not "
                    "under spec; Kiali ignores it"));
    }
    const std::initializer_list<std::string_view> token{"spec", "external_services", "prometheus",
                                                        "auth", "use_kiali_token"};
    const std::initializer_list<std::string_view> thanos{"spec", "external_services", "prometheus",
                                                         "thanos_proxy", "enabled"};
    for (const auto& [path, name] :
         {std::pair{token, "auth.use_kiali_token"}, std::pair{thanos, "thanos_proxy.enabled"}}) {
      const Node* value = find(r, path);
      const int line = nearest_line(r, path);
      const std::string field = std::string("spec.external_services.prometheus.") + name;
      if (as_bool(value) == true) {
        v.ok(hit(k, line, field + " is true"));
        continue;
      }
      v.problem(hit(k, line,
                    field +
                        (value ? " is " + describe_value(value) + ", not true"
                               : " is not set (default false)") +
                        "; Kiali cannot query Thanos Querier"));
    }
  }
  return v.finish("Kiali queries Thanos with its service account token",
                  v.count("Kiali Prometheus setting(s) missing or wrong"));
}

// ---- ML013 kiali-monitoring-rbac ---------------------------------------------------------------

Finding rule_kiali_rbac(const ManifestSet& set, const LintContext&) {
  auto kialis = set.objects("Kiali", "kiali.io");
  if (kialis.empty()) return skipped("ML013", "no Kiali in the manifests");
  const auto bindings = set.objects("ClusterRoleBinding", "rbac.authorization.k8s.io");
  Verdict v("ML013");
  for (const auto& k : kialis) {
    const std::string sa = kiali_service_account(k);
    const std::string who = "ServiceAccount " + (k.ns.empty() ? sa : k.ns + "/" + sa);
    std::vector<checks::Evidence> near;
    bool found = false;
    for (const auto& b : bindings) {
      if (text_at(b.root(), {"roleRef", "kind"}) != "ClusterRole" ||
          text_at(b.root(), {"roleRef", "name"}) != "cluster-monitoring-view") {
        continue;
      }
      if (binds_service_account(b.root(), sa, k.ns)) {
        found = true;
        v.ok(hit(b, b.doc->line,
                 "grants cluster-monitoring-view to " + who + " (for " + k.label() + ")"));
      } else {
        near.push_back(
            hit(b, nearest_line(b.root(), {"subjects"}),
                "grants cluster-monitoring-view, but not to " + who + " of " + k.label()));
      }
    }
    if (found) continue;
    if (near.empty()) {
      near.push_back(hit(k, k.doc->line,
                         "no ClusterRoleBinding grants cluster-monitoring-view to " + who +
                             "; Thanos Querier answers Kiali with 403"));
    }
    for (auto& e : near) v.problem(std::move(e));
  }
  return v.finish("Kiali's service account may read cluster monitoring",
                  "Kiali without the cluster-monitoring-view binding");
}

}  // namespace meshdoctor::lint
