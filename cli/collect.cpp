// meshdoctor collect: read the live cluster once and write what was read as a bundle that
// `meshdoctor check --bundle` diagnoses exactly as the live check would.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/live_source.hpp"
#include "probe/bundle_writer.hpp"

namespace meshdoctor::cli {

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
  return 0;
}

CLI::App* add_collect_command(CLI::App& app, CollectOptions& opt) {
  auto* cmd = app.add_subcommand("collect", "Read the live cluster and write a bundle for later or elsewhere");
  cmd->add_option("--output", opt.output, "Directory to write (created atomically)")
      ->type_name("DIR")
      ->required();
  cmd->add_flag("--force", opt.force, "Replace DIR when it exists and is not empty");
  add_cluster_flags(*cmd, opt.live);
  cmd->add_flag("-v,--verbose", opt.verbosity, "More logging on stderr: -v info, -vv debug");
  return cmd;
}

}  // namespace meshdoctor::cli
