// Markdown sections that list findings by status and the table of every check.
#include "checks/catalogue.hpp"
#include "report/describe.hpp"
#include "report/markdown_text.hpp"

namespace meshdoctor::report::markdown {

namespace {

// What the table's result column says for one finding.
std::string result_text(const checks::Finding& f) {
  std::string out = f.message;
  if (f.status == checks::Status::fail && !f.explained_by.empty()) {
    std::string by;
    for (const auto& id : f.explained_by) by += (by.empty() ? "" : ", ") + id;
    out += (out.empty() ? "" : " ") + std::string("(explained by ") + by + ")";
  }
  return out;
}

std::string reason_line(const checks::Finding& f) {
  CheckMeta m = check_meta(f.id);
  std::string out = "- **" + f.id + "** " + inline_text(m.name);
  if (f.status == checks::Status::unknown && !m.title.empty()) {
    out += " — could not verify: " + inline_text(m.title);
    if (!f.message.empty()) out += ". Why: " + inline_text(f.message);
  } else if (!f.message.empty()) {
    out += " — " + inline_text(f.message);
  }
  return out + "\n";
}

}  // namespace

std::string status_list(const checks::Diagnosis& d, checks::Status status, const char* heading) {
  std::string items;
  for (const auto& f : d.findings) {
    if (f.status == status) items += reason_line(f);
  }
  if (items.empty()) return "";
  return "## " + std::string(heading) + "\n\n" + items + "\n";
}

std::string checks_table(const checks::Diagnosis& d) {
  std::string out = "## All checks\n\n| ID | check | status | result |\n|---|---|---|---|\n";
  for (const auto& f : d.findings) {
    out += "| " + f.id + " | " + table_cell(check_meta(f.id).name) + " | " +
           checks::to_string(f.status) + " | " + table_cell(result_text(f)) + " |\n";
  }
  return out + "\n";
}

std::string source_warnings(const checks::Diagnosis& d) {
  if (d.warnings.empty()) return "";
  std::string out = "## Problems reading the source\n\n";
  for (const auto& w : d.warnings) out += "- " + inline_text(w) + "\n";
  return out + "\n";
}

std::string summary_line(const checks::Diagnosis& d, const RenderOptions& opt) {
  const auto& s = d.summary;
  return "**Summary:** " + std::to_string(s.fail) + " fail · " + std::to_string(s.pass) +
         " pass · " + std::to_string(s.warn) + " warn · " + std::to_string(s.unknown) +
         " unknown · " + std::to_string(s.skipped) + " skipped · exit " +
         std::to_string(printed_exit_code(d, opt)) + "\n";
}

}  // namespace meshdoctor::report::markdown
