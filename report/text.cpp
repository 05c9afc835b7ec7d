// The text report: root causes first, then warnings and unknowns, the per-area checklist,
// problems met while reading the source, the remediation when one was planned, and one summary
// line.
#include "report/render.hpp"
#include "report/text_layout.hpp"
#include "report/text_sections.hpp"

namespace meshdoctor::report {

std::string render_text(const checks::Diagnosis& d, const RenderOptions& opt) {
  TextWriter w(opt);
  text::header(w, d);
  // What to fix first, and everything it explains.
  for (const auto& id : d.root_causes) {
    if (const checks::Finding* f = d.find(id)) text::root_cause(w, d, *f);
  }
  // Advisory findings, then what could not be verified and why.
  for (const auto& f : d.findings) {
    if (f.status == checks::Status::warn) text::warning(w, f);
  }
  text::unknowns(w, d);
  text::checklist(w, d);
  text::bundle_warnings(w, d);
  if (d.remediation) text::remediation(w, *d.remediation);
  text::summary(w, d, opt);
  // Findings quote cluster data and the catalogue; a non-UTF-8 terminal gets ASCII throughout.
  return opt.unicode ? w.take() : to_ascii(w.take());
}

}  // namespace meshdoctor::report
