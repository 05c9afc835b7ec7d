#pragma once
// The subcommands of meshdoctor: each registers its flags on the CLI11 app and runs from a plain
// options struct, so that the flow of a command reads without any CLI11 in sight.
#include <string>
#include <vector>

#include "report/render.hpp"

namespace CLI {
class App;
}

namespace meshdoctor::cli {

inline constexpr int k_exit_could_not_run = 3;
inline constexpr int k_exit_usage = 64;

enum class ColorChoice { automatic, never };

struct CheckOptions {
  std::string bundle;
  report::Format format = report::Format::text;
  std::string output_file;
  std::vector<std::string> only, skip;
  std::vector<std::string> off_mesh_namespaces;
  bool off_mesh_given = false;
  bool strict = false;
  bool exit_zero = false;
  ColorChoice color = ColorChoice::automatic;
  int verbosity = 0;
};

CLI::App* add_check_command(CLI::App& app, CheckOptions& opt);
int run_check(const CheckOptions& opt);

struct ExplainOptions {
  std::string id;
};

CLI::App* add_explain_command(CLI::App& app, ExplainOptions& opt);
int run_explain(const ExplainOptions& opt);

struct ChecksListOptions {
  std::string format = "text";
};

CLI::App* add_checks_command(CLI::App& app, ChecksListOptions& opt);
int run_checks_list(const ChecksListOptions& opt);

}  // namespace meshdoctor::cli
