#pragma once
// The per-node story behind MD504: when each node's ztunnel and istio-cni pods (re)started and
// became Ready, and which ambient pods started in between. A pure view of the facts built from
// the same rules as the check (checks/enrollment_rules), for the HTML report's timeline.
#include <optional>
#include <string>
#include <vector>

#include "checks/enrollment_rules.hpp"
#include "probe/facts.hpp"

namespace meshdoctor::checks {

// One node agent pod (ztunnel or istio-cni-node): its current incarnation.
struct AgentTimeline {
  std::string ns, name;
  std::optional<probe::Micros> created;          // metadata.creationTimestamp
  std::optional<probe::Micros> started;          // window start: created, or a later container (re)start
  std::optional<probe::Micros> ready_since;      // Ready=True since (only when Ready now)
  std::optional<probe::Micros> not_ready_since;  // Ready!=True since (only when not Ready now)
  bool ready = false;                            // Ready now
  int restarts = 0;                              // container restarts
};

// An ambient pod MD504 flags: it started while the node's ztunnel was not Ready.
struct TimelinePod {
  std::string ns, name;
  std::optional<probe::Micros> start;  // latest container start (what MD504 compares)
  StartTiming timing = StartTiming::unknown;  // before_ready or not_ready
};

struct NodeTimeline {
  std::string node;
  std::optional<AgentTimeline> ztunnel;  // empty: no ztunnel pod on the node
  std::optional<AgentTimeline> cni;      // empty: no istio-cni-node pod on the node
  std::vector<TimelinePod> stale;        // ordered by start
  int other_pods = 0;    // ambient pods started after Ready or handed over: not stale
  int unknown_pods = 0;  // ambient pods whose start could not be compared (time or ztunnel missing)
};

// One entry per node that runs a ztunnel, an istio-cni-node or an ambient pod, by node name.
// Ambient pods are counted only when namespaces and pods were collected (as MD504 requires).
std::vector<NodeTimeline> build_timeline(const probe::Facts& facts);

}  // namespace meshdoctor::checks
