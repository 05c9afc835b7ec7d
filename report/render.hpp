#pragma once
// Renderers for a Diagnosis. Text for terminals, JSON (DESIGN.md §4 schema meshdoctor/v1),
// Markdown for tickets and chat.
#include <string>

#include "checks/finding.hpp"

namespace meshdoctor::report {

enum class Format { text, json, markdown };

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
std::string render(Format f, const checks::Diagnosis& d, const RenderOptions& opt);

}  // namespace meshdoctor::report
