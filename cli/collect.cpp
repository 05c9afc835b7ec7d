// meshdoctor collect: read the live cluster once and write what was read as a bundle that
// `meshdoctor check --bundle` diagnoses exactly as the live check would.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/live_source.hpp"
#include "probe/bundle_writer.hpp"

namespace meshdoctor::cli {
namespace {

constexpr int k_exit_incomplete = 2;

// What the live run could not read, one line each (a section and the logs it locates may share a
// failure: named once). The bundle keeps these gaps (a list cut short is not written, refusals are
// in meshdoctor/collection.json), so its check reports them as unknown; here they make the exit 2.
std::vector<std::string> collection_gaps(const probe::Facts& f) {
  std::vector<std::string> out;
  auto add = [&out](const probe::SourceState& s) {
    if (s.state != probe::Obtained::forbidden && s.state != probe::Obtained::error) return;
    const std::string line = (s.state == probe::Obtained::forbidden ? "forbidden: " : "") + s.detail;
    if (std::find(out.begin(), out.end(), line) == out.end()) out.push_back(line);
  };
  for (const probe::SourceState* s :
       {&f.namespaces.source, &f.subscriptions.source, &f.install_plans.source, &f.csvs.source,
        &f.sail_crds.source, &f.istios.source, &f.istio_cnis.source, &f.ztunnels.source,
        &f.daemonsets.source, &f.cni_pods.source, &f.ztunnel_pods.source, &f.istiod.source,
        &f.pods.source, &f.cni_logs.source, &f.ztunnel_logs.source, &f.telemetries.source,
        &f.pod_monitors.source, &f.gateways.source, &f.kialis.source, &f.cluster_role_bindings.source,
        &f.cluster_version.source, &f.network.source, &f.monitoring_config.source})
    add(*s);
  for (const auto* logs : {&f.cni_logs, &f.ztunnel_logs}) {
    for (const auto& log : logs->items) add(log.source);
  }
  return out;
}

}  // namespace

int run_collect(const CollectOptions& opt) {
  // Options → the writer (refuses a non-empty DIR without --force) → the live run → commit.
  auto writer = probe::BundleWriter::create(opt.output, opt.force);
  if (!writer) return could_not_run(writer.error().message);
  auto facts = open_live(opt.live, LiveRun{writer->get(), {}});
  if (!facts) return could_not_run(facts.error().message);  // the writer removes its temp dir
  for (const auto& w : facts->warnings) spdlog::warn("{}", w);
  if (auto committed = (*writer)->commit(*facts); !committed) return could_not_run(committed.error().message);
  std::fprintf(stderr, "meshdoctor: wrote %s (%d objects, %d logs)\n", opt.output.c_str(),
               (*writer)->objects_written(), (*writer)->logs_written());
  const auto gaps = collection_gaps(*facts);
  for (const auto& gap : gaps) std::fprintf(stderr, "meshdoctor: not collected: %s\n", gap.c_str());
  return gaps.empty() ? 0 : k_exit_incomplete;
}

CLI::App* add_collect_command(CLI::App& app, CollectOptions& opt) {
  auto* cmd = app.add_subcommand("collect", "Read the live cluster and write a bundle for later or elsewhere");
  cmd->footer(
      "Exit codes: 0 the bundle holds everything read; 2 it was written, but some reads failed (each\n"
      "named on stderr as \"not collected\"; a check of the bundle reports them as unknown); 3 nothing\n"
      "was written (cluster unreachable, authentication failed, DIR not usable).");
  cmd->add_option("--output", opt.output, "Directory to write (created atomically)")
      ->type_name("DIR")
      ->required();
  cmd->add_flag("--force", opt.force, "Replace DIR when it exists and is not empty");
  add_cluster_flags(*cmd, opt.live);
  cmd->add_flag("-v,--verbose", opt.verbosity, "More logging on stderr: -v info, -vv debug");
  return cmd;
}

}  // namespace meshdoctor::cli
