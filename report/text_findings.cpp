// Text blocks for individual findings: root causes, warnings, unknowns.
#include <algorithm>

#include "report/describe.hpp"
#include "report/text_sections.hpp"

namespace meshdoctor::report::text {

namespace {

constexpr int k_root_evidence_lines = 6;
constexpr int k_other_evidence_lines = 3;
constexpr std::size_t k_tree_lines = 12;
constexpr std::size_t k_objects = 5;
constexpr std::size_t k_detailed_unknowns = 5;  // more than this: one line each

// "MD301 istiocni-profile — IstioCNI/default is not in the ambient profile"
std::string title_line(const checks::Finding& f, const Style& s, const std::string& text) {
  CheckMeta m = check_meta(f.id);
  std::string out = f.id;
  if (m.name != f.id) out += " " + m.name;
  if (!text.empty()) out += s.dash() + text;
  return out;
}

std::string evidence_text(const checks::Evidence& e) {
  return e.source.empty() ? e.detail : e.source + ": " + e.detail;
}

// Evidence within a budget of printed lines (at least one item), then "+N more".
void evidence(TextWriter& w, const checks::Finding& f, int line_budget) {
  int width = w.width() - TextWriter::k_gutter;
  std::size_t shown = 0;
  for (const auto& e : f.evidence) {
    int lines = static_cast<int>(wrap(evidence_text(e), width).size());
    if (shown > 0 && lines > line_budget) break;
    w.labelled(shown == 0 ? "evidence" : "", evidence_text(e));
    line_budget -= lines;
    ++shown;
  }
  if (f.evidence.size() > shown) {
    w.labelled("", "+" + std::to_string(f.evidence.size() - shown) +
                       " more (meshdoctor check -o json lists all)");
  }
}

void fix(TextWriter& w, const checks::Finding& f) { w.block("fix", effective_fix(f)); }

// The failures this root cause explains, as a tree of status, ID, name and short message.
void explains(TextWriter& w, const checks::Diagnosis& d, const checks::Finding& root) {
  const Style& s = w.style();
  auto tree = explained_tree(d, root);
  std::size_t shown = std::min(k_tree_lines, tree.size());
  for (std::size_t i = 0; i < shown; ++i) {
    const TreeLine& t = tree[i];
    std::string prefix;
    for (bool open : t.ancestors_open) prefix += s.stem(open);
    prefix += s.branch(t.last);
    std::string text = title_line(*t.finding, s, t.finding->message);
    int room = w.width() - TextWriter::k_gutter - display_width(prefix) -
               display_width(s.symbol(t.finding->status)) - 1;
    w.labelled_verbatim(i == 0 ? "explains" : "",
                        prefix + s.symbol(t.finding->status) + " " + truncate(text, room, s));
  }
  if (tree.size() > shown) {
    w.labelled("", "+" + std::to_string(tree.size() - shown) + " more consequences");
  }
}

void objects(TextWriter& w, const checks::Finding& f) {
  if (f.objects.empty()) return;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < std::min(k_objects, f.objects.size()); ++i) {
    const auto& o = f.objects[i];
    names.push_back(o.kind + " " + (o.ns.empty() ? o.name : o.ns + "/" + o.name));
  }
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
  if (f.objects.size() > names.size()) {
    text += " +" + std::to_string(f.objects.size() - names.size()) + " more";
  }
  w.labelled("objects", text);
}

void unverified(TextWriter& w, const checks::Finding& f) {
  for (std::size_t i = 0; i < f.unverified_upstream.size(); ++i) {
    const auto& up = f.unverified_upstream[i];
    w.labelled(i == 0 ? "upstream" : "",
               up + " " + check_meta(up).name + " could not be verified; it may be the real cause");
  }
}

void more(TextWriter& w, const checks::Finding& f) {
  if (check_meta(f.id).known) w.labelled_verbatim("more", "meshdoctor explain " + f.id);
}

}  // namespace

void root_cause(TextWriter& w, const checks::Diagnosis& d, const checks::Finding& f) {
  w.blank();
  w.head("ROOT CAUSE", w.style().symbol(f.status), title_line(f, w.style(), f.message));
  evidence(w, f, k_root_evidence_lines);
  objects(w, f);
  explains(w, d, f);
  unverified(w, f);
  fix(w, f);
  more(w, f);
}

void warning(TextWriter& w, const checks::Finding& f) {
  w.blank();
  w.head("WARNING", w.style().symbol(f.status), title_line(f, w.style(), f.message));
  evidence(w, f, k_other_evidence_lines);
  objects(w, f);
  fix(w, f);
  more(w, f);
}

namespace {

// Says what could not be verified (the catalogue title) and why (the finding's message).
void unknown_block(TextWriter& w, const checks::Finding& f) {
  w.blank();
  CheckMeta m = check_meta(f.id);
  std::string what = m.title.empty() ? f.message : "could not verify: " + m.title;
  w.head("UNKNOWN", w.style().symbol(f.status), title_line(f, w.style(), what));
  if (!m.title.empty() && !f.message.empty()) w.labelled("why", f.message);
  evidence(w, f, k_other_evidence_lines);
  more(w, f);
}

// Many unknowns (a partial bundle): one wrapped line each, "? MD104 platform-version — why".
void unknown_list(TextWriter& w, const std::vector<const checks::Finding*>& unknowns) {
  w.blank();
  const Style& s = w.style();
  w.head("UNKNOWN", s.symbol(checks::Status::unknown),
         std::to_string(unknowns.size()) + " checks could not be verified; the reason for each:");
  for (const auto* f : unknowns) {
    std::string first = "  " + s.symbol(f->status) + " ";
    auto lines = wrap(title_line(*f, s, f->message), w.width() - display_width(first));
    for (std::size_t i = 0; i < lines.size(); ++i) {
      w.line((i == 0 ? first : std::string(static_cast<std::size_t>(display_width(first)), ' ')) +
             lines[i]);
    }
  }
}

}  // namespace

void unknowns(TextWriter& w, const checks::Diagnosis& d) {
  std::vector<const checks::Finding*> found;
  for (const auto& f : d.findings) {
    if (f.status == checks::Status::unknown) found.push_back(&f);
  }
  if (found.size() > k_detailed_unknowns) return unknown_list(w, found);
  for (const auto* f : found) unknown_block(w, *f);
}

}  // namespace meshdoctor::report::text
