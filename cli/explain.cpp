// meshdoctor explain ID: everything the catalogue knows about one check, offline.
#include <CLI/CLI.hpp>
#include <iostream>

#include "checks/catalogue.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "report/describe.hpp"
#include "report/text_writer.hpp"

namespace meshdoctor::cli {

namespace {

std::vector<std::string> with_names(const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const auto& id : ids) out.push_back(id + " " + report::check_meta(id).name);
  if (out.empty()) out.push_back("none");
  return out;
}

// Checks that list `id` as an upstream: what a failure of `id` can explain.
std::vector<std::string> downstream_of(const std::string& id) {
  std::vector<std::string> out;
  for (const auto& c : checks::catalogue()) {
    for (const auto& up : c.upstream) {
      if (up == id) out.push_back(c.id);
    }
  }
  return out;
}

std::string severity_text(checks::Severity s) {
  return s == checks::Severity::warn ? "warn (advisory: a problem is reported as warn)"
                                     : "fail (a problem fails the run, exit 1)";
}

std::string explanation(const checks::CheckInfo& c) {
  report::RenderOptions opt = render_options(ColorChoice::automatic, Destination::stdout_stream);
  report::TextWriter w(opt);
  w.line(w.style().paint(report::Tone::bold, c.id + " " + c.name));
  w.blank();
  w.labelled("verifies", c.title);
  w.labelled("category", c.category);
  w.labelled("severity", severity_text(c.severity));
  if (c.category == "lint") {
    w.labelled("command", "meshdoctor lint PATH... (rendered manifests, value files)");
  } else {
    w.items("upstream", with_names(c.upstream), ", ");
    w.items("explains", with_names(downstream_of(c.id)), ", ");
  }
  w.block("symptom", c.symptom);
  w.block("cause", c.cause);
  w.block("fix", c.fix);
  w.block("docs", c.docs);
  return opt.unicode ? w.take() : report::to_ascii(w.take());
}

}  // namespace

int run_explain(const ExplainOptions& opt) {
  const checks::CheckInfo* info = checks::find_check(normalize_id(opt.id));
  if (info == nullptr) {
    return usage_error("unknown check ID \"" + opt.id +
                       "\"; run 'meshdoctor checks' to see the catalogue");
  }
  std::cout << explanation(*info) << std::flush;
  return 0;
}

CLI::App* add_explain_command(CLI::App& app, ExplainOptions& opt) {
  auto* cmd = app.add_subcommand(
      "explain", "Explain one check: what it verifies, symptom, cause, fix (offline)");
  cmd->add_option("ID", opt.id, "Check ID, e.g. MD301")->required();
  return cmd;
}

}  // namespace meshdoctor::cli
