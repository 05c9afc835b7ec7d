// Run gauges: check statuses, root causes, ambient pods per node, ztunnel readiness, socket state.
#include "daemon/metrics.hpp"

#include "checks/catalogue.hpp"
#include "checks/enrollment_rules.hpp"

namespace meshdoctor::daemon {
namespace {

std::vector<Sample> check_statuses(const checks::Diagnosis& d) {
  std::vector<Sample> out;
  for (const auto& f : d.findings) {
    const auto* info = checks::find_check(f.id);
    Labels labels{
        {"id", f.id}, {"name", info ? info->name : ""}, {"category", info ? info->category : ""}};
    out.push_back({std::move(labels), static_cast<double>(status_value(f.status))});
  }
  return out;
}

std::vector<Sample> root_causes(const checks::Diagnosis& d) {
  std::vector<Sample> out;
  for (const auto& id : d.root_causes) out.push_back({{{"id", id}}, 1});
  return out;
}

const char* pod_state(const probe::WorkloadPod& pod) {
  if (pod.redirection == "enabled") return "enabled";
  if (pod.redirection == "pending") return "pending";
  return "missing";
}

std::vector<Sample> ambient_pods(const probe::Facts& facts) {
  if (!facts.pods.source.ok() || !facts.namespaces.source.ok()) return {};
  std::map<std::string, std::map<std::string, int>> by_node;  // node → state → pods
  for (const auto& z : facts.ztunnel_pods.items) {
    if (!z.node.empty()) by_node[z.node];
  }
  for (const auto* pod : checks::select_ambient_pods(facts).should) {
    ++by_node[pod->node.empty() ? "unknown" : pod->node][pod_state(*pod)];
  }
  std::vector<Sample> out;
  for (const auto& [node, counts] : by_node) {
    for (const char* state : k_pod_states) {
      auto it = counts.find(state);
      out.push_back({{{"node", node}, {"state", state}}, it == counts.end() ? 0.0 : it->second});
    }
  }
  return out;
}

// The DaemonSet named ztunnel in ZTunnel/default's namespace, else any DaemonSet named ztunnel.
const probe::DaemonSet* ztunnel_daemonset(const probe::Facts& facts) {
  std::string ns;
  for (const auto& zt : facts.ztunnels.items) {
    if (zt.name == "default") ns = zt.target_namespace;
  }
  const probe::DaemonSet* any = nullptr;
  for (const auto& ds : facts.daemonsets.items) {
    if (ds.name != "ztunnel") continue;
    if (ds.ns == ns) return &ds;
    if (!any) any = &ds;
  }
  return any;
}

std::vector<Sample> socket_states(const probe::Facts& facts) {
  if (!facts.node_local) return {};
  using S = probe::SocketState;
  std::vector<Sample> out;
  for (S s : {S::unprobed, S::absent, S::not_socket, S::refused, S::accepted, S::error}) {
    out.push_back({{{"state", probe::to_string(s)}}, s == facts.socket_state ? 1.0 : 0.0});
  }
  return out;
}

}  // namespace

int status_value(checks::Status s) {
  switch (s) {
    case checks::Status::pass:
      return 0;
    case checks::Status::warn:
      return 1;
    case checks::Status::fail:
      return 2;
    case checks::Status::unknown:
      return 3;
    case checks::Status::skipped:
      return 4;
  }
  return 3;
}

RunGauges run_gauges(const checks::Diagnosis& d, const probe::Facts& facts) {
  RunGauges g;
  g.check_status = check_statuses(d);
  g.root_causes = root_causes(d);
  g.ambient_pods = ambient_pods(facts);
  if (facts.daemonsets.source.ok()) {
    const auto* ds = ztunnel_daemonset(facts);
    g.ztunnel_ready = ds ? ds->ready : 0;
    g.ztunnel_desired = ds ? ds->desired : 0;
  }
  g.socket_state = socket_states(facts);
  return g;
}

}  // namespace meshdoctor::daemon
