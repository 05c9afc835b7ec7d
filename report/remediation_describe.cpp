// Wording of the remediation section shared by the text and Markdown renderers.
#include "report/remediation_describe.hpp"

#include <algorithm>
#include <set>

#include "util/time.hpp"

namespace meshdoctor::report::remedy {

namespace {

std::string plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "11:45:21" from an RFC3339 time (the date is the run's, shown in the header).
std::string time_of_day(util::Micros t) {
  std::string text = util::format_rfc3339(t);
  return text.size() >= 19 ? text.substr(11, 8) : text;
}

int count_result(const checks::Remediation& r, const char* result) {
  return static_cast<int>(std::count_if(r.applied.begin(), r.applied.end(),
                                        [result](const auto& a) { return a.result == result; }));
}

}  // namespace

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

std::string workload(const std::string& kind, const std::string& ns, const std::string& name) {
  std::string out = kind.empty() ? std::string() : kind + " ";
  return out + (ns.empty() ? name : ns + "/" + name);
}

std::string mode_text(const checks::Remediation& r) {
  std::vector<std::string> parts;
  if (r.apply) parts.push_back("apply");
  if (r.from_plan) parts.push_back("from plan");
  if (!r.apply) parts.push_back("dry-run: nothing was written (--apply to restart)");
  return join(parts, " · ");
}

std::vector<const checks::PlanEntry*> entries_in_order(const checks::Remediation& r) {
  std::vector<const checks::PlanEntry*> out;
  for (auto a : {checks::PlanAction::restart, checks::PlanAction::remove, checks::PlanAction::skip,
                 checks::PlanAction::defer}) {
    for (const auto& e : r.plan) {
      if (e.action == a) out.push_back(&e);
    }
  }
  return out;
}

std::string entry_reason(const checks::PlanEntry& e) {
  bool writes = e.action == checks::PlanAction::restart || e.action == checks::PlanAction::remove;
  if (!writes) {
    if (e.guard.empty()) return e.reason;
    return e.reason.empty() ? e.guard : e.guard + ": " + e.reason;
  }
  std::vector<std::string> parts;
  if (!e.resource_version.empty()) parts.push_back("rv " + e.resource_version);
  std::string why = e.reason;
  if (why.empty() && !e.pods.empty()) {
    why = plural(static_cast<int>(e.pods.size()), "pod", "pods") + " flagged";
  }
  bool named = std::any_of(e.checks.begin(), e.checks.end(),
                           [&why](const std::string& c) { return why.find(c) != std::string::npos; });
  if (!e.checks.empty() && !named) {
    why += (why.empty() ? "" : " ") + std::string("(") + join(e.checks, ", ") + ")";
  }
  if (!why.empty()) parts.push_back(why);
  return join(parts, " · ");
}

std::string pod_text(const checks::PlanEntry& e, const checks::RemediationPod& p) {
  std::string out = p.ns.empty() || p.ns == e.ns ? p.name : p.ns + "/" + p.name;
  if (!p.node.empty()) out += " on " + p.node;
  std::string detail = p.detail;
  if (detail.empty()) {
    std::vector<std::string> parts;
    if (p.pod_start) parts.push_back("started " + time_of_day(*p.pod_start));
    if (p.ztunnel_ready_at) {
      parts.push_back((p.ztunnel_pod.empty() ? std::string("ztunnel") : p.ztunnel_pod) +
                      " Ready at " + time_of_day(*p.ztunnel_ready_at));
    }
    if (parts.empty() && !p.check.empty()) parts.push_back("flagged by " + p.check);
    detail = join(parts, ", ");
  }
  return detail.empty() ? out : out + ": " + detail;
}

std::string applied_text(const checks::AppliedAction& a) {
  std::string out = a.result + " " + workload(a.kind, a.ns, a.name);
  const auto& before = a.resource_version_before;
  const auto& after = a.resource_version_after;
  if (a.ok()) {
    if (!before.empty() && !after.empty()) {
      out += " (rv " + before + " → " + after + ")";
    } else if (!before.empty() || !after.empty()) {
      out += " (rv " + (before.empty() ? after : before) + ")";
    }
  } else if (a.result == "error" && a.http_status != 0) {
    out += " (HTTP " + std::to_string(a.http_status) + ")";
  }
  if (!a.detail.empty()) out += ": " + a.detail;
  if (!a.event.empty()) out += ", event " + a.event;
  return out;
}

std::string verified_text(const checks::VerifiedWorkload& v) {
  std::string out = workload(v.kind, v.ns, v.name) + " " + std::to_string(v.ready) + "/" +
                    std::to_string(v.desired) + " Ready, " + std::to_string(v.enrolled) + "/" +
                    std::to_string(v.desired) + " enrolled";
  if (v.old_pods > 0) out += ", " + plural(v.old_pods, "old pod", "old pods") + " left";
  if (!v.detail.empty()) out += ": " + v.detail;
  return out;
}

std::string verify_headline(const checks::Verification& v) {
  int total = static_cast<int>(v.workloads.size());
  int done = static_cast<int>(
      std::count_if(v.workloads.begin(), v.workloads.end(), [](const auto& w) { return w.done; }));
  std::string waited = util::format_duration(static_cast<util::Micros>(v.waited_ms) * 1000);
  if (v.completed) {
    return "all " + plural(total, "restarted workload", "restarted workloads") +
           " Ready and enrolled after " + waited;
  }
  return "not settled after " + waited + ": " + std::to_string(done) + " of " +
         plural(total, "workload", "workloads") + " done";
}

std::vector<std::string> status_changes(const checks::Verification& v) {
  std::set<std::string> ids;
  for (const auto& [id, _] : v.before) ids.insert(id);
  for (const auto& [id, _] : v.after) ids.insert(id);
  std::vector<std::string> out;
  for (const auto& id : ids) {
    auto b = v.before.find(id);
    auto a = v.after.find(id);
    out.push_back(id + " " + (b == v.before.end() ? std::string("not run") : b->second) + " → " +
                  (a == v.after.end() ? std::string("not run") : a->second));
  }
  return out;
}

int failed_count(const checks::Remediation& r) {
  return static_cast<int>(
      std::count_if(r.applied.begin(), r.applied.end(), [](const auto& a) { return !a.ok(); }));
}

bool any_failed(const checks::Remediation& r) { return failed_count(r) > 0; }

std::string summary_word(const checks::Remediation& r) { return r.apply ? "APPLIED" : "DRY-RUN"; }

std::vector<std::string> summary_parts(const checks::Remediation& r) {
  using checks::PlanAction;
  std::vector<std::string> parts;
  int skipped = r.count(PlanAction::skip);
  int deferred = r.count(PlanAction::defer);
  if (!r.apply) {
    if (r.plan.empty()) return {"nothing to restart", "nothing written"};
    parts.push_back(std::to_string(r.count(PlanAction::restart)) + " to restart");
    if (int n = r.count(PlanAction::remove); n > 0) parts.push_back(std::to_string(n) + " to delete");
    parts.push_back(std::to_string(skipped) + " skipped");
    parts.push_back(std::to_string(deferred) + " deferred");
    parts.push_back("nothing written");
    return parts;
  }
  if (r.plan.empty() && r.applied.empty()) return {"nothing to restart"};
  parts.push_back(std::to_string(count_result(r, "restarted")) + " restarted");
  int deleted = count_result(r, "deleted");
  if (deleted > 0 || r.count(PlanAction::remove) > 0) {
    parts.push_back(std::to_string(deleted) + " deleted");
  }
  parts.push_back(std::to_string(failed_count(r)) + " failed");
  parts.push_back(std::to_string(skipped) + " skipped");
  parts.push_back(std::to_string(deferred) + " deferred");
  if (r.verify) {
    parts.push_back(r.verify->completed
                        ? std::string("verified")
                        : "not verified after " +
                              util::format_duration(static_cast<util::Micros>(r.verify->waited_ms) * 1000));
  }
  return parts;
}

std::vector<const checks::Finding*> flagging_findings(const checks::Diagnosis& d) {
  std::set<std::string> ids{"MD503", "MD504"};
  if (d.remediation) {
    for (const auto& e : d.remediation->plan) ids.insert(e.checks.begin(), e.checks.end());
  }
  std::vector<const checks::Finding*> out;
  for (const auto& f : d.findings) {
    if (ids.count(f.id) > 0) out.push_back(&f);
  }
  return out;
}

}  // namespace meshdoctor::report::remedy
