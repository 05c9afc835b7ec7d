#pragma once
// Markdown building blocks: escaping, code spans and fences, and the list/table sections.
#include <string>
#include <string_view>

#include "checks/finding.hpp"
#include "report/render.hpp"

namespace meshdoctor::report::markdown {

// Prose on one line: newlines become spaces, characters that would start markup are escaped.
std::string inline_text(std::string_view text);
// A table cell: inline_text plus `|` escaped.
std::string table_cell(std::string_view text);
// `text` as a code span, with a longer backtick fence when the text itself holds backticks.
std::string code_span(std::string_view text);
// A fenced code block whose fence is longer than any backtick run inside.
std::string fenced(std::string_view language, std::string_view body);

std::string status_list(const checks::Diagnosis& d, checks::Status status, const char* heading);
std::string checks_table(const checks::Diagnosis& d);
std::string source_warnings(const checks::Diagnosis& d);
std::string summary_line(const checks::Diagnosis& d, const RenderOptions& opt);
// "meshdoctor 0.1.0 · bundle x · collected ... · 3 nodes, 41 pods", then a blank line.
std::string context_line(const checks::Diagnosis& d);

// "## Remediation": the plan as a table (action | workload | reason | pods), the equivalent
// commands of a dry-run, the writes and their results, the verification and the notes.
std::string remediation_section(const checks::Remediation& r);
// The whole Markdown report of `meshdoctor restart` (render_remediation).
std::string restart_report(const checks::Diagnosis& d, const RenderOptions& opt);

}  // namespace meshdoctor::report::markdown
