// The HTML report: one self-contained page (inline CSS and SVG, no script, no external asset)
// for a browser or a phone, served by `meshdoctor serve` at / and written by `check -o html`.
// Root causes first, then the node timeline, the remediation, every finding by category and
// what could not be read.
#include <algorithm>
#include <cctype>

#include "report/describe.hpp"
#include "report/html_sections.hpp"
#include "report/html_text.hpp"
#include "report/render.hpp"
#include "util/version.hpp"

namespace meshdoctor::report {

namespace {

using html::escape;

std::string plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string verdict(const checks::Diagnosis& d) {
  int roots = static_cast<int>(d.root_causes.size());
  if (roots == 0) return d.summary.fail > 0 ? "failures without a root cause" : "no check failed";
  int explained = explained_failures(d);
  return plural(roots, "root cause", "root causes") +
         (explained > 0 ? (roots == 1 ? " explains " : " explain ") +
                              plural(explained, "other failure", "other failures")
                        : "");
}

std::string counts(const checks::Summary& s) {
  auto item = [](checks::Status st, int n) {
    return std::string("<li class=\"") + html::status_class(st) + "\"><b>" + std::to_string(n) +
           "</b> " + checks::to_string(st) + "</li>";
  };
  return "<ul class=\"counts\">" + item(checks::Status::fail, s.fail) +
         item(checks::Status::warn, s.warn) + item(checks::Status::unknown, s.unknown) +
         item(checks::Status::pass, s.pass) + item(checks::Status::skipped, s.skipped) + "</ul>\n";
}

std::string nav(const checks::Diagnosis& d) {
  std::string out = "<nav><a href=\"#root-causes\">Root causes</a> <a href=\"#timeline\">Node "
                    "timeline</a> ";
  if (d.remediation) out += "<a href=\"#remediation\">Remediation</a> ";
  out += "<a href=\"#findings\">All findings</a>";
  if (!d.warnings.empty()) out += " <a href=\"#source-problems\">Source problems</a>";
  return out + "</nav>\n";
}

std::string header(const checks::Diagnosis& d, const RenderOptions& opt) {
  std::string scope = scope_label(d, " · ");
  std::string meta = source_label(d) + (scope.empty() ? "" : " · " + scope);
  if (opt.duration_ms > 0) meta += " · took " + util::format_duration(opt.duration_ms * 1000);
  return "<header class=\"top " + std::string(html::status_class(d.summary.overall)) +
         "\">\n<h1>" + html::badge(d.summary.overall) + " meshdoctor</h1>\n<p class=\"meta\">" +
         escape(meta) + "</p>\n<p class=\"verdict\">" + escape(verdict(d)) + " · exit " +
         std::to_string(printed_exit_code(d, opt)) + "</p>\n" + counts(d.summary) + nav(d) +
         "</header>\n";
}

std::string footer(const checks::Diagnosis& d, const RenderOptions& opt) {
  const auto& s = d.summary;
  std::string word = checks::to_string(s.overall);
  std::transform(word.begin(), word.end(), word.begin(), ::toupper);
  std::string line = word + " · " + verdict(d) + " · " + std::to_string(s.pass) + " pass · " +
                     std::to_string(s.warn) + " warn · " + std::to_string(s.unknown) +
                     " unknown · " + std::to_string(s.skipped) + " skipped · exit " +
                     std::to_string(printed_exit_code(d, opt));
  return "<footer>\n<p class=\"summary\">" + escape(line) + "</p>\n<p>meshdoctor " +
         escape(util::k_version) + " · times in UTC</p>\n</footer>\n";
}

std::string page_title(const checks::Diagnosis& d) {
  std::string word = checks::to_string(d.summary.overall);
  std::transform(word.begin(), word.end(), word.begin(), ::toupper);
  return "meshdoctor " + word + " · " + source_label(d);
}

}  // namespace

std::string render_html(const checks::Diagnosis& d, const RenderOptions& opt) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"color-scheme\" content=\"light dark\">\n<title>" +
      escape(page_title(d)) + "</title>\n<style>\n" + html::stylesheet() +
      "</style>\n</head>\n<body>\n<main>\n" + header(d, opt);
  // What to fix first, then when it happened on each node, then what to restart.
  out += html::root_causes_section(d) + html::timeline_section(d);
  if (d.remediation) out += html::remediation_section(*d.remediation);
  // The reference: every check, and what could not be read.
  out += html::findings_section(d) + html::source_warnings_section(d);
  return out + footer(d, opt) + "</main>\n</body>\n</html>\n";
}

}  // namespace meshdoctor::report
