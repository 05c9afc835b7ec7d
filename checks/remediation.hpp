#pragma once
// The remediation part of a report (DESIGN.md §4 "remediation", §7): the plan of the
// restart-stale-workloads playbook, what was applied with each result, and the verification.
// Plain data: playbooks/ fills it, report/ renders it, so neither depends on the other.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/time.hpp"

namespace meshdoctor::checks {

// One flagged pod behind a plan entry: why its workload is listed.
struct RemediationPod {
  std::string ns, name, node;
  std::string check;                         // "MD504" (started before ztunnel Ready) or "MD503"
  std::string ztunnel_pod;                   // ztunnel pod on that node
  std::optional<util::Micros> pod_start;     // latest container start (MD504)
  std::optional<util::Micros> ztunnel_ready_at;  // that ztunnel's Ready=True since
  std::string detail;                        // one line: "started 11:45:21, ztunnel-9qzvd Ready at 11:46:35"
};

enum class PlanAction {
  restart,  // patch spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]
  remove,   // delete a bare pod with a UID precondition (--delete-bare-pods)
  skip,     // a guard refused it; `guard` and `reason` say which and why
  defer,    // beyond --max-restarts
};
const char* to_string(PlanAction a);  // "restart" | "delete" | "skip" | "defer"

// Machine-readable guard names (PlanEntry::guard), stable in JSON and plan files:
//   excluded-namespace, namespace-filter, ztunnel-not-ready, already-restarted, paused,
//   rollout-in-progress, opted-out, job-owned, bare-pod, static-pod, unsupported-owner,
//   owner-not-found, lookup-failed, budget.
struct PlanEntry {
  std::string kind;  // Deployment | StatefulSet | DaemonSet | Pod (bare pod) | Job | ReplicaSet | ...
  std::string ns, name;
  std::string uid, resource_version;  // as read when planning; the precondition when applying
  std::string api_path;               // "/apis/apps/v1/namespaces/bookinfo/deployments/reviews-v2"
  std::string command;                // the oc equivalent: "oc rollout restart deployment/reviews-v2 -n bookinfo"
  PlanAction action = PlanAction::skip;
  std::string guard;                  // empty for restart/remove
  std::string reason;                 // why it is restarted, or why skipped/deferred
  std::vector<std::string> checks;    // flagging checks: "MD504", "MD503"
  std::vector<RemediationPod> pods;
};

// One write attempt (or refusal) of an apply run. Results, stable in JSON:
//   restarted, deleted, conflict (409: changed concurrently, untouched), forbidden (403: detail
//   names the missing permission), not-found, changed-since-plan (--from-plan refusal, nothing
//   sent), error (anything else: detail says what).
struct AppliedAction {
  std::string kind, ns, name;
  std::string action;  // "restart" | "delete"
  std::string result;
  std::string detail;
  int http_status = 0;  // 0 when nothing was sent
  std::optional<util::Micros> at;
  std::string resource_version_before, resource_version_after;
  std::string restarted_at;  // the annotation value sent (RFC3339)
  std::string event;         // "recorded" | "forbidden: create events in namespace x" | "error: ..." | ""
  bool ok() const { return result == "restarted" || result == "deleted"; }
};

// --wait: what happened to one restarted workload after the apply.
struct VerifiedWorkload {
  std::string kind, ns, name;
  bool done = false;  // every new pod Ready and ambient.istio.io/redirection=enabled
  int desired = 0, ready = 0, enrolled = 0, old_pods = 0;
  std::string detail;
};

struct Verification {
  bool completed = false;  // all workloads done before the deadline
  long waited_ms = 0;
  std::vector<VerifiedWorkload> workloads;
  // Statuses of the affected checks (MD503, MD504) before the apply and after the wait.
  std::map<std::string, std::string> before, after;
};

struct Remediation {
  std::string playbook = "restart-stale-workloads";
  bool apply = false;           // false = dry-run: nothing was written
  bool from_plan = false;       // --from-plan: the plan was read from a reviewed file
  int max_restarts = 10;
  std::vector<PlanEntry> plan;
  std::vector<AppliedAction> applied;
  std::optional<Verification> verify;
  std::vector<std::string> notes;  // e.g. "MD504 unknown: ztunnel pods not collected; nothing planned"

  int count(PlanAction a) const;
};

}  // namespace meshdoctor::checks
