// The Markdown report of a fleet run: verdict, the fleet summary table, the fleet findings, then
// one section per cluster (root causes with their fix, warnings, unknowns, summary line).
#include <algorithm>

#include "report/describe.hpp"
#include "report/fleet.hpp"
#include "report/markdown_text.hpp"
#include "util/version.hpp"

namespace meshdoctor::report {

namespace {

using markdown::code_span;
using markdown::inline_text;
using markdown::table_cell;

std::string upper(std::string word) {
  std::transform(word.begin(), word.end(), word.begin(), ::toupper);
  return word;
}

std::string cell_or_dash(const std::string& text) { return text.empty() ? "-" : table_cell(text); }

std::string summary_table(const FleetReport& r, const RenderOptions& opt) {
  std::string out = "## Fleet summary\n\n| cluster | status | root causes | channel | CSV | exit |\n"
                    "|---|---|---|---|---|---|\n";
  for (const auto& c : r.clusters) {
    std::string roots;
    if (c.diagnosis) {
      for (const auto& id : c.diagnosis->root_causes) roots += (roots.empty() ? "" : ", ") + id;
    }
    out += "| " + table_cell(c.name) + " | " +
           (c.diagnosis ? checks::to_string(c.diagnosis->summary.overall) : "could not be read") +
           " | " + cell_or_dash(roots) + " | " + cell_or_dash(c.channel) + " | " + cell_or_dash(c.csv) +
           " | " + std::to_string(cluster_exit_code(c, opt)) + " |\n";
  }
  return out + "\n";
}

std::string evidence_list(const checks::Finding& f) {
  std::string out;
  for (const auto& e : f.evidence) {
    out += "- " + (e.source.empty() ? "" : inline_text(e.source) + ": ") + code_span(e.detail) + "\n";
  }
  return out.empty() ? "" : out + "\n";
}

std::string fix_block(const checks::Finding& f) {
  std::string fix = effective_fix(f);
  return fix.empty() ? "" : "**Fix**\n\n" + markdown::fenced("sh", fix) + "\n";
}

std::string fleet_findings(const FleetReport& r) {
  std::string out = "## Fleet findings\n\n";
  for (const auto& f : r.fleet_findings) {
    out += "### " + f.id + " " + inline_text(check_meta(f.id).name) + ": " +
           checks::to_string(f.status) + "\n\n";
    if (!f.message.empty()) out += inline_text(f.message) + "\n\n";
    out += evidence_list(f);
    if (f.status == checks::Status::fail) out += fix_block(f);
  }
  return out;
}

std::string root_causes(const checks::Diagnosis& d) {
  std::string out;
  for (const auto& id : d.root_causes) {
    const checks::Finding* f = d.find(id);
    if (!f) continue;
    out += "#### Root cause: " + f->id + " " + inline_text(check_meta(f->id).name) + "\n\n";
    if (!f->message.empty()) out += inline_text(f->message) + "\n\n";
    out += evidence_list(*f) + fix_block(*f);
  }
  return out;
}

// The findings of one status as "- **MD404** ztunnel-readiness — why".
std::string status_items(const checks::Diagnosis& d, checks::Status status, const char* heading) {
  std::string items;
  for (const auto& f : d.findings) {
    if (f.status != status) continue;
    items += "- **" + f.id + "** " + inline_text(check_meta(f.id).name) +
             (f.message.empty() ? "" : " — " + inline_text(f.message)) + "\n";
  }
  return items.empty() ? "" : "**" + std::string(heading) + "**\n\n" + items + "\n";
}

std::string cluster_section(const FleetCluster& c, const RenderOptions& opt) {
  std::string out = "## Cluster " + inline_text(c.name) + "\n\n";
  if (!c.diagnosis) {
    return out + "Could not be read: " + inline_text(c.error) + "\n\n**Exit:** 3\n\n";
  }
  const checks::Diagnosis& d = *c.diagnosis;
  out += markdown::context_line(d) + root_causes(d);
  out += status_items(d, checks::Status::warn, "Warnings");
  out += status_items(d, checks::Status::unknown, "Could not verify");
  RenderOptions own = opt;
  own.duration_ms = c.duration_ms;
  return out + markdown::summary_line(d, own) + "\n";
}

}  // namespace

std::string render_fleet_markdown(const FleetReport& r, const RenderOptions& opt) {
  std::string names;
  for (const auto& c : r.clusters) names += (names.empty() ? "" : ", ") + c.name;
  std::string out = "# meshdoctor fleet: " + upper(checks::to_string(fleet_status(r))) + " (" +
                    std::to_string(r.clusters.size()) + " clusters)\n\n";
  out += std::string("meshdoctor ") + util::k_version + " · " + inline_text(names) + "\n\n";
  out += summary_table(r, opt) + fleet_findings(r);
  for (const auto& c : r.clusters) out += cluster_section(c, opt);
  return out + "**Fleet exit code:** " + std::to_string(r.exit_code) + "\n";
}

}  // namespace meshdoctor::report
