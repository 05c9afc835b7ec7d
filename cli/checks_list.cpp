// meshdoctor checks: the catalogue as a table (or JSON), for humans and for scripts.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "checks/catalogue.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "report/text_layout.hpp"

namespace meshdoctor::cli {

namespace {

const char* severity_name(checks::Severity s) {
  return s == checks::Severity::warn ? "warn" : "fail";
}

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
  return out.empty() ? "-" : out;
}

const std::vector<checks::CheckInfo>& entries(const ChecksListOptions& opt) {
  return opt.lint ? checks::lint_catalogue() : checks::catalogue();
}

std::vector<std::vector<std::string>> table_rows(const ChecksListOptions& opt) {
  std::vector<std::vector<std::string>> rows{
      {"ID", "NAME", "CATEGORY", "SEVERITY", "UPSTREAM", "TITLE"}};
  for (const auto& c : entries(opt)) {
    rows.push_back(
        {c.id, c.name, c.category, severity_name(c.severity), joined(c.upstream), c.title});
  }
  return rows;
}

std::string as_table(const ChecksListOptions& opt) {
  auto rows = table_rows(opt);
  std::vector<int> widths(rows[0].size(), 0);
  for (const auto& r : rows) {
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
      widths[i] = std::max(widths[i], report::display_width(r[i]));
    }
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i + 1 < r.size(); ++i) line += report::pad_right(r[i], widths[i] + 2);
    out += line + r.back() + "\n";
  }
  return out;
}

std::string as_json(const ChecksListOptions& opt) {
  nlohmann::ordered_json checks = nlohmann::ordered_json::array();
  for (const auto& c : entries(opt)) {
    checks.push_back({{"id", c.id},
                      {"name", c.name},
                      {"category", c.category},
                      {"severity", severity_name(c.severity)},
                      {"upstream", c.upstream},
                      {"title", c.title},
                      {"symptom", c.symptom},
                      {"cause", c.cause},
                      {"fix", c.fix},
                      {"docs", c.docs}});
  }
  nlohmann::ordered_json doc = {{"schemaVersion", "meshdoctor/v1"}, {"checks", checks}};
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

int run_checks_list(const ChecksListOptions& opt) {
  bool unicode = render_options(ColorChoice::automatic, Destination::stdout_stream).unicode;
  std::string text = opt.format == "json" ? as_json(opt)
                     : unicode            ? as_table(opt)
                                          : report::to_ascii(as_table(opt));
  if (auto delivered = deliver(text, ""); !delivered)
    return could_not_run(delivered.error().message);
  return 0;
}

CLI::App* add_checks_command(CLI::App& app, ChecksListOptions& opt) {
  auto* cmd = app.add_subcommand("checks", "List the check catalogue (ID, name, category, ...)");
  cmd->add_option("-o,--output", opt.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT")
      ->default_str("text");
  cmd->add_flag("--lint", opt.lint, "List the ML rules of 'meshdoctor lint' instead of the checks");
  return cmd;
}

}  // namespace meshdoctor::cli
