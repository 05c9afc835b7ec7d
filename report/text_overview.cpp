// Text sections about the run as a whole: header, per-area checklist, source warnings, summary.
#include <algorithm>

#include "checks/catalogue.hpp"
#include "report/describe.hpp"
#include "report/text_sections.hpp"
#include "util/version.hpp"

namespace meshdoctor::report::text {

namespace {

constexpr int k_category_column = 15;
constexpr int k_skip_reason = 40;
constexpr std::size_t k_source_warnings = 10;

std::string plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

// "✖ MD203 (explained by MD402)", "- MD305 skipped: not on a node", "✔ MD101"
std::string checklist_item(const checks::Finding& f, const checks::Diagnosis& d, const Style& s) {
  std::string item = s.symbol(f.status) + " " + f.id;
  if (f.status == checks::Status::fail) {
    bool root = std::find(d.root_causes.begin(), d.root_causes.end(), f.id) != d.root_causes.end();
    item += root || f.explained_by.empty() ? " (root)"
                                           : " (explained by " + join(f.explained_by, ", ") + ")";
  } else if (f.status == checks::Status::skipped && !f.message.empty()) {
    item += " " + truncate(f.message, k_skip_reason, s);
  }
  return item;
}

void category_row(TextWriter& w, const checks::Diagnosis& d, const std::string& category) {
  std::vector<std::string> items;
  for (const auto& f : d.findings) {
    if (check_meta(f.id).category == category) items.push_back(checklist_item(f, d, w.style()));
  }
  auto lines = pack(items, "  ", w.width() - k_category_column);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string label = i == 0 ? w.style().paint(Tone::bold, category_label(category)) : "";
    w.line(pad_right(label, k_category_column) + lines[i]);
  }
}

}  // namespace

void header(TextWriter& w, const checks::Diagnosis& d) {
  const Style& s = w.style();
  std::vector<std::string> parts{s.paint(Tone::bold, std::string("meshdoctor ") + util::k_version),
                                 source_label(d)};
  if (d.source.kind != "manifests") {  // lint reads files, not a cluster
    std::string when = collected_label(d);
    parts.push_back(when.empty() ? "collection time unknown" : "collected " + when);
    parts.push_back(plural(d.nodes, "node", "nodes") + ", " + plural(d.pods, "pod", "pods"));
  }
  for (const auto& l : pack(parts, s.dot(), w.width())) w.line(l);
}

void checklist(TextWriter& w, const checks::Diagnosis& d) {
  w.blank();
  for (const auto& category : categories_in_order(d)) category_row(w, d, category);
}

void bundle_warnings(TextWriter& w, const checks::Diagnosis& d) {
  if (d.warnings.empty()) return;
  w.blank();
  std::string what = d.source.kind == "live" ? "the cluster" : "the bundle";
  w.head("SOURCE", w.style().symbol(checks::Status::warn),
         plural(static_cast<int>(d.warnings.size()), "problem", "problems") + " while reading " +
             what + "; checks that needed the data are unknown");
  std::size_t shown = std::min(k_source_warnings, d.warnings.size());
  for (std::size_t i = 0; i < shown; ++i) w.labelled(i == 0 ? "warning" : "", d.warnings[i]);
  if (d.warnings.size() > shown) {
    w.labelled("", "+" + std::to_string(d.warnings.size() - shown) +
                       " more (meshdoctor check -o json lists all)");
  }
}

// FAIL · 1 root cause explains 6 failures · 24 pass · 1 warn · 3 unknown · 1 skipped · exit 1
void summary(TextWriter& w, const checks::Diagnosis& d, const RenderOptions& opt) {
  const Style& s = w.style();
  const auto& n = d.summary;
  std::vector<std::string> parts{s.status_word(n.overall)};
  int roots = static_cast<int>(d.root_causes.size());
  if (roots > 0) {
    int explained = explained_failures(d);
    parts.push_back(plural(roots, "root cause", "root causes") +
                    (explained > 0 ? (roots == 1 ? " explains " : " explain ") +
                                         plural(explained, "failure", "failures")
                                   : ""));
  }
  parts.push_back(std::to_string(n.pass) + " pass");
  parts.push_back(std::to_string(n.warn) + " warn");
  parts.push_back(std::to_string(n.unknown) + " unknown");
  parts.push_back(std::to_string(n.skipped) + " skipped");
  parts.push_back("exit " + std::to_string(printed_exit_code(d, opt)));
  w.blank();
  w.line(join(parts, s.dot()));
}

}  // namespace meshdoctor::report::text
