#pragma once
// What `meshdoctor serve` exports about one run, computed from its Diagnosis and Facts. Pure: no
// clock, no registry (daemon/exporter.cpp puts these values into prometheus-cpp), so the values
// are tested on hand-built diagnoses. Every label set is bounded by the catalogue, the node count
// or a fixed list of states: never a label per pod.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checks/finding.hpp"
#include "probe/facts.hpp"

namespace meshdoctor::daemon {

using Labels = std::map<std::string, std::string>;

struct Sample {
  Labels labels;
  double value = 0;
};

// meshdoctor_check_status: pass 0, warn 1, fail 2, unknown 3, skipped 4.
int status_value(checks::Status s);

// The states of meshdoctor_ambient_pods: the pod's ambient.istio.io/redirection annotation is
// "enabled", "pending", or missing (absent or any other value).
inline constexpr const char* k_pod_states[] = {"enabled", "pending", "missing"};

struct RunGauges {
  std::vector<Sample> check_status;  // {id, name, category}: one per finding
  std::vector<Sample> root_causes;   // {id} = 1 for the current root causes only
  // {node, state}: the pods the ambient selector picks, per node; every node of those pods or of
  // a ztunnel pod gets all three states. Empty when pods or namespaces were not collected.
  std::vector<Sample> ambient_pods;
  // The ztunnel DaemonSet's numberReady / desiredNumberScheduled (0/0 when it does not exist);
  // empty when DaemonSets were not collected.
  std::optional<int> ztunnel_ready, ztunnel_desired;
  // {state}: 1 for the socket probe's outcome, 0 for the other states; empty unless the socket
  // was probed (--node-local).
  std::vector<Sample> socket_state;
};

RunGauges run_gauges(const checks::Diagnosis& d, const probe::Facts& facts);

}  // namespace meshdoctor::daemon
