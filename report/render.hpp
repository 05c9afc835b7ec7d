#pragma once
// Renderers for a Diagnosis. Text for terminals, JSON (DESIGN.md §4 schema meshdoctor/v1),
// Markdown for tickets and chat, HTML for a browser (check -o html, and serve's / page).
#include <string>

#include "checks/finding.hpp"
#include "checks/remediation.hpp"
#include "util/expected.hpp"
#include "util/time.hpp"

namespace meshdoctor::report {

// sarif: SARIF 2.1.0 (one run, the rules are the catalogue entries of the findings' IDs, one
// result per non-pass finding, or per evidence line with a file, so lint results carry regions).
// junit: JUnit XML (one testsuite per category, one testcase per finding; fail → <failure>,
// unknown → <error>, skipped → <skipped/>, warn → passes with the message in <system-out>).
enum class Format { text, json, markdown, html, sarif, junit };

struct RenderOptions {
  bool color = false;  // ANSI colour (TTY only, never with NO_COLOR / --no-color)
  bool unicode = true; // ✔ ‼ ✖ ? ; false → ASCII [ok] [!!] [XX] [??]
  int width = 100;
  long duration_ms = 0;
  bool strict = false;     // --strict: the summary's exit code counts warnings as failures
  bool exit_zero = false;  // --exit-zero: the summary says exit 0, as the process will
};

// The exit code the summary line prints: the process's own (checks::exit_code with the options).
int printed_exit_code(const checks::Diagnosis& d, const RenderOptions& opt);

std::string render_text(const checks::Diagnosis& d, const RenderOptions& opt);
std::string render_json(const checks::Diagnosis& d, const RenderOptions& opt);
std::string render_markdown(const checks::Diagnosis& d, const RenderOptions& opt);
// One self-contained page (inline CSS and SVG, no script, no external asset): root causes,
// the per-node timeline (d.timeline), the remediation when set, every finding by category.
std::string render_html(const checks::Diagnosis& d, const RenderOptions& opt);
std::string render_sarif(const checks::Diagnosis& d, const RenderOptions& opt);  // report/sarif.cpp
std::string render_junit(const checks::Diagnosis& d, const RenderOptions& opt);  // report/junit.cpp
std::string render(Format f, const checks::Diagnosis& d, const RenderOptions& opt);

// The report of `meshdoctor restart` (DESIGN.md §7): JSON is render_json, HTML the whole page
// (render_html, which shows the remediation); text and Markdown show the header, the flagging
// checks (MD504, MD503), the remediation section and a summary line about the restarts, without
// the per-area checklist. d.remediation should be set.
std::string render_remediation(Format f, const checks::Diagnosis& d, const RenderOptions& opt);

// The reviewed-plan file (schema meshdoctor/restart-plan/v1), pretty-printed with a trailing
// newline: createdAt, the cluster it was planned against, maxRestarts and every plan entry in the
// shape of the JSON report's remediation.plan.
std::string render_plan_file(const checks::Remediation& r,
                             const std::string& server,
                             const std::string& context,
                             util::Micros created_at);

// Reads a plan file back: r.plan, r.max_restarts, r.from_plan = true (playbook, apply, applied,
// verify and notes keep their defaults); *server and *context (when not null) get the cluster.
// Any deviation is a util::Error with code "plan.invalid" naming the place and the field:
// "entries[2]: missing resourceVersion", "entries[0]: unknown action "reboot" (...)",
// "not valid JSON: parse error at line 3, column 7: ...". Restart entries need resourceVersion
// and apiPath; delete entries need uid and apiPath.
util::Expected<checks::Remediation> parse_plan_file(const std::string& text,
                                                    std::string* server,
                                                    std::string* context);

}  // namespace meshdoctor::report
