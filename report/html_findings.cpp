// The diagnosis sections of the HTML report: root causes with the chain they explain, every
// finding by category, and what could not be read.
#include <algorithm>

#include "report/describe.hpp"
#include "report/html_sections.hpp"
#include "report/html_text.hpp"

namespace meshdoctor::report::html {

namespace {

std::string heading(const checks::Finding& f) {
  return badge(f.status) + " <span class=\"id\">" + escape(f.id) + "</span> <span class=\"name\">" +
         escape(check_meta(f.id).name) + "</span>";
}

std::string fix_block(const checks::Finding& f) {
  std::string fix = effective_fix(f);
  if (fix.empty()) return "";
  return "<h4>Fix</h4>\n<pre class=\"fix\">" + escape(fix) + "</pre>\n";
}

std::string docs_line(const checks::Finding& f) {
  CheckMeta m = check_meta(f.id);
  if (!m.known) return "";
  std::string out = "<p class=\"more\">";
  if (!m.docs.empty()) out += "Docs: " + link_or_text(m.docs) + " · ";
  return out + "Details: <code>meshdoctor explain " + escape(f.id) + "</code></p>\n";
}

std::string about(const checks::Finding& f) {
  CheckMeta m = check_meta(f.id);
  if (m.title.empty()) return "";
  std::string out = "<p class=\"title\">Verifies: " + escape(m.title) + "</p>\n";
  if (m.symptom.empty() && m.cause.empty()) return out;
  out += "<dl class=\"about\">";
  if (!m.symptom.empty()) out += "<dt>Symptom</dt><dd>" + escape(m.symptom) + "</dd>";
  if (!m.cause.empty()) out += "<dt>Cause</dt><dd>" + escape(m.cause) + "</dd>";
  return out + "</dl>\n";
}

std::string unverified(const checks::Finding& f) {
  std::string out;
  for (const auto& up : f.unverified_upstream) {
    out += "<p class=\"note\">Upstream <a href=\"#f-" + anchor(up) + "\">" + escape(up) +
           "</a> could not be verified; it may be the real cause.</p>\n";
  }
  return out;
}

// The tree of consequences as nested lists (TreeLine depths grow by one at most per line).
std::string explains_tree(const checks::Diagnosis& d, const checks::Finding& root) {
  auto tree = explained_tree(d, root);
  if (tree.empty()) return "<h4>Explains</h4>\n<p>No other failing check.</p>\n";
  std::string out = "<h4>Explains</h4>\n<ul class=\"chain\">";
  int depth = 0;
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const auto& t = tree[i];
    if (i > 0 && t.depth > depth) {
      out += "<ul>";
    } else if (i > 0) {
      out += "</li>";
      for (int k = depth; k > t.depth; --k) out += "</ul></li>";
    }
    depth = t.depth;
    out += "<li><a href=\"#f-" + anchor(t.finding->id) + "\">" + heading(*t.finding) + "</a> " +
           "<span class=\"msg\">" + escape(t.finding->message) + "</span>";
  }
  out += "</li>";
  for (int k = depth; k > 0; --k) out += "</ul></li>";
  return out + "</ul>\n";
}

std::string root_cause(const checks::Diagnosis& d, const checks::Finding& f) {
  std::string out = "<article class=\"card root fail\" id=\"root-" + anchor(f.id) + "\">\n<h3>" +
                    heading(f) + "</h3>\n";
  if (!f.message.empty()) out += "<p class=\"msg\">" + escape(f.message) + "</p>\n";
  out += about(f) + evidence_list(f) + explains_tree(d, f) + unverified(f) + fix_block(f) +
         docs_line(f);
  return out + "</article>\n";
}

std::string relation(const checks::Diagnosis& d, const checks::Finding& f) {
  if (f.status != checks::Status::fail) return "";
  if (f.explained_by.empty()) {
    bool root = std::find(d.root_causes.begin(), d.root_causes.end(), f.id) != d.root_causes.end();
    return root ? " <span class=\"rel root\">root cause</span>" : "";
  }
  std::string by;
  for (const auto& id : f.explained_by) by += (by.empty() ? "" : ", ") + escape(id);
  return " <span class=\"rel\">explained by " + by + "</span>";
}

std::string finding_body(const checks::Finding& f) {
  bool root = f.status == checks::Status::fail && f.explained_by.empty();
  if (root) {
    return "<p>Root cause: evidence, consequences and fix are <a href=\"#root-" + anchor(f.id) +
           "\">under Root causes</a>.</p>\n";
  }
  bool actionable = f.status == checks::Status::fail || f.status == checks::Status::warn ||
                    f.status == checks::Status::unknown;
  std::string out = about(f) + evidence_list(f) + unverified(f);
  if (actionable) out += fix_block(f);
  return out + docs_line(f);
}

std::string finding(const checks::Diagnosis& d, const checks::Finding& f) {
  bool folded = f.status == checks::Status::pass || f.status == checks::Status::skipped;
  std::string out = "<details class=\"finding " + std::string(status_class(f.status)) +
                    "\" id=\"f-" + anchor(f.id) + "\"" + (folded ? "" : " open") + ">\n<summary>" +
                    heading(f) + relation(d, f);
  if (!f.message.empty()) out += " <span class=\"msg\">" + escape(f.message) + "</span>";
  return out + "</summary>\n<div class=\"body\">\n" + finding_body(f) + "</div>\n</details>\n";
}

}  // namespace

std::string root_causes_section(const checks::Diagnosis& d) {
  std::string out = "<section id=\"root-causes\">\n<h2>Root causes</h2>\n";
  if (d.root_causes.empty()) {
    std::string why = d.summary.unknown > 0
                          ? " Some checks could not be verified; see the findings marked UNKNOWN."
                          : "";
    return out + "<p class=\"empty\">No root cause: no check failed." + why + "</p>\n</section>\n";
  }
  out += "<p class=\"lead\">Fix these first; each lists the failures it explains.</p>\n";
  for (const auto& id : d.root_causes) {
    if (const checks::Finding* f = d.find(id)) out += root_cause(d, *f);
  }
  return out + "</section>\n";
}

std::string findings_section(const checks::Diagnosis& d) {
  std::string out = "<section id=\"findings\">\n<h2>All findings</h2>\n";
  for (const auto& category : categories_in_order(d)) {
    out += "<h3 class=\"category\">" + escape(category_label(category)) + "</h3>\n";
    for (const auto& f : d.findings) {
      if (check_meta(f.id).category == category) out += finding(d, f);
    }
  }
  return out + "</section>\n";
}

std::string source_warnings_section(const checks::Diagnosis& d) {
  if (d.warnings.empty()) return "";
  std::string out = "<section id=\"source-problems\">\n<h2>Problems reading the source</h2>\n<ul>\n";
  for (const auto& w : d.warnings) out += "<li>" + escape(w) + "</li>\n";
  return out + "</ul>\n</section>\n";
}

}  // namespace meshdoctor::report::html
