#pragma once
// Wording of the remediation section (DESIGN.md §7) shared by the text and Markdown renderers:
// one phrase per plan entry, pod, write attempt and verified workload, and the summary counts.
// Phrases use "·" and "→"; the text renderer turns them into ASCII when asked. Internal to report/.
#include <string>
#include <vector>

#include "checks/finding.hpp"
#include "checks/remediation.hpp"

namespace meshdoctor::report::remedy {

// "Deployment bookinfo/details-v1" (no namespace: "Node worker-1").
std::string workload(const std::string& kind, const std::string& ns, const std::string& name);

// "dry-run: nothing was written (--apply to restart)", "apply · from plan", ...
std::string mode_text(const checks::Remediation& r);

// Entries grouped by action (restart, delete, skip, defer), plan order within a group.
std::vector<const checks::PlanEntry*> entries_in_order(const checks::Remediation& r);

// Why the entry is listed: "rv 4312 · 2 pod(s) started before ztunnel was Ready (MD504)" for a
// restart or delete, "paused: spec.paused is true" (guard: reason) for a skip or defer.
std::string entry_reason(const checks::PlanEntry& e);

// "details-v1-65cf-dq2tw on worker-1: started 11:45:21, ztunnel-9qzvd Ready at 11:46:35"
std::string pod_text(const checks::PlanEntry& e, const checks::RemediationPod& p);

// "restarted Deployment bookinfo/details-v1 (rv 4312 → 4313), event recorded"
std::string applied_text(const checks::AppliedAction& a);

// "Deployment bookinfo/details-v1 2/2 Ready, 2/2 enrolled"
std::string verified_text(const checks::VerifiedWorkload& v);

// "all 2 restarted workloads Ready and enrolled after 45s" or why not.
std::string verify_headline(const checks::Verification& v);

// "MD504 fail → pass", one per check named before or after.
std::vector<std::string> status_changes(const checks::Verification& v);

// Writes that did not succeed (AppliedAction::ok() false).
int failed_count(const checks::Remediation& r);
bool any_failed(const checks::Remediation& r);

// "DRY-RUN" or "APPLIED".
std::string summary_word(const checks::Remediation& r);
// What follows the word: "4 to restart", "5 skipped", "1 deferred", "nothing written".
std::vector<std::string> summary_parts(const checks::Remediation& r);

// The checks whose findings the plan answers: MD504, MD503 and any an entry names, in the
// diagnosis' (catalogue) order, only those present in the diagnosis.
std::vector<const checks::Finding*> flagging_findings(const checks::Diagnosis& d);

std::string join(const std::vector<std::string>& items, const std::string& sep);

}  // namespace meshdoctor::report::remedy
