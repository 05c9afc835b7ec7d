// meshdoctor check on a fleet: several kubeconfig contexts (--context repeated, --all-contexts) or
// several bundles (--bundle repeated), each diagnosed on its own thread with its own client and
// --timeout, then compared by the fleet checks (MD901). A cluster that cannot be read is reported
// as such (exit 3 for it) while the others are still diagnosed.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "checks/fleet.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/live_source.hpp"
#include "cli/post_flags.hpp"
#include "probe/bundle_reader.hpp"
#include "probe/kube_config.hpp"
#include "report/fleet.hpp"

namespace meshdoctor::cli {

namespace {

// Clusters read at the same time; more wait for a free slot.
constexpr std::size_t k_max_parallel = 8;

struct ClusterSource {
  std::string name;
  std::string bundle;   // offline; empty = live through `context`
  std::string context;
};

struct ClusterRun {
  ClusterSource source;
  std::optional<probe::Facts> facts;
  report::FleetCluster result;
};

std::string first_duplicate(const std::vector<std::string>& values) {
  std::set<std::string> seen;
  for (const auto& v : values) {
    if (!seen.insert(v).second) return v;
  }
  return "";
}

// Flags that make no sense for several clusters at once, or that combine wrongly: "" when fine.
std::string usage_problem(const CheckOptions& opt) {
  const bool contexts = !opt.contexts.empty() || opt.all_contexts;
  if (opt.bundles.size() > 1 && contexts)
    return "a fleet is either bundles (--bundle) or kubeconfig contexts (--context, --all-contexts), not both";
  if (opt.all_contexts && !opt.contexts.empty()) return "--all-contexts and --context exclude each other";
  if (auto dup = first_duplicate(opt.contexts); !dup.empty()) return "context \"" + dup + "\" is given twice";
  if (auto dup = first_duplicate(opt.bundles); !dup.empty()) return "bundle " + dup + " is given twice";
  if (!report::fleet_format_supported(opt.format))
    return "a fleet report is text, json or markdown; html, sarif and junit cover one cluster per run";
  if (opt.wait_ms > 0) return "--wait re-runs one cluster; it is not available for a fleet";
  if (opt.fix) return "--fix plans restarts on one cluster; run it per cluster";
  if (opt.live.node_local) return "--node-local probes this node's socket; it is not available for a fleet";
  if (!opt.live.prometheus_url.empty())
    return "--prometheus-url names one Prometheus; a fleet reads each cluster's own Thanos Querier";
  return "";
}

// "hub/must-gather" when two bundles end in the same directory name: the fewest trailing path
// components that tell them apart (the full path as a last resort).
std::vector<std::string> bundle_names(const std::vector<std::string>& paths) {
  std::vector<std::vector<std::string>> parts;
  for (const auto& p : paths) {
    std::vector<std::string> components;
    for (const auto& c : std::filesystem::path(p).lexically_normal()) {
      if (!c.empty() && c != "/" && c != ".") components.push_back(c.string());
    }
    if (components.empty()) components.push_back(p);
    parts.push_back(std::move(components));
  }
  auto tail = [&](std::size_t i, std::size_t n) {
    const auto& c = parts[i];
    std::string out;
    for (std::size_t k = c.size() - std::min(n, c.size()); k < c.size(); ++k) out += (out.empty() ? "" : "/") + c[k];
    return out;
  };
  std::vector<std::string> names(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    for (std::size_t n = 1;; ++n) {
      names[i] = tail(i, n);
      bool clash = false;
      for (std::size_t j = 0; j < paths.size(); ++j) clash = clash || (j != i && tail(j, n) == names[i]);
      if (!clash || n >= parts[i].size()) break;
    }
  }
  return names;
}

util::Expected<std::vector<ClusterSource>> fleet_sources(const CheckOptions& opt) {
  std::vector<ClusterSource> out;
  if (opt.bundles.size() > 1) {
    auto names = bundle_names(opt.bundles);
    for (std::size_t i = 0; i < names.size(); ++i) out.push_back({names[i], opt.bundles[i], ""});
    return out;
  }
  std::vector<std::string> contexts = opt.contexts;
  if (opt.all_contexts) {
    auto listed = probe::list_kube_contexts({opt.live.kubeconfig, "", false});
    if (!listed) return listed.error();
    if (listed->empty()) return util::make_error("kubeconfig.context", "--all-contexts: the kubeconfig has no contexts");
    contexts = *listed;
  }
  for (const auto& c : contexts) out.push_back({c, "", c});
  return out;
}

util::Expected<probe::Facts> read_cluster(const CheckOptions& opt, const ClusterSource& source) {
  if (source.bundle.empty()) {
    LiveAccessOptions live = opt.live;
    live.context = source.context;
    spdlog::info("{}: reading the live cluster", source.name);
    return open_live(live, LiveRun{nullptr, opt.off_mesh_namespaces, Progress::none});
  }
  spdlog::info("{}: reading bundle {}", source.name, source.bundle);
  auto facts = probe::read_bundle(source.bundle);
  if (!facts && facts.error().message.find(source.bundle) == std::string::npos)
    return util::make_error(facts.error().code, "cannot read bundle " + source.bundle + ": " + facts.error().message);
  return facts;
}

checks::Selection selection_for(const CheckOptions& opt) {
  checks::Selection s;
  for (const auto& id : opt.only) s.only.push_back(normalize_id(id));
  for (const auto& id : opt.skip) s.skip.push_back(normalize_id(id));
  return s;
}

checks::CheckContext context_for(const CheckOptions& opt) {
  checks::CheckContext ctx;
  if (opt.off_mesh_given) ctx.off_mesh_namespaces = opt.off_mesh_namespaces;
  return ctx;
}

long ms_since(std::chrono::steady_clock::time_point start) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
}

// One cluster, start to diagnosis; never throws (it runs on its own thread).
void diagnose_cluster(const CheckOptions& opt, ClusterRun& run) {
  const auto start = std::chrono::steady_clock::now();
  run.result.name = run.source.name;
  try {
    auto facts = read_cluster(opt, run.source);
    if (!facts) {
      run.result.error = facts.error().message;
      spdlog::warn("{}: {}", run.source.name, run.result.error);
    } else {
      for (const auto& w : facts->warnings) spdlog::warn("{}: {}", run.source.name, w);
      checks::Diagnosis d = checks::diagnose(*facts, context_for(opt), selection_for(opt));
      checks::defer_to_fleet(d);
      const checks::OperatorTrack track = checks::operator_track(*facts);
      run.result.channel = track.known ? track.channel : "";
      run.result.csv = track.known ? track.csv : "";
      run.result.diagnosis = std::move(d);
      run.facts = std::move(*facts);
    }
  } catch (const std::exception& e) {
    run.result.error = std::string("internal error: ") + e.what();
    spdlog::warn("{}: {}", run.source.name, run.result.error);
  }
  run.result.duration_ms = ms_since(start);
  spdlog::info("{}: done in {} ms", run.source.name, run.result.duration_ms);
}

// Runs work(run) for every run, at most k_max_parallel at a time; returns when all are done.
void run_parallel(std::vector<ClusterRun>& runs, const std::function<void(ClusterRun&)>& work) {
  std::atomic<std::size_t> next{0};
  auto worker = [&runs, &work, &next] {
    for (std::size_t i = next++; i < runs.size(); i = next++) work(runs[i]);
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < std::min(k_max_parallel, runs.size()); ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
}

report::RenderOptions render_options_for(const CheckOptions& opt, long duration_ms) {
  auto dest = opt.output_file.empty() ? Destination::stdout_stream : Destination::file;
  report::RenderOptions r = render_options(opt.color, dest);
  r.duration_ms = duration_ms;
  r.strict = opt.strict;
  r.exit_zero = opt.exit_zero;
  return r;
}

// Every cluster read and diagnosed in parallel, then the fleet checks over their facts.
report::FleetReport diagnose_clusters(const CheckOptions& opt, const std::vector<ClusterSource>& sources) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<ClusterRun> runs(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) runs[i].source = sources[i];
  auto progress = tty_progress();
  std::mutex done_lock;
  std::size_t done = 0;
  run_parallel(runs, [&](ClusterRun& run) {
    diagnose_cluster(opt, run);
    std::lock_guard<std::mutex> guard(done_lock);
    ++done;
    if (progress) progress("fleet: " + std::to_string(done) + "/" + std::to_string(runs.size()) + " clusters read");
  });
  if (progress) progress("");
  report::FleetReport r;
  std::vector<checks::ClusterFacts> facts;
  for (auto& run : runs) {
    facts.push_back({run.source.name, run.facts ? &*run.facts : nullptr, run.result.error});
  }
  r.fleet_findings = checks::diagnose_fleet(facts, selection_for(opt));
  for (auto& run : runs) r.clusters.push_back(std::move(run.result));
  r.duration_ms = ms_since(start);
  return r;
}

}  // namespace

bool is_fleet(const CheckOptions& opt) {
  return opt.bundles.size() > 1 || opt.contexts.size() > 1 || opt.all_contexts;
}

int run_fleet_check(const CheckOptions& opt) {
  // Options: refuse what cannot apply to several clusters before anything is read.
  if (std::string problem = usage_problem(opt); !problem.empty()) return usage_error(problem);
  report::PostOptions post = opt.post;
  if (auto prepared = prepare_post(post); !prepared) return could_not_run(prepared.error().message);
  if (post.enabled()) return usage_error("posting a fleet report is not available; post one cluster per run");
  // The clusters: the bundles, the contexts given, or every context of the kubeconfig.
  auto sources = fleet_sources(opt);
  if (!sources) return could_not_run(sources.error().message);
  // Diagnose each in parallel, then compare them.
  report::FleetReport fleet = diagnose_clusters(opt, *sources);
  const report::RenderOptions render = render_options_for(opt, fleet.duration_ms);
  fleet.exit_code = report::fleet_exit_code(fleet, render);
  // Render, then deliver to stdout or atomically to --output-file.
  if (auto delivered = deliver(report::render_fleet(opt.format, fleet, render), opt.output_file); !delivered) {
    return could_not_run(delivered.error().message);
  }
  if (!opt.output_file.empty()) spdlog::info("fleet report written to {}", opt.output_file);
  // Exit code: the worst cluster's (3 when one could not be read), MD901 counted like a check.
  return fleet.exit_code;
}

}  // namespace meshdoctor::cli
