// The Markdown report for tickets and chat: verdict heading, root causes with evidence and a
// copyable fix, warnings, unknowns with reasons, a table of every check and the remediation.
#include <algorithm>

#include "report/describe.hpp"
#include "report/markdown_text.hpp"
#include "report/render.hpp"
#include "util/version.hpp"

namespace meshdoctor::report {

namespace {

using markdown::code_span;
using markdown::context_line;
using markdown::inline_text;

std::string verdict(const checks::Diagnosis& d) {
  std::string word = checks::to_string(d.summary.overall);
  std::transform(word.begin(), word.end(), word.begin(), ::toupper);
  std::string out = "# meshdoctor: " + word;
  std::size_t roots = d.root_causes.size();
  if (roots > 0)
    out += " (" + std::to_string(roots) + (roots == 1 ? " root cause)" : " root causes)");
  return out + "\n\n";
}

std::string evidence_list(const checks::Finding& f) {
  if (f.evidence.empty()) return "";
  std::string out = "**Evidence**\n\n";
  for (const auto& e : f.evidence) {
    out +=
        "- " + (e.source.empty() ? "" : inline_text(e.source) + ": ") + code_span(e.detail) + "\n";
  }
  return out + "\n";
}

std::string explained_list(const checks::Diagnosis& d, const checks::Finding& root) {
  auto tree = explained_tree(d, root);
  if (tree.empty()) return "";
  std::string out = "**Explains**\n\n";
  for (const auto& t : tree) {
    CheckMeta m = check_meta(t.finding->id);
    out += std::string(static_cast<std::size_t>(t.depth) * 2, ' ') + "- **" + t.finding->id +
           "** " + inline_text(m.name) + " — " + inline_text(t.finding->message) + "\n";
  }
  return out + "\n";
}

std::string fix_block(const checks::Finding& f) {
  std::string fix = effective_fix(f);
  if (fix.empty()) return "";
  return "**Fix**\n\n" + markdown::fenced("sh", fix) + "\n";
}

std::string root_cause_section(const checks::Diagnosis& d, const checks::Finding& f) {
  CheckMeta m = check_meta(f.id);
  std::string out = "## Root cause: " + f.id + " " + inline_text(m.name) + "\n\n";
  if (!f.message.empty()) out += inline_text(f.message) + "\n\n";
  out += evidence_list(f) + explained_list(d, f);
  for (const auto& up : f.unverified_upstream) {
    out += "Upstream **" + up + "** could not be verified; it may be the real cause.\n\n";
  }
  out += fix_block(f);
  if (m.known) out += "Details: `meshdoctor explain " + f.id + "`\n\n";
  return out;
}

}  // namespace

std::string markdown::context_line(const checks::Diagnosis& d) {
  std::string scope = scope_label(d, " · ");
  return std::string("meshdoctor ") + util::k_version + " · " + inline_text(source_label(d)) +
         (scope.empty() ? "" : " · " + scope) + "\n\n";
}

std::string render_markdown(const checks::Diagnosis& d, const RenderOptions& opt) {
  std::string out = verdict(d) + context_line(d);
  for (const auto& id : d.root_causes) {
    if (const checks::Finding* f = d.find(id)) out += root_cause_section(d, *f);
  }
  out += markdown::status_list(d, checks::Status::warn, "Warnings");
  out += markdown::status_list(d, checks::Status::unknown, "Could not verify");
  out += markdown::checks_table(d);
  out += markdown::source_warnings(d);
  if (d.remediation) out += markdown::remediation_section(*d.remediation);
  out += markdown::summary_line(d, opt);
  return out;
}

}  // namespace meshdoctor::report
