#pragma once
// The sections of the HTML report (report/html.cpp puts them together). Internal to report/.
#include <string>

#include "checks/finding.hpp"

namespace meshdoctor::report::html {

// The inline stylesheet: fluid, phone-friendly, light and dark.
const char* stylesheet();

// id="root-causes": each root cause with message, evidence, what it explains and its fix.
std::string root_causes_section(const checks::Diagnosis& d);
// id="findings": every finding grouped by category; passes and skips folded.
std::string findings_section(const checks::Diagnosis& d);
// id="source-problems": what could not be read (empty when nothing).
std::string source_warnings_section(const checks::Diagnosis& d);
// id="remediation": the restart-stale-workloads plan, the writes and the verification.
std::string remediation_section(const checks::Remediation& r);
// id="timeline": the per-node SVG timeline, its legend and the same facts in words.
std::string timeline_section(const checks::Diagnosis& d);

}  // namespace meshdoctor::report::html
