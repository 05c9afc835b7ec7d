// The JUnit XML report (-o junit): one testsuite per category, one testcase per finding, so that
// CI test views list every check. fail → <failure>, unknown → <error>, skipped → <skipped>;
// warn passes (a failure under --strict, as the exit code counts it) with its text in
// <system-out>.
#include <cstdio>
#include <map>

#include "report/describe.hpp"
#include "report/junit_xml.hpp"
#include "report/render.hpp"
#include "util/time.hpp"
#include "util/version.hpp"

namespace meshdoctor::report {

namespace {

enum class Outcome { passed, failure, error, skipped };

Outcome outcome(checks::Status s, const RenderOptions& opt) {
  switch (s) {
    case checks::Status::fail:
      return Outcome::failure;
    case checks::Status::warn:
      return opt.strict ? Outcome::failure : Outcome::passed;
    case checks::Status::unknown:
      return Outcome::error;
    case checks::Status::skipped:
      return Outcome::skipped;
    case checks::Status::pass:
      break;
  }
  return Outcome::passed;
}

struct Counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  void add(Outcome o) {
    ++tests;
    failures += o == Outcome::failure;
    errors += o == Outcome::error;
    skipped += o == Outcome::skipped;
  }
};

std::string counts_attributes(const Counts& c) {
  return " tests=\"" + std::to_string(c.tests) + "\" failures=\"" + std::to_string(c.failures) +
         "\" errors=\"" + std::to_string(c.errors) + "\" skipped=\"" + std::to_string(c.skipped) +
         "\"";
}

std::string attr(const char* name, const std::string& value) {
  return std::string(" ") + name + "=\"" + xml::attribute(value) + "\"";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string indented(const std::string& text, const std::string& pad) {
  std::string out = pad;
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out;
}

// Where the finding sits in the decision tree, for a failure.
std::string tree_line(const checks::Diagnosis& d, const checks::Finding& f) {
  std::string line;
  if (!f.explained_by.empty()) {
    line = "explained by " + join(f.explained_by);
  } else if (f.status == checks::Status::fail) {
    for (const auto& r : d.root_causes) {
      if (r == f.id) line = "root cause";
    }
    if (!line.empty() && !f.explains.empty()) line += "; explains " + join(f.explains);
  }
  if (!f.unverified_upstream.empty()) {
    line +=
        (line.empty() ? "" : "; ") + std::string("could not verify ") + join(f.unverified_upstream);
  }
  return line;
}

// The body of a <failure>, <error> or <system-out>: outcome, evidence, objects, fix, docs.
std::string details(const checks::Diagnosis& d, const checks::Finding& f) {
  const CheckMeta m = check_meta(f.id);
  std::string out = f.message.empty() ? m.title : f.message;
  out += "\nstatus: " + std::string(checks::to_string(f.status));
  if (std::string tree = tree_line(d, f); !tree.empty()) out += " (" + tree + ")";
  if (!f.evidence.empty()) {
    out += "\nevidence:";
    for (const auto& e : f.evidence) {
      std::string where =
          e.file.empty() ? "" : e.file + (e.line > 0 ? ":" + std::to_string(e.line) : "") + ": ";
      // Lint evidence already names its place in `source` ("values-hub.yaml:12").
      if (!where.empty() && e.source.rfind(where.substr(0, where.size() - 2), 0) == 0) where.clear();
      out += "\n  " + where + e.source + (e.detail.empty() ? "" : ": " + e.detail);
    }
  }
  if (!f.objects.empty()) {
    out += "\nobjects:";
    for (const auto& o : f.objects)
      out += "\n  " + o.kind + " " + (o.ns.empty() ? "" : o.ns + "/") + o.name;
  }
  if (f.status != checks::Status::pass) {
    if (std::string fix = effective_fix(f); !fix.empty()) out += "\nfix:\n" + indented(fix, "  ");
    if (!m.docs.empty()) out += "\ndocs: " + m.docs;
  }
  return out;
}

std::string testcase(const checks::Diagnosis& d, const checks::Finding& f, Outcome o) {
  const CheckMeta m = check_meta(f.id);
  const std::string summary = f.message.empty() ? m.title : f.message;
  std::string out = "    <testcase" + attr("classname", "meshdoctor." + m.category) +
                    attr("name", f.id + " " + m.name) + ">\n";
  switch (o) {
    case Outcome::failure:
      out += "      <failure" + attr("message", summary) +
             attr("type", checks::to_string(f.status)) + ">" + xml::text(details(d, f)) +
             "</failure>\n";
      break;
    case Outcome::error:
      out += "      <error" + attr("message", summary) + attr("type", checks::to_string(f.status)) +
             ">" + xml::text(details(d, f)) + "</error>\n";
      break;
    case Outcome::skipped:
      out += "      <skipped" + attr("message", summary) + "/>\n";
      break;
    case Outcome::passed:
      out += "      <system-out>" + xml::text(details(d, f)) + "</system-out>\n";
      break;
  }
  return out + "    </testcase>\n";
}

std::string properties(const checks::Diagnosis& d) {
  std::string out = "    <properties>\n";
  auto property = [&out](const char* name, const std::string& value) {
    out += "      <property" + attr("name", name) + attr("value", value) + "/>\n";
  };
  property("meshdoctor.version", util::k_version);
  property("source", source_label(d));
  if (std::string at = d.collected_at ? util::format_rfc3339(*d.collected_at) : ""; !at.empty()) {
    property("collectedAt", at);
  }
  property("rootCauses", join(d.root_causes));
  return out + "    </properties>\n";
}

}  // namespace

std::string render_junit(const checks::Diagnosis& d, const RenderOptions& opt) {
  Counts total;
  std::string suites;
  for (const auto& category : categories_in_order(d)) {
    Counts counts;
    std::string cases;
    for (const auto& f : d.findings) {
      if (check_meta(f.id).category != category) continue;
      const Outcome o = outcome(f.status, opt);
      counts.add(o);
      total.add(o);
      cases += testcase(d, f, o);
    }
    suites += "  <testsuite" + attr("name", category) + counts_attributes(counts) + ">\n" +
              properties(d) + cases + "  </testsuite>\n";
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", static_cast<double>(opt.duration_ms) / 1000.0);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"meshdoctor\"" +
         counts_attributes(total) + " time=\"" + seconds + "\">\n" + suites + "</testsuites>\n";
}

}  // namespace meshdoctor::report
