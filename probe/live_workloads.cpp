// The second phase of a live run: what the first phase located. The node agent DaemonSets and
// their pods in the IstioCNI/ZTunnel target namespaces (a cluster-wide list by name or label when
// those are unknown or empty), istiod in the Istio namespace, the operator CSVs in the
// Subscriptions' namespaces, and the pods of ambient-relevant namespaces only.
#include <map>
#include <set>

#include "probe/live_internal.hpp"

namespace meshdoctor::probe::live {
namespace {

using StateOf = SourceState& (*)(Facts&);
using Names = std::set<std::string>;

const char* k_operator_package = "servicemeshoperator3";

struct Agent {
  const char* daemonset;
  const char* pod_selector;
  StateOf pods_state;
};

const Agent k_cni{"istio-cni-node", "k8s-app=istio-cni-node",
                  [](Facts& f) -> SourceState& { return f.cni_pods.source; }};
const Agent k_ztunnel{"ztunnel", "app=ztunnel",
                      [](Facts& f) -> SourceState& { return f.ztunnel_pods.source; }};

Target namespaced(const char* group, const char* resource, const std::string& ns, bool custom = false) {
  Target t;
  t.resource = {group, resource, false};
  t.version = custom ? "v1alpha1" : "v1";
  t.ns = ns;
  t.custom = custom;
  return t;
}

// What phase one found that phase two needs, read once under the lock.
struct Located {
  Names cni_ns, ztunnel_ns, istio_ns, operator_ns, workload_ns;
  SourceState namespaces;
};

Names target_namespaces(const Section<SailCr>& crs) {
  Names out;
  for (const auto& cr : crs.items) {
    if (!cr.target_namespace.empty()) out.insert(cr.target_namespace);
  }
  return out;
}

bool ambient_relevant(const Namespace& ns, const LiveOptions& options) {
  if (ns.labels.count("istio.io/dataplane-mode") || ns.labels.count("istio.io/use-waypoint")) return true;
  const auto& off = options.off_mesh_namespaces;
  return std::find(off.begin(), off.end(), ns.name) != off.end();
}

Located locate(const Facts& f, const LiveOptions& options) {
  Located l{target_namespaces(f.istio_cnis), target_namespaces(f.ztunnels), target_namespaces(f.istios),
            {"openshift-operators"}, {}, f.namespaces.source};
  if (l.istio_ns.empty()) l.istio_ns.insert("istio-system");
  for (const auto& s : f.subscriptions.items) {
    if (s.package == k_operator_package) l.operator_ns.insert(s.ns);
  }
  for (const auto& ns : f.namespaces.items) {
    if (ambient_relevant(ns, options)) l.workload_ns.insert(ns.name);
  }
  return l;
}

SourceState& section(Run& run, StateOf state) {
  return run.with_facts([&](Facts& f) -> SourceState& { return state(f); });
}

Names daemonset_namespaces(Run& run, const char* name) {
  return run.with_facts([&](Facts& f) {
    Names out;
    for (const auto& ds : f.daemonsets.items) {
      if (ds.name == name) out.insert(ds.ns);
    }
    return out;
  });
}

// DaemonSets by name in the CR's namespaces; cluster-wide when those are unknown or hold none.
void read_daemonset(Run& run, const Agent& agent, const Names& namespaces) {
  SourceState& state = section(run, [](Facts& f) -> SourceState& { return f.daemonsets.source; });
  bool all_ok = true;
  for (const auto& ns : namespaces) {
    Target t = namespaced("apps", "daemonsets", ns);
    t.query.field_selector = std::string("metadata.name=") + agent.daemonset;
    const SourceState outcome = list_into(run, t);
    all_ok = all_ok && outcome.ok();
    run.record(state, outcome);
  }
  if (!all_ok || !daemonset_namespaces(run, agent.daemonset).empty()) return;
  Target everywhere = namespaced("apps", "daemonsets", "");
  everywhere.query.field_selector = std::string("metadata.name=") + agent.daemonset;
  run.record(state, list_into(run, everywhere));
}

// The agent's pods where its DaemonSet is (else the CR's namespaces, else everywhere).
void read_agent(Run& run, const Agent& agent, const Names& cr_namespaces) {
  read_daemonset(run, agent, cr_namespaces);
  Names namespaces = daemonset_namespaces(run, agent.daemonset);
  if (namespaces.empty()) namespaces = cr_namespaces;
  if (namespaces.empty()) namespaces.insert("");
  SourceState& state = section(run, agent.pods_state);
  for (const auto& ns : namespaces) {
    Target t = namespaced("", "pods", ns);
    t.query.label_selector = agent.pod_selector;
    run.record(state, list_into(run, t));
  }
}

Task list_task(Run& run, Target target, StateOf state) {
  return [&run, target, state] { run.record(section(run, state), list_into(run, target)); };
}

// Workload pods per ambient-relevant namespace; each namespace keeps its own state.
void add_pod_tasks(Run& run, const Located& l, std::vector<Task>& tasks, std::map<std::string, SourceState>& per_ns,
                   std::mutex& lock) {
  // A pod can opt in with its own label in a namespace that is not labelled; one cluster-wide
  // list by that label finds such pods (deduplicated against the per-namespace lists). If it is
  // refused, the pods section says so: an unseen ambient pod must not let MD503 pass.
  tasks.push_back([&run] {
    Target t = namespaced("", "pods", "");
    t.query.label_selector = "istio.io/dataplane-mode=ambient";
    run.record(section(run, [](Facts& f) -> SourceState& { return f.pods.source; }), list_into(run, t));
  });
  for (const auto& ns : l.workload_ns) {
    tasks.push_back([&run, &per_ns, &lock, ns] {
      const SourceState outcome = list_into(run, namespaced("", "pods", ns));
      run.record(section(run, [](Facts& f) -> SourceState& { return f.pods.source; }), outcome);
      std::lock_guard<std::mutex> guard(lock);
      per_ns[ns] = outcome;
    });
  }
}

void apply_namespace_pods(Facts& f, const Located& l, const std::map<std::string, SourceState>& per_ns) {
  if (!l.namespaces.ok()) {
    f.pods.source = {l.namespaces.state, "pods not read: namespaces could not be listed (" + l.namespaces.detail + ")"};
  } else if (l.workload_ns.empty()) {
    f.pods.source = {Obtained::collected, "live: no ambient-relevant namespace"};
  }
  for (auto& ns : f.namespaces.items) {
    auto it = per_ns.find(ns.name);
    ns.pods = it != per_ns.end() ? it->second
                                 : SourceState{Obtained::not_found, "pods not read: namespace is not ambient-relevant"};
  }
}

}  // namespace

void collect_workloads(Run& run) {
  const Located l = run.with_facts([&](Facts& f) { return locate(f, run.options); });
  std::vector<Task> tasks;
  tasks.push_back([&run, &l] { read_agent(run, k_cni, l.cni_ns); });
  tasks.push_back([&run, &l] { read_agent(run, k_ztunnel, l.ztunnel_ns); });
  for (const auto& ns : l.istio_ns)
    tasks.push_back(list_task(run, namespaced("apps", "deployments", ns),
                              [](Facts& f) -> SourceState& { return f.istiod.source; }));
  for (const auto& ns : l.operator_ns)
    tasks.push_back(list_task(run, namespaced("operators.coreos.com", "clusterserviceversions", ns, true),
                              [](Facts& f) -> SourceState& { return f.csvs.source; }));
  std::map<std::string, SourceState> per_ns;
  std::mutex lock;
  add_pod_tasks(run, l, tasks, per_ns, lock);
  run_parallel(std::move(tasks), run.options.parallelism);
  run.with_facts([&](Facts& f) { apply_namespace_pods(f, l, per_ns); });
}

}  // namespace meshdoctor::probe::live
