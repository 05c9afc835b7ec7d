#pragma once
// Small helpers shared by the check areas: evidence wording, Sail CR and operator lookup,
// "section not collected → unknown", version parsing. Pure functions over probe::Facts.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checks/finding.hpp"

namespace meshdoctor::checks {

inline constexpr const char* k_ossm_package = "servicemeshoperator3";

// ---- Evidence wording ----------------------------------------------------------------------

// "sailoperator.io/v1 IstioCNI default", "apps/v1 DaemonSet ztunnel/ztunnel"; the bundle file and
// line are appended when known: "... (cluster-scoped-resources/.../default.yaml:3)".
std::string object_source(std::string_view api_version,
                          std::string_view kind,
                          std::string_view ns,
                          std::string_view name,
                          const probe::Origin& origin);
std::string cr_source(const probe::SailCr& cr);

// "istio-cni/istio-cni-node-xk0q log (current.log:12)"; without a line: "... current log".
std::string log_source(const probe::PodLog& log, const probe::LogLine* line);

// "Ready=False (DaemonSetNotReady: not all ztunnel pods are ready)", "Ready=True".
std::string format_condition(const probe::Condition& c);
// The formatted condition, or "<type> condition not reported".
std::string condition_text(const std::vector<probe::Condition>& conditions,
                           const std::string& type);
bool condition_true(const std::vector<probe::Condition>& conditions, const std::string& type);

// "spec.profile is not set" / "spec.profile is \"default\"".
std::string field_value(const std::string& path, const std::optional<std::string>& value);
std::string quoted(const std::string& s);
std::string join(const std::vector<std::string>& parts, const std::string& sep);

// "node worker-1: not ready, CrashLoopBackOff, 5 restarts".
std::string describe_pod(const probe::NodeAgentPod& pod);

ObjectRef cr_ref(const probe::SailCr& cr);
ObjectRef pod_ref(const probe::NodeAgentPod& pod);

// ---- Lookups -----------------------------------------------------------------------------------

// The CR with that name, or nullptr.
const probe::SailCr* find_named(const probe::Section<probe::SailCr>& section,
                                const std::string& name);
// The CR named `name` when present, else the first one, else nullptr.
const probe::SailCr* find_preferred(const probe::Section<probe::SailCr>& section,
                                    const std::string& name);
// Istio spec.profile ambient/openshift-ambient or spec.values.profile ambient.
bool is_ambient_profile(const probe::SailCr& cr);

// The Subscription for package servicemeshoperator3 (first one found), or nullptr.
const probe::Subscription* find_ossm_subscription(const probe::Facts& facts);
const probe::ClusterServiceVersion* find_csv(const probe::Facts& facts,
                                             const std::string& name,
                                             const std::string& preferred_ns);

// ---- Versions ----------------------------------------------------------------------------------

struct Version {
  int major = 0, minor = 0, patch = 0;
  bool tech_preview = false;  // "-tp" suffix (OSSM 3.0.0-tp.x)
};
// Accepts "3.2.1", "v1.29.3", "v1.28-latest", "4.19.7", "servicemeshoperator3.v3.0.0-tp.2".
std::optional<Version> parse_version(std::string_view text);

// The installed OSSM operator version, from the Subscription's installed CSV (CSV spec.version,
// else the version in the CSV name). `from` says where it was read, for evidence.
struct OperatorVersion {
  Version version;
  std::string text;  // "3.2.1"
  std::string from;  // "CSV openshift-operators/servicemeshoperator3.v3.2.1 spec.version"
};
std::optional<OperatorVersion> installed_operator(const probe::Facts& facts);

// ---- Node-agent DaemonSets (istio-cni-node, ztunnel)
// ---------------------------------------------

const probe::DaemonSet* find_daemonset(const probe::Facts& facts,
                                       const std::string& ns,
                                       const std::string& name);
// The DaemonSets section may be partly unreadable (one namespace's file corrupt): a DaemonSet that
// was read can still be judged. Returns the unknown finding when it cannot; else notes the partial
// read in `f` and returns nullopt.
std::optional<Finding> require_daemonset(const std::string& id,
                                         const probe::Facts& facts,
                                         const probe::DaemonSet* ds,
                                         Finding& f);
// "2/3 ready (3 scheduled, 3 desired)".
std::string daemonset_counts(const probe::DaemonSet& ds);
// What is wrong with the rollout in the operator's own words ("no ztunnel pods are currently
// scheduled", "not all ztunnel pods are ready: 2/3 ready"); nullopt when every pod is ready.
std::optional<std::string> daemonset_problem(const probe::DaemonSet& ds);
// Evidence and objects for the not-ready pods of a node-agent section in namespace `ns`.
void add_unready_pods(Finding& f,
                      const probe::Section<probe::NodeAgentPod>& pods,
                      const std::string& ns);

// A node agent (istio-cni-node or ztunnel pod) to evaluate: from the pods section when collected,
// else from the logs that were read. `pod` is null in the second case.
struct AgentRef {
  std::string ns, name, node;
  const probe::NodeAgentPod* pod = nullptr;
};
std::vector<AgentRef> node_agents(const probe::Section<probe::NodeAgentPod>& pods,
                                  const probe::Section<probe::PodLog>& logs);
// The current (previous = false) or previous container log of a pod, or nullptr.
const probe::PodLog* find_log(const probe::Section<probe::PodLog>& logs,
                              const std::string& ns,
                              const std::string& pod,
                              bool previous);
std::string node_of(const AgentRef& a);  // the node name, else the pod name
// Evidence saying why an agent's log cannot be used (absent, rotated, refused); nullopt if usable.
std::optional<Evidence> log_unavailable(const AgentRef& a, const probe::PodLog* log);

// Appends at most `cap` items, then one "... and N more" line under `what`.
void append_capped(std::vector<Evidence>& out,
                   const std::vector<Evidence>& items,
                   size_t cap,
                   const std::string& what);

// ---- Unknown when data is missing ------------------------------------------------------------

// An unknown finding when the section was not collected; nullopt when it is usable.
std::optional<Finding> require_source(const std::string& id,
                                      const std::string& what,
                                      const probe::SourceState& source);

}  // namespace meshdoctor::checks
