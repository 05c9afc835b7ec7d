#pragma once
// --simulate-rollouts: fakekube plays the workload controllers. After a PATCH that changed the
// pod template of a Deployment, StatefulSet or DaemonSet, the pods it owns are replaced by fresh
// copies (new uid and, but for a StatefulSet's, a new name suffix; just started, Ready,
// restartCount 0, enrolled in ambient when the pod or its namespace is) and the workload's status
// says the rollout is done. With a delay the new pods stay NotReady that long: they are recorded
// as pending, and the first request after their due time makes them Ready (settle_ready_pods).
#include <string>

#include <nlohmann/json.hpp>

#include "bundle_index.hpp"

namespace meshdoctor::fakekube {

struct WorkloadRef {
  std::string plural;  // deployments, statefulsets, daemonsets (group apps)
  std::string ns;
  std::string name;
};

bool is_workload(const std::string& group, const std::string& plural);

// Replaces the workload's pods and updates its status. Caller holds the bundle's lock alone.
void simulate_rollout(Bundle& bundle, const WorkloadRef& ref, nlohmann::json& workload, int delay_ms);

// Makes the pending pods whose delay has passed Ready. Caller holds the bundle's lock alone.
void settle_ready_pods(Bundle& bundle);

// Whether pending pods are due (no lock needed): callers take the lock only then.
bool pods_due(const Bundle& bundle);

}  // namespace meshdoctor::fakekube
