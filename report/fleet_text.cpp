// The text report of a fleet run: one compact block per cluster (its root causes in full, its
// warnings and unknowns by ID, its summary line), the fleet summary table, the fleet findings
// and one summary line with the fleet's exit code.
#include <algorithm>

#include "report/describe.hpp"
#include "report/fleet.hpp"
#include "report/text_layout.hpp"
#include "report/text_sections.hpp"
#include "util/version.hpp"

namespace meshdoctor::report {

namespace {

constexpr int k_root_causes_column = 30;
constexpr std::size_t k_fleet_evidence = 12;

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

std::string title(const checks::Finding& f) {
  CheckMeta m = check_meta(f.id);
  return f.id + (m.name == f.id ? "" : " " + m.name);
}

// "unknown  MD404 ztunnel-readiness, MD603 istio-tcp-metrics"
void ids_with_status(TextWriter& w, const checks::Diagnosis& d, checks::Status status, const char* label) {
  std::vector<std::string> items;
  for (const auto& f : d.findings) {
    if (f.status == status) items.push_back(title(f));
  }
  if (!items.empty()) w.items(label, items, ", ");
}

void cluster_block(TextWriter& w, const FleetCluster& c, const RenderOptions& opt) {
  const Style& s = w.style();
  w.blank();
  if (!c.diagnosis) {
    w.head("CLUSTER", s.symbol(checks::Status::fail), c.name + s.dash() + "could not be read");
    w.labelled("error", c.error);
    w.labelled("exit", "3");
    return;
  }
  const checks::Diagnosis& d = *c.diagnosis;
  std::string when = collected_label(d);
  w.head("CLUSTER", s.symbol(d.summary.overall),
         c.name + s.dash() + source_label(d) + s.dot() +
             (when.empty() ? "collection time unknown" : "collected " + when) + s.dot() +
             std::to_string(d.nodes) + " nodes, " + std::to_string(d.pods) + " pods");
  for (const auto& id : d.root_causes) {
    if (const checks::Finding* f = d.find(id)) text::root_cause(w, d, *f);
  }
  w.blank();
  ids_with_status(w, d, checks::Status::warn, "warn");
  ids_with_status(w, d, checks::Status::unknown, "unknown");
  if (!d.warnings.empty()) {
    w.labelled("source", std::to_string(d.warnings.size()) +
                             " problem(s) while reading; meshdoctor check -o json lists them");
  }
  RenderOptions own = opt;
  own.duration_ms = c.duration_ms;
  text::summary(w, d, own);
}

std::string status_cell(const FleetCluster& c, const Style& s) {
  if (!c.diagnosis) return s.paint(Tone::bad, "ERROR");
  return s.status_word(c.diagnosis->summary.overall);
}

// cluster | status | root causes | channel | CSV | exit, columns as wide as their content.
void summary_table(TextWriter& w, const FleetReport& r, const RenderOptions& opt) {
  const Style& s = w.style();
  std::vector<std::vector<std::string>> rows{{"cluster", "status", "root causes", "channel", "CSV", "exit"}};
  for (const auto& c : r.clusters) {
    std::string roots = c.diagnosis ? join(c.diagnosis->root_causes, ", ") : "";
    rows.push_back({c.name, status_cell(c, s), truncate(roots.empty() ? "-" : roots, k_root_causes_column, s),
                    c.channel.empty() ? "-" : c.channel, c.csv.empty() ? "-" : c.csv,
                    std::to_string(cluster_exit_code(c, opt))});
  }
  std::vector<int> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  w.blank();
  w.line(s.paint(Tone::bold, "FLEET SUMMARY"));
  for (std::size_t n = 0; n < rows.size(); ++n) {
    std::string line = "  ";
    for (std::size_t i = 0; i < rows[n].size(); ++i) {
      const std::string cell = n == 0 ? s.paint(Tone::dim, rows[n][i]) : rows[n][i];
      line += i + 1 == rows[n].size() ? cell : pad_right(cell, widths[i] + 2);
    }
    w.line(line);
  }
}

void fleet_finding(TextWriter& w, const checks::Finding& f) {
  w.blank();
  w.head("FLEET", w.style().symbol(f.status), title(f) + w.style().dash() + f.message);
  std::size_t shown = std::min(k_fleet_evidence, f.evidence.size());
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& e = f.evidence[i];
    w.labelled(i == 0 ? "evidence" : "", e.source.empty() ? e.detail : e.source + ": " + e.detail);
  }
  if (f.evidence.size() > shown) {
    w.labelled("", "+" + std::to_string(f.evidence.size() - shown) + " more (-o json lists all)");
  }
  if (f.status == checks::Status::fail) {
    w.block("fix", effective_fix(f));
    w.labelled_verbatim("more", "meshdoctor explain " + f.id);
  }
}

// FAIL · 3 clusters: 1 pass, 1 fail, 1 could not be read · MD901 fail · exit 3
void fleet_summary_line(TextWriter& w, const FleetReport& r) {
  const Style& s = w.style();
  int counts[5] = {0, 0, 0, 0, 0};
  int unread = 0;
  for (const auto& c : r.clusters) {
    if (c.diagnosis) {
      ++counts[static_cast<int>(c.diagnosis->summary.overall)];
    } else {
      ++unread;
    }
  }
  std::vector<std::string> parts;
  for (auto st : {checks::Status::pass, checks::Status::warn, checks::Status::fail, checks::Status::unknown}) {
    if (counts[static_cast<int>(st)] > 0) {
      parts.push_back(std::to_string(counts[static_cast<int>(st)]) + " " + checks::to_string(st));
    }
  }
  if (unread > 0) parts.push_back(std::to_string(unread) + " could not be read");
  std::vector<std::string> line{s.status_word(fleet_status(r)),
                                std::to_string(r.clusters.size()) + " clusters: " + join(parts, ", ")};
  for (const auto& f : r.fleet_findings) line.push_back(f.id + " " + checks::to_string(f.status));
  line.push_back("exit " + std::to_string(r.exit_code));
  w.blank();
  w.line(join(line, s.dot()));
}

}  // namespace

std::string render_fleet_text(const FleetReport& r, const RenderOptions& opt) {
  TextWriter w(opt);
  std::vector<std::string> names;
  for (const auto& c : r.clusters) names.push_back(c.name);
  w.line(w.style().paint(Tone::bold, std::string("meshdoctor ") + util::k_version) + w.style().dot() +
         "fleet of " + std::to_string(r.clusters.size()) + " clusters: " + join(names, ", "));
  // Each cluster on its own: what to fix there first.
  for (const auto& c : r.clusters) cluster_block(w, c, opt);
  // Then the fleet side by side, and what only the fleet shows.
  summary_table(w, r, opt);
  for (const auto& f : r.fleet_findings) fleet_finding(w, f);
  fleet_summary_line(w, r);
  return opt.unicode ? w.take() : to_ascii(w.take());
}

}  // namespace meshdoctor::report
