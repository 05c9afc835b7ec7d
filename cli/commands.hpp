#pragma once
// The subcommands of meshdoctor: each registers its flags on the CLI11 app and runs from a plain
// options struct, so that the flow of a command reads without any CLI11 in sight.
#include <string>
#include <vector>

#include "report/render.hpp"
#include "report/sink.hpp"

namespace CLI {
class App;
}

namespace meshdoctor::cli {

inline constexpr int k_exit_could_not_run = 3;
inline constexpr int k_exit_usage = 64;

enum class ColorChoice { automatic, never };

// How to reach a live cluster (check without --bundle, collect).
struct LiveAccessOptions {
  std::string kubeconfig, context;
  long timeout_ms = 120000;         // --timeout: the whole run
  long request_timeout_ms = 15000;  // --request-timeout: one request
  std::string prometheus_url, prometheus_token_file, prometheus_ca_file;
  bool node_local = false;  // --node-local / --socket: probe the ZDS socket on this node
  std::string socket;
};

struct CheckOptions {
  std::string bundle;
  LiveAccessOptions live;
  // A fleet (cli/fleet.cpp): --bundle or --context given more than once, or --all-contexts.
  // With one of each, `bundle` and `live.context` hold it and the run is a single-cluster one.
  std::vector<std::string> bundles;
  std::vector<std::string> contexts;
  bool all_contexts = false;
  long wait_ms = 0;            // --wait: re-run until nothing fails or this time is up
  long interval_ms = 5000;     // --interval between runs
  report::Format format = report::Format::text;
  std::string output_file;
  std::vector<std::string> only, skip;
  std::vector<std::string> off_mesh_namespaces;
  bool off_mesh_given = false;
  bool strict = false;
  bool exit_zero = false;
  ColorChoice color = ColorChoice::automatic;
  int verbosity = 0;
  bool fix = false;  // --fix: plan restart-stale-workloads in dry-run and show it under the diagnosis
  report::PostOptions post;  // --post and friends: post the report to a webhook after delivering it
};

CLI::App* add_check_command(CLI::App& app, CheckOptions& opt);
int run_check(const CheckOptions& opt);
// Several clusters in one run: each diagnosed in parallel, then compared (MD901).
bool is_fleet(const CheckOptions& opt);
int run_fleet_check(const CheckOptions& opt);

struct CollectOptions {
  std::string output;
  bool force = false;
  LiveAccessOptions live;
  int verbosity = 0;
};

CLI::App* add_collect_command(CLI::App& app, CollectOptions& opt);
int run_collect(const CollectOptions& opt);

// meshdoctor restart: the restart-stale-workloads playbook (DESIGN.md §7).
struct RestartOptions {
  std::string bundle;  // dry-run only
  LiveAccessOptions live;
  bool apply = false, yes = false;
  int max_restarts = 10;
  bool max_restarts_given = false;
  std::vector<std::string> namespaces, exclude_namespaces;
  std::vector<std::string> off_mesh_namespaces;
  bool off_mesh_given = false;
  bool include_unenrolled = false;
  bool delete_bare_pods = false;
  std::string plan_file, from_plan;
  long wait_ms = 0;
  report::Format format = report::Format::text;
  std::string output_file;
  ColorChoice color = ColorChoice::automatic;
  int verbosity = 0;
};

CLI::App* add_restart_command(CLI::App& app, RestartOptions& opt);
int run_restart(const RestartOptions& opt);

// meshdoctor serve: the in-cluster daemon. Re-runs the live check every interval and serves
// /metrics, /healthz, /readyz and the last report over HTTP; it never writes to the cluster.
struct ServeOptions {
  LiveAccessOptions live;
  long interval_ms = 60000;        // --interval between runs
  double jitter = 0.1;             // --jitter: each wait is interval × (1 ± jitter)
  bool watch = false;              // --watch: keep lists current from Kubernetes watches
  long evidence_max_age_ms = 10L * 60 * 1000;  // --evidence-max-age (with --watch)
  std::string listen = ":9090";    // --listen ADDR:PORT (port 0: any free port)
  std::string ready_file;          // --ready-file: "LISTEN <port>" once bound
  std::vector<std::string> off_mesh_namespaces;
  bool off_mesh_given = false;
  bool fix = false;  // --fix: plan restart-stale-workloads in dry-run each run and count it
  int verbosity = 0;
  report::PostOptions post;  // --post and friends: post after each good run
};

CLI::App* add_serve_command(CLI::App& app, ServeOptions& opt);
int run_serve(const ServeOptions& opt);

// meshdoctor lint: GitOps lint of rendered manifests (files, directories, - for stdin).
struct LintOptions {
  std::vector<std::string> paths;
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

CLI::App* add_lint_command(CLI::App& app, LintOptions& opt);
int run_lint(const LintOptions& opt);

struct ExplainOptions {
  std::string id;
};

CLI::App* add_explain_command(CLI::App& app, ExplainOptions& opt);
int run_explain(const ExplainOptions& opt);

struct ChecksListOptions {
  std::string format = "text";
  bool lint = false;  // --lint: the ML rules of `meshdoctor lint` instead of the MD checks
};

CLI::App* add_checks_command(CLI::App& app, ChecksListOptions& opt);
int run_checks_list(const ChecksListOptions& opt);

}  // namespace meshdoctor::cli
