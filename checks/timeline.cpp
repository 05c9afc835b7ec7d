#include "checks/timeline.hpp"

#include <algorithm>
#include <map>

namespace meshdoctor::checks {

namespace {

AgentTimeline agent_timeline(const probe::NodeAgentPod& p) {
  AgentTimeline a;
  a.ns = p.ns;
  a.name = p.name;
  a.created = p.created;
  a.started = agent_restart(p);
  a.ready = p.ready;
  if (p.ready) {
    a.ready_since = p.ready_since;
  } else {
    a.not_ready_since = p.not_ready_since;
  }
  a.restarts = p.restarts;
  return a;
}

NodeTimeline& row(std::map<std::string, NodeTimeline>& rows, const std::string& node) {
  NodeTimeline& r = rows[node];
  r.node = node;
  return r;
}

void add_agents(const std::map<std::string, const probe::NodeAgentPod*>& agents,
                std::optional<AgentTimeline> NodeTimeline::*slot,
                std::map<std::string, NodeTimeline>& rows) {
  for (const auto& [node, pod] : agents) {
    if (!node.empty()) row(rows, node).*slot = agent_timeline(*pod);
  }
}

// The same walk as MD504: the pods the selector picks, each against its node's current ztunnel.
void add_ambient_pods(const probe::Facts& facts, std::map<std::string, NodeTimeline>& rows) {
  if (!facts.namespaces.source.ok() || !facts.pods.source.ok()) return;
  auto ztunnels = ztunnel_by_node(facts);
  for (const auto* p : select_ambient_pods(facts).should) {
    if (p->node.empty()) continue;
    NodeTimeline& r = row(rows, p->node);
    auto z = ztunnels.find(p->node);
    if (z == ztunnels.end()) {
      ++r.unknown_pods;
      continue;
    }
    StartVerdict v = classify_pod_start(*p, *z->second);
    if (v.stale()) {
      r.stale.push_back({p->ns, p->name, v.pod_start, v.timing});
    } else if (v.timing == StartTiming::unknown) {
      ++r.unknown_pods;
    } else {
      ++r.other_pods;
    }
  }
}

}  // namespace

std::vector<NodeTimeline> build_timeline(const probe::Facts& facts) {
  std::map<std::string, NodeTimeline> rows;
  add_agents(newest_by_node(facts.ztunnel_pods.items), &NodeTimeline::ztunnel, rows);
  add_agents(newest_by_node(facts.cni_pods.items), &NodeTimeline::cni, rows);
  add_ambient_pods(facts, rows);
  std::vector<NodeTimeline> out;
  out.reserve(rows.size());
  for (auto& [node, r] : rows) {
    std::stable_sort(r.stale.begin(), r.stale.end(), [](const TimelinePod& a, const TimelinePod& b) {
      return a.start.value_or(0) < b.start.value_or(0);
    });
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace meshdoctor::checks
