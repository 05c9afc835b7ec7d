// The remediation section of the HTML report (DESIGN.md §7), worded by the shared
// remediation_describe helpers so that it says what the text and Markdown reports say.
#include "report/html_sections.hpp"
#include "report/html_text.hpp"
#include "report/remediation_describe.hpp"

namespace meshdoctor::report::html {

namespace {

// Pods listed per plan entry; a large workload's other pods fold away.
constexpr std::size_t k_pods_shown = 5;

bool writes(const checks::PlanEntry& e) {
  return e.action == checks::PlanAction::restart || e.action == checks::PlanAction::remove;
}

const char* action_class(checks::PlanAction a) {
  switch (a) {
    case checks::PlanAction::restart:
    case checks::PlanAction::remove:
      return "fail";
    case checks::PlanAction::skip:
      return "skipped";
    case checks::PlanAction::defer:
      return "warn";
  }
  return "skipped";
}

std::string pods(const checks::PlanEntry& e) {
  if (e.pods.empty()) return "";
  std::string out = "<ul class=\"pods\">\n";
  for (std::size_t i = 0; i < e.pods.size(); ++i) {
    if (i == k_pods_shown) {
      out += "</ul>\n<details class=\"more\"><summary>" +
             std::to_string(e.pods.size() - k_pods_shown) + " more pods</summary>\n<ul class=\"pods\">\n";
    }
    out += "<li>" + escape(remedy::pod_text(e, e.pods[i])) + "</li>\n";
  }
  return out + (e.pods.size() > k_pods_shown ? "</ul></details>\n" : "</ul>\n");
}

std::string entry(const checks::PlanEntry& e) {
  std::string out = "<li class=\"plan-entry\"><span class=\"badge " +
                    std::string(action_class(e.action)) + "\">" +
                    escape(checks::to_string(e.action)) + "</span> <strong>" +
                    escape(remedy::workload(e.kind, e.ns, e.name)) + "</strong>";
  std::string why = remedy::entry_reason(e);
  if (!why.empty()) out += " <span class=\"msg\">" + escape(why) + "</span>";
  if (writes(e)) out += pods(e);
  return out + "</li>\n";
}

// What --apply would send, as the oc commands a reader can run one by one instead.
std::string commands(const checks::Remediation& r) {
  if (r.apply) return "";
  std::string body;
  for (const auto* e : remedy::entries_in_order(r)) {
    if (writes(*e) && !e->command.empty()) body += e->command + "\n";
  }
  if (body.empty()) return "";
  return "<h4>Equivalent commands</h4>\n<pre class=\"fix\">" + escape(body) + "</pre>\n";
}

std::string applied(const checks::Remediation& r) {
  if (r.applied.empty()) return "";
  std::string out = "<h4>Applied</h4>\n<ul class=\"applied\">\n";
  for (const auto& a : r.applied) {
    out += std::string("<li class=\"") + (a.ok() ? "pass" : "fail") + "\">" +
           escape(remedy::applied_text(a)) + "</li>\n";
  }
  return out + "</ul>\n";
}

std::string verification(const checks::Verification& v) {
  std::string out = "<h4>Verification</h4>\n<p>" + escape(remedy::verify_headline(v)) +
                    "</p>\n<ul class=\"verified\">\n";
  for (const auto& w : v.workloads) {
    out += std::string("<li class=\"") + (w.done ? "pass" : "fail") + "\">" +
           (w.done ? "done: " : "not done: ") + escape(remedy::verified_text(w)) + "</li>\n";
  }
  for (const auto& change : remedy::status_changes(v)) out += "<li>" + escape(change) + "</li>\n";
  return out + "</ul>\n";
}

std::string notes(const checks::Remediation& r) {
  if (r.notes.empty()) return "";
  std::string out = "<h4>Notes</h4>\n<ul>\n";
  for (const auto& n : r.notes) out += "<li>" + escape(n) + "</li>\n";
  return out + "</ul>\n";
}

std::string summary(const checks::Remediation& r) {
  std::vector<std::string> parts{remedy::summary_word(r)};
  for (auto& p : remedy::summary_parts(r)) parts.push_back(std::move(p));
  return "<p class=\"summary\"><strong>" + escape(remedy::join(parts, " · ")) + "</strong></p>\n";
}

}  // namespace

std::string remediation_section(const checks::Remediation& r) {
  std::string out = "<section id=\"remediation\">\n<h2>Remediation</h2>\n<p class=\"lead\"><code>" +
                    escape(r.playbook) + "</code> · ";
  if (r.plan.empty()) {
    out += "nothing to restart</p>\n";
  } else {
    out += escape(remedy::mode_text(r)) + " · --max-restarts " + std::to_string(r.max_restarts) +
           "</p>\n<ul class=\"plan\">\n";
    for (const auto* e : remedy::entries_in_order(r)) out += entry(*e);
    out += "</ul>\n" + commands(r);
  }
  out += applied(r);
  if (r.verify) out += verification(*r.verify);
  return out + notes(r) + summary(r) + "</section>\n";
}

}  // namespace meshdoctor::report::html
