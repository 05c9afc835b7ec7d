#pragma once
// The "remediation" object of the JSON report (DESIGN.md §4, §7). Internal to report/: the public
// entry points are render_json, render_plan_file and parse_plan_file (render.hpp).
#include <nlohmann/json.hpp>

#include "checks/remediation.hpp"

namespace meshdoctor::report {

// {"plan": [], "applied": []}: a report without a remediation.
nlohmann::ordered_json empty_remediation_json();

// playbook, mode, fromPlan, maxRestarts, summary, plan, applied, verify, notes.
nlohmann::ordered_json remediation_json(const checks::Remediation& r);

}  // namespace meshdoctor::report
