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

// The restart-stale-workloads section (d.remediation): the plan by action, the writes and
// their results, the verification and the notes.
void remediation(TextWriter& w, const checks::Remediation& r);
// `meshdoctor restart`: one line per flagging check (MD504, MD503) present in the diagnosis.
void flagging_checks(TextWriter& w, const checks::Diagnosis& d);
// `meshdoctor restart`: "DRY-RUN · 4 to restart · 5 skipped · 1 deferred · nothing written".
void remediation_summary(TextWriter& w, const checks::Remediation& r);
// The whole text report of `meshdoctor restart` (render_remediation).
std::string restart_report(const checks::Diagnosis& d, const RenderOptions& opt);

}  // namespace meshdoctor::report::text
