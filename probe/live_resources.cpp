// What a live run reads first: Namespaces alone (the request that decides whether the cluster
// can be reached at all), then every resource whose location is known up front — Sail CRs, OLM,
// CRDs, observability, platform — in parallel. What these answers locate is read by
// live_workloads.cpp.
#include <algorithm>
#include <map>
#include <set>

#include "probe/live_internal.hpp"

namespace meshdoctor::probe::live {
namespace {

using StateOf = SourceState& (*)(Facts&);

#define MD_STATE(member) [](Facts& f) -> SourceState& { return f.member.source; }

struct Reading {
  Target target;
  StateOf state;
};

Target list_of(const char* group, const char* version, const char* resource, bool cluster_scoped) {
  Target t;
  t.resource = {group, resource, cluster_scoped};
  t.version = version;
  t.custom = true;
  return t;
}

Target object_of(const char* group, const char* version, const char* resource, const char* ns,
                 const char* name) {
  Target t;
  t.resource = {group, resource, *ns == '\0'};
  t.version = version;
  t.ns = ns;
  t.name = name;
  return t;
}

Target with_fallback(Target t, const char* version) {
  t.fallback_version = version;
  return t;
}

// Phase one: every resource whose location is known up front.
std::vector<Reading> independent_readings() {
  std::vector<Reading> r = {
      {list_of("operators.coreos.com", "v1alpha1", "subscriptions", false), MD_STATE(subscriptions)},
      {list_of("operators.coreos.com", "v1alpha1", "installplans", false), MD_STATE(install_plans)},
      {list_of("sailoperator.io", "v1", "istios", true), MD_STATE(istios)},
      {list_of("sailoperator.io", "v1", "istiocnis", true), MD_STATE(istio_cnis)},
      {with_fallback(list_of("sailoperator.io", "v1", "ztunnels", true), "v1alpha1"), MD_STATE(ztunnels)},
      {with_fallback(list_of("telemetry.istio.io", "v1", "telemetries", false), "v1alpha1"),
       MD_STATE(telemetries)},
      {list_of("monitoring.coreos.com", "v1", "podmonitors", false), MD_STATE(pod_monitors)},
      {list_of("gateway.networking.k8s.io", "v1", "gateways", false), MD_STATE(gateways)},
      {list_of("kiali.io", "v1alpha1", "kialis", false), MD_STATE(kialis)},
      {list_of("rbac.authorization.k8s.io", "v1", "clusterrolebindings", true),
       MD_STATE(cluster_role_bindings)},
      {object_of("config.openshift.io", "v1", "clusterversions", "", "version"), MD_STATE(cluster_version)},
      {object_of("operator.openshift.io", "v1", "networks", "", "cluster"), MD_STATE(network)},
      {object_of("", "v1", "configmaps", "openshift-monitoring", "cluster-monitoring-config"),
       MD_STATE(monitoring_config)},
  };
  // A CRD that does not exist answers 404 on its own name.
  for (const char* crd : {"istios", "istiorevisions", "istiorevisiontags", "istiocnis", "ztunnels"}) {
    const std::string name = std::string(crd) + ".sailoperator.io";
    Target t = object_of("apiextensions.k8s.io", "v1", "customresourcedefinitions", "", "");
    t.name = name;
    r.push_back({t, MD_STATE(sail_crds)});
  }
  return r;
}

void read_into(Run& run, const Reading& reading) {
  SourceState& section = run.with_facts([&](Facts& f) -> SourceState& { return reading.state(f); });
  const SourceState outcome = reading.target.name.empty() ? list_into(run, reading.target)
                                                          : get_into(run, reading.target);
  run.record(section, outcome);
}

Task reading_task(Run& run, Reading reading) {
  return [&run, reading] { read_into(run, reading); };
}

}  // namespace

util::Status collect_namespaces(Run& run) {
  Target t;
  t.resource = {"", "namespaces", true};
  t.version = "v1";
  util::Error failure;
  const SourceState outcome = list_into(run, t, &failure);
  if (!outcome.ok() && is_fatal_connection_error(failure)) return failure;
  SourceState& section = run.with_facts([](Facts& f) -> SourceState& { return f.namespaces.source; });
  run.record(section, outcome);
  return util::ok();
}

void collect_cluster(Run& run) {
  std::vector<Task> tasks;
  for (const auto& reading : independent_readings()) tasks.push_back(reading_task(run, reading));
  run_parallel(std::move(tasks), run.options.parallelism);
}

#undef MD_STATE

}  // namespace meshdoctor::probe::live
