// meshdoctor lint: GitOps lint of rendered manifests (helm template output, value files) for
// ambient on OSSM 3, in the same finding format as check, with file:line evidence.
#include "lint/lint.hpp"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <iostream>

#include "checks/catalogue.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/live_source.hpp"

namespace meshdoctor::cli {

namespace {

constexpr const char* k_stdin_name = "stdin";

// The first ID in --only/--skip that is not a lint rule, or "".
std::string unknown_rule_id(const LintOptions& opt) {
  for (const auto* ids : {&opt.only, &opt.skip}) {
    for (const auto& id : *ids) {
      const std::string n = normalize_id(id);
      bool known = false;
      for (const auto& r : checks::lint_catalogue()) known = known || r.id == n;
      if (!known) return id;
    }
  }
  return "";
}

std::vector<std::string> normalized(const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const auto& id : ids) out.push_back(normalize_id(id));
  return out;
}

// Standard input, bounded like a file.
util::Status add_stdin(lint::ManifestSet& set) {
  std::string text;
  char buf[1 << 16];
  while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(std::cin.gcount()));
    if (text.size() > lint::k_max_input_bytes) {
      return util::make_error("lint.read", "standard input is larger than " +
                                               std::to_string(lint::k_max_input_bytes >> 20) +
                                               " MiB");
    }
  }
  if (std::cin.bad()) return util::make_error("lint.read", "cannot read standard input");
  lint::add_text(set, text, k_stdin_name);
  return util::ok();
}

util::Expected<lint::ManifestSet> read_inputs(const std::vector<std::string>& paths) {
  lint::ManifestSet set;
  for (const auto& p : paths) {
    spdlog::info("reading {}", p == "-" ? k_stdin_name : p);
    auto added = p == "-" ? add_stdin(set) : lint::add_path(set, p);
    if (!added) return added.error();
  }
  for (const auto& problem : set.problems) spdlog::warn("{}", problem.message);
  spdlog::info("{} file(s), {} object(s), {} value file(s)", set.files.size(), set.documents.size(),
               set.values_files.size());
  return set;
}

util::Micros now_micros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

report::RenderOptions render_options_for(const LintOptions& opt, long duration_ms) {
  auto dest = opt.output_file.empty() ? Destination::stdout_stream : Destination::file;
  report::RenderOptions r = render_options(opt.color, dest);
  r.duration_ms = duration_ms;
  r.strict = opt.strict;
  r.exit_zero = opt.exit_zero;
  return r;
}

}  // namespace

int run_lint(const LintOptions& opt) {
  // Options: a mistyped rule ID must not silently run (or skip) everything; stdin is read once.
  if (std::string bad = unknown_rule_id(opt); !bad.empty()) {
    return usage_error("unknown lint rule ID \"" + bad +
                       "\"; run 'meshdoctor checks --lint' to list them");
  }
  if (std::count(opt.paths.begin(), opt.paths.end(), "-") > 1) {
    return usage_error("'-' (standard input) may be given only once");
  }
  // Read every input; an unreadable path stops the run, a file that does not parse does not.
  const auto start = std::chrono::steady_clock::now();
  auto set = read_inputs(opt.paths);
  if (!set) return could_not_run(set.error().message);
  // Run the rules and time-stamp the run like a collection.
  lint::LintContext ctx;
  if (opt.off_mesh_given) ctx.off_mesh_namespaces = opt.off_mesh_namespaces;
  std::vector<std::string> shown = opt.paths;
  std::replace(shown.begin(), shown.end(), std::string("-"), std::string(k_stdin_name));
  checks::Diagnosis d = lint::lint(*set, ctx, {normalized(opt.only), normalized(opt.skip)}, shown);
  d.collected_at = now_micros();
  const long ms = static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now() - start)
                                        .count());
  // Render, then deliver to stdout or atomically to --output-file.
  const auto render = render_options_for(opt, ms);
  std::string text = report::render(opt.format, d, render);
  if (auto delivered = deliver(text, opt.output_file); !delivered) {
    return could_not_run(delivered.error().message);
  }
  // Exit code: 0 clean, 1 a rule fails, 2 a rule could not be evaluated (DESIGN.md §4).
  return report::printed_exit_code(d, render);
}

CLI::App* add_lint_command(CLI::App& app, LintOptions& opt) {
  auto* cmd = app.add_subcommand(
      "lint", "Lint rendered GitOps manifests (helm template output, value files) for ambient");
  cmd->add_option("PATH", opt.paths,
                  "Manifest files, directories (*.yaml, *.yml, *.json, recursively) or - for "
                  "standard input; Validated Patterns value files (values-hub.yaml, "
                  "values-<spoke>.yaml) are recognised by their clusterGroup key")
      ->required();
  add_format_option(*cmd, opt.format);
  cmd->add_option("--output-file", opt.output_file,
                  "Write the report to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  cmd->add_option("--only", opt.only, "Run only these rules (comma-separated, repeatable)")
      ->delimiter(',')
      ->type_name("IDS");
  cmd->add_option("--skip", opt.skip, "Skip these rules (comma-separated, repeatable)")
      ->delimiter(',')
      ->type_name("IDS");
  add_off_mesh_flag(*cmd, opt.off_mesh_namespaces, opt.off_mesh_given,
                    "Namespaces that must stay out of the mesh");
  cmd->add_flag("--strict", opt.strict, "Treat warnings as failures (exit 1)");
  cmd->add_flag("--exit-zero", opt.exit_zero,
                "Exit 0 whatever was found (still 3 or 64 when lint cannot run)");
  cmd->add_flag_function(
      "--no-color", [&opt](std::int64_t) { opt.color = ColorChoice::never; },
      "No ANSI colour (also: NO_COLOR)");
  cmd->add_flag("-v,--verbose", opt.verbosity, "More logging on stderr: -v info, -vv debug");
  cmd->footer(
      "Examples:\n"
      "  helm template mesh charts/mesh -f values-hub.yaml | meshdoctor lint -\n"
      "  meshdoctor lint rendered/ values-hub.yaml values-factory.yaml -o sarif --output-file "
      "lint.sarif\n"
      "  meshdoctor explain ML006");
  return cmd;
}

}  // namespace meshdoctor::cli
