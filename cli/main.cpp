// meshdoctor entry point: parse flags, dispatch to a subcommand, map fatal errors to exit 3.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "util/version.hpp"

namespace {

using namespace meshdoctor::cli;

// CLI11 prints the description as is: wrapped here for an 80-column terminal.
constexpr const char* k_description =
    "meshdoctor diagnoses Istio ambient mode on OpenShift Service Mesh 3: why the ztunnel\n"
    "DaemonSet is not healthy, why pods are not enrolled, why istio_tcp_* metrics are missing,\n"
    "why an operator upgrade is blocked. It reads the evidence (an oc adm inspect or must-gather\n"
    "bundle, or the live cluster of your kubeconfig), walks a decision tree to the root cause,\n"
    "and prints the documented fix.\n\n"
    "Exit codes: 0 healthy, 1 a check failed, 2 some checks could not be verified,\n"
    "3 could not run, 64 usage error. Reports go to stdout, logs to stderr.\n";

constexpr const char* k_examples =
    "Examples:\n"
    "  meshdoctor check\n"
    "  meshdoctor check --context prod --wait 5m\n"
    "  meshdoctor collect --output ./mesh-bundle\n"
    "  meshdoctor check --bundle ./must-gather.local.5538\n"
    "  meshdoctor check --bundle inspect.tar.gz -o json --output-file report.json\n"
    "  meshdoctor check --bundle ./inspect --only MD301,MD402 --strict\n"
    "  meshdoctor restart                      (dry-run: print the plan)\n"
    "  meshdoctor restart --apply --max-restarts 5 --wait 5m\n"
    "  meshdoctor serve --listen :9090 --interval 60s   (in-cluster daemon: /metrics)\n"
    "  meshdoctor lint rendered/ values-hub.yaml -o sarif   (GitOps manifests)\n"
    "  meshdoctor explain MD301\n"
    "  meshdoctor checks -o json";

// CLI11 uses its own exit codes for parse errors; meshdoctor promises 64 for every usage error.
int parse_failure(const CLI::App& app, const CLI::ParseError& e) {
  if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
  std::fprintf(stderr, "meshdoctor: error: %s\nRun 'meshdoctor --help' for usage.\n", e.what());
  return k_exit_usage;
}

int run(int argc, char** argv) {
  CLI::App app{k_description, "meshdoctor"};
  app.set_version_flag("--version", std::string("meshdoctor ") + meshdoctor::util::k_version);
  app.footer(k_examples);
  app.require_subcommand(0, 1);
  CheckOptions check;
  ExplainOptions explain;
  ChecksListOptions list;
  CollectOptions collect;
  RestartOptions restart;
  ServeOptions serve;
  LintOptions lint;
  CLI::App* check_cmd = add_check_command(app, check);
  CLI::App* collect_cmd = add_collect_command(app, collect);
  CLI::App* restart_cmd = add_restart_command(app, restart);
  CLI::App* serve_cmd = add_serve_command(app, serve);
  CLI::App* lint_cmd = add_lint_command(app, lint);
  CLI::App* explain_cmd = add_explain_command(app, explain);
  CLI::App* list_cmd = add_checks_command(app, list);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return parse_failure(app, e);
  }
  configure_logging(std::max({check.verbosity, collect.verbosity, restart.verbosity, serve.verbosity,
                               lint.verbosity}));
  if (check_cmd->parsed()) return run_check(check);
  if (collect_cmd->parsed()) return run_collect(collect);
  if (restart_cmd->parsed()) return run_restart(restart);
  if (serve_cmd->parsed()) return run_serve(serve);
  if (lint_cmd->parsed()) return run_lint(lint);
  if (explain_cmd->parsed()) return run_explain(explain);
  if (list_cmd->parsed()) return run_checks_list(list);
  std::cerr << app.help();
  return k_exit_usage;
}

}  // namespace

int main(int argc, char** argv) {
  // The one place where anything unexpected ends: a message and exit 3, never a crash.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "meshdoctor: error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "meshdoctor: error: unexpected internal error\n");
  }
  return k_exit_could_not_run;
}
