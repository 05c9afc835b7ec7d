// meshdoctor serve: the in-cluster daemon. Flags → a Runner that re-runs the live check on a
// schedule, an Exporter for /metrics, an HttpServer for the endpoints; then wait for SIGTERM.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/live_source.hpp"
#include "cli/post_flags.hpp"
#include "daemon/exporter.hpp"
#include "daemon/http_server.hpp"
#include "daemon/post_hook.hpp"
#include "daemon/runner.hpp"
#include "daemon/signals.hpp"
#include "probe/watch_cache.hpp"
#include "report/output_file.hpp"
#include "util/version.hpp"

namespace meshdoctor::cli {
namespace {

// How long a stop waits for a run in progress (a slow API server) before leaving it behind.
constexpr std::chrono::milliseconds k_stop_grace{3000};

constexpr const char* k_serve_help =
    "Run as a daemon: re-run the live check every --interval (first run at start) and serve\n"
    "/metrics (Prometheus), /healthz, /readyz, /report.json, /report.md and the HTML report at /.\n"
    "A failed run keeps the last good result and counts meshdoctor_run_errors_total.\n"
    "With --post, each good run's report is posted (--post-on fail by default; change keeps the\n"
    "last verdict in memory, and in --state-configmap when given); with --post-required a\n"
    "failed post is logged as an error, and the daemon keeps running.\n"
    "serve never writes to the cluster, not even with --fix (a dry-run plan only); the one\n"
    "exception is the --state-configmap ConfigMap, when asked for.\n"
    "SIGTERM or SIGINT stop it (exit 0).";

// A DURATION option that must be positive ("90s", "2m", "500ms").
void add_positive_duration(CLI::App& cmd, const std::string& name, long& target_ms, const std::string& help) {
  cmd.add_option_function<std::string>(
         name,
         [name, &target_ms](const std::string& text) {
           auto ms = parse_duration_ms(text);
           if (!ms || *ms <= 0) throw CLI::ValidationError(name, "expected a positive duration");
           target_ms = *ms;
         },
         help)
      ->type_name("DURATION");
}

void add_schedule_flags(CLI::App& cmd, ServeOptions& opt) {
  add_positive_duration(cmd, "--interval", opt.interval_ms, "Time between runs (default 60s)");
  cmd.add_option("--jitter", opt.jitter,
                 "Spread each wait by ± this fraction of --interval (0 to 0.99, default 0.1)")
      ->check(CLI::Range(0.0, 0.99).description(""))
      ->type_name("FRACTION");
  cmd.add_flag("--watch", opt.watch,
               "List each collection once, then keep it current from Kubernetes watches "
               "(resourceVersion bookmarks, a new list after 410): a run over an unchanged cluster "
               "sends a few requests instead of one per list page and per node agent pod");
  add_positive_duration(cmd, "--evidence-max-age", opt.evidence_max_age_ms,
                        "With --watch: reuse a node agent's log, readiness and metrics while its pod "
                        "is unchanged for at most this long (default 10m; each is read again after "
                        "50-100% of it)");
}

void add_http_flags(CLI::App& cmd, ServeOptions& opt) {
  cmd.add_option("--listen", opt.listen,
                 "Address of the HTTP endpoints (default :9090; port 0: a free port, printed as "
                 "\"LISTEN <port>\" on stdout)")
      ->check([](const std::string& text) {
        auto address = daemon::parse_listen_address(text);
        return address ? std::string() : address.error().message;
      })
      ->type_name("ADDR:PORT");
  cmd.add_option("--ready-file", opt.ready_file,
                 "Once listening, write \"LISTEN <port>\" to FILE (atomically)")
      ->type_name("FILE");
}

void add_policy_flags(CLI::App& cmd, ServeOptions& opt) {
  add_off_mesh_flag(cmd, opt.off_mesh_namespaces, opt.off_mesh_given, "Namespaces that must stay out of the mesh");
  cmd.add_flag("--fix", opt.fix,
               "Plan restart-stale-workloads each run (dry-run, never applied) and count the plan "
               "in meshdoctor_remediations_total");
  cmd.add_flag("-v,--verbose", opt.verbosity,
               "More logging on stderr: -v info (one line per run), -vv debug");
}

daemon::RunPolicy policy_for(const ServeOptions& opt) {
  daemon::RunPolicy p;
  if (opt.off_mesh_given) p.context.off_mesh_namespaces = opt.off_mesh_namespaces;
  p.fix = opt.fix;
  return p;
}

// One run reads the cluster through a fresh session (a new client, so --timeout bounds each run).
// With --watch, the lists come from the cache wherever its watches are current; the requests of
// a run are then its own plus the watches' (re)connections since the run before.
daemon::Runner::RunFn live_run(const ServeOptions& opt, probe::WatchCache* cache) {
  auto watch_requests_seen = std::make_shared<int>(0);
  return [&opt, cache, watch_requests_seen, policy = policy_for(opt)] {
    return daemon::run_once(
        [&opt, cache, watch_requests_seen]() -> util::Expected<daemon::Collected> {
          LiveRun run{nullptr, opt.off_mesh_namespaces};
          run.cache = cache;
          auto session = open_live_session(opt.live, run);
          daemon::Collected collected;
          if (cache) {
            cache->end_run();
            const int now = cache->watch_requests();
            collected.other_requests = now - *watch_requests_seen;
            *watch_requests_seen = now;
            const auto s = cache->stats();
            spdlog::info("watch cache: {} lists ({} watched), {} objects, {} pod reads kept; {} events, {} relists so far",
                         s.lists, s.watching, s.objects, s.pod_reads, s.events, s.relists);
          }
          if (!session) return session.error();
          collected.facts = std::move(session->facts);
          collected.client = std::move(session->client);
          return collected;
        },
        policy);
  };
}

// The client of --watch's streams lives as long as the daemon: no overall deadline.
util::Expected<std::unique_ptr<probe::WatchCache>> watch_cache(const ServeOptions& opt) {
  if (!opt.watch) return std::unique_ptr<probe::WatchCache>();
  LiveAccessOptions forever = opt.live;
  forever.timeout_ms = 0;
  auto session = connect_live(forever);
  if (!session) return util::make_error(session.error().code, "--watch: " + session.error().message);
  probe::WatchCacheOptions o;
  o.evidence_max_age_ms = opt.evidence_max_age_ms;
  return std::make_unique<probe::WatchCache>(std::move(session->client), o);
}

// The client behind --post-on change --state-configmap lives as long as the daemon: no overall
// deadline. Without cluster access the last post is remembered in memory only.
std::optional<LiveSession> post_state_session(const report::PostOptions& post,
                                              const LiveAccessOptions& live) {
  if (post.on != report::PostOn::change || post.state_configmap.empty()) return std::nullopt;
  LiveAccessOptions forever = live;
  forever.timeout_ms = 0;
  auto session = connect_live(forever);
  if (!session) {
    spdlog::warn(
        "--state-configmap {}: no cluster access ({}); the last post is remembered in memory only",
        post.state_configmap, session.error().message);
    return std::nullopt;
  }
  return std::move(*session);
}

util::Status announce(int port, const std::string& ready_file) {
  std::printf("LISTEN %d\n", port);
  std::fflush(stdout);
  if (ready_file.empty()) return util::ok();
  return report::write_file_atomic(ready_file, "LISTEN " + std::to_string(port) + "\n");
}

}  // namespace

int run_serve(const ServeOptions& opt) {
  // Signals first: every thread started below inherits the blocked mask, so SIGTERM and SIGINT
  // reach only wait_for_stop_signal.
  daemon::block_stop_signals();
  // Where to post each report, if anywhere: a bad URL file fails at start (exit 3).
  report::PostOptions post = opt.post;
  if (auto prepared = prepare_post(post); !prepared) return could_not_run(prepared.error().message);
  auto state = post.enabled() ? post_state_session(post, opt.live) : std::nullopt;
  std::optional<daemon::PostHook> poster;
  if (post.enabled()) poster.emplace(post, state ? state->client.get() : nullptr);
  // The metrics registry and the poster, fed by the schedule after every run.
  daemon::Exporter metrics({util::k_version, opt.fix});
  auto cache = watch_cache(opt);
  if (!cache) return could_not_run(cache.error().message);
  daemon::Runner runner(live_run(opt, cache->get()), {std::chrono::milliseconds(opt.interval_ms), opt.jitter},
                        [&metrics, &poster](const daemon::RunOutcome& outcome) {
                          metrics.record(outcome);
                          if (poster) (*poster)(outcome);
                        });
  // The endpoints read snapshots: they answer at once, even in the middle of a run.
  daemon::HttpServer http(
      {[&runner] { return runner.latest(); }, [&metrics] { return metrics.text(); }});
  auto address = daemon::parse_listen_address(opt.listen);
  if (!address) return usage_error(address.error().message);
  auto port = http.bind(*address);
  if (!port) return could_not_run(port.error().message);
  if (auto told = announce(*port, opt.ready_file); !told)
    return could_not_run(told.error().message);
  http.start();
  runner.start();
  spdlog::info("serving on {}:{}, a run every {} ms", address->host, *port, opt.interval_ms);
  // Until SIGTERM/SIGINT; then stop serving and let the run in progress end.
  const int sig = daemon::wait_for_stop_signal();
  spdlog::info("{}: stopping", strsignal(sig));
  http.stop();
  runner.stop();
  if (!runner.join(k_stop_grace)) {
    // A run stuck on the API server (up to --timeout) holds the runner: leave without the static
    // destructors it could still be using.
    spdlog::warn("a run is still in progress; exiting without waiting for it");
    std::fflush(nullptr);
    std::quick_exit(0);
  }
  return 0;
}

CLI::App* add_serve_command(CLI::App& app, ServeOptions& opt) {
  auto* cmd = app.add_subcommand(
      "serve", "Run as a daemon: re-check the cluster on a schedule and serve /metrics");
  cmd->footer(k_serve_help);
  add_cluster_flags(*cmd, opt.live);
  add_node_flags(*cmd, opt.live);
  add_schedule_flags(*cmd, opt);
  add_http_flags(*cmd, opt);
  add_policy_flags(*cmd, opt);
  add_post_flags(*cmd, opt.post);
  return cmd;
}

}  // namespace meshdoctor::cli
