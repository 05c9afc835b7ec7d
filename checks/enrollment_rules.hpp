#pragma once
// Pure rules behind MD503/MD504: which pods the istio-cni agent selects for ambient
// (ISTIO-AMBIENT-FACTS §3.2/§3.4), whether a pod's sandbox started while its node's ztunnel was
// not yet serving, and how a pod's owner is restarted. No I/O, no clock; unit-tested on their own.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "probe/facts.hpp"

namespace meshdoctor::checks {

// Why a pod is (or is not) selected for ambient enrollment.
enum class SelectionReason {
  pod_label_ambient,        // pod label istio.io/dataplane-mode=ambient (takes precedence)
  namespace_label_ambient,  // namespace label ambient and the pod did not opt out
  not_labelled,             // neither the pod nor its namespace asks for ambient
  pod_opted_out,            // pod label istio.io/dataplane-mode=none
  not_live,                 // Succeeded/Failed/terminating, or Pending without a node
  excluded_namespace,       // IstioCNI spec.values.cni.excludeNamespaces
  host_network,             // hostNetwork pods are never captured
  sidecar,                  // sidecar.istio.io/status annotation or an istio-proxy container
};

struct EnrollmentDecision {
  bool should = false;
  SelectionReason selection = SelectionReason::not_labelled;
  std::string reason;  // for evidence lines: "namespace bookinfo is labelled ambient"
};

// The chart default of spec.values.cni.excludeNamespaces.
std::vector<std::string> default_cni_exclude_namespaces();

// Whether the pod is running or about to (a Pending pod already bound to a node has had, or is
// having, its sandbox set up by the CNI plugin, so it counts).
bool is_live_pod(const probe::WorkloadPod& pod);

// The selector rules. ns may be null when the pod's Namespace object was not seen.
EnrollmentDecision should_be_enrolled(const probe::WorkloadPod& pod, const probe::Namespace* ns,
                                      const std::vector<std::string>& exclude_namespaces);

// ---- started-before-ztunnel -------------------------------------------------------------------

enum class StartTiming {
  handed_over,   // started before the current ztunnel pod existed: the CNI snapshot hands it over
  after_ready,   // started after ztunnel became Ready
  before_ready,  // started after ztunnel (re)started and before it became Ready: stale
  not_ready,     // started after ztunnel (re)started, ztunnel still not Ready: stale
  unknown,       // a timestamp is missing
};

struct StartVerdict {
  StartTiming timing = StartTiming::unknown;
  std::optional<probe::Micros> pod_start;     // latest container start, else startTime/created
  std::optional<probe::Micros> window_start;  // ztunnel (re)start: created, or later container start
  std::optional<probe::Micros> ready_at;      // ztunnel Ready=True since
  std::string missing;                        // what was missing when unknown
  bool stale() const { return timing == StartTiming::before_ready || timing == StartTiming::not_ready; }
};

StartVerdict classify_pod_start(const probe::WorkloadPod& pod, const probe::NodeAgentPod& ztunnel);

// When a node agent pod's current incarnation started: its creation, or a later container
// (re)start. For ztunnel this opens the window MD504 looks at.
std::optional<probe::Micros> agent_restart(const probe::NodeAgentPod& pod);

// The current node agent pod per node (the newest one when a rollout left two).
std::map<std::string, const probe::NodeAgentPod*> newest_by_node(
    const std::vector<probe::NodeAgentPod>& pods);
std::map<std::string, const probe::NodeAgentPod*> ztunnel_by_node(const probe::Facts& facts);

// ---- owners -----------------------------------------------------------------------------------

struct Workload {
  std::string kind;  // "Deployment", "StatefulSet", "DaemonSet", or "Pod" (no restartable owner)
  std::string ns, name;
  bool operator<(const Workload& o) const;
};

// ReplicaSet "reviews-v2-5d8f9c7b6" → Deployment "reviews-v2"; bare/Job/other-owned pods → Pod.
Workload owning_workload(const probe::WorkloadPod& pod);

// "oc rollout restart deployment/reviews-v2 -n bookinfo", or "oc delete pod <name> -n <ns>".
std::string restart_command(const Workload& w);

// "owner ReplicaSet/reviews-v2-5d8f9c7b6" or "no controller owner".
std::string owner_text(const probe::WorkloadPod& pod);

// ---- the ambient pod set shared by MD503/MD504 --------------------------------------------------

struct AmbientPodSet {
  std::vector<const probe::WorkloadPod*> should;  // live pods the selector picks
  std::vector<const probe::WorkloadPod*> stale;   // !should but annotated: stale enrollment
  // Ambient-labelled namespaces whose pods were not collected: name → why.
  std::map<std::string, std::string> uncollected;
  std::vector<std::string> exclude_namespaces;
  std::string exclude_origin;  // where the exclude list came from, for evidence
};

// Requires facts.pods and facts.namespaces collected (callers check first).
AmbientPodSet select_ambient_pods(const probe::Facts& facts);

}  // namespace meshdoctor::checks
