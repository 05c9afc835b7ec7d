#pragma once
// The sections of the text report, in the order render_text prints them.
#include "checks/finding.hpp"
#include "report/text_writer.hpp"

namespace meshdoctor::report::text {

void header(TextWriter& w, const checks::Diagnosis& d);
void root_cause(TextWriter& w, const checks::Diagnosis& d, const checks::Finding& f);
void warning(TextWriter& w, const checks::Finding& f);
// Detailed blocks for a few unknowns, one line each when there are many.
void unknowns(TextWriter& w, const checks::Diagnosis& d);
void checklist(TextWriter& w, const checks::Diagnosis& d);
void bundle_warnings(TextWriter& w, const checks::Diagnosis& d);
void summary(TextWriter& w, const checks::Diagnosis& d, const RenderOptions& opt);

}  // namespace meshdoctor::report::text
