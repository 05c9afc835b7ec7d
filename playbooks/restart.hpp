#pragma once
// restart-stale-workloads (DESIGN.md §7): plan, apply and verify the restart of the workloads
// whose pods started while the ztunnel on their node was not Ready (MD504), and optionally of
// those whose pods never got ambient.istio.io/redirection=enabled (MD503).
//
//   plan    Facts + Diagnosis → flagged pods → owners (ReplicaSet → Deployment through the API)
//           → guards → one entry per workload, deduplicated, ordered by namespace, kind, name.
//   apply   the same patch as `kubectl rollout restart`, with the resourceVersion read when
//           planning as a precondition; one Event per restarted workload; every attempt recorded.
//   verify  waits until each restarted workload's new pods are Ready and enrolled.
//
// Nothing here writes unless apply_plan is called; the CLI calls it only with --apply.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checks/finding.hpp"
#include "checks/remediation.hpp"
#include "probe/facts.hpp"
#include "probe/kube_client.hpp"
#include "util/expected.hpp"

namespace meshdoctor::playbooks {

// Reads one object (GET an API path) as JSON. Errors keep the kube client's codes:
// kube.not_found, kube.forbidden (message names the permission), others.
using ObjectReader = std::function<util::Expected<nlohmann::json>(const std::string& api_path)>;

// An ObjectReader over a live cluster.
ObjectReader live_reader(probe::KubeClient& client);
// An ObjectReader over an offline bundle directory (inspect layout); archives are not searched.
ObjectReader bundle_reader(const std::string& bundle_path);

struct PlanOptions {
  int max_restarts = 10;
  std::vector<std::string> namespaces;           // --namespace: only these (empty: all)
  std::vector<std::string> exclude_namespaces;   // --exclude-namespace
  std::vector<std::string> off_mesh_namespaces;  // the off-mesh policy list (MD502)
  bool include_unenrolled = false;               // also MD503's un-enrolled pods
  bool delete_bare_pods = false;                 // plan bare pods for deletion (UID precondition)
};

// Namespaces never touched whatever the options: openshift-*, kube-*, default, the mesh's own.
bool is_protected_namespace(const std::string& ns, const probe::Facts& facts);

struct PlanResult {
  checks::Remediation remediation;
  bool incomplete = false;  // a flagging check was unknown or an owner could not be read
};

PlanResult plan_restarts(const probe::Facts& facts, const checks::Diagnosis& diagnosis,
                         const PlanOptions& options, const ObjectReader& read);

// ---- apply --------------------------------------------------------------------------------------

struct ApplyOptions {
  bool recheck_resource_version = false;  // --from-plan: GET first, refuse changed objects
  int max_restarts = 10;                  // writes sent at most
  util::Micros now = 0;                   // the restartedAt value and Event times
  std::string field_manager = "meshdoctor";
  std::string reporting_instance;         // Event reportingInstance (host name)
  // Called after each write attempt (for the audit line on stderr).
  std::function<void(const checks::AppliedAction&)> on_action;
};

// The exact request body of a restart: the `kubectl rollout restart` strategic merge patch plus
// metadata.resourceVersion as the optimistic-concurrency precondition.
std::string restart_patch_body(const std::string& resource_version, const std::string& restarted_at);

// Applies every restart/delete entry of r.plan in order, appending to r.applied. Entries past
// the budget become deferred. Never throws; each failure is recorded and the others proceed.
void apply_plan(checks::Remediation& r, probe::KubeClient& client, const ApplyOptions& options);

// ---- verify -------------------------------------------------------------------------------------

struct VerifyOptions {
  long wait_ms = 0;
  long interval_ms = 2000;
  // Pods that existed before the apply (uids): a pod of the workload not among them is new.
  std::vector<std::string> old_pod_uids;
};

// Polls the restarted workloads until their new pods are all Ready and enrolled or the time is
// up; fills r.verify (before/after statuses are the caller's, from re-running the checks).
void verify_restarts(checks::Remediation& r, probe::KubeClient& client, const VerifyOptions& options);

}  // namespace meshdoctor::playbooks
