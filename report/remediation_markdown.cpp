// The remediation section of the Markdown report and the plan-focused Markdown report of
// `meshdoctor restart`.
#include <algorithm>

#include "report/describe.hpp"
#include "report/markdown_text.hpp"
#include "report/remediation_describe.hpp"

namespace meshdoctor::report::markdown {

namespace {

constexpr std::size_t k_pods_per_row = 3;

std::string pods_cell(const checks::PlanEntry& e) {
  std::vector<std::string> items;
  std::size_t shown = std::min(k_pods_per_row, e.pods.size());
  for (std::size_t i = 0; i < shown; ++i) items.push_back(remedy::pod_text(e, e.pods[i]));
  if (e.pods.size() > shown) items.push_back("+" + std::to_string(e.pods.size() - shown) + " more");
  return table_cell(remedy::join(items, "; "));
}

std::string plan_table(const checks::Remediation& r) {
  std::string out = "| action | workload | reason | pods |\n|---|---|---|---|\n";
  for (const auto* e : remedy::entries_in_order(r)) {
    out += std::string("| ") + checks::to_string(e->action) + " | " +
           table_cell(remedy::workload(e->kind, e->ns, e->name)) + " | " +
           table_cell(remedy::entry_reason(*e)) + " | " + pods_cell(*e) + " |\n";
  }
  return out + "\n";
}

// What --apply would send, as the oc commands a reader can run one by one instead.
std::string commands(const checks::Remediation& r) {
  if (r.apply) return "";
  std::string body;
  for (const auto* e : remedy::entries_in_order(r)) {
    bool writes = e->action == checks::PlanAction::restart || e->action == checks::PlanAction::remove;
    if (writes && !e->command.empty()) body += e->command + "\n";
  }
  if (body.empty()) return "";
  return "**Equivalent commands**\n\n" + fenced("sh", body) + "\n";
}

std::string applied_list(const checks::Remediation& r) {
  if (r.applied.empty()) return "";
  std::string out = "**Applied**\n\n";
  for (const auto& a : r.applied) {
    std::string text = remedy::applied_text(a);
    std::string rest = text.substr(std::min(text.size(), a.result.size() + 1));
    out += "- **" + inline_text(a.result) + "** " + inline_text(rest) + "\n";
  }
  return out + "\n";
}

std::string verify_list(const checks::Verification& v) {
  std::string out = "**Verification:** " + inline_text(remedy::verify_headline(v)) + "\n\n";
  for (const auto& w : v.workloads) {
    out += std::string("- ") + (w.done ? "done: " : "not done: ") +
           inline_text(remedy::verified_text(w)) + "\n";
  }
  for (const auto& change : remedy::status_changes(v)) out += "- " + inline_text(change) + "\n";
  return out + "\n";
}

std::string notes(const checks::Remediation& r) {
  if (r.notes.empty()) return "";
  std::string out = "**Notes**\n\n";
  for (const auto& n : r.notes) out += "- " + inline_text(n) + "\n";
  return out + "\n";
}

std::string flagging_list(const checks::Diagnosis& d) {
  auto found = remedy::flagging_findings(d);
  if (found.empty()) return "";
  std::string out = "## Flagging checks\n\n";
  for (const auto* f : found) {
    out += "- **" + f->id + "** " + inline_text(check_meta(f->id).name) + " — " +
           checks::to_string(f->status) + (f->message.empty() ? "" : ": " + inline_text(f->message)) +
           "\n";
  }
  return out + "\n";
}

std::string summary(const checks::Remediation& r) {
  std::vector<std::string> parts{remedy::summary_word(r)};
  for (auto& p : remedy::summary_parts(r)) parts.push_back(std::move(p));
  return "**Summary:** " + remedy::join(parts, " · ") + "\n";
}

}  // namespace

std::string remediation_section(const checks::Remediation& r) {
  std::string out = "## Remediation\n\n" + code_span(r.playbook) + " · ";
  if (r.plan.empty()) {
    out += "nothing to restart\n\n";
  } else {
    out += inline_text(remedy::mode_text(r)) + " · --max-restarts " +
           std::to_string(r.max_restarts) + "\n\n" + plan_table(r) + commands(r);
  }
  out += applied_list(r);
  if (r.verify) out += verify_list(*r.verify);
  return out + notes(r);
}

std::string restart_report(const checks::Diagnosis& d, const RenderOptions&) {
  checks::Remediation none;
  const checks::Remediation& r = d.remediation ? *d.remediation : none;
  return "# meshdoctor restart: " + remedy::summary_word(r) + "\n\n" + context_line(d) +
         flagging_list(d) + remediation_section(r) + source_warnings(d) + summary(r);
}

}  // namespace meshdoctor::report::markdown
